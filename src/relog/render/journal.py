"""Text views of clients and the timeline."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from relog.domain import BillData, By, ClientData, Found, InteractionData, Outcome
from relog.render.console import out, plain_stdout
from relog.render.lines import LineWriter, Segment, pad, plain_line, widths

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime
    from decimal import Decimal

    from rich.text import Text

    from relog.domain import SearchHit, Span
    from relog.schema import ClientDetail

STAGE_STYLE = {
    "lead": "cyan",
    "prospect": "blue",
    "active": "green",
    "paused": "yellow",
    "former": "dim",
}


def when(moment: datetime | None) -> str:
    """A moment in the user's local time, to the minute."""
    return "-" if moment is None else moment.astimezone().isoformat(" ", "minutes")[:16]


def day(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone():%Y-%m-%d}"


def _every(fewest: int | None, most: int | None) -> str:
    """A pace of contact: 'every 7 days', or 'every 5 to 10 days' for a range."""
    if not most:
        return "-"
    if fewest is not None and fewest != most:
        return f"every {fewest} to {most} days"
    return "every day" if most == 1 else f"every {most} days"


def _days(fewest: int | None, most: int | None) -> str:
    """The pace in a column: '7d', '5-10d'."""
    if not most:
        return "-"
    return f"{fewest}-{most}d" if fewest is not None and fewest != most else f"{most}d"


def money(amount: int | Decimal, currency: str | None) -> str:
    """An amount as people write it, '1,200.50', with the journal's currency if it has one.

    `amount` is stored hundredths (an int) or the amount itself (a Decimal).
    """
    hundredths = amount if isinstance(amount, int) else int(amount.scaleb(2))
    whole, cents = divmod(hundredths, 100)
    text = f"{whole:,}.{cents:02d}"
    return f"{text} {currency}" if currency else text


CLIENT_COLUMNS = ("name", "stage", "source", "cadence", "channel")


def show_clients(clients: Sequence[ClientData]) -> None:
    """One aligned line per client, written as it is made (see `render.lines`)."""
    console = out()
    if not clients:
        console.print('No clients yet. Add one with: relog client add "Dana Levi"')
        return
    rows = [
        (
            client.name,
            client.stage.value,
            client.source.value if client.source else "-",
            _days(client.cadence_min_days, client.cadence_days),
            client.channel.value if client.channel else "-",
        )
        for client in clients
    ]
    name, stage, source, cadence, _ = widths(rows, CLIENT_COLUMNS)
    with LineWriter(console) as lines:
        header = (pad("name", name), pad("stage", stage), pad("source", source))
        lines.line([(" ".join((*header, pad("cadence", cadence), "channel")), "bold")])
        for row in rows:
            lines.line(
                [
                    (pad(row[0], name) + " ", ""),
                    (pad(row[1], stage), STAGE_STYLE[row[1]]),
                    (f" {pad(row[2], source)} {pad(row[3], cadence, right=True)} {row[4]}", ""),
                ]
            )


RECENT_BILLS = 5
"""How many bills `relog client show` lists, newest first."""


def show_client(detail: ClientDetail) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = out()
    console.print(
        Text(detail.name, style="bold"),
        Text(f"  [{detail.stage.value}]", style=STAGE_STYLE[detail.stage.value]),
    )
    retainer = detail.retainer
    rows: list[tuple[str, str]] = [
        ("source", detail.source.value if detail.source else "-"),
        ("referred by", detail.referred_by or "-"),
        ("cadence", _every(detail.cadence_min_days, detail.cadence_days)),
        ("channel", detail.channel.value if detail.channel else "-"),
        *[(label, ", ".join(values)) for label, values in _handles(detail) if values],
        ("retainer", "-" if retainer is None else f"{money(retainer, detail.currency)} a month"),
        ("since", day(detail.began_at)),
        ("interactions", str(detail.interactions)),
        ("last contact", when(detail.last_contact)),
        ("last two-way", when(detail.last_two_way)),
    ]
    if detail.ended_at:
        rows.append(("ended", f"{day(detail.ended_at)}: {detail.end_reason or ''}"))
    if detail.notes:
        rows.append(("notes", detail.notes))
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="dim")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, Text(value))
    console.print(table)
    if detail.open_requests:
        console.print("[bold]Open requests[/]")
        for request in detail.open_requests:
            console.print(
                f"  {escape(request.item.value)}, "
                f"asked {day(request.asked_at)} (#{request.asked_id})"
            )
    if detail.recent_bills:
        _recent_bills(detail)


