"""Team members: who logged each entry, who owns each client, and who sees what.

`interaction.member` names the team member who logged the entry (entries
logged before this revision have none); an index on it lists the members and
finds one member's entries. `client.owner` names the member a client belongs
to; none means the whole team's.

On PostgreSQL, row-level security makes `owner` a rule: a client with an owner
is seen, changed and deleted only by that member's database role (its
`current_user`), and every row about a client (entries, requests,
post-mortems, bills, handles, synced entries) only by those who see the client. A member can
give a client to nobody but themselves or the team. The role that owns the
tables (the one that migrates) and roles with BYPASSRLS see everything: they
run the team. On SQLite the columns are kept but nothing is enforced: the file
is one person's.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

VISIBLE = "owner IS NULL OR owner = current_user"
"""Which clients a member sees: the team's, and their own."""

ABOUT_A_CLIENT = ("interaction", "request", "mistake", "bill", "handle", "synced_entry")
"""The tables whose rows belong to a client, seen with it."""

POLICY = "relog_member_sees"


def _of_a_visible_client(table: str) -> str:
    # The policy on `client` applies inside the subquery too.
    return f"EXISTS (SELECT 1 FROM client WHERE client.id = {table}.client_id)"


def upgrade() -> None:
    op.add_column("interaction", sa.Column("member", sa.String))
    op.create_index("ix_interaction_member", "interaction", ["member"])
    op.add_column("client", sa.Column("owner", sa.String))
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE client ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {POLICY} ON client USING ({VISIBLE}) WITH CHECK ({VISIBLE})")
    for table in ABOUT_A_CLIENT:
        seen = _of_a_visible_client(table)
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON {table} USING ({seen}) WITH CHECK ({seen})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("client", *ABOUT_A_CLIENT):
            op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    # SQLite drops a plain column in place (see 0003).
    op.drop_column("client", "owner")
    op.drop_index("ix_interaction_member", table_name="interaction")
    op.drop_column("interaction", "member")
