"""Verdicts a user meets in the first weeks, each acted out through the CLI with its twin.

Every test logs a short, real situation with the commands a user types, at
fixed past moments, and reads the review as a script would (`--json`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.conftest import Run

    RunJson = Any


def codes(review: dict[str, Any]) -> list[str]:
    return [f["code"] for module in review["modules"].values() for f in module["findings"]]


def rows(portfolio: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["client"]: row for row in portfolio["clients"]}


# A history logged after the fact is judged on its own dates ----------------------


def backfill(run: Run) -> None:
    """A consultant starts with relog today and logs last spring's work after the fact."""
    run("client", "add", "Acme", "--stage", "active")
    run("client", "add", "Globex", "--stage", "active")
    for at in ("2026-03-02 10:00", "2026-03-09 10:00", "2026-03-16 10:00"):
        run("add", "meeting", "Acme", "--at", at)
    run("add", "call", "Globex", "--by", "them", "--at", "2026-03-03 11:00")


def test_the_past_portfolio_is_judged_on_what_was_true_then(run: Run, run_json: RunJson) -> None:
    backfill(run)
    then = run_json("review", "--as-of", "2026-05-20")
    # Globex had not heard from you for eleven weeks: going dark, then.
    assert "ATT001" in rows(then)["Globex"]["findings"]
    # Nobody new since March: the pipeline was empty then, whatever the day of logging.
    assert [f["code"] for f in then["findings"]].count("POR002") == 1
    assert "Globex" in [item["client"] for item in then["agenda"]["going_dark"]]


def test_twin_the_same_history_reviewed_while_it_was_fresh(run: Run, run_json: RunJson) -> None:
    backfill(run)
    then = run_json("review", "--as-of", "2026-03-08")
    assert rows(then)["Globex"]["findings"] == []
    assert "POR002" not in [f["code"] for f in then["findings"]]


def test_before_the_first_entry_a_client_was_not_there_yet(run: Run, run_json: RunJson) -> None:
    backfill(run)
    assert set(rows(run_json("review", "--as-of", "2026-03-02 23:00"))) == {"Acme"}
    assert set(rows(run_json("review", "--as-of", "2026-03-03 12:00"))) == {"Acme", "Globex"}


# Entries in another UTC offset are ordered by their true moment ------------------


