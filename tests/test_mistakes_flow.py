"""The guided post-mortem, driven the way a user drives it: answers on standard input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import typer
from typer.testing import CliRunner

from relog.cli.mistakes import run_postmortem

if TYPE_CHECKING:
    from tests.conftest import Run

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
    due = datetime.fromisoformat(row["due"])
    assert timedelta(days=13) < due - datetime.now(UTC) <= timedelta(days=14)


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
    assert "Error: invalid input" in out
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


@pytest.mark.usefixtures("departed")
def test_saying_no_at_the_end_saves_nothing(run: Run) -> None:
    result = run(
        "mistakes",
        input=answers("1", "vague", "y", SCOPE, "service", "other", "", PLAN, "", "n"),
        code=130,
    )
    assert result.stderr.strip() == "relog: error: aborted; nothing was saved"
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
    result = run("mistakes", input=answers(*given), code=130)
    assert result.stderr.strip() == "relog: error: aborted; nothing was saved"
    assert saved(run) == []


@pytest.mark.usefixtures("departed")
def test_no_terminal_and_no_input_is_refused_with_a_hint(run: Run) -> None:
    result = run("mistakes", code=2)
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
    run("add", "meeting", "Gil Tal", "--at", "20 days ago")
    run("add", "call", "Gil Tal", "--outcome", "no-answer", "--at", "yesterday")
    run("client", "add", "Fay New", "--stage", "active")
    run("client", "add", "Noa Cohen", "--stage", "prospect")
    run("add", "call", "Noa Cohen", "--by", "them", "--at", "3 days ago")
    run("client", "add", "Ori Lead", "--stage", "lead")
    run("add", "email", "Ori Lead", "--by", "them", "--at", "yesterday")
    run("client", "add", "Pat Quiet", "--stage", "lead")
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


def test_the_forward_view_has_something_to_say_when_all_is_quiet(run: Run) -> None:
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    result = run("mistakes", input=answers("1", "plain", "n", "", "y"))
    assert "None open" in result.stdout
    assert "Every active client has heard from you" in result.stdout
    assert "No leads in the journal" in result.stdout


def test_after_client_end_an_abort_says_only_the_post_mortem_was_dropped(run: Run) -> None:
    """`relog client end` saves the end first, then offers the flow through run_postmortem."""
    run("client", "add", "Acme Ltd", "--stage", "active")
    run("client", "end", "Acme Ltd", "--reason", "Maybe later")
    probe = typer.Typer()

    @probe.command()
    def end(ctx: typer.Context) -> None:
        run_postmortem(ctx, client_name="Acme")

    result = CliRunner().invoke(probe, [], input=answers("vague"))
    assert result.exit_code == 130
    assert "post-mortem aborted and not saved" in result.stderr
    assert "Which client?" not in result.stdout, "the client is already known"
    assert saved(run) == []
    assert "former" in run("client", "show", "Acme Ltd").stdout

    result = CliRunner().invoke(probe, [], input=answers("plain", "n", "", "y"))
    assert result.exit_code == 0, result.stderr
    assert saved(run)[0]["client"] == "Acme Ltd"
