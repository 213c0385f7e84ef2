"""How to reach a client: their email addresses, phone numbers and company domain.

A handle is kept twice: its `value` as relog shows it, and its `key`, the one
spelling that two ways of writing the same handle share, which is what a
journal matches on and keeps unique (a handle belongs to one client).

- An email address is checked and normalised by `email-validator` (the
  domain lower-cased and in Unicode, as people write it); its key is the whole
  address case-folded, since mail providers ignore case.
- A phone number is read by `phonenumbers` (Google's libphonenumber data): a
  number with its country code (+972..., 00972...) or, with a home region
  (`contacts.region`, e.g. IL), a national one (054-...). Its key is the E.164
  form (+972541234567). A national number with no region to read it by keeps
  its digits as its key.
- A domain is a company's own internet name (acme.co.il): lower-cased, in
  Unicode for show and IDNA ASCII for its key. Public mail services
  (gmail.com...) name no company, so they are refused: the client's address
  goes in as an email instead.

Pure: parsing raises `InputError` with the option named, nothing is stored here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from relog.errors import InputError


class HandleKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    DOMAIN = "domain"


@dataclass(frozen=True, slots=True, order=True)
class Handle:
    """One way to reach a client, as shown (`value`) and as matched (`key`)."""

    kind: HandleKind
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class HandleData:
    """A handle as a journal document's row: whose, of which kind, as shown.

    `key` is not written out: it is worked out again from `value` when read.
    """

    id: int
    client_id: int
    kind: HandleKind
    value: str
    key: str = ""

    @property
    def handle(self) -> Handle:
        return Handle(self.kind, self.key, self.value)


MAX_HANDLE = 254
"""The longest handle accepted: the longest email address mail allows."""

PUBLIC_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "zoho.com",
        "yandex.com",
        "walla.co.il",
        "walla.com",
        "012.net.il",
        "013.net",
        "bezeqint.net",
        "netvision.net.il",
        "zahav.net.il",
        "inter.net.il",
    }
)
"""Public mail services: an address there says nothing of the company a person works for."""

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def parse_handle(kind: HandleKind, text: str, *, region: str | None = None) -> Handle:
    """`text` read as a handle of `kind`; `InputError` naming the option when it is not one."""
    text = text.strip()
    option = f"--{kind.value}"
    if not text:
        raise InputError(f"{option} is empty; give the {_WHAT[kind]}")
    if len(text) > MAX_HANDLE:
        raise InputError(f"{option}: at most {MAX_HANDLE} characters, not {len(text)}")
    if kind is HandleKind.EMAIL:
        return _email(text, option)
    if kind is HandleKind.PHONE:
        return _phone(text, option, region)
    return _domain(text, option)


_WHAT = {
    HandleKind.EMAIL: "the address, e.g. dana@levi.co.il",
    HandleKind.PHONE: "the number, e.g. +972 54 123 4567",
    HandleKind.DOMAIN: "the company's domain, e.g. levi.co.il",
}


def _email(text: str, option: str) -> Handle:
    from email_validator import EmailNotValidError, validate_email

    address = text.removeprefix("mailto:").strip("<>")
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise InputError(f"{option}: {text!r} is not an email address ({error})") from None
    return Handle(HandleKind.EMAIL, checked.normalized.casefold(), checked.normalized)


def _phone(text: str, option: str, region: str | None) -> Handle:
    import phonenumbers

    number = text.removeprefix("tel:")
    if not re.search(r"\d", number) or re.search(r"[^\d\s()+./\-x#*]", number, re.IGNORECASE):
        raise InputError(
            f"{option}: {text!r} is not a phone number; give {_WHAT[HandleKind.PHONE]}"
        )
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+") and region is None:
        digits = re.sub(r"\D", "", number)
        return Handle(HandleKind.PHONE, digits, " ".join(number.split()))
    wrong_length = f"{option}: {text!r} has too few or too many digits for a phone number"
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as error:
        reason = phonenumbers.NumberParseException
        if error.error_type in (reason.TOO_SHORT_NSN, reason.TOO_SHORT_AFTER_IDD, reason.TOO_LONG):
            raise InputError(wrong_length) from None
        raise InputError(
            f"{option}: {text!r} is not a phone number; give {_WHAT[HandleKind.PHONE]}"
        ) from None
    if not phonenumbers.is_possible_number(parsed):
        raise InputError(
            wrong_length
            + ("" if text.lstrip().startswith(("+", "00")) else " (start it with its country code)")
        )
    key = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    shown = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return Handle(HandleKind.PHONE, key, shown)


def _domain(text: str, option: str) -> Handle:
    import idna

    name = _SCHEME.sub("", text).split("/", 1)[0].split("@")[-1].rstrip(".").casefold()
    name = name.removeprefix("www.")
    try:
        ascii_name = idna.encode(name, uts46=True).decode("ascii")
        shown = idna.decode(ascii_name)
    except (idna.IDNAError, UnicodeError):
        raise InputError(
            f"{option}: {text!r} is not a domain; give {_WHAT[HandleKind.DOMAIN]}"
        ) from None
    if "." not in ascii_name:
        raise InputError(f"{option}: {text!r} is not a domain; give {_WHAT[HandleKind.DOMAIN]}")
    if ascii_name in PUBLIC_MAIL:
        raise InputError(
            f"{option}: {shown} is a public mail service, not a company's domain; "
            "give the client's address with --email instead"
        )
    return Handle(HandleKind.DOMAIN, ascii_name, shown)


def describe(handles: tuple[Handle, ...] | list[Handle]) -> dict[HandleKind, list[str]]:
    """The handles' values by kind, each kind in the order given."""
    found: dict[HandleKind, list[str]] = {kind: [] for kind in HandleKind}
    for handle in handles:
        found[handle.kind].append(handle.value)
    return found