def _handles(detail: ClientDetail) -> list[tuple[str, list[str]]]:
    return [("email", detail.emails), ("phone", detail.phones), ("domain", detail.domains)]


def _recent_bills(detail: ClientDetail) -> None:
    from rich.text import Text

    console = out()
    console.print("[bold]Recent bills[/]")
    width = max(len(money(b.amount, detail.currency)) for b in detail.recent_bills)
    for bill in detail.recent_bills:
        shown = money(bill.amount, detail.currency).rjust(width)
        note = f"  {bill.note}" if bill.note else ""
        console.print(Text(f"  #{bill.id:<4} {day(bill.at)}  {shown}{note}"))
    more = detail.bill_count - len(detail.recent_bills)
    if more > 0:
        console.print(
            Text(f"  … and {more} more (relog bills {_quoted(detail.name)})", style="dim")
        )


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


def interaction_line(entry: InteractionData, client: str) -> Text:
    """One entry as a readable line: id, when, what, who, how it went, and the details."""
    from rich.text import Text

    return Text.assemble(*interaction_segments(entry, client))


def show_entry(entry: InteractionData, client: str, heading: str | None = None) -> None:
    """One entry as `interaction_line` shows it, under `heading` if given.

    Output that takes no styling (a pipe, a file) gets the plain text without
    loading Rich at all: logging an entry is the command run most often.
    """
    if plain_stdout():
        shown = [plain_line([(heading, "")])] if heading is not None else []
        shown.append(plain_line(interaction_segments(entry, client)))
        sys.stdout.write("\n".join(shown) + "\n")
        return
    console = out()
    if heading is not None:
        console.print(heading, markup=False)
    console.print(interaction_line(entry, client), soft_wrap=True)


def interaction_segments(
    entry: InteractionData,
    client: str,
    summary: Sequence[Segment] | None = None,
    *,
    member_width: int = 0,
) -> list[Segment]:
    """The pieces of `interaction_line`, each with its style: the summary's first line
    (with '…' when more follows), or `summary` in its place when given (a search shows
    the whole summary, the words it found marked); the member who logged it in a column
    `member_width` wide, when above 0."""
    arrow = "→" if entry.by is By.ME else "←"
    line: list[Segment] = [
        (f"#{entry.id:<4} ", "dim"),
        (f"{when(entry.at)}  ", ""),
    ]
    if member_width:
        line.append((_member_column(entry.member, member_width), "magenta"))
    line += [
        (f"{entry.kind.value:<7}", "bold"),
        (f" {arrow} ", ""),
        (client, "cyan"),
    ]
    if entry.outcome is not Outcome.REACHED:
        line.append((f"  {entry.outcome.value}", "red"))
    tags = []
    if entry.agreed:
        tags.append("agreed")
    if entry.think:
        tags.append("thinking it over")
    if entry.asked:
        tags.append("asked " + ",".join(sorted(entry.asked)))
    if entry.gave:
        tags.append("gave " + ",".join(sorted(entry.gave)))
    if entry.disagreement:
        tags.append(f"disagreement: {entry.disagreement.value}")
    if entry.expectations:
        tags.append("expectations set")
    if entry.initiative:
        tags.append("initiative")
    if entry.delegated:
        tags.append("handed to an assistant")
    if entry.late:
        tags.append("late")
    if entry.minutes is not None:
        tags.append(f"{entry.minutes} min")
    if entry.next_at:
        tags.append(f"next {when(entry.next_at)}")
    if tags:
        line.append(("  " + "; ".join(tags), "yellow"))
    if summary is None and entry.summary:
        first, _, more = entry.summary.strip().partition("\n")
        summary = [(f"{first.strip()}{' …' if more.strip() else ''}", SUMMARY_STYLE)]
    if summary:
        line.append(("  ", ""))
        line.extend(summary)
    return line


MEMBER_WIDTH = 12
"""The most a member's name takes on a log line; a longer one is cut with '…'."""


