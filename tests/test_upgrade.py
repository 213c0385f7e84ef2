"""A journal written at schema 0001, opened by today's relog: upgraded, backed up, intact.

The journal is tests/fixtures/journal-0001.db, made once by
tests/fixtures/make_journal_0001.py; each test works on a private copy.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from relog.domain import InteractionData, Item, Kind, derive_requests
from relog.store.engine import SCHEMA_HEAD
from tests.test_migrations import (
    alembic,
    assert_indexes_in_step,
    backups,
    differences,
    kept_rows,
    revision_of,
    schema_sql,
    table_rows,
)

if TYPE_CHECKING:
    from tests.conftest import Run

FIXTURE = Path(__file__).parent / "fixtures" / "journal-0001.db"
TABLES = ("client", "interaction", "request", "mistake")


@pytest.fixture
def old_journal(tmp_path: Path) -> Path:
    """A private copy of the fixture, as a user's journal file would be."""
    copy = tmp_path / "old.db"
    descriptor = os.open(copy, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(FIXTURE.read_bytes())
    return copy


def test_the_fixture_is_a_small_journal_at_0001_with_every_kind_of_row(tmp_path: Path) -> None:
    made = tmp_path / "made.db"
    alembic(made, "upgrade", "0001")
    assert revision_of(FIXTURE) == [("0001",)]
    assert schema_sql(FIXTURE) == schema_sql(made)
    assert FIXTURE.stat().st_size < 100_000
    held: dict[str, list[tuple[Any, ...]]] = {t: table_rows(FIXTURE, t) for t in TABLES}
    assert any(not name.isascii() for _, name, *_ in held["client"])
    assert {row[2] for row in held["interaction"]} == {kind.value for kind in Kind}
    assert all(row[17] for row in held["interaction"])  # every entry has a summary
    assert {row[5] is None for row in held["request"]} == {True, False}  # open and delivered
    assert len(held["mistake"]) == 1
    # The requests are the ones relog pairs from the entries.
    entries = entries_of(held["interaction"])
    derived = [
        (r.client_id, r.item.value, r.asked_id, r.given_id)
        for client in sorted({e.client_id for e in entries})
        for r in derive_requests([e for e in entries if e.client_id == client])
    ]
    assert sorted(derived) == sorted((r[1], r[2], r[3], r[5]) for r in held["request"])


def entries_of(rows: list[tuple[Any, ...]]) -> list[InteractionData]:
    """Rows of the `interaction` table as entries, with what pairs requests: the moment
    and the items asked and given."""
    return [
        InteractionData(
            id=row[0],
            client_id=row[1],
            kind=Kind(row[2]),
            at=_moment(row[3]),
            asked=frozenset(Item(i) for i in row[9].split(",") if i),
            gave=frozenset(Item(i) for i in row[10].split(",") if i),
        )
        for row in rows
    ]


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_first_command_upgrades_it_after_a_backup_and_keeps_every_row(
    run: Run, old_journal: Path
) -> None:
    held = {table: table_rows(FIXTURE, table) for table in TABLES}
    listed = json.loads(run("--db", str(old_journal), "log", "--json").stdout)

    assert revision_of(old_journal) == [(SCHEMA_HEAD,)]
    [backup] = backups(old_journal.parent)
    assert backup.name.startswith("old.db.0001-")
    assert backup.stat().st_mode & 0o777 == old_journal.stat().st_mode & 0o777 == 0o600
    assert revision_of(backup) == [("0001",)]
    assert {table: table_rows(backup, table) for table in TABLES} == held

    # Every row as it was; each client gains the later columns, empty.
    width = len(held["client"][0])
    upgraded = table_rows(old_journal, "client")
    assert [row[:width] for row in upgraded] == held["client"]
    assert {row[width:] for row in upgraded} == {(None, None, None, None)}
    for table in ("interaction", "request", "mistake"):
        assert kept_rows(old_journal, table, held[table]) == held[table], table
    assert table_rows(old_journal, "bill") == []
    assert differences(old_journal) == []
    assert_indexes_in_step(old_journal)

    newest_first = sorted(held["interaction"], key=lambda row: (row[3], row[0]), reverse=True)
    assert [(e["id"], e["summary"]) for e in listed["interactions"]] == [
        (row[0], row[17]) for row in newest_first
    ]
    assert listed["interactions"][-1]["asked"] == ["prices", "references"]

    # A second command finds it at the head: no second backup.
    run("--db", str(old_journal), "client", "list")
    assert len(backups(old_journal.parent)) == 1


def test_search_finds_the_old_summaries_and_notes(run: Run, old_journal: Path) -> None:
    def found(text: str) -> list[tuple[str, int | str]]:
        result = run("--db", str(old_journal), "search", text, "--json")
        return [
            (h["found_in"], h["entry"]["id"] if h["entry"] else h["mistake_id"] or h["client"])
            for h in json.loads(result.stdout)["hits"]
        ]

    assert found("references") == [("entry", 2), ("entry", 1)]
    assert found("hospital") == [("entry", 2)]
    assert found("assistant noa") == [("notes", "Dana Levi")]
    assert found("noa") == [("notes", "Dana Levi"), ("entry", 5)]
    assert found("הנחה") == [("notes", "דנה לוי")]
    assert found("ביטלה") == [("entry", 9)]
    assert found("cafe") == [("entry", 11)]
    assert found("zoe") == [("notes", "Café Noir"), ("entry", 12)]
    assert found("non-profit price") == [("post-mortem", 1)]
    # What is written after the upgrade is found as well.
    run("--db", str(old_journal), "add", "note", "Acme", "-m", "Sent the three quotes")
    assert found("quotes") == [("notes", "Acme Ltd."), ("entry", 14)]
