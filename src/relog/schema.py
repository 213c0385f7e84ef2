"""The `--json` documents: pydantic models, so the shape is declared in one place.

These shapes are a contract for scripts (docs/json.md). Add fields freely;
never rename or remove one without a major version.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from relog.domain import (
    By,
    Cause,
    Channel,
    ClientData,
    InteractionData,
    Item,
    Kind,
    MistakeData,
    MistakeKind,
    Outcome,
    Request,
    Resolution,
    Source,
    Stage,
)


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ClientOut(Out):
    id: int
    name: str
    stage: Stage
    source: Source | None
    referred_by: str | None
    cadence_days: int | None
    channel: Channel | None
    notes: str
    created_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None

    @classmethod
    def of(cls, client: ClientData) -> ClientOut:
        return cls(
            id=client.id,
            name=client.name,
            stage=client.stage,
            source=client.source,
            referred_by=client.referred_by,
            cadence_days=client.cadence_days,
            channel=client.channel,
            notes=client.notes,
            created_at=client.created_at,
            ended_at=client.ended_at,
            end_reason=client.end_reason,
        )


class ClientList(Out):
    clients: list[ClientOut]


class RequestOut(Out):
    item: Item
    asked_id: int
    asked_at: datetime
    given_id: int | None
    given_at: datetime | None

    @classmethod
    def of(cls, request: Request) -> RequestOut:
        return cls(
            item=request.item,
            asked_id=request.asked_id,
            asked_at=request.asked_at,
            given_id=request.given_id,
            given_at=request.given_at,
        )


class ClientDetail(ClientOut):
    interactions: int
    first_contact: datetime | None
    last_contact: datetime | None
    last_two_way: datetime | None
    open_requests: list[RequestOut]


class InteractionOut(Out):
    id: int
    client_id: int
    client: str
    kind: Kind
    at: datetime
    by: By
    outcome: Outcome
    agreed: bool
    next_at: datetime | None
    think: bool
    asked: list[Item]
    gave: list[Item]
    disagreement: Resolution | None
    expectations: bool
    initiative: bool
    delegated: bool
    late: bool
    minutes: int | None
    summary: str

    @classmethod
    def of(cls, entry: InteractionData, client: str) -> InteractionOut:
        return cls(
            id=entry.id,
            client_id=entry.client_id,
            client=client,
            kind=entry.kind,
            at=entry.at,
            by=entry.by,
            outcome=entry.outcome,
            agreed=entry.agreed,
            next_at=entry.next_at,
            think=entry.think,
            asked=sorted(entry.asked),
            gave=sorted(entry.gave),
            disagreement=entry.disagreement,
            expectations=entry.expectations,
            initiative=entry.initiative,
            delegated=entry.delegated,
            late=entry.late,
            minutes=entry.minutes,
            summary=entry.summary,
        )


class Timeline(Out):
    interactions: list[InteractionOut]


class MistakeOut(Out):
    id: int
    client_id: int
    client: str
    created_at: datetime
    what: str
    kind: MistakeKind
    cause: Cause
    cause_note: str
    plan: str
    due: datetime | None
    done_at: datetime | None
    third_party: bool | None
    open: bool

    @classmethod
    def of(cls, mistake: MistakeData) -> MistakeOut:
        return cls(
            id=mistake.id,
            client_id=mistake.client_id,
            client=mistake.client_name,
            created_at=mistake.created_at,
            what=mistake.what,
            kind=mistake.kind,
            cause=mistake.cause,
            cause_note=mistake.cause_note,
            plan=mistake.plan,
            due=mistake.due,
            done_at=mistake.done_at,
            third_party=mistake.third_party,
            open=bool(mistake.plan) and mistake.done_at is None,
        )


class MistakeList(Out):
    mistakes: list[MistakeOut]
