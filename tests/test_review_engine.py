"""The review engine's pure parts: month ends, the state of a client at a moment."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from relog.domain import ClientData, InteractionData, Kind, Stage
from relog.review import as_it_stood, month_ends

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def new_york() -> Iterator[None]:
    """Local time with summer time, so month ends cross a change of offset."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("new_york")
def test_month_ends_are_local_midnights_across_summer_time() -> None:
    as_of = datetime(2026, 11, 22, 12, tzinfo=UTC)
    ends = month_ends(as_of, 12)
    assert len(ends) == 12
    for end in ends:
        local = end.astimezone()
        following = (local + timedelta(microseconds=1)).astimezone()
        assert following.day == 1 and following.hour == 0 and following.minute == 0
    assert ends[-1].astimezone().month == 10
    assert ends[0].astimezone().month == 11 and ends[0].astimezone().year == 2025


def client(**changes: object) -> ClientData:
    base = {
        "id": 1,
        "name": "Dana Levi",
        "stage": Stage.ACTIVE,
        "created_at": datetime(2026, 3, 1, tzinfo=UTC),
    }
    return ClientData(**{**base, **changes})  # type: ignore[arg-type]


def call(day: int) -> InteractionData:
    return InteractionData(
        id=day, client_id=1, kind=Kind.CALL, at=datetime(2026, 2, day, tzinfo=UTC)
    )


def test_a_client_began_at_their_first_entry_if_it_came_before_they_were_added() -> None:
    entries = [call(10)]
    assert as_it_stood(client(), entries, datetime(2026, 2, 15, tzinfo=UTC)) is not None
    assert as_it_stood(client(), entries, datetime(2026, 2, 5, tzinfo=UTC)) is None
    assert as_it_stood(client(), [], datetime(2026, 2, 15, tzinfo=UTC)) is None


def test_a_client_who_left_later_was_still_a_client_then() -> None:
    left = client(stage=Stage.FORMER, ended_at=datetime(2026, 6, 1, tzinfo=UTC), end_reason="x")
    then = as_it_stood(left, [], datetime(2026, 5, 1, tzinfo=UTC))
    assert then is not None and then.stage is Stage.ACTIVE and then.end_reason is None
    now = as_it_stood(left, [], datetime(2026, 7, 1, tzinfo=UTC))
    assert now is not None and now.stage is Stage.FORMER
