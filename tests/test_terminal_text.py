"""Text from the journal reaches the terminal with its control characters shown, everywhere
(issue 14, row 10); JSON keeps the text exactly.

A name, a summary, a note and a post-mortem hold ESC[2J (clear the screen),
CR, BEL, C1 controls and U+202E (show the rest of the line backwards). Every
screen that shows them must send none of those characters raw: each shows as
its escape (`\\x1b`, `\\u202e`), while the right-to-left marks Hebrew needs
stay as they are.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from relog.render.console import CONTROL, visible
from tests.conftest import GOLDEN
from tests.test_screens import utc  # noqa: F401  (autouse: every time in UTC)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Golden, Run

EVIL = "\x1b[2J\x1b[HEvil\x07 \x9b31m \u202eCorp"
"""A client name that clears the screen, rings, starts a C1 sequence and turns the line."""
SUMMARY = "paid\r\x1b[1Aforged line\x1b]0;title\x07 \u202edne"
NOTE = "first\x1b[31m red\nsecond line\x08\x08"
OTHER = "\x1b[31mRed\u202e Ltd"
"""An active client, with an agreed call ahead for the agenda."""
HEBREW = "\u200fמחיר\u200e 1,200"
"""Hebrew with the right-to-left and left-to-right marks it needs, which stay as they are."""


def assert_shown(text: str) -> None:
    """No character a terminal obeys (but line feed and tab) is in `text`, raw."""
    found = CONTROL.search(text)
    assert found is None, f"raw {found.group()!r} in {text!r}"


@pytest.fixture
def hostile(run: Run) -> None:
    run("client", "add", EVIL, "--stage", "active", "--note", NOTE, "--referred-by", EVIL)
    run("client", "add", f"דנה {HEBREW}")
    run("client", "add", OTHER, "--stage", "active")
    run("add", "call", OTHER, "--agreed", "--next", "in 3 days", "-m", SUMMARY)
    run("add", "call", EVIL, "--at", "2026-11-05T10:00", "-m", SUMMARY, "--asked", "prices")
    run("add", "meeting", EVIL, "--at", "2026-11-06T10:00", "-m", HEBREW)
    run("bill", EVIL, "1200", "--at", "2026-11-06", "--note", SUMMARY)
    run("client", "end", EVIL, "--reason", SUMMARY, "--at", "2026-11-20")
    run(
        *("mistakes", "add", "--client", EVIL, "--kind", "service", "--cause", "other"),
        *("--what", SUMMARY, "--plan", NOTE),
    )


SCREENS = [
    ("client", "list"),
    ("client", "show", EVIL),
    ("log",),
    ("log", EVIL),
    ("search", "title"),
    ("search", "red"),
    ("bills",),
    ("review", EVIL, "--as-of", "2026-11-10"),
    ("review", EVIL, "--as-of", "2026-11-10", "--explain"),
    ("review", "--as-of", "2026-11-10"),
    ("agenda", "--days", "30"),
    ("mistakes", "list"),
]
"""Every screen that shows text from the journal; an export to a terminal is below."""


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("args", SCREENS, ids=[visible(" ".join(a[:2])) for a in SCREENS])
def test_every_screen_shows_control_characters_as_escapes(run: Run, args: tuple[str, ...]) -> None:
    shown = run(*args).stdout
    assert_shown(shown)
    assert "\\x1b[2J" in shown or "\\x1b[" in shown or "\\u202e" in shown, shown


@pytest.mark.usefixtures("hostile")
def test_hebrew_keeps_its_direction_marks(run: Run) -> None:
    shown = run("log").stdout
    assert HEBREW in shown
    assert "\u200f" in run("client", "list").stdout


@pytest.mark.usefixtures("hostile")
def test_the_listings_show_the_escapes_aligned_on_one_line_per_row(
    run: Run, golden: Golden
) -> None:
    clients = run("client", "list").stdout
    timeline = run("log", EVIL).stdout
    assert len(clients.splitlines()) == 4  # a heading and three clients
    assert len(timeline.splitlines()) == 2
    golden(GOLDEN / "hostile-text.txt", clients + "\n" + timeline)


@pytest.mark.usefixtures("hostile")
def test_json_keeps_the_exact_text(run: Run) -> None:
    clients = json.loads(run("client", "list", "--json").stdout)["clients"]
    assert EVIL in [client["name"] for client in clients]
    entries = json.loads(run("log", "--json").stdout)["interactions"]
    assert SUMMARY in [entry["summary"] for entry in entries]
    exported = json.loads(run("export").stdout)
    assert NOTE in [client["notes"] for client in exported["clients"]]


@pytest.mark.usefixtures("hostile")
def test_errors_and_hints_show_what_was_typed_with_escapes(run: Run) -> None:
    taken = run("client", "add", EVIL, code=2).stderr
    missing = run("add", "call", "\x1b[2Jnobody", code=3).stderr
    close = run("add", "call", "\x1b[2J\x1b[HEvil\x07 \x9b31m Corp", code=3).stderr
    for line in (taken, missing, close):
        assert_shown(line)
        assert line.startswith("relog: error: ")
    assert "\\x1b[2J" in missing
    assert "did you mean" in close and "\\u202e" in close


@pytest.mark.usefixtures("hostile")
def test_a_question_shows_the_entry_it_asks_about_with_escapes(run: Run) -> None:
    entry = json.loads(run("log", "--json").stdout)["interactions"][-1]["id"]
    asked = run("delete", str(entry), input="n\n", code=1)
    assert "\\x1b" in asked.stdout + asked.stderr
    assert_shown(asked.stdout + asked.stderr)


@pytest.mark.usefixtures("hostile")
def test_the_post_mortem_questions_show_a_kept_answer_with_escapes(run: Run) -> None:
    asked = run("mistakes", input="1\ny\n" + "\n" * 12)  # revise it, keeping every answer
    assert "[paid \\x1b[1Aforged line\\x1b]0;title\\x07 \\u202edne]: " in asked.stdout
    assert_shown(asked.stdout + asked.stderr)


def test_text_without_control_characters_is_shown_as_it_is() -> None:
    plain = "Dana Levi\tשלום \u200fמחיר\u200e 👩🏽‍💻 e\u0301"
    assert visible(plain) == plain
    assert visible("a\nb") == "a\nb"
    assert visible("a\nb", one_line=True) == "a\\nb"
    shown = visible("\x1b[2J\r\x07\x9b\x7f\u202e\u2066")
    assert shown == "\\x1b[2J\\x0d\\x07\\x9b\\x7f\\u202e\\u2066"


def _in_a_terminal(journal: Path, *args: str) -> str:
    """What relog writes to a terminal (a pseudo-terminal), colours and all."""
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "relog", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "RELOG_DB": str(journal), "TERM": "xterm-256color", "COLUMNS": "100"},
        timeout=60,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 0
    return b"".join(chunks).decode("utf-8")


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    "args",
    [
        ("client", "list"),
        ("log",),
        ("export", "--format", "markdown"),
        ("client", "list", "--json"),
    ],
    ids=" ".join,
)
def test_in_a_terminal_only_relog_own_colours_are_escape_sequences(
    journal: Path, args: tuple[str, ...]
) -> None:
    shown = _in_a_terminal(journal, *args).replace("\r\n", "\n")  # the terminal adds CRs
    sequences = {shown[found.start() : found.start() + 2] for found in CONTROL.finditer(shown)}
    assert sequences <= {"\x1b["}, sequences  # the styles' CSI codes only
    assert "\x1b[2J" not in shown and "\x1b[H" not in shown and "\x07" not in shown
    assert "\u202e" not in shown and "\x9b" not in shown
    assert "\\x1b" in shown or "\\u001b" in shown


def test_emoji_codes_in_journal_text_are_shown_as_written(run: Run) -> None:
    run("client", "add", ":fire: Studio", "--stage", "active")
    run("add", "call", ":fire:", "--by", "them", "-m", "Loved it :smile:", "--asked", "prices")
    for args in (("review", ":fire:"), ("review",), ("client", "show", ":fire:"), ("log",)):
        shown = run(*args).stdout
        assert ":fire: Studio" in shown, args
        assert "\N{FIRE}" not in shown, args
    assert "Loved it :smile:" in run("log").stdout
