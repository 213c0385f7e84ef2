"""The root lists its commands from a table, and builds a command only when it is used."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import typer.main

from relog.cli import app
from relog.cli.app import COMMANDS, LazyCommands, RelogGroup

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run

COMMAND_MODULES = sorted({listed.module for listed in COMMANDS.values()})


def root() -> RelogGroup:
    group = typer.main.get_command(app)
    assert isinstance(group, RelogGroup)
    return group


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_table_says_what_the_command_says(name: str) -> None:
    command = root().commands[name]
    assert command.name == name
    assert command.help is not None
    first_paragraph = inspect.cleandoc(command.help).split("\n\n")[0].strip()
    assert COMMANDS[name].summary == first_paragraph
    # What the stand-in leaves at its default must be the default on the real command too.
    assert command.short_help is None
    assert not command.hidden
    assert not command.deprecated
    assert not getattr(command, "rich_help_panel", None)  # the default panel


def test_root_help_is_the_same_with_every_command_built(
    capsys: pytest.CaptureFixture[str],
) -> None:
    group = root()
    with group.make_context("relog", ["--db", "x.db"]) as ctx:
        group.get_help(ctx)
        listed = capsys.readouterr().out
        assert isinstance(group.commands, LazyCommands)
        assert all(group.commands.built(name) is None for name in COMMANDS)
        for _ in group.commands.values():
            pass
        assert all(group.commands.built(name) is not None for name in COMMANDS)
        group.get_help(ctx)
        built = capsys.readouterr().out
    assert "add" in listed and "config" in listed
    assert listed == built


def test_the_commands_keep_their_order(run: Run) -> None:
    assert list(root().commands) == list(COMMANDS)
    screen = run("--help").stdout
    where = [screen.index(f"│ {name} ") for name in COMMANDS]
    assert where == sorted(where)


def _imported_after(argv: list[str], env: dict[str, str]) -> tuple[set[str], str]:
    """The modules a new `relog` process has imported when it exits, and what it printed."""
    code = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        "sys.argv = ['relog', *sys.argv[1:]]\n"
        "from relog.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1])), done.stdout


def test_root_help_and_command_completion_import_no_command(journal: Path) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    modules, screen = _imported_after(["--help"], env)
    assert "Log a contact" in screen
    assert not modules & set(COMMAND_MODULES)
    completing = {**env, "_RELOG_COMPLETE": "complete_bash", "COMP_WORDS": "relog re"}
    modules, offered = _imported_after([], {**completing, "COMP_CWORD": "1"})
    assert offered.split() == ["review"]
    assert not modules & set(COMMAND_MODULES)


def test_a_command_imports_its_own_module_only(journal: Path) -> None:
    modules, screen = _imported_after(["add", "--help"], {**os.environ, "COLUMNS": "100"})
    assert "Log a contact" in screen
    assert modules & set(COMMAND_MODULES) == {"relog.cli.entries"}
