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
    BillData,
    ClientData,
    InteractionData,
    MistakeData,
    Stage,
    began_at,
)
from relog.rules import CLIENT_MODULES, CLIENT_SCORES, PORTFOLIO_MODULE, pursuit
from relog.rules.base import (
    Action,
    Finding,
    History,
    ModuleResult,
    Portfolio,
    Severity,
    first_moment,
)
from relog.rules.portfolio import dependence

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from relog.config import Config

SEVERITY_ORDER = {Severity.ALERT: 0, Severity.WARNING: 1, Severity.INFO: 2, Severity.NOTE: 3}
ACTION_ORDER = [
    Action.ANSWER,
    Action.DELIVER,
    Action.LET_THINK,
    Action.WAIT,
    Action.CALL,
    Action.TALK,
    Action.INITIATIVE,
    Action.POSTMORTEM,
    Action.NONE,
]
"""Which next step wins when several apply: answering a client who tried to reach
you comes first, then what they asked for, even while they think it over or while
you wait for them to answer."""


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
    code: str | None = None
    """The finding it comes from, if any."""
    whom: str | None = None

    @classmethod
    def of(cls, finding: Finding) -> NextStep:
        assert finding.action is not None
        return cls(finding.action, finding.advice, finding.when, finding.code, finding.whom)


ALL_IN_ORDER = NextStep(Action.NONE, "All is in order; nothing needs doing today.")


@dataclass(frozen=True, slots=True)
class TrendPoint:
    at: datetime
    health: int | None


@dataclass(frozen=True, slots=True)
class ClientReview:
    client: ClientData
    as_of: datetime
    health: int | None
    """None when nothing is logged with the client yet: there is nothing to judge."""
    modules: dict[str, ModuleResult]
    terms: tuple[Term, ...]
    next_step: NextStep
    trend: tuple[TrendPoint, ...] = ()
    judged_at: datetime | None = None
    """The moment the rules judged: `as_of`, or the end of a relationship that ended."""

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
    """Today's short list across the portfolio: each relationship under its next step.

    A client who tried to reach you and is waiting for your answer tops it.
    """

    answer: tuple[ClientReview, ...]
    deliver: tuple[ClientReview, ...]
    follow_up: tuple[ClientReview, ...]
    going_dark: tuple[ClientReview, ...]
    talk: tuple[ClientReview, ...]
    leave_alone: tuple[ClientReview, ...]


@dataclass(frozen=True, slots=True)
class PortfolioReview:
    as_of: datetime
    reviews: tuple[ClientReview, ...]
    portfolio: ModuleResult
    agenda: Agenda
    largest: Largest | None = None


@dataclass(frozen=True, slots=True)
class Largest:
    """What losing the largest client would cost: their share of the recent business."""

    client: ClientData
    measure: str
    """"income" (hundredths of the journal's currency) or "contacts" (a count)."""
    held: int
    total: int
    window_days: int

    @property
    def share(self) -> float:
        return self.held / self.total

    @property
    def left(self) -> int:
        """What would be left without them."""
        return self.total - self.held


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
    scores = {name: result.score if result.applicable else None for name, result in results.items()}
    weights, contributions, health = _weighed(scores, config)
    terms = tuple(
        Term(
            module=name,
            score=result.score,
            weight=weights[name],
            contribution=contributions[name],
            applicable=result.applicable,
            findings=result.findings,
        )
        for name, result in results.items()
    )
    return results, health, terms


def health_of(history: History, config: Config) -> int:
    """The weighted health `evaluate` gives, from the modules' scores alone (no finding
    is made once a module's score is 0): for the points of the trend."""
    scores = {name: score(history, config) for name, score in CLIENT_SCORES.items()}
    return _weighed(scores, config)[2]


def _weighed(
    scores: Mapping[str, int | None], config: Config
) -> tuple[dict[str, float], dict[str, float], int]:
    """Each module's weight and share of the health, and the health: the weighted mean of
    the applicable modules' `scores` (None: not applicable), 100 when none counts."""
    weights = {name: float(getattr(config.weights, name)) for name in scores}
    counted = {n: w for n, w in weights.items() if scores[n] is not None and w > 0}
    total = sum(counted.values())
    contributions = {
        name: (score * counted[name] / total) if name in counted and score is not None else 0.0
        for name, score in scores.items()
    }
    health = round(sum(contributions.values())) if total else 100
    return weights, contributions, health


