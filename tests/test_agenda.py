"""`relog agenda`: what is due now and in the days ahead, from the review's findings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import icalendar
import pytest

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run

    RunJson = Any


def moment(days: float, hour: int = 10) -> str:
    """A local moment `days` from today (negative: in the past) at `hour`."""
    when = (datetime.now().astimezone() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return when.isoformat()


def items(document: dict[str, Any]) -> list[tuple[str, bool, str | None, str]]:
    return [(i["client"], i["overdue"], i["code"], i["action"]) for i in document["items"]]


def test_an_agreed_call_is_on_its_day_and_a_missed_call_comes_first(
    run: Run, run_json: RunJson
) -> None:
    run("client", "add", "Hadas Bar", "--stage", "prospect")
    run("add", "call", "Hadas Bar", "--by", "them", "--at", moment(-1), "--next", moment(3))
    run("client", "add", "Ori Shalev", "--source", "inbound")
    run("add", "call", "Ori Shalev", "--by", "them", "--outcome", "no-answer", "--at", moment(-1))
    document = run_json("agenda")
    assert items(document) == [
        ("Ori Shalev", True, "INI004", "answer them"),
        ("Hadas Bar", False, "PUR007", "nothing urgent"),
    ]
    ahead = document["items"][1]
    assert ahead["day"] == moment(3)[:10]
    assert "you agreed to be in touch" in ahead["reason"]
    text = run("agenda").stdout
    assert text.index("Now") < text.index("Ori Shalev") < text.index("Hadas Bar")


def test_twin_a_shorter_look_ahead_leaves_the_later_call_out(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Hadas Bar", "--stage", "prospect")
    run("add", "call", "Hadas Bar", "--by", "them", "--at", moment(-1), "--next", moment(3))
    assert items(run_json("agenda", "--days", "2")) == []
    assert "Nothing is due in these days." in run("agenda", "--days", "2").stdout


def test_a_plan_due_soon_and_a_cadence_coming_due(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Blue Ltd", "--stage", "active", "--cadence", "7")
    run("add", "meeting", "Blue Ltd", "--by", "them", "--at", moment(-3))
    run("client", "add", "Gone Co", "--stage", "active")
    run("add", "call", "Gone Co", "--by", "them", "--at", moment(-20))
    run("client", "end", "Gone Co", "--reason", "moved", "--at", moment(-10))
    run(
        "mistakes",
        "add",
        "--client",
        "Gone Co",
        "--what",
        "Scope unclear",
        "--kind",
        "understanding",
        "--cause",
        "vague-contract",
        "--plan",
        "Write a scope template",
        "--due",
        moment(2),
    )
    document = run_json("agenda")
    found = {(i["client"], i["day"], i["code"]) for i in document["items"]}
    assert ("Blue Ltd", moment(4)[:10], "ATT005") in found
    assert ("Gone Co", moment(2)[:10], None) in found
    assert "Write a scope template" in run("agenda").stdout


def test_waiting_for_them_is_not_on_the_agenda(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Dana Levi", "--stage", "prospect")
    run("add", "call", "Dana Levi", "--by", "them", "--at", moment(-2))
    run("add", "email", "Dana Levi", "--at", moment(-1), "-m", "the proposal")
    assert items(run_json("agenda")) == []


# the calendar file ------------------------------------------------------------------


def events(path: Path) -> dict[str, Any]:
    parsed = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["uid"]): event for event in parsed.walk("VEVENT")}


def plan_and_call(run: Run) -> None:
    run("client", "add", "Hadas Bar", "--stage", "prospect")
    run("add", "call", "Hadas Bar", "--by", "them", "--at", moment(-1), "--next", moment(3, 15))
    run("client", "add", "Gone Co", "--stage", "active")
    run("add", "call", "Gone Co", "--by", "them", "--at", moment(-20))
    run("client", "end", "Gone Co", "--reason", "moved", "--at", moment(-10))
    run(
        "mistakes",
        "add",
        "--client",
        "Gone Co",
        "--what",
        "Scope unclear",
        "--kind",
        "understanding",
        "--cause",
        "vague-contract",
        "--plan",
        "Write a scope template",
        "--due",
        moment(2),
    )


def test_the_calendar_holds_agreed_contacts_and_plans_and_reads_back(
    run: Run, tmp_path: Path
) -> None:
    plan_and_call(run)
    path = tmp_path / "relog.ics"
    run("agenda", "--ics", str(path))
    found = events(path)
    assert set(found) == {"PUR007-entry-1@relog", "plan-1@relog"}
    call = found["PUR007-entry-1@relog"]
    assert str(call["summary"]) == "Contact Hadas Bar (agreed)"
    assert call.decoded("dtstart") == datetime.fromisoformat(moment(3, 15))
    assert "Write a scope template" not in path.read_text(), "your words stay out by default"
    assert path.stat().st_mode & 0o777 == 0o600
    # Exported again, the same events keep their UIDs: a calendar updates, not duplicates.
    run("agenda", "--ics", str(path), "--with-notes")
    assert set(events(path)) == set(found)
    assert "Write a scope template" in str(events(path)["plan-1@relog"]["description"])


def test_a_calendar_in_a_missing_folder_is_refused(run: Run, tmp_path: Path) -> None:
    result = run("agenda", "--ics", str(tmp_path / "nope" / "a.ics"), code=2)
    assert "--ics: folder" in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()


# relog log's filters -----------------------------------------------------------------


def test_log_filters_by_kind_who_outcome_and_until(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Dana Levi")
    run("add", "call", "Dana Levi", "--by", "them", "--at", "2026-11-01 10:00")
    run("add", "email", "Dana Levi", "--at", "2026-11-02 10:00")
    run("add", "call", "Dana Levi", "--outcome", "no-answer", "--at", "2026-11-03 10:00")
    run("add", "note", "Dana Levi", "--at", "2026-11-04 10:00", "-m", "thinking")

    def ids(*args: str) -> list[int]:
        return [e["id"] for e in run_json("log", *args)["interactions"]]

    assert ids("--kind", "call") == [3, 1]
    assert ids("--kind", "call", "--kind", "note") == [4, 3, 1]
    assert ids("--by", "them") == [1]
    assert ids("--outcome", "no-answer") == [3]
    assert ids("--until", "2026-11-02") == [2, 1], "a bare date is the end of that day"
    assert ids("--since", "2026-11-02", "--until", "2026-11-03") == [3, 2]
    result = run("log", "--since", "2026-11-03", "--until", "2026-11-01", code=2)
    assert "--until is before --since" in result.stderr


def test_piped_output_has_no_trailing_spaces(run: Run) -> None:
    run("client", "add", "Dana Levi", "--stage", "prospect")
    run("add", "call", "Dana Levi", "--by", "them", "--asked", "prices", "--at", moment(-5))
    for args in (("review",), ("review", "Dana Levi", "--explain"), ("agenda",), ("rules",)):
        lines = run(*args).stdout.splitlines()
        assert lines and all(line == line.rstrip(" ") for line in lines), args


def weekly_client_called(run: Run, days_ago: int, *more: str) -> None:
    """An active weekly client you spoke with `days_ago` days ago (`more`: the call's options)."""
    run("client", "add", "Dana Levi", "--stage", "active", "--cadence", "7")
    run("add", "call", "Dana Levi", "--at", moment(-days_ago), *more)


def test_a_call_agreed_past_the_cadence_is_the_one_item_and_no_one_is_out_of_touch(
    run: Run, run_json: RunJson
) -> None:
    weekly_client_called(run, 9, "--next", moment(3))
    assert items(run_json("agenda")) == [("Dana Levi", False, "PUR007", "nothing urgent")]
    assert "ATT001" not in codes(run_json("review", "Dana Levi"))


def test_a_call_agreed_before_the_cadence_comes_due_stands_for_it(
    run: Run, run_json: RunJson
) -> None:
    weekly_client_called(run, 1, "--next", moment(3))
    assert items(run_json("agenda")) == [("Dana Levi", False, "PUR007", "nothing urgent")]


def test_twin_a_call_with_no_next_contact_is_out_of_touch_after_the_cadence(
    run: Run, run_json: RunJson
) -> None:
    weekly_client_called(run, 9)
    assert items(run_json("agenda")) == [("Dana Levi", True, "ATT001", "call")]
    assert "ATT001" in codes(run_json("review", "Dana Levi"))


def codes(review: dict[str, Any]) -> set[str]:
    """The codes of every finding in a client's review document."""
    return {found["code"] for module in review["modules"].values() for found in module["findings"]}
