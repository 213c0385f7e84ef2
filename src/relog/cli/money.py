"""`relog bill` and `relog bills`: what each client was billed, and when.

Recording and listing are two commands, as `relog add` and `relog log` are:
`relog bill` always takes a client and an amount, `relog bills` only filters,
so no option of either means nothing in one of its modes.
"""

from __future__ import annotations

from typing import Annotated

import typer

from relog.cli.app import state
from relog.cli.params import JsonOpt, complete_client, parse_amount, parse_past, parse_since
from relog.dates import local_now
from relog.domain import BillData
from relog.render.console import out, print_json


def bill(
    ctx: typer.Context,
    client_name: Annotated[
        str,
        typer.Argument(
            metavar="CLIENT",
            help="The client's name (a unique start of it will do).",
            autocompletion=complete_client,
            show_default=False,
        ),
    ],
    amount: Annotated[
        str,
        typer.Argument(
            metavar="AMOUNT",
            help="The amount billed, in the currency of your config, above zero with at most "
            "two decimals: 1200, 1,200.50 or 1200.5.",
            show_default=False,
        ),
    ],
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="WHEN",
            help="When you billed it (default: now): ISO 8601, or 'yesterday', "
            "'3 days ago', 'monday'.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "-m", "--note", metavar="TEXT", help="What it was for, in a line.", show_default=False
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Record an amount billed to a client.

    Examples:
    relog bill "Dana Levi" 1200
    relog bill dana 1,200.50 --at 2026-01-31 -m "January design work"
    """
    hundredths = parse_amount(amount, "amount")
    moment = parse_past(at, "--at") or local_now()
    app_state = state(ctx)
    currency = app_state.config().money.currency
    store = app_state.store()
    client = store.find_client(client_name)
    saved = store.add_bill(
        BillData(id=0, client_id=client.id, at=moment, amount=hundredths, note=note or "")
    )
    if json:
        from relog.schema import BillOut

        print_json(BillOut.of(saved, client.name, currency))
        return
    from rich.text import Text

    from relog.render.journal import bill_segments, money

    out().print(f"Billed #{saved.id}:", markup=False)
    line = bill_segments(saved, client.name, currency, len(money(saved.amount, currency)))
    out().print(Text.assemble(*line), soft_wrap=True)


def bills(
    ctx: typer.Context,
    client_name: Annotated[
        str | None,
        typer.Argument(
            metavar="CLIENT",
            help="Only this client's bills.",
            autocompletion=complete_client,
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="Only bills from then on: a day ('2026-01-01', '3 months ago') from its start.",
            show_default=False,
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """List the amounts billed, newest first, with their total.

    Examples:
    relog bills
    relog bills dana --since 2026-01-01
    """
    moment = parse_since(since)
    app_state = state(ctx)
    currency = app_state.config().money.currency
    store = app_state.store()
    client_id = store.find_client(client_name).id if client_name is not None else None
    found = store.named_bills(client_id, since=moment)
    if json:
        from relog.schema import BillList, BillOut, amount

        total = amount(sum(b.amount for b, _ in found))
        listed = [BillOut.of(b, name, currency) for b, name in found]
        print_json(BillList(currency=currency, total=total, bills=listed))
        return
    from relog.render.journal import show_bills

    show_bills(found, currency, filtered=client_name is not None or since is not None)
