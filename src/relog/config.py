"""Thresholds and weights: defaults in code, overrides in a TOML file.

The file lives in the user config directory (`relog config path`); any key
left out keeps its default, and an unknown key, a value of the wrong type
(`true` where a number belongs) or a value out of range is an error that names
it, so a typo never silently changes a verdict.

The file is read with bounds, since RELOG_CONFIG may name anything: only a
regular file (a FIFO would block, /dev/zero never ends) of at most
`MAX_CONFIG_BYTES`, and TOML nested no deeper than Python's parser can follow.
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from relog.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)
    """Strict: `true` is not 1 and "3" is not 3; a whole number still serves as a float.

    The validators are built when a config file is first read (`defer_build`):
    with no file, every section is its defaults (`defaults()`), which need no
    validation, so a review without a config file never builds them."""


class Penalties(Section):
    """Points a finding takes off its module's score, by severity."""

    info: int = Field(5, ge=0, le=100)
    warning: int = Field(15, ge=0, le=100)
    alert: int = Field(30, ge=0, le=100)


class Weights(Section):
    """How much each module counts in a relationship's overall health."""

    initiation: float = Field(1.0, ge=0, le=100)
    pursuit: float = Field(1.5, ge=0, le=100)
    trust: float = Field(1.5, ge=0, le=100)
    attention: float = Field(1.0, ge=0, le=100)
    balance: float = Field(1.0, ge=0, le=100)

    @model_validator(mode="after")
    def _some_weight(self) -> Weights:
        if not any(value > 0 for value in self.model_dump().values()):
            raise ValueError("at least one weight must be above 0")
        return self


class Initiation(Section):
    recent_contacts: int = Field(
        6, ge=1, le=1000, description="contacts looked at for who starts them"
    )
    min_contacts: int = Field(3, ge=1, le=1000, description="fewest recent contacts before judging")
    min_their_share: float = Field(
        0.34, ge=0, le=1, description="share of recent contacts a lead or prospect should start"
    )
    delegated_days: int = Field(
        90, ge=1, le=3650, description="how long a hand-off to an assistant counts"
    )
    opening_days: int = Field(
        90,
        ge=1,
        le=3650,
        description="how long a referral you called first still counts once they are a client",
    )
    answer_hours: int = Field(
        24,
        ge=1,
        le=8760,
        description="hours a client's missed call or message may wait for your answer "
        "before it is an alert",
    )


class Pursuit(Section):
    chase_streak: int = Field(
        2, ge=1, le=1000, description="unanswered attempts in a row that count as chasing"
    )
    alert_streak: int = Field(
        3, ge=1, le=1000, description="unanswered attempts in a row that raise an alert"
    )
    think_days: int = Field(
        7, ge=1, le=3650, description="time a client who asked to think gets by default"
    )
    followup_grace_days: int = Field(
        1, ge=0, le=3650, description="days an agreed follow-up may slip"
    )

    @model_validator(mode="after")
    def _alert_after_warning(self) -> Pursuit:
        if self.alert_streak < self.chase_streak:
            raise ValueError("alert_streak must be at least chase_streak")
        return self


class Trust(Section):
    request_days: int = Field(2, ge=0, le=3650, description="days a request may stay open")
    request_alert_days: int = Field(
        7, ge=0, le=3650, description="days open before an open request is an alert"
    )
    trust_step_days: int = Field(
        7, ge=0, le=3650, description="days after a first meeting to take a trust step"
    )
    max_meetings_per_day: int = Field(
        4, ge=1, le=1000, description="meetings in one day before quality drops"
    )
    lookback_days: int = Field(
        90, ge=1, le=3650, description="how far back lateness and overload count"
    )

    @model_validator(mode="after")
    def _alert_after_warning(self) -> Trust:
        if self.request_alert_days < self.request_days:
            raise ValueError("request_alert_days must be at least request_days")
        return self


class Attention(Section):
    cadence_days: int = Field(7, ge=1, le=3650, description="default cadence for an active client")
    channel_contacts: int = Field(
        10, ge=1, le=1000, description="recent contacts looked at for the channel"
    )
    min_preferred_share: float = Field(
        0.5, ge=0, le=1, description="share on the preferred channel"
    )
    initiative_days: int = Field(
        30, ge=1, le=3650, description="days without an initiative or gesture"
    )
    pace_tolerance: float = Field(
        0.5,
        gt=0,
        le=1,
        description="share of a client's own cadence that is their fastest pace, without a range",
    )
    pace_contacts: int = Field(
        4, ge=2, le=1000, description="days with a contact you started before judging your pace"
    )


class Balance(Section):
    min_disagreements: int = Field(
        3, ge=1, le=1000, description="disagreements before judging the balance"
    )
    one_sided_share: float = Field(
        0.7, ge=0, le=1, description="share conceded or insisted that is one-sided"
    )
    part_ways_disagreements: int = Field(
        5, ge=1, le=1000, description="disagreements before parting is worth weighing"
    )
    part_ways_unresolved_share: float = Field(
        0.5, ge=0, le=1, description="share unresolved that suggests parting"
    )
    expectations_days: int = Field(
        90, ge=1, le=3650, description="how long a concession without expectations counts"
    )
    unresolved_days: int = Field(
        1,
        ge=0,
        le=3650,
        description="days a disagreement may stay open, with no talk about it agreed",
    )


