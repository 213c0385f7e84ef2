"""How many random, hostile command lines end in a bug: the figure of docs/reliability.md.

    python benchmarks/hostile.py                 # 1,000 command lines, seed 14
    python benchmarks/hostile.py -n 200 --seed 3 --show 10

The command lines are those of the suite's hostile-input test (`tests/hostile.py`:
every command and option, Hebrew, bidi controls, escape sequences, NUL, a
megabyte of text, SQL, huge and negative numbers, odd dates), run in one
process against a seeded journal in a throwaway folder. A bug is exit 70 or an
exception that escaped; a failed command that changed the journal is counted
too. Run it with PYTHONPATH pointing at another checkout's src/ to measure
that relog instead.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="how many command lines")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--show", type=int, default=5, help="bugs to print, one line each")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="relog-hostile-"))
    work = folder / "work"
    work.mkdir()
    os.environ.update(
        RELOG_DB=str(folder / "journal.db"),
        RELOG_CONFIG=str(folder / "config.toml"),
        HOME=str(folder / "home"),
        XDG_DATA_HOME=str(folder / "data"),
        XDG_CONFIG_HOME=str(folder / "config"),
        VISUAL="true",
        EDITOR="true",
        COLUMNS="100",
    )
    os.environ.pop("RELOG_DEBUG", None)
    os.chdir(work)
    tempfile.tempdir = str(folder)

    from tests.hostile import SEED, answers, command_line, dump, leaves
    from typer.testing import CliRunner

    import relog
    from relog.cli import app

    runner = CliRunner()
    for args in SEED:
        seeded = runner.invoke(app, args)
        assert seeded.exit_code == 0, (args, seeded.stderr)
    commands = leaves()
    rng = random.Random(options.seed)
    exits: collections.Counter[int] = collections.Counter()
    bugs: list[str] = []
    changed: list[str] = []
    started = time.perf_counter()
    for _ in range(options.n):
        args = command_line(rng, commands)
        before = dump(folder / "journal.db")
        result = runner.invoke(app, args, input=answers(rng))
        exits[result.exit_code] += 1
        escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
        if result.exit_code == 70 or escaped or "Traceback" in result.stderr:
            what = type(result.exception).__name__ if escaped else result.stderr.strip()[-120:]
            bugs.append(f"relog {' '.join(args)[:100]!r}: {what}")
        elif result.exit_code != 0 and dump(folder / "journal.db") != before:
            changed.append(f"relog {' '.join(args)[:100]!r}: exit {result.exit_code}")
    took = time.perf_counter() - started

    print(f"relog from {Path(relog.__file__).parent}")
    print(f"{options.n} command lines over {len(commands)} commands in {took:.0f} s")
    print("exit codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(exits.items())))
    print(f"ended in a bug (exit 70 or a traceback): {len(bugs)}")
    print(f"failed and changed the journal: {len(changed)}")
    for line in (bugs + changed)[: options.show]:
        print("  " + line)


if __name__ == "__main__":
    main()
