"""Money, the start of a relationship and a pace as a range, through the real CLI.

`relog bill` and `relog bills`, and `relog client add|edit|show|list` with
--retainer, --started and --cadence 5-10, against a real journal file.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.subprocesses import complete
from tests.test_errors import assert_one_error, snapshot

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Run

    RunJson = Callable[..., Any]

BILL_FIELDS = {"id", "client_id", "client", "at", "amount", "currency", "note"}


@pytest.fixture
def dana(run: Run) -> str:
    run("client", "add", "Dana Levi", "--stage", "active")
    return "Dana Levi"


def currency(tmp_path: Path, code: str) -> None:
    (tmp_path / "config.toml").write_text(f'[money]\ncurrency = "{code}"\n', encoding="utf-8")


def stored(journal: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(journal) as connection:
        return connection.execute(sql).fetchall()


# relog bill ---------------------------------------------------------------------------


@pytest.mark.usefixtures("dana")
@pytest.mark.parametrize(
    ("typed", "hundredths", "number"),
    [
        ("1200", 120_000, 1200),
        ("1,200.50", 120_050, 1200.5),
        ("1200.5", 120_050, 1200.5),
        (" 0.01 ", 1, 0.01),
        ("1,234,567.89", 123_456_789, 1234567.89),
    ],
)
def test_an_amount_is_read_exactly_and_stored_as_hundredths(
    run_json: RunJson, journal: Path, typed: str, hundredths: int, number: float
) -> None:
    saved = run_json("bill", "Dana Levi", typed)
    assert saved["amount"] == number
    assert stored(journal, "SELECT amount, typeof(amount) FROM bill") == [(hundredths, "integer")]


def test_bill_records_an_amount_for_a_client_found_as_add_finds_it(
    run: Run, run_json: RunJson, dana: str
) -> None:
    result = run("bill", "dana", "1,200.50", "--at", "2026-01-31T10:00Z", "-m", "January work")
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "Billed #1:",
        "#1    2026-01-31  1,200.50  Dana Levi  January work",
    ]
    saved = run_json("bill", "levi", "300", "--note", "Extra hours")
    assert set(saved) == BILL_FIELDS
    assert (saved["id"], saved["client_id"], saved["client"]) == (2, 1, dana)
    assert (saved["amount"], saved["currency"], saved["note"]) == (300, None, "Extra hours")
    assert abs(datetime.now(UTC) - datetime.fromisoformat(saved["at"])) < timedelta(minutes=1)


@pytest.mark.usefixtures("dana")
def test_bill_reads_at_as_add_does(run_json: RunJson) -> None:
    then = datetime.fromisoformat(run_json("bill", "Dana Levi", "5", "--at", "3 days ago")["at"])
    assert then.astimezone().date() == (datetime.now(UTC) - timedelta(days=3)).astimezone().date()
    assert then.astimezone().hour == 12  # a day without a time of day: noon
    moment = run_json("bill", "Dana Levi", "5", "--at", "2026-01-05T10:00+02:00")["at"]
    assert moment == "2026-01-05T08:00:00Z"


@pytest.mark.usefixtures("dana")
def test_amounts_show_in_the_configured_currency(
    run: Run, run_json: RunJson, tmp_path: Path
) -> None:
    currency(tmp_path, "ils")
    line = run("bill", "Dana Levi", "1200", "--at", "2026-01-31").stdout.splitlines()[1]
    assert line.endswith("1,200.00 ILS  Dana Levi")
    assert run_json("bill", "Dana Levi", "5")["currency"] == "ILS"


@pytest.mark.usefixtures("dana")
@pytest.mark.parametrize("code", ["shekel", "₪", "IL", "ILS1", ""])
def test_a_currency_that_is_not_an_iso_code_is_a_config_error(
    run: Run, journal: Path, tmp_path: Path, code: str
) -> None:
    before = snapshot(journal)
    currency(tmp_path, code)
    result = run("bill", "Dana Levi", "1200", code=5)
    assert_one_error(result, "money.currency", "not a 3-letter ISO 4217 currency code", "ILS")
    assert snapshot(journal) == before


def test_bill_completes_client_names(run: Run, journal: Path) -> None:
    for name in ("Dana Levi", "Danakil Tours", "Avi Cohen"):
        run("client", "add", name)
    env = dict(os.environ)
    assert complete(["relog", "bill", "Da"], env).stdout.splitlines() == [
        "Dana\\ Levi",
        "Danakil\\ Tours",
    ]
    assert complete(["relog", "bills", "Av"], env).stdout.splitlines() == ["Avi\\ Cohen"]


# relog bills ----------------------------------------------------------------------------


def test_bills_when_there_are_none(run: Run, run_json: RunJson, dana: str) -> None:
    assert run("bills").stdout.startswith("No bills yet.")
    assert run("bills", dana).stdout == "No bills match.\n"
    assert run_json("bills") == {"currency": None, "total": 0, "bills": []}


def test_bills_lists_newest_first_with_the_total_and_filters(
    run: Run, run_json: RunJson, tmp_path: Path, dana: str
) -> None:
    run("client", "add", "Noa Cohen")
    run("bill", dana, "1,200.50", "--at", "2026-01-31T10:00Z", "-m", "January")
    run("bill", "Noa Cohen", "99.99", "--at", "2026-02-10T10:00Z")
    run("bill", dana, "3000", "--at", "2026-02-28T10:00Z", "-m", "February")
    currency(tmp_path, "EUR")
    assert run("bills").stdout.splitlines() == [
        "#3    2026-02-28  3,000.00 EUR  Dana Levi  February",
        "#2    2026-02-10     99.99 EUR  Noa Cohen",
        "#1    2026-01-31  1,200.50 EUR  Dana Levi  January",
        "3 bills, 4,300.49 EUR in all",
    ]
    listed = run_json("bills", "dana")
    assert (listed["currency"], listed["total"]) == ("EUR", 4200.5)
    assert [(b["id"], b["amount"]) for b in listed["bills"]] == [(3, 3000), (1, 1200.5)]
    assert all(set(b) == BILL_FIELDS for b in listed["bills"])
    since = run_json("bills", "--since", "2026-02-01")
    assert [b["id"] for b in since["bills"]] == [3, 2]
    assert run("bills", "noa").stdout.splitlines()[-1] == "1 bill, 99.99 EUR in all"


def test_deleting_a_client_deletes_their_bills(run: Run, run_json: RunJson, dana: str) -> None:
    run("bill", dana, "100")
    run("client", "delete", dana, "--yes")
    assert run_json("bills")["bills"] == []


# client add, edit, show and list ----------------------------------------------------------


def test_a_client_with_a_retainer_a_start_date_and_a_range_of_pace(
    run: Run, run_json: RunJson, tmp_path: Path
) -> None:
    added = run_json(
        "client", "add", "ACME Ltd.", "--stage", "active", "--retainer", "5,000",
        "--started", "2025-09-01T00:00Z", "--cadence", "5-10",
    )  # fmt: skip
    assert (added["retainer"], added["started_at"]) == (5000, "2025-09-01T00:00:00Z")
    assert (added["cadence_min_days"], added["cadence_days"]) == (5, 10)
    [listed] = run_json("client", "list")["clients"]
    assert listed == added
    assert run("client", "list").stdout.splitlines()[1].split() == [
        "ACME", "Ltd.", "active", "-", "5-10d", "-",
    ]  # fmt: skip
    currency(tmp_path, "ILS")
    text = run("client", "show", "acme").stdout
    assert "every 5 to 10 days" in text
    assert "5,000.00 ILS a month" in text
    assert "since         2025-09-01" in text


def test_edit_changes_and_clears_the_retainer_start_and_pace(
    run: Run, run_json: RunJson, dana: str
) -> None:
    run("client", "edit", dana, "--retainer", "4,500.50", "--started", "2025-06-01",
        "--cadence", "5-10")  # fmt: skip
    edited = run_json("client", "edit", dana, "--cadence", "7")
    assert (edited["retainer"], edited["cadence_min_days"], edited["cadence_days"]) == (
        4500.5,
        None,
        7,
    )
    assert edited["started_at"] is not None
    cleared = run_json(
        "client", "edit", dana, "--retainer", "none", "--started", "NONE", "--cadence", "none"
    )
    assert (cleared["retainer"], cleared["started_at"], cleared["cadence_days"]) == (
        None,
        None,
        None,
    )
    assert "retainer      -" in run("client", "show", dana).stdout


def test_a_retainer_of_zero_is_refused_with_the_way_to_remove_it(
    run: Run, journal: Path, dana: str
) -> None:
    run("client", "edit", dana, "--retainer", "100")
    before = snapshot(journal)
    assert_one_error(
        run("client", "edit", dana, "--retainer", "0", code=2),
        "--retainer: '0' is zero",
        "--retainer none",
    )
    assert snapshot(journal) == before


def test_a_start_date_after_the_end_is_refused_either_way(
    run: Run, run_json: RunJson, journal: Path, dana: str
) -> None:
    run("client", "end", dana, "--reason", "moved", "--at", "2026-01-09T12:00Z")
    before = snapshot(journal)
    assert_one_error(
        run("client", "edit", dana, "--started", "2026-02-01", code=2),
        "--started 2026-02-01 is after the relationship ended (2026-01-09)",
    )
    assert snapshot(journal) == before
    # Reopening clears the end, so a later start is fine then.
    reopened = run_json("client", "edit", dana, "--stage", "active", "--started", "2026-02-01")
    assert reopened["started_at"] is not None
    assert_one_error(
        run("client", "end", dana, "--reason", "moved", "--at", "2026-01-15", code=2),
        "--at 2026-01-15 is before the relationship began (2026-02-01",
    )


def test_show_says_when_the_relationship_began(run: Run, run_json: RunJson, dana: str) -> None:
    added = run_json("client", "show", dana)
    assert added["began_at"] == added["created_at"]  # no entries yet: when added
    run("add", "note", dana, "--at", "2026-01-05T10:00Z", "-m", "heard of them")
    run("add", "call", dana, "--at", "2026-01-07T10:00Z")
    shown = run_json("client", "show", dana)
    assert (shown["began_at"], shown["first_contact"]) == (
        "2026-01-05T10:00:00Z",  # the first entry, a note included
        "2026-01-07T10:00:00Z",
    )
    run("client", "edit", dana, "--started", "2025-11-01T00:00Z")
    assert run_json("client", "show", dana)["began_at"] == "2025-11-01T00:00:00Z"
    assert "since         2025-11-01" in run("client", "show", dana).stdout


def test_show_lists_the_recent_bills_and_says_how_many_more(
    run: Run, run_json: RunJson, dana: str
) -> None:
    for day in range(1, 8):
        run("bill", dana, f"{day}00", "--at", f"2026-01-0{day}T10:00Z", "-m", f"day {day}")
    shown = run_json("client", "show", dana)
    assert shown["bill_count"] == 7
    assert [b["amount"] for b in shown["recent_bills"]] == [700, 600, 500, 400, 300]
    assert all(set(b) == BILL_FIELDS for b in shown["recent_bills"])
    text = run("client", "show", dana).stdout.splitlines()
    start = text.index("Recent bills")
    assert text[start + 1 : start + 3] == [
        "  #7    2026-01-07  700.00  day 7",
        "  #6    2026-01-06  600.00  day 6",
    ]
    assert text[start + 6] == '  … and 2 more (relog bills "Dana Levi")'
    run("client", "add", "Noa")
    run("bill", "Noa", "1")
    assert run_json("client", "show", "Noa")["bill_count"] == 1
    assert "more" not in run("client", "show", "Noa").stdout
