"""Opening a journal: checks, permissions, pragmas and migrations.

A journal holds private notes about people, so a new file and any backup are
created readable by the owner only, and a folder relog creates for it is the
owner's alone.

A team's journal is a database on a PostgreSQL server (`prepare_server`), migrated
by the same Alembic revisions as a file, under a lock that lets one relog migrate
while the others wait. Its URL's password never appears in a message.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import URL, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import NullPool

from relog.errors import InputError, JournalError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Connection, Engine

    from relog.paths import ServerJournal

SCHEMA_HEAD = "0007"
"""The newest migration; a test checks it matches Alembic's head."""

SQLITE_MAGIC = b"SQLite format 3\x00"


def make_engine(path: Path) -> Engine:
    """The one engine for a journal file, with the pragmas relog relies on.

    The URL is built from parts, not from a string, so a path holding '?', '#'
    or '%' names this very file rather than being read as URL syntax.
    """
    engine = create_engine(URL.create("sqlite", database=str(path)), connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    return engine


def _create_private_file(path: Path, *, user_chosen: bool) -> None:
    parent = path.parent
    if not parent.exists():
        if user_chosen:
            raise JournalError(
                f"folder {parent} does not exist; create it first or choose another --db path"
            )
        try:
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise JournalError(f"cannot create folder {parent}: {error.strerror}") from None
    if not parent.is_dir():
        raise JournalError(f"{parent} is not a folder; choose another --db path")
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as error:
        raise JournalError(f"cannot create journal {path}: {error.strerror}") from None
    os.close(descriptor)


def check_sqlite_file(path: Path, shown: str) -> None:
    """Refuse a file that is not an SQLite database (`shown`: how messages name it)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise JournalError(f"cannot read {shown}: {error.strerror}") from None
    if head != SQLITE_MAGIC:
        raise JournalError(f"{path} is not a relog journal (not an SQLite database)")


def _check_header(path: Path) -> None:
    if path.is_dir():
        raise JournalError(f"{path} is a folder; --db takes the path of a journal file")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except PermissionError:
        raise JournalError(f"cannot read journal {path}: permission denied") from None
    if head and head != SQLITE_MAGIC:
        raise JournalError(f"{path} is not a relog journal (not an SQLite database)")


OTHER_DB = "choose another --db path"


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = current_schema()",
}
"""How each database lists the tables of the journal's schema."""

_KIND = {"sqlite": "an SQLite database", "postgresql": "a PostgreSQL database"}


def current_revision(connection: Connection, path: Path | str, hint: str = OTHER_DB) -> str | None:
    """The journal's schema revision; None for a blank database; refused if not relog's."""
    dialect = connection.dialect.name
    tables = {row[0] for row in connection.execute(text(_TABLES[dialect]))}
    kind = _KIND[dialect]
    if "alembic_version" not in tables:
        if tables - {"sqlite_sequence"}:
            raise JournalError(f"{path} is {kind} but not a relog journal; {hint}")
        return None
    if not {"client", "interaction"} <= tables:
        raise JournalError(f"{path} is {kind} but not a relog journal; {hint}")
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def copy_journal(source: Path, target: Path) -> None:
    """Copy the journal at `source` into `target`, a new file readable by its owner only.

    SQLite's online backup API copies one consistent state of the journal, even
    while another process writes to it. The copy is switched out of write-ahead
    logging, so it is one complete file with nothing beside it. It is written
    under a hidden name and only then linked as `target`, so `target` is never a
    part of a copy, even if relog is killed while copying. `target` must not
    exist (FileExistsError).
    """
    if target.exists():
        raise FileExistsError(target)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)
    try:
        with closing(sqlite3.connect(source, timeout=30)) as original:
            with closing(sqlite3.connect(partial)) as copy:
                original.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.link(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _backup(path: Path, revision: str) -> Path:
    """Copy the journal aside before migrating it, as journal.db.REVISION-STAMP.bak.

    A name already taken (a migration killed within the same second, and tried
    again) waits for the next second's name rather than overwrite a copy.
    """
    while True:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = path.with_name(f"{path.name}.{revision}-{stamp}.bak")
        try:
            copy_journal(path, target)
        except FileExistsError:
            time.sleep(1 - datetime.now(UTC).microsecond / 1_000_000)
            continue
        return target


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


@dataclass
class Opened:
    """A journal ready for use: its engine, what relog noted while opening it, and why it
    can only be read (None when relog can write to it)."""

    engine: Engine
    notes: list[str] = field(default_factory=list)
    read_only: str | None = None


def prepare_journal(path: Path, *, user_chosen: bool) -> Opened:
    """Open an up-to-date journal at `path`, creating it if missing.

    An up-to-date journal in write-ahead logging costs two queries. Anything
    else (a missing or blank file, an older schema, a half-made journal, a
    journal left in rollback mode) goes through `_migrate`: one exclusive
    transaction that completes or leaves nothing, which other relog processes
    wait for. An older journal is copied aside before it is migrated, so an
    upgrade can always be undone by hand. A journal relog may not write to is
    opened for reading only (`_open_read_only`).
    """
    _create_private_file(path, user_chosen=user_chosen)
    _check_header(path)
    notes = _make_private(path)
    why = read_only_reason(path)
    if why is not None:
        return _open_read_only(path, why, notes)
    engine = make_engine(path)
    with _disposed_on_failure(engine, path):
        with engine.connect() as connection:
            tables, revision = _state(connection)
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            if revision == SCHEMA_HEAD and mode == "wal":
                return Opened(engine, notes)
            _classify(tables, revision, path)
            if revision is None and _holds_user_rows(connection, tables):
                raise _half_made_error(path)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode = WAL")
        _migrate(path, notes)
    return Opened(engine, notes)


@contextmanager
def _disposed_on_failure(engine: Engine, path: Path) -> Iterator[None]:
    """Close `engine` if opening the journal fails, SQLite's failures told as the user's."""
    try:
        yield
    except DatabaseError as error:
        engine.dispose()
        raise opening_error(path, error) from None
    except BaseException:
        engine.dispose()
        raise


def _state(connection: Connection) -> tuple[set[str], str | None]:
    """The journal's tables and its schema revision (None without one)."""
    tables = {
        row[0]
        for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
    }
    if "alembic_version" not in tables:
        return tables, None
    return tables, connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _classify(tables: set[str], revision: str | None, path: Path) -> None:
    """Refuse, before anything is changed, a journal relog must not migrate: a database
    of another program, or a journal from a newer relog."""
    if revision is not None:
        if not {"client", "interaction"} <= tables:
            raise JournalError(f"{path} is an SQLite database but not a relog journal; {OTHER_DB}")
        check_known(revision, path)
    elif not tables <= _relog_tables():
        raise JournalError(f"{path} is an SQLite database but not a relog journal; {OTHER_DB}")


def _relog_tables() -> set[str]:
    """Every table a relog journal can hold: the models', the full-text indexes' and
    their own tables, Alembic's, and SQLite's."""
    from sqlmodel import SQLModel

    from relog.store import models  # noqa: F401  (declares the tables)
    from relog.store.fulltext import FTS_SHADOWS, FTS_TABLES

    names = set(SQLModel.metadata.tables) | {"alembic_version", "sqlite_sequence"}
    for table in FTS_TABLES:
        names |= {f"{table}_fts", *(f"{table}_fts_{shadow}" for shadow in FTS_SHADOWS)}
    return names


def _user_tables() -> set[str]:
    """The tables that hold what the user wrote (the rest can be rebuilt from them)."""
    from sqlmodel import SQLModel

    from relog.store import models  # noqa: F401  (declares the tables)

    return set(SQLModel.metadata.tables)


def _migration_engine(path: Path) -> Engine:
    """An engine whose transactions are SQLite's own, begun with BEGIN EXCLUSIVE.

    Python's sqlite3 module starts a transaction only before INSERT, UPDATE and
    DELETE, so CREATE TABLE and the rest of a migration's DDL would each commit
    on their own. With the module's own handling off, SQLite's DDL is
    transactional: the whole migration commits at once or not at all, and the
    exclusive lock makes every other relog wait until it has.
    """
    engine = create_engine(
        URL.create("sqlite", database=str(path)),
        connect_args={"timeout": 30},
        poolclass=NullPool,
    )

    @event.listens_for(engine, "connect")
    def _own_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        dbapi_connection.execute("PRAGMA busy_timeout = 30000")

    @event.listens_for(engine, "begin")
    def _exclusive(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN EXCLUSIVE")

    return engine


class _HalfMade(Exception):
    """The journal's schema is not the one its revision says: an older relog stopped
    while making it."""


def _migrate(path: Path, notes: list[str]) -> None:
    """Create or upgrade the journal in one exclusive transaction.

    The state is read again once the lock is held: another relog may have
    created or upgraded the journal meanwhile, and then there is nothing to do.
    A journal half made by an older relog, which created the schema statement
    by statement, is made afresh in a second transaction when it holds nothing
    the user wrote, and refused otherwise.
    """
    engine = _migration_engine(path)
    made: Path | None = None
    try:
        try:
            with engine.begin() as connection:
                tables, revision = _state(connection)
                if revision == SCHEMA_HEAD:
                    return
                _classify(tables, revision, path)
                if revision is None and tables - {"sqlite_sequence"}:
                    raise _HalfMade
                if revision is not None:
                    made = _backup(path, revision)
                try:
                    _upgrade(connection)
                except OperationalError:
                    raise _HalfMade from None
            return
        except _HalfMade:
            pass
        with engine.begin() as connection:
            tables, revision = _state(connection)
            if revision == SCHEMA_HEAD:  # another relog completed it meanwhile
                return
            if _holds_user_rows(connection, tables):
                raise _half_made_error(path, made)
            _drop_everything(connection)
            _upgrade(connection)
        notes.append(
            f"{path} was left half-made by an earlier relog and held no entries; relog completed it"
        )
    except BaseException:
        if made is not None:
            made.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()


def _holds_user_rows(connection: Connection, tables: set[str]) -> bool:
    return any(
        connection.exec_driver_sql(f'SELECT EXISTS (SELECT 1 FROM "{table}")').scalar()
        for table in sorted(tables & _user_tables())
    )


def _drop_everything(connection: Connection) -> None:
    """Drop every table, index and trigger in the file (inside the caller's transaction)."""

    def objects(kind: str) -> list[str]:
        """Newest first, so a table goes before the tables its foreign keys name."""
        query = (
            "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid DESC"
        )
        return [row[0] for row in connection.exec_driver_sql(query, (kind,))]

    for trigger in objects("trigger"):
        connection.exec_driver_sql(f'DROP TRIGGER "{trigger}"')
    virtual = "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
    for table in [row[0] for row in connection.exec_driver_sql(virtual)]:
        connection.exec_driver_sql(f'DROP TABLE "{table}"')
    for table in objects("table"):
        connection.exec_driver_sql(f'DROP TABLE "{table}"')
    if connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
    ).first():
        connection.exec_driver_sql("DELETE FROM sqlite_sequence")


def _half_made_error(path: Path, made: Path | None = None) -> JournalError:
    """Refusing a half-made journal with entries; `made`, the copy just made of it, is
    not the one to put back."""
    if made is not None:
        made.unlink(missing_ok=True)
    return JournalError(
        f"{path} was left half-made by an earlier relog and holds entries, so relog leaves it "
        f"as it is; {restore_hint(path)}"
    )


def restore_hint(path: Path) -> str:
    """What to do with a journal relog cannot use: put back its latest copy."""
    from relog.store.files import latest_copy

    latest = latest_copy(path)
    if latest is None:
        return "put back a copy of it with 'relog restore FILE'"
    return f"put back its latest copy with 'relog restore {latest}'"


def _make_private(path: Path) -> list[str]:
    """Make the journal and its -wal and -shm files the owner's alone, if others could read
    them; a note for each file changed."""
    notes = []
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & 0o077 and file.stat().st_uid == os.geteuid():
                os.chmod(file, mode & 0o700)
            else:
                continue
        except OSError:
            continue
        notes.append(
            f"{file} could be read by others ({mode:04o}); relog made it yours alone "
            f"({mode & 0o700:04o})"
        )
    return notes


def read_only_reason(path: Path) -> str | None:
    """Why relog can only read the journal at `path` (None if it can write to it).

    SQLite writes the journal and, beside it, a write-ahead log and its index
    (-wal, -shm): it needs the file and its folder writable.
    """
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is read-only"
    return None


def read_only_uri(path: Path, *, immutable: bool) -> str:
    """An SQLite URI that opens `path` for reading only; `immutable` also tells SQLite that
    nothing changes the file, so it needs no -shm file beside it."""
    return f"file:{quote(str(path.absolute()))}?mode=ro" + ("&immutable=1" if immutable else "")


def _open_read_only(path: Path, why: str, notes: list[str]) -> Opened:
    """Open a journal relog cannot write to, for reading only.

    SQLite reads a journal in write-ahead logging through its -shm file; where
    that cannot be made (a read-only folder or file system) and none is there,
    the journal is opened as immutable, which needs none.
    """
    shm = path.with_name(path.name + "-shm")
    immutable = not shm.exists() and not os.access(path.parent, os.W_OK)
    uri = read_only_uri(path, immutable=immutable)
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False),
    )
    with _disposed_on_failure(engine, path):
        with engine.connect() as connection:
            tables, revision = _state(connection)
        _classify(tables, revision, path)
    if revision != SCHEMA_HEAD:
        engine.dispose()
        raise JournalError(
            f"journal {path} is read-only ({why}) and needs an upgrade relog cannot write; "
            "make it writable and run relog again"
        )
    return Opened(engine, notes, why)


