"""What every rule module reads and returns.

A module is a pure function of plain data: it never opens the journal and
never prints. It gets one relationship's `History` (or, for the portfolio,
the whole `Portfolio`) and its slice of the config, and returns a
`ModuleResult`: a score from 0 to 100 (100 is healthy) and its findings.
The score is 100 less the penalty of each finding, so every point lost can
be traced to one finding.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from relog.domain import Kind, Stage, Timeline, began_at, derive_requests

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from datetime import date, datetime

    from relog.config import Config
    from relog.domain import BillData, ClientData, InteractionData, MistakeData, Request
    from relog.rules.examples import Example

    Check = Callable[[Any, Config], Iterable["Hit"]]
    """A rule's check: a `History` (a `Portfolio` for the portfolio rules) and the config in."""

T = TypeVar("T")


class Severity(StrEnum):
    NOTE = "note"
    """Where the relationship stands (they are thinking it over, a call is agreed):
    no problem and no points off, but it can be the next step."""
    INFO = "info"
    WARNING = "warning"
    ALERT = "alert"


class Action(StrEnum):
    """The next best step with a relationship, in the order they are preferred."""

    ANSWER = "answer them"
    LET_THINK = "let them think"
    WAIT = "wait for them"
    DELIVER = "deliver what they asked for"
    CALL = "call"
    TALK = "talk about the disagreement"
    INITIATIVE = "send an initiative"
    POSTMORTEM = "write the post-mortem"
    NONE = "nothing urgent"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A journal entry that caused a finding."""

    id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found in one relationship (or the portfolio), and what to do about it.

    `action`, `when` and `whom` are the next step it calls for: the review's
    next step and the day's agenda are a ranking of findings.
    """

    code: str
    severity: Severity
    message: str
    advice: str
    evidence: tuple[Evidence, ...] = ()
    penalty: int = 0
    action: Action | None = None
    when: datetime | None = None
    """When to act (a call agreed for 15:00, the end of a thinking time); None is now."""
    whom: str | None = None
    """Who to turn to, when it is not the client (the person who referred them)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule's check reports; the rule adds its code, severity and penalty.

    `escalated` raises the finding to the rule's `escalation` severity (a
    streak long enough to be an alert), the one severity choice a check makes.
    """

    message: str
    advice: str
    evidence: tuple[Evidence, ...] = ()
    action: Action | None = None
    when: datetime | None = None
    whom: str | None = None
    escalated: bool = False


ALL_STAGES = frozenset(Stage)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One rule, whole: identity, documentation, the check and its own examples.

    `relog rules`, docs/rules.md and the generated tests (tests/test_rule_examples.py)
    all come from these: every story in `fires` must produce this rule's code
    with the evidence it names, and every story in `quiet` must not.
    """

    code: str
    symbol: str
    module: str
    severity: Severity
    summary: str
    idea: str
    """Which of the five ideas it comes from, in relog's words (see docs/rules.md)."""
    settings: tuple[str, ...]
    """Config keys it reads, as "section.key" (e.g. "pursuit.chase_streak")."""
    explanation: str
    """A few sentences: what it looks for, why it matters, what to do."""
    check: Check
    escalation: Severity | None = None
    """The severity of an escalated hit (see `Hit.escalated`), if the rule has one."""
    stages: frozenset[Stage] = ALL_STAGES
    """The stages of a relationship the rule judges; it stays quiet at the others."""
    fires: tuple[Example, ...] = ()
    quiet: tuple[Example, ...] = ()

    def judge(self, subject: Any, config: Config) -> list[Finding]:
        """Run the check on one relationship (or the portfolio): its findings."""
        client = getattr(subject, "client", None)
        if client is not None and client.stage not in self.stages:
            return []
        return self.findings(subject, config)

    def findings(self, subject: Any, config: Config) -> list[Finding]:
        """`judge` on a subject already known to be at one of the rule's stages."""
        return [self._finding(hit, config) for hit in self.check(subject, config)]

    def severity_of(self, hit: Hit) -> Severity:
        """The severity of the finding a hit makes: the rule's, or its escalation."""
        if hit.escalated and self.escalation is None:
            raise ValueError(f"{self.code} has no escalation, but its check escalated a hit")
        return self.escalation if hit.escalated and self.escalation else self.severity

    def _finding(self, hit: Hit, config: Config) -> Finding:
        severity = self.severity_of(hit)
        return Finding(
            code=self.code,
            severity=severity,
            message=hit.message,
            advice=hit.advice,
            evidence=hit.evidence,
            penalty=penalty(config, severity),
            action=hit.action,
            when=hit.when,
            whom=hit.whom,
        )


