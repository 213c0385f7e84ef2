"""The guided post-mortem, driven the way a user drives it: answers on standard input."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
import typer
from typer.testing import CliRunner

from relog.cli.mistakes import DEFAULT_DUE, _due_answer, run_postmortem
from tests.test_mistakes_cli import assert_days_ahead

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.conftest import Run

ABORTED = "relog: error: aborted; nothing was saved"
INPUT_ENDED = "relog: error: input ended before the last answer; nothing was saved"

SCOPE = "We read the scope of the landing page differently"
PLAN = "Write a clear list of what is included"


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def saved(run: Run) -> list[dict[str, Any]]:
    document: dict[str, list[dict[str, Any]]] = json.loads(run("mistakes", "list", "--json").stdout)
    return document["mistakes"]


@pytest.fixture
def departed(run: Run) -> None:
    """Two clients who left (Acme most recently), an active client and a prospect."""
    run("client", "add", "Beta Co", "--stage", "active")
    run("client", "end", "Beta Co", "--reason", "Moved the work in-house", "--at", "10 days ago")
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "It was great, maybe later")
    run("client", "add", "Dana Levi", "--stage", "active")
    run("client", "add", "Noa Cohen", "--stage", "prospect")


@pytest.mark.usefixtures("departed")
def test_the_whole_post_mortem_is_saved_as_answered(run: Run) -> None:
    before = datetime.now(UTC)
    result = run(
        "mistakes",
        input=answers(
            "1",
            "vague",
            "y",
            SCOPE,
            "understanding",
            "vague-contract",
            "No written scope",
            PLAN,
            "in 2 weeks",
            "y",
        ),
    )
    menu = result.stdout.index("1. Acme Ltd")
    assert menu < result.stdout.index("2. Beta Co"), "the most recent departure comes first"
    assert "Saved post-mortem #1 for Acme Ltd." in result.stdout
    [row] = saved(run)
    assert row["client"] == "Acme Ltd"
    assert row["what"] == SCOPE
    assert row["kind"] == "understanding"
    assert row["cause"] == "vague-contract"
    assert row["cause_note"] == "No written scope"
    assert row["plan"] == PLAN
    assert row["third_party"] is True
    assert row["done_at"] is None
    assert row["open"] is True
    assert_days_ahead(datetime.fromisoformat(row["due"]), 14, before, datetime.now(UTC))


@pytest.fixture
def new_york() -> Iterator[None]:
    """Local time is New York's, where the clocks go back an hour on 2026-11-01."""
    if not hasattr(time, "tzset"):
        pytest.skip("the local time zone can only be changed where time.tzset exists")
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


@pytest.mark.usefixtures("new_york")
def test_the_default_due_date_is_two_weeks_ahead_across_a_clock_change() -> None:
    now = datetime(2026, 10, 25, 12, 30, tzinfo=ZoneInfo("America/New_York"))
    due = _due_answer(now)(DEFAULT_DUE)
    assert due is not None
    # The clocks went back in between: the due day is still 14 days ahead on the calendar.
    assert f"{due.astimezone(now.tzinfo):%Y-%m-%d %H:%M}" == "2026-11-08 23:59"
    assert_days_ahead(due, 14, now, now)


@pytest.mark.usefixtures("departed")
def test_the_summary_is_shown_before_the_question_to_save(run: Run) -> None:
    result = run(
        "mistakes",
        input=answers("1", "plain", "y", SCOPE, "service", "other", "", PLAN, "friday", "y"),
    )
    summary = result.stdout.index("Your post-mortem")
    question = result.stdout.index("Save this post-mortem?")
    shown = result.stdout[summary:question]
    for part in ("Acme Ltd", "plain reason", SCOPE, "service", "other", PLAN):
        assert part in shown


@pytest.mark.usefixtures("departed")
def test_short_and_differently_cased_answers_are_understood(run: Run) -> None:
    run(
        "mistakes",
        input=answers("ACME", "V", "yes", SCOPE, "UNDER", "vague", "", PLAN, "", ""),
    )
    [row] = saved(run)
    assert (row["client"], row["kind"], row["cause"]) == (
        "Acme Ltd",
        "understanding",
        "vague-contract",
    )
    assert row["third_party"] is True
    assert row["due"] is not None, "Enter takes the default due date"


