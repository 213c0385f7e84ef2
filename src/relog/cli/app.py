"""The root command: global options, its commands, and the one place errors become messages."""

from __future__ import annotations

import errno
import importlib
import os
import re
import sys
from collections.abc import Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.main
from typer._click.core import Command
from typer.core import TyperCommand, TyperGroup

from relog import __version__
from relog.cli import helpscreen
from relog.cli.helpscreen import MAX_WIDTH
from relog.errors import InputError, RelogError
from relog.render.console import error_line

if TYPE_CHECKING:
    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter
    from typer._click.shell_completion import CompletionItem

    from relog.config import Config
    from relog.store import Store

DEBUG_ENV = "RELOG_DEBUG"


@dataclass(frozen=True)
class Listed:
    """A command of the root, as the root lists it without importing it.

    `summary` is the first paragraph of the command's help, which is all that
    `relog --help` and command completion show; a test keeps it equal to the
    real help.
    """

    module: str
    attribute: str
    """A command function, or a Typer sub-app."""
    summary: str


COMMANDS: dict[str, Listed] = {
    "add": Listed(
        "relog.cli.entries",
        "add",
        "Log a contact (call, email, meeting, message) or a note about a client.",
    ),
    "log": Listed(
        "relog.cli.entries",
        "log",
        "Show the timeline, newest first, one line per entry with its id.",
    ),
    "search": Listed(
        "relog.cli.search",
        "search",
        "Find words in the entries' summaries, the clients' notes and the post-mortems.",
    ),
    "edit": Listed(
        "relog.cli.entries",
        "edit",
        "Correct an entry; only the options given change (--asked '' clears the items).",
    ),
    "delete": Listed("relog.cli.entries", "delete", "Delete one entry (asks first unless --yes)."),
    "bill": Listed("relog.cli.money", "bill", "Record an amount billed to a client."),
    "bills": Listed(
        "relog.cli.money", "bills", "List the amounts billed, newest first, with their total."
    ),
    "export": Listed(
        "relog.cli.transfer",
        "export_command",
        "Write the whole journal (or one client's part) as JSON, CSV or Markdown.",
    ),
    "import": Listed(
        "relog.cli.transfer",
        "import_command",
        "Import a journal or a list of contacts, merging it into this journal by client name.",
    ),
    "sync": Listed(
        "relog.cli.sync",
        "sync_app",
        "Log your mail and meetings with clients from Maildirs, mbox files and calendars.",
    ),
    "review": Listed(
        "relog.cli.review",
        "review",
        "Score a relationship, explain every point with evidence, and say what to do next.",
    ),
    "agenda": Listed(
        "relog.cli.agenda",
        "agenda_command",
        "Show what is due today and in the days ahead, overdue first.",
    ),
    "demo": Listed(
        "relog.cli.demo", "demo", "Build a demo journal in a throwaway folder and review it."
    ),
    "rules": Listed(
        "relog.cli.rules",
        "rules_command",
        "List the rules relog checks, or explain one with its settings.",
    ),
    "client": Listed(
        "relog.cli.client",
        "client_app",
        "Add, list, show, edit and end clients and prospects.",
    ),
    "forget": Listed(
        "relog.cli.backup",
        "forget",
        "Erase a client and everything about them, leaving no trace of them in the journal file.",
    ),
    "backup": Listed(
        "relog.cli.backup",
        "backup",
        "Copy the journal into a new file only you can read, safely even while relog writes to it.",
    ),
    "restore": Listed(
        "relog.cli.backup",
        "restore",
        "Put a copy in place of the journal, once it is checked; the current journal is kept.",
    ),
    "check": Listed(
        "relog.cli.backup",
        "check",
        "Check the journal file for damage, and say which copy to put back if it is damaged.",
    ),
    "mistakes": Listed(
        "relog.cli.mistakes",
        "mistakes_app",
        "The mistakes log: a short, positive post-mortem when a client leaves.",
    ),
    "config": Listed(
        "relog.cli.config", "config_app", "See and change relog's thresholds and weights."
    ),
    "help": Listed(
        "relog.cli.docs",
        "help_command",
        "Read relog's documentation: without a topic, the list of topics.",
    ),
}
"""Every command of `relog`, in the order its help lists them.

A command's module is imported only when that command runs, shows its own help
or completes its arguments: `relog --help` and the completion of command names
read this table, so they import none of them.
"""


