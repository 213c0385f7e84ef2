"""A journal's rows as plain records (JSON values) and back, with every problem found.

The fields of each table are those of its domain dataclass (`ClientData`,
`InteractionData`...), read through pydantic, so there is one definition of a
row's fields: a new field of the dataclass is exported, imported and given a
CSV column without a change here. A record's moments are UTC with a trailing
`Z`, its items sorted, its amounts whole hundredths.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from relog.domain import (
    MAX_AMOUNT,
    BillData,
    ClientData,
    InteractionData,
    MistakeData,
    client_problems,
    contradictions,
    name_key,
)
from relog.errors import InputError
from relog.handles import HandleData, parse_handle
from relog.transfer import TABLES, JournalData

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from pydantic_core import ErrorDetails

FORMAT = "relog-journal"
VERSION = 2
"""The version of the journal document; a reader refuses a newer one. Version 2 added
the clients' handles (emails, phones, domains); a version 1 document has none."""

MAX_PROBLEMS = 50
"""How many bad records an import lists before it says how many more there are."""

T = TypeVar("T")


@dataclass(frozen=True)
class Table(Generic[T]):
    """One table of the document: its name and the dataclass of its rows."""

    name: str
    row: type[T]
    derived: tuple[str, ...] = ()
    """Fields of the dataclass that are not stored with the row (a post-mortem's client name)."""

    @property
    def adapter(self) -> TypeAdapter[T]:
        return _adapter(self.row)

    @functools.cached_property
    def moments(self) -> tuple[str, ...]:
        """The fields that hold a moment."""
        hints = typing.get_type_hints(self.row)
        return tuple(
            name
            for name in self.fields
            if datetime in typing.get_args(hints[name]) or hints[name] is datetime
        )

    @functools.cached_property
    def fields(self) -> tuple[str, ...]:
        """The record's fields, in the dataclass's order."""
        return tuple(
            f.name
            for f in dataclasses.fields(self.row)  # type: ignore[arg-type]
            if f.name not in self.derived
        )


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(row: type[T]) -> TypeAdapter[T]:
    if row not in _ADAPTERS:
        _ADAPTERS[row] = TypeAdapter(row)
    return _ADAPTERS[row]


CLIENTS = Table("clients", ClientData)
INTERACTIONS = Table("interactions", InteractionData)
MISTAKES = Table("mistakes", MistakeData, derived=("client_name",))
BILLS = Table("bills", BillData)
HANDLES = Table("handles", HandleData, derived=("key",))
ALL: tuple[Table[Any], ...] = (CLIENTS, INTERACTIONS, MISTAKES, BILLS, HANDLES)
assert tuple(t.name for t in ALL) == TABLES


def record(table: Table[T], row: T) -> dict[str, Any]:
    """`row` as a record: JSON values in the field order, lists sorted, moments in UTC."""
    values: dict[str, Any] = table.adapter.dump_python(
        row, mode="json", exclude=set(table.derived) or None
    )
    for value in values.values():
        if isinstance(value, list):
            value.sort()
    return values


def records(data: JournalData, table: Table[T]) -> Iterator[dict[str, Any]]:
    for row in getattr(data, table.name):
        yield record(table, row)


class ImportProblems(InputError):
    """The bad records of a file, each as 'table[index]: what is wrong'; nothing was imported."""

    def __init__(self, problems: Sequence[str], more: int = 0) -> None:
        self.problems = list(problems)
        self.more = more
        count = len(self.problems) + more
        super().__init__(f"{count} problem{'s' * (count != 1)} found; nothing was imported")


