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
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError

from relog.errors import InputError, JournalError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from relog.paths import ServerJournal

SCHEMA_HEAD = "0006"
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
    logging, so it is one complete file with nothing beside it. `target` must not
    exist (FileExistsError); a copy that fails half-way is removed.
    """
    descriptor = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)
    try:
        with closing(sqlite3.connect(source, timeout=30)) as original:
            with closing(sqlite3.connect(target)) as copy:
                original.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _backup(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{revision}-{stamp}.bak")
    copy_journal(path, target)
    return target


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def prepare_journal(path: Path, *, user_chosen: bool) -> Engine:
    """Return an engine on an up-to-date journal at `path`, creating it if missing.

    An older journal is copied aside before it is migrated, so an upgrade can
    always be undone by hand.
    """
    _create_private_file(path, user_chosen=user_chosen)
    _check_header(path)
    engine = make_engine(path)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection, path)
        if revision == SCHEMA_HEAD:
            return engine
        if revision is not None:
            check_known(revision, path)
            _backup(path, revision)
        with engine.begin() as connection:
            _upgrade(connection)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode = WAL")
    except (OperationalError, DatabaseError) as error:
        engine.dispose()
        message = str(error.orig) if error.orig is not None else str(error)
        if "readonly" in message:
            raise JournalError(f"journal {path} is read-only; relog needs to write to it") from None
        if "not a database" in message or "malformed" in message:
            raise JournalError(f"{path} is not a relog journal (not an SQLite database)") from None
        raise JournalError(f"cannot open journal {path}: {message}") from None
    except JournalError:
        engine.dispose()
        raise
    return engine


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
