"""`relog review`: where each relationship stands and what to do next."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from relog.cli.app import AppState, state
from relog.cli.params import AsOfOpt, JsonOpt, MemberOpt, check_member, complete_client, parse_as_of
from relog.dates import local_now
from relog.errors import InputError
from relog.render.console import print_json

if TYPE_CHECKING:
    from relog.domain import ClientData, MistakeData, Timeline
    from relog.store import Store

TREND_MONTHS = 12
SHOWN = 25
"""How many relationships the portfolio screen lists without --all: the most in need."""


def review(
    ctx: typer.Context,
    client_name: Annotated[
        str | None,
        typer.Argument(
            metavar="CLIENT",
            help="Review this client; without it, review the whole portfolio.",
            autocompletion=complete_client,
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show how the health is computed, term by term.")
    ] = False,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every relationship and agenda item, not only the first "
            f"{SHOWN} most in need (--json always has all).",
        ),
    ] = False,
    member: MemberOpt = None,
    json: JsonOpt = False,
) -> None:
    """Score a relationship, explain every point with evidence, and say what to do next.

    Without a client: every open relationship, the most in need of attention first,
    and a short agenda for today. With --member: as that member's own contacts
    alone have it (the clients they logged entries with).
    """
    app_state = state(ctx)
    moment = parse_as_of(as_of) or local_now()
    logged_by = check_member(app_state.store(), member)
    if client_name is None:
        review_all(app_state, moment, json=json, show_all=show_all, member=logged_by)
    else:
        review_one(app_state, client_name, moment, explain=explain, json=json, member=logged_by)


def team_part(
    store: Store, moment: datetime, member: str | None
) -> tuple[list[ClientData], dict[int, Timeline], list[MistakeData]]:
    """The clients, their histories up to `moment` and the post-mortems a portfolio reads:
    all of them, or those of the clients `member` logged entries with, and only the
    entries they logged."""
    histories = store.histories(until=moment, member=member)
    clients, mistakes = store.clients(), store.mistakes()
    if member is not None:
        clients = [client for client in clients if client.id in histories]
        mistakes = [mistake for mistake in mistakes if mistake.client_id in histories]
    return clients, histories, mistakes


def meetings_for(app_state: AppState, moment: datetime) -> dict[date, int]:
    """Meetings per local day over what the rules read, across the portfolio."""
    from relog.rules import meetings_lookback

    start = moment - meetings_lookback(app_state.config())
    return app_state.store().meetings_per_day(since=start, until=moment)


def review_one(
    app_state: AppState,
    name: str,
    moment: datetime,
    *,
    explain: bool,
    json: bool,
    member: str | None = None,
) -> None:
    """Review one client at `moment` (from `member`'s entries alone, if given) and print it,
    as text or JSON."""
    from relog.review import as_it_stood, month_ends, review_client
    from relog.rules import meeting_days

    store = app_state.store()
    found = store.find_client(name)
    history = store.history(found.id, until=moment, member=member)
    client = as_it_stood(found, history, moment)
    if client is None:
        raise InputError(
            f"{found.name} was not in the journal yet on {moment.astimezone():%Y-%m-%d %H:%M}; "
            "choose a later --as-of"
        )
    since = month_ends(moment, TREND_MONTHS)[0]
    result = review_client(
        client,
        history,
        moment,
        app_state.config(),
        meetings=store.meetings_on(meeting_days(history, since, app_state.config())),
        trend_months=TREND_MONTHS,
        postmortems=store.mistakes(found.id) if found.ended_at else (),
    )
    if json:
        from relog.render.review_json import ClientReviewDoc

        print_json(ClientReviewDoc.of(result))
    else:
        from relog.render.review import show_client_review

        show_client_review(result, explain=explain)


def review_all(
    app_state: AppState,
    moment: datetime,
    *,
    json: bool,
    show_all: bool = False,
    member: str | None = None,
) -> None:
    """Review the portfolio at `moment` (`member`'s clients and entries alone, if given) and
    print it, as text or JSON."""
    from relog.review import review_portfolio

    store = app_state.store()
    clients, histories, mistakes = team_part(store, moment, member)
    result = review_portfolio(
        clients,
        histories,
        mistakes,
        moment,
        app_state.config(),
        meetings=meetings_for(app_state, moment),
        bills=store.bills(until=moment),
    )
    if json:
        from relog.render.review_json import PortfolioReviewDoc

        print_json(PortfolioReviewDoc.of(result))
    else:
        from relog.render.review import show_portfolio

        currency = app_state.config().money.currency
        show_portfolio(result, limit=None if show_all else SHOWN, currency=currency)