class Family:
    """A rule module: its idea and its rules, in the order a review shows them.

    A module file is then only its rules: each is a check function under
    `@family.rule(...)`, which makes the `Rule` and keeps it here.
    """

    def __init__(self, module: str, idea: str, *, quiet_note: str = "") -> None:
        self.module = module
        self.idea = idea
        self.quiet_note = quiet_note
        """What a review says when no rule of the module applies to the stage."""
        self.rules: list[Rule] = []
        self._by_stage: dict[Stage, list[Rule]] = {}

    def rule(
        self,
        *,
        code: str,
        symbol: str,
        severity: Severity,
        summary: str,
        explanation: str,
        settings: tuple[str, ...] = (),
        escalation: Severity | None = None,
        stages: Iterable[Stage] = ALL_STAGES,
        fires: tuple[Example, ...] = (),
        quiet: tuple[Example, ...] = (),
    ) -> Callable[[Check], Check]:
        def register(check: Check) -> Check:
            self._by_stage.clear()
            self.rules.append(
                Rule(
                    code=code,
                    symbol=symbol,
                    module=self.module,
                    severity=severity,
                    summary=summary,
                    idea=self.idea,
                    settings=settings,
                    explanation=explanation,
                    check=check,
                    escalation=escalation,
                    stages=frozenset(stages),
                    fires=fires,
                    quiet=quiet,
                )
            )
            return check

        return register

    def evaluate(self, subject: Any, config: Config) -> ModuleResult:
        """Every rule on one relationship (or the portfolio): the module's score and findings."""
        client = getattr(subject, "client", None)
        rules = self.rules if client is None else self._at_stage(client.stage)
        if not rules:
            return ModuleResult(self.module, 100, (), applicable=False, note=self.quiet_note)
        found = [finding for rule in rules for finding in rule.findings(subject, config)]
        problems = tuple(f for f in found if f.severity is not Severity.NOTE)
        notes = tuple(f for f in found if f.severity is Severity.NOTE)
        return ModuleResult(self.module, score_from(problems), problems, notes=notes)

    def score(self, subject: Any, config: Config) -> int | None:
        """The score `evaluate` gives, alone; None where it is not applicable.

        For a point of the trend, where no finding is shown: the hits are
        taken one by one and only their penalties added, and no more are
        asked for once the score is 0, since a penalty only takes points off.
        A rule of notes that never escalates costs nothing and is not run.
        """
        client = getattr(subject, "client", None)
        rules = self.rules if client is None else self._at_stage(client.stage)
        if not rules:
            return None
        lost = 0
        for rule in rules:
            if rule.severity is Severity.NOTE and rule.escalation is None:
                continue
            for hit in rule.check(subject, config):
                lost += penalty(config, rule.severity_of(hit))
                if lost >= 100:
                    return 0
        return 100 - lost

    def _at_stage(self, stage: Stage) -> list[Rule]:
        """The rules that judge a relationship at `stage`, listed once per stage."""
        found = self._by_stage.get(stage)
        if found is None:
            found = self._by_stage[stage] = [r for r in self.rules if stage in r.stages]
        return found


@dataclass(frozen=True, slots=True)
class ModuleResult:
    module: str
    score: int
    findings: tuple[Finding, ...] = ()
    applicable: bool = True
    note: str = ""
    notes: tuple[Finding, ...] = ()
    """Findings of severity NOTE: where things stand, at no cost to the score."""


