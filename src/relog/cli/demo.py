"""`relog demo`: a throwaway journal that shows what relog does."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from relog.cli.app import state
from relog.render.console import out


def demo(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Option(
            "--folder",
            metavar="FOLDER",
            help="Build the demo journal in this (existing) folder instead of a new temporary one.",
            file_okay=False,
            exists=True,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Build a demo journal in a throwaway folder and review it.

    The demo clients act out what relog knows: the referral you phoned and then
    chased, the prospect whose request went unanswered, the client you always gave
    in to, the active client you stopped calling, the one who left. Your own
    journal is not touched.
    """
    from relog.cli.review import review_all, review_one
    from relog.dates import local_now
    from relog.demo import FEATURED, build_demo
    from relog.store import open_store

    where = folder or Path(tempfile.mkdtemp(prefix="relog-demo-"))
    path = where / "demo-journal.db"
    if path.exists():
        path.unlink()
    now = local_now()
    store = open_store(path)
    try:
        build_demo(store, now)
    finally:
        store.close()
    app_state = state(ctx)
    app_state.db = str(path)
    console = out()
    review_all(app_state, now, json=False)
    console.rule(style="dim")
    review_one(app_state, FEATURED, now, explain=False, json=False)
    console.rule(style="dim")
    console.print("This demo journal is kept at:", markup=False)
    console.print(f"  {path}", markup=False, soft_wrap=True)
    console.print("Look around in it, for example:", markup=False)
    for example in (
        f'relog --db {path} review "{FEATURED}" --explain',
        f'relog --db {path} log "Yossi Mizrahi"',
        f"relog --db {path} review --json",
    ):
        console.print(f"  {example}", markup=False, soft_wrap=True)
