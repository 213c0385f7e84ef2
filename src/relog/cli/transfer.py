"""`relog export` and `relog import`: a whole journal out to a file, and back in.

The formats are in relog.formats (pure translations); the store reads the
journal out and writes an import in one transaction (relog.store.transfer).
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relog.cli.app import state
from relog.cli.files import write_private
from relog.cli.params import JsonOpt, complete_client, parse_since
from relog.errors import InputError
from relog.render.console import error_line

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rich.progress import Progress

    from relog.transfer import JournalData


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


def _writer(chosen: ExportFormat) -> Callable[[JournalData], bytes]:
    if chosen is ExportFormat.CSV:
        from relog.formats import journal_csv

        return journal_csv.write_journal
    if chosen is ExportFormat.MARKDOWN:
        from relog.formats import journal_markdown

        return journal_markdown.write_journal
    from relog.formats import journal_json

    return journal_json.write_journal


def export_command(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="json (default: every field, to import again), csv (a .zip of one file "
            "per table) or markdown (a timeline per client).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = ExportFormat.JSON,
    client_name: Annotated[
        str | None,
        typer.Option(
            "--client",
            metavar="NAME",
            help="Only this client and their rows.",
            autocompletion=complete_client,
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="Only entries and bills from then on: a day ('2026-01-01', "
            "'3 months ago') from its start.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file, readable by you only (default: standard output).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --output file if it exists.")
    ] = False,
) -> None:
    """Write the whole journal (or one client's part) as JSON, CSV or Markdown.

    Examples:
    relog export -o journal.json
    relog export --format csv -o journal.zip
    relog export --format markdown --client dana --since 2026-01-01
    """
    moment = parse_since(since)
    if output is not None and output.exists() and not force:
        raise InputError(f"--output: {str(output)!r} exists; give --force to replace it")
    if output is None and format is ExportFormat.CSV and sys.stdout.isatty():
        raise InputError("--format csv writes a .zip: give --output FILE.zip or redirect it")
    store = state(ctx).store()
    client_id = store.find_client(client_name).id if client_name is not None else None
    data = _writer(format)(store.journal(client_id, moment))
    if output is None:
        if sys.stdout.isatty():
            data = _for_terminal(data, format)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_private(output, data, option="--output", replace=force)


def _for_terminal(data: bytes, format: ExportFormat) -> bytes:
    """An export shown in a terminal: JSON with its control characters as JSON escapes, which
    read back as the same text; Markdown with them visible, as every view shows them."""
    from relog.render.console import json_text, visible

    text = data.decode("utf-8")
    return (json_text(text) if format is ExportFormat.JSON else visible(text)).encode("utf-8")


def import_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A journal written by relog export --format json, a vCard file of contacts "
            "(.vcf) or a CSV of contacts with a header row.",
            show_default=False,
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="The file's format: json, vcard or csv (default: read from the file's "
            "extension: .json, .vcf or .csv).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Say what would be imported, and write nothing."),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Import a journal or a list of contacts, merging it into this journal by client name.

    A client the journal has by that name gains the entries, bills,
    post-mortems, addresses and numbers it does not have yet; its own fields
    are kept, and each one the file has otherwise is reported as a conflict.
    Contacts (a phone's or Google's .vcf, a spreadsheet's .csv) come in as
    leads with their emails and phones, and a note of their other details.
    A file with a bad record is refused whole: every problem is listed and
    nothing is written.

    Examples:
    relog import journal.json --dry-run
    relog import contacts.vcf
    relog import prospects.csv --dry-run
    """
    from relog.formats import reader_for
    from relog.formats.records import ImportProblems

    reader = reader_for(file, format)
    if file.exists() and not file.is_file():  # a FIFO would block, /dev/zero never ends
        raise InputError(f"{str(file)!r} is not a regular file; give a file relog exported")
    try:
        content = file.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {str(file)!r}: {error.strerror}") from None
    app_state = state(ctx)
    try:
        data = reader(content, region=app_state.config().contacts.region)
    except ImportProblems as problems:
        for line in problems.problems:
            error_line(f"{file.name}: {line}")
        if problems.more:
            error_line(f"{file.name}: and {problems.more} more")
        raise
    except InputError as error:
        raise InputError(f"{file.name}: {error}") from None
    store = app_state.store()
    with _progress() as progress:
        report = store.import_journal(data, dry_run=dry_run, progress=progress)
    if json:
        from relog.render.console import print_json
        from relog.schema import ImportReportOut

        print_json(ImportReportOut.of(report))
        return
    from relog.render.transfer import show_import

    show_import(report, file)


@contextmanager
def _progress(label: str = "Importing") -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr once the work has taken a second, in a terminal only."""
    started = time.monotonic()
    shown: list[Progress] = []

    def report(done: int, total: int) -> None:
        if not shown:
            if time.monotonic() - started < 1 or not sys.stderr.isatty():
                return
            from rich.progress import Progress

            from relog.render.console import err

            shown.append(Progress(console=err(), transient=True))
            shown[0].start()
            shown[0].add_task(label, total=total)
        shown[0].update(shown[0].task_ids[0], completed=done, total=total)

    try:
        yield report
    finally:
        for bar in shown:
            bar.stop()
