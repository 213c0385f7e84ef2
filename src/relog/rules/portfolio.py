"""Portfolio: the business as a whole.

Clients come and go, often for reasons that have nothing to do with you. A
departure is no crisis when new clients arrive at a steady rate and no single
client carries the business. And the lessons of past departures only count
when the action plans in the mistakes log get done.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from relog.domain import By, Stage
from relog.rules.base import (
    Finding,
    ModuleResult,
    Rule,
    Severity,
    days_since,
    evidence,
    penalty,
    plural,
    score_from,
    the_last,
    within,
    ymd,
)

if TYPE_CHECKING:
    from datetime import datetime

    from relog.config import Config
    from relog.domain import ClientData
    from relog.rules.base import Portfolio

MODULE = "portfolio"
IDEA = "A steady flow of clients"
MIN_CONTACTS_FOR_SHARE = 5
"""Fewest recent contacts with active clients before one client's share means anything."""

RULES: tuple[Rule, ...] = (
    Rule(
        code="POR001",
        symbol="dependent-on-one-client",
        module=MODULE,
        severity=Severity.WARNING,
        summary="One client holds most of your recent work.",
        idea=IDEA,
        settings=("portfolio.window_days", "portfolio.max_client_share"),
        explanation=(
            "Counts your contacts with active clients in the last window_days (at least 5). "
            "When one client has more than max_client_share of them, losing that client would "
            "be a crisis. Put time into bringing in new clients."
        ),
    ),
    Rule(
        code="POR002",
        symbol="empty-pipeline",
        module=MODULE,
        severity=Severity.WARNING,
        summary="No new relationship and no one reaching out to you lately.",
        idea=IDEA,
        settings=("portfolio.pipeline_days",),
        explanation=(
            "Looks for a new relationship in the last pipeline_days, whatever its stage now "
            "(a lead you won is still new business): a client added in that time, or one "
            "whose first contact with you that they started falls in it. Or a contact a lead "
            "or prospect started in that time. With none of these, nothing new is coming in. "
            "Ask satisfied clients for introductions and make it easy for people to call you."
        ),
    ),
    Rule(
        code="POR003",
        symbol="overdue-action-plan",
        module=MODULE,
        severity=Severity.WARNING,
        summary="An action plan from the mistakes log is past its due date.",
        idea=IDEA,
        settings=(),
        explanation=(
            "Every post-mortem action plan whose due date has passed without it being done. "
            "A lesson only counts once the plan is carried out: do it, or set a date you "
            "can keep."
        ),
    ),
    Rule(
        code="POR004",
        symbol="few-active-clients",
        module=MODULE,
        severity=Severity.INFO,
        summary="Fewer active clients than the minimum.",
        idea=IDEA,
        settings=("portfolio.min_active_clients",),
        explanation=(
            "With fewer than min_active_clients active clients, every departure hurts. Use "
            "the time you have to build the pipeline."
        ),
    ),
)


def evaluate(portfolio: Portfolio, config: Config) -> ModuleResult:
    settings = config.portfolio
    as_of = portfolio.as_of
    clients = [c for c in portfolio.clients if c.created_at is None or c.created_at <= as_of]
    histories = {client.id: portfolio.histories.get(client.id, ()) for client in clients}
    findings: list[Finding] = []

    active = [client for client in clients if client.stage is Stage.ACTIVE]
    recent = {
        client.id: [
            entry
            for entry in within(histories[client.id], as_of, settings.window_days)
            if entry.is_contact
        ]
        for client in active
    }
    counts = Counter({client_id: len(contacts) for client_id, contacts in recent.items()})
    total = sum(counts.values())
    if total >= MIN_CONTACTS_FOR_SHARE:
        for client in active:
            share = counts[client.id] / total
            if share > settings.max_client_share:
                findings.append(
                    Finding(
                        code="POR001",
                        severity=Severity.WARNING,
                        message=(
                            f"{client.name} holds {share:.0%} of your contacts with active "
                            f"clients in {the_last(settings.window_days, 'day')} "
                            f"({counts[client.id]} of {total})."
                        ),
                        advice=(
                            "Losing them would be a crisis. Set time aside every week to bring "
                            "in new clients, so that no single one carries the business."
                        ),
                        evidence=evidence(*recent[client.id]),
                        penalty=penalty(config, Severity.WARNING),
                        action=None,
                    )
                )

    def lately(moment: datetime | None) -> bool:
        return moment is not None and days_since(moment, as_of) <= settings.pipeline_days

    def first_from_them(client: ClientData) -> datetime | None:
        theirs = (e.at for e in histories[client.id] if e.by is By.THEM and e.is_contact)
        return next(theirs, None)  # histories are oldest first

    # New business is new whatever its stage now: winning a lead must not empty the pipeline.
    new = [
        client for client in clients if lately(client.created_at) or lately(first_from_them(client))
    ]
    reaching_out = [
        entry
        for client in clients
        if client.stage.is_pipeline
        for entry in within(histories[client.id], as_of, settings.pipeline_days)
        if entry.is_contact and entry.by is By.THEM
    ]
    if clients and not new and not reaching_out:
        findings.append(
            Finding(
                code="POR002",
                severity=Severity.WARNING,
                message=(
                    "No new client, lead or prospect and no contact from a lead or prospect "
                    f"in {the_last(settings.pipeline_days, 'day')}."
                ),
                advice=(
                    "Build a steady flow: ask satisfied clients for introductions, ask the "
                    "people who refer you to pass your details on, and make it easy to call you."
                ),
                evidence=(),
                penalty=penalty(config, Severity.WARNING),
                action=None,
            )
        )

    for mistake in portfolio.mistakes:
        if mistake.created_at > as_of or not mistake.overdue_at(as_of) or mistake.due is None:
            continue
        plan = mistake.plan or "the action plan"
        findings.append(
            Finding(
                code="POR003",
                severity=Severity.WARNING,
                message=(
                    f'The action plan after {mistake.client_name}, "{plan}", was due on '
                    f"{ymd(mistake.due)} and is not done."
                ),
                advice="Do it now, or set a new date you can keep, so the mistake does not repeat.",
                evidence=(),
                penalty=penalty(config, Severity.WARNING),
                action=None,
            )
        )

    if clients and len(active) < settings.min_active_clients:
        least = plural(settings.min_active_clients, "active client")
        findings.append(
            Finding(
                code="POR004",
                severity=Severity.INFO,
                message=(
                    f"You have no active clients right now; aim for at least {least}, so "
                    "that no single departure is a crisis."
                    if not active
                    else f"You have only {plural(len(active), 'active client')}; with fewer "
                    f"than {settings.min_active_clients}, one departure is a crisis."
                ),
                advice=(
                    "Spend the free time on the pipeline: follow up the leads who came to you "
                    "and ask active clients for introductions."
                ),
                evidence=(),
                penalty=penalty(config, Severity.INFO),
                action=None,
            )
        )

    found = tuple(findings)
    return ModuleResult(MODULE, score_from(found), found)
