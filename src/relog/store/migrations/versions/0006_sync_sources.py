"""Sync sources: where each synced entry came from, and what a sync has read.

`synced_entry` ties a journal entry to the key of the message or calendar
event it was made from (or, for an entry logged by hand, linked to), so a
sync never logs the same contact twice; it goes with its entry or client.
`synced_file` remembers the files of each source already read, so a re-run
reads only what is new.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "synced_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String, nullable=False),
        sa.Column("series", sa.String, nullable=False),
        sa.Column(
            "client_id",
            sa.Integer,
            sa.ForeignKey("client.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "interaction_id",
            sa.Integer,
            sa.ForeignKey("interaction.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("linked", sa.Boolean, nullable=False),
    )
    op.create_index("ix_synced_entry_key_client", "synced_entry", ["key", "client_id"], unique=True)
    op.create_index("ix_synced_entry_interaction", "synced_entry", ["interaction_id"], unique=True)
    op.create_index("ix_synced_entry_series", "synced_entry", ["series"])
    op.create_table(
        "synced_file",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("stamp", sa.String, nullable=False),
    )
    op.create_index("ix_synced_file_source_name", "synced_file", ["source", "name"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_synced_file_source_name", table_name="synced_file")
    op.drop_table("synced_file")
    op.drop_index("ix_synced_entry_series", table_name="synced_entry")
    op.drop_index("ix_synced_entry_interaction", table_name="synced_entry")
    op.drop_index("ix_synced_entry_key_client", table_name="synced_entry")
    op.drop_table("synced_entry")
