"""Hostile input: random command lines for every command never end in a bug, and a failed
command changes nothing (issue 11's promise, issue 14's rows 3, 7, 8 and 10).

The command lines come from `tests/hostile.py`, which reads every command and
option off relog's command tree; they run in-process for speed, against a
seeded journal that each successful command may change and each failed one
must leave exactly as it was. A few cases run relog as a new process, for
bytes on the command line that are not UTF-8.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from relog.cli import app
from tests.hostile import SEED, answers, command_line, dump, leaves

if TYPE_CHECKING:
    import random
    from pathlib import Path

    from tests.conftest import Run

COMMANDS = leaves()
EXITS = {0, 1, 2, 3, 4, 5}
"""Every exit code of relog's scheme but 70, a bug in relog."""


@pytest.fixture
def hostile(run: Run, journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeded journal, with the working folder, HOME, the temporary folder and the editor
    all inside tmp_path, so no random command line can write anywhere else."""
    for args in SEED:
        run(*args)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VISUAL", "true")
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return journal


def test_the_tree_holds_every_command() -> None:
    words = {leaf.words for leaf in COMMANDS}
    assert {("add",), ("log",), ("client", "add"), ("mistakes", "add"), ("config", "set")} <= words
    assert len(words) >= 30


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rng=st.randoms(use_true_random=False))
def test_random_command_lines_never_end_in_a_bug_and_a_failure_changes_nothing(
    hostile: Path, rng: random.Random
) -> None:
    args = command_line(rng, COMMANDS)
    before = dump(hostile)
    result = CliRunner().invoke(app, args, input=answers(rng))
    shown = f"relog {args!r:.300}\nexit {result.exit_code}\nstderr: {result.stderr[:500]}"
    assert result.exit_code in EXITS, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.stderr, shown
    if result.exit_code != 0:
        assert dump(hostile) == before, shown


def relog(*args: bytes, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """relog as a shell starts it, with arguments and standard input as raw bytes."""
    return subprocess.run(
        [sys.executable, "-m", "relog", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        [b"client", b"add", b"\xff"],
        [b"add", b"call", b"Dana Levi", b"-m", b"bad \xff\xfe"],
        [b"log", b"--since", b"\xc3"],
        [b"client", b"\xe2\x82"],
    ],
    ids=["name", "summary", "date", "command"],
)
def test_an_argument_that_is_not_utf8_is_refused_in_one_line(
    run: Run, journal: Path, args: list[bytes]
) -> None:
    run("client", "add", "Dana Levi")
    before = dump(journal)
    done = relog(*args)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2, stderr
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("relog: error: an argument is not valid UTF-8 text ("), stderr
    assert "\\x" in stderr
    assert dump(journal) == before


def test_a_utf8_argument_in_the_same_place_is_stored(run: Run, journal: Path) -> None:
    done = relog(b"client", b"add", "דנה \u200fלוי".encode())
    assert done.returncode == 0, done.stderr.decode()
    assert "דנה \u200fלוי" in run("client", "list").stdout
