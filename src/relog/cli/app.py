"""The root command: global options, and the one place errors become messages."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from relog import __version__
from relog.errors import RelogError
from relog.render.console import error_line

if TYPE_CHECKING:
    from relog.config import Config
    from relog.store import Store

DEBUG_ENV = "RELOG_DEBUG"


class RelogGroup(TyperGroup):
    """Turns every failure into one line on stderr and a non-zero exit.

    Usage mistakes (unknown flag, bad choice), `RelogError`s from any layer and
    Ctrl-C all end here; a traceback is shown only with RELOG_DEBUG=1, since it
    could carry journal contents.
    """

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
        try:
            result = call()
        except typer.TyperException as failure:
            if type(failure).__name__ == "NoArgsIsHelpError":
                failure.show()  # type: ignore[attr-defined]
                sys.exit(failure.exit_code)
            usage_ctx = getattr(failure, "ctx", None)
            hint = f" (see '{usage_ctx.command_path} --help')" if usage_ctx is not None else ""
            # Some usage messages list the choices one per line; keep them on one.
            error_line(" ".join(failure.format_message().split()) + hint)
            sys.exit(failure.exit_code)
        except typer.Abort:
            error_line("aborted; nothing was saved")
            sys.exit(130)
        except RelogError as failure:
            error_line(str(failure))
            sys.exit(failure.exit_code)
        except Exception as failure:
            if os.environ.get(DEBUG_ENV):
                raise
            error_line(
                f"unexpected {type(failure).__name__}; nothing was saved. "
                f"Run again with {DEBUG_ENV}=1 to see the details"
            )
            sys.exit(70)
        sys.exit(result if isinstance(result, int) else 0)


@dataclass
class AppState:
    """What the root command hands every sub-command: where the journal is."""

    db: Path | None = None
    ctx: typer.Context | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    _config: Config | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The journal, opened (and migrated) on first use, closed when the command ends."""
        if self._store is None:
            from relog.paths import journal_path
            from relog.store import open_store

            path, chosen = journal_path(self.db)
            self._store = open_store(path, user_chosen=chosen)
            if self.ctx is not None:
                self.ctx.call_on_close(self._store.close)
        return self._store

    def config(self) -> Config:
        if self._config is None:
            from relog.config import load_config
            from relog.paths import config_path

            self._config = load_config(config_path())
        return self._config


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
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="RELOG_DB",
            help="Journal file to use (default: relog's folder in your user data directory).",
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
