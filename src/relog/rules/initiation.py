"""Initiation: who called whom.

A prospect who calls you already trusts you and sees you as the expert; when
you phone someone who was only mentioned to you, you look like someone who
needs the work. So for leads and prospects relog watches who starts the
contacts, and counts an agreed call as service rather than selling. At every
stage, a client who tries to reach you must hear back at once: being easy to
reach is much of what they come to you for.
"""

from __future__ import annotations

import shlex
from datetime import timedelta
from typing import TYPE_CHECKING

from relog.domain import By, Kind, Outcome, Source, Stage
from relog.rules.base import (
    Action,
    Family,
    Hit,
    Rule,
    Severity,
    days_since,
    evidence,
    plural,
    the_last,
    ymd,
)
from relog.rules.examples import Example

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from relog.config import Config
    from relog.domain import ClientData, InteractionData
    from relog.rules.base import History

MODULE = "initiation"
IDEA = "Who called whom"

family = Family(MODULE, IDEA)
rule = family.rule

PIPELINE = (Stage.LEAD, Stage.PROSPECT)


def _reaches_out(entry: InteractionData) -> bool:
    """The client tried to reach you and is waiting for your answer.

    A call of theirs you missed (with or without a voicemail), or an email or
    message they sent. A contact of theirs that said when to talk next
    (`--next`) or asked for time to think (`--think`) waits for that time, not
    for an answer; a call or meeting in which you talked needs none.
    """
    if not entry.is_contact or entry.by is not By.THEM or entry.outcome is Outcome.CANCELLED:
        return False
    if entry.next_at is not None or entry.think:
        return False
    return entry.outcome.unanswered or entry.kind in (Kind.EMAIL, Kind.MESSAGE)


def _settles(entry: InteractionData) -> bool:
    """Whatever they tried before is answered: any contact of yours, whatever the
    channel; a call or meeting in which you talked; or their own word on when to talk next."""
    if entry.by is By.ME:
        return entry.is_contact
    talked = entry.outcome is Outcome.REACHED and entry.kind in (Kind.CALL, Kind.MEETING)
    return talked or entry.next_at is not None or entry.think


def unanswered(history: History) -> tuple[InteractionData, ...]:
    """The client's attempts to reach you that nothing has answered yet, oldest first."""

    def work() -> tuple[InteractionData, ...]:
        # From the latest contact back to the last one that settled what came before.
        waiting: list[InteractionData] = []
        for entry in reversed(history.contacts):
            if _reaches_out(entry):
                waiting.append(entry)
            elif _settles(entry):
                break
        return tuple(reversed(waiting))

    return history.fact("initiation.unanswered", work)


def _replies(contacts: Sequence[InteractionData]) -> frozenset[int]:
    """Your contacts that answered the client: the first of yours after they reached out.

    Returning their call or answering their email is something they asked for,
    not a contact you started.
    """
    found: set[int] = set()
    owed = False
    for entry in contacts:
        if entry.by is By.THEM:
            owed = owed or _reaches_out(entry)
        else:
            if owed:
                found.add(entry.id)
            owed = False
    return frozenset(found)


