"""Time `relog review` on large synthetic journals and write docs/performance.md.

Run from the repository root:

    python benchmarks/bench_review.py            # full size: 10,000 and 1,000 x 100
    python benchmarks/bench_review.py --small    # a quick check of the script itself

Each command runs as a user would run it (a new `relog` process, start-up
included), several times; the median is reported with the machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from relog.domain import (
    By,
    Channel,
    ClientData,
    InteractionData,
    Item,
    Kind,
    Outcome,
    Resolution,
    Source,
    Stage,
)
from relog.store import open_store

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
KINDS = [Kind.CALL, Kind.EMAIL, Kind.MEETING, Kind.MESSAGE, Kind.NOTE]
OUTCOMES = [Outcome.REACHED] * 6 + [Outcome.NO_ANSWER, Outcome.NO_REPLY, Outcome.LEFT_MESSAGE]


def synthetic_entries(
    rng: random.Random, client_id: int, count: int, now: datetime
) -> list[InteractionData]:
    """`count` plausible entries spread over the last two years."""
    span = timedelta(days=730).total_seconds()
    entries = []
    for _ in range(count):
        kind = rng.choice(KINDS)
        note = kind is Kind.NOTE
        by = By.ME if note or rng.random() < 0.6 else By.THEM
        outcome = Outcome.REACHED if note or by is By.THEM else rng.choice(OUTCOMES)
        answered = outcome is Outcome.REACHED
        entries.append(
            InteractionData(
                id=0,
                client_id=client_id,
                kind=kind,
                at=now - timedelta(seconds=rng.random() * span),
                by=by,
                outcome=outcome,
                agreed=rng.random() < 0.2,
                asked=frozenset({rng.choice(list(Item))})
                if answered and not note and rng.random() < 0.1
                else frozenset(),
                gave=frozenset({rng.choice(list(Item))}) if rng.random() < 0.1 else frozenset(),
                disagreement=rng.choice(list(Resolution))
                if answered and not note and rng.random() < 0.05
                else None,
                initiative=rng.random() < 0.05,
                minutes=rng.randint(5, 90) if kind is Kind.MEETING else None,
                summary="synthetic entry",
            )
        )
    return entries


def build(path: Path, big: int, clients: int, per_client: int) -> None:
    rng = random.Random(20261122)
    now = datetime.now(UTC) - timedelta(minutes=1)
    store = open_store(path)
    try:
        created = now - timedelta(days=800)
        heavy = store.add_client(
            ClientData(0, "Heavy Client", Stage.ACTIVE, Source.INBOUND, created_at=created)
        )
        store.add_interactions(synthetic_entries(rng, heavy.id, big, now))
        stages = [Stage.LEAD, Stage.PROSPECT, Stage.ACTIVE, Stage.ACTIVE, Stage.PAUSED]
        batch: list[InteractionData] = []
        for number in range(clients):
            client = store.add_client(
                ClientData(
                    0,
                    f"Client {number:04d}",
                    rng.choice(stages),
                    rng.choice(list(Source)),
                    cadence_days=rng.choice([None, 7, 14]),
                    channel=rng.choice([None, *Channel]),
                    created_at=created,
                )
            )
            batch.extend(synthetic_entries(rng, client.id, per_client, now))
            if len(batch) >= 20_000:
                store.add_interactions(batch)
                batch = []
        if batch:
            store.add_interactions(batch)
    finally:
        store.close()


def timed(args: list[str], db: Path, repeat: int) -> tuple[float, float]:
    """Median and best wall time of `relog ARGS` over `repeat` runs, in seconds."""
    env = {**os.environ, "RELOG_DB": str(db), "RELOG_CONFIG": str(db.parent / "none.toml")}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "relog", *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def phases(db: Path) -> list[tuple[str, float]]:
    """Where a review's time goes, measured in one process (no start-up)."""
    from relog.config import Config
    from relog.dates import local_now
    from relog.review import meetings_per_day, review_client, review_portfolio

    store = open_store(db)
    try:
        now = local_now()
        config = Config()
        timings: list[tuple[str, float]] = []

        def clock(name: str, work: Callable[[], T]) -> T:
            start = time.perf_counter()
            result = work()
            timings.append((name, time.perf_counter() - start))
            return result

        heavy = store.find_client("Heavy Client")
        history = clock("load one client's 10,000 entries", lambda: store.history(heavy.id, now))
        meetings = meetings_per_day(store.meeting_times(until=now))
        clock(
            "score one client, with 12 month-end trend points",
            lambda: review_client(
                heavy,
                history,
                now,
                config,
                meetings=meetings,
                trend_months=12,
            ),
        )
        histories = clock(
            "load every entry (one query, plain tuples)", lambda: store.histories(now)
        )
        clients = store.clients()
        clock(
            "score every open relationship and the portfolio",
            lambda: review_portfolio(
                clients,
                histories,
                store.mistakes(),
                now,
                config,
                meetings=meetings,
            ),
        )
        return timings
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="tiny journals, to test the script")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print, don't write docs/")
    options = parser.parse_args()
    big, clients, per_client = (500, 50, 20) if options.small else (10_000, 1_000, 100)

    with tempfile.TemporaryDirectory(prefix="relog-bench-") as folder:
        db = Path(folder) / "bench.db"
        start = time.perf_counter()
        build(db, big, clients, per_client)
        built = time.perf_counter() - start
        rows = [
            ("`relog --help`", timed(["--help"], db, options.repeat)),
            (
                f"`relog review` one client, {big:,} interactions",
                timed(["review", "Heavy Client"], db, options.repeat),
            ),
            (
                f"`relog review --json` one client, {big:,} interactions",
                timed(["review", "Heavy Client", "--json"], db, options.repeat),
            ),
            (
                f"`relog review` portfolio, {clients:,} clients x {per_client} interactions",
                timed(["review"], db, options.repeat),
            ),
            (
                f"`relog log --limit 50`, {big + clients * per_client:,} interactions",
                timed(["log", "--limit", "50"], db, options.repeat),
            ),
        ]
        size = db.stat().st_size
        inside = phases(db)

    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    lines = [
        "# Performance",
        "",
        "Measured by `python benchmarks/bench_review.py`: each command runs as a new",
        "`relog` process (start-up included) against a synthetic journal; the median",
        f"and best of {options.repeat} runs.",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d}",
        f"- machine: {machine}",
        f"- journal: {big + clients * per_client:,} interactions, {clients + 1:,} clients, "
        f"{size / 1e6:.1f} MB, built in {built:.1f} s",
        "",
        "| command | median | best |",
        "|---|---:|---:|",
        *(f"| {name} | {median:.2f} s | {best:.2f} s |" for name, (median, best) in rows),
        "",
        "Inside one process (no start-up), where the time of the two reviews goes:",
        "",
        "| phase | time |",
        "|---|---:|",
        *(f"| {name} | {seconds:.2f} s |" for name, seconds in inside),
        "",
        "Start-up (Python importing Typer, Rich, SQLAlchemy, SQLModel and pydantic, then",
        "opening the journal) takes roughly 0.6 s of every command that reads the journal;",
        "`relog --help` shows the start-up without the database layer.",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if not options.no_write and not options.small:
        (ROOT / "docs" / "performance.md").write_text(report + NOTES, encoding="utf-8")


NOTES = """
## How the review stays fast
- The portfolio reads every interaction in one query as plain tuples
  (`Store.histories`), never ORM objects row by row, and groups them by client
  in one pass.
- The rules are plain functions over tuples of frozen dataclasses; the trend's
  twelve month-end reviews cut the same sorted history with a binary search
  instead of querying again.
- `--help`, completion of commands and options, and commands that do not touch
  the journal do not import SQLAlchemy, SQLModel, Alembic or dateparser (ruff's
  banned-module-level-imports keeps it so); completing a client name opens the
  journal. Alembic is imported only when a journal needs creating or upgrading.
"""


if __name__ == "__main__":
    main()
