"""Attention: stay in the picture with the clients you work for.

Half the work is the relationship. An active client should hear from you at
their own cadence and on the channel they like, and now and then get
something they did not ask for: an idea, a lead, a gesture beyond the
contract. Their pace cuts both ways: contacts you start faster than they
want are pressure, not service.

Cadence and initiatives are judged for active clients only: a paused client
is not to be nagged about either. Their channel and their pace are their
manners, and hold while the work is paused too. With leads and prospects,
the contacts you start are weighed by the initiation and pursuit modules.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import TYPE_CHECKING

from relog.domain import By, Channel, Stage
from relog.rules.base import (
    Action,
    Family,
    Hit,
    Rule,
    Severity,
    ago,
    days_since,
    evidence,
    local_day,
    plural,
    the_last,
    up_to_then,
    ymd,
)
from relog.rules.examples import Example

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from relog.config import Config
    from relog.domain import ClientData, InteractionData
    from relog.rules.base import Evidence, History

MODULE = "attention"
IDEA = "Stay in the picture"

WORKING = (Stage.ACTIVE, Stage.PAUSED)
"""The clients you work for: the work runs, or is paused for now."""

family = Family(MODULE, IDEA, quiet_note="only for clients you work for (active or paused)")
rule = family.rule


def cadence_days(client: ClientData, config: Config) -> int:
    """How often this client should hear from you: their own cadence (the most days of
    their range), or the default."""
    return client.cadence_days or config.attention.cadence_days


def pace_floor(client: ClientData, config: Config) -> float | None:
    """The fewest days the client wants between contacts you start, when you set their pace.

    The low end of their range (`--cadence 5-10`), or `attention.pace_tolerance`
    of a single cadence of their own. None without a cadence of their own: with
    the default cadence relog does not know this client's pace.
    """
    if client.cadence_min_days is not None:
        return float(client.cadence_min_days)
    if client.cadence_days is not None:
        return client.cadence_days * config.attention.pace_tolerance
    return None


def _last_two_way(entries: tuple[InteractionData, ...]) -> InteractionData | None:
    return next((entry for entry in reversed(entries) if entry.two_way), None)


def _clock(history: History) -> tuple[datetime, InteractionData | None] | None:
    """Where the cadence clock starts, and the two-way contact that started it.

    The last contact the client took part in; with none yet, the start of the
    relationship (`History.began`). None with nothing logged: there is no
    relationship to judge yet.
    """

    def work() -> tuple[datetime, InteractionData | None] | None:
        entries = history.interactions
        last = _last_two_way(entries)
        if last is not None:
            return last.at, last
        began = history.began
        return (began, None) if entries and began is not None else None

    return history.fact("attention.clock", work)


def _shown(
    history: History, anchor: datetime, last: InteractionData | None
) -> tuple[Evidence, ...]:
    """The entry the cadence clock counts from, when there is one."""
    if last is not None:
        return evidence(last)
    first = history.interactions[0]
    return evidence(first) if first.at == anchor else ()


def contact_due(history: History, config: Config) -> datetime | None:
    """When the next two-way contact with the client is due, as ATT001 and ATT005 measure it.

    The last contact the client took part in (or, with none yet, the start of
    the relationship, `History.began`), plus their cadence; or, when the next
    contact last agreed with them is later, the agreed time. None with nothing
    logged. Past due at `as_of` is exactly when ATT001 finds them out of
    touch; the stage is not checked here, so callers decide whom it applies to.
    """
    found = _next_due(history, config)
    return found[0] if found is not None else None


def _next_due(history: History, config: Config) -> tuple[datetime, bool] | None:
    """`contact_due`, and whether a next contact you agreed set it (not the cadence)."""
    clock = _clock(history)
    if clock is None:
        return None
    due = clock[0] + timedelta(days=cadence_days(history.client, config))
    # The latest next contact agreed with the client (in a contact they took part in):
    # a later one is the time they asked for, and sets the pace instead of the cadence.
    agreed = next((e.next_at for e in reversed(history.planned) if e.two_way), None)
    if agreed is not None and agreed > due:
        return agreed, True
    return due, False


def _every(days: float) -> str:
    """'every day', 'every 7 days', 'every 3.5 days'."""
    return "every day" if days == 1 else f"every {days:g} days"


@rule(
    code="ATT001",
    symbol="out-of-touch",
    severity=Severity.WARNING,
    escalation=Severity.ALERT,
    stages=(Stage.ACTIVE,),
    summary="No two-way contact for longer than the client's cadence.",
    settings=("attention.cadence_days",),
    explanation=(
        "For an active client, measures the days since the last contact the client took part "
        "in (they answered, replied or met you). Unanswered attempts do not count, or chasing "
        "would look like keeping in touch. With no such contact yet, it counts from the start "
        "of the relationship (the start date you gave, else its first entry); a client with "
        "nothing logged has nothing to judge yet. Longer than the client's cadence (their own, "
        "the most days of their range, or cadence_days) is a warning, twice as long an alert; "
        "when the next contact last agreed with the client (in a contact they took part in) "
        "is later, the agreed time counts instead, and a cadence more past it is the alert. "
        "A paused client is not judged: the work is on hold. Get in touch yourself, with "
        "something useful for them."
    ),
    fires=(
        Example(
            "A weekly client has not heard from you since they called eight days ago",
            client="--stage active --cadence 7",
            entries=("d0 meeting", "d3 call --by them -m 'asked how the campaign is going'"),
            at="d11",
            evidence=(2,),
        ),
        Example(
            "You called and wrote, and nobody answered: attempts are not keeping in touch",
            client="--stage active --cadence 7",
            entries=("d0 call", "d8 call --outcome no-answer", "d9 email"),
            at="d10",
            evidence=(1,),
        ),
        Example(
            "A weekly client agreed to talk again in ten days, and day 12 came with no contact",
            client="--stage active --cadence 7",
            entries=("d0 meeting --next d10",),
            at="d12",
            evidence=(1,),
        ),
        Example(
            "They agreed to meet on day 20 and wrote on day 3; day 22 came with no contact",
            client="--stage active --cadence 7",
            entries=("d0 meeting --next d20", "d3 email --by them"),
            at="d22",
            evidence=(2,),
        ),
        Example(
            "A client added to relog today, never reached since the attempt logged 40 days "
            "ago: the relationship began then, not the day they were added",
            client="--stage active --added d40",
            entries=("d0 call --outcome no-answer",),
            at="d40",
            evidence=(1,),
        ),
    ),
    quiet=(
        Example(
            "A weekly client agreed in a meeting to talk again in ten days; it is day 8",
            client="--stage active --cadence 7",
            entries=("d0 meeting --next d10",),
            at="d8",
        ),
        Example(
            "They agreed to meet on day 20 and wrote with a question on day 3; it is day 12: "
            "the meeting still stands",
            client="--stage active --cadence 7",
            entries=("d0 meeting --next d20", "d3 email --by them"),
            at="d12",
        ),
        Example(
            "The same weekly client, paused: the work is on hold",
            client="--stage paused --cadence 7",
            entries=("d0 meeting", "d3 call --by them -m 'asked how the campaign is going'"),
            at="d11",
        ),
        Example(
            "They took the call on day 8: in touch",
            client="--stage active --cadence 7",
            entries=("d0 call", "d8 call", "d9 email"),
            at="d10",
        ),
        Example(
            "A monthly client who called eight days ago",
            client="--stage active --cadence 30",
            entries=("d0 meeting", "d3 call --by them -m 'asked how the campaign is going'"),
            at="d11",
        ),
    ),
)
def out_of_touch(history: History, config: Config) -> Iterator[Hit]:
    found = _next_due(history, config)
    clock = _clock(history)
    if found is None or clock is None or found[0] >= history.as_of:
        return
    due, agreed = found
    anchor, last = clock
    client, as_of = history.client, history.as_of
    cadence = cadence_days(client, config)
    tried = sum(1 for e in history.interactions if e.at > anchor and e.unanswered_attempt)
    seen = (
        f"Your last two-way contact with {client.name} was on {ymd(anchor)}"
        if last is not None
        else f"You have had no two-way contact with {client.name} since the relationship "
        f"began on {ymd(anchor)}"
    )
    attempts = (
        f"; {plural(tried, 'unanswered attempt')} since {'does' if tried == 1 else 'do'} not count"
        if tried
        else ""
    )
    pace = (
        f"you agreed to be in touch on {ymd(due)}"
        if agreed
        else f"their cadence is {_every(cadence)}"
    )
    yield Hit(
        message=f"{seen}, {ago(anchor, as_of)}; {pace}{attempts}.",
        advice=(
            "Your attempts since went unanswered, so more of the same will not help: reach "
            "them once, yourself, on the channel they prefer, with something worth answering "
            "(news of their work, an opportunity, an idea), then give them time to answer."
            if tried
            else "Get in touch yourself today, on the channel they prefer, with something "
            "useful for them: news of their work, an opportunity, an idea."
        ),
        evidence=_shown(history, anchor, last),
        action=Action.CALL,
        escalated=days_since(due, as_of) > cadence,
    )


_REACH = {
    Channel.CALL: "call them",
    Channel.EMAIL: "write to them by email",
    Channel.MEETING: "meet them",
    Channel.MESSAGE: "send them a message",
}
"""Each channel as the advice puts it."""


@rule(
    code="ATT002",
    symbol="wrong-channel",
    severity=Severity.WARNING,
    stages=WORKING,
    summary="Most of your contacts use a channel the client does not prefer.",
    settings=("attention.channel_contacts", "attention.min_preferred_share"),
    explanation=(
        "For a client you work for (active or paused) with a preferred channel, looks at the "
        "last channel_contacts contacts you started (at least 3), leaving out the ones that "
        "delivered what they had asked for: a profile or a price list goes in writing. When "
        "the share on their channel is below min_preferred_share, you are reaching them your "
        "way, not theirs. A paused client's manners do not pause with the work."
    ),
    fires=(
        Example(
            "A client who likes a phone call gets emails and messages from you",
            client="--stage active --channel call --cadence 30",
            entries=("d0 email", "d2 email", "d4 call", "d6 message"),
            at="d7",
            evidence=(1, 2, 4),
        ),
        Example(
            "Emails they did not ask for, to a client who likes a call",
            client="--stage active --channel call",
            entries=("d0 call --by them", "d1 email", "d2 email", "d3 call"),
            at="d4",
            evidence=(2, 3),
        ),
        Example(
            "A paused client who likes to meet, only written to",
            client="--stage paused --channel meeting",
            entries=("d0 email", "d10 email", "d20 message"),
            at="d21",
            evidence=(1, 2, 3),
        ),
    ),
    quiet=(
        Example(
            "The same client, phoned as they like",
            client="--stage active --channel call --cadence 30",
            entries=("d0 call", "d2 email", "d4 call", "d6 call"),
            at="d7",
        ),
        Example(
            "The emails delivered the materials and prices they asked for",
            client="--stage active --channel call",
            entries=(
                "d0 call --by them --asked materials,prices",
                "d1 email --gave materials",
                "d2 email --gave prices",
                "d3 call",
            ),
            at="d4",
        ),
        Example(
            "A prospect who likes calls: not yet a client you work for",
            client="--stage prospect --channel call --cadence 30",
            entries=("d0 email", "d2 email", "d4 call", "d6 message"),
            at="d7",
        ),
    ),
)
def wrong_channel(history: History, config: Config) -> Iterator[Hit]:
    client, settings = history.client, config.attention
    if client.channel is None:
        return
    delivered = history.delivered
    mine = list(  # the last channel_contacts of yours, read from the end: a history can be long
        itertools.islice(
            (e for e in reversed(history.contacts) if e.by is By.ME and e.id not in delivered),
            settings.channel_contacts,
        )
    )[::-1]
    if len(mine) < 3:
        return
    off = [entry for entry in mine if entry.kind.channel is not client.channel]
    on = len(mine) - len(off)
    if on / len(mine) >= settings.min_preferred_share:
        return
    yield Hit(
        message=(
            f"{'None' if on == 0 else f'Only {on}'} of your last {plural(len(mine), 'contact')} "
            f"with {client.name} (since {ymd(mine[0].at)}) used {client.channel.value}, the "
            "channel they prefer."
        ),
        advice=f"Reach them the way they like to be reached: {_REACH[client.channel]}.",
        evidence=evidence(*off),
    )


@rule(
    code="ATT003",
    symbol="no-initiative",
    severity=Severity.INFO,
    stages=(Stage.ACTIVE,),
    summary="No initiative or gesture in a month.",
    settings=("attention.initiative_days",),
    explanation=(
        "Once a relationship with an active client is at least initiative_days old (from the "
        "start date you gave, else its first entry), expects an initiative of yours within "
        "the last initiative_days: a contact logged with --initiative, such as an original "
        "idea, a relevant tender, a lead for their business or a candidate for a job. The "
        "client's own ideas and your notes are not initiatives you brought them. A paused "
        "client is not judged. Small surprises beyond the contract, pushed through to "
        "execution, keep you in the picture."
    ),
    fires=(
        Example(
            "Two months of work, and nothing beyond it since a tender on the first day",
            client="--stage active --cadence 14",
            entries=(
                "d0 meeting --initiative -m 'a tender they could bid for'",
                "d20 call --by them",
                "d40 call",
                "d55 call --by them",
            ),
            at="d60",
            evidence=(1,),
        ),
        Example(
            "The only idea in forty days was the client's own",
            client="--stage active --cadence 14",
            entries=(
                "d0 meeting",
                "d20 call --by them --initiative -m 'their idea for a launch event'",
                "d35 call",
            ),
            at="d40",
            evidence=(),
        ),
    ),
    quiet=(
        Example(
            "The same two months, with a candidate for their sales job on day 40",
            client="--stage active --cadence 14",
            entries=(
                "d0 meeting --initiative -m 'a tender they could bid for'",
                "d20 call --by them",
                "d40 call --initiative -m 'a strong candidate for their sales job'",
                "d55 call --by them",
            ),
            at="d60",
        ),
        Example(
            "The same two months with a paused client",
            client="--stage paused --cadence 14",
            entries=(
                "d0 meeting --initiative -m 'a tender they could bid for'",
                "d20 call --by them",
                "d40 call",
                "d55 call --by them",
            ),
            at="d60",
        ),
        Example(
            "A new client, three weeks in",
            client="--stage active --cadence 14",
            entries=("d0 meeting", "d10 call"),
            at="d21",
        ),
    ),
)
def no_initiative(history: History, config: Config) -> Iterator[Hit]:
    window = config.attention.initiative_days
    began = history.began
    if not history.interactions or began is None or days_since(began, history.as_of) < window:
        return
    latest = next((e for e in reversed(history.interactions) if e.initiative_of_yours), None)
    if latest is not None and days_since(latest.at, history.as_of) <= window:
        return
    last = f"the last one was on {ymd(latest.at)}" if latest else "none is logged at all"
    yield Hit(
        message=(
            f"{history.client.name} has heard nothing new from you in "
            f"{the_last(window, 'day')}: no initiative or gesture; {last}."
        ),
        advice=(
            "Bring them, yourself, something they did not ask for: an original idea for their "
            "business, a relevant tender, a lead, a candidate for a job; then push it through "
            "until it happens. Log it with --initiative."
        ),
        evidence=evidence(latest) if latest else (),
        action=Action.INITIATIVE,
    )


def _approaches(history: History) -> tuple[InteractionData, ...]:
    """The contacts you started on your own, oldest first.

    Left out: answering them (your first such contact after one they started,
    even a call of theirs you missed), a contact at a time agreed with them,
    and delivering what they asked for. An agreed contact or a delivery does
    not use up the answer to their last contact.
    """

    def work() -> tuple[InteractionData, ...]:
        delivered = history.delivered
        found: list[InteractionData] = []
        answering = False
        for entry in history.contacts:
            if entry.by is By.THEM:
                answering = True
            elif not entry.agreed and entry.id not in delivered:
                if not answering:
                    found.append(entry)
                answering = False
        return tuple(found)

    return history.fact("attention.approaches", work, cut=up_to_then)


def _pace(client: ClientData, config: Config, floor: float) -> str:
    """The client's pace in words: 'every 5 to 10 days', or about their cadence."""
    fewest, most = client.cadence_min_days, client.cadence_days
    if fewest is None:
        return f"about {_every(cadence_days(client, config))}, not more often than {_every(floor)}"
    if most is None:
        return f"not more often than {_every(floor)}"
    return _every(floor) if most == fewest else f"every {fewest} to {most} days"


