"""Mail messages and mbox files: bytes in, the facts a journal entry needs out.

Pure: nothing here opens a file. `read_message` takes one message's bytes (as
a Maildir file, an `.eml` or one message of an mbox holds them) and returns a
`Mail`, or raises `BadMessage` saying what is wrong with it. `split_mbox` finds
the messages of an mbox itself, since the standard library's `mailbox.mbox`
loses the first message of a file that starts with a byte-order mark.

Python's `email` package (policy.default) does the parsing; the headers read
for plain facts (addresses, Date, Message-ID, content type) are taken as written
(`_raw`), since its structured headers parse slowly. Two things are checked here
because it lets them pass: names of Hebrew character sets that
Python does not know (`iso-8859-8-i`, `iso-8859-8-e`, mapped to ISO-8859-8),
and a multipart message whose closing boundary never comes (a truncated file).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import HeaderRegistry
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from email.message import EmailMessage

CHARSET_ALIASES = {
    "iso_8859_8_i": "iso8859_8",
    "iso_8859_8_e": "iso8859_8",
    "iso8859_8_i": "iso8859_8",
    "iso8859_8_e": "iso8859_8",
    "iso_8859_6_i": "iso8859_6",
    "iso_8859_6_e": "iso8859_6",
}
"""Character sets that mail names but Python's codecs do not: the logical and explicit
ordering forms of ISO-8859-8 (Hebrew) and ISO-8859-6 are the same bytes."""


def _alias(name: str) -> codecs.CodecInfo | None:
    target = CHARSET_ALIASES.get(name.replace("-", "_").casefold())
    return codecs.lookup(target) if target else None


codecs.register(_alias)


class _Headers(HeaderRegistry):
    """The standard header registry, making each header's class once.

    `HeaderRegistry` makes a new class for every header it reads; over a
    mailbox of tens of thousands of messages that was a sizeable part of a sync.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(key)
        return made


_PARSER = BytesParser(policy=policy.default.clone(header_factory=_Headers()))
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
TIME_FROM = re.compile(rb";\s*([^;]+?)\s*$")


class BadMessage(Exception):
    """A message that cannot be logged; the text says what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Mail:
    """The parts of a message a journal entry is made from.

    Addresses are as written, lower-cased (`sender` is None when the From
    header names nobody). `at` is the Date in UTC, or when the Date cannot be
    read, the time the message was received (`date_note` says so). `bulk` is
    why it is mailing-list or automatic mail, if it is.
    """

    key: str
    at: datetime
    sender: str | None
    recipients: tuple[str, ...]
    subject: str
    bulk: str | None = None
    body: str | None = None
    date_note: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    """The display name written beside an address, where there is one (decoded)."""


def read_message(
    data: bytes,
    *,
    with_body: bool = False,
    received: datetime | None = None,
    whole_file: bool = True,
) -> Mail:
    """The message in `data`; `received` is when it arrived, if the caller knows (a
    Maildir file's time), used when the Date cannot be read; `whole_file` is False
    for a message of an mbox."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    if data.startswith(b"From "):  # an mbox envelope line before the headers
        envelope, _, data = data.partition(b"\n")
        received = received or _envelope_time(envelope)
    data = data.lstrip(b" \t\r\n")  # blank lines before the first header (iPhone Mail)
    if not data:
        raise BadMessage("the file is empty")
    if not _HEADER.match(data):
        raise BadMessage("it has no header block (it does not start with a header such as From:)")
    try:
        message: EmailMessage = _PARSER.parsebytes(data, headersonly=not with_body)
    except Exception as error:  # the parser's own errors, whatever their type
        raise BadMessage(f"it cannot be read as a message ({type(error).__name__})") from None
    names: dict[str, str] = {}
    sender = _addresses(message, "from", names=names)
    recipients = _addresses(message, "to", "cc", "bcc", names=names)
    if not sender and not recipients:
        raise BadMessage("it names no sender and no recipient (no From, To or Cc address)")
    if whole_file:
        _check_complete(message, data)
    at, note = _moment(message, received)
    subject = " ".join(_header(message, "subject").split())
    return Mail(
        key=_key(message, data),
        at=at,
        sender=sender[0] if sender else None,
        recipients=tuple(dict.fromkeys(recipients)),
        subject=subject,
        bulk=_bulk(message),
        body=_body(message) if with_body else None,
        date_note=note,
        names=names,
    )


_HEADER = re.compile(rb"[!-9;-~]+:")
"""A header line's start: a field name of printable characters but ':', then ':'."""


def _header(message: EmailMessage, name: str) -> str:
    values = _all(message, name)
    return values[0] if values else ""


def _all(message: EmailMessage, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name, [])]
    except Exception:  # a header the parser chokes on is read as its raw text
        return [
            value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
            for key, value in message.raw_items()
            if key.casefold() == name
        ]


