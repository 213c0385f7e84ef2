"""Arguments and options shared by several commands, declared once."""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from typer._click.shell_completion import CompletionItem

from relog.dates import Day, Prefer, local_now, parse_when
from relog.domain import MAX_AMOUNT, By, Channel, Item, Kind, Outcome, Resolution, Source, Stage
from relog.errors import InputError, RelogError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from typer._click.core import Context, Parameter

    from relog.handles import Handle
    from relog.store import Store


def complete_client(incomplete: str) -> list[str]:
    """Client names for shell completion, from the default journal (see `client_completion`
    for the one commands install, which reads the journal `--db` names)."""
    return _client_names(incomplete, None)


def _client_names(incomplete: str, db: str | None) -> list[str]:
    """The names, from the journal at `db` or the default one; silent on any problem.

    Read without the ORM (see `relog.store.names`): completion runs on every Tab.
    """
    from relog.paths import journal_path
    from relog.store.names import client_names

    try:
        path, _ = journal_path(db)
    except RelogError:
        return []
    return client_names(path, incomplete)


def client_completion(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
    """`complete_client` for the shell, from the journal `--db` names.

    Installed on every parameter registered with `complete_client` (see
    `cli.app.own_completion`), in place of Typer's own wrapper, which keeps only
    values that start with the text exactly as typed: relog matches any case and
    a later word, and for bash a name must come back escaped ("Acme\\ Ltd") to
    stay one word on the command line.
    """
    db = ctx.find_root().params.get("db")
    names = _client_names(incomplete, str(db) if db else None)
    bash = os.environ.get("_RELOG_COMPLETE") == "complete_bash"
    return [CompletionItem(shell_word(name) if bash else name) for name in names]


def shell_word(name: str) -> str:
    """`name` as one bash word: a backslash before each character the shell would read
    (a space, a quote, `$`...); letters of any script stay as they are."""
    return re.sub(r"([^\w./,:@%+=-])", r"\\\1", name)


ClientName = Annotated[
    str,
    typer.Argument(
        help="The client's name (any case; a unique start of the name or of a word in it will do).",
        autocompletion=complete_client,
        show_default=False,
    ),
]

StageOpt = Annotated[
    Stage | None,
    typer.Option(
        "--stage",
        metavar="STAGE",
        help="lead, prospect, active, paused or former.",
        case_sensitive=False,
    ),
]
SourceOpt = Annotated[
    Source | None,
    typer.Option(
        "--source",
        metavar="SOURCE",
        help="How it began: inbound, referral or outbound.",
        case_sensitive=False,
    ),
]
ReferredOpt = Annotated[
    str | None, typer.Option("--referred-by", metavar="NAME", help="Who referred them.")
]
CadenceOpt = Annotated[
    str | None,
    typer.Option(
        "--cadence",
        metavar="DAYS",
        help="How often they want to hear from you, in days: 7 for about every 7 days, "
        "5-10 for at least 5 and at most 10 days apart; 'none' clears it in edit.",
        show_default=False,
    ),
]
RetainerOpt = Annotated[
    str | None,
    typer.Option(
        "--retainer",
        metavar="AMOUNT",
        help="A monthly retainer in your currency, e.g. 5000 or 5,000.50; "
        "'none' removes it in edit.",
        show_default=False,
    ),
]
StartedOpt = Annotated[
    str | None,
    typer.Option(
        "--started",
        metavar="WHEN",
        help="When the relationship began, if before its first entry: '2025-09-01', "
        "'6 months ago' (default: the first entry, else when added); 'none' clears it in edit.",
        show_default=False,
    ),
]
ChannelOpt = Annotated[
    Channel | None,
    typer.Option(
        "--channel",
        metavar="CHANNEL",
        help="Preferred channel: call, email, meeting or message.",
        case_sensitive=False,
    ),
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="Free notes about the client.")
]
EmailOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--email",
        metavar="ADDR",
        help="An email address of the client; repeat the option for more.",
        show_default=False,
    ),
]
PhoneOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--phone",
        metavar="NUMBER",
        help="A phone number, with its country code unless contacts.region is set "
        "(see relog config); repeat the option for more.",
        show_default=False,
    ),
]
DomainOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--domain",
        metavar="DOMAIN",
        help="The company's own domain, e.g. acme.co.il (not a public mail service); "
        "repeat the option for more.",
        show_default=False,
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON instead of text (see relog help json).")
]