@pytest.mark.usefixtures("departed")
def test_a_bad_answer_is_explained_and_asked_again(run: Run) -> None:
    tries = [
        ("7", "Zed", "1"),  # the client: out of range, unknown, then the first
        ("maybe", "plain"),  # their reason
        ("perhaps", "y"),  # was there a mistake
        ("   ", SCOPE),  # what: blank, then described
        ("bad-kind", "service"),  # its kind
        ("x", "knowledge-gap"),  # the cause
        ("",),  # no note
        ("  ", "Take a course"),  # the plan
        ("blorp", "2020-01-01", "none"),  # due: unreadable, past, then none
        ("y",),
    ]
    result = run("mistakes", input=answers(*(answer for step in tries for answer in step)))
    out = result.stdout
    assert "Error: pick a number from 1 to 2, or type a name" in out
    assert "Error: no client named 'Zed'" in out
    assert "Error: 'maybe' is not one of: plain, vague, unknown" in out
    assert "Error: 'perhaps' is not one of: yes, no" in out
    assert "Error: a description is needed" in out
    assert "Error: 'bad-kind' is not one of: professional, service, understanding, other" in out
    assert (
        "Error: 'x' is not one of: vague-contract, knowledge-gap, aggressive-client, other" in out
    )
    assert "Error: a plan is needed" in out
    assert "Error: due date: cannot read 'blorp' as a date" in out
    assert "Error: 2020-01-01 has passed; give a date from today on" in out
    [row] = saved(run)
    assert (row["kind"], row["cause"], row["plan"]) == ("service", "knowledge-gap", "Take a course")
    assert row["third_party"] is False
    assert row["due"] is None
    assert row["cause_note"] == ""
    assert "set one with relog mistakes edit 1 --due" in out, "a plan without a date is nudged"


@pytest.mark.usefixtures("departed")
def test_a_blank_answer_to_a_question_without_a_default_is_explained(run: Run) -> None:
    tries = [
        ("", "1"),  # the client
        ("plain",),  # their reason
        ("", "y"),  # was there a mistake
        ("", SCOPE),  # what
        ("", "service"),  # its kind
        ("", "other"),  # the cause
        ("",),  # no note
        ("", PLAN),  # the plan
        ("none",),  # no due date
        ("y",),
    ]
    out = run("mistakes", input=answers(*(answer for step in tries for answer in step))).stdout
    assert "Error: pick a number from the list, or type a name" in out
    assert "Error: an answer is needed: yes or no" in out
    assert "Error: a description is needed" in out
    assert "Error: an answer is needed: one of professional, service, understanding, other" in out
    assert "Error: an answer is needed: one of vague-contract, knowledge-gap" in out
    assert "Error: a plan is needed" in out
    [row] = saved(run)
    assert (row["what"], row["kind"], row["cause"], row["plan"]) == (
        SCOPE,
        "service",
        "other",
        PLAN,
    )


def test_a_one_client_menu_asks_for_1(run: Run) -> None:
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    out = run("mistakes", input=answers("2", "1", "plain", "n", "", "y")).stdout
    assert "Error: pick 1, or type a name" in out
    assert "from 1 to 1" not in out
    assert saved(run)[0]["client"] == "Acme Ltd"


@pytest.mark.usefixtures("departed")
def test_no_mistake_found_is_a_valid_outcome(run: Run) -> None:
    result = run(
        "mistakes",
        input=answers("2", "vague", "n", "Left for a competitor's discount", "y"),
    )
    assert "1 of 3" not in result.stdout, "no mistake, no three parts"
    [row] = saved(run)
    assert row["client"] == "Beta Co"
    assert (row["kind"], row["cause"]) == ("none", "none")
    assert row["what"] == "No mistake found"
    assert row["cause_note"] == "Left for a competitor's discount"
    assert (row["plan"], row["due"], row["open"]) == ("", None, False)
    assert row["third_party"] is True


@pytest.mark.usefixtures("departed")
def test_an_unknown_reason_is_the_default(run: Run) -> None:
    run("mistakes", input=answers("1", "", "n", "", "y"))
    [row] = saved(run)
    assert row["third_party"] is None
    assert row["cause_note"] == ""


@pytest.mark.usefixtures("departed")
def test_a_client_who_has_not_ended_may_be_chosen(run: Run) -> None:
    result = run("mistakes", input=answers("Dana", "plain", "n", "", "y"))
    assert "Dana Levi is active; if they have left" in result.stdout
    [row] = saved(run)
    assert row["client"] == "Dana Levi"


def test_any_client_is_offered_when_nobody_has_left(run: Run) -> None:
    run("client", "add", "Dana Levi", "--stage", "active")
    result = run("mistakes", input=answers("dana", "plain", "n", "", "y"))
    assert "No relationship has ended yet" in result.stdout
    assert saved(run)[0]["client"] == "Dana Levi"


