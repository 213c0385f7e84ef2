"""`relog mistakes`: the post-mortem when a client leaves, and the lessons that recur.

Without a sub-command it walks through a post-mortem in three parts (what the
mistake was, what caused it, the action plan) and ends looking forward. The
sub-commands do the same without questions, for scripts, and manage the log.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from relog.cli.app import readable, state
from relog.cli.params import (
    MAX_ID,
    AsOfOpt,
    JsonOpt,
    YesOpt,
    complete_client,
    confirm_deletion,
    declined,
    parse_as_of,
    parse_future,
)
from relog.dates import Day, local_now
from relog.domain import Cause, ClientData, MistakeData, MistakeKind, Stage
from relog.errors import InputError, RelogError
from relog.render.console import error_line, out, print_json

if TYPE_CHECKING:
    from relog.config import Config
    from relog.store import Store

MENU_SIZE = 9
DEFAULT_DUE = "in 2 weeks"
NO_INPUT = (
    "relog mistakes asks its questions in a terminal or reads the answers from standard "
    "input, and got neither; for scripts use 'relog mistakes add' (see --help)"
)

_T = TypeVar("_T")

mistakes_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)

ClientOpt = Annotated[
    str | None,
    typer.Option(
        "--client",
        metavar="CLIENT",
        help="The client the post-mortem is about (a unique start of the name will do).",
        autocompletion=complete_client,
        show_default=False,
    ),
]
WhatOpt = Annotated[
    str | None,
    typer.Option(
        "--what",
        metavar="TEXT",
        help="What the mistake was, in detail (with --kind none it may be left out).",
        show_default=False,
    ),
]
KIND_CHOICES = (
    "professional (a flaw in the work), service (a lack of service), understanding "
    "(a misunderstanding), other; none when no mistake was found."
)
CAUSE_CHOICES = "vague-contract, knowledge-gap, aggressive-client, other; none with --kind none."
CauseNoteOpt = Annotated[
    str | None,
    typer.Option(
        "--cause-note", metavar="TEXT", help="A free note on the cause.", show_default=False
    ),
]
PlanOpt = Annotated[
    str | None,
    typer.Option(
        "--plan",
        metavar="TEXT",
        help="The action plan that prevents it next time (required unless --kind none).",
        show_default=False,
    ),
]
DueOpt = Annotated[
    str | None,
    typer.Option(
        "--due",
        metavar="WHEN",
        help="When the plan should be carried out: 'in 2 weeks', 'friday', ISO 8601; "
        "'none' clears it in edit.",
        show_default=False,
    ),
]
ThirdPartyOpt = Annotated[
    bool | None,
    typer.Option(
        "--third-party/--no-third-party",
        help="Their reason was vague, so a third party (such as a competitor's offer) is "
        "suspected / they gave a plain reason. Leave out if unknown.",
        show_default=False,
    ),
]
IdArg = Annotated[
    int,
    typer.Argument(
        metavar="ID",
        min=1,
        max=MAX_ID,
        help="The post-mortem's id, as 'relog mistakes list' shows it.",
        show_default=False,
    ),
]


# the checks every way in shares --------------------------------------------


def _words(text: str | None) -> str:
    """Text as typed, with runs of spaces and line breaks made single spaces."""
    return " ".join(text.split()) if text else ""


def _validated(mistake: MistakeData) -> MistakeData:
    """Refuse a post-mortem whose parts do not fit together, naming the flag to fix."""
    if not mistake.what:
        raise InputError("--what is empty; describe the mistake in detail")
    if mistake.kind is MistakeKind.NONE and mistake.cause is not Cause.NONE:
        raise InputError(
            f"--kind none goes with --cause none (no mistake found), not --cause {mistake.cause}"
        )
    if mistake.cause is Cause.NONE and mistake.kind is not MistakeKind.NONE:
        raise InputError(
            f"--cause none goes with --kind none; for a {mistake.kind} mistake pick a cause: "
            + ", ".join(c.value for c in Cause if c is not Cause.NONE)
        )
    if mistake.kind is not MistakeKind.NONE and not mistake.plan:
        raise InputError(
            "--plan is required: what will you do so it does not happen again? "
            "(only --kind none --cause none goes without one)"
        )
    if mistake.due is not None and not mistake.plan:
        raise InputError("--due goes with --plan: it is the date the plan should be carried out")
    return mistake


def _one_per_departure(store: Store, client: ClientData, made: datetime, own: int = 0) -> None:
    """Refuse a post-mortem made at `made` for a departure that has one (other than `own`)."""
    from relog.patterns import current_post_mortem, in_current_departure
    from relog.render.mistakes import already_saved

    if not in_current_departure(client, made):
        return
    saved = current_post_mortem(client, (m for m in store.mistakes(client.id) if m.id != own))
    if saved is not None:
        raise InputError(f"{already_saved(saved)}; change it with 'relog mistakes edit {saved.id}'")


def _due(text: str | None, now: datetime) -> datetime | None:
    return parse_future(text, "--due", now, day=Day.END)


def _show_saved(mistake: MistakeData, verb: str, *, json: bool) -> None:
    if json:
        from relog.schema import MistakeOut

        print_json(MistakeOut.of(mistake))
    else:
        from relog.render.mistakes import show_saved

        show_saved(mistake, verb, local_now())


# the guided post-mortem ----------------------------------------------------


INPUT_ENDED = "input ended before the last answer; nothing was saved"


class _Asker:
    """Prompts that check each answer and ask again on a bad one.

    Every line read reaches a check, a blank or a bad one too, and is counted,
    so "no input at all" can be told apart from input that ran out half-way:
    with standard input not a terminal and not one line read, the first
    question hits end-of-file and the user gets a hint on how to run it;
    after any line, good or bad, end-of-file is input that ended too soon
    (exit 2). Ctrl-C is an interruption (exit 130); see docs/design.md.
    """

    def __init__(self) -> None:
        self.lines_read = 0

    def ask(
        self,
        text: str,
        check: Callable[[str], _T],
        *,
        default: str | None = None,
        show_default: bool = True,
    ) -> _T:
        from relog.render.console import visible

        def value_proc(answer: str) -> _T:
            self.lines_read += 1
            try:
                return check(readable(answer, "the answer"))
            except RelogError as problem:
                raise typer.BadParameter(visible(str(problem))) from None

        shown = visible(text)
        if show_default and default is not None:
            shown += f" [{visible(default)}]"  # shown as every view shows it; kept as it is
        try:
            answer: _T = typer.prompt(
                shown,
                # With no default the prompt would ask again on a blank line by
                # itself, and the line would reach neither the check nor the count.
                default="" if default is None else default,
                value_proc=value_proc,
                show_default=False,
            )
        except typer.Abort as stopped:
            if not isinstance(stopped.__context__, EOFError):
                raise  # Ctrl-C: interrupted (exit 130)
            if not self.lines_read and not sys.stdin.isatty():
                raise InputError(NO_INPUT) from None
            raise InputError(INPUT_ENDED) from None
        return answer

    def confirm(self, text: str, *, default: bool | None) -> bool:
        """A yes/no question; Enter takes `default` when there is one."""
        hint = "y/n" if default is None else "Y/n" if default else "y/N"
        return self.ask(f"{text} [{hint}]", _yes_no(default), show_default=False)


def _yes_no(default: bool | None) -> Callable[[str], bool]:
    def check(answer: str) -> bool:
        word = answer.strip().casefold()
        if word in ("y", "yes"):
            return True
        if word in ("n", "no"):
            return False
        if not word and default is not None:
            return default
        if not word:
            raise InputError("an answer is needed: yes or no")
        raise InputError(f"{answer.strip()!r} is not one of: yes, no")

    return check


def _required(what: str) -> Callable[[str], str]:
    def check(answer: str) -> str:
        cleaned = _words(answer)
        if not cleaned:
            raise InputError(f"{what} is needed; a sentence will do")
        return cleaned

    return check


def _choice(options: dict[str, _T]) -> Callable[[str], _T]:
    """Accept one of `options` in any case, or a unique start of one."""

    def check(answer: str) -> _T:
        word = answer.strip().casefold()
        if not word:
            raise InputError(f"an answer is needed: one of {', '.join(options)}")
        if word in options:
            return options[word]
        starts = [key for key in options if key.startswith(word)]
        if len(starts) == 1:
            return options[starts[0]]
        raise InputError(f"{answer.strip()!r} is not one of: {', '.join(options)}")

    return check


def _due_answer(now: datetime, kept: datetime | None = None) -> Callable[[str], datetime | None]:
    """A due date from today on; `kept`, the saved one, stays as it was when given back."""

    def check(answer: str) -> datetime | None:
        if kept is not None and answer.strip() == _day(kept):
            return kept
        if answer.strip().casefold() in ("none", "no", "-"):
            return None
        due = parse_future(answer, "due date", now, day=Day.END)
        if due is not None and due.astimezone().date() < now.astimezone().date():
            raise InputError(f"{due.astimezone():%Y-%m-%d} has passed; give a date from today on")
        return due

    return check


def _day(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d}"


def _cleared(answer: str) -> str:
    """An optional answer that has a saved value: '-' clears it."""
    return "" if answer.strip() == "-" else _words(answer)


def _ended_first(clients: list[ClientData]) -> list[ClientData]:
    epoch = datetime.min.replace(tzinfo=UTC)
    former = [c for c in clients if c.stage is Stage.FORMER]
    return sorted(former, key=lambda c: c.ended_at or c.created_at or epoch, reverse=True)


def _saved_for(store: Store, clients: list[ClientData]) -> dict[int, MistakeData]:
    """Client id to the post-mortem already made for their current departure."""
    from relog.patterns import current_post_mortem

    mistakes = store.mistakes()
    found = {c.id: current_post_mortem(c, mistakes) for c in clients}
    return {client_id: saved for client_id, saved in found.items() if saved is not None}


def _choose_client(ask: _Asker, store: Store) -> ClientData:
    from relog.render.mistakes import show_client_menu

    clients = store.clients()
    if not clients:
        raise InputError(
            "the journal has no clients yet; add one with 'relog client add NAME' first"
        )
    menu = _ended_first(clients)[:MENU_SIZE]
    console = out()
    if menu:
        console.print("Clients who left, the most recent first:")
        show_client_menu(menu, _saved_for(store, menu))
        question = "Which client? (a number, or any client's name)"
    else:
        console.print("No relationship has ended yet; any client can be chosen.")
        question = "Which client? (name)"

    def check(answer: str) -> ClientData:
        picked = answer.strip()
        if not picked:
            raise InputError(
                "pick a number from the list, or type a name" if menu else "type a client's name"
            )
        if picked.isdecimal() and menu:  # not isdigit(): '²' is a digit int() cannot read
            number = int(picked) if len(picked) <= len(str(len(menu))) else 0
            if 1 <= number <= len(menu):
                return menu[number - 1]
            numbers = "1" if len(menu) == 1 else f"a number from 1 to {len(menu)}"
            raise InputError(f"pick {numbers}, or type a name")
        return store.find_client(picked)

    return ask.ask(question, check)


INTRO = (
    "A short post-mortem, the positive kind: what happened, why, and what you will "
    "do differently. Nothing is saved until you confirm; Ctrl-C stops at any time."
)
REASON_HINT = (
    "\nA client with a real reason usually says it plainly. A vague, hesitant one "
    "('it was great, but maybe later') often means someone else is in the picture, "
    "such as a competitor's offer."
)


def _walk(ctx: typer.Context, client_name: str | None) -> None:
    """Ask, show the answers back, save on a yes, then look forward.

    A departure has one post-mortem: when the client's current departure has
    one already, the walk offers to revise it instead of making a second.
    """
    from relog.patterns import current_post_mortem
    from relog.render.mistakes import show_summary

    app_state = state(ctx)
    store = app_state.store()
    config = app_state.config()
    ask = _Asker()
    out().print(INTRO, markup=False)
    client = store.find_client(client_name) if client_name else _choose_client(ask, store)
    _say_if_not_ended(client)
    saved = current_post_mortem(client, store.mistakes(client.id))
    if saved is not None and not _revise(ask, saved):
        declined(f"Kept post-mortem #{saved.id} as it was; nothing was saved.")
    draft = _interview(ask, client, local_now(), _Defaults.of(saved))
    show_summary(_summary(draft))
    question = (
        "Save this post-mortem?"
        if saved is None
        else f"Save the changes to post-mortem #{saved.id}?"
    )
    if not ask.confirm(question, default=True):
        declined("Not saved: nothing was written.")
    _save(store, draft, saved)
    _look_forward(store, config)


def _say_if_not_ended(client: ClientData) -> None:
    if client.stage is not Stage.FORMER:
        out().print(
            f"{client.name} is {client.stage.value}; if they have left, record that first "
            "with 'relog client end' (it offers this post-mortem next), so the post-mortem "
            "is tied to their departure.",
            markup=False,
        )


def _revise(ask: _Asker, saved: MistakeData) -> bool:
    """Offer to revise the post-mortem the departure has; True to go on and revise it."""
    from relog.render.mistakes import already_saved

    out().print(
        f"{already_saved(saved)}. One post-mortem per departure keeps the patterns true.",
        markup=False,
    )
    return ask.confirm("Revise it? (Enter keeps each saved answer)", default=True)


def _save(store: Store, draft: MistakeData, saved: MistakeData | None) -> None:
    """Save a new post-mortem, or the revised answers over the `saved` one."""
    if saved is None:
        made = store.add_mistake(_validated(replace(draft, created_at=datetime.now(UTC))))
        _show_saved(store.mistake(made.id), "Saved", json=False)
        return
    revised = replace(
        draft,
        id=saved.id,
        created_at=saved.created_at,
        done_at=saved.done_at if draft.plan else None,
    )
    updated = store.update_mistake(_validated(revised))
    _show_saved(store.mistake(updated.id), "Updated", json=False)


@dataclass(frozen=True, slots=True)
class _Defaults:
    """What Enter answers to each question: the saved answers when revising."""

    reason: str = "unknown"
    mistake: bool | None = None
    what: str | None = None
    kind: str | None = None
    cause: str | None = None
    note: str = ""
    plan: str | None = None
    due: datetime | None = None
    kept: MistakeData | None = None
    """The post-mortem being revised, for what the questions do not ask."""

    @classmethod
    def of(cls, saved: MistakeData | None) -> _Defaults:
        if saved is None:
            return cls()
        base = cls(
            reason={True: "vague", False: "plain", None: "unknown"}[saved.third_party],
            note=saved.cause_note,
            plan=saved.plan or None,
            due=saved.due,
            kept=saved,
        )
        if saved.kind is MistakeKind.NONE:
            return replace(base, mistake=False)
        return replace(
            base, mistake=True, what=saved.what, kind=saved.kind.value, cause=saved.cause.value
        )

    def due_text(self) -> str:
        """The due date's default: the saved plan's date (or 'none'), else two weeks."""
        if self.plan is None:
            return DEFAULT_DUE
        return _day(self.due) if self.due is not None else "none"


def _optional(ask: _Asker, question: str, saved: str) -> str:
    """An answer that may be left out: Enter skips it, or keeps the saved one."""
    if not saved:
        return ask.ask(
            f"{question} (optional, Enter to skip)", _words, default="", show_default=False
        )
    return ask.ask(f"{question} (optional; Enter keeps it, '-' clears it)", _cleared, default=saved)


def _interview(ask: _Asker, client: ClientData, now: datetime, defaults: _Defaults) -> MistakeData:
    """The questions: their reason, whether there was a mistake, then its three parts."""
    from relog.render.mistakes import NO_MISTAKE

    console = out()
    if defaults.kept is not None:
        console.print(f"\nRevising post-mortem #{defaults.kept.id}.", markup=False)
    console.print(REASON_HINT, markup=False)
    third_party = ask.ask(
        "Did they give a plain reason, or a vague one? (plain, vague, unknown)",
        _choice({"plain": False, "vague": True, "unknown": None}),
        default=defaults.reason,
    )
    draft = MistakeData(
        id=0,
        client_id=client.id,
        client_name=client.name,
        created_at=now,
        what=NO_MISTAKE,
        kind=MistakeKind.NONE,
        cause=Cause.NONE,
        third_party=third_party,
    )
    if ask.confirm("Was there a mistake on your side?", default=defaults.mistake):
        return _three_parts(ask, draft, now, defaults)
    console.print(
        "Then this one was not about your work: clients move on, often for an offer "
        "elsewhere. It is still worth a line in the log.",
        markup=False,
    )
    note = _optional(ask, "What made them go, if you know?", defaults.note)
    kept = defaults.kept
    if kept is not None and kept.kind is MistakeKind.NONE:
        # A plan recorded with no mistake found is not asked about: it stays.
        return replace(draft, cause_note=note, plan=kept.plan, due=kept.due)
    return replace(draft, cause_note=note)


def _three_parts(
    ask: _Asker, draft: MistakeData, now: datetime, defaults: _Defaults
) -> MistakeData:
    """The mistake, its cause and the action plan with its due date."""
    from relog.render.mistakes import CAUSE_HELP, KIND_HELP, PLAN_HINTS

    console = out()
    kinds = {k.value: k for k in MistakeKind if k is not MistakeKind.NONE}
    causes = {c.value: c for c in Cause if c is not Cause.NONE}
    console.print("\n[bold]1 of 3: the mistake[/]")
    what = ask.ask(
        "What was the mistake? Describe it in detail",
        _required("a description"),
        default=defaults.what,
    )
    for value, kind in kinds.items():
        console.print(f"  {value}: {KIND_HELP[kind]}", markup=False)
    kind = ask.ask(f"What kind? ({', '.join(kinds)})", _choice(kinds), default=defaults.kind)

    console.print("\n[bold]2 of 3: the cause[/]")
    for value, cause in causes.items():
        console.print(f"  {value}: {CAUSE_HELP[cause]}", markup=False)
    cause = ask.ask(
        f"What caused it? ({', '.join(causes)})", _choice(causes), default=defaults.cause
    )
    note = _optional(ask, "A note on the cause", defaults.note)

    console.print("\n[bold]3 of 3: the action plan[/]")
    console.print(f"  {PLAN_HINTS[cause]}", markup=False)
    plan = ask.ask(
        "What will you do so it does not happen again?", _required("a plan"), default=defaults.plan
    )
    example = (now + timedelta(days=30)).astimezone().date().isoformat()
    due = ask.ask(
        f"By when? ('in 2 weeks', 'friday', {example}, or 'none')",
        _due_answer(now, defaults.due),
        default=defaults.due_text(),
    )
    return replace(draft, what=what, kind=kind, cause=cause, cause_note=note, plan=plan, due=due)


def _summary(draft: MistakeData) -> list[tuple[str, str]]:
    """The answers, as they are shown back before saving."""
    from relog.render.mistakes import CAUSE_HELP, KIND_HELP, third_party_text

    rows = [("client", draft.client_name), ("reason", third_party_text(draft.third_party))]
    if draft.kind is MistakeKind.NONE:
        rows.append(("mistake", draft.what))
        if draft.cause_note:
            rows.append(("why they went", draft.cause_note))
        return rows + _plan_rows(draft) if draft.plan else rows
    rows += [
        ("mistake", draft.what),
        ("kind", f"{draft.kind.value} ({KIND_HELP[draft.kind]})"),
        ("cause", f"{draft.cause.value} ({CAUSE_HELP[draft.cause]})"),
    ]
    if draft.cause_note:
        rows.append(("note", draft.cause_note))
    return rows + _plan_rows(draft)


def _plan_rows(draft: MistakeData) -> list[tuple[str, str]]:
    due = draft.due
    return [
        ("action plan", draft.plan),
        ("due", _day(due) if due else "no date (you can add one later)"),
    ]


def _look_forward(store: Store, config: Config) -> None:
    """How every post-mortem ends: open plans, who needs you today, where new work may come from."""
    from relog.patterns import by_due, is_open, leads_by_recent_contact, needs_attention
    from relog.render.mistakes import show_forward

    now = local_now()
    clients = store.clients()
    histories = store.histories(until=now)
    show_forward(
        by_due(m for m in store.mistakes() if is_open(m, now)),
        needs_attention(clients, histories, now, config),
        leads_by_recent_contact(clients, histories, now, config),
        now,
        active_clients=sum(1 for c in clients if c.stage is Stage.ACTIVE),
    )


def run_postmortem(ctx: typer.Context, client_name: str | None = None) -> None:
    """The guided post-mortem, as `relog client end` offers it right after a client leaves.

    The end of the relationship is saved by then, so an abort here says that
    only the post-mortem was dropped.
    """
    try:
        _walk(ctx, client_name)
    except typer.Abort:
        error_line("post-mortem aborted and not saved; start it again with 'relog mistakes'")
        raise typer.Exit(130) from None
    except InputError as problem:
        error_line(f"{problem}; the end of the relationship is saved")
        raise typer.Exit(problem.exit_code) from None


@mistakes_app.callback(invoke_without_command=True)
def mistakes_main(ctx: typer.Context) -> None:
    """The mistakes log: a short, positive post-mortem when a client leaves.

    Without a command, walks you through it: which client, whether their reason
    was plain or vague, what the mistake was, what caused it, and the action plan
    with a due date; then what to do with the freed time. A departure that already
    has a post-mortem gets it offered for revision, with the saved answers as the
    defaults, rather than a second one. The commands below keep the log without
    questions and show the lessons that keep coming back.
    """
    if ctx.invoked_subcommand is None:
        _walk(ctx, None)


# the log, without questions -------------------------------------------------


@mistakes_app.command(name="add")
def mistakes_add(
    ctx: typer.Context,
    client_name: Annotated[
        str,
        typer.Option(
            "--client",
            metavar="CLIENT",
            help="The client the post-mortem is about (a unique start of the name will do).",
            autocompletion=complete_client,
            show_default=False,
        ),
    ],
    kind: Annotated[
        MistakeKind | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Required: " + KIND_CHOICES,
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    cause: Annotated[
        Cause | None,
        typer.Option(
            "--cause",
            metavar="CAUSE",
            help="Required: " + CAUSE_CHOICES,
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    what: WhatOpt = None,
    cause_note: CauseNoteOpt = None,
    plan: PlanOpt = None,
    due: DueOpt = None,
    third_party: ThirdPartyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a post-mortem without questions (for scripts).

    Example: relog mistakes add --client Acme --what "We read the scope differently"
    --kind understanding --cause vague-contract --plan "List what is included" --due "in 2 weeks"

    No mistake found: relog mistakes add --client Acme --kind none --cause none --third-party

    A departure has one post-mortem: once a client who left has one,
    another is refused; change it with 'relog mistakes edit ID'.
    """
    if kind is None:
        raise InputError(f"--kind is required: {KIND_CHOICES}")
    if cause is None:
        raise InputError(f"--cause is required: {CAUSE_CHOICES}")
    if what is None:
        if kind is not MistakeKind.NONE:
            raise InputError(
                "--what is required: describe the mistake in detail "
                "(only --kind none goes without it)"
            )
        from relog.render.mistakes import NO_MISTAKE

        what = NO_MISTAKE
    draft = _validated(
        MistakeData(
            id=0,
            client_id=0,
            client_name="",
            created_at=datetime.now(UTC),
            what=_words(what),
            kind=kind,
            cause=cause,
            cause_note=_words(cause_note),
            plan=_words(plan),
            due=_due(due, local_now()),
            third_party=third_party,
        )
    )
    store = state(ctx).store()
    client = store.find_client(client_name)
    _one_per_departure(store, client, draft.created_at)
    saved = store.add_mistake(replace(draft, client_id=client.id, client_name=client.name))
    _show_saved(store.mistake(saved.id), "Saved", json=json)


