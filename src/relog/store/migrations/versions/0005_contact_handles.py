"""Contact handles: a client's email addresses, phone numbers and company domain.

A new `handle` table holds each handle as shown (`value`) and as matched
(`key`, see `relog.handles`); a handle of a kind belongs to one client (a
unique index on kind and key), and goes when its client is deleted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handle",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "client_id",
            sa.Integer,
            sa.ForeignKey("client.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("key", sa.String, nullable=False),
        sa.Column("value", sa.String, nullable=False),
    )
    op.create_index("ix_handle_kind_key", "handle", ["kind", "key"], unique=True)
    op.create_index("ix_handle_client", "handle", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_handle_client", table_name="handle")
    op.drop_index("ix_handle_kind_key", table_name="handle")
    op.drop_table("handle")
