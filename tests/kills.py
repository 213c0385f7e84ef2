"""Killing relog with SIGKILL: at a chosen write to its files, or at a random moment.

`killed_at_write` runs relog under strace, which sends SIGKILL at the Nth
pwrite64 of the process: the write points of SQLite itself, inside a
transaction or between the frames of its commit. `killed_after` forks this
test process (relog already imported, so a kill costs milliseconds rather
than a Python start-up) and kills the copy, which runs relog's command line
as the console script does, after a given time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def strace_can_kill() -> bool:
    """Whether strace is installed and may trace a process here."""
    if shutil.which("strace") is None:
        return False
    done = subprocess.run(
        ["strace", "-qq", "-o", os.devnull, "-e", "trace=none", "true"],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def killed_at_write(argv: Sequence[str], env: Mapping[str, str], write: int) -> bool:
    """Run `relog ARGV`, killed with SIGKILL at its `write`-th pwrite64; whether it was
    killed (False: it ended before writing that often)."""
    done = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-o",
            os.devnull,
            "-e",
            "trace=pwrite64",
            "-e",
            f"inject=pwrite64:signal=SIGKILL:when={write}",
            sys.executable,
            "-m",
            "relog",
            *argv,
        ],  # fmt: skip
        env=dict(env),
        capture_output=True,
        timeout=120,
        check=False,
    )
    return done.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL)


def run_forked(argv: Sequence[str], env: Mapping[str, str], kill_after: float | None) -> bool:
    """Run `relog ARGV` in a forked copy of this process with `env` added to its
    environment, killed with SIGKILL after `kill_after` seconds (None: never);
    whether it was killed before it ended."""
    pid = os.fork()
    if pid == 0:  # the copy: never returns into the test
        code = 70
        try:
            null = os.open(os.devnull, os.O_RDWR)
            for descriptor in (0, 1, 2):
                os.dup2(null, descriptor)
            os.environ.update(env)
            from relog.cli import app

            app(list(argv), prog_name="relog")
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        finally:
            os._exit(code)
    if kill_after is not None:
        time.sleep(kill_after)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def duration(argv: Sequence[str], env: Mapping[str, str]) -> float:
    """How long `relog ARGV` takes in a forked copy, unkilled."""
    start = time.monotonic()
    run_forked(argv, env, None)
    return time.monotonic() - start