@rule(
    code="INI001",
    symbol="opened-by-chasing-referral",
    severity=Severity.INFO,
    escalation=Severity.WARNING,
    summary="You opened a referred relationship by calling them yourself.",
    settings=("initiation.opening_days",),
    explanation=(
        "Looks at clients whose source is a referral and at the first contact in their "
        "history, whenever it was logged: if you started it, it was not agreed and it did "
        "not deliver something they had asked for, you phoned someone who had only been "
        "mentioned to you, which reads as selling. While they are still a lead or prospect "
        "it is a warning: stop calling and let them come to you. Once they are a client "
        "(or paused, or gone) it is only the lesson for next time, an info finding for "
        "opening_days after that first contact: with the next referral, ask the person who "
        "referred them to pass your details on and let the prospect call you."
    ),
    fires=(
        Example(
            "Avi mentioned her, and you phoned her yourself",
            client="--stage prospect --source referral --referred-by Avi",
            entries=("d0 call -m 'called after Avi mentioned her'",),
            at="d1",
            evidence=(1,),
        ),
        Example(
            "The cold first call was logged after the fact, days before she was added to relog",
            client="--stage lead --source referral --added d10",
            entries=("d0 call -m 'rang her the day Avi gave me her number'", "d5 call --by them"),
            at="d11",
            evidence=(1,),
        ),
        Example(
            "A referral you phoned first became a client all the same: the lesson remains",
            client="--stage active --source referral --referred-by Avi",
            entries=("d0 call", "d3 meeting --by them -m 'signed'"),
            at="d30",
            evidence=(1,),
        ),
    ),
    quiet=(
        Example(
            "Avi passed your details on and she called you",
            client="--stage prospect --source referral --referred-by Avi",
            entries=("d0 note -m 'Avi is passing my number on'", "d2 call --by them"),
            at="d3",
        ),
        Example(
            "The first call to a referral was at a time she had agreed with Avi",
            client="--stage prospect --source referral --referred-by Avi",
            entries=("d0 call --agreed",),
            at="d1",
        ),
        Example(
            "She called first and you missed it: calling back answers her",
            client="--stage lead --source referral",
            entries=("d0 call --by them --outcome no-answer", "d0 14:00 call"),
            at="d1",
        ),
        Example(
            "A referral you phoned first became a client long ago: the opening is history",
            client="--stage active --source referral --referred-by Avi",
            entries=("d0 call", "d3 meeting --by them -m 'signed'"),
            at="d100",
        ),
    ),
)
def opened_by_chasing_referral(history: History, config: Config) -> Iterator[Hit]:
    client = history.client
    contacts = history.contacts
    if client.source is not Source.REFERRAL or not contacts:
        return
    first = contacts[0]
    # Delivering what they asked for answers them: it is no contact you pressed on them.
    if first.by is not By.ME or first.agreed or first.id in history.delivered:
        return
    pipeline = client.stage.is_pipeline
    # Once they are a client, only the lesson is left, and only while it is recent.
    if not pipeline and days_since(first.at, history.as_of) > config.initiation.opening_days:
        return
    lesson = (
        "With the next referral, ask the person who referred them to pass your details on "
        "and let the prospect call you."
    )
    yield Hit(
        message=(
            f"{client.name} {_referred(client)}, and the first contact was a "
            f"{first.kind.value} you started on {ymd(first.at)} without it being agreed."
        ),
        advice=(
            f"{lesson} With this one, stop calling and let them come to you."
            if pipeline
            else lesson
        ),
        evidence=evidence(first),
        action=Action.WAIT if pipeline else None,
        escalated=pipeline,
    )


