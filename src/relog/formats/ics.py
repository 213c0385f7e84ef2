"""Calendar files: iCalendar bytes in, the occurrences of their events out.

Pure but for the clock it is given. The icalendar library parses the file and
recurring-ical-events expands each series (RRULE, RDATE, EXDATE, moved and
cancelled occurrences) up to `now`; of a series still going on, the next
occurrence after `now` is kept too, as the meeting agreed.

What icalendar would refuse a whole file for, but real calendars write, is
mended first: alarms (never needed here) are left out, an empty TZID is read
as floating time, and spaces inside a recurrence rule are dropped. A file
icalendar reads as nothing at all although it holds events (an END line
missing) is refused; an event whose own rule cannot be read is left out with
its reason, and the rest of the file is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

MAX_OCCURRENCES = 5000
"""More occurrences of one series than this up to now is a broken rule, not a calendar."""

AHEAD = timedelta(days=366)
"""How far ahead the next occurrence of a series is looked for."""


class BadCalendar(Exception):
    """A calendar file that cannot be read at all; the text says why."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of an event: when, how long, who organised it and who was invited.

    `start` is in UTC: an all-day event starts at local midnight (`all_day`), a
    floating time is local time. `attendees` maps each invited address (lower
    case) to its PARTSTAT (upper case, "" when not given).
    """

    key: str
    series: str
    start: datetime
    minutes: int | None
    summary: str
    organizer: str | None
    attendees: dict[str, str]
    cancelled: bool
    all_day: bool
    created: datetime | None = None
    names: dict[str, str] = field(default_factory=dict)
    """The name (CN) given with an organizer's or attendee's address, where there is one."""


@dataclass(frozen=True, slots=True)
class CalendarRead:
    occurrences: tuple[Occurrence, ...]
    problems: tuple[str, ...]
    """Events left out, each with its reason."""


def read_calendar(data: bytes, now: datetime) -> CalendarRead:
    """Every occurrence in `data` up to `now`, and the next one of each event after it."""
    import icalendar

    text = _mend(data)
    if b"BEGIN:VCALENDAR" not in text.upper():
        raise BadCalendar("it is not an iCalendar file (no BEGIN:VCALENDAR)")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as error:
        raise BadCalendar(f"it cannot be read as iCalendar: {_reason(error)}") from None
    if not calendars or (
        b"BEGIN:VEVENT" in text.upper() and not any(c.walk("VEVENT") for c in calendars)
    ):
        raise BadCalendar(
            "it cannot be read as iCalendar: an END:VEVENT or END:VCALENDAR line is missing"
        )
    found: list[Occurrence] = []
    problems: list[str] = []
    for calendar in calendars:
        for uid, group in _series(calendar).items():
            try:
                found += _occurrences(calendar, uid, group, now)
            except Exception as error:
                problems.append(f"event {_name(group)}: {_reason(error)}; it is left out")
    return CalendarRead(tuple(found), tuple(problems))


def _mend(data: bytes) -> bytes:
    data = data.removeprefix(b"\xef\xbb\xbf")
    text = re.sub(rb"(?:\r?\n)+[ \t]", b"", data.replace(b"\r\r\n", b"\r\n"))  # unfold lines
    text = re.sub(rb"BEGIN:VALARM.*?END:VALARM\r?\n", b"", text, flags=re.DOTALL)
    text = re.sub(rb";TZID=(?=[:;])", b"", text)
    text = re.sub(rb"(?m)^TZID:\s*$", b"TZID:floating", text)
    return re.sub(
        rb"(?m)^(RRULE|EXRULE)([^:\r\n]*):([^\r\n]*)",
        lambda m: m.group(1) + m.group(2) + b":" + re.sub(rb"\s+", b"", m.group(3)),
        text,
    )


def _reason(error: Exception) -> str:
    message = " ".join(str(error).split())[:160]
    if isinstance(error, KeyError):
        return f"it has no {message.strip(chr(39))}"
    return message or type(error).__name__


def _name(group: list[Any]) -> str:
    summary = " ".join(str(group[0].get("SUMMARY", "")).split())
    uid = str(group[0].get("UID", "")) or "without a UID"
    return f"{summary!r} ({uid})" if summary else uid


def _series(calendar: Any) -> dict[str, list[Any]]:
    """The events by UID: a series' master and its moved or cancelled occurrences."""
    groups: dict[str, list[Any]] = {}
    for number, event in enumerate(calendar.walk("VEVENT")):
        uid = str(event.get("UID", "")) or f"no-uid-{number}"
        groups.setdefault(uid, []).append(event)
    return groups


