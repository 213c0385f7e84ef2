"""Text views of the mistakes log: entries, the post-mortem summary, the way forward, patterns.

Every view is a grid whose last column folds, so it stays readable in a
60-column terminal as well as a wide one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from relog.domain import Cause, MistakeKind, Source
from relog.render.console import out
from relog.render.journal import STAGE_STYLE, day
from relog.rules.base import plural

NO_MISTAKE = "No mistake found"

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from relog.domain import ClientData, MistakeData
    from relog.patterns import Attention, Lead, Patterns

KIND_HELP = {
    MistakeKind.PROFESSIONAL: "a flaw in the work itself",
    MistakeKind.SERVICE: "the service around the work fell short",
    MistakeKind.UNDERSTANDING: "you and the client understood something differently",
    MistakeKind.OTHER: "something else",
    MistakeKind.NONE: "no mistake found",
}

CAUSE_HELP = {
    Cause.VAGUE_CONTRACT: "the agreement left room for two readings",
    Cause.KNOWLEDGE_GAP: "a skill or piece of knowledge was missing",
    Cause.AGGRESSIVE_CLIENT: "a client who expected everything to be owed to them",
    Cause.OTHER: "something else",
    Cause.NONE: "nothing to fix",
}

PLAN_HINTS = {
    Cause.VAGUE_CONTRACT: "e.g. write a clear list of what is included and what is not",
    Cause.KNOWLEDGE_GAP: "e.g. take a course, or find a partner who has the skill",
    Cause.AGGRESSIVE_CLIENT: "e.g. set the rules of work in writing before the first job",
    Cause.OTHER: "e.g. one concrete step you can check off",
}


def third_party_text(value: bool | None) -> str:
    if value is True:
        return "vague reason: a third party suspected"
    if value is False:
        return "plain reason"
    return "reason unknown"


def relative(moment: datetime, now: datetime) -> str:
    """'today', 'in 3 days' or '5 days ago', by calendar day in local time."""
    days = (moment.astimezone().date() - now.astimezone().date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def plan_status(mistake: MistakeData, now: datetime) -> Text:
    """Where a plan stands: done, overdue, due, open without a date, or no plan at all."""
    if not mistake.plan:
        return Text("no plan needed", style="dim")
    if mistake.done_at is not None and mistake.done_at <= now:
        return Text(f"done {day(mistake.done_at)}", style="green")
    if mistake.due is None:
        return Text("open, no due date", style="yellow")
    text = f"due {day(mistake.due)} ({relative(mistake.due, now)})"
    if mistake.overdue_at(now):
        return Text("overdue: " + text, style="bold red")
    return Text(text, style="cyan")


def _grid(*, indent: bool = False) -> Table:
    """Two columns, a short label and text that folds; `indent` sets it under a heading."""
    grid = Table.grid(padding=(0, 0, 0, 2), pad_edge=True) if indent else Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _para(text: str | Text) -> Padding:
    """A sentence under a heading, indented on every line it wraps to."""
    return Padding(Text(text) if isinstance(text, str) else text, (0, 0, 0, 2))


def mistake_text(mistake: MistakeData, now: datetime) -> Text:
    """One entry of the log as a few short lines."""
    text = Text()
    text.append(day(mistake.created_at), style="dim")
    text.append("  ")
    text.append(mistake.client_name, style="bold")
    text.append("\n")
    if mistake.kind is MistakeKind.NONE:
        text.append("no mistake found", style="green")
    else:
        text.append(mistake.kind.value, style="magenta")
        text.append(", caused by ")
        text.append(mistake.cause.value, style="magenta")
    text.append(f"; {third_party_text(mistake.third_party)}", style="dim")
    if mistake.kind is not MistakeKind.NONE or mistake.what != NO_MISTAKE:
        text.append("\n")
        text.append(mistake.what)
    if mistake.cause_note:
        text.append(f"\nnote: {mistake.cause_note}", style="italic")
    if mistake.plan:
        text.append("\nplan: ")
        text.append(mistake.plan)
    text.append("\n")
    text.append_text(plan_status(mistake, now))
    return text


def show_mistakes(mistakes: Sequence[MistakeData], now: datetime, *, filtered: bool) -> None:
    console = out()
    if not mistakes:
        if filtered:
            console.print("No post-mortem matches.")
        else:
            console.print("The mistakes log is empty. When a client leaves, run: relog mistakes")
        return
    grid = _grid()
    for index, mistake in enumerate(mistakes):
        if index:
            grid.add_row("", "")
        grid.add_row(Text(f"#{mistake.id}", style="bold"), mistake_text(mistake, now))
    console.print(grid)


def show_saved(mistake: MistakeData, verb: str, now: datetime) -> None:
    console = out()
    console.print(
        Text(f"{verb} post-mortem #{mistake.id} for ").append(mistake.client_name, style="bold")
        + Text(".")
    )
    if mistake.plan and mistake.due is None and mistake.done_at is None:
        console.print(
            Text(
                "A plan with a date gets done: set one with "
                f"relog mistakes edit {mistake.id} --due 'in 2 weeks'",
                style="yellow",
            )
        )
    elif mistake.overdue_at(now):
        console.print(
            Text(
                "That due date has passed, so the plan shows as overdue until you run "
                f"relog mistakes done {mistake.id}",
                style="yellow",
            )
        )


def show_summary(rows: Sequence[tuple[str, str]]) -> None:
    """The answers of a post-mortem, shown back before saving."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, Text(value))
    console = out()
    console.print()
    console.print(Text("Your post-mortem", style="bold"))
    console.print(grid)


