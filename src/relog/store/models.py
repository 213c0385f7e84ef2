"""The journal's tables.

Enumerated values are kept as their plain string values (as in `relog --json`),
so the file stays readable with any SQLite browser and a new value needs no
schema change. Items asked and given are kept on the interaction as a sorted,
comma-separated list; the `request` table pairs each asked item with the entry
that delivered it, so how long a request has been open is a query.

Money (a client's monthly `retainer`, a bill's `amount`) is kept as a whole
number of hundredths of the journal's currency: exact, and summed by SQLite as
integers (SQLite has no decimal type; a Numeric column would be stored as a
floating-point REAL).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from relog.store.types import UTCDateTime


class Client(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(unique=True, index=True)
    stage: str
    source: str | None = None
    referred_by: str | None = None
    cadence_days: int | None = None
    channel: str | None = None
    notes: str = ""
    created_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_reason: str | None = None
    retainer: int | None = None
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cadence_min_days: int | None = None
    owner: str | None = None
    """The member who owns the client; on PostgreSQL only they see it (None: the whole team)."""


class Interaction(SQLModel, table=True):
    __table_args__ = (
        Index("ix_interaction_client_at", "client_id", "at"),
        # The daily meeting load reads meetings by moment from this index alone.
        Index("ix_interaction_kind_at_outcome", "kind", "at", "outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    by: str
    outcome: str
    agreed: bool = False
    next_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    think: bool = False
    asked: str = ""
    gave: str = ""
    disagreement: str | None = None
    expectations: bool = False
    initiative: bool = False
    delegated: bool = False
    late: bool = False
    minutes: int | None = None
    summary: str = ""
    member: str | None = Field(default=None, index=True)


class Request(SQLModel, table=True):
    __table_args__ = (Index("ix_request_client_open", "client_id", "given_at"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False)
    )
    item: str
    asked_id: int = Field(
        sa_column=Column(Integer, ForeignKey("interaction.id", ondelete="CASCADE"), nullable=False)
    )
    asked_at: datetime = Field(sa_type=UTCDateTime)
    given_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("interaction.id", ondelete="SET NULL")),
    )
    given_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Bill(SQLModel, table=True):
    __table_args__ = (Index("ix_bill_client_at", "client_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False)
    )
    at: datetime = Field(sa_type=UTCDateTime)
    amount: int
    note: str = ""


class Mistake(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False)
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    what: str
    kind: str
    cause: str
    cause_note: str = ""
    plan: str = ""
    due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    third_party: bool | None = None


class ContactHandle(SQLModel, table=True):
    """An email address, phone number or company domain of a client (see `relog.handles`)."""

    __tablename__ = "handle"
    __table_args__ = (
        Index("ix_handle_kind_key", "kind", "key", unique=True),
        Index("ix_handle_client", "client_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str
    key: str
    value: str


class SyncedEntry(SQLModel, table=True):
    """A journal entry made (or, for one logged by hand, linked) by `relog sync`, with the
    key of what it came from: a message's Message-ID, a calendar event's UID with its
    RECURRENCE-ID. One message to two clients is one key with two rows."""

    __tablename__ = "synced_entry"
    __table_args__ = (
        Index("ix_synced_entry_key_client", "key", "client_id", unique=True),
        Index("ix_synced_entry_interaction", "interaction_id", unique=True),
        Index("ix_synced_entry_series", "series"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str
    series: str
    """The event's UID for every occurrence of a calendar series; the key itself for mail."""
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False)
    )
    interaction_id: int = Field(
        sa_column=Column(Integer, ForeignKey("interaction.id", ondelete="CASCADE"), nullable=False)
    )
    linked: bool = False
    """An entry logged by hand that a synced message or event turned out to be."""


class SyncedFile(SQLModel, table=True):
    """What a sync has already read of a source, so a re-run reads only what is new: the
    files of a Maildir or a folder of messages by name, an mbox by size and offset."""

    __tablename__ = "synced_file"
    __table_args__ = (Index("ix_synced_file_source_name", "source", "name", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    source: str
    name: str
    stamp: str = ""
    """How the file was when read: size and offset of an mbox, and its first bytes' digest."""
