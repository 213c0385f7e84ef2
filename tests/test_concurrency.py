"""Several relog processes at once: a first use by eight, and eight writers with readers.

Real processes, started together: one creates the journal while the others
wait for it, and then all use it; no user ever sees "database is locked".
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from relog.store.engine import SCHEMA_HEAD

if TYPE_CHECKING:
    from pathlib import Path

WORKER = (
    "import sys\n"
    "from relog.cli import app\n"
    "count, argv = int(sys.argv[1]), sys.argv[2:]\n"
    "codes = []\n"
    "for n in range(count):\n"
    "    args = [a.replace('{n}', str(n)) for a in argv]\n"
    "    try:\n"
    "        app(args, prog_name='relog')\n"
    "    except SystemExit as exit:\n"
    "        codes.append(exit.code)\n"
    "print(codes)\n"
)
"""Run relog's command line COUNT times in one process ({n} in an argument: the round)."""


def start(journal: Path, count: int, *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(count), *argv],
        env={**os.environ, "RELOG_DB": str(journal)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[list[int], str]:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1]), err


@pytest.mark.no_journal
def test_eight_processes_on_a_missing_journal_all_succeed(journal: Path) -> None:
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "relog", "client", "add", f"C{k}"],
            env={**os.environ, "RELOG_DB": str(journal)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(1, 9)
    ]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in starts]
    assert results == [(0, "")] * 8
    with sqlite3.connect(journal) as connection:
        names = sorted(row[0] for row in connection.execute("SELECT name FROM client"))
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert names == [f"C{k}" for k in range(1, 9)]
    assert revision == [(SCHEMA_HEAD,)]
    assert journal.stat().st_mode & 0o777 == 0o600


def test_eight_writers_of_fifty_adds_with_readers_store_exactly_four_hundred(
    journal: Path,
) -> None:
    with sqlite3.connect(journal) as connection:
        for k in range(8):
            connection.execute(
                "INSERT INTO client (name, name_key, stage, cadence_days, notes, created_at)"
                " VALUES (?, ?, 'active', 7, '', '2026-01-01 00:00:00.000000')",
                (f"Writer {k}", f"writer {k}"),
            )
    writers = [
        start(journal, 50, "add", "call", f"Writer {k}", "--asked", "prices", "-m", "round {n}")
        for k in range(8)
    ]
    readers = [start(journal, 25, "log", "--limit", "20"), start(journal, 25, "client", "list")]
    done = [finish(process) for process in writers + readers]
    for codes, err in done:
        assert "locked" not in err and "busy" not in err, err
        assert set(codes) == {0}, err
    assert [len(codes) for codes, _ in done] == [50] * 8 + [25, 25]
    with sqlite3.connect(journal) as connection:
        per_writer = connection.execute(
            "SELECT client_id, count(*), count(DISTINCT summary) FROM interaction GROUP BY 1"
        ).fetchall()
        requests = connection.execute("SELECT count(*) FROM request").fetchone()
    assert sorted(n for _, n, _ in per_writer) == [50] * 8
    assert {distinct for _, _, distinct in per_writer} == {50}
    assert requests == (400,)
