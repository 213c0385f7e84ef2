"""`relog sync mail` on a generated Maildir: the first run, and a re-run over it unchanged.

    python benchmarks/sync_bench.py             # 50,000 messages
    python benchmarks/sync_bench.py --count 2000

Targets (issue 13): the first run of 50,000 messages under 60 s, a re-run of the
unchanged Maildir under 2 s. Each run is a new process, start-up included.
`bench.py --sync N` adds both as rows of the full benchmark.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ME = "me@studio.co.il"
CLIENTS = 200


def build_maildir(folder: Path, count: int) -> Path:
    """`count` messages, a third of them lists or strangers, the rest between you and
    one of the clients, both ways, over a year; written as a Maildir's cur/ files."""
    box = folder / "Mail"
    for part in ("cur", "new", "tmp"):
        (box / part).mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    for number in range(count):
        client = f"c{number % CLIENTS}@client{number % CLIENTS}.co.il"
        when = start + timedelta(minutes=10 * number)
        kind = number % 3
        sender, to = (ME, client) if number % 2 else (client, ME)
        extra = ""
        if kind == 2:
            sender, to = f"news{number % 40}@list.example", ME
            extra = "List-Id: <news.list.example>\n" if number % 4 else ""
        text = (
            f"From: {sender}\nTo: {to}\nSubject: Message {number}\n"
            f"Date: {when:%a, %d %b %Y %H:%M:%S} +0000\n"
            f"Message-ID: <m{number}@bench.test>\n{extra}"
            f"Content-Type: text/plain; charset=utf-8\n\n"
            + "A line of the body of this message.\n"
            * 20
        )
        name = f"{1700000000 + number}.M{number}P1.bench:2,S"
        (box / "cur" / name).write_text(text, encoding="utf-8")
    return box


def relog(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "relog", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def measure(folder: Path, count: int) -> tuple[float, float]:
    """(first run, re-run) of `relog sync mail` over `count` generated messages, in seconds."""
    box = build_maildir(folder, count)
    env = {
        **os.environ,
        "RELOG_DB": str(folder / "sync.db"),
        "RELOG_CONFIG": str(folder / "sync.toml"),
    }
    relog("config", "set", "me.emails", ME, env=env)
    for number in range(CLIENTS):
        relog_add = ["client", "add", f"Client {number}", "--domain", f"client{number}.co.il"]
        if number < 5:
            relog(*relog_add, env=env)
    if CLIENTS > 5:
        _add_clients(folder / "sync.db", range(5, CLIENTS))
    first = relog("sync", "mail", str(box), env=env)
    again = relog("sync", "mail", str(box), env=env)
    return first, again


def _add_clients(db: Path, numbers: range) -> None:
    """The other clients, added through the store in one go (a process per client would
    take longer than the sync being measured)."""
    from relog.domain import ClientData, Stage
    from relog.handles import HandleKind, parse_handle
    from relog.store import open_store

    store = open_store(db)
    try:
        for number in numbers:
            store.add_client(
                ClientData(0, f"Client {number}", Stage.ACTIVE),
                [parse_handle(HandleKind.DOMAIN, f"client{number}.co.il")],
            )
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000, help="messages (default 50,000)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relog-sync-bench-") as scratch:
        first, again = measure(Path(scratch), options.count)
    print(f"relog sync mail, {options.count} messages: first run {first:.1f} s (target < 60 s)")
    print(f"relog sync mail, unchanged: re-run {again:.2f} s (target < 2 s)")


if __name__ == "__main__":
    main()
