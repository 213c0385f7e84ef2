"""Short stories that a rule must judge right: its examples.

Each rule carries stories on which it fires and twin stories on which it must
stay quiet (see `Rule.fires` and `Rule.quiet`). A story is written the way a
user logs it, in the flags of `relog add` and `relog client add`, one entry per
line, with moments counted in days from the story's first day:

    Example(
        "Three attempts at a prospect who never answered",
        client="--stage prospect",
        entries=(
            "d0 call --outcome no-answer",
            "d1 email",
            "d2 message",
        ),
        at="d3",
        evidence=(1, 2, 3),
    )

A moment is `dN` (day N at 10:00 UTC), `dN HH:MM`, or with a fraction of a day,
`d2.5`. Entry `n` of the story (counting from 1) is logged with id `n`, so
`evidence` names the entries the finding must cite. Other clients (for the
portfolio, or the day's meeting load) are given in `others`, and their entries
start with their name: `"Omer: d1 meeting"`.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NoReturn

from relog.config import Config
from relog.domain import (
    BillData,
    By,
    Cause,
    Channel,
    ClientData,
    InteractionData,
    Item,
    Kind,
    MistakeData,
    MistakeKind,
    Outcome,
    Resolution,
    Source,
    Stage,
)

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping

    from relog.rules.base import History, Portfolio

DAY_ONE = datetime(2025, 3, 3, tzinfo=UTC)
"""The first day of every story (a Monday)."""

SUBJECT = "Dana Levi"
"""The client a story is about."""

_MOMENT = re.compile(r"d(?P<day>\d+(?:\.\d+)?)(?: (?P<hour>\d{1,2}):(?P<minute>\d{2}))?")


class StoryError(ValueError):
    """A story that cannot be read: a mistake in a rule's examples."""


