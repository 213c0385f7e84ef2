"""Initiation beyond its stories: severities, next steps, and how its rules agree.

The rules' own stories (tests/test_rule_examples.py) say when each fires; these
say what it then asks of the user, and that following one rule's advice never
sets off another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from relog.config import Config
from relog.review import review_client
from relog.rules import initiation
from relog.rules.base import Action, Severity
from relog.rules.examples import Example, moment

if TYPE_CHECKING:
    from relog.rules.base import Finding, ModuleResult


def judge(example: Example) -> ModuleResult:
    return initiation.evaluate(example.history(), example.config())


def the(code: str, result: ModuleResult) -> Finding:
    (finding,) = [f for f in (*result.findings, *result.notes) if f.code == code]
    return finding


def missed_call(at: str, **settings: Any) -> Example:
    return Example(
        "A lead phoned and nobody called back",
        client="--stage lead --source inbound",
        entries=("d0 call --by them --outcome no-answer",),
        at=at,
        settings=settings,
    )


def clock(text: str) -> str:
    return f"{moment(text).astimezone():%Y-%m-%d at %H:%M}"


# INI004: an inbound contact you have not answered


def test_a_missed_call_is_a_warning_at_once_and_an_alert_after_answer_hours() -> None:
    soon = the("INI004", judge(missed_call("d0 10:05")))
    assert (soon.severity, soon.action, soon.when) == (Severity.WARNING, Action.ANSWER, None)
    assert soon.message == (
        f"Dana Levi called you on {clock('d0')} and you missed the call; "
        "nothing of yours is logged since."
    )
    assert soon.advice.startswith("Call them back today. They reached out to you")
    assert the("INI004", judge(missed_call("d1"))).severity is Severity.WARNING
    late = the("INI004", judge(missed_call("d1 10:01")))
    assert late.severity is Severity.ALERT
    assert late.message.endswith("The first has waited more than 24 hours.")


def test_answer_hours_comes_from_config() -> None:
    found = the("INI004", judge(missed_call("d0 13:00", **{"initiation.answer_hours": 2})))
    assert found.severity is Severity.ALERT
    assert "more than 2 hours" in found.message
    with pytest.raises(ValueError):
        Config.model_validate({"initiation": {"answer_hours": 0}})


def test_every_unanswered_attempt_is_named_and_the_advice_follows_the_latest_channel() -> None:
    story = Example(
        "A voicemail, then a message the next morning",
        client="--stage prospect --source referral --referred-by Avi",
        entries=("d0 call --by them --outcome left-message", "d1 08:00 message --by them"),
        at="d1 09:00",
    )
    found = the("INI004", judge(story))
    assert [e.id for e in found.evidence] == [1, 2]
    assert found.message == (
        f"Dana Levi called you on {clock('d0')} and left a voicemail, then sent you a "
        f"message on {clock('d1 08:00')}; nothing of yours is logged since."
    )
    assert found.advice.startswith("Answer their message today")


def test_a_lead_who_phoned_and_was_never_called_back_is_not_healthy() -> None:
    story = missed_call("d0 15:00")
    review = review_client(story.clients()[0], story.interactions(), story.as_of, Config())
    assert review.health is not None and review.health < 100
    assert review.next_step.action is Action.ANSWER


def test_answering_them_is_never_counted_as_chasing_a_prospect() -> None:
    """INI004 asks you to call back; INI002 must not then count the call against you."""
    answered = Example(
        "She called and you missed it; you called back, and once more a few days later",
        client="--stage prospect --source inbound",
        entries=("d0 call --by them --outcome no-answer", "d0 14:00 call", "d4 call"),
        at="d5",
    )
    assert judge(answered).findings == ()
    talked = Example(
        "She called and you talked; then you called twice",
        client="--stage prospect --source inbound",
        entries=("d0 call --by them", "d0 14:00 call", "d4 call"),
        at="d5",
    )
    assert [f.code for f in judge(talked).findings] == ["INI002"]


# INI005: nothing logged yet


@pytest.mark.parametrize(
    ("client", "action", "whom", "advice"),
    [
        ("--stage lead --source referral --referred-by Avi", Action.WAIT, "Avi", "ask Avi"),
        ("--stage prospect --source referral", Action.WAIT, None, "the person who referred"),
        ("--stage lead --source inbound", Action.ANSWER, None, "Answer them fast, today"),
        ("--stage lead --source outbound", Action.CALL, None, "introduce yourself"),
        ("--stage lead", Action.NONE, None, "relog client edit 'Dana Levi' --source"),
        ("--stage active --source referral", Action.NONE, None, "Log your contacts"),
        ("--stage paused --source outbound", Action.NONE, None, "Log your contacts"),
    ],
)
def test_a_client_with_nothing_logged_gets_a_note_on_how_to_open(
    client: str, action: Action, whom: str | None, advice: str
) -> None:
    story = Example("Nothing logged yet", client=client, entries=(), at="d3")
    result = judge(story)
    assert (result.score, result.findings) == (100, ())
    note = the("INI005", result)
    assert (note.severity, note.penalty, note.action, note.whom) == (Severity.NOTE, 0, action, whom)
    assert note.message.startswith("No contact with Dana Levi is logged yet")
    assert advice in note.advice


def test_the_note_goes_once_the_first_contact_is_logged() -> None:
    story = Example(
        "She called",
        client="--stage lead --source referral",
        entries=("d0 call --by them",),
        at="d1",
    )
    assert judge(story).notes == ()


# INI001 and INI003 by stage


def test_a_cold_opening_is_a_warning_while_they_are_in_the_pipeline_and_a_lesson_after() -> None:
    def opened(stage: str) -> Finding:
        story = Example(
            "You phoned the referral first",
            client=f"--stage {stage} --source referral --referred-by Avi",
            entries=("d0 call",),
            at="d5",
        )
        return the("INI001", judge(story))

    assert (opened("prospect").severity, opened("prospect").action) == (
        Severity.WARNING,
        Action.WAIT,
    )
    assert (opened("active").severity, opened("active").action) == (Severity.INFO, None)


@pytest.mark.parametrize("stage", ["active", "paused", "former"])
def test_a_client_who_works_through_their_team_is_not_judged_for_it(stage: str) -> None:
    story = Example(
        "They had you work with their team",
        client=f"--stage {stage}",
        entries=("d0 call --delegated",),
        at="d2",
    )
    assert "INI003" not in {f.code for f in judge(story).findings}
