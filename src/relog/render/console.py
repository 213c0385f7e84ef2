"""The consoles every view prints through: nothing else writes to the terminal.

Rich is imported when something is printed, not when this module is: completion
and the commands that fail early never need it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel
    from rich.console import Console


def out() -> Console:
    """Standard output; plain text when piped, so scripts and tests see no colour codes."""
    from rich.console import Console

    return Console(highlight=False)


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
