"""Contacts from a spreadsheet: a CSV file with a header row, columns mapped by name.

The header names the columns, in any order, case and spacing, in English or
Hebrew (docs/export.md lists every name): a name (or first and last name, or
the company), email addresses, phone numbers, the company's domain, and any of
relog's client fields (stage, source, referred by, cadence, channel, notes).
Google Contacts' and Outlook's exports are read as they come ("E-mail 1 -
Value", "Mobile Phone"...), and so is relog's own clients.csv. Columns relog
has no use for are named in the report.

Excel saves CSV as UTF-8 with a byte-order mark, or, on a Hebrew Windows, as
windows-1255, and with ';' between cells where ',' is a decimal comma: all
are read. A row whose stage or cadence relog cannot read fails the import
with its line number; nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from relog.domain import Channel, ClientData, Source, Stage, client_problems
from relog.errors import InputError
from relog.formats.contacts import Contacts
from relog.formats.records import Problems

if TYPE_CHECKING:
    from enum import StrEnum

    from relog.transfer import JournalData

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "display name",
        "client",
        "client name",
        "contact",
        "contact name",
        "שם",
        "שם מלא",
        "שם הלקוח",
        "לקוח",
    ),
    "first": ("first name", "given name", "first", "שם פרטי"),
    "middle": ("middle name", "additional name"),
    "last": ("last name", "family name", "surname", "last", "שם משפחה"),
    "company": (
        "company",
        "company name",
        "organization",
        "organisation",
        "organization name",
        "organization 1 - name",
        "org",
        "חברה",
        "שם החברה",
        "ארגון",
    ),
    "title": ("title", "job title", "organization title", "organization 1 - title", "תפקיד"),
    "website": ("website", "web page", "web site", "url", "website 1 - value", "אתר"),
    "domain": ("domain", "domains", "company domain", "דומיין"),
    "notes": ("notes", "note", "הערות", "הערה"),
    "stage": ("stage", "status", "שלב", "סטטוס"),
    "source": ("source", "lead source", "מקור"),
    "referred_by": ("referred by", "referred_by", "referrer", "הופנה על ידי", "ממליץ"),
    "cadence": ("cadence", "cadence days", "cadence_days", "קצב"),
    "cadence_min": ("cadence min days", "cadence_min_days", "fewest days"),
    "channel": ("channel", "preferred channel", "ערוץ"),
}
"""relog's fields and the header names that mean each (compared ignoring case, spaces and
punctuation). Email and phone columns are recognised by shape: see `_kind_of`."""

EMAIL_WORDS = ("email", "e-mail", "mail", "אימייל", "דואל", 'דוא"ל', "מייל", "דואר אלקטרוני")
PHONE_WORDS = ("phone", "mobile", "telephone", "tel", "cell", "טלפון", "נייד", "פלאפון", "סלולרי")
NOT_A_VALUE = ("type", "label", "display")
"""Words in a header that make an email or phone column describe the value, not hold it."""


def _folded(header: str) -> str:
    return re.sub(r"[\s_\-:.'\"׳״]+", "", header.casefold())


_BY_HEADER = {_folded(alias): field for field, aliases in COLUMNS.items() for alias in aliases}


def _kind_of(header: str) -> str | None:
    """What a column holds: one of COLUMNS' fields, "email", "phone", or None."""
    folded = _folded(header)
    if folded in _BY_HEADER:
        return _BY_HEADER[folded]
    if any(word in folded for word in map(_folded, NOT_A_VALUE)):
        return None
    if "fax" in folded or "pager" in folded:
        return None
    if any(_folded(word) in folded for word in EMAIL_WORDS):
        return "email"
    if any(_folded(word) in folded for word in PHONE_WORDS):
        return "phone"
    return None


