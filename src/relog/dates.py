"""Turning what a user types into timezone-aware moments.

ISO 8601 is read directly; plain phrases ("yesterday 15:00", "3 days ago",
"monday 10:00") go to dateparser, which is imported only when a phrase needs it.
A journal records the past, so an ambiguous phrase such as "monday" means the
most recent Monday for `--at` and the coming one for `--next`.

A time typed without a zone is local time on that date, so a summer date
typed in winter gets the summer offset.

A date or phrase that names a day but no time of day ("2026-03-01",
"yesterday", "thursday", "3 weeks ago") means that day, whatever the clock
says when it is typed: the option decides which moment of it (`Day`). An entry
(`--at`) or an agreed contact (`--next`) is put at noon, local time, and a
moment today that is still ahead is now; `--since` starts at the beginning of
the day and `--until` and `--as-of` run to its end.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from relog.errors import InputError

ACCEPTED = (
    "ISO 8601 (2026-03-01 or 2026-03-01T15:30) "
    "or a phrase like 'yesterday 15:00', '3 days ago', 'monday 10:00'"
)


_WEEKDAYS = (
    "monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|"
    "friday|fri|saturday|sat|sunday|sun"
)
_BARE_WEEKDAY = re.compile(rf"(?:on )?(?:{_WEEKDAYS})(?: (?:at )?[0-9:.apm ]+)?", re.IGNORECASE)
"""A weekday with at most a time ("monday", "mon 10:00"), without "last" or "next"."""
_WEEK = timedelta(days=7)
_DAY_OR_MONTH = r"(?:0?[1-9]|1[0-2])"
_NUMERIC_DATE = re.compile(
    rf"(?:^|\s)(?:{_DAY_OR_MONTH}/{_DAY_OR_MONTH}(?:/\d{{2,4}})?"
    rf"|{_DAY_OR_MONTH}\.{_DAY_OR_MONTH}\.\d{{2,4}})(?=$|\s)"
)
"""12/11/2026, 12/11 or 12.11.2026: a day and a month that could be read either way round."""
_LOOKS_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
"""Text that starts like an ISO 8601 date: if the standard library refuses it, so does relog."""
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


_NAMES_A_TIME = re.compile(
    r"\d:\d|\d\s*[ap]\.?m\b|\b(?:noon|midday|midnight|now|hours?|hrs?|minutes?|mins?"
    r"|seconds?|secs?)\b",
    re.IGNORECASE,
)
"""A phrase that says a time of day, or counts in hours or less ("an hour ago")."""
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{8}")
"""An ISO 8601 date without a time."""


class Day(StrEnum):
    """Which moment of a day a date or phrase without a time of day stands for."""

    NOON = "noon"
    """An entry, an agreed contact, a due date: noon, local time (`DAY_TIME`)."""
    START = "start"
    """The start of a span (`--since`, `--started`): the day's first moment."""
    END = "end"
    """The end of a span (`--until`, `--as-of`): the day's last moment."""


DAY_TIME = time(12)
"""When something that happened (or will) on a day, at no time given, is put."""


def names_a_time(text: str) -> bool:
    """Whether `text` gives a time of day, not only a day."""
    cleaned = " ".join(text.split())
    if _ISO_DAY.fullmatch(cleaned):
        return False
    return bool(_LOOKS_ISO.match(cleaned)) or bool(_NAMES_A_TIME.search(cleaned))


def on_day(day: date, which: Day) -> datetime:
    """The moment of local `day` that `which` stands for."""
    clock = {Day.NOON: DAY_TIME, Day.START: time(0), Day.END: time.max}[which]
    return datetime.combine(day, clock).astimezone()


class Prefer(StrEnum):
    """Which way an ambiguous phrase leans."""

    PAST = "past"
    FUTURE = "future"


def local_now() -> datetime:
    """The current moment, aware, in the local timezone."""
    return datetime.now(UTC).astimezone()


def parse_when(
    text: str,
    *,
    option: str,
    prefer: Prefer = Prefer.PAST,
    now: datetime | None = None,
    day: Day = Day.NOON,
) -> datetime:
    """Read `text` as a moment; a time without a zone is taken as local time.

    `option` names the flag in the error message, so the user sees which value
    was refused. Text that names a day but no time is the moment of that day
    that `day` says; leaning to the past, a moment today still ahead is now.
    """
    base = (now or local_now()).astimezone()
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InputError(f"{option}: empty date; use {ACCEPTED}")
    if _NUMERIC_DATE.search(cleaned):
        raise InputError(
            f"{option}: {text!r} is ambiguous (day/month or month/day?); "
            "write the date as ISO 8601, e.g. 2026-03-01"
        )
    parsed = _parse_iso(cleaned)
    if parsed is None and _LOOKS_ISO.match(cleaned):
        raise InputError(f"{option}: {text!r} is not a valid date; use {ACCEPTED}")
    if parsed is None:
        parsed = _parse_phrase(cleaned, prefer, base)
    if parsed is None:
        raise InputError(f"{option}: cannot read {text!r} as a date; use {ACCEPTED}")
    try:
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()
        parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InputError(f"{option}: {text!r} is out of range; use {ACCEPTED}") from None
    if not EARLIEST <= parsed.astimezone(UTC) <= LATEST:
        raise InputError(f"{option}: {text!r} is out of range; use a year from 1900 to 9000")
    if not names_a_time(cleaned):
        parsed = on_day(parsed.astimezone().date(), day)
        if prefer is Prefer.PAST and parsed > base and parsed.date() == base.date():
            parsed = base
    return parsed


def _parse_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if len(text) > 10 and text[10] == " " else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _parse_phrase(text: str, prefer: Prefer, base: datetime) -> datetime | None:
    import dateparser

    local_base = base.replace(tzinfo=None)
    settings = {
        "PREFER_DATES_FROM": prefer.value,
        "RELATIVE_BASE": local_base,
    }
    result = dateparser.parse(text, languages=["en"], settings=settings)
    if result is None or result.tzinfo is not None:
        return result
    # dateparser never reads a bare weekday as today; today's is the most
    # recent (or the coming) one when that moment is already past (or ahead).
    if _BARE_WEEKDAY.fullmatch(text):
        if prefer is Prefer.PAST and result + _WEEK <= local_base:
            result += _WEEK
        elif prefer is Prefer.FUTURE and result - _WEEK > local_base:
            result -= _WEEK
    return result


def to_utc(moment: datetime) -> datetime:
    """The same moment in UTC, the form the store keeps."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached the store")
    return moment.astimezone(UTC)
