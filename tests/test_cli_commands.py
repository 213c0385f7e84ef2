"""The root lists its commands from a table, and builds a command only when it is used."""

from __future__ import annotations

import inspect
import os
from typing import TYPE_CHECKING

import pytest
import typer.main

from relog.cli import app
from relog.cli.app import COMMANDS, LazyCommands, RelogGroup
from tests.subprocesses import complete, run_relog

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run

COMMAND_MODULES = frozenset(listed.module for listed in COMMANDS.values())


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


def test_root_help_is_the_same_with_every_command_built() -> None:
    group = root()
    with group.make_context("relog", ["--db", "x.db"]) as ctx:
        listed = group.get_help(ctx)
        assert isinstance(group.commands, LazyCommands)
        assert all(group.commands.built(name) is None for name in COMMANDS)
        for _ in group.commands.values():
            pass
        assert all(group.commands.built(name) is not None for name in COMMANDS)
        built = group.get_help(ctx)
    assert "add" in listed and "config" in listed
    assert listed == built


def test_the_commands_keep_their_order(run: Run) -> None:
    assert list(root().commands) == list(COMMANDS)
    screen = run("--help").stdout
    where = [screen.index(f"\n  {name} ") for name in COMMANDS]
    assert where == sorted(where)


def test_root_help_and_command_completion_import_no_command(journal: Path) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    helped = run_relog(["--help"], env)
    assert "Log a contact" in helped.stdout
    assert not helped.modules & COMMAND_MODULES
    completed = complete(["relog", "re"], env)
    assert completed.stdout.split() == ["review", "restore"]
    assert not completed.modules & COMMAND_MODULES


def test_a_command_imports_its_own_module_only(journal: Path) -> None:
    helped = run_relog(["add", "--help"], {**os.environ, "COLUMNS": "100"})
    assert "Log a contact" in helped.stdout
    assert helped.modules & COMMAND_MODULES == {"relog.cli.entries"}