@rule(
    code="INI002",
    symbol="prospect-rarely-calls",
    severity=Severity.WARNING,
    summary="A lead or prospect starts too few of your recent contacts.",
    settings=(
        "initiation.recent_contacts",
        "initiation.min_contacts",
        "initiation.min_their_share",
    ),
    stages=PIPELINE,
    explanation=(
        "For a lead or prospect, counts the last few contacts: those they started against "
        "those you started without it being agreed. Agreed contacts, and your answers to "
        "them (returning a call of theirs you missed, replying to their email or message), "
        "count on neither side; a delivery of something they asked for is left out "
        "altogether. When their share is below the minimum, you are doing the chasing. "
        "While there are fewer contacts than the minimum, the missing ones are counted as "
        "theirs, so a new relationship gets the benefit of the doubt. Give them a reason to "
        "call you and leave the next move to them."
    ),
    fires=(
        Example(
            "A prospect called once; since then you phoned three times unasked, besides "
            "the one call you agreed on",
            client="--stage prospect",
            entries=("d0 call --by them", "d3 call", "d6 call --agreed", "d9 call", "d12 call"),
            at="d13",
            evidence=(2, 4, 5),
        ),
        Example(
            "A lead you approached: two calls of yours and none from them",
            client="--stage lead --source outbound",
            entries=("d0 call -m 'introduced myself'", "d4 call -m 'did you think about it?'"),
            at="d5",
            evidence=(1, 2),
        ),
        Example(
            "She called and you talked; then you phoned twice unasked",
            client="--stage prospect --source inbound",
            entries=("d0 call --by them", "d1 call", "d4 call"),
            at="d5",
            evidence=(2, 3),
        ),
    ),
    quiet=(
        Example(
            "She emailed; you called to answer her, then once more",
            client="--stage prospect --source inbound",
            entries=("d0 email --by them", "d1 call", "d4 call"),
            at="d5",
        ),
        Example(
            "A prospect who calls back in between",
            client="--stage prospect",
            entries=("d0 call --by them", "d3 call", "d6 call --by them"),
            at="d7",
        ),
        Example(
            "An active client you call every few days: service, not selling",
            client="--stage active --cadence 3",
            entries=("d0 call --by them", "d3 call", "d6 call --agreed", "d9 call", "d12 call"),
            at="d13",
        ),
    ),
)
def prospect_rarely_calls(history: History, config: Config) -> Iterator[Hit]:
    settings = config.initiation
    delivered = history.delivered
    counted = [entry for entry in history.contacts if entry.id not in delivered]
    start = max(0, len(counted) - settings.recent_contacts)
    window = counted[start:]
    # Whether an entry of yours answered them depends on their entries since your
    # previous one: read back from the window to the last entry of yours before it.
    while start > 0 and counted[start - 1].by is By.THEM:
        start -= 1
    replies = _replies(counted[max(0, start - 1) :])
    theirs = [entry for entry in window if entry.by is By.THEM]
    mine = [
        entry
        for entry in window
        if entry.by is By.ME and not entry.agreed and entry.id not in replies
    ]
    # Short of min_contacts, count the missing contacts as theirs: one more call
    # from them must never make the verdict worse.
    theirs_counted = max(len(theirs), settings.min_contacts - len(mine))
    if not mine or theirs_counted / (theirs_counted + len(mine)) >= settings.min_their_share:
        return
    yield Hit(
        message=(
            f"Of {the_last(len(window), 'contact')} with {history.client.name} "
            f"(since {ymd(window[0].at)}), they started {len(theirs)} and you "
            f"started {len(mine)} without it being agreed."
        ),
        advice=(
            "Start no more contacts they did not ask for. Give them a reason to call you "
            "(a useful fact, a clear offer) and leave the next move to them; when you next "
            "talk, agree on when you will talk again, so that call is one they asked for."
        ),
        evidence=evidence(*mine),
        action=Action.WAIT,
    )


@rule(
    code="INI003",
    symbol="handed-to-assistant",
    severity=Severity.WARNING,
    summary="A lead or prospect recently handed you to an assistant.",
    settings=("initiation.delegated_days",),
    stages=PIPELINE,
    explanation=(
        "For a lead or prospect, looks for an entry marked as delegated in the recent past: "
        "they passed you to someone else on their side. The relationship now runs between "
        "aides and your standing has dropped. Work with the person they named, and ask "
        "through them for a short direct conversation at a time the prospect sets, with "
        "something worth their time ready. An active client who has you work with their "
        "team is telling you how they work, and is not judged here."
    ),
    fires=(
        Example(
            "A referred prospect answered warmly, then passed you to her assistant",
            client="--stage prospect --source referral --referred-by Avi",
            entries=("d0 call --delegated -m 'Shira handles this for me'",),
            at="d2",
            evidence=(1,),
        ),
        Example(
            "A lead wrote back that his office manager will deal with you from now on",
            client="--stage lead --source outbound",
            entries=("d0 email", "d1 email --by them --delegated"),
            at="d3",
            evidence=(2,),
        ),
    ),
    quiet=(
        Example(
            "An active client has you work with her marketing team: her own manner",
            client="--stage active --cadence 7",
            entries=("d0 call --delegated -m 'Shira handles this for me'",),
            at="d2",
        ),
        Example(
            "A prospect handed you to an assistant more than delegated_days ago",
            client="--stage prospect --source referral --referred-by Avi",
            entries=("d0 call --delegated -m 'Shira handles this for me'",),
            at="d91",
        ),
    ),
)
def handed_to_assistant(history: History, config: Config) -> Iterator[Hit]:
    recent = history.within(config.initiation.delegated_days)
    latest = next((entry for entry in reversed(recent) if entry.delegated), None)
    if latest is None:
        return
    name = history.client.name
    yield Hit(
        message=f"On {ymd(latest.at)} {name} handed you to someone else on their side.",
        advice=(
            "Work with the person they named, but keep the relationship at your level: ask "
            f"that person for a short conversation with {name} at a time {name} sets, and "
            "come to it with something worth their time."
        ),
        evidence=evidence(latest),
    )


