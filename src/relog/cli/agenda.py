"""`relog agenda`: what is due today and in the days ahead."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relog.cli.app import state
from relog.cli.params import JsonOpt, MemberOpt, check_member
from relog.dates import local_now
from relog.render.console import print_json

if TYPE_CHECKING:
    from datetime import datetime

    from relog.agenda import Item

DAYS = 7


def agenda_command(
    ctx: typer.Context,
    days: Annotated[
        int,
        typer.Option(
            "--days",
            metavar="DAYS",
            min=0,
            max=366,
            help=f"How many days ahead to look, after today (default {DAYS}).",
        ),
    ] = DAYS,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Also write the agreed contacts and action plans due as an iCalendar file "
            "(import it again to update the events, not duplicate them).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    with_notes: Annotated[
        bool,
        typer.Option(
            "--with-notes", help="Put your own words (a plan's text) in the calendar file too."
        ),
    ] = False,
    member: MemberOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show what is due today and in the days ahead, overdue first.

    Agreed contacts, thinking times that end, requests to deliver, cadences
    coming due and action plans due, from the same findings as `relog review`,
    grouped by day.
    """
    from relog.agenda import agenda
    from relog.cli.review import meetings_for, team_part
    from relog.review import review_portfolio

    app_state = state(ctx)
    store = app_state.store()
    now = local_now()
    clients, histories, mistakes = team_part(store, now, check_member(store, member))
    portfolio = review_portfolio(
        clients,
        histories,
        mistakes,
        now,
        app_state.config(),
        meetings=meetings_for(app_state, now),
        bills=store.bills(until=now),
    )
    items = agenda(portfolio, mistakes, now, days)
    if ics is not None:
        _write_calendar(ics, items, now, with_notes=with_notes)
    if json:
        from relog.render.agenda import agenda_doc

        print_json(agenda_doc(items, now, days))
    else:
        from relog.render.agenda import show_agenda

        show_agenda(items, now, days)


def _write_calendar(path: Path, items: list[Item], now: datetime, *, with_notes: bool) -> None:
    """The agenda as an iCalendar file, replacing one already there (see `write_private`)."""
    from relog.calendar import calendar
    from relog.cli.files import write_private

    write_private(path, calendar(items, now, with_notes=with_notes), option="--ics", replace=True)
