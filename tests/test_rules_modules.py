"""The rules the essay scenarios do not cover, each at its threshold."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from relog.config import Config
from relog.domain import (
    By,
    Cause,
    Channel,
    ClientData,
    InteractionData,
    Item,
    Kind,
    MistakeData,
    MistakeKind,
    Outcome,
    Resolution,
    Source,
    Stage,
)
from relog.rules import attention, balance, initiation, portfolio, pursuit, trust
from relog.rules.base import Action, History, Portfolio, Severity, days_ago, days_since

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from relog.rules.base import ModuleResult

START = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return START + timedelta(days=n)


def entry(
    id_: int, at: datetime, kind: Kind = Kind.CALL, client_id: int = 1, **changes: Any
) -> InteractionData:
    return InteractionData(id=id_, client_id=client_id, kind=kind, at=at, **changes)


def client(
    stage: Stage = Stage.PROSPECT, id_: int = 1, name: str = "Dana Levi", **changes: Any
) -> ClientData:
    changes.setdefault("created_at", day(0))
    return ClientData(id=id_, name=name, stage=stage, **changes)


def run(
    module: Callable[[History, Config], ModuleResult],
    who: ClientData,
    entries: list[InteractionData],
    as_of: datetime,
    config: Config | None = None,
) -> ModuleResult:
    return module(History(who, tuple(entries), as_of), config or Config())


def found(result: ModuleResult) -> list[tuple[str, Severity, tuple[int, ...]]]:
    return [(f.code, f.severity, tuple(e.id for e in f.evidence)) for f in result.findings]


# initiation


def test_prospect_who_never_calls() -> None:
    story = [entry(1, day(0), by=By.THEM), entry(2, day(3)), entry(3, day(6), agreed=True)]
    story += [entry(4, day(9)), entry(5, day(12))]
    result = run(initiation.evaluate, client(), story, day(13))
    assert found(result) == [("INI002", Severity.WARNING, (2, 4, 5))]
    assert "they started 1 and you started 3" in result.findings[0].message


def test_prospect_who_calls_back_is_fine() -> None:
    story = [entry(1, day(0), by=By.THEM), entry(2, day(3)), entry(3, day(6), by=By.THEM)]
    assert run(initiation.evaluate, client(), story, day(7)).findings == ()


def test_two_unagreed_calls_and_none_from_them_are_already_too_many() -> None:
    # Short of min_contacts the missing contact counts as theirs: 1 of 3 < 0.34.
    story = [entry(1, day(0)), entry(2, day(3))]
    assert [f.code for f in run(initiation.evaluate, client(), story, day(4)).findings] == [
        "INI002"
    ]
    assert run(initiation.evaluate, client(), story[:1], day(4)).findings == ()


def test_who_starts_contacts_does_not_matter_for_active_clients() -> None:
    story = [entry(n, day(n)) for n in range(1, 7)]
    assert run(initiation.evaluate, client(Stage.ACTIVE), story, day(8)).findings == ()


def test_handed_to_an_assistant() -> None:
    story = [entry(1, day(0), delegated=True), entry(2, day(5), by=By.THEM, delegated=True)]
    assert found(run(initiation.evaluate, client(), story, day(10))) == [
        ("INI003", Severity.WARNING, (2,))
    ]
    assert run(initiation.evaluate, client(), story, day(96)).findings == ()


# pursuit


def test_agreed_follow_up_overdue() -> None:
    story = [entry(1, day(0), by=By.THEM, next_at=day(5))]
    result = run(pursuit.evaluate, client(), story, day(7))
    assert found(result) == [("PUR004", Severity.INFO, (1,))]
    assert result.findings[0].action is Action.CALL
    assert "on 2025-03-08" in result.findings[0].message
    assert run(pursuit.evaluate, client(), story, day(6)).findings == ()  # within grace


def test_follow_up_made_the_day_before_counts() -> None:
    story = [entry(1, day(0), by=By.THEM, next_at=day(5)), entry(2, day(4.5), agreed=True)]
    assert run(pursuit.evaluate, client(), story, day(10)).findings == ()


def test_chase_thresholds_come_from_config() -> None:
    story = [entry(1, day(0), by=By.THEM)] + [
        entry(n, day(n), outcome=Outcome.NO_ANSWER) for n in (2, 3, 4)
    ]
    strict = Config.model_validate({"pursuit": {"chase_streak": 4, "alert_streak": 5}})
    assert run(pursuit.evaluate, client(), story, day(5), strict).findings == ()
    assert found(run(pursuit.evaluate, client(), story, day(5))) == [
        ("PUR001", Severity.ALERT, (2, 3, 4))
    ]


# trust


def test_trust_step_after_first_meeting() -> None:
    met = entry(1, day(0), Kind.MEETING)
    assert found(run(trust.evaluate, client(), [met], day(8))) == [
        ("TRU002", Severity.WARNING, (1,))
    ]
    assert run(trust.evaluate, client(), [met], day(6)).findings == ()
    gave = entry(2, day(2), Kind.EMAIL, gave=frozenset({Item.PROFILE}))
    assert run(trust.evaluate, client(), [met, gave], day(30)).findings == ()
    idea = entry(2, day(2), initiative=True)
    assert run(trust.evaluate, client(), [met, idea], day(30)).findings == ()


def test_a_meeting_that_did_not_happen_needs_no_trust_step() -> None:
    cancelled = entry(1, day(0), Kind.MEETING, outcome=Outcome.CANCELLED)
    assert run(trust.evaluate, client(), [cancelled], day(30)).findings == ()


def test_late_to_meeting_within_lookback() -> None:
    late = entry(1, day(0), Kind.MEETING, late=True, gave=frozenset({Item.MATERIALS}))
    assert found(run(trust.evaluate, client(), [late], day(5))) == [
        ("TRU003", Severity.WARNING, (1,))
    ]
    assert run(trust.evaluate, client(), [late], day(91)).findings == ()


# attention


def test_wrong_channel() -> None:
    emailer = client(Stage.ACTIVE, channel=Channel.CALL, cadence_days=30)
    story = [
        entry(1, day(0), Kind.EMAIL),
        entry(2, day(1), Kind.EMAIL),
        entry(3, day(2)),
        entry(4, day(3), Kind.MESSAGE, by=By.THEM),
    ]
    result = run(attention.evaluate, emailer, story, day(4))
    assert found(result) == [("ATT002", Severity.WARNING, (1, 2))]
    assert "Only 1 of your last 3 contacts" in result.findings[0].message
    story.append(entry(5, day(3.5)))
    assert run(attention.evaluate, emailer, story, day(4)).findings == ()


def test_no_two_way_contact_ever_counts_from_the_start() -> None:
    # The relationship began when the client was added, before the first entry.
    active = client(Stage.ACTIVE, created_at=day(0))
    tries = [entry(1, day(5), outcome=Outcome.NO_ANSWER)]
    result = run(attention.evaluate, active, tries, day(10))
    assert found(result) == [("ATT001", Severity.WARNING, ())]
    assert "since the relationship began on 2025-03-03" in result.findings[0].message


def test_a_new_active_client_gets_time_for_an_initiative() -> None:
    active = client(Stage.ACTIVE, cadence_days=60)
    assert run(attention.evaluate, active, [entry(1, day(1))], day(29)).findings == ()
    first = [entry(1, day(0))]
    assert [f.code for f in run(attention.evaluate, active, first, day(30)).findings] == ["ATT003"]
    # Nothing logged: nothing to judge, whenever the client was added.
    assert run(attention.evaluate, active, [], day(30)).findings == ()


# balance


def test_always_insisting() -> None:
    story = [entry(n, day(n), disagreement=Resolution.INSISTED) for n in (1, 2, 3)]
    story.append(entry(4, day(4), disagreement=Resolution.TOGETHER))
    result = run(balance.evaluate, client(Stage.ACTIVE), story, day(5))
    assert found(result) == [("BAL002", Severity.WARNING, (1, 2, 3))]


def test_unresolved_latest_disagreement() -> None:
    story = [
        entry(1, day(1), disagreement=Resolution.TOGETHER),
        entry(2, day(2), disagreement=Resolution.UNRESOLVED),
    ]
    result = run(balance.evaluate, client(Stage.ACTIVE), story, day(3))
    assert found(result) == [("BAL004", Severity.WARNING, (2,))]
    assert result.findings[0].action is Action.TALK
    story.append(entry(3, day(3), disagreement=Resolution.TOGETHER))
    assert run(balance.evaluate, client(Stage.ACTIVE), story, day(4)).findings == ()


def test_consider_parting() -> None:
    resolutions = [Resolution.UNRESOLVED] * 3 + [Resolution.TOGETHER] * 2
    story = [entry(n, day(n), disagreement=r) for n, r in enumerate(resolutions, start=1)]
    # The last two were settled together: that closes what was left open, and with
    # nothing open now, parting is not the next step.
    assert run(balance.evaluate, client(Stage.ACTIVE), story, day(6)).findings == ()
    story.append(entry(6, day(6), disagreement=Resolution.UNRESOLVED))
    result = run(balance.evaluate, client(Stage.ACTIVE), story, day(7))
    assert found(result) == [
        ("BAL004", Severity.WARNING, (6,)),
        ("BAL005", Severity.ALERT, (1, 2, 3, 6)),
    ]
    assert result.score == 55
    resolutions = [Resolution.UNRESOLVED] + [Resolution.TOGETHER] * 3 + [Resolution.UNRESOLVED]
    even = [entry(n, day(n), disagreement=r) for n, r in enumerate(resolutions, start=1)]
    # 2 of 5 unresolved is not more than half, though the latest one is unresolved.
    result = run(balance.evaluate, client(Stage.ACTIVE), even, day(6))
    assert [f.code for f in result.findings] == ["BAL004"]


# portfolio


def book(
    clients: list[ClientData],
    entries: list[InteractionData],
    as_of: datetime,
    mistakes: tuple[MistakeData, ...] = (),
) -> ModuleResult:
    histories = {c.id: tuple(e for e in entries if e.client_id == c.id) for c in clients}
    return portfolio.evaluate(Portfolio(as_of, tuple(clients), histories, mistakes), Config())


def steady_clients() -> list[ClientData]:
    return [
        client(Stage.ACTIVE, 1, "Acme"),
        client(Stage.ACTIVE, 2, "Globex"),
        client(Stage.ACTIVE, 3, "Initech"),
        client(Stage.LEAD, 4, "Hooli", created_at=day(80)),
    ]


def test_healthy_portfolio() -> None:
    entries = [entry(n, day(n * 10), client_id=1 + n % 3) for n in range(1, 9)]
    result = book(steady_clients(), entries, day(90))
    assert result.findings == ()
    assert result.score == 100


def test_dependent_on_one_client() -> None:
    entries = [entry(n, day(80 + n), client_id=1) for n in range(1, 5)]
    entries += [entry(9, day(85), client_id=2), entry(10, day(86), Kind.NOTE, client_id=2)]
    result = book(steady_clients(), entries, day(90))
    assert found(result) == [("POR001", Severity.WARNING, (1, 2, 3, 4))]
    assert "Acme holds 80%" in result.findings[0].message
    assert "(4 of 5)" in result.findings[0].message


def test_empty_pipeline() -> None:
    clients = steady_clients()
    clients[3] = client(Stage.LEAD, 4, "Hooli", created_at=day(0))
    assert [f.code for f in book(clients, [], day(90)).findings] == ["POR002"]
    came_in = [entry(1, day(70), by=By.THEM, client_id=4)]
    assert book(clients, came_in, day(90)).findings == ()
    assert book([], [], day(90)).findings == ()


def test_overdue_action_plan_and_few_clients() -> None:
    plan = MistakeData(
        id=1,
        client_id=9,
        client_name="Umbrella",
        created_at=day(10),
        what="Scope was never written down",
        kind=MistakeKind.UNDERSTANDING,
        cause=Cause.VAGUE_CONTRACT,
        plan="Write a one-page scope template",
        due=day(30),
    )
    clients = [client(Stage.ACTIVE, 1, "Acme"), client(Stage.LEAD, 4, "Hooli", created_at=day(15))]
    result = book(clients, [], day(40), (plan,))
    assert found(result) == [
        ("POR003", Severity.WARNING, ()),
        ("POR004", Severity.INFO, ()),
    ]
    assert "Umbrella" in result.findings[0].message
    assert "Write a one-page scope template" in result.findings[0].message
    assert "2025-04-02" in result.findings[0].message
    assert result.score == 80
    assert [f.code for f in book(clients, [], day(20), (plan,)).findings] == ["POR004"]


@pytest.mark.parametrize("module", [initiation, pursuit, trust, attention, balance])
def test_empty_history_of_a_new_client_is_healthy(module: Any) -> None:
    result = module.evaluate(History(client(Stage.ACTIVE), (), day(0)), Config())
    assert result.score == 100 and result.findings == ()


# the lead you won is new business


def test_winning_a_lead_does_not_empty_the_pipeline() -> None:
    # Hooli was added long ago as a lead, called you 30 days ago and is now a client.
    clients = steady_clients()
    clients[3] = client(Stage.ACTIVE, 4, "Hooli", created_at=day(0))
    called = [entry(1, day(60), by=By.THEM, client_id=4)]
    assert book(clients, called, day(90)).findings == ()
    # Added as a client straight away within the window: new too.
    clients[3] = client(Stage.ACTIVE, 4, "Hooli", created_at=day(40))
    assert book(clients, [], day(90)).findings == ()


def test_an_old_client_calling_again_is_not_new_business() -> None:
    clients = steady_clients()
    clients[3] = client(Stage.ACTIVE, 4, "Hooli", created_at=day(0))
    story = [
        entry(1, day(5), by=By.THEM, client_id=4),
        entry(2, day(80), by=By.THEM, client_id=4),
    ]
    result = book(clients, story, day(90))
    assert [f.code for f in result.findings] == ["POR002"]
    assert "in the last 60 days" in result.findings[0].message
    # An old lead who calls you is someone reaching out, as before.
    clients[3] = client(Stage.LEAD, 4, "Hooli", created_at=day(0))
    assert book(clients, story, day(90)).findings == ()


def test_no_active_clients_reads_sensibly() -> None:
    result = book([client(Stage.LEAD, 4, "Hooli", created_at=day(80))], [], day(90))
    (finding,) = result.findings
    assert finding.code == "POR004"
    assert finding.message.startswith("You have no active clients right now;")
    assert "at least 3 active clients" in finding.message
    one = book([client(Stage.ACTIVE, 1, "Acme", created_at=day(80))], [], day(90))
    assert "You have only 1 active client; with fewer than 3" in one.findings[0].message


# INI001 once the referral is a client


def test_opening_days_comes_from_config() -> None:
    won = client(Stage.ACTIVE, source=Source.REFERRAL)
    short = Config.model_validate({"initiation": {"opening_days": 10}})
    assert run(initiation.evaluate, won, [entry(1, day(0))], day(11), short).findings == ()
    assert found(run(initiation.evaluate, won, [entry(1, day(0))], day(10), short)) == [
        ("INI001", Severity.INFO, (1,))
    ]
    for stage in (Stage.PAUSED, Stage.FORMER):
        result = run(
            initiation.evaluate, client(stage, source=Source.REFERRAL), [entry(1, day(0))], day(5)
        )
        assert found(result) == [("INI001", Severity.INFO, (1,))]
        assert result.findings[0].action is None


def test_delivering_what_a_referral_asked_for_is_no_cold_call() -> None:
    # What they asked for reached you through a note (say, from the person who referred them).
    relayed = entry(1, day(0), Kind.NOTE, asked=frozenset({Item.MATERIALS}))
    sent = entry(2, day(1), Kind.EMAIL, gave=frozenset({Item.MATERIALS}))
    referral = client(source=Source.REFERRAL)
    assert run(initiation.evaluate, referral, [relayed, sent], day(2)).findings == ()
    unasked = entry(2, day(1), Kind.EMAIL, gave=frozenset({Item.PRICES}))
    assert [
        f.code for f in run(initiation.evaluate, referral, [relayed, unasked], day(2)).findings
    ] == ["INI001"]


def test_deliveries_count_on_neither_side_for_a_prospect() -> None:
    story = [entry(1, day(0), by=By.THEM, asked=frozenset({Item.PRICES, Item.PROFILE}))]
    story += [
        entry(2, day(1), Kind.EMAIL, gave=frozenset({Item.PRICES})),
        entry(3, day(2), Kind.EMAIL, gave=frozenset({Item.PROFILE})),
        entry(4, day(3)),
    ]
    assert run(initiation.evaluate, client(), story, day(4)).findings == ()
    pushed = [*story[:1], entry(2, day(1)), entry(3, day(2)), entry(4, day(3))]
    result = run(initiation.evaluate, client(), pushed, day(4))
    assert found(result) == [("INI002", Severity.WARNING, (2, 3, 4))]
    assert result.findings[0].message.startswith("Of the last 4 contacts with Dana Levi")


# thinking_until: one definition of a thinking time still running


def history_of(
    entries: list[InteractionData], as_of: datetime, who: ClientData | None = None
) -> History:
    return History(who or client(), tuple(entries), as_of)


def test_thinking_until() -> None:
    config = Config()
    asked = entry(1, day(0), Kind.MEETING, think=True)
    assert pursuit.thinking_until(history_of([], day(1)), config) is None
    assert pursuit.thinking_until(history_of([asked], day(1)), config) == day(7)
    assert pursuit.thinking_until(history_of([asked], day(7)), config) is None, "over at its end"
    agreed = replace(asked, next_at=day(14))
    assert pursuit.thinking_until(history_of([agreed], day(10)), config) == day(14)
    back = entry(2, day(3), Kind.EMAIL, by=By.THEM)
    assert pursuit.thinking_until(history_of([asked, back], day(4)), config) is None
    # Before they came back, it was still running: as_of sees only what was logged by then.
    assert pursuit.thinking_until(history_of([asked, back], day(2)), config) == day(7)
    mine = entry(2, day(3), Kind.EMAIL)
    assert pursuit.thinking_until(history_of([asked, mine], day(4)), config) == day(7)
    again = entry(3, day(5), Kind.MEETING, think=True)
    assert pursuit.thinking_until(history_of([agreed, again], day(6)), config) == day(12)
    longer = Config.model_validate({"pursuit": {"think_days": 10}})
    assert pursuit.thinking_until(history_of([asked], day(8)), longer) == day(10)


def test_only_the_running_thinking_time_asks_you_to_let_them_think() -> None:
    first = entry(1, day(0), Kind.MEETING, think=True, next_at=day(30))
    pressed = entry(2, day(2))
    second = entry(3, day(5), Kind.MEETING, think=True)
    pressed_again = entry(4, day(6))
    result = run(pursuit.evaluate, client(), [first, pressed, second, pressed_again], day(8))
    assert [(f.code, f.action) for f in result.findings] == [
        ("PUR003", None),
        ("PUR003", Action.LET_THINK),
    ]
    assert "you contacted them 3 times before they came back (first on 2025-03-05)" in (
        result.findings[0].message
    )


# contact_due and cadence_days: one definition of when an active client is due


def test_cadence_days() -> None:
    config = Config.model_validate({"attention": {"cadence_days": 10}})
    assert attention.cadence_days(client(Stage.ACTIVE), config) == 10
    assert attention.cadence_days(client(Stage.ACTIVE, cadence_days=3), config) == 3


def test_contact_due() -> None:
    config = Config()
    active = client(Stage.ACTIVE, created_at=day(10))
    # Nothing logged: nothing to count from, whenever the client was added.
    assert attention.contact_due(history_of([], day(20), active), config) is None
    # The relationship began with the earliest entry, before the client was added.
    tried = entry(1, day(2), outcome=Outcome.NO_ANSWER)
    assert attention.contact_due(history_of([tried], day(20), active), config) == day(9)
    reached = entry(2, day(12), Kind.EMAIL, by=By.THEM)
    assert attention.contact_due(history_of([tried, reached], day(20), active), config) == day(19)
    later = entry(3, day(25))
    assert attention.contact_due(history_of([tried, reached, later], day(20), active), config) == (
        day(19)
    )
    unknown = ClientData(id=1, name="Dana Levi", stage=Stage.ACTIVE)
    assert attention.contact_due(history_of([], day(20), unknown), config) is None
    added_later = client(Stage.ACTIVE, created_at=day(30))
    assert attention.contact_due(history_of([], day(20), added_later), config) is None
    own = client(Stage.ACTIVE, created_at=day(10), cadence_days=3)
    assert attention.contact_due(history_of([tried], day(20), own), config) == day(5)


def test_out_of_touch_exactly_when_the_contact_is_due() -> None:
    active = client(Stage.ACTIVE, created_at=day(0), cadence_days=60)
    story = [entry(1, day(1), by=By.THEM, initiative=True)]
    due = attention.contact_due(history_of(story, day(1), active), Config())
    assert due == day(61)
    on_time = run(attention.evaluate, active, story, day(61))
    assert "ATT001" not in [f.code for f in on_time.findings]
    late = run(attention.evaluate, active, story, day(61) + timedelta(seconds=1))
    assert [f.code for f in late.findings] == ["ATT001", "ATT003"]
    daily = client(Stage.ACTIVE, created_at=day(0), cadence_days=1)
    message = run(attention.evaluate, daily, story, day(3)).findings[0].message
    assert "their cadence is every day." in message


# counts and plurals in messages


def test_a_single_attempt_reads_as_once() -> None:
    eager = Config.model_validate({"pursuit": {"chase_streak": 1, "alert_streak": 1}})
    story = [entry(1, day(0), by=By.THEM), entry(2, day(1), outcome=Outcome.NO_ANSWER)]
    (finding,) = run(pursuit.evaluate, client(), story, day(2), eager).findings
    assert finding.message.startswith("You tried Dana Levi once without an answer (on 2025-03-04)")
    agreed = [entry(1, day(0), by=By.THEM, next_at=day(1))]
    agreed += [
        entry(2, day(1), agreed=True, outcome=Outcome.NO_ANSWER),
        entry(3, day(1.2), outcome=Outcome.NO_ANSWER),
    ]
    result = run(pursuit.evaluate, client(), agreed, day(2))
    assert "and you tried once more after it (last on 2025-03-04)" in result.findings[1].message
    assert "You tried Dana Levi twice in a row" in result.findings[0].message


def test_windows_of_one_day_read_naturally() -> None:
    tight = Config.model_validate(
        {
            "attention": {"initiative_days": 1},
            "portfolio": {"window_days": 1, "pipeline_days": 1},
        }
    )
    active = client(Stage.ACTIVE, cadence_days=30)
    (finding,) = run(
        attention.evaluate, active, [entry(1, day(0), by=By.THEM)], day(2), tight
    ).findings
    assert "has heard nothing new from you in the last day:" in finding.message
    clients = [client(Stage.ACTIVE, 1, "Acme"), client(Stage.ACTIVE, 2, "Globex")]
    clients.append(client(Stage.ACTIVE, 3, "Initech"))
    story = [entry(n, day(9.5) + timedelta(hours=n), client_id=1) for n in range(1, 6)]
    result = portfolio.evaluate(Portfolio(day(10), tuple(clients), {1: tuple(story)}), tight)
    assert [f.code for f in result.findings] == ["POR001", "POR002"]
    assert "with active clients in the last day (5 of 5)" in result.findings[0].message
    assert result.findings[1].message.endswith("in the last day.")


def test_one_disagreement_is_one() -> None:
    touchy = Config.model_validate({"balance": {"min_disagreements": 1}})
    story = [entry(1, day(1), disagreement=Resolution.CONCEDED, expectations=True)]
    (finding,) = run(balance.evaluate, client(Stage.ACTIVE), story, day(2), touchy).findings
    assert "You gave in on 1 of 1 disagreement with Dana Levi" in finding.message


def test_no_contact_on_their_channel_reads_as_none() -> None:
    caller = client(Stage.ACTIVE, channel=Channel.CALL, cadence_days=30)
    story = [entry(n, day(n), Kind.EMAIL) for n in (1, 2, 3)]
    (finding,) = run(attention.evaluate, caller, story, day(4)).findings
    assert finding.message.startswith("None of your last 3 contacts with Dana Levi")


# days in messages count local calendar days


ZONE = "Asia/Jerusalem"


@pytest.fixture
def jerusalem() -> Iterator[None]:
    if not Path("/usr/share/zoneinfo", ZONE).exists():
        pytest.skip(f"time zone data for {ZONE} is not installed")
    previous = os.environ.get("TZ")
    os.environ["TZ"] = ZONE
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()


def local(*parts: int) -> datetime:
    return datetime(*parts).astimezone()  # type: ignore[arg-type]


@pytest.mark.usefixtures("jerusalem")
def test_days_ago_counts_local_calendar_days() -> None:
    late_evening = local(2026, 11, 10, 23, 30)
    assert days_ago(late_evening, local(2026, 11, 22, 0, 30)) == 12
    assert days_since(late_evening, local(2026, 11, 22, 0, 30)) < 11.1
    assert days_ago(late_evening, local(2026, 11, 10, 23, 59)) == 0
    assert days_ago(late_evening, local(2026, 11, 11, 0, 1)) == 1
    # 22:30 UTC on the 10th is already the 11th in Jerusalem.
    assert days_ago(datetime(2026, 11, 10, 22, 30, tzinfo=UTC), local(2026, 11, 11, 9, 0)) == 0


@pytest.mark.usefixtures("jerusalem")
def test_a_message_counts_the_days_its_date_shows() -> None:
    asked = entry(1, local(2026, 11, 10, 23, 30), by=By.THEM, asked=frozenset({Item.PRICES}))
    (finding,) = run(trust.evaluate, client(), [asked], local(2026, 11, 22, 0, 30)).findings
    assert "on 2026-11-10, 12 days ago" in finding.message
    eager = Config.model_validate({"trust": {"request_days": 0}})
    (finding,) = run(trust.evaluate, client(), [asked], local(2026, 11, 10, 23, 50), eager).findings
    assert "on 2026-11-10, today" in finding.message
    met = entry(1, local(2026, 11, 10, 23, 30), Kind.MEETING)
    (finding,) = run(trust.evaluate, client(), [met], local(2026, 11, 18, 0, 30)).findings
    assert "You first met Dana Levi on 2026-11-10, 8 days ago" in finding.message
