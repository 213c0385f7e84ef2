"""The agenda as an iCalendar file: agreed contacts and action plans due.

The one module that knows the iCalendar format (the icalendar library).
Each event's UID comes from what it stands for (the entry that set the
agreed contact, the post-mortem whose plan is due), so importing the file
again updates the events instead of duplicating them. Your own words (a
plan's text) are left out unless asked for; relog's messages carry dates
and names only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar, Event

if TYPE_CHECKING:
    from collections.abc import Iterable

    from relog.agenda import Item

CALENDARED = ("PUR007",)
"""Findings whose moment is an appointment: a contact agreed with the client."""

CONTACT_MINUTES = 30


def calendar(items: Iterable[Item], now: datetime, *, with_notes: bool = False) -> bytes:
    """An iCalendar document of the agreed contacts and the plans due among `items`."""
    document = Calendar()
    document.add("prodid", "-//relog//relog agenda//EN")
    document.add("version", "2.0")
    stamp = now.astimezone(UTC)
    for item in items:
        event = _event(item, stamp, with_notes=with_notes)
        if event is not None:
            document.add_component(event)
    return bytes(document.to_ical())


def _event(item: Item, stamp: datetime, *, with_notes: bool) -> Event | None:
    if item.source is None or item.when is None:
        return None
    event = Event()
    event.add("uid", f"{item.source}@relog")
    event.add("dtstamp", stamp)
    if item.code in CALENDARED:
        start = item.when.astimezone(UTC)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=CONTACT_MINUTES))
        event.add("summary", f"Contact {item.client} (agreed)")
        event.add("description", item.reason)
        return event
    if item.plan is not None:
        event.add("dtstart", item.when.astimezone().date())
        event.add("summary", f"Action plan due (after {item.client})")
        note = f"\n\n{item.plan}" if with_notes else ""
        mistake = item.source.removeprefix("plan-")
        event.add("description", f"Mark it done with: relog mistakes done {mistake}{note}")
        return event
    return None
