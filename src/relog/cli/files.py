"""Files that commands write for the user (`export --output`, `agenda --ics`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from relog.errors import InputError


def write_private(path: Path, data: bytes, *, option: str, replace: bool) -> None:
    """Write `path` whole or not at all, readable by its owner only.

    With `replace`, a file already there is replaced; without it, it is left
    alone and refused, even one that appeared while the data was written.
    `option` names the flag in any error.
    """
    if not path.parent.is_dir():
        raise InputError(f"{option}: folder {str(path.parent)!r} does not exist")
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".relog-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails, and leaves the file alone, if it appeared meanwhile
    except FileExistsError:
        raise InputError(f"{option}: {str(path)!r} exists; give --force to replace it") from None
    except OSError as error:
        raise InputError(f"{option}: cannot write {str(path)!r}: {error.strerror}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)
