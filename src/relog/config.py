"""Thresholds and weights: defaults in code, overrides in a TOML file.

The file lives in the user config directory (`relog config path`); any key
left out keeps its default, and an unknown key, a value of the wrong type
(`true` where a number belongs) or a value out of range is an error that names
it, so a typo never silently changes a verdict.

The settings are plain frozen dataclasses, each field with its default, its
check (`Value`: strict, and its bounds) and its description: making the
defaults needs no validator, so a command run without a config file never
imports pydantic. pydantic reads the same annotations to validate a file
(`Config.model_validate`), through a schema it builds on first use.

The file is read with bounds, since RELOG_CONFIG may name anything: only a
regular file (a FIFO would block, /dev/zero never ends) of at most
`MAX_CONFIG_BYTES`, and TOML nested no deeper than Python's parser can follow.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from relog.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pydantic import GetCoreSchemaHandler, TypeAdapter, ValidationError
    from pydantic_core import CoreSchema


class Value:
    """How a setting's value is checked when a file is read: strictly (`true` is not 1 and
    "3" is not 3, though a whole number still serves as a float), and within its bounds,
    `ge`/`gt` below and `le` above.

    pydantic asks for the schema (`__get_pydantic_core_schema__`) when it first
    validates a file, and gets its own schema for the type with these checks;
    strictness is set per value, since a strict dataclass would take only an
    instance of itself, not a table of the file.
    """

    __slots__ = ("ge", "gt", "le")

    def __init__(
        self, *, ge: float | None = None, gt: float | None = None, le: float | None = None
    ) -> None:
        self.ge, self.gt, self.le = ge, gt, le

    def bounds(self) -> dict[str, float]:
        """The bounds given, by pydantic-core's names for them."""
        return {
            name: limit
            for name, limit in (("ge", self.ge), ("gt", self.gt), ("le", self.le))
            if limit is not None
        }

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return {**handler(source), "strict": True, **self.bounds()}


STRICT = Value()
"""A setting checked for its type alone."""


class Check:
    """A function that checks (and may normalise) a value when a file is validated:
    `after` the value has its type, or `before`, on the value as the file gives it."""

    __slots__ = ("before", "function")

    def __init__(self, function: Callable[[Any], Any], *, before: bool = False) -> None:
        self.function = function
        self.before = before

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        wrap = (
            core_schema.no_info_before_validator_function
            if self.before
            else core_schema.no_info_after_validator_function
        )
        return wrap(self.function, handler(source))


Share = Annotated[float, Value(ge=0, le=1)]
Days = Annotated[int, Value(ge=1, le=3650)]
SomeDays = Annotated[int, Value(ge=0, le=3650)]
"""Days where 0 means "at once"."""
Count = Annotated[int, Value(ge=1, le=1000)]


def setting(default: Any, description: str = "", example: str | None = None) -> Any:
    """A field of a section: its default, what it means, and an example for a setting
    that is unset by default (shown as a comment in a fresh file)."""
    metadata = {"description": description, "example": example}
    if isinstance(default, list):  # a list of its own for each section made
        return dataclasses.field(
            default_factory=functools.partial(list, default), metadata=metadata
        )
    return dataclasses.field(default=default, metadata=metadata)


class Section:
    """A group of settings, a `[table]` of the file. Unknown keys are refused.

    Sections are frozen dataclasses that take their equality and
    representation from here rather than have `dataclass` write both for each
    of them: making a dataclass compiles every method it writes, and the
    fifteen sections were made on every command that reads a setting.
    """

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    def _values(self) -> tuple[Any, ...]:
        names: tuple[str, ...] = self.__slots__
        return tuple(getattr(self, name) for name in names)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Section) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:  # as a frozen dataclass's: refused for a section of lists
        return hash(self._values())

    def __repr__(self) -> str:
        names: tuple[str, ...] = self.__slots__
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({shown})"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Penalties(Section):
    """Points a finding takes off its module's score, by severity."""

    info: Annotated[int, Value(ge=0, le=100)] = setting(5)
    warning: Annotated[int, Value(ge=0, le=100)] = setting(15)
    alert: Annotated[int, Value(ge=0, le=100)] = setting(30)