@functools.cache
def _parser_class() -> type[argparse.ArgumentParser]:
    """An argument parser that raises `StoryError`; argparse is imported only once a story
    is read (by the tests and the docs), not whenever a rule module is."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise StoryError(message)

    return Parser


def moment(text: str) -> datetime:
    """`d3`, `d3 14:30` or `d2.5`: a moment of the story."""
    found = _MOMENT.fullmatch(text.strip())
    if found is None:
        raise StoryError(f"not a story moment: {text!r} (write d3, d3 14:30 or d2.5)")
    day = float(found["day"])
    if found["hour"] is None:
        return DAY_ONE + timedelta(days=day, hours=10)
    clock = time(int(found["hour"]), int(found["minute"]))
    return DAY_ONE + timedelta(days=day, hours=clock.hour, minutes=clock.minute)


def _hundredths(text: str) -> int:
    return int(Decimal(text.strip()) * 100)


def _items(text: str) -> frozenset[Item]:
    return frozenset(Item(part.strip()) for part in text.split(","))


@functools.cache
def _entry_parser() -> argparse.ArgumentParser:
    parser = _parser_class()(prog="entry", add_help=False)
    parser.add_argument("kind", type=Kind)
    parser.add_argument("--by", type=By, default=By.ME)
    parser.add_argument("--outcome", type=Outcome, default=Outcome.REACHED)
    parser.add_argument("--agreed", action="store_true")
    parser.add_argument("--next", dest="next_at", type=moment)
    parser.add_argument("--think", action="store_true")
    parser.add_argument("--asked", type=_items, default=frozenset())
    parser.add_argument("--gave", type=_items, default=frozenset())
    parser.add_argument("--disagreement", type=Resolution)
    parser.add_argument("--expectations", action="store_true")
    parser.add_argument("--initiative", action="store_true")
    parser.add_argument("--delegated", action="store_true")
    parser.add_argument("--late", action="store_true")
    parser.add_argument("--minutes", type=int)
    parser.add_argument("-m", dest="summary", default="")
    return parser


def _cadence(text: str) -> tuple[int | None, int]:
    """`7` (every 7 days) or `5-10` (every 5 to 10 days): the fewest days (if given), the most."""
    fewest, dash, most = text.partition("-")
    numbers = (fewest, most) if dash else (text,)
    if not all(number.isdigit() for number in numbers) or (dash and int(fewest) > int(most)):
        import argparse

        raise argparse.ArgumentTypeError(f"not a cadence: {text!r} (write 7 or 5-10)")
    return (int(fewest), int(most)) if dash else (None, int(text))


@functools.cache
def _client_parser() -> argparse.ArgumentParser:
    parser = _parser_class()(prog="client", add_help=False)
    parser.add_argument("name", nargs="?", default=SUBJECT)
    parser.add_argument("--stage", type=Stage, default=Stage.LEAD)
    parser.add_argument("--source", type=Source)
    parser.add_argument("--referred-by")
    parser.add_argument("--cadence", type=_cadence, default=(None, None))
    parser.add_argument("--channel", type=Channel)
    parser.add_argument("--added", dest="created_at", type=moment, default=moment("d0"))
    parser.add_argument("--ended", dest="ended_at", type=moment)
    parser.add_argument("--reason", dest="end_reason")
    parser.add_argument("--started", dest="started_at", type=moment)
    parser.add_argument("--retainer", type=_hundredths)
    return parser


@dataclass(frozen=True, slots=True)
class Example:
    """A story and the moment it is judged at; see the module docstring."""

    story: str
    """What happens, in a sentence: docs/rules.md shows it with the entries."""
    entries: tuple[str, ...] = ()
    at: str = "d0"
    client: str = "--stage prospect"
    evidence: tuple[int, ...] | None = None
    """For a firing story: the entries the finding must cite, all of them, in order."""
    others: tuple[str, ...] = ()
    """Other clients, in the flags of `relog client add` with the name first."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    """Config overrides, as "section.key": value."""
    postmortems: tuple[str, ...] = ()
    """Saved post-mortems: `d11 --due d20 [--done d18] --plan TEXT [--client NAME]`."""
    bills: tuple[str, ...] = ()
    """Amounts billed, as `relog bill` takes them: `d10 1200.50`, or `Omer: d10 300`."""

    @property
    def as_of(self) -> datetime:
        return moment(self.at)

    def config(self) -> Config:
        tree: dict[str, dict[str, Any]] = {}
        for key, value in self.settings.items():
            section, name = key.split(".")
            tree.setdefault(section, {})[name] = value
        return Config.model_validate(tree)

    def clients(self) -> tuple[ClientData, ...]:
        """The story's subject first (id 1), then the others (ids 2, 3, ...)."""
        specs = (self.client, *self.others)
        found = tuple(
            _client(shlex.split(spec), number) for number, spec in enumerate(specs, start=1)
        )
        if specs[1:] and any(c.name == SUBJECT for c in found[1:]):
            raise StoryError(f"another client is named {SUBJECT!r}, like the story's subject")
        return found

    def interactions(self) -> tuple[InteractionData, ...]:
        """Every client's entries, with ids in story order (entry n has id n)."""
        ids = {client.name: client.id for client in self.clients()}
        return tuple(_entry(line, number, ids) for number, line in enumerate(self.entries, start=1))

    def history(self) -> History:
        """The subject's relationship at the story's moment, with the day's meeting load."""
        from relog.rules.base import History

        entries = self.interactions()
        subject = self.clients()[0]
        return History(
            subject,
            tuple(e for e in entries if e.client_id == subject.id),
            self.as_of,
            _meetings_per_day(entries, self.as_of),
        )

    def portfolio(self) -> Portfolio:
        from relog.rules.base import Portfolio

        entries = self.interactions()
        clients = self.clients()
        by_name = {c.name: c for c in clients}
        return Portfolio(
            as_of=self.as_of,
            clients=clients,
            histories={c.id: tuple(e for e in entries if e.client_id == c.id) for c in clients},
            mistakes=tuple(
                _postmortem(line, number, by_name)
                for number, line in enumerate(self.postmortems, start=1)
            ),
            bills=tuple(
                _bill(line, number, by_name) for number, line in enumerate(self.bills, start=1)
            ),
        )


