"""An index for the daily meeting load: meetings by moment, read without the table.

The daily-load rule counts the meetings of the whole journal on each day a
client had one. With this index the count reads only meeting times (a covering
index), never other clients' rows, whatever the size of the journal.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_interaction_kind_at_outcome", "interaction", ["kind", "at", "outcome"])


def downgrade() -> None:
    op.drop_index("ix_interaction_kind_at_outcome", table_name="interaction")
