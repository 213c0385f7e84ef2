"""Full-text search: an FTS5 index over entry summaries, client notes and post-mortems.

Three external-content FTS5 tables index the free text where it already lives:
`interaction_fts` over `interaction.summary`, `client_fts` over `client.notes`
and `mistake_fts` over a post-mortem's `what`, `cause_note` and `plan`. Each
keeps only the index (its rowid is the row's id), never a second copy of the
text. Triggers on insert, update of the indexed columns and delete keep each
index equal to its table, deletions by a cascade included; the upgrade fills
the indexes from the rows already there.

The tokenizer folds case and strips Latin diacritics (`remove_diacritics 2`:
"cafe" finds "café"). Combining marks (categories Mn and Mc: Hebrew points,
Arabic harakat, Indic vowel signs) count as part of a word rather than as
separators, so a pointed Hebrew word stays one word instead of falling apart
into letters.

The tables are SQLite's own, so on any other database this revision does
nothing and `relog search` reads the tables themselves.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-15
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TOKENIZE = "unicode61 remove_diacritics 2 categories 'L* N* Co Mc Mn'"

INDEXED = {
    "interaction": ("summary",),
    "client": ("notes",),
    "mistake": ("what", "cause_note", "plan"),
}
"""Each table and its columns of free text, as this revision indexes them."""


def _statements(table: str, columns: tuple[str, ...]) -> list[str]:
    """The index of `table`'s `columns`, its three triggers, and the filling."""
    fts = f"{table}_fts"
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    add = f"INSERT INTO {fts} (rowid, {listed}) VALUES (new.id, {new});"
    remove = f"INSERT INTO {fts} ({fts}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({listed}, content='{table}', "
        f"content_rowid='id', tokenize=\"{TOKENIZE}\")",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF id, {listed} ON {table} "
        f"BEGIN {remove} {add} END",
        f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')",
    ]


def _on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _on_sqlite():
        return
    for table, columns in INDEXED.items():
        for statement in _statements(table, columns):
            op.execute(statement)


def downgrade() -> None:
    if not _on_sqlite():
        return
    for table in INDEXED:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
