"""The journal's schema: Alembic migrations, the head constant, and opening old or odd files."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, create_engine, inspect
from sqlmodel import SQLModel

import relog.store.engine
from relog.domain import (
    Cause,
    ClientData,
    Found,
    InteractionData,
    Item,
    Kind,
    MistakeData,
    MistakeKind,
    Stage,
)
from relog.errors import JournalError
from relog.store import open_store
from relog.store.engine import SCHEMA_HEAD, _backup
from relog.store.fulltext import FTS_SHADOWS, FTS_TABLES

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tests.conftest import PutJournal, Run

MIGRATIONS = Path(relog.store.engine.__file__).parent / "migrations"
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def engine_for(path: Path) -> Engine:
    return create_engine(URL.create("sqlite", database=str(path)))


def alembic(path: Path, action: str, revision: str) -> None:
    """Run `alembic upgrade|downgrade REVISION` on the file, as relog's env.py expects."""
    engine = engine_for(path)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            getattr(command, action)(config, revision)
    finally:
        engine.dispose()


def revision_of(path: Path) -> list[tuple[str]]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchall()


def schema_sql(path: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bak"))


FTS_NAMES = frozenset(
    {f"{table}_fts" for table in FTS_TABLES}
    | {f"{table}_fts_{shadow}" for table in FTS_TABLES for shadow in FTS_SHADOWS}
)
"""The full-text indexes (migration 0004) and the tables FTS5 keeps them in: SQLite's
own DDL, which no model declares (`fts_schema` checks them instead)."""


def _not_full_text(name: str | None, type_: str, parent_names: object) -> bool:
    return not (type_ == "table" and name in FTS_NAMES)


def differences(path: Path) -> list[object]:
    """What Alembic's autogenerate would change to make the file match the models
    (the full-text indexes, which no model declares, left aside)."""
    engine = engine_for(path)
    try:
        with engine.connect() as connection:
            opts = {"compare_type": True, "include_name": _not_full_text}
            context = MigrationContext.configure(connection, opts=opts)
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def fts_schema(path: Path) -> dict[str, object]:
    """Each FTS5 index in the file: its columns, the table whose rows it indexes, and the
    tables its triggers are on."""
    with sqlite3.connect(path) as connection:
        virtual = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
        ).fetchall()
        triggers = connection.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        found: dict[str, object] = {}
        for name, sql in virtual:
            content = re.search(r"content='(\w+)'", sql)
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({name})")]
            on = sorted(trigger for trigger, table in triggers if trigger.startswith(name))
            tables = {table for trigger, table in triggers if trigger.startswith(name)}
            assert "USING fts5" in sql and "remove_diacritics 2" in sql, sql
            found[name] = (content and content.group(1), tuple(columns), on, tables)
    return found


EXPECTED_FTS = {
    f"{table}_fts": (
        table,
        columns,
        [f"{table}_fts_{when}" for when in ("delete", "insert", "update")],
        {table},
    )
    for table, columns in FTS_TABLES.items()
}


# the revisions ----------------------------------------------------------------


def test_schema_head_is_alembics_head() -> None:
    script = ScriptDirectory(str(MIGRATIONS))
    assert script.get_heads() == [SCHEMA_HEAD]


def test_revisions_form_one_numbered_line_from_0001() -> None:
    script = ScriptDirectory(str(MIGRATIONS))
    chain = list(reversed(list(script.walk_revisions())))
    assert chain[0].revision == "0001"
    assert chain[0].down_revision is None
    for number, revision in enumerate(chain, start=1):
        assert revision.revision == f"{number:04d}"
        assert revision.path is not None
        assert re.fullmatch(rf"{revision.revision}_\w+\.py", Path(revision.path).name)
    for previous, current in zip(chain, chain[1:], strict=False):
        assert current.down_revision == previous.revision


# a blank journal --------------------------------------------------------------


