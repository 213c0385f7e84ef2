"""The rule catalogue: codes, settings, docs and `relog rules`, all from the registry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from relog.config import Config, described
from relog.rules import CLIENT_MODULES, IDEAS, MODULES, RULES, find_rule
from relog.rules.docs import MARKER, catalogue

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Golden, Run

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
CODES = [rule.code for rule in RULES]
PREFIX = {
    "initiation": "INI",
    "pursuit": "PUR",
    "trust": "TRU",
    "attention": "ATT",
    "balance": "BAL",
    "portfolio": "POR",
}


def test_codes_are_unique_well_formed_and_in_order() -> None:
    assert len(set(CODES)) == len(CODES)
    assert CODES == sorted(CODES, key=lambda code: (list(PREFIX.values()).index(code[:3]), code))
    for rule in RULES:
        assert re.fullmatch(r"(INI|PUR|TRU|ATT|BAL|POR)\d{3}", rule.code), rule.code
        assert rule.code.startswith(PREFIX[rule.module]), rule.code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.symbol), rule.symbol
        assert rule.idea == IDEAS[rule.module]
        assert rule.summary and rule.explanation


def test_client_modules_in_review_order() -> None:
    assert list(CLIENT_MODULES) == ["initiation", "pursuit", "trust", "attention", "balance"]


@pytest.mark.parametrize("rule", RULES, ids=CODES)
def test_every_setting_exists_in_config(rule: Any) -> None:
    config = Config()
    for key in rule.settings:
        section, name = key.split(".")
        assert name in described(type(getattr(config, section))), key


def test_find_rule_ignores_case() -> None:
    assert find_rule("pur001") is find_rule("PUR001") is RULES[CODES.index("PUR001")]
    assert find_rule("NOPE") is None


def test_every_code_and_symbol_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"### {rule.code} {rule.symbol}" in text, rule.code
    for module, idea in IDEAS.items():
        assert f"## {module}: {idea}" in text, module


def test_the_catalogue_in_docs_is_written_from_the_registry(golden: Golden) -> None:
    text = DOCS.read_text(encoding="utf-8")
    head, marker, _ = text.partition(MARKER)
    assert marker, "docs/rules.md has lost the marker above its generated catalogue"
    golden(DOCS, head + catalogue(list(MODULES)))


def test_documented_defaults_match_config() -> None:
    text = DOCS.read_text(encoding="utf-8")
    config = Config()
    for rule in RULES:
        for key in rule.settings:
            section, name = key.split(".")
            assert f"`{key}` = {getattr(getattr(config, section), name)}" in text, key


def test_rules_lists_every_code(run: Run) -> None:
    listing = run("rules").stdout
    for rule in RULES:
        assert rule.code in listing
    assert "chase_streak=2" in listing


def test_rules_list_fits_80_columns(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert max(len(line.rstrip()) for line in run("rules").stdout.splitlines()) <= 80


def test_rules_explains_one(run: Run) -> None:
    text = run("rules", "pur001").stdout
    assert "PUR001" in text and "chasing" in text
    assert "Follow-up is not pursuit" in text
    assert "pursuit.chase_streak = 2" in text


def test_rules_explains_with_the_users_config(run: Run, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        "[pursuit]\nchase_streak = 4\nalert_streak = 5\n", encoding="utf-8"
    )
    text = run("rules", "PUR001").stdout
    assert "pursuit.chase_streak = 4" in text and "(default 2)" in text


def test_rules_json(run_json: Callable[..., Any]) -> None:
    listed = run_json("rules")
    assert [rule["code"] for rule in listed["rules"]] == CODES
    one = run_json("rules", "TRU001")
    assert one["idea"] == "Trust is built in steps"
    assert one["severity"] == "warning"
    assert {s["key"]: s["value"] for s in one["settings"]} == {
        "trust.request_days": 2,
        "trust.request_alert_days": 7,
    }


def test_unknown_rule_is_one_clear_line(run: Run) -> None:
    result = run("rules", "NOPE", code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "NOPE" in lines[0] and "PUR001" in lines[0] and "relog rules" in lines[0]
    assert result.stdout == ""
