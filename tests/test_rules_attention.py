"""Attention beyond its stories: the clock, the pace, the stages, and what they never do."""

from __future__ import annotations

from typing import Any

import pytest

from relog.rules.examples import Example, StoryError


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
