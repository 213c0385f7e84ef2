"""The file formats relog writes and reads, each a pure translation between bytes and data.

`records` turns a journal's rows into plain records and back (one definition
of each row's fields: the domain dataclasses); `journal_json`, `journal_csv`
and `journal_markdown` are the export formats. `READERS` is every format
`relog import` reads, by name: a reader takes a file's bytes (and the home
region phone numbers are read by) and returns a `JournalData` or raises
`ImportProblems`. `vcard` and `contacts_csv` read lists of people, sharing
`contacts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from relog.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    from relog.transfer import JournalData


class Reader(Protocol):
    def __call__(self, data: bytes, *, region: str | None) -> JournalData: ...


EXTENSIONS = {".json": "json", ".csv": "csv", ".vcf": "vcard", ".vcard": "vcard"}
"""The format a file's extension names, for `relog import` without --format."""


def _read_json(data: bytes, *, region: str | None) -> JournalData:
    from relog.formats.journal_json import read_journal

    return read_journal(data)


def _read_csv(data: bytes, *, region: str | None) -> JournalData:
    from relog.formats.contacts_csv import read_contacts_csv

    return read_contacts_csv(data, region=region)


def _read_vcard(data: bytes, *, region: str | None) -> JournalData:
    from relog.formats.vcard import read_vcards

    return read_vcards(data, region=region)


READERS: dict[str, Reader] = {"json": _read_json, "csv": _read_csv, "vcard": _read_vcard}


def reader_for(path: Path, name: str | None) -> Reader:
    """The reader for `path`: the format named, else the one its extension names."""
    if name is None:
        name = EXTENSIONS.get(path.suffix.casefold())
        if name is None:
            raise InputError(
                f"cannot tell the format of {str(path)!r} from its name; "
                f"give --format ({', '.join(READERS)})"
            )
    reader = READERS.get(name.casefold())
    if reader is None:
        raise InputError(f"--format: {name!r} is not one of {', '.join(READERS)}")
    return reader