Weight = Annotated[float, Value(ge=0, le=100)]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Weights(Section):
    """How much each module counts in a relationship's overall health."""

    initiation: Weight = setting(1.0)
    pursuit: Weight = setting(1.5)
    trust: Weight = setting(1.5)
    attention: Weight = setting(1.0)
    balance: Weight = setting(1.0)

    def __post_init__(self) -> None:
        if not any(value > 0 for value in dataclasses.astuple(self)):
            raise ValueError("at least one weight must be above 0")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Initiation(Section):
    recent_contacts: Count = setting(6, "contacts looked at for who starts them")
    min_contacts: Count = setting(3, "fewest recent contacts before judging")
    min_their_share: Share = setting(
        0.34, "share of recent contacts a lead or prospect should start"
    )
    delegated_days: Days = setting(90, "how long a hand-off to an assistant counts")
    opening_days: Days = setting(
        90, "how long a referral you called first still counts once they are a client"
    )
    answer_hours: Annotated[int, Value(ge=1, le=8760)] = setting(
        24,
        "hours a client's missed call or message may wait for your answer before it is an alert",
    )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Pursuit(Section):
    chase_streak: Count = setting(2, "unanswered attempts in a row that count as chasing")
    alert_streak: Count = setting(3, "unanswered attempts in a row that raise an alert")
    think_days: Days = setting(7, "time a client who asked to think gets by default")
    followup_grace_days: SomeDays = setting(1, "days an agreed follow-up may slip")

    def __post_init__(self) -> None:
        if self.alert_streak < self.chase_streak:
            raise ValueError("alert_streak must be at least chase_streak")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Trust(Section):
    request_days: SomeDays = setting(2, "days a request may stay open")
    request_alert_days: SomeDays = setting(7, "days open before an open request is an alert")
    trust_step_days: SomeDays = setting(7, "days after a first meeting to take a trust step")
    max_meetings_per_day: Count = setting(4, "meetings in one day before quality drops")
    lookback_days: Days = setting(90, "how far back lateness and overload count")

    def __post_init__(self) -> None:
        if self.request_alert_days < self.request_days:
            raise ValueError("request_alert_days must be at least request_days")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Attention(Section):
    cadence_days: Days = setting(7, "default cadence for an active client")
    channel_contacts: Count = setting(10, "recent contacts looked at for the channel")
    min_preferred_share: Share = setting(0.5, "share on the preferred channel")
    initiative_days: Days = setting(30, "days without an initiative or gesture")
    pace_tolerance: Annotated[float, Value(gt=0, le=1)] = setting(
        0.5, "share of a client's own cadence that is their fastest pace, without a range"
    )
    pace_contacts: Annotated[int, Value(ge=2, le=1000)] = setting(
        4, "days with a contact you started before judging your pace"
    )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Balance(Section):
    min_disagreements: Count = setting(3, "disagreements before judging the balance")
    one_sided_share: Share = setting(0.7, "share conceded or insisted that is one-sided")
    part_ways_disagreements: Count = setting(5, "disagreements before parting is worth weighing")
    part_ways_unresolved_share: Share = setting(0.5, "share unresolved that suggests parting")
    expectations_days: Days = setting(90, "how long a concession without expectations counts")
    unresolved_days: SomeDays = setting(
        1, "days a disagreement may stay open, with no talk about it agreed"
    )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PortfolioSection(Section):
    window_days: Days = setting(90, "recent period for the share of work")
    max_client_share: Share = setting(0.5, "share of recent income (or work) one client may hold")
    notable_client_share: Share = setting(0.25, "share of recent income worth a note")
    min_active_clients: Count = setting(3, "active clients below which the business is exposed")
    pipeline_days: Days = setting(60, "days without a new lead or inbound contact")

    def __post_init__(self) -> None:
        if self.notable_client_share > self.max_client_share:
            raise ValueError("notable_client_share must be at most max_client_share")


