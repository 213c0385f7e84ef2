"""relog's command line: one Typer sub-app per noun, joined here."""

from __future__ import annotations

from relog.cli import entries
from relog.cli.app import app
from relog.cli.client import client_app
from relog.cli.config import config_app
from relog.cli.demo import demo
from relog.cli.mistakes import mistakes_app
from relog.cli.review import review
from relog.cli.rules import rules_command

app.add_typer(client_app, name="client")
app.add_typer(mistakes_app, name="mistakes")
app.command(name="add")(entries.add)
app.command(name="log")(entries.log)
app.command(name="edit")(entries.edit)
app.command(name="delete")(entries.delete)
app.command(name="review")(review)
app.command(name="demo")(demo)
app.command(name="rules")(rules_command)
app.add_typer(config_app, name="config")


def main() -> None:
    """The `relog` console script."""
    app(prog_name="relog")


__all__ = ["app", "main"]
