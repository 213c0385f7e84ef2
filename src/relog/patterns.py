"""What recurs across post-mortems, and where the time a departure frees could go.

Pure functions of plain data: they never open the journal and never print.
The mistakes commands hand them what the store returned and give the result
to a renderer.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from relog.domain import Cause, MistakeKind, Stage
from relog.rules import attention, pursuit
from relog.rules.base import Action, History

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import datetime

    from relog.config import Config
    from relog.domain import ClientData, InteractionData, MistakeData

DAY = timedelta(days=1)
_T = TypeVar("_T", Cause, MistakeKind)


def is_open(mistake: MistakeData, moment: datetime) -> bool:
    """An action plan that was made by `moment` and not yet carried out."""
    return (
        bool(mistake.plan)
        and mistake.created_at <= moment
        and (mistake.done_at is None or mistake.done_at > moment)
    )


def by_due(mistakes: Iterable[MistakeData]) -> list[MistakeData]:
    """Plans with the earliest due date first; plans without one last, oldest first."""
    return sorted(
        mistakes,
        key=lambda m: (m.due is None, m.due or m.created_at, m.created_at, m.id),
    )


def _made_order(mistake: MistakeData) -> tuple[datetime, int]:
    return mistake.created_at, mistake.id


def in_current_departure(client: ClientData, made: datetime) -> bool:
    """Whether a post-mortem made at `made` is about the departure that stands.

    It is when made at or after the client's end. The journal keeps one end per
    client (`ended_at`, cleared when they come back), so a post-mortem made
    before it is about an earlier departure, or was written before the end was
    recorded; those cannot be told apart.
    """
    return client.ended_at is not None and made >= client.ended_at


def current_post_mortem(client: ClientData, mistakes: Iterable[MistakeData]) -> MistakeData | None:
    """The latest post-mortem of the client's current departure, if one was made."""
    found = [
        m
        for m in mistakes
        if m.client_id == client.id and in_current_departure(client, m.created_at)
    ]
    return max(found, key=_made_order, default=None)


def one_per_departure(
    mistakes: Iterable[MistakeData], clients: Iterable[ClientData]
) -> list[MistakeData]:
    """The latest post-mortem of each departure, oldest first.

    All those made since a client's current end are one departure; each made
    before it (or for a client with no end recorded) counts on its own, as the
    journal does not keep earlier ends to group them by.
    """
    ended = {client.id: client for client in clients if client.ended_at is not None}
    standing: dict[int, MistakeData] = {}
    alone: list[MistakeData] = []
    for mistake in sorted(mistakes, key=_made_order):
        client = ended.get(mistake.client_id)
        if client is not None and in_current_departure(client, mistake.created_at):
            standing[client.id] = mistake
        else:
            alone.append(mistake)
    return sorted([*alone, *standing.values()], key=_made_order)


@dataclass(frozen=True, slots=True)
class Patterns:
    """The post-mortems made up to `as_of`, counted the ways that show a recurring lesson.

    `counted` are the post-mortems every count is made of, one per departure.
    """

    as_of: datetime
    counted: tuple[MistakeData, ...]
    post_mortems: int
    no_mistake: int
    causes: tuple[tuple[Cause, int], ...]
    kinds: tuple[tuple[MistakeKind, int], ...]
    third_party_suspected: int
    third_party_plain: int
    third_party_unknown: int
    plans: int
    done: int
    open_plans: tuple[MistakeData, ...]
    overdue: tuple[MistakeData, ...]
    days_to_close: tuple[float, ...]

    @property
    def with_mistake(self) -> int:
        return self.post_mortems - self.no_mistake

    @property
    def recurring_causes(self) -> list[Cause]:
        """Causes found in two post-mortems or more: the lessons that come back."""
        return [cause for cause, count in self.causes if count >= 2]

    @property
    def recurring_kinds(self) -> list[MistakeKind]:
        return [kind for kind, count in self.kinds if count >= 2]

    @property
    def third_party_share(self) -> float | None:
        """Share of all post-mortems in which the client's vague reason hinted at a third party."""
        if not self.post_mortems:
            return None
        return self.third_party_suspected / self.post_mortems

    @property
    def median_days_to_close(self) -> float | None:
        return statistics.median(self.days_to_close) if self.days_to_close else None

    @property
    def mean_days_to_close(self) -> float | None:
        return statistics.fmean(self.days_to_close) if self.days_to_close else None


def _ranked(counts: Counter[_T], order: Iterable[_T]) -> tuple[tuple[_T, int], ...]:
    """Values that occur, most frequent first; ties keep the order the enum declares."""
    position = {value: index for index, value in enumerate(order)}
    return tuple(
        sorted(
            ((value, count) for value, count in counts.items() if count),
            key=lambda pair: (-pair[1], position[pair[0]]),
        )
    )


