"""The real-world corpus (../shared/corpus): every ok and quirky mail and calendar file is
taken, every MALFORMED one refused with a line naming it."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from relog.cli import app
from tests.sync_helpers import sync

if TYPE_CHECKING:
    from tests.conftest import Run

NOW = datetime.now(UTC)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not (CORPUS / "manifest.tsv").exists(), reason="no corpus")


def manifest(kind: str) -> list[tuple[str, str]]:
    if not (CORPUS / "manifest.tsv").exists():
        return []
    rows = [line.split("\t") for line in (CORPUS / "manifest.tsv").read_text().splitlines()[1:]]
    return [(row[0], row[2]) for row in rows if row[1] == kind]


def copied(tmp_path: Path, name: str) -> Path:
    """A copy of a corpus file alone in a folder (Maildir files in a Maildir of their own)."""
    source = CORPUS / name
    if "/maildir/" in name:
        box = tmp_path / "box"
        (box / source.parent.name).mkdir(parents=True)
        (box / ("new" if source.parent.name == "cur" else "cur")).mkdir()
        shutil.copy(source, box / source.parent.name / source.name)
        return box
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


@pytest.mark.parametrize(("name", "expect"), manifest("mail"), ids=lambda v: Path(v).name)
def test_corpus_mail(run: Run, tmp_path: Path, name: str, expect: str) -> None:
    path = copied(tmp_path, name)
    if expect == "MALFORMED":
        result = run("sync", "mail", str(path), "--me", "nobody@relog.test", code=2)
        assert f"relog: skipped: {path}" in result.stderr
        assert "Traceback" not in result.stderr
        return
    report = sync(run, "mail", str(path), "--me", "nobody@relog.test")
    assert report["problems"] == [], report["problems"]
    assert report["read"] >= 1
    # Now as a client: every sender who is not on a list becomes an entry by them.
    from relog.formats.mail import read_message, split_mbox

    data = (CORPUS / name).read_bytes()
    chunks = [c for _, _, c in split_mbox(data)] if "mbox" in name else [data]
    senders = {read_message(c, whole_file="mbox" not in name, received=NOW).sender for c in chunks}
    senders.discard(None)
    for number, sender in enumerate(sorted(s for s in senders if s is not None)):
        run("client", "add", f"Sender {number}", "--email", sender)
    report = sync(run, "mail", str(path), "--me", "nobody@relog.test")
    logged = sum(row["added"] + row["known"] for row in report["clients"])
    listed = sum(n for why, n in report["skipped"].items() if "list" in why or "mail (" in why)
    assert logged + listed >= 1, report


@pytest.mark.parametrize(("name", "expect"), manifest("ics"), ids=lambda v: Path(v).name)
def test_corpus_calendar(run: Run, tmp_path: Path, name: str, expect: str) -> None:
    path = copied(tmp_path, name)
    if expect == "MALFORMED":
        result = run("sync", "calendar", str(path), "--me", "nobody@relog.test", code=2)
        assert f"relog: skipped: {path}: " in result.stderr
        assert "Traceback" not in result.stderr
        return
    result = CliRunner().invoke(
        app, ["sync", "calendar", str(path), "--me", "x@relog.test", "--json"]
    )
    assert result.exit_code in (0, 2), result.stderr
    report = json.loads(result.stdout)
    refused = [
        p for p in report["problems"] if p["where"] == str(path) and "event" not in p["what"]
    ]
    assert refused == [], "an ok or quirky calendar is read"
    if b"BEGIN:VEVENT" in path.read_bytes():  # each event read, or left out with its reason
        assert report["read"] >= 1 or report["problems"], report
