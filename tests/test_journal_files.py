"""The journal file in odd states: half made, in rollback mode, readable by others,
read-only, damaged, older or newer; and relog check.

Each state has a case that relog repairs or refuses, and a twin that it
leaves alone.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from contextlib import closing
from typing import TYPE_CHECKING

import pytest
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from relog.cli import app
from relog.store import open_store
from relog.store.engine import SCHEMA_HEAD
from tests.test_crashes import in_wal, integrity
from tests.test_errors import as_plain_root as as_user
from tests.test_migrations import (
    MIGRATIONS,
    alembic,
    backups,
    digest,
    revision_of,
    schema_sql,
    table_rows,
)
from tests.test_upgrade import FIXTURE, TABLES

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def make_half_made(path: Path, *, stop_after: int, with_version_table: bool) -> None:
    """A journal as an older relog left it when killed while creating it: the first
    `stop_after` statements of a full creation, each committed on its own."""
    full = path.with_name("full-for-statements.db")
    open_store(full).close()
    with sqlite3.connect(full) as connection:
        statements = [
            sql
            for (name, sql) in connection.execute(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN "
                "('table', 'index') AND name NOT LIKE '%_fts%' ORDER BY rowid"
            )
            if name != "alembic_version"
        ]
    full.unlink()
    with sqlite3.connect(path, isolation_level=None) as connection:
        if with_version_table:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        for sql in statements[:stop_after]:
            connection.execute(sql)
    path.chmod(0o600)


# half-made journals ------------------------------------------------------------


@pytest.mark.no_journal
@pytest.mark.parametrize("with_version_table", [False, True])
@pytest.mark.parametrize("stop_after", [1, 3])
def test_a_journal_half_made_by_an_older_relog_is_completed_with_a_note(
    run: Run, journal: Path, stop_after: int, with_version_table: bool
) -> None:
    make_half_made(journal, stop_after=stop_after, with_version_table=with_version_table)
    result = run("client", "add", "Dana Levi")
    assert lines(result.stderr) == [
        f"relog: note: {journal} was left half-made by an earlier relog and held no entries; "
        "relog completed it"
    ]
    assert revision_of(journal) == [(SCHEMA_HEAD,)]
    assert table_rows(journal, "client")[0][1] == "Dana Levi"
    assert backups(journal.parent) == []
    assert run("client", "list").stderr == ""  # completed once: no second note


@pytest.mark.no_journal
def test_a_half_made_journal_holding_entries_is_refused_untouched(run: Run, journal: Path) -> None:
    make_half_made(journal, stop_after=2, with_version_table=True)
    with sqlite3.connect(journal) as connection:
        connection.execute(
            "INSERT INTO client (id, name, name_key, stage, cadence_days, notes, created_at)"
            " VALUES (1, 'Dana Levi', 'dana levi', 'lead', 7, '', '2025-01-01 00:00:00')"
        )
    before = digest(journal)
    result = run("client", "list", code=4)
    assert lines(result.stderr) == [
        f"relog: error: {journal} was left half-made by an earlier relog and holds entries, so "
        "relog leaves it as it is; put back a copy of it with 'relog restore FILE'"
    ]
    assert digest(journal) == before


@pytest.mark.no_journal
def test_an_upgrade_half_done_by_an_older_relog_is_refused_and_names_the_backup(
    run: Run, journal: Path, tmp_path: Path
) -> None:
    """0003's columns added one by one: killed after the first, the version still 0002."""
    shutil.copyfile(FIXTURE, journal)
    alembic(journal, "upgrade", "0002")
    kept = journal.with_name("journal-20261201-090000.db")
    shutil.copyfile(journal, kept)
    with sqlite3.connect(journal) as connection:
        connection.execute("ALTER TABLE client ADD COLUMN retainer INTEGER")
    journal.chmod(0o600)
    before = schema_sql(journal), {t: table_rows(journal, t) for t in TABLES}
    result = run("client", "list", code=4)
    assert lines(result.stderr) == [
        f"relog: error: {journal} was left half-made by an earlier relog and holds entries, so "
        f"relog leaves it as it is; put back its latest copy with 'relog restore {kept}'"
    ]
    # Only its header changed: write-ahead logging is switched on before a migration.
    assert (schema_sql(journal), {t: table_rows(journal, t) for t in TABLES}) == before
    assert integrity(journal) == "ok"
    assert backups(tmp_path) == []  # the copy made before trying is not left behind
    assert not list(tmp_path.glob(".*partial*"))


