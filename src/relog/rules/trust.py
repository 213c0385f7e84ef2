"""Trust: it is built in steps.

Trust grows when you deliver what people ask for (references, material,
prices, a straight answer to every question), when you take a step of your
own after meeting them, and when you show up on time with your full attention.
It cannot be forced, and a day packed with meetings leaves none for anyone.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from operator import attrgetter
from typing import TYPE_CHECKING

from relog.domain import By, Item, Kind, Outcome
from relog.rules.base import (
    Action,
    Finding,
    ModuleResult,
    Rule,
    Severity,
    ago,
    days_since,
    evidence,
    penalty,
    plural,
    score_from,
    ymd,
)

if TYPE_CHECKING:
    from datetime import date, datetime

    from relog.config import Config
    from relog.domain import InteractionData
    from relog.rules.base import History

MODULE = "trust"
IDEA = "Trust is built in steps"

WHAT: dict[Item, str] = {
    Item.REFERENCES: "references (clients they can ask about you)",
    Item.MATERIALS: "written material",
    Item.PRICES: "prices",
    Item.PROFILE: "your company profile",
    Item.DETAILS: "more details",
    Item.QUESTION: "an answer to their question",
}

RULES: tuple[Rule, ...] = (
    Rule(
        code="TRU001",
        symbol="request-open",
        module=MODULE,
        severity=Severity.WARNING,
        summary="Something the client asked for is still not delivered.",
        idea=IDEA,
        settings=("trust.request_days", "trust.request_alert_days"),
        explanation=(
            "Pairs everything a client asked for (references, materials, prices, profile, "
            "details, a question) with the first later entry that gave it. One still open "
            "after request_days is a warning, after request_alert_days an alert. Saying "
            "'fine' and never sending it costs more trust than saying no. Deliver it and log "
            "it with --gave."
        ),
    ),
    Rule(
        code="TRU002",
        symbol="no-trust-step-after-meeting",
        module=MODULE,
        severity=Severity.WARNING,
        summary="No trust step since the first meeting.",
        idea=IDEA,
        settings=("trust.trust_step_days",),
        explanation=(
            "Finds the first meeting that took place. When it is more than trust_step_days "
            "old and you have neither given them anything (references, material, prices...) "
            "nor brought an initiative since, the relationship has not moved on. Offer the "
            "names of clients who use your service, or send useful material."
        ),
    ),
    Rule(
        code="TRU003",
        symbol="late-to-meeting",
        module=MODULE,
        severity=Severity.WARNING,
        summary="You were late to a meeting.",
        idea=IDEA,
        settings=("trust.lookback_days",),
        explanation=(
            "Every meeting you were late to within lookback_days. Being on time is the first "
            "thing a client learns about you. Leave buffer between meetings."
        ),
    ),
    Rule(
        code="TRU004",
        symbol="overloaded-day",
        module=MODULE,
        severity=Severity.WARNING,
        summary="A meeting with the client fell on a day with too many meetings.",
        idea=IDEA,
        settings=("trust.max_meetings_per_day", "trust.lookback_days"),
        explanation=(
            "Counts the meetings in your whole journal on each day this client had a "
            "meeting, within lookback_days. More than max_meetings_per_day means each one "
            "got less of you. Keep fewer meetings a day, with buffer between them."
        ),
    ),
)


def _request_message(item: Item, asked: InteractionData, as_of: datetime) -> str:
    waited = ago(asked.at, as_of)
    if item is Item.QUESTION:
        return f"An unanswered question: they asked on {ymd(asked.at)}, {waited}."
    return f"They asked for {WHAT[item]} on {ymd(asked.at)}, {waited}, and it is not sent."


def _entry(entries: tuple[InteractionData, ...], entry_id: int, at: datetime) -> InteractionData:
    """The entry with `entry_id`, found by its moment in the ordered history."""
    index = bisect.bisect_left(entries, at, key=_MOMENT)
    while entries[index].id != entry_id:
        index += 1
    return entries[index]


_MOMENT = attrgetter("at")


def evaluate(history: History, config: Config) -> ModuleResult:
    settings = config.trust
    client = history.client
    as_of = history.as_of
    entries = history.interactions
    findings: list[Finding] = []

    for request in history.requests:
        if not request.open_at(as_of):
            continue
        age = days_since(request.asked_at, as_of)
        if age <= settings.request_days:
            continue
        severity = Severity.ALERT if age > settings.request_alert_days else Severity.WARNING
        asked = _entry(entries, request.asked_id, request.asked_at)
        findings.append(
            Finding(
                code="TRU001",
                severity=severity,
                message=_request_message(request.item, asked, as_of),
                advice=(
                    "Answer their question properly, whatever you think of it, and log it with "
                    "--gave question."
                    if request.item is Item.QUESTION
                    else f"Send {WHAT[request.item]} now and log it with "
                    f"--gave {request.item.value}."
                ),
                evidence=evidence(asked),
                penalty=penalty(config, severity),
                action=Action.DELIVER,
            )
        )

    met = next(
        (
            n
            for n, e in enumerate(entries)
            if e.kind is Kind.MEETING and e.outcome is Outcome.REACHED
        ),
        None,
    )
    if met is not None:
        first = entries[met]
        age = days_since(first.at, as_of)
        since = entries[met:]
        stepped = any(e.by is By.ME and (e.gave or e.initiative) for e in since)
        if age > settings.trust_step_days and not stepped:
            findings.append(
                Finding(
                    code="TRU002",
                    severity=Severity.WARNING,
                    message=(
                        f"You first met {client.name} on {ymd(first.at)}, "
                        f"{ago(first.at, as_of)}, and have taken no trust step since: "
                        "nothing given, no initiative."
                    ),
                    advice=(
                        "Offer the names of clients who use your service, or send written "
                        "material or a useful idea; log it with --gave or --initiative."
                    ),
                    evidence=evidence(first),
                    penalty=penalty(config, Severity.WARNING),
                    action=Action.INITIATIVE,
                )
            )

    recent = history.within(settings.lookback_days)
    for entry in recent:
        if entry.late:
            findings.append(
                Finding(
                    code="TRU003",
                    severity=Severity.WARNING,
                    message=f"You were late to the meeting with {client.name} on {ymd(entry.at)}.",
                    advice=(
                        "Plan buffer before every meeting and arrive early; if you are late, "
                        "say sorry plainly."
                    ),
                    evidence=evidence(entry),
                    penalty=penalty(config, Severity.WARNING),
                    action=None,
                )
            )

    by_day: dict[date, list[InteractionData]] = defaultdict(list)
    for entry in recent:
        if entry.kind is Kind.MEETING and entry.outcome is not Outcome.CANCELLED:
            by_day[entry.at.astimezone().date()].append(entry)
    for day, meetings in by_day.items():
        load = history.meetings_per_day.get(day, 0)
        if load > settings.max_meetings_per_day:
            findings.append(
                Finding(
                    code="TRU004",
                    severity=Severity.WARNING,
                    message=(
                        f"On {day:%Y-%m-%d} you had {plural(load, 'meeting')} in one day, "
                        f"{len(meetings)} of them with {client.name}."
                    ),
                    advice=(
                        f"Keep to {settings.max_meetings_per_day} meetings a day or fewer, with "
                        "buffer between them, so each client gets your full attention."
                    ),
                    evidence=evidence(*meetings),
                    penalty=penalty(config, Severity.WARNING),
                    action=None,
                )
            )

    found = tuple(findings)
    return ModuleResult(MODULE, score_from(found), found)
