"""`store/tables.py`: the SQLModel tables of `store/models.py` as plain SQLAlchemy Core.

The models stay the one definition of the journal's tables. `tables.py` is
written from them by this test (`pytest --regen-golden` rewrites it, as it
rewrites the golden files), so the store can read and write with Core
statements without importing SQLModel, pydantic and the ORM: `relog add`
then starts faster than importing the stack alone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import SQLModel

import relog.store.models  # noqa: F401  (the models fill SQLModel.metadata)
from relog.store import tables
from tests.subprocesses import run_relog

if TYPE_CHECKING:
    from sqlalchemy import Column, Table

    from tests.conftest import Golden, Run

TABLES = Path(tables.__file__)

TYPES = {
    "Integer": "Integer()",
    "AutoString": "String()",
    "Boolean": "Boolean()",
    "UTCDateTime": "UTCDateTime()",
}
"""Each column type of the models as Core writes it (SQLModel's AutoString is a String)."""

LINE_LENGTH = 100
"""The longest line the project's formatter keeps (ruff's line-length); a longer column
is written one argument a line, as the formatter would write it."""

HEADER = '''"""The journal's tables in SQLAlchemy Core, written from the SQLModel ones of models.py.

Do not edit: tests/test_store_tables.py writes this file from the models
(`pytest --regen-golden`) and fails when it differs from them. The store reads
and writes through these tables, so a command that only logs or reads entries
imports neither SQLModel nor pydantic nor the ORM; the models stay the one
definition, and are imported where the store works with ORM objects.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table

from relog.store.types import UTCDateTime

METADATA = MetaData()
'''


def _text(value: object) -> str:
    """A value as Python source in the project's style (strings in double quotes)."""
    return json.dumps(value) if isinstance(value, str) else repr(value)


def _column(column: Column[object]) -> str:
    parts = [_text(column.name), TYPES[type(column.type).__name__]]
    parts += [
        f"ForeignKey({_text(key.target_fullname)}, ondelete={_text(key.ondelete)})"
        for key in sorted(column.foreign_keys, key=lambda key: key.target_fullname)
    ]
    if column.primary_key:
        parts.append("primary_key=True")
    elif not column.nullable:
        parts.append("nullable=False")
    if column.default is not None:
        parts.append(f"default={_text(column.default.arg)}")  # type: ignore[attr-defined]
    line = f"    Column({', '.join(parts)}),"
    if len(line) <= LINE_LENGTH:
        return line
    return "\n".join(["    Column(", *(f"        {part}," for part in parts), "    ),"])


def _table(table: Table) -> str:
    lines = [f"{table.name.upper()} = Table(", f"    {_text(table.name)},", "    METADATA,"]
    lines += [_column(column) for column in table.columns]
    for index in sorted(table.indexes, key=lambda index: str(index.name)):
        names = ", ".join(_text(column.name) for column in index.columns)
        unique = ", unique=True" if index.unique else ""
        lines.append(f"    Index({_text(index.name)}, {names}{unique}),")
    return "\n".join([*lines, ")"])


def tables_source() -> str:
    """tables.py as the models define it today."""
    return "\n\n".join([HEADER, *map(_table, SQLModel.metadata.sorted_tables)]) + "\n"


def test_the_core_tables_are_written_from_the_models(golden: Golden) -> None:
    golden(TABLES, tables_source())


def test_the_core_tables_make_the_schema_of_the_models() -> None:
    dialect = sqlite.dialect()
    assert set(tables.METADATA.tables) == set(SQLModel.metadata.tables)
    for name, model in SQLModel.metadata.tables.items():
        core = tables.METADATA.tables[name]
        assert str(CreateTable(core).compile(dialect=dialect)) == str(
            CreateTable(model).compile(dialect=dialect)
        )
        assert sorted(str(CreateIndex(i).compile(dialect=dialect)) for i in core.indexes) == sorted(
            str(CreateIndex(i).compile(dialect=dialect)) for i in model.indexes
        )
        defaults = {c.name: c.default and c.default.arg for c in model.columns}  # type: ignore[attr-defined]
        assert {c.name: c.default and c.default.arg for c in core.columns} == defaults  # type: ignore[attr-defined]


UNNEEDED = {"sqlmodel", "pydantic", "sqlalchemy.orm", "rich"}
"""What logging an entry, its line printed to a pipe, does without."""


def test_logging_an_entry_imports_no_orm_and_no_rich_when_piped(run: Run, journal: Path) -> None:
    run("client", "add", "Dana Levi")
    env = {**os.environ, "RELOG_DB": str(journal)}
    logged = run_relog(["add", "call", "Dana", "--by", "them", "-m", "Asked for prices"], env)
    assert logged.stdout.startswith("Logged #1:\n#1 ")
    assert UNNEEDED.isdisjoint(logged.modules), sorted(UNNEEDED & logged.modules)
    added = run_relog(["client", "add", "Noa Cohen"], env)  # written as an ORM object
    assert "Noa Cohen" in added.stdout
    assert {"sqlmodel", "sqlalchemy.orm"} <= added.modules
