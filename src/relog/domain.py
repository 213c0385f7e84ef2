"""Plain data that every layer shares: the vocabulary of the journal.

Nothing here opens the database or prints. The store turns rows into these
values, the rules read them, and the renderers show them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime  # noqa: TC003 (pydantic reads the row dataclasses' annotations)
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence


class Stage(StrEnum):
    """Where a relationship stands."""

    LEAD = "lead"
    PROSPECT = "prospect"
    ACTIVE = "active"
    PAUSED = "paused"
    FORMER = "former"

    @property
    def is_pipeline(self) -> bool:
        """A lead or prospect: someone who is not (yet) a client."""
        return self in (Stage.LEAD, Stage.PROSPECT)


class Source(StrEnum):
    """How a relationship began."""

    INBOUND = "inbound"
    REFERRAL = "referral"
    OUTBOUND = "outbound"


class Channel(StrEnum):
    """How a client likes to be reached."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    MESSAGE = "message"


class Kind(StrEnum):
    """What sort of entry an interaction is."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    MESSAGE = "message"
    NOTE = "note"

    @property
    def channel(self) -> Channel | None:
        """The channel this contact used; a note is no contact at all."""
        return None if self is Kind.NOTE else Channel(self.value)


class By(StrEnum):
    """Who started a contact."""

    ME = "me"
    THEM = "them"


class Outcome(StrEnum):
    """How a contact went."""

    REACHED = "reached"
    NO_ANSWER = "no-answer"
    NO_REPLY = "no-reply"
    LEFT_MESSAGE = "left-message"
    CANCELLED = "cancelled"

    @property
    def unanswered(self) -> bool:
        return self in (Outcome.NO_ANSWER, Outcome.NO_REPLY, Outcome.LEFT_MESSAGE)


class Item(StrEnum):
    """Something a client can ask for, and something you can give."""

    REFERENCES = "references"
    MATERIALS = "materials"
    PRICES = "prices"
    PROFILE = "profile"
    DETAILS = "details"
    QUESTION = "question"


class Resolution(StrEnum):
    """How a disagreement ended."""

    CONCEDED = "conceded"
    INSISTED = "insisted"
    TOGETHER = "together"
    UNRESOLVED = "unresolved"


class MistakeKind(StrEnum):
    """What sort of mistake a post-mortem found."""

    PROFESSIONAL = "professional"
    SERVICE = "service"
    UNDERSTANDING = "understanding"
    OTHER = "other"
    NONE = "none"


class Cause(StrEnum):
    """What caused a mistake."""

    VAGUE_CONTRACT = "vague-contract"
    KNOWLEDGE_GAP = "knowledge-gap"
    AGGRESSIVE_CLIENT = "aggressive-client"
    OTHER = "other"
    NONE = "none"


def name_key(name: str) -> str:
    """The form of a client name used to compare names: case and spacing ignored.

    NFC normalisation makes the same Hebrew or accented name typed on two
    keyboards compare equal; casefold makes "ACME" and "Acme" the same client.
    """
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True, slots=True)
class ClientData:
    """A client or prospect, as the rules and renderers see it.

    The pace of contact is a range of days between two-way contacts:
    `cadence_days` is the most (the longest the relationship may go without
    contact, which the attention rules read), `cadence_min_days` the fewest,
    or None when only the upper end was given (`--cadence 7`: about every 7
    days). A client with a lower end always has an upper end, no smaller.

    `retainer` is a monthly retainer in hundredths of the journal's currency
    (see `BillData`), or None. `started_at` is when the relationship began if
    the user said so (`--started`); `began_at` says when it began otherwise.
    """

    id: int
    name: str
    stage: Stage
    source: Source | None = None
    referred_by: str | None = None
    cadence_days: int | None = None
    cadence_min_days: int | None = None
    channel: Channel | None = None
    notes: str = ""
    created_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    retainer: int | None = None
    started_at: datetime | None = None


MAX_AMOUNT = 10**14 - 1
"""999,999,999,999.99 in hundredths: a larger amount is surely a typo, and every amount
up to it has at most 14 digits, so it prints in JSON as exactly the number typed."""


def client_problems(client: ClientData) -> list[str]:
    """What makes `client` impossible to store: an empty name, a retainer or pace out of range."""
    problems = []
    if not name_key(client.name):
        problems.append('client name is empty; give the name in quotes, e.g. "Dana Levi"')
    if client.retainer is not None and not 0 < client.retainer <= MAX_AMOUNT:
        problems.append("a retainer must be above zero (and at most 999,999,999,999.99)")
    low, high = client.cadence_min_days, client.cadence_days
    if low is not None and (high is None or not 1 <= low <= high):
        problems.append(
            f"cadence_min_days {low} needs a cadence_days at least as large (not {high})"
        )
    return problems


def began_at(client: ClientData, first_entry_at: datetime | None) -> datetime | None:
    """When the relationship with `client` began, given the moment of its first entry.

    The start date the user gave (`client.started_at`) if any: they know when it
    began, and it wins even over earlier entries. Else the earlier of the first
    journal entry about them (a contact or a note, whoever started it) and the
    moment they were added: a history logged after the fact begins at its first
    entry however recently the client was added, and a lead written down before
    anything was logged began when you wrote them down. None only for a client
    with none of these (one built in code, not stored).
    """
    if client.started_at is not None:
        return client.started_at
    known = [moment for moment in (first_entry_at, client.created_at) if moment is not None]
    return min(known, default=None)


MEMBER_LENGTH = 64


def member_name(value: str) -> str | None:
    """`value` as a team member's name, its spacing tidied; None if it cannot be one (empty,
    longer than `MEMBER_LENGTH`, or holding a control character)."""
    name = " ".join(value.split())
    if not name or len(name) > MEMBER_LENGTH or not name.isprintable():
        return None
    return name


@dataclass(frozen=True, slots=True)
class InteractionData:
    """One journal entry: a contact with a client, or a note about them."""

    id: int
    client_id: int
    kind: Kind
    at: datetime
    by: By = By.ME
    outcome: Outcome = Outcome.REACHED
    agreed: bool = False
    next_at: datetime | None = None
    think: bool = False
    asked: frozenset[Item] = field(default_factory=frozenset)
    gave: frozenset[Item] = field(default_factory=frozenset)
    disagreement: Resolution | None = None
    expectations: bool = False
    initiative: bool = False
    delegated: bool = False
    late: bool = False
    minutes: int | None = None
    summary: str = ""
    member: str | None = None
    """The team member who logged it (None: logged before relog recorded members)."""

    @property
    def is_contact(self) -> bool:
        """A note records a thought, not a contact with the client."""
        return self.kind is not Kind.NOTE

    @property
    def two_way(self) -> bool:
        """A contact in which the client took part: a call they answered, a meeting that
        happened, or anything they sent you.

        An email or message of yours is one-way, even when it went out fine:
        their reply (logged with --by them) is the two-way contact. Cadence is
        measured from these, never from an attempt of yours, or chasing would
        look like staying in touch.
        """
        if not self.is_contact or self.outcome is not Outcome.REACHED:
            return False
        return self.by is By.THEM or self.kind in (Kind.CALL, Kind.MEETING)

    @property
    def initiative_of_yours(self) -> bool:
        """An idea or gesture you brought the client (logged with --initiative on a contact).

        A note records a thought, not something the client received, and the
        client's own ideas are theirs: neither counts, in any rule.
        """
        return self.initiative and self.by is By.ME and self.is_contact

    @property
    def trust_step(self) -> bool:
        """A step that builds trust: you gave them something, or brought an initiative.

        What you gave counts on any contact, whoever started it: `--gave` is
        always yours, and the material you bring to a meeting they asked for is
        the step itself. An initiative counts only as `initiative_of_yours`.
        Every rule that looks for a trust step or an initiative reads these two
        properties, so both count the same everywhere.
        """
        return self.is_contact and (bool(self.gave) or self.initiative_of_yours)

    @property
    def unanswered_attempt(self) -> bool:
        """A contact you started that the client has not taken part in.

        A call or meeting they missed, a message left, or an email or message of
        yours that is still waiting for an answer. An email that delivers something
        (--gave) is not an attempt to reach them: it is what they are owed.
        """
        if not self.is_contact or self.by is not By.ME:
            return False
        if self.outcome.unanswered:
            return True
        one_way = self.kind in (Kind.EMAIL, Kind.MESSAGE)
        return one_way and self.outcome is Outcome.REACHED and not self.gave


class Timeline(tuple[InteractionData, ...]):
    """Entries known to be in the rules' order: oldest first, ties in the order logged
    (by id), as the store reads them (`ORDER BY at, id`).

    A history made from one needs no pass to prove its order (`as_of_then`);
    any other sequence of entries is checked, and sorted if need be. Slicing
    one gives a plain tuple.
    """

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Request:
    """Something a client asked for, and when (if ever) you delivered it."""

    client_id: int
    item: Item
    asked_id: int
    asked_at: datetime
    given_id: int | None = None
    given_at: datetime | None = None

    def open_at(self, moment: datetime) -> bool:
        """Whether the request was still waiting at `moment`."""
        return self.asked_at <= moment and (self.given_at is None or self.given_at > moment)


def derive_requests(
    interactions: Sequence[InteractionData], *, ordered: bool = False
) -> list[Request]:
    """Pair every item a client asked for with the first later entry that gave it.

    Interactions must belong to one client; `ordered` says they already come
    oldest first (by moment, then id), as a `History` holds them. An item given
    before anyone asked for it closes nothing; one entry that both asks and
    gives the same item (a question asked and answered on the spot) closes its
    own request.
    """
    relevant = [i for i in interactions if i.asked or i.gave]
    if not ordered:
        relevant.sort(key=_MOMENT_AND_ID)
    # Each request as [client, item, asked id, asked at, given id, given at], filled
    # in place when delivered; the Requests are made once, at the end.
    found: list[list[Any]] = []
    waiting: dict[Item, list[list[Any]]] = {}
    for entry in relevant:
        for item in sorted(entry.asked):
            record: list[Any] = [entry.client_id, item, entry.id, entry.at, None, None]
            found.append(record)
            waiting.setdefault(item, []).append(record)
        for item in sorted(entry.gave):
            for record in waiting.pop(item, ()):
                record[4:] = entry.id, entry.at
    return [Request(*record) for record in found]


_MOMENT_AND_ID = attrgetter("at", "id")


@dataclass(frozen=True, slots=True)
class BillData:
    """An amount billed to a client on a date.

    Amounts are whole hundredths of the journal's one currency (12050 is
    120.50), so sums are exact; the currency itself is a setting
    (`[money] currency`), not part of the journal.
    """

    id: int
    client_id: int
    at: datetime
    amount: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class MistakeData:
    """One post-mortem entry of the mistakes log."""

    id: int
    client_id: int
    client_name: str
    created_at: datetime
    what: str
    kind: MistakeKind
    cause: Cause
    cause_note: str = ""
    plan: str = ""
    due: datetime | None = None
    done_at: datetime | None = None
    third_party: bool | None = None

    def overdue_at(self, moment: datetime) -> bool:
        return (
            self.due is not None
            and self.due < moment
            and (self.done_at is None or self.done_at > moment)
        )


def contradictions(entry: InteractionData) -> list[str]:
    """What in `entry` cannot be true at once, each as the flags that clash.

    The CLI refuses an entry with any of these, so the rules never have to
    guess what a contradictory entry meant.
    """
    problems: list[str] = []
    answered = entry.outcome is Outcome.REACHED or entry.by is By.THEM
    if entry.kind is Kind.NOTE:
        if entry.by is By.THEM:
            problems.append("a note is yours: --by them needs a call, email, meeting or message")
        if entry.outcome is not Outcome.REACHED:
            problems.append("a note has no outcome: drop --outcome or log a contact instead")
    if entry.late and entry.kind is not Kind.MEETING:
        problems.append("--late is for meetings only")
    if entry.late and entry.outcome is Outcome.CANCELLED:
        problems.append("--late with --outcome cancelled: a cancelled meeting cannot be late")
    if not answered:
        for flag, value in (
            ("--think", entry.think),
            ("--asked", bool(entry.asked)),
            ("--delegated", entry.delegated),
            ("--disagreement", entry.disagreement is not None),
        ):
            if value:
                problems.append(
                    f"{flag} with --outcome {entry.outcome.value}: the client has to take part "
                    "(use --outcome reached or --by them)"
                )
    if entry.expectations and entry.disagreement is None:
        problems.append(
            "--expectations goes with --disagreement (the expectations set on conceding)"
        )
    if entry.next_at is not None and entry.next_at <= entry.at:
        problems.append("--next must be later than --at")
    if entry.minutes is not None and entry.minutes < 0:
        problems.append("--minutes must be zero or more")
    return problems


class Found(StrEnum):
    """Where a search found its words."""

    ENTRY = "entry"
    NOTES = "notes"
    POST_MORTEM = "post-mortem"


Span = tuple[int, int]
"""Where a matched word is in a text: its (start, end) offsets, in characters."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One entry, client's notes or post-mortem that holds every word searched for.

    `text` is the text that matched, as it is shown: an entry's summary, the
    client's notes, or what went wrong in a post-mortem followed by its cause
    note and plan when words matched there ("...; note: ...; plan: ...").
    `marks` are the spans of the matched words in `text`, in order. `at` is
    when the entry happened or the post-mortem was written; notes have no date.
    """

    found_in: Found
    client_id: int
    client: str
    text: str
    marks: tuple[Span, ...] = ()
    at: datetime | None = None
    entry: InteractionData | None = None
    mistake_id: int | None = None
