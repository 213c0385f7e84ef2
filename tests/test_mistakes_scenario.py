"""Three clients leave; the patterns show which lesson keeps coming back.

One left with a vague, hesitant reason after a misunderstanding that a vague
contract allowed; one left for a competitor's discount with nothing done wrong;
one more misunderstanding came from a vague contract again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from relog.patterns import find_patterns
from relog.store import open_store

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run

LIST_PLAN = "Write a clear list of what is included"
WRITING_PLAN = "Agree each deliverable in writing"


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.fixture
def three_departures(run: Run) -> None:
    for name in ("Orly Design", "Hadar Studio", "Tal Consulting"):
        run("client", "add", name, "--stage", "active")
    run("client", "add", "Noa Cohen", "--stage", "prospect")
    run("add", "call", "Noa Cohen", "--by", "them", "--at", "2 days ago")

    run("client", "end", "Orly Design", "--reason", "It was lovely, maybe another time")
    run(
        "mistakes",
        input=answers(
            "Orly",
            "vague",
            "y",
            "They expected the monthly package to include ad management",
            "understanding",
            "vague-contract",
            "The proposal only said 'marketing support'",
            LIST_PLAN,
            "in 2 weeks",
            "y",
        ),
    )

    run("client", "end", "Hadar Studio", "--reason", "A competitor offered a discount")
    run(
        "mistakes",
        "add",
        "--client",
        "Hadar",
        "--kind",
        "none",
        "--cause",
        "none",
        "--third-party",
        "--cause-note",
        "Went for a competitor's discount coupon",
    )

    run("client", "end", "Tal Consulting", "--reason", "Not happy with the deliverables")
    run(
        "mistakes",
        "add",
        "--client",
        "Tal",
        "--what",
        "Delivered two pages where four were meant",
        "--kind",
        "understanding",
        "--cause",
        "vague-contract",
        "--plan",
        WRITING_PLAN,
        "--due",
        "in 10 days",
        "--no-third-party",
    )


def patterns_json(run: Run, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(run("mistakes", "patterns", "--json", *args).stdout)
    return document


@pytest.mark.usefixtures("three_departures")
def test_vague_contract_is_the_lesson_that_keeps_coming_back(run: Run) -> None:
    patterns = patterns_json(run)
    assert patterns["post_mortems"] == 3
    assert patterns["no_mistake"] == 1
    assert patterns["causes"] == [{"cause": "vague-contract", "count": 2}]
    assert patterns["kinds"] == [{"kind": "understanding", "count": 2}]
    assert patterns["recurring_causes"] == ["vague-contract"]
    assert patterns["third_party"] == {"suspected": 2, "plain": 1, "unknown": 0, "share": 0.667}
    assert [p["plan"] for p in patterns["open_plans"]] == [WRITING_PLAN, LIST_PLAN]
    assert patterns["plans"] == {
        "made": 2,
        "done": 0,
        "open": 2,
        "overdue": 0,
        "median_days_to_close": None,
        "mean_days_to_close": None,
    }

    text = run("mistakes", "patterns").stdout
    assert "The lesson that keeps coming back: vague-contract, in 2 post-mortems" in text
    assert LIST_PLAN in text and WRITING_PLAN in text
    assert "A third party was suspected in 2 of 3 (67%)" in text


@pytest.mark.usefixtures("three_departures")
def test_a_plan_past_its_date_is_flagged_overdue(run: Run, journal: Path) -> None:
    store = open_store(journal)
    try:
        log = store.mistakes()
        clients = store.clients()
    finally:
        store.close()
    now = datetime.now(UTC)
    assert find_patterns(log, now, clients=clients).overdue == ()
    in_twelve_days = find_patterns(log, now + timedelta(days=12), clients=clients)
    assert [m.plan for m in in_twelve_days.overdue] == [WRITING_PLAN]
    in_three_weeks = find_patterns(log, now + timedelta(days=21), clients=clients)
    assert [m.plan for m in in_three_weeks.overdue] == [WRITING_PLAN, LIST_PLAN]
    assert all(m.overdue_at(now + timedelta(days=21)) for m in in_three_weeks.overdue)

    # The same through the command line, once the date has come and gone.
    tal = next(m for m in log if m.plan == WRITING_PLAN)
    run("mistakes", "edit", str(tal.id), "--due", "2 days ago")
    patterns = patterns_json(run)
    assert [m["id"] for m in patterns["overdue"]] == [tal.id]
    assert patterns["plans"]["overdue"] == 1
    text = run("mistakes", "patterns").stdout
    assert "Overdue" in text and "Tal Consulting" in text

    run("mistakes", "done", str(tal.id))
    patterns = patterns_json(run)
    assert patterns["overdue"] == []
    assert patterns["plans"]["done"] == 1
    assert patterns["plans"]["median_days_to_close"] == 0.0


@pytest.mark.usefixtures("three_departures")
def test_the_open_plans_are_listed(run: Run) -> None:
    document = json.loads(run("mistakes", "list", "--open", "--json").stdout)
    assert {m["client"] for m in document["mistakes"]} == {"Orly Design", "Tal Consulting"}


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.usefixtures("three_departures")
def test_the_views_fit_a_narrow_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for args in (("mistakes", "list"), ("mistakes", "patterns"), ("mistakes", "list", "--open")):
        out = run(*args).stdout
        assert out.strip()
        too_wide = [line for line in out.splitlines() if len(line.rstrip()) > width]
        assert too_wide == [], f"{args} at {width} columns"

    run("client", "end", "Noa Cohen", "--reason", "Chose someone else")
    flow = run(
        "mistakes",
        input=answers(
            "Noa",
            "plain",
            "y",
            "Sent the proposal late",
            "service",
            "other",
            "",
            "Send proposals within two days",
            "",
            "y",
        ),
    ).stdout
    shown = flow[flow.index("Your post-mortem") : flow.index("Save this post-mortem?")]
    shown += flow[flow.index("Looking forward") :]
    too_wide = [line for line in shown.splitlines() if len(line.rstrip()) > width]
    assert too_wide == [], f"the summary and the way forward at {width} columns"
