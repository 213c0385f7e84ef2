"""Balance: neither always give in nor always insist.

A record of conceding every point to one client is as unhealthy as fighting
every point. Concede where it does not matter, and when you do, say what you
expect will happen and let it happen; put objections on the table at once
instead of letting them sit; give a disagreement time to sink in once, but not
as a habit; and when everything was tried and nothing works, part ways.

A disagreement logged unresolved stays open until a later entry settles a
disagreement (together, conceded or insisted): that entry closes every one
still open before it, since one good talk usually settles what was carried
over. These rules judge clients you work for (active or paused): with a lead
or a prospect, a disagreement over terms is part of the sale, and the pursuit
and trust rules judge that.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from relog.domain import Resolution, Stage
from relog.rules.base import (
    Action,
    Family,
    Hit,
    Rule,
    Severity,
    ago,
    days_since,
    evidence,
    plural,
    times,
    up_to_then,
    ymd,
)
from relog.rules.examples import Example

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from relog.config import Config
    from relog.domain import InteractionData
    from relog.rules.base import History

MODULE = "balance"
IDEA = "Neither always give in nor always insist"

WORKING = (Stage.ACTIVE, Stage.PAUSED)
"""The stages at which you work for the client: the only ones these rules judge."""

family = Family(
    MODULE,
    IDEA,
    quiet_note=(
        "only for clients you work for: with a lead or prospect, a disagreement over "
        "terms is part of the sale"
    ),
)
rule = family.rule


def _disagreements(history: History) -> tuple[InteractionData, ...]:
    """Every entry that logs a disagreement, oldest first."""
    return history.fact(
        "balance.disagreements",
        lambda: tuple(e for e in history.interactions if e.disagreement is not None),
        cut=up_to_then,
    )


def _still_open(history: History) -> tuple[InteractionData, ...]:
    """The disagreements left unresolved since the last one that was settled, oldest first.

    A disagreement settled later (together, conceded or insisted) closes every
    one still open before it; empty when the latest disagreement was settled.
    """

    def work() -> tuple[InteractionData, ...]:
        found = _disagreements(history)
        cut = len(found)
        while cut and found[cut - 1].disagreement is Resolution.UNRESOLVED:
            cut -= 1
        return found[cut:]

    return history.fact("balance.still_open", work)


def _agreed_ahead(history: History, since: datetime) -> datetime | None:
    """The earliest next contact agreed from `since` on that is still to come.

    Giving a disagreement time is a choice made when you leave it: a contact
    agreed before it came up was not planned to take it up.
    """
    ahead = [
        e.next_at
        for e in history.planned
        if e.at >= since and e.next_at is not None and e.next_at > history.as_of
    ]
    return min(ahead) if ahead else None


def _span(entries: tuple[InteractionData, ...]) -> str:
    """'on 2025-03-03' or '2025-03-03 to 2025-03-10': the days the entries cover."""
    began, ended = ymd(entries[0].at), ymd(entries[-1].at)
    return f"on {began}" if began == ended else f"{began} to {ended}"


def _one_sided(
    history: History, config: Config, resolution: Resolution
) -> tuple[list[InteractionData], int] | None:
    """The disagreements that ended with `resolution`, and the total, when they are most."""
    settings = config.balance
    disagreements = _disagreements(history)
    which = [entry for entry in disagreements if entry.disagreement is resolution]
    total = len(disagreements)
    if total < settings.min_disagreements or len(which) / total < settings.one_sided_share:
        return None
    return which, total


@rule(
    code="BAL001",
    symbol="always-conceding",
    severity=Severity.WARNING,
    stages=WORKING,
    summary="You give in on most disagreements with the client.",
    settings=("balance.min_disagreements", "balance.one_sided_share"),
    explanation=(
        "Once there are min_disagreements disagreements, checks the share you conceded. "
        "At one_sided_share or more, the relationship is one-sided: a 'you're right' you "
        "don't mean only postpones the argument, and giving in across the board is as bad "
        "as fighting every point. Only clients you work for are judged: with a prospect, "
        "giving way on terms is part of the sale. Put back on the table the point that "
        "matters most, say what you think and why, and let go only where it does not matter."
    ),
    fires=(
        Example(
            "An active client talked you down on the price, the deadline and the scope; "
            "you gave in every time",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement conceded -m 'a lower price'",
                "d10 call --by them --disagreement conceded -m 'an earlier deadline'",
                "d20 meeting --disagreement conceded --expectations -m 'a wider scope'",
            ),
            at="d30",
            evidence=(1, 2, 3),
        ),
        Example(
            "A paused client: you gave in on three of four disagreements and settled one together",
            client="--stage paused",
            entries=(
                "d0 call --disagreement conceded",
                "d7 meeting --disagreement together",
                "d14 call --disagreement conceded",
                "d21 call --disagreement conceded",
            ),
            at="d22",
            evidence=(1, 3, 4),
        ),
    ),
    quiet=(
        Example(
            "A prospect bargained down the price, the deadline and the scope before "
            "signing: that is the sale",
            client="--stage prospect",
            entries=(
                "d0 meeting --disagreement conceded -m 'a lower price'",
                "d10 call --by them --disagreement conceded -m 'an earlier deadline'",
                "d20 meeting --disagreement conceded --expectations -m 'a wider scope'",
            ),
            at="d30",
        ),
        Example(
            "Give and take: you gave in twice, settled once together and held your ground once",
            client="--stage paused",
            entries=(
                "d0 call --disagreement conceded",
                "d7 meeting --disagreement together",
                "d14 call --disagreement conceded",
                "d21 call --disagreement insisted",
            ),
            at="d22",
        ),
        Example(
            "Two concessions are not yet a record",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement conceded",
                "d10 call --disagreement conceded",
            ),
            at="d30",
        ),
    ),
)
def always_conceding(history: History, config: Config) -> Iterator[Hit]:
    found = _one_sided(history, config, Resolution.CONCEDED)
    if found is None:
        return
    which, total = found
    since = ymd(_disagreements(history)[0].at)
    yield Hit(
        message=(
            f"You gave in on {len(which)} of {plural(total, 'disagreement')} with "
            f"{history.client.name} (since {since})."
        ),
        advice=(
            "Giving in time after time only postpones the real argument. Put back on the table "
            "the point you gave in on that matters most to the work: say what you think and "
            "why, and look for a way you both stand behind. Let go only where it does not "
            "matter, and when you do, say what you expect will happen."
        ),
        evidence=evidence(*which),
        action=Action.TALK,
    )


@rule(
    code="BAL002",
    symbol="always-insisting",
    severity=Severity.WARNING,
    stages=WORKING,
    summary="You insist on most disagreements with the client.",
    settings=("balance.min_disagreements", "balance.one_sided_share"),
    explanation=(
        "The mirror of BAL001: the share of disagreements where you insisted. Fighting "
        "every point is as bad as giving in on all of them, and you are not always right "
        "either: they know their business and their customers. Only clients you work for "
        "are judged: with a prospect, holding to your terms is part of the sale. Ask how "
        "they see the points you insisted on, ask yourself whether you explained yourself "
        "well, and let go where it does not matter."
    ),
    fires=(
        Example(
            "You held your ground on the tone, the channel and the budget split: they never "
            "had their way",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement insisted -m 'the tone of the campaign'",
                "d10 call --by them --disagreement insisted -m 'radio, not print'",
                "d20 meeting --disagreement insisted -m 'the budget split'",
            ),
            at="d30",
            evidence=(1, 2, 3),
        ),
        Example(
            "You insisted on three of four disagreements and worked one out together",
            client="--stage active",
            entries=(
                "d0 call --disagreement insisted",
                "d7 meeting --disagreement together",
                "d14 call --disagreement insisted",
                "d21 meeting --disagreement insisted",
            ),
            at="d22",
            evidence=(1, 3, 4),
        ),
    ),
    quiet=(
        Example(
            "You held your ground twice and let go once where it did not matter",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement insisted -m 'the tone of the campaign'",
                "d10 call --by them --disagreement insisted -m 'radio, not print'",
                "d20 meeting --disagreement conceded --expectations -m 'the budget split'",
            ),
            at="d30",
        ),
        Example(
            "A prospect you held firm with on your terms, three times: that is the sale",
            client="--stage prospect",
            entries=(
                "d0 meeting --disagreement insisted -m 'the price'",
                "d10 call --by them --disagreement insisted -m 'the payment terms'",
                "d20 meeting --disagreement insisted -m 'the notice period'",
            ),
            at="d30",
        ),
    ),
)
def always_insisting(history: History, config: Config) -> Iterator[Hit]:
    found = _one_sided(history, config, Resolution.INSISTED)
    if found is None:
        return
    which, total = found
    since = ymd(_disagreements(history)[0].at)
    yield Hit(
        message=(
            f"You insisted on {len(which)} of {plural(total, 'disagreement')} with "
            f"{history.client.name} (since {since})."
        ),
        advice=(
            "You are not always right either. Ask them how they see the points you insisted "
            "on and hear them out in full; ask yourself whether you explained yourself well, "
            "and let go where it does not matter."
        ),
        evidence=evidence(*which),
        action=Action.TALK,
    )


@rule(
    code="BAL003",
    symbol="concession-without-expectations",
    severity=Severity.INFO,
    stages=WORKING,
    summary="You conceded without saying what you expect to happen.",
    settings=("balance.expectations_days",),
    explanation=(
        "Every disagreement you conceded within expectations_days without setting "
        "expectations (--expectations). When you go along with their way, say what you "
        "expect will follow (time, cost, result), then let it happen, so the outcome is "
        "understood by both and they can trust you the next time. Only clients you work "
        "for are judged: with a prospect, giving way on terms is part of the sale."
    ),
    fires=(
        Example(
            "You went along with the client's headline without saying what you expect it will do",
            client="--stage active",
            entries=("d0 meeting --disagreement conceded -m 'their headline, not yours'",),
            at="d2",
            evidence=(1,),
        ),
        Example(
            "Two concessions: the first with expectations set, the second without",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement conceded --expectations",
                "d14 call --disagreement conceded",
            ),
            at="d15",
            evidence=(2,),
        ),
    ),
    quiet=(
        Example(
            "You went along and said what you expect the headline will do",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement conceded --expectations -m 'their headline, not yours'",
            ),
            at="d2",
        ),
        Example(
            "A discount you gave a prospect to close the deal: part of the sale",
            client="--stage prospect",
            entries=("d0 meeting --disagreement conceded -m 'ten percent off'",),
            at="d2",
        ),
        Example(
            "A concession from more than three months ago: its outcome is long known",
            client="--stage active",
            entries=("d0 meeting --disagreement conceded -m 'their headline, not yours'",),
            at="d100",
        ),
    ),
)
def concession_without_expectations(history: History, config: Config) -> Iterator[Hit]:
    window = config.balance.expectations_days
    for entry in _disagreements(history):
        if (
            entry.disagreement is Resolution.CONCEDED
            and not entry.expectations
            and days_since(entry.at, history.as_of) <= window
        ):
            yield Hit(
                message=(
                    f"On {ymd(entry.at)} you gave in to {history.client.name} without saying "
                    "what you expect to happen."
                ),
                advice=(
                    "Tell them what you expect will follow from doing it their way (time, "
                    "cost, result), then let it happen; once you have, mark the entry with "
                    f"relog edit {entry.id} --expectations."
                ),
                evidence=evidence(entry),
                action=Action.TALK,
            )


@rule(
    code="BAL004",
    symbol="unresolved-disagreement",
    severity=Severity.NOTE,
    escalation=Severity.WARNING,
    stages=WORKING,
    summary="A disagreement with the client is still unresolved.",
    settings=("balance.unresolved_days",),
    explanation=(
        "Looks at the disagreement still open: left unresolved and not settled by a later "
        "entry. Fresh (less than unresolved_days old), it is a note: before you sleep on "
        "it, make sure your objection is on the table. Giving it time until a contact you "
        "agreed on when you left it is a note too, once: by then it may have sunk in. It is a "
        "warning when it has been open unresolved_days with no contact agreed to take it "
        "up, or when it was already left for next time and is still open: that is no "
        "longer patience. Only clients you work for are judged: a prospect's objection to "
        "your terms is part of the sale."
    ),
    fires=(
        Example(
            "Three days after the meeting, the disagreement over what the retainer covers is "
            "still open, and no talk about it is agreed",
            client="--stage active",
            entries=("d0 meeting --disagreement unresolved -m 'what the retainer covers'",),
            at="d3",
            evidence=(1,),
        ),
        Example(
            "An hour after the call the disagreement is still open: not a problem yet, a note",
            client="--stage active",
            entries=(
                "d0 call --by them --disagreement unresolved -m 'they want the launch earlier'",
            ),
            at="d0 11:00",
            evidence=(1,),
        ),
        Example(
            "You left the new logo to sink in until the meeting agreed for next week: a note",
            client="--stage active",
            entries=("d0 meeting --disagreement unresolved --next d7 -m 'the new logo'",),
            at="d3",
            evidence=(1,),
        ),
        Example(
            "Left for next time, and at the next meeting still open: no longer patience",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement unresolved --next d7 -m 'the new logo'",
                "d7 meeting --disagreement unresolved --next d14 -m 'the new logo, again'",
            ),
            at="d8",
            evidence=(1, 2),
        ),
    ),
    quiet=(
        Example(
            "Settled together at the meeting agreed for it: the later entry closes the open one",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement unresolved --next d7 -m 'the new logo'",
                "d7 meeting --disagreement together -m 'a middle way on the logo'",
            ),
            at="d8",
        ),
        Example(
            "Carried over twice, then you went along and said what to expect: both open "
            "rounds are closed",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement unresolved -m 'the new logo'",
                "d7 meeting --disagreement unresolved -m 'the new logo, again'",
                "d9 call --disagreement conceded --expectations -m 'their logo'",
            ),
            at="d10",
        ),
        Example(
            "A prospect's objection to your price, still open after three days: part of the sale",
            client="--stage prospect",
            entries=("d0 meeting --disagreement unresolved -m 'the price'",),
            at="d3",
        ),
    ),
)
def unresolved_disagreement(history: History, config: Config) -> Iterator[Hit]:
    still_open = _still_open(history)
    if not still_open:
        return
    name = history.client.name
    first = still_open[0]
    fresh_until = first.at + timedelta(days=config.balance.unresolved_days)
    ahead = _agreed_ahead(history, first.at)
    if len(still_open) > 1:
        yield Hit(
            message=(
                f"The disagreement with {name} was left unresolved {times(len(still_open))} "
                f"({_span(still_open)}) and is still open."
            ),
            advice=(
                "Leaving it for next time has become the routine; that is no longer patience. "
                "Put it on the table now: what you still object to and why, whether you "
                "explained it well, and what each of you can live with; agree a way forward."
            ),
            evidence=evidence(*still_open),
            action=Action.TALK,
            escalated=True,
        )
    elif ahead is not None:
        yield Hit(
            message=(
                f"The disagreement with {name} on {ymd(first.at)} is still open; you are "
                f"giving it time until the contact agreed for {ymd(ahead)}."
            ),
            advice=(
                "Giving it time once is fine: it may have sunk in by then. At that contact, "
                "put it back on the table: what you still object to and why, and what you "
                "expect will happen either way; hear them out and agree a way forward."
            ),
            evidence=evidence(first),
            action=Action.TALK,
            when=ahead,
        )
    elif history.as_of < fresh_until:
        yield Hit(
            message=(
                f"The disagreement with {name} on {ymd(first.at)} "
                f"({ago(first.at, history.as_of)}) is still open."
            ),
            advice=(
                "Not a problem yet. Before you sleep on it, make sure what you object to, and "
                "why, is on the table and that you have heard their side; or agree when you "
                "will take it up again (log it with --next)."
            ),
            evidence=evidence(first),
            action=Action.TALK,
            when=fresh_until,
        )
    else:
        yield Hit(
            message=(
                f"The disagreement with {name} on {ymd(first.at)} ({ago(first.at, history.as_of)})"
                " is still unresolved, and no contact to take it up is agreed."
            ),
            advice=(
                "Don't let it sit any longer: raise it with them now. Say what you still "
                "object to and why, ask whether you explained it well, let them be heard, "
                "and agree a way forward."
            ),
            evidence=evidence(first),
            action=Action.TALK,
            escalated=True,
        )


@rule(
    code="BAL005",
    symbol="consider-parting",
    severity=Severity.ALERT,
    stages=WORKING,
    summary="Many disagreements, most left unresolved, and one open now: consider parting.",
    settings=("balance.part_ways_disagreements", "balance.part_ways_unresolved_share"),
    explanation=(
        "Once there are part_ways_disagreements disagreements, more than "
        "part_ways_unresolved_share of them were left unresolved, and one is still open "
        "now, the relationship may have run its course. When the latest disagreement was "
        "settled, you found a way, and it is not the time to part. Have one honest "
        "conversation about how you work together; if nothing changes, part ways on good "
        "terms and save you both the time and the frustration."
    ),
    fires=(
        Example(
            "Five disagreements about the brand in six weeks; four left open, the latest too",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement unresolved",
                "d10 meeting --disagreement together",
                "d20 call --disagreement unresolved",
                "d30 meeting --disagreement unresolved",
                "d40 meeting --disagreement unresolved",
            ),
            at="d42",
            evidence=(1, 3, 4, 5),
        ),
        Example(
            "Work is paused after disagreement upon disagreement left open",
            client="--stage paused",
            entries=(
                "d0 meeting --disagreement unresolved",
                "d7 meeting --disagreement unresolved",
                "d14 meeting --disagreement conceded --expectations",
                "d21 call --disagreement unresolved",
                "d28 meeting --disagreement unresolved",
            ),
            at="d30",
            evidence=(1, 2, 4, 5),
        ),
    ),
    quiet=(
        Example(
            "The same record, but the latest disagreement was settled together: you found a way",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement unresolved",
                "d10 meeting --disagreement together",
                "d20 call --disagreement unresolved",
                "d30 meeting --disagreement unresolved",
                "d40 meeting --disagreement together",
            ),
            at="d42",
        ),
        Example(
            "Half of six disagreements left open is not most",
            client="--stage active",
            entries=(
                "d0 meeting --disagreement together",
                "d7 meeting --disagreement unresolved",
                "d14 meeting --disagreement together",
                "d21 call --disagreement unresolved",
                "d28 meeting --disagreement together",
                "d35 meeting --disagreement unresolved",
            ),
            at="d36",
        ),
        Example(
            "A prospect who argued five times over the terms: that is the sale",
            client="--stage prospect",
            entries=(
                "d0 meeting --disagreement unresolved",
                "d10 meeting --disagreement together",
                "d20 call --disagreement unresolved",
                "d30 meeting --disagreement unresolved",
                "d40 meeting --disagreement unresolved",
            ),
            at="d42",
        ),
    ),
)
def consider_parting(history: History, config: Config) -> Iterator[Hit]:
    settings = config.balance
    still_open = _still_open(history)
    disagreements = _disagreements(history)
    total = len(disagreements)
    if not still_open or total < settings.part_ways_disagreements:
        return
    unresolved = [e for e in disagreements if e.disagreement is Resolution.UNRESOLVED]
    if len(unresolved) / total <= settings.part_ways_unresolved_share:
        return
    yield Hit(
        message=(
            f"{len(unresolved)} of {plural(total, 'disagreement')} with {history.client.name} "
            f"since {ymd(disagreements[0].at)} were left unresolved, and the latest, on "
            f"{ymd(still_open[-1].at)}, is still open."
        ),
        advice=(
            "Have one honest conversation about how you work together: what keeps your "
            "disagreements open, and what each of you needs. If you have listened, explained "
            "yourself and let go where it did not matter, and it still does not work, part "
            "ways on good terms."
        ),
        evidence=evidence(*unresolved),
        action=Action.TALK,
    )


RULES: tuple[Rule, ...] = tuple(family.rules)
evaluate = family.evaluate
