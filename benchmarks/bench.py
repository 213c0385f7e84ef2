"""Every performance figure of relog, measured side by side in one run.

    python benchmarks/bench.py              # 10k, 100k and 1M journals; writes docs/performance.md
    python benchmarks/bench.py --tiny       # a tiny journal: proves the script works (CI)
    python benchmarks/bench.py --keep DIR   # build the journals once in DIR and reuse them
    python benchmarks/bench.py --sync 50000 # also relog sync mail over a generated Maildir

Every command runs as a user runs it: a new process, start-up included. Each
relog figure sits beside an anchor measured in the same run (jrnl adding an
entry, Python importing the mandated stack, a plain `sqlite3` fetch of the same
rows), and the runs of a row alternate between relog and its anchor, so a noisy
machine slows both alike. The ratio is what the targets are about; the times
are reported for context. Peak memory is the child's maximum resident size.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import journal  # noqa: E402  (the generator beside this script)

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RELOG = [PY, "-m", "relog"]

REVIEW_COLUMNS = (
    "id, client_id, kind, at, by, outcome, agreed, next_at, think, asked, gave, "
    "disagreement, expectations, initiative, delegated, late"
)
LOG_COLUMNS = f"interaction.{REVIEW_COLUMNS.replace(', ', ', interaction.')}, minutes, summary"


@dataclass(frozen=True)
class Run:
    seconds: float
    first_output: float
    peak_mb: float


RUNNER = """
import json, os, sys, time
argv = sys.argv[1:]
reading, writing = os.pipe()
errors = os.open(os.devnull if os.environ.get("BENCH_QUIET") else "/dev/stderr", os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
    (os.POSIX_SPAWN_DUP2, writing, 1), (os.POSIX_SPAWN_CLOSE, reading)])
os.close(writing)
with os.fdopen(reading, "rb") as output:
    first = output.read(1)
    first_at = time.perf_counter() - start
    while output.read(1 << 16):
        pass
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
print(json.dumps([os.waitstatus_to_exitcode(status), seconds,
                  first_at if first else seconds, usage.ru_maxrss / 1024]))
"""
"""Runs one command and reports its times and peak memory.

