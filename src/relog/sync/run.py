"""One sync: read the sources, match what they hold, and write it batch by batch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relog.store.sync import Batch, seen_files, writing
from relog.sync import Problem, SyncReport
from relog.sync import calendar as calendars
from relog.sync import mail as mailboxes

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime
    from pathlib import Path

    from relog.store.store import Store
    from relog.sync import Directory

    Progress = Callable[[int, int], None]

BATCH = 2000
"""Messages or calendar files per transaction."""


def sync_mail(
    store: Store,
    paths: Sequence[Path],
    directory: Directory,
    *,
    with_body: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> SyncReport:
    """Sync every message of `paths` not read before; see `relog.sync.mail`."""
    report = SyncReport(dry_run=dry_run)
    fingerprint = directory.fingerprint()
    with writing(store, report, dry_run=dry_run) as writer:
        for path in paths:
            source = mailboxes.source_name(path)
            seen = seen_files(store, source)
            changed = seen.get("") != fingerprint
            try:
                todo = list(mailboxes.units(path, {} if changed else seen))
            except (mailboxes.NotMail, OSError) as problem:
                report.problems.append(Problem(str(path), _what(problem, str(path))))
                continue
            batch = Batch(forget={source} if changed else set())
            batch.files.append((source, "", fingerprint))
            for done, unit in enumerate(todo, 1):
                for _, found in mailboxes.messages(unit, report, with_body=with_body):
                    batch.contacts += mailboxes.contacts(found, directory, report)
                batch.files.append((source, unit.name, unit.stamp))
                if len(batch.files) >= BATCH or len(batch.contacts) >= BATCH:
                    writer.write(batch)
                    batch = Batch()
                if progress is not None:
                    progress(done, len(todo))
            writer.write(batch)
    return report


def sync_calendars(
    store: Store,
    paths: Sequence[Path],
    directory: Directory,
    now: datetime,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> SyncReport:
    """Sync every event of the calendars at `paths`, up to `now` and the next one ahead."""
    report = SyncReport(dry_run=dry_run)
    with writing(store, report, dry_run=dry_run) as writer:
        for path in paths:
            try:
                todo = calendars.files(path)
            except (calendars.NotCalendar, OSError) as problem:
                report.problems.append(Problem(str(path), _what(problem, str(path))))
                continue
            batch = Batch()
            for done, file in enumerate(todo, 1):
                calendars.read_file(file, directory, now, report, batch)
                if len(batch.contacts) >= BATCH:
                    writer.write(batch)
                    batch = Batch()
                if progress is not None:
                    progress(done, len(todo))
            writer.write(batch)
    return report


def _what(problem: Exception, where: str) -> str:
    text = str(problem) if not isinstance(problem, OSError) else str(problem.strerror)
    return text.removeprefix(f"{where}: ")
