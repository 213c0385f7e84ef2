"""relog sync calendar: meetings with clients from .ics files and vdirs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event, vCalAddress

from tests.sync_helpers import ME, changes, entries, sync

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run

pytestmark = pytest.mark.backends
"""Every sync test that does not read the journal file runs on PostgreSQL too."""

TZ = ZoneInfo("Asia/Jerusalem")
DANA = "dana@levi.co.il"


def person(address: str, status: str | None = None) -> vCalAddress:
    who = vCalAddress(f"mailto:{address}")
    if status:
        who.params["PARTSTAT"] = status
    return who


def event(uid: str, start: datetime | date, minutes: int = 60, **fields: object) -> Event:
    made = Event()
    made.add("uid", uid)
    made.add("summary", fields.pop("summary", "Review"))
    made.add("dtstart", start)
    if isinstance(start, datetime):
        made.add("dtend", start + timedelta(minutes=minutes))
    organizer = fields.pop("organizer", ME)
    made.add("organizer", person(str(organizer)))
    for who in fields.pop("attendees", [(DANA, "ACCEPTED"), (ME, "ACCEPTED")]):  # type: ignore[attr-defined]
        made.add("attendee", person(*who))
    for name, value in fields.items():
        made.add(name.replace("_", "-"), value)
    return made


def write(path: Path, *events: Event) -> Path:
    calendar = Calendar()
    calendar.add("prodid", "-//relog tests//")
    calendar.add("version", "2.0")
    for item in events:
        calendar.add_component(item)
    path.write_bytes(calendar.to_ical())
    return path


def setup(run: Run) -> None:
    run("client", "add", "Dana Levi", "--email", DANA, "--stage", "active")
    run("config", "set", "me.emails", ME)


def test_a_meeting_is_logged_at_its_start_with_its_minutes(run: Run, tmp_path: Path) -> None:
    setup(run)
    ics = write(
        tmp_path / "c.ics",
        event("a", datetime(2026, 11, 3, 10, 0, tzinfo=TZ), 45),
        event("b", datetime(2026, 11, 4, 10, 0, tzinfo=TZ), 30, organizer=DANA, summary="Call"),
    )
    assert changes(sync(run, "calendar", str(ics))) == {"Dana Levi": {"added": 2}}
    timeline = run("log", "--json").stdout
    assert '"minutes": 45' in timeline and '"minutes": 30' in timeline
    assert entries(run) == [
        ("Dana Levi", "meeting", "me", "2026-11-03T08:00:00Z", "Review"),
        ("Dana Levi", "meeting", "them", "2026-11-04T08:00:00Z", "Call"),
    ]


def test_a_series_with_an_exception_and_a_cancellation(run: Run, tmp_path: Path) -> None:
    setup(run)
    start = datetime(2026, 10, 14, 10, 0, tzinfo=TZ)  # weekly over the clock change
    master = event("w", start, rrule={"freq": "weekly", "count": 4})
    moved = event("w", start + timedelta(days=7, hours=2), recurrence_id=start + timedelta(days=7))
    cancelled = event(
        "w",
        start + timedelta(days=14),
        recurrence_id=start + timedelta(days=14),
        status="CANCELLED",
    )
    ics = write(tmp_path / "c.ics", master, moved, cancelled)
    report = sync(run, "calendar", str(ics))
    assert changes(report) == {"Dana Levi": {"added": 3}}
    assert report["skipped"] == {"cancelled": 1}
    assert [e[3] for e in entries(run)] == [
        "2026-10-14T07:00:00Z",  # 10:00 IDT
        "2026-10-21T09:00:00Z",  # moved to 12:00 IDT
        "2026-11-04T08:00:00Z",  # 10:00 IST, after the clock change
    ]


def test_a_moved_event_moves_and_a_cancelled_one_is_removed(run: Run, tmp_path: Path) -> None:
    setup(run)
    path = tmp_path / "c.ics"
    write(path, event("m", datetime(2026, 11, 3, 10, 0, tzinfo=TZ)))
    sync(run, "calendar", str(path))
    write(path, event("m", datetime(2026, 11, 3, 14, 0, tzinfo=TZ)))
    assert changes(sync(run, "calendar", str(path))) == {"Dana Levi": {"updated": 1}}
    assert [e[3] for e in entries(run)] == ["2026-11-03T12:00:00Z"]
    write(path, event("m", datetime(2026, 11, 3, 14, 0, tzinfo=TZ), status="CANCELLED"))
    assert changes(sync(run, "calendar", str(path))) == {"Dana Levi": {"removed": 1}}
    assert entries(run) == []


def test_a_declined_meeting_is_not_logged(run: Run, tmp_path: Path) -> None:
    setup(run)
    declined = event(
        "d",
        datetime(2026, 11, 3, 10, 0, tzinfo=TZ),
        organizer=DANA,
        attendees=[(ME, "DECLINED")],
    )
    accepted = event(
        "e",
        datetime(2026, 11, 5, 10, 0, tzinfo=TZ),
        organizer=DANA,
        attendees=[(ME, "ACCEPTED")],
    )
    report = sync(run, "calendar", str(write(tmp_path / "c.ics", declined, accepted)))
    assert changes(report) == {"Dana Levi": {"added": 1}}
    assert report["skipped"] == {"declined by you": 1}


def test_a_future_meeting_is_the_agreed_next_contact(run: Run, tmp_path: Path) -> None:
    setup(run)
    ahead = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    ics = write(tmp_path / "c.ics", event("f", ahead, created=ahead - timedelta(days=5)))
    sync(run, "calendar", str(ics))
    [(_, kind, _, _, summary)] = entries(run)
    assert (kind, summary) == ("note", "Meeting agreed: Review")
    agenda = run("agenda", "--days", "7").stdout
    assert "you agreed to be in touch on" in agenda
    assert changes(sync(run, "calendar", str(ics))) == {"Dana Levi": {"known": 1}}


def test_all_day_and_floating_times(run: Run, tmp_path: Path) -> None:
    setup(run)
    ics = write(
        tmp_path / "c.ics",
        event("d", date(2026, 11, 3)),
        event("f", datetime(2026, 11, 4, 9, 30)),
    )
    sync(run, "calendar", str(ics))
    local_day = datetime(2026, 11, 3).astimezone().astimezone(UTC)
    floating = datetime(2026, 11, 4, 9, 30).astimezone().astimezone(UTC)
    assert [e[3] for e in entries(run)] == [
        local_day.strftime("%Y-%m-%dT%H:%M:%SZ"),
        floating.strftime("%Y-%m-%dT%H:%M:%SZ"),
    ]


def test_a_vdir_and_a_broken_file_in_it(run: Run, tmp_path: Path) -> None:
    setup(run)
    folder = tmp_path / "vdir"
    folder.mkdir()
    write(folder / "one.ics", event("1", datetime(2026, 11, 3, 10, 0, tzinfo=TZ)))
    (folder / "bad.ics").write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n")
    result = run("sync", "calendar", str(folder), str(tmp_path / "none.ics"), code=2)
    assert "Dana Levi: 1 added" in result.stdout
    assert f"{folder / 'bad.ics'}: it cannot be read as iCalendar" in result.stderr
    assert "none.ics: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_hand_logged_meeting_is_linked(run: Run, tmp_path: Path) -> None:
    setup(run)
    run("add", "meeting", "Dana", "--at", "2026-11-03T09:00:00Z", "-m", "my notes")
    ics = write(tmp_path / "c.ics", event("h", datetime(2026, 11, 3, 10, 0, tzinfo=TZ)))
    assert changes(sync(run, "calendar", str(ics))) == {"Dana Levi": {"linked": 1}}
    assert [e[4] for e in entries(run)] == ["my notes"]


def test_an_invitee_with_no_client_is_suggested_under_their_calendar_name(
    run: Run, tmp_path: Path
) -> None:
    setup(run)
    noa = person("noa@gil.co.il", "ACCEPTED")
    noa.params["CN"] = "Noa Gil"
    made = event("s", datetime(2026, 11, 3, 10, 0, tzinfo=TZ), attendees=[(ME, "ACCEPTED")])
    made.add("attendee", noa)
    plain = event(
        "t", datetime(2026, 11, 4, 10, 0, tzinfo=TZ), attendees=[("tal@x.co.il", "ACCEPTED")]
    )
    text = run("sync", "calendar", str(write(tmp_path / "c.ics", made, plain))).stdout
    assert "    relog client add 'Noa Gil' --email noa@gil.co.il\n" in text
    assert "    relog client add NAME --email tal@x.co.il\n" in text
