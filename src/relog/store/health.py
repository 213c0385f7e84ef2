"""`relog check`: SQLite's own checks of a journal file, read without changing it.

A journal that SQLite finds damaged cannot be opened the usual way (the
schema may be unreadable), so the file is opened here for reading only, and
every check that fails is kept as SQLite worded it: its lines name pages,
tables and row ids, never what the rows hold.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relog.errors import JournalError
from relog.store.engine import check_sqlite_file, read_only_reason, read_only_uri

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA_TABLE = "sqlite_master"
"""What `Health.affected` names when the list of the journal's tables cannot be read."""

MOST_PROBLEMS = 100
"""SQLite stops its integrity check after this many problems."""


@dataclass(frozen=True)
class Health:
    """What SQLite's checks found in one journal file."""

    path: Path
    revision: str | None
    """The schema revision, if it could be read."""
    problems: tuple[str, ...]
    """SQLite's integrity check, one problem a line; empty when it passes."""
    affected: tuple[str, ...]
    """The tables (with their indexes) where the problems are, by name."""
    orphans: tuple[str, ...]
    """Rows whose foreign key names a row that is not there, as 'table row N: no parent'."""

    @property
    def healthy(self) -> bool:
        return not self.problems and not self.orphans


def check_journal(path: Path) -> Health:
    """Run SQLite's integrity and foreign-key checks on the journal at `path`, read-only."""
    if not path.exists():
        raise JournalError(f"no journal at {path}; relog creates one when it is first used")
    if path.is_dir():
        raise JournalError(f"{path} is a folder; --db takes the path of a journal file")
    check_sqlite_file(path, f"journal {path}")
    with closing(_connect(path)) as connection:
        try:
            query = f"PRAGMA integrity_check({MOST_PROBLEMS})"
            found = [row[0] for row in connection.execute(query)]
            problems = () if found == ["ok"] else tuple(found)
        except sqlite3.DatabaseError as error:  # a check that cannot go on
            problems = (str(error),)
        affected = _affected(connection) if problems else ()
        revision = None if affected == (SCHEMA_TABLE,) else _revision(connection)
        orphans = () if affected == (SCHEMA_TABLE,) else _orphans(connection)
    return Health(path, revision, problems, affected, orphans)


def _connect(path: Path) -> sqlite3.Connection:
    """A connection that can change nothing in the journal.

    Where relog may write, it is an ordinary one, which removes the -wal and
    -shm files when it closes as every relog command does; the checks only
    read. Elsewhere it is opened read-only (immutable where no -shm file can be
    made beside it).
    """
    if read_only_reason(path) is None:
        return sqlite3.connect(path, timeout=30)
    shm = path.with_name(path.name + "-shm")
    immutable = not os.access(path.parent, os.W_OK) and not shm.exists()
    return sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True, timeout=30)


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _affected(connection: sqlite3.Connection) -> tuple[str, ...]:
    """The tables whose own check (of the table and its indexes) fails."""
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
    except sqlite3.DatabaseError:
        return (SCHEMA_TABLE,)
    affected = []
    for table in tables:
        quoted = table.replace('"', '""')
        try:
            rows = connection.execute(f'PRAGMA integrity_check("{quoted}")').fetchall()
        except sqlite3.DatabaseError:
            rows = []
        if rows != [("ok",)]:
            affected.append(table)
    return tuple(affected)


def _orphans(connection: sqlite3.Connection) -> tuple[str, ...]:
    try:
        rows = connection.execute("PRAGMA foreign_key_check").fetchmany(MOST_PROBLEMS)
    except sqlite3.DatabaseError as error:
        return (f"the foreign-key check failed: {error}",)
    return tuple(
        f"{table} row {rowid}: the {parent} row it names is not there"
        for table, rowid, parent, _ in rows
    )
