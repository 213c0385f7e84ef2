"""The journal's tables in SQLAlchemy Core, written from the SQLModel ones of models.py.

Do not edit: tests/test_store_tables.py writes this file from the models
(`pytest --regen-golden`) and fails when it differs from them. The store reads
and writes through these tables, so a command that only logs or reads entries
imports neither SQLModel nor pydantic nor the ORM; the models stay the one
definition, and are imported where the store works with ORM objects.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table

from relog.store.types import UTCDateTime

METADATA = MetaData()


CLIENT = Table(
    "client",
    METADATA,
    Column("id", Integer(), primary_key=True),
    Column("name", String(), nullable=False),
    Column("name_key", String(), nullable=False),
    Column("stage", String(), nullable=False),
    Column("source", String()),
    Column("referred_by", String()),
    Column("cadence_days", Integer()),
    Column("channel", String()),
    Column("notes", String(), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime()),
    Column("end_reason", String()),
    Column("retainer", Integer()),
    Column("started_at", UTCDateTime()),
    Column("cadence_min_days", Integer()),
    Column("owner", String()),
    Index("ix_client_name_key", "name_key", unique=True),
)

SYNCED_FILE = Table(
    "synced_file",
    METADATA,
    Column("id", Integer(), primary_key=True),
    Column("source", String(), nullable=False),
    Column("name", String(), nullable=False),
    Column("stamp", String(), nullable=False, default=""),
    Index("ix_synced_file_source_name", "source", "name", unique=True),
)

BILL = Table(
    "bill",
    METADATA,
    Column("id", Integer(), primary_key=True),
    Column("client_id", Integer(), ForeignKey("client.id", ondelete="CASCADE"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("amount", Integer(), nullable=False),
    Column("note", String(), nullable=False, default=""),
    Index("ix_bill_client_at", "client_id", "at"),
)

HANDLE = Table(
    "handle",
    METADATA,
    Column("id", Integer(), primary_key=True),
    Column("client_id", Integer(), ForeignKey("client.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(), nullable=False),
    Column("key", String(), nullable=False),
    Column("value", String(), nullable=False),
    Index("ix_handle_client", "client_id"),
    Index("ix_handle_kind_key", "kind", "key", unique=True),
)

INTERACTION = Table(
    "interaction",
    METADATA,
    Column("id", Integer(), primary_key=True),
    Column("client_id", Integer(), ForeignKey("client.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("by", String(), nullable=False),
    Column("outcome", String(), nullable=False),
    Column("agreed", Boolean(), nullable=False, default=False),
    Column("next_at", UTCDateTime()),
    Column("think", Boolean(), nullable=False, default=False),
    Column("asked", String(), nullable=False, default=""),
    Column("gave", String(), nullable=False, default=""),
    Column("disagreement", String()),
    Column("expectations", Boolean(), nullable=False, default=False),
    Column("initiative", Boolean(), nullable=False, default=False),
    Column("delegated", Boolean(), nullable=False, default=False),
    Column("late", Boolean(), nullable=False, default=False),
    Column("minutes", Integer()),
    Column("summary", String(), nullable=False, default=""),
    Column("member", String()),
    Index("ix_interaction_at", "at"),
    Index("ix_interaction_client_at", "client_id", "at"),
    Index("ix_interaction_kind_at_outcome", "kind", "at", "outcome"),
    Index("ix_interaction_member", "member"),
)

MISTAKE = Table(
    "mistake",
    METADATA,
    Column("id", Integer(), primary_key=True),
    Column("client_id", Integer(), ForeignKey("client.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("what", String(), nullable=False),
    Column("kind", String(), nullable=False),
    Column("cause", String(), nullable=False),
    Column("cause_note", String(), nullable=False, default=""),
    Column("plan", String(), nullable=False, default=""),
    Column("due", UTCDateTime()),
    Column("done_at", UTCDateTime()),
    Column("third_party", Boolean()),
)

REQUEST = Table(
    "request",
    METADATA,
    Column("id", Integer(), primary_key=True),
    Column("client_id", Integer(), ForeignKey("client.id", ondelete="CASCADE"), nullable=False),
    Column("item", String(), nullable=False),
    Column("asked_id", Integer(), ForeignKey("interaction.id", ondelete="CASCADE"), nullable=False),
    Column("asked_at", UTCDateTime(), nullable=False),
    Column("given_id", Integer(), ForeignKey("interaction.id", ondelete="SET NULL")),
    Column("given_at", UTCDateTime()),
    Index("ix_request_client_open", "client_id", "given_at"),
)

SYNCED_ENTRY = Table(
    "synced_entry",
    METADATA,
    Column("id", Integer(), primary_key=True),
    Column("key", String(), nullable=False),
    Column("series", String(), nullable=False),
    Column("client_id", Integer(), ForeignKey("client.id", ondelete="CASCADE"), nullable=False),
    Column(
        "interaction_id",
        Integer(),
        ForeignKey("interaction.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("linked", Boolean(), nullable=False, default=False),
    Index("ix_synced_entry_interaction", "interaction_id", unique=True),
    Index("ix_synced_entry_key_client", "key", "client_id", unique=True),
    Index("ix_synced_entry_series", "series"),
)
