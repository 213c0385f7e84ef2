"""Writing what a sync found, one batch per transaction.

Each batch holds contacts (a message or event with one client), events gone
(cancelled or declined), and the files it read. In one transaction a contact
already synced is left alone (mail) or brought up to date (a moved event); a
new one is linked to an entry logged by hand for the same client, of the
same kind and direction, within `LINK_HOURS`, or else added; an event gone is
removed (an entry a sync added) or unlinked (one logged by hand); and the
files are marked read. A sync killed between batches leaves whole batches
only, and the next run reads the rest.

A dry run writes the same way in one transaction that is rolled back at the
end, so what it reports is exactly what a real run would do.
"""

from __future__ import annotations

import bisect
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update

from relog.domain import Kind
from relog.store.store import (
    _INTERACTION_COLUMNS,
    _driver_rows,
    _interaction,
    _interaction_values,
)
from relog.store.tables import INTERACTION, SYNCED_ENTRY, SYNCED_FILE
from relog.sync import LINK_HOURS, Change

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from sqlalchemy.engine import Connection

    from relog.domain import InteractionData
    from relog.store.store import Store
    from relog.sync import Contact, Gone, SyncReport

SYNCED = SYNCED_ENTRY
FILES = SYNCED_FILE

COMPARED = ("kind", "at", "by", "agreed", "next_at", "minutes", "summary")
"""What an update of a synced event changes."""


@dataclass(slots=True)
class Batch:
    contacts: list[Contact] = field(default_factory=list)
    gone: list[Gone] = field(default_factory=list)
    series: set[str] = field(default_factory=set)
    """Calendar series read whole in this batch: their occurrences not among `contacts`
    were moved away or excluded, and go."""
    files: list[tuple[str, str, str]] = field(default_factory=list)
    """(source, name, stamp) of each file read."""
    forget: set[str] = field(default_factory=set)
    """Sources whose read files are forgotten first (the matching changed)."""

    def __len__(self) -> int:
        return len(self.contacts) + len(self.gone) + len(self.files)


def seen_files(store: Store, source: str) -> dict[str, str]:
    """The files of `source` already read, by name, with how each was when read."""
    query = select(FILES.c.name, FILES.c.stamp).where(FILES.c.source == source)
    with store._reading() as connection:
        return dict(_driver_rows(connection, query))  # type: ignore[arg-type]


class Writer:
    """Writes batches: each committed on its own, or with `dry_run` all rolled back."""

    def __init__(
        self, connection: Connection, report: SyncReport, dry_run: bool, member: str
    ) -> None:
        self.connection = connection
        self.report = report
        self.dry_run = dry_run
        self.member = member
        """The team member the entries are logged by (see `Store.member`)."""

    def write(self, batch: Batch) -> None:
        connection = self.connection
        for source in batch.forget:
            connection.execute(delete(FILES).where(FILES.c.source == source))
        known = _known(connection, {c.key for c in batch.contacts} | _series_keys(batch))
        candidates = _Candidates(connection, {c.entry.client_id for c in batch.contacts})
        produced: set[tuple[str, int]] = set()
        for contact in batch.contacts:
            client_id = contact.entry.client_id
            pair = (contact.key, client_id)
            if pair in produced:
                continue
            produced.add(pair)
            row = known.get(pair)
            if row is not None:
                self.report.count(client_id, self._refresh(row, contact))
                continue
            linked = candidates.take(contact.entry)
            if linked is None:
                linked_id, is_link = self._insert(contact.entry), False
            else:
                linked_id, is_link = linked, True
            connection.execute(
                SYNCED.insert(),
                {
                    "key": contact.key,
                    "series": contact.series,
                    "client_id": client_id,
                    "interaction_id": linked_id,
                    "linked": is_link,
                },
            )
            known[pair] = (linked_id, is_link)
            self.report.count(client_id, Change.LINKED if is_link else Change.ADDED)
        gone = {g.key for g in batch.gone}
        for (key, client_id), (interaction_id, linked) in list(known.items()):
            moved = _series_of(key) in batch.series and (key, client_id) not in produced
            if key in gone or moved:
                self._remove(interaction_id, linked)
                self.report.count(client_id, Change.REMOVED)
        if batch.files:
            connection.execute(
                FILES.delete().where(
                    FILES.c.source == batch.files[0][0],
                    FILES.c.name.in_([name for _, name, _ in batch.files]),
                )
            )
            connection.execute(
                FILES.insert(),
                [{"source": s, "name": n, "stamp": st} for s, n, st in batch.files],
            )
        if not self.dry_run:
            connection.commit()

    def _insert(self, entry: InteractionData) -> int:
        values = {**_interaction_values(entry), "member": self.member}
        inserted = self.connection.execute(INTERACTION.insert(), values)
        key = inserted.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _refresh(self, row: tuple[int, bool], contact: Contact) -> Change:
        """Bring an entry a sync added up to date with its event; leave mail and entries
        logged by hand as they are."""
        interaction_id, linked = row
        if linked or contact.entry.kind is Kind.EMAIL:
            return Change.KNOWN
        stored = self.connection.execute(
            select(*_INTERACTION_COLUMNS).where(INTERACTION.c.id == interaction_id)
        ).first()
        if stored is None:
            return Change.KNOWN
        old = _interaction(stored)
        new = contact.entry
        values = _interaction_values(new)
        if old.kind is Kind.NOTE and new.kind is Kind.NOTE:
            values["at"] = old.at  # an agreed meeting still ahead keeps when it was noted
        wanted = {name: values[name] for name in COMPARED}
        current = _interaction_values(old)
        if all(current[name] == wanted[name] for name in COMPARED):
            return Change.KNOWN
        self.connection.execute(
            update(INTERACTION).where(INTERACTION.c.id == interaction_id).values(**wanted)
        )
        return Change.UPDATED

    def _remove(self, interaction_id: int, linked: bool) -> None:
        if linked:
            self.connection.execute(delete(SYNCED).where(SYNCED.c.interaction_id == interaction_id))
        else:
            self.connection.execute(delete(INTERACTION).where(INTERACTION.c.id == interaction_id))


