"""Syncing mail and calendars into the journal: who is who, and what a sync found.

The adapters in relog.formats read messages and calendars; `relog.sync.mail`
and `relog.sync.calendar` walk the sources on disk and turn what they read into
`Contact`s with the `Directory` here; the store writes them
(`relog.store.sync`), each batch in one transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from relog.handles import HandleKind

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from relog.domain import InteractionData
    from relog.handles import Handle

LINK_HOURS = 12
"""How close in time an entry logged by hand must be to a synced contact to be the same."""


class Change(StrEnum):
    """What a sync did (or, with --dry-run, would do) with one contact of one client."""

    ADDED = "added"
    LINKED = "linked"
    UPDATED = "updated"
    REMOVED = "removed"
    KNOWN = "known"


@dataclass(frozen=True, slots=True)
class Contact:
    """One journal entry a message or event stands for, with one client.

    `key` is the message's Message-ID or the event's UID (with the occurrence's
    RECURRENCE-ID); `series` is the event's UID for all its occurrences (the key
    itself for mail). `entry` has no id yet.
    """

    key: str
    series: str
    entry: InteractionData


@dataclass(frozen=True, slots=True)
class Gone:
    """A calendar event that is cancelled or that you declined: not logged, and removed
    from the journal if an earlier sync logged it."""

    key: str
    series: str


@dataclass(frozen=True, slots=True)
class Problem:
    """A file, or a message or event in it, that could not be synced, and why."""

    where: str
    what: str


@dataclass(slots=True)
class SyncReport:
    """What a sync did, per client, and what it left out and why."""

    dry_run: bool = False
    changes: dict[int, Counter[Change]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    strangers: Counter[str] = field(default_factory=Counter)
    stranger_names: dict[str, str] = field(default_factory=dict)
    """The first display name seen with a stranger's address, where there was one."""
    notes: list[Problem] = field(default_factory=list)
    """Things read with a fallback (a Date that could not be read), to tell the user."""
    read: int = 0
    """Messages or events read."""

    def stranger(self, address: str, name: str | None) -> None:
        """One more message or event with `address`, who is no client (`name`: as shown)."""
        self.strangers[address] += 1
        if name:
            self.stranger_names.setdefault(address, name)

    def count(self, client_id: int, change: Change) -> None:
        self.changes.setdefault(client_id, Counter())[change] += 1

    def total(self, change: Change) -> int:
        return sum(counter[change] for counter in self.changes.values())


def address_domain(address: str) -> str:
    return address.rpartition("@")[2].rstrip(".")


class Directory:
    """Who an address is: you, a client (by exact address, then by company domain), or
    someone never to be logged. Display names are never read."""

    def __init__(
        self,
        handles: Mapping[int, Iterable[Handle]],
        me: Iterable[str],
        ignore: Iterable[str] = (),
    ) -> None:
        self.emails: dict[str, int] = {}
        self.domains: dict[str, int] = {}
        for client_id, owned in handles.items():
            for handle in owned:
                if handle.kind is HandleKind.EMAIL:
                    self.emails[handle.key] = client_id
                elif handle.kind is HandleKind.DOMAIN:
                    self.domains[handle.key] = client_id
        self.me = frozenset(address.casefold() for address in me)
        ignored = [entry.casefold() for entry in ignore]
        self.ignored_addresses = frozenset(entry for entry in ignored if "@" in entry)
        self.ignored_domains = frozenset(entry for entry in ignored if "@" not in entry)

    def fingerprint(self) -> str:
        """What the matching depends on: when it changes, sources are read again in full."""
        import hashlib

        parts = [
            *sorted(f"e {k} {v}" for k, v in self.emails.items()),
            *sorted(f"d {k} {v}" for k, v in self.domains.items()),
            *sorted(f"m {a}" for a in self.me),
            *sorted(f"i {a}" for a in self.ignored_addresses | self.ignored_domains),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]

    def is_me(self, address: str) -> bool:
        return address in self.me

    def ignored(self, address: str) -> bool:
        if address in self.ignored_addresses:
            return True
        return any(part in self.ignored_domains for part in _domains(address_domain(address)))

    def client_of(self, address: str) -> int | None:
        """The client an address belongs to: their own address, else their company domain
        (or a parent of it: mail.acme.co.il is acme.co.il's)."""
        found = self.emails.get(address)
        if found is not None:
            return found
        for domain in _domains(_ascii_domain(address_domain(address))):
            found = self.domains.get(domain)
            if found is not None:
                return found
        return None


def _domains(domain: str) -> list[str]:
    """A domain and its parents down to two labels: a.b.acme.co.il, ..., acme.co.il, co.il."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def _ascii_domain(domain: str) -> str:
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain
