"""`relog client ...`: the people you work with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated

import typer

from relog.cli.app import AppState, state
from relog.cli.params import (
    CadenceOpt,
    ChannelOpt,
    ClientName,
    DomainOpt,
    EmailOpt,
    JsonOpt,
    NoteOpt,
    PhoneOpt,
    ReferredOpt,
    RetainerOpt,
    SourceOpt,
    StageOpt,
    StartedOpt,
    YesOpt,
    check_name,
    clears,
    parse_amount,
    parse_cadence,
    parse_handles,
    parse_past,
    parse_since,
)
from relog.domain import ClientData, Source, Stage, began_at
from relog.errors import InputError
from relog.render.console import out, print_json

client_app = typer.Typer(
    help="Add, list, show, edit and end clients and prospects.",
    no_args_is_help=True,
)

CLEAR_RETAINER = "--retainer none"


def _retainer(text: str | None) -> int | None:
    """`--retainer`: hundredths of the currency, or None for 'none' (or not given)."""
    if text is None or clears(text):
        return None
    return parse_amount(text, "--retainer", clear_with=CLEAR_RETAINER)


def _started(text: str | None) -> datetime | None:
    """`--started`: a moment that has passed, or None for 'none' (or not given)."""
    if text is None or clears(text):
        return None
    return parse_since(text, "--started")


def _pace(text: str | None) -> tuple[int | None, int | None]:
    """`--cadence` as (cadence_min_days, cadence_days); neither when it was not given."""
    return (None, None) if text is None else parse_cadence(text)


def _check_started(started: datetime | None, ended: datetime | None) -> None:
    if started is not None and ended is not None and started > ended:
        raise InputError(
            f"--started {started.astimezone():%Y-%m-%d} is after the relationship ended "
            f"({ended.astimezone():%Y-%m-%d}); give an earlier date"
        )


def _check_referral(source: Source | None, referred_by: str | None) -> Source | None:
    if referred_by and source not in (None, Source.REFERRAL):
        raise InputError(f"--referred-by goes with --source referral, not --source {source}")
    return Source.REFERRAL if referred_by and source is None else source


@client_app.command(name="add")
def client_add(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help='The client\'s name, e.g. "Dana Levi" or "דנה לוי".', show_default=False
        ),
    ],
    stage: StageOpt = None,
    source: SourceOpt = None,
    referred_by: ReferredOpt = None,
    cadence: CadenceOpt = None,
    channel: ChannelOpt = None,
    note: NoteOpt = None,
    retainer: RetainerOpt = None,
    started: StartedOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    domain: DomainOpt = None,
    json: JsonOpt = False,
) -> None:
    """Add a client or prospect (a lead unless --stage says otherwise).

    Examples:
    relog client add "Dana Levi" --source referral --referred-by "Avi Cohen"
    relog client add "ACME Ltd." --stage active --cadence 5-10 --retainer 5,000 --started 2025-09-01
    relog client add "Noa Bar" --email noa@bar.co.il --phone "+972 54 123 4567" --domain bar.co.il
    """
    referred_by = referred_by.strip() or None if referred_by is not None else None
    source = _check_referral(source, referred_by)
    if stage is Stage.FORMER:
        raise InputError(
            "--stage former is for clients who left; add them, then 'relog client end'"
        )
    fewest, most = _pace(cadence)
    draft = ClientData(
        id=0,
        name=check_name(name),
        stage=stage or Stage.LEAD,
        source=source,
        referred_by=referred_by,
        channel=channel,
        notes=note or "",
        created_at=datetime.now(UTC),
        retainer=_retainer(retainer),
        started_at=_started(started),
        cadence_min_days=fewest,
        cadence_days=most,
    )
    app_state = state(ctx)
    handles = parse_handles(email, phone, domain, region=_region(app_state, phone))
    client = app_state.store().add_client(draft, handles)
    if json:
        from relog.schema import ClientOut

        print_json(ClientOut.of(client))
    else:
        out().print(f"Added {client.name} ({client.stage.value}).", markup=False)


@client_app.command(name="list")
def client_list(ctx: typer.Context, stage: StageOpt = None, json: JsonOpt = False) -> None:
    """List clients, by name."""
    clients = state(ctx).store().clients(stage)
    if json:
        from relog.schema import ClientList, ClientOut

        print_json(ClientList(clients=[ClientOut.of(c) for c in clients]))
    else:
        from relog.render.journal import show_clients

        show_clients(clients)


@client_app.command(name="show")
def client_show(ctx: typer.Context, name: ClientName, json: JsonOpt = False) -> None:
    """Show one client: details, the last contacts and the requests still open."""
    from relog.handles import HandleKind, describe
    from relog.render.journal import RECENT_BILLS
    from relog.schema import BillOut, ClientDetail, ClientOut, RequestOut

    app_state = state(ctx)
    currency = app_state.config().money.currency
    store = app_state.store()
    client = store.find_client(name)
    history = store.history(client.id)
    contacts = [e for e in history if e.is_contact]
    two_way = [e for e in contacts if e.two_way]
    bills = store.named_bills(client.id, limit=RECENT_BILLS)
    handles = describe(store.handles(client.id).get(client.id, ()))
    detail = ClientDetail(
        **ClientOut.of(client).model_dump(),
        emails=handles[HandleKind.EMAIL],
        phones=handles[HandleKind.PHONE],
        domains=handles[HandleKind.DOMAIN],
        interactions=len(history),
        first_contact=contacts[0].at if contacts else None,
        last_contact=contacts[-1].at if contacts else None,
        last_two_way=two_way[-1].at if two_way else None,
        open_requests=[RequestOut.of(r) for r in store.open_requests(client.id)],
        began_at=began_at(client, history[0].at if history else None),
        currency=currency,
        bill_count=store.bill_count(client.id) if len(bills) == RECENT_BILLS else len(bills),
        recent_bills=[BillOut.of(bill, client.name, currency) for bill, _ in bills],
    )
    if json:
        print_json(detail)
    else:
        from relog.render.journal import show_client

        show_client(detail)


@client_app.command(name="edit")
def client_edit(
    ctx: typer.Context,
    name: ClientName,
    new_name: Annotated[
        str | None, typer.Option("--name", help="A new name.", show_default=False)
    ] = None,
    stage: StageOpt = None,
    source: SourceOpt = None,
    referred_by: ReferredOpt = None,
    cadence: CadenceOpt = None,
    channel: ChannelOpt = None,
    no_channel: Annotated[
        bool, typer.Option("--no-channel", help="Forget the preferred channel.")
    ] = False,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", metavar="TEXT", help="Replace the notes about the client with TEXT."
        ),
    ] = None,
    add_note: Annotated[
        str | None,
        typer.Option("--add-note", metavar="TEXT", help="Add TEXT as a new line below the notes."),
    ] = None,
    retainer: RetainerOpt = None,
    started: StartedOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    domain: DomainOpt = None,
    remove_email: Annotated[
        list[str] | None,
        typer.Option("--remove-email", metavar="ADDR", help="Take this address off the client."),
    ] = None,
    remove_phone: Annotated[
        list[str] | None,
        typer.Option("--remove-phone", metavar="NUMBER", help="Take this number off the client."),
    ] = None,
    remove_domain: Annotated[
        list[str] | None,
        typer.Option("--remove-domain", metavar="DOMAIN", help="Take this domain off the client."),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="MEMBER",
            help="In a team's journal, give the client to this member alone ('' for the team).",
            show_default=False,
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Change a client's details; only the options given change.

    Examples:
    relog client edit dana --cadence 5-10 --retainer 4,500.50
    relog client edit dana --retainer none --started none --no-channel
    relog client edit dana --add-note "Prefers calls after 16:00"
    relog client edit dana --email dana@levi.co.il --remove-email dana@old.co.il
    """
    app_state = state(ctx)
    store = app_state.store()
    client = store.find_client(name)
    region = _region(app_state, [*(phone or ()), *(remove_phone or ())])
    added = parse_handles(email, phone, domain, region=region)
    removed = parse_handles(remove_email, remove_phone, remove_domain, region=region)
    changes = _edits(retainer=retainer, started=started, cadence=cadence)
    if new_name is not None:
        changes["name"] = check_name(new_name)
    if stage is not None:
        if stage is Stage.FORMER and client.stage is not Stage.FORMER:
            raise InputError("to end a relationship use 'relog client end NAME --reason TEXT'")
        changes["stage"] = stage
        if client.stage is Stage.FORMER and stage is not Stage.FORMER:
            changes["ended_at"] = None
            changes["end_reason"] = None
    if source is not None or referred_by is not None:
        # --referred-by '' clears the referrer, so the source can change away from referral.
        referrer = client.referred_by if referred_by is None else (referred_by.strip() or None)
        if referred_by is None and referrer and source not in (None, Source.REFERRAL):
            raise InputError(
                f"{name!r} has a referrer; to change --source to {source}, "
                "clear it as well with --referred-by ''"
            )
        changes["source"] = _check_referral(source or client.source, referrer)
        changes["referred_by"] = referrer
    if channel is not None and no_channel:
        raise InputError("--channel and --no-channel together: give one of them")
    if channel is not None or no_channel:
        changes["channel"] = channel
    if note is not None and add_note is not None:
        raise InputError("--note replaces the notes and --add-note adds to them: give one")
    if note is not None:
        changes["notes"] = note
    if add_note is not None and add_note.strip():
        changes["notes"] = "\n".join(part for part in (client.notes, add_note.strip()) if part)
    if not changes and not added and not removed and owner is None:
        raise InputError(
            "nothing to change; give at least one option (see 'relog client edit --help')"
        )
    edited = replace(client, **changes)  # type: ignore[arg-type]
    _check_started(edited.started_at, edited.ended_at)
    updated = store.update_client(edited, added, removed, owner=_owner(owner))
    if json:
        from relog.schema import ClientOut

        print_json(ClientOut.of(updated))
    else:
        out().print(f"Updated {updated.name}.", markup=False)