def is_damage(error: BaseException) -> bool:
    """Whether `error` (SQLAlchemy's or sqlite3's) is SQLite finding the file damaged."""
    original = getattr(error, "orig", None) or error
    return getattr(original, "sqlite_errorname", None) == "SQLITE_CORRUPT"


def damaged_error(path: Path, error: BaseException | None = None) -> JournalError:
    """The message for a journal SQLite finds damaged: what to run to see more and to repair."""
    original = getattr(error, "orig", None) or error
    said = f" (SQLite: {original})" if original is not None else ""
    return JournalError(
        f"journal {path} is damaged{said}; 'relog check' shows what is affected, and "
        f"{restore_hint(path)}"
    )


def opening_error(path: Path, error: DatabaseError) -> JournalError:
    """What a failure of SQLite's while relog opens a journal means for the user."""
    message = str(error.orig) if error.orig is not None else str(error)
    if is_damage(error):
        return damaged_error(path, error)
    if "readonly" in message:
        return JournalError(f"journal {path} is read-only; relog needs to write to it")
    if "not a database" in message:
        return JournalError(f"{path} is not a relog journal (not an SQLite database)")
    return JournalError(f"cannot open journal {path}: {message}")


MIGRATION_LOCK = 0x72656C6F67
"""The PostgreSQL advisory lock ("relog") a relog holds while it migrates a server's
journal: the others wait for it, then find the schema up to date."""


