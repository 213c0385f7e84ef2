"""Every rule's own examples, generated from the registry.

A rule's firing stories must produce its code, with evidence citing exactly
the entries the story names; its quiet twins must not produce it. A rule is
judged alone here (the stories of one rule say nothing about the others).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from relog.rules import MODULES, RULES

if TYPE_CHECKING:
    from relog.rules.base import Finding, Rule
    from relog.rules.examples import Example

FIRES = [(rule, example) for rule in RULES for example in rule.fires]
QUIET = [(rule, example) for rule in RULES for example in rule.quiet]


def _name(case: tuple[Rule, Example]) -> str:
    rule, example = case
    return f"{rule.code}: {example.story}"


def _judge(rule: Rule, example: Example) -> list[Finding]:
    subject: Any = example.portfolio() if rule.module == "portfolio" else example.history()
    return [f for f in rule.judge(subject, example.config()) if f.code == rule.code]


@pytest.mark.parametrize("case", FIRES, ids=[_name(case) for case in FIRES])
def test_rule_fires_on_its_story(case: tuple[Rule, Example]) -> None:
    rule, example = case
    found = _judge(rule, example)
    assert found, f"{rule.code} stayed quiet on: {example.story}"
    if example.evidence is not None:
        cited = [tuple(e.id for e in finding.evidence) for finding in found]
        assert example.evidence in cited, f"{rule.code} cited {cited}, not {example.evidence}"
    for finding in found:
        assert finding.severity in {rule.severity, rule.escalation}
        assert finding.message and finding.advice


@pytest.mark.parametrize("case", QUIET, ids=[_name(case) for case in QUIET])
def test_rule_stays_quiet_on_its_twin(case: tuple[Rule, Example]) -> None:
    rule, example = case
    found = _judge(rule, example)
    assert not found, f"{rule.code} fired on: {example.story}: {found[0].message}"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_rule_has_stories_both_ways(rule: Rule) -> None:
    assert rule.fires, f"{rule.code} has no story on which it fires"
    assert rule.quiet, f"{rule.code} has no quiet twin"
    for example in (*rule.fires, *rule.quiet):
        assert example.story.strip()
        assert example.entries or rule.module == "portfolio", "a story needs entries"


def test_every_module_is_a_family_of_its_rules() -> None:
    for module in MODULES:
        assert module.RULES == tuple(module.family.rules)
        assert all(rule.module == module.MODULE for rule in module.RULES)
