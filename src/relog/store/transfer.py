"""Reading a whole journal out, and writing an import in, each in one unit of work.

An import is one transaction: the plan (`relog.transfer.plan_import`) is made
from what the journal holds, then every row is written with bulk inserts
(executemany), the requests are paired, and it is committed whole, or not at
all if anything fails or the process is killed on the way.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from relog.domain import derive_requests, name_key
from relog.handles import HandleData, HandleKind
from relog.store import fulltext
from relog.store.store import (
    _BILL_COLUMNS,
    _INTERACTION_COLUMNS,
    _bill,
    _client,
    _client_values,
    _driver_rows,
    _interaction,
    _interaction_values,
    bill_values,
    mistake_values,
    request_values,
)
from relog.store.tables import BILL, CLIENT, HANDLE, INTERACTION, MISTAKE, REQUEST
from relog.transfer import Existing, ImportReport, JournalData, plan_import, same_bill

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence

    from sqlalchemy import Table
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Select

    from relog.domain import InteractionData, Request
    from relog.store.store import Store
    from relog.transfer import Plan

BATCH = 10_000
"""Rows per executemany; progress is reported after each."""

_TABLES: dict[str, Table] = {
    "clients": CLIENT,
    "interactions": INTERACTION,
    "mistakes": MISTAKE,
    "bills": BILL,
    "handles": HANDLE,
}


def read_journal(
    store: Store, client_id: int | None = None, since: datetime | None = None
) -> JournalData:
    """Every row of the journal by id; one client's rows, entries and bills from `since` on."""
    clients = select(CLIENT).order_by(CLIENT.c.id)
    entries = select(*_INTERACTION_COLUMNS).order_by(INTERACTION.c.id)
    bills = select(*_BILL_COLUMNS).order_by(BILL.c.id)
    h = HANDLE.c
    handles = select(h.id, h.client_id, h.kind, h.value, h.key).order_by(h.id)
    if client_id is not None:
        handles = handles.where(h.client_id == client_id)
        clients = clients.where(CLIENT.c.id == client_id)
        entries = entries.where(INTERACTION.c.client_id == client_id)
        bills = bills.where(BILL.c.client_id == client_id)
    if since is not None:
        entries = entries.where(INTERACTION.c.at >= since)
        bills = bills.where(BILL.c.at >= since)
    with store._reading() as connection:
        return JournalData(
            clients=tuple(_client(row) for row in connection.execute(clients)),
            interactions=tuple(map(_interaction, _driver_rows(connection, entries))),
            mistakes=tuple(sorted(store.mistakes(client_id), key=lambda m: m.id)),
            bills=tuple(_bill(row) for row in connection.execute(bills)),
            handles=tuple(
                HandleData(row.id, row.client_id, HandleKind(row.kind), row.value, row.key)
                for row in connection.execute(handles)
            ),
        )


