"""Reading `--at`, `--next` and `--since`: ISO 8601, plain phrases, and what is refused.

Phrases are read relative to `now=`, so these tests are deterministic; the
local zone is pinned to Asia/Jerusalem (+02:00 in winter, +03:00 in summer)
so that offsets and daylight saving are checked, not assumed to be UTC.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relog.cli.params import parse_future, parse_past
from relog.dates import Day, Prefer, names_a_time, parse_when, to_utc
from relog.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterator

ZONE = "Asia/Jerusalem"


@pytest.fixture(autouse=True)
def local_zone() -> Iterator[None]:
    """Make Asia/Jerusalem the local zone for the test, then restore the old one."""
    if not Path("/usr/share/zoneinfo", ZONE).exists():
        pytest.skip(f"time zone data for {ZONE} is not installed")
    previous = os.environ.get("TZ")
    os.environ["TZ"] = ZONE
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()


def local(*parts: int) -> datetime:
    """A wall-clock time in the local zone, with the offset in force on that date."""
    return datetime(*parts).astimezone()  # type: ignore[arg-type]


WEDNESDAY_NOON = (2026, 1, 7, 12, 0)
MONDAY_NINE = (2026, 1, 5, 9, 0)
MONDAY_NOON = (2026, 1, 5, 12, 0)


# ISO 8601 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05", (2026, 1, 5, 12, 0)),
        ("2026-01-05T10:00", (2026, 1, 5, 10, 0)),
        ("2026-01-05 10:00", (2026, 1, 5, 10, 0)),
        ("  2026-01-05   10:00 ", (2026, 1, 5, 10, 0)),
        ("2026-01-05T10:00:30", (2026, 1, 5, 10, 0)),
    ],
)
def test_iso_without_zone_is_local_time(text: str, expected: tuple[int, ...]) -> None:
    moment = parse_when(text, option="--at", now=local(*WEDNESDAY_NOON))
    assert moment.replace(second=0) == local(*expected)
    assert moment.utcoffset() == timedelta(hours=2)


def test_iso_with_zone_keeps_the_instant() -> None:
    now = local(*WEDNESDAY_NOON)
    assert parse_when("2026-01-05T10:00Z", option="--at", now=now) == datetime(
        2026, 1, 5, 10, 0, tzinfo=UTC
    )
    assert parse_when("2026-01-05T10:00+05:30", option="--at", now=now) == datetime(
        2026, 1, 5, 4, 30, tzinfo=UTC
    )


def test_summer_date_typed_in_winter_gets_the_summer_offset() -> None:
    moment = parse_when("2026-07-01T10:00", option="--at", now=local(*WEDNESDAY_NOON))
    assert moment.utcoffset() == timedelta(hours=3)
    assert to_utc(moment) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert f"{moment.astimezone():%H:%M}" == "10:00"


@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
        ),
    )
)
def test_any_aware_iso_moment_reads_back_as_the_same_instant(moment: datetime) -> None:
    assert parse_when(moment.isoformat(), option="--at") == moment


# phrases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday 15:00", (2026, 1, 6, 15, 0)),
        ("3 days ago", (2026, 1, 4, 12, 0)),
        ("2 weeks ago", (2025, 12, 24, 12, 0)),
        ("today 09:30", (2026, 1, 7, 9, 30)),
        ("monday 10:00", (2026, 1, 5, 10, 0)),
        ("monday", (2026, 1, 5, 12, 0)),
        ("Monday 10:00", (2026, 1, 5, 10, 0)),
        ("last friday", (2026, 1, 2, 12, 0)),
        ("wednesday 10:00", (2026, 1, 7, 10, 0)),
        ("wednesday 15:00", (2025, 12, 31, 15, 0)),
    ],
)
def test_phrases_lean_to_the_past_for_at(text: str, expected: tuple[int, ...]) -> None:
    assert parse_when(text, option="--at", prefer=Prefer.PAST, now=local(*WEDNESDAY_NOON)) == (
        local(*expected)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("monday 10:00", (2026, 1, 12, 10, 0)),
        ("friday", (2026, 1, 9, 12, 0)),
        ("tomorrow 09:00", (2026, 1, 8, 9, 0)),
        ("in 2 days", (2026, 1, 9, 12, 0)),
        ("wednesday 15:00", (2026, 1, 7, 15, 0)),
        ("wednesday 10:00", (2026, 1, 14, 10, 0)),
    ],
)
def test_phrases_lean_to_the_future_for_next(text: str, expected: tuple[int, ...]) -> None:
    assert parse_when(
        text, option="--next", prefer=Prefer.FUTURE, now=local(*WEDNESDAY_NOON)
    ) == local(*expected)


def test_a_weekday_named_on_that_weekday_is_the_nearest_one_in_the_right_direction() -> None:
    before, after = local(*MONDAY_NINE), local(*MONDAY_NOON)
    # At 09:00, Monday 10:00 has not come yet today: the last one was a week ago.
    assert parse_when("monday 10:00", option="--at", now=before) == local(2025, 12, 29, 10, 0)
    assert parse_when("mon 10:00", option="--next", prefer=Prefer.FUTURE, now=before) == (
        local(2026, 1, 5, 10, 0)
    )
    # At noon it has: today's is the most recent one, next week's the coming one.
    assert parse_when("monday 10:00", option="--at", now=after) == local(2026, 1, 5, 10, 0)
    assert parse_when("monday 10:00", option="--next", prefer=Prefer.FUTURE, now=after) == (
        local(2026, 1, 12, 10, 0)
    )
    # "last" and "next" keep their meaning.
    assert parse_when("last monday", option="--at", now=after) == local(2025, 12, 29, 12, 0)
    assert parse_when("next monday", option="--next", prefer=Prefer.FUTURE, now=after) == (
        local(2026, 1, 12, 12, 0)
    )


def test_phrase_across_a_clock_change_gets_the_offset_of_its_own_date() -> None:
    # Israel moved to summer time on Friday 27 March 2026.
    moment = parse_when("3 days ago", option="--at", now=local(2026, 3, 29, 12, 0))
    assert moment == local(2026, 3, 26, 12, 0)
    assert moment.utcoffset() == timedelta(hours=2)


def test_phrase_with_an_explicit_zone_keeps_it() -> None:
    moment = parse_when("10:00 UTC", option="--at", now=local(*WEDNESDAY_NOON))
    assert moment == datetime(2026, 1, 7, 10, 0, tzinfo=UTC)


def test_every_result_is_timezone_aware() -> None:
    now = local(*WEDNESDAY_NOON)
    for text in ("2026-01-05", "yesterday 15:00", "3 days ago", "monday"):
        assert parse_when(text, option="--at", now=now).tzinfo is not None


# refusals -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_date_is_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"^--at: empty date; use ISO 8601"):
        parse_when(text, option="--at")


@pytest.mark.parametrize("text", ["banana", "the day after the meeting", "13/13/13/13"])
def test_unreadable_date_names_the_option_and_what_is_accepted(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_when(text, option="--next", prefer=Prefer.FUTURE, now=local(*WEDNESDAY_NOON))
    message = str(caught.value)
    assert message.startswith(f"--next: cannot read {text!r} as a date")
    assert "ISO 8601" in message
    assert "'3 days ago'" in message


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31T23:59"])
def test_dates_out_of_range_are_refused_cleanly(text: str) -> None:
    with pytest.raises(InputError, match="out of range"):
        parse_when(text, option="--at")


def test_past_only_options_refuse_the_future() -> None:
    now = local(*WEDNESDAY_NOON)
    with pytest.raises(InputError) as caught:
        parse_past("tomorrow 09:00", "--at", now)
    assert str(caught.value).startswith("--at: 2026-01-08 09:00 is in the future")
    assert "--next" in str(caught.value)
    with pytest.raises(InputError, match="^--since: "):
        parse_past("2027-01-01", "--since", now)


def test_past_only_options_allow_a_minute_of_clock_skew() -> None:
    now = local(*WEDNESDAY_NOON)
    assert parse_past("2026-01-07T12:00:30", "--at", now) == local(2026, 1, 7, 12, 0) + timedelta(
        seconds=30
    )


def test_missing_values_stay_missing() -> None:
    assert parse_past(None, "--at") is None
    assert parse_future(None, "--next") is None


def test_future_leaning_options_read_weekdays_forward() -> None:
    assert parse_future("monday 10:00", "--next", local(*WEDNESDAY_NOON)) == local(
        2026, 1, 12, 10, 0
    )


def test_to_utc_refuses_naive_moments() -> None:
    assert to_utc(local(*WEDNESDAY_NOON)) == datetime(2026, 1, 7, 10, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive"):
        to_utc(datetime(2026, 1, 7, 12, 0))


# start-up cost ----------------------------------------------------------------


def test_dateparser_is_imported_only_for_phrases() -> None:
    script = (
        "import sys\n"
        "from relog.dates import parse_when\n"
        "parse_when('2026-01-05T10:00', option='--at')\n"
        "print('dateparser' in sys.modules)\n"
        "parse_when('3 days ago', option='--at')\n"
        "print('dateparser' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]


def test_months_and_years_ago_keep_the_day_of_the_month() -> None:
    now = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    assert parse_when("1 month ago", option="--at", now=now).date().isoformat() == "2026-10-22"
    assert parse_when("1 year ago", option="--at", now=now).date().isoformat() == "2025-11-22"


@pytest.mark.parametrize("text", ["2026-13-01 10:00", "2026-14-11", "2026-02-30"])
def test_an_impossible_iso_date_is_refused_not_reinterpreted(text: str) -> None:
    with pytest.raises(InputError, match="not a valid date"):
        parse_when(text, option="--at")


# A day without a time of day ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "timed"),
    [
        ("2026-01-05", False),
        ("20260105", False),
        ("yesterday", False),
        ("3 weeks ago", False),
        ("thursday", False),
        ("last friday", False),
        ("2026-01-05T10", True),
        ("2026-01-05 10:00", True),
        ("yesterday 15:00", True),
        ("monday 9am", True),
        ("2 hours ago", True),
        ("an hour ago", True),
        ("noon", True),
        ("now", True),
    ],
)
def test_names_a_time(text: str, timed: bool) -> None:
    assert names_a_time(text) is timed


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("3 weeks ago", Day.NOON, (2025, 12, 17, 12, 0)),
        ("yesterday", Day.START, (2026, 1, 6, 0, 0)),
        ("2026-01-05", Day.START, (2026, 1, 5, 0, 0)),
        ("yesterday", Day.END, (2026, 1, 6, 23, 59)),
        ("yesterday 15:00", Day.START, (2026, 1, 6, 15, 0)),
        ("yesterday 15:00", Day.END, (2026, 1, 6, 15, 0)),
    ],
)
def test_a_day_is_the_moment_of_it_the_option_asks_for(
    text: str, day: Day, expected: tuple[int, ...]
) -> None:
    """Whatever the clock says when it is typed ("3 weeks ago" at 09:14 is that day)."""
    now = local(2026, 1, 7, 9, 14)
    moment = parse_when(text, option="--since", now=now, day=day)
    assert moment.replace(second=0, microsecond=0) == local(*expected)


def test_today_leaning_to_the_past_is_never_ahead_of_now() -> None:
    morning = local(2026, 1, 7, 9, 14)
    assert parse_when("today", option="--at", now=morning) == morning
    assert parse_when("2026-01-07", option="--until", now=morning, day=Day.END) == morning
    evening = local(2026, 1, 7, 18, 0)
    assert parse_when("today", option="--at", now=evening) == local(2026, 1, 7, 12, 0)
