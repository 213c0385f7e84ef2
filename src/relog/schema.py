"""The `--json` documents: pydantic models, so the shape is declared in one place.

These shapes are a contract for scripts (docs/json.md). Add fields freely;
never rename or remove one without a major version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer, field_validator

from relog.domain import (
    BillData,
    By,
    Cause,
    Channel,
    ClientData,
    Found,
    InteractionData,
    Item,
    Kind,
    MistakeData,
    MistakeKind,
    Outcome,
    Request,
    Resolution,
    SearchHit,
    Source,
    Stage,
)

if TYPE_CHECKING:
    from pathlib import Path

    from relog.patterns import Patterns
    from relog.store.health import Health
    from relog.sync import SyncReport
    from relog.transfer import ImportReport


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _in_utc(cls, value: Any) -> Any:
        """Every moment in JSON is UTC with a trailing Z (docs/json.md)."""
        return value.astimezone(UTC) if isinstance(value, datetime) else value


def _number(amount: Decimal) -> int | float:
    """A whole amount as an integer, else as the float that prints as the decimal itself.

    Every amount relog accepts has at most 14 digits, which a float holds and
    prints back exactly as written (1200.5), so JSON carries the number typed.
    """
    return int(amount) if amount == amount.to_integral_value() else float(amount)


Amount = Annotated[Decimal, PlainSerializer(_number, return_type=int | float, when_used="json")]
"""Money in the journal's currency: exact in Python, a plain JSON number."""


def amount(hundredths: int) -> Decimal:
    """Stored hundredths as the amount they are: 120050 -> Decimal('1200.50')."""
    return Decimal(hundredths).scaleb(-2)


def amount_or_none(hundredths: int | None) -> Decimal | None:
    return None if hundredths is None else amount(hundredths)


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
    cadence_min_days: int | None
    retainer: Amount | None
    started_at: datetime | None

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
            cadence_min_days=client.cadence_min_days,
            retainer=amount_or_none(client.retainer),
            started_at=client.started_at,
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


class BillOut(Out):
    id: int
    client_id: int
    client: str
    at: datetime
    amount: Amount
    currency: str | None
    note: str

    @classmethod
    def of(cls, bill: BillData, client: str, currency: str | None) -> BillOut:
        return cls(
            id=bill.id,
            client_id=bill.client_id,
            client=client,
            at=bill.at,
            amount=amount(bill.amount),
            currency=currency,
            note=bill.note,
        )


class BillList(Out):
    currency: str | None
    total: Amount
    bills: list[BillOut]


class ClientDetail(ClientOut):
    emails: list[str]
    phones: list[str]
    domains: list[str]
    interactions: int
    first_contact: datetime | None
    last_contact: datetime | None
    last_two_way: datetime | None
    open_requests: list[RequestOut]
    began_at: datetime | None
    currency: str | None
    bill_count: int
    recent_bills: list[BillOut]


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
    member: str | None

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
            member=entry.member,
        )


class Timeline(Out):
    interactions: list[InteractionOut]


class MatchOut(Out):
    """Where a word a search found is in a hit's text: `text[start:end]`."""

    start: int
    end: int


class SearchHitOut(Out):
    found_in: Found
    client_id: int
    client: str
    at: datetime | None
    text: str
    matches: list[MatchOut]
    entry: InteractionOut | None
    mistake_id: int | None

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(
            found_in=hit.found_in,
            client_id=hit.client_id,
            client=hit.client,
            at=hit.at,
            text=hit.text,
            matches=[MatchOut(start=start, end=end) for start, end in hit.marks],
            entry=None if hit.entry is None else InteractionOut.of(hit.entry, hit.client),
            mistake_id=hit.mistake_id,
        )


class SearchResults(Out):
    hits: list[SearchHitOut]


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


class CauseCount(Out):
    cause: Cause
    count: int


class KindCount(Out):
    kind: MistakeKind
    count: int


class ThirdPartyOut(Out):
    suspected: int
    plain: int
    unknown: int
    share: float | None


class PlansOut(Out):
    made: int
    done: int
    open: int
    overdue: int
    median_days_to_close: float | None
    mean_days_to_close: float | None


