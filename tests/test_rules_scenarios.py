"""The situations the essays describe, each beside its healthy twin.

Every scenario is acted out as a short journal and evaluated by the module it
belongs to; the twin changes one thing and must get the opposite verdict.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from relog.config import Config
from relog.domain import (
    By,
    ClientData,
    InteractionData,
    Item,
    Kind,
    Outcome,
    Resolution,
    Source,
    Stage,
)
from relog.rules import attention, balance, initiation, pursuit, trust
from relog.rules.base import Action, History, ModuleResult, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import date

START = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
CONFIG = Config()
INFO, WARNING, ALERT = 5, 15, 30


def day(n: float) -> datetime:
    """Noon (UTC) n days after the start of every scenario."""
    return START + timedelta(days=n)


def entry(id_: int, at: datetime, kind: Kind = Kind.CALL, **changes: Any) -> InteractionData:
    return InteractionData(id=id_, client_id=1, kind=kind, at=at, **changes)


def client(stage: Stage = Stage.PROSPECT, **changes: Any) -> ClientData:
    return ClientData(id=1, name="Dana Levi", stage=stage, created_at=day(0), **changes)


def run(
    module: Callable[[History, Config], ModuleResult],
    who: ClientData,
    entries: list[InteractionData],
    as_of: datetime,
    meetings: Mapping[date, int] | None = None,
) -> ModuleResult:
    return module(History(who, tuple(entries), as_of, meetings or {}), CONFIG)


def codes(result: ModuleResult) -> list[str]:
    return [finding.code for finding in result.findings]


def ids(result: ModuleResult, code: str) -> list[tuple[int, ...]]:
    """The evidence ids of every finding with this code."""
    return [tuple(e.id for e in f.evidence) for f in result.findings if f.code == code]


# The agreed call nobody took, again the next day, then a message: chasing.


def agreed_call_story(answered: bool) -> list[InteractionData]:
    return [
        entry(1, day(0), by=By.THEM, next_at=day(1), summary="Call me tomorrow"),
        entry(
            2,
            day(1),
            agreed=True,
            outcome=Outcome.REACHED if answered else Outcome.NO_ANSWER,
        ),
        entry(3, day(2), outcome=Outcome.NO_ANSWER),
        entry(4, day(2.2), Kind.MESSAGE, outcome=Outcome.NO_REPLY),
    ]


def test_chasing_after_a_missed_agreed_call() -> None:
    result = run(pursuit.evaluate, client(), agreed_call_story(answered=False), day(3))
    assert codes(result) == ["PUR001", "PUR002"]
    chasing, after_missed = result.findings
    assert chasing.severity is Severity.ALERT
    assert ids(result, "PUR001") == [(2, 3, 4)]
    assert after_missed.severity is Severity.ALERT
    assert ids(result, "PUR002") == [(2, 3, 4)]
    assert "3 times in a row" in chasing.message
    assert chasing.action is Action.WAIT and after_missed.action is Action.WAIT
    assert result.score == 100 - ALERT - ALERT


def test_two_unanswered_attempts_are_a_warning() -> None:
    story = agreed_call_story(answered=False)[:3]
    result = run(pursuit.evaluate, client(), story, day(3))
    assert [(f.code, f.severity) for f in result.findings] == [
        ("PUR001", Severity.WARNING),
        ("PUR002", Severity.ALERT),
    ]
    assert result.score == 100 - WARNING - ALERT


def test_answered_agreed_call_is_follow_up() -> None:
    story = agreed_call_story(answered=True)
    result = run(pursuit.evaluate, client(), story, day(3))
    # The two attempts after the answered call still count, but nothing went
    # unanswered on an agreed call, so there is no PUR002.
    assert codes(result) == ["PUR001"]
    assert ids(result, "PUR001") == [(3, 4)]

    followed_up = run(pursuit.evaluate, client(), story[:2], day(3))
    assert followed_up.findings == ()
    assert followed_up.score == 100


def test_a_note_does_not_break_a_streak() -> None:
    story = [*agreed_call_story(answered=False)[:2], entry(9, day(1.5), Kind.NOTE)]
    story.append(entry(3, day(2), outcome=Outcome.NO_ANSWER))
    assert ids(run(pursuit.evaluate, client(), story, day(3)), "PUR001") == [(2, 3)]


# The referred prospect: did you call them, or did they call you?


def referred() -> ClientData:
    return client(source=Source.REFERRAL, referred_by="Noa")


def test_phoning_a_referral_first() -> None:
    result = run(initiation.evaluate, referred(), [entry(1, day(0))], day(1))
    assert codes(result) == ["INI001"]
    (finding,) = result.findings
    assert finding.severity is Severity.WARNING
    assert ids(result, "INI001") == [(1,)]
    assert "referred to you by Noa" in finding.message
    assert "2025-03-03" in finding.message
    assert finding.action is Action.WAIT
    assert result.score == 100 - WARNING


def test_referral_who_called_you() -> None:
    result = run(initiation.evaluate, referred(), [entry(1, day(0), by=By.THEM)], day(1))
    assert result.findings == ()
    assert result.score == 100


def test_agreed_first_call_to_a_referral_is_fine() -> None:
    result = run(initiation.evaluate, referred(), [entry(1, day(0), agreed=True)], day(1))
    assert "INI001" not in codes(result)


# References asked for and never sent, against references sent the next day.


def asked_for_references() -> InteractionData:
    return entry(1, day(0), Kind.MEETING, by=By.THEM, asked=frozenset({Item.REFERENCES}))


def test_unanswered_request_for_references() -> None:
    result = run(trust.evaluate, client(), [asked_for_references()], day(5))
    assert codes(result) == ["TRU001"]
    (finding,) = result.findings
    assert finding.severity is Severity.WARNING
    assert ids(result, "TRU001") == [(1,)]
    assert "references" in finding.message and "5 days ago" in finding.message
    assert finding.action is Action.DELIVER
    assert result.score == 100 - WARNING

    later = run(trust.evaluate, client(), [asked_for_references()], day(9))
    assert [(f.code, f.severity) for f in later.findings] == [
        ("TRU001", Severity.ALERT),
        ("TRU002", Severity.WARNING),  # and no trust step since that first meeting
    ]


def test_references_delivered_next_day() -> None:
    sent = entry(2, day(1), Kind.EMAIL, gave=frozenset({Item.REFERENCES}))
    result = run(trust.evaluate, client(), [asked_for_references(), sent], day(9))
    assert result.findings == ()
    assert result.score == 100


def test_unanswered_question_is_named_as_such() -> None:
    asked = entry(1, day(0), by=By.THEM, asked=frozenset({Item.QUESTION}))
    (finding,) = run(trust.evaluate, client(), [asked], day(3)).findings
    assert finding.message.startswith("An unanswered question")


# Nine meetings in one day, against three.


def test_day_of_nine_meetings() -> None:
    meeting = entry(1, day(0), Kind.MEETING)
    load = {day(0).astimezone().date(): 9}
    result = run(trust.evaluate, client(Stage.ACTIVE), [meeting], day(1), load)
    assert codes(result) == ["TRU004"]
    (finding,) = result.findings
    assert "9 meetings" in finding.message
    assert ids(result, "TRU004") == [(1,)]
    assert result.score == 100 - WARNING


def test_day_of_three_meetings() -> None:
    meeting = entry(1, day(0), Kind.MEETING)
    load = {day(0).astimezone().date(): 3}
    result = run(trust.evaluate, client(Stage.ACTIVE), [meeting], day(1), load)
    assert result.findings == ()


def test_cancelled_meeting_on_a_full_day_does_not_count() -> None:
    meeting = entry(1, day(0), Kind.MEETING, outcome=Outcome.CANCELLED)
    load = {day(0).astimezone().date(): 9}
    assert run(trust.evaluate, client(Stage.ACTIVE), [meeting], day(1), load).findings == ()


# The client you always gave in to, against give and take with expectations set.


def test_always_giving_in() -> None:
    story = [
        entry(n, day(10 * n), disagreement=Resolution.CONCEDED, summary="They wanted it cheaper")
        for n in (1, 2, 3)
    ]
    result = run(balance.evaluate, client(Stage.ACTIVE), story, day(40))
    assert codes(result) == ["BAL001", "BAL003", "BAL003", "BAL003"]
    assert ids(result, "BAL001") == [(1, 2, 3)]
    assert ids(result, "BAL003") == [(1,), (2,), (3,)]
    assert "3 of 3" in result.findings[0].message
    assert result.score == 100 - WARNING - 3 * INFO


def test_give_and_take_with_expectations() -> None:
    story = [
        entry(1, day(10), disagreement=Resolution.CONCEDED, expectations=True),
        entry(2, day(20), disagreement=Resolution.INSISTED),
        entry(3, day(30), disagreement=Resolution.TOGETHER),
    ]
    result = run(balance.evaluate, client(Stage.ACTIVE), story, day(40))
    assert result.findings == ()
    assert result.score == 100


# The active client you stopped calling, against one on cadence.


def stopped_calling(answered: bool) -> list[InteractionData]:
    return [
        entry(1, day(0)),
        entry(2, day(10), outcome=Outcome.REACHED if answered else Outcome.NO_ANSWER),
    ]


def test_active_client_out_of_touch() -> None:
    active = client(Stage.ACTIVE, cadence_days=7)
    result = run(attention.evaluate, active, stopped_calling(answered=False), day(12))
    assert codes(result) == ["ATT001"]
    (finding,) = result.findings
    assert finding.severity is Severity.WARNING
    assert ids(result, "ATT001") == [(1,)]
    assert "12 days ago" in finding.message
    assert "1 unanswered attempt since does not count" in finding.message
    assert finding.action is Action.CALL
    assert result.score == 100 - WARNING

    later = run(attention.evaluate, active, stopped_calling(answered=False), day(15))
    assert [f.severity for f in later.findings] == [Severity.ALERT]


def test_active_client_on_cadence() -> None:
    active = client(Stage.ACTIVE, cadence_days=7)
    result = run(attention.evaluate, active, stopped_calling(answered=True), day(15))
    assert result.findings == ()
    assert result.score == 100


def test_attention_is_only_for_clients_you_work_for() -> None:
    result = run(attention.evaluate, client(Stage.PROSPECT), stopped_calling(False), day(90))
    assert result == ModuleResult(
        "attention",
        100,
        (),
        applicable=False,
        note="only for clients you work for (active or paused)",
    )


# Months without anything new, against a recent initiative.


def months_without_news(recent_initiative: bool) -> list[InteractionData]:
    return [
        entry(1, day(0), initiative=True, summary="Sent a tender they could bid for"),
        entry(2, day(50), by=By.THEM),
        entry(3, day(80), initiative=recent_initiative),
        entry(4, day(85), by=By.THEM),
    ]


def test_nothing_new_for_months() -> None:
    active = client(Stage.ACTIVE, cadence_days=30)
    result = run(attention.evaluate, active, months_without_news(False), day(90))
    assert codes(result) == ["ATT003"]
    (finding,) = result.findings
    assert finding.severity is Severity.INFO
    assert ids(result, "ATT003") == [(1,)]
    assert "the last one was on 2025-03-03" in finding.message
    assert finding.action is Action.INITIATIVE
    assert result.score == 100 - INFO


def test_recent_initiative() -> None:
    active = client(Stage.ACTIVE, cadence_days=30)
    result = run(attention.evaluate, active, months_without_news(True), day(90))
    assert result.findings == ()


# Calling while they think it over, against waiting for them.


def thinking(then: InteractionData) -> list[InteractionData]:
    asked = entry(1, day(0), Kind.MEETING, think=True, summary="They want to think about it")
    return [asked, then]


def test_calling_during_the_thinking_time() -> None:
    result = run(pursuit.evaluate, client(), thinking(entry(2, day(3))), day(4))
    assert codes(result) == ["PUR003"]
    (finding,) = result.findings
    assert finding.severity is Severity.WARNING
    assert ids(result, "PUR003") == [(1, 2)]
    assert "until 2025-03-10" in finding.message
    assert finding.action is Action.LET_THINK
    assert result.score == 100 - WARNING


def test_waiting_until_they_come_back() -> None:
    came_back = entry(2, day(5), by=By.THEM, summary="They said yes")
    assert run(pursuit.evaluate, client(), thinking(came_back), day(6)).findings == ()
    after_the_time = entry(2, day(8))
    assert run(pursuit.evaluate, client(), thinking(after_the_time), day(9)).findings == ()


def test_thinking_time_runs_to_the_agreed_date() -> None:
    asked = entry(1, day(0), Kind.MEETING, think=True, next_at=day(14))
    pressed = run(pursuit.evaluate, client(), [asked, entry(2, day(10))], day(11))
    assert codes(pressed) == ["PUR003"]
    agreed = run(pursuit.evaluate, client(), [asked, entry(2, day(14), agreed=True)], day(15))
    assert agreed.findings == ()


def test_an_old_intrusion_no_longer_asks_you_to_let_them_think() -> None:
    (finding,) = run(pursuit.evaluate, client(), thinking(entry(2, day(3))), day(30)).findings
    assert finding.code == "PUR003"
    assert finding.action is None


def test_contacts_started_by_them_are_never_pressure() -> None:
    answer = entry(2, day(3), Kind.EMAIL, by=By.THEM)
    assert run(pursuit.evaluate, client(), thinking(answer), day(4)).findings == ()


# They asked to think and asked for references: sending the references is respect.


def thinking_with_a_request() -> InteractionData:
    return entry(
        1,
        day(0),
        Kind.MEETING,
        by=By.THEM,
        think=True,
        asked=frozenset({Item.REFERENCES}),
        summary="They want to think it over and asked who else uses us",
    )


def test_sending_what_they_asked_for_while_they_think() -> None:
    sent = entry(2, day(2), Kind.EMAIL, gave=frozenset({Item.REFERENCES}))
    result = run(pursuit.evaluate, client(), [thinking_with_a_request(), sent], day(3))
    assert result.findings == ()
    assert result.score == 100
    history = History(client(), (thinking_with_a_request(), sent), day(3))
    assert pursuit.thinking_until(history, CONFIG) == day(7), "the delivery ends no thinking time"


def test_a_contact_that_delivers_nothing_they_asked_for_still_presses_them() -> None:
    checking_in = entry(2, day(2), Kind.EMAIL, summary="Any thoughts yet?")
    pressed = run(pursuit.evaluate, client(), [thinking_with_a_request(), checking_in], day(3))
    assert codes(pressed) == ["PUR003"]
    assert ids(pressed, "PUR003") == [(1, 2)]
    assert "you contacted them once before they came back (on 2025-03-05)" in (
        pressed.findings[0].message
    )
    unasked = entry(2, day(2), Kind.EMAIL, gave=frozenset({Item.PRICES}))
    assert codes(run(pursuit.evaluate, client(), [thinking_with_a_request(), unasked], day(3))) == [
        "PUR003"
    ]


def test_only_the_first_delivery_answers_the_request() -> None:
    sent = entry(2, day(2), Kind.EMAIL, gave=frozenset({Item.REFERENCES}))
    again = entry(3, day(4), Kind.EMAIL, gave=frozenset({Item.REFERENCES}))
    result = run(pursuit.evaluate, client(), [thinking_with_a_request(), sent, again], day(5))
    assert ids(result, "PUR003") == [(1, 3)]


# A referral you phoned first, who became a client all the same.


def test_a_referral_who_became_a_client_keeps_only_the_lesson() -> None:
    won = client(Stage.ACTIVE, source=Source.REFERRAL, referred_by="Noa")
    story = [entry(1, day(0)), entry(2, day(3), by=By.THEM, summary="Signed")]
    result = run(initiation.evaluate, won, story, day(30))
    assert codes(result) == ["INI001"]
    (finding,) = result.findings
    assert finding.severity is Severity.INFO
    assert finding.action is None
    assert "stop calling" not in finding.advice
    assert "next referral" in finding.advice
    assert ids(result, "INI001") == [(1,)]
    assert result.score == 100 - INFO
    # After opening_days (90) the opening is history: no finding at all.
    assert run(initiation.evaluate, won, story, day(90)).findings != ()
    assert run(initiation.evaluate, won, story, day(91)).findings == ()


def test_a_referral_still_in_the_pipeline_keeps_the_warning_for_good() -> None:
    result = run(initiation.evaluate, referred(), [entry(1, day(0))], day(400))
    (finding,) = result.findings
    assert (finding.code, finding.severity, finding.action) == (
        "INI001",
        Severity.WARNING,
        Action.WAIT,
    )
    assert "stop calling" in finding.advice
