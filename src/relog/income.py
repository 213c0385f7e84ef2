"""What each client brought in over a window of time: the bills and the retainer.

relog measures how much a freelancer depends on one client by income as well
as by contacts. This module only counts; it reads plain domain values, never
the store, so a rule can call it on what `Store.bills(until=...)` returned.

- **Amounts** are whole hundredths of the journal's currency, as stored; the
  sums are exact integers.
- **The window** is half-open, `start <= moment < end`, so consecutive windows
  (month after month) count every bill once, and a bill dated on the 1st (typed
  as a bare date, so at local midnight) falls in the month it names.
- **A bill** counts when its moment is in the window.
- **A retainer** is monthly, and counts for the part of the window in which it
  was in force: from the relationship's start (`domain.began_at`) to its end
  (`ended_at`, or still running). It is prorated by calendar month: each month
  of the window counts by the share of that month's length that is both in the
  window and in force, so a whole calendar month is one retainer whatever its
  length (February too), a 90-day window about three, and a relationship that
  began on the 16th of a 30-day month half a retainer for that month. The
  months are those of the window's own time zone (`start.tzinfo`), so a window
  of one local month is exactly one retainer. The exact sum is rounded half up
  to a hundredth once per client.

The journal keeps one retainer per client, not its history: changing it
re-values every month of the relationship, and the stage is not looked at (a
paused client's retainer still counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from math import floor
from typing import TYPE_CHECKING

from relog.domain import began_at

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from relog.domain import BillData, ClientData

_HALF = Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class Income:
    """One client's income over a window, in hundredths of the journal's currency."""

    billed: int
    """The bills dated in the window, summed."""
    retainer: int
    """The retainer for the part of the window it was in force, rounded half up."""

    @property
    def total(self) -> int:
        return self.billed + self.retainer


def income_by_client(
    clients: Iterable[ClientData],
    bills: Iterable[BillData],
    start: datetime,
    end: datetime,
    *,
    first_entries: Mapping[int, datetime] | None = None,
) -> dict[int, Income]:
    """Each client's income from `start` (included) to `end` (excluded), by client id.

    Every client given has an entry, with zeros when nothing came in; the bills
    of clients not given are left out. `first_entries` holds the moment of each
    client's first journal entry, which is when a relationship without a start
    date began (see `domain.began_at`); a client missing from it is taken to
    have no entries, so its retainer counts from when it was added.
    """
    if end < start:
        raise ValueError("the window ends before it starts")
    chosen = list(clients)
    billed = {client.id: 0 for client in chosen}
    for bill in bills:
        if bill.client_id in billed and start <= bill.at < end:
            billed[bill.client_id] += bill.amount
    firsts = first_entries or {}
    return {
        client.id: Income(
            billed[client.id],
            _rounded(client.retainer, retainer_months(client, firsts.get(client.id), start, end))
            if client.retainer
            else 0,
        )
        for client in chosen
    }


def retainer_months(
    client: ClientData, first_entry_at: datetime | None, start: datetime, end: datetime
) -> Fraction:
    """How many months of `client`'s retainer fall in `start <= moment < end`, exactly.

    Zero without a retainer. A client with no known start at all (built in
    code, never stored) is taken to have had it since before the window.
    """
    if not client.retainer:
        return Fraction(0)
    began = began_at(client, first_entry_at)
    low = start if began is None else max(start, began)
    high = end if client.ended_at is None else min(end, client.ended_at)
    months = Fraction(0)
    month = _month_start(low.astimezone(start.tzinfo))
    while month < high:
        following = _next_month(month)
        covered = _micros(max(low, month), min(high, following))
        if covered > 0:
            months += Fraction(covered, _micros(month, following))
        month = following
    return months


def _rounded(monthly: int, months: Fraction) -> int:
    """`monthly` times `months`, rounded half up to a whole hundredth."""
    return floor(monthly * months + _HALF)


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0, fold=0)


def _next_month(first: datetime) -> datetime:
    if first.month == 12:
        return first.replace(year=first.year + 1, month=1)
    return first.replace(month=first.month + 1)


def _micros(earlier: datetime, later: datetime) -> int:
    """Microseconds from `earlier` to `later`, measured in UTC (never on a wall clock)."""
    elapsed = later.astimezone(UTC) - earlier.astimezone(UTC)
    return (elapsed.days * 86_400 + elapsed.seconds) * 1_000_000 + elapsed.microseconds
