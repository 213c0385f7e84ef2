"""The store: the only code that reads and writes the journal.

Commands call `Store` methods and get plain domain values back; no caller
writes SQL or holds an ORM object. Each method is one unit of work in its own
session, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import heapq
import itertools
import json
import operator
import shlex
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Integer, case, delete, func, select, type_coerce, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import DatabaseError, IntegrityError, ProgrammingError
from sqlalchemy.types import NullType

from relog.domain import (
    BillData,
    By,
    Cause,
    Channel,
    ClientData,
    Found,
    InteractionData,
    Item,
    Kind,
    MistakeData,
    MistakeKind,
    Outcome,
    Request,
    Resolution,
    SearchHit,
    Source,
    Stage,
    Timeline,
    client_problems,
    derive_requests,
    name_key,
)
from relog.errors import InputError, JournalError, NotFoundError
from relog.handles import Handle, HandleKind
from relog.store import fulltext
from relog.store.engine import (
    damaged_error,
    is_damage,
    prepare_journal,
    prepare_server,
    server_message,
)
from relog.store.tables import BILL, CLIENT, HANDLE, INTERACTION, METADATA, MISTAKE, REQUEST

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
    from pathlib import Path

    from sqlalchemy import ColumnElement, Select
    from sqlalchemy.engine import Connection, Engine, Row
    from sqlalchemy.sql import Executable
    from sqlmodel import Session

    from relog.store import models
    from relog.transfer import ImportReport, JournalData

    _Query = Select[*tuple[Any, ...]]
    """A query of any columns."""


def open_store(
    where: Path | str, *, user_chosen: bool = True, member: Callable[[], str | None] | None = None
) -> Store:
    """Open (creating or upgrading if needed) the journal at `where`: a file's path, or a
    PostgreSQL database's URL (see `relog.paths.journal_location`). `member` says who
    logs entries, when asked (see `Store.member`)."""
    from pathlib import Path

    from relog.paths import ServerJournal, is_url

    if isinstance(where, str) and is_url(where):
        server = ServerJournal(where)
        return Store(prepare_server(server), None, server.shown, member=member)
    path = Path(where)
    opened = prepare_journal(path, user_chosen=user_chosen)
    return Store(opened.engine, path, notes=opened.notes, read_only=opened.read_only, member=member)


_KINDS = {kind.value: kind for kind in Kind}
_BY = {by.value: by for by in By}
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}
_RESOLUTIONS = {resolution.value: resolution for resolution in Resolution}
_ITEMS = {item.value: item for item in Item}
_NO_ITEMS: frozenset[Item] = frozenset()


def _items(text: str) -> frozenset[Item]:
    return frozenset(_ITEMS[part] for part in text.split(",") if part) if text else _NO_ITEMS


def _moment(value: datetime | str | None) -> datetime | None:
    """A stored moment as an aware UTC datetime.

    Interactions are read with their columns' type processing switched off (see
    `_INTERACTION_COLUMNS`): SQLite hands back the UTC text the store wrote, and
    reading it with its zone appended is one C call, several times faster than
    parsing and then attaching the zone, which matters when a portfolio review
    reads every entry in the journal. PostgreSQL hands back aware datetimes.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _from_iso(value + "+00:00")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_from_iso = datetime.fromisoformat


def _items_text(items: frozenset[Item]) -> str:
    return ",".join(sorted(item.value for item in items))


class _ItemSets(dict[str, frozenset[Item]]):
    """Stored item lists already read: a journal has few distinct ones, shared by every entry."""

    def __missing__(self, text: str) -> frozenset[Item]:
        found = self[text] = _items(text)
        return found


_ITEM_SETS = _ItemSets()
_RESOLUTION_OR_NONE: dict[str | None, Resolution | None] = {None: None, "": None}
_RESOLUTION_OR_NONE.update(_RESOLUTIONS)


INTERACTION_FIELDS = tuple(field.name for field in dataclasses.fields(InteractionData))
"""The one list of an interaction's fields: the table's columns and every row decoder
follow it (a test checks that the table has exactly these columns)."""

RULE_FIELDS = tuple(
    name for name in INTERACTION_FIELDS if name not in ("minutes", "summary", "member")
)
"""The fields the rules read: reviews (one client's and the portfolio's) load only
these, packed (`_RULE_ROW`), and leave the free text (often the largest part of a
row) and who logged it in the file."""

_INTERACTION_COLUMNS = tuple(
    type_coerce(INTERACTION.c[name], NullType()).label(name) for name in INTERACTION_FIELDS
)
"""Every interaction column, read as the driver returns it (converted in `_interaction`)."""

_FLAGS = tuple(field.name for field in dataclasses.fields(InteractionData) if field.type == "bool")
"""The yes/no fields of an interaction, read as the bits of one number (`_RULE_ROW`)."""
_CODED: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("kind", tuple(Kind)),
    ("by", tuple(By)),
    ("outcome", tuple(Outcome)),
    ("disagreement", (None, *Resolution)),
)
"""The fields of a few values each, read as one number of them all (`_RULE_ROW`): each
field's values in order, so that a value's place in them is its digit."""
_PLACES = tuple(
    itertools.accumulate((len(values) for _, values in _CODED[:-1]), operator.mul, initial=1)
)
"""What a digit of each `_CODED` field is worth in the number."""


def _rule_row() -> tuple[Any, ...]:
    """What a review reads of each entry, packed: id, client_id, the `_CODED` fields as one
    number, at, next_at, asked, gave, and the `_FLAGS` as one number.

    The rules read the `RULE_FIELDS` of every entry of the journal, and the
    driver makes a Python object of every value it hands back: read packed,
    sixteen values a row become eight, and one lookup (`_CODES`) decodes four
    fields. The number is worked out with CASE, which costs SQLite about half
    of what joining the texts would. `_rule_entry` unpacks the row; a test reads
    every value of every packed field back through it, on both backends.
    """
    column = INTERACTION.c
    digits: list[Any] = []
    for (name, values), place in zip(_CODED, _PLACES, strict=True):
        field = column[name]
        # A value relog does not know makes the number NULL, refused as it is decoded.
        digits.append(
            case(
                *(
                    (field.is_(None) if value is None else field == value.value, place * n)
                    for n, value in enumerate(values)
                )
            )
        )
    coded: Any = functools.reduce(operator.add, digits)
    # A yes/no column as 0 or 1 on every database (PostgreSQL's booleans are no numbers).
    bits = [sql_cast(column[name], Integer) * (1 << bit) for bit, name in enumerate(_FLAGS)]
    flags: Any = functools.reduce(operator.add, bits)
    untyped = dict(zip(INTERACTION_FIELDS, _INTERACTION_COLUMNS, strict=True))
    return (
        untyped["id"],
        untyped["client_id"],
        type_coerce(coded, NullType()).label("coded"),
        untyped["at"],
        untyped["next_at"],
        untyped["asked"],
        untyped["gave"],
        type_coerce(flags, NullType()).label("flags"),
    )


