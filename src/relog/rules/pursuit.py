"""Pursuit: follow-up is not pursuit.

A call at a time the client agreed to is service. Attempt after attempt that
nobody answers is chasing someone who does not want to be caught, and it holds
at every stage, from a lead to a long-standing client. So does contacting
someone inside the time they asked for to think it over.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from relog.domain import By, Kind
from relog.rules.base import (
    Action,
    Finding,
    ModuleResult,
    Rule,
    Severity,
    days_since,
    evidence,
    penalty,
    score_from,
    times,
    ymd,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from relog.config import Config, Pursuit
    from relog.domain import InteractionData
    from relog.rules.base import History

MODULE = "pursuit"
IDEA = "Follow-up is not pursuit"

RULES: tuple[Rule, ...] = (
    Rule(
        code="PUR001",
        symbol="chasing",
        module=MODULE,
        severity=Severity.WARNING,
        summary="Unanswered attempts in a row since the client last answered.",
        idea=IDEA,
        settings=("pursuit.chase_streak", "pursuit.alert_streak"),
        explanation=(
            "Counts the unanswered calls, emails and messages you started since the client "
            "last answered or got in touch. At chase_streak it is a warning, at alert_streak "
            "an alert: you are chasing. Stop trying; leave one short note that the door is "
            "open and wait for them to come back."
        ),
    ),
    Rule(
        code="PUR002",
        symbol="chased-after-missed-agreed-call",
        module=MODULE,
        severity=Severity.ALERT,
        summary="More attempts after the client missed an agreed call.",
        idea=IDEA,
        settings=(),
        explanation=(
            "Within the current run of unanswered attempts, looks for an agreed call the "
            "client did not take, followed by more attempts that were not agreed. One email "
            "or message right after it, offering a new time, is follow-up and is not "
            "counted (here or in PUR001); another call, or a second message, is pursuit. "
            "Offer a new time once, then wait for their answer."
        ),
    ),
    Rule(
        code="PUR003",
        symbol="contacted-while-thinking",
        module=MODULE,
        severity=Severity.WARNING,
        summary="You contacted a client inside the time they asked for to think.",
        idea=IDEA,
        settings=("pursuit.think_days",),
        explanation=(
            "For every entry where the client asked for time to think, the thinking time runs "
            "to the agreed next contact, or think_days without one. A contact you started "
            "inside it, not agreed, before they came back to you, pressed them; delivering "
            "something they had asked for (logged with --gave) is respect, not pressure, and "
            "does not count. Respect the time they asked for and let them come back to you."
        ),
    ),
    Rule(
        code="PUR004",
        symbol="agreed-follow-up-due",
        module=MODULE,
        severity=Severity.INFO,
        summary="A follow-up you agreed on is past due.",
        idea=IDEA,
        settings=("pursuit.followup_grace_days",),
        explanation=(
            "Looks at the latest entry with an agreed next contact. When that date is more "
            "than followup_grace_days past and no contact was logged from the day before it, "
            "the follow-up was missed. They expect it: it is follow-up, not pursuit, so make "
            "the call."
        ),
    ),
)


def _answered(entry: InteractionData) -> bool:
    """The client took part: they got in touch, or answered, replied or met."""
    return entry.is_contact and (entry.by is By.THEM or entry.two_way)


def _thinking_end(asked: InteractionData, settings: Pursuit) -> datetime:
    """When the thinking time asked for in `asked` ends: the agreed date, or think_days."""
    return asked.next_at or asked.at + timedelta(days=settings.think_days)


def thinking_until(history: History, config: Config) -> datetime | None:
    """The end of the time the client asked for to think, while it still runs.

    The latest entry where they asked to think (`think`) sets it: until its
    agreed next contact, or `pursuit.think_days` without one. None once that
    moment is past at `as_of`, once the client has come back (a contact they
    started after it), or when they never asked.
    """
    entries = history.interactions
    index = next((n for n in range(len(entries) - 1, -1, -1) if entries[n].think), None)
    if index is None:
        return None
    until = _thinking_end(entries[index], config.pursuit)
    if until <= history.as_of or any(_came_back(entry) for entry in entries[index + 1 :]):
        return None
    return until


def _came_back(entry: InteractionData) -> bool:
    """A contact the client started: the end of any thinking time."""
    return entry.is_contact and entry.by is By.THEM


def _streak(contacts: Sequence[InteractionData]) -> tuple[InteractionData | None, list[int]]:
    """The client's last answer and the indexes of your unanswered attempts after it."""
    attempts: list[int] = []
    for index in range(len(contacts) - 1, -1, -1):
        entry = contacts[index]
        if _answered(entry):
            return entry, attempts[::-1]
        if entry.unanswered_attempt:
            attempts.append(index)
    return None, attempts[::-1]


