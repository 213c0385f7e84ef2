"""Hostile and broken config files (issue 14, row 11; issue 11's broken environments).

RELOG_CONFIG may name anything. Each case is one line on stderr and exit 5,
and nothing changes: not the journal, not the config file. The read is
bounded: a FIFO or a device is refused before it is opened, a file larger
than 1 MiB is not read, nesting too deep for the parser is refused.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.hostile import dump
from tests.test_errors import assert_one_error

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


BROKEN = [
    ("[penalties]\ninfo = true\n", ["penalties.info: true is not a whole number; give 0 to 100"]),
    ('[penalties]\ninfo = "3"\n', ['penalties.info: "3" is not a whole number']),
    ("[penalties]\ninfo = 5.0\n", ["penalties.info: 5.0 is not a whole number"]),
    ("[weights]\ntrust = true\n", ["weights.trust: true is not a number; give 0 to 100"]),
    ("[money]\ncurrency = 3\n", ["money.currency: 3 is not text in quotes"]),
    ("penalties = 5\n", ["is not a section; write it as a [penalties] table"]),
    ("[penalties]\ninfo = -1\n", ["penalties.info: -1 is out of range; give 0 to 100"]),
    ("[penalties]\ninfo = 99999999999999999999\n", ["99999999999999999999 is out of range"]),
    ("[weights]\ntrust = 1e400\n", ["weights.trust: inf is out of range"]),
    ("[weights]\ntrust = nan\n", ["weights.trust: nan is out of range"]),
    ("[attention]\npace_tolerance = 0\n", ["give more than 0 to 1"]),
    ("[penalties]\ninfo = " + "9" * 5000 + "\n", ["holds a value relog cannot read"]),
    ("[pursuit]\nchase_streek = 3\n", ["unknown setting pursuit.chase_streek", "chase_streak"]),
    ("[nonsense]\n", ["unknown setting nonsense"]),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", ["nests arrays or tables too deeply"]),
    ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", ["nests arrays or tables too deeply"]),
    ("[attention\n", ["is not valid TOML"]),
    ("#" * (1 << 20) + "\n", ["larger than 1024 KiB"]),
]


@pytest.mark.parametrize(("text", "fragments"), BROKEN, ids=range(len(BROKEN)))
def test_a_broken_config_is_one_line_exit_5_and_changes_nothing(
    run: Run, journal: Path, config: Path, text: str, fragments: list[str]
) -> None:
    run("client", "add", "Dana Levi")
    config.write_text(text, encoding="utf-8")
    before = dump(journal)
    for args in (("review", "Dana Levi"), ("config", "show"), ("config", "get", "penalties.info")):
        assert_one_error(run(*args, code=5), str(config), *fragments)
    assert_one_error(run("config", "set", "penalties.warning", "20", code=5), *fragments)
    assert config.read_text(encoding="utf-8") == text
    assert dump(journal) == before


def test_a_config_of_every_setting_in_range_is_read(run: Run, config: Path) -> None:
    config.write_text(
        "[penalties]\ninfo = 0\nwarning = 100\n[weights]\ntrust = 3\n[money]\ncurrency = 'ils'\n",
        encoding="utf-8",
    )
    assert run("config", "get", "penalties.info").stdout == "0\n"
    assert run("config", "get", "weights.trust").stdout == "3.0\n"
    assert run("config", "get", "money.currency").stdout == "ILS\n"
    nested = "[penalties]\ninfo = 1\n" + "# a long comment\n" * 40_000  # under 1 MiB
    config.write_text(nested, encoding="utf-8")
    assert run("config", "get", "penalties.info").stdout == "1\n"


def test_a_config_that_is_not_utf8_is_refused(run: Run, config: Path) -> None:
    config.write_bytes(b"[money]\ncurrency = '\xff'\n")
    assert_one_error(run("config", "show", code=5), "is not UTF-8 text")


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null", "folder", "fifo"])
def test_a_config_path_that_is_not_a_regular_file_is_refused_without_reading_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    path = tmp_path / target
    if target == "folder":
        path.mkdir()
    elif target == "fifo":
        os.mkfifo(path)  # opened for reading, it would wait for a writer for ever
    else:
        path = type(tmp_path)(target)
    monkeypatch.setenv("RELOG_CONFIG", str(path))
    what = {"folder": "a folder", "fifo": "a FIFO"}.get(target, "a device")
    assert_one_error(run("review", code=5), f"config {path} is {what}", "RELOG_CONFIG")
    assert_one_error(run("config", "edit", code=5), f"is {what}")


def _without_room(limit: int) -> None:
    """In the child: files may grow to `limit` bytes, as on a disk with that much room."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_config_init_on_a_full_disk_leaves_no_file_and_can_run_again(config: Path) -> None:
    command = [sys.executable, "-m", "relog", "config", "init"]
    full = subprocess.run(
        command, capture_output=True, text=True, timeout=60, preexec_fn=lambda: _without_room(64)
    )
    assert full.returncode == 5, full.stderr
    assert full.stderr.startswith(f"relog: error: cannot write {config}: File too large")
    assert sorted(p.name for p in config.parent.iterdir() if p.name != "journal.db") == []
    again = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert "[penalties]" in config.read_text(encoding="utf-8")
    assert oct(config.stat().st_mode & 0o777) == "0o600"


def test_config_set_on_a_full_disk_keeps_the_config_as_it_was(config: Path) -> None:
    config.write_text("[penalties]\ninfo = 4\n", encoding="utf-8")
    command = [sys.executable, "-m", "relog", "config", "set", "pursuit.chase_streak", "3"]
    full = subprocess.run(
        command, capture_output=True, text=True, timeout=60, preexec_fn=lambda: _without_room(8)
    )
    assert full.returncode == 5, full.stderr
    assert config.read_text(encoding="utf-8") == "[penalties]\ninfo = 4\n"
    assert sorted(p.name for p in config.parent.iterdir()) == ["config.toml"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("9" * 5000, 'money.currency: "9999'),
        ("[" * 3000 + "]" * 3000, 'money.currency: "[[[['),
        ("true", "money.currency: true is not text in quotes"),
    ],
    ids=["long number", "deep nesting", "bool"],
)
def test_config_set_refuses_a_value_it_cannot_read_as_a_setting(
    run: Run, config: Path, value: str, fragment: str
) -> None:
    assert_one_error(run("config", "set", "money.currency", value, code=2), fragment)
    assert not config.exists()
    run("config", "set", "money.currency", "ILS")
    assert run("config", "get", "money.currency").stdout == "ILS\n"