def server_engine(journal: ServerJournal) -> Engine:
    """The one engine for a journal on a PostgreSQL server, through psycopg 3.

    `postgresql://` and `postgres://` mean psycopg too; another driver or database
    is refused, as is a URL SQLAlchemy cannot read.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    accepted = "give a file path or a URL such as postgresql+psycopg://user@host/dbname"
    try:
        url = make_url(journal.url)
    except (ArgumentError, ValueError):
        raise InputError(f"cannot read the database URL {journal.shown}; {accepted}") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg":
        raise InputError(f"relog cannot use a {url.drivername} database; {accepted}")
    if not url.database:
        raise InputError(f"the URL {journal.shown} names no database; {accepted}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise JournalError(
            "a journal on PostgreSQL needs psycopg; install relog with its team extra: "
            "pip install 'relog[team]'"
        ) from None
    return create_engine(url, connect_args={"connect_timeout": 10, "application_name": "relog"})


def prepare_server(journal: ServerJournal) -> Engine:
    """Return an engine on an up-to-date journal in the database `journal` names.

    The database must exist (relog creates no databases). A blank one gets the
    schema, an older one is migrated; PostgreSQL runs each migration in the same
    transaction, so a failure leaves the schema as it was. relog takes the
    migration lock first, so of several starting at once one migrates and the
    others wait and find the schema up to date.
    """
    engine = server_engine(journal)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection, journal.shown, "choose another database")
        if revision == SCHEMA_HEAD:
            return engine
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            revision = current_revision(connection, journal.shown, "choose another database")
            if revision != SCHEMA_HEAD:
                if revision is not None:
                    check_known(revision, journal.shown)
                _upgrade(connection)
    except DatabaseError as error:
        engine.dispose()
        said = server_message(error)
        if getattr(error.orig, "sqlstate", None) == "42501":  # insufficient privilege
            raise JournalError(
                f"cannot open journal {journal.shown}: {said}; a journal is created and "
                "upgraded by the role that owns its tables: ask them to run relog on it once"
            ) from None
        raise JournalError(f"cannot open journal {journal.shown}: {said}") from None
    except JournalError:
        engine.dispose()
        raise
    return engine


def server_message(error: DatabaseError) -> str:
    """What the server said, on one line (psycopg's own message, never the statement)."""
    said = str(error.orig) if error.orig is not None else str(error)
    return " ".join(said.split()) or type(error.orig).__name__


def check_known(revision: str, path: Path | str) -> None:
    """Refuse a journal whose schema this relog does not know: a newer relog wrote it."""
    versions = Path(__file__).parent / "migrations" / "versions"
    if not any(p.name.startswith(f"{revision}_") for p in versions.glob("*.py")):
        raise JournalError(
            f"{path} was written by a newer relog (schema {revision}); upgrade relog to open it"
        )
