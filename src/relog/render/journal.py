"""Text views of clients and the timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from relog.domain import By, ClientData, InteractionData, Outcome
from relog.render.console import out

if TYPE_CHECKING:
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
    return "-" if moment is None else f"{moment.astimezone():%Y-%m-%d %H:%M}"


def day(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone():%Y-%m-%d}"


def _every(days: int | None) -> str:
    if not days:
        return "-"
    return "every day" if days == 1 else f"every {days} days"


def show_clients(clients: list[ClientData]) -> None:
    console = out()
    if not clients:
        console.print('No clients yet. Add one with: relog client add "Dana Levi"')
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("name", overflow="fold")
    table.add_column("stage")
    table.add_column("source")
    table.add_column("cadence", justify="right")
    table.add_column("channel")
    for client in clients:
        table.add_row(
            Text(client.name),
            Text(client.stage.value, style=STAGE_STYLE[client.stage.value]),
            client.source.value if client.source else "-",
            f"{client.cadence_days}d" if client.cadence_days else "-",
            client.channel.value if client.channel else "-",
        )
    console.print(table)


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
    arrow = "→" if entry.by is By.ME else "←"
    line = Text()
    line.append(f"#{entry.id:<5}", style="dim")
    line.append(f"{when(entry.at)}  ")
    line.append(f"{entry.kind.value:<7}", style="bold")
    line.append(f" {arrow} ")
    line.append(client, style="cyan")
    if entry.outcome is not Outcome.REACHED:
        line.append(f"  {entry.outcome.value}", style="red")
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
        line.append("  " + "; ".join(tags), style="yellow")
    if entry.summary:
        line.append(f"  {entry.summary}", style="italic")
    return line


def show_timeline(
    entries: list[InteractionData], names: dict[int, str], *, filtered: bool = False
) -> None:
    console = out()
    if not entries and filtered:
        console.print("No entries match.")
        return
    if not entries:
        console.print('Nothing logged yet. Log a contact with: relog add call "Dana Levi"')
        return
    for entry in entries:
        # One line per entry even when piped, so `relog log | grep` sees whole entries.
        console.print(interaction_line(entry, names.get(entry.client_id, "?")), soft_wrap=True)
