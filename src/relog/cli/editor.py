"""Writing longer text in the user's own editor (`--edit`, `relog config edit`).

The editor is `$VISUAL`, else `$EDITOR`, else the first of nano, vi (notepad on
Windows) found on the PATH; its value may carry arguments (`code --wait`). The
text goes through a temporary file that only the user can read (it may hold
notes about people), removed as soon as the editor is done.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from relog.errors import InputError, RelogError

COMMENT = "#"
"""Lines starting with this are instructions to the user, left out of the text."""

FALLBACKS = ("notepad",) if sys.platform == "win32" else ("nano", "vi")


def editor_command() -> list[str]:
    """The editor to run, as a command line; refused with one line when there is none."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                return shlex.split(value, posix=sys.platform != "win32")
            except ValueError:
                raise InputError(f"${variable} is not a command line: {value!r}") from None
    for name in FALLBACKS:
        if shutil.which(name):
            return [name]
    raise InputError("no editor found; set VISUAL or EDITOR (e.g. export EDITOR=nano)")


def run_editor(path: Path) -> None:
    """Open `path` in the user's editor and wait until it exits."""
    command = editor_command()
    try:
        finished = subprocess.run([*command, str(path)], check=False)
    except OSError as error:
        raise InputError(
            f"cannot start the editor {command[0]!r} ({error.strerror}); "
            "set VISUAL or EDITOR to one that is installed"
        ) from None
    if finished.returncode != 0:
        raise RelogError(f"the editor exited with code {finished.returncode}; nothing was saved")


def edit_text(initial: str, instructions: str, *, suffix: str = ".txt") -> str:
    """`initial` as the user left it after editing, without the instruction lines.

    `instructions` is shown at the top as comment lines. Trailing blank lines
    and spaces at line ends are dropped; the result may be empty.
    """
    header = "".join(f"{COMMENT} {line}".rstrip() + "\n" for line in instructions.splitlines())
    descriptor, name = tempfile.mkstemp(prefix="relog-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(f"{header}{initial}\n" if initial else header)
        run_editor(path)
        try:
            written = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError("the text is not valid UTF-8; nothing was saved") from None
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    kept = [line.rstrip() for line in written.splitlines() if not line.startswith(COMMENT)]
    return "\n".join(kept).strip("\n")
