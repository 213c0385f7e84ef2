"""Initiation: who called whom.

A prospect who calls you already trusts you and sees you as the expert; when
you phone someone who was only mentioned to you, you look like someone who
needs the work. So for leads and prospects relog watches who starts the
contacts, and counts an agreed call as service rather than selling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relog.domain import By, Source, Stage
from relog.rules.base import (
    Action,
    Family,
    Hit,
    Rule,
    Severity,
    days_since,
    evidence,
    the_last,
    ymd,
)
from relog.rules.examples import Example

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relog.config import Config
    from relog.rules.base import History

MODULE = "initiation"
IDEA = "Who called whom"

family = Family(MODULE, IDEA)
rule = family.rule

PIPELINE = (Stage.LEAD, Stage.PROSPECT)


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
    referrer = f" by {client.referred_by}" if client.referred_by else ""
    yield Hit(
        message=(
            f"{client.name} was referred to you{referrer}, and the first contact was a "
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
        "those you started without it being agreed (agreed calls are left out of both, and "
        "a delivery of something they asked for is left out altogether). When their share "
        "is below the minimum, you are doing the chasing. While there are fewer contacts "
        "than the minimum, the missing ones are counted as theirs, so a new relationship "
        "gets the benefit of the doubt. Give them a reason to call you and leave the next "
        "move to them."
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
    window = counted[-settings.recent_contacts :]
    theirs = [entry for entry in window if entry.by is By.THEM]
    mine = [entry for entry in window if entry.by is By.ME and not entry.agreed]
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


RULES: tuple[Rule, ...] = tuple(family.rules)
evaluate = family.evaluate
