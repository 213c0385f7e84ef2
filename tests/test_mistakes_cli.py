"""`relog mistakes add/list/done/edit/delete/patterns`: every flag, and every bad value."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import typer.main
from typer.core import TyperGroup

from relog.cli import app
from relog.cli.mistakes import mistakes_app
from relog.domain import Cause, MistakeData, MistakeKind
from relog.store import open_store

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Run

    RunJson = Callable[..., Any]

SCOPE = "We read the scope differently"
PLAN = "Write a clear list of what is included"
MADE = MistakeData(
    id=0,
    client_id=0,
    client_name="",
    created_at=datetime.now(UTC),
    what=SCOPE,
    kind=MistakeKind.UNDERSTANDING,
    cause=Cause.VAGUE_CONTRACT,
    plan=PLAN,
)
"""A post-mortem to put in the journal directly, to set when it was made."""


@pytest.fixture(autouse=True)
def clients(run: Run) -> None:
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "add", "Beta Co", "--stage", "active")


GOOD = {
    "--client": "Acme",
    "--what": SCOPE,
    "--kind": "service",
    "--cause": "other",
    "--plan": PLAN,
}


def argv(**changes: str | None) -> list[str]:
    """A good `mistakes add` command line with some options changed (None leaves one out)."""
    options = {**GOOD, **{f"--{key.replace('_', '-')}": value for key, value in changes.items()}}
    return [part for flag, value in options.items() if value is not None for part in (flag, value)]


def add(run: Run, *extra: str, client: str = "Acme", code: int = 0) -> Any:
    """An understanding mistake caused by a vague contract, with a plan and no due date."""
    args = argv(client=client, kind="understanding", cause="vague-contract")
    return run("mistakes", "add", *args, *extra, code=code)


def rows(run_json: RunJson, *args: str) -> list[dict[str, Any]]:
    document: dict[str, list[dict[str, Any]]] = run_json("mistakes", "list", *args)
    return document["mistakes"]


def wall(moment: datetime) -> datetime:
    """The moment as the local clock shows it."""
    return moment.astimezone().replace(tzinfo=None)


def assert_days_ahead(due: datetime, days: int, before: datetime, after: datetime) -> None:
    """`due` is the end of the day `days` days after a moment between `before` and `after`.

    A due date given as a day ("in 2 weeks", "friday") runs to the end of that
    day, counted on the local calendar, so a change to or from daylight saving
    time in between does not matter.
    """
    ahead = timedelta(days=days)
    days_meant = {(wall(before) + ahead).date(), (wall(after) + ahead).date()}
    assert wall(due).date() in days_meant and wall(due).time() == time.max, (
        f"due {wall(due)} is not the end of the day {days} days after {wall(before)}"
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("relog: error: ")
    return lines[0]


# add ----------------------------------------------------------------------------


def test_add_with_every_flag(run: Run, run_json: RunJson) -> None:
    before = datetime.now(UTC)
    shown = run_json(
        "mistakes",
        "add",
        "--client",
        "acme",
        "--what",
        f"  {SCOPE}  ",
        "--kind",
        "understanding",
        "--cause",
        "vague-contract",
        "--cause-note",
        "No written scope",
        "--plan",
        PLAN,
        "--due",
        "in 2 weeks",
        "--third-party",
    )
    assert shown["id"] == 1
    assert shown["client"] == "Acme Ltd"
    assert shown["what"] == SCOPE, "spacing is tidied"
    assert (shown["kind"], shown["cause"]) == ("understanding", "vague-contract")
    assert shown["cause_note"] == "No written scope"
    assert shown["plan"] == PLAN
    assert shown["third_party"] is True
    assert shown["open"] is True and shown["done_at"] is None
    assert_days_ahead(datetime.fromisoformat(shown["due"]), 14, before, datetime.now(UTC))
    assert rows(run_json) == [shown], "what add prints is what the journal holds"


@pytest.mark.parametrize(
    ("flag", "expected"), [("--third-party", True), ("--no-third-party", False)]
)
def test_third_party_flags(run: Run, run_json: RunJson, flag: str, expected: bool) -> None:
    add(run, flag)
    assert rows(run_json)[0]["third_party"] is expected


def test_third_party_unknown_when_not_given(run: Run, run_json: RunJson) -> None:
    add(run)
    assert rows(run_json)[0]["third_party"] is None


def test_kind_and_cause_ignore_case(run: Run, run_json: RunJson) -> None:
    run(
        "mistakes",
        "add",
        "--client",
        "Acme",
        "--what",
        SCOPE,
        "--kind",
        "SERVICE",
        "--cause",
        "Knowledge-Gap",
        "--plan",
        PLAN,
    )
    row = rows(run_json)[0]
    assert (row["kind"], row["cause"]) == ("service", "knowledge-gap")


def test_no_mistake_found_needs_no_what_and_no_plan(run: Run, run_json: RunJson) -> None:
    result = run(
        "mistakes",
        "add",
        "--client",
        "Beta",
        "--kind",
        "none",
        "--cause",
        "none",
        "--third-party",
        "--cause-note",
        "Left for a competitor's discount",
    )
    assert "Saved post-mortem #1 for Beta Co." in result.stdout
    row = rows(run_json)[0]
    assert row["what"] == "No mistake found"
    assert (row["kind"], row["cause"], row["plan"], row["due"]) == ("none", "none", "", None)
    assert row["open"] is False


def test_no_mistake_found_may_still_carry_a_plan(run: Run, run_json: RunJson) -> None:
    run(
        "mistakes",
        "add",
        "--client",
        "Beta",
        "--kind",
        "none",
        "--cause",
        "none",
        "--plan",
        "Offer a yearly price",
        "--due",
        "in 10 days",
    )
    assert rows(run_json)[0]["open"] is True


def test_a_plan_without_a_date_is_nudged(run: Run) -> None:
    result = add(run)
    assert "set one with relog mistakes edit 1 --due" in result.stdout


def test_a_past_due_date_is_accepted_and_shows_as_overdue(run: Run, run_json: RunJson) -> None:
    result = add(run, "--due", "3 days ago")
    assert "shows as overdue" in result.stdout
    assert run_json("mistakes", "patterns")["plans"]["overdue"] == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (argv(kind="nope"), 2, "--kind': 'nope' is not one of 'professional'"),
        (argv(cause="nope"), 2, "--cause': 'nope' is not one of 'vague-contract'"),
        (argv(kind=None), 2, "--kind is required: professional (a flaw in the work)"),
        (argv(cause=None), 2, "--cause is required: vague-contract, knowledge-gap"),
        (argv(client=None), 2, "Missing option '--client'"),
        (argv(what=None), 2, "--what is required"),
        (argv(what="   "), 2, "--what is empty"),
        (argv(plan=None), 2, "--plan is required"),
        (argv(plan="  "), 2, "--plan is required"),
        (
            argv(kind="none", cause="vague-contract", plan=None),
            2,
            "--kind none goes with --cause none",
        ),
        (argv(cause="none"), 2, "--cause none goes with --kind none"),
        (argv(due="blorp"), 2, "--due: cannot read 'blorp'"),
        (argv(due=""), 2, "--due: empty date"),
        (argv(kind="none", cause="none", plan=None, due="friday"), 2, "--due goes with --plan"),
        (argv(client="Zed"), 3, "no client named 'Zed'"),
        (argv(client=" "), 2, "client name is empty"),
        ([*argv(), "--third-party", "maybe"], 2, "unexpected extra argument"),
        ([*argv(), "--cause-note"], 2, "--cause-note' requires an argument"),
    ],
)
def test_add_refuses_bad_values_and_saves_nothing(
    run: Run, run_json: RunJson, args: list[str], code: int, message: str
) -> None:
    result = run("mistakes", "add", *args, code=code)
    assert message.casefold() in one_error_line(result.stderr).casefold()
    assert result.stdout == ""
    assert rows(run_json) == []


# one post-mortem per departure ------------------------------------------------------


def test_add_refuses_a_second_post_mortem_for_the_same_departure(
    run: Run, run_json: RunJson
) -> None:
    run("client", "end", "Acme", "--reason", "Maybe later")
    add(run)
    before = rows(run_json)
    result = run("mistakes", "add", *argv(kind="service", cause="other"), "--json", code=2)
    today = f"{datetime.now().astimezone():%Y-%m-%d}"
    assert one_error_line(result.stderr) == (
        f"relog: error: Acme Ltd already has post-mortem #1 for this departure (saved {today}); "
        "change it with 'relog mistakes edit 1'"
    )
    assert result.stdout == ""
    assert rows(run_json) == before


def test_a_client_who_came_back_and_left_again_gets_a_new_post_mortem(
    run: Run, run_json: RunJson
) -> None:
    """A post-mortem counts for the departure that stands when made after the client's end."""
    run("client", "end", "Acme", "--reason", "Maybe later")
    add(run)
    run("client", "edit", "Acme", "--stage", "active")
    add(run)  # back as a client: no departure stands, so nothing to refuse
    run("client", "end", "Acme", "--reason", "Left for a competitor")
    add(run)
    add(run, code=2)
    assert [r["id"] for r in rows(run_json)] == [3, 2, 1]
    assert run_json("mistakes", "patterns")["post_mortems"] == 3


