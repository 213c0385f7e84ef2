"""Reviews: the rule modules' results turned into a verdict and a next step.

Pure like the rules: it gets plain data (the client, their entries up to the
moment of the review, the day-by-day meeting load, the config) and returns
plain data that the renderers show. The overall health is a weighted mean of
the module scores, and every term of it is kept so it can be explained.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING

from relog.domain import (
    ClientData,
    InteractionData,
    Kind,
    MistakeData,
    Source,
    Stage,
)
from relog.rules import CLIENT_MODULES, PORTFOLIO_MODULE
from relog.rules.attention import cadence_days, contact_due
from relog.rules.base import Action, Finding, History, ModuleResult, Portfolio, Severity
from relog.rules.pursuit import thinking_until

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from relog.config import Config

SEVERITY_ORDER = {Severity.ALERT: 0, Severity.WARNING: 1, Severity.INFO: 2}
ACTION_ORDER = [
    Action.ANSWER,
    Action.DELIVER,
    Action.LET_THINK,
    Action.WAIT,
    Action.CALL,
    Action.TALK,
    Action.INITIATIVE,
    Action.NONE,
]
"""Which next step wins when several apply: a request they made comes first, even
while they think it over or while you wait for them to answer."""


@dataclass(frozen=True, slots=True)
class Term:
    """One module's share of the health: the row of the --explain table."""

    module: str
    score: int
    weight: float
    contribution: float
    applicable: bool
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class NextStep:
    action: Action
    reason: str
    when: datetime | None = None


@dataclass(frozen=True, slots=True)
class TrendPoint:
    at: datetime
    health: int | None


