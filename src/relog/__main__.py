"""`relog`, as the console script and `python -m relog` start it."""

from __future__ import annotations

import gc


def main() -> None:
    """Run the command line with the cyclic garbage collector off, and leave its objects
    out of the last collection at exit.

    Start-up imports Typer, Rich, pydantic, SQLAlchemy and SQLModel: hundreds of
    thousands of new objects, which make the collector run well over a hundred
    times, a tenth or more of a short command's time, and find no garbage. A
    command frees what it uses by reference counting and ends soon after (the
    reviews already pause the collector for their bulk work), so it stays off.
    It is switched off here, before anything is imported, rather than in
    `relog.cli.main`, which tests and other code may import and call.

    At exit the interpreter still runs one full collection over everything the
    imports made, which costs a short command about a tenth of its time and
    finds nothing either. `gc.freeze()` moves those objects out of the
    collector's reach first; the exit is otherwise the usual one (exit handlers
    run, output is flushed, the exit status is kept).
    """
    gc.disable()
    from relog.cli import main as run

    try:
        run()
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