def test_a_post_mortem_cannot_be_moved_onto_a_departure_that_has_one(
    run: Run, run_json: RunJson
) -> None:
    run("client", "end", "Acme", "--reason", "Maybe later")
    run("client", "end", "Beta", "--reason", "In-house now")
    add(run)
    add(run, client="Beta")
    before = rows(run_json)
    result = run("mistakes", "edit", "2", "--client", "Acme", code=2)
    assert "Acme Ltd already has post-mortem #1 for this departure" in one_error_line(result.stderr)
    assert rows(run_json) == before
    run("mistakes", "edit", "1", "--client", "Acme", "--plan", "List every deliverable")


def test_patterns_count_the_latest_post_mortem_of_a_departure_once(
    run: Run, run_json: RunJson, journal: Path
) -> None:
    """A journal from before the refusal may hold two post-mortems for one departure."""
    run("client", "end", "Acme", "--reason", "Maybe later", "--at", "3 days ago")
    store = open_store(journal)
    try:
        acme = store.find_client("Acme")
        first = replace(MADE, client_id=acme.id, created_at=datetime.now(UTC) - timedelta(days=2))
        store.add_mistake(first)
        store.add_mistake(
            replace(
                first,
                created_at=first.created_at + timedelta(hours=1),
                kind=MistakeKind.SERVICE,
                cause=Cause.OTHER,
            )
        )
    finally:
        store.close()
    patterns = run_json("mistakes", "patterns")
    assert patterns["post_mortems"] == 1
    assert patterns["causes"] == [{"cause": "other", "count": 1}]
    assert [m["id"] for m in patterns["open_plans"]] == [2]
    assert "Patterns across 1 post-mortem " in run("mistakes", "patterns").stdout
    assert len(rows(run_json)) == 2, "the log itself keeps both"


