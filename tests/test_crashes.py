"""Killed at any moment, relog leaves a whole journal holding all of an operation or none.

Each test kills relog many times with SIGKILL, at chosen write points
(strace) or at random moments (a forked copy of this process; the seed is in
every failure message), during a first creation, a migration from the 0001
fixture, adds, and the deletion of a client with many entries. After every
kill SQLite's integrity check passes, the state is the one before or the one
after, and the next command works. The bounds keep each test to seconds.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
from typing import TYPE_CHECKING

import pytest

from relog.domain import InteractionData, Kind, derive_requests
from relog.store.engine import SCHEMA_HEAD
from tests.kills import duration, killed_at_write, run_forked, strace_can_kill
from tests.test_migrations import schema_sql, table_rows
from tests.test_upgrade import FIXTURE, TABLES, _moment, entries_of

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import PutJournal, Run

SEED = int(os.environ.get("RELOG_KILL_SEED", time.time_ns() % 1_000_000))
"""The random kill moments come from this seed; RELOG_KILL_SEED repeats a run."""

needs_strace = pytest.mark.skipif(not strace_can_kill(), reason="needs strace, allowed to trace")

WRITE_POINTS = (1, 2, 3, 5, 8, 13, 21, 34, 55, 89)
"""The pwrite64 calls relog is killed at, spread over a creation or a migration."""


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows} - {"sqlite_sequence"}


def in_wal(path: Path) -> bool:
    """Whether the file's header says write-ahead logging (bytes 18 and 19 are 2)."""
    return path.read_bytes()[18:20] == b"\x02\x02"


def count(path: Path, table: str, where: str = "") -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0])


def env_for(journal: Path) -> dict[str, str]:
    return {**os.environ, "RELOG_DB": str(journal)}


# a first creation ---------------------------------------------------------------


def assert_created_whole_or_not_at_all(journal: Path, run: Run, head: set[str], note: str) -> None:
    if journal.exists() and journal.stat().st_size:
        assert integrity(journal) == "ok", note
        assert tables(journal) in (set(), head), note
        assert count(journal, "client") <= 1 if tables(journal) else True, note
    run("--db", str(journal), "client", "list")
    assert tables(journal) == head, note
    assert in_wal(journal), note
    assert integrity(journal) == "ok", note


@pytest.fixture
def head_tables(tmp_path: Path, put_blank_journal: PutJournal) -> set[str]:
    blank = tmp_path / "blank-for-tables.db"
    put_blank_journal(blank)
    return tables(blank)


@needs_strace
def test_a_first_creation_killed_at_any_write_leaves_nothing_half_made(
    tmp_path: Path, run: Run, head_tables: set[str]
) -> None:
    killed = 0
    for write in WRITE_POINTS:
        journal = tmp_path / f"at-{write}.db"
        killed += killed_at_write(["client", "add", "Dana Levi"], env_for(journal), write)
        assert_created_whole_or_not_at_all(journal, run, head_tables, f"killed at write {write}")
    assert killed >= len(WRITE_POINTS) - 2, "relog ended before most of the write points"


def test_a_first_creation_killed_at_random_moments_leaves_nothing_half_made(
    tmp_path: Path, run: Run, head_tables: set[str]
) -> None:
    rng = random.Random(SEED)
    argv = ["client", "add", "Dana Levi"]
    took = duration(argv, env_for(tmp_path / "timed.db"))
    killed = 0
    for n in range(25):
        journal = tmp_path / f"{n}.db"
        moment = rng.uniform(0, took)
        killed += run_forked(argv, env_for(journal), moment)
        note = f"seed {SEED}, kill {n} after {moment:.4f} s"
        assert_created_whole_or_not_at_all(journal, run, head_tables, note)
    assert killed >= 15, f"only {killed} of 25 kills landed before relog ended"


# a migration --------------------------------------------------------------------


def fixture_copy(path: Path) -> Path:
    shutil.copyfile(FIXTURE, path)
    path.chmod(0o600)
    return path


def assert_migrated_whole_or_not_at_all(journal: Path, run: Run, note: str) -> None:
    held = {table: table_rows(FIXTURE, table) for table in TABLES}
    assert integrity(journal) == "ok", note
    with sqlite3.connect(journal) as connection:
        [(revision,)] = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    if revision == "0001":
        assert schema_sql(journal) == schema_sql(FIXTURE), note
        assert {t: table_rows(journal, t) for t in TABLES} == held, note
    else:
        assert revision == SCHEMA_HEAD, note
        assert in_wal(journal), note
    for copy in journal.parent.glob(f"{journal.name}.*.bak"):
        assert {t: table_rows(copy, t) for t in TABLES} == held, f"{note}: backup {copy.name}"
    run("--db", str(journal), "client", "list")
    for table in ("client", "interaction", "request", "mistake"):
        # a later schema adds columns at the end (a client's pace, an entry's member)
        width = len(held[table][0])
        assert [row[:width] for row in table_rows(journal, table)] == held[table], note


