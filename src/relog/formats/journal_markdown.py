"""The journal as Markdown: a readable timeline per client.

Each client is a section: the name, stage and how the relationship began,
the notes, then the entries oldest first (newest last) and the bills. Moments
are local time, as relog shows them on screen; text the user wrote is escaped
so that it reads as typed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from relog.domain import BillData, ClientData, InteractionData
    from relog.handles import HandleData
    from relog.transfer import JournalData

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escaped(text: str) -> str:
    """`text` with Markdown's punctuation escaped and its lines joined, to read as typed."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def entry_line(entry: InteractionData) -> str:
    parts = [entry.kind.value]
    if entry.kind.value != "note":
        parts += [f"by {entry.by.value}", entry.outcome.value]
    for flag in ("agreed", "think", "initiative", "delegated", "late", "expectations"):
        if getattr(entry, flag):
            parts.append(flag)
    if entry.disagreement is not None:
        parts.append(f"disagreement {entry.disagreement.value}")
    for label, items in (("asked", entry.asked), ("gave", entry.gave)):
        if items:
            parts.append(f"{label} {', '.join(sorted(items))}")
    if entry.minutes is not None:
        parts.append(f"{entry.minutes} min")
    if entry.next_at is not None:
        parts.append(f"next {_when(entry.next_at)}")
    summary = f": {escaped(entry.summary)}" if entry.summary else ""
    return f"- {_when(entry.at)} {', '.join(parts)}{summary}"


def bill_line(bill: BillData) -> str:
    note = f": {escaped(bill.note)}" if bill.note else ""
    return f"- {_when(bill.at)} {bill.amount // 100:,}.{bill.amount % 100:02d}{note}"


def client_section(
    client: ClientData,
    entries: list[InteractionData],
    bills: list[BillData],
    handles: Sequence[HandleData] = (),
) -> list[str]:
    lines = [f"## {escaped(client.name)}", "", f"Stage: {client.stage.value}"]
    if client.source is not None:
        referred = f" by {escaped(client.referred_by)}" if client.referred_by else ""
        lines[-1] += f"; source: {client.source.value}{referred}"
    for kind in ("email", "phone", "domain"):
        values = [escaped(h.value) for h in handles if h.kind.value == kind]
        if values:
            lines.append(f"{kind.capitalize()}: {', '.join(values)}")
    if client.notes:
        lines += ["", *(f"> {escaped(line)}" for line in client.notes.splitlines())]
    lines += ["", "### Entries", ""]
    lines += [entry_line(e) for e in entries] or ["(none)"]
    if bills:
        lines += ["", "### Bills", "", *(bill_line(b) for b in bills)]
    return [*lines, ""]


def write_journal(data: JournalData) -> bytes:
    entries: defaultdict[int, list[InteractionData]] = defaultdict(list)
    for entry in sorted(data.interactions, key=lambda e: (e.at, e.id)):
        entries[entry.client_id].append(entry)
    bills: defaultdict[int, list[BillData]] = defaultdict(list)
    for bill in sorted(data.bills, key=lambda b: (b.at, b.id)):
        bills[bill.client_id].append(bill)
    handles: defaultdict[int, list[HandleData]] = defaultdict(list)
    for handle in data.handles:
        handles[handle.client_id].append(handle)
    lines = ["# relog journal", ""]
    for client in sorted(data.clients, key=lambda c: (c.name.casefold(), c.id)):
        lines += client_section(client, entries[client.id], bills[client.id], handles[client.id])
    return "\n".join(lines).rstrip("\n").encode("utf-8") + b"\n"
