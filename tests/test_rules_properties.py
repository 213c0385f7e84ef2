"""Properties every rule module keeps on arbitrary journals.

- Scores stay within 0..100 and are exactly 100 less the findings' penalties.
- A healthy contact (they call you, you talk, nothing asked, nothing wrong)
  never lowers any module's score.
- Delivering something the client asked for never lowers a score.
- Evaluating as of a past moment ignores everything logged after it.
- The helpers other code calls (`contact_due`, `thinking_until`) agree with
  the rules they come from, and messages count in plain English.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from relog.config import Config
from relog.domain import (
    By,
    Channel,
    ClientData,
    InteractionData,
    Item,
    Kind,
    Outcome,
    Resolution,
    Source,
    Stage,
    contradictions,
    derive_requests,
)
from relog.rules import CLIENT_MODULES, PORTFOLIO_MODULE, attention, pursuit
from relog.rules.base import Action, History, Portfolio, penalty, score_from

if TYPE_CHECKING:
    from datetime import date

START = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
SPAN_DAYS = 150
CONFIG = Config()
FAST = settings(max_examples=100, deadline=None)


def moment(seconds: int) -> datetime:
    return START + timedelta(seconds=seconds)


moments = st.integers(0, SPAN_DAYS * 86400).map(moment)
items = st.frozensets(st.sampled_from(Item), max_size=2)
rarely = st.sampled_from([False, False, False, True])
later = st.none() | st.integers(3600, 20 * 86400).map(lambda s: timedelta(seconds=s))
kinds = st.sampled_from(Kind)
who_started = st.sampled_from(By)
outcomes = st.sampled_from(Outcome)
resolutions = st.none() | st.sampled_from(Resolution)


@st.composite
def interactions(draw: st.DrawFn) -> InteractionData:
    """One entry the CLI would accept: no contradictory flags."""
    kind = draw(kinds)
    at = draw(moments)
    wait = draw(later)
    entry = InteractionData(
        id=0,
        client_id=1,
        kind=kind,
        at=at,
        by=By.ME if kind is Kind.NOTE else draw(who_started),
        outcome=Outcome.REACHED if kind is Kind.NOTE else draw(outcomes),
        agreed=draw(rarely),
        next_at=None if wait is None else at + wait,
        think=draw(rarely),
        asked=draw(items),
        gave=draw(items),
        disagreement=draw(resolutions),
        expectations=draw(rarely),
        initiative=draw(rarely),
        delegated=draw(rarely),
        late=draw(rarely),
    )
    answered = entry.outcome is Outcome.REACHED or entry.by is By.THEM
    entry = replace(
        entry,
        late=entry.late and kind is Kind.MEETING and entry.outcome is not Outcome.CANCELLED,
        expectations=entry.expectations and entry.disagreement is not None and answered,
    )
    if not answered:
        entry = replace(entry, think=False, asked=frozenset(), delegated=False, disagreement=None)
    assert not contradictions(entry), contradictions(entry)
    return entry


entries_strategy = interactions()


@st.composite
def histories(draw: st.DrawFn, max_entries: int = 25) -> History:
    """A client, their journal (cut at as_of or not) and the day-by-day meeting load."""
    as_of = draw(st.integers(0, SPAN_DAYS * 86400))
    who = ClientData(
        id=1,
        name="Dana Levi",
        stage=draw(st.sampled_from(Stage)),
        source=draw(st.none() | st.sampled_from(Source)),
        cadence_days=draw(st.none() | st.integers(1, 30)),
        channel=draw(st.none() | st.sampled_from(Channel)),
        created_at=moment(draw(st.integers(0, as_of))),
    )
    drawn = draw(st.lists(entries_strategy, max_size=max_entries))
    entries = [replace(entry, id=id_) for id_, entry in enumerate(drawn, start=1)]
    entries.sort(key=lambda e: (e.at, e.id))
    own = Counter(e.at.astimezone().date() for e in entries if e.kind is Kind.MEETING)
    others = draw(st.dictionaries(st.sampled_from(sorted(own)), st.integers(0, 6))) if own else {}
    load: dict[date, int] = {day: n + others.get(day, 0) for day, n in own.items()}
    return History(who, tuple(entries), moment(as_of), load)


def cut(history: History) -> History:
    return replace(
        history, interactions=tuple(e for e in history.interactions if e.at <= history.as_of)
    )


@FAST
@given(histories())
def test_scores_stay_within_bounds_and_add_up(history: History) -> None:
    for name, module in CLIENT_MODULES.items():
        result = module(history, CONFIG)
        assert result.module == name
        assert 0 <= result.score <= 100
        assert result.score == score_from(result.findings)
        for finding in result.findings:
            assert finding.penalty == penalty(CONFIG, finding.severity)
            assert finding.message and finding.advice


def healthy(history: History, where: float, kind: Kind) -> InteractionData:
    """They got in touch and you talked; nothing asked, nothing wrong.

    It falls `where` (0 to 1) of the way from the start of the relationship
    (`History.began`) to `as_of`. Earlier than that it would move the start
    back, and a relationship that turns out to be older rightly loses the
    grace a new one gets (ATT001, ATT003).
    """
    entries = history.interactions
    began = history.began or history.as_of
    return InteractionData(
        id=max((e.id for e in entries), default=0) + 1,
        client_id=1,
        kind=kind,
        at=began + (history.as_of - began) * where,
        by=By.THEM,
        outcome=Outcome.REACHED,
    )


def with_entry(history: History, added: InteractionData) -> History:
    entries = sorted([*history.interactions, added], key=lambda e: (e.at, e.id))
    load = dict(history.meetings_per_day)
    if added.kind is Kind.MEETING:
        day = added.at.astimezone().date()
        load[day] = load.get(day, 0) + 1
    return replace(history, interactions=tuple(entries), meetings_per_day=load)


def lost(history: History, module: str, ignore: frozenset[str] = frozenset()) -> int:
    """Points the module takes off, leaving out the findings with the codes in `ignore`."""
    result = CLIENT_MODULES[module](history, CONFIG)
    return sum(f.penalty for f in result.findings if f.code not in ignore)


TWO_CALLS_TO_A_PROSPECT = History(
    ClientData(id=1, name="Dana Levi", stage=Stage.PROSPECT, created_at=moment(0)),
    (
        InteractionData(id=1, client_id=1, kind=Kind.CALL, at=moment(3600)),
        InteractionData(id=2, client_id=1, kind=Kind.CALL, at=moment(86400)),
    ),
    moment(2 * 86400),
)
"""Their first call back must not tip INI002 over its minimum number of contacts."""


@FAST
@given(histories(), st.floats(0, 1))
@example(TWO_CALLS_TO_A_PROSPECT, 1.0)
def test_a_healthy_contact_never_lowers_a_score(history: History, where: float) -> None:
    """On the client's own channel; a meeting is the next test's business.

    An email or message they send is complete only once you answer it: until
    then it asks for your answer (INI004), the one cost of their writing to you.
    """
    history = cut(history)
    # With nothing logged there is no score to lower: the first contact starts the judging.
    assume(history.contacts)
    channel = history.client.channel
    kind = Kind.CALL if channel in (None, Channel.MEETING) else Kind(str(channel))
    after = with_entry(history, healthy(history, where, kind))
    ignore = ANSWER_DUE if kind in (Kind.EMAIL, Kind.MESSAGE) else frozenset()
    for name in CLIENT_MODULES:
        assert lost(after, name, ignore) <= lost(history, name, ignore), name


ANSWER_DUE = frozenset({"INI004"})


MEETING_DUTIES = frozenset({"TRU002", "TRU004"})


@FAST
@given(histories(), st.floats(0, 1))
def test_a_healthy_meeting_costs_only_what_meetings_cost(history: History, where: float) -> None:
    """A meeting is no neutral event: a trust step is due after the first one
    (TRU002) and it takes a slot in a day that may already be full (TRU004).
    Apart from those two, it never costs a point."""
    history = cut(history)
    assume(history.contacts)  # nothing logged is nothing judged (see above)
    after = with_entry(history, healthy(history, where, Kind.MEETING))
    for name in CLIENT_MODULES:
        ignore = MEETING_DUTIES if name == "trust" else frozenset()
        assert lost(after, name, ignore) <= lost(history, name, ignore), name


@FAST
@given(histories())
def test_as_of_ignores_later_entries(history: History) -> None:
    for module in CLIENT_MODULES.values():
        assert module(history, CONFIG) == module(cut(history), CONFIG)


@settings(max_examples=50, deadline=None)
@given(st.lists(histories(max_entries=10), min_size=1, max_size=4), moments)
def test_portfolio_as_of_ignores_later_entries(parts: list[History], as_of: datetime) -> None:
    clients = tuple(replace(h.client, id=n) for n, h in enumerate(parts, start=1))
    everything = {
        n: tuple(replace(e, client_id=n, id=n * 100 + e.id) for e in h.interactions)
        for n, h in enumerate(parts, start=1)
    }
    until = {n: tuple(e for e in entries if e.at <= as_of) for n, entries in everything.items()}
    full = PORTFOLIO_MODULE(Portfolio(as_of, clients, everything), CONFIG)
    assert full == PORTFOLIO_MODULE(Portfolio(as_of, clients, until), CONFIG)
    assert 0 <= full.score <= 100 and full.score == score_from(full.findings)


def delivery_kind(client: ClientData) -> Kind:
    """On the client's own channel (a meeting pays what meetings cost); by email otherwise."""
    return Kind.EMAIL if client.channel is None else Kind(str(client.channel))


