"""Initiation: who called whom.

A prospect who calls you already trusts you and sees you as the expert; when
you phone someone who was only mentioned to you, you look like someone who
needs the work. So for leads and prospects relog watches who starts the
contacts, and counts an agreed call as service rather than selling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relog.domain import By, Source
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
    the_last,
    ymd,
)

if TYPE_CHECKING:
    from relog.config import Config
    from relog.rules.base import History

MODULE = "initiation"
IDEA = "Who called whom"

RULES: tuple[Rule, ...] = (
    Rule(
        code="INI001",
        symbol="opened-by-chasing-referral",
        module=MODULE,
        severity=Severity.WARNING,
        summary="You opened a referred relationship by calling them yourself.",
        idea=IDEA,
        settings=("initiation.opening_days",),
        explanation=(
            "Looks at clients whose source is a referral and at the first contact in their "
            "history: if you started it, it was not agreed and it did not deliver something "
            "they had asked for, you phoned someone who had only been mentioned to you, which "
            "reads as selling. Next time, ask the person who referred them to pass your "
            "details on and let the prospect call you. While they are still a lead or "
            "prospect it is a warning: wait for them to come to you. Once they are a client "
            "(or paused, or gone) it is only the lesson for next time, an info finding for "
            "opening_days after that first contact."
        ),
    ),
    Rule(
        code="INI002",
        symbol="prospect-rarely-calls",
        module=MODULE,
        severity=Severity.WARNING,
        summary="A lead or prospect starts too few of your recent contacts.",
        idea=IDEA,
        settings=(
            "initiation.recent_contacts",
            "initiation.min_contacts",
            "initiation.min_their_share",
        ),
        explanation=(
            "For a lead or prospect, counts the last few contacts: those they started against "
            "those you started without it being agreed (agreed calls are left out of both, and "
            "a delivery of something they asked for is left out altogether). "
            "When their share is below the minimum, you are doing the chasing. While there are "
            "fewer contacts than the minimum, the missing ones are counted as theirs, so a "
            "new relationship gets the benefit of the doubt. Give them a reason to call you "
            "and leave the next move to them."
        ),
    ),
    Rule(
        code="INI003",
        symbol="handed-to-assistant",
        module=MODULE,
        severity=Severity.WARNING,
        summary="The client recently handed you to an assistant.",
        idea=IDEA,
        settings=("initiation.delegated_days",),
        explanation=(
            "Looks for an entry marked as delegated in the recent past: the client passed you "
            "to someone else on their side. The relationship now runs between aides and your "
            "standing has dropped. Ask for a short direct conversation with them at a time "
            "that suits them, with something worth their time ready."
        ),
    ),
)


def evaluate(history: History, config: Config) -> ModuleResult:
    settings = config.initiation
    client = history.client
    entries = history.interactions
    contacts = history.contacts
    # Delivering what they asked for answers them: it is no contact you pressed on them.
    delivered = history.delivered
    findings: list[Finding] = []

    if client.source is Source.REFERRAL and contacts:
        first = contacts[0]
        cold = first.by is By.ME and not first.agreed and first.id not in delivered
        lesson = (
            "With the next referral, ask the person who referred them to pass your details "
            "on and let the prospect call you."
        )
        opened = (
            f"was referred to you{f' by {client.referred_by}' if client.referred_by else ''}, "
            f"and the first contact was a {first.kind.value} you started on {ymd(first.at)} "
            "without it being agreed"
        )
        if cold and client.stage.is_pipeline:
            findings.append(
                Finding(
                    code="INI001",
                    severity=Severity.WARNING,
                    message=f"{client.name} {opened}.",
                    advice=f"{lesson} With this one, stop calling and let them come to you.",
                    evidence=evidence(first),
                    penalty=penalty(config, Severity.WARNING),
                    action=Action.WAIT,
                )
            )
        elif cold and days_since(first.at, history.as_of) <= settings.opening_days:
            # They became a client all the same: only the lesson for next time is left,
            # and only while the opening is recent enough to learn from.
            findings.append(
                Finding(
                    code="INI001",
                    severity=Severity.INFO,
                    message=f"{client.name} {opened}.",
                    advice=lesson,
                    evidence=evidence(first),
                    penalty=penalty(config, Severity.INFO),
                    action=None,
                )
            )

    if client.stage.is_pipeline:
        counted = [entry for entry in contacts if entry.id not in delivered]
        window = counted[-settings.recent_contacts :]
        theirs = [entry for entry in window if entry.by is By.THEM]
        mine = [entry for entry in window if entry.by is By.ME and not entry.agreed]
        # Short of min_contacts, count the missing contacts as theirs: one more call
        # from them must never make the verdict worse.
        theirs_counted = max(len(theirs), settings.min_contacts - len(mine))
        if mine and theirs_counted / (theirs_counted + len(mine)) < settings.min_their_share:
            findings.append(
                Finding(
                    code="INI002",
                    severity=Severity.WARNING,
                    message=(
                        f"Of {the_last(len(window), 'contact')} with {client.name} "
                        f"(since {ymd(window[0].at)}), they started {len(theirs)} and you "
                        f"started {len(mine)} without it being agreed."
                    ),
                    advice=(
                        "Stop starting contacts they did not ask for. Give them a reason to "
                        "call you (a useful fact, a clear offer, a time that suits them) and "
                        "leave the next move to them."
                    ),
                    evidence=evidence(*mine),
                    penalty=penalty(config, Severity.WARNING),
                    action=Action.WAIT,
                )
            )

    handed = [
        entry
        for entry in entries
        if entry.delegated and days_since(entry.at, history.as_of) <= settings.delegated_days
    ]
    if handed:
        latest = handed[-1]
        findings.append(
            Finding(
                code="INI003",
                severity=Severity.WARNING,
                message=(
                    f"On {ymd(latest.at)} {client.name} handed you to someone else on their side."
                ),
                advice=(
                    "Keep the relationship at your level: ask for a short direct conversation "
                    "with them at a time that suits them, and bring something worth their time."
                ),
                evidence=evidence(latest),
                penalty=penalty(config, Severity.WARNING),
                action=None,
            )
        )

    found = tuple(findings)
    return ModuleResult(MODULE, score_from(found), found)
