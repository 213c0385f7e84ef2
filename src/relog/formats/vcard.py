"""Contacts from a vCard file (.vcf), as phones, Google Contacts, Outlook and Apple write them.

The one module that knows vobject, the vCard library relog uses. vobject reads
vCard 3.0 well but trips on what real exports hold: vCard 2.1's quoted-printable
soft line breaks and raw Shift_JIS or Windows bytes, iOS's doubled carriage
returns, old Mac line ends, `#` comment lines, Apple's `PROFILE:VCard`, and
photos. So the file is first put in shape line by line (`_lines`): line ends
made one, folded and soft-broken lines joined, each line's bytes decoded by its
own CHARSET, photos and sounds checked and dropped (relog keeps no pictures),
and every line's number in the file kept, so a problem names where it is.

A card becomes a client: its name (FN; else its structured N; else the company
in ORG), its email addresses and phone numbers as handles, and a note of the
rest (company, title, website, address, birthday, the card's own NOTE). A card
with no name but an address is taken under its address, with a note, when
other cards of the file have names; a file whose cards have no names at all is
refused. A card that is broken (no END, no VERSION, a photo that is not
base64) fails the import: every problem is listed and nothing is written.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from relog.domain import ClientData, Stage
from relog.errors import InputError
from relog.formats.contacts import Contacts, charset_codec
from relog.formats.records import Problems

if TYPE_CHECKING:
    from relog.transfer import JournalData

BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "AGENT"})
"""Properties dropped before parsing: pictures, sounds, keys and nested cards."""

_LINE_END = re.compile(rb"\r\r\n|\r\n|\r|\n")
_NAME = re.compile(rb"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")
_BASE64 = re.compile(rb"[A-Za-z0-9+/]*={0,2}")


@dataclass(slots=True)
class _Line:
    number: int
    """Where the line starts in the file."""
    raw: bytearray
    quoted_printable: bool = False


@dataclass(slots=True)
class _Shaped:
    text: str
    numbers: list[int]
    """The file's line number of each line of `text`."""
    cards: list[int] = field(default_factory=list)
    """The file's line number of each top-level BEGIN:VCARD."""
    notes: list[tuple[int, str]] = field(default_factory=list)
    """What was dropped while shaping, by line number."""


def read_vcards(data: bytes, *, region: str | None = None) -> JournalData:
    """The contacts of a vCard file, as clients with their handles and a note each."""
    problems = Problems()
    shaped = _shape(data, problems)
    import vobject
    from vobject.base import ParseError, VObjectError

    try:
        cards = list(vobject.readComponents(shaped.text, validate=False))
    except ParseError as error:
        number = getattr(error, "lineNumber", None)
        line = shaped.numbers[min(int(number) - 1, len(shaped.numbers) - 1)] if number else None
        where = f"line {line}" if line else "the file"
        reason = str(getattr(error, "message", error))
        if "never closed" in reason:
            reason = "a card begun before here has no END:VCARD (is the file cut short?)"
        problems.add(where, reason.rstrip("."))
        problems.raise_any()
        raise AssertionError("unreachable") from None
    except (VObjectError, UnicodeError, ValueError, binascii.Error) as error:
        problems.add("the file", f"cannot be read as vCard ({error})")
        problems.raise_any()
        raise AssertionError("unreachable") from None
    problems.raise_any()
    contacts = Contacts(region=region, place="card")
    cards = [card for card in cards if card.name.upper() == "VCARD"]
    if not cards:
        raise InputError("the file holds no vCard (no BEGIN:VCARD ... END:VCARD)")
    now = datetime.now(UTC)
    unnamed = []
    for index, card in enumerate(cards):
        start = shaped.cards[index] if index < len(shaped.cards) else 1
        where = f"card {index + 1} (line {start})"
        if "version" not in card.contents:
            problems.add(where, "has no VERSION; a vCard says its version (2.1, 3.0 or 4.0)")
            continue
        name = _name(card)
        emails = [str(line.value) for line in card.contents.get("email", [])]
        if not name:
            if not emails:
                problems.add(where, "has no name (FN, N or ORG) and no email address")
                continue
            unnamed.append(where)
            name = emails[0].strip()
        nested = [c for c in card.getChildren() if getattr(c, "name", "").upper() == "VCARD"]
        if nested:
            contacts.note(where, f"{len(nested)} card(s) nested inside it were left out")
        phones = [str(line.value) for line in card.contents.get("tel", [])]
        contacts.add(
            where,
            ClientData(id=0, name=name, stage=Stage.LEAD, notes=_details(card), created_at=now),
            emails=emails,
            phones=phones,
        )
    problems.raise_any()
    for number, message in shaped.notes:
        card = sum(start <= number for start in shaped.cards)
        contacts.note(f"card {card} (line {number})", message)
    if unnamed and len(unnamed) == len(cards):
        raise InputError(
            "no card in the file has a name (FN, N or ORG); "
            "give each contact a name and export it again"
        )
    for where in unnamed:
        contacts.note(where, "has no name; it was taken under its email address")
    return contacts.journal()


