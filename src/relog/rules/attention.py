"""Attention: stay in the picture with active clients.

Half the work is the relationship. An active client should hear from you at
their own cadence and on the channel they like, and now and then get
something they did not ask for: an idea, a lead, a gesture beyond the
contract. This applies to active clients only; with leads and prospects,
contacts you start are weighed by the initiation and pursuit modules.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from relog.domain import By, Stage
from relog.rules.base import (
    Action,
    Evidence,
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
    the_last,
    ymd,
)

if TYPE_CHECKING:
    from datetime import datetime

    from relog.config import Config
    from relog.domain import ClientData, InteractionData
    from relog.rules.base import History

MODULE = "attention"
IDEA = "Stay in the picture"

RULES: tuple[Rule, ...] = (
    Rule(
        code="ATT001",
        symbol="out-of-touch",
        module=MODULE,
        severity=Severity.WARNING,
        summary="No two-way contact for longer than the client's cadence.",
        idea=IDEA,
        settings=("attention.cadence_days",),
        explanation=(
            "Measures the days since the last contact the client took part in (they answered, "
            "replied or met you). Unanswered attempts do not count, or chasing would look like "
            "keeping in touch. With no such contact yet, it counts from the start of the "
            "relationship. Longer than the client's cadence (their own, or cadence_days) is a "
            "warning, twice as long an alert. Call them with something useful to say."
        ),
    ),
    Rule(
        code="ATT002",
        symbol="wrong-channel",
        module=MODULE,
        severity=Severity.WARNING,
        summary="Most of your contacts use a channel the client does not prefer.",
        idea=IDEA,
        settings=("attention.channel_contacts", "attention.min_preferred_share"),
        explanation=(
            "For a client with a preferred channel, looks at the last channel_contacts "
            "contacts you started (at least 3). When the share on their channel is below "
            "min_preferred_share, you are reaching them your way, not theirs."
        ),
    ),
    Rule(
        code="ATT003",
        symbol="no-initiative",
        module=MODULE,
        severity=Severity.INFO,
        summary="No initiative or gesture in a month.",
        idea=IDEA,
        settings=("attention.initiative_days",),
        explanation=(
            "Once a relationship is at least initiative_days old, expects an entry marked "
            "as an initiative within the last initiative_days: an original idea, a relevant "
            "tender, a lead for their business, a candidate for a job. Small surprises beyond "
            "the contract keep you in the picture."
        ),
    ),
)


def _began(history: History, entries: tuple[InteractionData, ...]) -> datetime | None:
    """The start of the relationship: when you added them or the first entry, if earlier."""
    moments = [entry.at for entry in entries[:1]]
    created = history.client.created_at
    if created is not None and created <= history.as_of:
        moments.append(created)
    return min(moments, default=None)


def cadence_days(client: ClientData, config: Config) -> int:
    """How often this client should hear from you: their own cadence, or the default."""
    return client.cadence_days or config.attention.cadence_days


def _last_two_way(entries: tuple[InteractionData, ...]) -> InteractionData | None:
    return next((entry for entry in reversed(entries) if entry.two_way), None)


def _counted_from(history: History) -> datetime | None:
    """Where the cadence clock starts: the last two-way contact, else the relationship's start."""
    entries = history.interactions
    last = _last_two_way(entries)
    return last.at if last is not None else _began(history, entries)


def contact_due(history: History, config: Config) -> datetime | None:
    """When the next two-way contact with the client is due, as ATT001 measures it.

    The last contact the client took part in (or, with none yet, the start of
    the relationship: the earlier of the day they were added and their first
    entry), plus their cadence. None when there is nothing to count from.
    Past due at `as_of` is exactly when ATT001 finds them out of touch; the
    stage is not checked here, so callers decide whom it applies to.
    """
    anchor = _counted_from(history)
    if anchor is None:
        return None
    return anchor + timedelta(days=cadence_days(history.client, config))


def evaluate(history: History, config: Config) -> ModuleResult:
    client = history.client
    if client.stage is not Stage.ACTIVE:
        return ModuleResult(MODULE, 100, (), applicable=False, note="only for active clients")
    settings = config.attention
    as_of = history.as_of
    entries = history.interactions
    began = _began(history, entries)
    findings: list[Finding] = []

    cadence = cadence_days(client, config)
    due = contact_due(history, config)
    if due is not None and due < as_of:
        anchor = due - timedelta(days=cadence)
        latest = _last_two_way(entries)
        severity = Severity.ALERT if days_since(anchor, as_of) > 2 * cadence else Severity.WARNING
        tried = sum(1 for entry in entries if entry.at > anchor and entry.unanswered_attempt)
        if latest is not None:
            seen = f"Your last two-way contact with {client.name} was on {ymd(anchor)}"
            shown: tuple[Evidence, ...] = evidence(latest)
        else:
            seen = (
                f"You have had no two-way contact with {client.name} since the relationship "
                f"began on {ymd(anchor)}"
            )
            shown = evidence(entries[0]) if entries and entries[0].at == anchor else ()
        attempts = (
            f"; {plural(tried, 'unanswered attempt')} since "
            f"{'does' if tried == 1 else 'do'} not count"
            if tried
            else ""
        )
        every = "every day" if cadence == 1 else f"every {plural(cadence, 'day')}"
        findings.append(
            Finding(
                code="ATT001",
                severity=severity,
                message=f"{seen}, {ago(anchor, as_of)}; their cadence is {every}{attempts}.",
                advice=(
                    "Get in touch this week, on the channel they prefer, with something useful "
                    "to tell them."
                ),
                evidence=shown,
                penalty=penalty(config, severity),
                action=Action.CALL,
            )
        )

    if client.channel is not None:
        mine = [e for e in entries if e.is_contact and e.by is By.ME][-settings.channel_contacts :]
        if len(mine) >= 3:
            off = [entry for entry in mine if entry.kind.channel is not client.channel]
            on = len(mine) - len(off)
            if on / len(mine) < settings.min_preferred_share:
                findings.append(
                    Finding(
                        code="ATT002",
                        severity=Severity.WARNING,
                        message=(
                            f"{'None' if on == 0 else f'Only {on}'} of your last "
                            f"{plural(len(mine), 'contact')} with {client.name} (since "
                            f"{ymd(mine[0].at)}) used {client.channel.value}, the channel "
                            "they prefer."
                        ),
                        advice=(
                            f"Reach them the way they like to be reached: {client.channel.value}."
                        ),
                        evidence=evidence(*off),
                        penalty=penalty(config, Severity.WARNING),
                        action=None,
                    )
                )

    window = settings.initiative_days
    if began is not None and days_since(began, as_of) >= window:
        initiatives = [entry for entry in entries if entry.initiative]
        if not any(days_since(entry.at, as_of) <= window for entry in initiatives):
            last = (
                f"the last one was on {ymd(initiatives[-1].at)}"
                if initiatives
                else "none is logged at all"
            )
            findings.append(
                Finding(
                    code="ATT003",
                    severity=Severity.INFO,
                    message=(
                        f"{client.name} has heard nothing new from you in "
                        f"{the_last(window, 'day')}: no initiative or gesture; {last}."
                    ),
                    advice=(
                        "Bring them something they did not ask for: an idea for their business, "
                        "a relevant tender, a lead, a candidate. Log it with --initiative."
                    ),
                    evidence=evidence(initiatives[-1]) if initiatives else (),
                    penalty=penalty(config, Severity.INFO),
                    action=Action.INITIATIVE,
                )
            )

    found = tuple(findings)
    return ModuleResult(MODULE, score_from(found), found)
