"""Completion in real interactive shells: bash and zsh, driven through a terminal.

Each test starts the shell on a pseudo-terminal with relog's completion script
loaded as `relog --show-completion SHELL` prints it, types a command line with a
Tab, and presses Enter. `relog` itself is a shell function there that prints
each argument it gets between <>, so the test sees the words exactly as the
shell split them; the completion script still runs the real relog program.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.conftest import Run

pty = pytest.importorskip("pty")

RELOG = Path(sys.executable).parent / "relog"
SHOW_ARGS = 'relog() { printf "<%s>\\n" "$@"; }'

pytestmark = pytest.mark.skipif(not RELOG.exists(), reason="relog is not installed as a command")


def shell_setup(shell: str, folder: Path, journal: Path) -> tuple[list[str], dict[str, str]]:
    script = subprocess.run(
        [str(RELOG), "--show-completion", shell], capture_output=True, text=True, check=True
    ).stdout
    (folder / f"completion.{shell}").write_text(script, encoding="utf-8")
    env = {
        "HOME": str(folder),
        "PATH": f"{RELOG.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "RELOG_DB": str(journal),
        "TERM": "dumb",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    if shell == "zsh":
        rc = folder / ".zshrc"
        rc.write_text(
            "PS1='$ '\nautoload -U compinit; compinit -u\n"
            f"source {folder / 'completion.zsh'}\n{SHOW_ARGS}\n",
            encoding="utf-8",
        )
        return ["zsh", "-i"], {**env, "ZDOTDIR": str(folder)}
    rc = folder / ".bashrc"
    rc.write_text(f"PS1='$ '\nsource {folder / 'completion.bash'}\n{SHOW_ARGS}\n", encoding="utf-8")
    return ["bash", "--rcfile", str(rc), "-i"], env


def typed_in(command: list[str], env: dict[str, str], line: str, timeout: float = 20.0) -> str:
    """What the shell shows after `line` is typed (Tab included) and Enter pressed."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True
    )
    os.close(follower)
    screen = b""

    def read_for(seconds: float, until: bytes | None = None, quiet: float | None = None) -> None:
        """Read for `seconds`, or until `until` is on the screen, or until nothing more
        arrives for `quiet` seconds once something has."""
        nonlocal screen
        deadline, started = time.monotonic() + seconds, len(screen)
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], quiet or 0.1)
            if not ready:
                if quiet is not None and len(screen) > started:
                    return
                continue
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                return
            if not chunk:
                return
            screen += chunk
            if until is not None and until in screen:
                return

    try:
        read_for(timeout, b"$ ")  # the prompt
        head, _, tail = line.partition("\t")
        os.write(leader, (head + "\t").encode())
        read_for(5.0, quiet=0.7)  # the completion runs relog: until the line is redrawn
        os.write(leader, (tail + '; echo __do""ne__\r').encode())
        read_for(timeout, b"__done__")
        os.write(leader, b"exit\r")
        child.wait(timeout=timeout)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(leader)
    return screen.decode(errors="replace").replace("\r\n", "\n")


def arguments(screen: str) -> list[str]:
    """The words the `relog` function printed, one per line between <>."""
    return [
        line[1:-1] for line in screen.splitlines() if line.startswith("<") and line.endswith(">")
    ]


SHELLS = [
    pytest.param(name, marks=pytest.mark.skipif(not shutil.which(name), reason=f"no {name}"))
    for name in ("bash", "zsh")
]


@pytest.fixture
def names(run: Run) -> None:
    for name in ("Acme Ltd", "Dana O'Brien", "דנה לוי"):
        run("client", "add", name)


@pytest.mark.usefixtures("names")
@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("log Ac\t", ["log", "Acme Ltd"]),
        ("log dana\t -n 1", ["log", "Dana O'Brien", "-n", "1"]),
        ("log דנ\t", ["log", "דנה לוי"]),
        ("log lt\t", ["log", "Acme Ltd"]),
        ("add call Acme\\ Ltd --asked ref\t", ["add", "call", "Acme Ltd", "--asked", "references"]),
    ],
)
def test_a_completed_name_reaches_relog_as_one_word(
    shell: str, line: str, words: list[str], journal: Path, tmp_path: Path
) -> None:
    command, env = shell_setup(shell, tmp_path, journal)
    screen = typed_in(command, env, f"relog {line}")
    assert arguments(screen) == words, screen
