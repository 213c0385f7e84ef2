"""Random, hostile command lines for every relog command, read off the command tree itself.

`tests/test_hostile_input.py` draws them through hypothesis, and
`benchmarks/hostile.py` counts how many of a thousand end in a bug; both ask
`command_line` for one, with a `random.Random` to draw from, so a new option
of any command is fuzzed the day it is added.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer.main
from typer._click import types
from typer._types import TyperChoice
from typer.core import TyperArgument, TyperGroup, TyperOption

from relog.cli import app

if TYPE_CHECKING:
    import random
    from pathlib import Path

    from typer._click.core import Command, Parameter

NAMES = ("Dana Levi", "Dana Cohen", "דנה לוי", "ACME Ltd.", "dana", "לוי")
"""The clients of `seed`, and starts of their names."""

TEXTS = (
    "",
    " ",
    "שלום, מה שלומך?",
    "\u200fמחיר: 1,200 ₪\u200e",
    "\u202eevil\u202c",
    "\u2067RTL\u2069 isolate",
    "emoji 👩🏽‍💻🎉",
    "e\u0301\u0301\u0301 combining",
    "\x1b[2J\x1b[HEvil",
    "bell\x07 cr\r back\x08 tab\t",
    "\x9b31m C1 \x85 NEL",
    "nul\x00inside",
    "line\nbreak",
    "Robert'); DROP TABLE client;--",
    "' OR 1=1 --",
    '"quoted" AND NOT',
    "name* NEAR(a b)",
    "%_\\",
    "[bold red]markup[/]",
    ":warning: emoji code",
    "-",
    "--",
    "-x",
    "--no-such-flag",
    "none",
    "default",
)
NUMBERS = (
    "0",
    "1",
    "-1",
    "-0",
    "7",
    "5-10",
    "10-5",
    "366",
    "1441",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 40,
    "9" * 5000,
    "1e309",
    "nan",
    "inf",
    "1,200.50",
    "0.001",
    "١٢",
    "²",
    "1_000",
)
DATES = (
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2026-01-05T25:61",
    "yesterday",
    "tomorrow",
    "3 days ago",
    "9999999999 days ago",
    "in 99999999999 years",
    "last friday 18:00",
    "1/2/3",
    "@1700000000",
    "1e10",
)
MEGABYTE = "א" * (1 << 19)
"""A megabyte of text (half a million two-byte letters)."""


@dataclass(frozen=True)
class Leaf:
    """A command that runs: its words after `relog`, and its parameters."""

    words: tuple[str, ...]
    params: tuple[Parameter, ...]


def leaves() -> list[Leaf]:
    """Every runnable command of `relog`, sub-commands of a group each on its own."""
    found: list[Leaf] = []

    def walk(command: Command, words: tuple[str, ...]) -> None:
        if isinstance(command, TyperGroup):
            if command.invoke_without_command:  # `relog mistakes` asks its questions
                found.append(Leaf(words, tuple(p for p in command.params if p.name != "help")))
            for name in command.list_commands(typer.Context(command)):
                sub = command.get_command(typer.Context(command), name)
                assert sub is not None
                walk(sub, (*words, name))
            return
        params = tuple(p for p in command.params if p.name != "help")
        found.append(Leaf(words, params))

    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    for name in root.list_commands(typer.Context(root)):
        command = root.get_command(typer.Context(root), name)
        assert command is not None
        walk(command, (name,))
    return found


def _text(rng: random.Random) -> str:
    pool = rng.choice((TEXTS, NAMES, NUMBERS, DATES))
    value = rng.choice(pool)
    if rng.random() < 0.2:
        value += rng.choice(TEXTS)
    if rng.random() < 0.02:
        value = MEGABYTE
    return value


PATHS = ("out.json", "", ".", "..", "/", "/nonexistent/x.db", "a b.md", "a" * 300, "nul\x00.db")
"""Paths for FILE and PATH: none outside the working folder that a command could replace
(an export with --force would put a file in place of /dev/null)."""
ITEMS = ("prices", "references,prices", "question,", ",,", "PRICES", "gossip")
SETTINGS = ("pursuit.chase_streak", "penalties.info", "money.currency", "weights.trust", "nope")
SETTING_VALUES = ("true", "3", "0.5", "ILS", "[1, 2]", "{a = 1}", '"x"', "default", "-7")


def _value(rng: random.Random, param: Parameter) -> str:
    """A value for `param`: often one it accepts, often one it must refuse, chosen by what
    the parameter takes (its type, or the metavar its help shows)."""
    kind, metavar = param.type, getattr(param, "metavar", None) or ""
    typed = {
        "WHEN": DATES,
        "DAYS": NUMBERS,
        "AMOUNT": NUMBERS,
        "MINUTES": NUMBERS,
        "ITEMS": ITEMS,
        "KEY": SETTINGS,
        "VALUE": SETTING_VALUES + NUMBERS,
        "FILE": PATHS,
        "PATH": PATHS,
        "FOLDER": PATHS,
        "CLIENT": NAMES,
        "NAME": NAMES,
    }.get(metavar, NAMES if param.name in {"name", "new_name"} else None)
    if isinstance(kind, TyperChoice) and rng.random() < 0.7:
        choice = str(rng.choice(list(kind.choices)))
        return choice.upper() if rng.random() < 0.2 else choice
    if isinstance(kind, (types.IntParamType, types.FloatParamType)):
        typed = NUMBERS
    if typed is not None and rng.random() < 0.7:
        return rng.choice(typed)
    return _text(rng)


def command_line(rng: random.Random, commands: list[Leaf]) -> list[str]:
    """One random command line: a command, some of its options, its arguments (a few
    missing or too many), and now and then a word no command expects."""
    return arguments(rng, rng.choice(commands))


def arguments(rng: random.Random, leaf: Leaf) -> list[str]:
    """A random command line for the command `leaf`."""
    words = list(leaf.words)
    for param in leaf.params:
        if isinstance(param, TyperArgument):
            if rng.random() < 0.9:
                count = 1 if param.nargs == 1 else rng.randint(0, 3)
                words += [_value(rng, param) for _ in range(count)]
        elif isinstance(param, TyperOption) and rng.random() < 0.5:
            flag = rng.choice([*param.opts, *param.secondary_opts])
            if param.is_flag:
                words.append(flag)
            else:
                words += [flag, _value(rng, param)]
    if rng.random() < 0.1:
        words.insert(rng.randint(len(leaf.words), len(words)), _text(rng))
    return words


def answers(rng: random.Random) -> str | None:
    """What standard input holds for a command that asks: nothing, or a few random lines."""
    if rng.random() < 0.3:
        return None
    return "\n".join(_text(rng) for _ in range(rng.randint(1, 12))) + "\n"


SEED: list[list[str]] = [
    ["client", "add", "Dana Levi", "--stage", "active", "--cadence", "7"],
    ["client", "add", "Dana Cohen", "--source", "referral"],
    ["client", "add", "דנה לוי", "--stage", "prospect"],
    ["client", "add", "ACME Ltd.", "--stage", "active"],
    ["add", "call", "Dana Levi", "--at", "2026-11-05T10:00", "-m", "first call"]
    + ["--asked", "prices"],
    ["add", "meeting", "דנה לוי", "--at", "2026-11-10T09:00", "-m", "פגישה ראשונה"],
    ["bill", "ACME Ltd.", "1200"],
    ["client", "end", "ACME Ltd.", "--reason", "moved on"],
    ["mistakes", "add", "--client", "ACME Ltd.", "--kind", "service", "--cause", "other"]
    + ["--what", "late delivery", "--plan", "a delivery checklist"],
]
"""A small journal every command has something to work on in."""


def dump(journal: Path) -> list[str]:
    """Every row of every table of the journal, read straight from the file."""
    if not journal.exists():
        return []
    with sqlite3.connect(journal) as connection:
        return list(connection.iterdump())
