"""What `relog import` says it did: per table, what was added, skipped and in conflict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relog.render.console import out

if TYPE_CHECKING:
    from pathlib import Path

    from relog.transfer import ImportReport

SHOWN = 40
"""How many characters of a conflicting value are shown (--json has them whole)."""


def _value(value: Any) -> str:
    text = "none" if value is None else getattr(value, "value", str(value))
    text = " ".join(str(text).split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def import_lines(report: ImportReport, file: Path) -> list[str]:
    head = (
        f"Dry run: nothing was written. Importing {file.name} would give:"
        if report.dry_run
        else f"Imported {file.name}:"
    )
    lines = [head]
    for table, tally in report.tallies.items():
        if table != "clients" and not (tally.added or tally.skipped or tally.conflicting):
            continue  # nothing of the kind in the file (a contacts file holds no entries)
        skipped = "matched by name" if table == "clients" else "already there"
        line = f"  {table:<13} {tally.added:>7} added, {tally.skipped:>7} {skipped}"
        if tally.conflicting:
            line += f", {tally.conflicting} with conflicting fields"
        lines.append(line)
    if report.conflicts:
        lines.append("Conflicting client fields, kept as the journal has them:")
        lines += [
            f"  {c.client}: {c.field} (journal: {_value(c.journal)}; file: {_value(c.file)})"
            for c in report.conflicts
        ]
    if report.notes:
        lines.append("Left out or put together while reading the file:")
        lines += [f"  {note}" for note in report.notes]
    return lines


def show_import(report: ImportReport, file: Path) -> None:
    console = out()
    for line in import_lines(report, file):
        console.print(line, markup=False, soft_wrap=True, emoji=False)
