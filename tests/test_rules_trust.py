"""Trust beyond its stories: when to deliver, what counts as a trust step, and one
verdict for every open request."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from hypothesis import given

from relog.config import Config
from relog.domain import By, InteractionData, Item, Kind
from relog.rules import trust
from relog.rules.base import Action, Severity, days_since
from relog.rules.examples import Example, moment
from tests.test_rules_properties import FAST, histories

if TYPE_CHECKING:
    from relog.rules.base import Finding, History

CONFIG = Config()


def judged(example: Example) -> list[Finding]:
    result = trust.evaluate(example.history(), example.config())
    return [*result.findings, *result.notes]


def test_a_fresh_request_is_due_when_it_would_become_late() -> None:
    story = Example(
        "They asked for prices at a meeting",
        entries=("d0 14:00 meeting --by them --asked prices",),
        at="d1",
    )
    result = trust.evaluate(story.history(), Config())
    assert result.findings == () and result.score == 100
    (note,) = result.notes
    assert (note.code, note.severity, note.penalty) == ("TRU005", Severity.NOTE, 0)
    assert note.action is Action.DELIVER
    assert note.when == moment("d0 14:00") + timedelta(days=2)
    assert "--gave prices" in note.advice and "while the request is fresh" in note.advice


def test_a_late_request_is_to_be_delivered_now() -> None:
    story = Example("Prices asked for", entries=("d0 call --by them --asked prices",), at="d3")
    (finding,) = trust.evaluate(story.history(), Config()).findings
    assert finding.code == "TRU001" and finding.action is Action.DELIVER
    assert finding.when is None, "None is now"
    assert finding.advice == "Send prices now, and log it with --gave prices."


def test_a_note_names_only_what_is_still_waiting_and_a_question_as_such() -> None:
    story = Example(
        "A question and two items; one item sent",
        entries=(
            "d0 email --by them --asked question,references,prices",
            "d0 12:00 email --gave prices",
        ),
        at="d0 13:00",
    )
    (note,) = judged(story)
    assert note.message.startswith(
        "They asked for references (clients they can ask about you) and asked a question "
        "on 2025-03-03, today"
    )
    assert "prices" not in note.message
    assert note.advice.startswith(
        "Send references (clients they can ask about you) and give their question a serious answer"
    )
    assert note.advice.endswith("--gave question,references.")


def test_a_trust_step_is_whatever_you_gave_but_only_your_own_initiative() -> None:
    met = InteractionData(id=1, client_id=1, kind=Kind.MEETING, at=moment("d0"), by=By.THEM)
    assert replace(met, gave=frozenset({Item.MATERIALS})).trust_step, "brought to their meeting"
    assert replace(met, by=By.ME, initiative=True).trust_step
    assert not replace(met, initiative=True).trust_step, "their idea, not yours"
    assert not replace(met, by=By.ME, kind=Kind.NOTE, initiative=True).trust_step


@FAST
@given(histories())
def test_every_open_request_is_either_late_or_waiting(history: History) -> None:
    """TRU001 and TRU005 split what is open at request_days: each item once, never both."""
    open_items = sorted({r.item for r in history.requests if r.open_at(history.as_of)})
    result = trust.evaluate(history, CONFIG)
    late = [f for f in result.findings if f.code == "TRU001"]
    waiting = [f for f in result.notes if f.code == "TRU005"]
    assert sorted(item for f in [*late, *waiting] for item in _given(f)) == open_items
    for finding in late:
        assert finding.action is Action.DELIVER and finding.when is None
    for note in waiting:
        assert note.action is Action.DELIVER and note.penalty == 0
        assert note.when is not None and note.when >= history.as_of
        assert days_since(note.evidence[0].at, history.as_of) <= CONFIG.trust.request_days


def _given(finding: Finding) -> list[Item]:
    """The items the advice says to log with --gave."""
    codes = finding.advice.rsplit("--gave ", 1)[1].removesuffix(".")
    return [Item(code) for code in codes.split(",")]