def _shape(data: bytes, problems: Problems) -> _Shaped:
    """The file as text vobject reads, one property a line (see the module's docstring)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    lines: list[_Line] = []
    for number, physical in enumerate(_LINE_END.split(data), 1):
        last = lines[-1] if lines else None
        if last is not None and last.quoted_printable and last.raw.endswith(b"="):
            del last.raw[-1:]
            last.raw += physical  # a soft line break: the next line goes on, as it is
            continue
        if last is not None and physical[:1] in (b" ", b"\t"):
            last.raw += physical[1:]  # a folded line
            continue
        if not physical.strip() or physical.startswith(b"#"):
            continue
        head = physical.split(b":", 1)[0].upper()
        lines.append(_Line(number, bytearray(physical), b"QUOTED-PRINTABLE" in head))
    shaped = _Shaped("", [])
    texts: list[str] = []
    depth = 0
    for line in lines:
        text = _decoded(line, problems, shaped.notes)
        if text is None:
            continue
        upper = text.upper()
        if upper.startswith("BEGIN:VCARD"):
            if depth == 0:
                shaped.cards.append(line.number)
            depth += 1
        elif upper.startswith("END:VCARD"):
            depth = max(depth - 1, 0)
        texts.append(text)
        shaped.numbers.append(line.number)
    shaped.text = "\n".join(texts) + "\n"
    return shaped


def _decoded(line: _Line, problems: Problems, notes: list[tuple[int, str]]) -> str | None:
    """One property's line as text, or None when it is one relog drops."""
    raw = bytes(line.raw)
    match = _NAME.match(raw)
    name = match.group(1).decode("ascii").upper() if match else ""
    head, _, value = raw.partition(b":")
    params = head.upper().split(b";")[1:]
    if name == "PROFILE":
        return None
    if name in BINARY:
        if any(p in (b"ENCODING=B", b"ENCODING=BASE64", b"BASE64") for p in params):
            _check_base64(line, name, re.sub(rb"\s", b"", value), problems, notes)
        return None
    charset = next(
        (
            p.partition(b"=")[2].decode("ascii", "replace")
            for p in params
            if p.startswith(b"CHARSET=")
        ),
        None,
    )
    codec = charset_codec(charset) if charset else "utf-8"
    if line.quoted_printable:
        # Decoded here, not by vobject, which gives up on the whole file for one bad byte.
        text = quopri.decodestring(value).decode(codec, "replace")
        kept = [
            part
            for part in head.decode("ascii", "replace").split(";")
            if part.upper() not in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE")
            and not part.upper().startswith("CHARSET=")
        ]
        escaped = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        return ";".join(kept) + ":" + escaped
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return raw.decode("cp1252", "replace")


def _check_base64(
    line: _Line, name: str, value: bytes, problems: Problems, notes: list[tuple[int, str]]
) -> None:
    """A picture's data must be base64: other characters in it mean the card itself is
    broken (a problem); base64 cut short is a damaged picture, which relog drops anyway
    (a note)."""
    if not _BASE64.fullmatch(value):
        problems.add(f"line {line.number}", f"{name} holds characters that are not base64")
        return
    try:
        base64.b64decode(value, validate=True)
    except binascii.Error:
        notes.append((line.number, f"its {name} is cut short; it was left out"))


def _name(card: Any) -> str:
    """The card's name: FN, else its structured N, else its company."""
    for line in card.contents.get("fn", []):
        if str(line.value).strip():
            return " ".join(str(line.value).split())
    for line in card.contents.get("n", []):
        value = line.value
        parts = [
            _joined(getattr(value, part, ""))
            for part in ("prefix", "given", "additional", "family", "suffix")
        ]
        family, given = parts[3], parts[1]
        if family and _east_asian(family):
            return f"{family}{given}".strip()
        name = " ".join(part for part in parts if part)
        if name:
            return name
    for line in card.contents.get("org", []):
        company = _joined(line.value)
        if company:
            return company
    return ""


def _joined(value: Any) -> str:
    """A value's parts (a structured value's components, lists within lists) as one line;
    vCard 2.1's unsplit components, separated by ';', too."""
    if isinstance(value, list | tuple):
        parts = [_joined(part) for part in value]
        return " ".join(part for part in parts if part)
    return " ".join(str(value or "").replace(";", " ").split())


def _east_asian(text: str) -> bool:
    return any(unicodedata.east_asian_width(char) in "WF" for char in text)


def _details(card: Any) -> str:
    """A note of what the card says beyond its name, emails and phones."""
    lines = []
    for key, label in (("org", "Company"), ("title", "Title"), ("url", "Website")):
        for line in card.contents.get(key, []):
            text = _joined(line.value) if key == "org" else " ".join(str(line.value).split())
            if text:
                lines.append(f"{label}: {text}")
    for line in card.contents.get("adr", []):
        value = line.value
        parts = [
            _joined(getattr(value, part, ""))
            for part in ("box", "extended", "street", "city", "region", "code", "country")
        ]
        address = ", ".join(part for part in parts if part)
        if address:
            lines.append(f"Address: {address}")
    for line in card.contents.get("bday", []):
        text = str(line.value).strip()
        if text:
            lines.append(f"Birthday: {text}")
    for line in card.contents.get("note", []):
        text = str(line.value).strip()
        if text:
            lines.append(text)
    return "\n".join(lines)