def _iso_code(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValueError(
            f'{_shown(value)} is not a 3-letter ISO 4217 currency code; write e.g. "ILS", '
            '"EUR" or "USD", or leave it out to show plain numbers'
        )
    return code


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Money(Section):
    """The journal's one currency: amounts are shown in it, never converted."""

    currency: Annotated[str | None, STRICT, Check(_iso_code)] = setting(
        None, "ISO 4217 code amounts are shown in, e.g. ILS; none: plain numbers", "ILS"
    )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Backup(Section):
    """Copies of a journal at the default location, made as it is used."""

    every_days: Annotated[int, Value(ge=0, le=365)] = setting(
        7, "days between automatic copies of the journal; 0: none"
    )
    keep: Annotated[int, Value(ge=1, le=100)] = setting(
        4, "automatic copies kept; older ones are removed"
    )


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    import phonenumbers

    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            f'{value!r} is not a two-letter country code; write e.g. "IL", "US" or "GB", '
            "or leave it out to give every number with its country code"
        )
    return code


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Contacts(Section):
    """How clients' handles are read."""

    region: Annotated[str | None, STRICT, Check(_country)] = setting(
        None, "country whose phone numbers may be written without their code, e.g. IL", "IL"
    )


def _listed(value: object) -> object:
    """A list given as one comma-separated text (relog config set me.emails "a@x,b@y")."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


Texts = Annotated[list[str], STRICT, Check(_listed, before=True)]
"""A list of texts, which a file may also give as one comma-separated text."""


def _addresses(value: list[str]) -> list[str]:
    for address in value:
        if address.count("@") != 1 or " " in address or address.startswith("@"):
            raise ValueError(f"{address!r} is not an email address; write e.g. me@studio.co.il")
    return [address.casefold() for address in value]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Me(Section):
    """Who you are in your mail and calendars: your own addresses decide who wrote to whom."""

    emails: Annotated[Texts, Check(_addresses)] = setting(
        [], "your own email addresses, comma-separated", "me@studio.co.il,me@gmail.com"
    )


def _lower(value: list[str]) -> list[str]:
    return [entry.strip().casefold().removeprefix("@") for entry in value]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Sync(Section):
    """What `relog sync` never logs, and the sources a bare `relog sync` reads."""

    ignore: Annotated[Texts, Check(_lower)] = setting(
        [],
        "addresses and whole domains never logged (family, bank, accountant)",
        "mom@gmail.com,bank.co.il",
    )
    mail: Texts = setting([], "mail sources saved with relog sync mail --save")
    calendar: Texts = setting([], "calendars saved with relog sync calendar --save")


def _a_name(value: str | None) -> str | None:
    if value is None:
        return None
    from relog.domain import member_name

    name = member_name(value)
    if name is None:
        raise ValueError(
            f"{value!r} is not a member's name; write a name of 1 to 64 printable "
            'characters, e.g. "dana", or leave it out'
        )
    return name


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Team(Section):
    """Who you are in a team's shared journal."""

    member: Annotated[str | None, STRICT, Check(_a_name)] = setting(
        None, "your name on the entries you log; none: the database user, or your login", "dana"
    )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Config(Section):
    penalties: Penalties = Penalties()
    weights: Weights = Weights()
    initiation: Initiation = Initiation()
    pursuit: Pursuit = Pursuit()
    trust: Trust = Trust()
    attention: Attention = Attention()
    balance: Balance = Balance()
    portfolio: PortfolioSection = PortfolioSection()
    money: Money = Money()
    contacts: Contacts = Contacts()
    backup: Backup = Backup()
    me: Me = Me()
    sync: Sync = Sync()
    team: Team = Team()

    @classmethod
    def model_validate(cls, data: object) -> Config:
        """The settings in `data` (a TOML document) over the defaults, each checked;
        raises pydantic's `ValidationError` (see `problem`)."""
        return _adapter().validate_python(data)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Every setting, by section, as TOML or JSON writes it."""
        return dataclasses.asdict(self)


@functools.cache
def _adapter() -> TypeAdapter[Config]:
    from pydantic import TypeAdapter

    return TypeAdapter(Config)


def as_json(config: Config) -> str:
    """The settings as an indented JSON document, as `--json` writes them."""
    return _adapter().dump_json(config, indent=2).decode()


def sections() -> dict[str, type[Section]]:
    """Each section's name and class, in the order of the file."""
    return {field.name: type(field.default) for field in dataclasses.fields(Config)}  # type: ignore[misc]


