"""`relog review`, `relog demo` and `relog config`, driven as a user drives them."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run

MODULES = {"initiation", "pursuit", "trust", "attention", "balance"}


def ago(days: float, hour: int = 10) -> str:
    """An ISO moment `days` before now, at `hour` local time, never in the future."""
    moment = (datetime.now(UTC) - timedelta(days=days)).astimezone()
    moment = moment.replace(hour=hour, minute=0, second=0, microsecond=0)
    return min(moment, datetime.now(UTC).astimezone() - timedelta(minutes=2)).isoformat()


def codes(review: dict[str, Any]) -> set[str]:
    return {f["code"] for module in review["modules"].values() for f in module["findings"]}


def chase_story(run: Run, name: str, *, answered: bool) -> None:
    """The referral who agreed to a call and then never picked up (or did, in the twin)."""
    run("client", "add", name, "--stage", "prospect", "--source", "inbound")
    run("add", "call", name, "--by", "them", "--at", ago(6), "--next", ago(5, 11).replace("T", " "))
    if answered:
        run("add", "call", name, "--agreed", "--at", ago(5, 11), "-m", "The agreed call")
        return
    run("add", "call", name, "--agreed", "--outcome", "no-answer", "--at", ago(5, 11))
    run("add", "call", name, "--outcome", "no-answer", "--at", ago(4))
    run("add", "message", name, "--outcome", "no-reply", "--at", ago(3))


def test_the_agreed_call_then_the_chase(run: Run, run_json: Any) -> None:
    chase_story(run, "Noa Peretz", answered=False)
    review = run_json("review", "Noa Peretz")
    assert {"PUR001", "PUR002"} <= codes(review)
    pursuit = review["modules"]["pursuit"]
    assert pursuit["score"] < 100
    chase = next(f for f in pursuit["findings"] if f["code"] == "PUR001")
    assert chase["severity"] == "alert"
    assert len(chase["evidence"]) == 3
    assert review["next_action"]["action"] == "wait for them"


def test_the_agreed_call_that_was_answered_is_service(run: Run, run_json: Any) -> None:
    chase_story(run, "Noa Peretz", answered=True)
    review = run_json("review", "Noa Peretz")
    assert not {"PUR001", "PUR002"} & codes(review)
    assert review["modules"]["pursuit"]["score"] == 100


def test_review_json_contract(run: Run, run_json: Any) -> None:
    chase_story(run, "Dana Levi", answered=False)
    review = run_json("review", "Dana Levi")
    assert {"client", "as_of", "health", "modules"} <= set(review)
    assert review["client"] == "Dana Levi"
    assert set(review["modules"]) == MODULES
    for module in review["modules"].values():
        assert 0 <= module["score"] <= 100
        for finding in module["findings"]:
            assert {"code", "severity", "message", "advice", "evidence"} <= set(finding)
            assert finding["severity"] in {"info", "warning", "alert"}
            for cited in finding["evidence"]:
                assert set(cited) == {"id", "at"}
    assert 0 <= review["health"] <= 100
    assert len(review["trend"]) == 13


def test_health_is_the_weighted_mean_of_applicable_modules(run: Run, run_json: Any) -> None:
    chase_story(run, "Dana Levi", answered=False)
    review = run_json("review", "Dana Levi")
    used = [m for m in review["modules"].values() if m["applicable"]]
    expected = sum(m["score"] * m["weight"] for m in used) / sum(m["weight"] for m in used)
    assert review["health"] == round(expected)
    assert review["modules"]["attention"]["applicable"] is False  # a prospect


def test_weights_come_from_the_config(run: Run, run_json: Any, tmp_path: Path) -> None:
    chase_story(run, "Dana Levi", answered=False)
    (tmp_path / "config.toml").write_text(
        "[weights]\ninitiation = 0\npursuit = 1\ntrust = 0\nattention = 0\nbalance = 0\n"
    )
    review = run_json("review", "Dana Levi")
    assert review["health"] == review["modules"]["pursuit"]["score"]


def test_as_of_ignores_later_entries(run: Run, run_json: Any) -> None:
    chase_story(run, "Noa Peretz", answered=False)
    before = run_json("review", "Noa Peretz", "--as-of", ago(5, 12))
    assert "PUR001" not in codes(before)
    run("add", "call", "Noa Peretz", "--outcome", "no-answer")
    again = run_json("review", "Noa Peretz", "--as-of", ago(5, 12))
    assert again["modules"] == before["modules"]
    assert again["health"] == before["health"]


def test_text_review_explains_and_advises(run: Run) -> None:
    chase_story(run, "Noa Peretz", answered=False)
    text = run("review", "Noa Peretz", "--explain").stdout
    assert "Noa Peretz" in text
    assert "Health" in text
    assert "PUR001" in text
    assert "evidence: #" in text
    assert "Next: wait for them" in text
    assert "How the health is computed" in text
    assert "Trend" in text


def test_review_reads_in_a_narrow_terminal(run: Run, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    chase_story(run, "Noa Peretz", answered=False)
    text = run("review", "Noa Peretz").stdout
    assert max(len(line) for line in text.splitlines()) <= 50


def test_portfolio_lists_open_relationships_and_agenda(run: Run, run_json: Any) -> None:
    chase_story(run, "Noa Peretz", answered=False)
    run("client", "add", "Studio Kedem", "--stage", "active", "--cadence", "7")
    run("add", "meeting", "Studio Kedem", "--by", "them", "--at", ago(20))
    run("client", "add", "Tamar Golan", "--stage", "active")
    run("client", "end", "Tamar Golan", "--reason", "Moved to a competitor")
    portfolio = run_json("review")
    assert {"as_of", "clients", "findings"} <= set(portfolio)
    names = [row["client"] for row in portfolio["clients"]]
    assert "Tamar Golan" not in names
    assert set(names) == {"Noa Peretz", "Studio Kedem"}
    for row in portfolio["clients"]:
        assert {"client", "stage", "health"} <= set(row)
    healths = [row["health"] for row in portfolio["clients"]]
    assert healths == sorted(healths)
    going_dark = [item["client"] for item in portfolio["agenda"]["going_dark"]]
    assert going_dark == ["Studio Kedem"]
    leave_alone = [item["client"] for item in portfolio["agenda"]["leave_alone"]]
    assert "Noa Peretz" in leave_alone
    text = run("review").stdout
    assert "Today" in text and "Going dark" in text


def test_review_of_an_unknown_client_is_one_clean_line(run: Run) -> None:
    run("client", "add", "Dana Levi")
    result = run("review", "Dana Lev1", code=3)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("relog: error:") and "Dana Levi" in lines[0]


def test_review_refuses_a_future_as_of(run: Run) -> None:
    run("client", "add", "Dana Levi")
    result = run("review", "Dana Levi", "--as-of", "2999-01-01", code=2)
    assert "--as-of" in result.stderr and "future" in result.stderr


def test_a_broken_config_is_named_cleanly(run: Run, tmp_path: Path) -> None:
    run("client", "add", "Dana Levi")
    (tmp_path / "config.toml").write_text("[pursuit]\nchase_streek = 3\n")
    result = run("review", "Dana Levi", code=5)
    assert "pursuit.chase_streek" in result.stderr
    (tmp_path / "config.toml").write_text("[pursuit\n")
    assert "not valid TOML" in run("review", code=5).stderr


def test_config_path_show_and_init(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert run("config", "path").stdout.strip() == str(path)
    shown = run("config", "show").stdout
    assert "[pursuit]" in shown and "chase_streak = 2" in shown
    run("config", "init")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "chase_streak = 2" in path.read_text()
    run("config", "init", code=2)
    path.write_text("[pursuit]\nchase_streak = 4\nalert_streak = 5\n")
    assert "chase_streak = 4" in run("config", "show").stdout


def test_the_currency_is_a_setting_shown_and_written_like_the_others(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    unset = (
        "[money]\n# ISO 4217 code amounts are shown in, e.g. ILS; none: plain numbers\n"
        '# currency = "ILS"\n'
    )
    assert '[money]\n# currency = "ILS"\n' in run("config", "show").stdout  # TOML has no null
    assert json.loads(run("config", "show", "--json").stdout)["money"] == {"currency": None}
    run("config", "init")
    assert unset in path.read_text(encoding="utf-8")
    path.write_text('[money]\ncurrency = " usd "\n', encoding="utf-8")
    shown = run("config", "show").stdout
    assert 'currency = "USD"' in shown and "# currency" not in shown
    for code in ("shekel", "₪", "IL", "NIS1", ""):
        path.write_text(f'[money]\ncurrency = "{code}"\n', encoding="utf-8")
        lines = run("config", "show", code=5).stderr.strip().splitlines()
        assert len(lines) == 1
        assert "money.currency" in lines[0] and "not a 3-letter ISO 4217 currency code" in lines[0]


@pytest.mark.no_journal
def test_demo_shows_the_portfolio_and_a_review_without_touching_the_journal(
    run: Run, journal: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    text = run("demo", "--folder", str(folder)).stdout
    assert "Portfolio as of" in text
    assert "Noa Peretz" in text and "PUR001" in text
    assert "Today" in text
    assert (folder / "demo-journal.db").exists()
    assert not journal.exists()


def test_a_request_comes_before_letting_them_think(run: Run, run_json: Any) -> None:
    run("client", "add", "Yael Shani", "--stage", "prospect", "--source", "inbound")
    run(
        "add",
        "meeting",
        "Yael Shani",
        "--by",
        "them",
        "--think",
        "--asked",
        "references",
        "--at",
        ago(4),
    )
    review = run_json("review", "Yael Shani")
    assert review["next_action"]["action"] == "deliver what they asked for"
    run("add", "email", "Yael Shani", "--gave", "references", "--at", ago(3))
    review = run_json("review", "Yael Shani")
    assert "PUR003" not in codes(review), "delivering what they asked for is not pressing them"
    assert review["next_action"]["action"] == "let them think"


def test_a_bare_as_of_date_means_the_end_of_that_day(run: Run, run_json: Any) -> None:
    run("client", "add", "Dana Levi", "--stage", "prospect")
    run("add", "call", "Dana Levi", "--by", "them", "--asked", "prices", "--at", "2026-01-05T09:00")
    run("add", "email", "Dana Levi", "--gave", "prices", "--at", "2026-01-08T15:00")
    review = run_json("review", "Dana Levi", "--as-of", "2026-01-08")
    assert "TRU001" not in codes(review), "the prices sent that afternoon count on that day"
    assert review["as_of"].startswith("2026-01-08") or review["as_of"].startswith("2026-01-09")


def test_as_of_keeps_clients_logged_after_the_fact_and_those_who_left_later(
    run: Run, run_json: Any
) -> None:
    run("client", "add", "Dana Levi", "--stage", "active")
    run("add", "meeting", "Dana Levi", "--by", "them", "--at", "2026-01-05T10:00")
    run("client", "add", "Tamar Golan", "--stage", "active")
    run("add", "call", "Tamar Golan", "--by", "them", "--at", "2026-01-04T10:00")
    run("client", "end", "Tamar Golan", "--reason", "Moved abroad")
    past = run_json("review", "--as-of", "2026-01-06")
    rows = {row["client"]: row for row in past["clients"]}
    assert set(rows) == {"Dana Levi", "Tamar Golan"}
    assert rows["Tamar Golan"]["stage"] == "active"
    assert [row["client"] for row in run_json("review")["clients"]] == ["Dana Levi"]
    before = run("review", "Dana Levi", "--as-of", "2026-01-01", code=2)
    assert "was not in the journal yet" in before.stderr


def test_config_values_out_of_range_or_inconsistent_are_refused(run: Run, tmp_path: Path) -> None:
    run("client", "add", "Dana Levi")
    config = tmp_path / "config.toml"
    config.write_text("[trust]\nlookback_days = 1000000\n")
    assert "trust.lookback_days" in run("review", code=5).stderr
    config.write_text("[pursuit]\nchase_streak = 4\nalert_streak = 3\n")
    assert "alert_streak must be at least chase_streak" in run("review", code=5).stderr
    config.write_bytes(b"\xff\xfe[pursuit]\n")
    assert "not UTF-8" in run("review", code=5).stderr


def test_rules_stack_in_a_narrow_terminal(run: Run, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    text = run("rules").stdout
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 60
    assert "PUR001" in text and "chase_streak=2" in text


def test_a_fresh_request_is_the_next_step_before_it_is_late(run: Run, run_json: Any) -> None:
    run("client", "add", "Dana Levi", "--stage", "prospect", "--source", "inbound")
    run("add", "call", "Dana Levi", "--by", "them", "--asked", "prices", "--at", ago(0.5))
    review = run_json("review", "Dana Levi")
    assert "TRU001" not in codes(review), "not late yet"
    assert review["next_action"]["action"] == "deliver what they asked for"
    assert "--gave prices" in review["next_action"]["reason"]


def test_one_unanswered_attempt_means_wait_not_call_again(run: Run, run_json: Any) -> None:
    run("client", "add", "Dana Levi", "--stage", "prospect", "--source", "inbound")
    run("add", "call", "Dana Levi", "--by", "them", "--at", ago(5))
    run("add", "call", "Dana Levi", "--agreed", "--outcome", "no-answer", "--at", ago(2))
    review = run_json("review", "Dana Levi")
    assert "PUR001" not in codes(review), "one missed call is not chasing"
    assert review["next_action"]["action"] == "wait for them"


def test_emails_nobody_answers_are_chasing_not_staying_in_touch(run: Run, run_json: Any) -> None:
    run("client", "add", "Moshe Dayan", "--stage", "active", "--cadence", "7", "--channel", "email")
    run("add", "meeting", "Moshe Dayan", "--at", ago(33), "--initiative", "--gave", "materials")
    for days in (23, 16, 9, 2):
        run("add", "email", "Moshe Dayan", "--at", ago(days), "-m", "No reply yet")
    review = run_json("review", "Moshe Dayan")
    assert {"ATT001", "PUR001"} <= codes(review), (
        "four unanswered emails are neither contact nor care"
    )
    shown = run_json("client", "show", "Moshe Dayan")
    assert shown["last_two_way"].startswith(ago(33)[:10]) or shown["last_two_way"] < ago(32)
    run("add", "email", "Moshe Dayan", "--by", "them", "-m", "Sorry, I was away")
    assert not {"ATT001", "PUR001"} & codes(run_json("review", "Moshe Dayan"))


def test_one_message_offering_a_new_time_after_a_missed_agreed_call_is_follow_up(
    run: Run, run_json: Any
) -> None:
    run("client", "add", "Gal Or", "--stage", "active")
    run("add", "meeting", "Gal Or", "--by", "them", "--at", ago(9), "--next", ago(6, 11))
    run("add", "call", "Gal Or", "--agreed", "--outcome", "no-answer", "--at", ago(6, 11))
    review = run_json("review", "Gal Or")
    assert review["next_action"]["action"] == "wait for them"
    assert "offering a new time" in review["next_action"]["reason"]
    run("add", "message", "Gal Or", "--at", ago(5), "-m", "Missed you; would Thursday suit?")
    assert not {"PUR001", "PUR002"} & codes(run_json("review", "Gal Or"))
    run("add", "call", "Gal Or", "--outcome", "no-answer", "--at", ago(4))
    assert {"PUR001", "PUR002"} <= codes(run_json("review", "Gal Or"))


def test_a_former_client_is_pointed_to_the_post_mortem(run: Run, run_json: Any) -> None:
    run("client", "add", "Blue Ltd", "--stage", "active")
    run("add", "call", "Blue Ltd", "--by", "them", "--disagreement", "unresolved", "--at", ago(3))
    run("client", "end", "Blue Ltd", "--reason", "Went elsewhere")
    review = run_json("review", "Blue Ltd")
    step = review["next_action"]
    assert step["action"] == "write the post-mortem"
    assert 'relog mistakes --client "Blue Ltd"' in step["reason"]
    # It is judged as it stood when it ended: the disagreement is there, with no action.
    findings = review["modules"]["balance"]["findings"]
    assert [f["code"] for f in findings] == ["BAL004"]
    assert findings[0]["action"] is None


def test_a_former_client_with_a_post_mortem_has_no_open_question(run: Run, run_json: Any) -> None:
    run("client", "add", "Blue Ltd", "--stage", "active")
    run("add", "call", "Blue Ltd", "--by", "them", "--asked", "prices", "--at", ago(20))
    run("client", "end", "Blue Ltd", "--reason", "Went elsewhere", "--at", ago(10))
    run(
        "mistakes",
        "add",
        "--client",
        "Blue Ltd",
        "--what",
        "Prices sent late",
        "--kind",
        "service",
        "--cause",
        "vague-contract",
        "--plan",
        "Price list ready",
    )
    review = run_json("review", "Blue Ltd")
    assert review["next_action"]["action"] == "nothing urgent"
    assert "post-mortem (#1) is saved" in review["next_action"]["reason"]
    assert review["judged_at"] < review["as_of"]
    late = review["modules"]["trust"]["findings"]
    assert [f["code"] for f in late] == ["TRU001"], "the request was still open when it ended"
    assert late[0]["action"] is None, "nothing to deliver to a client who has left"
    assert all(
        m["findings"] == [] or m["findings"][0]["action"] is None
        for m in review["modules"].values()
    )


def test_an_agreed_contact_next_week_is_not_todays_work(run: Run, run_json: Any) -> None:
    run("client", "add", "Hadas Bar", "--stage", "prospect")
    run("add", "call", "Hadas Bar", "--by", "them", "--at", ago(2), "--next", "in 5 days")
    portfolio = run_json("review")
    assert portfolio["agenda"]["follow_up"] == []
    step = run_json("review", "Hadas Bar")["next_action"]
    assert step["action"] == "nothing urgent" and step["when"] is not None


def test_weights_cannot_all_be_zero(run: Run, tmp_path: Path) -> None:
    run("client", "add", "Dana Levi")
    (tmp_path / "config.toml").write_text(
        "[weights]\ninitiation = 0\npursuit = 0\ntrust = 0\nattention = 0\nbalance = 0\n"
    )
    assert "at least one weight must be above 0" in run("review", code=5).stderr


@pytest.mark.parametrize("cancelled", [False, True])
def test_one_clients_review_reads_the_load_of_the_days_they_met_you(
    run: Run, run_json: Any, cancelled: bool
) -> None:
    """A day on the road, 100 days ago: Dana's meeting among four others (TRU004), or in
    the twin one of the others cancelled. Only the days Dana met you are read for her
    review, the trend's month ends included, and they give what the whole journal gives."""
    run("client", "add", "Dana Levi", "--stage", "active")
    run("add", "meeting", "Dana Levi", "--at", ago(100, 9))
    for hour, name in zip((11, 13, 15, 17), ("Omer", "Noa", "Gil", "Tal"), strict=True):
        run("client", "add", name, "--stage", "prospect")
        off = ("--outcome", "cancelled") if cancelled and name == "Tal" else ()
        run("add", "meeting", name, "--at", ago(100, hour), *off)
        run("add", "meeting", name, "--at", ago(99, hour))  # the next day: Dana was not there
    run("add", "call", "Dana Levi", "--by", "them", "--at", ago(60))
    then = (datetime.now(UTC) - timedelta(days=95)).astimezone()
    earlier = run_json("review", "Dana Levi", "--as-of", then.isoformat())
    assert ("TRU004" in codes(earlier)) is not cancelled
    now = run_json("review", "Dana Levi")
    assert "TRU004" not in codes(now)  # more than lookback_days ago
    portfolio = run_json("review", "--as-of", then.isoformat())
    (dana,) = [row for row in portfolio["clients"] if row["client"] == "Dana Levi"]
    assert dana["health"] == earlier["health"]
    month_ends = [p for p in now["trend"] if p["health"] is not None][:-1]
    assert month_ends, now["trend"]
    for point in month_ends:
        at_the_time = run_json("review", "Dana Levi", "--as-of", point["at"])
        assert point["health"] == at_the_time["health"], point
