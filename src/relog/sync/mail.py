"""Mail sources on disk: Maildirs, mbox files and folders of messages.

What a path holds is found from its content, not its name: a folder with
`cur/` or `new/` is a Maildir; any other folder is read file by file (and
Maildirs inside it); a file is an mbox when it starts with a "From " line,
else one message. What was read is remembered per source (a Maildir file by
its unique name, which stays when its flags change; a message file by size
and time; an mbox by size, time, the offset read up to and a digest of its
first bytes, so a grown mbox is read from where the last run stopped), and
forgotten when the matching changes (a client gained an address), so a
message that had no client then is read again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from relog.domain import By, InteractionData, Kind
from relog.formats.mail import BadMessage, looks_like_mbox, looks_like_message, read_message
from relog.sync import Contact, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relog.formats.mail import Mail
    from relog.sync import Directory, SyncReport

HEAD = 4096
"""Bytes read to tell an mbox from a message, and digested to know an mbox is the same file."""


class NotMail(Exception):
    """A path that is not a Maildir, an mbox, a message or a folder of them."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One file to read: its name in the source's memory and how it is now."""

    path: Path
    name: str
    stamp: str
    kind: str
    """"maildir", "message" or "mbox"."""
    start: int = 0
    """For an mbox grown since the last run: the offset to read from."""


def source_name(path: Path) -> str:
    return f"mail:{path.resolve()}"


def units(path: Path, seen: dict[str, str]) -> Iterator[Unit]:
    """The files of the source at `path` not read yet (or changed since), in order."""
    if not path.exists():
        raise NotMail(f"{path}: no such file or folder")
    if path.is_dir():
        found: list[bool] = []
        yield from _folder(path, path, seen, found)
        if not found:
            raise NotMail(
                f"{path}: a folder with no Maildir, mbox or mail message in it; "
                "give a Maildir (with cur/ and new/), an mbox or a folder of .eml files"
            )
        return
    kind = _kind(path)
    if kind is None:
        raise NotMail(
            f"{path}: not a Maildir, an mbox or a mail message (it does not start "
            "with a header such as From:)"
        )
    unit = _file_unit(path, path.name, kind, seen)
    if unit is not None:
        yield unit


def _folder(root: Path, folder: Path, seen: dict[str, str], found: list[bool]) -> Iterator[Unit]:
    """The units of a folder; `found` gains an entry for each mail file or Maildir in it,
    read before or not."""
    if (folder / "cur").is_dir() or (folder / "new").is_dir():
        found.append(True)
        yield from _maildir(root, folder, seen)
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        raise NotMail(f"{folder}: cannot be read ({error.strerror})") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _folder(root, Path(entry.path), seen, found)
            continue
        path = Path(entry.path)
        kind = _kind(path)
        if kind is None:
            continue
        found.append(True)
        unit = _file_unit(path, str(path.relative_to(root)), kind, seen)
        if unit is not None:
            yield unit


def _maildir(root: Path, folder: Path, seen: dict[str, str]) -> Iterator[Unit]:
    prefix = "" if folder == root else f"{folder.relative_to(root)}/"
    for part in ("new", "cur"):
        try:
            entries = sorted(os.scandir(folder / part), key=lambda e: e.name)
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            name = prefix + _unique(entry.name)
            if name in seen:
                continue
            yield Unit(Path(entry.path), name, "", "maildir")


def _unique(name: str) -> str:
    """A Maildir file's unique part, without the info that changes with its flags
    (":2,S", or "!2,S" where a file system forbids colons)."""
    for mark in (":2,", "!2,", ":1,", "!1,"):
        if mark in name:
            return name.split(mark, 1)[0]
    return name


def _kind(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError:
        return None
    if looks_like_mbox(head):
        return "mbox"
    return "message" if looks_like_message(head) else None


def _file_unit(path: Path, name: str, kind: str, seen: dict[str, str]) -> Unit | None:
    status = path.stat()
    if kind == "message":
        stamp = f"{status.st_size}:{status.st_mtime_ns}"
        return None if seen.get(name) == stamp else Unit(path, name, stamp, kind)
    with path.open("rb") as handle:
        head = handle.read(HEAD)
    stamp = f"{status.st_size}:{status.st_mtime_ns}:{_digest(head)}"
    if seen.get(name) == stamp:
        return None
    before = seen.get(name, "").split(":")
    start = 0
    if len(before) == 3 and before[0].isdigit() and int(before[0]) <= status.st_size:
        if _digest(head[: int(before[0])]) == before[2]:
            start = int(before[0])  # the same mbox, grown: read what was added
    return Unit(path, name, stamp, kind, start)


def _digest(head: bytes) -> str:
    return hashlib.sha256(head).hexdigest()[:16]


def messages(unit: Unit, report: SyncReport, *, with_body: bool) -> Iterator[tuple[str, Mail]]:
    """Each message of `unit` with where it is (for a problem's line); each one that cannot
    be read is reported with its reason, and the rest are still read."""
    from relog.formats.mail import split_mbox

    try:
        data = unit.path.read_bytes()
        received = datetime.fromtimestamp(unit.path.stat().st_mtime, UTC)
    except OSError as error:
        report.problems.append(Problem(str(unit.path), f"cannot be read ({error.strerror})"))
        return
    if unit.kind != "mbox":
        yield from _one(str(unit.path), data, report, with_body, received, whole=True)
        return
    for offset, _, chunk in split_mbox(data, unit.start):
        where = f"{unit.path} (message at byte {offset})"
        yield from _one(where, chunk, report, with_body, received, whole=False)


def _one(
    where: str, data: bytes, report: SyncReport, with_body: bool, received: datetime, whole: bool
) -> Iterator[tuple[str, Mail]]:
    report.read += 1
    try:
        mail = read_message(data, with_body=with_body, received=received, whole_file=whole)
    except BadMessage as problem:
        report.problems.append(Problem(where, str(problem)))
        return
    if mail.date_note:
        report.notes.append(Problem(where, mail.date_note))
    yield where, mail


def contacts(mail: Mail, directory: Directory, report: SyncReport) -> list[Contact]:
    """The entries a message stands for: one per client it went between you and.

    Yours to clients: an email by you for each client among the recipients. A
    client's: an email by them. Anything else is skipped and counted, and the
    addresses of people who are not clients are tallied (the leads to add).
    """
    if mail.bulk:
        report.skipped[mail.bulk] += 1
        return []
    people = [a for a in (mail.sender, *mail.recipients) if a and not directory.is_me(a)]
    if any(directory.ignored(a) for a in people):
        report.skipped["on the never-log list (sync.ignore)"] += 1
        return []
    mine = mail.sender is not None and directory.is_me(mail.sender)
    if mine:
        clients = {directory.client_of(a) for a in mail.recipients if not directory.is_me(a)}
        by = By.ME
    elif mail.sender is not None:
        clients = {directory.client_of(mail.sender)}
        by = By.THEM
    else:
        clients = set()
        by = By.THEM
    clients.discard(None)
    if not clients:
        if not mine and not any(directory.is_me(a) for a in mail.recipients):
            report.skipped["neither from you nor to you"] += 1
            return []
        report.skipped["no client among its people"] += 1
        for address in people:
            if directory.client_of(address) is None:
                report.stranger(address, mail.names.get(address))
        return []
    summary = mail.subject or "(no subject)"
    if mail.body:
        summary = f"{summary}\n\n{mail.body}"
    return [
        Contact(
            mail.key,
            mail.key,
            InteractionData(0, client_id, Kind.EMAIL, mail.at, by=by, summary=summary),
        )
        for client_id in sorted(c for c in clients if c is not None)
    ]
