"""Portfolio: the business as a whole.

Clients come and go, often for reasons that have nothing to do with you. A
departure is no crisis when new clients arrive at a steady rate and no single
client carries the business. And the lessons of past departures only count
when the action plans in the mistakes log get done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from relog.domain import By, Stage, began_at
from relog.rules.base import (
    Family,
    Hit,
    Rule,
    Severity,
    days_since,
    evidence,
    first_moment,
    plural,
    the_last,
    within,
    ymd,
)
from relog.rules.examples import Example

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from relog.config import Config
    from relog.domain import ClientData, InteractionData
    from relog.rules.base import Portfolio

MODULE = "portfolio"
IDEA = "A steady flow of clients"
MIN_CONTACTS_FOR_SHARE = 5
"""Fewest recent contacts with active clients before one client's share means anything."""

FOUR_MORE = tuple(f"{name} --stage active" for name in ("Omer", "Gil", "Ron", "Tal"))
"""Four other active clients, for the stories of a business spread over five."""

family = Family(MODULE, IDEA)
rule = family.rule


def _active(portfolio: Portfolio) -> list[ClientData]:
    return [client for client in portfolio.clients if client.stage is Stage.ACTIVE]


@dataclass(frozen=True, slots=True)
class Dependence:
    """What each client holds of the recent business, by income or, lacking it, by contacts."""

    measure: str
    """"income" when any amount was recorded in the window, else "contacts"."""
    held: dict[int, int]
    """By client id: hundredths of income, or a count of contacts."""
    total: int
    evidence: dict[int, tuple[InteractionData, ...]]

    def share(self, client_id: int) -> float:
        return self.held.get(client_id, 0) / self.total if self.total else 0.0

    def largest(self) -> int | None:
        """The id of the client who holds the most (the first added, on a tie)."""
        held = [(amount, -client_id) for client_id, amount in self.held.items() if amount]
        return -max(held)[1] if held else None


def dependence(portfolio: Portfolio, config: Config) -> Dependence:
    """Each open client's share of the recent business (see `_dependence`), worked out once
    per portfolio: POR001 and the review's largest client both read it."""
    return portfolio.fact("portfolio.dependence", lambda: _dependence(portfolio, config))


def _dependence(portfolio: Portfolio, config: Config) -> Dependence:
    """Each open client's share of the income of the last `window_days`.

    The income is what was billed in the window and the retainers in force
    during it (see `relog.income`), over every client, so that a client who
    left still counts in the whole. With no amount recorded in the window,
    relog falls back on the contacts with active clients, and says so.
    """
    days = config.portfolio.window_days
    end = portfolio.as_of + timedelta(microseconds=1)
    firsts = {
        c.id: found
        for c in portfolio.clients
        if (found := first_moment(portfolio.histories.get(c.id, ())))
    }
    from relog.income import income_by_client  # its fractions only for a portfolio review

    earned = income_by_client(
        portfolio.clients, portfolio.bills, end - timedelta(days=days), end, first_entries=firsts
    )
    total = sum(income.total for income in earned.values())
    if total:
        open_ = {c.id for c in portfolio.clients if c.stage is not Stage.FORMER}
        held = {client_id: i.total for client_id, i in earned.items() if client_id in open_}
        return Dependence("income", held, total, {})
    recent = {
        client.id: tuple(
            entry
            for entry in within(portfolio.histories.get(client.id, ()), portfolio.as_of, days)
            if entry.is_contact
        )
        for client in _active(portfolio)
    }
    counts = {client_id: len(contacts) for client_id, contacts in recent.items()}
    return Dependence("contacts", counts, sum(counts.values()), recent)


def money(hundredths: int, config: Config) -> str:
    """'1,200.50 ILS': an amount as relog's messages show it."""
    text = f"{Decimal(hundredths).scaleb(-2):,.2f}"
    return f"{text} {config.money.currency}" if config.money.currency else text


