"""Copies of the journal: `relog backup`, `relog restore`, and the copies found beside it.

Every copy is made with SQLite's online backup API (`engine.copy_journal`), so
it holds one consistent state of the journal even while relog writes to it,
and every file written here is readable by its owner only.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import DatabaseError

from relog.errors import InputError, JournalError
from relog.store.engine import (
    check_known,
    check_sqlite_file,
    copy_journal,
    current_revision,
    make_engine,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

STAMP = "%Y%m%d-%H%M%S"
"""The local time in a copy's name: journal-20260301-153000.db."""

BEFORE_RESTORE = "before-restore-"
"""The label of the journal `relog restore` keeps: journal-before-restore-20260301-153000.db."""

AUTOMATIC = "auto-"
"""The label of a scheduled copy (`scheduled_backup`): journal-auto-20260301-153000.db."""

SIDE_FILES = ("-wal", "-shm")


def stamped(journal: Path, folder: Path | None = None, label: str = "") -> Path:
    """A copy's name: the journal's, with `label` and the local time, in `folder` (default:
    the journal's)."""
    name = f"{journal.stem}-{label}{datetime.now().strftime(STAMP)}{journal.suffix}"
    return (folder or journal.parent) / name


def backups_beside(journal: Path) -> list[Path]:
    """The copies relog made of `journal` in its folder: `relog backup`'s, those kept by
    `relog restore`, and those made before a migration (journal.db.0002-...bak)."""
    stem, suffix = re.escape(journal.stem), re.escape(journal.suffix)
    made = re.compile(rf"{stem}-(?:{BEFORE_RESTORE}|{AUTOMATIC})?\d{{8}}-\d{{6}}{suffix}")
    migrated = re.compile(rf"{re.escape(journal.name)}\.\d{{4}}-\d{{8}}T\d{{6}}Z\.bak")
    try:
        found = [p for p in journal.parent.iterdir() if made.fullmatch(p.name)]
        found += [p for p in journal.parent.iterdir() if migrated.fullmatch(p.name)]
    except OSError:
        return []
    return sorted(p for p in found if p.is_file())


def latest_copy(journal: Path) -> Path | None:
    """The copy of `journal` beside it that was written last, if there is one; the
    journals `relog restore` kept are left out, since one may be why it was restored."""
    copies = [c for c in backups_beside(journal) if BEFORE_RESTORE not in c.name]
    return max(copies, key=lambda copy: copy.stat().st_mtime) if copies else None


def backup(journal: Path, target: Path | None) -> Path:
    """Copy `journal` to `target` (a new file, or a folder for a stamped file in it; default
    beside the journal) and return the copy's path."""
    if target is None:
        target = stamped(journal)
    elif target.is_dir():
        target = stamped(journal, target)
    if not target.parent.is_dir():
        raise InputError(f"folder {target.parent} does not exist; create it first")
    try:
        copy_journal(journal, target)
    except FileExistsError:
        raise InputError(f"{target} already exists; relog does not overwrite it") from None
    except PermissionError:
        raise JournalError(f"cannot write {target}: permission denied") from None
    except (OSError, sqlite3.Error) as error:
        raise JournalError(f"cannot back up the journal to {target}: {error}") from None
    return target


def automatic_copies(journal: Path) -> list[Path]:
    """The scheduled copies of `journal` beside it, oldest first."""
    stem, suffix = re.escape(journal.stem), re.escape(journal.suffix)
    automatic = re.compile(rf"{stem}-{AUTOMATIC}\d{{8}}-\d{{6}}{suffix}")
    return sorted(p for p in backups_beside(journal) if automatic.fullmatch(p.name))


def days_since_copy(journal: Path) -> float | None:
    """How many days ago the newest scheduled copy of `journal` was made; None for none."""
    copies = automatic_copies(journal)
    if not copies:
        return None
    return (datetime.now().timestamp() - copies[-1].stat().st_mtime) / 86_400