def _raw(message: EmailMessage, *names: str) -> list[str]:
    """The values of these headers as written, unfolded but not decoded (raw UTF-8,
    RFC 6532, is read as such).

    For the headers read here for what they hold in plain text (addresses, the
    Date, the Message-ID, the content type): the parser's structured headers
    would parse each one again, and an address header so parsed costs more
    than all the rest of reading a message. An encoded display name (RFC 2047)
    never hides an address.
    """
    return [
        _FOLDS.sub("", _eight_bit(str(value)))
        for key, value in message.raw_items()
        if key.casefold() in names
    ]


def _eight_bit(value: str) -> str:
    """A raw header's bytes beyond ASCII (held as surrogates) read as UTF-8 (RFC 6532)."""
    if value.isascii():
        return value
    return value.encode("ascii", "surrogateescape").decode("utf-8", "replace")


_FOLDS = re.compile(r"[\r\n]")
"""Line breaks of a folded header, which unfolding removes (as the parser does)."""


def _addresses(message: EmailMessage, *headers: str, names: dict[str, str]) -> list[str]:
    """The addresses in these headers, lower-cased; each one's display name, if it has
    one, goes into `names`."""
    raw = _raw(message, *headers)
    found = []
    for name, address in getaddresses(raw):
        address = address.strip().strip("<>").casefold()
        local, at, domain = address.partition("@")
        if local and at and domain and "@" not in domain and " " not in address:
            found.append(address)
            shown = _display_name(name)
            if shown:
                names.setdefault(address, shown)
    if not found and raw:  # "a@x.com b@y.com": addresses apart with no comma
        found = [
            word.strip("<>,;").casefold()
            for value in raw
            for word in value.split()
            if "@" in word and word.strip("<>,;").count("@") == 1
        ]
    return found


def _display_name(name: str) -> str:
    """A display name as a person reads it: encoded words (RFC 2047) decoded, spaces
    made single; empty when it is only an address, which names nobody."""
    if "=?" in name:
        try:
            name = str(make_header(decode_header(name)))
        except (ValueError, LookupError, UnicodeError):
            pass  # kept as written
    name = " ".join(name.split())
    return "" if "@" in name else name


def _check_complete(message: EmailMessage, data: bytes) -> None:
    """Refuse a message file cut short: a multipart message whose closing boundary
    never comes. (In an mbox the next message's "From " line ends a message, so
    `read_message` checks this for whole files only.)"""
    raw = _raw(message, "content-type")
    if not raw or not MULTIPART.match(raw[0]):
        return
    found = BOUNDARY.search(raw[0])
    if found and b"--" + found.group(1).strip().encode("utf-8", "replace") + b"--" not in data:
        raise BadMessage(
            "it is cut short: its last part never ends (the closing MIME boundary is missing)"
        )


BOUNDARY = re.compile(r'boundary\s*=\s*"?([^";\s]+)"?', re.IGNORECASE)
MULTIPART = re.compile(r"\s*multipart\s*/", re.IGNORECASE)
"""A content type of the multipart kind, as the parser reads the first Content-Type."""