@rule(
    code="ATT004",
    symbol="over-contact",
    severity=Severity.WARNING,
    stages=WORKING,
    summary="You reach out faster than the pace the client wants.",
    settings=("attention.pace_tolerance", "attention.pace_contacts"),
    explanation=(
        "Only for a client whose pace you set (`--cadence 5-10`, or a single `--cadence`), "
        "active or paused: with the default cadence relog does not know it. Their fastest "
        "pace is the low end of the range, or pace_tolerance of a single cadence (a monthly "
        "client, more often than every 15 days). Counts the days on which you reached out on "
        "your own: not answering them (your first contact after one of theirs), not at a time "
        "agreed with them, not delivering what they asked for. pace_contacts such days within "
        "pace_contacts - 1 times their fastest pace, the latest one inside it, is contact "
        "faster than they want it: it reads as pressure, not service. Keep to their pace, and "
        "answer them whenever they get in touch."
    ),
    fires=(
        Example(
            "A client who wants to hear from you monthly, phoned every day",
            client="--stage active --cadence 30",
            entries=("d0 call", "d1 call", "d2 call", "d3 call"),
            at="d3 18:00",
            evidence=(1, 2, 3, 4),
        ),
        Example(
            "A client who wants to hear from you every 5 to 10 days, reached every other day",
            client="--stage active --cadence 5-10",
            entries=("d0 call", "d2 call", "d4 email", "d6 call"),
            at="d6 18:00",
            evidence=(1, 2, 3, 4),
        ),
        Example(
            "A paused monthly client, still called every few days",
            client="--stage paused --cadence 30",
            entries=("d0 call", "d4 call", "d8 message", "d12 call"),
            at="d12 18:00",
            evidence=(1, 2, 3, 4),
        ),
    ),
    quiet=(
        Example(
            "The same monthly client, called once a month",
            client="--stage active --cadence 30",
            entries=("d0 call", "d30 call", "d60 call", "d90 call"),
            at="d90 18:00",
        ),
        Example(
            "An active client with the default cadence, called every few days with news",
            client="--stage active",
            entries=(
                "d0 call",
                "d3 call -m 'an editor is looking for a guest for the morning show'",
                "d6 call",
                "d9 call",
                "d12 call",
            ),
            at="d12 18:00",
        ),
        Example(
            "A monthly client who keeps writing to you, answered each time",
            client="--stage active --cadence 30",
            entries=(
                "d0 email --by them",
                "d0 11:00 email",
                "d1 email --by them",
                "d1 11:00 email",
                "d2 message --by them",
                "d2 11:00 message",
                "d3 call --by them",
                "d3 11:00 call",
            ),
            at="d3 18:00",
        ),
        Example(
            "A monthly client sent what they asked for, day after day, then called as agreed",
            client="--stage active --cadence 30",
            entries=(
                "d0 meeting --by them --asked prices,references,materials --next d4",
                "d1 email --gave prices",
                "d2 email --gave references",
                "d3 email --gave materials",
                "d4 call --agreed",
            ),
            at="d4 18:00",
        ),
    ),
)
def over_contact(history: History, config: Config) -> Iterator[Hit]:
    client, as_of = history.client, history.as_of
    floor = pace_floor(client, config)
    approaches = _approaches(history)
    if floor is None or not approaches or days_since(approaches[-1].at, as_of) >= floor:
        return
    needed = config.attention.pace_contacts
    span = floor * (needed - 1)
    recent = list(
        reversed(
            list(
                itertools.takewhile(lambda e: days_since(e.at, as_of) < span, reversed(approaches))
            )
        )
    )
    days = {local_day(entry) for entry in recent}
    if len(days) < needed:
        return
    free = approaches[-1].at + timedelta(days=floor)
    yield Hit(
        message=(
            f"On {plural(len(days), 'day')} from {ymd(recent[0].at)} to {ymd(recent[-1].at)} "
            f"you reached out to {client.name} unprompted, faster than their pace: they want "
            f"to hear from you {_pace(client, config, floor)}."
        ),
        advice=(
            "Keep to their pace: answer them whenever they get in touch, and save what you "
            f"have for them for your next contact, from {ymd(free)}. Only an opportunity that "
            "cannot wait is worth reaching out sooner, and then bring it yourself."
        ),
        evidence=evidence(*recent),
        action=Action.WAIT,
        when=free,
    )