def scheduled_backup(journal: Path, *, every_days: int, keep: int) -> Path | None:
    """Copy `journal` beside itself when its newest scheduled copy is `every_days` old or
    more (or there is none), keep the newest `keep` scheduled copies, and return the new
    copy, if one was made. A journal with no clients yet is not copied."""
    age = days_since_copy(journal)
    if every_days == 0 or (age is not None and age < every_days):
        return None
    with closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=30)) as reading:
        if reading.execute("SELECT 1 FROM client LIMIT 1").fetchone() is None:
            return None
    target = stamped(journal, label=AUTOMATIC)
    if target.exists():
        return None  # made this very second
    made = backup(journal, target)
    for old in automatic_copies(journal)[:-keep]:
        _remove(old)
    return made


@dataclass
class Staged:
    """A checked copy beside the journal, waiting to be put in its place."""

    journal: Path
    temporary: Path
    revision: str

    def put_in_place(self, aside: Path) -> Path | None:
        """Keep the current journal as `aside` (None if there was none) and put the copy
        in its place in one step."""
        kept = set_aside(self.journal, aside)
        with self.temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(self.temporary, self.journal)
        _sync_folder(self.journal.parent)
        return kept


@contextmanager
def staged_restore(journal: Path, copy: Path) -> Iterator[Staged]:
    """Copy `copy` into a temporary file beside `journal` and check it; the temporary file
    is removed on the way out unless it was put in place. The journal is not touched."""
    _check_candidate(journal, copy)
    temporary = journal.with_name(f".{journal.name}.restoring-{os.getpid()}")
    _remove(temporary)
    try:
        try:
            copy_journal(copy, temporary)
        except sqlite3.DatabaseError as error:
            raise _bad_copy(copy, str(error)) from None
        except OSError as error:
            raise JournalError(f"cannot copy {copy} beside the journal: {error}") from None
        revision = check_copy(temporary, copy)
        with closing(sqlite3.connect(temporary)) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
        yield Staged(journal, temporary, revision)
    finally:
        _remove(temporary)


def _check_candidate(journal: Path, copy: Path) -> None:
    if not copy.exists():
        raise InputError(f"no file {copy}; give the path of a copy 'relog backup' made")
    if copy.is_dir():
        raise InputError(f"{copy} is a folder; give the path of a copy 'relog backup' made")
    if journal.exists() and copy.resolve() == journal.resolve():
        raise InputError(f"{copy} is the journal itself; give the path of a copy of it")
    if not journal.parent.is_dir():
        raise JournalError(f"folder {journal.parent} does not exist; create it first")
    check_sqlite_file(copy, str(copy))


def check_copy(path: Path, shown: Path) -> str:
    """The schema revision of the copy at `path` (named `shown` in errors), once SQLite's
    integrity check passes and it is a journal this relog can open."""
    engine = make_engine(path)
    try:
        with engine.connect() as connection:
            checked = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
            if checked != ["ok"]:
                raise _bad_copy(shown, "malformed")
            revision = current_revision(connection, shown, "choose another copy")
    except DatabaseError as error:
        raise _bad_copy(shown, str(error.orig)) from None
    finally:
        engine.dispose()
    if revision is None:
        raise JournalError(f"{shown} is an empty SQLite database, not a relog journal")
    check_known(revision, shown)
    return revision


def _bad_copy(copy: Path, reason: str) -> JournalError:
    if "not a database" in reason:
        return JournalError(f"{copy} is not a relog journal (not an SQLite database)")
    return JournalError(f"{copy} is damaged (SQLite's integrity check fails); choose another copy")


def set_aside(journal: Path, aside: Path) -> Path | None:
    """Rename `journal` to `aside`, its write-ahead log checkpointed into it first, so no
    -wal or -shm file is left to be read with whatever takes its place."""
    if not journal.exists():
        return None
    if aside.exists():
        raise JournalError(f"{aside} already exists; try again in a second")
    try:
        with closing(sqlite3.connect(journal, timeout=2)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise JournalError(
                f"journal {journal} is open in another program; close it and try again"
            ) from None
    except sqlite3.DatabaseError:
        pass  # a damaged journal is kept as it is, with whatever is beside it
    os.rename(journal, aside)
    os.chmod(aside, 0o600)
    for side in SIDE_FILES:
        left = journal.with_name(journal.name + side)
        if left.exists():
            os.rename(left, aside.with_name(aside.name + side))
    return aside


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    for name in (path.name, *(path.name + side for side in SIDE_FILES)):
        path.with_name(name).unlink(missing_ok=True)