def _excusing_new_time_offers(streak: list[InteractionData]) -> list[InteractionData]:
    """The streak without the one message that offers a new time after a missed agreed call.

    That message is what relog advises after a missed agreed call, so it is
    follow-up, not pursuit; a call, or a second message, is not excused.
    """
    kept: list[InteractionData] = []
    for position, entry in enumerate(streak):
        offer = (
            position > 0
            and streak[position - 1].agreed
            and not entry.agreed
            and entry.kind in (Kind.EMAIL, Kind.MESSAGE)
        )
        if not offer:
            kept.append(entry)
    return kept


def _more(count: int) -> str:
    """'once more', 'twice more', '3 more times'."""
    return {1: "once more", 2: "twice more"}.get(count, f"{count} more times")


def evaluate(history: History, config: Config) -> ModuleResult:
    settings = config.pursuit
    client = history.client
    as_of = history.as_of
    entries = history.interactions
    contacts = history.contacts
    findings: list[Finding] = []

    last_answer, indexes = _streak(contacts)
    streak = _excusing_new_time_offers([contacts[i] for i in indexes])
    if len(streak) >= settings.alert_streak:
        severity: Severity | None = Severity.ALERT
    elif len(streak) >= settings.chase_streak:
        severity = Severity.WARNING
    else:
        severity = None
    if severity is not None:
        since = (
            f"since they last answered on {ymd(last_answer.at)}"
            if last_answer
            else "and they have never answered"
        )
        began_on, ended_on = ymd(streak[0].at), ymd(streak[-1].at)
        span = f"on {began_on}" if began_on == ended_on else f"{began_on} to {ended_on}"
        run = "once" if len(streak) == 1 else f"{times(len(streak))} in a row"
        findings.append(
            Finding(
                code="PUR001",
                severity=severity,
                message=f"You tried {client.name} {run} without an answer ({span}), {since}.",
                advice=(
                    "Stop calling and writing. Leave one short message that the door is open "
                    "and let them come back to you."
                ),
                evidence=evidence(*streak),
                penalty=penalty(config, severity),
                action=Action.WAIT,
            )
        )

    for position, attempt in enumerate(streak):
        if not attempt.agreed:
            continue
        after = [entry for entry in streak[position + 1 :] if not entry.agreed]
        if after:
            findings.append(
                Finding(
                    code="PUR002",
                    severity=Severity.ALERT,
                    message=(
                        f"{client.name} missed the {attempt.kind.value} you agreed on for "
                        f"{ymd(attempt.at)}, and you tried {_more(len(after))} after it "
                        f"(last on {ymd(after[-1].at)})."
                    ),
                    advice=(
                        "A missed agreed call is their answer for now. Offer one new time in a "
                        "single message and wait for them to reply."
                    ),
                    evidence=evidence(attempt, *after),
                    penalty=penalty(config, Severity.ALERT),
                    action=Action.WAIT,
                )
            )
            break

    delivered = history.delivered
    still_thinking = thinking_until(history, config)
    thinks = [entry for entry in entries if entry.think]
    latest_think = thinks[-1] if thinks else None
    for index, asked in enumerate(entries):
        if not asked.think:
            continue
        until = _thinking_end(asked, settings)
        intrusions: list[InteractionData] = []
        for later in range(index + 1, len(entries)):
            entry = entries[later]
            if entry.at >= until or _came_back(entry):
                break
            if entry.is_contact and not entry.agreed and entry.id not in delivered:
                intrusions.append(entry)
        if not intrusions:
            continue
        running = asked is latest_think and still_thinking is not None
        first = ymd(intrusions[0].at)
        when = f"on {first}" if len(intrusions) == 1 else f"first on {first}"
        findings.append(
            Finding(
                code="PUR003",
                severity=Severity.WARNING,
                message=(
                    f"On {ymd(asked.at)} {client.name} asked for time to think, until "
                    f"{ymd(until)}; you contacted them {times(len(intrusions))} "
                    f"before they came back ({when})."
                ),
                advice=(
                    f"Give them the time they asked for: no contact before {ymd(until)} unless "
                    "they get in touch. Meanwhile, prepare what could help them decide."
                    if running
                    else "Next time someone asks to think, agree when you will talk again and "
                    "leave them alone until then."
                ),
                evidence=evidence(asked, *intrusions),
                penalty=penalty(config, Severity.WARNING),
                action=Action.LET_THINK if running else None,
            )
        )

    plan = next((entry for entry in reversed(entries) if entry.next_at is not None), None)
    if plan is not None and plan.next_at is not None:
        due = plan.next_at
        answered_from = due - timedelta(days=1)
        if days_since(due, as_of) > settings.followup_grace_days and not any(
            entry.at >= answered_from for entry in reversed(contacts)
        ):
            findings.append(
                Finding(
                    code="PUR004",
                    severity=Severity.INFO,
                    message=(
                        f"You agreed on {ymd(plan.at)} to contact {client.name} on {ymd(due)}, "
                        f"and nothing is logged since; that is follow-up, not pursuit."
                    ),
                    advice="Make the contact you agreed on: they are expecting it.",
                    evidence=evidence(plan),
                    penalty=penalty(config, Severity.INFO),
                    action=Action.CALL,
                )
            )

    found = tuple(findings)
    return ModuleResult(MODULE, score_from(found), found)
