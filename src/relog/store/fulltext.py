"""Full-text search: the words a user typed as a query, and where they matched.

On SQLite the words are looked up in the FTS5 indexes of migration 0004
(`FullText`); on any other database each word is looked for in the text itself,
in any case (`Substrings`), which needs no index and finds the same entries
for plain words. Both say where the words are in each text they found, so the
renderers can mark them.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import and_, func, literal_column, or_
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from sqlalchemy import ColumnElement, FromClause, Table
    from sqlalchemy.engine import Connection

    from relog.domain import Span

FTS_TABLES: dict[str, tuple[str, ...]] = {
    "interaction": ("summary",),
    "client": ("notes",),
    "mistake": ("what", "cause_note", "plan"),
}
"""Each table with free text, and its columns that its FTS5 index `{table}_fts` holds."""

FTS_SHADOWS = ("data", "idx", "docsize", "config")
"""The tables FTS5 keeps an index in, `{table}_fts_{shadow}` (an external-content
index has no copy of the text, so no `_content`)."""

OPEN, CLOSE = "\x02", "\x03"
"""What FTS5's `highlight()` puts around each match: control characters that typed text
does not hold (`marked_spans` makes sure)."""

_MARKED = re.compile(f"{OPEN}[^{CLOSE}]*{CLOSE}")


def fts_query(words: Sequence[str]) -> str:
    """`words` as an FTS5 query: every word must match; the last may be the start of a word.

    Each word is an FTS5 string (a double quote in it doubled), so nothing the
    user types is read as FTS5 syntax: `AND`, `NEAR(`, `-`, `*`, a parenthesis
    or a quote is only text. A word the tokenizer splits (`O'Brien`) is a
    phrase of its parts, in order.
    """
    last = len(words) - 1
    return " AND ".join(_alternatives(word, prefix=n == last) for n, word in enumerate(words))


HEBREW_PREFIXES = (
    *"הובכלמש",
    *("ו" + letter for letter in "הבכלמש"),
    *("ש" + letter for letter in "הבכלמ"),
    "מה",
    "כש",
    "לכש",
    "וכש",
)
"""The letters Hebrew writes onto the front of a word ("the", "and", "in", "to", "from",
"that"...): `מחירים` is also found as `המחירים`, `ובמחירים`, `שהמחירים`."""

_HEBREW_LETTER = re.compile("[\u05d0-\u05ea]")


def _alternatives(word: str, *, prefix: bool) -> str:
    """One word of a query as FTS5 strings: the word, and a Hebrew word with each prefix."""
    forms = [word]
    if len(word) > 1 and _HEBREW_LETTER.match(word):
        forms += [f"{letters}{word}" for letters in HEBREW_PREFIXES]
    star = "*" if prefix else ""
    quoted = ['"' + form.replace('"', '""') + '"' + star for form in forms]
    return quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})"


def marked_spans(text: str, shown: str) -> tuple[Span, ...]:
    """The spans of `text` that `shown`, its `highlight()`, marks as matches.

    A text that itself holds a marker character gets no marks rather than
    wrong ones.
    """
    if OPEN in text or CLOSE in text:
        return ()
    return tuple(
        (found.start() - 2 * index, found.end() - 2 * index - 2)
        for index, found in enumerate(_MARKED.finditer(shown))
    )


def found_spans(text: str, words: Sequence[str]) -> tuple[Span, ...]:
    """Where any of `words` is in `text`, in any case, overlapping spans joined."""
    spans = sorted(
        found.span()
        for word in words
        for found in re.finditer(re.escape(word), text, re.IGNORECASE)
    )
    joined: list[Span] = []
    for start, end in spans:
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return tuple(joined)


def joined(parts: Sequence[tuple[str, str, tuple[Span, ...]]]) -> tuple[str, tuple[Span, ...]]:
    """One text from (label, text, spans) parts: the first always, each later one only if
    it matched, after '; ' and its label; the spans moved to where each part landed."""
    text = ""
    spans: list[Span] = []
    for index, (label, part, marks) in enumerate(parts):
        if index and not marks:
            continue
        if index:
            text += f"; {label}"
        spans.extend((start + len(text), end + len(text)) for start, end in marks)
        text += part
    return text, tuple(spans)


class Matcher(Protocol):
    """How a search finds its words in a table of `FTS_TABLES`."""

    def match(self, table: Table) -> tuple[FromClause, ColumnElement[bool]]:
        """What to select from, and the condition that every word holds."""
        ...

    def shown(self, table: Table, column: str) -> ColumnElement[Any]:
        """What to read of `column` for `spans`."""
        ...

    def spans(self, text: str, shown: str) -> tuple[Span, ...]:
        """Where the words are in `text`, the column's value, read as `shown`."""
        ...


