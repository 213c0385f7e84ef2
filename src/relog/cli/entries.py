"""`relog add`, `relog log`, `relog edit`, `relog delete`: the journal entries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from relog.cli.app import state
from relog.cli.params import (
    AgreedOpt,
    AskedOpt,
    AtOpt,
    ByOpt,
    DelegatedOpt,
    DisagreementOpt,
    EditAtOpt,
    EditByOpt,
    EditOpt,
    EditOutcomeOpt,
    EntryId,
    ExpectationsOpt,
    GaveOpt,
    InitiativeOpt,
    JsonOpt,
    KindArg,
    KindsOpt,
    LateOpt,
    LimitOpt,
    MemberOpt,
    MinutesOpt,
    NextOpt,
    OnlyClientArg,
    OutcomeOpt,
    SinceOpt,
    SummaryOpt,
    ThinkOpt,
    UntilOpt,
    YesOpt,
    check_member,
    check_name,
    complete_client,
    confirm_deletion,
    parse_future,
    parse_items,
    parse_past,
    parse_span,
)
from relog.dates import local_now
from relog.domain import (
    By,
    ClientData,
    InteractionData,
    Kind,
    Outcome,
    Resolution,
    Stage,
    contradictions,
)
from relog.errors import InputError, RelogError
from relog.render.console import out, print_json

if TYPE_CHECKING:
    from relog.store import Store


def _checked(entry: InteractionData) -> InteractionData:
    problems = contradictions(entry)
    if problems:
        raise InputError(problems[0])
    return entry


def _changes(
    *,
    now: datetime,
    by: By | None,
    outcome: Outcome | None,
    at: str | None,
    agreed: bool | None,
    next_: str | None,
    think: bool | None,
    asked: str | None,
    gave: str | None,
    disagreement: Resolution | None,
    expectations: bool | None,
    initiative: bool | None,
    delegated: bool | None,
    late: bool | None,
    minutes: int | None,
    summary: str | None,
) -> dict[str, Any]:
    """The fields the user gave on the command line, parsed; what was not given is absent."""
    given: dict[str, Any] = {
        "by": by,
        "outcome": outcome,
        "at": parse_past(at, "--at", now),
        "agreed": agreed,
        "think": think,
        "asked": parse_items(asked, "--asked"),
        "gave": parse_items(gave, "--gave"),
        "disagreement": disagreement,
        "expectations": expectations,
        "initiative": initiative,
        "delegated": delegated,
        "late": late,
        "minutes": minutes,
        "summary": summary,
    }
    changes = {key: value for key, value in given.items() if value is not None}
    if next_ is not None:
        changes["next_at"] = (
            None if next_.strip().casefold() == "none" else parse_future(next_, "--next", now)
        )
    return changes


def _edited(entry: InteractionData, client: str) -> str:
    """The entry's summary as written in the user's editor; an empty one saves nothing."""
    from relog.cli.editor import edit_text

    text = edit_text(
        entry.summary,
        f"What happened: {entry.kind.value} with {client}, "
        f"{entry.at.astimezone():%Y-%m-%d %H:%M}.\n"
        "Lines starting with # are left out; an empty text saves nothing.",
    )
    if not text.strip():
        raise RelogError("the summary is empty; nothing was saved")
    return text


def _announce(entry: InteractionData, client: ClientData, verb: str) -> None:
    from relog.render.journal import show_entry

    show_entry(entry, client.name, heading=f"{verb} #{entry.id}:")


def add(
    ctx: typer.Context,
    kind: KindArg,
    client_name: Annotated[
        str,
        typer.Argument(
            metavar="CLIENT",
            help="The client's name (a unique start of it will do).",
            autocompletion=complete_client,
            show_default=False,
        ),
    ],
    by: ByOpt = None,
    outcome: OutcomeOpt = None,
    at: AtOpt = None,
    agreed: AgreedOpt = None,
    next_: NextOpt = None,
    think: ThinkOpt = None,
    asked: AskedOpt = None,
    gave: GaveOpt = None,
    disagreement: DisagreementOpt = None,
    expectations: ExpectationsOpt = None,
    initiative: InitiativeOpt = None,
    delegated: DelegatedOpt = None,
    late: LateOpt = None,
    minutes: MinutesOpt = None,
    summary: SummaryOpt = None,
    edit: EditOpt = False,
    new: Annotated[
        bool,
        typer.Option("--new", help="Create the client as a new lead if no client has this name."),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Log a contact (call, email, meeting, message) or a note about a client.

    Example: relog add call "Dana Levi" --by them --asked references -m "Wants two references"
    """
    now = local_now()
    changes = _changes(
        now=now,
        by=by,
        outcome=outcome,
        at=at,
        agreed=agreed,
        next_=next_,
        think=think,
        asked=asked,
        gave=gave,
        disagreement=disagreement,
        expectations=expectations,
        initiative=initiative,
        delegated=delegated,
        late=late,
        minutes=minutes,
        summary=summary,
    )
    changes.setdefault("at", now)
    store = state(ctx).store()
    draft = _checked(InteractionData(id=0, client_id=0, kind=kind, **changes))
    client = _client_for_add(store, client_name, new=new)
    if edit:
        draft = replace(draft, summary=_edited(draft, client.name))
    if client.id:
        entry = store.add_interaction(replace(draft, client_id=client.id))
    else:  # a new client, stored with the entry in one transaction
        client, entry = store.add_client_with_interaction(client, draft)
    if json:
        from relog.schema import InteractionOut

        print_json(InteractionOut.of(entry, client.name))
    else:
        _announce(entry, client, "Logged")