def described(section: type[Section]) -> dict[str, dataclasses.Field[Any]]:
    """A section's settings by name, each with its `description` and `example` in its
    metadata, in the order of the file."""
    return {field.name: field for field in dataclasses.fields(section)}  # type: ignore[arg-type]


def defaults() -> Config:
    """Every setting at its default (valid: a test checks them against a validated
    empty file)."""
    return Config()


def load_config(path: Path) -> Config:
    """The config at `path` over the defaults; a missing file means all defaults."""
    text = read_config(path)
    if text is None:
        return defaults()
    from pydantic import ValidationError

    try:
        return Config.model_validate(toml_data(text, f"config {path}"))
    except ValidationError as error:
        raise ConfigError(f"config {path}: {problem(error)}") from None


MAX_CONFIG_BYTES = 1 << 20
"""The largest config file relog reads: a file of every setting is about 3 KiB."""


def read_config(path: Path) -> str | None:
    """The text of the config file at `path`, None when there is none; refused (exit 5)
    when it is not a regular file, is larger than `MAX_CONFIG_BYTES` or is not UTF-8.

    The path is checked before it is opened, and opened without waiting, so a
    FIFO or a device is refused rather than read; the open file is checked again.
    """
    try:
        _regular(os.stat(path).st_mode, path)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as handle:
            _regular(os.fstat(handle.fileno()).st_mode, path)
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"cannot read config {path}: {error.strerror}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"config {path} is larger than {MAX_CONFIG_BYTES // 1024} KiB, the most relog reads; "
            "a file of every setting is about 3 KiB"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"config {path} is not UTF-8 text; save it as UTF-8") from None


_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _regular(mode: int, path: Path) -> None:
    """Refuse anything but a regular file at the config's path."""
    if not stat.S_ISREG(mode):
        what = next((name for test, name in _NOT_FILES if test(mode)), "not a regular file")
        raise ConfigError(f"config {path} is {what}; RELOG_CONFIG takes the path of a TOML file")


def toml_data(text: str, where: str) -> dict[str, Any]:
    """The TOML document `text`; refused as `where` (exit 5) when it is not TOML, or nests
    deeper than the parser can follow, or holds a number too long to read."""
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{where} is not valid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(
            f"{where} nests arrays or tables too deeply to be read; relog's settings are "
            "key = value lines under [section] headings"
        ) from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise ConfigError(f"{where} holds a value relog cannot read: {error}") from None


def setting_keys() -> list[str]:
    """Every setting as "section.key", in the order of the file."""
    return [f"{name}.{key}" for name, section in sections().items() for key in described(section)]


def problem(error: ValidationError) -> str:
    """The first problem of a config, in relog's words: the key, and what is wrong."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "unexpected_keyword_argument":
        return f"unknown setting {where}{did_you_mean(where)}"
    if first["type"] == "dataclass_type":
        return f"{where}: {_shown(first['input'])} is not a section; write it as a [{where}] table"
    if first["type"] in _KINDS:
        return f"{where}: {_shown(first['input'])} is not {_KINDS[first['type']]}{_bounds(where)}"
    if first["type"] in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return f"{where}: {_shown(first['input'])} is out of range{_bounds(where)}"
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}".rstrip(": ")


_KINDS = {
    "int_type": "a whole number",
    "float_type": "a number",
    "string_type": "text in quotes",
    "bool_type": "true or false",
}
"""What a setting of each type takes, for an error that names the type (pydantic's codes)."""


def _shown(value: object) -> str:
    """A value from the file as TOML writes it, shortened to fit in an error line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list):
        text = "an array"
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _bounds(where: str) -> str:
    """'; give 0 to 100' for a setting with bounds, from its field's own annotations."""
    import typing

    section, _, key = where.partition(".")
    kind = sections().get(section)
    if kind is None or key not in described(kind):
        return ""
    hint = typing.get_type_hints(kind, include_extras=True)[key]
    value = next((m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Value)), STRICT)
    if value.le is None or (value.ge is None and value.gt is None):
        return ""
    low = f"{value.ge}" if value.ge is not None else f"more than {value.gt}"
    return f"; give {low} to {value.le}"


def did_you_mean(key: str) -> str:
    """'; did you mean pursuit.chase_streak?' for a near miss, else ''."""
    import difflib

    known = setting_keys() + list(sections())
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else " (see relog config show)"
