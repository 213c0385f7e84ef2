"""Balance: the edges of its rules that the generated story tests do not pin down.

Which severity and which moment an open disagreement gets (a note while it is
fresh or given time once, a warning once it sat or became the routine), that a
settled disagreement closes what was open before it, and the stages judged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from relog.domain import Stage
from relog.rules import balance
from relog.rules.base import Action, Severity
from relog.rules.examples import Example, moment

if TYPE_CHECKING:
    from relog.rules.base import Finding


def judged(example: Example, code: str) -> list[Finding]:
    history, config = example.history(), example.config()
    return [f for r in balance.RULES if r.code == code for f in r.judge(history, config)]


def story(
    *entries: str, at: str, stage: str = "active", settings: dict[str, int] | None = None
) -> Example:
    return Example("", client=f"--stage {stage}", entries=entries, at=at, settings=settings or {})


OPEN = "d0 meeting --disagreement unresolved"


@pytest.mark.parametrize(
    ("at", "severity", "when"),
    [
        ("d0 11:00", Severity.NOTE, "d1"),  # an hour ago: not yet a problem
        ("d0 23:00", Severity.NOTE, "d1"),  # the same evening: still time to raise it
        ("d1", Severity.WARNING, None),  # a day on with nothing agreed: it sat
        ("d5", Severity.WARNING, None),
    ],
)
def test_an_open_disagreement_is_a_note_for_a_day_then_a_warning(
    at: str, severity: Severity, when: str | None
) -> None:
    (finding,) = judged(story(OPEN, at=at), "BAL004")
    assert finding.severity is severity
    assert finding.when == (moment(when) if when else None)
    assert finding.action is Action.TALK
    assert finding.penalty == (0 if severity is Severity.NOTE else 15)


def test_the_day_of_grace_is_a_setting() -> None:
    (finding,) = judged(
        story(OPEN, at="d0 11:00", settings={"balance.unresolved_days": 0}), "BAL004"
    )
    assert finding.severity is Severity.WARNING


def test_giving_it_time_lasts_until_the_agreed_contact_and_no_longer() -> None:
    given = (f"{OPEN} --next d7",)
    (waiting,) = judged(story(*given, at="d6"), "BAL004")
    assert (waiting.severity, waiting.when) == (Severity.NOTE, moment("d7"))
    assert "until the contact agreed for" in waiting.message
    (sat,) = judged(story(*given, at="d8"), "BAL004")
    assert sat.severity is Severity.WARNING


def test_a_time_agreed_after_the_disagreement_gives_it_time_too() -> None:
    (finding,) = judged(story(OPEN, "d0 15:00 email --next d4", at="d2"), "BAL004")
    assert (finding.severity, finding.when) == (Severity.NOTE, moment("d4"))


def test_a_contact_agreed_before_the_disagreement_is_not_giving_it_time() -> None:
    earlier = "d0 meeting --next d30 -m 'the monthly review'"
    later = "d1 call --disagreement unresolved"
    (finding,) = judged(story(earlier, later, at="d4"), "BAL004")
    assert finding.severity is Severity.WARNING
    assert [e.id for e in finding.evidence] == [2]


def test_left_for_next_time_again_is_the_routine_even_with_a_time_agreed() -> None:
    again = (f"{OPEN} --next d7", "d7 meeting --disagreement unresolved --next d14")
    (finding,) = judged(story(*again, at="d7 12:00"), "BAL004")
    assert finding.severity is Severity.WARNING and finding.when is None
    assert "left unresolved twice (2025-03-03 to 2025-03-10)" in finding.message


def test_one_settled_disagreement_closes_every_one_open_before_it() -> None:
    rounds = (OPEN, "d7 call --disagreement unresolved", "d8 call --disagreement insisted")
    assert judged(story(*rounds, at="d9"), "BAL004") == []
    # A new one after that is open on its own.
    (finding,) = judged(story(*rounds, "d9 call --disagreement unresolved", at="d12"), "BAL004")
    assert [e.id for e in finding.evidence] == [4]


def test_parting_waits_while_the_latest_disagreement_is_settled() -> None:
    record = [OPEN, *(f"d{n} call --disagreement unresolved" for n in (7, 14, 21))]
    (finding,) = judged(story(*record, "d28 call --disagreement unresolved", at="d29"), "BAL005")
    assert [e.id for e in finding.evidence] == [1, 2, 3, 4, 5]
    assert finding.action is Action.TALK
    assert judged(story(*record, "d28 call --disagreement together", at="d29"), "BAL005") == []


@pytest.mark.parametrize("stage", [Stage.LEAD, Stage.PROSPECT, Stage.FORMER])
def test_only_clients_you_work_for_are_judged(stage: Stage) -> None:
    conceded = (f"d{n} call --disagreement conceded" for n in (1, 2, 3))
    example = story(OPEN, *conceded, at="d5", stage=stage.value)
    result = balance.evaluate(example.history(), example.config())
    assert not result.applicable and result.score == 100
    assert "part of the sale" in result.note


def test_a_paused_client_is_judged() -> None:
    paused = story(OPEN, at="d3", stage="paused")
    assert [f.code for f in balance.evaluate(paused.history(), paused.config()).findings] == [
        "BAL004"
    ]


def test_every_finding_says_what_to_put_on_the_table() -> None:
    for rule in balance.RULES:
        for example in rule.fires:
            for finding in rule.judge(example.history(), example.config()):
                assert finding.action is Action.TALK, (rule.code, example.story)
                assert finding.whom is None
