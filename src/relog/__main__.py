"""`relog`, as the console script and `python -m relog` start it."""

from __future__ import annotations

import gc


def main() -> None:
    """Run the command line with the cyclic garbage collector off.

    Start-up imports Typer, Rich, pydantic, SQLAlchemy and SQLModel: hundreds of
    thousands of new objects, which make the collector run well over a hundred
    times, a tenth or more of a short command's time, and find no garbage. A
    command frees what it uses by reference counting and ends soon after (the
    reviews already pause the collector for their bulk work), so it stays off.
    It is switched off here, before anything is imported, rather than in
    `relog.cli.main`, which tests and other code may import and call.
    """
    gc.disable()
    from relog.cli import main as run

    run()


if __name__ == "__main__":
    main()
