"""Views of reviews: the Rich screens and the `--json` documents (docs/json.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.text import Text

from relog.render.console import out
from relog.render.journal import STAGE_STYLE, day, money, when
from relog.render.lines import LineWriter, Segment, pad, widths
from relog.rules.base import Action, Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.table import Table

    from relog.review import ClientReview, Largest, PortfolioReview

SEVERITY_STYLE = {
    Severity.ALERT: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
    Severity.NOTE: "dim",
}
SEVERITY_MARK = {
    Severity.ALERT: "!!",
    Severity.WARNING: "! ",
    Severity.INFO: "i ",
    Severity.NOTE: "· ",
}
SPARKS = "▁▂▃▄▅▆▇█"


# text ------------------------------------------------------------------


def bar(score: int, width: int = 10) -> Text:
    return Text.assemble(*bar_segments(score, width))


def bar_segments(score: int, width: int) -> list[Segment]:
    filled = round(score * width / 100)
    style = "green" if score >= 75 else "yellow" if score >= 50 else "red"
    return [("█" * filled, style), ("░" * (width - filled), "dim")]


def sparkline(values: list[int | None]) -> Text:
    text = Text()
    for value in values:
        if value is None:
            text.append("·", style="dim")
        else:
            text.append(SPARKS[min(len(SPARKS) - 1, value * len(SPARKS) // 101)])
    return text


def finding_block(group: Sequence[Finding], *, advice: bool = True) -> Hanging:
    """One finding, or several of the same code and advice shown as one block: the message,
    advice and evidence indented under the code however narrow the terminal is."""
    finding = group[0]
    mark = Text(SEVERITY_MARK[finding.severity], style=SEVERITY_STYLE[finding.severity])
    mark.append(finding.code, style="bold")
    message = Text(finding.message)
    if len(group) > 1:
        message = Text(finding.message.rstrip("."))
        message.append(f" (and {len(group) - 1} more like it).")
    lost = sum(f.penalty for f in group)
    if lost:
        message.append(f"  -{lost}", style="dim")
    rows = [message]
    if advice:
        rows.append(Text("→ " + finding.advice, style="italic"))
    cited_entries = list(dict.fromkeys(e for f in group for e in f.evidence))
    if cited_entries:
        cited = ", ".join(f"#{e.id} {day(e.at)}" for e in cited_entries[:6])
        more = f" and {len(cited_entries) - 6} more" if len(cited_entries) > 6 else ""
        rows.append(Text(f"evidence: {cited}{more}", style="dim"))
    return Hanging(mark, rows)


class Hanging:
    """A mark, then lines of text that wrap indented under its end, one space after it:
    what a two-column `Table.grid` shows, laid out in one pass.

    A review can show dozens of findings, and a grid measures every cell
    before it renders it; this renders each line once (a test keeps the
    output equal to the grid's at widths from 12 to 120 columns). The text
    wraps at the width left beside the mark, measured as shown: a grid sized
    its column by the text before its control characters were made visible.
    """

    def __init__(self, mark: Text, rows: Sequence[Text]) -> None:
        self.mark = mark
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment as Piece

        left = self.mark.cell_len
        inner = options.update(width=max(1, options.max_width - left - 1), overflow="fold")
        (mark,) = console.render_lines(self.mark, options.update(width=left, no_wrap=True))
        lead = [*mark, Piece(" ")]
        under = [Piece(" " * (left + 1))]
        for row in self.rows:
            for line in console.render_lines(row, inner, pad=False):
                yield from lead
                lead = under
                yield from line
                yield Piece.line()


def grouped(findings: Sequence[Finding]) -> list[list[Finding]]:
    """Findings with the same code and advice together, in the order they first appear."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.code, finding.advice), []).append(finding)
    return list(groups.values())


def _module_scores(review: ClientReview) -> Text:
    """Each module's score and bar, in aligned columns two spaces apart (as a borderless
    table lays them out, without importing one for five short lines); a module that does
    not apply, dim, with "-" and "n/a"."""
    scores = [str(term.score) if term.applicable else "-" for term in review.terms]
    names = max(len(term.module) for term in review.terms)
    width = max(map(len, scores))
    return Text("\n").join(
        Text.assemble(f"{term.module:<{names}}  {score:>{width}}  ", bar(term.score))
        if term.applicable
        else Text(f"{term.module:<{names}}  {score:>{width}}  n/a", style="dim")
        for term, score in zip(review.terms, scores, strict=True)
    )


def show_client_review(review: ClientReview, *, explain: bool = False) -> None:
    console = out()
    client = review.client
    title = Text(client.name, style="bold")
    title.append(f"  {client.stage.value}", style=STAGE_STYLE[client.stage.value])
    title.append(f"  as of {when(review.as_of)}", style="dim")
    console.print(title)
    ended = review.judged_at is not None and review.judged_at < review.as_of
    if ended:
        assert review.judged_at is not None
        why = f" ({client.end_reason})" if client.end_reason else ""
        console.print(
            Text(f"Ended {when(review.judged_at)}{why}; judged as it stood then.", style="dim")
        )
    health = Text("Health ", style="bold")
    if review.health is None:
        health.append("not judged yet: no contact with them is logged")
        console.print(health)
    else:
        health.append(f"{review.health}/100 ")
        health.append(bar(review.health, 20))
        console.print(health)
        console.print(_module_scores(review))
    findings = review.findings
    console.print()
    if findings:
        heading = "How it stood when it ended" if ended else "What relog sees"
        console.print(Text(heading, style="bold"))
        for group in grouped(findings):
            console.print(finding_block(group, advice=not ended))
    elif review.health is None:
        console.print("Nothing to judge until you are in touch.")
    elif not ended:
        console.print("No concerns: this relationship looks healthy.")
    console.print()
    step = Text("Next: ", style="bold")
    step.append(review.next_step.action.value, style="bold green")
    channel = review.client.channel
    if review.next_step.action is Action.CALL and channel is not None and channel.value != "call":
        step.append(f" (by {channel.value}, as they prefer)", style="green")
    console.print(step)
    console.print(Padding(Text(review.next_step.reason), (0, 0, 0, 2), expand=False))
    if review.trend:
        console.print()
        line = Text("Trend ", style="bold")
        line.append(sparkline([p.health for p in review.trend]))
        first = review.trend[0]
        span = f"{first.at.astimezone():%b %Y} → {review.as_of.astimezone():%Y-%m-%d}"
        known = [p.health for p in review.trend if p.health is not None]
        if known:
            span += f", low {min(known)}, high {max(known)}"
        if line.cell_len + 2 + len(span) <= console.width:
            line.append(f"  {span}", style="dim")
            console.print(line)
        else:  # a narrow terminal: the span on a line of its own, never split
            console.print(line)
            console.print(Text(f"      {span}", style="dim"), no_wrap=True, overflow="ellipsis")
    if explain:
        console.print()
        console.print(explain_table(review))


def explain_table(review: ClientReview) -> Table:
    """Each module's score, weight and share of the health, and the findings that moved it."""
    from rich.table import Table

    table = Table(title="How the health is computed", title_justify="left", show_lines=False)
    table.add_column("module")
    table.add_column("score", justify="right")
    table.add_column("weight", justify="right")
    table.add_column("adds", justify="right")
    table.add_column("moved by", overflow="fold")
    for term in review.terms:
        moved = ", ".join(f"{f.code} -{f.penalty}" for f in term.findings) or "-"
        if not term.applicable:
            table.add_row(term.module, "-", f"{term.weight:g}", "-", "not applicable to this stage")
            continue
        table.add_row(
            term.module, str(term.score), f"{term.weight:g}", f"{term.contribution:.1f}", moved
        )
    table.add_row(
        Text("health", style="bold"),
        "",
        "",
        Text(str(review.health), style="bold"),
        "Σ score×weight / Σ weight",
    )
    return table


def agenda_lines(review: PortfolioReview) -> dict[str, list[tuple[str, str]]]:
    """Today's agenda as (client, reason) pairs per heading, in `AGENDA_TITLES` order.

    What needs answering, delivering or reviving is said by the finding behind
    the next step (what happened); the rest by the step itself (what to do).
    """

    def reason_for(r: ClientReview, heading: str) -> str:
        if heading in ("answer", "deliver", "going_dark", "talk"):
            for finding in r.findings:
                if finding.code == r.next_step.code:
                    return finding.message
        return r.next_step.reason

    return {
        heading: [(r.client.name, reason_for(r, heading)) for r in getattr(review.agenda, heading)]
        for heading in AGENDA_TITLES
    }


AGENDA_TITLES = {
    "answer": "Answer now",
    "deliver": "Deliver what was asked",
    "follow_up": "Follow up",
    "going_dark": "Going dark",
    "talk": "Talk it through",
    "leave_alone": "Leave alone for now",
}


AGENDA_SHOWN = 10
"""Items under each agenda heading when the portfolio is cut to a limit."""


def _portfolio_table(console: Console, reviews: Sequence[ClientReview]) -> None:
    """One aligned line per relationship (see `render.lines`: fast at any size)."""
    rows = [
        (r.client.name, r.client.stage.value, _health(r), r.next_step.action.value) for r in reviews
    ]
    name, stage, health, _ = widths(rows, ("client", "stage", "health", "next"))
    with LineWriter(console) as lines:
        head = f"{pad('client', name)}  {pad('stage', stage)}  {pad('health', health)}"
        lines.line([(f"{head}  {' ' * 6}  next", "bold")])
        for r, row in zip(reviews, rows, strict=True):
            lines.line(
                [
                    (pad(row[0], name) + "  ", ""),
                    (pad(row[1], stage), STAGE_STYLE[row[1]]),
                    (f"  {pad(row[2], health, right=True)}  ", ""),
                    *(bar_segments(r.health, 6) if r.health is not None else [(" " * 6, "")]),
                    (f"  {row[3]}", ""),
                ]
            )


def largest_line(largest: Largest, currency: str | None) -> str:
    """What losing the largest client would cost, in a sentence."""
    window = f"the last {largest.window_days} days"
    name = largest.client.name
    if largest.measure == "income":
        held, left = money(largest.held, currency), money(largest.left, currency)
        return (
            f"Your largest client is {name}: {largest.share:.0%} of your income in {window} "
            f"({held}). Losing them would leave {left} of {money(largest.total, currency)}."
        )
    return (
        f"Your largest client by contacts is {name}: {largest.share:.0%} of your contacts "
        f"with active clients in {window}. Record what clients bring (relog bill, "
        "--retainer) to measure it by income."
    )


def _health(review: ClientReview) -> str:
    return "-" if review.health is None else str(review.health)


def _more(count: int, noun: str) -> str:
    return f"{count:,} more {noun if count == 1 else noun + 's'}"


def show_portfolio(
    review: PortfolioReview, *, limit: int | None = None, currency: str | None = None
) -> None:
    """The portfolio: the relationships most in need first, today's agenda, the business.

    With a `limit`, a large portfolio shows its first `limit` relationships and
    `AGENDA_SHOWN` items per agenda heading, and says how many more there are.
    """
    from rich.table import Table

    console = out()
    console.print(Text(f"Portfolio as of {when(review.as_of)}", style="bold"))
    shown = review.reviews if limit is None else review.reviews[:limit]
    if not review.reviews:
        console.print('No open relationships yet. Add one with: relog client add "Dana Levi"')
    else:
        _portfolio_table(console, shown)
    hidden = len(review.reviews) - len(shown)
    if hidden:
        console.print(
            Text(
                f"… and {_more(hidden, 'relationship')} in better health (relog review --all)",
                style="dim",
            )
        )
    console.print()
    lines = agenda_lines(review)
    console.print(Text("Today", style="bold"))
    empty = True
    for key in AGENDA_TITLES:
        if lines[key]:
            empty = False
            console.print(Text(f"  {AGENDA_TITLES[key]}", style="bold"))
            listed = lines[key] if limit is None else lines[key][:AGENDA_SHOWN]
            items = Table.grid(padding=(0, 1))
            items.add_column(no_wrap=True)
            items.add_column(overflow="fold")
            for name, reason in listed:
                item = Text(name, style="cyan")
                item.append(f": {reason}", style="default")
                items.add_row("    •", item)
            console.print(items)
            if len(listed) < len(lines[key]):
                more = _more(len(lines[key]) - len(listed), "client")
                console.print(Text(f"      … and {more} (relog review --all)", style="dim"))
    if empty:
        console.print("  Nothing pressing today.")
    if review.portfolio.findings or review.largest:
        console.print()
        console.print(Text(f"The business as a whole ({review.portfolio.score}/100)", style="bold"))
        if review.largest is not None:
            console.print(Padding(Text(largest_line(review.largest, currency)), (0, 0, 0, 2)))
        for group in grouped(review.portfolio.findings):
            console.print(finding_block(group))
