"""Every mistake a user can make ends in one clear line, a non-zero exit, and no change.

Each case runs against a seeded journal and checks stderr (exactly one line,
starting "relog: error:", naming the problem), the exit code, that nothing
reached stdout, and that the journal is the same afterwards.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from relog.cli import app

if TYPE_CHECKING:
    from pathlib import Path

    from typer.testing import Result

    from tests.conftest import PutJournal, Run


def assert_one_error(result: Result, *fragments: str) -> str:
    """The failure printed one line on stderr, with every fragment in it, and no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got:\n{result.stderr}"
    line = lines[0]
    assert line.startswith("relog: error: "), line
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} not in {line!r}"
    return line


def snapshot(journal: Path) -> list[str]:
    """Everything the journal holds, read straight from the file."""
    with sqlite3.connect(journal) as connection:
        return list(connection.iterdump())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, put_blank_journal: PutJournal) -> Path:
    """A small journal built once through the CLI; each test gets a fresh copy."""
    path = tmp_path_factory.mktemp("template") / "journal.db"
    put_blank_journal(path)
    runner = CliRunner()
    for args in (
        ["client", "add", "Dana Levi", "--stage", "active"],
        ["client", "add", "Dana Cohen"],
        ["client", "add", "דנה לוי"],
        ["client", "add", "ACME Ltd."],
        ["add", "call", "Dana Levi", "--at", "2026-01-05T10:00", "-m", "first call"],
    ):
        result = runner.invoke(app, ["--db", str(path), *args])
        assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture
def seeded(template: Path, journal: Path) -> list[str]:
    shutil.copy(template, journal)
    return snapshot(journal)