class PortfolioSection(Section):
    window_days: int = Field(90, ge=1, le=3650, description="recent period for the share of work")
    max_client_share: float = Field(
        0.5, ge=0, le=1, description="share of recent income (or work) one client may hold"
    )
    notable_client_share: float = Field(
        0.25, ge=0, le=1, description="share of recent income worth a note"
    )
    min_active_clients: int = Field(
        3, ge=1, le=1000, description="active clients below which the business is exposed"
    )
    pipeline_days: int = Field(
        60, ge=1, le=3650, description="days without a new lead or inbound contact"
    )

    @model_validator(mode="after")
    def _note_below_warning(self) -> PortfolioSection:
        if self.notable_client_share > self.max_client_share:
            raise ValueError("notable_client_share must be at most max_client_share")
        return self


class Money(Section):
    """The journal's one currency: amounts are shown in it, never converted."""

    currency: str | None = Field(
        None,
        description="ISO 4217 code amounts are shown in, e.g. ILS; none: plain numbers",
        examples=["ILS"],
    )

    @field_validator("currency")
    @classmethod
    def _iso_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            raise ValueError(
                f'{_shown(value)} is not a 3-letter ISO 4217 currency code; write e.g. "ILS", '
                '"EUR" or "USD", or leave it out to show plain numbers'
            )
        return code


class Backup(Section):
    """Copies of a journal at the default location, made as it is used."""

    every_days: int = Field(
        7, ge=0, le=365, description="days between automatic copies of the journal; 0: none"
    )
    keep: int = Field(4, ge=1, le=100, description="automatic copies kept; older ones are removed")


class Contacts(Section):
    """How clients' handles are read."""

    region: str | None = Field(
        None,
        description="country whose phone numbers may be written without their code, e.g. IL",
        examples=["IL"],
    )

    @field_validator("region")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
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


def _listed(value: object) -> object:
    """A list given as one comma-separated text (relog config set me.emails "a@x,b@y")."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Me(Section):
    """Who you are in your mail and calendars: your own addresses decide who wrote to whom."""

    emails: list[str] = Field(
        default_factory=list,
        description="your own email addresses, comma-separated",
        examples=["me@studio.co.il,me@gmail.com"],
    )

    @field_validator("emails", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return _listed(value)

    @field_validator("emails")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if address.count("@") != 1 or " " in address or address.startswith("@"):
                raise ValueError(f"{address!r} is not an email address; write e.g. me@studio.co.il")
        return [address.casefold() for address in value]


class Sync(Section):
    """What `relog sync` never logs, and the sources a bare `relog sync` reads."""

    ignore: list[str] = Field(
        default_factory=list,
        description="addresses and whole domains never logged (family, bank, accountant)",
        examples=["mom@gmail.com,bank.co.il"],
    )
    mail: list[str] = Field(
        default_factory=list, description="mail sources saved with relog sync mail --save"
    )
    calendar: list[str] = Field(
        default_factory=list, description="calendars saved with relog sync calendar --save"
    )

    @field_validator("ignore", "mail", "calendar", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return _listed(value)

    @field_validator("ignore")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [entry.strip().casefold().removeprefix("@") for entry in value]


class Team(Section):
    """Who you are in a team's shared journal."""

    member: str | None = Field(
        None,
        description="your name on the entries you log; none: the database user, or your login",
        examples=["dana"],
    )

    @field_validator("member")
    @classmethod
    def _a_name(cls, value: str | None) -> str | None:
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


class Config(Section):
    penalties: Penalties = Penalties.model_construct()
    weights: Weights = Weights.model_construct()
    initiation: Initiation = Initiation.model_construct()
    pursuit: Pursuit = Pursuit.model_construct()
    trust: Trust = Trust.model_construct()
    attention: Attention = Attention.model_construct()
    balance: Balance = Balance.model_construct()
    portfolio: PortfolioSection = PortfolioSection.model_construct()
    money: Money = Money.model_construct()
    contacts: Contacts = Contacts.model_construct()
    backup: Backup = Backup.model_construct()
    me: Me = Me.model_construct()
    sync: Sync = Sync.model_construct()
    team: Team = Team.model_construct()


def defaults() -> Config:
    """Every setting at its default, built without validation (they are valid: a test
    checks them against `Config()`), so no validator is built."""
    return Config.model_construct()


def load_config(path: Path) -> Config:
    """The config at `path` over the defaults; a missing file means all defaults."""
    text = read_config(path)
    if text is None:
        return defaults()
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
    return [
        f"{section}.{key}"
        for section, field in Config.model_fields.items()
        for key in field.annotation.model_fields  # type: ignore[union-attr]
    ]


def problem(error: ValidationError) -> str:
    """The first problem of a config, in relog's words: the key, and what is wrong."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"unknown setting {where}{did_you_mean(where)}"
    if first["type"] == "model_type":
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
    """'; give 0 to 100' for a setting with bounds, from its field's own constraints."""
    section, _, key = where.partition(".")
    field = getattr(Config.model_fields.get(section), "annotation", None)
    described = getattr(field, "model_fields", {}).get(key)
    if described is None:
        return ""
    bounds = {
        name: getattr(m, name)
        for m in described.metadata
        for name in ("ge", "gt", "le")
        if hasattr(m, name)
    }
    if "le" not in bounds or not {"ge", "gt"} & bounds.keys():
        return ""
    low = f"{bounds['ge']}" if "ge" in bounds else f"more than {bounds['gt']}"
    return f"; give {low} to {bounds['le']}"


def did_you_mean(key: str) -> str:
    """'; did you mean pursuit.chase_streak?' for a near miss, else ''."""
    import difflib

    known = setting_keys() + list(Config.model_fields)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else " (see relog config show)"
