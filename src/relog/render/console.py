"""The consoles every view prints through: nothing else writes to the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from pydantic import BaseModel


def out() -> Console:
    """Standard output; plain text when piped, so scripts and tests see no colour codes."""
    return Console(highlight=False)


def err() -> Console:
    return Console(stderr=True, highlight=False)


def error_line(message: str) -> None:
    """The one line a failure prints: 'relog: error: ...'."""
    err().print(
        f"[bold red]relog: error:[/] {escape(message)}", markup=True, soft_wrap=True, emoji=False
    )


def print_json(model: BaseModel) -> None:
    """A `--json` document: the pydantic model as indented JSON, nothing else."""
    sys.stdout.write(model.model_dump_json(indent=2) + "\n")