BAD_INPUT: list[tuple[str, int, list[str]]] = [
    # kind, outcome and other choices
    ("add visit 'Dana Levi'", 2, ["'visit' is not one of", "'call'", "'note'"]),
    ("add call 'Dana Levi' --outcome maybe", 2, ["--outcome", "'no-answer'"]),
    ("add call 'Dana Levi' --by someone", 2, ["--by", "'them'"]),
    ("add call 'Dana Levi' --disagreement sulked", 2, ["--disagreement", "'conceded'"]),
    ("add call 'Dana Levi' --minutes -5", 2, ["--minutes"]),
    (
        "add call 'Dana Levi' --asked references,gossip",
        2,
        ["--asked: unknown item 'gossip'", "accepted: references, materials, prices"],
    ),
    ("add call 'Dana Levi' --gave cake", 2, ["--gave: unknown item 'cake'"]),
    ("add", 2, ["Missing argument", "call, email, meeting, message, note"]),
    ("add call", 2, ["Missing argument 'CLIENT'"]),
    # clients that are not there, or not one
    ("add call Nobody", 3, ["no client named 'Nobody'", "relog client list"]),
    ("add call 'Dana Levy'", 3, ["no client named 'Dana Levy'", "did you mean 'Dana Levi'"]),
    ("add call 'דנה לואי'", 3, ["did you mean 'דנה לוי'"]),
    ("add call dana", 2, ["'dana' matches several clients: Dana Cohen, Dana Levi"]),
    ("add call ''", 2, ["client name is empty"]),
    ("add call '   ' --new", 2, ["client name is empty"]),
    # dates
    (
        "add call 'Dana Levi' --at banana",
        2,
        ["--at: cannot read 'banana' as a date", "ISO 8601", "'3 days ago'"],
    ),
    ("add call 'Dana Levi' --at tomorrow", 2, ["--at: ", "is in the future", "--next"]),
    ("add call 'Dana Levi' --at 2999-01-01", 2, ["--at: 2999-01-01 12:00 is in the future"]),
    ("add call 'Dana Levi' --at ''", 2, ["--at: empty date"]),
    ("add call 'Dana Levi' --at 0001-01-01", 2, ["--at: '0001-01-01' is out of range"]),
    ("add call 'Dana Levi' --next whenever", 2, ["--next: cannot read 'whenever'"]),
    # contradictory flags
    ("add note 'Dana Levi' --by them", 2, ["a note is yours"]),
    ("add note 'Dana Levi' --outcome no-answer", 2, ["a note has no outcome"]),
    ("add call 'Dana Levi' --late", 2, ["--late is for meetings only"]),
    (
        "add meeting 'Dana Levi' --late --outcome cancelled",
        2,
        ["a cancelled meeting cannot be late"],
    ),
    (
        "add call 'Dana Levi' --outcome no-answer --asked prices",
        2,
        ["--asked with --outcome no-answer", "the client has to take part"],
    ),
    ("add call 'Dana Levi' --outcome no-reply --think", 2, ["--think with --outcome no-reply"]),
    (
        "add call 'Dana Levi' --outcome left-message --delegated",
        2,
        ["--delegated with --outcome left-message"],
    ),
    (
        "add call 'Dana Levi' --outcome no-answer --disagreement insisted",
        2,
        ["--disagreement with --outcome no-answer"],
    ),
    ("add call 'Dana Levi' --expectations", 2, ["--expectations goes with --disagreement"]),
    (
        "add call 'Dana Levi' --at 2026-01-05T10:00 --next 2026-01-05T09:00",
        2,
        ["--next must be later than --at"],
    ),
    # client commands
    ("client add ''", 2, ["client name is empty"]),
    ("client add '  '", 2, ["client name is empty"]),
    ("client add 'dana levi'", 2, ["a client named 'dana levi' already exists"]),
    ("client add 'acme ltd.'", 2, ["already exists"]),
    ("client add Noa --stage former", 2, ["--stage former", "relog client end"]),
    ("client add Noa --stage boss", 2, ["--stage", "'prospect'"]),
    (
        "client add Noa --source inbound --referred-by Ron",
        2,
        ["--referred-by goes with --source referral"],
    ),
    ("client add Noa --cadence 0", 2, ["--cadence"]),
    ("client add Noa --cadence weekly", 2, ["--cadence"]),
    ("client add Noa --cadence 10-5", 2, ["--cadence: '10-5' puts the most days first", "5-10"]),
    ("client add Noa --cadence 0-5", 2, ["--cadence: 0 days is out of range", "1 to 365"]),
    ("client add Noa --cadence 5-400", 2, ["--cadence: 400 days is out of range"]),
    ("client add Noa --cadence 5-", 2, ["--cadence: '5-' is not a number of days", "5-10"]),
    ("client add Noa --retainer 0", 2, ["--retainer: '0' is zero", "--retainer none"]),
    ("client add Noa --retainer -100", 2, ["--retainer: '-100' is negative", "1,200.50"]),
    ("client add Noa --retainer lots", 2, ["--retainer: 'lots' is not a number", "1200.5"]),
    ("client add Noa --retainer 99.999", 2, ["has more than two decimals"]),
    ("client add Noa --started tomorrow", 2, ["--started: ", "is in the future"]),
    ("client add Noa --started banana", 2, ["--started: cannot read 'banana'"]),
    ("client edit 'Dana Levi' --cadence 9-3", 2, ["puts the most days first"]),
    ("client edit 'Dana Levi' --retainer 0.00", 2, ["is zero", "--retainer none"]),
    ("client add Noa --channel fax", 2, ["--channel", "'email'"]),
    ("client list --stage nope", 2, ["--stage"]),
    ("client show Nobody", 3, ["no client named 'Nobody'"]),
    ("client edit 'Dana Levi'", 2, ["nothing to change"]),
    (
        "client edit 'Dana Levi' --name 'DANA COHEN'",
        2,
        ["another client is already named 'DANA COHEN'"],
    ),
    ("client edit 'Dana Levi' --name ' '", 2, ["client name is empty"]),
    ("client edit 'Dana Levi' --stage former", 2, ["relog client end NAME --reason"]),
    ("client edit Nobody --cadence 7", 3, ["no client named 'Nobody'"]),
    ("client end 'Dana Levi'", 2, ["Missing option '--reason'"]),
    ("client end 'Dana Levi' --reason '  '", 2, ["--reason is empty"]),
    ("client end 'Dana Levi' --reason moved --at tomorrow", 2, ["is in the future"]),
    ("client delete Nobody --yes", 3, ["no client named 'Nobody'"]),
    ("client frobnicate", 2, ["No such command 'frobnicate'"]),
    # bills
    ("bill 'Dana Levi' -5", 2, ["'-5' is negative", "above zero", "relog bill --help"]),
    ("bill 'Dana Levi' -- -1,200.50", 2, ["amount: '-1,200.50' is negative", "1200.5"]),
    ("bill 'Dana Levi' 0", 2, ["amount: '0' is zero", "above zero"]),
    ("bill 'Dana Levi' 0.00", 2, ["amount: '0.00' is zero"]),
    ("bill 'Dana Levi' abc", 2, ["amount: 'abc' is not a number", "1,200.50"]),
    ("bill 'Dana Levi' 12.345", 2, ["amount: '12.345' has more than two decimals"]),
    ("bill 'Dana Levi' 12,50", 2, ["'12,50' has a comma that does not group thousands"]),
    ("bill 'Dana Levi' '1200 ILS'", 2, ["'1200 ILS' is not a plain number", "currency"]),
    ("bill 'Dana Levi' 1e3", 2, ["amount: '1e3' is not a plain number"]),
    ("bill 'Dana Levi' ''", 2, ["amount: '' is not a number"]),
    ("bill 'Dana Levi' 1000000000000", 2, ["is too large", "999,999,999,999.99"]),
    ("bill 'Dana Levi' 100 --at tomorrow", 2, ["--at: ", "is in the future"]),
    ("bill 'Dana Levi' 100 --at banana", 2, ["--at: cannot read 'banana'"]),
    ("bill Nobody 100", 3, ["no client named 'Nobody'"]),
    ("bill dana 100", 2, ["'dana' matches several clients"]),
    ("bill 'Dana Levi'", 2, ["Missing argument 'AMOUNT'"]),
    ("bills Nobody", 3, ["no client named 'Nobody'"]),
    ("bills --since tomorrow", 2, ["--since: ", "is in the future"]),
    # the timeline and its entries
    ("log Nobody", 3, ["no client named 'Nobody'"]),
    ("log --since banana", 2, ["--since: cannot read 'banana'"]),
    ("log --since tomorrow", 2, ["--since: ", "is in the future"]),
    ("log --limit 0", 2, ["--limit"]),
    # search
    ("search ''", 2, ["TEXT is empty", "relog search references"]),
    ("search '   '", 2, ["TEXT is empty"]),
    ("search ' - * \" '", 2, ["TEXT '- * \"' has no letters or digits to find"]),
    ("search", 2, ["Missing argument 'TEXT'"]),
    ("search call Nobody", 3, ["no client named 'Nobody'"]),
    ("search call dana", 2, ["'dana' matches several clients"]),
    ("search call --since tomorrow", 2, ["--since: ", "is in the future"]),
    ("search call --until banana", 2, ["--until: cannot read 'banana'"]),
    (
        "search call --since 2026-01-05 --until 2026-01-04",
        2,
        ["--until is before --since", "at or after --since"],
    ),
    ("search call --kind visit", 2, ["'visit' is not one of"]),
    ("search call --limit 0", 2, ["--limit"]),
    ("edit 999 -m x", 3, ["no interaction with id 999", "relog log"]),
    ("edit abc -m x", 2, ["'ID'"]),
    ("edit -3 -m x", 2, ["'-3' is negative", "no argument of relog's takes a negative number"]),
    ("delete -12,5 --yes", 2, ["'-12,5' is negative", "relog delete --help"]),
    ("edit 1", 2, ["nothing to change"]),
    ("edit 1 --late", 2, ["--late is for meetings only"]),
    ("edit 1 --kind note --by them", 2, ["a note is yours"]),
    ("edit 1 --next 2026-01-01", 2, ["--next must be later than --at"]),
    ("edit 1 --client Nobody", 3, ["no client named 'Nobody'"]),
    ("edit 1 --at 'in 3 days'", 2, ["is in the future"]),
    ("delete 999 --yes", 3, ["no interaction with id 999"]),
    ("delete one", 2, ["'ID'"]),
    ("frobnicate", 2, ["No such command 'frobnicate'"]),
    ("add call 'Dana Levi' --colour red", 2, ["No such option", "--colour"]),
]


