"""The rule modules and the registry that finds them.

Each module is pure: `evaluate` reads one relationship's `History` (the
portfolio module reads the whole `Portfolio`) and returns a `ModuleResult`;
`RULES` in each module documents what it can find. `relog rules`,
docs/rules.md and the tests are all driven from here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from relog.rules import attention, balance, initiation, portfolio, pursuit, trust

if TYPE_CHECKING:
    from collections.abc import Callable

    from relog.config import Config
    from relog.rules.base import History, ModuleResult, Portfolio, Rule

CLIENT_MODULES: dict[str, Callable[[History, Config], ModuleResult]] = {
    initiation.MODULE: initiation.evaluate,
    pursuit.MODULE: pursuit.evaluate,
    trust.MODULE: trust.evaluate,
    attention.MODULE: attention.evaluate,
    balance.MODULE: balance.evaluate,
}
"""Every module that scores one relationship, in the order reviews show them."""

PORTFOLIO_MODULE: Callable[[Portfolio, Config], ModuleResult] = portfolio.evaluate

RULES: tuple[Rule, ...] = (
    *initiation.RULES,
    *pursuit.RULES,
    *trust.RULES,
    *attention.RULES,
    *balance.RULES,
    *portfolio.RULES,
)

IDEAS: dict[str, str] = {
    initiation.MODULE: initiation.IDEA,
    pursuit.MODULE: pursuit.IDEA,
    trust.MODULE: trust.IDEA,
    attention.MODULE: attention.IDEA,
    balance.MODULE: balance.IDEA,
    portfolio.MODULE: portfolio.IDEA,
}
"""Each module's idea in a few words, as `relog rules` and docs/rules.md name it."""

MODULES = (initiation, pursuit, trust, attention, balance, portfolio)
"""The rule modules, in the order reviews and docs/rules.md show them."""

_BY_CODE = {rule.code: rule for rule in RULES}


def meetings_lookback(config: Config) -> timedelta:
    """How far before a review the day-by-day meeting load is read (for the trust rules).

    The rules say what they read; the command only fetches it.
    """
    return timedelta(days=config.trust.lookback_days + 1)


def find_rule(code: str) -> Rule | None:
    """The rule with this code, in any case ("pur001" finds PUR001)."""
    return _BY_CODE.get(code.strip().upper())


__all__ = [
    "CLIENT_MODULES",
    "IDEAS",
    "MODULES",
    "PORTFOLIO_MODULE",
    "RULES",
    "find_rule",
    "meetings_lookback",
]
