"""`relog client end` in a real terminal offers the post-mortem right away.

The offer only appears when standard input is a terminal, so this test runs
relog in a child process on a pseudo-terminal and types the answers.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.conftest import Run

pty = pytest.importorskip("pty")


def in_terminal(args: list[str], typed: str, timeout: float = 30.0) -> tuple[int, str]:
    """Run relog with a pseudo-terminal as stdin/stdout/stderr; return its exit code and screen."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "relog", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "TERM": "dumb", "NO_COLOR": "1"},
        close_fds=True,
    )
    os.close(follower)
    os.write(leader, typed.encode())
    screen = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk
            elif child.poll() is not None:
                break
        code = child.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(leader)
    return code, screen.decode(errors="replace").replace("\r\n", "\n")


def test_client_end_offers_the_post_mortem_in_a_terminal(run: Run) -> None:
    run("client", "add", "Acme Ltd", "--stage", "active")
    typed = "y\nvague\ny\nMisread the scope\nunderstanding\nvague-contract\n\n"
    typed += "Write a clear list of what is included\nin 2 weeks\ny\n"
    code, screen = in_terminal(["client", "end", "Acme Ltd", "--reason", "Maybe later"], typed)
    assert code == 0, screen
    assert "Walk through a short post-mortem now?" in screen
    assert "Which client?" not in screen, "the client who just left is the one"
    assert "Saved post-mortem #1 for Acme Ltd." in screen
    [row] = json.loads(run("mistakes", "list", "--json").stdout)["mistakes"]
    assert (row["client"], row["cause"], row["third_party"]) == ("Acme Ltd", "vague-contract", True)


def test_declining_the_offer_keeps_the_end_and_saves_no_post_mortem(run: Run) -> None:
    run("client", "add", "Acme Ltd", "--stage", "active")
    code, screen = in_terminal(["client", "end", "Acme Ltd", "--reason", "Maybe later"], "n\n")
    assert code == 0, screen
    assert json.loads(run("mistakes", "list", "--json").stdout)["mistakes"] == []
    assert "former" in run("client", "show", "Acme Ltd").stdout
