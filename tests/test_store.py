"""The store against a real journal, a file and a PostgreSQL database: clients, interactions,
requests; then the file itself."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from relog.domain import (
    BillData,
    By,
    ClientData,
    InteractionData,
    Item,
    Kind,
    Outcome,
    Resolution,
    Source,
    Stage,
    name_key,
)
from relog.errors import InputError, JournalError, NotFoundError
from relog.store import Store, open_store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


pytestmark = pytest.mark.backends


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    opened = open_store(db)
    yield opened
    opened.close()


def client(store: Store, name: str, **fields: Any) -> ClientData:
    return store.add_client(
        ClientData(id=0, name=name, stage=fields.pop("stage", Stage.LEAD), **fields)
    )


def entry(client_id: int, at: datetime, **fields: Any) -> InteractionData:
    fields.setdefault("id", 0)
    fields.setdefault("kind", Kind.CALL)
    return InteractionData(client_id=client_id, at=at, **fields)


def rows(store: Store, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of `sql` in the store's journal, read past the store."""
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def file_rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


# clients --------------------------------------------------------------------


NAMES = ["Dana Levi", "דנה לוי", "ACME Ltd.", "Zoë Ålund", "Иван Петров", "محمد علي", "山田 太郎"]


@pytest.mark.parametrize("name", NAMES)
def test_any_script_round_trips(store: Store, name: str) -> None:
    added = client(store, name)
    assert added.id > 0
    assert added.name == name
    assert store.find_client(name) == added
    assert store.find_client(name.upper()) == added
    assert store.find_client(name.split()[0]) == added
    assert store.client_named(name.casefold()) == added


def test_new_client_gets_defaults_and_a_utc_creation_time(store: Store) -> None:
    added = client(store, "Dana Levi")
    assert added.stage is Stage.LEAD
    assert (added.source, added.referred_by, added.cadence_days, added.channel) == (
        None,
        None,
        None,
        None,
    )
    assert added.notes == ""
    assert added.created_at is not None
    assert added.created_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - added.created_at) < timedelta(minutes=1)


def test_every_client_field_is_stored(store: Store) -> None:
    added = client(
        store,
        "Dana Levi",
        stage=Stage.ACTIVE,
        source=Source.REFERRAL,
        referred_by="Noa Cohen",
        cadence_days=14,
        notes="Prefers mornings",
        created_at=T0,
    )
    assert store.client_by_id(added.id) == added
    assert added.created_at == T0
    assert added.referred_by == "Noa Cohen"
    assert added.cadence_days == 14


def test_the_client_table_has_the_domain_fields_and_the_name_key() -> None:
    from sqlmodel import SQLModel

    from relog.store.store import _client_values

    columns = {column.name for column in SQLModel.metadata.tables["client"].columns}
    # The owner is the server's rule of who sees the client, set on its own (`set_owner`).
    assert columns == {field.name for field in fields(ClientData)} | {"name_key", "owner"}
    every = _client_values(ClientData(id=1, name="Dana Levi", stage=Stage.LEAD))
    assert set(every) == columns - {"id", "created_at", "owner"}