def test_an_empty_half_upgraded_journal_is_completed(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    alembic(path, "upgrade", "0003")
    path.chmod(0o600)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE VIRTUAL TABLE client_fts USING fts5(notes)")
    store = open_store(path)
    try:
        assert len(store.notes) == 1 and "half-made" in store.notes[0]
    finally:
        store.close()
    assert revision_of(path) == [(SCHEMA_HEAD,)]
    assert integrity(path) == "ok"


def test_a_whole_journal_opens_without_a_note(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    open_store(path).close()
    store = open_store(path)
    try:
        assert store.notes == ()
        assert store.read_only is None
    finally:
        store.close()


# write-ahead logging ------------------------------------------------------------


def test_a_journal_left_in_rollback_mode_is_switched_to_write_ahead_logging(
    run: Run, journal: Path
) -> None:
    with sqlite3.connect(journal) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    assert not in_wal(journal)
    run("client", "add", "Dana Levi")
    assert in_wal(journal)
    assert backups(journal.parent) == []


@pytest.mark.no_journal
def test_a_new_journal_is_in_write_ahead_logging_from_its_first_command(
    run: Run, journal: Path
) -> None:
    run("client", "list")
    assert in_wal(journal)


@pytest.mark.no_journal
def test_a_newer_journal_in_rollback_mode_is_refused_with_every_byte_as_it_was(
    run: Run, journal: Path
) -> None:
    open_store(journal).close()
    with closing(sqlite3.connect(journal)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
        connection.execute("PRAGMA journal_mode = DELETE")
    assert not in_wal(journal)
    before = digest(journal)
    result = run("log", code=4)
    assert "written by a newer relog (schema 9999)" in result.stderr
    assert digest(journal) == before
    assert sorted(p.name for p in journal.parent.iterdir() if p.name.startswith("journal")) == [
        "journal.db"
    ]


# every earlier schema -----------------------------------------------------------


EARLIER = [
    revision.revision
    for revision in ScriptDirectory(str(MIGRATIONS)).walk_revisions()
    if revision.revision != SCHEMA_HEAD
]


@pytest.mark.no_journal
@pytest.mark.parametrize("revision", sorted(EARLIER))
def test_a_journal_at_every_earlier_schema_is_upgraded_after_a_backup_keeping_every_row(
    run: Run, journal: Path, revision: str
) -> None:
    """The 0001 fixture brought to each earlier schema by its own migrations."""
    shutil.copyfile(FIXTURE, journal)
    alembic(journal, "upgrade", revision)
    journal.chmod(0o600)
    held = {table: table_rows(journal, table) for table in TABLES}
    run("client", "list")
    assert revision_of(journal) == [(SCHEMA_HEAD,)]
    [backup] = backups(journal.parent)
    assert backup.name.startswith(f"journal.db.{revision}-")
    assert revision_of(backup) == [(revision,)]
    assert {t: table_rows(backup, t) for t in TABLES} == held
    for table in ("client", "interaction", "request", "mistake"):
        # a later schema adds columns at the end (a client's pace, an entry's member)
        width = len(held[table][0])
        assert [row[:width] for row in table_rows(journal, table)] == held[table], table
    assert in_wal(journal)


# privacy -------------------------------------------------------------------------


def test_a_journal_readable_by_others_is_made_owner_only_with_a_note(
    run: Run, journal: Path
) -> None:
    journal.chmod(0o644)
    result = run("client", "add", "Dana Levi")
    assert lines(result.stderr) == [
        f"relog: note: {journal} could be read by others (0644); relog made it yours alone (0600)"
    ]
    assert journal.stat().st_mode & 0o777 == 0o600
    assert run("client", "list").stderr == ""


def test_write_ahead_files_readable_by_others_are_made_owner_only(journal: Path, run: Run) -> None:
    """A -wal and -shm left open to others by another program (here: kept open by a reader)."""
    run("client", "add", "Dana Levi")
    holder = sqlite3.connect(journal)
    try:
        holder.execute("SELECT count(*) FROM client").fetchall()
        sides = [journal.with_name(journal.name + side) for side in ("-wal", "-shm")]
        for side in sides:
            side.chmod(0o664)
        result = run("client", "list")
        assert {side.stat().st_mode & 0o777 for side in sides} == {0o600}
        assert len(lines(result.stderr)) == 2
        assert all("could be read by others (0664)" in line for line in lines(result.stderr))
    finally:
        holder.close()


def test_an_owner_only_journal_gets_no_note(run: Run, journal: Path) -> None:
    assert journal.stat().st_mode & 0o777 == 0o600
    assert run("client", "add", "Dana Levi").stderr == ""


# read-only journals --------------------------------------------------------------


needs_permissions = pytest.mark.skipif(
    os.geteuid() == 0 and (shutil.which("setpriv") is None or as_user("--version").returncode != 0),
    reason="as root, needs setpriv to drop the permission override",
)


@needs_permissions
def test_a_journal_in_a_read_only_folder_can_be_read_and_says_why_it_cannot_be_written(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    journal = folder / "journal.db"
    run("--db", str(journal), "client", "add", "Dana Levi")
    run("--db", str(journal), "add", "call", "Dana Levi", "-m", "first call")
    assert sorted(p.name for p in folder.iterdir()) == ["journal.db"]
    folder.chmod(0o500)
    try:
        listed = as_user("--db", str(journal), "log")
        assert listed.returncode == 0, listed.stderr
        assert "first call" in listed.stdout
        assert lines(listed.stderr) == [
            f"relog: note: journal {journal} is read-only (its folder {folder} is read-only); "
            "relog could read it, but can change nothing in it"
        ]
        added = as_user("--db", str(journal), "add", "call", "Dana Levi", "-m", "second")
        assert added.returncode == 4
        assert lines(added.stderr) == [
            f"relog: error: cannot save to journal {journal}: its folder {folder} is read-only"
        ]
        checked = as_user("--db", str(journal), "check")
        assert checked.returncode == 0, checked.stderr
    finally:
        folder.chmod(0o700)
    assert sorted(p.name for p in folder.iterdir()) == ["journal.db"]


@needs_permissions
def test_a_read_only_journal_that_needs_an_upgrade_is_refused_with_why(
    run: Run, tmp_path: Path
) -> None:
    journal = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, journal)
    journal.chmod(0o400)
    before = digest(journal)
    result = as_user("--db", str(journal), "log")
    assert result.returncode == 4
    assert lines(result.stderr) == [
        f"relog: error: journal {journal} is read-only (the file is read-only) and needs an "
        "upgrade relog cannot write; make it writable and run relog again"
    ]
    assert digest(journal) == before


# damaged journals ----------------------------------------------------------------


def overwrite(path: Path, offset: int, size: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xab" * size)


def root_page(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        query = "SELECT rootpage FROM sqlite_master WHERE name = ?"
        return int(connection.execute(query, (table,)).fetchone()[0])


@pytest.fixture
def with_entries(run: Run, journal: Path) -> Path:
    run("client", "add", "Dana Levi")
    for n in range(40):
        run("add", "call", "Dana Levi", "-m", f"private words {n}")
    return journal


def test_a_damaged_table_is_named_with_what_to_do_never_as_a_bug(
    run: Run, with_entries: Path
) -> None:
    journal = with_entries
    copy = run("backup").stdout.strip()
    overwrite(journal, (root_page(journal, "interaction") - 1) * 4096, 4096)
    result = run("log", code=4)
    assert lines(result.stderr) == [
        f"relog: error: journal {journal} is damaged (SQLite: database disk image is "
        "malformed); 'relog check' shows what is affected, and put back its latest copy with "
        f"'relog restore {copy}'"
    ]
    assert "private words" not in result.stderr
    checked = run("check", code=4)
    assert "Affected:\n  interaction: the logged entries\n" in checked.stdout
    assert f"  relog restore {copy}\n" in checked.stdout
    assert "private words" not in checked.stdout
    document = json.loads(run("check", "--json", code=4).stdout)
    assert document["healthy"] is False
    assert "interaction" in document["affected"]
    assert document["problems"]
    assert document["latest_copy"] == copy
    assert document["schema_revision"] == SCHEMA_HEAD
    # relog restore puts the copy back; the journal is healthy again.
    run("restore", copy, "--yes")
    assert json.loads(run("check", "--json").stdout)["healthy"] is True
    assert len(json.loads(run("log", "--json").stdout)["interactions"]) == 40


def test_corrupt_pages_at_8_kib_fail_every_command_as_damaged_not_as_a_bug(
    run: Run, with_entries: Path
) -> None:
    """Issue 14, row 5: 12 KiB overwritten at offset 8192."""
    journal = with_entries
    overwrite(journal, 8192, 12 * 1024)
    for command in (["client", "list"], ["log"], ["add", "note", "Dana Levi", "-m", "x"]):
        result = run(*command, code=4)
        [line] = lines(result.stderr)
        assert line.startswith(f"relog: error: journal {journal} is damaged"), command
        assert "relog check" in line and "relog restore FILE" in line, command
    checked = run("check", code=4)
    assert checked.stdout.startswith(f"Journal {journal} is damaged: SQLite's checks found")
    assert "No copy of it was found beside it." in checked.stdout


def test_a_healthy_journal_passes_the_check(run: Run, with_entries: Path) -> None:
    result = run("check")
    assert result.stdout == (
        f"Journal {with_entries} passes SQLite's integrity and foreign-key checks.\n"
    )
    document = json.loads(run("check", "--json").stdout)
    assert document == {
        "path": str(with_entries),
        "healthy": True,
        "schema_revision": SCHEMA_HEAD,
        "problems": [],
        "affected": [],
        "orphans": [],
        "latest_copy": None,
    }


def test_a_row_whose_client_is_gone_fails_the_foreign_key_check(
    run: Run, with_entries: Path
) -> None:
    with sqlite3.connect(with_entries) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("DELETE FROM client")
    document = json.loads(run("check", "--json", code=4).stdout)
    assert document["problems"] == []
    assert document["orphans"][0] == "interaction row 1: the client row it names is not there"
    assert len(document["orphans"]) == 40


@pytest.mark.no_journal
def test_check_of_a_missing_journal_creates_nothing(run: Run, journal: Path) -> None:
    result = run("check", code=4)
    assert lines(result.stderr) == [
        f"relog: error: no journal at {journal}; relog creates one when it is first used"
    ]
    assert not journal.exists()


# relog add --new ------------------------------------------------------------------


def test_add_new_whose_entry_fails_stores_no_client(
    run: Run, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "false")
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("add", "call", "Newco", "--new", "--edit", code=1)
    assert "the editor exited with code 1; nothing was saved" in result.stderr
    assert table_rows(journal, "client") == []
    # A summary SQLite cannot take (an argument that was not UTF-8) fails the entry's insert.
    failed = CliRunner().invoke(app, ["add", "call", "Newco", "--new", "-m", "bad \udcff"])
    assert failed.exit_code != 0
    assert table_rows(journal, "client") == []


def test_add_new_stores_the_client_and_the_entry_together(run: Run, journal: Path) -> None:
    shown = json.loads(run("add", "call", "Newco", "--new", "-m", "hello", "--json").stdout)
    assert shown["client"] == "Newco"
    assert [row[1] for row in table_rows(journal, "client")] == ["Newco"]
    assert [row[17] for row in table_rows(journal, "interaction")] == ["hello"]
    again = json.loads(run("add", "note", "newco", "--new", "-m", "second", "--json").stdout)
    assert again["client"] == "Newco"
    assert len(table_rows(journal, "client")) == 1