# one post-mortem per departure ------------------------------------------------------


def add_for_acme(run: Run, *extra: str) -> dict[str, Any]:
    args = ["--client", "Acme", "--what", SCOPE, "--kind", "understanding"]
    args += ["--cause", "vague-contract", "--plan", PLAN, *extra]
    shown: dict[str, Any] = json.loads(run("mistakes", "add", *args, "--json").stdout)
    return shown


@pytest.mark.usefixtures("departed")
def test_the_menu_marks_a_client_whose_post_mortem_is_saved(run: Run) -> None:
    add_for_acme(run)
    out = run("mistakes", input=answers("2", "plain", "n", "", "y")).stdout
    today = f"{datetime.now().astimezone():%Y-%m-%d}"
    menu = out[: out.index("Which client?")].splitlines()
    [acme] = [line for line in menu if "1. Acme Ltd" in line]
    [beta] = [line for line in menu if "2. Beta Co" in line]
    assert f"Acme Ltd (post-mortem #1 saved {today})" in acme
    assert "post-mortem" not in beta
    assert [row["client"] for row in saved(run)] == ["Beta Co", "Acme Ltd"]


@pytest.mark.usefixtures("departed")
def test_a_saved_post_mortem_is_revised_with_its_answers_as_defaults(run: Run) -> None:
    before = add_for_acme(run, "--due", "3 days ago", "--third-party", "--cause-note", "Rushed")
    result = run(
        "mistakes",
        # the client, revise it, then Enter keeps each answer but the note and the plan
        input=answers("1", "", "", "", "", "", "", "-", "Send a written scope first", "", "y"),
    )
    out = result.stdout
    assert "Acme Ltd already has post-mortem #1 for this departure" in out
    assert "Revise it?" in out
    assert f"[{SCOPE}]" in out, "the saved answer is offered as the default"
    assert "Save the changes to post-mortem #1?" in out
    assert "Updated post-mortem #1 for Acme Ltd." in out
    assert "Looking forward" in out
    [row] = saved(run)
    assert row["plan"] == "Send a written scope first"
    assert row["cause_note"] == "", "'-' clears a saved note"
    assert row["due"] == before["due"], "a due date that has passed is kept as it was"
    unchanged = ("id", "created_at", "what", "kind", "cause", "third_party", "done_at")
    assert {key: row[key] for key in unchanged} == {key: before[key] for key in unchanged}


@pytest.mark.usefixtures("departed")
def test_a_no_mistake_post_mortem_is_revised_keeping_what_the_questions_skip(run: Run) -> None:
    args = ["--client", "Acme", "--kind", "none", "--cause", "none", "--no-third-party"]
    args += ["--cause-note", "A cheaper offer", "--plan", "Review prices every year"]
    before = json.loads(run("mistakes", "add", *args, "--json").stdout)
    run("mistakes", input=answers("acme", "y", "", "", "", "y"))
    assert saved(run) == [before], "Enter kept every answer; the plan was not asked about"


@pytest.mark.usefixtures("departed")
def test_declining_the_revision_keeps_the_post_mortem_as_it_was(run: Run) -> None:
    before = add_for_acme(run)
    result = run("mistakes", input=answers("Acme", "n"), code=1)  # a "no": exit 1
    assert "Kept post-mortem #1 as it was; nothing was saved." in result.stderr
    assert "their reason" not in result.stdout.casefold()
    assert saved(run) == [before]


