"""The text views of the mistakes log: counts read as English, and referrals are not chased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from relog.domain import Cause, ClientData, MistakeData, MistakeKind, Source, Stage
from relog.patterns import Attention, Lead, find_patterns
from relog.render.mistakes import lead_hint, show_forward, show_patterns

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def lead(
    name: str,
    *,
    source: Source | None = None,
    referred_by: str | None = None,
    last_contact: datetime | None = None,
) -> Lead:
    client = ClientData(
        id=1, name=name, stage=Stage.LEAD, source=source, referred_by=referred_by, created_at=NOW
    )
    return Lead(client, last_contact)


def active(name: str) -> ClientData:
    return ClientData(id=2, name=name, stage=Stage.ACTIVE, created_at=NOW - timedelta(days=30))


def forward(
    capsys: pytest.CaptureFixture[str],
    *,
    attention: list[Attention] | None = None,
    leads: list[Lead] | None = None,
    active_clients: int = 1,
) -> str:
    show_forward([], attention or [], leads or [], NOW, active_clients=active_clients)
    return " ".join(capsys.readouterr().out.split())


# referrals ------------------------------------------------------------------


def test_a_referral_not_reached_yet_is_left_to_call_you() -> None:
    hint = lead_hint(lead("Ron", source=Source.REFERRAL, referred_by="Dana Levi"), NOW)
    assert hint == "referred by Dana Levi: ask them to pass your details on"


def test_a_referral_with_no_referrer_named_still_says_to_ask_the_referrer() -> None:
    hint = lead_hint(lead("Ron", source=Source.REFERRAL), NOW)
    assert hint == "a referral: ask whoever referred them to pass your details on"
    assert "no contact" not in hint


@pytest.mark.parametrize("source", [Source.INBOUND, Source.OUTBOUND, None])
def test_other_leads_not_reached_yet_keep_the_plain_hint(source: Source | None) -> None:
    assert lead_hint(lead("Pat", source=source), NOW) == "no contact yet"


def test_a_referral_already_in_touch_shows_the_last_contact() -> None:
    referral = lead(
        "Ron", source=Source.REFERRAL, referred_by="Dana", last_contact=NOW - timedelta(days=3)
    )
    assert lead_hint(referral, NOW) == "last contact 3 days ago"


def test_the_forward_view_shows_the_hint_of_each_lead(capsys: pytest.CaptureFixture[str]) -> None:
    text = forward(
        capsys,
        leads=[
            lead("Ori", source=Source.INBOUND, last_contact=NOW - timedelta(days=1)),
            lead("Pat", source=Source.OUTBOUND),
            lead("Ron", source=Source.REFERRAL, referred_by="Dana Levi"),
        ],
    )
    assert "Ori lead last contact yesterday" in text
    assert "Pat lead no contact yet" in text
    assert "Ron lead referred by Dana Levi: ask them to pass your details on" in text


# counts and wording ---------------------------------------------------------------


@pytest.mark.parametrize(("days", "shown"), [(1, "cadence 1 day"), (7, "cadence 7 days")])
def test_the_cadence_reads_as_english(
    capsys: pytest.CaptureFixture[str], days: int, shown: str
) -> None:
    late = Attention(active("Dana"), days, NOW - timedelta(days=10))
    text = forward(capsys, attention=[late])
    assert f"Dana last two-way contact 10 days ago; {shown}" in text
    assert "1 days" not in text


def test_no_late_client_says_all_are_in_touch_or_there_are_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = forward(capsys, active_clients=2)
    assert "Every active client has heard from you within their cadence." in text
    text = forward(capsys, active_clients=0)
    assert "No active clients at the moment." in text
    assert "Every active client" not in text


def post_mortem(id: int) -> MistakeData:
    return MistakeData(
        id=id,
        client_id=id,
        client_name=f"client {id}",
        created_at=NOW - timedelta(days=id),
        what="what happened",
        kind=MistakeKind.SERVICE,
        cause=Cause.OTHER,
        plan="a plan",
    )


@pytest.mark.parametrize(
    ("count", "heading"),
    [(1, "Patterns across 1 post-mortem "), (2, "Patterns across 2 post-mortems ")],
)
def test_the_patterns_heading_counts_in_english(
    capsys: pytest.CaptureFixture[str], count: int, heading: str
) -> None:
    log = [post_mortem(id) for id in range(1, count + 1)]
    show_patterns(find_patterns(log, NOW, clients=()))
    assert heading in capsys.readouterr().out