It is a small process of its own because Linux counts the memory of the
process that starts a command in that command's peak (the address space it
replaces at exec), and this script, holding relog, is larger than a small command.
"""


def run_once(argv: list[str], env: dict[str, str]) -> Run:
    """Run `argv` once; wall time, time to its first byte of output, and peak memory."""
    done = subprocess.run(
        [PY, "-I", "-S", "-c", RUNNER, *argv], env=env, capture_output=True, text=True
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"{' '.join(argv[:6])} could not be run: {done.stderr}")
    code, seconds, first_at, peak = json.loads(done.stdout)
    if code != 0:
        raise SystemExit(f"{' '.join(argv[:6])} failed ({code}): {done.stderr}")
    return Run(seconds, first_at, peak)


def median_runs(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.first_output for r in runs),
        max(r.peak_mb for r in runs),
    )


def side_by_side(
    commands: dict[str, list[str]], env: dict[str, str], repeat: int
) -> dict[str, Run]:
    """Each command `repeat` times, alternating between them; the median of each."""
    for argv in commands.values():  # warm the file cache once
        run_once(argv, env)
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            runs[name].append(run_once(argv, env))
    return {name: median_runs(found) for name, found in runs.items()}


def fetch(db: Path, sql: str, *params: object) -> list[str]:
    """A plain sqlite3 fetchall() of `sql` in a new Python process: the floor for a read."""
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        f"rows = c.execute({sql!r}, {params!r}).fetchall()"
    )
    return [PY, "-c", code, str(db)]


def jrnl_env(folder: Path) -> tuple[list[str], dict[str, str]] | None:
    """`jrnl` adding an entry to a plain-text journal, or None when jrnl is not installed."""
    jrnl = shutil.which("jrnl")
    if jrnl is None:
        return None
    config = folder / "jrnl.yaml"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\n"
        "highlight: false\nindent_character: '|'\n"
        f"journals: {{default: {{journal: {folder / 'jrnl.txt'}}}}}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%F %r'\n"
        "version: v4.2\n",
        encoding="utf-8",
    )
    return [jrnl, "--config-file", str(config), "call with a client"], dict(os.environ)


@dataclass(frozen=True)
class Row:
    what: str
    relog: Run
    anchor_name: str
    anchor: Run | None
    target: str
    limit: float | None
    """The ratio relog / anchor must stay within (None: reported only)."""
    max_mb: float | None = None
    """The peak memory relog must stay under, if any."""

    @property
    def ratio(self) -> float | None:
        return self.relog.seconds / self.anchor.seconds if self.anchor else None

    @property
    def met(self) -> str:
        if self.limit is None or self.ratio is None:
            return ""
        fits = self.max_mb is None or self.relog.peak_mb < self.max_mb
        return "yes" if self.ratio <= self.limit and fits else "**no**"


def env_for(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RELOG_DB": str(db),
        "RELOG_CONFIG": str(db.parent / "no-config.toml"),
        "COLUMNS": "100",
    }


def complete_env(db: Path, words: tuple[str, ...]) -> dict[str, str]:
    """What bash hands relog to complete the last of `words` (Typer's `complete_bash`).

    COMP_WORDS is the line as bash's script joins it, a word with a space in it
    still open in a quote as it is while being typed; COMP_CWORD is the index of
    the word to complete.
    """
    typed = [f'"{word}' if " " in word else word for word in words]
    return {
        **env_for(db),
        "_RELOG_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(typed),
        "COMP_CWORD": str(len(words) - 1),
    }


def measure_start_up(db: Path, folder: Path, repeat: int) -> list[Row]:
    """Start-up: help, completion and `relog add` against jrnl and the bare stack import."""
    env = env_for(db)
    found = jrnl_env(folder)
    commands = {
        "help": [*RELOG, "--help"],
        "add-help": [*RELOG, "add", "--help"],
        "add": [*RELOG, "add", "call", "Client 00042", "--by", "them", "-m", "x"],
        "stack": [PY, "-c", "import typer, sqlmodel"],
    }
    if found is not None:
        commands["jrnl"] = found[0]
    quick = 2 * repeat  # start-up takes well under a second: twice the runs, steadier medians
    runs = side_by_side(commands, env, quick)
    complete = {
        "commands": (("relog", "re"), "complete a command"),
        "names": (("relog", "review", "Client 0004"), "complete a client name"),
    }
    completed: dict[str, dict[str, Run]] = {}
    for key, (words, _) in complete.items():  # jrnl alternates here too; it ignores the variables
        pair = {key: RELOG, **({"jrnl": found[0]} if found is not None else {})}
        completed[key] = side_by_side(pair, complete_env(db, words), quick)
    jrnl = runs.get("jrnl")
    jrnl_name = "`jrnl` adds an entry"
    rows = [
        Row("`relog --help`", runs["help"], jrnl_name, jrnl, "≤ 1.0× jrnl", 1.0),
        Row("`relog add --help`", runs["add-help"], jrnl_name, jrnl, "≤ 1.0× jrnl", 1.0),
        *(
            Row(
                f"shell: {label}",
                completed[key][key],
                jrnl_name,
                completed[key].get("jrnl"),
                "≤ 1.0× jrnl",
                1.0,
            )
            for key, (_, label) in complete.items()
        ),
        Row(
            "`relog add call C --by them -m x`",
            runs["add"],
            '`python -c "import typer, sqlmodel"`',
            runs["stack"],
            "≤ 1.1× the stack",
            1.1,
        ),
        Row("`relog add call C --by them -m x`", runs["add"], jrnl_name, jrnl, "reported", None),
    ]
    return rows


def measure_reads(db: Path, size: str, repeat: int, *, heavy: bool) -> list[Row]:
    """The read commands on one journal, each beside a plain fetch of the rows it needs."""
    env = env_for(db)
    rows: list[Row] = []
    review = side_by_side(
        {
            "relog": [*RELOG, "review"],
            "fetch": fetch(db, f"SELECT {REVIEW_COLUMNS} FROM interaction ORDER BY client_id, at"),
        },
        env,
        repeat,
    )
    rows.append(
        Row(
            f"`relog review` (portfolio), {size}",
            review["relog"],
            "`fetchall()` of the columns it reads",
            review["fetch"],
            "≤ 3× the fetch, < 500 MB" if heavy else "scaling (start-up weighs more)",
            3.0 if heavy else None,
            500.0 if heavy else None,
        )
    )
    if not heavy:
        return rows
    add = [*RELOG, "add", "note", journal.HEAVY, "-m", "x"]
    one = side_by_side(
        {
            "relog": [*RELOG, "review", journal.HEAVY],
            "add": add,
            "fetch": fetch(
                db, f"SELECT {REVIEW_COLUMNS} FROM interaction WHERE client_id = 1 ORDER BY at"
            ),
        },
        env,
        repeat,
    )
    rows.append(
        Row(
            f"`relog review` one client of 10,000 entries, {size}",
            one["relog"],
            "`relog add` on the same journal",
            one["add"],
            "≤ 1.5× relog add",
            1.5,
        )
    )
    rows.append(
        Row(
            f"`relog review` one client of 10,000 entries, {size}",
            one["relog"],
            "`fetchall()` of that client's rows",
            one["fetch"],
            "reported",
            None,
        )
    )
    listing = side_by_side(
        {
            "clients": [*RELOG, "client", "list"],
            "fetch-clients": fetch(db, "SELECT * FROM client ORDER BY name_key"),
            "log": [*RELOG, "log"],
            "fetch-log": fetch(
                db,
                f"SELECT {LOG_COLUMNS}, client.name FROM interaction JOIN client "
                "ON client.id = interaction.client_id ORDER BY interaction.at DESC",
            ),
            "log-50": [*RELOG, "log", "--limit", "50"],
            "fetch-50": fetch(db, "SELECT * FROM interaction ORDER BY at DESC, id DESC LIMIT 50"),
        },
        env,
        max(1, repeat // 2),
    )
    rows += [
        Row(
            f"`relog client list`, {size}",
            listing["clients"],
            "`fetchall()` of the clients",
            listing["fetch-clients"],
            "streams, flat memory",
            None,
        ),
        Row(
            f"`relog log` (every entry), {size}",
            listing["log"],
            "`fetchall()` of the entries with names",
            listing["fetch-log"],
            "streams, flat memory",
            None,
        ),
        Row(
            f"`relog log --limit 50`, {size}",
            listing["log-50"],
            "`fetchall()` of 50 entries",
            listing["fetch-50"],
            "reported",
            None,
        ),
    ]
    return rows


IMPORT_ANCHOR = """
import json, os, shutil, sqlite3, sys
blank, target, source = sys.argv[1:4]
for leftover in (target, target + "-wal", target + "-shm"):
    if os.path.exists(leftover):
        os.remove(leftover)
shutil.copyfile(blank, target)
with open(source, encoding="utf-8") as handle:
    document = json.load(handle)
connection = sqlite3.connect(target)
for table, records in (("client", document["clients"]), ("interaction", document["interactions"])):
    if not records:
        continue
    names = list(records[0]) + (["name_key"] if table == "client" else [])
    rows = [
        tuple(",".join(v) if isinstance(v, list) else v for v in record.values())
        + ((record["name"].casefold(),) if table == "client" else ())
        for record in records
    ]
    marks = ", ".join("?" * len(names))
    connection.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)