# list -----------------------------------------------------------------------------


def test_list_newest_first_and_filters(run: Run, run_json: RunJson) -> None:
    add(run, "--due", "in 2 weeks")
    add(run, client="Beta")
    run("mistakes", "add", "--client", "Beta", "--kind", "none", "--cause", "none")
    run("mistakes", "done", "2")
    assert [r["id"] for r in rows(run_json)] == [3, 2, 1]
    assert [r["id"] for r in rows(run_json, "--open")] == [1]
    assert [r["id"] for r in rows(run_json, "--client", "beta")] == [3, 2]
    assert rows(run_json, "--open", "--client", "Beta") == []


def test_list_text(run: Run) -> None:
    assert "The mistakes log is empty" in run("mistakes", "list").stdout
    add(run, "--due", "in 2 weeks", "--third-party", "--cause-note", "No written scope")
    run("mistakes", "add", "--client", "Beta", "--kind", "none", "--cause", "none")
    out = run("mistakes", "list").stdout
    assert out.index("#2") < out.index("#1")
    for part in (
        "Acme Ltd",
        "understanding, caused by vague-contract",
        "third party suspected",
        SCOPE,
        "note: No written scope",
        f"plan: {PLAN}",
        "(in 14 days)",
        "no mistake found",
        "no plan needed",
    ):
        assert part in out
    assert out.count("No mistake found") == 0, "the placeholder is not repeated"
    assert "No post-mortem matches." in run("mistakes", "list", "--open", "--client", "Beta").stdout


def test_list_unknown_client(run: Run) -> None:
    result = run("mistakes", "list", "--client", "Zed", code=3)
    assert "no client named 'Zed'" in one_error_line(result.stderr)


# done -------------------------------------------------------------------------------


def test_done_closes_the_plan_once(run: Run, run_json: RunJson) -> None:
    add(run, "--due", "in 2 weeks")
    before = datetime.now(UTC)
    shown = run_json("mistakes", "done", "1")
    assert shown["open"] is False
    assert before <= datetime.fromisoformat(shown["done_at"]) <= datetime.now(UTC)
    assert rows(run_json)[0] == shown
    again = run("mistakes", "done", "1", code=2)
    assert "already marked done" in one_error_line(again.stderr)
    assert rows(run_json)[0]["done_at"] == shown["done_at"]