@dataclass(frozen=True, slots=True)
class History:
    """One relationship as it stood at `as_of`: only entries at or before it.

    The facts several modules need (the contacts, the requests and what
    delivered them, the recent entries) are worked out once per history, on
    first use, and shared.
    """

    client: ClientData
    interactions: tuple[InteractionData, ...]
    as_of: datetime
    meetings_per_day: Mapping[date, int] = field(default_factory=dict)
    """Meetings across the whole journal, by local day; for the daily-load rule."""
    _facts: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Cut and order once here, so every module reads the same exact history
        # however it was handed over, and none has to sort it again.
        object.__setattr__(self, "interactions", as_of_then(self.interactions, self.as_of))

    def fact(
        self, name: str, work: Callable[[], T], *, cut: Callable[[T, History], T] | None = None
    ) -> T:
        """A fact about this history worked out once and shared by every rule that reads it.

        `name` must say what the fact is (e.g. "pursuit.streak"), since every
        rule of every module shares the one cache. `cut`, for a fact of the
        entries alone (not the client's stage) that only grows with the
        history, gives the fact as it stood in an earlier history (`earlier`)
        from its value here, so the trend's month ends need not work it out
        again; it must equal what `work` gives there (a property test compares
        them for every cut fact).
        """
        facts = self._facts
        if name in facts:  # asked for dozens of times per review: the path kept short
            return cast("T", facts[name])
        if cut is not None:
            CUTS.setdefault(name, cut)
        found = facts[name] = work()
        return found

    @property
    def contacts(self) -> tuple[InteractionData, ...]:
        """The entries that are contacts with the client (notes left out), oldest first."""
        return self.fact("contacts", lambda: _contacts(self.interactions), cut=up_to_then)

    @property
    def requests(self) -> tuple[Request, ...]:
        """Every request the client made, paired with what delivered it (see `derive_requests`)."""
        return self.fact(
            "requests",
            lambda: tuple(derive_requests(self.interactions, ordered=True)),
            cut=_requests_then,
        )

    @property
    def planned(self) -> tuple[InteractionData, ...]:
        """The entries that agreed a next contact (`next_at`), oldest first."""
        return self.fact(
            "planned",
            lambda: tuple(e for e in self.interactions if e.next_at is not None),
            cut=up_to_then,
        )

    @property
    def delivered(self) -> frozenset[int]:
        """Ids of the entries that delivered something the client had asked for earlier.

        An entry whose `gave` closes a request still open from an earlier entry
        (see `derive_requests`) answers the client: it is respect for what they
        asked, not a contact you pressed on them. An entry that asks and gives on
        the spot delivers nothing here; its own question was part of the contact.
        """
        return self.fact("delivered", lambda: _delivering(self.requests))

    @property
    def began(self) -> datetime | None:
        """When the relationship began (see `began_at`)."""
        return began_at(self.client, first_moment(self.interactions))

    def within(self, days: float) -> tuple[InteractionData, ...]:
        """The entries at most `days` before `as_of` (as `days_since` counts), oldest first."""
        return within(self.interactions, self.as_of, days)

    def earlier(self, moment: datetime, client: ClientData | None = None) -> History:
        """This relationship as it stood at an earlier `moment` (a point of the trend).

        The same history cut at `moment`, with the facts that only grow with
        the history (those worked out here with a `cut`, see `fact`) taken
        from this one instead of worked out again: the contacts are a prefix,
        for instance, and each request is as it stood then (a delivery after
        `moment` had not happened yet).
        """
        if moment > self.as_of:
            raise ValueError("earlier() takes a moment at or before as_of")
        end = bisect.bisect_right(self.interactions, moment, key=_MOMENT)
        then = History(client or self.client, (), moment, self.meetings_per_day)
        # A prefix of an ordered history is ordered: no need to sort it again.
        object.__setattr__(then, "interactions", self.interactions[:end])
        for name, value in self._facts.items():
            cut = CUTS.get(name)
            if cut is not None:
                then._facts[name] = cut(value, then)
        return then


_MOMENT = attrgetter("at")
_MOMENT_AND_ID = attrgetter("at", "id")
_KIND = attrgetter("kind")
_ASKED_AT = attrgetter("asked_at")

CUTS: dict[str, Callable[[Any, History], Any]] = {}
"""How each fact that only grows with a history is cut to an earlier one (see `History.fact`)."""


def up_to_then(entries: tuple[InteractionData, ...], then: History) -> tuple[InteractionData, ...]:
    """The `cut` of a fact that is entries of the history, oldest first: those up to `then`."""
    return entries[: bisect.bisect_right(entries, then.as_of, key=_MOMENT)]


def _requests_then(requests: tuple[Request, ...], then: History) -> tuple[Request, ...]:
    """Each request made by `then`, as it stood then (a later delivery had not happened)."""
    moment = then.as_of
    made = requests[: bisect.bisect_right(requests, moment, key=_ASKED_AT)]  # in asking order
    return tuple(
        [
            request
            if request.given_at is None or request.given_at <= moment
            else replace(request, given_id=None, given_at=None)
            for request in made
        ]
    )


def _contacts(entries: tuple[InteractionData, ...]) -> tuple[InteractionData, ...]:
    """The entries that are contacts (`is_contact`: not a note), in one pass in C."""
    return tuple(itertools.compress(entries, map(Kind.NOTE.__ne__, map(_KIND, entries))))


def first_moment(ordered: Sequence[InteractionData]) -> datetime | None:
    """The moment of the first entry of an ordered history, if any."""
    return ordered[0].at if ordered else None


