"""The days ahead: what is due, day by day, from the same findings as the review.

Now: each relationship's next step when it asks for something to be done (not
a wait), the one the review shows. Ahead: every finding or note that names a
later moment (a call agreed for Thursday 10:00, the end of a thinking time,
the day a request becomes late, the day a client's cadence comes due), on its
local day, one per client and day (the first by the review's ranking); an
agreed contact is always listed, and from its day on it stands for any other
item that only asks you to be in touch. Action
plans from the mistakes log join on their due day, or now when overdue. Pure
like the review: plain data in, plain data out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from relog.review import ACTION_ORDER, rank
from relog.rules.base import Action

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from relog.domain import MistakeData
    from relog.review import ClientReview, PortfolioReview
    from relog.rules.base import Finding

AGREED = "PUR007"
"""The note of a contact agreed with the client: an appointment on its day."""

HOLDING = frozenset({Action.NONE, Action.WAIT, Action.LET_THINK})
"""Next steps that ask you to hold back: nothing to do now."""


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to do, now (`overdue`: due already) or on one day ahead."""

    day: date
    overdue: bool
    client: str
    client_id: int | None
    code: str | None
    action: Action
    reason: str
    when: datetime | None
    source: str | None = None
    """What it comes from, stable across runs ("PUR007-entry-12" for the entry that
    set the moment, "plan-3" for a post-mortem's plan): a calendar event's UID."""
    plan: str | None = None
    """A post-mortem's plan, in your words (private: a calendar leaves it out unless asked)."""


def agenda(
    review: PortfolioReview, mistakes: Iterable[MistakeData], now: datetime, days: int
) -> list[Item]:
    """Everything due now and up to `days` ahead: the overdue first, then by moment."""
    last = now.astimezone().date() + timedelta(days=days)
    items = [item for r in review.reviews for item in _client_items(r, now)]
    items += _plans(mistakes, now)
    kept = [item for item in items if item.day <= last]
    return sorted(kept, key=lambda i: _order(i, now))


def _order(item: Item, now: datetime) -> tuple[bool, date, int, datetime, str]:
    """What is due now first, the most pressing action first; then day by day, by time."""
    pressing = ACTION_ORDER.index(item.action) if item.overdue else 0
    return (not item.overdue, item.day, pressing, _moment(item, now), item.client.casefold())


def _client_items(review: ClientReview, now: datetime) -> list[Item]:
    today = now.astimezone().date()
    client = review.client
    found: list[Item] = []
    step = review.next_step
    if step.action not in HOLDING and (step.when is None or step.when <= now):
        found.append(
            Item(today, True, client.name, client.id, step.code, step.action, step.reason, None)
        )
    ahead = sorted(
        (
            f
            for result in review.modules.values()
            for f in (*result.findings, *result.notes)
            if f.when is not None and f.when > now and f.action is not None
        ),
        key=rank,
    )
    agreed = [f.when.astimezone().date() for f in ahead if f.code == AGREED and f.when]
    appointment = min(agreed, default=None)
    taken: set[tuple[date, bool]] = set()
    for finding in ahead:
        assert finding.when is not None and finding.action is not None
        day = finding.when.astimezone().date()
        # One item per client and day, and an agreed contact always (it is an appointment).
        # From its day on, it is the contact any other item only asks you to make.
        key = (day, finding.code == AGREED)
        later = appointment is not None and day >= appointment and finding.code != AGREED
        if key in taken or (later and _contact(finding)):
            continue
        taken.add(key)
        found.append(
            Item(
                day,
                False,
                client.name,
                client.id,
                finding.code,
                finding.action,
                finding.message,
                finding.when,
                f"{finding.code}-entry-{finding.evidence[0].id}" if finding.evidence else None,
            )
        )
    return found


def _contact(finding: Finding) -> bool:
    """A finding that asks only for a contact with the client (a call, or being in touch)."""
    return finding.action in (Action.CALL, Action.NONE)


def _plans(mistakes: Iterable[MistakeData], now: datetime) -> list[Item]:
    today = now.astimezone().date()
    found: list[Item] = []
    for mistake in mistakes:
        if mistake.due is None or mistake.done_at is not None or not mistake.plan:
            continue
        day = mistake.due.astimezone().date()
        found.append(
            Item(
                day=max(day, today),
                overdue=day < today,
                client=mistake.client_name,
                client_id=mistake.client_id,
                code=None,
                action=Action.NONE,
                reason=f'Carry out the plan after the post-mortem: "{mistake.plan}" '
                f"(relog mistakes done {mistake.id}).",
                plan=mistake.plan,
                when=mistake.due,
                source=f"plan-{mistake.id}",
            )
        )
    return found


def _moment(item: Item, now: datetime) -> datetime:
    return item.when or now


def by_day(items: Sequence[Item]) -> list[tuple[date | None, list[Item]]]:
    """The items grouped under their day; what is due now first, under None."""
    groups: list[tuple[date | None, list[Item]]] = []
    for item in items:
        key = None if item.overdue else item.day
        if groups and groups[-1][0] == key:
            groups[-1][1].append(item)
        else:
            groups.append((key, [item]))
    return groups