def review_client(
    client: ClientData,
    entries: Sequence[InteractionData],
    as_of: datetime,
    config: Config,
    *,
    meetings: Mapping[date, int] | None = None,
    trend_months: int = 0,
    postmortems: Sequence[MistakeData] = (),
) -> ClientReview:
    """Review one relationship as it stood at `as_of`.

    `entries` are the client's interactions oldest first; any after `as_of`
    are ignored, so a review can be reproduced later. With `trend_months`, the
    health at each of the last month ends is computed the same way. A
    relationship that ended is judged as it stood when it ended, and its only
    open question is the post-mortem (`postmortems`: the client's saved ones).
    """
    ended = _ended_by(client, as_of)
    judged_at = ended or as_of
    judged = as_it_was(client) if ended else client
    history = History(judged, up_to(entries, judged_at), judged_at, meetings or {})
    modules, score, terms = evaluate(history, config)
    health = score if history.contacts else None
    trend: tuple[TrendPoint, ...] = ()
    if trend_months:
        trend = tuple(
            _trend_point(history, entries, moment, config)
            for moment in month_ends(as_of, trend_months)
            if moment <= judged_at
        ) + (TrendPoint(judged_at, health),)
    if ended:
        modules = {name: _without_actions(result) for name, result in modules.items()}
        terms = tuple(replace(term, findings=modules[term.module].findings) for term in terms)
        step = postmortem_step(client, postmortems)
    else:
        step = next_step(modules)
    return ClientReview(
        client=client,
        as_of=as_of,
        health=health,
        modules=modules,
        terms=terms,
        next_step=step,
        trend=trend,
        judged_at=judged_at,
    )


def _ended_by(client: ClientData, as_of: datetime) -> datetime | None:
    """When the relationship ended, if it had by `as_of`."""
    if client.stage is Stage.FORMER and client.ended_at is not None:
        return min(client.ended_at, as_of)
    return None


def as_it_was(client: ClientData) -> ClientData:
    """A former client as they were while the relationship ran (the journal keeps no
    earlier stage, so: active)."""
    return replace(client, stage=Stage.ACTIVE, ended_at=None, end_reason=None)


def _without_actions(result: ModuleResult) -> ModuleResult:
    """A finding about a relationship that ended says how it stood, not what to do."""
    return replace(
        result,
        findings=tuple(replace(f, action=None, when=None) for f in result.findings),
        notes=(),
    )


def postmortem_step(client: ClientData, postmortems: Sequence[MistakeData]) -> NextStep:
    """The one open question of a relationship that ended: its post-mortem."""
    saved = [m for m in postmortems if m.client_id == client.id]
    if not saved:
        return NextStep(
            Action.POSTMORTEM,
            "This relationship has ended. Take the lesson while it is fresh with a short, "
            f'positive post-mortem: relog mistakes --client "{client.name}".',
        )
    latest = max(saved, key=lambda m: (m.created_at, m.id))
    if latest.plan and latest.done_at is None and latest.due is not None:
        plan = f"; its plan is due {latest.due.astimezone():%Y-%m-%d}"
    elif latest.plan and latest.done_at is None:
        plan = "; its plan is still open"
    else:
        plan = ""
    return NextStep(
        Action.NONE,
        f"This relationship has ended and its post-mortem (#{latest.id}) is saved{plan}. "
        "Put the freed time into finding the next client.",
        latest.due if plan else None,
    )


def _trend_point(
    history: History, entries: Sequence[InteractionData], moment: datetime, config: Config
) -> TrendPoint:
    """The health at `moment`, as `--as-of` would review it; None before the relationship
    began, or while nothing with the client was logged yet (nothing to judge).

    The history at `moment` is cut from the one under review (`History.earlier`),
    so the trend reads the journal once and shares what only grows with it.
    """
    then = as_it_stood(history.client, entries, moment)
    if then is None:
        return TrendPoint(moment, None)
    earlier = history.earlier(moment, then)
    if not earlier.contacts:
        return TrendPoint(moment, None)
    return TrendPoint(moment, health_of(earlier, config))


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