@FAST
@given(histories(), st.floats(0, 1), st.data())
def test_delivering_what_they_asked_for_never_lowers_a_score(
    history: History, where: float, data: st.DataObject
) -> None:
    """Sending something the client asked for and has not had yet is respect,
    whenever it happens: inside a thinking time (PUR003), as the first contact
    with a referral (INI001), or among a prospect's contacts (INI002).

    The request is one still open at `as_of`, so no later delivery in the
    journal loses its request to this one. Two costs are not the delivery's
    own: a meeting's slot in a full day (TRU004), and ATT002 reaching its
    minimum of three contacts you started, whose verdict is about the others.
    """
    history = cut(history)
    waiting = [
        request
        for request in derive_requests(list(history.interactions))
        if request.open_at(history.as_of)
    ]
    assume(waiting)
    request = data.draw(st.sampled_from(waiting))
    kind = delivery_kind(history.client)
    delivery = InteractionData(
        id=max(e.id for e in history.interactions) + 1,
        client_id=1,
        kind=kind,
        at=request.asked_at + (history.as_of - request.asked_at) * where,
        gave=frozenset({request.item}),
    )
    after = with_entry(history, delivery)
    mine = [e for e in history.interactions if e.is_contact and e.by is By.ME]
    for name, module in CLIENT_MODULES.items():
        ignore: set[str] = set()
        if name == "trust" and kind is Kind.MEETING:
            ignore.add("TRU004")
        if name == "attention" and len(mine) < 3:
            ignore.add("ATT002")
        assert lost(after, name, frozenset(ignore)) <= lost(history, name, frozenset(ignore)), name
        # Nor is it ever the evidence of a fault; ATT001 names the last two-way
        # contact only to say when it was, and TRU004 the meetings of a full day.
        for finding in module(after, CONFIG).findings:
            if finding.code not in ("ATT001", "TRU004"):
                assert delivery.id not in {e.id for e in finding.evidence}, finding