class FullText:
    """SQLite: the words looked up in the FTS5 index of each table."""

    def __init__(self, words: Sequence[str]) -> None:
        self.query = fts_query(words)

    def match(self, table: Table) -> tuple[FromClause, ColumnElement[bool]]:
        index = sa_table(f"{table.name}_fts", sa_column("rowid"))
        found = literal_column(index.name).op("MATCH")(self.query)
        return table.join(index, index.c.rowid == table.c.id), found

    def shown(self, table: Table, column: str) -> ColumnElement[Any]:
        number = FTS_TABLES[table.name].index(column)
        return func.highlight(literal_column(f"{table.name}_fts"), number, OPEN, CLOSE)

    def spans(self, text: str, shown: str) -> tuple[Span, ...]:
        return marked_spans(text, shown)


class Substrings:
    """Any other database: each word looked for in the text, in any case, without an index."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = tuple(words)

    def match(self, table: Table) -> tuple[FromClause, ColumnElement[bool]]:
        columns = [table.c[name] for name in FTS_TABLES[table.name]]
        every = and_(
            *(or_(*(c.icontains(word, autoescape=True) for c in columns)) for word in self.words)
        )
        return table, every

    def shown(self, table: Table, column: str) -> ColumnElement[Any]:
        return table.c[column]

    def spans(self, text: str, shown: str) -> tuple[Span, ...]:
        return found_spans(text, self.words)


def rebuild(connection: Connection) -> None:
    """Rebuild each FTS5 index from its table's rows, on SQLite (elsewhere there are none).

    Deleting a row only marks its words deleted in the index, which keeps them
    in the file until FTS5 merges its segments; a rebuild writes the index anew
    from what the tables hold, so erased text leaves no word behind.
    """
    if connection.dialect.name != "sqlite":
        return
    for table in FTS_TABLES:
        connection.exec_driver_sql(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")


@contextmanager
def indexed_at_end(connection: Connection) -> Iterator[None]:
    """Rows inserted in this block are indexed at its end, one statement per index.

    Each insert trigger of migration 0004 indexes its row on its own, which made
    an import of 100,000 entries half again as slow; indexing the new rows in one
    `INSERT ... SELECT` per index costs a fraction of that. For the block the
    insert triggers are dropped, and at its end the new rows (those with an id
    above the largest before it) are indexed and each trigger is created again
    from its own stored text. All of it is in the connection's transaction
    (begun here if need be), so a block that fails, or a process killed in it,
    leaves the triggers and indexes as they were once it is rolled back. The
    block may only insert rows: an update or delete of a row it inserted would
    take words out of an index that never held them.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN")  # SQLite's driver begins one only before a write
    triggers: dict[str, str] = dict(
        connection.exec_driver_sql(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name = "
            "tbl_name || '_fts_insert'"
        ).all()
    )
    largest = {
        table: connection.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar() or 0
        for table in triggers
    }
    for table in triggers:
        connection.exec_driver_sql(f"DROP TRIGGER {table}_fts_insert")
    yield
    for table, sql in triggers.items():
        listed = ", ".join(FTS_TABLES[table])
        connection.exec_driver_sql(
            f"INSERT INTO {table}_fts (rowid, {listed}) SELECT id, {listed} FROM {table} "
            "WHERE id > ?",
            (largest[table],),
        )
        connection.exec_driver_sql(sql)


def matcher(dialect: str, words: Sequence[str]) -> Matcher:
    """The way to search a journal on the database named `dialect`."""
    return FullText(words) if dialect == "sqlite" else Substrings(words)