class PatternsOut(Out):
    """`relog mistakes patterns --json`: what recurs across post-mortems."""

    as_of: datetime
    post_mortems: int
    no_mistake: int
    causes: list[CauseCount]
    kinds: list[KindCount]
    recurring_causes: list[Cause]
    recurring_kinds: list[MistakeKind]
    third_party: ThirdPartyOut
    plans: PlansOut
    open_plans: list[MistakeOut]
    overdue: list[MistakeOut]

    @classmethod
    def of(cls, patterns: Patterns) -> PatternsOut:
        def days(value: float | None) -> float | None:
            return None if value is None else round(value, 1)

        share = patterns.third_party_share
        return cls(
            as_of=patterns.as_of,
            post_mortems=patterns.post_mortems,
            no_mistake=patterns.no_mistake,
            causes=[CauseCount(cause=c, count=n) for c, n in patterns.causes],
            kinds=[KindCount(kind=k, count=n) for k, n in patterns.kinds],
            recurring_causes=patterns.recurring_causes,
            recurring_kinds=patterns.recurring_kinds,
            third_party=ThirdPartyOut(
                suspected=patterns.third_party_suspected,
                plain=patterns.third_party_plain,
                unknown=patterns.third_party_unknown,
                share=None if share is None else round(share, 3),
            ),
            plans=PlansOut(
                made=patterns.plans,
                done=patterns.done,
                open=len(patterns.open_plans),
                overdue=len(patterns.overdue),
                median_days_to_close=days(patterns.median_days_to_close),
                mean_days_to_close=days(patterns.mean_days_to_close),
            ),
            open_plans=[MistakeOut.of(m) for m in patterns.open_plans],
            overdue=[MistakeOut.of(m) for m in patterns.overdue],
        )


class SettingOut(Out):
    """One config key a rule reads, with the value in force and the default."""

    key: str
    value: int | float
    default: int | float
    description: str


class RuleOut(Out):
    code: str
    symbol: str
    module: str
    severity: str
    summary: str
    idea: str
    settings: list[SettingOut]
    explanation: str


class RuleList(Out):
    rules: list[RuleOut]


class BackupOut(Out):
    """`relog backup --json`: the copy made."""

    path: str
    size: int
    """In bytes."""


class HealthOut(Out):
    """`relog check --json`: what SQLite's checks found in the journal file."""

    path: str
    healthy: bool
    schema_revision: str | None
    problems: list[str]
    affected: list[str]
    orphans: list[str]
    latest_copy: str | None

    @classmethod
    def of(cls, health: Health, latest: Path | None) -> HealthOut:
        return cls(
            path=str(health.path),
            healthy=health.healthy,
            schema_revision=health.revision,
            problems=list(health.problems),
            affected=list(health.affected),
            orphans=list(health.orphans),
            latest_copy=None if latest is None else str(latest),
        )


class TallyOut(Out):
    added: int
    skipped: int
    conflicting: int


class ConflictOut(Out):
    client: str
    field: str
    journal: Any
    file: Any


class ImportReportOut(Out):
    """`relog import --json`: what was (or, with --dry-run, would be) added, skipped and in
    conflict, per table (docs/export.md)."""

    dry_run: bool
    tables: dict[str, TallyOut]
    conflicts: list[ConflictOut]
    notes: list[str]

    @classmethod
    def of(cls, report: ImportReport) -> ImportReportOut:
        return cls(
            dry_run=report.dry_run,
            tables={
                name: TallyOut(added=t.added, skipped=t.skipped, conflicting=t.conflicting)
                for name, t in report.tallies.items()
            },
            conflicts=[
                ConflictOut(client=c.client, field=c.field, journal=c.journal, file=c.file)
                for c in report.conflicts
            ],
            notes=list(report.notes),
        )


class SyncClientOut(Out):
    client: str
    added: int
    linked: int
    updated: int
    removed: int
    known: int


class SyncProblemOut(Out):
    where: str
    what: str


class StrangerOut(Out):
    address: str
    name: str | None
    """The display name first seen with the address, if any."""
    count: int


class SyncReportOut(Out):
    """`relog sync mail|calendar --json`: per client what was (or, with --dry-run, would
    be) added, linked, updated and removed, what was skipped and why, the people with no
    client, and what could not be read (docs/sync.md)."""

    source: str
    dry_run: bool
    read: int
    clients: list[SyncClientOut]
    skipped: dict[str, int]
    strangers: list[StrangerOut]
    problems: list[SyncProblemOut]
    notes: list[SyncProblemOut]

    @classmethod
    def of(cls, report: SyncReport, names: dict[int, str], source: str) -> SyncReportOut:
        from relog.sync import Change

        return cls(
            source=source,
            dry_run=report.dry_run,
            read=report.read,
            clients=[
                SyncClientOut(
                    client=names.get(client_id, str(client_id)),
                    **{change.value: counts[change] for change in Change},
                )
                for client_id, counts in sorted(
                    report.changes.items(), key=lambda item: names.get(item[0], "").casefold()
                )
            ],
            skipped=dict(report.skipped.most_common()),
            strangers=[
                StrangerOut(address=a, name=report.stranger_names.get(a), count=n)
                for a, n in report.strangers.most_common()
            ],
            problems=[SyncProblemOut(where=p.where, what=p.what) for p in report.problems],
            notes=[SyncProblemOut(where=p.where, what=p.what) for p in report.notes],
        )


class SyncRunOut(Out):
    """A bare `relog sync --json` that read both mail and calendars: one report for each."""

    sources: list[SyncReportOut]