def test_money_start_and_pace_are_stored_and_updated(store: Store) -> None:
    started = datetime(2025, 6, 1, 9, 0, tzinfo=timezone(timedelta(hours=3)))
    added = client(
        store, "Dana Levi", retainer=500_000, started_at=started, cadence_days=10,
        cadence_min_days=5,
    )  # fmt: skip
    assert store.client_by_id(added.id) == added
    assert (added.retainer, added.cadence_min_days, added.cadence_days) == (500_000, 5, 10)
    assert added.started_at == started
    assert added.started_at is not None and added.started_at.utcoffset() == timedelta(0)
    cleared = store.update_client(
        replace(added, retainer=None, started_at=None, cadence_min_days=None)
    )
    assert (cleared.retainer, cleared.started_at, cleared.cadence_min_days) == (None, None, None)
    assert cleared == store.client_by_id(added.id)
    assert cleared.cadence_days == 10


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"retainer": 0}, "a retainer must be above zero"),
        ({"retainer": -100}, "a retainer must be above zero"),
        ({"cadence_min_days": 5}, "cadence_min_days 5 needs a cadence_days"),
        ({"cadence_min_days": 9, "cadence_days": 7}, "cadence_min_days 9"),
        ({"cadence_min_days": 0, "cadence_days": 7}, "cadence_min_days 0"),
    ],
)
def test_a_client_that_cannot_be_is_refused(
    store: Store, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        client(store, "Dana Levi", **fields)
    dana = client(store, "Dana Levi")
    with pytest.raises(InputError, match=message):
        store.update_client(replace(dana, **fields))
    assert store.clients() == [dana]


def test_name_is_unique_ignoring_case_and_spacing(store: Store) -> None:
    client(store, "ACME Ltd.")
    for clash in ("acme ltd.", "ACME  LTD.", "  Acme Ltd. "):
        with pytest.raises(InputError, match="already exists"):
            client(store, clash)
    assert [c.name for c in store.clients()] == ["ACME Ltd."]


def test_spacing_in_a_name_is_tidied(store: Store) -> None:
    assert client(store, "  Dana   Levi ").name == "Dana Levi"


def test_names_typed_in_composed_and_decomposed_form_are_one_client(store: Store) -> None:
    composed, decomposed = "Zo\u00eb", "Zoe\u0308"
    assert name_key(composed) == name_key(decomposed)
    added = client(store, composed)
    assert store.find_client(decomposed) == added
    with pytest.raises(InputError, match="already exists"):
        client(store, decomposed)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_name_is_refused(store: Store, name: str) -> None:
    with pytest.raises(InputError, match="client name is empty"):
        client(store, name)
    with pytest.raises(InputError, match="client name is empty"):
        store.find_client(name)
    assert store.clients() == []


def test_find_by_the_start_of_the_name_or_of_any_word(store: Store) -> None:
    dana = client(store, "Dana Levi")
    hebrew = client(store, "דנה לוי")
    assert store.find_client("dan") == dana
    assert store.find_client("lev") == dana
    assert store.find_client("דנ") == hebrew
    assert store.find_client("לוי") == hebrew


def test_an_exact_name_wins_over_longer_names_it_starts(store: Store) -> None:
    short = client(store, "Dana")
    client(store, "Dana Levi")
    assert store.find_client("dana") == short


def test_ambiguous_start_lists_the_candidates(store: Store) -> None:
    client(store, "Dana Levi")
    client(store, "Dana Cohen")
    with pytest.raises(InputError) as caught:
        store.find_client("da")
    assert (
        str(caught.value)
        == "'da' matches several clients: Dana Cohen, Dana Levi; type more of the name"
    )


def test_unknown_name_suggests_the_closest_clients(store: Store) -> None:
    client(store, "Dana Levi")
    client(store, "דנה לוי")
    with pytest.raises(NotFoundError) as caught:
        store.find_client("Dana Levy")
    assert "no client named 'Dana Levy'; did you mean 'Dana Levi'?" in str(caught.value)
    with pytest.raises(NotFoundError, match="did you mean 'דנה לוי'"):
        store.find_client("דנה לואי")
    with pytest.raises(NotFoundError, match="see 'relog client list'"):
        store.find_client("Zebulon")


def test_clients_are_listed_by_name_and_filtered_by_stage(store: Store) -> None:
    client(store, "zed", stage=Stage.ACTIVE)
    client(store, "Adam")
    client(store, "Mia", stage=Stage.ACTIVE)
    assert [c.name for c in store.clients()] == ["Adam", "Mia", "zed"]
    assert [c.name for c in store.clients(Stage.ACTIVE)] == ["Mia", "zed"]
    assert store.clients(Stage.FORMER) == []


def test_update_client_saves_every_field_and_returns_utc(store: Store) -> None:
    added = client(store, "Dana Levi")
    ended = datetime(2026, 2, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    updated = store.update_client(
        ClientData(
            id=added.id,
            name="dana levi",
            stage=Stage.FORMER,
            source=Source.INBOUND,
            cadence_days=30,
            notes="n",
            ended_at=ended,
            end_reason="budget",
        )
    )
    assert updated == store.client_by_id(added.id)
    assert updated.name == "dana levi"
    assert updated.ended_at == ended
    assert updated.ended_at is not None and updated.ended_at.utcoffset() == timedelta(0)
    assert updated.created_at == added.created_at


def test_renaming_onto_another_client_is_refused(store: Store) -> None:
    dana = client(store, "Dana Levi")
    client(store, "Noa Cohen")
    with pytest.raises(InputError, match="another client is already named 'NOA cohen'"):
        store.update_client(ClientData(id=dana.id, name="NOA cohen", stage=Stage.LEAD))
    assert store.client_by_id(dana.id).name == "Dana Levi"


def test_missing_ids_are_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no client with id 42"):
        store.client_by_id(42)
    with pytest.raises(NotFoundError, match="no client with id 42"):
        store.update_client(ClientData(id=42, name="X", stage=Stage.LEAD))
    with pytest.raises(NotFoundError, match="no client with id 42"):
        store.forget_client(42)
    with pytest.raises(NotFoundError, match="no interaction with id 42"):
        store.interaction(42)
    with pytest.raises(NotFoundError, match="no interaction with id 42"):
        store.delete_interaction(42)
    with pytest.raises(NotFoundError, match="no interaction with id 42"):
        store.update_interaction(entry(1, T0, id=42))


def test_deleting_a_client_deletes_their_history(store: Store) -> None:
    dana = client(store, "Dana Levi")
    noa = client(store, "Noa Cohen")
    store.add_interaction(entry(dana.id, T0, asked=frozenset({Item.PRICES})))
    store.add_interaction(entry(noa.id, T0))
    store.forget_client(dana.id)
    assert rows(store, "SELECT client_id FROM interaction") == [(noa.id,)]
    assert rows(store, "SELECT count(*) FROM request") == [(0,)]
    assert store.interaction_count() == 1


# interactions ---------------------------------------------------------------


def test_an_interaction_is_returned_as_stored(store: Store) -> None:
    dana = client(store, "Dana Levi")
    local = timezone(timedelta(hours=2))
    data = entry(
        dana.id,
        datetime(2026, 1, 5, 12, 0, tzinfo=local),
        kind=Kind.MEETING,
        by=By.THEM,
        outcome=Outcome.REACHED,
        agreed=True,
        next_at=datetime(2026, 1, 9, 9, 0, tzinfo=local),
        think=True,
        asked=frozenset({Item.REFERENCES, Item.PRICES}),
        gave=frozenset({Item.PROFILE}),
        disagreement=Resolution.CONCEDED,
        expectations=True,
        initiative=True,
        delegated=True,
        late=True,
        minutes=45,
        summary="Met at their office; מחיר",
    )
    saved = store.add_interaction(data)
    assert saved.id > 0
    assert saved == store.interaction(saved.id)
    assert saved.at == T0
    assert saved.at.utcoffset() == timedelta(0)
    assert saved.next_at == datetime(2026, 1, 9, 7, 0, tzinfo=UTC)
    assert saved.asked == {Item.REFERENCES, Item.PRICES}
    assert saved.gave == {Item.PROFILE}
    assert (saved.disagreement, saved.minutes, saved.summary) == (
        Resolution.CONCEDED,
        45,
        "Met at their office; מחיר",
    )
    assert rows(store, "SELECT asked, gave FROM interaction") == [("prices,references", "profile")]


def test_a_naive_moment_never_reaches_the_file(store: Store) -> None:
    dana = client(store, "Dana Levi")
    with pytest.raises(StatementError, match="aware datetimes only"):
        store.add_interaction(entry(dana.id, datetime(2026, 1, 5, 10, 0)))
    assert store.interaction_count() == 0


def test_update_interaction_returns_utc_and_can_move_it(store: Store) -> None:
    dana = client(store, "Dana Levi")
    noa = client(store, "Noa Cohen")
    saved = store.add_interaction(entry(dana.id, T0))
    moved_at = datetime(2026, 1, 5, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    updated = store.update_interaction(
        entry(noa.id, moved_at, id=saved.id, kind=Kind.EMAIL, summary="moved")
    )
    assert updated == store.interaction(saved.id)
    assert updated.client_id == noa.id
    assert updated.at == datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    assert updated.at.utcoffset() == timedelta(0)
    assert store.history(dana.id) == ()


def test_timeline_is_newest_first_and_filters(store: Store) -> None:
    dana = client(store, "Dana Levi")
    noa = client(store, "Noa Cohen")
    first = store.add_interaction(entry(dana.id, T0))
    second = store.add_interaction(entry(noa.id, T0 + DAY))
    third = store.add_interaction(entry(dana.id, T0 + 2 * DAY))
    same_time = store.add_interaction(entry(dana.id, T0 + 2 * DAY, kind=Kind.NOTE))
    ids = [e.id for e in store.timeline()]
    assert ids == [same_time.id, third.id, second.id, first.id]
    assert [e.id for e in store.timeline(dana.id)] == [same_time.id, third.id, first.id]
    assert [e.id for e in store.timeline(since=T0 + DAY)] == [same_time.id, third.id, second.id]
    assert [e.id for e in store.timeline(limit=2)] == [same_time.id, third.id]
    assert [e.id for e in store.timeline(dana.id, since=T0 + DAY, limit=1)] == [same_time.id]


def test_since_compares_instants_not_wall_clocks(store: Store) -> None:
    dana = client(store, "Dana Levi")
    saved = store.add_interaction(entry(dana.id, T0))
    just_before = datetime(2026, 1, 5, 11, 59, tzinfo=timezone(timedelta(hours=2)))
    just_after = datetime(2026, 1, 5, 12, 1, tzinfo=timezone(timedelta(hours=2)))
    assert [e.id for e in store.timeline(since=just_before)] == [saved.id]
    assert store.timeline(since=just_after) == []


def test_history_is_oldest_first_and_stops_at_until(store: Store) -> None:
    dana = client(store, "Dana Levi")
    noa = client(store, "Noa Cohen")
    late = store.add_interaction(entry(dana.id, T0 + DAY))
    early = store.add_interaction(entry(dana.id, T0))
    other = store.add_interaction(entry(noa.id, T0))
    assert [e.id for e in store.history(dana.id)] == [early.id, late.id]
    assert [e.id for e in store.history(dana.id, until=T0)] == [early.id]
    assert {k: [e.id for e in v] for k, v in store.histories().items()} == {
        dana.id: [early.id, late.id],
        noa.id: [other.id],
    }
    assert set(store.histories(until=T0 - DAY)) == set()


def test_meeting_times_count_meetings_that_took_place(store: Store) -> None:
    dana = client(store, "Dana Levi")
    store.add_interaction(entry(dana.id, T0, kind=Kind.MEETING))
    store.add_interaction(entry(dana.id, T0 + DAY, kind=Kind.MEETING, outcome=Outcome.CANCELLED))
    store.add_interaction(entry(dana.id, T0 + DAY, kind=Kind.CALL))
    store.add_interaction(entry(dana.id, T0 + 3 * DAY, kind=Kind.MEETING))
    assert store.meeting_times() == [T0, T0 + 3 * DAY]
    assert store.meeting_times(since=T0 + DAY) == [T0 + 3 * DAY]
    assert store.meeting_times(until=T0 + DAY) == [T0]


def test_bulk_insert_records_everything_and_pairs_requests(store: Store) -> None:
    dana = client(store, "Dana Levi")
    count = store.add_interactions(
        [
            entry(dana.id, T0, asked=frozenset({Item.PRICES, Item.PROFILE})),
            entry(dana.id, T0 + DAY, gave=frozenset({Item.PRICES})),
            entry(dana.id, T0 + 2 * DAY),
        ]
    )
    assert count == 3
    assert store.interaction_count() == 3
    assert [r.item for r in store.open_requests(dana.id)] == [Item.PROFILE]


# bills ----------------------------------------------------------------------


def test_a_bill_is_returned_as_stored(store: Store) -> None:
    dana = client(store, "Dana Levi")
    local = datetime(2026, 1, 31, 18, 0, tzinfo=timezone(timedelta(hours=2)))
    saved = store.add_bill(BillData(id=0, client_id=dana.id, at=local, amount=120_050, note="Jan"))
    assert saved == BillData(id=saved.id, client_id=dana.id, at=local, amount=120_050, note="Jan")
    assert saved.at.utcoffset() == timedelta(0)
    [(amount,)] = rows(store, "SELECT amount FROM bill")
    assert (amount, type(amount)) == (120_050, int)


@pytest.mark.parametrize("amount", [0, -1])
def test_a_bill_of_nothing_is_refused(store: Store, amount: int) -> None:
    dana = client(store, "Dana Levi")
    with pytest.raises(InputError, match="above zero"):
        store.add_bill(BillData(id=0, client_id=dana.id, at=T0, amount=amount))
    assert store.bills() == []


def test_bills_are_listed_newest_first_by_client_and_read_whole_until_a_moment(
    store: Store,
) -> None:
    dana, noa = client(store, "Dana Levi"), client(store, "Noa Cohen")
    made = [
        store.add_bill(BillData(id=0, client_id=who.id, at=T0 + days * DAY, amount=100 * days))
        for who, days in ((dana, 3), (noa, 1), (dana, 2), (noa, 5))
    ]
    assert [b.amount for b, _ in store.named_bills()] == [500, 300, 200, 100]
    assert [name for _, name in store.named_bills(limit=2)] == ["Noa Cohen", "Dana Levi"]
    assert [b.amount for b, _ in store.named_bills(dana.id)] == [300, 200]
    assert [b.amount for b, _ in store.named_bills(since=T0 + 2 * DAY)] == [500, 300, 200]
    assert (store.bill_count(dana.id), store.bill_count(noa.id)) == (2, 2)
    assert store.bills() == sorted(made, key=lambda b: b.at)
    assert [b.amount for b in store.bills(until=T0 + 3 * DAY)] == [100, 200, 300]
    store.forget_client(dana.id)
    assert [b.client_id for b in store.bills()] == [noa.id, noa.id]


# requests -------------------------------------------------------------------


def test_a_request_stays_open_until_a_later_entry_gives_the_item(store: Store) -> None:
    dana = client(store, "Dana Levi")
    asked = store.add_interaction(entry(dana.id, T0, asked=frozenset({Item.REFERENCES})))
    [request] = store.open_requests(dana.id)
    assert (request.item, request.asked_id, request.asked_at, request.given_id) == (
        Item.REFERENCES,
        asked.id,
        T0,
        None,
    )
    store.add_interaction(entry(dana.id, T0 + DAY, kind=Kind.NOTE))
    assert len(store.open_requests(dana.id)) == 1
    gave = store.add_interaction(
        entry(dana.id, T0 + 2 * DAY, kind=Kind.EMAIL, gave=frozenset({Item.REFERENCES}))
    )
    assert store.open_requests(dana.id) == []
    assert store.open_requests() == []
    # As of a moment between the two, it was still open.
    [then] = store.open_requests(dana.id, at=T0 + DAY)
    assert then.asked_id == asked.id
    assert rows(store, "SELECT asked_id, given_id FROM request") == [(asked.id, gave.id)]


def test_giving_before_anyone_asked_closes_nothing(store: Store) -> None:
    dana = client(store, "Dana Levi")
    store.add_interaction(entry(dana.id, T0, gave=frozenset({Item.PRICES})))
    store.add_interaction(entry(dana.id, T0 + DAY, asked=frozenset({Item.PRICES})))
    assert [r.item for r in store.open_requests(dana.id)] == [Item.PRICES]


def test_a_question_answered_on_the_spot_closes_itself(store: Store) -> None:
    dana = client(store, "Dana Levi")
    store.add_interaction(
        entry(dana.id, T0, asked=frozenset({Item.QUESTION}), gave=frozenset({Item.QUESTION}))
    )
    assert store.open_requests(dana.id) == []


def test_one_delivery_belongs_to_its_own_client(store: Store) -> None:
    dana = client(store, "Dana Levi")
    noa = client(store, "Noa Cohen")
    store.add_interaction(entry(dana.id, T0, asked=frozenset({Item.PRICES})))
    store.add_interaction(entry(noa.id, T0 + DAY, gave=frozenset({Item.PRICES})))
    assert [r.client_id for r in store.open_requests()] == [dana.id]


def test_deleting_the_delivery_reopens_the_request(store: Store) -> None:
    dana = client(store, "Dana Levi")
    store.add_interaction(entry(dana.id, T0, asked=frozenset({Item.MATERIALS})))
    gave = store.add_interaction(entry(dana.id, T0 + DAY, gave=frozenset({Item.MATERIALS})))
    assert store.open_requests(dana.id) == []
    store.delete_interaction(gave.id)
    assert [r.item for r in store.open_requests(dana.id)] == [Item.MATERIALS]


def test_editing_or_moving_an_entry_re_pairs_requests(store: Store) -> None:
    dana = client(store, "Dana Levi")
    noa = client(store, "Noa Cohen")
    asked = store.add_interaction(entry(dana.id, T0, asked=frozenset({Item.DETAILS})))
    store.update_interaction(entry(noa.id, T0, id=asked.id, asked=frozenset({Item.DETAILS})))
    assert store.open_requests(dana.id) == []
    assert [r.client_id for r in store.open_requests()] == [noa.id]
    store.update_interaction(entry(noa.id, T0, id=asked.id))
    assert store.open_requests() == []
    assert rows(store, "SELECT count(*) FROM request") == [(0,)]


def test_how_long_a_request_is_open_is_a_query_on_the_request_table(store: Store) -> None:
    dana = client(store, "Dana Levi")
    store.add_interaction(entry(dana.id, T0, asked=frozenset({Item.PRICES})))
    store.add_interaction(entry(dana.id, T0 + DAY, asked=frozenset({Item.PROFILE})))
    store.add_interaction(entry(dana.id, T0 + DAY, gave=frozenset({Item.PROFILE})))
    days = {
        "sqlite": "julianday(:now) - julianday(asked_at)",
        "postgresql": "extract(epoch FROM CAST(:now AS timestamptz) - asked_at) / 86400",
    }[store.engine.dialect.name]
    open_days = rows(
        store,
        f"SELECT item, {days} FROM request WHERE given_at IS NULL ORDER BY asked_at",
        now="2026-01-08 10:00:00+00:00",
    )
    assert [(item, float(open_for)) for item, open_for in open_days] == [("prices", 3.0)]


# the file -------------------------------------------------------------------


def test_a_new_journal_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_store(path).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_path_with_url_characters_names_that_very_file(tmp_path: Path) -> None:
    path = tmp_path / "clients #1 ?draft %41.db"
    opened = open_store(path)
    client(opened, "Dana Levi")
    opened.close()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    assert path.stat().st_mode & 0o777 == 0o600
    assert file_rows(path, "SELECT name FROM client") == [("Dana Levi",)]


def test_the_store_is_the_same_journal_on_every_open(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    first = open_store(path)
    dana = client(first, "דנה לוי")
    first.add_interaction(entry(dana.id, T0))
    first.close()
    second = open_store(path)
    assert second.find_client("דנה") == dana
    assert [e.at for e in second.timeline()] == [T0]
    second.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_journal_can_be_read_but_not_written(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    first = open_store(path)
    client(first, "Dana Levi")
    first.close()
    path.chmod(0o400)
    store = open_store(path)
    try:
        assert [c.name for c in store.clients()] == ["Dana Levi"]
        with pytest.raises(JournalError, match="read-only"):
            client(store, "Noa Cohen")
    finally:
        store.close()
        path.chmod(0o600)
