"""Balance: neither always give in nor always insist.

A record of conceding every point to one client is as unhealthy as fighting
every point. Concede where it does not matter, and when you do, say what you
expect will happen; put objections on the table at once instead of letting
them sit; and when everything was tried and nothing works, part ways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relog.domain import Resolution
from relog.rules.base import (
    Action,
    Finding,
    ModuleResult,
    Rule,
    Severity,
    days_since,
    evidence,
    penalty,
    plural,
    score_from,
    ymd,
)

if TYPE_CHECKING:
    from relog.config import Config
    from relog.domain import InteractionData
    from relog.rules.base import History

MODULE = "balance"
IDEA = "Neither always give in nor always insist"

RULES: tuple[Rule, ...] = (
    Rule(
        code="BAL001",
        symbol="always-conceding",
        module=MODULE,
        severity=Severity.WARNING,
        summary="You give in on most disagreements with the client.",
        idea=IDEA,
        settings=("balance.min_disagreements", "balance.one_sided_share"),
        explanation=(
            "Once there are min_disagreements disagreements, checks the share you conceded. "
            "At one_sided_share or more, the relationship is one-sided: a 'you're right' you "
            "don't mean only postpones the argument. Say plainly what you think and why."
        ),
    ),
    Rule(
        code="BAL002",
        symbol="always-insisting",
        module=MODULE,
        severity=Severity.WARNING,
        summary="You insist on most disagreements with the client.",
        idea=IDEA,
        settings=("balance.min_disagreements", "balance.one_sided_share"),
        explanation=(
            "The mirror of BAL001: the share of disagreements where you insisted. You are not "
            "always right either; listen to their side, ask whether you explained yourself "
            "well, and let go where it does not matter."
        ),
    ),
    Rule(
        code="BAL003",
        symbol="concession-without-expectations",
        module=MODULE,
        severity=Severity.INFO,
        summary="You conceded without saying what you expect to happen.",
        idea=IDEA,
        settings=("balance.expectations_days",),
        explanation=(
            "Every disagreement you conceded within expectations_days without setting "
            "expectations. When you give in, say what you expect will follow (cost, time, "
            "result), then let it happen, so the outcome is understood by both."
        ),
    ),
    Rule(
        code="BAL004",
        symbol="unresolved-disagreement",
        module=MODULE,
        severity=Severity.WARNING,
        summary="The latest disagreement is still unresolved.",
        idea=IDEA,
        settings=(),
        explanation=(
            "Looks at the latest disagreement logged with the client. Left unresolved, it "
            "grows; put it on the table now, hear them out, and agree on a way forward."
        ),
    ),
    Rule(
        code="BAL005",
        symbol="consider-parting",
        module=MODULE,
        severity=Severity.ALERT,
        summary="Many disagreements, most unresolved: consider parting.",
        idea=IDEA,
        settings=("balance.part_ways_disagreements", "balance.part_ways_unresolved_share"),
        explanation=(
            "Once there are part_ways_disagreements disagreements and more than "
            "part_ways_unresolved_share of them ended unresolved, the relationship may have "
            "run its course. Have one honest conversation about it; if nothing changes, "
            "part ways on good terms."
        ),
    ),
)


def _one_sided(
    code: str,
    disagreements: list[InteractionData],
    resolution: Resolution,
    name: str,
    config: Config,
) -> Finding | None:
    settings = config.balance
    which = [entry for entry in disagreements if entry.disagreement is resolution]
    total = len(disagreements)
    if total < settings.min_disagreements or len(which) / total < settings.one_sided_share:
        return None
    if resolution is Resolution.CONCEDED:
        seen = f"You gave in on {len(which)} of {plural(total, 'disagreement')} with {name}"
        advice = (
            "Giving in every time only postpones the real argument. Next time, say plainly "
            "what you think and why, and look for a solution you both stand behind."
        )
    else:
        seen = f"You insisted on {len(which)} of {plural(total, 'disagreement')} with {name}"
        advice = (
            "You are not always right either. Hear their side in full, ask whether you "
            "explained yourself well, and let go where it does not matter."
        )
    return Finding(
        code=code,
        severity=Severity.WARNING,
        message=f"{seen} (since {ymd(disagreements[0].at)}).",
        advice=advice,
        evidence=evidence(*which),
        penalty=penalty(config, Severity.WARNING),
        action=None,
    )


def evaluate(history: History, config: Config) -> ModuleResult:
    settings = config.balance
    client = history.client
    entries = history.interactions
    disagreements = [entry for entry in entries if entry.disagreement is not None]
    findings: list[Finding] = []

    for code, resolution in (("BAL001", Resolution.CONCEDED), ("BAL002", Resolution.INSISTED)):
        one_sided = _one_sided(code, disagreements, resolution, client.name, config)
        if one_sided is not None:
            findings.append(one_sided)

    for entry in disagreements:
        if (
            entry.disagreement is Resolution.CONCEDED
            and not entry.expectations
            and days_since(entry.at, history.as_of) <= settings.expectations_days
        ):
            findings.append(
                Finding(
                    code="BAL003",
                    severity=Severity.INFO,
                    message=(
                        f"On {ymd(entry.at)} you gave in to {client.name} without saying what "
                        "you expect to happen."
                    ),
                    advice=(
                        "When you concede, tell them what you expect will follow (time, cost, "
                        "result) and then let it happen; log it with --expectations."
                    ),
                    evidence=evidence(entry),
                    penalty=penalty(config, Severity.INFO),
                    action=None,
                )
            )

    if disagreements and disagreements[-1].disagreement is Resolution.UNRESOLVED:
        latest = disagreements[-1]
        findings.append(
            Finding(
                code="BAL004",
                severity=Severity.WARNING,
                message=(
                    f"The disagreement with {client.name} on {ymd(latest.at)} is still unresolved."
                ),
                advice=(
                    "Don't let it sit: raise it with them now, let them be heard, and agree on "
                    "a way forward."
                ),
                evidence=evidence(latest),
                penalty=penalty(config, Severity.WARNING),
                action=Action.TALK,
            )
        )

    unresolved = [e for e in disagreements if e.disagreement is Resolution.UNRESOLVED]
    total = len(disagreements)
    if (
        total >= settings.part_ways_disagreements
        and len(unresolved) / total > settings.part_ways_unresolved_share
    ):
        findings.append(
            Finding(
                code="BAL005",
                severity=Severity.ALERT,
                message=(
                    f"{len(unresolved)} of {plural(total, 'disagreement')} with {client.name} "
                    f"since {ymd(disagreements[0].at)} ended unresolved."
                ),
                advice=(
                    "If you have listened, explained yourself and given way where it did not "
                    "matter, and it still does not work, talk about parting ways on good terms."
                ),
                evidence=evidence(*unresolved),
                penalty=penalty(config, Severity.ALERT),
                action=Action.TALK,
            )
        )

    found = tuple(findings)
    return ModuleResult(MODULE, score_from(found), found)