def _client_for_add(store: Store, name: str, *, new: bool) -> ClientData:
    """The client to log against; with --new, an exact name or a brand-new lead, not yet
    stored (id 0): it is stored with the entry."""
    if not new:
        return store.find_client(name)
    existing = store.client_named(name)
    if existing is not None:
        return existing
    return ClientData(id=0, name=check_name(name), stage=Stage.LEAD, created_at=datetime.now(UTC))


def log(
    ctx: typer.Context,
    client_name: OnlyClientArg = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    kind: KindsOpt = None,
    by: Annotated[
        By | None,
        typer.Option(
            "--by",
            metavar="WHO",
            help="Only contacts started by them, or by you.",
            show_default=False,
        ),
    ] = None,
    outcome: Annotated[
        list[Outcome] | None,
        typer.Option(
            "--outcome",
            metavar="OUTCOME",
            help="Only entries with this outcome (repeat for more).",
            show_default=False,
        ),
    ] = None,
    member: MemberOpt = None,
    limit: LimitOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show the timeline, newest first, one line per entry with its id.

    In a team's journal, each line names the member who logged it.
    """
    store = state(ctx).store()
    client = store.find_client(client_name) if client_name is not None else None
    start, end = parse_span(since, until)
    logged_by = check_member(store, member)
    entries = store.named_timeline(
        client.id if client else None,
        since=start,
        until=end,
        kinds=kind or (),
        by=by,
        outcomes=outcome or (),
        member=logged_by,
        limit=limit,
    )
    if json:
        from relog.render.lines import write_json_list
        from relog.schema import InteractionOut

        # The shape of schema.Timeline, written entry by entry as the journal is read.
        write_json_list("interactions", (InteractionOut.of(e, name) for e, name in entries))
    else:
        from relog.render.journal import show_timeline

        filtered = bool(client or since or until or kind or by or outcome or member)
        members = store.members() if logged_by is None and store.several_members() else []
        show_timeline(entries, filtered=filtered, members=members)


def edit(
    ctx: typer.Context,
    entry_id: EntryId,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="call, email, meeting, message or note.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    client_name: Annotated[
        str | None,
        typer.Option(
            "--client",
            metavar="CLIENT",
            help="Move the entry to another client.",
            autocompletion=complete_client,
            show_default=False,
        ),
    ] = None,
    by: EditByOpt = None,
    outcome: EditOutcomeOpt = None,
    at: EditAtOpt = None,
    agreed: AgreedOpt = None,
    next_: NextOpt = None,
    think: ThinkOpt = None,
    asked: AskedOpt = None,
    gave: GaveOpt = None,
    disagreement: DisagreementOpt = None,
    expectations: ExpectationsOpt = None,
    initiative: InitiativeOpt = None,
    delegated: DelegatedOpt = None,
    late: LateOpt = None,
    minutes: MinutesOpt = None,
    summary: SummaryOpt = None,
    edit: EditOpt = False,
    json: JsonOpt = False,
) -> None:
    """Correct an entry; only the options given change (--asked '' clears the items)."""
    store = state(ctx).store()
    current = store.interaction(entry_id)
    changes = _changes(
        now=local_now(),
        by=by,
        outcome=outcome,
        at=at,
        agreed=agreed,
        next_=next_,
        think=think,
        asked=asked,
        gave=gave,
        disagreement=disagreement,
        expectations=expectations,
        initiative=initiative,
        delegated=delegated,
        late=late,
        minutes=minutes,
        summary=summary,
    )
    if kind is not None:
        changes["kind"] = kind
    client = (
        store.find_client(client_name) if client_name else store.client_by_id(current.client_id)
    )
    changes["client_id"] = client.id
    if len(changes) == 1 and client.id == current.client_id and not edit:
        raise InputError("nothing to change; give at least one option (see 'relog edit --help')")
    changed = _checked(replace(current, **changes))
    if edit:
        changed = replace(changed, summary=_edited(changed, client.name))
    entry = store.update_interaction(changed)
    if json:
        from relog.schema import InteractionOut

        print_json(InteractionOut.of(entry, client.name))
    else:
        _announce(entry, client, "Updated")


def delete(
    ctx: typer.Context,
    entry_id: EntryId,
    yes: YesOpt = False,
) -> None:
    """Delete one entry (asks first unless --yes)."""
    from relog.render.journal import interaction_line

    store = state(ctx).store()
    entry = store.interaction(entry_id)
    client = store.client_by_id(entry.client_id)
    if not yes:
        out().print(interaction_line(entry, client.name))
        confirm_deletion("Delete this entry?")
    store.delete_interaction(entry_id)
    out().print(f"Deleted #{entry_id}.", markup=False)