def load_command(name: str) -> Command:
    """The Click command for `name`, as `app.command()` or `app.add_typer()` would build it."""
    listed = COMMANDS[name]
    target = getattr(importlib.import_module(listed.module), listed.attribute)
    holder = typer.Typer(
        rich_markup_mode=app.rich_markup_mode,
        pretty_exceptions_short=app.pretty_exceptions_short,
        suggest_commands=app.suggest_commands,
    )
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name=name)(target)
    command = typer.main.get_group(holder).commands[name]
    own_completion(command)
    helpscreen.install(command)
    return command


def _wraps(function: object, target: object, depth: int = 3) -> bool:
    """Whether `function` is `target` or wraps it (Typer nests two wrappers)."""
    if function is target:
        return True
    cells = getattr(function, "__closure__", None) or ()
    return depth > 0 and any(_wraps(cell.cell_contents, target, depth - 1) for cell in cells)


def own_completion(command: Command) -> None:
    """Complete client names with relog's own matching and quoting (`client_completion`).

    Typer wraps an `autocompletion` function in one that keeps only values that
    start with the text exactly as typed; every parameter registered with
    `complete_client` gets relog's Click-level completion instead.
    """
    from relog.cli.params import client_completion, complete_client

    for param in command.params:
        if _wraps(getattr(param, "_custom_shell_complete", None), complete_client):
            param._custom_shell_complete = client_completion
    for sub in getattr(command, "commands", {}).values():
        own_completion(sub)


class LazyCommands(MutableMapping[str, Command]):
    """The root's commands: every name in `COMMANDS` known up front, each built on first use."""

    def __init__(self) -> None:
        self._names = list(COMMANDS)
        self._built: dict[str, Command] = {}

    def built(self, name: str) -> Command | None:
        return self._built.get(name)

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in self._names:
                raise KeyError(name)
            self._built[name] = load_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        if name not in self._names:
            self._names.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)


