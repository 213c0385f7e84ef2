"""The reliability figures of docs/reliability.md, measured again.

    python benchmarks/reliability.py                     # this checkout's relog
    python benchmarks/reliability.py --relog-src DIR     # another relog's src/ (e.g. an older one)
    python benchmarks/reliability.py --kills 20 --rounds 2   # a quick run

Three figures, each from real relog processes in a throwaway folder:
- kills during a first creation: `relog client add` on a missing journal,
  killed with SIGKILL (by strace) at a random one of the pwrite64 calls an
  unkilled creation makes; afterwards, does the next `relog client list` work,
  does SQLite's integrity check pass, and is the journal in write-ahead logging?
- kills during a migration: the same, `relog client list` on a copy of the
  journal at schema 0001 kept in tests/fixtures.
- concurrent first use: rounds of eight `relog client add` started together on a
  missing journal; how many fail.

Not a test: it prints what it found, whatever it found.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "journal-0001.db"


def relog(argv: list[str], env: dict[str, str], *, kill_at: int | None = None) -> int:
    """Run relog; with `kill_at`, under strace, killed at that pwrite64 call."""
    command = [sys.executable, "-m", "relog", *argv]
    if kill_at is not None:
        inject = f"inject=pwrite64:signal=SIGKILL:when={kill_at}"
        command = ["strace", "-f", "-qq", "-o", os.devnull, "-e", "trace=pwrite64", "-e", inject]
        command += [sys.executable, "-m", "relog", *argv]
    done = subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
    return done.returncode


def writes(argv: list[str], env: dict[str, str]) -> int:
    """How many pwrite64 calls an unkilled `relog ARGV` makes."""
    with tempfile.NamedTemporaryFile("r") as trace:
        subprocess.run(
            ["strace", "-f", "-qq", "-o", trace.name, "-e", "trace=pwrite64", sys.executable,
             "-m", "relog", *argv],
            env=env, capture_output=True, timeout=300, check=True,
        )  # fmt: skip
        return sum(1 for line in trace if "pwrite64(" in line)


def state_after(journal: Path, env: dict[str, str]) -> str:
    """What a kill left, as seen by the next command and SQLite."""
    code = relog(["client", "list"], env)
    if code != 0:
        return "next command refused"
    with sqlite3.connect(journal) as connection:
        if connection.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            return "integrity check failed"
    if journal.read_bytes()[18:20] != b"\x02\x02":
        return "left in rollback mode"
    return "whole"


def kills(
    folder: Path, env: dict[str, str], count: int, migrate: bool, rng: random.Random
) -> Counter[str]:
    argv = ["client", "list"] if migrate else ["client", "add", "Dana Levi"]

    def fresh(name: str) -> Path:
        journal = folder / name
        if migrate:
            shutil.copyfile(FIXTURE, journal)
            journal.chmod(0o600)
        return journal

    probe = fresh("probe.db")
    most = writes(argv, {**env, "RELOG_DB": str(probe)})
    found: Counter[str] = Counter()
    for n in range(count):
        journal = fresh(f"kill-{n}.db")
        run_env = {**env, "RELOG_DB": str(journal)}
        at = rng.randint(1, most)
        if relog(argv, run_env, kill_at=at) not in (-9, 137):
            found["not killed (ended first)"] += 1
            continue
        found["killed"] += 1
        found[state_after(journal, run_env)] += 1
    return found


def first_use(folder: Path, env: dict[str, str], rounds: int) -> Counter[str]:
    found: Counter[str] = Counter()
    for n in range(rounds):
        journal = folder / f"first-{n}.db"
        run_env = {**env, "RELOG_DB": str(journal)}
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "relog", "client", "add", f"C{k}"],
                env=run_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for k in range(1, 9)
        ]
        for process in processes:
            _, err = process.communicate(timeout=300)
            found["started"] += 1
            if process.returncode == 0:
                found["succeeded"] += 1
            else:
                reason = re.sub(r"/\S+", "PATH", err.strip().splitlines()[-1] if err else "?")
                found[f"failed: {reason}"] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relog-src", type=Path, help="the src/ folder of the relog to measure")
    parser.add_argument("--kills", type=int, default=100, help="kills in each kind of run")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of eight first users")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    if shutil.which("strace") is None:
        sys.exit("strace is needed to kill relog at its writes")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELOG_")}
    if args.relog_src is not None:
        env["PYTHONPATH"] = str(args.relog_src.resolve())
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        env["RELOG_CONFIG"] = str(Path(folder) / "config.toml")
        for title, migrate in (("first creation", False), ("migration from 0001", True)):
            place = Path(folder) / title.split()[0]
            place.mkdir()
            found = kills(place, env, args.kills, migrate, rng)
            print(
                f"kills during a {title}: "
                + ", ".join(f"{k} {v}" for k, v in sorted(found.items()))
            )
        place = Path(folder) / "concurrent"
        place.mkdir()
        found = first_use(place, env, args.rounds)
        print("concurrent first use: " + ", ".join(f"{k} {v}" for k, v in sorted(found.items())))


if __name__ == "__main__":
    main()