@mistakes_app.command(name="list")
def mistakes_list(
    ctx: typer.Context,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only action plans not carried out yet.")
    ] = False,
    client_name: ClientOpt = None,
    json: JsonOpt = False,
) -> None:
    """List post-mortems, newest first, with where each action plan stands."""
    from relog.patterns import is_open

    store = state(ctx).store()
    client = store.find_client(client_name) if client_name is not None else None
    now = local_now()
    mistakes = store.mistakes(client.id if client else None)
    if open_only:
        mistakes = [m for m in mistakes if is_open(m, now)]
    mistakes.sort(key=lambda m: (m.created_at, m.id), reverse=True)
    if json:
        from relog.schema import MistakeList, MistakeOut

        print_json(MistakeList(mistakes=[MistakeOut.of(m) for m in mistakes]))
    else:
        from relog.render.mistakes import show_mistakes

        show_mistakes(mistakes, now, filtered=open_only or client is not None)


@mistakes_app.command(name="done")
def mistakes_done(ctx: typer.Context, mistake_id: IdArg, json: JsonOpt = False) -> None:
    """Mark a post-mortem's action plan as carried out."""
    store = state(ctx).store()
    mistake = store.mistake(mistake_id)
    if not mistake.plan:
        raise InputError(f"post-mortem #{mistake_id} has no action plan to carry out")
    if mistake.done_at is not None:
        raise InputError(
            f"the plan of post-mortem #{mistake_id} was already marked done on "
            f"{mistake.done_at.astimezone():%Y-%m-%d}"
        )
    done = store.mistake(store.update_mistake(replace(mistake, done_at=datetime.now(UTC))).id)
    if json:
        from relog.schema import MistakeOut

        print_json(MistakeOut.of(done))
    else:
        out().print(f"Carried out: {done.plan} (#{done.id}). One lesson put to work.", markup=False)


