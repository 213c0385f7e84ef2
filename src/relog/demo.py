"""A demo journal whose clients act out the situations relog knows about.

Every history is dated relative to the moment the demo is built, so the
review always reads as if these things happened in the last weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from relog.domain import (
    BillData,
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

if TYPE_CHECKING:
    from relog.store import Store

FEATURED = "Noa Peretz"
"""The client whose full review the demo prints: the chasing story."""


@dataclass
class _Story:
    client: ClientData
    entries: list[dict[str, Any]] = field(default_factory=list)


def _at(now: datetime, days_ago: float, hour: int = 10) -> datetime:
    moment = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return min(moment, now - timedelta(minutes=5))


def _ahead(now: datetime, days: int) -> datetime:
    return (now + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)


def _stories(now: datetime) -> list[_Story]:
    def client(name: str, stage: Stage, **kw: Any) -> ClientData:
        created = kw.pop("created", 90)
        return ClientData(id=0, name=name, stage=stage, created_at=_at(now, created, 9), **kw)

    def e(days_ago: float, kind: Kind, hour: int = 10, **kw: Any) -> dict[str, Any]:
        return {"kind": kind, "at": _at(now, days_ago, hour), **kw}

    C, EM, MT, MS, NT = Kind.CALL, Kind.EMAIL, Kind.MEETING, Kind.MESSAGE, Kind.NOTE
    overload_day = 12  # the day of six meetings in a row
    return [
        # Idea 1: the referral you phoned, who handed you to an assistant, then the chase.
        _Story(
            client(
                "Noa Peretz",
                Stage.PROSPECT,
                source=Source.REFERRAL,
                referred_by="Avi Cohen",
                created=20,
            ),
            [
                e(19, C, summary="Called her after Avi mentioned her name"),
                e(
                    16,
                    C,
                    delegated=True,
                    next_at=_at(now, 15, 11),
                    summary="Warm, then passed me to her assistant Shira",
                ),
                e(
                    15,
                    C,
                    hour=11,
                    agreed=True,
                    outcome=Outcome.NO_ANSWER,
                    summary="The agreed call: no answer",
                ),
                e(14, C, outcome=Outcome.NO_ANSWER, summary="Tried again"),
                e(13, MS, outcome=Outcome.NO_REPLY, summary="Sent a text"),
            ],
        ),
        # Idea 1, the healthy twin: he called you; you delivered; he is thinking it over.
        _Story(
            client(
                "Yossi Mizrahi",
                Stage.PROSPECT,
                source=Source.INBOUND,
                channel=Channel.CALL,
                created=10,
            ),
            [
                e(
                    9,
                    C,
                    by=By.THEM,
                    asked=frozenset({Item.REFERENCES, Item.PRICES}),
                    minutes=25,
                    summary="Called after seeing the site",
                ),
                e(
                    8,
                    EM,
                    gave=frozenset({Item.REFERENCES, Item.PRICES}),
                    summary="Sent two references and the price list",
                ),
                e(
                    3,
                    MT,
                    by=By.THEM,
                    think=True,
                    next_at=_ahead(now, 4),
                    minutes=60,
                    summary="Good meeting; wants to think it over",
                ),
            ],
        ),
        # Idea 2: the requests that went unanswered, and the overloaded day.
        _Story(
            client("Galit Ben-David", Stage.PROSPECT, source=Source.OUTBOUND, created=30),
            [
                e(
                    overload_day,
                    MT,
                    hour=8,
                    minutes=30,
                    asked=frozenset({Item.REFERENCES, Item.PROFILE}),
                    summary="Quick first meeting between two others",
                ),
                e(
                    10,
                    C,
                    by=By.THEM,
                    asked=frozenset({Item.QUESTION}),
                    summary="Asked whether the package covers weekends",
                ),
            ],
        ),
        # Idea 3: the client you always gave in to.
        _Story(
            client(
                "Moran Katz",
                Stage.ACTIVE,
                source=Source.INBOUND,
                cadence_days=7,
                channel=Channel.CALL,
                created=200,
            ),
            [
                e(120, MT, by=By.THEM, initiative=True, summary="Kick-off"),
                e(90, C, disagreement=Resolution.CONCEDED, summary="Extra revision round for free"),
                e(
                    60,
                    C,
                    by=By.THEM,
                    disagreement=Resolution.CONCEDED,
                    summary="Moved the deadline earlier",
                ),
                e(
                    35,
                    C,
                    by=By.THEM,
                    disagreement=Resolution.CONCEDED,
                    summary="Dropped the setup fee",
                ),
                e(
                    overload_day,
                    MT,
                    hour=10,
                    disagreement=Resolution.CONCEDED,
                    summary="Agreed to weekend support",
                ),
                e(4, C, by=By.THEM, initiative=False, summary="Weekly check-in"),
            ],
        ),
        # Idea 5: the active client you stopped calling.
        _Story(
            client(
                "Eitan Levy",
                Stage.ACTIVE,
                source=Source.REFERRAL,
                referred_by="Moran Katz",
                cadence_days=5,
                channel=Channel.CALL,
                created=150,
            ),
            [
                e(100, MT, by=By.THEM, summary="Signed the yearly retainer"),
                e(60, C, initiative=True, summary="Passed on a tender that fits his business"),
                e(30, C, by=By.THEM, summary="Monthly catch-up"),
                e(26, C, summary="Quick update on the campaign"),
                e(
                    overload_day,
                    MT,
                    hour=12,
                    outcome=Outcome.REACHED,
                    summary="Short status meeting, squeezed in",
                ),
            ],
        ),
        # Idea 5: the one who heard nothing new from you in months, on a channel they don't like.
        _Story(
            client(
                "Rina Azulay",
                Stage.ACTIVE,
                source=Source.INBOUND,
                cadence_days=14,
                channel=Channel.EMAIL,
                created=260,
            ),
            [
                e(200, MT, by=By.THEM, initiative=True, summary="Proposed a new newsletter format"),
                e(70, C, summary="Routine call"),
                e(42, C, summary="Routine call"),
                e(28, C, outcome=Outcome.LEFT_MESSAGE, summary="Left a voicemail"),
                e(27, C, by=By.THEM, summary="Called back"),
                e(overload_day, MT, hour=14, summary="Quarterly review"),
                e(6, C, summary="Routine call"),
            ],
        ),
        # The healthy relationship: on cadence, on their channel, with initiatives and balance.
        _Story(
            client(
                "Studio Kedem",
                Stage.ACTIVE,
                source=Source.INBOUND,
                cadence_days=7,
                channel=Channel.MEETING,
                created=300,
            ),
            [
                e(
                    60,
                    MT,
                    by=By.THEM,
                    disagreement=Resolution.TOGETHER,
                    summary="Found a middle way on scope",
                ),
                e(
                    45,
                    MT,
                    initiative=True,
                    summary="Brought a strong candidate for their open role",
                ),
                e(
                    30,
                    MT,
                    by=By.THEM,
                    disagreement=Resolution.INSISTED,
                    expectations=False,
                    summary="Held the line on quality",
                ),
                e(
                    21,
                    MT,
                    disagreement=Resolution.CONCEDED,
                    expectations=True,
                    summary="Gave in on timing, said what to expect",
                ),
                e(overload_day, MT, hour=16, summary="Weekly meeting"),
                e(9, MT, by=By.THEM, summary="Weekly meeting"),
                e(5, MT, initiative=True, summary="Weekly meeting; pitched a campaign idea"),
                e(2, MT, by=By.THEM, summary="Weekly meeting"),
            ],
        ),
        # Idea 1: a fresh referral, no contact yet: the right move is to wait.
        _Story(
            client(
                "דנה לוי", Stage.LEAD, source=Source.REFERRAL, referred_by="Studio Kedem", created=2
            ),
            [e(2, NT, summary="Kedem will pass my details on to her")],
        ),
        # Idea 5: a lead who phoned and was not called back: answering is the whole point.
        _Story(
            client("Ori Shalev", Stage.LEAD, source=Source.INBOUND, created=1),
            [
                e(
                    0.2,
                    C,
                    by=By.THEM,
                    outcome=Outcome.LEFT_MESSAGE,
                    summary="Missed call; voicemail about a new website",
                ),
            ],
        ),
        # Idea 4: the client who left.
        _Story(
            client("Tamar Golan", Stage.FORMER, source=Source.INBOUND, created=400),
            [
                e(200, MT, by=By.THEM, summary="Started the design retainer"),
                e(
                    40,
                    C,
                    by=By.THEM,
                    disagreement=Resolution.UNRESOLVED,
                    summary="Argued over what the retainer includes",
                ),
                e(overload_day, MT, hour=18, summary="Last meeting"),
                e(10, C, by=By.THEM, summary="You were wonderful, but... maybe later"),
            ],
        ),
    ]


def build_demo(store: Store, now: datetime) -> dict[str, ClientData]:
    """Fill an empty journal with the demo clients; returns them by name."""
    made: dict[str, ClientData] = {}
    entries: list[InteractionData] = []
    for story in _stories(now):
        client = store.add_client(story.client)
        made[client.name] = client
        entries.extend(
            InteractionData(id=0, client_id=client.id, **fields) for fields in story.entries
        )
    store.add_interactions(entries)
    tamar = made["Tamar Golan"]
    store.update_client(
        replace(
            tamar,
            ended_at=_at(now, 10, 12),
            end_reason="Vague: 'maybe later'; a competitor offered a discount",
        )
    )
    store.add_mistake(
        MistakeData(
            id=0,
            client_id=tamar.id,
            client_name=tamar.name,
            created_at=_at(now, 9),
            what="We never agreed in writing what the retainer covers",
            kind=MistakeKind.UNDERSTANDING,
            cause=Cause.VAGUE_CONTRACT,
            cause_note="The scope lived in emails",
            plan="Write a one-page list of what each package includes",
            due=_at(now, 2),
            third_party=True,
        )
    )
    _add_income(store, made, now)
    return made


def _add_income(store: Store, made: dict[str, ClientData], now: datetime) -> None:
    """What the clients bring: one retainer and the bills of the last months (in hundredths)."""
    kedem = made["Studio Kedem"]
    store.update_client(replace(kedem, retainer=600_000))
    for name, days_ago, amount, note in (
        ("Moran Katz", 40, 450_000, "Launch campaign, first half"),
        ("Moran Katz", 10, 450_000, "Launch campaign, second half"),
        ("Eitan Levy", 25, 180_000, "Press kit"),
        ("Rina Azulay", 20, 240_000, "Quarterly newsletter"),
        ("Tamar Golan", 60, 300_000, "Design retainer, last month"),
    ):
        store.add_bill(
            BillData(id=0, client_id=made[name].id, at=_at(now, days_ago), amount=amount, note=note)
        )
