"""Errors meant for the user.

Every failure a user can cause is a `RelogError` whose message names what was
wrong and what is accepted. The CLI turns it into one line on stderr and a
non-zero exit; nothing else catches it.
"""

from __future__ import annotations


class RelogError(Exception):
    """A problem the user can fix; the message is shown as it is."""

    exit_code = 1


class InputError(RelogError):
    """A value on the command line that relog cannot accept."""

    exit_code = 2


class NotFoundError(RelogError):
    """A client, interaction or post-mortem that is not in the journal."""

    exit_code = 3


class JournalError(RelogError):
    """The journal file cannot be opened, read or written."""

    exit_code = 4


class ConfigError(RelogError):
    """The config file is malformed or holds a value out of range."""

    exit_code = 5
