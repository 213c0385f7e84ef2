"""relog's command line: the root command, whose sub-commands load when used (see app.py)."""

from __future__ import annotations

from relog.cli.app import app


def main() -> None:
    """The `relog` console script."""
    app(prog_name="relog")


__all__ = ["app", "main"]