@rule(
    code="INI004",
    symbol="unanswered-client-contact",
    severity=Severity.WARNING,
    escalation=Severity.ALERT,
    summary="The client tried to reach you and has had no answer.",
    settings=("initiation.answer_hours",),
    explanation=(
        "At every stage, looks for the client's calls you missed (logged --by them with "
        "--outcome no-answer or left-message), and the emails and messages they sent, with "
        "nothing of yours after them. Any contact of yours answers them, whatever the "
        "channel, and so does a call or meeting in which you talked; a contact of theirs "
        "that set the next contact (--next) or asked for time to think waits for that, not "
        "for an answer. Being easy to reach is much of what a client comes to you for, so "
        "it is a warning at once, and an alert once the oldest has waited answer_hours. "
        "Answer today, on the channel they used: they reached out, so it is service, not "
        "pursuit."
    ),
    fires=(
        Example(
            "A referred lead phoned while you were in a meeting; you have not called back",
            client="--stage lead --source referral --referred-by Avi",
            entries=("d0 call --by them --outcome no-answer",),
            at="d0 15:00",
            evidence=(1,),
        ),
        Example(
            "A prospect left a voicemail, then emailed the next day; two days without an answer",
            client="--stage prospect --source inbound",
            entries=("d0 call --by them --outcome left-message", "d1 email --by them"),
            at="d2",
            evidence=(1, 2),
        ),
        Example(
            "An active client's message has waited since yesterday morning",
            client="--stage active --cadence 7",
            entries=("d0 meeting", "d5 09:00 message --by them -m 'can we move Thursday?'"),
            at="d6 11:00",
            evidence=(2,),
        ),
    ),
    quiet=(
        Example(
            "You returned the missed call the same afternoon; they did not pick up",
            client="--stage lead --source referral --referred-by Avi",
            entries=("d0 call --by them --outcome no-answer", "d0 14:00 call --outcome no-answer"),
            at="d1",
        ),
        Example(
            "You answered her email with a message: any channel answers",
            client="--stage prospect --source inbound",
            entries=(
                "d0 call --by them --outcome left-message",
                "d1 email --by them",
                "d1 12:00 message",
            ),
            at="d2",
        ),
        Example(
            "After the missed call they rang again and you talked",
            client="--stage prospect --source inbound",
            entries=("d0 call --by them --outcome no-answer", "d0 16:00 call --by them"),
            at="d1",
        ),
        Example(
            "She emailed to ask you to call on Thursday, and Thursday has not come",
            client="--stage prospect --source inbound",
            entries=("d0 email --by them --next d3",),
            at="d1",
        ),
    ),
)
def unanswered_client_contact(history: History, config: Config) -> Iterator[Hit]:
    waiting = unanswered(history)
    if not waiting:
        return
    hours = config.initiation.answer_hours
    escalated = history.as_of - waiting[0].at > timedelta(hours=hours)
    tried = ", then ".join(_reached_out(entry) for entry in waiting)
    late = f" The first has waited more than {plural(hours, 'hour')}." if escalated else ""
    yield Hit(
        message=f"{history.client.name} {tried}; nothing of yours is logged since.{late}",
        advice=(
            f"{_answer(waiting[-1])} today. They reached out to you, so answering is "
            "service, not pursuit."
        ),
        evidence=evidence(*waiting),
        action=Action.ANSWER,
        escalated=escalated,
    )


def _reached_out(entry: InteractionData) -> str:
    """'called you on 2025-03-03 at 10:00 and left a voicemail': how and when they tried."""
    when = f"on {ymd(entry.at)} at {entry.at.astimezone():%H:%M}"
    if entry.kind is Kind.EMAIL:
        return f"emailed you {when}"
    if entry.kind is Kind.MESSAGE:
        return f"sent you a message {when}"
    if entry.kind is Kind.MEETING:
        return f"came to meet you {when} and you missed the meeting"
    if entry.outcome is Outcome.LEFT_MESSAGE:
        return f"called you {when} and left a voicemail"
    return f"called you {when} and you missed the call"


def _answer(entry: InteractionData) -> str:
    """What answering their latest attempt means on its own channel."""
    if entry.kind is Kind.EMAIL:
        return "Answer their email"
    if entry.kind is Kind.MESSAGE:
        return "Answer their message"
    return "Call them back"


