"""Docs as tests: every command explains itself, and docs/json.md covers every JSON field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import typer.main
from typer.core import TyperGroup

from relog import __version__
from relog.cli import app
from relog.schema import (
    BackupOut,
    BillList,
    BillOut,
    ClientDetail,
    ClientList,
    ClientOut,
    HealthOut,
    InteractionOut,
    MatchOut,
    RequestOut,
    SearchHitOut,
    SearchResults,
    StrangerOut,
    SyncClientOut,
    SyncProblemOut,
    SyncReportOut,
    SyncRunOut,
    Timeline,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pydantic import BaseModel
    from typer._click.core import Command

    from tests.conftest import Run

DOCS = Path(__file__).parent.parent / "docs"
RICH_TAG = re.compile(r"(?<!\\)\[[a-z#/@][^\[]*?\]")
"""Text that Rich would take for a markup tag and swallow from the help."""


def walk(command: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    yield path, command
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


COMMANDS = dict(walk(typer.main.get_command(app)))


def test_the_journal_commands_are_all_there() -> None:
    journal = {
        ("add",),
        ("log",),
        ("edit",),
        ("delete",),
        ("client",),
        ("client", "add"),
        ("client", "list"),
        ("client", "show"),
        ("client", "edit"),
        ("client", "end"),
        ("client", "delete"),
        ("bill",),
        ("bills",),
    }
    assert journal <= set(COMMANDS)


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "relog")
def test_every_command_has_help(run: Run, path: tuple[str, ...]) -> None:
    command = COMMANDS[path]
    assert command.help and command.help.strip(), f"relog {' '.join(path)} has no help text"
    assert not RICH_TAG.search(command.help), command.help
    for param in command.params:
        text = getattr(param, "help", None)
        assert text and text.strip(), f"{param.name} of relog {' '.join(path)} has no help"
        assert not RICH_TAG.search(text), f"Rich would swallow part of: {text}"
    result = run(*path, "--help")
    assert result.stdout.lstrip().startswith("Usage: relog")
    assert "Traceback" not in result.stdout + result.stderr
    first_line = command.help.strip().splitlines()[0]
    assert first_line.split()[0] in result.stdout


def flat(help_screen: str) -> str:
    """A help screen without its box and line breaks, to search for phrases."""
    return " ".join(help_screen.replace("│", " ").split())


def test_default_values_survive_rich_markup(run: Run) -> None:
    assert "When it happened (default: now)" in flat(run("add", "--help").stdout)
    assert "When it ended (default: now)" in flat(run("client", "end", "--help").stdout)
    assert "(default: relog's folder in your user data directory)" in flat(run("--help").stdout)


def test_version(run: Run) -> None:
    assert run("--version").stdout == f"relog {__version__}\n"


# docs/json.md -----------------------------------------------------------------------

JOURNAL_DOCUMENTS: list[type[BaseModel]] = [
    ClientOut,
    ClientList,
    ClientDetail,
    RequestOut,
    InteractionOut,
    Timeline,
    BillOut,
    BillList,
    BackupOut,
    HealthOut,
    SearchHitOut,
    MatchOut,
    SearchResults,
    SyncReportOut,
    SyncClientOut,
    SyncProblemOut,
    StrangerOut,
    SyncRunOut,
]


@pytest.mark.parametrize("model", JOURNAL_DOCUMENTS, ids=lambda m: m.__name__)
def test_json_doc_describes_every_field(model: type[BaseModel]) -> None:
    text = (DOCS / "json.md").read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"`{name}`" not in text]
    assert missing == [], f"docs/json.md does not describe {model.__name__}: {missing}"


def test_json_doc_states_the_contract() -> None:
    text = (DOCS / "json.md").read_text(encoding="utf-8")
    assert "trailing `Z`" in text
    assert "never renamed or removed" in text
    for command in ("client list", "client show", "client add", "client edit", "client end"):
        assert f"relog {command}" in text
    for command in ("relog add", "relog edit", "relog log", "relog search", "relog bills"):
        assert command in text
    assert "relog bill " in text


def test_design_doc_explains_the_choices() -> None:
    text = (DOCS / "design.md").read_text(encoding="utf-8")
    for topic in ("platformdirs", "Alembic", "dateparser", "tomli-w", "hypothesis", "0600", "FTS5"):
        assert topic in text, topic
    assert "RELOG_DEBUG=1" in text
