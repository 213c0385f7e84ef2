"""The `--json` documents of reviews (docs/json.md): one client's, and the portfolio's.

Kept apart from the screens (`render.review`), so a review printed as text does
not build these pydantic models.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from relog.domain import Stage
from relog.render.review import agenda_lines
from relog.rules.base import Action, Finding, Severity
from relog.schema import Out as Doc

if TYPE_CHECKING:
    from relog.review import ClientReview, Largest, NextStep, PortfolioReview, Term


class EvidenceDoc(Doc):
    id: int
    at: datetime


class FindingDoc(Doc):
    code: str
    severity: Severity
    message: str
    advice: str
    evidence: list[EvidenceDoc]
    penalty: int
    action: Action | None

    @classmethod
    def of(cls, finding: Finding) -> FindingDoc:
        return cls(
            code=finding.code,
            severity=finding.severity,
            message=finding.message,
            advice=finding.advice,
            evidence=[EvidenceDoc(id=e.id, at=e.at) for e in finding.evidence],
            penalty=finding.penalty,
            action=finding.action,
        )


class ModuleDoc(Doc):
    score: int
    weight: float
    applicable: bool
    contribution: float
    findings: list[FindingDoc]


class NextStepDoc(Doc):
    action: Action
    reason: str
    when: datetime | None

    @classmethod
    def of(cls, step: NextStep) -> NextStepDoc:
        return cls(action=step.action, reason=step.reason, when=step.when)


class TrendDoc(Doc):
    at: datetime
    health: int | None


class ClientReviewDoc(Doc):
    client: str
    client_id: int
    stage: Stage
    as_of: datetime
    judged_at: datetime
    health: int | None
    modules: dict[str, ModuleDoc]
    next_action: NextStepDoc
    trend: list[TrendDoc]

    @classmethod
    def of(cls, review: ClientReview) -> ClientReviewDoc:
        return cls(
            client=review.client.name,
            client_id=review.client.id,
            stage=review.client.stage,
            as_of=review.as_of,
            judged_at=review.judged_at or review.as_of,
            health=review.health,
            modules={term.module: _module_doc(term) for term in review.terms},
            next_action=NextStepDoc.of(review.next_step),
            trend=[TrendDoc(at=p.at, health=p.health) for p in review.trend],
        )


def _module_doc(term: Term) -> ModuleDoc:
    return ModuleDoc(
        score=term.score,
        weight=term.weight,
        applicable=term.applicable,
        contribution=round(term.contribution, 2),
        findings=[FindingDoc.of(f) for f in term.findings],
    )


class PortfolioRowDoc(Doc):
    client: str
    client_id: int
    stage: Stage
    health: int | None
    next_action: NextStepDoc
    findings: list[str]


class AgendaItemDoc(Doc):
    client: str
    reason: str


class AgendaDoc(Doc):
    answer: list[AgendaItemDoc]
    deliver: list[AgendaItemDoc]
    follow_up: list[AgendaItemDoc]
    going_dark: list[AgendaItemDoc]
    talk: list[AgendaItemDoc]
    leave_alone: list[AgendaItemDoc]


class LargestDoc(Doc):
    client: str
    client_id: int
    measure: str
    share: float
    held: float | int
    total: float | int
    window_days: int

    @classmethod
    def of(cls, largest: Largest) -> LargestDoc:
        def shown(value: int) -> float | int:
            return value / 100 if largest.measure == "income" else value

        return cls(
            client=largest.client.name,
            client_id=largest.client.id,
            measure=largest.measure,
            share=round(largest.share, 4),
            held=shown(largest.held),
            total=shown(largest.total),
            window_days=largest.window_days,
        )


class PortfolioReviewDoc(Doc):
    as_of: datetime
    score: int
    clients: list[PortfolioRowDoc]
    findings: list[FindingDoc]
    agenda: AgendaDoc
    largest_client: LargestDoc | None

    @classmethod
    def of(cls, review: PortfolioReview) -> PortfolioReviewDoc:
        agenda = agenda_lines(review)
        return cls(
            as_of=review.as_of,
            score=review.portfolio.score,
            clients=[
                PortfolioRowDoc(
                    client=r.client.name,
                    client_id=r.client.id,
                    stage=r.client.stage,
                    health=r.health,
                    next_action=NextStepDoc.of(r.next_step),
                    findings=[f.code for f in r.findings],
                )
                for r in review.reviews
            ],
            findings=[FindingDoc.of(f) for f in review.portfolio.findings],
            largest_client=LargestDoc.of(review.largest) if review.largest else None,
            agenda=AgendaDoc(
                **{
                    key: [AgendaItemDoc(client=name, reason=reason) for name, reason in items]
                    for key, items in agenda.items()
                }
            ),
        )
