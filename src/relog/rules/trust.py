"""Trust: it is built in steps.

Trust grows when you deliver what people ask for (references, material,
prices, a serious answer to every question), when you take a step of your
own after meeting them, and when you show up on time with your full
attention. Reaching the sale is no reason to relax: a new client gets the
same care the prospect did. Trust cannot be forced, and a day packed with
meetings leaves little of you for anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from relog.domain import Item, Kind, Outcome, Stage
from relog.rules.base import (
    Action,
    Evidence,
    Family,
    Hit,
    Rule,
    Severity,
    ago,
    days_since,
    evidence,
    local_day,
    plural,
    ymd,
)
from relog.rules.examples import Example

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from datetime import date, datetime

    from relog.config import Config
    from relog.domain import InteractionData, Request
    from relog.rules.base import History

MODULE = "trust"
IDEA = "Trust is built in steps"

family = Family(MODULE, IDEA)
rule = family.rule

WHAT: dict[Item, str] = {
    Item.REFERENCES: "references (clients they can ask about you)",
    Item.MATERIALS: "written material",
    Item.PRICES: "prices",
    Item.PROFILE: "your company profile",
    Item.DETAILS: "more details",
    Item.QUESTION: "an answer to their question",
}


@dataclass(frozen=True, slots=True)
class Owed:
    """One item the client asked for and is still waiting on, with every ask of it not met."""

    item: Item
    asks: tuple[Request, ...]
    """The requests for this item still open, oldest first (a client may ask twice)."""

    @property
    def since(self) -> datetime:
        """When they first asked: how long it has waited is counted from here."""
        return self.asks[0].asked_at

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(Evidence(ask.asked_id, ask.asked_at) for ask in self.asks)


def owed(history: History) -> tuple[Owed, ...]:
    """What the client asked for and has not had by `as_of`, one per item, by its first ask.

    Only delivering the item itself closes a request (`derive_requests`): a
    brochure does not answer a request for references. A request delivered,
    even late, is closed; one made by a client who went quiet afterwards is not.
    """

    def work() -> tuple[Owed, ...]:
        waiting: dict[Item, list[Request]] = {}
        for request in history.requests:  # in the order they were asked
            if request.open_at(history.as_of):
                waiting.setdefault(request.item, []).append(request)
        return tuple(Owed(item, tuple(asks)) for item, asks in waiting.items())

    return history.fact("trust.owed", work)


def _is_late(waiting: Owed, history: History, config: Config) -> bool:
    return days_since(waiting.since, history.as_of) > config.trust.request_days


def _and(parts: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _about(items: Iterable[Item], things: str, question: str) -> str:
    """`items` in words: the things sent after `things` ("send"), then `question` if asked.

    'send prices and references', 'give their question a serious answer',
    'send prices and give their question a serious answer'.
    """
    chosen = sorted(items)
    sent = [WHAT[item] for item in chosen if item is not Item.QUESTION]
    parts = [f"{things} {_and(sent)}"] if sent else []
    if Item.QUESTION in chosen:
        parts.append(question)
    return _and(parts)


def _deliver(items: Sequence[Item], timing: str) -> str:
    """The advice to deliver `items`, `timing` ("now") after what to do."""
    steps = _about(items, "send", "give their question a serious answer")
    codes = ",".join(sorted(items))
    return f"{steps.capitalize()} {timing}, and log it with --gave {codes}."


def _asked_on(asks: Sequence[Request], as_of: datetime, again: str) -> str:
    """'on 2025-03-03, 5 days ago', then ', and again on 2025-03-06' for every later ask."""
    first, later = asks[0].asked_at, [ymd(ask.asked_at) for ask in asks[1:]]
    repeated = f", and {again}on {_and(later)}" if later else ""
    return f"on {ymd(first)}, {ago(first, as_of)}{repeated}"


def _late_message(waiting: Owed, as_of: datetime) -> str:
    if waiting.item is Item.QUESTION:
        opening = "An unanswered question" if len(waiting.asks) == 1 else "Unanswered questions"
        return f"{opening}: they asked {_asked_on(waiting.asks, as_of, '')}."
    when = _asked_on(waiting.asks, as_of, "again ")
    return f"They asked for {WHAT[waiting.item]} {when}, and it is not sent."


@rule(
    code="TRU001",
    symbol="request-open",
    severity=Severity.WARNING,
    escalation=Severity.ALERT,
    summary="Something the client asked for is still not delivered.",
    settings=("trust.request_days", "trust.request_alert_days"),
    explanation=(
        "Pairs everything a client asked for (references, materials, prices, profile, "
        "details, a question) with the first later entry that gave that same item: "
        "sending something else does not answer the request, and a request delivered "
        "late is closed. One item still waiting after request_days is a warning, after "
        "request_alert_days an alert, counted from the first time they asked, even if "
        "the client has been silent since. Saying 'fine' and never sending it costs "
        "more trust than saying no, and every question deserves a serious answer. "
        "Deliver it and log it with --gave."
    ),
    fires=(
        Example(
            "At the first meeting the prospect asked for references; five days on, none were sent",
            entries=("d0 meeting --by them --asked references",),
            at="d5",
            evidence=(1,),
        ),
        Example(
            "They asked for references and you sent your brochure instead",
            entries=("d0 meeting --by them --asked references", "d1 email --gave materials"),
            at="d4",
            evidence=(1,),
        ),
        Example(
            "A new client asked for more details and has been silent since: the details "
            "still wait on you, nine days on",
            client="--stage active",
            entries=("d0 email --by them --asked details",),
            at="d9",
            evidence=(1,),
        ),
        Example(
            "They asked a question at the meeting; three days on, it has no answer",
            entries=("d0 meeting --by them --asked question",),
            at="d3",
            evidence=(1,),
        ),
        Example(
            "They asked for prices, and had to ask again three days later",
            entries=("d0 call --by them --asked prices", "d3 email --by them --asked prices"),
            at="d4",
            evidence=(1, 2),
        ),
    ),
    quiet=(
        Example(
            "They asked for references and you sent them the next day",
            entries=("d0 meeting --by them --asked references", "d1 email --gave references"),
            at="d5",
        ),
        Example(
            "The prices went out late, on day five: the request is no longer open",
            entries=("d0 call --by them --asked prices", "d5 email --gave prices"),
            at="d6",
        ),
        Example(
            "They asked for prices yesterday: it is not late yet",
            entries=("d0 call --by them --asked prices",),
            at="d1",
        ),
        Example(
            "They asked a question on the call and you answered it there and then",
            entries=("d0 call --by them --asked question --gave question",),
            at="d5",
        ),
    ),
)
def request_open(history: History, config: Config) -> Iterator[Hit]:
    for waiting in owed(history):
        if not _is_late(waiting, history, config):
            continue
        yield Hit(
            message=_late_message(waiting, history.as_of),
            advice=_deliver([waiting.item], "now"),
            evidence=waiting.evidence,
            action=Action.DELIVER,
            escalated=days_since(waiting.since, history.as_of) > config.trust.request_alert_days,
        )


def _first_meeting(entries: Sequence[InteractionData]) -> int | None:
    """The index of the first meeting that took place, if any."""
    return next(
        (
            n
            for n, e in enumerate(entries)
            if e.kind is Kind.MEETING and e.outcome is Outcome.REACHED
        ),
        None,
    )


@rule(
    code="TRU002",
    symbol="no-trust-step-after-meeting",
    severity=Severity.WARNING,
    summary="No trust step since the first meeting.",
    settings=("trust.trust_step_days",),
    stages=(Stage.LEAD, Stage.PROSPECT, Stage.ACTIVE),
    explanation=(
        "Finds the first meeting that took place. When it is more than trust_step_days "
        "old and since then (the meeting included) you have neither given them anything "
        "(references, material, prices...) nor brought an initiative of your own, the "
        "relationship has not moved on. It judges leads and prospects, and clients you "
        "work for just as seriously: reaching the sale is no reason to relax. A paused or "
        "former relationship is past its first steps. Offer the names of clients who use "
        "your service, or send written material or more information by email."
    ),
    fires=(
        Example(
            "A first meeting with a prospect, and nothing given or offered in the eight days since",
            entries=("d0 meeting --by them",),
            at="d8",
            evidence=(1,),
        ),
        Example(
            "A new client signed at the first meeting; they called with a question of "
            "logistics, and nothing else followed",
            client="--stage active",
            entries=("d0 meeting --by them -m 'signed'", "d4 call --by them"),
            at="d9",
            evidence=(1,),
        ),
        Example(
            "The idea after the meeting was the client's own, not yours",
            entries=("d0 meeting", "d3 call --by them --initiative"),
            at="d9",
            evidence=(1,),
        ),
        Example(
            "You noted an idea for them but never brought it to them",
            entries=("d0 meeting", "d2 note --initiative -m 'idea for their launch'"),
            at="d9",
            evidence=(1,),
        ),
    ),
    quiet=(
        Example(
            "They invited you to present, and you came with written material and prices",
            entries=("d0 meeting --by them --gave materials,prices",),
            at="d9",
        ),
        Example(
            "Two days after the first meeting you sent the names of clients who use your service",
            entries=("d0 meeting", "d2 email --gave references"),
            at="d9",
        ),
        Example(
            "A new client signed at the first meeting, and you followed with an idea for "
            "their launch",
            client="--stage active",
            entries=("d0 meeting --by them -m 'signed'", "d4 email --initiative"),
            at="d9",
        ),
        Example(
            "The first meeting was six days ago: still time for a step",
            entries=("d0 meeting --by them",),
            at="d6",
        ),
        Example(
            "A paused client: the work is on hold, past its first steps",
            client="--stage paused",
            entries=("d0 meeting --by them",),
            at="d30",
        ),
    ),
)
def no_trust_step_after_meeting(history: History, config: Config) -> Iterator[Hit]:
    entries = history.interactions
    met = _first_meeting(entries)
    if met is None:
        return
    first = entries[met]
    if days_since(first.at, history.as_of) <= config.trust.trust_step_days:
        return
    if any(entry.trust_step for entry in entries[met:]):
        return
    yield Hit(
        message=(
            f"You first met {history.client.name} on {ymd(first.at)}, "
            f"{ago(first.at, history.as_of)}, and have taken no trust step since: "
            "nothing given, no initiative."
        ),
        advice=(
            "Take a step that builds trust: offer the names of clients who already use your "
            "service, or send written material or more information by email; log it with "
            "--gave (or --initiative for an idea of your own)."
        ),
        evidence=evidence(first),
        action=Action.INITIATIVE,
    )


@rule(
    code="TRU003",
    symbol="late-to-meeting",
    severity=Severity.WARNING,
    summary="You were late to a meeting.",
    settings=("trust.lookback_days",),
    explanation=(
        "Every meeting you were late to within lookback_days. Being on time is the first "
        "thing a client learns about you. Leave a margin before every meeting: the one "
        "before it may start late or run long."
    ),
    fires=(
        Example(
            "You arrived late to the first meeting with a prospect",
            entries=("d0 meeting --by them --late",),
            at="d1",
            evidence=(1,),
        ),
        Example(
            "Late to a meeting with a client you work for, material in hand",
            client="--stage active",
            entries=("d0 meeting --gave materials", "d20 meeting --late --gave prices"),
            at="d21",
            evidence=(2,),
        ),
    ),
    quiet=(
        Example(
            "On time to the first meeting",
            entries=("d0 meeting --by them",),
            at="d1",
        ),
        Example(
            "Late once, more than lookback_days ago",
            client="--stage active",
            entries=("d0 meeting --late",),
            at="d91",
        ),
    ),
)
def late_to_meeting(history: History, config: Config) -> Iterator[Hit]:
    for entry in history.within(config.trust.lookback_days):
        if entry.late:
            yield Hit(
                message=(
                    f"You were late to the meeting with {history.client.name} on {ymd(entry.at)}."
                ),
                advice=(
                    "Leave a margin before every meeting, since the one before it may start "
                    "late or run long, and aim to arrive early; if you are late anyway, say "
                    "sorry plainly."
                ),
                evidence=evidence(entry),
            )


def _meeting_days(history: History, config: Config) -> dict[date, list[InteractionData]]:
    """This client's meetings within lookback_days that were not cancelled, by local day."""
    recent = history.within(config.trust.lookback_days)
    meetings = [e for e in recent if e.kind is Kind.MEETING and e.outcome is not Outcome.CANCELLED]
    return {day: list(group) for day, group in groupby(meetings, key=local_day)}


