"""The rules the essay scenarios do not cover, each at its threshold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
    Stage,
)
from relog.rules import attention, balance, initiation, portfolio, pursuit, trust
from relog.rules.base import Action, History, Portfolio, Severity

if TYPE_CHECKING:
    from collections.abc import Callable

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
    active = client(Stage.ACTIVE, created_at=day(0))
    tries = [entry(1, day(5), outcome=Outcome.NO_ANSWER)]
    result = run(attention.evaluate, active, tries, day(10))
    assert found(result) == [("ATT001", Severity.WARNING, ())]
    assert "since the relationship began on 2025-03-03" in result.findings[0].message


def test_a_new_active_client_gets_time_for_an_initiative() -> None:
    active = client(Stage.ACTIVE, cadence_days=60)
    assert run(attention.evaluate, active, [entry(1, day(1))], day(29)).findings == ()
    assert [f.code for f in run(attention.evaluate, active, [], day(30)).findings] == ["ATT003"]


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
    result = run(balance.evaluate, client(Stage.ACTIVE), story, day(6))
    assert found(result) == [("BAL005", Severity.ALERT, (1, 2, 3))]
    assert result.score == 70
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
