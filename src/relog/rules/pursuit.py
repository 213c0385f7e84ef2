"""Pursuit: follow-up is not pursuit.

A call at a time the client agreed to is service. Attempt after attempt that
nobody answers is chasing someone who does not want to be caught, and it holds
at every stage, from a lead to a long-standing client. So does contacting
someone inside the time they asked for to think it over.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import TYPE_CHECKING

from relog.domain import By, Kind, Stage
from relog.rules.attention import cadence_days
from relog.rules.base import (
    Action,
    Family,
    Hit,
    Rule,
    Severity,
    days_since,
    evidence,
    local_day,
    times,
    up_to_then,
    ymd,
)
from relog.rules.examples import Example

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from datetime import date, datetime

    from relog.config import Config, Pursuit
    from relog.domain import InteractionData
    from relog.rules.base import History

    _Thinking = tuple[InteractionData, datetime, tuple[InteractionData, ...]]
    """An entry where the client asked to think, when that time ends, and your contacts
    inside it."""

MODULE = "pursuit"
IDEA = "Follow-up is not pursuit"

family = Family(MODULE, IDEA)
rule = family.rule


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


def _approaches(history: History, streak: list[InteractionData]) -> list[list[InteractionData]]:
    """The streak as separate approaches to the client.

    With a client you work for (active or paused), the attempts of a day on
    which you brought them an opportunity (an entry of yours that day is
    logged as an initiative) are one approach through several channels: a
    call, then a dedicated email, then a message asking them to read it. That
    is service. With a lead or prospect, every attempt is an approach of its own.
    """
    if history.client.stage not in (Stage.ACTIVE, Stage.PAUSED):
        return [[entry] for entry in streak]
    opportunity_days = _opportunity_days(history)
    groups: list[list[InteractionData]] = []
    for entry in streak:
        day = local_day(entry)
        if groups and day in opportunity_days and local_day(groups[-1][-1]) == day:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def _opportunity_days(history: History) -> dict[date, datetime]:
    """The local days on which you brought the client an opportunity (an initiative of
    yours), each with the first moment you did."""

    def work() -> dict[date, datetime]:
        days: dict[date, datetime] = {}
        for entry in history.interactions:
            if entry.initiative and entry.by is By.ME:
                days.setdefault(local_day(entry), entry.at)
        return days

    return history.fact("pursuit.opportunity_days", work, cut=_days_then)


def _days_then(days: dict[date, datetime], then: History) -> dict[date, datetime]:
    return {day: first for day, first in days.items() if first <= then.as_of}


def _chase(history: History) -> tuple[InteractionData | None, list[list[InteractionData]]]:
    """The client's last answer and your unanswered approaches since (shared by PUR001/002)."""

    def work() -> tuple[InteractionData | None, list[list[InteractionData]]]:
        contacts = history.contacts
        last_answer, indexes = _streak(contacts)
        streak = _excusing_new_time_offers([contacts[i] for i in indexes])
        return last_answer, _approaches(history, streak)

    return history.fact("pursuit.chase", work)