class RelogGroup(TyperGroup):
    """The root command: lists its commands lazily, and turns every failure into one line.

    Usage mistakes (unknown flag, bad choice), `RelogError`s from any layer and
    Ctrl-C all end here, as one line on stderr and a non-zero exit; a traceback
    is shown only with RELOG_DEBUG=1, since it could carry journal contents.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        registered = self.commands
        self.commands = LazyCommands()
        self.commands.update(registered)
        self._listing = False
        self._state: AppState | None = None

    @contextmanager
    def _summaries(self) -> Iterator[None]:
        """While listing commands, a command not yet built stands in as its summary."""
        self._listing = True
        try:
            yield
        finally:
            self._listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)  # names only: TyperGroup's own reads every command

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        commands = self.commands
        assert isinstance(commands, LazyCommands)
        if self._listing and cmd_name in COMMANDS and commands.built(cmd_name) is None:
            summary = COMMANDS[cmd_name].summary
            return TyperCommand(cmd_name, help=summary, rich_markup_mode=self.rich_markup_mode)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        with self._summaries():
            helpscreen.write_help(self, ctx, formatter)

    def shell_complete(self, ctx: Context, incomplete: str) -> list[CompletionItem]:
        with self._summaries():
            return super().shell_complete(ctx, incomplete)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        def call() -> Any:
            return super(RelogGroup, self).main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )

        if not standalone_mode:
            return call()
        given = list(sys.argv[1:] if args is None else args)
        if os.environ.get(COMPLETE_VAR) or {"--install-completion", "--show-completion"} & {*given}:
            from relog.cli import zsh

            zsh.register()
        AFTER_SUCCESS.clear()
        self._state = None
        try:
            for arg in given:
                readable(arg, "an argument")
            _undecoded_input()
            _completion_for_named_shell(given)
            result = call()
            if AFTER_SUCCESS:
                from relog.render.console import note_line

                for note in AFTER_SUCCESS:
                    note_line(note)
        except typer.TyperException as failure:
            if type(failure).__name__ == "NoArgsIsHelpError":
                failure.show()  # type: ignore[attr-defined]
                sys.exit(failure.exit_code)
            usage_ctx = getattr(failure, "ctx", None)
            hint = f" (see '{usage_ctx.command_path} --help')" if usage_ctx is not None else ""
            error_line(_usage_message(failure, sys.argv[1:] if args is None else args) + hint)
            sys.exit(failure.exit_code)
        except typer.Abort:
            error_line(f"aborted; {self._what_was_saved()}")
            sys.exit(130)
        except RelogError as failure:
            error_line(str(failure))
            sys.exit(failure.exit_code)
        except OSError as failure:
            if failure.filename is not None:
                self._unusable_path(failure)
            if failure.errno not in OUTPUT_FAILURES:
                self._unexpected(failure)
            _silence_output()
            if failure.errno == errno.EPIPE:
                sys.exit(1)  # the reader stopped reading (`relog log | head`): as Click says it
            error_line(f"cannot write the output: {failure.strerror}; {self._what_was_saved()}")
            sys.exit(1)
        except Exception as failure:
            if os.environ.get(DEBUG_ENV):
                raise
            from relog.store.engine import is_damage

            if is_damage(failure):
                error_line(
                    f"the journal is damaged ({getattr(failure, 'orig', failure)}); "
                    "'relog check' shows what is affected and which copy to put back"
                )
                sys.exit(4)
            self._unexpected(failure)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        finally:
            self._state = ctx.find_object(AppState)

    def _what_was_saved(self) -> str:
        """Whether the journal was changed before the failure, in words: what `main` says after
        "aborted" or a failure, which must not say nothing was saved when something was."""
        if self._state is not None and self._state.saved:
            return "what was saved before it is kept in the journal"
        return "nothing was saved"

    def _unusable_path(self, failure: OSError) -> NoReturn:
        """A path given on the command line that the system refused where no command turned
        the refusal into its own message (a name too long, a file where a folder must be)."""
        name = os.fsdecode(failure.filename)
        shown = name if len(name) <= 80 else name[:79] + "…"
        error_line(f"cannot use {shown!r}: {failure.strerror}; {self._what_was_saved()}")
        sys.exit(2 if failure.errno in BAD_PATHS else 1)

    def _unexpected(self, failure: Exception) -> NoReturn:
        """A failure that is a bug in relog: exit 70, its details only with RELOG_DEBUG=1."""
        if os.environ.get(DEBUG_ENV):
            raise failure
        error_line(
            f"unexpected {type(failure).__name__}; {self._what_was_saved()}. "
            f"Run again with {DEBUG_ENV}=1 to see the details"
        )
        sys.exit(70)


BAD_PATHS = frozenset({errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.ELOOP, errno.EINVAL})
"""The refusals of a path that are the path's own fault: bad input (exit 2)."""

OUTPUT_FAILURES = frozenset({errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})
"""The errors of a write to standard output that relog cannot help: a reader gone, a full disk.

Every file relog writes on its own turns its errors into a `RelogError`, and
SQLite reports a full disk as its own error, so one of these reaching the root
is standard output (or standard error) failing.
"""


