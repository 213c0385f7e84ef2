"""The journal document: every row of every table, as JSON (docs/export.md).

The same journal always gives the same bytes: fields in a fixed order (the
dataclass's), rows by id, indent 2, UTF-8 text unescaped, a final newline.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from relog.errors import InputError
from relog.formats.records import ALL, FORMAT, VERSION, Problems, journal_of, records

if TYPE_CHECKING:
    from relog.transfer import JournalData


def write_journal(data: JournalData) -> bytes:
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    for table in ALL:
        document[table.name] = list(records(data, table))
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
"""A `\\uD800`-`\\uDFFF` escape: half of a pair, which JSON may also hold alone."""


def _no_lone_surrogates(document: object) -> None:
    """Refuse a document with half a surrogate pair in its text: no journal can store it."""
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            "the file holds a \\u escape that is half of a surrogate pair, which is not text"
        ) from None


def read_journal(data: bytes) -> JournalData:
    """The journal in a document, checked whole: every bad record is reported at once."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(f"the file is not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"the file is not JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    if _SURROGATE_ESCAPE.search(data) is not None:
        _no_lone_surrogates(document)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f'the file is not a relog journal (no "format": "{FORMAT}")')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(f"the file's version {version!r} is not a version of the format")
    if version > VERSION:
        raise InputError(
            f"the file is format version {version}, newer than this relog reads ({VERSION}); "
            "upgrade relog to import it"
        )
    problems = Problems()
    tables: dict[str, list[Any]] = {}
    for table in ALL:
        rows = document.get(table.name, [])
        if not isinstance(rows, list):
            problems.add(table.name, "is not a list of records")
            rows = []
        tables[table.name] = rows
    return journal_of(tables, problems)
