"""Where the journal and the config live, chosen in one place.

A path given on the command line wins, then the environment (RELOG_DB,
RELOG_CONFIG), then the user's data and config directories from platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from relog.errors import InputError

APP_NAME = "relog"
DB_ENV = "RELOG_DB"
CONFIG_ENV = "RELOG_CONFIG"


def default_journal_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "journal.db"


def journal_path(explicit: Path | None) -> tuple[Path, bool]:
    """The journal to open, and whether the user chose it (so relog must not create folders)."""
    if explicit is not None:
        if not str(explicit).strip():
            raise InputError("--db is empty; give the path of a journal file")
        return explicit.expanduser(), True
    from_env = os.environ.get(DB_ENV)
    if from_env is not None:
        if not from_env.strip():
            raise InputError(f"{DB_ENV} is set but empty; unset it or give a journal file path")
        return Path(from_env).expanduser(), True
    return default_journal_path(), False


def config_path() -> Path:
    from_env = os.environ.get(CONFIG_ENV)
    if from_env is not None:
        if not from_env.strip():
            raise InputError(f"{CONFIG_ENV} is set but empty; unset it or give a config file path")
        return Path(from_env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"