@FAST
@given(histories())
def test_out_of_touch_exactly_when_contact_due_has_passed(history: History) -> None:
    """ATT001 and `attention.contact_due` share one definition of the cadence clock."""
    history = replace(history, client=replace(history.client, stage=Stage.ACTIVE))
    due = attention.contact_due(history, CONFIG)
    found = [f for f in attention.evaluate(history, CONFIG).findings if f.code == "ATT001"]
    assert bool(found) == (due is not None and due < history.as_of)
    if due is not None:
        cadence = attention.cadence_days(history.client, CONFIG)
        assert cadence == (history.client.cadence_days or CONFIG.attention.cadence_days)


@FAST
@given(histories())
def test_let_them_think_only_while_thinking_until_runs(history: History) -> None:
    until = pursuit.thinking_until(history, CONFIG)
    assert until is None or until > history.as_of
    asks = [f for f in pursuit.evaluate(history, CONFIG).findings if f.action is Action.LET_THINK]
    if asks:
        assert until is not None
    if until is not None:
        thinks = [e for e in history.interactions if e.think]
        assert thinks and until in (thinks[-1].next_at, thinks[-1].at + timedelta(days=7))


ONES = Config.model_validate(
    {
        "initiation": {"recent_contacts": 1, "min_contacts": 1, "min_their_share": 1.0},
        "pursuit": {"chase_streak": 1, "alert_streak": 1, "think_days": 1},
        "trust": {"request_days": 0, "request_alert_days": 1, "trust_step_days": 0},
        "attention": {"cadence_days": 1, "initiative_days": 1, "channel_contacts": 3},
        "balance": {"min_disagreements": 1, "part_ways_disagreements": 1},
        "portfolio": {"window_days": 1, "pipeline_days": 1, "min_active_clients": 1},
    }
)
"""Every threshold at one, so that counts of one show up in the messages."""

AWKWARD = re.compile(
    r"(?<![\d.])1 (?:[a-z]+ )?(?:days|times|contacts|attempts|disagreements|meetings|clients)\b"
    r"|\b0 active|\bevery 1 day\b|\blast 1 day\b|\b1 time\b|\b1 more time\b|\b1 [a-z ]+ do not\b"
)


@FAST
@given(st.lists(histories(max_entries=12), min_size=1, max_size=3), st.booleans())
def test_messages_count_in_plain_english(parts: list[History], ones: bool) -> None:
    config = ONES if ones else CONFIG
    findings = [
        f for h in parts for module in CLIENT_MODULES.values() for f in module(h, config).findings
    ]
    as_of = parts[0].as_of
    clients = tuple(replace(h.client, id=n) for n, h in enumerate(parts, start=1))
    histories_ = {
        n: tuple(replace(e, client_id=n) for e in h.interactions)
        for n, h in enumerate(parts, start=1)
    }
    findings += PORTFOLIO_MODULE(Portfolio(as_of, clients, histories_), config).findings
    for finding in findings:
        assert not AWKWARD.search(finding.message), finding.message