@rule(
    code="POR001",
    symbol="dependent-on-one-client",
    severity=Severity.INFO,
    escalation=Severity.WARNING,
    summary="One client holds a large share of your recent income (or, lacking amounts, work).",
    settings=(
        "portfolio.window_days",
        "portfolio.max_client_share",
        "portfolio.notable_client_share",
    ),
    explanation=(
        "A freelancer depends on income, not on calls. Adds up what each client brought in "
        "the last window_days: the bills dated in it (relog bill) and the monthly retainers "
        "in force (relog client edit --retainer). A client above notable_client_share of "
        "it is noted; above max_client_share it is a warning: losing them would be a "
        "crisis. With no amount recorded in the window, it counts your contacts with "
        "active clients instead (at least 5), warns above max_client_share, and says which "
        "measure it used. Put time into bringing in new clients."
    ),
    fires=(
        Example(
            "One client pays most of the bills",
            client="--stage active",
            others=("Omer --stage active",),
            entries=("d1 meeting", "Omer: d2 meeting"),
            bills=("d10 18000", "Omer: d12 6000"),
            at="d30",
        ),
        Example(
            "A retainer that is a third of the income is worth a note",
            client="--stage active --retainer 3000",
            others=("Omer --stage active", "Gil --stage active"),
            entries=("d0 meeting", "Omer: d0 meeting", "Gil: d0 meeting"),
            bills=("Omer: d20 3000", "Gil: d25 3000"),
            at="d30",
        ),
        Example(
            "No amounts recorded: one active client takes almost all of your time",
            client="--stage active",
            others=("Omer --stage active",),
            entries=(
                "d1 meeting",
                "d3 call --by them",
                "d5 call",
                "d8 meeting",
                "Omer: d9 call",
                "d10 call --by them",
            ),
            at="d12",
            evidence=(1, 2, 3, 4, 6),
        ),
    ),
    quiet=(
        Example(
            "The client you call most pays a small part of an income spread over five clients",
            client="--stage active",
            others=FOUR_MORE,
            entries=("d1 meeting", "d3 call --by them", "d5 call", "d8 meeting", "Omer: d9 call"),
            bills=("d10 1000", "Omer: d12 2000", "Gil: d14 2000", "Ron: d14 2000", "Tal: d15 2000"),
            at="d20",
        ),
        Example(
            "Two active clients share the work",
            client="--stage active",
            others=("Omer --stage active",),
            entries=(
                "d1 meeting",
                "Omer: d2 meeting",
                "d3 call --by them",
                "Omer: d4 call --by them",
                "d6 call",
                "Omer: d7 call",
            ),
            at="d12",
        ),
        Example(
            "A big bill from before the window",
            client="--stage active",
            others=FOUR_MORE,
            entries=("d0 meeting", "Omer: d0 meeting", "Gil: d0 meeting"),
            bills=(
                "d1 50000",
                "Omer: d100 2000",
                "Gil: d101 2000",
                "Ron: d102 2000",
                "Tal: d103 2000",
            ),
            at="d110",
        ),
    ),
)
def dependent_on_one_client(portfolio: Portfolio, config: Config) -> Iterator[Hit]:
    settings = config.portfolio
    held = dependence(portfolio, config)
    if held.measure == "contacts" and held.total < MIN_CONTACTS_FOR_SHARE:
        return
    window = the_last(settings.window_days, "day")
    for client in portfolio.clients:
        share = held.share(client.id)
        warning = share > settings.max_client_share
        if held.measure == "income" and not warning and share > settings.notable_client_share:
            yield Hit(
                message=(
                    f"{client.name} brought {share:.0%} of your income in {window} "
                    f"({money(held.held[client.id], config)} of {money(held.total, config)})."
                ),
                advice=(
                    "Worth watching: keep them well served, and keep new clients coming so "
                    "that their share shrinks as the business grows."
                ),
            )
        elif warning and held.measure == "income":
            yield Hit(
                message=(
                    f"{client.name} brought {share:.0%} of your income in {window} "
                    f"({money(held.held[client.id], config)} of {money(held.total, config)})."
                ),
                advice=(
                    "Losing them would be a crisis. Set time aside every week to bring in "
                    "new clients, so that no single one carries the business."
                ),
                escalated=True,
            )
        elif warning:
            yield Hit(
                message=(
                    f"{client.name} holds {share:.0%} of your contacts with active clients in "
                    f"{window} ({held.held[client.id]} of {held.total}); no amounts are "
                    "recorded, so relog measured contacts (relog bill, --retainer)."
                ),
                advice=(
                    "Losing them would be a crisis. Set time aside every week to bring in "
                    "new clients, so that no single one carries the business."
                ),
                evidence=evidence(*held.evidence[client.id]),
                escalated=True,
            )


def _first_from_them(entries: tuple[InteractionData, ...]) -> datetime | None:
    return next((e.at for e in entries if e.by is By.THEM and e.is_contact), None)


