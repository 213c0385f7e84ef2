"""The consoles every view prints through: nothing else writes to the terminal.

Rich is imported when something is printed, not when this module is: completion
and the commands that fail early never need it.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from typing import TextIO

    from pydantic import BaseModel
    from rich.console import Console


_SHOWN: dict[int, str] = {
    **{
        code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0)) if code not in {9, 10}
    },
    **{code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}
"""What a terminal must not be sent raw, and how it is shown instead.

Every C0 and C1 control character but tab and line feed (ESC is the start of
every escape sequence, CR returns to the start of a line), DEL, and the bidi
controls that reorder what follows them: the embeddings and overrides
U+202A-U+202E (U+202E shows a line backwards) and the isolates U+2066-U+2069.
The marks U+200E, U+200F and U+061C stay: Hebrew and Arabic text needs them,
and each only sets the direction of the characters around it.
"""
_ONE_LINE = {**_SHOWN, 10: "\\n"}
CONTROL = re.compile("[" + "".join(re.escape(chr(code)) for code in _SHOWN) + "]")


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` as it may reach a terminal: each character in `_SHOWN` as an escape, `\\x1b`
    for ESC, `\\u202e` for U+202E, as Python writes them; with `one_line`, `\\n` too."""
    if CONTROL.search(text) is None and not (one_line and "\n" in text):
        return text
    return text.translate(_ONE_LINE if one_line else _SHOWN)


def out() -> Console:
    """Standard output; plain text when piped, so scripts and tests see no colour codes,
    and no line ends in the spaces a terminal's layout pads it with. Text is shown as
    written: a name like ":fire: Studio" keeps its colons (no emoji codes)."""
    from relog.render.terminal import ShownConsole

    if sys.stdout.isatty():
        return ShownConsole(highlight=False, emoji=False)
    return ShownConsole(highlight=False, emoji=False, file=cast("TextIO", _Trimmed(sys.stdout)))


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
    from relog.render.terminal import ShownConsole

    return ShownConsole(stderr=True, highlight=False, emoji=False)


def error_line(message: str) -> None:
    """The one line a failure prints: 'relog: error: ...'."""
    from rich.markup import escape

    err().print(
        f"[bold red]relog: error:[/] {escape(message)}", markup=True, soft_wrap=True, emoji=False
    )


def note_line(message: str) -> None:
    """A line about the journal that is not a failure ('relog: note: ...'), on stderr so
    that output for scripts stays clean."""
    from rich.markup import escape

    err().print(
        f"[yellow]relog: note:[/] {escape(message)}", markup=True, soft_wrap=True, emoji=False
    )


def print_json(model: BaseModel) -> None:
    """A `--json` document: the pydantic model as indented JSON, nothing else."""
    print_json_text(model.model_dump_json(indent=2))


def print_json_text(document: str) -> None:
    """A `--json` document already written as JSON, and nothing else."""
    sys.stdout.write(json_text(document + "\n"))


def json_text(document: str) -> str:
    """JSON as written to standard output: to a terminal, each character `visible` shows as an
    escape (DEL, C1, the bidi controls; JSON itself escapes C0) as a JSON escape, which
    reads back as the very same text; to a pipe or a file, byte for byte as it is."""
    if not sys.stdout.isatty() or CONTROL.search(document) is None:
        return document
    return CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", document)