_RULE_ROW = _rule_row()


def _rule_rows(until: datetime | None, member: str | None) -> _Query:
    """The `_RULE_ROW` of every entry up to `until` (those `member` logged, when given)."""
    query = select(*_RULE_ROW)
    if member is not None:
        query = query.where(INTERACTION.c.member == member)
    if until is not None:
        query = query.where(INTERACTION.c.at <= until)
    return query


_CODES: dict[int, tuple[Kind, By, Outcome, Resolution | None]] = {
    sum(place * n for place, (n, _) in zip(_PLACES, choice, strict=True)): tuple(
        value for _, value in choice
    )
    for choice in itertools.product(*(tuple(enumerate(values)) for _, values in _CODED))
}
"""Each number a `_RULE_ROW` can hold for the `_CODED` fields, and the values it stands for."""

_client_of = itemgetter(1)

_Filling = dataclasses.make_dataclass(
    "_Filling", INTERACTION_FIELDS, slots=True, eq=False, repr=False, match_args=False
)
"""A plain slotted class with exactly InteractionData's slots, in the same order."""
if getattr(_Filling, "__slots__", ()) != InteractionData.__slots__:  # a layout change
    raise RuntimeError("the row decoder's slots no longer match InteractionData")


def _interaction(row: Sequence[Any]) -> InteractionData:
    """Build an interaction from a plain row in `INTERACTION_FIELDS` order.

    A row with only the `RULE_FIELDS` leaves minutes, summary and member at their defaults.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`,
    which costs more than all the rest of the decoding, and a portfolio review
    decodes every entry of the journal. So the row fills a `_Filling` (the same
    slots, set by plain attribute stores), which then becomes the InteractionData
    it was laid out as (`__class__` assignment, allowed between classes with the
    same slots): from then on it is an ordinary frozen entry, equal and hashed
    like any other. Tests check the type, equality and every field's round trip.
    """
    try:
        at, next_at = row[3], row[7]
        entry = _Filling(
            row[0],
            row[1],
            _KINDS[row[2]],
            _from_iso(at + "+00:00") if at.__class__ is str else _moment(at),
            _BY[row[4]],
            _OUTCOMES[row[5]],
            row[6] == 1,
            None if next_at is None else _moment(next_at),
            row[8] == 1,
            _ITEM_SETS[row[9]],
            _ITEM_SETS[row[10]],
            _RESOLUTION_OR_NONE[row[11]],
            row[12] == 1,
            row[13] == 1,
            row[14] == 1,
            row[15] == 1,
            row[16] if len(row) > 16 else None,
            (row[17] or "") if len(row) > 17 else "",
            row[18] if len(row) > 18 else None,
        )
    except KeyError:
        raise _unknown(row[0]) from None
    entry.__class__ = InteractionData
    return entry  # type: ignore[no-any-return]  # an InteractionData now (see above)


def _unknown(entry_id: int) -> JournalError:
    """An entry holding a value no version of relog writes (a kind, an item...)."""
    return JournalError(
        f"entry #{entry_id} holds a kind, side, outcome, resolution or item relog does not "
        "know: the journal was changed by another program; restore a backup (relog restore)"
    )


def _rule_entry(row: Sequence[Any]) -> InteractionData:
    """Build an interaction from a `_RULE_ROW` (as `_interaction` does from a plain row):
    minutes, summary and member keep their defaults."""
    try:
        kind, by, outcome, resolution = _CODES[row[2]]
        asked, gave = _ITEM_SETS[row[5]], _ITEM_SETS[row[6]]
    except KeyError:
        raise _unknown(row[0]) from None
    at, next_at, flags = row[3], row[4], row[7]
    entry = _Filling(
        row[0],
        row[1],
        kind,
        _from_iso(at + "+00:00") if at.__class__ is str else _moment(at),
        by,
        outcome,
        flags & 1 == 1,
        None if next_at is None else _moment(next_at),
        flags & 2 == 2,
        asked,
        gave,
        resolution,
        flags & 4 == 4,
        flags & 8 == 8,
        flags & 16 == 16,
        flags & 32 == 32,
        None,
        "",
        None,
    )
    entry.__class__ = InteractionData
    return entry  # type: ignore[no-any-return]  # an InteractionData now (see `_interaction`)


def _stored_interaction(session: Session | Connection, interaction_id: int) -> InteractionData:
    """An interaction read back as stored: its moments in UTC, as every reader sees them."""
    row = session.execute(
        select(*_INTERACTION_COLUMNS).where(INTERACTION.c.id == interaction_id)
    ).one()
    return _interaction(row)


def _client(row: models.Client | Row[Any]) -> ClientData:
    """A client from its ORM object or from a row of the whole `client` table."""
    assert row.id is not None
    return ClientData(
        id=row.id,
        name=row.name,
        stage=Stage(row.stage),
        source=Source(row.source) if row.source else None,
        referred_by=row.referred_by,
        cadence_days=row.cadence_days,
        channel=Channel(row.channel) if row.channel else None,
        notes=row.notes,
        created_at=row.created_at,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
        retainer=row.retainer,
        started_at=row.started_at,
        cadence_min_days=row.cadence_min_days,
    )


def _client_values(client: ClientData) -> dict[str, Any]:
    """Every column of `client`'s row but its id and creation time, checked.

    The one mapping of a client to its row, for adding and for updating: the
    table has exactly these columns plus `id` and `created_at` (a test checks it).
    """
    problems = client_problems(client)
    if problems:
        raise InputError(problems[0])
    name = " ".join(client.name.split())
    key = name_key(name)
    return {
        "name": name,
        "name_key": key,
        "stage": client.stage.value,
        "source": client.source.value if client.source else None,
        "referred_by": client.referred_by,
        "cadence_days": client.cadence_days,
        "channel": client.channel.value if client.channel else None,
        "notes": client.notes,
        "ended_at": client.ended_at,
        "end_reason": client.end_reason,
        "retainer": client.retainer,
        "started_at": client.started_at,
        "cadence_min_days": client.cadence_min_days,
    }


def _bill(row: Sequence[Any]) -> BillData:
    """A bill from a row of (id, client_id, at, amount, note)."""
    return BillData(id=row[0], client_id=row[1], at=row[2], amount=row[3], note=row[4])


_BILL_COLUMNS = (BILL.c.id, BILL.c.client_id, BILL.c.at, BILL.c.amount, BILL.c.note)