def test_done_text(run: Run) -> None:
    add(run)
    assert f"Carried out: {PLAN} (#1)" in run("mistakes", "done", "1").stdout


def test_done_needs_a_plan_and_a_known_id(run: Run) -> None:
    run("mistakes", "add", "--client", "Beta", "--kind", "none", "--cause", "none")
    assert "no action plan" in one_error_line(run("mistakes", "done", "1", code=2).stderr)
    assert "no post-mortem with id 9" in one_error_line(run("mistakes", "done", "9", code=3).stderr)
    assert "Invalid value for 'ID'" in one_error_line(run("mistakes", "done", "x", code=2).stderr)


# edit -----------------------------------------------------------------------------------


def test_edit_changes_only_what_is_given(run: Run, run_json: RunJson) -> None:
    add(run, "--due", "in 2 weeks", "--third-party", "--cause-note", "No written scope")
    before = rows(run_json)[0]
    shown = run_json("mistakes", "edit", "1", "--plan", "List every deliverable")
    assert shown["plan"] == "List every deliverable"
    assert {k: v for k, v in shown.items() if k != "plan"} == {
        k: v for k, v in before.items() if k != "plan"
    }


def test_edit_every_flag(run: Run, run_json: RunJson) -> None:
    add(run, "--due", "in 2 weeks", "--third-party")
    before = datetime.now(UTC)
    shown = run_json(
        "mistakes",
        "edit",
        "1",
        "--client",
        "Beta",
        "--what",
        "Late answers",
        "--kind",
        "service",
        "--cause",
        "knowledge-gap",
        "--cause-note",
        "New tool",
        "--plan",
        "Take a course",
        "--due",
        "in 3 days",
        "--no-third-party",
    )
    assert shown["client"] == "Beta Co"
    assert (shown["what"], shown["kind"], shown["cause"]) == (
        "Late answers",
        "service",
        "knowledge-gap",
    )
    assert (shown["cause_note"], shown["plan"], shown["third_party"]) == (
        "New tool",
        "Take a course",
        False,
    )
    assert_days_ahead(datetime.fromisoformat(shown["due"]), 3, before, datetime.now(UTC))
    assert rows(run_json)[0] == shown


def test_edit_due_none_clears_it(run: Run, run_json: RunJson) -> None:
    add(run, "--due", "in 2 weeks")
    result = run("mistakes", "edit", "1", "--due", "none")
    assert "Updated post-mortem #1" in result.stdout
    assert rows(run_json)[0]["due"] is None


def test_edit_to_no_mistake_found(run: Run, run_json: RunJson) -> None:
    add(run)
    run("mistakes", "edit", "1", "--kind", "none", "--cause", "none", "--plan", "")
    row = rows(run_json)[0]
    assert (row["kind"], row["cause"], row["plan"], row["open"]) == ("none", "none", "", False)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1"], 2, "nothing to change"),
        (["1", "--kind", "none"], 2, "--kind none goes with --cause none"),
        (["1", "--cause", "none"], 2, "--cause none goes with --kind none"),
        (["1", "--plan", ""], 2, "--plan is required"),
        (["1", "--what", " "], 2, "--what is empty"),
        (["1", "--due", "blorp"], 2, "--due: cannot read 'blorp'"),
        (["1", "--kind", "nope"], 2, "'nope' is not one of"),
        (["1", "--client", "Zed"], 3, "no client named 'Zed'"),
        (["9", "--plan", "x"], 3, "no post-mortem with id 9"),
    ],
)
def test_edit_refuses_bad_values_and_changes_nothing(
    run: Run, run_json: RunJson, args: list[str], code: int, message: str
) -> None:
    add(run, "--due", "in 2 weeks")
    before = rows(run_json)
    result = run("mistakes", "edit", *args, code=code)
    assert message in one_error_line(result.stderr)
    assert rows(run_json) == before


# delete ---------------------------------------------------------------------------------


def test_delete_asks_first(run: Run, run_json: RunJson) -> None:
    add(run)
    result = run("mistakes", "delete", "1", input="n\n", code=1)
    assert SCOPE in result.stdout, "the entry is shown before the question"
    assert "Nothing was deleted." in result.stderr
    assert len(rows(run_json)) == 1
    assert "Deleted post-mortem #1." in run("mistakes", "delete", "1", input="y\n").stdout
    assert rows(run_json) == []


