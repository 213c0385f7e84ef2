"""`relog config`: where the thresholds and weights live, and what they are now."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer

from relog.cli.app import state
from relog.cli.params import JsonOpt
from relog.errors import ConfigError, InputError
from relog.render.console import out, print_json

if TYPE_CHECKING:
    from relog.config import Config

CURRENCY_HINT = '# currency = "ILS"  # an ISO 4217 code; without one, amounts are plain numbers\n'

config_app = typer.Typer(
    help="See and set up relog's thresholds and weights.", no_args_is_help=True
)


@config_app.command(name="path")
def config_path_command() -> None:
    """Print the path of the config file (it need not exist: defaults apply)."""
    from relog.paths import config_path

    out().print(str(config_path()), markup=False, soft_wrap=True)


@config_app.command(name="show")
def config_show(ctx: typer.Context, json: JsonOpt = False) -> None:
    """Show every setting in force: your file over the defaults."""
    config = state(ctx).config()
    if json:
        print_json(config)
        return
    out().print(_toml(config), markup=False, highlight=False, end="")


@config_app.command(name="init")
def config_init() -> None:
    """Write a config file with every default, to edit (refuses to overwrite one)."""
    from relog.config import Config
    from relog.paths import config_path

    path = config_path()
    if path.exists():
        raise InputError(f"{path} already exists; edit it, or remove it to start again")
    body = _toml(Config())
    header = "# relog settings: change what you like; delete a line to go back to its default.\n"
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(header + body)
    except OSError as error:
        raise ConfigError(f"cannot write {path}: {error.strerror}") from None
    out().print(f"Wrote {path}", markup=False, soft_wrap=True)


def _toml(config: Config) -> str:
    """The settings as TOML; a setting that is unset (TOML has no null) as a hint in a comment."""
    import tomli_w

    body = tomli_w.dumps(config.model_dump(exclude_none=True))
    if config.money.currency is None:
        body += CURRENCY_HINT
    return body
