"""`relog review`: where each relationship stands and what to do next."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

import typer

from relog.cli.app import AppState, state
from relog.cli.params import JsonOpt, complete_client, parse_past
from relog.dates import local_now
from relog.render.console import print_json

TREND_MONTHS = 12


def review(
    ctx: typer.Context,
    client_name: Annotated[
        str | None,
        typer.Argument(
            metavar="[CLIENT]",
            help="Review this client; without it, review the whole portfolio.",
            autocompletion=complete_client,
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Review the journal as it stood then ('2026-03-31', 'last friday').",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show how the health is computed, term by term.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Score a relationship, explain every point with evidence, and say what to do next.

    Without a client: every open relationship, the most in need of attention first,
    and a short agenda for today.
    """
    app_state = state(ctx)
    moment = parse_past(as_of, "--as-of") or local_now()
    if client_name is None:
        _portfolio(app_state, moment, json=json)
    else:
        _client(app_state, client_name, moment, explain=explain, json=json)


def _meetings(app_state: AppState, moment: datetime) -> dict[date, int]:
    from relog.review import meetings_per_day

    lookback = app_state.config().trust.lookback_days
    times = app_state.store().meeting_times(
        since=moment - timedelta(days=lookback + 1), until=moment
    )
    return meetings_per_day(times)


def _client(app_state: AppState, name: str, moment: datetime, *, explain: bool, json: bool) -> None:
    from relog.review import review_client

    store = app_state.store()
    client = store.find_client(name)
    result = review_client(
        client,
        store.history(client.id, until=moment),
        moment,
        app_state.config(),
        meetings=_meetings(app_state, moment),
        trend_months=TREND_MONTHS,
    )
    if json:
        from relog.render.review import ClientReviewDoc

        print_json(ClientReviewDoc.of(result))
    else:
        from relog.render.review import show_client_review

        show_client_review(result, explain=explain)


def _portfolio(app_state: AppState, moment: datetime, *, json: bool) -> None:
    from relog.review import review_portfolio

    store = app_state.store()
    result = review_portfolio(
        store.clients(),
        store.histories(until=moment),
        store.mistakes(),
        moment,
        app_state.config(),
        meetings=_meetings(app_state, moment),
    )
    if json:
        from relog.render.review import PortfolioReviewDoc

        print_json(PortfolioReviewDoc.of(result))
    else:
        from relog.render.review import show_portfolio

        show_portfolio(result)
