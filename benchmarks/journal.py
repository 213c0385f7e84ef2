"""Synthetic journals for the benchmarks: a busy agency's years, made up but plausible.

`build(path, clients, interactions)` writes a journal of `clients` clients and
`interactions` entries over three years: entries per client are lognormal (a
few clients hold most of the history), one "Heavy Client" has a fixed share,
and every entry has the mix of kinds, outcomes, requests and deliveries that a
real journal has. The same arguments and seed give the same journal.

It writes through the store's own tables (SQLAlchemy Core, in batches), so the
file is exactly what relog itself would write, requests table included.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from relog.domain import (
    By,
    Channel,
    ClientData,
    InteractionData,
    Item,
    Kind,
    Outcome,
    Resolution,
    Source,
    Stage,
    derive_requests,
)
from relog.store import open_store

if TYPE_CHECKING:
    from pathlib import Path

HEAVY = "Heavy Client"
SPAN = timedelta(days=3 * 365)
KINDS = [Kind.CALL, Kind.CALL, Kind.EMAIL, Kind.EMAIL, Kind.MEETING, Kind.MESSAGE, Kind.NOTE]
OUTCOMES = [Outcome.REACHED] * 6 + [Outcome.NO_ANSWER, Outcome.NO_REPLY, Outcome.LEFT_MESSAGE]
STAGES = [Stage.LEAD, Stage.PROSPECT, Stage.ACTIVE, Stage.ACTIVE, Stage.ACTIVE, Stage.PAUSED]
ITEMS = list(Item)
BATCH = 50_000


def entry_counts(rng: random.Random, clients: int, total: int, heavy: int) -> list[int]:
    """Entries per client: `heavy` for the first, the rest lognormal, summing to `total`."""
    rest = total - heavy
    weights = [rng.lognormvariate(0, 1.0) for _ in range(clients - 1)]
    scale = rest / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    counts[-1] += rest - sum(counts)
    while counts[-1] < 1:  # rounding took too much: take it back from the largest
        largest = counts.index(max(counts))
        counts[largest] -= 1
        counts[-1] += 1
    return [heavy, *counts]


def entries_for(
    rng: random.Random, client_id: int, count: int, now: datetime
) -> list[InteractionData]:
    """`count` plausible entries for one client, over the last three years."""
    span = SPAN.total_seconds()
    entries = []
    for _ in range(count):
        kind = rng.choice(KINDS)
        note = kind is Kind.NOTE
        by = By.ME if note or rng.random() < 0.6 else By.THEM
        outcome = Outcome.REACHED if note or by is By.THEM else rng.choice(OUTCOMES)
        answered = outcome is Outcome.REACHED
        at = now - timedelta(seconds=rng.random() * span)
        contact = answered and not note
        entries.append(
            InteractionData(
                id=0,
                client_id=client_id,
                kind=kind,
                at=at,
                by=by,
                outcome=outcome,
                agreed=rng.random() < 0.2,
                next_at=at + timedelta(days=rng.randint(1, 14)) if rng.random() < 0.1 else None,
                think=contact and rng.random() < 0.03,
                asked=frozenset({rng.choice(ITEMS)})
                if contact and rng.random() < 0.1
                else frozenset(),
                gave=frozenset({rng.choice(ITEMS)}) if rng.random() < 0.1 else frozenset(),
                disagreement=rng.choice(list(Resolution))
                if contact and rng.random() < 0.05
                else None,
                expectations=False,
                initiative=rng.random() < 0.05,
                delegated=contact and rng.random() < 0.01,
                late=kind is Kind.MEETING and rng.random() < 0.05,
                minutes=rng.randint(5, 90) if kind is Kind.MEETING else None,
                summary="synthetic entry",
            )
        )
    return entries


def build(path: Path, clients: int, interactions: int, *, heavy: int = 10_000) -> None:
    """Write a synthetic journal at `path` (which must not exist yet)."""
    from sqlalchemy import insert

    from relog.store.models import Client
    from relog.store.store import _interaction_values, request_values
    from relog.store.tables import INTERACTION, REQUEST

    rng = random.Random(20261201)
    now = datetime.now(UTC) - timedelta(minutes=1)
    created = now - SPAN - timedelta(days=30)
    heavy = min(heavy, interactions // 2)
    counts = entry_counts(rng, clients, interactions, heavy)
    people = [
        ClientData(
            id=number + 1,
            name=HEAVY if number == 0 else f"Client {number:05d}",
            stage=Stage.ACTIVE if number == 0 else rng.choice(STAGES),
            source=rng.choice(list(Source)),
            cadence_days=rng.choice([None, 7, 14, 30]),
            channel=rng.choice([None, *Channel]),
            created_at=created,
        )
        for number in range(clients)
    ]
    store = open_store(path)
    try:
        with store.engine.begin() as connection:
            connection.execute(
                insert(Client),
                [
                    {
                        "id": c.id,
                        "name": c.name,
                        "name_key": c.name.casefold(),
                        "stage": c.stage.value,
                        "source": c.source.value if c.source else None,
                        "cadence_days": c.cadence_days,
                        "channel": c.channel.value if c.channel else None,
                        "notes": "",
                        "created_at": c.created_at,
                    }
                    for c in people
                ],
            )
        next_id = 1
        pending: list[InteractionData] = []
        requests: list[dict[str, object]] = []

        def flush() -> None:
            with store.engine.begin() as connection:
                connection.execute(
                    INTERACTION.insert(),
                    [{"id": e.id, **_interaction_values(e)} for e in pending],
                )
                if requests:
                    connection.execute(REQUEST.insert(), requests)
            pending.clear()
            requests.clear()

        for client, count in zip(people, counts, strict=True):
            made = sorted(entries_for(rng, client.id, count, now), key=lambda e: e.at)
            numbered = [replace(e, id=next_id + n) for n, e in enumerate(made)]
            next_id += len(numbered)
            pending.extend(numbered)
            requests.extend(request_values(r) for r in derive_requests(numbered))
            if len(pending) >= BATCH:
                flush()
        if pending:
            flush()
    finally:
        store.close()
