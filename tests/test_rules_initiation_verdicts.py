"""Initiation beyond its stories: severities, next steps, and how its rules agree.

The rules' own stories (tests/test_rule_examples.py) say when each fires; these
say what it then asks of the user, and that following one rule's advice never
sets off another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from relog.rules import initiation
from relog.rules.base import Action, Severity
from relog.rules.examples import Example

if TYPE_CHECKING:
    from relog.rules.base import Finding, ModuleResult


def judge(example: Example) -> ModuleResult:
    return initiation.evaluate(example.history(), example.config())


def the(code: str, result: ModuleResult) -> Finding:
    (finding,) = [f for f in (*result.findings, *result.notes) if f.code == code]
    return finding


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
