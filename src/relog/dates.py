"""Turning what a user types into timezone-aware moments.

ISO 8601 is read directly; plain phrases ("yesterday 15:00", "3 days ago",
"monday 10:00") go to dateparser, which is imported only when a phrase needs it.
A journal records the past, so an ambiguous phrase such as "monday" means the
most recent Monday for `--at` and the coming one for `--next`.

A time typed without a zone is local time on that date, so a summer date
typed in winter gets the summer offset.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
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
) -> datetime:
    """Read `text` as a moment; a time without a zone is taken as local time.

    `option` names the flag in the error message, so the user sees which value
    was refused.
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