@rule(
    code="PUR001",
    symbol="chasing",
    severity=Severity.WARNING,
    escalation=Severity.ALERT,
    summary="Unanswered attempts in a row since the client last answered.",
    settings=("pursuit.chase_streak", "pursuit.alert_streak"),
    explanation=(
        "Counts the unanswered calls, emails and messages you started since the client "
        "last answered or got in touch, whatever the channel of their answer. At "
        "chase_streak it is a warning, at alert_streak an alert: you are chasing. With a "
        "client you work for, attempts on one day that bring them one opportunity (one "
        "logged as an initiative) count as one approach: a call, a dedicated email and a "
        "message asking them to read it are service. With a lead or prospect each "
        "attempt counts. Stop trying; leave one short note that the door is open and "
        "wait for them to come back."
    ),
    fires=(
        Example(
            "A referred prospect agreed to talk, then took no call and no message",
            client="--stage prospect --source referral",
            entries=(
                "d0 call --by them",
                "d1 call --outcome no-answer",
                "d2 call --outcome no-answer",
                "d2 15:00 message",
            ),
            at="d3",
            evidence=(2, 3, 4),
        ),
        Example(
            "Three attempts in one day at a prospect who never answered, one opportunity",
            client="--stage prospect --source outbound",
            entries=(
                "d0 call --outcome no-answer --initiative",
                "d0 11:00 email",
                "d0 12:00 message",
            ),
            at="d1",
            evidence=(1, 2, 3),
        ),
        Example(
            "An active client answered nothing for two weeks",
            client="--stage active",
            entries=("d0 meeting", "d7 email", "d14 call --outcome no-answer"),
            at="d15",
            evidence=(2, 3),
        ),
    ),
    quiet=(
        Example(
            "One opportunity brought to an active client: a call, a dedicated email, a "
            "message asking them to read it, the same day",
            client="--stage active --cadence 7",
            entries=(
                "d0 meeting",
                "d3 call --outcome no-answer --initiative -m 'an editor wants them on air'",
                "d3 11:00 email -m 'the offer in full'",
                "d3 12:00 message -m 'please read my email'",
            ),
            at="d3 18:00",
        ),
        Example(
            "The client replied by email after two calls: the streak is over",
            client="--stage prospect",
            entries=(
                "d1 call --outcome no-answer",
                "d2 call --outcome no-answer",
                "d3 email --by them",
            ),
            at="d4",
        ),
        Example(
            "One unanswered attempt is not yet chasing",
            client="--stage prospect",
            entries=("d0 call --by them", "d2 email"),
            at="d3",
        ),
    ),
)
def chasing(history: History, config: Config) -> Iterator[Hit]:
    settings = config.pursuit
    last_answer, approaches = _chase(history)
    if len(approaches) < settings.chase_streak:
        return
    streak = [entry for approach in approaches for entry in approach]
    since = (
        f"since they last answered on {ymd(last_answer.at)}"
        if last_answer
        else "and they have never answered"
    )
    began_on, ended_on = ymd(streak[0].at), ymd(streak[-1].at)
    span = f"on {began_on}" if began_on == ended_on else f"{began_on} to {ended_on}"
    count = len(approaches)
    run = "once" if count == 1 else f"{times(count)} in a row"
    yield Hit(
        message=f"You tried {history.client.name} {run} without an answer ({span}), {since}.",
        advice=_chasing_advice(history),
        evidence=evidence(*streak),
        action=Action.WAIT,
        escalated=count >= settings.alert_streak,
    )


def _chasing_advice(history: History) -> str:
    if history.client.stage in (Stage.ACTIVE, Stage.PAUSED):
        return (
            "Stop sending more of the same. Send one short message asking when it suits "
            "them to talk, and if something is bothering them, offer to put it on the "
            "table; then wait for their answer."
        )
    return (
        "Stop calling and writing. Leave one short message that the door is open "
        "and let them come back to you."
    )


@rule(
    code="PUR002",
    symbol="chased-after-missed-agreed-call",
    severity=Severity.ALERT,
    summary="More attempts after the client missed an agreed call.",
    explanation=(
        "Within the current run of unanswered attempts, looks for an agreed call the "
        "client did not take, followed by more attempts that were not agreed. One email "
        "or message right after it, offering a new time, is follow-up and is not "
        "counted (here or in PUR001); another call, or a second message, is pursuit. "
        "Offer a new time once, then wait for their answer."
    ),
    fires=(
        Example(
            "A call agreed for the next day went unanswered; two more calls followed",
            client="--stage prospect --source referral",
            entries=(
                "d0 call --next d1",
                "d1 call --agreed --outcome no-answer",
                "d2 call --outcome no-answer",
                "d3 call --outcome no-answer",
            ),
            at="d4",
            evidence=(2, 3, 4),
        ),
    ),
    quiet=(
        Example(
            "After a missed agreed call, one message offering a new time",
            client="--stage prospect",
            entries=(
                "d0 call --next d1",
                "d1 call --agreed --outcome no-answer",
                "d1 12:00 message -m 'would Thursday suit you better?'",
            ),
            at="d3",
        ),
        Example(
            "After a missed agreed call the client called back",
            client="--stage prospect",
            entries=(
                "d1 call --agreed --outcome no-answer",
                "d2 call --by them",
                "d5 call --outcome no-answer",
            ),
            at="d6",
        ),
    ),
)
def chased_after_missed_agreed_call(history: History, config: Config) -> Iterator[Hit]:
    _, approaches = _chase(history)
    streak = [entry for approach in approaches for entry in approach]
    for position, attempt in enumerate(streak):
        if not attempt.agreed:
            continue
        after = [entry for entry in streak[position + 1 :] if not entry.agreed]
        if after:
            yield Hit(
                message=(
                    f"{history.client.name} missed the {attempt.kind.value} you agreed on for "
                    f"{ymd(attempt.at)}, and you tried {_more(len(after))} after it "
                    f"(last on {ymd(after[-1].at)})."
                ),
                advice=(
                    "A missed agreed call is their answer for now. Offer one new time in a "
                    "single message and wait for them to reply."
                ),
                evidence=evidence(attempt, *after),
                action=Action.WAIT,
            )
            return


