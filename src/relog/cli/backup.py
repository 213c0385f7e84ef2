"""`relog backup`, `relog restore` and `relog forget`: copies of the journal, and erasing a person.

`relog client delete` erases a client through `erase` here, the same way as `relog forget`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from relog.cli import params
from relog.cli.app import state
from relog.cli.params import ClientName, JsonOpt, YesOpt
from relog.errors import InputError
from relog.render.console import out, print_json


def backup(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH",
            help="A new file for the copy, or a folder to put a timestamped copy in "
            "(default: a timestamped copy beside the journal).",
            show_default=False,
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Copy the journal into a new file only you can read, safely even while relog writes to it.

    Examples:
    relog backup
    relog backup ~/backups/
    """
    from relog.errors import JournalError
    from relog.store import files

    store = state(ctx).store()
    journal = store.path
    if journal is None:
        raise JournalError(
            f"the journal is the database {store.name} on a PostgreSQL server; back it up with "
            "the server's own tool: pg_dump --format=custom --file=journal.dump DBNAME"
        )
    made = files.backup(journal, path.expanduser() if path is not None else None)
    if json:
        from relog.schema import BackupOut

        print_json(BackupOut(path=str(made), size=made.stat().st_size))
    else:
        out().print(str(made), markup=False, highlight=False, soft_wrap=True)


def restore(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH",
            help="The copy to put in place of the journal, such as one 'relog backup' made.",
            show_default=False,
        ),
    ],
    yes: YesOpt = False,
) -> None:
    """Put a copy in place of the journal, once it is checked; the current journal is kept.

    The copy must pass SQLite's integrity check and be a journal of this relog or
    an older one (migrated when next opened). The current journal is renamed
    beside itself with the time (journal-before-restore-YYYYMMDD-HHMMSS.db).

    Examples:
    relog restore ~/backups/journal-20260301-153000.db
    """
    from relog.paths import journal_path
    from relog.store import files

    journal, _ = journal_path(
        state(ctx).db, "relog restore (use pg_restore for a database on a server)"
    )
    if not yes and not params.interactive():
        raise InputError(
            "relog restore replaces the journal; to do it without a terminal, add --yes"
        )
    with files.staged_restore(journal, path.expanduser()) as staged:
        aside = files.stamped(journal, label=files.BEFORE_RESTORE)
        if not yes:
            kept = f" (the current one is kept as {aside.name})" if journal.exists() else ""
            params.confirm(
                f"Replace the journal with {path}{kept}?", "The journal was not changed."
            )
        kept_as = staged.put_in_place(aside)
    console = out()
    console.print(
        f"Restored the journal from {path}.", markup=False, highlight=False, soft_wrap=True
    )
    if kept_as is not None:
        console.print(
            f"The journal before it is kept as {kept_as}.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def check(ctx: typer.Context, json: JsonOpt = False) -> None:
    """Check the journal file for damage, and say which copy to put back if it is damaged.

    Runs SQLite's integrity check and foreign-key check on the file, changing
    nothing in it, even when no other command can open it. A damaged
    journal is reported with the tables affected and the latest copy beside it
    to put back with 'relog restore'. Exits 0 when healthy, 4 when damaged.

    Examples:
    relog check
    relog check --json
    """
    from relog.paths import journal_path
    from relog.render.health import print_health
    from relog.store.files import latest_copy
    from relog.store.health import check_journal

    journal, _ = journal_path(state(ctx).db)
    health = check_journal(journal)
    latest = None if health.healthy else latest_copy(journal)
    if json:
        from relog.schema import HealthOut

        print_json(HealthOut.of(health, latest))
    else:
        print_health(health, latest)
    if not health.healthy:
        raise typer.Exit(4)


def forget(ctx: typer.Context, name: ClientName, yes: YesOpt = False) -> None:
    """Erase a client and everything about them, leaving no trace of them in the journal file.

    The client goes with every entry, request, post-mortem and amount billed;
    the freed space is overwritten and the file rebuilt. Backups keep them.
    """
    erase(ctx, name, yes=yes, verb="Forget", done="Forgot")


def erase(ctx: typer.Context, name: str, *, yes: bool, verb: str, done: str) -> None:
    """Ask (unless `yes`), then erase the client `name` with `Store.forget_client`, and say
    which copies of the journal still hold them."""
    from relog.rules.base import plural
    from relog.store.files import backups_beside

    store = state(ctx).store()
    client = store.find_client(name)
    copies = backups_beside(store.path) if store.path is not None else []
    console = out()
    if not yes:
        entries = plural(len(store.history(client.id)), "logged entry", "logged entries")
        postmortems = plural(len(store.mistakes(client.id)), "post-mortem")
        amounts = plural(store.bill_count(client.id), "amount billed", "amounts billed")
        _list_copies(copies, "still hold them")
        params.confirm_deletion(
            f"{verb} {client.name}: remove the client with {entries}, {postmortems} and "
            f"{amounts}, leaving nothing of them in the journal file? This cannot be undone"
        )
    store.forget_client(client.id)
    console.print(f"{done} {client.name}: nothing of them is left in the journal.", markup=False)
    if store.path is None:
        console.print(
            "The server's write-ahead log and its backups keep them until they are recycled.",
            markup=False,
        )
    if yes:
        _list_copies(copies, "still hold them")


def _list_copies(copies: list[Path], what: str) -> None:
    if not copies:
        return
    console = out()
    console.print(f"These copies of the journal {what} (relog leaves them to you):", markup=False)
    for copy in copies:
        console.print(f"  {copy}", markup=False, highlight=False, soft_wrap=True)
