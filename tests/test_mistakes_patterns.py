"""relog.patterns: what recurs across post-mortems, and where the freed time could go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from relog.config import Config
from relog.domain import (
    Cause,
    ClientData,
    InteractionData,
    Kind,
    MistakeData,
    MistakeKind,
    Outcome,
    Stage,
)
from relog.patterns import (
    current_post_mortem,
    find_patterns,
    is_open,
    leads_by_recent_contact,
    needs_attention,
)
from relog.review import waiting_for_answer
from relog.rules import attention
from relog.rules.base import History

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def cadence(days: int) -> Config:
    """The default settings with another default cadence, as a config file would set it."""
    return Config.model_validate({"attention": {"cadence_days": days}})


def post_mortem(
    id: int,
    *,
    client_id: int | None = None,
    kind: MistakeKind = MistakeKind.UNDERSTANDING,
    cause: Cause = Cause.VAGUE_CONTRACT,
    plan: str = "a plan",
    created: float = 0,
    due: float | None = None,
    done: float | None = None,
    third_party: bool | None = None,
) -> MistakeData:
    return MistakeData(
        id=id,
        client_id=id if client_id is None else client_id,
        client_name=f"client {id if client_id is None else client_id}",
        created_at=T0 + created * DAY,
        what="what happened",
        kind=kind,
        cause=cause,
        plan=plan,
        due=None if due is None else T0 + due * DAY,
        done_at=None if done is None else T0 + done * DAY,
        third_party=third_party,
    )


def no_mistake(id: int, *, created: float = 0, third_party: bool | None = None) -> MistakeData:
    return post_mortem(
        id,
        kind=MistakeKind.NONE,
        cause=Cause.NONE,
        plan="",
        created=created,
        third_party=third_party,
    )


def test_an_empty_log() -> None:
    patterns = find_patterns([], T0, clients=())
    assert patterns.post_mortems == patterns.no_mistake == patterns.plans == 0
    assert patterns.causes == ()
    assert patterns.kinds == ()
    assert patterns.third_party_share is None
    assert patterns.median_days_to_close is None and patterns.mean_days_to_close is None
    assert patterns.recurring_causes == []


def test_causes_and_kinds_most_frequent_first_ties_in_declared_order() -> None:
    log = [
        post_mortem(1, kind=MistakeKind.SERVICE, cause=Cause.AGGRESSIVE_CLIENT),
        post_mortem(2, kind=MistakeKind.PROFESSIONAL, cause=Cause.KNOWLEDGE_GAP),
        post_mortem(3, kind=MistakeKind.SERVICE, cause=Cause.AGGRESSIVE_CLIENT),
        post_mortem(4, kind=MistakeKind.UNDERSTANDING, cause=Cause.VAGUE_CONTRACT),
        no_mistake(5),
    ]
    patterns = find_patterns(log, T0 + DAY, clients=())
    assert patterns.causes == (
        (Cause.AGGRESSIVE_CLIENT, 2),
        (Cause.VAGUE_CONTRACT, 1),
        (Cause.KNOWLEDGE_GAP, 1),
    )
    assert patterns.kinds == (
        (MistakeKind.SERVICE, 2),
        (MistakeKind.PROFESSIONAL, 1),
        (MistakeKind.UNDERSTANDING, 1),
    )
    assert patterns.recurring_causes == [Cause.AGGRESSIVE_CLIENT]
    assert patterns.recurring_kinds == [MistakeKind.SERVICE]
    assert (patterns.post_mortems, patterns.no_mistake, patterns.with_mistake) == (5, 1, 4)


def test_third_party_counts_every_post_mortem() -> None:
    log = [
        post_mortem(1, third_party=True),
        no_mistake(2, third_party=True),
        post_mortem(3, third_party=False),
        post_mortem(4),
    ]
    patterns = find_patterns(log, T0 + DAY, clients=())
    assert (
        patterns.third_party_suspected,
        patterns.third_party_plain,
        patterns.third_party_unknown,
    ) == (2, 1, 1)
    assert patterns.third_party_share == 0.5


def test_days_to_close_median_and_mean() -> None:
    log = [
        post_mortem(1, done=2),
        post_mortem(2, done=6),
        post_mortem(3, created=1, done=11),
        post_mortem(4, created=5, done=4),  # marked done before it was recorded: counts as 0
        post_mortem(5),
    ]
    patterns = find_patterns(log, T0 + 20 * DAY, clients=())
    assert sorted(patterns.days_to_close) == [0.0, 2.0, 6.0, 10.0]
    assert patterns.median_days_to_close == 4.0
    assert patterns.mean_days_to_close == 4.5
    assert (patterns.plans, patterns.done, len(patterns.open_plans)) == (5, 4, 1)


def test_overdue_at_a_moment() -> None:
    log = [
        post_mortem(1, due=14),
        post_mortem(2, due=10),
        post_mortem(3, due=5, done=4),
        post_mortem(4, due=5, done=20),
        post_mortem(5),
    ]
    assert find_patterns(log, T0 + 3 * DAY, clients=()).overdue == ()
    assert [m.id for m in find_patterns(log, T0 + 12 * DAY, clients=()).overdue] == [4, 2]
    assert [m.id for m in find_patterns(log, T0 + 15 * DAY, clients=()).overdue] == [4, 2, 1]
    assert [m.id for m in find_patterns(log, T0 + 21 * DAY, clients=()).overdue] == [2, 1]
    open_ids = [m.id for m in find_patterns(log, T0 + 12 * DAY, clients=()).open_plans]
    assert open_ids == [4, 2, 1, 5], "earliest due first, plans without a date last"


def test_as_of_sees_the_log_as_it_stood() -> None:
    log = [post_mortem(1, done=3), post_mortem(2, created=5)]
    earlier = find_patterns(log, T0 + 2 * DAY, clients=())
    assert earlier.post_mortems == 1
    assert earlier.done == 0 and [m.id for m in earlier.open_plans] == [1]
    later = find_patterns(log, T0 + 6 * DAY, clients=())
    assert later.post_mortems == 2 and later.done == 1


def left(id: int, *, ended: float) -> ClientData:
    return ClientData(id=id, name=f"client {id}", stage=Stage.FORMER, ended_at=T0 + ended * DAY)


def test_each_departure_counts_once_with_its_latest_post_mortem() -> None:
    """Duplicates an older journal may hold: two post-mortems made after one end."""
    clients = [left(1, ended=0), ClientData(id=2, name="client 2", stage=Stage.ACTIVE)]
    log = [
        post_mortem(1, client_id=1, created=-30, cause=Cause.KNOWLEDGE_GAP),  # an earlier departure
        post_mortem(2, client_id=1, created=1, cause=Cause.OTHER),
        post_mortem(3, client_id=1, created=2, cause=Cause.AGGRESSIVE_CLIENT),
        post_mortem(4, client_id=2, created=1),  # no end recorded: stands on its own
        post_mortem(5, client_id=2, created=2),
    ]
    patterns = find_patterns(log, T0 + 3 * DAY, clients=clients)
    assert patterns.post_mortems == 4
    assert [m.id for m in patterns.counted] == [1, 4, 3, 5], "in the order they were made"
    assert dict(patterns.causes)[Cause.AGGRESSIVE_CLIENT] == 1
    assert Cause.OTHER not in dict(patterns.causes), "the earlier draft of #3 is not counted"
    assert [m.id for m in patterns.open_plans] == [1, 4, 3, 5]
    as_it_stood = find_patterns(log, T0 + 1.5 * DAY, clients=clients)
    assert [m.id for m in as_it_stood.counted] == [1, 2, 4], "before #3, #2 was the latest"
    assert find_patterns(log, T0 + 3 * DAY, clients=()).post_mortems == 5


def test_the_post_mortem_of_the_current_departure() -> None:
    log = [post_mortem(n, client_id=1, created=days) for n, days in ((1, -1), (3, 2), (2, 0))]
    assert current_post_mortem(left(1, ended=0), log) == log[1], "the latest made since the end"
    assert current_post_mortem(left(1, ended=3), log) is None, "all made before this end"
    assert current_post_mortem(ClientData(id=1, name="client 1", stage=Stage.ACTIVE), log) is None
    assert current_post_mortem(left(2, ended=-5), log) is None, "another client's"


def test_is_open() -> None:
    assert is_open(post_mortem(1), T0)
    assert not is_open(post_mortem(1), T0 - DAY), "not made yet"
    assert not is_open(no_mistake(1), T0 + DAY), "no plan"
    assert not is_open(post_mortem(1, done=1), T0 + 2 * DAY)
    assert is_open(post_mortem(1, done=3), T0 + 2 * DAY)


post_mortems = st.builds(
    post_mortem,
    st.integers(1, 1000),
    kind=st.sampled_from(MistakeKind),
    cause=st.sampled_from(Cause),
    plan=st.sampled_from(["", "a plan"]),
    created=st.floats(0, 30),
    due=st.none() | st.floats(0, 60),
    done=st.none() | st.floats(0, 60),
    third_party=st.none() | st.booleans(),
)


@given(st.lists(post_mortems, max_size=30), st.floats(0, 90))
def test_the_counts_add_up(log: list[MistakeData], days: float) -> None:
    as_of = T0 + days * DAY
    patterns = find_patterns(log, as_of, clients=())
    made = [m for m in log if m.created_at <= as_of]
    assert patterns.post_mortems == len(made)
    assert sum(count for _, count in patterns.kinds) == patterns.with_mistake
    assert all(cause is not Cause.NONE for cause, _ in patterns.causes)
    assert all(kind is not MistakeKind.NONE for kind, _ in patterns.kinds)
    assert (
        patterns.third_party_suspected + patterns.third_party_plain + patterns.third_party_unknown
        == patterns.post_mortems
    )
    assert patterns.done + len(patterns.open_plans) == patterns.plans
    assert len(patterns.days_to_close) == patterns.done
    assert all(days >= 0 for days in patterns.days_to_close)
    assert {m.id for m in patterns.overdue} <= {m.id for m in patterns.open_plans}
    share = patterns.third_party_share
    if made:
        assert share is not None and 0 <= share <= 1
    else:
        assert share is None
    counts = [count for _, count in patterns.causes]
    assert counts == sorted(counts, reverse=True)


@given(st.lists(post_mortems, max_size=30), st.floats(-10, 40), st.floats(0, 90))
def test_a_departure_is_counted_once(log: list[MistakeData], end: float, days: float) -> None:
    """Every client left at `end`: one count for all they made since, one for each before."""
    as_of = T0 + days * DAY
    clients = [left(m.client_id, ended=end) for m in log]
    made = [m for m in log if m.created_at <= as_of]
    before = [m for m in made if m.created_at < T0 + end * DAY]
    since = {m.client_id for m in made if m.created_at >= T0 + end * DAY}
    patterns = find_patterns(log, as_of, clients=clients)
    assert patterns.post_mortems == len(before) + len(since)
    assert {m.id for m in patterns.counted} <= {m.id for m in made}


# where the freed time could go -------------------------------------------------------


def client(id: int, stage: Stage, *, cadence: int | None = None, added: float = -60) -> ClientData:
    return ClientData(
        id=id,
        name=f"client {id}",
        stage=stage,
        cadence_days=cadence,
        created_at=T0 + added * DAY,
    )


def contact(client_id: int, days: float, outcome: Outcome = Outcome.REACHED) -> InteractionData:
    return InteractionData(
        id=int(days * 100) + client_id,
        client_id=client_id,
        kind=Kind.CALL,
        at=T0 + days * DAY,
        outcome=outcome,
    )


def test_needs_attention_counts_from_the_last_two_way_contact() -> None:
    clients = [
        client(1, Stage.ACTIVE),  # reached 10 days ago: late for 7
        client(2, Stage.ACTIVE, cadence=14),  # reached 10 days ago: fine for 14
        client(3, Stage.ACTIVE),  # reached 20 days ago, a call unanswered since yesterday
        client(4, Stage.ACTIVE, added=-1),  # new, never reached: not late yet
        client(5, Stage.ACTIVE),  # added 60 days ago, nothing logged: nothing to judge
        client(6, Stage.PAUSED),
        client(7, Stage.PROSPECT),
    ]
    histories = {
        1: [contact(1, -10)],
        2: [contact(2, -10)],
        3: [contact(3, -20), contact(3, -1, Outcome.NO_ANSWER)],
        6: [contact(6, -50)],
        7: [contact(7, -50)],
    }
    late = needs_attention(clients, histories, T0, cadence(7))
    # Client 3 is out of touch (the unanswered call does not reset the cadence), but
    # yesterday's call is still waiting for an answer: today is not the day to try again.
    assert [a.client.id for a in late] == [1]
    att001 = attention.evaluate(History(clients[2], tuple(histories[3]), T0), Config())
    assert "ATT001" in {f.code for f in att001.findings}
    assert late[0].last_two_way == T0 - 10 * DAY
    assert [a.cadence_days for a in late] == [7]
    assert [a.client.id for a in needs_attention(clients, histories, T0, cadence(30))] == []
    histories[3] = [contact(3, -20), contact(3, -8, Outcome.NO_ANSWER)]
    late = needs_attention(clients, histories, T0, cadence(7))
    assert [a.client.id for a in late] == [3, 1], "an attempt older than the cadence waits no more"
    assert late[0].last_two_way == T0 - 20 * DAY


def test_needs_attention_ignores_contacts_after_as_of() -> None:
    clients = [client(1, Stage.ACTIVE)]
    histories = {1: [contact(1, -10), contact(1, 1)]}
    assert [a.client.id for a in needs_attention(clients, histories, T0, cadence(7))] == [1]


def test_needs_attention_counts_from_the_start_of_the_relationship_as_att001_does() -> None:
    # Added three days ago, with entries logged from well before (an old client moved in):
    # the relationship began with the first entry, not the day the client was added.
    moved_in = client(1, Stage.ACTIVE, added=-3)
    tries = {1: [contact(1, -40, Outcome.NO_ANSWER)]}
    (late,) = needs_attention([moved_in], tries, T0, cadence(7))
    assert (late.client.id, late.last_two_way, late.cadence_days) == (1, None, 7)
    # Added after as_of: at as_of they were not there yet, so only the entries count.
    assert needs_attention([client(2, Stage.ACTIVE, added=5)], {}, T0, cadence(7)) == []
    # Nothing to count from at all: ATT001 has nothing to say, and neither does this.
    unknown = ClientData(id=3, name="client 3", stage=Stage.ACTIVE)
    assert needs_attention([unknown], {}, T0, cadence(7)) == []


def test_needs_attention_lists_the_clients_att001_finds_less_those_awaiting_an_answer() -> None:
    clients = [
        client(1, Stage.ACTIVE),
        client(2, Stage.ACTIVE, cadence=14),
        client(3, Stage.ACTIVE, added=-3),
        client(4, Stage.ACTIVE, added=-1),
        client(5, Stage.ACTIVE, cadence=3, added=-2),
        client(6, Stage.PAUSED),
    ]
    histories = {
        1: [contact(1, -10)],
        2: [contact(2, -15), contact(2, -3, Outcome.NO_ANSWER)],
        3: [contact(3, -40, Outcome.NO_ANSWER)],
        5: [contact(5, -2.5, Outcome.NO_ANSWER)],
        6: [contact(6, -50)],
    }
    for days in (3, 7, 30):
        config = cadence(days)
        out_of_touch = {
            c.id
            for c in clients
            if c.stage is Stage.ACTIVE
            and any(
                f.code == "ATT001"
                for f in attention.evaluate(
                    History(c, tuple(histories.get(c.id, [])), T0), config
                ).findings
            )
        }
        awaiting = {
            c.id
            for c in clients
            if waiting_for_answer(History(c, tuple(histories.get(c.id, [])), T0), config)
        }
        listed = needs_attention(clients, histories, T0, config)
        assert {a.client.id for a in listed} == out_of_touch - awaiting, days
    # Longest out of touch first: 3 since its first entry, 40 days ago; then 1 since the
    # last call they took, 10 days ago. Client 2 missed a call 3 days ago (cadence 14):
    # that call is still waiting for an answer.
    assert [a.client.id for a in needs_attention(clients, histories, T0, cadence(7))] == [3, 1]


def test_leads_most_recent_contact_first() -> None:
    clients = [
        client(1, Stage.LEAD),
        client(2, Stage.PROSPECT),
        client(3, Stage.LEAD),
        client(4, Stage.ACTIVE),
        client(5, Stage.FORMER),
    ]
    histories = {
        1: [contact(1, -9), contact(1, -8, Outcome.NO_ANSWER)],
        2: [contact(2, -2)],
        4: [contact(4, -1)],
    }
    leads = leads_by_recent_contact(clients, histories, T0, Config())
    assert [lead.client.id for lead in leads] == [2, 1, 3]
    assert leads[1].last_contact == T0 - 8 * DAY, "any contact counts, answered or not"
    assert leads[2].last_contact is None
