"""`relog add`, `relog log`, `relog edit`, `relog delete`: the journal entries.

The local zone is pinned to Asia/Jerusalem (UTC+2 in January), so the tests
see that text shows local time while `--json` shows UTC with a trailing Z.
"""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.test_errors import assert_one_error

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tests.conftest import Run

    RunJson = Callable[..., Any]

ZONE = "Asia/Jerusalem"
ENTRY_FIELDS = {
    "id",
    "client_id",
    "client",
    "kind",
    "at",
    "by",
    "outcome",
    "agreed",
    "next_at",
    "think",
    "asked",
    "gave",
    "disagreement",
    "expectations",
    "initiative",
    "delegated",
    "late",
    "minutes",
    "summary",
}
LINE = re.compile(r"#(\d+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d)\s+(\w+)\s+([→←])\s+(.*)")


@pytest.fixture(autouse=True)
def local_zone() -> Iterator[None]:
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


@pytest.fixture
def dana(run: Run) -> str:
    run("client", "add", "Dana Levi")
    return "Dana Levi"


def utc(text: str) -> datetime:
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# add ----------------------------------------------------------------------------


@pytest.mark.usefixtures("dana")
def test_add_defaults_to_a_reached_contact_by_me_now(run: Run, run_json: RunJson) -> None:
    result = run("add", "call", "Dana Levi")
    assert result.stderr == ""
    first, second = lines(result.stdout)
    assert first == "Logged #1:"
    match = LINE.fullmatch(second.strip())
    assert match is not None, second
    assert match.group(1, 3, 4, 5) == ("1", "call", "→", "Dana Levi")
    [entry] = run_json("log")["interactions"]
    assert set(entry) >= ENTRY_FIELDS
    assert (entry["by"], entry["outcome"], entry["kind"]) == ("me", "reached", "call")
    assert abs(datetime.now(UTC) - utc(entry["at"])) < timedelta(minutes=1)
    for flag in ("agreed", "think", "expectations", "initiative", "delegated", "late"):
        assert entry[flag] is False, flag
    assert (entry["asked"], entry["gave"]) == ([], [])
    assert entry["next_at"] is entry["disagreement"] is entry["minutes"] is None
    assert entry["summary"] == ""


@pytest.mark.usefixtures("dana")
def test_add_with_every_flag(run: Run, run_json: RunJson) -> None:
    entry = run_json(
        "add", "CALL", "dana",
        "--by", "them",
        "--outcome", "reached",
        "--at", "2026-01-05T10:00",
        "--agreed",
        "--next", "2026-01-08 09:30",
        "--think",
        "--asked", "references, prices",
        "--gave", "profile",
        "--disagreement", "conceded",
        "--expectations",
        "--initiative",
        "--delegated",
        "--minutes", "25",
        "-m", "Asked for two references; wants to think",
    )  # fmt: skip
    assert set(entry) >= ENTRY_FIELDS
    assert entry == {
        **entry,
        "id": 1,
        "client_id": 1,
        "client": "Dana Levi",
        "kind": "call",
        "at": "2026-01-05T08:00:00Z",
        "by": "them",
        "outcome": "reached",
        "agreed": True,
        "next_at": "2026-01-08T07:30:00Z",
        "think": True,
        "asked": ["prices", "references"],
        "gave": ["profile"],
        "disagreement": "conceded",
        "expectations": True,
        "initiative": True,
        "delegated": True,
        "late": False,
        "minutes": 25,
        "summary": "Asked for two references; wants to think",
    }
    assert run_json("log")["interactions"] == [entry]
    [line] = lines(run("log").stdout)
    assert line.startswith("#1    2026-01-05 10:00  call    ← Dana Levi")
    for shown in (
        "agreed",
        "thinking it over",
        "asked prices,references",
        "gave profile",
        "disagreement: conceded",
        "expectations set",
        "initiative",
        "handed to an assistant",
        "25 min",
        "next 2026-01-08 09:30",
        "Asked for two references; wants to think",
    ):
        assert shown in line, shown