def import_journal(
    store: Store,
    data: JournalData,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Merge `data` into the journal (see `plan_import`) in one transaction; write nothing
    when `dry_run`."""
    with store._session() as session:
        connection = session.connection()
        plan = plan_import(data, _existing(connection, data), dry_run=dry_run)
        if not dry_run:
            with fulltext.indexed_at_end(connection):
                _write(connection, store, plan, progress or (lambda done, total: None))
            for client_id in sorted(plan.merged):
                store._rebuild_requests(session, client_id)
        return plan.report


def _existing(connection: Connection, data: JournalData) -> Existing:
    """What the journal holds of the clients `data` names, and where new ids start."""
    clients = tuple(_client(row) for row in connection.execute(select(CLIENT)))
    wanted = {name_key(c.name) for c in data.clients}
    matched = [c.id for c in clients if name_key(c.name) in wanted]
    largest = {
        name: connection.execute(select(func.max(table.c.id))).scalar() or 0
        for name, table in _TABLES.items()
    }
    h = HANDLE.c
    handles = {
        (row.kind, row.key): row.client_id
        for row in connection.execute(select(h.kind, h.key, h.client_id))
    }
    if not matched:
        return Existing(clients, handles=handles, next_ids=_next_ids(largest))
    i, b, m = INTERACTION.c, BILL.c, MISTAKE.c
    return Existing(
        clients,
        entries=_keys(connection, select(i.client_id, i.at, i.kind, i.by), i.client_id, matched),
        bills=frozenset(
            same_bill(_bill(row))
            for row in connection.execute(select(*_BILL_COLUMNS).where(b.client_id.in_(matched)))
        ),
        mistakes=_keys(connection, select(m.client_id, m.created_at), m.client_id, matched),
        handles=handles,
        next_ids=_next_ids(largest),
    )


def _next_ids(largest: dict[str, int]) -> dict[str, int] | None:
    """One after each table's largest id; None for an empty journal (the file's ids are kept)."""
    if not any(largest.values()):
        return None
    return {name: top + 1 for name, top in largest.items()}


def _keys(
    connection: Connection, query: Select[Any], column: Any, ids: list[int]
) -> frozenset[Hashable]:
    rows = connection.execute(query.where(column.in_(ids)))
    return frozenset(tuple(row) for row in rows)


def _write(
    connection: Connection, store: Store, plan: Plan, progress: Callable[[int, int], None]
) -> None:
    now = datetime.now(UTC)
    clients = [
        {"id": c.id, **_client_values(c), "created_at": c.created_at or now} for c in plan.clients
    ]
    rows: list[tuple[Table, Sequence[dict[str, Any]]]] = [
        (CLIENT, clients),
        (INTERACTION, [{"id": e.id, **_interaction_values(e)} for e in plan.interactions]),
        (MISTAKE, [{"id": m.id, **mistake_values(m)} for m in plan.mistakes]),
        (BILL, [{"id": b.id, **bill_values(b)} for b in plan.bills]),
        (HANDLE, [dataclasses.asdict(h) | {"kind": h.kind.value} for h in plan.handles]),
    ]
    total, done = sum(len(values) for _, values in rows), 0
    for table, values in rows:
        if not values:
            continue
        insert = _bulk_insert(connection, table, list(values[0]))
        for batch in _batches(values):
            insert(batch)
            done += len(batch)
            progress(done, total)
    new = {c.id for c in plan.clients}
    requests = [
        request_values(r) for r in _requests(e for e in plan.interactions if e.client_id in new)
    ]
    if requests:
        connection.execute(REQUEST.insert(), requests)
    if connection.dialect.name == "postgresql":
        _advance_sequences(connection)


def _advance_sequences(connection: Connection) -> None:
    """Move each table's id sequence past the ids an import wrote itself, so the next row
    added gets a new one (PostgreSQL draws ids from a sequence, SQLite from the table)."""
    for table in _TABLES.values():
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"
        )


def _bulk_insert(
    connection: Connection, table: Table, columns: list[str]
) -> Callable[[Sequence[dict[str, Any]]], None]:
    """An executemany of rows with these `columns`, their values converted by the columns' own
    types once per value, without SQLAlchemy's per-row parameter handling (a third of the
    import of 100,000 entries)."""
    dialect = connection.dialect
    if not dialect.positional:  # named parameters (psycopg): SQLAlchemy's own executemany

        def insert_named(batch: Sequence[dict[str, Any]]) -> None:
            connection.execute(table.insert(), list(batch))

        return insert_named
    statement = table.insert().compile(dialect=dialect, column_keys=columns)
    order = statement.positiontup or columns
    convert = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order]
    plan = list(zip(order, convert, strict=True))  # each column with its conversion, if any
    sql = str(statement)

    def insert(batch: Sequence[dict[str, Any]]) -> None:
        rows = [
            tuple([row[name] if to is None else to(row[name]) for name, to in plan])
            for row in batch
        ]
        connection.exec_driver_sql(sql, rows)

    return insert


def _batches(values: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def _requests(entries: Iterable[InteractionData]) -> Iterator[Request]:
    by_client: defaultdict[int, list[InteractionData]] = defaultdict(list)
    for entry in entries:
        if entry.asked or entry.gave:
            by_client[entry.client_id].append(entry)
    for client_entries in by_client.values():
        yield from derive_requests(client_entries)
