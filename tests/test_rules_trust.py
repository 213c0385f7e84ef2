"""Trust beyond its stories: when to deliver, and one verdict for every open request."""

from __future__ import annotations

from dataclasses import replace

from relog.domain import By, InteractionData, Item, Kind
from relog.rules.examples import moment


def test_a_trust_step_is_whatever_you_gave_but_only_your_own_initiative() -> None:
    met = InteractionData(id=1, client_id=1, kind=Kind.MEETING, at=moment("d0"), by=By.THEM)
    assert replace(met, gave=frozenset({Item.MATERIALS})).trust_step, "brought to their meeting"
    assert replace(met, by=By.ME, initiative=True).trust_step
    assert not replace(met, initiative=True).trust_step, "their idea, not yours"
    assert not replace(met, by=By.ME, kind=Kind.NOTE, initiative=True).trust_step