@rule(
    code="POR002",
    symbol="empty-pipeline",
    severity=Severity.WARNING,
    summary="No new relationship and no one reaching out to you lately.",
    settings=("portfolio.pipeline_days",),
    explanation=(
        "Looks for a new relationship in the last pipeline_days, whatever its stage now "
        "(a lead you won is still new business): one that began in that time (at its first "
        "entry, or the start date you gave), or one whose first contact with you that they "
        "started falls in it. Or a contact a lead or prospect started in that time. The "
        "day a client was added to relog does not count: a history logged after the fact "
        "is judged on its dates. With none of these, nothing new is coming in. Ask "
        "satisfied clients for introductions and make it easy for people to call you."
    ),
    fires=(
        Example(
            "Three months of work for one client and nobody new",
            client="--stage active",
            entries=("d0 call --by them", "d30 meeting", "d60 meeting", "d90 call"),
            at="d91",
        ),
        Example(
            "A history logged after the fact: the client was added on the last day, "
            "but the relationship is old",
            client="--stage active --added d120",
            entries=("d0 call --by them", "d40 meeting", "d80 meeting"),
            at="d120",
        ),
    ),
    quiet=(
        Example(
            "A new lead called last week",
            client="--stage active",
            others=("Omer --stage lead",),
            entries=("d0 meeting", "d60 meeting", "Omer: d85 call --by them"),
            at="d91",
        ),
        Example(
            "A prospect who has been around for a while got in touch",
            client="--stage prospect",
            entries=("d0 call --by them", "d20 call", "d80 email --by them"),
            at="d91",
        ),
    ),
)
def empty_pipeline(portfolio: Portfolio, config: Config) -> Iterator[Hit]:
    days = config.portfolio.pipeline_days
    as_of = portfolio.as_of

    def lately(moment: datetime | None) -> bool:
        return moment is not None and days_since(moment, as_of) <= days

    if not portfolio.clients:
        return
    for client in portfolio.clients:
        entries = portfolio.histories.get(client.id, ())
        if lately(began_at(client, first_moment(entries))) or lately(_first_from_them(entries)):
            return
        if client.stage.is_pipeline and any(
            e.is_contact and e.by is By.THEM for e in within(entries, as_of, days)
        ):
            return
    yield Hit(
        message=(
            "No new client, lead or prospect and no contact from a lead or prospect "
            f"in {the_last(days, 'day')}."
        ),
        advice=(
            "Build a steady flow: ask satisfied clients for introductions, ask the "
            "people who refer you to pass your details on, and make it easy to call you."
        ),
    )


@rule(
    code="POR003",
    symbol="overdue-action-plan",
    severity=Severity.WARNING,
    summary="An action plan from the mistakes log is past its due date.",
    explanation=(
        "Every post-mortem action plan whose due date has passed without it being done. "
        "A lesson only counts once the plan is carried out: do it, or set a date you "
        "can keep."
    ),
    fires=(
        Example(
            "The plan after a departure was due last week",
            client="--stage former --ended d10",
            entries=("d0 meeting",),
            postmortems=("d11 --due d20 --plan 'Write a one-page list of each package'",),
            at="d27",
        ),
    ),
    quiet=(
        Example(
            "The plan was carried out in time",
            client="--stage former --ended d10",
            entries=("d0 meeting",),
            postmortems=("d11 --due d20 --done d18 --plan 'Write a one-page list'",),
            at="d27",
        ),
        Example(
            "The plan is not due yet",
            client="--stage former --ended d10",
            entries=("d0 meeting",),
            postmortems=("d11 --due d30 --plan 'Take a course on contracts'",),
            at="d27",
        ),
    ),
)
def overdue_action_plan(portfolio: Portfolio, config: Config) -> Iterator[Hit]:
    for mistake in portfolio.mistakes:
        if mistake.created_at > portfolio.as_of or mistake.due is None:
            continue
        if not mistake.overdue_at(portfolio.as_of):
            continue
        plan = mistake.plan or "the action plan"
        yield Hit(
            message=(
                f'The action plan after {mistake.client_name}, "{plan}", was due on '
                f"{ymd(mistake.due)} and is not done."
            ),
            advice="Do it now, or set a new date you can keep, so the mistake does not repeat.",
        )


@rule(
    code="POR004",
    symbol="few-active-clients",
    severity=Severity.INFO,
    summary="Fewer active clients than the minimum.",
    settings=("portfolio.min_active_clients",),
    explanation=(
        "With fewer than min_active_clients active clients, every departure hurts. Use "
        "the time you have to build the pipeline."
    ),
    fires=(
        Example(
            "One active client and a lead",
            client="--stage active",
            others=("Omer --stage lead",),
            entries=("d0 meeting", "Omer: d1 call --by them"),
            at="d2",
        ),
    ),
    quiet=(
        Example(
            "Three active clients",
            client="--stage active",
            others=("Omer --stage active", "Gil --stage active"),
            entries=("d0 meeting", "Omer: d1 meeting", "Gil: d1 call"),
            at="d2",
        ),
    ),
)
def few_active_clients(portfolio: Portfolio, config: Config) -> Iterator[Hit]:
    minimum = config.portfolio.min_active_clients
    active = _active(portfolio)
    if not portfolio.clients or len(active) >= minimum:
        return
    least = plural(minimum, "active client")
    yield Hit(
        message=(
            f"You have no active clients right now; aim for at least {least}, so "
            "that no single departure is a crisis."
            if not active
            else f"You have only {plural(len(active), 'active client')}; with fewer "
            f"than {minimum}, one departure is a crisis."
        ),
        advice=(
            "Spend the free time on the pipeline: follow up the leads who came to you "
            "and ask active clients for introductions."
        ),
    )


RULES: tuple[Rule, ...] = tuple(family.rules)
evaluate = family.evaluate