@pytest.mark.usefixtures("dana")
def test_add_each_kind_and_outcome(run_json: RunJson) -> None:
    for kind in ("call", "email", "meeting", "message", "note"):
        assert run_json("add", kind, "Dana Levi", "--at", "2026-01-05")["kind"] == kind
    for outcome in ("reached", "no-answer", "no-reply", "left-message", "cancelled"):
        made = run_json("add", "call", "Dana Levi", "--outcome", outcome, "--at", "2026-01-05")
        assert made["outcome"] == outcome
    late = run_json("add", "meeting", "Dana Levi", "--late", "--minutes", "0", "--at", "2026-01-05")
    assert (late["late"], late["minutes"]) == (True, 0)


@pytest.mark.usefixtures("dana")
def test_at_reads_phrases_relative_to_now(run_json: RunJson) -> None:
    before = datetime.now(UTC)
    ago = utc(run_json("add", "call", "Dana Levi", "--at", "3 days ago")["at"]).astimezone()
    # A phrase that names a day and no time of day means that day, at noon.
    assert ago.date() == (before.astimezone() - timedelta(days=3)).date()
    assert (ago.hour, ago.minute) == (12, 0)

    yesterday = utc(run_json("add", "call", "Dana Levi", "--at", "yesterday 15:00")["at"])
    local = yesterday.astimezone()
    assert (local.hour, local.minute) == (15, 0)
    assert local.date() == (datetime.now().astimezone() - timedelta(days=1)).date()

    monday = utc(run_json("add", "call", "Dana Levi", "--at", "monday 10:00")["at"]).astimezone()
    assert (monday.weekday(), monday.hour, monday.minute) == (0, 10, 0)
    assert timedelta(0) <= datetime.now(UTC) - monday < timedelta(days=7)


@pytest.mark.usefixtures("dana")
def test_next_reads_an_ambiguous_weekday_forward(run_json: RunJson) -> None:
    entry = run_json("add", "call", "Dana Levi", "--next", "monday 10:00")
    upcoming = utc(entry["next_at"]).astimezone()
    assert (upcoming.weekday(), upcoming.hour, upcoming.minute) == (0, 10, 0)
    assert timedelta(0) < upcoming - datetime.now(UTC) <= timedelta(days=7)


def test_add_with_new_creates_a_lead_once(run: Run, run_json: RunJson) -> None:
    made = run_json("add", "call", "דנה לוי", "--new", "--by", "them", "--at", "2026-01-05")
    assert made["client"] == "דנה לוי"
    [client] = run_json("client", "list")["clients"]
    assert (client["name"], client["stage"]) == ("דנה לוי", "lead")
    again = run_json("add", "email", "דנה לוי", "--new", "--at", "2026-01-06")
    assert again["client_id"] == made["client_id"]
    assert len(run_json("client", "list")["clients"]) == 1


@pytest.mark.usefixtures("dana")
def test_unknown_client_names_the_closest_and_suggests_new(run: Run, run_json: RunJson) -> None:
    assert_one_error(
        run("add", "call", "Dana Levy", code=3),
        "no client named 'Dana Levy'; did you mean 'Dana Levi'?",
    )
    assert run_json("log") == {"interactions": []}
    assert run_json("client", "list")["clients"][0]["name"] == "Dana Levi"


def test_hebrew_and_english_clients_side_by_side(run: Run, run_json: RunJson) -> None:
    run("client", "add", "דנה לוי")
    run("client", "add", "Dana Levi")
    run("add", "meeting", "לוי", "--at", "2026-01-05T10:00", "-m", "פגישה ראשונה")
    run("add", "call", "dana", "--at", "2026-01-06T10:00")
    timeline = run_json("log")["interactions"]
    assert [(e["client"], e["summary"]) for e in timeline] == [
        ("Dana Levi", ""),
        ("דנה לוי", "פגישה ראשונה"),
    ]
    [line] = lines(run("log", "דנה").stdout)
    assert line.startswith("#1    2026-01-05 10:00  meeting → דנה לוי")
    assert line.endswith("פגישה ראשונה")