@functools.cache
def _postmortem_parser() -> argparse.ArgumentParser:
    parser = _parser_class()(prog="postmortem", add_help=False)
    parser.add_argument("created_at", type=moment)
    parser.add_argument("--due", type=moment)
    parser.add_argument("--done", dest="done_at", type=moment)
    parser.add_argument("--plan", default="")
    parser.add_argument("--client", default=SUBJECT)
    return parser


def _postmortem(line: str, number: int, clients: Mapping[str, ClientData]) -> MistakeData:
    values = vars(_postmortem_parser().parse_args(shlex.split(line)))
    client = clients.get(values.pop("client"))
    if client is None:
        raise StoryError(f"post-mortem {number} names a client who is not in the story")
    return MistakeData(
        id=number,
        client_id=client.id,
        client_name=client.name,
        what="what went wrong",
        kind=MistakeKind.SERVICE,
        cause=Cause.VAGUE_CONTRACT,
        **values,
    )


def _bill(line: str, number: int, clients: Mapping[str, ClientData]) -> BillData:
    owner, _, rest = line.partition(":") if _OWNER.match(line) else ("", "", line)
    client = clients.get(owner.strip() or SUBJECT)
    if client is None:
        raise StoryError(f"bill {number} names {owner.strip()!r}, who is not in the story")
    when, _, amount = rest.strip().partition(" ")
    return BillData(id=number, client_id=client.id, at=moment(when), amount=_hundredths(amount))


def _client(words: list[str], number: int) -> ClientData:
    values = vars(_client_parser().parse_args(words))
    values["cadence_min_days"], values["cadence_days"] = values.pop("cadence")
    return ClientData(id=number, **values)


def _entry(line: str, number: int, ids: Mapping[str, int]) -> InteractionData:
    owner, _, rest = line.partition(":") if _names_a_client(line) else ("", "", line)
    client_id = ids.get(owner.strip() or SUBJECT)
    if client_id is None:
        raise StoryError(f"entry {number} names {owner.strip()!r}, who is not in the story")
    when, _, flags = rest.strip().partition(" ")
    words = shlex.split(flags)
    if words and re.fullmatch(r"\d{1,2}:\d{2}", words[0]):
        when, words = f"{when} {words[0]}", words[1:]
    values = vars(_entry_parser().parse_args(words))
    return InteractionData(id=number, client_id=client_id, at=moment(when), **values)


def _names_a_client(line: str) -> bool:
    return _OWNER.match(line) is not None


_OWNER = re.compile(r"\s*[^\W\d][^:]*:\s+d\d")
"""`Omer: d1 meeting`: an entry of another client, its name before the moment."""


def _meetings_per_day(entries: tuple[InteractionData, ...], as_of: datetime) -> dict[Any, int]:
    days = Counter(
        e.at.astimezone().date()
        for e in entries
        if e.kind is Kind.MEETING and e.at <= as_of and e.outcome is not Outcome.CANCELLED
    )
    return dict(days)


def render(example: Example) -> list[str]:
    """The story as docs/rules.md shows it: the client, the entries, the moment."""
    lines = [f"relog client add {shlex.quote(SUBJECT)} {example.client}".rstrip()]
    lines += [f"relog client add {spec}" for spec in example.others]
    lines += [f"config: {key} = {value}" for key, value in example.settings.items()]
    lines += [f"post-mortem: {line}" for line in example.postmortems]
    lines += [f"bill: {line}" for line in example.bills]
    lines += [f"{n}. {line}" for n, line in enumerate(example.entries, start=1)]
    lines.append(f"reviewed at {example.at}")
    return lines
