"""relog's help screens: plain aligned text that wraps between words at any width.

Every command's `--help` is written here from its Click parameters, the same
way for all of them:

    Usage: relog log [OPTIONS] [CLIENT]

      Show the timeline, newest first, one line per entry with its id.

    Arguments:
      CLIENT  Only this client (a unique start of the name will do).

    Options:
      --since WHEN  Only entries from that day on ...
      -n, --limit N  Show at most this many lines (at least 1).

An argument is named once (`KIND`, `[CLIENT]` when it may be left out); an
option shows its names, then its value's name, then an off-switch after a
slash; its help ends with its default or its range in words, when these say
something. The text fills the terminal up to `MAX_WIDTH` columns and wraps
between words (Click's formatter), so nothing breaks mid-word at 60 columns.
Rich's help panels are not used: they need a fixed-width column per part and
import Rich's Markdown and traceback modules on every `--help`.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import TYPE_CHECKING, Any

from typer._click.types import IntRange
from typer._types import TyperChoice
from typer.core import TyperArgument, TyperGroup, TyperOption

if TYPE_CHECKING:
    from collections.abc import Iterable

    from typer._click.core import Command, Context, Parameter
    from typer._click.formatting import HelpFormatter

MAX_WIDTH = 100
"""The widest a help screen grows, however wide the terminal (longer lines read badly)."""

RANGE_SHOWN_BELOW = 1_000_000
"""A range whose top is this or more is a technical bound (ids), not worth saying."""


def write_help(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    """Write `command`'s help screen into `formatter` (whose width fits the terminal)."""
    width = min(formatter.width, MAX_WIDTH)
    lines = _wrapped(f"Usage: {ctx.command_path} {' '.join(usage_pieces(command, ctx))}", width, 4)
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    for paragraph in filter(None, (p.strip() for p in text.split("\n\n"))):
        lines.append("")
        for part in _commands_apart(paragraph):
            example = part.startswith("relog ")
            lines += _wrapped(part, width, 4 if example else 0, 4 if example else 2)
    params = command.get_params(ctx)
    arguments = [p for p in params if isinstance(p, TyperArgument)]
    if any(a.help for a in arguments):
        lines += _section("Arguments", [(argument_name(a), a.help or "") for a in arguments], width)
    options = [row for p in params if (row := option_row(p, ctx)) is not None]
    lines += _section("Options", options, width)
    if isinstance(command, TyperGroup):
        lines += _section("Commands", list(command_rows(command, ctx)), width)
    if command.epilog:
        lines += ["", *_wrapped(inspect.cleandoc(command.epilog), width, 0, 2)]
    formatter.write("\n".join(lines) + "\n")


def _commands_apart(paragraph: str) -> list[str]:
    """A paragraph as its runs of text, each example command line (`relog ...`) a run of
    its own, so examples stay one to a line however the text is wrapped."""
    parts: list[str] = []
    for line in paragraph.splitlines():
        line = line.strip()
        if not parts or line.startswith("relog ") or parts[-1].startswith("relog "):
            parts.append(line)
        else:
            parts[-1] += f" {line}"
    return parts


def _wrapped(text: str, width: int, hang: int, indent: int = 0) -> list[str]:
    """`text` in lines of at most `width`, broken only between words (never at a
    hyphen: `--no-agreed` and `post-mortem` stay whole), later lines `hang` deeper."""
    return textwrap.wrap(
        " ".join(text.split()),
        width,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hang),
        break_on_hyphens=False,
        break_long_words=False,
    ) or [""]


def usage_pieces(command: Command, ctx: Context) -> list[str]:
    """`[OPTIONS]`, then each argument (`KIND`, `[CLIENT]`, `[CODE]...`), then subcommands."""
    pieces = ["[OPTIONS]"] if any(isinstance(p, TyperOption) for p in command.params) else []
    for param in command.params:
        if isinstance(param, TyperArgument):
            name = argument_name(param)
            if not param.required:
                name = f"[{name}]"
            pieces.append(name + ("..." if param.nargs != 1 else ""))
    if isinstance(command, TyperGroup):
        pieces.append("COMMAND [ARGS]...")
    return pieces