KindArg = Annotated[
    Kind,
    typer.Argument(
        metavar="KIND",
        help="call, email, meeting, message or note.",
        case_sensitive=False,
        show_default=False,
    ),
]
ByOpt = Annotated[
    By | None,
    typer.Option(
        "--by",
        metavar="WHO",
        help="Who started it: me (default) or them.",
        case_sensitive=False,
        show_default=False,
    ),
]
OutcomeOpt = Annotated[
    Outcome | None,
    typer.Option(
        "--outcome",
        metavar="OUTCOME",
        help="reached (default), no-answer, no-reply, left-message or cancelled.",
        case_sensitive=False,
        show_default=False,
    ),
]
AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="WHEN",
        help="When it happened (default: now): ISO 8601, or 'yesterday 15:00', "
        "'3 days ago', 'monday 10:00'.",
        show_default=False,
    ),
]
# The same three for `relog edit`, where an option left out keeps the entry's value.
EditByOpt = Annotated[
    By | None,
    typer.Option("--by", metavar="WHO", help="Who started it: me or them.", case_sensitive=False),
]
EditOutcomeOpt = Annotated[
    Outcome | None,
    typer.Option(
        "--outcome",
        metavar="OUTCOME",
        help="reached, no-answer, no-reply, left-message or cancelled.",
        case_sensitive=False,
    ),
]
EditAtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="WHEN",
        help="When it happened: ISO 8601, or 'yesterday 15:00', '3 days ago', 'monday 10:00'.",
    ),
]
AgreedOpt = Annotated[
    bool | None,
    typer.Option(
        "--agreed/--no-agreed",
        help="The client agreed to this contact in advance.",
        show_default=False,
    ),
]
NextOpt = Annotated[
    str | None,
    typer.Option(
        "--next",
        metavar="WHEN",
        help="Next contact you agreed on ('thursday 10:00', ISO 8601); 'none' clears it in edit.",
        show_default=False,
    ),
]
ThinkOpt = Annotated[
    bool | None,
    typer.Option("--think/--no-think", help="They asked for time to think.", show_default=False),
]


def complete_items(incomplete: str) -> list[str]:
    """The items for `--asked`/`--gave`, completing the last of a comma-separated list."""
    done, _, last = incomplete.rpartition(",")
    head = f"{done}," if done else ""
    chosen = {part.strip() for part in done.split(",")}
    return [
        f"{head}{item.value}"
        for item in Item
        if item.value.startswith(last.strip()) and item.value not in chosen
    ]


AskedOpt = Annotated[
    str | None,
    typer.Option(
        "--asked",
        metavar="ITEMS",
        autocompletion=complete_items,
        help="What they asked for, comma-separated: references, materials, prices, "
        "profile, details, question.",
        show_default=False,
    ),
]
GaveOpt = Annotated[
    str | None,
    typer.Option(
        "--gave",
        metavar="ITEMS",
        autocompletion=complete_items,
        help="What you gave them (same items; 'question' means you answered).",
        show_default=False,
    ),
]
DisagreementOpt = Annotated[
    Resolution | None,
    typer.Option(
        "--disagreement",
        metavar="HOW",
        help="A disagreement and how it ended: conceded, insisted, together or unresolved.",
        case_sensitive=False,
        show_default=False,
    ),
]
ExpectationsOpt = Annotated[
    bool | None,
    typer.Option(
        "--expectations/--no-expectations",
        help="With --disagreement: on settling it you said what you expect in return "
        "(what they will do, by when).",
        show_default=False,
    ),
]
InitiativeOpt = Annotated[
    bool | None,
    typer.Option(
        "--initiative/--no-initiative",
        help="An initiative or gesture beyond the contract.",
        show_default=False,
    ),
]
DelegatedOpt = Annotated[
    bool | None,
    typer.Option(
        "--delegated/--no-delegated", help="They handed you to an assistant.", show_default=False
    ),
]
LateOpt = Annotated[
    bool | None,
    typer.Option("--late/--no-late", help="You were late to the meeting.", show_default=False),
]
MinutesOpt = Annotated[
    int | None,
    typer.Option(
        "--minutes",
        metavar="MINUTES",
        min=0,
        max=24 * 60,
        help="How long it took, in minutes.",
        show_default=False,
    ),
]
SummaryOpt = Annotated[
    str | None,
    typer.Option(
        "-m",
        "--summary",
        metavar="TEXT",
        help="What happened, in a line (--edit for more).",
        show_default=False,
    ),
]
EditOpt = Annotated[
    bool,
    typer.Option(
        "--edit",
        "-e",
        help="Write the summary in your editor ($VISUAL or $EDITOR), over several lines if "
        "you like; 'relog log' shows its first line.",
    ),
]
MAX_ID = 2**63 - 1
"""The largest id SQLite can store: a larger number cannot name an entry."""

