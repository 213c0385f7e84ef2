"""The journal as CSV: one file per table in a .zip (clients.csv, interactions.csv, ...).

Each file has a header row of the record's fields (the JSON document's, in
the same order) and one row per record, UTF-8. A cell holds the JSON value as
text: empty for null, `true`/`false`, a list of items as `prices,references`,
moments in UTC with `Z`, amounts in hundredths. The archive's entries carry a
fixed date, so the same journal gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import TYPE_CHECKING, Any

from relog.formats.records import ALL, Table, records

if TYPE_CHECKING:
    from relog.transfer import JournalData

STAMP = (1980, 1, 1, 0, 0, 0)
"""The date of every file in the archive (the earliest a zip can hold)."""


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(part) for part in value)
    return str(value)


def table_csv(data: JournalData, table: Table[Any]) -> str:
    """One table as CSV text, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.fields)
    writer.writerows([cell(value) for value in row.values()] for row in records(data, table))
    return buffer.getvalue()


def write_journal(data: JournalData) -> bytes:
    """A .zip holding one CSV file per table."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for table in ALL:
            entry = zipfile.ZipInfo(f"{table.name}.csv", date_time=STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            bundle.writestr(entry, table_csv(data, table).encode("utf-8"))
    return archive.getvalue()
