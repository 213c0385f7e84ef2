"""Attention beyond its stories: the clock, the pace, the stages, and what they never do."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from relog.config import Config
from relog.domain import By, ClientData, InteractionData, Kind, Stage
from relog.rules import attention
from relog.rules.base import Action, History, Severity
from relog.rules.examples import Example, StoryError
from tests.test_rules_properties import histories

START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
FAST = settings(max_examples=100, deadline=None)


def day(n: float) -> datetime:
    return START + timedelta(days=n)


def codes(example: Example) -> list[str]:
    result = attention.evaluate(example.history(), example.config())
    return [f.code for f in (*result.findings, *result.notes)]


def story(client: str, *entries: str, at: str, **settings: Any) -> Example:
    return Example("", entries=entries, at=at, client=client, settings=settings)


MONTHLY = "--stage active --cadence 30"


# the story parser


def test_the_story_parser_reads_a_cadence_range() -> None:
    (ranged,) = story("--stage active --cadence 5-10", at="d0").clients()
    assert (ranged.cadence_min_days, ranged.cadence_days) == (5, 10)
    (single,) = story("--stage active --cadence 7", at="d0").clients()
    assert (single.cadence_min_days, single.cadence_days) == (None, 7)
    for wrong in ("10-5", "5-", "weekly"):
        with pytest.raises(StoryError, match="not a cadence"):
            story(f"--cadence {wrong}", at="d0").clients()


# the clock and the stages


def test_nothing_logged_is_nothing_to_judge() -> None:
    added_long_ago = ClientData(
        id=1, name="Dana Levi", stage=Stage.ACTIVE, cadence_days=7, created_at=day(0)
    )
    result = attention.evaluate(History(added_long_ago, (), day(90)), Config())
    assert (result.applicable, result.score, result.findings, result.notes) == (True, 100, (), ())
    assert attention.contact_due(History(added_long_ago, (), day(90)), Config()) is None


def test_a_paused_client_is_judged_on_their_manners_only() -> None:
    paused = story(
        "--stage paused --cadence 30 --channel call",
        "d0 email",
        "d1 email",
        "d2 email",
        "d3 email",
        at="d90",
    )
    assert codes(paused) == ["ATT002"], "no cadence, no initiatives, no note"
    pressed = replace(paused, at="d3 18:00")
    assert codes(pressed) == ["ATT002", "ATT004"]
    lead = attention.evaluate(replace(paused, client="--stage lead").history(), Config())
    assert (lead.applicable, lead.note) == (
        False,
        "only for clients you work for (active or paused)",
    )


def test_a_note_or_the_clients_own_idea_is_no_initiative_of_yours() -> None:
    entries = ("d0 meeting", "d20 note --initiative", "d25 call --by them --initiative")
    quiet = story("--stage active --cadence 30", *entries, "d30 call --initiative", at="d40")
    assert "ATT003" not in codes(quiet)
    assert "ATT003" in codes(story("--stage active --cadence 30", *entries, at="d40"))


# the pace


def test_pace_floor() -> None:
    config = Config()
    client = ClientData(id=1, name="Dana Levi", stage=Stage.ACTIVE)
    assert attention.pace_floor(client, config) is None, "the default cadence sets no pace"
    assert attention.pace_floor(replace(client, cadence_days=30), config) == 15
    ranged = replace(client, cadence_days=10, cadence_min_days=5)
    assert attention.pace_floor(ranged, config) == 5
    loose = Config.model_validate({"attention": {"pace_tolerance": 0.2}})
    assert attention.pace_floor(replace(client, cadence_days=30), loose) == 6


def test_pace_tolerance_is_a_share() -> None:
    for wrong in (0, 1.5):
        with pytest.raises(ValidationError):
            Config.model_validate({"attention": {"pace_tolerance": wrong}})


def test_over_contact_waits_until_the_pace_allows_the_next_contact() -> None:
    daily = story(MONTHLY, "d0 call", "d1 call", "d2 call", "d3 call", at="d3 18:00")
    (finding,) = attention.evaluate(daily.history(), Config()).findings
    assert (finding.code, finding.severity, finding.action) == (
        "ATT004",
        Severity.WARNING,
        Action.WAIT,
    )
    assert finding.when == day(3) + timedelta(days=15)
    assert "from 2025-03-21" in finding.advice
    assert "about every 30 days, not more often than every 15 days" in finding.message


def test_over_contact_ends_once_you_keep_to_their_pace_again() -> None:
    entries = ("d0 call", "d1 call", "d2 call", "d3 call")
    assert "ATT004" in codes(story(MONTHLY, *entries, at="d17"))
    assert "ATT004" not in codes(story(MONTHLY, *entries, at="d18 10:00"))


def test_one_quick_call_is_not_a_pace() -> None:
    quick = story(MONTHLY, "d0 call", "d1 call", "d29 call", at="d29 18:00")
    assert "ATT004" not in codes(quick)
    assert "ATT004" in codes(replace(quick, settings={"attention.pace_contacts": 3}))
    # A quick second call every month is twice their pace, once it repeats.
    assert "ATT004" in codes(replace(quick, entries=(*quick.entries, "d31 call"), at="d31 18:00"))


def test_an_opportunity_brought_by_call_email_and_message_is_one_day() -> None:
    opportunity = story(
        MONTHLY,
        "d0 call",
        "d20 call --outcome no-answer --initiative -m 'an editor wants them on air'",
        "d20 11:00 email -m 'the offer in full'",
        "d20 12:00 message -m 'please read my email'",
        at="d21",
    )
    assert "ATT004" not in codes(opportunity)


def test_returning_a_call_they_made_answers_them() -> None:
    missed = story(
        MONTHLY,
        "d0 call --by them --outcome no-answer",
        "d0 11:00 call",
        "d1 call --by them --outcome no-answer",
        "d1 11:00 call",
        "d2 call --by them --outcome no-answer",
        "d2 11:00 call",
        "d3 call --by them --outcome no-answer",
        "d3 11:00 call",
        at="d3 18:00",
    )
    assert "ATT004" not in codes(missed)


def test_only_your_first_contact_after_theirs_answers_them() -> None:
    first, answer = "d0 email --by them", "d0 11:00 email"
    pressed = story(MONTHLY, first, answer, "d1 call", "d2 call", "d3 call", "d4 call", at="d5")
    found = attention.evaluate(pressed.history(), Config()).findings
    assert [(f.code, tuple(e.id for e in f.evidence)) for f in found] == [("ATT004", (3, 4, 5, 6))]
    assert "ATT004" not in codes(replace(pressed, settings={"attention.pace_contacts": 5}))


@FAST
@given(histories(), st.integers(0, 150 * 86400), st.sampled_from(Kind))
def test_a_contact_they_start_never_makes_over_contact_fire(
    history: History, seconds: int, kind: Kind
) -> None:
    """Their contact can only turn one of yours into an answer."""
    if kind is Kind.NOTE:
        kind = Kind.CALL
    history = replace(history, client=replace(history.client, stage=Stage.ACTIVE))
    theirs = InteractionData(
        id=len(history.interactions) + 1,
        client_id=1,
        kind=kind,
        at=START + timedelta(seconds=seconds),
        by=By.THEM,
    )
    after = History(history.client, (*history.interactions, theirs), history.as_of)

    def over(h: History) -> bool:
        return any(f.code == "ATT004" for f in attention.evaluate(h, Config()).findings)

    assert over(after) <= over(history)


# in touch


@FAST
@given(histories())
def test_an_active_client_is_either_in_touch_or_out_of_touch(history: History) -> None:
    history = replace(history, client=replace(history.client, stage=Stage.ACTIVE))
    result = attention.evaluate(history, Config())
    due = attention.contact_due(history, Config())
    out = [f for f in result.findings if f.code == "ATT001"]
    notes = [f for f in result.notes if f.code == "ATT005"]
    assert len(out) + len(notes) == (0 if due is None else 1)
    for note in notes:
        assert (note.severity, note.penalty, note.action, note.when) == (
            Severity.NOTE,
            0,
            Action.NONE,
            due,
        )


def test_in_touch_says_when_the_next_contact_is_due() -> None:
    weekly = story("--stage active --cadence 7", "d0 meeting", "d3 call --by them", at="d5")
    result = attention.evaluate(weekly.history(), Config())
    assert result.findings == () and result.score == 100
    (note,) = result.notes
    assert note.message == (
        "In touch with Dana Levi: the last two-way contact was on 2025-03-06; the next is due "
        "by 2025-03-13."
    )
    assert note.when == day(10)