@dataclass(frozen=True, slots=True)
class ClientReview:
    client: ClientData
    as_of: datetime
    health: int
    modules: dict[str, ModuleResult]
    terms: tuple[Term, ...]
    next_step: NextStep
    trend: tuple[TrendPoint, ...] = ()

    _sorted: list[tuple[Finding, ...]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    @property
    def findings(self) -> list[Finding]:
        """Every finding, the most serious first (sorted once, on first use)."""
        if not self._sorted:
            found = [f for result in self.modules.values() for f in result.findings]
            ranked = sorted(found, key=lambda f: (SEVERITY_ORDER[f.severity], -f.penalty, f.code))
            self._sorted.append(tuple(ranked))
        return list(self._sorted[0])


@dataclass(frozen=True, slots=True)
class Agenda:
    """Today's short list across the portfolio."""

    follow_up: tuple[ClientReview, ...]
    leave_alone: tuple[ClientReview, ...]
    deliver: tuple[ClientReview, ...]
    going_dark: tuple[ClientReview, ...]


@dataclass(frozen=True, slots=True)
class PortfolioReview:
    as_of: datetime
    reviews: tuple[ClientReview, ...]
    portfolio: ModuleResult
    agenda: Agenda


def up_to(entries: Sequence[InteractionData], moment: datetime) -> tuple[InteractionData, ...]:
    """The entries (oldest first) at or before `moment`."""
    cut = bisect.bisect_right(entries, moment, key=_MOMENT)
    if cut == len(entries) and isinstance(entries, tuple):
        return entries
    return tuple(entries[:cut])


_MOMENT = attrgetter("at")


def evaluate(
    history: History, config: Config
) -> tuple[dict[str, ModuleResult], int, tuple[Term, ...]]:
    """Every client module's result, the weighted health and its terms."""
    results = {name: module(history, config) for name, module in CLIENT_MODULES.items()}
    weights = {name: float(getattr(config.weights, name)) for name in results}
    counted = {n: w for n, w in weights.items() if results[n].applicable and w > 0}
    total = sum(counted.values())
    terms = tuple(
        Term(
            module=name,
            score=result.score,
            weight=weights[name],
            contribution=(result.score * counted[name] / total) if name in counted else 0.0,
            applicable=result.applicable,
            findings=result.findings,
        )
        for name, result in results.items()
    )
    health = round(sum(term.contribution for term in terms)) if total else 100
    return results, health, terms


def review_client(
    client: ClientData,
    entries: Sequence[InteractionData],
    as_of: datetime,
    config: Config,
    *,
    meetings: Mapping[date, int] | None = None,
    trend_months: int = 0,
) -> ClientReview:
    """Review one relationship as it stood at `as_of`.

    `entries` are the client's interactions oldest first; any after `as_of`
    are ignored, so a review can be reproduced later. With `trend_months`, the
    health at each of the last month ends is computed the same way.
    """
    history = History(client, up_to(entries, as_of), as_of, meetings or {})
    modules, health, terms = evaluate(history, config)
    trend: tuple[TrendPoint, ...] = ()
    if trend_months:
        trend = tuple(
            _trend_point(history, entries, moment, config)
            for moment in month_ends(as_of, trend_months)
        ) + (TrendPoint(as_of, health),)
    return ClientReview(
        client=client,
        as_of=as_of,
        health=health,
        modules=modules,
        terms=terms,
        next_step=next_step(history, modules, config),
        trend=trend,
    )


def _trend_point(
    history: History, entries: Sequence[InteractionData], moment: datetime, config: Config
) -> TrendPoint:
    """The health at `moment`, as `--as-of` would review it; None before the relationship began.

    The history at `moment` is cut from the one under review (`History.earlier`),
    so the trend reads the journal once and shares what only grows with it.
    """
    then = as_it_stood(history.client, entries, moment)
    if then is None:
        return TrendPoint(moment, None)
    _, health, _ = evaluate(history.earlier(moment, then), config)
    return TrendPoint(moment, health)


def month_ends(as_of: datetime, months: int) -> list[datetime]:
    """The last moment of each of the `months` full months before `as_of`, oldest first.

    Month boundaries are local wall-clock midnights, each with its own UTC
    offset, so a month end never spills into the next month across a change
    to or from summer time.
    """
    local = as_of.astimezone()
    year, month = local.year, local.month
    ends: list[datetime] = []
    for _ in range(months):
        first = datetime(year, month, 1).astimezone()
        ends.append(first - timedelta(microseconds=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


def next_step(history: History, modules: Mapping[str, ModuleResult], config: Config) -> NextStep:
    """The one thing to do next, from the findings and the state of the relationship."""
    client = history.client
    if client.stage is Stage.FORMER:
        return NextStep(
            Action.NONE,
            "This relationship has ended. If you have not yet, take the lesson with a short "
            "post-mortem: relog mistakes.",
        )
    acting = [f for result in modules.values() for f in result.findings if f.action is not None]
    delivering = [f for f in acting if f.action is Action.DELIVER]
    if delivering:
        first = min(delivering, key=lambda f: SEVERITY_ORDER[f.severity])
        return NextStep(Action.DELIVER, first.advice)
    waiting = [r for r in history.requests if r.open_at(history.as_of)]
    if waiting:
        items = sorted({r.item.value for r in waiting})
        since = min(r.asked_at for r in waiting)
        return NextStep(
            Action.DELIVER,
            f"They asked for {', '.join(items)} on {since.astimezone():%Y-%m-%d}; send it "
            f"while the request is fresh, and log it with --gave {','.join(items)}.",
        )
    thinking = thinking_until(history, config)
    if thinking is not None:
        return NextStep(
            Action.LET_THINK,
            f"They asked for time to think; give them until {thinking.astimezone():%Y-%m-%d} "
            "and let them come back to you.",
            thinking,
        )
    waiting_for_them = waiting_for_answer(history, config)
    if waiting_for_them is not None and not any(f.action is Action.WAIT for f in acting):
        return waiting_for_them
    if acting:
        best = min(
            acting,
            key=lambda f: (
                ACTION_ORDER.index(f.action) if f.action else len(ACTION_ORDER),
                SEVERITY_ORDER[f.severity],
            ),
        )
        assert best.action is not None
        return NextStep(best.action, best.advice)
    contacts = history.contacts
    if client.source is Source.REFERRAL and client.stage.is_pipeline and not contacts:
        who = f" {client.referred_by}" if client.referred_by else " the person who referred them"
        return NextStep(
            Action.WAIT,
            f"A referral is best left to call you: ask{who} to pass your details on.",
        )
    upcoming = [e.next_at for e in history.interactions if e.next_at and e.next_at > history.as_of]
    if upcoming:
        when = min(upcoming)
        if when.astimezone().date() <= history.as_of.astimezone().date():
            return NextStep(
                Action.CALL, f"Contact them today at {when.astimezone():%H:%M}, as agreed.", when
            )
        return NextStep(
            Action.NONE,
            f"Your next contact is agreed for {when.astimezone():%Y-%m-%d %H:%M}; "
            "until then, leave the next move to them.",
            when,
        )
    if client.stage is Stage.ACTIVE:
        due = contact_due(history, config)
        if due is not None and due > history.as_of:
            return NextStep(
                Action.NONE,
                f"All is in order; be in touch again by {due.astimezone():%Y-%m-%d}.",
                due,
            )
    return NextStep(Action.NONE, "All is in order; nothing needs doing today.")


def waiting_for_answer(history: History, config: Config) -> NextStep | None:
    """Waiting for an answer: the last contact is an attempt of yours, still recent.

    After a missed agreed call, the one useful move is a single message that
    offers a new time; after any other unanswered attempt, it is to wait. Recent
    means within the client's cadence; after that, the other rules speak.
    """
    contacts = [entry for entry in history.interactions if entry.is_contact]
    if not contacts or not contacts[-1].unanswered_attempt:
        return None
    last = contacts[-1]
    if (history.as_of - last.at).days >= cadence_days(history.client, config):
        return None
    day = f"{last.at.astimezone():%Y-%m-%d}"
    if last.agreed and last.kind in (Kind.CALL, Kind.MEETING):
        return NextStep(
            Action.WAIT,
            f"They missed the {last.kind.value} you agreed on for {day}. Send one short "
            "message offering a new time, then wait for them to answer.",
        )
    return NextStep(
        Action.WAIT,
        f"Your {last.kind.value} on {day} has had no answer yet; give them time to get "
        "back to you rather than trying again.",
    )


def as_it_stood(
    client: ClientData, entries: Sequence[InteractionData], as_of: datetime
) -> ClientData | None:
    """The client as the journal knew them at `as_of`, or None if they were not in it yet.

    A relationship began when the client was added or at their first entry,
    whichever is earlier (contacts are often logged after the fact). The journal
    keeps when a relationship ended but not every change of stage, so a client
    who ended after `as_of` is taken to have been active then.
    """
    starts = [
        moment for moment in (client.created_at, entries[0].at if entries else None) if moment
    ]
    if starts and min(starts) > as_of:
        return None
    if client.stage is Stage.FORMER and client.ended_at is not None and client.ended_at > as_of:
        return replace(client, stage=Stage.ACTIVE, ended_at=None, end_reason=None)
    return client


def review_portfolio(
    clients: Sequence[ClientData],
    histories: Mapping[int, Sequence[InteractionData]],
    mistakes: Sequence[MistakeData],
    as_of: datetime,
    config: Config,
    *,
    meetings: Mapping[date, int] | None = None,
) -> PortfolioReview:
    """Review every open relationship, and the business as a whole, at `as_of`."""
    stood = (as_it_stood(c, histories.get(c.id, ()), as_of) for c in clients)
    existing = [c for c in stood if c is not None]
    open_ = [c for c in existing if c.stage is not Stage.FORMER]
    reviews = sorted(
        (
            review_client(c, histories.get(c.id, ()), as_of, config, meetings=meetings)
            for c in open_
        ),
        key=lambda r: (r.health, ACTION_ORDER.index(r.next_step.action), r.client.name.casefold()),
    )
    portfolio = PORTFOLIO_MODULE(
        Portfolio(
            as_of=as_of,
            clients=tuple(existing),
            histories={c.id: tuple(histories.get(c.id, ())) for c in existing},
            mistakes=tuple(m for m in mistakes if m.created_at <= as_of),
        ),
        config,
    )
    return PortfolioReview(as_of, tuple(reviews), portfolio, _agenda(reviews))


def _agenda(reviews: Sequence[ClientReview]) -> Agenda:
    def having(*codes: str) -> tuple[ClientReview, ...]:
        return tuple(r for r in reviews if any(f.code in codes for f in r.findings))

    def doing(*actions: Action) -> tuple[ClientReview, ...]:
        return tuple(r for r in reviews if r.next_step.action in actions)

    left_alone = doing(Action.WAIT, Action.LET_THINK)
    calm = {r.client.id for r in left_alone}
    going_dark = tuple(r for r in having("ATT001") if r.client.id not in calm)
    dark = {r.client.id for r in going_dark}
    return Agenda(
        follow_up=tuple(r for r in doing(Action.CALL) if r.client.id not in dark),
        leave_alone=left_alone,
        deliver=having("TRU001"),
        going_dark=going_dark,
    )