@rule(
    code="INI005",
    symbol="not-opened-yet",
    severity=Severity.NOTE,
    summary="Nothing is logged with the client yet: how to open the relationship well.",
    stages=(Stage.LEAD, Stage.PROSPECT, Stage.ACTIVE, Stage.PAUSED),
    explanation=(
        "A client with no contact logged yet (notes are no contacts) has nothing to judge, "
        "so this note, which costs nothing, says how to open the relationship for where it "
        "came from. A referral: let them call you, and ask the person who referred them to "
        "pass your details on. An inbound lead: answer fast. One you approach yourself: "
        "introduce yourself and your company properly, ask when they can talk calmly, say "
        "plainly what you want to present, and after that one contact let them answer. An "
        "active or paused client with nothing logged: log your contacts so relog can judge."
    ),
    fires=(
        Example(
            "Avi is passing your number on to a prospect he mentioned; nothing yet",
            client="--stage lead --source referral --referred-by Avi",
            entries=("d0 note -m 'Avi is giving her my number'",),
            at="d2",
            evidence=(),
        ),
        Example(
            "A lead filled in the form on your site; nothing logged since",
            client="--stage lead --source inbound",
            entries=("d0 note -m 'site form: wants a quote for a business page'",),
            at="d0 12:00",
            evidence=(),
        ),
        Example(
            "A company you mean to approach yourself",
            client="--stage lead --source outbound",
            entries=("d0 note -m 'their new branch needs PR'",),
            at="d1",
            evidence=(),
        ),
        Example(
            "An active client added without any contact logged",
            client="--stage active --source referral",
            entries=("d0 note -m 'retainer since last year'",),
            at="d1",
            evidence=(),
        ),
    ),
    quiet=(
        Example(
            "Avi passed your number on and she called",
            client="--stage lead --source referral --referred-by Avi",
            entries=("d0 note -m 'Avi is giving her my number'", "d2 call --by them"),
            at="d3",
        ),
        Example(
            "A former client with nothing logged: no relationship to open",
            client="--stage former --source referral",
            entries=("d0 note -m 'worked together in 2023'",),
            at="d1",
        ),
    ),
)
def not_opened_yet(history: History, config: Config) -> Iterator[Hit]:
    if history.contacts:
        return
    client = history.client
    if not client.stage.is_pipeline:
        yield Hit(
            message=_nothing_yet(client),
            advice=(
                "Log your contacts with them (relog add call, email, meeting or message; "
                "--by them for the ones they started) so relog can say how the "
                "relationship stands."
            ),
            action=Action.NONE,
        )
    elif client.source is Source.REFERRAL:
        referrer = client.referred_by or "the person who referred them"
        yield Hit(
            message=f"{_nothing_yet(client)} {client.name} {_referred(client)}.",
            advice=(
                f"Let them be the one to call: ask {referrer} to pass your details on, and "
                "wait for their call. A referral who calls you comes already trusting you."
            ),
            action=Action.WAIT,
            whom=client.referred_by,
        )
    elif client.source is Source.INBOUND:
        yield Hit(
            message=f"{_nothing_yet(client)} They came to you.",
            advice=(
                "Answer them fast, today, on the channel they used, and log their first "
                "contact with --by them and your answer after it."
            ),
            action=Action.ANSWER,
        )
    elif client.source is Source.OUTBOUND:
        yield Hit(
            message=f"{_nothing_yet(client)} You are the one approaching them.",
            advice=(
                "Make one good first contact: introduce yourself and your company properly, "
                "ask when they can talk calmly, and say plainly what you want to present. "
                "Then give them time to answer."
            ),
            action=Action.CALL,
        )
    else:
        yield Hit(
            message=_nothing_yet(client),
            advice=(
                "Say how they came to you (relog client edit "
                f"{shlex.quote(client.name)} --source referral, inbound or outbound) and "
                "relog will say how best to open: a referral is left to call you, an inbound "
                "lead is answered fast, and an approach of yours is made once, properly."
            ),
            action=Action.NONE,
        )


def _referred(client: ClientData) -> str:
    """'was referred to you by Avi', or without the name when it is not known."""
    by = f" by {client.referred_by}" if client.referred_by else ""
    return f"was referred to you{by}"


def _nothing_yet(client: ClientData) -> str:
    return f"No contact with {client.name} is logged yet, so there is nothing to judge."


RULES: tuple[Rule, ...] = tuple(family.rules)
evaluate = family.evaluate