@mistakes_app.command(name="edit")
def mistakes_edit(
    ctx: typer.Context,
    mistake_id: IdArg,
    client_name: ClientOpt = None,
    what: WhatOpt = None,
    kind: Annotated[
        MistakeKind | None,
        typer.Option(
            "--kind", metavar="KIND", help=KIND_CHOICES, case_sensitive=False, show_default=False
        ),
    ] = None,
    cause: Annotated[
        Cause | None,
        typer.Option(
            "--cause", metavar="CAUSE", help=CAUSE_CHOICES, case_sensitive=False, show_default=False
        ),
    ] = None,
    cause_note: CauseNoteOpt = None,
    plan: PlanOpt = None,
    due: DueOpt = None,
    third_party: ThirdPartyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Correct a post-mortem; only the options given change."""
    store = state(ctx).store()
    current = store.mistake(mistake_id)
    changes: dict[str, Any] = {}
    if what is not None:
        changes["what"] = _words(what)
    if kind is not None:
        changes["kind"] = kind
    if cause is not None:
        changes["cause"] = cause
    if cause_note is not None:
        changes["cause_note"] = _words(cause_note)
    if plan is not None:
        changes["plan"] = _words(plan)
    if due is not None:
        changes["due"] = None if due.strip().casefold() == "none" else _due(due, local_now())
    if third_party is not None:
        changes["third_party"] = third_party
    if client_name is not None:
        client = store.find_client(client_name)
        _one_per_departure(store, client, current.created_at, own=current.id)
        changes["client_id"] = client.id
        changes["client_name"] = client.name
    if not changes:
        raise InputError(
            "nothing to change; give at least one option (see 'relog mistakes edit --help')"
        )
    updated = store.update_mistake(_validated(replace(current, **changes)))
    _show_saved(store.mistake(updated.id), "Updated", json=json)


@mistakes_app.command(name="delete")
def mistakes_delete(ctx: typer.Context, mistake_id: IdArg, yes: YesOpt = False) -> None:
    """Delete a post-mortem (asks first unless --yes)."""
    store = state(ctx).store()
    mistake = store.mistake(mistake_id)
    if not yes:
        from relog.render.mistakes import show_mistakes

        show_mistakes([mistake], local_now(), filtered=True)
        confirm_deletion("Delete this post-mortem?")
    store.delete_mistake(mistake_id)
    out().print(f"Deleted post-mortem #{mistake_id}.", markup=False)


@mistakes_app.command(name="patterns")
def mistakes_patterns(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
) -> None:
    """What recurs across post-mortems: causes, kinds, third parties, plans open and overdue.

    Each departure counts once, with the latest post-mortem made for it.
    """
    from relog.patterns import find_patterns

    moment = parse_as_of(as_of) or local_now()
    store = state(ctx).store()
    patterns = find_patterns(store.mistakes(), moment, clients=store.clients())
    if json:
        from relog.schema import PatternsOut

        print_json(PatternsOut.of(patterns))
    else:
        from relog.render.mistakes import show_patterns

        show_patterns(patterns)