@needs_strace
def test_a_migration_killed_at_any_write_keeps_the_old_journal_or_finishes(
    tmp_path: Path, run: Run
) -> None:
    killed = 0
    for write in WRITE_POINTS:
        folder = tmp_path / f"at-{write}"
        folder.mkdir()
        journal = fixture_copy(folder / "old.db")
        killed += killed_at_write(["client", "list"], env_for(journal), write)
        assert_migrated_whole_or_not_at_all(journal, run, f"killed at write {write}")
    assert killed >= len(WRITE_POINTS) - 2, "relog ended before most of the write points"


def test_a_migration_killed_at_random_moments_keeps_the_old_journal_or_finishes(
    tmp_path: Path, run: Run
) -> None:
    rng = random.Random(SEED)
    took = duration(["client", "list"], env_for(fixture_copy(tmp_path / "timed.db")))
    killed = 0
    for n in range(20):
        folder = tmp_path / str(n)
        folder.mkdir()
        journal = fixture_copy(folder / "old.db")
        moment = rng.uniform(0, took)
        killed += run_forked(["client", "list"], env_for(journal), moment)
        assert_migrated_whole_or_not_at_all(journal, run, f"seed {SEED}, kill {n} at {moment:.4f}")
    assert killed >= 10, f"only {killed} of 20 kills landed before relog ended"


# adds and a deletion ------------------------------------------------------------


def entries(path: Path) -> list[InteractionData]:
    return entries_of(table_rows(path, "interaction"))


def test_adds_killed_at_random_moments_are_each_stored_whole_or_not_at_all(
    journal: Path, run: Run
) -> None:
    run("client", "add", "Dana Levi")
    rng = random.Random(SEED)
    argv = ["add", "call", "Dana Levi", "--by", "them", "--asked", "prices", "-m", "asked"]
    took = duration(argv, env_for(journal))
    ended = killed = 0
    for n in range(40):
        moment = rng.uniform(0, took)
        if run_forked(argv, env_for(journal), moment):
            killed += 1
        else:
            ended += 1
        note = f"seed {SEED}, kill {n} at {moment:.4f}"
        assert integrity(journal) == "ok", note
        stored = entries(journal)
        assert 1 + ended <= len(stored) <= 1 + ended + killed, note
        # Each entry stored came with its request: the requests are the ones paired from them.
        with sqlite3.connect(journal) as connection:
            requests = connection.execute("SELECT asked_id, given_id FROM request").fetchall()
        derived = [
            (r.asked_id, r.given_id)
            for r in derive_requests(sorted(stored, key=lambda e: (e.at, e.id)))
        ]
        assert sorted(requests) == sorted(derived), note
    assert killed >= 20, f"only {killed} of 40 kills landed before relog ended"
    run("add", "note", "Dana Levi", "-m", "after the kills")


@pytest.fixture
def many_entries(tmp_path: Path, put_blank_journal: PutJournal, run: Run) -> Path:
    """A journal with a client of 3,000 entries and another client of one."""
    from relog.store import open_store

    made = tmp_path / "many.db"
    put_blank_journal(made)
    run("--db", str(made), "client", "add", "Big Client")
    run("--db", str(made), "client", "add", "Small Client")
    store = open_store(made)
    try:
        big = store.find_client("Big Client")
        start = _moment("2025-01-01 09:00:00")
        from datetime import timedelta

        store.add_interactions(
            [
                InteractionData(
                    id=0, client_id=big.id, kind=Kind.CALL, at=start + timedelta(hours=n),
                    summary=f"entry {n} " + "words " * 20,
                )
                for n in range(3000)
            ]
        )  # fmt: skip
        store.add_interaction(
            InteractionData(id=0, client_id=store.find_client("Small").id, kind=Kind.CALL, at=start)
        )
    finally:
        store.close()
    return made


def test_a_client_deletion_killed_at_random_moments_removes_all_or_nothing(
    tmp_path: Path, many_entries: Path
) -> None:
    rng = random.Random(SEED)
    argv = ["client", "delete", "Big Client", "--yes"]
    timed = tmp_path / "timed.db"

    def timed_run() -> float:
        for leftover in tmp_path.glob("timed.db*"):
            leftover.unlink()
        shutil.copyfile(many_entries, timed)
        return duration(argv, env_for(timed))

    # the shortest of three runs: one slow run (a busy machine) would put most kills after
    # the end, where they test nothing
    took = min(timed_run() for _ in range(3))
    killed = 0
    journal = tmp_path / "journal-killed.db"
    for n in range(15):
        if n == 0 or count(journal, "client") == 1:
            for leftover in tmp_path.glob("journal-killed.db*"):
                leftover.unlink()
            shutil.copyfile(many_entries, journal)
        moment = rng.uniform(0, took)
        killed += run_forked(argv, env_for(journal), moment)
        note = f"seed {SEED}, kill {n} at {moment:.4f}"
        assert integrity(journal) == "ok", note
        with sqlite3.connect(journal) as connection:
            names = [r[0] for r in connection.execute("SELECT name FROM client ORDER BY name")]
            per_client = dict(
                connection.execute("SELECT client_id, count(*) FROM interaction GROUP BY 1")
            )
        if names == ["Big Client", "Small Client"]:
            assert sorted(per_client.values()) == [1, 3000], note
        else:
            assert names == ["Small Client"], note
            assert list(per_client.values()) == [1], note
    assert killed >= 8, f"only {killed} of 15 kills landed before relog ended"
