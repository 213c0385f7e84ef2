"""Where the journal and the config live, chosen in one place.

A path given on the command line wins, then the environment (RELOG_DB,
RELOG_CONFIG), then the user's data and config directories from platformdirs.

The journal is a file, or a database on a PostgreSQL server named by a URL
(`postgresql+psycopg://user@host/db`): a team's shared journal. A URL is told
from a path by its scheme (letters, then `://`); `./postgresql://x` is a file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from relog.errors import InputError, JournalError

APP_NAME = "relog"
DB_ENV = "RELOG_DB"
CONFIG_ENV = "RELOG_CONFIG"


def default_journal_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "journal.db"


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class ServerJournal:
    """A journal in a database on a server, as `--db` or RELOG_DB named it."""

    url: str
    """The URL as given, password included: only the engine sees it."""

    @property
    def shown(self) -> str:
        """The URL as messages show it: any password replaced by `***`."""
        return hide_password(self.url)


def hide_password(url: str) -> str:
    """`url` with the password in it (if any) replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))


def is_url(value: str) -> bool:
    """Whether `value` names a database on a server rather than a file."""
    return _URL.match(value) is not None


def journal_location(explicit: str | None) -> tuple[Path | ServerJournal, bool]:
    """The journal to open, a file or a server's database, and whether the user chose it
    (so relog must not create folders)."""
    if explicit is not None:
        if not explicit.strip():
            raise InputError("--db is empty; give the path of a journal file or a database URL")
        chosen = explicit
    else:
        from_env = os.environ.get(DB_ENV)
        if from_env is None:
            return default_journal_path(), False
        if not from_env.strip():
            raise InputError(
                f"{DB_ENV} is set but empty; unset it or give a journal file path or a database URL"
            )
        chosen = from_env
    if is_url(chosen):
        return ServerJournal(chosen.strip()), True
    return Path(chosen).expanduser(), True


def journal_path(explicit: str | None, doing: str = "this") -> tuple[Path, bool]:
    """The journal file to open (see `journal_location`); a database on a server is refused,
    for what only a file allows (`doing`)."""
    where, chosen = journal_location(explicit)
    if isinstance(where, ServerJournal):
        raise JournalError(
            f"the journal is the database {where.shown}; {doing} needs a journal file"
        )
    return where, chosen


MEMBER_ENV = "RELOG_MEMBER"


def member_from_env() -> str | None:
    """The team member RELOG_MEMBER names, tidied; None when it is unset."""
    from_env = os.environ.get(MEMBER_ENV)
    if from_env is None:
        return None
    from relog.domain import member_name

    name = member_name(from_env)
    if name is None:
        raise InputError(
            f"{MEMBER_ENV} is not a member's name; set it to 1 to 64 printable characters "
            "or unset it"
        )
    return name


def config_path() -> Path:
    from_env = os.environ.get(CONFIG_ENV)
    if from_env is not None:
        if not from_env.strip():
            raise InputError(f"{CONFIG_ENV} is set but empty; unset it or give a config file path")
        return Path(from_env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"