def _text(data: bytes) -> tuple[str, str | None]:
    """The file's text, and a note when it was not UTF-8."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1255", "replace"), "is not UTF-8; it was read as windows-1255"


def read_contacts_csv(data: bytes, *, region: str | None = None) -> JournalData:
    """The contacts of a CSV file with a header row, as clients with their handles."""
    if data.startswith(b"PK\x03\x04"):
        raise InputError(
            "the file is a zip archive, not CSV text; import a .csv file from it, "
            "or a relog export in JSON"
        )
    if b"\x00" in data[:8192]:
        raise InputError("the file is not text (it holds NUL bytes); give a CSV file")
    text, encoding_note = _text(data)
    if not text.strip():
        raise InputError("the file is empty; a contacts CSV starts with a header row")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(row for row in reader if any(cell.strip() for cell in row))
    except StopIteration:
        raise InputError("the file has no header row") from None
    except csv.Error as error:
        raise InputError(f"line {reader.line_num}: not CSV ({error})") from None
    kinds = [_kind_of(cell) for cell in header]
    found = set(kinds)
    if not found & {"name", "first", "last", "company"}:
        shown = ", ".join(repr(cell) for cell in header[:8]) or "none"
        raise InputError(
            f"line {reader.line_num}: no column holds a name; name one 'Name' (or "
            f"'First Name' and 'Last Name', or 'Company'); the columns are {shown}"
        )
    contacts = Contacts(region=region, place="line")
    if encoding_note:
        contacts.note("the file", encoding_note)
    unused = [cell.strip() for cell, kind in zip(header, kinds, strict=True) if kind is None]
    if [cell for cell in unused if cell]:
        contacts.note("the header", f"columns not used: {', '.join(c for c in unused if c)}")
    problems = Problems()
    now = datetime.now(UTC)
    try:
        for row in reader:
            where = f"line {reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            _row(where, _pairs(kinds, row), contacts, problems, now)
    except csv.Error as error:
        problems.add(f"line {reader.line_num}", f"not CSV ({error})")
    problems.raise_any()
    return contacts.journal()


def _pairs(kinds: list[str | None], row: list[str]) -> list[tuple[str, str]]:
    return [
        (kind, cell.strip())
        for kind, cell in zip(kinds, row, strict=False)
        if kind is not None and cell.strip()
    ]


def _row(
    where: str,
    pairs: list[tuple[str, str]],
    contacts: Contacts,
    problems: Problems,
    now: datetime,
) -> None:
    """One person's row, added to `contacts`, or its problem added to `problems`."""
    values: dict[str, list[str]] = {}
    for kind, cell in pairs:
        values.setdefault(kind, []).append(cell)
    one = {kind: " ".join(cells) for kind, cells in values.items()}
    name = one.get("name") or " ".join(
        one[part] for part in ("first", "middle", "last") if one.get(part)
    )
    name = name or one.get("company", "")
    if not name.strip():
        problems.add(where, "has no name (the name, first or last name, or company cell)")
        return
    try:
        client = _client(one, name, now)
    except InputError as error:
        problems.add(where, str(error).removeprefix("--"))
        return
    for problem in client_problems(client):
        problems.add(where, problem)
    spoken = {"name"} | ({"stage", "source", "referred_by", "channel"} & one.keys())
    if "cadence" in one:
        spoken |= {"cadence_days", "cadence_min_days"}
    contacts.add(
        where,
        client,
        spoken=frozenset(spoken),
        emails=_split(values.get("email", []), ",;"),
        phones=_split(values.get("phone", []), ""),
        domains=_split(values.get("domain", []), ",; "),
    )


def _split(cells: list[str], separators: str) -> list[str]:
    """The values in `cells`: Google's ' ::: ' between several, and `separators`."""
    pattern = "|".join([":::", *map(re.escape, separators)])
    return [part.strip() for cell in cells for part in re.split(pattern, cell) if part.strip()]


def _client(one: dict[str, str], name: str, now: datetime) -> ClientData:
    from relog.cli.params import parse_cadence

    details = [
        f"{label}: {one[key]}"
        for key, label in (("company", "Company"), ("title", "Title"), ("website", "Website"))
        if one.get(key) and not (key == "company" and one[key] == name)
    ]
    notes = "\n".join([*details, *([one["notes"]] if one.get("notes") else [])])
    stage = _choice(Stage, one.get("stage"), "stage", Stage.LEAD)
    if stage is Stage.FORMER:
        raise InputError(
            "stage 'former' is for clients who left: import them at another stage, "
            "then end them with relog client end"
        )
    fewest, most = (None, None)
    if one.get("cadence"):
        pace = one["cadence"]
        if one.get("cadence_min") and pace.strip().isdigit():
            pace = f"{one['cadence_min']}-{pace}"  # relog's own clients.csv: two columns
        fewest, most = parse_cadence(pace)
    return ClientData(
        id=0,
        name=name,
        stage=stage,
        source=_choice(Source, one.get("source"), "source", None),
        referred_by=one.get("referred_by") or None,
        channel=_choice(Channel, one.get("channel"), "channel", None),
        cadence_min_days=fewest,
        cadence_days=most,
        notes=notes,
        created_at=now,
    )


def _choice(kind: type[StrEnum], text: str | None, column: str, default: Any) -> Any:
    """The member of `kind` a cell names, `default` for an empty cell."""
    if not text:
        return default
    try:
        return kind(text.strip().casefold())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InputError(f"{column} {text!r} is not one of {choices}") from None