def test_a_blank_journal_is_created_at_the_head(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    open_store(path).close()
    assert revision_of(path) == [(SCHEMA_HEAD,)]
    assert backups(tmp_path) == []
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.no_journal
def test_the_first_command_on_a_missing_journal_creates_it(run: Run, journal: Path) -> None:
    assert not journal.exists()
    result = run("client", "list")
    assert result.stdout.startswith("No clients yet")
    assert revision_of(journal) == [(SCHEMA_HEAD,)]


@pytest.mark.no_journal
def test_the_blank_journal_tests_start_from_is_what_relog_creates(
    run: Run, journal: Path, put_blank_journal: PutJournal, tmp_path: Path
) -> None:
    """Most tests start from a copy of one blank journal (see conftest); it must be this one."""
    run("client", "list")
    copy = tmp_path / "copy.db"
    put_blank_journal(copy)
    assert copy.read_bytes() == journal.read_bytes()
    assert copy.stat().st_mode & 0o777 == journal.stat().st_mode & 0o777 == 0o600


def test_an_empty_file_is_taken_as_a_blank_journal(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    open_store(path).close()
    assert revision_of(path) == [(SCHEMA_HEAD,)]


def test_the_created_schema_matches_the_models(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    open_store(path).close()
    engine = engine_for(path)
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names()) - {"alembic_version"}
        assert tables == set(SQLModel.metadata.tables) | FTS_NAMES
        for name, table in SQLModel.metadata.tables.items():
            columns = {column["name"] for column in inspector.get_columns(name)}
            assert columns == {column.name for column in table.columns}, name
            indexes = {index["name"] for index in inspector.get_indexes(name)}
            assert indexes == {index.name for index in table.indexes}, name
    finally:
        engine.dispose()
    assert differences(path) == []
    # Each index holds columns of the model's table, and triggers keep it in step.
    assert fts_schema(path) == EXPECTED_FTS
    for indexed, texts in FTS_TABLES.items():
        assert set(texts) <= set(SQLModel.metadata.tables[indexed].columns.keys()), indexed


# reopening ----------------------------------------------------------------------


def test_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store = open_store(path)
    dana = store.add_client(ClientData(id=0, name="Dana Levi", stage=Stage.LEAD))
    store.add_interaction(InteractionData(id=0, client_id=dana.id, kind=Kind.CALL, at=T0))
    store.close()
    before = schema_sql(path)
    for _ in range(3):
        again = open_store(path)
        assert [c.name for c in again.clients()] == ["Dana Levi"]
        assert again.interaction_count() == 1
        again.close()
    assert schema_sql(path) == before
    assert revision_of(path) == [(SCHEMA_HEAD,)]
    assert backups(tmp_path) == []


# a journal made by the migration ------------------------------------------------


def test_a_journal_at_0001_made_by_the_migration_is_what_the_orm_expects(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    alembic(path, "upgrade", "0001")
    assert revision_of(path) == [("0001",)]
    if SCHEMA_HEAD == "0001":
        assert differences(path) == []
    store = open_store(path)
    try:
        dana = store.add_client(ClientData(id=0, name="דנה לוי", stage=Stage.ACTIVE))
        saved = store.add_interaction(
            InteractionData(
                id=0, client_id=dana.id, kind=Kind.MEETING, at=T0, asked=frozenset({Item.PRICES})
            )
        )
        store.add_mistake(
            MistakeData(
                id=0,
                client_id=dana.id,
                client_name=dana.name,
                created_at=T0,
                what="Sent the wrong price list",
                kind=MistakeKind.SERVICE,
                cause=Cause.OTHER,
            )
        )
        assert store.interaction(saved.id) == saved
        assert [r.item for r in store.open_requests(dana.id)] == [Item.PRICES]
    finally:
        store.close()
    assert revision_of(path) == [(SCHEMA_HEAD,)]
    assert differences(path) == []


OLD_JOURNAL = (
    "INSERT INTO client (id, name, name_key, stage, source, referred_by, cadence_days, channel,"
    " notes, created_at, ended_at, end_reason) VALUES"
    " (1, 'Dana Levi', 'dana levi', 'active', 'referral', 'Noa Cohen', 7, 'call', 'n',"
    " '2025-11-01 09:00:00.000000', NULL, NULL),"
    " (2, 'דנה לוי', 'דנה לוי', 'former', NULL, NULL, NULL, NULL, '',"
    " '2025-10-01 09:00:00.000000', '2025-12-01 09:00:00.000000', 'moved abroad')",
    "INSERT INTO interaction (id, client_id, kind, at, by, outcome, asked, gave, summary) VALUES"
    " (1, 1, 'call', '2025-11-02 10:00:00.000000', 'them', 'reached', 'prices', '', 'first'),"
    " (2, 2, 'meeting', '2025-10-02 10:00:00.000000', 'me', 'reached', '', '', '')",
    "INSERT INTO request (client_id, item, asked_id, asked_at) VALUES"
    " (1, 'prices', 1, '2025-11-02 10:00:00.000000')",
    "INSERT INTO mistake (client_id, created_at, what, kind, cause) VALUES"
    " (2, '2025-12-01 10:00:00.000000', 'Sent the wrong price list', 'service', 'other')",
)
"""A journal as relog wrote it at 0002: two clients, entries, an open request, a post-mortem."""


def write_old_journal(path: Path, revision: str = "0002") -> None:
    alembic(path, "upgrade", revision)
    with sqlite3.connect(path) as connection:
        for statement in OLD_JOURNAL:
            connection.execute(statement)
    path.chmod(0o600)


def table_rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def kept_rows(path: Path, table: str, before: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """`table`'s rows now, cut to the columns the rows `before` had; every column a later
    revision added must be empty (None)."""
    now = table_rows(path, table)
    if not before:
        return now
    width = len(before[0])
    assert {row[width:] for row in now} <= {(None,) * (len(now[0]) - width)}, table
    return [row[:width] for row in now]


@pytest.mark.no_journal
def test_a_journal_at_0002_with_data_is_upgraded_by_the_first_command(
    run: Run, journal: Path
) -> None:
    write_old_journal(journal)
    before = {t: table_rows(journal, t) for t in ("client", "interaction", "request", "mistake")}
    shown = json.loads(run("client", "show", "Dana Levi", "--json").stdout)
    assert revision_of(journal) == [(SCHEMA_HEAD,)]
    [backup] = backups(journal.parent)
    assert backup.name.startswith("journal.db.0002-")
    assert {t: table_rows(backup, t) for t in before} == before
    # Every row is as it was, each client with no retainer, start date or lower pace.
    for table, rows in before.items():
        assert kept_rows(journal, table, rows) == rows, table
    assert len(table_rows(journal, "client")[0]) == 12 + 4  # retainer ... owner, all None
    assert table_rows(journal, "bill") == []
    assert (shown["cadence_days"], shown["cadence_min_days"]) == (7, None)
    assert (shown["retainer"], shown["started_at"], shown["recent_bills"]) == (None, None, [])
    assert shown["began_at"] == "2025-11-01T09:00:00Z"  # added before the first entry
    assert [r["item"] for r in shown["open_requests"]] == ["prices"]
    assert differences(journal) == []
    # The upgraded journal takes the new fields and bills.
    run("client", "edit", "Dana Levi", "--retainer", "5000", "--started", "2025-09-01",
        "--cadence", "5-10")  # fmt: skip
    run("bill", "Dana Levi", "1,200.50", "--at", "2025-12-31")
    again = json.loads(run("client", "show", "Dana Levi", "--json").stdout)
    assert (again["retainer"], again["cadence_min_days"], again["cadence_days"]) == (5000, 5, 10)
    assert [b["amount"] for b in again["recent_bills"]] == [1200.5]
    assert json.loads(run("mistakes", "list", "--json").stdout)["mistakes"][0]["client"] == (
        "דנה לוי"
    )


def test_0003_can_be_undone_keeping_every_older_row(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    write_old_journal(path)
    before = {t: table_rows(path, t) for t in ("client", "interaction", "request", "mistake")}
    old_schema = schema_sql(path)
    alembic(path, "upgrade", "0003")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("UPDATE client SET retainer = 500000, cadence_min_days = 5")
        connection.execute(
            "INSERT INTO bill (client_id, at, amount) VALUES (1, '2025-12-31 10:00:00.000000', 10)"
        )
    alembic(path, "downgrade", "0002")
    assert revision_of(path) == [("0002",)]
    assert {t: table_rows(path, t) for t in before} == before
    assert "bill" not in {name for kind, name, _ in schema_sql(path) if kind == "table"}
    assert sorted(schema_sql(path)) == sorted(old_schema)
    alembic(path, "upgrade", "head")
    assert differences(path) == []


def assert_indexes_in_step(path: Path) -> None:
    """FTS5's own check that each full-text index holds exactly what its table's rows hold."""
    with sqlite3.connect(path) as connection:
        for table in FTS_TABLES:
            connection.execute(
                f"INSERT INTO {table}_fts ({table}_fts, rank) VALUES ('integrity-check', 1)"
            )


def test_0004_indexes_the_rows_already_there_and_can_be_undone(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    write_old_journal(path, "0003")
    tables = ("client", "interaction", "request", "mistake", "bill")
    before = {t: table_rows(path, t) for t in tables}
    old_schema = schema_sql(path)
    alembic(path, "upgrade", "head")
    assert {t: kept_rows(path, t, before[t]) for t in tables} == before
    assert_indexes_in_step(path)
    store = open_store(path)
    try:
        assert [(h.found_in, h.entry and h.entry.id) for h in store.search(["first"])] == [
            (Found.ENTRY, 1)
        ]
        [mistake] = store.search(["wrong", "price"])
        assert (mistake.found_in, mistake.client, mistake.mistake_id) == (
            Found.POST_MORTEM,
            "דנה לוי",
            1,
        )
        assert (Found.NOTES, "Dana Levi") in {(h.found_in, h.client) for h in store.search(["n"])}
    finally:
        store.close()
    assert backups(tmp_path) == []
    alembic(path, "downgrade", "0003")
    assert revision_of(path) == [("0003",)]
    assert sorted(schema_sql(path)) == sorted(old_schema)
    assert {t: table_rows(path, t) for t in tables} == before


def test_the_migration_can_be_undone_and_redone(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    alembic(path, "upgrade", "head")
    alembic(path, "downgrade", "base")
    assert {name for kind, name, _ in schema_sql(path) if kind == "table"} == {"alembic_version"}
    alembic(path, "upgrade", "head")
    assert differences(path) == []


def test_a_backup_copy_is_private_and_complete(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store = open_store(path)
    store.add_client(ClientData(id=0, name="Dana Levi", stage=Stage.LEAD))
    store.close()
    copy = _backup(path, SCHEMA_HEAD)
    assert copy.parent == tmp_path
    assert re.fullmatch(rf"j\.db\.{SCHEMA_HEAD}-\d{{8}}T\d{{6}}Z\.bak", copy.name)
    assert copy.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT name FROM client").fetchall() == [("Dana Levi",)]


# files relog must not open -------------------------------------------------------


@pytest.mark.no_journal
def test_a_journal_from_a_newer_relog_is_refused_untouched(run: Run, journal: Path) -> None:
    open_store(journal).close()
    with sqlite3.connect(journal) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = digest(journal)
    with pytest.raises(JournalError) as caught:
        open_store(journal)
    assert str(caught.value) == (
        f"{journal} was written by a newer relog (schema 9999); upgrade relog to open it"
    )
    result = run("client", "list", code=4)
    assert result.stderr.strip() == f"relog: error: {caught.value}"
    assert result.stdout == ""
    assert digest(journal) == before
    assert backups(journal.parent) == []


def test_a_database_of_another_program_using_alembic_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.execute("INSERT INTO alembic_version VALUES ('abc123')")
        connection.execute("CREATE TABLE invoice (id INTEGER)")
    before = digest(path)
    with pytest.raises(JournalError, match="is an SQLite database but not a relog journal"):
        open_store(path)
    assert digest(path) == before


def test_an_up_to_date_journal_opens_without_alembic(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    open_store(path).close()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from relog.store import open_store\n"
        f"open_store(Path({str(path)!r})).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
