"""Income by client: bills in their window, retainers prorated by calendar month."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relog.domain import BillData, ClientData, Stage, began_at
from relog.income import Income, income_by_client, retainer_months

JAN = datetime(2026, 1, 1, tzinfo=UTC)
FEB = datetime(2026, 2, 1, tzinfo=UTC)
MAR = datetime(2026, 3, 1, tzinfo=UTC)
APR = datetime(2026, 4, 1, tzinfo=UTC)
ADDED = datetime(2025, 6, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def client(id: int = 1, *, retainer: int | None = 300_000, **fields: Any) -> ClientData:
    fields.setdefault("created_at", ADDED)
    fields.setdefault("stage", Stage.ACTIVE)
    return ClientData(id=id, name=f"client {id}", retainer=retainer, **fields)


def bill(at: datetime, amount: int, client_id: int = 1) -> BillData:
    return BillData(id=0, client_id=client_id, at=at, amount=amount)


def income(who: ClientData, start: datetime, end: datetime, **kw: Any) -> Income:
    return income_by_client([who], [], start, end, **kw)[who.id]


# the start of a relationship -----------------------------------------------------------


def test_a_relationship_began_at_the_start_date_else_the_first_entry_or_when_added() -> None:
    started, first = datetime(2025, 9, 1, tzinfo=UTC), datetime(2026, 1, 5, tzinfo=UTC)
    assert began_at(client(started_at=started), first) == started
    assert began_at(client(started_at=started), None) == started
    assert began_at(client(started_at=first), started) == first  # the user's date wins
    assert began_at(client(), ADDED + DAY) == ADDED  # written down before the first contact
    assert began_at(client(), ADDED - DAY) == ADDED - DAY  # logged after the fact
    assert began_at(client(), None) == ADDED
    assert began_at(client(created_at=None), None) is None


# bills ------------------------------------------------------------------------------


def test_a_bill_counts_in_the_window_that_holds_its_moment() -> None:
    clients = [client(1, retainer=None), client(2, retainer=None)]
    bills = [
        bill(JAN - timedelta(microseconds=1), 1),  # before the window
        bill(JAN, 10),  # on its first moment: in
        bill(JAN + 10 * DAY, 100),
        bill(FEB - timedelta(microseconds=1), 1_000),  # its last moment: in
        bill(FEB, 10_000),  # the next window's first moment: out
        bill(JAN + DAY, 7, client_id=2),
        bill(JAN + DAY, 99, client_id=3),  # a client not asked about
    ]
    found = income_by_client(clients, bills, JAN, FEB)
    assert found == {1: Income(billed=1_110, retainer=0), 2: Income(billed=7, retainer=0)}
    assert income_by_client(clients, bills, FEB, MAR)[1].billed == 10_000


def test_every_client_asked_about_has_an_entry() -> None:
    found = income_by_client([client(1, retainer=None), client(2, retainer=None)], [], JAN, FEB)
    assert found == {1: Income(0, 0), 2: Income(0, 0)}
    assert found[1].total == 0


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        income_by_client([client()], [], FEB, JAN)
    assert income(client(), JAN, JAN) == Income(0, 0)


# retainers ----------------------------------------------------------------------------


def test_a_whole_calendar_month_is_one_retainer_whatever_its_length() -> None:
    for start, end in ((JAN, FEB), (FEB, MAR), (MAR, APR)):
        assert income(client(), start, end) == Income(billed=0, retainer=300_000)
    assert income(client(), JAN, APR).retainer == 900_000


def test_part_of_a_month_counts_by_its_share_of_that_month() -> None:
    # 17 of January's 31 days and 14 of February's 28.
    start, end = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 15, tzinfo=UTC)
    assert retainer_months(client(), None, start, end) == Fraction(17, 31) + Fraction(14, 28)
    assert income(client(), start, end).retainer == round(300_000 * (17 / 31 + 0.5))
    # A 90-day window is about three months: here 17/31 + 1 + 1 + 14/30.
    mid_april = datetime(2026, 4, 15, tzinfo=UTC)
    ninety = retainer_months(client(), None, mid_april - 90 * DAY, mid_april)
    assert ninety == Fraction(17, 31) + 2 + Fraction(14, 30)


def test_bills_and_retainer_add_up() -> None:
    found = income_by_client([client()], [bill(JAN + DAY, 120_050)], JAN, FEB)[1]
    assert (found.billed, found.retainer, found.total) == (120_050, 300_000, 420_050)


def test_a_retainer_counts_from_the_start_date_the_user_gave() -> None:
    started = datetime(2026, 1, 16, 12, 0, tzinfo=UTC)  # half of January is left
    who = client(started_at=started)
    assert income(who, JAN, FEB).retainer == 150_000
    # The start date wins over an earlier first entry.
    assert income(who, JAN, FEB, first_entries={1: JAN - 30 * DAY}).retainer == 150_000
    assert income(who, JAN - 60 * DAY, JAN).retainer == 0


def test_without_a_start_date_a_retainer_counts_from_the_first_entry_or_adding() -> None:
    added_mid_january = client(created_at=datetime(2026, 1, 16, 12, 0, tzinfo=UTC))
    assert income(added_mid_january, JAN, FEB).retainer == 150_000
    first_call = {1: datetime(2025, 12, 1, tzinfo=UTC)}  # logged after the fact
    assert income(added_mid_january, JAN, FEB, first_entries=first_call).retainer == 300_000
    later_call = {1: datetime(2026, 1, 31, tzinfo=UTC)}  # added first: it began when added
    assert income(added_mid_january, JAN, FEB, first_entries=later_call).retainer == 150_000


def test_a_retainer_stops_when_the_relationship_ended() -> None:
    ended = client(stage=Stage.FORMER, ended_at=datetime(2026, 2, 15, tzinfo=UTC))
    assert income(ended, JAN, APR).retainer == 300_000 + 150_000
    assert income(ended, MAR, APR).retainer == 0
    # A last bill after the end still counts.
    assert income_by_client([ended], [bill(MAR + DAY, 5)], MAR, APR)[1] == Income(5, 0)


def test_no_retainer_counts_nothing() -> None:
    assert income(client(retainer=None), JAN, APR) == Income(0, 0)
    assert retainer_months(client(retainer=None), None, JAN, APR) == 0


def test_the_sum_is_rounded_half_up_to_a_hundredth_once() -> None:
    half_january = (JAN, JAN + timedelta(days=15, hours=12))  # 15.5 of 31 days
    assert retainer_months(client(), None, *half_january) == Fraction(1, 2)
    assert income(client(retainer=1), *half_january).retainer == 1  # 0.5 -> 1
    assert income(client(retainer=3), *half_january).retainer == 2  # 1.5 -> 2
    third = (JAN, JAN + timedelta(days=31) / 3)
    assert income(client(retainer=100), *third).retainer == 33


def test_months_are_those_of_the_windows_own_zone() -> None:
    israel = timezone(timedelta(hours=2))
    start, end = datetime(2026, 2, 1, tzinfo=israel), datetime(2026, 3, 1, tzinfo=israel)
    assert retainer_months(client(), None, start, end) == 1
    # The same instants seen in UTC straddle January (31 days) and February (28).
    assert retainer_months(client(), None, start.astimezone(UTC), end.astimezone(UTC)) != 1


def test_a_month_with_a_clock_change_is_still_one_retainer() -> None:
    try:
        london = ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone data on this machine")
    start, end = datetime(2026, 3, 1, tzinfo=london), datetime(2026, 4, 1, tzinfo=london)
    assert retainer_months(client(), None, start, end) == 1
    half = retainer_months(client(), None, start, datetime(2026, 3, 16, 12, tzinfo=london))
    assert half != Fraction(1, 2)  # the lost hour falls in the second half: measured, not guessed
    assert abs(half - Fraction(1, 2)) < Fraction(1, 700)


MOMENTS = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@given(st.lists(MOMENTS, min_size=3, max_size=3, unique=True), MOMENTS, st.none() | MOMENTS)
def test_adjacent_windows_add_up_to_the_whole(
    cuts: list[datetime], began: datetime, ended: datetime | None
) -> None:
    low, middle, high = sorted(cuts)
    who = client(started_at=began, ended_at=ended)
    whole = retainer_months(who, None, low, high)
    assert whole == retainer_months(who, None, low, middle) + retainer_months(
        who, None, middle, high
    )
    assert 0 <= whole
    months_long = Fraction((high - low).days + 1, 28)
    assert whole <= months_long
