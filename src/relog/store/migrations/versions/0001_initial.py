"""The first journal schema: clients, interactions, requests, mistakes.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "client",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("name_key", sa.String, nullable=False),
        sa.Column("stage", sa.String, nullable=False),
        sa.Column("source", sa.String),
        sa.Column("referred_by", sa.String),
        sa.Column("cadence_days", sa.Integer),
        sa.Column("channel", sa.String),
        sa.Column("notes", sa.String, nullable=False, server_default=""),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("ended_at", AWARE),
        sa.Column("end_reason", sa.String),
    )
    op.create_index("ix_client_name_key", "client", ["name_key"], unique=True)

    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "client_id",
            sa.Integer,
            sa.ForeignKey("client.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("at", AWARE, nullable=False),
        sa.Column("by", sa.String, nullable=False),
        sa.Column("outcome", sa.String, nullable=False),
        sa.Column("agreed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("next_at", AWARE),
        sa.Column("think", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("asked", sa.String, nullable=False, server_default=""),
        sa.Column("gave", sa.String, nullable=False, server_default=""),
        sa.Column("disagreement", sa.String),
        sa.Column("expectations", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("initiative", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("delegated", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("minutes", sa.Integer),
        sa.Column("summary", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_interaction_at", "interaction", ["at"])
    op.create_index("ix_interaction_client_at", "interaction", ["client_id", "at"])

    op.create_table(
        "request",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "client_id",
            sa.Integer,
            sa.ForeignKey("client.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("item", sa.String, nullable=False),
        sa.Column(
            "asked_id",
            sa.Integer,
            sa.ForeignKey("interaction.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("asked_at", AWARE, nullable=False),
        sa.Column("given_id", sa.Integer, sa.ForeignKey("interaction.id", ondelete="SET NULL")),
        sa.Column("given_at", AWARE),
    )
    op.create_index("ix_request_client_open", "request", ["client_id", "given_at"])

    op.create_table(
        "mistake",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "client_id",
            sa.Integer,
            sa.ForeignKey("client.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("what", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("cause", sa.String, nullable=False),
        sa.Column("cause_note", sa.String, nullable=False, server_default=""),
        sa.Column("plan", sa.String, nullable=False, server_default=""),
        sa.Column("due", AWARE),
        sa.Column("done_at", AWARE),
        sa.Column("third_party", sa.Boolean),
    )


def downgrade() -> None:
    op.drop_table("mistake")
    op.drop_table("request")
    op.drop_index("ix_interaction_client_at", "interaction")
    op.drop_index("ix_interaction_at", "interaction")
    op.drop_table("interaction")
    op.drop_index("ix_client_name_key", "client")
    op.drop_table("client")