def test_after_client_end_the_post_mortem_of_a_new_departure_is_a_new_one(run: Run) -> None:
    """A client who came back and left again: the older post-mortem is not offered."""
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    add_for_acme(run)
    run("client", "edit", "Acme", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Left for a competitor")
    out = run("mistakes", input=answers("1", "vague", "n", "", "y")).stdout
    assert "post-mortem #1" not in out[: out.index("Which client?")]
    assert "Revise it?" not in out
    assert [row["id"] for row in saved(run)] == [2, 1]


@pytest.mark.usefixtures("departed")
def test_saying_no_at_the_end_saves_nothing(run: Run) -> None:
    result = run(
        "mistakes",
        input=answers("1", "vague", "y", SCOPE, "service", "other", "", PLAN, "", "n"),
        code=1,  # a "no" at a question: nothing done, at your word
    )
    assert result.stderr.strip() == "Not saved: nothing was written."
    assert saved(run) == []


@pytest.mark.parametrize(
    "given",
    [
        pytest.param(("1",), id="after-the-client"),
        pytest.param(("1", "vague", "y", SCOPE), id="half-way"),
        pytest.param(("1", "vague", "y", SCOPE, "service", "other", "", PLAN, ""), id="at-save"),
    ],
)
@pytest.mark.usefixtures("departed")
def test_end_of_input_aborts_and_saves_nothing(run: Run, given: tuple[str, ...]) -> None:
    result = run("mistakes", input=answers(*given), code=2)  # input ended: not an interruption
    assert result.stderr.strip() == INPUT_ENDED
    assert saved(run) == []


@pytest.mark.parametrize(
    "given",
    [
        pytest.param(("7", "foo"), id="two-bad-clients"),
        pytest.param(("",), id="a-blank-line"),
        pytest.param(("", "  ", ""), id="blank-lines"),
        pytest.param(("1", "maybe"), id="a-bad-reason"),
        pytest.param(("1", "plain", "perhaps"), id="a-bad-yes-or-no"),
    ],
)
@pytest.mark.usefixtures("departed")
def test_input_that_runs_out_after_only_bad_answers_is_an_abort(
    run: Run, given: tuple[str, ...]
) -> None:
    """Any line read, even one refused, is input: running out of it ends the walk."""
    result = run("mistakes", input=answers(*given), code=2)
    assert result.stderr.strip() == INPUT_ENDED
    assert "terminal" not in result.stderr
    assert saved(run) == []


@pytest.mark.usefixtures("departed")
def test_input_without_a_line_end_is_still_input(run: Run) -> None:
    result = run("mistakes", input="7", code=2)
    assert result.stderr.strip() == INPUT_ENDED


@pytest.mark.usefixtures("departed")
@pytest.mark.parametrize("given", [None, ""], ids=["no-stdin", "empty-stdin"])
def test_no_terminal_and_no_input_is_refused_with_a_hint(run: Run, given: str | None) -> None:
    result = run("mistakes", input=given, code=2)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("relog: error: relog mistakes asks its questions in a terminal")
    assert "'relog mistakes add'" in line
    assert saved(run) == []


def test_an_empty_journal_is_refused_before_any_question(run: Run) -> None:
    result = run("mistakes", input=answers("x"), code=2)
    assert "no clients yet" in result.stderr
    assert "Which client?" not in result.stdout


def test_it_ends_looking_forward(run: Run) -> None:
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    run("client", "add", "Dana Levi", "--stage", "active")
    run("add", "call", "Dana Levi", "--at", "10 days ago")
    run("client", "add", "Eli Bar", "--stage", "active")
    run("add", "call", "Eli Bar", "--at", "yesterday")
    run("client", "add", "Gil Tal", "--stage", "active", "--cadence", "14")
    run("add", "meeting", "Gil Tal", "--at", "30 days ago")
    # Unanswered, and longer ago than their cadence: no longer a call to wait on.
    run("add", "call", "Gil Tal", "--outcome", "no-answer", "--at", "15 days ago")
    run("client", "add", "Fay New", "--stage", "active")
    run("client", "add", "Noa Cohen", "--stage", "prospect")
    run("add", "call", "Noa Cohen", "--by", "them", "--at", "3 days ago")
    run("client", "add", "Ori Lead", "--stage", "lead")
    run("add", "email", "Ori Lead", "--by", "them", "--at", "yesterday")
    run("client", "add", "Pat Quiet", "--stage", "lead")
    run("client", "add", "Ron Ref", "--stage", "lead", "--referred-by", "Dana Levi")
    run(
        "mistakes",
        "add",
        "--client",
        "Dana",
        "--what",
        "Late report",
        "--kind",
        "service",
        "--cause",
        "other",
        "--plan",
        "Send reports on Fridays",
        "--due",
        "3 days ago",
    )

    result = run(
        "mistakes",
        input=answers("1", "vague", "y", SCOPE, "understanding", "vague", "", PLAN, "", "y"),
    )
    out = result.stdout
    forward = out[out.index("Looking forward") :]
    plans = forward[forward.index("Open action plans") : forward.index("need attention")]
    assert plans.index("Send reports on Fridays") < plans.index(PLAN), "earliest due first"
    assert "overdue" in plans
    attention = forward[forward.index("need attention") : forward.index("Leads the freed")]
    assert "Gil Tal" in attention, "an unanswered call does not reset the cadence"
    assert "Dana Levi" in attention
    assert attention.index("Gil Tal") < attention.index("Dana Levi"), "longest silence first"
    assert "Eli Bar" not in attention
    assert "Fay New" not in attention, "a client added today is not late"
    leads = forward[forward.index("Leads the freed") :]
    assert leads.index("Ori Lead") < leads.index("Noa Cohen") < leads.index("Pat Quiet")
    assert "Acme Ltd" not in leads
    lines = {line.split()[1]: " ".join(line.split()) for line in leads.splitlines() if "- " in line}
    assert lines["Ron"].endswith("referred by Dana Levi: ask them to pass your details on")
    assert "no contact yet" not in lines["Ron"], "a referral is left to call you"
    assert lines["Pat"].endswith("no contact yet")
    assert lines["Ori"].endswith("last contact yesterday")
    assert "cadence 14 days" in attention


def test_the_forward_view_follows_the_config_file(run: Run, tmp_path: Path) -> None:
    """Who to leave alone is judged with the user's settings, not the built-in defaults."""
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    run("client", "add", "Dana Levi", "--stage", "active", "--cadence", "7")
    run("add", "call", "Dana Levi", "--by", "them", "--think", "--at", "10 days ago")
    run("client", "add", "Ori Lead", "--stage", "lead")
    run("add", "email", "Ori Lead", "--at", "10 days ago")

    def forward() -> tuple[str, str]:
        out = run("mistakes", input=answers("1", "plain", "n", "", "y")).stdout
        run("mistakes", "delete", str(saved(run)[0]["id"]), "--yes")
        view = out[out.index("need attention") :]
        return view[: view.index("Leads the freed")], view[view.index("Leads the freed") :]

    attention, leads = forward()
    assert "Dana Levi" in attention, "7 days to think (the default) ran out 3 days ago"
    assert "Ori Lead" in leads, "an email unanswered for longer than 7 days is not waited on"

    (tmp_path / "config.toml").write_text(
        "[pursuit]\nthink_days = 21\n[attention]\ncadence_days = 14\n"
    )
    attention, leads = forward()
    assert "Dana Levi" not in attention, "still thinking it over: 21 days to think"
    assert "Ori Lead" not in leads, "still waiting for an answer: a 14-day cadence"


def test_the_forward_view_has_something_to_say_when_all_is_quiet(run: Run) -> None:
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    run("client", "add", "Dana Levi", "--stage", "active")
    run("add", "call", "Dana Levi", "--at", "yesterday")
    result = run("mistakes", input=answers("1", "plain", "n", "", "y"))
    assert "None open" in result.stdout
    assert "Every active client has heard from you" in result.stdout
    assert "No leads in the journal" in result.stdout


def test_the_forward_view_says_so_when_no_client_is_active(run: Run) -> None:
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    result = run("mistakes", input=answers("1", "plain", "n", "", "y"))
    assert "No active clients at the moment." in result.stdout
    assert "Every active client" not in result.stdout


def test_after_client_end_an_abort_says_only_the_post_mortem_was_dropped(run: Run) -> None:
    """`relog client end` saves the end first, then offers the flow through run_postmortem."""
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    probe = typer.Typer()

    @probe.command()
    def end(ctx: typer.Context) -> None:
        run_postmortem(ctx, client_name="Acme")

    result = CliRunner().invoke(probe, [], input=answers("vague"))
    assert result.exit_code == 2
    assert "nothing was saved; the end of the relationship is saved" in result.stderr
    assert "Which client?" not in result.stdout, "the client is already known"
    assert saved(run) == []
    assert "former" in run("client", "show", "Acme Ltd").stdout

    result = CliRunner().invoke(probe, [], input=answers("plain", "n", "", "y"))
    assert result.exit_code == 0, result.stderr
    assert saved(run)[0]["client"] == "Acme Ltd"


def _ctrl_c(*args: Any, **kwargs: Any) -> Any:
    """A prompt at which the user presses Ctrl-C, ended as Click ends it."""
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        raise typer.Abort() from None


@pytest.mark.usefixtures("departed")
def test_ctrl_c_at_a_question_is_an_interruption(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("relog.cli.mistakes.typer.prompt", _ctrl_c)
    result = run("mistakes", code=130)
    assert result.stderr.strip() == ABORTED
    assert saved(run) == []


@pytest.mark.usefixtures("departed")
def test_the_date_the_due_question_suggests_is_one_it_accepts(run: Run) -> None:
    result = run(
        "mistakes", input=answers("1", "vague", "y", SCOPE, "service", "other", "", PLAN), code=2
    )
    suggested = re.search(r"By when\? \('in 2 weeks', 'friday', (\d{4}-\d\d-\d\d)", result.stdout)
    assert suggested is not None, result.stdout
    given = (*("1", "vague", "y", SCOPE, "service", "other", "", PLAN), suggested[1], "y")
    run("mistakes", input=answers(*given))
    assert saved(run)[0]["due"].startswith(suggested[1])
