"""A month of a PR agent's mail and calendar, synced into an empty journal, gives the same
review verdicts as the same month logged by hand."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tests.sync_helpers import ME, maildir, mbox, message
from tests.test_sync_calendar import event, write

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run

TZ = ZoneInfo("Asia/Jerusalem")
AS_OF = "2026-11-30T18:00:00Z"

CLIENTS = [
    ("Maya Cohen", "active", "--email", "maya@cohen-pr.co.il"),
    ("Globex", "prospect", "--domain", "globex.co.il"),
    ("Ron Kedem", "lead", "--email", "ron@kedem.co.il"),
    ("Studio Dalet", "active", "--domain", "dalet.co.il"),
]


@dataclass(frozen=True)
class Mail:
    day: int
    hour: int
    sender: str
    to: str
    subject: str
    client: str | None
    """Who it is logged for (None: not logged at all)."""


MAILS = [
    Mail(2, 9, "maya@cohen-pr.co.il", ME, "Launch plan for December", "Maya Cohen"),
    Mail(2, 14, ME, "maya@cohen-pr.co.il", "Re: Launch plan for December", "Maya Cohen"),
    Mail(3, 11, ME, "dalet@dalet.co.il", "Press list for the opening", "Studio Dalet"),
    Mail(5, 10, "ron@kedem.co.il", ME, "Saw your talk: can we meet?", "Ron Kedem"),
    Mail(5, 12, ME, "ron@kedem.co.il", "Re: Saw your talk: can we meet?", "Ron Kedem"),
    Mail(9, 9, ME, "ceo@globex.co.il", "Introduction", "Globex"),
    Mail(16, 9, ME, "ceo@globex.co.il", "Following up", "Globex"),
    Mail(23, 9, ME, "pr@globex.co.il", "Checking in again", "Globex"),
    Mail(12, 16, "maya@cohen-pr.co.il", ME, "Interview request from Haaretz", "Maya Cohen"),
    Mail(13, 8, ME, "maya@cohen-pr.co.il", "Re: Interview request from Haaretz", "Maya Cohen"),
    Mail(20, 9, "news@media.example", ME, "This week in media", None),
    Mail(21, 9, "service@bank.example", ME, "Your statement", None),
    Mail(22, 9, "tal@somewhere.example", ME, "Hello", None),
]


@dataclass(frozen=True)
class Meeting:
    day: int
    hour: int
    minutes: int
    organizer: str
    client: str
    summary: str
    cancelled: bool = False


WEEKLY = [
    Meeting(3, 10, 60, "maya@cohen-pr.co.il", "Maya Cohen", "Weekly with Maya"),
    Meeting(10, 10, 60, "maya@cohen-pr.co.il", "Maya Cohen", "Weekly with Maya"),
    Meeting(17, 10, 60, "maya@cohen-pr.co.il", "Maya Cohen", "Weekly with Maya", cancelled=True),
    Meeting(24, 10, 60, "maya@cohen-pr.co.il", "Maya Cohen", "Weekly with Maya"),
]
MEETINGS = [Meeting(8, 15, 45, ME, "Ron Kedem", "Coffee with Ron")]


def when(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=TZ)


def add_clients(run: Run, *db: str) -> None:
    for name, stage, option, value in CLIENTS:
        run(*db, "client", "add", name, "--stage", stage, option, value)


def synced(run: Run, folder: Path) -> None:
    add_clients(run)
    run("config", "set", "me.emails", ME)
    run("config", "set", "sync.ignore", "bank.example")
    mails = [
        message(m.sender, m.to, m.subject, when(m.day, m.hour), f"s{n}")
        for n, m in enumerate(MAILS)
    ]
    mails[10]["List-Id"] = "<weekly.media.example>"
    maildir(folder / "Mail", mails[:7])
    mbox(folder / "takeout.mbox", mails[7:])
    first = when(3, 10)
    series = [
        event(
            "weekly",
            first,
            60,
            organizer="maya@cohen-pr.co.il",
            summary=WEEKLY[0].summary,
            attendees=[(ME, "ACCEPTED")],
            rrule={"freq": "weekly", "count": 4},
        )
    ]
    series.append(
        event(
            "weekly",
            when(17, 10),
            60,
            organizer="maya@cohen-pr.co.il",
            summary=WEEKLY[0].summary,
            recurrence_id=when(17, 10),
            status="CANCELLED",
            attendees=[(ME, "ACCEPTED")],
        )
    )
    coffee = MEETINGS[0]
    series.append(
        event(
            "coffee",
            when(coffee.day, coffee.hour),
            coffee.minutes,
            organizer=ME,
            summary=coffee.summary,
            attendees=[("ron@kedem.co.il", "ACCEPTED")],
        )
    )
    write(folder / "work.ics", *series)
    run("sync", "mail", str(folder / "Mail"), str(folder / "takeout.mbox"))
    run("sync", "calendar", str(folder / "work.ics"))


def by_hand(run: Run, db: Path) -> None:
    option = ("--db", str(db))
    add_clients(run, *option)
    for m in MAILS:
        if m.client is None:
            continue
        by = "me" if m.sender == ME else "them"
        at = when(m.day, m.hour).astimezone(UTC).isoformat()
        run(*option, "add", "email", m.client, "--by", by, "--at", at, "-m", m.subject)
    for meeting in [*WEEKLY, *MEETINGS]:
        if meeting.cancelled:
            continue
        by = "me" if meeting.organizer == ME else "them"
        at = when(meeting.day, meeting.hour).astimezone(UTC).isoformat()
        run(
            *option,
            "add",
            "meeting",
            meeting.client,
            "--by",
            by,
            "--at",
            at,
            "--agreed",
            "--minutes",
            str(meeting.minutes),
            "-m",
            meeting.summary,
        )


def verdicts(run: Run, *db: str) -> dict[str, Any]:
    """Each client's review at the end of the month: health, scores, findings with the moments
    of their evidence (entry ids differ between the two journals), and the next step."""
    found = {}
    for name, *_ in CLIENTS:
        review = json.loads(run(*db, "review", name, "--as-of", AS_OF, "--json").stdout)
        found[name] = {
            "health": review["health"],
            "next": review["next_action"],
            "modules": {
                module: (
                    part["score"],
                    [
                        (f["code"], f["severity"], f["message"], [e["at"] for e in f["evidence"]])
                        for f in part["findings"]
                    ],
                )
                for module, part in review["modules"].items()
            },
        }
    return found


def test_a_synced_month_reviews_as_the_same_month_logged_by_hand(run: Run, tmp_path: Path) -> None:
    synced(run, tmp_path)
    hand = tmp_path / "by-hand.db"
    by_hand(run, hand)
    logged = json.loads(run("log", "--json", "--limit", "100").stdout)["interactions"]
    assert sorted(e["kind"] for e in logged) == ["email"] * 10 + ["meeting"] * 4
    mine = verdicts(run)
    theirs = verdicts(run, "--db", str(hand))
    assert mine == theirs
    codes = {f[0] for v in mine.values() for _, findings in v["modules"].values() for f in findings}
    assert len(codes) >= 3, f"the month gives findings to compare: {codes}"
    # The verdicts are about the relationships the month holds: Globex was chased.
    globex = [f[0] for _, fs in mine["Globex"]["modules"].values() for f in fs]
    assert any(code.startswith("PUR") for code in globex), globex
