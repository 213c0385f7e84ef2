"""Trust beyond its stories: when to deliver, and what counts as a trust step."""

from __future__ import annotations

from dataclasses import replace

from relog.config import Config
from relog.domain import By, InteractionData, Item, Kind
from relog.rules import trust
from relog.rules.base import Action
from relog.rules.examples import Example, moment


def test_a_late_request_is_to_be_delivered_now() -> None:
    story = Example("Prices asked for", entries=("d0 call --by them --asked prices",), at="d3")
    (finding,) = trust.evaluate(story.history(), Config()).findings
    assert finding.code == "TRU001" and finding.action is Action.DELIVER
    assert finding.when is None, "None is now"
    assert finding.advice == "Send prices now, and log it with --gave prices."


def test_a_trust_step_is_whatever_you_gave_but_only_your_own_initiative() -> None:
    met = InteractionData(id=1, client_id=1, kind=Kind.MEETING, at=moment("d0"), by=By.THEM)
    assert replace(met, gave=frozenset({Item.MATERIALS})).trust_step, "brought to their meeting"
    assert replace(met, by=By.ME, initiative=True).trust_step
    assert not replace(met, initiative=True).trust_step, "their idea, not yours"
    assert not replace(met, by=By.ME, kind=Kind.NOTE, initiative=True).trust_step