# The filters of `relog log`, which `relog search` shares.
OnlyClientArg = Annotated[
    str | None,
    typer.Argument(
        metavar="CLIENT",
        help="Only this client (a unique start of the name will do).",
        autocompletion=complete_client,
        show_default=False,
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="WHEN",
        help="Only entries from then on: a day ('2 weeks ago', '2026-03-01') from its start.",
        show_default=False,
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="WHEN",
        help="Only entries up to then: a day ('yesterday', '2026-03-31') to its end.",
        show_default=False,
    ),
]
KindsOpt = Annotated[
    list[Kind] | None,
    typer.Option(
        "--kind",
        metavar="KIND",
        help="Only entries of this kind (repeat for more).",
        show_default=False,
    ),
]
LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        metavar="N",
        min=1,
        max=MAX_ID,
        help="Show at most this many lines.",
        show_default=False,
    ),
]
EntryId = Annotated[
    int,
    typer.Argument(
        metavar="ID",
        min=1,
        max=MAX_ID,
        help="The entry's id, as 'relog log' shows it.",
        show_default=False,
    ),
]

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]

AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="WHEN",
        help="Look at the journal as it stood then: a day ('2026-03-31', 'last friday') "
        "means its end; 'last friday 18:00' that moment.",
        show_default=False,
    ),
]
"""The moment `relog review` and `relog mistakes patterns` look from; read with `parse_as_of`."""


DECLINED = 1
"""The exit code of a "no" at a question: nothing was done, at your word."""


def declined(message: str) -> NoReturn:
    """End after the user answered no: say what was kept, exit `DECLINED`."""
    from relog.render.console import visible

    typer.echo(visible(message), err=True)
    raise typer.Exit(DECLINED)


def confirm(question: str, kept: str) -> None:
    """Ask before a change; a "no" says what was `kept` and exits 1, so scripts can tell.

    Input that ends before an answer is refused as such (exit 2, as for every
    prompt); Ctrl-C stays an interruption (exit 130).
    """
    from relog.render.console import visible

    try:
        agreed = typer.confirm(visible(question), default=False)
    except typer.Abort as stopped:
        if isinstance(stopped.__context__, EOFError):
            said = kept[0].lower() + kept[1:].rstrip(".")
            raise InputError(f"input ended before an answer; {said}") from None
        raise
    if not agreed:
        declined(kept)


def confirm_deletion(question: str) -> None:
    """Ask before deleting; a "no" keeps everything and exits 1."""
    confirm(question, "Nothing was deleted.")


def interactive() -> bool:
    """Whether standard input is a terminal, where a question can be answered."""
    return sys.stdin.isatty()


def parse_items(text: str | None, option: str) -> frozenset[Item] | None:
    """`references,prices` into items; None when the option was not given."""
    if text is None:
        return None
    accepted = ", ".join(item.value for item in Item)
    items: set[Item] = set()
    for part in text.split(","):
        word = part.strip().casefold()
        if not word:
            continue
        try:
            items.add(Item(word))
        except ValueError:
            raise InputError(
                f"{option}: unknown item {part.strip()!r}; accepted: {accepted}"
            ) from None
    return frozenset(items)


def parse_past(
    text: str | None, option: str, now: datetime | None = None, day: Day = Day.NOON
) -> datetime | None:
    """A moment that has already happened: `--at`, `--since` (`day`: see `relog.dates.Day`)."""
    if text is None:
        return None
    now = now or local_now()
    moment = parse_when(text, option=option, prefer=Prefer.PAST, now=now, day=day)
    if moment > now + timedelta(minutes=1):
        hint = (
            "the journal records what happened (plan the next contact with --next)"
            if option == "--at"
            else "choose a moment that has passed"
        )
        raise InputError(f"{option}: {moment:%Y-%m-%d %H:%M} is in the future; {hint}")
    return moment


def parse_as_of(text: str | None, option: str = "--as-of") -> datetime | None:
    """The moment a review looks from, or a span ends (`--until`): a day means its end
    (or now, today)."""
    return parse_past(text, option, day=Day.END)


def parse_since(text: str | None, option: str = "--since") -> datetime | None:
    """Where a span starts: a day means its first moment."""
    return parse_past(text, option, day=Day.START)