def next_step(modules: Mapping[str, ModuleResult]) -> NextStep:
    """The one thing to do next: the finding (or note) ranked first.

    Every finding and note that calls for an action is a candidate; the rank
    is the action's place in `ACTION_ORDER`, then the severity, then the points
    at stake. With nothing to do, all is in order.
    """
    candidates = [
        finding
        for result in modules.values()
        for finding in (*result.findings, *result.notes)
        if finding.action is not None
    ]
    if not candidates:
        return ALL_IN_ORDER
    return NextStep.of(min(candidates, key=rank))


def rank(finding: Finding) -> tuple[int, int, int, str]:
    assert finding.action is not None
    return (
        ACTION_ORDER.index(finding.action),
        SEVERITY_ORDER[finding.severity],
        -finding.penalty,
        finding.code,
    )


def waiting_for_answer(history: History, config: Config) -> NextStep | None:
    """Waiting for an answer to your last attempt (the PUR006 note), as a next step."""
    found = pursuit.waiting_for_answer_rule.judge(history, config)
    return NextStep.of(found[0]) if found else None


def as_it_stood(
    client: ClientData, entries: Sequence[InteractionData], as_of: datetime
) -> ClientData | None:
    """The client as the journal knew them at `as_of`, or None if they were not in it yet.

    A relationship began at the start date the user gave, else at the earlier
    of its first entry and the day the client was added (`began_at`: contacts are
    often logged after the fact). The journal keeps when a relationship ended
    but not every change of stage, so a client who ended after `as_of` is taken
    to have been active then.
    """
    began = began_at(client, first_moment(entries))
    if began is not None and began > as_of:
        return None
    if client.stage is Stage.FORMER and client.ended_at is not None and client.ended_at > as_of:
        return as_it_was(client)
    return client


def review_portfolio(
    clients: Sequence[ClientData],
    histories: Mapping[int, Sequence[InteractionData]],
    mistakes: Sequence[MistakeData],
    as_of: datetime,
    config: Config,
    *,
    meetings: Mapping[date, int] | None = None,
    bills: Sequence[BillData] = (),
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
        key=lambda r: (
            101 if r.health is None else r.health,
            ACTION_ORDER.index(r.next_step.action),
            r.client.name.casefold(),
        ),
    )
    business = Portfolio(
        as_of=as_of,
        clients=tuple(existing),
        histories={c.id: tuple(histories.get(c.id, ())) for c in existing},
        mistakes=tuple(m for m in mistakes if m.created_at <= as_of),
        bills=tuple(b for b in bills if b.at <= as_of),
    )
    return PortfolioReview(
        as_of,
        tuple(reviews),
        PORTFOLIO_MODULE(business, config),
        _agenda(reviews),
        _largest(business, config),
    )


def _largest(business: Portfolio, config: Config) -> Largest | None:
    held = dependence(business, config)
    largest = held.largest()
    if largest is None:
        return None
    client = next(c for c in business.clients if c.id == largest)
    return Largest(
        client, held.measure, held.held[largest], held.total, config.portfolio.window_days
    )


def _agenda(reviews: Sequence[ClientReview]) -> Agenda:
    """Each open relationship under the heading of its next step, the most urgent first.

    Today's work only: a call agreed for a later day, an initiative or a
    relationship in order is not on it. Out of touch (ATT001) is its own heading.
    """
    headings: dict[str, list[ClientReview]] = {name: [] for name in Agenda.__slots__}
    for review in sorted(reviews, key=_urgency):
        heading = _heading(review.next_step)
        if heading is not None:
            headings[heading].append(review)
    return Agenda(**{name: tuple(found) for name, found in headings.items()})


def _heading(step: NextStep) -> str | None:
    if step.code == "ATT001":
        return "going_dark"
    return {
        Action.ANSWER: "answer",
        Action.DELIVER: "deliver",
        Action.CALL: "follow_up",
        Action.TALK: "talk",
        Action.WAIT: "leave_alone",
        Action.LET_THINK: "leave_alone",
    }.get(step.action)


def _urgency(review: ClientReview) -> tuple[int, int, str]:
    """Within a heading: the oldest deadline first, then the poorest health."""
    when = review.next_step.when
    return (
        int(when.timestamp()) if when is not None else 0,
        101 if review.health is None else review.health,
        review.client.name.casefold(),
    )