def find_patterns(
    mistakes: Iterable[MistakeData], as_of: datetime, *, clients: Iterable[ClientData]
) -> Patterns:
    """Count what the post-mortems made by `as_of` have in common.

    Each departure counts once, with the latest of its post-mortems made by
    then (see `one_per_departure`; `clients` tell when each one's current end was).
    A "no mistake found" post-mortem counts towards the total and the third
    party, but not towards causes or kinds: it has none. A plan counts as done
    only if it was marked done by `as_of`.
    """
    made = one_per_departure((m for m in mistakes if m.created_at <= as_of), clients)
    found = [m for m in made if m.kind is not MistakeKind.NONE]
    causes: Counter[Cause] = Counter(m.cause for m in found if m.cause is not Cause.NONE)
    kinds: Counter[MistakeKind] = Counter(m.kind for m in found)
    with_plan = [m for m in made if m.plan]
    closed = [m for m in with_plan if m.done_at is not None and m.done_at <= as_of]
    return Patterns(
        as_of=as_of,
        counted=tuple(made),
        post_mortems=len(made),
        no_mistake=len(made) - len(found),
        causes=_ranked(causes, Cause),
        kinds=_ranked(kinds, MistakeKind),
        third_party_suspected=sum(1 for m in made if m.third_party is True),
        third_party_plain=sum(1 for m in made if m.third_party is False),
        third_party_unknown=sum(1 for m in made if m.third_party is None),
        plans=len(with_plan),
        done=len(closed),
        open_plans=tuple(by_due(m for m in with_plan if is_open(m, as_of))),
        overdue=tuple(by_due(m for m in with_plan if m.overdue_at(as_of))),
        days_to_close=tuple(
            max(0.0, (m.done_at - m.created_at) / DAY) for m in closed if m.done_at is not None
        ),
    )


@dataclass(frozen=True, slots=True)
class Attention:
    """An active client you have not been in two-way touch with for longer than their cadence."""

    client: ClientData
    cadence_days: int
    last_two_way: datetime | None


@dataclass(frozen=True, slots=True)
class Lead:
    """A lead or prospect, with the last contact either side made."""

    client: ClientData
    last_contact: datetime | None


def _leave_alone(history: History, config: Config) -> bool:
    """Someone to leave be for now: thinking it over, or not yet answering your last attempt."""
    result = pursuit.evaluate(history, config)
    return any(
        f.action in (Action.LET_THINK, Action.WAIT) for f in (*result.findings, *result.notes)
    )


def needs_attention(
    clients: Iterable[ClientData],
    histories: Mapping[int, Sequence[InteractionData]],
    as_of: datetime,
    config: Config,
) -> list[Attention]:
    """Active clients past their cadence, longest out of touch first.

    The clients the attention module finds out of touch (ATT001) with the
    user's `config`, less those to leave alone for now (thinking it over, or
    not yet answering your last attempt): the clock starts at the last contact
    in which the client took part, or, for a client never reached yet, at the
    start of the relationship (`History.began`); a client with nothing logged
    is not listed.
    """
    late: list[tuple[datetime, Attention]] = []
    for client in clients:
        if client.stage is not Stage.ACTIVE:
            continue
        history = History(client, tuple(histories.get(client.id, ())), as_of)
        due = attention.contact_due(history, config)
        if due is None or due >= as_of or _leave_alone(history, config):
            continue
        cadence = attention.cadence_days(client, config)
        reached = [e for e in history.interactions if e.two_way]
        last = reached[-1].at if reached else None
        late.append((due - timedelta(days=cadence), Attention(client, cadence, last)))
    late.sort(key=lambda pair: (pair[0], pair[1].client.name))
    return [item for _, item in late]


def leads_by_recent_contact(
    clients: Iterable[ClientData],
    histories: Mapping[int, Sequence[InteractionData]],
    as_of: datetime,
    config: Config,
) -> list[Lead]:
    """Leads and prospects, the most recently in contact first; those never contacted last.

    Anyone thinking it over, or not yet answering your last attempt (as the
    user's `config` judges both), is left out: freed time is not for pressing them.
    """
    leads = []
    for client in clients:
        if not client.stage.is_pipeline:
            continue
        if _leave_alone(History(client, tuple(histories.get(client.id, ())), as_of), config):
            continue
        contacts = [e.at for e in histories.get(client.id, []) if e.is_contact and e.at <= as_of]
        leads.append(Lead(client, max(contacts, default=None)))
    leads.sort(
        key=lambda lead: (
            lead.last_contact is None,
            -(lead.last_contact.timestamp() if lead.last_contact else 0.0),
            lead.client.name.casefold(),
        )
    )
    return leads
