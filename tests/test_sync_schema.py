"""Migration 0006: the tables that remember what a sync made and read, both ways."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from tests.test_migrations import alembic, revision_of, schema_sql, table_rows

if TYPE_CHECKING:
    from pathlib import Path


def test_0006_adds_the_sync_tables_and_can_be_undone(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    alembic(path, "upgrade", "0005")
    old_schema = schema_sql(path)
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO client (id, name, name_key, stage, notes, created_at) "
            "VALUES (1, 'Dana', 'dana', 'active', '', '2026-11-01 10:00:00.000000')"
        )
        db.execute(
            "INSERT INTO interaction (id, client_id, kind, at, by, outcome, agreed, think, "
            "asked, gave, expectations, initiative, delegated, late, summary) VALUES "
            "(1, 1, 'email', '2026-11-02 10:00:00.000000', 'them', 'reached', 0, 0, '', '', "
            "0, 0, 0, 0, 'Re: prices')"
        )
    before = table_rows(path, "interaction")
    alembic(path, "upgrade", "0006")
    assert revision_of(path) == [("0006",)]
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(
            "INSERT INTO synced_entry (key, series, client_id, interaction_id, linked) "
            "VALUES ('mail:a@b', 'mail:a@b', 1, 1, 0)"
        )
        duplicate = "INSERT INTO synced_entry (key, series, client_id, interaction_id, linked) "
        try:
            db.execute(duplicate + "VALUES ('mail:a@b', 'mail:a@b', 1, 1, 0)")
        except sqlite3.IntegrityError:
            refused = True
        else:
            refused = False
        assert refused, "the same key for the same client twice must be refused"
        db.execute("DELETE FROM interaction WHERE id = 1")
        assert db.execute("SELECT count(*) FROM synced_entry").fetchone() == (0,)
        db.rollback()
    alembic(path, "downgrade", "0005")
    assert sorted(schema_sql(path)) == sorted(old_schema)
    assert table_rows(path, "interaction") == before