def _silence_output() -> None:
    """Send what is left of standard output nowhere, so the interpreter's last flush of it
    cannot fail a second time on the way out."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
        os.close(nowhere)
    except (OSError, ValueError, AttributeError):
        pass  # not a file with a descriptor (as under a test's runner): nothing is left to flush


def readable(text: str, what: str) -> str:
    """`text`, refused (exit 2) when it holds bytes that are not UTF-8, or a NUL.

    Python keeps such bytes of a command line or of standard input as lone
    surrogates (U+DC80-U+DCFF), which no journal, terminal or file can take.
    A NUL cannot be typed on a command line, and no file path can hold one.
    """
    if "\x00" in text:
        raise InputError(f"{what} holds a NUL character (\\x00), which relog does not take")
    if not _SURROGATE.search(text):
        return text
    kept = text.encode("utf-8", "surrogateescape" if _ESCAPED.fullmatch(text) else "replace")
    shown = kept.decode("utf-8", "backslashreplace")
    raise InputError(
        f"{what} is not valid UTF-8 text ('{shown}'); "
        "relog reads UTF-8 (check the terminal's or the file's encoding)"
    )


_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED = re.compile("[^\ud800-\udc7f\udd00-\udfff]*")
"""Text whose surrogates are all bytes kept by Python's surrogateescape."""


def _undecoded_input() -> None:
    """Read bytes of standard input that are not UTF-8 as lone surrogates, which each answer's
    check refuses as `readable` does (and a question asks again), rather than failing
    in the middle of a read."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="surrogateescape")
        except (OSError, ValueError):
            pass


AFTER_SUCCESS: list[str] = []
"""Notes for the end of a command that worked, such as that the journal is read-only
(a command that failed to write says so in its one error line instead)."""

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _completion_for_named_shell(args: list[str]) -> None:
    """`--install-completion zsh` / `--show-completion fish`: the shell named, not the one
    running (Typer's own options take no value when they can detect the shell, and
    would install for bash whatever was named)."""
    for option in ("--install-completion", "--show-completion"):
        if option not in args:
            continue
        after = args[args.index(option) + 1 : args.index(option) + 2]
        if not after or after[0].startswith("-"):
            return
        shell = after[0]
        if shell not in SHELLS:
            raise InputError(f"{option}: unknown shell {shell!r}; accepted: {', '.join(SHELLS)}")
        from typer._completion_shared import get_completion_script, install

        if option == "--show-completion":
            print(get_completion_script(prog_name="relog", complete_var=COMPLETE_VAR, shell=shell))
        else:
            _, path = install(shell=shell, prog_name="relog", complete_var=COMPLETE_VAR)
            print(f"{shell} completion installed in {path}")
            print("Completion will take effect once you restart the terminal")
        sys.exit(0)


COMPLETE_VAR = "_RELOG_COMPLETE"

_NEGATIVE = re.compile(r"-\d[\d,.]*")


def _usage_message(failure: typer.TyperException, args: Sequence[str]) -> str:
    """A usage mistake in one line; a negative number, which Click takes for an option, as such.

    Click reports `-1200` as "No such option: -1", the first letter it could not
    read; no positional argument of relog's takes a negative number.
    """
    option = getattr(failure, "option_name", None)
    if type(failure).__name__ == "NoSuchOption" and option and _NEGATIVE.fullmatch(option):
        typed = next((a for a in args if a.startswith(option) and _NEGATIVE.fullmatch(a)), option)
        return (
            f"{typed!r} is negative, and no argument of relog's takes a negative number: "
            "amounts and ids are above zero"
        )
    # Some usage messages list the choices one per line; keep them on one.
    return " ".join(failure.format_message().split())


@dataclass
class AppState:
    """What the root command hands every sub-command: where the journal is."""

    db: str | None = None
    ctx: typer.Context | None = field(default=None, repr=False)
    saved: bool = False
    """Whether this command has committed a change to the journal (see `_note_commits`)."""
    _store: Store | None = field(default=None, repr=False)
    _config: Config | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The journal, opened (and migrated) on first use, closed when the command ends."""
        if self._store is None:
            from relog.paths import ServerJournal, journal_location
            from relog.store import open_store

            where, chosen = journal_location(self.db)
            opened = where.url if isinstance(where, ServerJournal) else where
            self._store = open_store(opened, user_chosen=chosen, member=self.member)
            _note_commits(self._store, self)
            if self._store.notes:
                from relog.render.console import note_line

                for note in self._store.notes:
                    note_line(note)
            if self._store.read_only is not None:
                AFTER_SUCCESS.append(
                    f"journal {self._store.name} is read-only ({self._store.read_only}); "
                    "relog could read it, but can change nothing in it"
                )
            if self.ctx is not None:
                self.ctx.call_on_close(self._store.close)
            if not chosen and isinstance(where, Path):
                self._scheduled_backup(where)
        return self._store

    def _scheduled_backup(self, journal: Path) -> None:
        """A journal at the default location is copied beside itself every few days
        (`[backup]` in the config); a copy that cannot be made is said, not fatal."""
        from relog.store.files import days_since_copy, scheduled_backup

        age = days_since_copy(journal)
        if age is not None and age < 1:
            return  # made today: the config need not be read
        settings = self.config().backup
        try:
            scheduled_backup(journal, every_days=settings.every_days, keep=settings.keep)
        except RelogError as error:
            error_line(f"the scheduled copy of the journal was not made: {error}")

    def member(self) -> str | None:
        """The member named by RELOG_MEMBER or the config's team.member, if any.

        Without a config file the defaults name no member, so logging an entry then
        reads no config and imports no pydantic (a file that is there is read whole,
        and refused if it is wrong, as `config` reads it).
        """
        from relog.paths import config_path, member_from_env

        named = member_from_env()
        if named:
            return named
        if self._config is None:
            try:
                os.stat(config_path())
            except FileNotFoundError:  # as `relog.config.read_config` takes a missing file
                return None
            except OSError:
                pass  # the config reader says what is wrong with it
        return self.config().team.member

    def config(self) -> Config:
        if self._config is None:
            from relog.config import load_config
            from relog.paths import config_path

            self._config = load_config(config_path())
        return self._config