_ROAD = ("Omer --stage prospect", "Noa --stage prospect", "Gil --stage active", "Tal --stage lead")
"""The other clients of a day on the road."""


@rule(
    code="TRU004",
    symbol="overloaded-day",
    severity=Severity.WARNING,
    summary="A meeting with the client fell on a day with too many meetings.",
    settings=("trust.max_meetings_per_day", "trust.lookback_days"),
    explanation=(
        "Counts the meetings in your whole journal (every client, none cancelled) on each "
        "day this client had a meeting, within lookback_days. More than "
        "max_meetings_per_day means each one got less of you: quality, not quantity. "
        "Book fewer meetings a day, with a margin after each, since meetings start late "
        "and run long."
    ),
    fires=(
        Example(
            "A day of five meetings on the road, one of them with this client",
            others=_ROAD,
            entries=(
                "d0 09:00 meeting",
                "Omer: d0 10:00 meeting",
                "Noa: d0 11:00 meeting",
                "Gil: d0 12:00 meeting",
                "Tal: d0 13:00 meeting",
            ),
            at="d1",
            evidence=(1,),
        ),
        Example(
            "Two meetings with this client on a day of five",
            others=_ROAD[:3],
            entries=(
                "d0 09:00 meeting",
                "Omer: d0 10:00 meeting",
                "Noa: d0 11:00 meeting",
                "Gil: d0 12:00 meeting",
                "d0 13:00 meeting --by them",
            ),
            at="d1",
            evidence=(1, 5),
        ),
    ),
    quiet=(
        Example(
            "The same day on the road, with one of the other meetings cancelled",
            others=_ROAD,
            entries=(
                "d0 09:00 meeting",
                "Omer: d0 10:00 meeting",
                "Noa: d0 11:00 meeting",
                "Gil: d0 12:00 meeting",
                "Tal: d0 13:00 meeting --outcome cancelled",
            ),
            at="d1",
        ),
        Example(
            "A full day of other meetings, on which this client's meeting was cancelled",
            others=_ROAD,
            entries=(
                "d0 09:00 meeting --outcome cancelled",
                "Omer: d0 10:00 meeting",
                "Noa: d0 11:00 meeting",
                "Gil: d0 12:00 meeting",
                "Tal: d0 13:00 meeting",
                "Omer: d0 14:00 meeting",
            ),
            at="d1",
        ),
        Example(
            "A day of five meetings, more than lookback_days ago",
            others=_ROAD,
            entries=(
                "d0 09:00 meeting",
                "Omer: d0 10:00 meeting",
                "Noa: d0 11:00 meeting",
                "Gil: d0 12:00 meeting",
                "Tal: d0 13:00 meeting",
            ),
            at="d91",
        ),
    ),
)
def overloaded_day(history: History, config: Config) -> Iterator[Hit]:
    most = config.trust.max_meetings_per_day
    for day, meetings in _meeting_days(history, config).items():
        load = history.meetings_per_day.get(day, 0)
        if load <= most:
            continue
        yield Hit(
            message=(
                f"On {day:%Y-%m-%d} you had {plural(load, 'meeting')} in one day, "
                f"{len(meetings)} of them with {history.client.name}."
            ),
            advice=(
                f"Book no more than {plural(most, 'meeting')} a day and leave a margin after "
                "each, since meetings start late and run long, so every client gets your "
                "full attention."
            ),
            evidence=evidence(*meetings),
        )


