"""Hostile input: random command lines for every command never end in a bug, and a failed
command changes nothing (issue 11's promise, issue 14's rows 3, 7, 8 and 10).

The command lines come from `tests/hostile.py`, which reads every command and
option off relog's command tree; they run in-process for speed, against a
seeded journal that each successful command may change and each failed one
must leave exactly as it was. A few cases run relog as a new process, for
bytes on the command line that are not UTF-8.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from relog.cli import app
from tests.hostile import SEED, Leaf, answers, arguments, dump, leaves

if TYPE_CHECKING:
    import random

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


@pytest.mark.parametrize("leaf", COMMANDS, ids=[" ".join(leaf.words) for leaf in COMMANDS])
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rng=st.randoms(use_true_random=False))
def test_random_command_lines_never_end_in_a_bug_and_a_failure_changes_nothing(
    hostile: Path, leaf: Leaf, rng: random.Random
) -> None:
    args = arguments(rng, leaf)
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


ANSWERS = [b"1", b"vague", b"y", b"late delivery", b"service", b"other", b"", b"a checklist"]
"""The guided post-mortem's answers up to the due date, for a journal of one former client."""


@pytest.fixture
def former(run: Run) -> None:
    run("client", "add", "Acme")
    run("client", "end", "Acme", "--reason", "moved on")


@pytest.mark.usefixtures("former")
def test_an_answer_that_is_not_utf8_is_asked_again_and_no_answer_is_lost(run: Run) -> None:
    bad = [*ANSWERS[:3], b"late \xff delivery", *ANSWERS[3:], b"none", b"y"]
    done = relog(b"mistakes", stdin=b"\n".join(bad) + b"\n")
    assert done.returncode == 0, done.stderr.decode()
    assert "the answer is not valid UTF-8 text ('late \\xff delivery')" in done.stdout.decode()
    saved = json.loads(run("mistakes", "list", "--json").stdout)["mistakes"]
    assert [(m["what"], m["plan"]) for m in saved] == [("late delivery", "a checklist")]


@pytest.mark.usefixtures("former")
def test_input_that_ends_after_a_bad_answer_is_refused_and_saves_nothing(run: Run) -> None:
    done = relog(b"mistakes", stdin=b"\n".join([*ANSWERS[:3], b"\xff\xfe"]) + b"\n")
    assert done.returncode == 2, done.stderr.decode()
    assert done.stderr.decode().endswith(
        "relog: error: input ended before the last answer; nothing was saved\n"
    )
    assert json.loads(run("mistakes", "list", "--json").stdout)["mistakes"] == []


@pytest.mark.backends  # psycopg opens a transaction for reads too: told apart by the statements
def test_a_commit_whose_output_cannot_be_written_says_it_was_saved(run: Run) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "relog", "client", "add", "Out Full"],
            stdout=full,
            capture_output=False,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.decode() == (
        "relog: error: cannot write the output: No space left on device; "
        "what was saved before it is kept in the journal\n"
    )
    assert "Out Full" in run("client", "list").stdout


@pytest.mark.backends
def test_a_read_whose_output_cannot_be_written_says_nothing_was_saved(run: Run) -> None:
    run("client", "add", "Dana Levi")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "relog", "client", "list"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.decode().endswith("No space left on device; nothing was saved\n")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("log", "--limit", "9223372036854775808"), "not in the range 1<=x<=9223372036854775807"),
        (("search", "call", "-n", "99999999999999999999"), "1<=x<=9223372036854775807"),
        (("edit", "9223372036854775808", "-m", "x"), "1<=x<=9223372036854775807"),
        (("mistakes", "done", "9223372036854775808"), "1<=x<=9223372036854775807"),
        (("client", "add", "X", "--cadence", "9" * 5000), "--cadence: 1000000000000000000 days"),
        (("bill", "Dana Levi", "9" * 5000), "amount: '999"),
        (("client", "add", "X", "--retainer", "1" + "0" * 40), "--retainer: '1000"),
    ],
    ids=["limit", "search limit", "entry id", "mistake id", "cadence", "amount", "retainer"],
)
def test_every_number_is_bounded(run: Run, args: tuple[str, ...], fragment: str) -> None:
    run("client", "add", "Dana Levi")
    line = run(*args, code=2).stderr
    assert line.startswith("relog: error: ") and line.count("\n") == 1, line
    assert fragment in line


def test_the_largest_limit_sqlite_takes_is_accepted(run: Run) -> None:
    run("client", "add", "Dana Levi")
    run("add", "call", "Dana Levi", "-m", "first")
    assert "first" in run("log", "--limit", "9223372036854775807").stdout


@pytest.fixture
def exported(run: Run, tmp_path: Path) -> dict[str, Any]:
    run("client", "add", "Dana Levi")
    document: dict[str, Any] = json.loads(run("export").stdout)
    return document


@pytest.mark.parametrize(
    ("name", "code"),
    [("half \ud800 of a pair", 2), ("a whole pair \U0001f600", 0)],
    ids=["lone surrogate", "pair"],
)
def test_an_import_with_half_a_surrogate_pair_is_refused(
    run: Run, journal: Path, tmp_path: Path, exported: dict[str, Any], name: str, code: int
) -> None:
    exported["clients"][0]["name"] = name
    path = tmp_path / "import.json"
    path.write_text(json.dumps(exported), encoding="ascii")  # every non-ASCII one as \\u escapes
    before = dump(journal)
    result = run("import", str(path), code=code)
    if code:
        assert "half of a surrogate pair" in result.stderr
        assert dump(journal) == before
    else:
        assert name in run("client", "list").stdout


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_an_import_from_a_device_or_a_fifo_is_refused_unread(
    run: Run, tmp_path: Path, kind: str
) -> None:
    if kind == "fifo":
        path = tmp_path / "pipe.json"
        os.mkfifo(path)  # read, it would wait for a writer for ever
    else:
        path = Path("/dev/zero")  # read, it never ends
    line = run("import", str(path), "--format", "json", code=2).stderr
    assert (
        line == f"relog: error: {str(path)!r} is not a regular file; give a file relog exported\n"
    )


def test_a_path_too_long_for_the_system_is_one_line(run: Run) -> None:
    for args in (("backup", "א" * 300), ("export", "-o", f"/tmp/{'a' * 300}/x.json")):
        line = run(*args, code=2).stderr
        assert line.startswith("relog: error: cannot use '") and line.count("\n") == 1
        assert "File name too long" in line
