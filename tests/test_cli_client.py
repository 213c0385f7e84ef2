"""`relog client add|list|show|edit|end|delete`, in English and in Hebrew."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.test_errors import assert_one_error

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Run

    RunJson = Callable[..., Any]

CLIENT_FIELDS = {
    "id",
    "name",
    "stage",
    "source",
    "referred_by",
    "cadence_days",
    "channel",
    "notes",
    "created_at",
    "ended_at",
    "end_reason",
    "cadence_min_days",
    "retainer",
    "started_at",
}
DETAIL_FIELDS = CLIENT_FIELDS | {
    "interactions",
    "first_contact",
    "last_contact",
    "last_two_way",
    "open_requests",
    "began_at",
    "currency",
    "bill_count",
    "recent_bills",
}
REQUEST_FIELDS = {"item", "asked_id", "asked_at", "given_id", "given_at"}


def utc(text: str) -> datetime:
    """A `--json` moment: ISO 8601 in UTC with a trailing Z."""
    assert text.endswith("Z"), text
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() == timedelta(0)
    return moment


# add --------------------------------------------------------------------------


def test_add_a_lead_with_defaults(run: Run, run_json: RunJson) -> None:
    result = run("client", "add", "Dana Levi")
    assert result.stdout == "Added Dana Levi (lead).\n"
    assert result.stderr == ""
    [client] = run_json("client", "list")["clients"]
    assert set(client) >= CLIENT_FIELDS
    assert client["id"] == 1
    assert client["name"] == "Dana Levi"
    assert client["stage"] == "lead"
    unset = ("source", "referred_by", "cadence_days", "channel", "ended_at", "end_reason")
    for field in (*unset, "cadence_min_days", "retainer", "started_at"):
        assert client[field] is None, field
    assert client["notes"] == ""
    assert abs(datetime.now(UTC) - utc(client["created_at"])) < timedelta(minutes=1)


def test_add_with_every_flag(run_json: RunJson) -> None:
    added = run_json(
        "client",
        "add",
        "Dana Levi",
        "--stage",
        "ACTIVE",
        "--source",
        "referral",
        "--referred-by",
        "Noa Cohen",
        "--cadence",
        "14",
        "--channel",
        "email",
        "--note",
        "Prefers mornings",
    )
    assert set(added) >= CLIENT_FIELDS
    assert {k: added[k] for k in ("stage", "source", "referred_by", "cadence_days")} == {
        "stage": "active",
        "source": "referral",
        "referred_by": "Noa Cohen",
        "cadence_days": 14,
    }
    assert (added["channel"], added["notes"]) == ("email", "Prefers mornings")
    shown = run_json("client", "show", "Dana Levi")
    assert {k: shown[k] for k in CLIENT_FIELDS} == added


def test_referred_by_alone_makes_the_source_referral(run_json: RunJson) -> None:
    added = run_json("client", "add", "Dana Levi", "--referred-by", "Noa Cohen")
    assert (added["source"], added["referred_by"]) == ("referral", "Noa Cohen")


def test_hebrew_name_add_show_and_list(run: Run, run_json: RunJson) -> None:
    assert run("client", "add", "דנה לוי", "--stage", "prospect").stdout == (
        "Added דנה לוי (prospect).\n"
    )
    run("client", "add", "Dana Levi")
    for typed in ("דנה לוי", "דנה", "לוי", " דנה   לוי "):
        assert run_json("client", "show", typed)["name"] == "דנה לוי", typed
    listed = run("client", "list").stdout
    assert "דנה לוי" in listed
    assert "prospect" in listed
    assert [c["name"] for c in run_json("client", "list")["clients"]] == ["Dana Levi", "דנה לוי"]


def test_names_are_unique_ignoring_case(run: Run, run_json: RunJson) -> None:
    run("client", "add", "ACME Ltd.")
    for clash in ("acme ltd.", "ACME  LTD."):
        assert_one_error(run("client", "add", clash, code=2), "already exists")
    run("client", "add", "ACME")
    names = [c["name"] for c in run_json("client", "list")["clients"]]
    assert names == ["ACME", "ACME Ltd."]
    assert run_json("client", "show", "acme ltd.")["name"] == "ACME Ltd."
    assert run_json("client", "show", "acme")["name"] == "ACME"


# list -------------------------------------------------------------------------


def test_list_when_empty(run: Run, run_json: RunJson) -> None:
    assert run("client", "list").stdout.startswith("No clients yet.")
    assert run_json("client", "list") == {"clients": []}


def test_list_is_by_name_and_filters_by_stage(run: Run, run_json: RunJson) -> None:
    run("client", "add", "zed", "--stage", "active", "--cadence", "7", "--channel", "call")
    run("client", "add", "Adam")
    run("client", "add", "Mia", "--stage", "active")
    text = run("client", "list").stdout.splitlines()
    assert text[0].split() == ["name", "stage", "source", "cadence", "channel"]
    assert [line.split()[0] for line in text[1:]] == ["Adam", "Mia", "zed"]
    assert text[3].split() == ["zed", "active", "-", "7d", "call"]
    listed = run_json("client", "list", "--stage", "active")
    assert [c["name"] for c in listed["clients"]] == ["Mia", "zed"]
    assert [
        line.split()[0]
        for line in run("client", "list", "--stage", "active").stdout.splitlines()[1:]
    ] == [
        "Mia",
        "zed",
    ]
    assert run_json("client", "list", "--stage", "paused") == {"clients": []}


# show -------------------------------------------------------------------------


def test_show_summarises_history_and_open_requests(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Dana Levi", "--cadence", "7", "--note", "Met at the fair")
    empty = run_json("client", "show", "Dana Levi")
    assert set(empty) >= DETAIL_FIELDS
    assert (empty["interactions"], empty["open_requests"]) == (0, [])
    assert empty["first_contact"] is empty["last_contact"] is empty["last_two_way"] is None

    run("add", "call", "Dana Levi", "--at", "2026-01-05T10:00Z", "--by", "them",
        "--asked", "references,prices")  # fmt: skip
    run("add", "email", "Dana Levi", "--at", "2026-01-06T10:00Z", "--gave", "prices")
    run("add", "call", "Dana Levi", "--at", "2026-01-07T10:00Z", "--outcome", "no-answer")
    run("add", "note", "Dana Levi", "--at", "2026-01-08T10:00Z", "-m", "think about it")

    shown = run_json("client", "show", "dana")
    assert shown["interactions"] == 4
    assert shown["first_contact"] == "2026-01-05T10:00:00Z"
    assert shown["last_contact"] == "2026-01-07T10:00:00Z"
    # Their call on the 5th is the last contact they took part in: an email of yours is one-way.
    assert shown["last_two_way"] == "2026-01-05T10:00:00Z"
    [request] = shown["open_requests"]
    assert set(request) >= REQUEST_FIELDS
    assert request == {
        "item": "references",
        "asked_id": 1,
        "asked_at": "2026-01-05T10:00:00Z",
        "given_id": None,
        "given_at": None,
    }

    text = run("client", "show", "Dana Levi").stdout
    assert text.splitlines()[0].split() == ["Dana", "Levi", "[lead]"]
    assert "every 7 days" in text
    assert "Met at the fair" in text
    assert "Open requests" in text
    assert "references, asked 2026-01-05 (#1)" in text
    assert "prices, asked" not in text


# edit -------------------------------------------------------------------------


def test_edit_changes_only_what_is_given(run: Run, run_json: RunJson) -> None:
    before = run_json(
        "client", "add", "Dana Levi", "--cadence", "7", "--channel", "call", "--note", "n"
    )
    assert run("client", "edit", "dana", "--stage", "prospect").stdout == "Updated Dana Levi.\n"
    after = run_json("client", "show", "Dana Levi")
    assert after["stage"] == "prospect"
    for field in CLIENT_FIELDS - {"stage"}:
        assert after[field] == before[field], field

    edited = run_json(
        "client", "edit", "Dana Levi", "--cadence", "30", "--channel", "meeting", "--note", "new"
    )
    assert (edited["cadence_days"], edited["channel"], edited["notes"]) == (30, "meeting", "new")
    assert edited["stage"] == "prospect"


def test_edit_renames_and_keeps_history(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Dana Levi")
    run("add", "call", "Dana Levi", "--at", "2026-01-05T10:00")
    renamed = run_json("client", "edit", "Dana Levi", "--name", "דנה לוי")
    assert (renamed["id"], renamed["name"]) == (1, "דנה לוי")
    assert run_json("client", "show", "דנה")["interactions"] == 1
    assert_one_error(run("client", "show", "Dana Levi", code=3), "no client named 'Dana Levi'")
    # Changing only the case of one's own name is not a clash.
    run("client", "add", "acme")
    assert run_json("client", "edit", "acme", "--name", "ACME")["name"] == "ACME"


def test_edit_source_and_referrer(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Dana Levi", "--referred-by", "Noa Cohen")
    assert_one_error(
        run("client", "edit", "Dana Levi", "--source", "inbound", code=2),
        "'Dana Levi' has a referrer",
        "--referred-by ''",
    )
    cleared = run_json("client", "edit", "Dana Levi", "--source", "inbound", "--referred-by", "")
    assert (cleared["source"], cleared["referred_by"]) == ("inbound", None)
    again = run_json("client", "edit", "Dana Levi", "--source", "referral", "--referred-by", "Ron")
    assert (again["source"], again["referred_by"]) == ("referral", "Ron")
    assert_one_error(
        run("client", "edit", "Dana Levi", "--source", "outbound", "--referred-by", "Ron", code=2),
        "--referred-by goes with --source referral",
    )
    assert run_json("client", "show", "Dana Levi")["source"] == "referral"


# end --------------------------------------------------------------------------


def test_end_makes_the_client_former_with_the_reason(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Dana Levi", "--stage", "active")
    result = run("client", "end", "Dana Levi", "--reason", "Found a cheaper agency")
    assert result.stdout == "Ended the relationship with Dana Levi.\n"
    shown = run_json("client", "show", "Dana Levi")
    assert (shown["stage"], shown["end_reason"]) == ("former", "Found a cheaper agency")
    assert abs(datetime.now(UTC) - utc(shown["ended_at"])) < timedelta(minutes=1)
    assert "Found a cheaper agency" in run("client", "show", "Dana Levi").stdout
    assert_one_error(
        run("client", "end", "Dana Levi", "--reason", "again", code=2), "Dana Levi already ended"
    )
    assert [c["name"] for c in run_json("client", "list", "--stage", "former")["clients"]] == [
        "Dana Levi"
    ]


def test_end_at_a_given_moment_and_reopen(run: Run, run_json: RunJson) -> None:
    run("client", "add", "דנה לוי", "--stage", "active")
    ended = run_json(
        "client", "end", "דנה", "--reason", "moved abroad", "--at", "2026-01-09T12:00Z"
    )
    assert set(ended) >= CLIENT_FIELDS
    assert (ended["stage"], ended["ended_at"]) == ("former", "2026-01-09T12:00:00Z")
    reopened = run_json("client", "edit", "דנה לוי", "--stage", "active")
    assert (reopened["stage"], reopened["ended_at"], reopened["end_reason"]) == (
        "active",
        None,
        None,
    )


# delete -----------------------------------------------------------------------


def test_delete_removes_the_client_and_their_entries(
    run: Run, run_json: RunJson, journal: Path
) -> None:
    run("client", "add", "Dana Levi")
    run("client", "add", "Noa Cohen")
    run("add", "call", "Dana Levi", "--asked", "prices")
    run("add", "call", "Noa Cohen")
    result = run("client", "delete", "Dana Levi", input="y\n")
    assert (
        "Delete Dana Levi: remove the client with 1 logged entry, 0 post-mortems and "
        "0 amounts billed, leaving nothing of them in the journal file?"
    ) in result.stdout
    assert result.stdout.endswith("Deleted Dana Levi: nothing of them is left in the journal.\n")
    assert [c["name"] for c in run_json("client", "list")["clients"]] == ["Noa Cohen"]
    assert [e["client"] for e in run_json("log")["interactions"]] == ["Noa Cohen"]
    with sqlite3.connect(journal) as connection:
        assert connection.execute("SELECT count(*) FROM request").fetchone() == (0,)
    assert run("client", "delete", "noa", "--yes").stdout == (
        "Deleted Noa Cohen: nothing of them is left in the journal.\n"
    )
    assert run_json("client", "list") == {"clients": []}


@pytest.mark.parametrize(("answer", "code"), [("n\n", 1), ("", 2)])
def test_a_delete_not_agreed_to_keeps_everything(
    run: Run, run_json: RunJson, answer: str, code: int
) -> None:
    """A "no" exits 1; input that ends before an answer is refused as such, exit 2."""
    run("client", "add", "Dana Levi")
    result = run("client", "delete", "Dana Levi", input=answer, code=code)
    if code == 2:
        assert result.stderr.strip() == (
            "relog: error: input ended before an answer; nothing was deleted"
        )
    assert [c["name"] for c in run_json("client", "list")["clients"]] == ["Dana Levi"]


@pytest.mark.parametrize("command", ["add", "list", "show", "edit", "end"])
def test_client_commands_offer_json(run: Run, command: str) -> None:
    assert "--json" in run("client", command, "--help").stdout


def test_names_that_look_like_markup_are_printed_as_typed(run: Run) -> None:
    name = "Studio [bold]Nine[/bold]"
    assert run("client", "add", name).stdout == f"Added {name} (lead).\n"
    run("add", "call", name, "-m", "[red]urgent[/red]")
    assert name in run("client", "list").stdout
    assert name in run("client", "show", "studio").stdout
    [line] = [line for line in run("log").stdout.splitlines() if line.strip()]
    assert name in line
    assert line.endswith("[red]urgent[/red]")
    assert run("client", "edit", name, "--cadence", "7").stdout == f"Updated {name}.\n"


def test_edit_adds_to_the_notes_or_replaces_them_and_forgets_a_channel(
    run: Run, run_json: Any
) -> None:
    run("client", "add", "Dana Levi", "--channel", "email", "--note", "Met at the expo")
    run("client", "edit", "Dana Levi", "--add-note", "Prefers calls after 16:00")
    shown = run_json("client", "show", "Dana Levi")
    assert shown["notes"] == "Met at the expo\nPrefers calls after 16:00"
    run("client", "edit", "Dana Levi", "--note", "Fresh start")
    assert run_json("client", "show", "Dana Levi")["notes"] == "Fresh start"
    run("client", "edit", "Dana Levi", "--no-channel")
    assert run_json("client", "show", "Dana Levi")["channel"] is None
    both = run("client", "edit", "Dana Levi", "--note", "a", "--add-note", "b", code=2)
    assert "--note replaces the notes and --add-note adds to them" in both.stderr
    clash = run("client", "edit", "Dana Levi", "--channel", "call", "--no-channel", code=2)
    assert "--channel and --no-channel together" in clash.stderr
    assert run_json("client", "show", "Dana Levi")["notes"] == "Fresh start"
