"""The rule catalogue of docs/rules.md, written from the registry.

Everything in docs/rules.md from the first module heading on comes from here:
each module's idea and docstring, and each rule's severity, stages, settings,
explanation and its own stories. tests/test_rules_registry.py compares the file
with this text; `python -m pytest --regen-golden` rewrites it.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import TYPE_CHECKING

from relog.config import Config
from relog.domain import Stage
from relog.rules.base import ALL_STAGES
from relog.rules.examples import render

if TYPE_CHECKING:
    from types import ModuleType

    from relog.rules.base import Rule
    from relog.rules.examples import Example

MARKER = "<!-- Everything below is written by relog.rules.docs; edit the rules, not this. -->"


def catalogue(modules: list[ModuleType]) -> str:
    """The generated part of docs/rules.md, from MARKER to the end."""
    config = Config()
    parts = [MARKER, ""]
    for module in modules:
        parts += _module(module, config)
    return "\n".join(parts).rstrip() + "\n"


def _module(module: ModuleType, config: Config) -> list[str]:
    doc = inspect.getdoc(module) or ""
    _, _, body = doc.partition("\n\n")
    lines = [f"## {module.MODULE}: {module.IDEA}", ""]
    if body:
        lines += [body, ""]
    for rule in module.RULES:
        lines += _rule(rule, config)
    return lines


def _rule(rule: Rule, config: Config) -> list[str]:
    severity = rule.severity.value
    if rule.escalation is not None:
        severity += f", {rule.escalation.value} when it escalates"
    lines = [
        f"### {rule.code} {rule.symbol}",
        "",
        f"{rule.summary}",
        "",
        f"- **Severity:** {severity}",
        f"- **Stages:** {_stages(rule.stages)}",
    ]
    if rule.settings:
        values = ", ".join(f"`{key}` = {_value(config, key)}" for key in rule.settings)
        lines.append(f"- **Settings:** {values}")
    lines += ["", textwrap.fill(rule.explanation, width=80), ""]
    lines += _stories("Fires on", rule.fires)
    lines += _stories("Stays quiet on", rule.quiet)
    return lines


def _stories(title: str, stories: tuple[Example, ...]) -> list[str]:
    if not stories:
        return []
    lines = [f"**{title}:**", ""]
    for story in stories:
        cited = ""
        if story.evidence:
            cited = f" (evidence: entries {', '.join(str(n) for n in story.evidence)})"
        lines += [f"- {story.story}{cited}", "", "  ```"]
        lines += [f"  {line}" for line in render(story)]
        lines += ["  ```", ""]
    return lines


def _stages(stages: frozenset[Stage]) -> str:
    if stages == ALL_STAGES:
        return "every stage"
    return ", ".join(stage.value for stage in Stage if stage in stages)


def _value(config: Config, key: str) -> object:
    section, name = key.split(".")
    return getattr(getattr(config, section), name)