def saved_label(mistake: MistakeData) -> str:
    """'post-mortem #3 saved 2026-11-02', as the client menu marks a departure that has one."""
    return f"post-mortem #{mistake.id} saved {day(mistake.created_at)}"


def already_saved(mistake: MistakeData) -> str:
    """The sentence that points to the post-mortem a departure already has."""
    return (
        f"{mistake.client_name} already has post-mortem #{mistake.id} for this departure "
        f"(saved {day(mistake.created_at)})"
    )


def show_client_menu(
    clients: Sequence[ClientData], saved: Mapping[int, MistakeData] | None = None
) -> None:
    """The numbered list the guided post-mortem offers: who left most recently first.

    `saved` maps a client's id to the post-mortem already made for their
    current departure, which the line names.
    """
    grid = _grid()
    for number, client in enumerate(clients, start=1):
        text = Text(client.name, style="bold")
        done = (saved or {}).get(client.id)
        if done is not None:
            text.append(f" ({saved_label(done)})", style="green")
        if client.ended_at is not None:
            text.append(f"  ended {day(client.ended_at)}", style="dim")
        if client.end_reason:
            text.append(f": {client.end_reason}", style="dim")
        grid.add_row(f"{number}.", text)
    out().print(grid)


def lead_hint(lead: Lead, now: datetime) -> str:
    """When a lead was last in touch; for a referral not reached yet, the move to make.

    A referral is better left to call you: ask the referrer to pass your details
    on, rather than phoning someone who was only mentioned to you.
    """
    if lead.last_contact is not None:
        return f"last contact {relative(lead.last_contact, now)}"
    client = lead.client
    if client.source is Source.REFERRAL:
        if client.referred_by:
            return f"referred by {client.referred_by}: ask them to pass your details on"
        return "a referral: ask whoever referred them to pass your details on"
    return "no contact yet"