connection.commit()
"""
"""The floor for an import: the same file's clients and entries by a plain executemany."""

FRESH_IMPORT = """
import os, shutil, sys
blank, target, source = sys.argv[1:4]
for leftover in (target, target + "-wal", target + "-shm"):
    if os.path.exists(leftover):
        os.remove(leftover)
shutil.copyfile(blank, target)
os.execv(sys.executable, [sys.executable, "-m", "relog", "--db", target, "import", source])
"""
"""`relog import` into a new, empty journal each run (copying a blank one costs next to nothing)."""


def measure_import(db: Path, size: str, folder: Path, repeat: int) -> list[Row]:
    """`relog import` of a journal exported from `db`, beside a plain executemany of its rows."""
    from relog.store import open_store

    source = folder / f"export-{size}.json"
    subprocess.run(
        [*RELOG, "export", "--output", str(source), "--force"], env=env_for(db), check=True
    )
    blank = folder / "blank.db"
    if not blank.exists():
        open_store(blank).close()
    files = [str(blank), str(folder / "imported.db"), str(source)]
    runs = side_by_side(
        {
            "relog": [PY, "-c", FRESH_IMPORT, *files],
            "anchor": [PY, "-c", IMPORT_ANCHOR, *files],
        },
        env_for(folder / "imported.db"),
        max(1, repeat // 2),
    )
    return [
        Row(
            f"`relog import` of {size} entries (JSON, into an empty journal)",
            runs["relog"],
            "`executemany()` of the same clients and entries",
            runs["anchor"],
            "< 10 s (reported)",
            None,
        )
    ]


def measure_sync(folder: Path, count: int) -> list[Row]:
    """`relog sync mail` of a generated Maildir (benchmarks/sync_bench.py), first and again."""
    import sync_bench  # the generator beside this script

    first, again = sync_bench.measure(folder, count)
    return [
        Row(
            f"`relog sync mail`, first run of {count} messages",
            Run(first, first, 0.0),
            "-",
            None,
            "< 60 s",
            None,
        ),
        Row(
            f"`relog sync mail` again, {count} messages unchanged",
            Run(again, again, 0.0),
            "-",
            None,
            "< 2 s",
            None,
        ),
    ]


SIZES = {
    "tiny": [("1k", 50, 1_000)],
    "full": [("10k", 100, 10_000), ("100k", 1_000, 100_000), ("1M", 10_000, 1_000_000)],
}


def journals(folder: Path, tiny: bool) -> list[tuple[str, Path]]:
    made = []
    for size, clients, interactions in SIZES["tiny" if tiny else "full"]:
        path = folder / f"journal-{size}.db"
        if not path.exists():
            started = time.perf_counter()
            heavy = 10_000 if interactions >= 100_000 else interactions // 10
            journal.build(path, clients, interactions, heavy=heavy)
            print(f"built {size} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        made.append((size, path))
    return made


def report(rows: list[Row], sizes: list[tuple[str, Path]], repeat: int) -> str:
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    lines = [
        "# Performance",
        "",
        "Measured by `python benchmarks/bench.py` (see its docstring). Every command runs",
        "as a new process, start-up included; relog and its anchor alternate within each",
        f"row, and each figure is the median of {repeat} runs (peak memory: the largest).",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d}",
        f"- machine: {machine}",
        "- journals: " + "; ".join(f"{size}: {p.stat().st_size / 1e6:.0f} MB" for size, p in sizes),
        "",
        "| command | relog | first output | peak | anchor | anchor time | ratio | target | met |",
        "|---|---:|---:|---:|---|---:|---:|---|---|",
    ]
    for row in rows:
        anchor = f"{row.anchor.seconds:.2f} s" if row.anchor else "-"
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "-"
        lines.append(
            f"| {row.what} | {row.relog.seconds:.2f} s | {row.relog.first_output:.2f} s "
            f"| {row.relog.peak_mb:.0f} MB | {row.anchor_name} | {anchor} | {ratio} "
            f"| {row.target} | {row.met} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a tiny journal, to test the script")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--keep", type=Path, help="build journals here once and reuse them")
    parser.add_argument("--no-write", action="store_true", help="print, don't write docs/")
    parser.add_argument("--sync", type=int, metavar="N", help="add relog sync mail of N messages")
    options = parser.parse_args()
    # An installed relog has its bytecode. An editable one, run with
    # PYTHONDONTWRITEBYTECODE set, would compile each of its modules from source in
    # every measured run, which jrnl and the stack, loaded from site-packages, never do.
    compileall.compile_dir(ROOT / "src" / "relog", quiet=1)
    with tempfile.TemporaryDirectory(prefix="relog-bench-") as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        sizes = journals(folder, options.tiny)
        work = Path(scratch) / "work"
        work.mkdir()
        rows: list[Row] = []
        for number, (size, path) in enumerate(sizes):
            copy = work / path.name  # commands that write must not change a kept journal
            shutil.copyfile(path, copy)
            last = number == len(sizes) - 1
            if last:
                rows = measure_start_up(copy, work, options.repeat) + rows
            rows += measure_reads(copy, size, options.repeat, heavy=last)
            if size in ("1k", "100k"):
                rows += measure_import(copy, size, work, options.repeat)
        if options.sync:
            rows += measure_sync(work, options.sync)
        text = report(rows, sizes, options.repeat)
    print(text)
    if not options.no_write and not options.tiny:
        target = ROOT / "docs" / "performance.md"
        notes = target.read_text(encoding="utf-8").split("\n## ", 1)
        kept = "\n## " + notes[1] if len(notes) == 2 else ""
        target.write_text(text + kept, encoding="utf-8")


if __name__ == "__main__":
    main()
