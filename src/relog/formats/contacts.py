"""What the contact formats (vCard, CSV) share: turning a list of people into clients.

A contact file is a list of people with names, addresses and numbers, not a
journal: each becomes a client (a lead) with its handles. Two entries of one
name are one client with the handles of both; a handle two entries share stays
with the first; a handle relog cannot read is left out. Each of these is said
in the import's report (`JournalData.notes`), never silently.
"""

from __future__ import annotations

import codecs
from dataclasses import replace
from typing import TYPE_CHECKING

from relog.domain import name_key
from relog.errors import InputError
from relog.handles import HandleData, HandleKind, parse_handle
from relog.transfer import JournalData, tidy_name

if TYPE_CHECKING:
    from collections.abc import Iterable

    from relog.domain import ClientData

CHARSET_ALIASES = {
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-8-e": "iso-8859-8",
    "iso_8859-8-i": "iso-8859-8",
    "visual": "iso-8859-8",
    "x-mac-hebrew": "cp1255",
    "windows-1255": "cp1255",
}
"""Charset names real files use that Python's codecs do not know (Hebrew's logical and
explicit ISO 8859-8 variants are the same bytes as ISO 8859-8)."""

MAX_NOTES = 50
"""How many notes a report lists before it says how many more there are."""


def charset_codec(name: str) -> str:
    """The Python codec for a charset a file names; utf-8 for a name no codec knows."""
    wanted = name.strip().strip('"').casefold()
    wanted = CHARSET_ALIASES.get(wanted, wanted)
    try:
        return codecs.lookup(wanted).name
    except LookupError:
        return "utf-8"


class Contacts:
    """The clients and handles of a contact file, gathered entry by entry."""

    def __init__(self, *, region: str | None, place: str) -> None:
        self.region = region
        self.place = place
        self.clients: list[ClientData] = []
        self.handles: list[HandleData] = []
        self.notes: list[str] = []
        self.more_notes = 0
        self._by_name: dict[str, tuple[int, str]] = {}
        self._spoken: dict[int, frozenset[str]] = {}
        self._owners: dict[tuple[str, str], tuple[int, str]] = {}

    def note(self, where: str, message: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(f"{where}: {message}")
        else:
            self.more_notes += 1

    def add(
        self,
        where: str,
        client: ClientData,
        *,
        emails: Iterable[str] = (),
        phones: Iterable[str] = (),
        domains: Iterable[str] = (),
        spoken: frozenset[str] = frozenset({"name"}),
    ) -> None:
        """Add one entry of the file: a new client, or more handles for one of the same name.

        `spoken` are the client's fields the entry gives (the others are defaults): a
        client of the journal by that name is compared on these only."""
        name = tidy_name(client.name)
        key = name_key(name)
        known = self._by_name.get(key)
        if known is None:
            client_id = len(self.clients) + 1
            self.clients.append(replace(client, id=client_id, name=name))
            self._by_name[key] = (client_id, where)
            self._spoken[client_id] = spoken
        else:
            client_id, first = known
            self.note(where, f"{name} is also {first}; the two were put together")
        given = (
            (HandleKind.EMAIL, emails),
            (HandleKind.PHONE, phones),
            (HandleKind.DOMAIN, domains),
        )
        for kind, texts in given:
            for text in texts:
                self._handle(where, client_id, kind, text, name)

    def _handle(self, where: str, client_id: int, kind: HandleKind, text: str, name: str) -> None:
        if not text.strip():
            return
        try:
            handle = parse_handle(kind, text, region=self.region)
        except InputError as error:
            reason = str(error).removeprefix(f"--{kind.value}: ").removeprefix(f"--{kind.value} ")
            self.note(where, f"{kind.value} left out: {reason}")
            return
        owner = self._owners.get((kind.value, handle.key))
        if owner is None:
            self._owners[kind.value, handle.key] = (client_id, where)
            number = len(self.handles) + 1
            self.handles.append(HandleData(number, client_id, kind, handle.value, handle.key))
        elif owner[0] != client_id:
            self.note(
                where, f"{kind.value} {handle.value} is also {owner[1]}'s; it was left with them"
            )

    def journal(self) -> JournalData:
        notes = list(self.notes)
        if self.more_notes:
            notes.append(f"and {self.more_notes} more notes")
        return JournalData(
            clients=tuple(self.clients),
            handles=tuple(self.handles),
            notes=tuple(notes),
            client_fields=self._spoken,
        )