@rule(
    code="ATT005",
    symbol="in-touch",
    severity=Severity.NOTE,
    stages=(Stage.ACTIVE,),
    summary="In touch with an active client; when the next contact is due.",
    settings=("attention.cadence_days",),
    explanation=(
        "For an active client whose next two-way contact is not yet due (as ATT001 counts "
        "it: the last contact they took part in, or the start of the relationship, plus their "
        "cadence, or the later next contact last agreed with them), says when it is due. "
        "Nothing to do before then; by then, get in touch yourself with something useful "
        "for them."
    ),
    fires=(
        Example(
            "A weekly client agreed in a meeting to talk again in ten days; it is day 8",
            client="--stage active --cadence 7",
            entries=("d0 meeting --next d10",),
            at="d8",
            evidence=(1,),
        ),
        Example(
            "A weekly client who called you two days ago",
            client="--stage active --cadence 7",
            entries=("d0 meeting", "d3 call --by them -m 'asked how the campaign is going'"),
            at="d5",
            evidence=(2,),
        ),
        Example(
            "A new weekly client, not yet reached, three days after your first call",
            client="--stage active --cadence 7",
            entries=("d0 call --outcome no-answer",),
            at="d3",
            evidence=(1,),
        ),
    ),
    quiet=(
        Example(
            "The same weekly client, eight days after their call: out of touch instead",
            client="--stage active --cadence 7",
            entries=("d0 meeting", "d3 call --by them -m 'asked how the campaign is going'"),
            at="d11",
        ),
        Example(
            "The same weekly client, paused: no contact is due",
            client="--stage paused --cadence 7",
            entries=("d0 meeting", "d3 call --by them -m 'asked how the campaign is going'"),
            at="d5",
        ),
    ),
)
def in_touch(history: History, config: Config) -> Iterator[Hit]:
    found = _next_due(history, config)
    clock = _clock(history)
    if found is None or clock is None or found[0] < history.as_of:
        return
    due, agreed = found
    anchor, last = clock
    name = history.client.name
    next_one = "you agreed the next for" if agreed else "the next is due by"
    yield Hit(
        message=(
            f"In touch with {name}: the last two-way contact was on {ymd(anchor)}; {next_one} "
            f"{ymd(due)}."
            if last is not None
            else f"No two-way contact with {name} yet since the relationship began on "
            f"{ymd(anchor)}; the first is due by {ymd(due)}."
        ),
        advice=(
            f"Nothing is due yet. By {ymd(due)}, get in touch yourself on the channel they "
            "prefer, with something useful for them."
        ),
        evidence=_shown(history, anchor, last),
        action=Action.NONE,
        when=due,
    )


RULES: tuple[Rule, ...] = tuple(family.rules)
evaluate = family.evaluate
