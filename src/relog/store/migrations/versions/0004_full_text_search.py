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

On PostgreSQL the same columns get GIN indexes of their words instead
(`to_tsvector` with the text search configuration `relog_words`), which the
server keeps in step by itself. `relog_words` is a copy of the `simple`
configuration (every word, folded to lower case, no stemming, no stop words,
as FTS5 above), with the `unaccent` extension's dictionary in front when the
server has it and the user may create it, so "cafe" finds "café" there too.
A post-mortem's three columns are indexed as one text.

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


CONFIG = "relog_words"
"""PostgreSQL's text search configuration for the journal (`relog.store.fulltext.CONFIG`)."""


def words_of(table: str, columns: tuple[str, ...]) -> str:
    """The words of `table`'s `columns` as PostgreSQL indexes them (and searches must read
    them, in the very same expression, for the index to serve)."""
    return " || ".join(f"to_tsvector('{CONFIG}'::regconfig, {column})" for column in columns)


def _unaccent() -> bool:
    """Whether `unaccent` is (or could be made) installed in this database."""
    bind = op.get_bind()
    available = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"
    ).scalar()
    if not available:
        return False
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except Exception:  # no right to create it: plain words, accents kept
        return False
    return True


def _upgrade_postgresql() -> None:
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple)")
    if _unaccent():
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
    for table, columns in INDEXED.items():
        op.execute(
            f"CREATE INDEX ix_{table}_words ON {table} USING gin (({words_of(table, columns)}))"
        )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _upgrade_postgresql()
    if dialect != "sqlite":
        return
    for table, columns in INDEXED.items():
        for statement in _statements(table, columns):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in INDEXED:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_words")
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
    if dialect != "sqlite":
        return
    for table in INDEXED:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