def as_of_then(entries: Iterable[InteractionData], as_of: datetime) -> tuple[InteractionData, ...]:
    """`entries` at or before `as_of`, oldest first (ties in the order they were logged).

    Entries from the store come in this order as a `Timeline`, taken as they are;
    for any others, when their moments strictly increase, one pass over them
    proves it and nothing is sorted.
    """
    if isinstance(entries, Timeline):
        if not entries or entries[-1].at <= as_of:
            return entries
        return entries[: bisect.bisect_right(entries, as_of, key=_MOMENT)]
    given = entries if isinstance(entries, tuple) else tuple(entries)
    moments = list(map(_MOMENT, given))
    if all(map(operator.lt, moments, itertools.islice(moments, 1, None))):
        cut = bisect.bisect_right(moments, as_of)
        return given if cut == len(given) else given[:cut]
    ordered = sorted(given, key=_MOMENT_AND_ID)
    return tuple(ordered[: bisect.bisect_right(ordered, as_of, key=_MOMENT)])


def within(
    ordered: tuple[InteractionData, ...], as_of: datetime, days: float
) -> tuple[InteractionData, ...]:
    """The entries of an ordered history at most `days` before `as_of`, as `days_since` counts."""
    start = as_of - timedelta(days=days)
    return ordered[bisect.bisect_left(ordered, start, key=_MOMENT) :]


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The whole business as it stood at `as_of`."""

    as_of: datetime
    clients: tuple[ClientData, ...]
    histories: Mapping[int, tuple[InteractionData, ...]]
    """Each client's entries at or before `as_of`, oldest first (cut and ordered on creation)."""
    mistakes: tuple[MistakeData, ...] = ()
    bills: tuple[BillData, ...] = ()
    """Every bill at or before `as_of`, for the income each client brings."""
    _facts: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def fact(self, name: str, work: Callable[[], T]) -> T:
        """A fact about the business worked out once, for a rule and the review alike."""
        return remembered(self._facts, name, work)

    def __post_init__(self) -> None:
        histories = {key: as_of_then(found, self.as_of) for key, found in self.histories.items()}
        object.__setattr__(self, "histories", histories)
        # Only the relationships that had begun by then (see `began_at`).
        clients = tuple(
            client
            for client in self.clients
            if (began := began_at(client, first_moment(histories.get(client.id, ())))) is None
            or began <= self.as_of
        )
        object.__setattr__(self, "clients", clients)


def remembered(facts: dict[str, Any], name: str, work: Callable[[], T]) -> T:
    """`facts[name]`, worked out by `work` the first time it is asked for."""
    if name in facts:  # asked for dozens of times per review: cheaper than a try
        return cast("T", facts[name])
    found = facts[name] = work()
    return found


def penalty(config: Config, severity: Severity) -> int:
    """Points a finding of this severity takes off its module's score (a note takes none)."""
    if severity is Severity.NOTE:
        return 0
    return int(getattr(config.penalties, severity.value))


def score_from(findings: tuple[Finding, ...] | list[Finding]) -> int:
    """100 less every finding's penalty, kept within 0..100."""
    return max(0, min(100, 100 - sum(f.penalty for f in findings)))


def evidence(*entries: InteractionData) -> tuple[Evidence, ...]:
    return tuple(Evidence(entry.id, entry.at) for entry in entries)


def days_since(moment: datetime, as_of: datetime) -> float:
    """Days from `moment` to `as_of`, with the fraction: how every rule measures time."""
    return (as_of - moment).total_seconds() / 86400


def days_ago(moment: datetime, as_of: datetime) -> int:
    """Calendar days from `moment` to `as_of` in local time: how every message counts them.

    Thresholds compare `days_since`; a message that shows a date beside a
    count of days counts the local dates, so "on 2026-11-10, 12 days ago"
    reads the same whatever the hour of either moment.
    """
    return (as_of.astimezone().date() - moment.astimezone().date()).days


def ago(moment: datetime, as_of: datetime) -> str:
    """'today', '1 day ago', '12 days ago': `days_ago` in words."""
    days = days_ago(moment, as_of)
    return "today" if days == 0 else f"{plural(days, 'day')} ago"


def local_day(entry: InteractionData) -> date:
    """The local date of an entry: the day a person would say it happened."""
    return entry.at.astimezone().date()


def ymd(moment: datetime) -> str:
    """A moment as the local date a message shows (YYYY-MM-DD)."""
    return moment.astimezone().date().isoformat()


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 attempt', '3 attempts'."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def the_last(count: int, noun: str, nouns: str | None = None) -> str:
    """'the last day', 'the last 30 days': a recent span or run, read naturally."""
    return f"the last {noun}" if count == 1 else f"the last {plural(count, noun, nouns)}"


def times(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _delivering(requests: Iterable[Request]) -> frozenset[int]:
    return frozenset(
        request.given_id
        for request in requests
        if request.given_id is not None and request.given_id != request.asked_id
    )