# log ----------------------------------------------------------------------------


def test_log_when_empty(run: Run, run_json: RunJson) -> None:
    assert run("log").stdout.startswith("Nothing logged yet.")
    assert run_json("log") == {"interactions": []}


@pytest.fixture
def timeline(run: Run) -> None:
    run("client", "add", "Dana Levi")
    run("client", "add", "Noa Cohen")
    run("add", "call", "Dana Levi", "--at", "2026-01-05T10:00")
    run("add", "email", "Noa Cohen", "--at", "2026-01-07T10:00", "--outcome", "no-reply")
    run("add", "meeting", "Dana Levi", "--at", "2026-01-06T10:00", "--by", "them")
    run("add", "note", "Dana Levi", "--at", "2026-01-06T10:00", "-m", "same minute")


@pytest.mark.usefixtures("timeline")
def test_log_is_newest_first_one_line_per_entry_with_its_id(run: Run, run_json: RunJson) -> None:
    shown = lines(run("log").stdout)
    parsed = [LINE.fullmatch(line.strip()) for line in shown]
    assert all(parsed), shown
    assert [(m.group(1), m.group(2), m.group(3)) for m in parsed if m] == [
        ("2", "2026-01-07 10:00", "email"),
        ("4", "2026-01-06 10:00", "note"),
        ("3", "2026-01-06 10:00", "meeting"),
        ("1", "2026-01-05 10:00", "call"),
    ]
    assert "no-reply" in shown[0]
    assert "←" in shown[2]
    assert [e["id"] for e in run_json("log")["interactions"]] == [2, 4, 3, 1]


@pytest.mark.usefixtures("timeline")
def test_log_filters_by_client_since_and_limit(run: Run, run_json: RunJson) -> None:
    def ids(*args: str) -> list[int]:
        return [e["id"] for e in run_json("log", *args)["interactions"]]

    assert ids("dana") == [4, 3, 1]
    assert ids("Noa Cohen") == [2]
    assert ids("--since", "2026-01-06T10:00") == [2, 4, 3]
    assert ids("--since", "2026-01-06") == [2, 4, 3]
    assert ids("--limit", "2") == [2, 4]
    assert ids("-n", "1", "Dana Levi") == [4]
    assert ids("Dana Levi", "--since", "2026-01-06", "--limit", "1") == [4]
    assert ids("--since", "3 days ago") == []
    assert len(lines(run("log", "--limit", "3").stdout)) == 3


@pytest.mark.usefixtures("dana")
def test_a_long_entry_stays_on_one_line(run: Run) -> None:
    summary = " ".join(["a long summary"] * 30)
    added = run("add", "meeting", "Dana Levi", "--asked", "references", "-m", summary)
    assert lines(added.stdout)[1].endswith(summary)
    run("add", "call", "Dana Levi", "-m", summary)
    shown = lines(run("log").stdout)
    assert len(shown) == 2
    assert all(line.startswith("#") and line.endswith(summary) for line in shown)


# edit ---------------------------------------------------------------------------


@pytest.mark.usefixtures("timeline")
def test_edit_changes_only_what_is_given(run: Run, run_json: RunJson) -> None:
    before = run_json("log", "--limit", "4")["interactions"][3]
    result = run("edit", "1", "-m", "Talked about the launch", "--outcome", "left-message")
    assert lines(result.stdout)[0] == "Updated #1:"
    assert "Talked about the launch" in result.stdout
    after = [e for e in run_json("log")["interactions"] if e["id"] == 1][0]
    assert (after["summary"], after["outcome"]) == ("Talked about the launch", "left-message")
    for field in ENTRY_FIELDS - {"summary", "outcome"}:
        assert after[field] == before[field], field