@pytest.mark.parametrize(("command", "code", "fragments"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_one_clear_line_and_changes_nothing(
    run: Run,
    journal: Path,
    seeded: list[str],
    command: str,
    code: int,
    fragments: list[str],
) -> None:
    result = run(*shlex.split(command), code=code)
    assert_one_error(result, *fragments)
    assert result.stdout == ""
    assert snapshot(journal) == seeded


def test_a_refused_entry_does_not_create_the_client_it_named(run: Run, seeded: list[str]) -> None:
    before = run("log", "--json").stdout, run("client", "list", "--json").stdout
    result = run("add", "call", "Brand New", "--new", "--late", code=2)
    assert_one_error(result, "--late is for meetings only")
    assert (run("log", "--json").stdout, run("client", "list", "--json").stdout) == before


def test_declining_a_deletion_keeps_everything(run: Run, journal: Path, seeded: list[str]) -> None:
    result = run("delete", "1", input="n\n", code=1)
    assert "Nothing was deleted." in result.stderr
    result = run("client", "delete", "Dana Levi", input="n\n", code=1)
    assert "Nothing was deleted." in result.stderr
    assert snapshot(journal) == seeded


# journal files ------------------------------------------------------------------


@pytest.mark.no_journal
def test_a_text_file_is_not_a_journal(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("call Dana on Monday\n")
    result = run("--db", str(notes), "client", "list", code=4)
    assert_one_error(result, f"{notes} is not a relog journal")
    assert notes.read_text() == "call Dana on Monday\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.no_journal
def test_an_sqlite_file_of_another_program_is_not_a_journal(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
        connection.execute("INSERT INTO invoice (total) VALUES (100.0)")
    result = run("--db", str(other), "client", "add", "Dana Levi", code=4)
    assert_one_error(result, f"{other} is an SQLite database but not a relog journal")
    with sqlite3.connect(other) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert tables == [("invoice",)]


@pytest.mark.no_journal
def test_a_damaged_sqlite_file_is_not_a_journal(run: Run, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 200)
    result = run("--db", str(damaged), "log", code=4)
    assert_one_error(result, f"{damaged} is not a relog journal")


@pytest.mark.no_journal
def test_a_folder_is_not_a_journal(run: Run, tmp_path: Path) -> None:
    result = run("--db", str(tmp_path), "client", "list", code=4)
    assert_one_error(result, f"{tmp_path} is a folder", "--db takes the path of a journal file")


@pytest.mark.no_journal
def test_an_explicit_journal_in_a_missing_folder_is_refused(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "journal.db"
    result = run("--db", str(missing), "client", "add", "Dana Levi", code=4)
    assert_one_error(result, f"folder {missing.parent} does not exist", "create it first")
    assert not missing.parent.exists()


@pytest.mark.no_journal
def test_relog_db_in_a_missing_folder_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "gone" / "journal.db"
    monkeypatch.setenv("RELOG_DB", str(missing))
    result = run("log", code=4)
    assert_one_error(result, "does not exist")
    assert not missing.parent.exists()


@pytest.mark.no_journal
def test_a_journal_under_a_regular_file_is_refused(run: Run, tmp_path: Path) -> None:
    """Works as root too: no permission bit can be bypassed to write inside a file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    result = run("--db", str(blocker / "journal.db"), "client", "list", code=4)
    assert_one_error(result, f"{blocker} is not a folder")
    assert blocker.read_text() == ""


@pytest.mark.no_journal
def test_a_default_folder_that_cannot_be_created_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.delenv("RELOG_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    result = run("client", "list", code=4)
    assert_one_error(result, "cannot create folder")


@pytest.mark.no_journal
@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_journal_in_a_read_only_folder_is_refused(run: Run, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run("--db", str(locked / "journal.db"), "client", "list", code=4)
        assert_one_error(result, "cannot create journal", "ermission denied")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_journal_refuses_writes_but_reads(run: Run, journal: Path) -> None:
    run("client", "add", "Dana Levi")
    journal.chmod(0o400)
    try:
        result = run("client", "add", "Noa Cohen", code=4)
        assert_one_error(result, "read-only")
        assert "Dana Levi" in run("client", "list").stdout
    finally:
        journal.chmod(0o600)


WITHOUT_OVERRIDE = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]


def as_plain_root(*args: str) -> subprocess.CompletedProcess[str]:
    """Run relog bound by file permissions: as root, without the right to override them."""
    env = {k: v for k, v in os.environ.items() if k != "RELOG_DEBUG"}
    prefix = WITHOUT_OVERRIDE if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "relog", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.no_journal
@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to drop the permission override",
)
def test_read_only_folder_and_journal_as_root_without_override(run: Run, tmp_path: Path) -> None:
    if subprocess.run([*WITHOUT_OVERRIDE, "true"], check=False).returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = as_plain_root("--db", str(locked / "journal.db"), "client", "list")
    assert result.returncode == 4
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        f"relog: error: cannot create journal {locked / 'journal.db'}: Permission denied"
    ]
    assert list(locked.iterdir()) == []

    journal = tmp_path / "journal.db"
    run("--db", str(journal), "client", "add", "Dana Levi")
    journal.chmod(0o400)
    result = as_plain_root("--db", str(journal), "client", "add", "Noa Cohen")
    assert result.returncode == 4
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        f"relog: error: cannot save to journal {journal}: the file is read-only"
    ]
    listed = as_plain_root("--db", str(journal), "client", "list")
    assert listed.returncode == 0
    assert "Dana Levi" in listed.stdout
    assert "Noa Cohen" not in listed.stdout
    assert [line for line in listed.stderr.splitlines() if line.strip()] == [
        f"relog: note: journal {journal} is read-only (the file is read-only); "
        "relog could read it, but can change nothing in it"
    ]


def test_db_option_wins_over_relog_db(run: Run, journal: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    run("--db", str(other), "client", "add", "Dana Levi")
    assert "Dana Levi" in run("--db", str(other), "client", "list").stdout
    assert run("client", "list").stdout.startswith("No clients yet")


@pytest.mark.no_journal
def test_new_journal_and_default_folder_are_private(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RELOG_DB")
    run("client", "add", "Dana Levi")
    folder = tmp_path / "xdg-data" / "relog"
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert ((folder / "journal.db").stat().st_mode & 0o777) == 0o600
    explicit = tmp_path / "mine.db"
    run("--db", str(explicit), "client", "list")
    assert (explicit.stat().st_mode & 0o777) == 0o600


# failures relog did not foresee ---------------------------------------------------


@pytest.fixture
def corrupt_row(run: Run, journal: Path) -> None:
    """A journal edited by hand so that an entry's moment is no moment at all (a kind relog
    does not know is foreseen: see test_performance_design)."""
    run("client", "add", "Dana Levi")
    run("add", "call", "Dana Levi", "-m", "private words")
    with sqlite3.connect(journal) as connection:
        connection.execute("UPDATE interaction SET at = 'telegram'")


@pytest.mark.usefixtures("corrupt_row")
def test_an_unexpected_failure_is_one_line_without_journal_contents(run: Run) -> None:
    result = run("log", code=70)
    line = assert_one_error(result, "unexpected ValueError; nothing was saved", "RELOG_DEBUG=1")
    assert "private words" not in line
    assert "telegram" not in line
    assert result.stdout == ""


@pytest.mark.usefixtures("corrupt_row")
def test_relog_debug_lets_the_traceback_through(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELOG_DEBUG", "1")
    result = run("log", code=1)
    assert isinstance(result.exception, ValueError)
    assert "telegram" in str(result.exception)


@pytest.mark.no_journal
def test_an_empty_journal_variable_is_refused_not_defaulted(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RELOG_DB", "")
    result = run("client", "list", code=2)
    assert_one_error(result, "RELOG_DB is set but empty")
    assert not (tmp_path / "xdg-data").exists(), "no journal was made in the default place"


def test_an_id_larger_than_any_entry_is_a_usage_error(run: Run) -> None:
    result = run("edit", "99999999999999999999999", "-m", "x", code=2)
    assert_one_error(result, "Invalid value for 'ID'")


def test_an_ambiguous_numeric_date_is_refused(run: Run) -> None:
    run("client", "add", "Dana Levi")
    result = run("add", "call", "Dana Levi", "--next", "12/11/2026", code=2)
    assert_one_error(result, "--next", "ambiguous", "ISO 8601")
