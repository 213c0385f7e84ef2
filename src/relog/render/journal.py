"""Text views of clients and the timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from relog.domain import By, ClientData, InteractionData, Outcome
from relog.render.console import out
from relog.render.lines import LineWriter, Segment, pad, widths

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from relog.schema import ClientDetail

STAGE_STYLE = {
    "lead": "cyan",
    "prospect": "blue",
    "active": "green",
    "paused": "yellow",
    "former": "dim",
}


def when(moment: datetime | None) -> str:
    """A moment in the user's local time, to the minute."""
    return "-" if moment is None else moment.astimezone().isoformat(" ", "minutes")[:16]


def day(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone():%Y-%m-%d}"


def _every(days: int | None) -> str:
    if not days:
        return "-"
    return "every day" if days == 1 else f"every {days} days"


CLIENT_COLUMNS = ("name", "stage", "source", "cadence", "channel")


def show_clients(clients: Sequence[ClientData]) -> None:
    """One aligned line per client, written as it is made (see `render.lines`)."""
    console = out()
    if not clients:
        console.print('No clients yet. Add one with: relog client add "Dana Levi"')
        return
    rows = [
        (
            client.name,
            client.stage.value,
            client.source.value if client.source else "-",
            f"{client.cadence_days}d" if client.cadence_days else "-",
            client.channel.value if client.channel else "-",
        )
        for client in clients
    ]
    name, stage, source, cadence, _ = widths(rows, CLIENT_COLUMNS)
    with LineWriter(console) as lines:
        header = (pad("name", name), pad("stage", stage), pad("source", source))
        lines.line([(" ".join((*header, pad("cadence", cadence), "channel")), "bold")])
        for row in rows:
            lines.line(
                [
                    (pad(row[0], name) + " ", ""),
                    (pad(row[1], stage), STAGE_STYLE[row[1]]),
                    (f" {pad(row[2], source)} {pad(row[3], cadence, right=True)} {row[4]}", ""),
                ]
            )


def _began(detail: ClientDetail) -> datetime | None:
    """When the relationship began: when they were added, or their first entry if earlier."""
    starts = [moment for moment in (detail.created_at, detail.first_contact) if moment]
    return min(starts, default=None)


def show_client(detail: ClientDetail) -> None:
    console = out()
    console.print(
        Text(detail.name, style="bold"),
        Text(f"  [{detail.stage.value}]", style=STAGE_STYLE[detail.stage.value]),
    )
    rows: list[tuple[str, str]] = [
        ("source", detail.source.value if detail.source else "-"),
        ("referred by", detail.referred_by or "-"),
        ("cadence", _every(detail.cadence_days)),
        ("channel", detail.channel.value if detail.channel else "-"),
        ("since", day(_began(detail))),
        ("interactions", str(detail.interactions)),
        ("last contact", when(detail.last_contact)),
        ("last two-way", when(detail.last_two_way)),
    ]
    if detail.ended_at:
        rows.append(("ended", f"{day(detail.ended_at)}: {detail.end_reason or ''}"))
    if detail.notes:
        rows.append(("notes", detail.notes))
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="dim")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, Text(value))
    console.print(table)
    if detail.open_requests:
        console.print("[bold]Open requests[/]")
        for request in detail.open_requests:
            console.print(
                f"  {escape(request.item.value)}, "
                f"asked {day(request.asked_at)} (#{request.asked_id})"
            )


def interaction_line(entry: InteractionData, client: str) -> Text:
    """One entry as a readable line: id, when, what, who, how it went, and the details."""
    return Text.assemble(*interaction_segments(entry, client))


def interaction_segments(entry: InteractionData, client: str) -> list[Segment]:
    """The pieces of `interaction_line`, each with its style."""
    arrow = "→" if entry.by is By.ME else "←"
    line: list[Segment] = [
        (f"#{entry.id:<4} ", "dim"),
        (f"{when(entry.at)}  ", ""),
        (f"{entry.kind.value:<7}", "bold"),
        (f" {arrow} ", ""),
        (client, "cyan"),
    ]
    if entry.outcome is not Outcome.REACHED:
        line.append((f"  {entry.outcome.value}", "red"))
    tags = []
    if entry.agreed:
        tags.append("agreed")
    if entry.think:
        tags.append("thinking it over")
    if entry.asked:
        tags.append("asked " + ",".join(sorted(entry.asked)))
    if entry.gave:
        tags.append("gave " + ",".join(sorted(entry.gave)))
    if entry.disagreement:
        tags.append(f"disagreement: {entry.disagreement.value}")
    if entry.expectations:
        tags.append("expectations set")
    if entry.initiative:
        tags.append("initiative")
    if entry.delegated:
        tags.append("handed to an assistant")
    if entry.late:
        tags.append("late")
    if entry.minutes is not None:
        tags.append(f"{entry.minutes} min")
    if entry.next_at:
        tags.append(f"next {when(entry.next_at)}")
    if tags:
        line.append(("  " + "; ".join(tags), "yellow"))
    if entry.summary:
        line.append((f"  {entry.summary}", "italic"))
    return line


def show_timeline(
    entries: Iterable[tuple[InteractionData, str]], *, filtered: bool = False
) -> None:
    """Each (entry, client name) as one line, written as it arrives from the journal.

    One line per entry whatever the width, so `relog log | grep` sees whole entries.
    """
    console = out()
    rows = iter(entries)
    first = next(rows, None)
    if first is None:
        console.print(
            "No entries match."
            if filtered
            else 'Nothing logged yet. Log a contact with: relog add call "Dana Levi"'
        )
        return
    with LineWriter(console) as lines:
        lines.line(interaction_segments(*first))
        for entry, name in rows:
            lines.line(interaction_segments(entry, name))
