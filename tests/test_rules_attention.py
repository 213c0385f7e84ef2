"""Attention beyond its stories: the clock, the pace, the stages, and what they never do."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from relog.config import Config
from relog.domain import ClientData, Stage
from relog.rules import attention
from relog.rules.base import History
from relog.rules.examples import Example, StoryError

START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return START + timedelta(days=n)


def codes(example: Example) -> list[str]:
    result = attention.evaluate(example.history(), example.config())
    return [f.code for f in (*result.findings, *result.notes)]


def story(client: str, *entries: str, at: str, **settings: Any) -> Example:
    return Example("", entries=entries, at=at, client=client, settings=settings)


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
