"""Offering the post-mortem when a relationship ends (the flow itself lives in cli/mistakes.py)."""

from __future__ import annotations

import sys

import typer

from relog.domain import ClientData


def offer_postmortem(ctx: typer.Context, client: ClientData) -> None:
    """In a terminal, ask whether to walk through the post-mortem now."""
    if not sys.stdin.isatty():
        return
    try:
        start = typer.confirm("Walk through a short post-mortem now?", default=True)
    except (typer.Abort, EOFError, KeyboardInterrupt):
        start = False
        typer.echo("", err=True)
    if not start:
        from relog.render.console import visible

        typer.echo(
            f"The end of {visible(client.name)} is saved. "
            "Run 'relog mistakes' whenever you are ready.",
            err=True,
        )
        return
    from relog.cli.mistakes import run_postmortem

    run_postmortem(ctx, client_name=client.name)
