"""`relog help TOPIC`: relog's documentation, readable wherever relog is installed.

The pages in docs/ travel inside the package (the wheel puts them in
`relog/docs/`); a checkout reads them from its docs/ folder. In a terminal a
page is laid out by Rich's Markdown renderer; piped, it is the Markdown text.
"""

from __future__ import annotations

import contextlib
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from relog.errors import InputError
from relog.render.console import out

TOPICS = {
    "rules": "every rule, its code and threshold, and the ideas behind them",
    "review": "how a review is computed and what its JSON holds",
    "json": "the --json documents of the commands",
    "mistakes": "the post-mortem and the mistakes log",
    "backup": "backups, restoring one, forgetting a client, and what stays in backups",
    "export": "export and import: the journal's JSON format, CSV, Markdown and merging",
    "sync": "relog sync: mail and calendars into the journal, matching, privacy, scheduling",
    "team": "a team's journal on PostgreSQL: setting it up, members, who sees what",
    "design": "how relog is built, and why each library is there",
    "performance": "how fast relog is, measured",
    "reliability": "what relog promises about the journal and under hostile input, and how",
}
"""The pages, in the order `relog help` lists them."""


def complete_topic(incomplete: str) -> list[str]:
    return [topic for topic in TOPICS if topic.startswith(incomplete.casefold())]


def page(topic: str) -> str:
    """The Markdown text of `topic`'s page."""
    shipped = resources.files("relog") / "docs" / f"{topic}.md"
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "docs" / f"{topic}.md"
    try:
        return checkout.read_text(encoding="utf-8")
    except OSError:
        raise InputError(f"the {topic} page is missing from this installation") from None


def help_command(
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC",
            help=f"One of: {', '.join(TOPICS)}.",
            autocompletion=complete_topic,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Read relog's documentation: without a topic, the list of topics."""
    console = out()
    if topic is None:
        width = max(map(len, TOPICS))
        console.print("Topics (relog help TOPIC):", markup=False)
        for name, about in TOPICS.items():
            console.print(f"  {name:<{width}}  {about}", markup=False, soft_wrap=True)
        return
    chosen = topic.strip().casefold()
    if chosen not in TOPICS:
        raise InputError(f"no help topic {topic!r}; topics: {', '.join(TOPICS)}")
    text = page(chosen)
    if console.is_terminal:
        from rich.markdown import Markdown

        long = len(text.splitlines()) > console.height
        with console.pager(styles=True) if long else contextlib.nullcontext():
            console.print(Markdown(text))
    else:
        console.print(text, markup=False, highlight=False, end="", soft_wrap=True)