@contextmanager
def writing(store: Store, report: SyncReport, *, dry_run: bool) -> Iterator[Writer]:
    """A `Writer` on one connection; a dry run's writes are rolled back at the end."""
    member = store.member
    with store._reading() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        try:
            yield Writer(connection, report, dry_run, member)
        finally:
            connection.rollback()


def _series_of(key: str) -> str:
    return key.split("/", 1)[0] if key.startswith("ics:") else key


def _series_keys(batch: Batch) -> set[str]:
    return {g.key for g in batch.gone} | {f"series:{s}" for s in batch.series}


def _known(connection: Connection, keys: Iterable[str]) -> dict[tuple[str, int], tuple[int, bool]]:
    """The synced rows of these keys (and of the series named "series:UID")."""
    wanted = list(keys)
    series = [k.removeprefix("series:") for k in wanted if k.startswith("series:")]
    plain = [k for k in wanted if not k.startswith("series:")]
    s = SYNCED.c
    found: dict[tuple[str, int], tuple[int, bool]] = {}
    for column, values in ((s.key, plain), (s.series, series)):
        for chunk in _chunks(values):
            query = select(s.key, s.client_id, s.interaction_id, s.linked).where(column.in_(chunk))
            for key, client_id, interaction_id, linked in connection.execute(query):
                found[(key, client_id)] = (interaction_id, bool(linked))
    return found


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Candidates:
    """Entries logged by hand (no sync made or linked them) that a synced contact may be:
    by client, kind and direction, in time order."""

    def __init__(self, connection: Connection, clients: set[int]) -> None:
        self.found: dict[tuple[int, str, str], list[tuple[Any, int]]] = {}
        i = INTERACTION.c
        for chunk in _chunks(sorted(clients)):
            query = select(i.id, i.client_id, i.kind, i.by, i.at).where(
                i.client_id.in_(chunk),
                i.kind.in_([Kind.EMAIL.value, Kind.MEETING.value]),
                i.id.not_in(select(SYNCED.c.interaction_id)),
            )
            for entry_id, client_id, kind, by, at in connection.execute(query):
                self.found.setdefault((client_id, kind, by), []).append((at, entry_id))
        for entries in self.found.values():
            entries.sort()

    def take(self, entry: InteractionData) -> int | None:
        """The id of the entry nearest in time to `entry` within `LINK_HOURS`, taken so no
        other contact links to it."""
        entries = self.found.get((entry.client_id, entry.kind.value, entry.by.value))
        if not entries:
            return None
        window = timedelta(hours=LINK_HOURS)
        place = bisect.bisect_left(entries, (entry.at, -1))
        near = [
            (abs(at - entry.at), n)
            for n in (place - 1, place)
            if 0 <= n < len(entries)
            for at in [entries[n][0]]
            if abs(at - entry.at) <= window
        ]
        if not near:
            return None
        _, chosen = min(near)
        return entries.pop(chosen)[1]