class Problems:
    """The problems found so far, kept up to `MAX_PROBLEMS`."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.more = 0

    def add(self, where: str, message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(f"{where}: {message}")
        else:
            self.more += 1

    def raise_any(self) -> None:
        if self.found:
            raise ImportProblems(self.found, self.more)


def journal_of(tables: dict[str, list[Any]], problems: Problems) -> JournalData:
    """The journal that `tables` (each a list of records) hold, checked record by record.

    Every problem is added to `problems` with the record's place ('interactions[17]');
    the journal is returned only when there are none.
    """
    read: dict[str, list[tuple[int, Any]]] = {}
    for table in ALL:
        read[table.name] = _rows(table, tables[table.name], problems)
    _check_references(read, problems)
    problems.raise_any()
    rows: dict[str, Any] = {name: tuple(row for _, row in rows) for name, rows in read.items()}
    return JournalData(**rows)


def _rows(table: Table[T], given: list[Any], problems: Problems) -> list[tuple[int, T]]:
    """The records of one table that are rows, each with its place in the file."""
    rows: list[tuple[int, T]] = []
    known = set(table.fields)
    for index, value in enumerate(given):
        where = f"{table.name}[{index}]"
        if not isinstance(value, dict):
            problems.add(where, "is not an object of fields")
            continue
        unknown = sorted(value.keys() - known)
        if unknown:
            problems.add(where, f"unknown field {unknown[0]!r}")
        filled = {**dict.fromkeys(table.derived, ""), **value}
        try:
            row = table.adapter.validate_python(filled)
        except ValidationError as error:
            for detail in error.errors():
                problems.add(where, _message(detail))
            continue
        checked = _checked(table, row, where, problems)
        if checked is not None:
            rows.append((index, checked))
    return rows


def _message(detail: ErrorDetails) -> str:
    """A pydantic error as relog says it: "kind 'lunch' is not one of call, email, ..."."""
    field = ".".join(str(part) for part in detail["loc"]) or "the record"
    if detail["type"] == "missing":
        return f"{field} is missing"
    shown = _shown(detail["input"])
    expected = (detail.get("ctx") or {}).get("expected")
    if detail["type"] == "enum" and expected:
        choices = str(expected).replace("'", "").replace(" or ", ", ")
        return f"{field} {shown} is not one of {choices}"
    return f"{field} {shown}: {detail['msg'][0].lower()}{detail['msg'][1:]}"


def _shown(value: Any, most: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"


def _checked(table: Table[T], row: T, where: str, problems: Problems) -> T | None:
    """`row` with its moments in UTC, or None when it cannot be stored as it is."""
    moments = {name: getattr(row, name) for name in table.moments}
    found = [
        f"{name} {value.isoformat()!r} has no time zone (end it with Z for UTC)"
        for name, value in moments.items()
        if value is not None and value.utcoffset() is None
    ]
    if isinstance(row, ClientData):
        found += client_problems(row)
        if row.created_at is None:
            found.append("created_at is missing")
    elif isinstance(row, InteractionData):
        found += contradictions(row)
    elif isinstance(row, BillData) and not 0 < row.amount <= MAX_AMOUNT:
        found.append(f"amount {row.amount} must be above zero and at most {MAX_AMOUNT}")
    elif isinstance(row, HandleData):
        try:
            handle = parse_handle(row.kind, row.value)
        except InputError as error:
            found.append(str(error).removeprefix("--"))
        else:
            row = replace(row, key=handle.key, value=handle.value)
    for message in found:
        problems.add(where, message)
    if found:
        return None
    shifted = {
        name: value.astimezone(UTC)
        for name, value in moments.items()
        if value is not None and value.utcoffset()
    }
    return replace(row, **shifted) if shifted else row  # type: ignore[type-var]


def _check_references(read: dict[str, list[tuple[int, Any]]], problems: Problems) -> None:
    """Ids used once per table, client names once, and every row's client in the file."""
    names: dict[str, int] = {}
    for index, client in read["clients"]:
        key = name_key(client.name)
        if key in names:
            problems.add(f"clients[{index}]", f"name {client.name!r} is also clients[{names[key]}]")
        names.setdefault(key, index)
    handles: dict[tuple[str, str], int] = {}
    for index, handle in read["handles"]:
        place = handles.setdefault((handle.kind.value, handle.key), index)
        if place != index:
            problems.add(f"handles[{index}]", f"{handle.value} is also handles[{place}]")
    clients = {c.id for _, c in read["clients"]}
    for table in ALL:
        seen: set[int] = set()
        for index, row in read[table.name]:
            where = f"{table.name}[{index}]"
            if row.id in seen:
                problems.add(where, f"id {row.id} is used twice")
            seen.add(row.id)
            if table is not CLIENTS and row.client_id not in clients:
                problems.add(where, f"client_id {row.client_id} is not a client in the file")
