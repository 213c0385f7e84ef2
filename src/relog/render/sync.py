"""What `relog sync` says it did: per client, then what it left out and why."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from relog.render.console import err, out
from relog.sync import Change

if TYPE_CHECKING:
    from collections.abc import Mapping

    from relog.sync import SyncReport

STRANGERS = 5
"""How many of the people with no client are named, the most written with first."""

SHOWN = (Change.ADDED, Change.LINKED, Change.UPDATED, Change.REMOVED)


def sync_lines(report: SyncReport, names: Mapping[int, str], what: str) -> list[str]:
    verb = "would be" if report.dry_run else "was"
    head = f"Dry run: nothing was written. Syncing {what}:" if report.dry_run else f"Synced {what}:"
    lines = [head]
    rows = sorted(report.changes.items(), key=lambda item: names.get(item[0], "").casefold())
    for client_id, counts in rows:
        done = [f"{counts[c]} {c.value}" for c in SHOWN if counts[c]]
        if done:
            lines.append(f"  {names.get(client_id, client_id)}: {', '.join(done)}")
    totals = ", ".join(f"{report.total(c)} {c.value}" for c in SHOWN)
    lines.append(f"In all: {totals}; {report.total(Change.KNOWN)} already in the journal.")
    if not report.changes:
        lines[-1] = f"Nothing new {verb} logged ({report.read} read)."
    if report.skipped:
        reasons = ", ".join(f"{n} {why}" for why, n in report.skipped.most_common())
        lines.append(f"Skipped {sum(report.skipped.values())}: {reasons}.")
    for address, count in report.strangers.most_common(STRANGERS):
        plural = "message" if count == 1 else "messages"
        if what == "calendars":
            plural = "event" if count == 1 else "events"
        name = report.stranger_names.get(address)
        lines.append(f"  {count} {plural} with {address}, not a client:")
        lines.append(
            f"    relog client add {shlex.quote(name) if name else 'NAME'} --email {address}"
        )
    return lines


def show_sync(report: SyncReport, names: Mapping[int, str], what: str) -> None:
    console = out()
    for line in sync_lines(report, names, what):
        console.print(line, markup=False, soft_wrap=True, emoji=False, highlight=False)


def show_problems(report: SyncReport) -> None:
    """Each file, message or event that could not be synced, on stderr, one line each."""
    if not report.problems and not report.notes:
        return
    console = err()
    for note in report.notes:
        console.print(
            f"relog: note: {note.where}: {note.what}", markup=False, soft_wrap=True, emoji=False
        )
    for problem in report.problems:
        console.print(
            f"relog: skipped: {problem.where}: {problem.what}",
            markup=False,
            soft_wrap=True,
            emoji=False,
        )