def test_delete_yes_and_unknown_id(run: Run, run_json: RunJson) -> None:
    add(run)
    run("mistakes", "delete", "1", "--yes")
    assert rows(run_json) == []
    result = run("mistakes", "delete", "1", "--yes", code=3)
    assert "no post-mortem with id 1" in one_error_line(result.stderr)


def test_deleting_a_client_deletes_their_post_mortems(run: Run, run_json: RunJson) -> None:
    add(run)
    add(run, client="Beta")
    run("client", "delete", "Acme Ltd", "--yes")
    assert [r["client"] for r in rows(run_json)] == ["Beta Co"]


# patterns ---------------------------------------------------------------------------------


def test_patterns_of_an_empty_log(run: Run, run_json: RunJson) -> None:
    assert "No post-mortems yet" in run("mistakes", "patterns").stdout
    document = run_json("mistakes", "patterns")
    assert document["post_mortems"] == 0
    assert document["third_party"]["share"] is None
    assert document["plans"]["median_days_to_close"] is None
    assert document["causes"] == document["open_plans"] == document["overdue"] == []


def test_patterns_as_of(run: Run, run_json: RunJson) -> None:
    add(run, "--due", "3 days ago")
    assert run_json("mistakes", "patterns", "--as-of", "1 hour ago")["post_mortems"] == 0
    now = run_json("mistakes", "patterns", "--as-of", "in 1 minute")
    assert now["post_mortems"] == 1
    assert [m["id"] for m in now["overdue"]] == [1]


def test_a_bare_as_of_date_is_the_same_moment_in_patterns_and_review(
    run: Run, run_json: RunJson, journal: Path
) -> None:
    """`--as-of DAY` is the end of that day in both: a plan due at 15:00 that day is late."""
    day = (datetime.now().astimezone() - timedelta(days=3)).date()
    due = datetime.combine(day, time(15, 0)).astimezone()
    store = open_store(journal)
    try:
        acme = store.find_client("Acme")
        made = replace(MADE, client_id=acme.id, created_at=due - timedelta(days=10), due=due)
        saved = store.add_mistake(made)
    finally:
        store.close()
    patterns = run_json("mistakes", "patterns", "--as-of", day.isoformat())
    review = run_json("review", "--as-of", day.isoformat())
    end_of_day = datetime.combine(day, time.max).astimezone()
    assert datetime.fromisoformat(patterns["as_of"]) == end_of_day
    assert datetime.fromisoformat(review["as_of"]) == end_of_day
    assert [m["id"] for m in patterns["overdue"]] == [saved.id]
    assert "POR003" in [finding["code"] for finding in review["findings"]]


def test_patterns_and_review_explain_as_of_alike() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    mistakes = root.commands["mistakes"]
    assert isinstance(mistakes, TyperGroup)
    helps = {
        getattr(next(p for p in command.params if p.name == "as_of"), "help", None)
        for command in (root.commands["review"], mistakes.commands["patterns"])
    }
    assert len(helps) == 1
    assert "a day ('2026-03-31', 'last friday') means its end" in str(helps.pop())


@pytest.mark.parametrize(
    ("value", "message"),
    [("blorp", "--as-of: cannot read 'blorp'"), ("in 3 days", "is in the future")],
)
def test_patterns_refuses_a_bad_as_of(run: Run, value: str, message: str) -> None:
    result = run("mistakes", "patterns", "--as-of", value, code=2)
    assert message in one_error_line(result.stderr)


def test_done_plans_count_how_long_they_took(run: Run, run_json: RunJson) -> None:
    add(run, "--due", "in 2 weeks")
    run("mistakes", "done", "1")
    plans = run_json("mistakes", "patterns")["plans"]
    assert (plans["made"], plans["done"], plans["open"], plans["overdue"]) == (1, 1, 0, 0)
    assert plans["median_days_to_close"] == plans["mean_days_to_close"] == 0.0


# help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [c.name for c in mistakes_app.registered_commands])
def test_every_command_has_help(run: Run, name: str) -> None:
    result = run("mistakes", str(name), "--help")
    assert "Usage: relog mistakes" in result.stdout
    command = next(c for c in mistakes_app.registered_commands if c.name == name)
    assert command.callback is not None and command.callback.__doc__


def test_the_group_help_explains_the_guided_flow(run: Run) -> None:
    out = run("mistakes", "--help").stdout
    assert "post-mortem" in out
    for name in ("add", "list", "done", "edit", "delete", "patterns"):
        assert name in out
