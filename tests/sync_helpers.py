"""Building mailboxes and calendars for the sync tests, with the standard library and icalendar."""

from __future__ import annotations

import email.utils
import json
import mailbox
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from tests.conftest import Run

ME = "me@studio.co.il"


def message(
    sender: str,
    to: str,
    subject: str,
    when: datetime,
    mid: str | None,
    **headers: str,
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = email.utils.format_datetime(when)
    if mid is not None:
        mail["Message-ID"] = f"<{mid}@mail.test>"
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content("Hello,\nthe text of the message.\n")
    return mail


def maildir(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.Maildir(path, create=True)
    for mail in messages:
        box.add(mail)
    return path


def mbox(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.mbox(path, create=True)
    for mail in messages:
        box.add(mail)
    box.flush()
    box.close()
    return path


def sync(run: Run, *args: str, code: int = 0) -> Any:
    """`relog sync ... --json`, parsed."""
    return json.loads(run("sync", *args, "--json", code=code).stdout)


def changes(report: Any) -> dict[str, dict[str, int]]:
    """A sync report's changes per client, without the zero counts."""
    return {
        row["client"]: {k: v for k, v in row.items() if k != "client" and v}
        for row in report["clients"]
    }


def entries(run: Run) -> list[tuple[str, str, str, str, str]]:
    """The journal as (client, kind, by, at, summary), oldest first."""
    rows = json.loads(run("log", "--json", "--limit", "1000").stdout)["interactions"]
    return sorted((r["client"], r["kind"], r["by"], r["at"], r["summary"]) for r in rows)
