"""Help screens: every command's, at 60, 80 and 120 columns, clean and whole."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from relog.cli.app import COMMANDS, app
from relog.cli.helpscreen import MAX_WIDTH

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import Golden

from tests.conftest import GOLDEN


def command_paths() -> Iterator[tuple[str, ...]]:
    """Every command path of relog: ("add",), ("client", "add"), ..."""
    root = typer.main.get_group(app)
    for name in COMMANDS:
        command = root.commands[name]
        yield (name,)
        if isinstance(command, TyperGroup):
            for sub in command.commands:
                yield (name, sub)


PATHS = [(), *command_paths()]


@pytest.fixture
def helped(journal: Path) -> Callable[..., str]:
    """A command's help screen as a terminal `width` columns wide shows it.

    The test runner fixes Click's width at 80 columns, so the width is handed
    to the command's context, as the terminal's size is in a real shell.
    """
    runner = CliRunner()

    def show(*path: str, width: int = 100) -> str:
        result = runner.invoke(app, [*path, "--help"], terminal_width=width)
        assert result.exit_code == 0, result.output
        return result.stdout

    return show


NOISE = re.compile(r"<(str|bool|int|path)>|\{[A-Z]+\}|\[\[|x<=|<=x|\[required\]|\[default")


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "relog")
def test_every_help_screen_fits_and_is_clean(
    helped: Callable[..., str], path: tuple[str, ...], width: int
) -> None:
    screen = helped(*path, width=width)
    assert screen.startswith(f"Usage: relog {' '.join(path)}".replace("  ", " "))
    lines = screen.splitlines()
    longest = max(len(line) for line in lines)
    assert longest <= min(width, MAX_WIDTH), max(lines, key=len)
    assert not NOISE.search(screen), NOISE.search(screen)
    assert all(line == line.rstrip() for line in lines)
    assert "-h, --help" in screen


@pytest.mark.parametrize("path", PATHS[1:], ids=lambda p: " ".join(p))
def test_no_word_of_an_option_help_is_broken(
    helped: Callable[..., str], path: tuple[str, ...]
) -> None:
    """Each option's help, its words joined again, is on the screen at 60 columns."""
    screen = helped(*path, width=60)
    flowing = " ".join(screen.split())
    root = typer.main.get_group(app)
    command = root.commands[path[0]]
    for name in path[1:]:
        command = command.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        words = " ".join((getattr(param, "help", None) or "").split())
        assert words.rstrip(".") in flowing, words


def test_an_option_says_its_range_and_off_switch_in_words(helped: Callable[..., str]) -> None:
    screen = helped("add")
    assert "How long it took, in minutes (0 to 1440)." in screen
    assert "--agreed / --no-agreed" in screen
    assert "--late / --no-late" in screen
    assert "Usage: relog add [OPTIONS] KIND CLIENT" in screen
    edit = helped("edit")
    assert "Usage: relog edit [OPTIONS] ID" in edit
    assert "9223372036854775807" not in edit
    log = helped("log")
    assert "Usage: relog log [OPTIONS] [CLIENT]" in log
    assert "(at least 1)" in log


def test_off_switches_share_one_convention() -> None:
    """Every flag that can be turned off is turned off with --no-<flag>."""
    root = typer.main.get_group(app)
    switches = []
    for path in PATHS[1:]:
        command = root.commands[path[0]]
        for name in path[1:]:
            command = command.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            for on, off in zip(param.opts, getattr(param, "secondary_opts", []), strict=False):
                switches.append((on, off))
    assert switches
    assert all(off == f"--no-{on.removeprefix('--')}" for on, off in switches), switches


@pytest.mark.parametrize("width", [60, 80])
def test_the_add_help_screen(helped: Callable[..., str], golden: Golden, width: int) -> None:
    golden(GOLDEN / f"help-add-{width}.txt", helped("add", width=width))


def test_example_commands_keep_a_line_each(helped: Callable[..., str]) -> None:
    screen = helped("client", "edit", width=60)
    starts = [line for line in screen.splitlines() if line.startswith("    relog client edit")]
    assert len(starts) == 4, screen
