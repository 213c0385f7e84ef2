"""What `relog check` prints: whether the journal is healthy, and if not, what to do."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from relog.render.console import out
from relog.rules.base import plural
from relog.store.health import SCHEMA_TABLE

if TYPE_CHECKING:
    from pathlib import Path

    from relog.store.health import Health

SHOWN_PROBLEMS = 5

_WHAT_TABLES_HOLD = {
    "client": "the clients",
    "interaction": "the logged entries",
    "request": "the requests (rebuilt from the entries)",
    "mistake": "the post-mortems",
    "bill": "the amounts billed",
    "alembic_version": "the schema version",
    SCHEMA_TABLE: "the list of the journal's tables, so nothing in it can be read",
}


def held_in(table: str) -> str:
    """What a table of the journal holds, in words."""
    if "_fts" in table:
        return f"the search index of {table.split('_fts')[0]} (rebuilt from the rows)"
    return _WHAT_TABLES_HOLD.get(table, table)


def print_health(health: Health, latest: Path | None) -> None:
    console = out()

    def say(text: str) -> None:
        console.print(text, markup=False, highlight=False, soft_wrap=True)

    if health.healthy:
        say(f"Journal {health.path} passes SQLite's integrity and foreign-key checks.")
        return
    count = len(health.problems) + len(health.orphans)
    found = plural(count, "problem")
    say(f"Journal {health.path} is damaged: SQLite's checks found {found}.")
    if health.affected:
        say("Affected:")
        for table in health.affected:
            say(f"  {table}: {held_in(table)}")
    for line in [*health.problems, *health.orphans][:SHOWN_PROBLEMS]:
        say(f"  SQLite: {line}")
    if count > SHOWN_PROBLEMS:
        say(f"  ... and {count - SHOWN_PROBLEMS} more ('relog check --json' lists them all)")
    if latest is None:
        say(
            "No copy of it was found beside it. If you keep one elsewhere, put it back "
            "with: relog restore FILE"
        )
    else:
        made = datetime.fromtimestamp(latest.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        say(f"The latest copy beside it is {latest} (written {made}). Put it back with:")
        say(f"  relog restore {latest}")
    say("relog restore keeps the damaged journal beside it, renamed.")