def parse_span(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """`--since` and `--until`: where a span starts and ends, the end not before the start."""
    start, end = parse_since(since), parse_as_of(until, "--until")
    if start is not None and end is not None and end < start:
        raise InputError("--until is before --since; give an --until at or after --since")
    return start, end


def parse_future(
    text: str | None, option: str, now: datetime | None = None, day: Day = Day.NOON
) -> datetime | None:
    """A moment that leans forward when ambiguous: `--next`, `--due`."""
    if text is None:
        return None
    return parse_when(text, option=option, prefer=Prefer.FUTURE, now=now, day=day)


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError('client name is empty; give the name in quotes, e.g. "Dana Levi"')
    return cleaned


NONE = "none"
"""What an edit option takes to clear its value (`--next none`, `--retainer none`)."""


def clears(text: str) -> bool:
    return text.strip().casefold() == NONE


MAX_CADENCE = 365


def parse_cadence(text: str) -> tuple[int | None, int | None]:
    """`--cadence`: (fewest, most) days between contacts; '7' is (None, 7), 'none' (None, None)."""
    if clears(text):
        return None, None
    found = re.fullmatch(r"(\d+)(?:\s*[-\u2013]\s*(\d+))?", text.strip())
    if found is None:
        raise InputError(
            f"--cadence: {text!r} is not a number of days; give one, e.g. 7 (about every "
            "7 days), or a range, e.g. 5-10 (at least 5 and at most 10 days apart)"
        )
    days = [_count(found.group(1))] + ([_count(found.group(2))] if found.group(2) else [])
    for value in days:
        if not 1 <= value <= MAX_CADENCE:
            raise InputError(
                f"--cadence: {value} days is out of range; give 1 to {MAX_CADENCE} days"
            )
    if len(days) == 1:
        return None, days[0]
    low, high = days
    if low > high:
        raise InputError(
            f"--cadence: {text.strip()!r} puts the most days first; "
            f"give the fewest, then the most: {high}-{low}"
        )
    return low, high


def _count(digits: str) -> int:
    """A count typed in digits; one too long to be a count at all is just large, since Python
    refuses to read more than 4,300 digits."""
    return int(digits) if len(digits) <= 18 else 10**18


AMOUNTS = "an amount above zero with at most two decimals, e.g. 1200, 1,200.50 or 1200.5"
_AMOUNT = re.compile(r"(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d{1,2})?")


def parse_amount(text: str, what: str, *, clear_with: str | None = None) -> int:
    """An amount of money as typed ('1200', '1,200.50', '1200.5'), in hundredths.

    `what` names it in an error ('amount', '--retainer'); `clear_with`, when
    given, is how to remove the value instead, which a refused zero suggests.
    """
    typed = text.strip()
    if not _AMOUNT.fullmatch(typed):
        raise InputError(f"{what}: {text!r} {_not_an_amount(typed)}; give {AMOUNTS}")
    whole, _, fraction = typed.replace(",", "").partition(".")
    hundredths = _count(whole) * 100 + int(fraction.ljust(2, "0"))
    if hundredths == 0:
        hint = f" (to remove it: {clear_with})" if clear_with else ""
        raise InputError(f"{what}: {text!r} is zero; give {AMOUNTS}{hint}")
    if hundredths > MAX_AMOUNT:
        raise InputError(f"{what}: {text!r} is too large; the most is 999,999,999,999.99")
    return hundredths


def _not_an_amount(typed: str) -> str:
    """Why `typed` is not an amount, in a few words."""
    number = r"[\d,]*(?:\.\d*)?"
    if re.fullmatch(rf"[-\u2212]\s*{number}", typed) and any(c.isdigit() for c in typed):
        return "is negative"
    if re.fullmatch(r"[\d,]*\.\d{3,}", typed):
        return "has more than two decimals"
    if re.fullmatch(number, typed) and "," in typed and any(c.isdigit() for c in typed):
        return "has a comma that does not group thousands (the decimal point is '.')"
    if any(c.isdigit() for c in typed) and re.search(r"[^\d,.\s]", typed):
        return "is not a plain number (leave out the currency: the config names it)"
    return "is not a number"


def parse_handles(
    emails: Sequence[str] | None,
    phones: Sequence[str] | None,
    domains: Sequence[str] | None,
    *,
    region: str | None,
) -> list[Handle]:
    """The handles given with --email, --phone and --domain (or their --remove- twins)."""
    from relog.handles import HandleKind, parse_handle

    given = (
        (HandleKind.EMAIL, emails),
        (HandleKind.PHONE, phones),
        (HandleKind.DOMAIN, domains),
    )
    return [
        parse_handle(kind, text, region=region) for kind, texts in given for text in texts or ()
    ]


MemberOpt = Annotated[
    str | None,
    typer.Option(
        "--member",
        metavar="NAME",
        help="Only the entries this team member logged (default: the whole team's).",
        show_default=False,
    ),
]


def check_member(store: Store, name: str | None) -> str | None:
    """The member `--member` names, if it is one who logged an entry one can see."""
    if name is None:
        return None
    from relog.domain import member_name
    from relog.errors import NotFoundError

    member = member_name(name)
    members = store.members()
    if member not in members:
        known = ", ".join(members) if members else "none yet"
        raise NotFoundError(f"no entries logged by member {name!r}; members: {known}")
    return member
