"""`relog sync`: fill the journal from mail and calendar files already on disk.

The sources are read by relog.sync; the store writes each batch in one
transaction (relog.store.sync). Nothing is read from the network.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relog.cli.app import state
from relog.cli.params import JsonOpt
from relog.cli.transfer import _progress
from relog.errors import InputError

if TYPE_CHECKING:
    from relog.config import Config
    from relog.store import Store
    from relog.sync import Directory, SyncReport

sync_app = typer.Typer(no_args_is_help=False)

MeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--me",
        metavar="ADDR",
        help="One of your own addresses, for this run (repeatable; adds to me.emails).",
        show_default=False,
    ),
]
DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Say per client what would change, and write nothing."),
]
SaveOpt = Annotated[
    bool,
    typer.Option("--save", help="Save the paths in the config, for a bare relog sync."),
]


@sync_app.callback(invoke_without_command=True)
def sync_saved(ctx: typer.Context, dry_run: DryRunOpt = False, json: JsonOpt = False) -> None:
    """Log your mail and meetings with clients from Maildirs, mbox files and calendars.

    Without a command, syncs every source saved with --save (sync.mail and
    sync.calendar in the config), as a cron job or timer would.

    Examples:
    relog sync mail ~/Mail/work --save
    relog sync calendar ~/.calendars/work --save
    relog sync
    """
    if ctx.invoked_subcommand is not None:
        return
    config = state(ctx).config()
    if not config.sync.mail and not config.sync.calendar:
        raise InputError(
            "no saved sources; save one with relog sync mail PATH --save "
            "or relog sync calendar PATH --save"
        )
    reports = []
    if config.sync.mail:
        mail = [Path(p) for p in config.sync.mail]
        reports.append(("mail", _run(ctx, "mail", mail, None, dry_run)))
    if config.sync.calendar:
        paths = [Path(p) for p in config.sync.calendar]
        reports.append(("calendars", _run(ctx, "calendars", paths, None, dry_run)))
    _show(state(ctx).store(), reports, json)
    if any(report.problems for _, report in reports):
        raise typer.Exit(2)


PathsArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="PATH",
        help="Maildirs, mbox files, message files or folders of them.",
        show_default=False,
    ),
]


@sync_app.command(name="mail")
def sync_mail_command(
    ctx: typer.Context,
    paths: PathsArg,
    me: MeOpt = None,
    dry_run: DryRunOpt = False,
    with_body: Annotated[
        bool,
        typer.Option("--with-body", help="Keep each message's text part in its entry."),
    ] = False,
    save: SaveOpt = False,
    json: JsonOpt = False,
) -> None:
    """Log each message between you and a client as an email, by you or by them.

    A Maildir, an mbox (Google Takeout, Thunderbird), a folder of .eml files
    or one message. Clients are matched by their exact address, then by their
    company's domain; lists and automatic mail are skipped, and so is everyone
    in sync.ignore. Only the subject is kept, unless --with-body. Running it
    again adds only what is new.

    Examples:
    relog config set me.emails me@studio.co.il
    relog sync mail ~/Mail/work --dry-run
    relog sync mail ~/Takeout/Mail/All.mbox --save
    """
    if save and not dry_run:
        _save(ctx, "mail", paths)
    report = _run(ctx, "mail", paths, me, dry_run, with_body)
    _show(state(ctx).store(), [("mail", report)], json)
    if report.problems:
        raise typer.Exit(2)


@sync_app.command(name="calendar")
def sync_calendar_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help=".ics files, or folders of them (a vdir).",
            show_default=False,
        ),
    ],
    me: MeOpt = None,
    dry_run: DryRunOpt = False,
    save: SaveOpt = False,
    json: JsonOpt = False,
) -> None:
    """Log each meeting with a client from your calendars, up to now.

    A meeting is logged at its start with its length, by them when they
    organised it; recurring meetings count each time they took place. A
    meeting still ahead is the contact agreed next, so the agenda shows it.
    Cancelled meetings and those you declined are not logged, and are taken
    out if an earlier sync logged them; a moved meeting moves.

    Examples:
    relog sync calendar ~/.calendars/work
    relog sync calendar export.ics --dry-run
    """
    if save and not dry_run:
        _save(ctx, "calendar", paths)
    report = _run(ctx, "calendars", paths, me, dry_run)
    _show(state(ctx).store(), [("calendars", report)], json)
    if report.problems:
        raise typer.Exit(2)


def _directory(store: Store, config: Config, me: list[str] | None) -> Directory:
    from relog.sync import Directory

    mine = [*config.me.emails, *(address.strip().casefold() for address in me or [])]
    for address in mine:
        if address.count("@") != 1:
            raise InputError(f"--me: {address!r} is not an email address")
    if not mine:
        raise InputError(
            "relog needs your own addresses to tell who wrote to whom: "
            "relog config set me.emails me@studio.co.il (or give --me ADDR)"
        )
    return Directory(store.handles(), mine, config.sync.ignore)


def _run(
    ctx: typer.Context,
    what: str,
    paths: list[Path],
    me: list[str] | None,
    dry_run: bool,
    with_body: bool = False,
) -> SyncReport:
    """Sync `paths` as mail or calendars, with a progress bar in a terminal."""
    from relog.sync.run import sync_calendars, sync_mail

    app = state(ctx)
    store = app.store()
    directory = _directory(store, app.config(), me)
    with _progress(f"Reading {what}") as progress:
        if what == "mail":
            return sync_mail(
                store, paths, directory, with_body=with_body, dry_run=dry_run, progress=progress
            )
        now = datetime.now(UTC)
        return sync_calendars(store, paths, directory, now, dry_run=dry_run, progress=progress)


def _show(store: Store, reports: list[tuple[str, SyncReport]], json: bool) -> None:
    """Each report, as text or (one document for all) JSON; what could not be read on stderr."""
    from relog.render.sync import show_problems

    names = {client.id: client.name for client in store.clients()}
    if json:
        from relog.render.console import print_json
        from relog.schema import SyncReportOut, SyncRunOut

        documents = [SyncReportOut.of(report, names, what) for what, report in reports]
        print_json(documents[0] if len(documents) == 1 else SyncRunOut(sources=documents))
    else:
        from relog.render.sync import show_sync

        for what, report in reports:
            show_sync(report, names, what)
    for _, report in reports:
        show_problems(report)


def _save(ctx: typer.Context, key: str, paths: list[Path]) -> None:
    from relog.cli.config import add_to_list

    for path in paths:
        if not path.exists():
            raise InputError(f"--save: {str(path)!r} does not exist; nothing was saved")
    for path in paths:
        add_to_list("sync", key, str(path.resolve()))