def _interaction_values(data: InteractionData) -> dict[str, Any]:
    return {
        "client_id": data.client_id,
        "kind": data.kind.value,
        "at": data.at,
        "by": data.by.value,
        "outcome": data.outcome.value,
        "agreed": data.agreed,
        "next_at": data.next_at,
        "think": data.think,
        "asked": _items_text(data.asked),
        "gave": _items_text(data.gave),
        "disagreement": data.disagreement.value if data.disagreement else None,
        "expectations": data.expectations,
        "initiative": data.initiative,
        "delegated": data.delegated,
        "late": data.late,
        "minutes": data.minutes,
        "summary": data.summary,
        "member": data.member,
    }


class Store:
    """Reads and writes one journal: a file (`path`), or a database on a server (no path)."""

    names_in_hints = True
    """Whether an error about a client name may offer other clients' names ("did you mean
    'Dana Levi'?"): right in one person's journal; a team journal turns it off, since a
    member may not be allowed to see every client (see `_hint_names`)."""

    def __init__(
        self,
        engine: Engine,
        path: Path | None,
        name: str | None = None,
        *,
        notes: Sequence[str] = (),
        read_only: str | None = None,
        member: Callable[[], str | None] | None = None,
    ) -> None:
        self.engine = engine
        self.path = path
        self.name = name if name is not None else str(path)
        """How messages name the journal: its path, or its URL without the password."""
        self.notes = tuple(notes)
        """What relog noted while opening the journal, one line each, for the user."""
        self.read_only = read_only
        """Why the journal can only be read; None when relog can write to it."""
        self._chosen_member = member
        self._member: str | None = None

    def _hint_names(self, names: list[str]) -> list[str]:
        """The names of other clients an error may show: `names`, or none at all when
        `names_in_hints` is off. Every hint that names clients asks here."""
        return names if self.names_in_hints else []

    @property
    def member(self) -> str:
        """Who logs the entries added through this store: the name `member` gave when the
        store was opened (RELOG_MEMBER, the config's team.member), else the database user on
        a server, else the login name."""
        if self._member is None:
            chosen = self._chosen_member() if self._chosen_member is not None else None
            if chosen:
                self._member = chosen
            elif self.path is None:
                with self._reading() as connection:
                    self._member = str(connection.exec_driver_sql("SELECT current_user").scalar())
            else:
                import getpass

                self._member = getpass.getuser()
        return self._member

    def several_members(self) -> bool:
        """Whether entries one can see were logged by more than one member: the first and
        the last name in the member index differ (one seek each)."""
        column = INTERACTION.c.member
        with self._reading() as connection:
            first = connection.execute(select(func.min(column))).scalar()
            last = connection.execute(select(func.max(column))).scalar()
        return first != last

    def limited(self) -> bool:
        """Whether the server shows this member only some clients (row-level security applies
        to them: they neither own the tables nor bypass it)."""
        if self.path is None:
            with self._reading() as connection:
                return bool(
                    connection.exec_driver_sql("SELECT row_security_active('client')").scalar()
                )
        return False

    def members(self) -> list[str]:
        """The members who logged the entries one can see, by name."""
        query = select(INTERACTION.c.member).where(INTERACTION.c.member.is_not(None)).distinct()
        with self._reading() as connection:
            return sorted(str(row[0]) for row in connection.execute(query))

    def owner(self, client_id: int) -> str | None:
        """The member who owns the client, or None for the whole team's."""
        with self._unit() as connection:
            query = select(CLIENT.c.owner).where(CLIENT.c.id == client_id)
            return connection.execute(query).scalar()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """One unit of work with the ORM: committed whole, or rolled back whole."""
        from sqlmodel import Session

        session = Session(self.engine, expire_on_commit=False)
        try:
            with self._mapped_errors():
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        finally:
            session.close()

    @contextmanager
    def _unit(self) -> Iterator[Connection]:
        """One unit of work in Core statements: committed whole, or rolled back whole.

        Every unit that needs no ORM object runs here, on the Core tables of
        `store/tables.py`: logging an entry (finding the client, writing the
        entry, reading it back) then imports neither SQLModel, pydantic nor the
        ORM, and a review does not import SQLModel or the ORM.
        """
        with self._mapped_errors(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A connection for a read that streams many rows, with the journal's errors mapped."""
        with self._mapped_errors(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def _mapped_errors(self) -> Iterator[None]:
        """The database's failures as the user's errors: a statement the server refused
        this member (`_refused`), a damaged, read-only or busy journal (`_journal_error`);
        a broken constraint is left for the caller to explain."""
        try:
            yield
        except IntegrityError:
            raise
        except ProgrammingError as error:
            raise _refused(self.name, error) from None
        except DatabaseError as error:
            raise self._journal_error(error) from None

    def _journal_error(self, error: DatabaseError) -> JournalError:
        """What a failure of the database's means for the user of this journal."""
        name, said = self.name, str(error.orig) if error.orig is not None else str(error)
        if error.orig is not None and type(error.orig).__module__.startswith("psycopg"):
            return JournalError(f"cannot use journal {name}: {server_message(error)}")
        if self.path is not None and is_damage(error):
            return damaged_error(self.path, error)
        if "readonly" in said or "read-only" in said:
            why = self.read_only or "it is read-only; check the permissions of it and its folder"
            return JournalError(f"cannot save to journal {name}: {why}")
        if "locked" in said:
            return JournalError(f"journal {name} is busy in another relog; try again in a moment")
        if "not a database" in said:
            return JournalError(f"{name} is not a relog journal (not an SQLite database)")
        return JournalError(f"cannot use journal {name}: {said}")

    # clients -----------------------------------------------------------

    def add_client(self, client: ClientData, handles: Sequence[Handle] = ()) -> ClientData:
        """Add a client with its `handles`; `client.id` is ignored and the stored one returned."""
        with self._new_client(client) as session:
            added = self._insert_client(session, client)
            _change_handles(session.connection(), added, handles, ())
            return added

    def add_client_with_interaction(
        self, client: ClientData, data: InteractionData
    ) -> tuple[ClientData, InteractionData]:
        """Add a client and their first interaction in one transaction: both, or neither.

        `data.client_id` is ignored; the interaction is the new client's, logged as
        `add_interaction` logs one.
        """
        data = self._logged(data)
        with self._new_client(client) as session:
            added = self._insert_client(session, client)
            stored = self._insert_interaction(
                session.connection(), dataclasses.replace(data, client_id=added.id)
            )
            return added, stored

    @contextmanager
    def _new_client(self, client: ClientData) -> Iterator[Session]:
        """A unit of work that adds `client`, refused if the name is taken (even by a
        client another relog added meanwhile)."""
        try:
            with self._session() as session:
                yield session
        except IntegrityError:
            name = " ".join(client.name.split())
            raise InputError(f"a client named {name!r} already exists") from None

    @staticmethod
    def _insert_client(session: Session, client: ClientData) -> ClientData:
        from relog.store import models  # the ORM, only where ORM objects are written

        values = _client_values(client)
        name, key = values["name"], values["name_key"]
        row = models.Client(**values, created_at=client.created_at or datetime.now(UTC))
        if session.scalars(select(CLIENT.c.id).where(CLIENT.c.name_key == key)).first():
            raise InputError(f"a client named {name!r} already exists")
        session.add(row)
        session.flush()
        session.refresh(row)
        return _client(row)

    def update_client(
        self,
        client: ClientData,
        add_handles: Sequence[Handle] = (),
        remove_handles: Sequence[Handle] = (),
        *,
        owner: str | None = None,
    ) -> ClientData:
        """Save every field of `client` over the stored one with the same id, and give it
        `add_handles` and take `remove_handles` off it, all in one unit of work; give it to
        the member `owner` too, when given ("": to the whole team). On PostgreSQL a member
        can give a client only to themselves or the team."""
        from relog.store import models

        values = _client_values(client)
        name, key = values["name"], values["name_key"]
        with self._session() as session:
            _change_handles(session.connection(), client, add_handles, remove_handles)
            row = session.get(models.Client, client.id)
            if row is None:
                raise NotFoundError(f"no client with id {client.id}")
            clash = session.scalars(
                select(CLIENT.c.id).where(CLIENT.c.name_key == key, CLIENT.c.id != client.id)
            ).first()
            if clash:
                raise InputError(f"another client is already named {name!r}")
            for column, value in values.items():
                setattr(row, column, value)
            if owner is not None:
                row.owner = owner or None
            session.add(row)
            session.flush()
            session.refresh(row)
            return _client(row)

    def forget_client(self, client_id: int) -> None:
        """Delete a client and everything about them, leaving nothing of them in the file.

        Their entries, requests, post-mortems and bills go with them (ON DELETE
        CASCADE), and they are no longer named as anyone's referrer. SQLite's
        secure_delete overwrites what the delete frees, and the full-text
        indexes are rebuilt without their words (`fulltext.rebuild`); the
        write-ahead log is then emptied and the file rebuilt (VACUUM), so
        neither free pages, old index segments nor old log frames keep their
        name, notes or summaries. Copies of the journal still hold them
        (`relog.store.files.backups_beside`).

        On PostgreSQL the rows are deleted in one transaction and the tables
        vacuumed, so the space they took is marked free; the server's own
        write-ahead log and backups keep them until they are recycled.
        """
        path = self.path
        if path is None:
            with self._reading() as connection:
                self._erase(connection, client_id)
                connection.commit()
            _vacuum(self.engine)
            return
        with self._reading() as connection:
            connection.exec_driver_sql("PRAGMA secure_delete = ON")
            try:
                self._erase(connection, client_id)
                fulltext.rebuild(connection)
                connection.commit()
                _scrub(connection, path)
            finally:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA secure_delete = OFF")

    @staticmethod
    def _erase(connection: Connection, client_id: int) -> None:
        key = connection.execute(select(CLIENT.c.name_key).where(CLIENT.c.id == client_id)).scalar()
        if key is None:
            raise NotFoundError(f"no client with id {client_id}")
        connection.execute(delete(CLIENT).where(CLIENT.c.id == client_id))
        referrals = connection.execute(
            select(CLIENT.c.id, CLIENT.c.referred_by).where(CLIENT.c.referred_by.is_not(None))
        )
        named = [row.id for row in referrals if name_key(row.referred_by) == key]
        if named:
            connection.execute(
                update(CLIENT).where(CLIENT.c.id.in_(named)).values(referred_by=None)
            )

    def handles(self, client_id: int | None = None) -> dict[int, tuple[Handle, ...]]:
        """The handles of every client (or of one), by client id, each client's in order of
        kind and key."""
        query = select(HANDLE.c.client_id, HANDLE.c.kind, HANDLE.c.key, HANDLE.c.value)
        if client_id is not None:
            query = query.where(HANDLE.c.client_id == client_id)
        found: dict[int, list[Handle]] = {}
        with self._reading() as connection:
            for owner, kind, key, value in connection.execute(query):
                found.setdefault(owner, []).append(Handle(HandleKind(kind), key, value))
        return {owner: tuple(sorted(handles)) for owner, handles in found.items()}

    def owner_of(self, handle: Handle) -> ClientData | None:
        """The client `handle` belongs to, if any."""
        query = select(CLIENT).join(HANDLE, HANDLE.c.client_id == CLIENT.c.id)
        query = query.where(HANDLE.c.kind == handle.kind.value, HANDLE.c.key == handle.key)
        with self._reading() as connection:
            row = connection.execute(query).first()
        return _client(row) if row is not None else None

    def clients(self, stage: Stage | None = None) -> list[ClientData]:
        """Every client (or those at `stage`), by name; read as table rows, not ORM objects."""
        query = select(CLIENT)
        if stage is not None:
            query = query.where(CLIENT.c.stage == stage.value)
        with self._reading() as connection:
            rows = connection.execute(query.order_by(CLIENT.c.name_key))
            return [_client(cast("models.Client", row)) for row in rows]

    def client_by_id(self, client_id: int) -> ClientData:
        with self._unit() as connection:
            row = connection.execute(select(CLIENT).where(CLIENT.c.id == client_id)).first()
        if row is None:
            raise NotFoundError(f"no client with id {client_id}")
        return _client(row)

    def client_named(self, name: str) -> ClientData | None:
        """The client with exactly this name (ignoring case and spacing), if any.

        Read with a Core statement on the table, as `client_by_id` and
        `add_interaction` write and read: a command that logs an entry then never
        imports the ORM, which costs more than the rest of its work (see `_unit`).
        """
        with self._unit() as connection:
            query = select(CLIENT).where(CLIENT.c.name_key == name_key(name))
            row = connection.execute(query).first()
        return _client(row) if row is not None else None

    def find_client(self, name: str) -> ClientData:
        """The client `name` refers to: an exact match ignoring case, else a unique prefix.

        A prefix may match the whole name or any word in it ("Dana" finds
        "Dana Levi", "Levi" finds it too). No match names the closest clients.
        """
        key = name_key(name)
        if not key:
            raise InputError('client name is empty; give the name in quotes, e.g. "Dana Levi"')
        exact = self.client_named(name)
        if exact is not None:
            return exact
        with self._unit() as connection:
            names = connection.execute(select(CLIENT.c.id, CLIENT.c.name, CLIENT.c.name_key)).all()
        partial = [
            (cid, cname)
            for cid, cname, ckey in names
            if ckey.startswith(key) or any(word.startswith(key) for word in ckey.split())
        ]
        if len(partial) == 1:
            return self.client_by_id(partial[0][0])
        if partial:
            listed = ", ".join(self._hint_names(sorted(cname for _, cname in partial)[:5]))
            which = f": {listed}" if listed else ""
            raise InputError(f"{name!r} matches several clients{which}; type more of the name")
        close = difflib.get_close_matches(key, [ckey for _, _, ckey in names], n=3, cutoff=0.5)
        by_key = {ckey: cname for _, cname, ckey in names}
        if close := self._hint_names([by_key[c] for c in close]):
            hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
        else:
            hint = "see 'relog client list'"
        seen = " that you can see" if self.limited() else ""
        raise NotFoundError(
            f"no client named {name!r}{seen}; {hint} (add one with 'relog client add')"
        )

    # interactions ------------------------------------------------------

    def add_interaction(self, data: InteractionData) -> InteractionData:
        """Record an interaction; `data.id` is ignored and the stored one returned, logged by
        `data.member` or else by this store's `member`."""
        data = self._logged(data)
        with self._unit() as connection:
            return self._insert_interaction(connection, data)

    def _logged(self, data: InteractionData) -> InteractionData:
        """`data` logged by `data.member`, or else by this store's `member`."""
        return data if data.member is not None else dataclasses.replace(data, member=self.member)

    def _insert_interaction(self, connection: Connection, data: InteractionData) -> InteractionData:
        inserted = connection.execute(INTERACTION.insert(), _interaction_values(data))
        key = inserted.inserted_primary_key
        assert key is not None
        interaction_id = int(key[0])
        if data.asked or data.gave:
            self._rebuild_requests(connection, data.client_id)
        return _stored_interaction(connection, interaction_id)

    def add_interactions(self, entries: Sequence[InteractionData]) -> int:
        """Record many interactions in one transaction (demo journals, benchmarks, imports)."""
        with self._unit() as connection:
            connection.execute(
                INTERACTION.insert(),
                [_interaction_values(entry) for entry in entries],
            )
            for client_id in {e.client_id for e in entries if e.asked or e.gave}:
                self._rebuild_requests(connection, client_id)
        return len(entries)

    def interaction(self, interaction_id: int) -> InteractionData:
        with self._unit() as connection:
            row = connection.execute(
                select(*_INTERACTION_COLUMNS).where(INTERACTION.c.id == interaction_id)
            ).first()
        if row is None:
            raise NotFoundError(f"no interaction with id {interaction_id}; see 'relog log'")
        return _interaction(row)

    def update_interaction(self, data: InteractionData) -> InteractionData:
        from relog.store import models

        with self._session() as session:
            row = session.get(models.Interaction, data.id)
            if row is None:
                raise NotFoundError(f"no interaction with id {data.id}; see 'relog log'")
            previous_client = row.client_id
            for column, value in _interaction_values(data).items():
                setattr(row, column, value)
            session.add(row)
            session.flush()
            self._rebuild_requests(session, data.client_id)
            if previous_client != data.client_id:
                self._rebuild_requests(session, previous_client)
            return _stored_interaction(session, data.id)

    def delete_interaction(self, interaction_id: int) -> None:
        from relog.store import models

        with self._session() as session:
            row = session.get(models.Interaction, interaction_id)
            if row is None:
                raise NotFoundError(f"no interaction with id {interaction_id}; see 'relog log'")
            client_id = row.client_id
            session.delete(row)
            session.flush()
            self._rebuild_requests(session, client_id)

    def timeline(
        self,
        client_id: int | None = None,
        *,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[InteractionData]:
        """Interactions newest first, optionally for one client and from `since` on."""
        return [entry for entry, _ in self.named_timeline(client_id, since=since, limit=limit)]

    def named_timeline(
        self,
        client_id: int | None = None,
        *,
        since: datetime | None = None,
        limit: int | None = None,
        until: datetime | None = None,
        kinds: Collection[Kind] = (),
        by: By | None = None,
        outcomes: Collection[Outcome] = (),
        member: str | None = None,
    ) -> Iterator[tuple[InteractionData, str]]:
        """`timeline` with each entry's client name, streamed as it is read.

        The names come from the same query, so listing 50 entries reads 50
        entries and their clients, not every client in the journal. Every
        filter given must hold (`kinds` and `outcomes`: any of them).
        """
        query = select(*_INTERACTION_COLUMNS, CLIENT.c.name).join(
            CLIENT, CLIENT.c.id == INTERACTION.c.client_id
        )
        if by is not None:
            query = query.where(INTERACTION.c.by == by.value)
        if member is not None:
            query = query.where(INTERACTION.c.member == member)
        if outcomes:
            query = query.where(INTERACTION.c.outcome.in_([o.value for o in outcomes]))
        query = _newest_entries(query, _Filters(client_id, since, until, tuple(kinds), limit))
        with self._reading() as connection:
            for row in _driver_rows(connection, query):
                yield _interaction(row), str(row[-1])

    def history(
        self, client_id: int, until: datetime | None = None, *, member: str | None = None
    ) -> Timeline:
        """One client's interactions up to `until`, oldest first: what the rules read; only
        those `member` logged, when given. As for `histories`, only the `RULE_FIELDS` are
        read (minutes, summary and member keep their defaults)."""
        query = _rule_rows(until, member).where(INTERACTION.c.client_id == client_id)
        query = query.order_by(INTERACTION.c.at, INTERACTION.c.id)
        with self._reading() as connection:
            return Timeline(map(_rule_entry, _driver_rows(connection, query)))

    def histories(
        self, until: datetime | None = None, *, member: str | None = None
    ) -> dict[int, Timeline]:
        """Every client's interactions up to `until`, oldest first: what a portfolio review reads;
        only those `member` logged, when given (a client with none of theirs is left out).

        One query in (client, moment) order, read row by row as it streams, so
        no second copy of the journal is ever held; only the `RULE_FIELDS` are
        read (minutes, summary and member keep their defaults).
        """
        query = _rule_rows(until, member).order_by(
            INTERACTION.c.client_id, INTERACTION.c.at, INTERACTION.c.id
        )
        grouped: dict[int, Timeline] = {}
        decode = _rule_entry
        with self._reading() as connection:
            for client_id, group in itertools.groupby(_driver_rows(connection, query), _client_of):
                grouped[client_id] = Timeline(map(decode, group))
        return grouped

    def meeting_times(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[datetime]:
        """When every meeting that took place (any client) started: for the daily-load rule."""
        query = select(INTERACTION.c.at).where(
            INTERACTION.c.kind == Kind.MEETING.value,
            INTERACTION.c.outcome != Outcome.CANCELLED.value,
        )
        if since is not None:
            query = query.where(INTERACTION.c.at >= since)
        if until is not None:
            query = query.where(INTERACTION.c.at <= until)
        with self._unit() as connection:
            return [row[0] for row in connection.execute(query)]

    def meetings_per_day(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> dict[date, int]:
        """How many meetings took place on each local day (any client): the daily load.

        SQLite counts them by local day itself, from the meeting index alone
        (its 'localtime' is the same C library time zone that Python's
        `astimezone()` uses); other databases count `meeting_times` here.
        """
        if self.engine.dialect.name != "sqlite":
            return dict(Counter(m.astimezone().date() for m in self.meeting_times(since, until)))
        day = func.date(type_coerce(INTERACTION.c.at, NullType()), "localtime")
        query = select(day, func.count()).where(
            INTERACTION.c.kind == Kind.MEETING.value,
            INTERACTION.c.outcome != Outcome.CANCELLED.value,
        )
        if since is not None:
            query = query.where(INTERACTION.c.at >= since)
        if until is not None:
            query = query.where(INTERACTION.c.at <= until)
        with self._reading() as connection:
            rows = _driver_rows(connection, query.group_by(day))
            return {date.fromisoformat(local): count for local, count in rows}

    def meetings_on(self, days: Iterable[date]) -> dict[date, int]:
        """How many meetings took place (any client, none cancelled) on each of `days`, as
        `meetings_per_day` counts them: the daily load of the days one client's review reads.

        SQLite counts each local day (its midnight to the next, 23 or 25 hours
        across a change of summer time) as a short range of the meeting index,
        the days handed over as one JSON array, instead of every meeting of the
        period; other databases count the period and keep these days.
        """
        chosen = sorted(set(days))
        if not chosen:
            return {}
        if self.engine.dialect.name != "sqlite":
            period = self.meetings_per_day(
                since=_local_midnight(chosen[0]), until=_local_midnight(chosen[-1] + ONE_DAY)
            )
            return {day: period.get(day, 0) for day in chosen}
        spans = json.dumps(
            [
                [
                    day.toordinal(),
                    _as_stored(_local_midnight(day)),
                    _as_stored(_local_midnight(day + ONE_DAY)),
                ]
                for day in chosen
            ]
        )
        span = func.json_each(spans).table_valued("value").alias("span")
        at = type_coerce(INTERACTION.c.at, NullType())
        count = (
            select(func.count())
            .where(
                INTERACTION.c.kind == Kind.MEETING.value,
                INTERACTION.c.outcome != Outcome.CANCELLED.value,
                at >= func.json_extract(span.c.value, "$[1]"),
                at < func.json_extract(span.c.value, "$[2]"),
            )
            .scalar_subquery()
        )
        query = select(func.json_extract(span.c.value, "$[0]"), count)
        with self._reading() as connection:
            return {date.fromordinal(day): found for day, found in _driver_rows(connection, query)}

    def interaction_count(self) -> int:
        with self._unit() as connection:
            return int(connection.execute(select(func.count(INTERACTION.c.id))).scalar_one())

    # whole journals ----------------------------------------------------

    def journal(self, client_id: int | None = None, since: datetime | None = None) -> JournalData:
        """Every row by id (see `store.transfer.read_journal`): what `relog export` writes."""
        from relog.store.transfer import read_journal

        return read_journal(self, client_id, since)

    def import_journal(
        self,
        data: JournalData,
        *,
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportReport:
        """Merge a whole journal into this one in one transaction (`relog import`)."""
        from relog.store.transfer import import_journal

        return import_journal(self, data, dry_run=dry_run, progress=progress)

    # search ------------------------------------------------------------

    def search(
        self,
        words: Sequence[str],
        client_id: int | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kinds: Collection[Kind] = (),
        limit: int | None = None,
    ) -> Iterator[SearchHit]:
        """Where every one of `words` is found (see `store.fulltext`), streamed.

        First the clients whose notes hold them, by name: notes have no date,
        so a span or a kind leaves them out. Then entries (of `kinds`, when
        given) and post-mortems (unless `kinds` is given), newest first, from
        `since` to `until`; one client's only, with `client_id`.
        """
        matcher = fulltext.matcher(self.engine.dialect.name, words)
        wanted = _Filters(client_id, since, until, tuple(kinds), limit)
        with self._reading() as connection:
            notes = [] if wanted.dated else _note_hits(connection, matcher, wanted)
            yield from notes
            left = None if limit is None else limit - len(notes)
            if left == 0:
                return
            wanted = dataclasses.replace(wanted, limit=left)
            mistakes = [] if kinds else _mistake_hits(connection, matcher, wanted)
            entries = _entry_hits(connection, matcher, wanted)
            merged = heapq.merge(entries, mistakes, key=_moment_of, reverse=True)
            yield from itertools.islice(merged, left)

    # requests ----------------------------------------------------------

    def _rebuild_requests(self, session: Session | Connection, client_id: int) -> None:
        """Re-pair one client's requests with deliveries after any change to its entries."""
        session.execute(delete(REQUEST).where(REQUEST.c.client_id == client_id))
        query = (
            select(*_INTERACTION_COLUMNS)
            .where(INTERACTION.c.client_id == client_id)
            .where((INTERACTION.c.asked != "") | (INTERACTION.c.gave != ""))
        )
        entries = [_interaction(row) for row in session.execute(query)]
        requests = derive_requests(entries)
        if requests:
            session.execute(REQUEST.insert(), [request_values(r) for r in requests])

    def open_requests(
        self, client_id: int | None = None, *, at: datetime | None = None
    ) -> list[Request]:
        """Requests still waiting at `at` (default: now), oldest first."""
        table = REQUEST.c
        query = select(
            table.client_id,
            table.item,
            table.asked_id,
            table.asked_at,
            table.given_id,
            table.given_at,
        )
        if client_id is not None:
            query = query.where(table.client_id == client_id)
        if at is None:
            query = query.where(table.given_at.is_(None))
        else:
            query = query.where(table.asked_at <= at).where(
                table.given_at.is_(None) | (table.given_at > at)
            )
        query = query.order_by(table.asked_at)
        with self._unit() as connection:
            return [
                Request(row[0], Item(row[1]), row[2], row[3], row[4], row[5])
                for row in connection.execute(query)
            ]

    # bills -------------------------------------------------------------

    def add_bill(self, bill: BillData) -> BillData:
        """Record an amount billed; `bill.id` is ignored and the bill returned as stored."""
        if bill.amount <= 0:
            raise InputError("an amount billed must be above zero")
        with self._session() as session:
            inserted = session.connection().execute(BILL.insert(), bill_values(bill))
            key = inserted.inserted_primary_key
            assert key is not None
            row = session.execute(select(*_BILL_COLUMNS).where(BILL.c.id == key[0])).one()
            return _bill(row)

    def named_bills(
        self,
        client_id: int | None = None,
        *,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[tuple[BillData, str]]:
        """Bills newest first, each with its client's name; one client's, from `since` on."""
        query = select(*_BILL_COLUMNS, CLIENT.c.name).join(CLIENT, CLIENT.c.id == BILL.c.client_id)
        if client_id is not None:
            query = query.where(BILL.c.client_id == client_id)
        if since is not None:
            query = query.where(BILL.c.at >= since)
        query = query.order_by(BILL.c.at.desc(), BILL.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._unit() as connection:
            return [(_bill(row), str(row[-1])) for row in connection.execute(query)]

    def bill_count(self, client_id: int) -> int:
        query = select(func.count()).select_from(BILL).where(BILL.c.client_id == client_id)
        with self._unit() as connection:
            return int(connection.execute(query).scalar_one())

    def bills(self, until: datetime | None = None) -> list[BillData]:
        """Every bill at or before `until`, oldest first: what the portfolio's income reads.

        One query over the whole table, in (moment, id) order.
        """
        query = select(*_BILL_COLUMNS)
        if until is not None:
            query = query.where(BILL.c.at <= until)
        with self._unit() as connection:
            rows = connection.execute(query.order_by(BILL.c.at, BILL.c.id))
            return [_bill(row) for row in rows]

    # mistakes ----------------------------------------------------------

    def add_mistake(self, mistake: MistakeData) -> MistakeData:
        from relog.store import models

        with self._session() as session:
            row = models.Mistake(**mistake_values(mistake))
            session.add(row)
            session.flush()
            assert row.id is not None
            mistake_id = row.id
        return self.mistake(mistake_id)

    def update_mistake(self, mistake: MistakeData) -> MistakeData:
        from relog.store import models

        with self._session() as session:
            row = session.get(models.Mistake, mistake.id)
            if row is None:
                raise NotFoundError(
                    f"no post-mortem with id {mistake.id}; see 'relog mistakes list'"
                )
            row.client_id = mistake.client_id
            row.what = mistake.what
            row.kind = mistake.kind.value
            row.cause = mistake.cause.value
            row.cause_note = mistake.cause_note
            row.plan = mistake.plan
            row.due = mistake.due
            row.done_at = mistake.done_at
            row.third_party = mistake.third_party
            session.add(row)
        return self.mistake(mistake.id)

    def delete_mistake(self, mistake_id: int) -> None:
        from relog.store import models

        with self._session() as session:
            row = session.get(models.Mistake, mistake_id)
            if row is None:
                raise NotFoundError(
                    f"no post-mortem with id {mistake_id}; see 'relog mistakes list'"
                )
            session.delete(row)

    def mistake(self, mistake_id: int) -> MistakeData:
        """One post-mortem, as stored (moments in UTC)."""
        found = self.mistakes(mistake_id=mistake_id)
        if not found:
            raise NotFoundError(f"no post-mortem with id {mistake_id}; see 'relog mistakes list'")
        return found[0]

    def mistakes(
        self, client_id: int | None = None, *, mistake_id: int | None = None
    ) -> list[MistakeData]:
        """Post-mortems, oldest first; one client's, or the one with `mistake_id`."""
        m = MISTAKE.c
        query = select(
            m.id,
            m.client_id,
            CLIENT.c.name,
            m.created_at,
            m.what,
            m.kind,
            m.cause,
            m.cause_note,
            m.plan,
            m.due,
            m.done_at,
            m.third_party,
        ).join(CLIENT, CLIENT.c.id == m.client_id)
        if client_id is not None:
            query = query.where(m.client_id == client_id)
        if mistake_id is not None:
            query = query.where(m.id == mistake_id)
        query = query.order_by(m.created_at, m.id)
        with self._unit() as connection:
            return [
                MistakeData(
                    id=row[0],
                    client_id=row[1],
                    client_name=row[2],
                    created_at=row[3],
                    what=row[4],
                    kind=MistakeKind(row[5]),
                    cause=Cause(row[6]),
                    cause_note=row[7],
                    plan=row[8],
                    due=row[9],
                    done_at=row[10],
                    third_party=row[11],
                )
                for row in connection.execute(query)
            ]


def _change_handles(
    connection: Connection,
    client: ClientData,
    add: Sequence[Handle],
    remove: Sequence[Handle],
) -> None:
    """Give `client` the handles of `add` it lacks and take those of `remove` off it.

    A handle another client has is refused (it belongs to one client), and so is
    taking off one the client does not have.
    """
    h = HANDLE.c
    for handle in remove:
        gone = connection.execute(
            delete(HANDLE).where(
                h.client_id == client.id, h.kind == handle.kind.value, h.key == handle.key
            )
        )
        if not gone.rowcount:
            raise InputError(f"{client.name} has no {handle.kind.value} {handle.value}")
    for handle in dict.fromkeys(add):
        owner = connection.execute(
            select(h.client_id, h.value, CLIENT.c.name)
            .join(CLIENT, CLIENT.c.id == h.client_id)
            .where(h.kind == handle.kind.value, h.key == handle.key)
        ).first()
        if owner is None:
            connection.execute(
                HANDLE.insert().values(
                    client_id=client.id,
                    kind=handle.kind.value,
                    key=handle.key,
                    value=handle.value,
                )
            )
        elif owner.client_id != client.id:
            command = (
                f"relog client edit {shlex.quote(owner.name)} "
                f"--remove-{handle.kind.value} {shlex.quote(owner.value)}"
            )
            raise InputError(
                f"{owner.value} is already {owner.name}'s {handle.kind.value}; a handle "
                f"belongs to one client (take it off with: {command})"
            )


def bill_values(bill: BillData) -> dict[str, Any]:
    """A bill as a row of the `bill` table, without its id."""
    return {"client_id": bill.client_id, "at": bill.at, "amount": bill.amount, "note": bill.note}


def mistake_values(mistake: MistakeData) -> dict[str, Any]:
    """A post-mortem as a row of the `mistake` table, without its id."""
    return {
        "client_id": mistake.client_id,
        "created_at": mistake.created_at,
        "what": mistake.what,
        "kind": mistake.kind.value,
        "cause": mistake.cause.value,
        "cause_note": mistake.cause_note,
        "plan": mistake.plan,
        "due": mistake.due,
        "done_at": mistake.done_at,
        "third_party": mistake.third_party,
    }


@dataclasses.dataclass(frozen=True)
class _Filters:
    """Which rows a listing wants: one client's (or all), in a span, of some kinds, how many."""

    client_id: int | None
    since: datetime | None
    until: datetime | None
    kinds: tuple[Kind, ...] = ()
    limit: int | None = None

    @property
    def dated(self) -> bool:
        """Whether only dated rows of a kind can be wanted, which leaves clients' notes out."""
        return self.since is not None or self.until is not None or bool(self.kinds)


def _note_hits(
    connection: Connection, matcher: fulltext.Matcher, wanted: _Filters
) -> list[SearchHit]:
    """The clients whose notes hold the words, by name."""
    source, found = matcher.match(CLIENT)
    query = select(CLIENT.c.id, CLIENT.c.name, CLIENT.c.notes, matcher.shown(CLIENT, "notes"))
    query = query.select_from(source).where(found).order_by(CLIENT.c.name_key)
    if wanted.client_id is not None:
        query = query.where(CLIENT.c.id == wanted.client_id)
    return [
        SearchHit(Found.NOTES, row[0], row[1], row[2], matcher.spans(row[2], row[3]))
        for row in connection.execute(query.limit(wanted.limit))
    ]


def _mistake_hits(
    connection: Connection, matcher: fulltext.Matcher, wanted: _Filters
) -> list[SearchHit]:
    """The post-mortems that hold the words, newest first."""
    m = MISTAKE.c
    source, found = matcher.match(MISTAKE)
    texts = fulltext.FTS_TABLES["mistake"]
    query = select(m.id, m.client_id, CLIENT.c.name, m.created_at, *(m[t] for t in texts))
    query = query.add_columns(*(matcher.shown(MISTAKE, t) for t in texts)).where(found)
    query = query.select_from(source.join(CLIENT, CLIENT.c.id == m.client_id))
    query = _in_span(query, m.client_id, m.created_at, wanted)
    query = query.order_by(m.created_at.desc(), m.id.desc()).limit(wanted.limit)
    hits = []
    for row in connection.execute(query):
        parts = [
            (f"{label}: ", row[4 + n], matcher.spans(row[4 + n], row[7 + n]))
            for n, label in enumerate(("what", "note", "plan"))
        ]
        text, marks = fulltext.joined(parts)
        hits.append(
            SearchHit(Found.POST_MORTEM, row[1], row[2], text, marks, row[3], mistake_id=row[0])
        )
    return hits


def _entry_hits(
    connection: Connection, matcher: fulltext.Matcher, wanted: _Filters
) -> Iterator[SearchHit]:
    """The entries whose summaries hold the words, newest first, as they are read."""
    source, found = matcher.match(INTERACTION)
    query = select(*_INTERACTION_COLUMNS, CLIENT.c.name, matcher.shown(INTERACTION, "summary"))
    query = query.select_from(source.join(CLIENT, CLIENT.c.id == INTERACTION.c.client_id))
    query = _newest_entries(query.where(found), wanted)
    for row in _driver_rows(connection, query):
        entry = _interaction(row)
        marks = matcher.spans(entry.summary, row[-1])
        yield SearchHit(
            Found.ENTRY, entry.client_id, row[-2], entry.summary, marks, entry.at, entry
        )


def _in_span(
    query: _Query,
    client: ColumnElement[int],
    moment: ColumnElement[datetime],
    wanted: _Filters,
) -> _Query:
    """`query` for one client's rows (with `client_id`) from `since` to `until`."""
    if wanted.client_id is not None:
        query = query.where(client == wanted.client_id)
    if wanted.since is not None:
        query = query.where(moment >= wanted.since)
    if wanted.until is not None:
        query = query.where(moment <= wanted.until)
    return query


def _newest_entries(query: _Query, wanted: _Filters) -> _Query:
    """`query` for the entries `wanted` (of any of its kinds, if any), newest first."""
    query = _in_span(query, INTERACTION.c.client_id, INTERACTION.c.at, wanted)
    if wanted.kinds:
        query = query.where(INTERACTION.c.kind.in_([kind.value for kind in wanted.kinds]))
    query = query.order_by(INTERACTION.c.at.desc(), INTERACTION.c.id.desc())
    return query if wanted.limit is None else query.limit(wanted.limit)


def _moment_of(hit: SearchHit) -> datetime:
    """When a dated hit happened: what entries and post-mortems are merged by."""
    assert hit.at is not None
    return hit.at


def request_values(request: Request) -> dict[str, Any]:
    """A request as a row of the `request` table."""
    return {
        "client_id": request.client_id,
        "item": request.item.value,
        "asked_id": request.asked_id,
        "asked_at": request.asked_at,
        "given_id": request.given_id,
        "given_at": request.given_at,
    }


ONE_DAY = timedelta(days=1)


def _local_midnight(day: date) -> datetime:
    """The first moment of local `day`: its midnight, or, where a change to summer time
    skips that midnight (as in Chile), the moment of the change."""
    moment = datetime(day.year, day.month, day.day).astimezone()
    if moment.date() < day:  # a midnight that never was, read with the later offset
        moment = datetime.combine(day, time(), moment.tzinfo)
    return moment


def _as_stored(moment: datetime) -> str:
    """A moment as SQLite holds it (`UTCDateTime`): UTC, to the microsecond, so that text
    comparisons order it as the column orders."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"


def _driver_rows(connection: Connection, query: Executable) -> Iterator[Sequence[Any]]:
    """The rows of `query` as the database driver returns them, in batches.

    SQLAlchemy runs the query (binding its parameters through the column types);
    the rows are then read from its DBAPI cursor directly, since the columns are
    read untyped anyway (`_INTERACTION_COLUMNS`) and a million rows through the
    result layer cost about a second more.
    """
    cursor = connection.execute(query).cursor
    while batch := cursor.fetchmany(4096):
        yield from batch


def _scrub(connection: Connection, path: Path) -> None:
    """Empty the write-ahead log into the file, rebuild the file without its free pages,
    and empty the log again; refused if another program keeps old frames in use."""
    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.exec_driver_sql("VACUUM")
    busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
    if busy:
        raise JournalError(
            f"another program is reading journal {path}, so its {path.name}-wal file may keep "
            "erased text until that program closes"
        )


def _vacuum(engine: Engine) -> None:
    """Vacuum every table of the journal on PostgreSQL (outside a transaction, as it must
    run), the synced mail's too; a member who does not own a table gets the server's
    warning, not an error."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in METADATA.sorted_tables:
            connection.exec_driver_sql(f"VACUUM {table.name}")


INSUFFICIENT_PRIVILEGE = "42501"
"""PostgreSQL's SQLSTATE for a statement the member has no right to (a table not granted,
a row row-level security keeps from them)."""


def _refused(name: str, error: ProgrammingError) -> Exception:
    """A statement the server refused this member, as a journal error; any other
    programming error is relog's own, left as it is."""
    if getattr(error.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return error
    return JournalError(
        f"journal {name} does not let you do that ({server_message(error)}); a member gives "
        "a client only to themselves or the team, and sees only the clients they may"
    )