@rule(
    code="PUR003",
    symbol="contacted-while-thinking",
    severity=Severity.WARNING,
    summary="You contacted a client inside the time they asked for to think.",
    settings=("pursuit.think_days",),
    explanation=(
        "For every entry where the client asked for time to think, the thinking time runs "
        "to the agreed next contact, or think_days without one. A contact you started "
        "inside it, not agreed, before they came back to you, pressed them; delivering "
        "something they had asked for (logged with --gave) is respect, not pressure, and "
        "does not count. Respect the time they asked for and let them come back to you."
    ),
    fires=(
        Example(
            "The prospect asked to sleep on it; you phoned two days later",
            client="--stage prospect",
            entries=("d0 meeting --think", "d2 call"),
            at="d3",
            evidence=(1, 2),
        ),
    ),
    quiet=(
        Example(
            "They asked to think and for references; you sent the references",
            client="--stage prospect",
            entries=("d0 meeting --think --asked references", "d1 email --gave references"),
            at="d3",
        ),
        Example(
            "They asked to think until an agreed day, and you called on that day",
            client="--stage prospect",
            entries=("d0 meeting --think --next d5", "d5 call --agreed"),
            at="d6",
        ),
    ),
)
def contacted_while_thinking(history: History, config: Config) -> Iterator[Hit]:
    thinking = _thinking_times(history, config)
    still_thinking = thinking_until(history, config)
    latest_think = thinking[-1][0] if thinking else None
    for asked, until, intrusions in thinking:
        if not intrusions:
            continue
        running = asked is latest_think and still_thinking is not None
        first = ymd(intrusions[0].at)
        when = f"on {first}" if len(intrusions) == 1 else f"first on {first}"
        yield Hit(
            message=(
                f"On {ymd(asked.at)} {history.client.name} asked for time to think, until "
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
            action=Action.LET_THINK if running else None,
            when=until if running else None,
        )


def _thinking_times(history: History, config: Config) -> tuple[_Thinking, ...]:
    """Every time the client asked to think, oldest first, with the contacts you pressed
    on them inside it (shared with the trend's month ends: see `_thinking_then`)."""

    def work() -> tuple[_Thinking, ...]:
        entries = history.interactions
        delivered = history.delivered
        found: list[_Thinking] = []
        for index, asked in enumerate(entries):
            if asked.think:
                until = _thinking_end(asked, config.pursuit)
                found.append(
                    (asked, until, tuple(_intrusions(entries, index + 1, until, delivered)))
                )
        return tuple(found)

    return history.fact(f"pursuit.thinking.{config.pursuit.think_days}", work, cut=_thinking_then)


def _thinking_then(thinking: tuple[_Thinking, ...], then: History) -> tuple[_Thinking, ...]:
    """The thinking times as they stood at an earlier moment: an intrusion is cut off by
    the end of the history as it would be by the end of the thinking time."""
    moment = then.as_of
    return tuple(
        (asked, until, up_to_then(intrusions, then))
        for asked, until, intrusions in thinking
        if asked.at <= moment
    )


def _intrusions(
    entries: Sequence[InteractionData], start: int, until: datetime, delivered: frozenset[int]
) -> list[InteractionData]:
    """The contacts you pressed on them from `entries[start]` on, before `until` or before
    they came back (read in place: a long history is not copied for every thinking time)."""
    found: list[InteractionData] = []
    for entry in itertools.islice(entries, start, None):
        if entry.at >= until or _came_back(entry):
            break
        if entry.is_contact and not entry.agreed and entry.id not in delivered:
            found.append(entry)
    return found


@rule(
    code="PUR004",
    symbol="agreed-follow-up-due",
    severity=Severity.INFO,
    summary="A follow-up you agreed on is past due.",
    settings=("pursuit.followup_grace_days",),
    explanation=(
        "Looks at the latest entry with an agreed next contact. When that date is more "
        "than followup_grace_days past and no contact was logged from the day before it, "
        "the follow-up was missed. They expect it: it is follow-up, not pursuit, so make "
        "the call."
    ),
    fires=(
        Example(
            "You agreed to call on day 3 and never did",
            client="--stage prospect",
            entries=("d0 call --by them --next d3",),
            at="d6",
            evidence=(1,),
        ),
    ),
    quiet=(
        Example(
            "You made the agreed call",
            client="--stage prospect",
            entries=("d0 call --by them --next d3", "d3 call --agreed"),
            at="d6",
        ),
        Example(
            "The agreed day is still inside the grace day",
            client="--stage prospect",
            entries=("d0 call --by them --next d3",),
            at="d3 20:00",
        ),
    ),
)
def agreed_follow_up_due(history: History, config: Config) -> Iterator[Hit]:
    plan = _latest_plan(history)
    if plan is None or plan.next_at is None:
        return
    due = plan.next_at
    answered_from = due - timedelta(days=1)
    if days_since(due, history.as_of) <= config.pursuit.followup_grace_days:
        return
    if any(entry.at >= answered_from for entry in history.contacts):
        return
    yield Hit(
        message=(
            f"You agreed on {ymd(plan.at)} to contact {history.client.name} on {ymd(due)}, "
            f"and nothing is logged since; that is follow-up, not pursuit."
        ),
        advice="Make the contact you agreed on: they are expecting it.",
        evidence=evidence(plan),
        action=Action.CALL,
    )


@rule(
    code="PUR005",
    symbol="thinking-it-over",
    severity=Severity.NOTE,
    summary="The client asked for time to think, and it still runs.",
    settings=("pursuit.think_days",),
    explanation=(
        "The latest entry where the client asked to think sets a time: until the next "
        "contact you agreed on, or think_days without one. Until it ends, or until they "
        "come back to you, the next step is to let them think."
    ),
    fires=(
        Example(
            "The prospect wants to think it over until Thursday",
            client="--stage prospect",
            entries=("d0 meeting --think --next d3",),
            at="d1",
            evidence=(1,),
        ),
    ),
    quiet=(
        Example(
            "They came back before the time was up",
            client="--stage prospect",
            entries=("d0 meeting --think --next d3", "d2 call --by them"),
            at="d2 12:00",
        ),
        Example(
            "The time they asked for is over",
            client="--stage prospect",
            entries=("d0 meeting --think --next d3",),
            at="d4",
        ),
    ),
)
def thinking_it_over(history: History, config: Config) -> Iterator[Hit]:
    until = thinking_until(history, config)
    if until is None:
        return
    asked = next(entry for entry in reversed(history.interactions) if entry.think)
    yield Hit(
        message=f"On {ymd(asked.at)} {history.client.name} asked for time to think, until "
        f"{ymd(until)}.",
        advice=f"They asked for time to think; give them until {ymd(until)} and let them "
        "come back to you.",
        evidence=evidence(asked),
        action=Action.LET_THINK,
        when=until,
    )


@rule(
    code="PUR006",
    symbol="waiting-for-answer",
    severity=Severity.NOTE,
    summary="Your last contact has had no answer yet, and it is recent.",
    settings=("attention.cadence_days",),
    explanation=(
        "When the last contact is an attempt of yours that the client has not answered, and "
        "it is more recent than their cadence, the next step is to wait for their answer. "
        "After a missed agreed call, it is one short message offering a new time."
    ),
    fires=(
        Example(
            "You emailed a proposal yesterday",
            client="--stage prospect",
            entries=("d0 call --by them", "d1 email -m 'the proposal'"),
            at="d2",
            evidence=(2,),
        ),
        Example(
            "They missed the call you agreed on this morning",
            client="--stage prospect",
            entries=("d0 call --by them --next d1", "d1 call --agreed --outcome no-answer"),
            at="d1 15:00",
            evidence=(2,),
        ),
    ),
    quiet=(
        Example(
            "They answered your email",
            client="--stage prospect",
            entries=("d1 email", "d1 16:00 email --by them"),
            at="d2",
        ),
        Example(
            "Your email went out longer ago than their cadence",
            client="--stage active --cadence 7",
            entries=("d0 meeting", "d1 email"),
            at="d10",
        ),
    ),
)
def waiting_for_answer(history: History, config: Config) -> Iterator[Hit]:
    contacts = history.contacts
    if not contacts or not contacts[-1].unanswered_attempt:
        return
    last = contacts[-1]
    if (history.as_of - last.at).days >= cadence_days(history.client, config):
        return
    day = ymd(last.at)
    missed = last.agreed and last.kind in (Kind.CALL, Kind.MEETING)
    yield Hit(
        message=(
            f"{history.client.name} missed the {last.kind.value} you agreed on for {day}."
            if missed
            else f"Your {last.kind.value} to {history.client.name} on {day} has had no answer yet."
        ),
        advice=(
            f"They missed the {last.kind.value} you agreed on for {day}. Send one short "
            "message offering a new time, then wait for them to answer."
            if missed
            else f"Your {last.kind.value} on {day} has had no answer yet; give them time to "
            "get back to you rather than trying again."
        ),
        evidence=evidence(last),
        action=Action.WAIT,
    )


@rule(
    code="PUR007",
    symbol="agreed-contact-ahead",
    severity=Severity.NOTE,
    summary="A contact you agreed on is still ahead.",
    explanation=(
        "The earliest agreed next contact still to come. On its day the next step is to "
        "make it, at the time agreed; before that, the next move is theirs."
    ),
    fires=(
        Example(
            "A call agreed for this afternoon",
            client="--stage prospect",
            entries=("d0 call --by them --next 'd2 15:00'",),
            at="d2 09:00",
            evidence=(1,),
        ),
        Example(
            "A meeting agreed for next week",
            client="--stage active",
            entries=("d0 call --by them --next d7",),
            at="d1",
            evidence=(1,),
        ),
    ),
    quiet=(
        Example(
            "The agreed day has passed",
            client="--stage prospect",
            entries=("d0 call --by them --next d2", "d2 call --agreed"),
            at="d3",
        ),
    ),
)
def agreed_contact_ahead(history: History, config: Config) -> Iterator[Hit]:
    ahead = [e for e in history.planned if e.next_at and e.next_at > history.as_of]
    if not ahead:
        return
    plan = min(ahead, key=lambda e: (e.next_at, e.id))
    when = plan.next_at
    assert when is not None
    local = when.astimezone()
    today = local.date() <= history.as_of.astimezone().date()
    yield Hit(
        message=f"On {ymd(plan.at)} you agreed to be in touch on {local:%Y-%m-%d %H:%M}.",
        advice=(
            f"Contact them today at {local:%H:%M}, as agreed."
            if today
            else f"Your next contact is agreed for {local:%Y-%m-%d %H:%M}; until then, leave "
            "the next move to them."
        ),
        evidence=evidence(plan),
        action=Action.CALL if today else Action.NONE,
        when=when,
    )


def _latest_plan(history: History) -> InteractionData | None:
    planned = history.planned
    return planned[-1] if planned else None


def _more(count: int) -> str:
    """'once more', 'twice more', '3 more times'."""
    return {1: "once more", 2: "twice more"}.get(count, f"{count} more times")


RULES: tuple[Rule, ...] = tuple(family.rules)
waiting_for_answer_rule = next(r for r in RULES if r.code == "PUR006")
evaluate = family.evaluate
