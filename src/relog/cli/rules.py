"""`relog rules`: what relog looks for in a relationship, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from relog.cli.app import state
from relog.cli.params import JsonOpt
from relog.errors import InputError
from relog.render.console import out, print_json

if TYPE_CHECKING:
    from relog.config import Config
    from relog.rules.base import Rule
    from relog.schema import RuleOut

CODE_PATTERN = "INI, PUR, TRU, ATT, BAL or POR followed by three digits, e.g. PUR001"
THRESHOLD_WIDTH = 26
"""The widest 'key=value' the list shows on one line, so it fits 80 columns."""
WIDE = 80
"""Narrower terminals get the rules stacked, one under the other."""


def _setting(config: Config, key: str) -> tuple[int | float, str]:
    """The value of a "section.key" setting in `config`, and its description."""
    from relog.config import described

    section_name, name = key.split(".")
    section = getattr(config, section_name)
    return getattr(section, name), described(type(section))[name].metadata["description"]


def _short(rule: Rule, key: str) -> str:
    """A setting as the table shows it: without its section when that is the rule's module."""
    section, name = key.split(".")
    return name if section == rule.module else key


def _rule_out(rule: Rule, config: Config, defaults: Config) -> RuleOut:
    from relog.schema import RuleOut, SettingOut

    settings = []
    for key in rule.settings:
        value, description = _setting(config, key)
        default, _ = _setting(defaults, key)
        settings.append(SettingOut(key=key, value=value, default=default, description=description))
    return RuleOut(
        code=rule.code,
        symbol=rule.symbol,
        module=rule.module,
        severity=rule.severity.value,
        summary=rule.summary,
        idea=rule.idea,
        settings=settings,
        explanation=rule.explanation,
    )


def _threshold(rule: Rule, key: str, config: Config) -> str:
    """'key=value' for the table; a key too long for the column breaks before '='."""
    name = _short(rule, key)
    value = _setting(config, key)[0]
    joint = "\n" if len(name) + len(str(value)) + 1 > THRESHOLD_WIDTH else ""
    return f"{name}{joint}={value}"


def _show_table(rules: tuple[Rule, ...], config: Config) -> None:
    """The rules with the thresholds in force (your config over the defaults)."""
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("code", no_wrap=True)
    table.add_column("module", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("threshold", width=THRESHOLD_WIDTH, overflow="fold")
    table.add_column("summary", ratio=1)
    module = ""
    for rule in rules:
        thresholds = "\n".join(_threshold(rule, key, config) for key in rule.settings)
        table.add_row(
            rule.code,
            rule.module if rule.module != module else "",
            rule.severity.value,
            thresholds or "-",
            rule.summary,
        )
        module = rule.module
    console = out()
    if console.width >= WIDE:
        console.print(table)
    else:
        _show_stacked(rules, config)
    console.print("Explain one with: relog rules CODE (e.g. relog rules PUR001)", markup=False)


def _show_stacked(rules: tuple[Rule, ...], config: Config) -> None:
    """The list for a narrow terminal: each rule's summary and thresholds under its code."""
    from rich.table import Table
    from rich.text import Text

    console = out()
    module = ""
    for rule in rules:
        if rule.module != module:
            console.print(Text(rule.module, style="bold"))
            module = rule.module
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(Text(f"  {rule.code}"), Text(f"{rule.summary} ({rule.severity.value})"))
        settings = ", ".join(
            f"{_short(rule, key)}={_setting(config, key)[0]}" for key in rule.settings
        )
        if settings:
            grid.add_row("", Text(settings, style="dim"))
        console.print(grid)


def _show_rule(rule: RuleOut) -> None:
    from rich.table import Table
    from rich.text import Text

    console = out()
    console.print(Text(f"{rule.code}  {rule.symbol}", style="bold"))
    console.print(rule.summary, markup=False)
    console.print()
    facts = Table(box=None, show_header=False, pad_edge=False)
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    facts.add_row("module", rule.module)
    facts.add_row("idea", rule.idea)
    facts.add_row("severity", rule.severity)
    console.print(facts)
    if rule.settings:
        console.print()
        console.print("Settings (your config):", markup=False)
        settings = Table(box=None, show_header=False, pad_edge=False)
        settings.add_column(no_wrap=True)
        settings.add_column()
        for setting in rule.settings:
            changed = "" if setting.value == setting.default else f" (default {setting.default})"
            settings.add_row(
                Text(f"  {setting.key} = {setting.value}"),
                Text(f"{setting.description}{changed}", style="dim"),
            )
        console.print(settings)
    console.print()
    console.print(rule.explanation, markup=False)


def complete_code(incomplete: str) -> list[str]:
    """Rule codes, in the case typed (codes match in any case)."""
    from relog.rules import RULES

    lower = incomplete.islower()
    codes = (rule.code.lower() if lower else rule.code for rule in RULES)
    return [code for code in codes if code.startswith(incomplete)]


def rules_command(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            help="A rule code to explain, e.g. PUR001.",
            autocompletion=complete_code,
            show_default=False,
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """List the rules relog checks, or explain one with its settings."""
    from relog.config import Config
    from relog.rules import RULES, find_rule

    defaults = Config()
    if code is None:
        if json:
            from relog.schema import RuleList

            config = state(ctx).config()
            print_json(RuleList(rules=[_rule_out(rule, config, defaults) for rule in RULES]))
        else:
            _show_table(RULES, state(ctx).config())
        return
    rule = find_rule(code)
    if rule is None:
        raise InputError(
            f"no rule {code!r}; a code is {CODE_PATTERN} (see 'relog rules' for the list)"
        )
    detail = _rule_out(rule, state(ctx).config(), defaults)
    if json:
        print_json(detail)
    else:
        _show_rule(detail)