def show_forward(
    open_plans: Sequence[MistakeData],
    attention: Sequence[Attention],
    leads: Sequence[Lead],
    now: datetime,
    *,
    active_clients: int,
    limit: int = 5,
) -> None:
    """The end of a post-mortem: what to do with the time a departure frees.

    `active_clients` is how many clients are active, so an empty attention list
    can say whether they are all in touch or there are none.
    """
    console = out()
    console.print()
    console.print(Text("Looking forward", style="bold underline"))

    console.print(Text("Open action plans", style="bold"))
    if open_plans:
        grid = _grid(indent=True)
        for mistake in open_plans[:limit]:
            text = Text(mistake.plan).append("  ").append_text(plan_status(mistake, now))
            grid.add_row(f"#{mistake.id}", text)
        console.print(grid)
        if len(open_plans) > limit:
            console.print(_para(f"and {len(open_plans) - limit} more: relog mistakes list --open"))
    else:
        console.print(_para("None open: every lesson so far has been acted on."))

    console.print(Text("Relationships that need attention today", style="bold"))
    if attention:
        grid = _grid(indent=True)
        for item in attention[:limit]:
            if item.last_two_way is None:
                since = "no two-way contact yet"
            else:
                since = f"last two-way contact {relative(item.last_two_way, now)}"
            text = Text(item.client.name, style="bold").append(
                f"  {since}; cadence {plural(item.cadence_days, 'day')}", style="dim"
            )
            grid.add_row("-", text)
        console.print(grid)
    elif active_clients:
        console.print(_para("Every active client has heard from you within their cadence."))
    else:
        console.print(_para("No active clients at the moment."))

    console.print(Text("Leads the freed time could go to", style="bold"))
    if leads:
        grid = _grid(indent=True)
        for lead in leads[:limit]:
            stage = lead.client.stage.value
            text = Text(lead.client.name, style="bold").append(
                f"  {stage}", style=STAGE_STYLE[stage]
            )
            text.append(f"  {lead_hint(lead, now)}", style="dim")
            grid.add_row("-", text)
        console.print(grid)
    else:
        console.print(
            _para(
                "No leads in the journal. A steady flow of new clients makes one departure "
                'a small event: add the next one with relog client add "Name" --stage lead'
            )
        )


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} days"


def show_patterns(patterns: Patterns) -> None:
    """What recurs, with the plans made for each recurring cause."""
    console = out()
    total = patterns.post_mortems
    if not total:
        console.print("No post-mortems yet. When a client leaves, run: relog mistakes")
        return
    console.print(
        Text(f"Patterns across {plural(total, 'post-mortem')}", style="bold")
        + Text(
            f" ({patterns.with_mistake} with a mistake, {patterns.no_mistake} with none found)",
            style="dim",
        )
    )

    recurring = patterns.recurring_causes
    if recurring:
        counts = dict(patterns.causes)
        for cause in recurring:
            console.print(
                Text("The lesson that keeps coming back: ", style="bold")
                + Text(cause.value, style="bold magenta")
                + Text(f", in {plural(counts[cause], 'post-mortem')} ({CAUSE_HELP[cause]}).")
            )
            grid = _grid(indent=True)
            for mistake in patterns.counted:
                if mistake.cause is cause and mistake.plan:
                    text = (
                        Text(mistake.plan)
                        .append("  ")
                        .append_text(plan_status(mistake, patterns.as_of))
                    )
                    grid.add_row(f"#{mistake.id}", text)
            if grid.row_count:
                console.print("Plans made for it:")
                console.print(grid)
    elif patterns.with_mistake:
        console.print("No cause has come up twice yet.")

    for title, ranked in (("Causes", patterns.causes), ("Kinds", patterns.kinds)):
        if not ranked:
            continue
        console.print(Text(title, style="bold"))
        grid = _grid(indent=True)
        grid.add_column(no_wrap=True, style="magenta")
        widest = max(count for _, count in ranked)
        for value, count in ranked:
            grid.add_row(str(count), value.value, "#" * max(1, round(12 * count / widest)))
        console.print(grid)

    console.print(Text("Why they left", style="bold"))
    console.print(
        _para(
            f"A third party was suspected in {patterns.third_party_suspected} of {total} "
            f"({_percent(patterns.third_party_suspected, total)}); a plain reason in "
            f"{patterns.third_party_plain}; unknown in {patterns.third_party_unknown}."
        )
    )

    console.print(Text("Action plans", style="bold"))
    closing = (
        f"median {_days(patterns.median_days_to_close)}, mean {_days(patterns.mean_days_to_close)}"
        if patterns.days_to_close
        else "no plan carried out yet"
    )
    console.print(
        _para(
            f"{patterns.plans} made, {patterns.done} done, {len(patterns.open_plans)} open, "
            f"{len(patterns.overdue)} overdue. Time to close: {closing}."
        )
    )
    if patterns.overdue:
        console.print(Text("Overdue", style="bold red"))
        grid = _grid(indent=True)
        for mistake in patterns.overdue:
            text = Text(mistake.client_name, style="bold").append(f": {mistake.plan}  ")
            text.append_text(plan_status(mistake, patterns.as_of))
            grid.add_row(f"#{mistake.id}", text)
        console.print(grid)
        console.print(_para("Mark a plan carried out with: relog mistakes done ID"))