def show_timeline(
    entries: Iterable[tuple[InteractionData, str]],
    *,
    filtered: bool = False,
    members: Sequence[str] = (),
) -> None:
    """Each (entry, client name) as one line, written as it arrives from the journal.

    One line per entry whatever the width, so `relog log | grep` sees whole entries.
    When more than one of `members` logged entries, each line names its member.
    """
    empty = (
        "No entries match."
        if filtered
        else 'Nothing logged yet. Log a contact with: relog add call "Dana Levi"'
    )
    width = min(max(map(len, members)), MEMBER_WIDTH) if len(members) > 1 else 0
    _show_lines(
        (interaction_segments(entry, name, member_width=width) for entry, name in entries), empty
    )


def _member_column(member: str | None, width: int) -> str:
    name = member or "-"
    if len(name) > width:
        name = name[: width - 1] + "…"
    return name.ljust(width) + "  "


def _show_lines(lines: Iterable[list[Segment]], empty: str) -> None:
    """Each line as it arrives, or `empty` when there is none."""
    console = out()
    rows = iter(lines)
    first = next(rows, None)
    if first is None:
        console.print(empty, markup=False)
        return
    with LineWriter(console) as writer:
        writer.line(first)
        for line in rows:
            writer.line(line)


SUMMARY_STYLE = "italic"
MATCH_STYLE = "bold reverse"
"""How a word a search found is marked, over the style of the text around it."""


def marked(text: str, marks: Sequence[Span], style: str) -> list[Segment]:
    """`text` in `style`, the spans in `marks` also in `MATCH_STYLE`, on one line
    (a line break in the text shows as ' / ')."""
    pieces: list[Segment] = []
    done = 0
    for start, end in marks:
        pieces.append((text[done:start], style))
        pieces.append((text[start:end], f"{style} {MATCH_STYLE}"))
        done = end
    pieces.append((text[done:], style))
    return [(piece.replace("\n", " / "), kind) for piece, kind in pieces if piece]


def hit_segments(hit: SearchHit) -> list[Segment]:
    """One search hit as a line: an entry as `relog log` shows it, whose notes, or which
    post-mortem; then the text, the words found in it marked."""
    text = marked(hit.text, hit.marks, SUMMARY_STYLE)
    if hit.entry is not None:
        return interaction_segments(hit.entry, hit.client, text)
    if hit.found_in is Found.NOTES:
        head: list[Segment] = [("notes", "bold"), (" of ", ""), (hit.client, "cyan")]
    else:
        head = [
            (f"post-mortem #{hit.mistake_id}", "bold"),
            (f"  {when(hit.at)}  ", ""),
            (hit.client, "cyan"),
        ]
    return [*head, ("  ", ""), *text]


def show_hits(hits: Iterable[SearchHit]) -> None:
    """Each search hit as one line, written as it arrives from the journal."""
    _show_lines(map(hit_segments, hits), "Nothing matches.")


def bill_segments(bill: BillData, client: str, currency: str | None, width: int) -> list[Segment]:
    """One bill as a line: id, day, amount (right-aligned to `width`), client and note."""
    line: list[Segment] = [
        (f"#{bill.id:<4} ", "dim"),
        (f"{day(bill.at)}  ", ""),
        (pad(money(bill.amount, currency), width, right=True), "bold"),
        ("  ", ""),
        (client, "cyan"),
    ]
    if bill.note:
        line.append((f"  {bill.note}", "italic"))
    return line


def show_bills(
    bills: Sequence[tuple[BillData, str]], currency: str | None, *, filtered: bool = False
) -> None:
    """Each (bill, client name) as one line, newest first, then how many and the total."""
    console = out()
    if not bills:
        console.print(
            "No bills match."
            if filtered
            else 'No bills yet. Record one with: relog bill "Dana Levi" 1200'
        )
        return
    width = max(len(money(bill.amount, currency)) for bill, _ in bills)
    total = sum(bill.amount for bill, _ in bills)
    count = "1 bill" if len(bills) == 1 else f"{len(bills)} bills"
    with LineWriter(console) as lines:
        for bill, name in bills:
            lines.line(bill_segments(bill, name, currency, width))
        lines.line([(f"{count}, {money(total, currency)} in all", "bold")])
