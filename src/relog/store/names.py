"""Client names for shell completion, read straight from the journal file.

Completion runs on every Tab, so it does without SQLAlchemy and the models:
it opens the file read-only with the standard library's sqlite3, never creates
or migrates a journal, and is silent on any problem (no file, another
program's database, a locked or damaged journal): it offers nothing then.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from relog.domain import name_key

if TYPE_CHECKING:
    from pathlib import Path


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, and that leaves no file behind.

    Without a write-ahead log beside the journal no relog is writing to it, and
    `immutable` reads it without the shared-memory file a read-only reader of a
    WAL journal would otherwise create and leave; with one, a plain read-only
    connection reads the log too.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    if not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=1)


def _by_a_later_word(connection: sqlite3.Connection, prefix: str) -> list[str]:
    """Names a later word of which starts with `prefix` ("lev" finds "Dana Levi"), as the
    commands accept them; one pass over the names (completion of a single word only)."""
    rows = connection.execute(
        "SELECT name, name_key FROM client WHERE instr(name_key, ?) > 0 ORDER BY name_key",
        (" " + prefix,),
    )
    return [name for name, key in rows if not key.startswith(prefix)]


def client_names(path: Path, typed: str) -> list[str]:
    """The names of the clients whose name, or a later word of it, starts with `typed`,
    in any case and spacing (names that start with it first).

    The same comparison as the commands' (`name_key`); a space typed at the end
    asks for the next word, so "Dana " offers "Dana Levi" but not "Danakil".
    Names come in `name_key` order, read from the index.
    """
    prefix = name_key(typed)
    if prefix and typed[-1:].isspace():
        prefix += " "
    try:
        if not path.is_file():
            return []
        connection = _read_only(path)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not {"alembic_version", "client"} <= tables:
                return []
            names: list[str] = []
            rows = connection.execute(
                "SELECT name, name_key FROM client WHERE name_key >= ? ORDER BY name_key",
                (prefix,),
            )
            for name, key in rows:
                if not key.startswith(prefix):
                    break
                names.append(name)
            if prefix and " " not in prefix:
                names += _by_a_later_word(connection, prefix)
            return names
        finally:
            connection.close()
    except (OSError, ValueError, sqlite3.Error):
        return []