def _owner(typed: str | None) -> str | None:
    """The member `--owner` names, "" for the whole team, None when not given."""
    if typed is None or not typed.strip():
        return None if typed is None else ""
    from relog.domain import member_name

    owner = member_name(typed)
    if owner is None:
        raise InputError(
            f"--owner {typed!r} is not a member's name: give 1 to 64 printable characters, "
            "or '' for the whole team"
        )
    return owner


def _region(app_state: AppState, phones: list[str] | None) -> str | None:
    """The home region phone numbers are read by; the config is read only for a number."""
    return app_state.config().contacts.region if phones else None


def _edits(
    *,
    retainer: str | None,
    started: str | None,
    cadence: str | None,
) -> dict[str, object]:
    """The money, start and pace changes `relog client edit` was given, parsed."""
    changes: dict[str, object] = {}
    if cadence is not None:
        changes["cadence_min_days"], changes["cadence_days"] = _pace(cadence)
    if retainer is not None:
        changes["retainer"] = _retainer(retainer)
    if started is not None:
        changes["started_at"] = _started(started)
    return changes


@client_app.command(name="end")
def client_end(
    ctx: typer.Context,
    name: ClientName,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            metavar="TEXT",
            help="Why the relationship ended, in their words or yours.",
            show_default=False,
        ),
    ],
    at: Annotated[
        str | None,
        typer.Option(
            "--at", metavar="WHEN", help="When it ended (default: now).", show_default=False
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """End a relationship: the client becomes former, with the reason kept."""
    if not reason.strip():
        raise InputError("--reason is empty; say in a few words why they left")
    store = state(ctx).store()
    client = store.find_client(name)
    if client.stage is Stage.FORMER:
        raise InputError(f"{client.name} already ended on {client.ended_at:%Y-%m-%d}")
    ended_at = parse_past(at, "--at") or datetime.now(UTC)
    if client.started_at is not None and ended_at < client.started_at:
        raise InputError(
            f"--at {ended_at.astimezone():%Y-%m-%d} is before the relationship began "
            f"({client.started_at.astimezone():%Y-%m-%d}, its --started date)"
        )
    ended = store.update_client(
        replace(client, stage=Stage.FORMER, ended_at=ended_at, end_reason=reason.strip())
    )
    if json:
        from relog.schema import ClientOut

        print_json(ClientOut.of(ended))
        return
    out().print(f"Ended the relationship with {ended.name}.", markup=False)
    from relog.cli.postmortem import offer_postmortem

    offer_postmortem(ctx, ended)


@client_app.command(name="delete")
def client_delete(ctx: typer.Context, name: ClientName, yes: YesOpt = False) -> None:
    """Delete a client with every entry, post-mortem and amount billed, leaving nothing of them.

    The same erasure as 'relog forget': nothing of the client is left in the
    journal file, though backups of it still hold them. It cannot be undone.
    """
    from relog.cli.backup import erase

    erase(ctx, name, yes=yes, verb="Delete", done="Deleted")
