"""The consoles every view prints through: nothing else writes to the terminal.

Rich is imported when something is printed, not when this module is: completion
and the commands that fail early never need it.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from typing import TextIO

    from pydantic import BaseModel
    from rich.console import Console


def out() -> Console:
    """Standard output; plain text when piped, so scripts and tests see no colour codes,
    and no line ends in the spaces a terminal's layout pads it with."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, file=cast("TextIO", _Trimmed(sys.stdout)))


class _Trimmed:
    """A text stream that writes each line without its trailing spaces."""

    def __init__(self, target: TextIO) -> None:
        self._target = target
        self._pending = ""

    def write(self, text: str) -> int:
        if not self._pending and " \n" not in text and not text.endswith(" "):
            self._target.write(text)  # nothing to trim: the common case, kept fast
            return len(text)
        *lines, self._pending = (self._pending + text).split("\n")
        for line in lines:
            self._target.write(line.rstrip(" ") + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target.write(self._pending)
            self._pending = ""
        self._target.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self._target, "encoding", None) or "utf-8"


def plain_stdout() -> bool:
    """Whether standard output takes no styling, as Rich judges it: not a terminal, and
    neither FORCE_COLOR nor TTY_COMPATIBLE=1 asks for styles anyway."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return False
    return not sys.stdout.isatty()


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def error_line(message: str) -> None:
    """The one line a failure prints: 'relog: error: ...'."""
    from rich.markup import escape

    err().print(
        f"[bold red]relog: error:[/] {escape(message)}", markup=True, soft_wrap=True, emoji=False
    )


def print_json(model: BaseModel) -> None:
    """A `--json` document: the pydantic model as indented JSON, nothing else."""
    sys.stdout.write(model.model_dump_json(indent=2) + "\n")