@rule(
    code="TRU005",
    symbol="request-waiting",
    severity=Severity.NOTE,
    summary="Something the client asked for is waiting, still within its time.",
    settings=("trust.request_days",),
    explanation=(
        "A request of the client's (see TRU001) that is still open but not yet "
        "request_days old: no fault yet, and the next step. One note for each entry "
        "where they asked, naming what is still waiting from it; it is due when it would "
        "become late. Send it while the request is fresh."
    ),
    fires=(
        Example(
            "At the meeting they asked for references and prices; the next morning, nothing "
            "is sent yet",
            entries=("d0 meeting --by them --asked references,prices",),
            at="d1",
            evidence=(1,),
        ),
        Example(
            "They emailed a question an hour ago",
            entries=("d0 email --by them --asked question",),
            at="d0 11:00",
            evidence=(1,),
        ),
        Example(
            "They asked for prices and your profile; the prices went out, the profile waits",
            entries=("d0 call --by them --asked prices,profile", "d0 15:00 email --gave prices"),
            at="d1",
            evidence=(1,),
        ),
    ),
    quiet=(
        Example(
            "They asked for references and prices, and you sent both that afternoon",
            entries=(
                "d0 meeting --by them --asked references,prices",
                "d0 16:00 email --gave references,prices",
            ),
            at="d1",
        ),
        Example(
            "Three days on, the request is no longer fresh: it is late (TRU001)",
            entries=("d0 meeting --by them --asked references,prices",),
            at="d3",
        ),
        Example(
            "A question asked and answered on the spot",
            entries=("d0 call --by them --asked question --gave question",),
            at="d0 12:00",
        ),
    ),
)
def request_waiting(history: History, config: Config) -> Iterator[Hit]:
    fresh = [w for w in owed(history) if not _is_late(w, history, config)]
    for _, group in groupby(fresh, key=lambda w: w.asks[0].asked_id):
        waiting = list(group)
        asked_at = waiting[0].since
        due = asked_at + timedelta(days=config.trust.request_days)
        items = [w.item for w in waiting]
        yield Hit(
            message=(
                f"They {_about(items, 'asked for', 'asked a question')} on {ymd(asked_at)}, "
                f"{ago(asked_at, history.as_of)}, and are waiting for {_awaited(items)}."
            ),
            advice=_deliver(items, f"while the request is fresh (by {ymd(due)})"),
            evidence=tuple(sorted({e for w in waiting for e in w.evidence}, key=_by_moment)),
            action=Action.DELIVER,
            when=due,
        )


def _awaited(items: Sequence[Item]) -> str:
    """What they are waiting for: 'your answer', 'it' or 'them'."""
    if list(items) == [Item.QUESTION]:
        return "your answer"
    return "it" if len(items) == 1 else "them"


def _by_moment(proof: Evidence) -> tuple[datetime, int]:
    return proof.at, proof.id


RULES: tuple[Rule, ...] = tuple(family.rules)
evaluate = family.evaluate
