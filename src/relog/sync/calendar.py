"""Calendar sources on disk: an .ics file, or a folder of them (a vdir, as khal and
vdirsyncer keep it, or a calendar export unpacked).

Each occurrence with a client among its organiser and attendees is a meeting
at its start, with its length in minutes, by them when someone other than you
organised it. One still ahead is the agreed next contact: a note saying so,
whose next contact is the meeting's start (so the agenda shows it); when the
meeting has passed, a later sync makes the note the meeting. Cancelled
occurrences and the ones you declined are gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relog.domain import By, InteractionData, Kind
from relog.formats.ics import BadCalendar, read_calendar
from relog.sync import Contact, Gone, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime
    from pathlib import Path

    from relog.formats.ics import Occurrence
    from relog.store.sync import Batch
    from relog.sync import Directory, SyncReport

SUFFIXES = (".ics", ".ical", ".ifb", ".icalendar", ".vcs")


class NotCalendar(Exception):
    """A path that is not an .ics file or a folder holding some."""


def source_name(path: Path) -> str:
    return f"calendar:{path.resolve()}"


def files(path: Path) -> list[Path]:
    if not path.exists():
        raise NotCalendar(f"{path}: no such file or folder")
    if path.is_file():
        return [path]
    found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.casefold() in SUFFIXES)
    if not found:
        raise NotCalendar(f"{path}: a folder with no .ics file in it; give an .ics file or a vdir")
    return found


def read_file(
    path: Path, directory: Directory, now: datetime, report: SyncReport, batch: Batch
) -> None:
    """Add the contacts, events gone and series of one calendar file to `batch`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        report.problems.append(Problem(str(path), f"cannot be read ({error.strerror})"))
        return
    try:
        calendar = read_calendar(data, now)
    except BadCalendar as problem:
        report.problems.append(Problem(str(path), str(problem)))
        return
    for problem_text in calendar.problems:
        report.problems.append(Problem(str(path), problem_text))
    for occurrence in calendar.occurrences:
        report.read += 1
        batch.series.add(occurrence.series)
        for item in _items(occurrence, directory, now, report):
            if isinstance(item, Gone):
                batch.gone.append(item)
            else:
                batch.contacts.append(item)


def _items(
    occurrence: Occurrence, directory: Directory, now: datetime, report: SyncReport
) -> Iterator[Contact | Gone]:
    mine = {a: s for a, s in occurrence.attendees.items() if directory.is_me(a)}
    if occurrence.cancelled:
        report.skipped["cancelled"] += 1
        yield Gone(occurrence.key, occurrence.series)
        return
    if mine and all(status == "DECLINED" for status in mine.values()):
        report.skipped["declined by you"] += 1
        yield Gone(occurrence.key, occurrence.series)
        return
    organizer = occurrence.organizer
    people = [
        a
        for a in dict.fromkeys([*([organizer] if organizer else []), *occurrence.attendees])
        if not directory.is_me(a)
    ]
    if any(directory.ignored(a) for a in people):
        report.skipped["on the never-log list (sync.ignore)"] += 1
        return
    clients = sorted({c for a in people if (c := directory.client_of(a)) is not None})
    if not clients:
        report.skipped["no client among its people"] += 1
        for address in people:
            report.stranger(address, occurrence.names.get(address))
        return
    by = By.ME if organizer is None or directory.is_me(organizer) else By.THEM
    summary = occurrence.summary or "(no title)"
    for client_id in clients:
        if occurrence.start > now:
            noted = min(occurrence.created or now, now)
            entry = InteractionData(
                0,
                client_id,
                Kind.NOTE,
                noted,
                next_at=occurrence.start,
                summary=f"Meeting agreed: {summary}",
            )
        else:
            entry = InteractionData(
                0,
                client_id,
                Kind.MEETING,
                occurrence.start,
                by=by,
                agreed=True,
                minutes=occurrence.minutes,
                summary=summary,
            )
        yield Contact(occurrence.key, occurrence.series, entry)
