"""Moving whole journals in and out: the data, and how an import merges into a journal.

Pure: the store reads what the journal already holds into an `Existing`,
`plan_import` decides what is added, skipped or in conflict, and the store
writes the plan in one transaction. The file formats (relog.formats) only
translate between bytes and a `JournalData`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from relog.domain import BillData, ClientData, InteractionData, MistakeData, name_key

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Mapping

    from relog.handles import HandleData

TABLES = ("clients", "interactions", "mistakes", "bills", "handles")
"""The tables of a journal document, in the order it lists them."""


@dataclass(frozen=True, slots=True)
class JournalData:
    """A whole journal, or the part of it an export was limited to, each table by id."""

    clients: tuple[ClientData, ...] = ()
    interactions: tuple[InteractionData, ...] = ()
    mistakes: tuple[MistakeData, ...] = ()
    bills: tuple[BillData, ...] = ()
    handles: tuple[HandleData, ...] = ()
    notes: tuple[str, ...] = ()
    """What reading the file left out and why (a contact's unreadable phone number), to
    tell the user; not part of the journal."""
    client_fields: frozenset[str] | None = None
    """The client fields the file speaks for, when not all of them (a list of contacts
    has names and notes but no stage): a merge compares only these."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """A client field whose value in the file differs from the journal's (the journal's is kept)."""

    client: str
    field: str
    journal: Any
    file: Any


@dataclass(slots=True)
class Tally:
    added: int = 0
    skipped: int = 0
    conflicting: int = 0


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import added, skipped as already there, and found in conflict, per table."""

    tallies: dict[str, Tally]
    conflicts: tuple[Conflict, ...]
    dry_run: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Existing:
    """What the journal holds that an import is compared with.

    `entries`, `bills` and `mistakes` hold the `same_*` keys of the rows of the
    clients the file names (by their ids in the journal); `next_ids` is where
    each table's new ids start, or None for an empty journal, which keeps the
    file's ids.
    """

    clients: tuple[ClientData, ...] = ()
    entries: frozenset[Hashable] = frozenset()
    bills: frozenset[Hashable] = frozenset()
    mistakes: frozenset[Hashable] = frozenset()
    handles: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """The client id of every handle in the journal, by kind and key."""
    next_ids: Mapping[str, int] | None = None


def same_entry(entry: InteractionData) -> Hashable:
    """An entry is the same as another of its client at the same moment, of the same kind and by."""
    return (entry.client_id, entry.at, entry.kind.value, entry.by.value)


def same_bill(bill: BillData) -> Hashable:
    return (bill.client_id, bill.at, bill.amount)


def same_mistake(mistake: MistakeData) -> Hashable:
    return (mistake.client_id, mistake.created_at)


UNCOMPARED = ("id", "created_at")
"""Client fields a merge does not compare: the id is the journal's own, and when a client
was added to one journal says nothing about the other."""


def tidy_name(name: str) -> str:
    """A name as the store keeps it: runs of spaces made one."""
    return " ".join(name.split())


def conflicts(
    journal: ClientData, file: ClientData, fields: frozenset[str] | None = None
) -> list[Conflict]:
    """The fields (of `fields`, or all) in which `file`'s client differs from the journal's
    client of the same name."""
    found = []
    for column in dataclasses.fields(ClientData):
        if column.name in UNCOMPARED or (fields is not None and column.name not in fields):
            continue
        ours, theirs = getattr(journal, column.name), getattr(file, column.name)
        if column.name == "name":
            theirs = tidy_name(theirs)
        if ours != theirs:
            found.append(Conflict(journal.name, column.name, ours, theirs))
    return found


@dataclass(slots=True)
class Plan:
    """The rows an import writes, with their ids and client ids in the journal."""

    clients: list[ClientData] = field(default_factory=list)
    interactions: list[InteractionData] = field(default_factory=list)
    mistakes: list[MistakeData] = field(default_factory=list)
    bills: list[BillData] = field(default_factory=list)
    handles: list[HandleData] = field(default_factory=list)
    merged: set[int] = field(default_factory=set)
    """Journal ids of the existing clients that gained entries (their requests are re-paired)."""
    report: ImportReport = field(
        default_factory=lambda: ImportReport({t: Tally() for t in TABLES}, (), dry_run=False)
    )


Row = TypeVar("Row", InteractionData, MistakeData, BillData)