def test_a_reply_logged_in_another_offset_ends_the_streak(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Dana Levi", "--stage", "prospect")
    run("add", "call", "Dana Levi", "--outcome", "no-answer", "--at", "2026-06-01T09:00+03:00")
    run("add", "call", "Dana Levi", "--outcome", "no-answer", "--at", "2026-06-02T09:00+03:00")
    # Her reply was logged from London: 07:30 there is 09:30 in Tel Aviv, after the call.
    run("add", "email", "Dana Levi", "--by", "them", "--at", "2026-06-02T07:30+01:00")
    review = run_json("review", "Dana Levi", "--as-of", "2026-06-03")
    assert "PUR001" not in codes(review)


def test_twin_a_reply_that_came_before_the_second_call(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Dana Levi", "--stage", "prospect")
    run("add", "call", "Dana Levi", "--outcome", "no-answer", "--at", "2026-06-01T09:00+03:00")
    run("add", "call", "Dana Levi", "--outcome", "no-answer", "--at", "2026-06-02T09:00+03:00")
    # 05:30 in London is 07:30 in Tel Aviv: before the second call, which she did not take.
    run("add", "email", "Dana Levi", "--by", "them", "--at", "2026-06-02T05:30+01:00")
    run("add", "call", "Dana Levi", "--outcome", "no-answer", "--at", "2026-06-02T15:00+03:00")
    review = run_json("review", "Dana Levi", "--as-of", "2026-06-03")
    assert "PUR001" in codes(review)


# A relationship that ended ----------------------------------------------------------


def test_an_ended_relationship_gets_no_reminders(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Blue Ltd", "--stage", "active", "--cadence", "7")
    run("add", "meeting", "Blue Ltd", "--by", "them", "--asked", "prices", "--at", "2026-05-01")
    run("client", "end", "Blue Ltd", "--reason", "Went elsewhere", "--at", "2026-05-03")
    review = run_json("review", "Blue Ltd", "--as-of", "2026-07-01")
    # Judged as it stood on 2026-05-03: the prices were one day late, nobody out of touch yet.
    assert codes(review) == [], review
    assert review["judged_at"].startswith("2026-05-03")
    assert review["next_action"]["action"] == "write the post-mortem"
    assert "Blue Ltd" not in rows(run_json("review", "--as-of", "2026-07-01"))


def test_twin_the_same_client_while_still_active(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Blue Ltd", "--stage", "active", "--cadence", "7")
    run("add", "meeting", "Blue Ltd", "--by", "them", "--asked", "prices", "--at", "2026-05-01")
    review = run_json("review", "Blue Ltd", "--as-of", "2026-07-01")
    assert {"TRU001", "ATT001"} <= set(codes(review))
    assert review["next_action"]["action"] == "deliver what they asked for"


# Dependence on one client: income, or contacts when no amounts are recorded -------


def three_clients(run: Run) -> None:
    """Acme takes most of your calls; Globex pays most of the money."""
    for name in ("Acme", "Globex", "Initech"):
        run("client", "add", name, "--stage", "active")
    for day in ("01", "03", "05", "08", "10", "12"):
        run("add", "call", "Acme", "--by", "them", "--at", f"2026-06-{day} 10:00")
    run("add", "meeting", "Globex", "--at", "2026-06-02 10:00")
    run("add", "meeting", "Initech", "--at", "2026-06-04 10:00")


def test_dependence_is_measured_on_income_when_amounts_are_recorded(
    run: Run, run_json: RunJson
) -> None:
    three_clients(run)
    run("bill", "Globex", "12,000", "--at", "2026-06-05")
    run("bill", "Acme", "2,000", "--at", "2026-06-06")
    run("client", "edit", "Initech", "--retainer", "1500")
    portfolio = run_json("review", "--as-of", "2026-06-15")
    (finding,) = [f for f in portfolio["findings"] if f["code"] == "POR001"]
    assert finding["severity"] == "warning"
    assert "Globex brought" in finding["message"] and "of your income" in finding["message"]
    largest = portfolio["largest_client"]
    assert (largest["client"], largest["measure"]) == ("Globex", "income")
    assert largest["held"] == 12000
    assert largest["share"] > 0.5
    text = run("review", "--as-of", "2026-06-15").stdout
    assert "Your largest client is Globex" in text and "Losing them" in text


def test_a_client_above_a_quarter_of_the_income_is_noted(run: Run, run_json: RunJson) -> None:
    three_clients(run)
    run("bill", "Globex", "4000", "--at", "2026-06-05")
    run("bill", "Acme", "3000", "--at", "2026-06-06")
    run("bill", "Initech", "3000", "--at", "2026-06-07")
    portfolio = run_json("review", "--as-of", "2026-06-15")
    found = [(f["code"], f["severity"]) for f in portfolio["findings"] if f["code"] == "POR001"]
    assert found == [("POR001", "info")] * 3


def test_twin_without_amounts_relog_counts_contacts_and_says_so(
    run: Run, run_json: RunJson
) -> None:
    three_clients(run)
    portfolio = run_json("review", "--as-of", "2026-06-15")
    (finding,) = [f for f in portfolio["findings"] if f["code"] == "POR001"]
    assert "Acme holds 75% of your contacts" in finding["message"]
    assert "no amounts are recorded" in finding["message"]
    assert portfolio["largest_client"]["measure"] == "contacts"


# Nothing logged yet: nothing to judge -------------------------------------------


def test_a_client_with_no_contact_is_not_judged(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Avi Ben", "--source", "referral", "--referred-by", "Noa Cohen")
    review = run_json("review", "Avi Ben")
    assert review["health"] is None
    assert all(point["health"] is None for point in review["trend"])
    step = review["next_action"]
    assert step["action"] == "wait for them" and "Noa Cohen" in step["reason"]
    text = run("review", "Avi Ben").stdout
    assert "not judged yet" in text and "looks healthy" not in text


def test_twin_once_they_called_the_relationship_is_judged(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Avi Ben", "--source", "referral", "--referred-by", "Noa Cohen")
    run("add", "call", "Avi Ben", "--by", "them", "--at", "2026-11-20 10:00")
    review = run_json("review", "Avi Ben", "--as-of", "2026-11-21")
    assert review["health"] == 100
    assert review["trend"][-1]["health"] == 100


# JSON moments ---------------------------------------------------------------------


def test_every_moment_in_json_is_utc_with_z(run: Run, monkeypatch: Any) -> None:
    import json
    import re
    import time

    monkeypatch.setenv("TZ", "Asia/Jerusalem")
    time.tzset()
    try:
        run("client", "add", "Dana Levi", "--stage", "prospect")
        run(
            "add",
            "call",
            "Dana Levi",
            "--by",
            "them",
            "--at",
            "2026-11-20 10:00",
            "--next",
            "2026-11-25 10:00",
        )
        texts = [
            run("review", "Dana Levi", "--json", "--as-of", "2026-11-21").stdout,
            run("review", "--json", "--as-of", "2026-11-21").stdout,
            run("mistakes", "patterns", "--json").stdout,
            run("agenda", "--json").stdout,
        ]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    moments = [m for text in texts for m in re.findall(r'"(\d{4}-\d\d-\d\dT[^"]+)"', text)]
    assert moments and all(m.endswith("Z") for m in moments), moments
    assert json.loads(texts[0])["as_of"] == "2026-11-21T21:59:59.999999Z"
