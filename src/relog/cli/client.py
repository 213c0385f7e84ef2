"""`relog client ...`: the people you work with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated

import typer

from relog.cli.app import state
from relog.cli.params import (
    CadenceOpt,
    ChannelOpt,
    ClientName,
    JsonOpt,
    NoteOpt,
    ReferredOpt,
    SourceOpt,
    StageOpt,
    YesOpt,
    check_name,
    confirm_deletion,
    parse_past,
)
from relog.domain import ClientData, Source, Stage
from relog.errors import InputError
from relog.render.console import out, print_json

client_app = typer.Typer(
    help="Add, list, show, edit and end clients and prospects.",
    no_args_is_help=True,
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
    json: JsonOpt = False,
) -> None:
    """Add a client or prospect (a lead unless --stage says otherwise)."""
    referred_by = referred_by.strip() or None if referred_by is not None else None
    source = _check_referral(source, referred_by)
    if stage is Stage.FORMER:
        raise InputError(
            "--stage former is for clients who left; add them, then 'relog client end'"
        )
    client = (
        state(ctx)
        .store()
        .add_client(
            ClientData(
                id=0,
                name=check_name(name),
                stage=stage or Stage.LEAD,
                source=source,
                referred_by=referred_by,
                cadence_days=cadence,
                channel=channel,
                notes=note or "",
                created_at=datetime.now(UTC),
            )
        )
    )
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
    from relog.schema import ClientDetail, ClientOut, RequestOut

    store = state(ctx).store()
    client = store.find_client(name)
    history = store.history(client.id)
    contacts = [e for e in history if e.is_contact]
    two_way = [e for e in contacts if e.two_way]
    detail = ClientDetail(
        **ClientOut.of(client).model_dump(),
        interactions=len(history),
        first_contact=contacts[0].at if contacts else None,
        last_contact=contacts[-1].at if contacts else None,
        last_two_way=two_way[-1].at if two_way else None,
        open_requests=[RequestOut.of(r) for r in store.open_requests(client.id)],
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
    note: NoteOpt = None,
    json: JsonOpt = False,
) -> None:
    """Change a client's details; only the options given change."""
    store = state(ctx).store()
    client = store.find_client(name)
    changes: dict[str, object] = {}
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
    if cadence is not None:
        changes["cadence_days"] = cadence
    if channel is not None:
        changes["channel"] = channel
    if note is not None:
        changes["notes"] = note
    if not changes:
        raise InputError(
            "nothing to change; give at least one option (see 'relog client edit --help')"
        )
    updated = store.update_client(replace(client, **changes))  # type: ignore[arg-type]
    if json:
        from relog.schema import ClientOut

        print_json(ClientOut.of(updated))
    else:
        out().print(f"Updated {updated.name}.", markup=False)


@client_app.command(name="end")
def client_end(
    ctx: typer.Context,
    name: ClientName,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="Why the relationship ended, in their words or yours.",
            show_default=False,
        ),
    ],
    at: Annotated[
        str | None, typer.Option("--at", help="When it ended (default: now).", show_default=False)
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
    ended = store.update_client(
        replace(
            client,
            stage=Stage.FORMER,
            ended_at=parse_past(at, "--at") or datetime.now(UTC),
            end_reason=reason.strip(),
        )
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
    """Delete a client with their whole history (cannot be undone)."""
    store = state(ctx).store()
    client = store.find_client(name)
    if not yes:
        from relog.rules.base import plural

        entries = plural(len(store.history(client.id)), "logged entry", "logged entries")
        postmortems = plural(len(store.mistakes(client.id)), "post-mortem")
        confirm_deletion(
            f"Delete {client.name} with {entries} and {postmortems}? This cannot be undone"
        )
    store.delete_client(client.id)
    out().print(f"Deleted {client.name}.", markup=False)
