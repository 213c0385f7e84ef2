"""The rule modules and the registry that finds them.

Each module is pure: `evaluate` reads one relationship's `History` (the
portfolio module reads the whole `Portfolio`) and returns a `ModuleResult`;
`RULES` in each module documents what it can find. `relog rules`,
docs/rules.md and the tests are all driven from here.
"""

from __future__ import annotations

import bisect
from datetime import timedelta
from operator import attrgetter
from typing import TYPE_CHECKING

from relog.domain import Kind, Outcome, Timeline
from relog.rules import attention, balance, initiation, portfolio, pursuit, trust
from relog.rules.base import local_day

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date, datetime

    from relog.config import Config
    from relog.domain import InteractionData
    from relog.rules.base import History, ModuleResult, Portfolio, Rule

CLIENT_MODULES: dict[str, Callable[[History, Config], ModuleResult]] = {
    initiation.MODULE: initiation.evaluate,
    pursuit.MODULE: pursuit.evaluate,
    trust.MODULE: trust.evaluate,
    attention.MODULE: attention.evaluate,
    balance.MODULE: balance.evaluate,
}
"""Every module that scores one relationship, in the order reviews show them."""

CLIENT_SCORES: dict[str, Callable[[History, Config], int | None]] = {
    module.MODULE: module.family.score
    for module in (initiation, pursuit, trust, attention, balance)
}
"""Each of `CLIENT_MODULES` giving its score alone (None: not applicable), for the trend."""

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


def meeting_days(entries: Iterable[InteractionData], since: datetime, config: Config) -> set[date]:
    """The local days of one client's meetings (none cancelled) whose daily load their
    reviews from `since` on read: the only days of `meetings_per_day` the rules look up
    for a client (the trust rules read the load of the days they met you)."""
    start = since - meetings_lookback(config)
    if isinstance(entries, Timeline):  # known order: skip what came before `start`
        entries = entries[bisect.bisect_left(entries, start, key=_MOMENT) :]
    return {
        local_day(entry)
        for entry in entries
        if entry.at >= start
        and entry.kind is Kind.MEETING
        and entry.outcome is not Outcome.CANCELLED
    }


_MOMENT = attrgetter("at")


def find_rule(code: str) -> Rule | None:
    """The rule with this code, in any case ("pur001" finds PUR001)."""
    return _BY_CODE.get(code.strip().upper())


__all__ = [
    "CLIENT_MODULES",
    "CLIENT_SCORES",
    "IDEAS",
    "MODULES",
    "PORTFOLIO_MODULE",
    "RULES",
    "find_rule",
    "meeting_days",
    "meetings_lookback",
]