def _moment(message: EmailMessage, received: datetime | None) -> tuple[datetime, str | None]:
    """The Date in UTC; else when it was received (Received header, envelope, file)."""
    dates = _raw(message, "date")
    text = dates[0].strip() if dates else ""
    problem = "it has no Date" if not text else f"its Date {text!r} cannot be read"
    moment = _parse_date(text) if text else None
    if moment is not None and moment.year > datetime.now(UTC).year + 1:
        moment, problem = None, f"its Date {text!r} is in the far future"
    if moment is not None:
        return moment, None
    for value in message.get_all("received", []):
        found = TIME_FROM.search(str(value).encode("utf-8", "replace"))
        stamp = _parse_date(found.group(1).decode("ascii", "replace")) if found else None
        if stamp is not None:
            return stamp, f"{problem}; the time it was received is used"
    if received is not None:
        return received.astimezone(UTC), f"{problem}; the time it was received is used"
    raise BadMessage(f"{problem}, and no time it was received is known")


def _parse_date(text: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:  # "-0000": the time is in UTC, the zone unknown
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _envelope_time(line: bytes) -> datetime | None:
    """The time on an mbox "From sender Mon Jan  1 10:00:00 2024" line, read as UTC."""
    parts = line.decode("ascii", "replace").split()
    if len(parts) < 7:
        return None
    try:
        moment = datetime.strptime(" ".join(parts[-5:]), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC)


def _key(message: EmailMessage, data: bytes) -> str:
    """The message's Message-ID, or for a message without one a digest of its headers."""
    ids = _raw(message, "message-id")
    found = re.search(r"<([^<>\s]+)>", ids[0]) if ids else None
    if found:
        return f"mail:{found.group(1)}"
    head = data.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    return "mail-digest:" + hashlib.sha256(head).hexdigest()[:32]


def _bulk(message: EmailMessage) -> str | None:
    if message.get("list-id") is not None:
        return "mailing list (List-Id)"
    precedence = _header(message, "precedence").strip().casefold()
    if precedence in BULK_PRECEDENCE:
        return f"bulk mail (Precedence: {precedence})"
    automatic = _header(message, "auto-submitted").strip().casefold()
    if automatic and automatic.split(";")[0].strip() != "no":
        return f"automatic mail (Auto-Submitted: {automatic.split(';')[0].strip()})"
    return None


def _body(message: EmailMessage) -> str | None:
    """The plain-text part, if the message has one."""
    try:
        part = message.get_body(preferencelist=("plain",))
        if part is None:
            return None
        text = part.get_content()
    except (LookupError, ValueError, KeyError, AttributeError):
        return None
    return text.strip() if isinstance(text, str) else None


MBOX_SEPARATOR = re.compile(rb"^From (?:-|\S+)(?P<rest>[^\r\n]*)\r?\n", re.MULTILINE)
ENVELOPE_TIME = re.compile(rb"\d\d:\d\d|\d{4}")


def split_mbox(data: bytes, start: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """Each message of an mbox from byte `start` on, as (offset, end, bytes).

    A message starts at a "From " line (a "From -" line, or "From " with a sender and
    a time) followed by a header.
    A "From Russia with love" line in a body (mboxo files do not quote them) stays
    part of its message. `start` must be the offset of a message, or the file's length.
    """
    if start == 0 and data.startswith(b"\xef\xbb\xbf"):
        start = 3
    offsets = [start] if data.startswith(b"From ", start) else []
    for found in MBOX_SEPARATOR.finditer(data, start + 1):
        at = found.start()
        rest = found.group("rest").strip()
        if rest and not rest.startswith(b"-") and not ENVELOPE_TIME.search(rest):
            continue
        if _HEADER.match(data, found.end()):
            offsets.append(at)
    if not offsets and data[start:].strip():
        offsets = [start]
    for begin, end in zip(offsets, [*offsets[1:], len(data)], strict=True):
        yield begin, end, data[begin:end]


def looks_like_mbox(head: bytes) -> bool:
    """Whether a file's first bytes begin an mbox (a "From " line, then headers)."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"From "):
        return False
    rest = head.partition(b"\n")[2]
    return bool(_HEADER.match(rest))


def looks_like_message(head: bytes) -> bool:
    """Whether a file's first bytes begin a mail message (a header line)."""
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    return bool(_HEADER.match(head)) and b":" in head.split(b"\n", 1)[0]
