"""Turning what a user types into timezone-aware moments.

ISO 8601 is read directly; plain phrases ("yesterday 15:00", "3 days ago",
"monday 10:00") go to dateparser, which is imported only when a phrase needs it.
A journal records the past, so an ambiguous phrase such as "monday" means the
most recent Monday for `--at` and the coming one for `--next`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from relog.errors import InputError

ACCEPTED = (
    "ISO 8601 (2026-03-01 or 2026-03-01T15:30) "
    "or a phrase like 'yesterday 15:00', '3 days ago', 'monday 10:00'"
)


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
    parsed = _parse_iso(cleaned)
    if parsed is None:
        parsed = _parse_phrase(cleaned, prefer, base)
    if parsed is None:
        raise InputError(f"{option}: cannot read {text!r} as a date; use {ACCEPTED}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=base.tzinfo)
    return parsed


def _parse_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if len(text) > 10 and text[10] == " " else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _parse_phrase(text: str, prefer: Prefer, base: datetime) -> datetime | None:
    import dateparser

    settings = {
        "PREFER_DATES_FROM": prefer.value,
        "RELATIVE_BASE": base.replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }
    result = dateparser.parse(text, languages=["en"], settings=settings)
    if result is None:
        return None
    return result.replace(tzinfo=base.tzinfo)


def to_utc(moment: datetime) -> datetime:
    """The same moment in UTC, the form the store keeps."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached the store")
    return moment.astimezone(UTC)
