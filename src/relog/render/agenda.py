"""The days ahead, as the terminal and `--json` show them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from relog.agenda import by_day
from relog.render.console import out
from relog.rules.base import Action  # noqa: TC001 (pydantic reads the annotation)
from relog.schema import Out

if TYPE_CHECKING:
    from collections.abc import Sequence

    from relog.agenda import Item


class AgendaItemDoc(Out):
    day: date
    overdue: bool
    client: str
    client_id: int | None
    code: str | None
    action: Action
    reason: str
    when: datetime | None
    source: str | None
    plan: str | None

    @classmethod
    def of(cls, item: Item) -> AgendaItemDoc:
        return cls(
            day=item.day,
            overdue=item.overdue,
            client=item.client,
            client_id=item.client_id,
            code=item.code,
            action=item.action,
            reason=item.reason,
            when=item.when,
            source=item.source,
            plan=item.plan,
        )


class AgendaDoc(Out):
    start: date
    end: date
    items: list[AgendaItemDoc]


def agenda_doc(items: Sequence[Item], now: datetime, days: int) -> AgendaDoc:
    today = now.astimezone().date()
    return AgendaDoc(
        start=today,
        end=today + timedelta(days=days),
        items=[AgendaItemDoc.of(item) for item in items],
    )


def _heading(day: date | None, today: date) -> str:
    if day is None:
        return "Now"
    if day == today:
        return f"Today, {day:%a %d %b}"
    if day == today + timedelta(days=1):
        return f"Tomorrow, {day:%a %d %b}"
    return f"{day:%a %d %b}"


def show_agenda(items: Sequence[Item], now: datetime, days: int) -> None:
    console = out()
    today = now.astimezone().date()
    last = today + timedelta(days=days)
    console.print(Text(f"Agenda {today:%Y-%m-%d} to {last:%Y-%m-%d}", style="bold"))
    if not items:
        console.print("Nothing is due in these days.")
        return
    for day, group in by_day(items):
        console.print()
        console.print(Text(_heading(day, today), style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for item in group:
            line = Text(item.client, style="cyan")
            clock = f" {item.when.astimezone():%H:%M}" if item.when and day is not None else ""
            if day is None:
                line.append(f": {item.action.value}", style="bold")
                line.append(f". {item.reason}", style="default")
            else:
                line.append(f"{clock}: ", style="default")
                line.append(item.reason, style="default")
            grid.add_row("  •", line)
        console.print(grid)