def argument_name(argument: TyperArgument) -> str:
    """An argument as the user sees it: its metavar, else its name in capitals."""
    return argument.metavar or (argument.name or "").upper()


def option_row(param: Parameter, ctx: Context) -> tuple[str, str] | None:
    """An option's two columns: `-m, --summary TEXT` and its help with default or range."""
    if not isinstance(param, TyperOption) or param.hidden:
        return None
    names = sorted(param.opts, key=lambda name: (name.startswith("--"), name))
    label = ", ".join(names)
    if not param.is_flag and not param.count:
        label += f" {value_name(param, ctx)}"
        if param.multiple:
            label += "..."
    if param.secondary_opts:
        label += " / " + ", ".join(param.secondary_opts)
    extras = [part for part in (_default(param, ctx), _range(param)) if part]
    help_text = param.help or ""
    if extras:
        said = "; ".join(extras)
        if not help_text:
            help_text = said.capitalize() + "."
        elif help_text.endswith("."):
            help_text = f"{help_text[:-1]} ({said})."
        else:
            help_text = f"{help_text} ({said})"
    return label, help_text


def value_name(option: TyperOption, ctx: Context) -> str:
    """The name of an option's value: its metavar, else a word for its type."""
    if option.metavar:
        return option.metavar
    if isinstance(option.type, TyperChoice):
        return (option.name or "value").upper()
    return {"integer": "N", "float": "NUMBER", "path": "PATH"}.get(option.type.name, "TEXT")


def _default(option: TyperOption, ctx: Context) -> str:
    if not option.show_default or option.is_flag or option.default in (None, "", (), []):
        return ""
    default = option.get_default(ctx, call=False)
    if callable(default) or default is None:
        return ""
    return f"default: {getattr(default, 'value', default)}"


def _range(option: TyperOption) -> str:
    kind = option.type
    if not isinstance(kind, IntRange):
        return ""
    low, high = kind.min, kind.max
    if high is not None and high < RANGE_SHOWN_BELOW:
        return f"{low} to {high}" if low is not None else f"at most {high}"
    if low is not None and low > 0:
        return f"at least {low}"
    return ""


def command_rows(group: TyperGroup, ctx: Context) -> Iterable[tuple[str, str]]:
    """Each subcommand with its whole summary (its help's first sentence or line)."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield name, summary(command)


def summary(command: Command) -> str:
    """A command's one-line summary: its short help, else its help's first paragraph."""
    if command.short_help:
        return command.short_help
    first = inspect.cleandoc(command.help or "").partition("\n\n")[0]
    return " ".join(first.split())


def _section(title: str, rows: list[tuple[str, str]], width: int) -> list[str]:
    """A titled list of rows: each label, then its help in a column that leaves the help
    at least half the screen; a longer label has its help on the next line."""
    if not rows:
        return []
    column = max(4, min(max(len(label) for label, _ in rows), width // 2 - 4, 30)) + 4
    lines = ["", f"{title}:"]
    for label, help_text in rows:
        first = f"  {label}"
        body = _wrapped(help_text, width - column, 0) if help_text else []
        if len(first) + 2 > column and body:
            lines += [first, *(" " * column + line for line in body)]
        elif body:
            lines.append(first.ljust(column) + body[0])
            lines += [" " * column + line for line in body[1:]]
        else:
            lines.append(first)
    return lines


def install(command: Any) -> None:
    """Give `command` and all its subcommands relog's help screen."""
    command.format_help = lambda ctx, formatter: write_help(command, ctx, formatter)
    for sub in getattr(command, "commands", {}).values():
        install(sub)
