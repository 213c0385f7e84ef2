"""Money, the start of a relationship, and a pace as a range.

A client gains a monthly `retainer` (hundredths of the journal's currency),
`started_at` (when the relationship began, if the user says so) and
`cadence_min_days` (the fewest days between contacts; `cadence_days` stays the
most). A new `bill` table holds the amounts billed, by client and date. Every
new client column is nullable, so existing clients read as before: no
retainer, no start date, a pace with an upper end only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("client", sa.Column("retainer", sa.Integer))
    op.add_column("client", sa.Column("started_at", AWARE))
    op.add_column("client", sa.Column("cadence_min_days", sa.Integer))
    op.create_table(
        "bill",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "client_id",
            sa.Integer,
            sa.ForeignKey("client.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", AWARE, nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("note", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_bill_client_at", "bill", ["client_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_bill_client_at", table_name="bill")
    op.drop_table("bill")
    # SQLite (3.35 and later) drops a plain column in place. Alembic's batch mode would
    # copy the table instead, and dropping the old `client` with foreign keys on would
    # cascade to every entry.
    op.drop_column("client", "cadence_min_days")
    op.drop_column("client", "started_at")
    op.drop_column("client", "retainer")