class _Ids:
    """New ids: the file's own in an empty journal, else one after the journal's largest."""

    def __init__(self, next_ids: Mapping[str, int] | None) -> None:
        self._next = dict(next_ids) if next_ids is not None else None

    def take(self, table: str, own: int) -> int:
        if self._next is None:
            return own
        taken = self._next[table]
        self._next[table] = taken + 1
        return taken


def plan_import(data: JournalData, existing: Existing, *, dry_run: bool = False) -> Plan:
    """Merge `data` into a journal holding `existing`, by client name.

    A client whose name the journal has (ignoring case and spacing) is that
    client: its fields stay as the journal has them (each difference is a
    conflict), and it gains the rows it does not have yet (`same_entry`,
    `same_bill`, `same_mistake`). Any other client is added with all its rows.
    """
    merge = _Merge(existing, ImportReport({t: Tally() for t in TABLES}, (), dry_run=dry_run))
    found = [
        conflict for client in data.clients for conflict in merge.client(client, data.client_fields)
    ]
    plan = Plan(
        clients=merge.added,
        interactions=merge.rows("interactions", data.interactions, existing.entries, same_entry),
        mistakes=merge.rows("mistakes", data.mistakes, existing.mistakes, same_mistake),
        bills=merge.rows("bills", data.bills, existing.bills, same_bill),
    )
    plan.handles = merge.handles(data.handles, existing.handles, found)
    plan.report = replace(merge.report, conflicts=tuple(found), notes=data.notes)
    plan.merged = {e.client_id for e in plan.interactions if e.client_id in merge.matched}
    return plan


class _Merge:
    """One import's decisions so far: which client of the file is which in the journal."""

    def __init__(self, existing: Existing, report: ImportReport) -> None:
        self.report = report
        self.ids = _Ids(existing.next_ids)
        self.by_key = {name_key(c.name): c for c in existing.clients}
        self.names = {c.id: c.name for c in existing.clients}
        self.client_ids: dict[int, int] = {}
        self.matched: set[int] = set()
        self.added: list[ClientData] = []

    def client(self, client: ClientData, fields: frozenset[str] | None) -> list[Conflict]:
        """Add `client`, or match it to the journal's client of its name and say how they differ."""
        tally = self.report.tallies["clients"]
        known = self.by_key.get(name_key(client.name))
        if known is None:
            self.client_ids[client.id] = self.ids.take("clients", client.id)
            self.added.append(replace(client, id=self.client_ids[client.id]))
            self.names[self.client_ids[client.id]] = client.name
            tally.added += 1
            return []
        self.client_ids[client.id] = known.id
        self.matched.add(known.id)
        tally.skipped += 1
        differences = conflicts(known, client, fields)
        tally.conflicting += bool(differences)
        return differences

    def rows(
        self,
        table: str,
        rows: Iterable[Row],
        have: frozenset[Hashable],
        same: Callable[[Row], Hashable],
    ) -> list[Row]:
        """The rows of one table to add, renumbered; those their client already has are counted."""
        tally = self.report.tallies[table]
        added = []
        for row in rows:
            client_id = self.client_ids[row.client_id]
            if client_id in self.matched and same(replace(row, client_id=client_id)) in have:
                tally.skipped += 1
                continue
            new_id = self.ids.take(table, row.id)
            if (new_id, client_id) != (row.id, row.client_id):
                row = replace(row, id=new_id, client_id=client_id)
            added.append(row)
            tally.added += 1
        return added

    def handles(
        self,
        rows: Iterable[HandleData],
        have: Mapping[tuple[str, str], int],
        found: list[Conflict],
    ) -> list[HandleData]:
        """The handles to add: a client gains those it lacks; one that another client of
        the journal has stays theirs (a conflict), since a handle belongs to one client."""
        tally = self.report.tallies["handles"]
        added = []
        for row in rows:
            client_id = self.client_ids[row.client_id]
            owner = have.get((row.kind.value, row.key))
            if owner == client_id:
                tally.skipped += 1
                continue
            if owner is not None:
                tally.conflicting += 1
                found.append(
                    Conflict(
                        self.names[client_id],
                        row.kind.value,
                        f"belongs to {self.names.get(owner, owner)}",
                        row.value,
                    )
                )
                continue
            added.append(replace(row, id=self.ids.take("handles", row.id), client_id=client_id))
            tally.added += 1
        return added
