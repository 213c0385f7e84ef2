"""`relog search`: find words in the journal's free text."""

from __future__ import annotations

from typing import Annotated

import typer

from relog.cli.app import state
from relog.cli.params import (
    JsonOpt,
    KindsOpt,
    LimitOpt,
    OnlyClientArg,
    SinceOpt,
    UntilOpt,
    parse_span,
)
from relog.errors import InputError


def search_words(text: str) -> list[str]:
    """The words of `text` to look for: each run of non-spaces with a letter or digit in it.

    A word of punctuation alone (`-`, `*`, `"`) has nothing to find, so it is
    left out; text with no word at all is refused.
    """
    if not text.strip():
        raise InputError("TEXT is empty; give the words to find, e.g. relog search references")
    words = [word for word in text.split() if any(char.isalnum() for char in word)]
    if not words:
        raise InputError(
            f"TEXT {text.strip()!r} has no letters or digits to find; give words, "
            "e.g. relog search references"
        )
    return words


def search(
    ctx: typer.Context,
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT",
            help="The words to find, in quotes if more than one: all must be there, "
            "in any order and any case; the last may be the start of a word.",
            show_default=False,
        ),
    ],
    client_name: OnlyClientArg = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    kind: KindsOpt = None,
    limit: LimitOpt = None,
    json: JsonOpt = False,
) -> None:
    """Find words in the entries' summaries, the clients' notes and the post-mortems.

    Clients' notes come first, then entries and post-mortems, newest first, the
    words found marked. Accents do not count (cafe finds café). Notes have no
    date, so --since, --until and --kind leave them out; --kind leaves out
    post-mortems too.

    Example: relog search "two references" dana --since "3 months ago"
    """
    words = search_words(text)
    start, end = parse_span(since, until)
    store = state(ctx).store()
    client = store.find_client(client_name) if client_name is not None else None
    hits = store.search(
        words,
        client.id if client else None,
        since=start,
        until=end,
        kinds=kind or (),
        limit=limit,
    )
    if json:
        from relog.render.lines import write_json_list
        from relog.schema import SearchHitOut

        # The shape of schema.SearchResults, written hit by hit as the journal is read.
        write_json_list("hits", map(SearchHitOut.of, hits))
    else:
        from relog.render.journal import show_hits

        show_hits(hits)
