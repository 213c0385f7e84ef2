"""Running relog as a new process, as a shell does, and seeing what it imported."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

_REPORTING_MAIN = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
    "sys.argv = ['relog', *sys.argv[1:]]\n"
    "from relog.__main__ import main\n"
    "main()\n"
)


@dataclass(frozen=True)
class Finished:
    stdout: str
    modules: frozenset[str]
    """Every module the process had imported when it exited."""


def run_relog(argv: list[str], env: dict[str, str]) -> Finished:
    """`relog ARGV` in a new Python process with `env` as its whole environment."""
    done = subprocess.run(
        [sys.executable, "-c", _REPORTING_MAIN, *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    return Finished(done.stdout, frozenset(modules))


def complete(words: list[str], env: dict[str, str]) -> Finished:
    """What relog offers bash for the last of `words`, through Typer's bash protocol.

    A word with a space in it is still open in a quote, as while it is typed.
    """
    typed = [f'"{word}' if " " in word else word for word in words]
    return run_relog(
        [],
        {
            **env,
            "_RELOG_COMPLETE": "complete_bash",
            "COMP_WORDS": " ".join(typed),
            "COMP_CWORD": str(len(words) - 1),
        },
    )