def _occurrences(calendar: Any, uid: str, group: list[Any], now: datetime) -> Iterator[Occurrence]:
    import icalendar
    import recurring_ical_events

    holder = icalendar.Calendar()
    for timezone in calendar.walk("VTIMEZONE"):
        holder.add_component(timezone)
    for event in group:
        if "DTSTART" not in event:
            raise KeyError("DTSTART")
        holder.add_component(event)
    recurring = len(group) > 1 or any("RRULE" in e or "RDATE" in e for e in group)
    query = recurring_ical_events.of(holder, components=["VEVENT"])
    past = []
    for occurrence in query.between(datetime(1900, 1, 1, tzinfo=UTC), now):
        past.append(occurrence)
        if len(past) > MAX_OCCURRENCES:
            raise ValueError(f"its rule makes more than {MAX_OCCURRENCES} occurrences")
    ahead = next(iter(query.between(now, now + AHEAD)), None)
    series = f"ics:{uid}"
    for event in [*past, *([ahead] if ahead is not None else [])]:
        if _utc(event.get("DTSTART").dt) < now and event is ahead:
            continue
        yield _occurrence(event, series, recurring)


def _occurrence(event: Any, series: str, recurring: bool) -> Occurrence:
    raw = event.get("DTSTART").dt
    start = _utc(raw)
    end = event.get("DTEND")
    all_day = not isinstance(raw, datetime)
    minutes = None
    if not all_day:
        if end is not None:
            minutes = max(0, round((_utc(end.dt) - start).total_seconds() / 60))
        elif event.get("DURATION") is not None:
            minutes = max(0, round(event.get("DURATION").dt.total_seconds() / 60))
    key = series
    if recurring:
        original = event.get("RECURRENCE-ID")
        moment = _utc(original.dt) if original is not None else start
        key = f"{series}/{moment:%Y%m%dT%H%M%SZ}"
    attendees = {}
    names: dict[str, str] = {}
    people = [(v, False) for v in _list(event.get("ORGANIZER"))]
    people += [(v, True) for v in _list(event.get("ATTENDEE"))]
    for value, invited in people:
        address = _mailto(value)
        if not address:
            continue
        params = getattr(value, "params", {})
        name = " ".join(str(params.get("CN", "")).split())
        if name and "@" not in name:  # an address given as the name names no one
            names.setdefault(address, name)
        if invited:
            attendees[address] = str(params.get("PARTSTAT", "")).upper()
    created = event.get("CREATED")
    return Occurrence(
        key=key,
        series=series,
        start=start,
        minutes=minutes,
        summary=" ".join(str(event.get("SUMMARY", "")).split()),
        organizer=_mailto(event.get("ORGANIZER")),
        attendees=attendees,
        cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
        all_day=all_day,
        created=_utc(created.dt) if created is not None else None,
        names=names,
    )


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _mailto(value: Any) -> str | None:
    if value is None:
        return None
    text = "".join(str(value).split())
    if text[:7].casefold() == "mailto:":
        text = text[7:]
    return text.casefold() if text.count("@") == 1 else None


def _utc(value: date | datetime) -> datetime:
    """A start or end in UTC: a day from local midnight, a floating time as local time."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day).astimezone().astimezone(UTC)
    if value.tzinfo is None:
        return value.astimezone().astimezone(UTC)
    return value.astimezone(UTC)