def _note_commits(store: Store, holder: AppState) -> None:
    """Set `holder.saved` when a transaction that changed the journal commits.

    Python's sqlite3 opens a transaction only for a statement that writes, so a
    commit with one open is a change saved; a read's commit has none. psycopg
    opens one for every statement, so on a server a transaction counts as a
    change when it ran a statement that writes.
    """
    from sqlalchemy import event

    def executed(connection: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if statement.lstrip()[:6].upper() in _WRITES:
            connection.info["relog_wrote"] = True

    def committed(connection: Any) -> None:
        dbapi = connection.connection.dbapi_connection
        if getattr(dbapi, "in_transaction", False) or connection.info.pop("relog_wrote", False):
            holder.saved = True

    def rolled_back(connection: Any) -> None:
        connection.info.pop("relog_wrote", None)

    if store.path is None:
        event.listen(store.engine, "before_cursor_execute", executed)
        event.listen(store.engine, "rollback", rolled_back)
    event.listen(store.engine, "commit", committed)


_WRITES = frozenset({"INSERT", "UPDATE", "DELETE"})
"""The statements that change rows (a journal's schema is changed only by its migrations)."""


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_object(AppState)
    if obj is None:  # a sub-app invoked on its own, as in some tests
        obj = ctx.ensure_object(AppState)
    return obj


def _version(value: bool) -> None:
    if value:
        typer.echo(f"relog {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=RelogGroup,
    name="relog",
    help="A relationship journal: log every contact with a client, see where each "
    "relationship stands and what to do next.",
    epilog="More in 'relog help' and its topics (rules, review, json, export, backup...) and "
    "in 'relog COMMAND --help'.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": MAX_WIDTH},
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="FILE|URL",
            envvar="RELOG_DB",
            help="Journal file to use (default: relog's folder in your user data directory), "
            "or a team's journal on PostgreSQL: postgresql://USER@HOST/DB (see 'relog help team').",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Log every contact with a client; relog scores each relationship and says what to do next."""
    ctx.obj = AppState(db=db, ctx=ctx)