@pytest.mark.usefixtures("timeline")
def test_edit_moment_next_and_kind(run_json: RunJson) -> None:
    moved = run_json("edit", "1", "--at", "2026-01-04 09:00", "--next", "2026-01-09T10:00")
    assert (moved["at"], moved["next_at"]) == ("2026-01-04T07:00:00Z", "2026-01-09T08:00:00Z")
    cleared = run_json("edit", "1", "--next", "none")
    assert cleared["next_at"] is None
    assert run_json("edit", "1", "--kind", "message")["kind"] == "message"
    assert run_json("edit", "3", "--late", "--minutes", "90")["late"] is True
    assert run_json("edit", "3", "--no-late")["late"] is False


@pytest.mark.usefixtures("timeline")
def test_edit_boolean_flags_turn_off_too(run_json: RunJson) -> None:
    on = run_json(
        "edit", "3", "--agreed", "--think", "--initiative", "--delegated",
        "--disagreement", "together", "--expectations",
    )  # fmt: skip
    assert all(on[f] for f in ("agreed", "think", "initiative", "delegated", "expectations"))
    off = run_json(
        "edit", "3", "--no-agreed", "--no-think", "--no-initiative", "--no-delegated",
        "--no-expectations",
    )  # fmt: skip
    assert not any(off[f] for f in ("agreed", "think", "initiative", "delegated", "expectations"))
    assert off["disagreement"] == "together"


@pytest.mark.usefixtures("timeline")
def test_edit_moves_an_entry_to_another_client(run: Run, run_json: RunJson) -> None:
    moved = run_json("edit", "4", "--client", "noa")
    assert (moved["client"], moved["client_id"]) == ("Noa Cohen", 2)
    assert [e["id"] for e in run_json("log", "Noa Cohen")["interactions"]] == [2, 4]
    assert [e["id"] for e in run_json("log", "Dana Levi")["interactions"]] == [3, 1]


@pytest.mark.usefixtures("dana")
def test_requests_open_and_close_through_entries(run: Run, run_json: RunJson) -> None:
    run("add", "call", "Dana Levi", "--by", "them", "--at", "2026-01-05T10:00",
        "--asked", "references,materials")  # fmt: skip
    open_now = run_json("client", "show", "Dana Levi")["open_requests"]
    assert [(r["item"], r["asked_id"]) for r in open_now] == [("materials", 1), ("references", 1)]

    run("add", "email", "Dana Levi", "--at", "2026-01-06T10:00", "--gave", "materials")
    open_now = run_json("client", "show", "Dana Levi")["open_requests"]
    assert [r["item"] for r in open_now] == ["references"]

    run("edit", "1", "--asked", "")
    assert run_json("client", "show", "Dana Levi")["open_requests"] == []
    assert run_json("log")["interactions"][1]["asked"] == []

    run("edit", "1", "--asked", "materials")
    assert run_json("client", "show", "Dana Levi")["open_requests"] == []
    run("delete", "2", "--yes")
    assert [r["item"] for r in run_json("client", "show", "Dana Levi")["open_requests"]] == [
        "materials"
    ]


@pytest.mark.usefixtures("timeline")
def test_a_refused_edit_leaves_the_entry_as_it_was(run: Run, run_json: RunJson) -> None:
    before = run_json("log")
    assert_one_error(run("edit", "1", "--kind", "note", "--by", "them", code=2), "a note is yours")
    assert_one_error(
        run("edit", "1", "--outcome", "no-answer", "--think", code=2),
        "--think with --outcome no-answer",
    )
    assert run_json("log") == before


# delete -------------------------------------------------------------------------


@pytest.mark.usefixtures("timeline")
def test_delete_asks_first_unless_yes(run: Run, run_json: RunJson) -> None:
    result = run("delete", "3", input="y\n")
    assert "#3" in result.stdout
    assert "Delete this entry?" in result.stdout
    assert result.stdout.endswith("Deleted #3.\n")
    assert run("delete", "1", "--yes").stdout == "Deleted #1.\n"
    assert [e["id"] for e in run_json("log")["interactions"]] == [2, 4]
    assert_one_error(run("delete", "1", "--yes", code=3), "no interaction with id 1")
