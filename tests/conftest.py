"""Every test gets its own journal and config in a temporary folder.

Isolation is by environment, as a user would set it: RELOG_DB and
RELOG_CONFIG point into tmp_path, so no test can touch real data.

Creating and migrating a journal takes a good part of a second, so it is done
once per run, by relog itself, and a test that uses the journal (through
`run`, `run_json` or `journal`) starts from a private copy of that blank
journal. A test about a journal that does not exist yet (creating it, its
permissions, refusing to make one) is marked `no_journal` and finds nothing at
RELOG_DB, so relog creates the file for real.

Tests marked `backends` run twice: on a journal file, and on a database of a
PostgreSQL server the tests start themselves (tests/pgserver.py), each test in
a copy of a template database relog migrated once. They ask for `db` (the
value of RELOG_DB, a path or a URL) or `run`; one that asks for the file's
path (`journal`) runs on the file only. Without the server binaries the
PostgreSQL runs are skipped and say how to enable them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from relog.cli import app
from relog.store import open_store
from tests.pgserver import ENABLE, TEMPLATE, Server, find_binaries

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test marked `backends` on both databases, unless it reads the journal file."""
    names = metafunc.fixturenames
    chosen = any(
        "backend" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize")
    )
    if "backend" in names and "journal" not in names and not chosen:
        if metafunc.definition.get_closest_marker("backends"):
            metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database this test's journal is on: SQLite unless the test is marked `backends`."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """A PostgreSQL server for the whole run, with the migrated template database."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip(ENABLE)
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(ENABLE)
    server = Server.start(binaries)
    try:
        server.execute(f"CREATE DATABASE {TEMPLATE}")
        open_store(server.url(TEMPLATE)).close()
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    journal = tmp_path / "journal.db"
    monkeypatch.setenv("RELOG_DB", str(journal))
    monkeypatch.setenv("RELOG_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("RELOG_DEBUG", raising=False)
    monkeypatch.delenv("RELOG_MEMBER", raising=False)
    yield journal


PutJournal = Callable[[Path], None]


@pytest.fixture(scope="session")
def put_blank_journal(tmp_path_factory: pytest.TempPathFactory) -> PutJournal:
    """Put a blank journal at a path that does not exist yet, private as relog makes it.

    The blank journal is created and migrated once per run by relog's own code.
    Its store is closed before the file is read, so SQLite has checkpointed the
    write-ahead log into the file and removed it: the file alone is the journal.
    """
    made = tmp_path_factory.mktemp("blank") / "journal.db"
    open_store(made).close()
    beside = sorted(p.name for p in made.parent.iterdir() if p != made)
    assert beside == [], f"the blank journal left {beside} beside it; a copy would be incomplete"
    content = made.read_bytes()

    def put(path: Path) -> None:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)

    return put


@pytest.fixture
def db(
    backend: str,
    isolated: Path,
    put_blank_journal: PutJournal,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """This test's journal as RELOG_DB names it: a blank journal file, or a blank database on
    the tests' PostgreSQL server; nothing yet (an empty database) under `no_journal`."""
    blank = request.node.get_closest_marker("no_journal") is None
    if backend == "sqlite":
        if blank:
            put_blank_journal(isolated)
        yield str(isolated)
        return
    server: Server = request.getfixturevalue("pg_server")
    name = server.new_database(TEMPLATE if blank else None)
    url = server.url(name)
    monkeypatch.setenv("RELOG_DB", url)
    yield url
    server.drop_database(name)


def read_rows(db: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of `sql` in the journal `db` names (a file or a database), read past relog."""
    if "://" not in db:
        with sqlite3.connect(db) as connection:
            return connection.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://")) as connection:
        return [tuple(row) for row in connection.execute(sql.encode())]


@pytest.fixture
def journal(db: str, isolated: Path) -> Path:
    """The path of this test's journal file: a blank journal there, or nothing under
    `no_journal`."""
    return isolated


Run = Callable[..., Result]


@pytest.fixture
def run(db: str) -> Run:
    """Run relog with arguments; fail the test on an unexpected exit code."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, code: int = 0) -> Result:
        result = runner.invoke(app, list(args), input=input)
        assert result.exit_code == code, (
            f"relog {' '.join(args)} exited {result.exit_code}, expected {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}\nexception: {result.exception!r}"
        )
        return result

    return invoke


@pytest.fixture
def run_json(run: Run) -> Callable[..., Any]:
    """Run relog with --json and return the parsed document."""

    def invoke(*args: str) -> Any:
        return json.loads(run(*args, "--json").stdout)

    return invoke


# golden files ------------------------------------------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="Rewrite the golden files (tests/golden/, docs/rules.md) from the current output.",
    )


Golden = Callable[[Path, str], None]


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Compare text with a golden file, or rewrite the file under --regen-golden."""
    regenerate = bool(request.config.getoption("--regen-golden"))

    def check(path: Path, text: str) -> None:
        if regenerate:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path.name}; run pytest --regen-golden"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{path.name} differs; if the change is right: --regen-golden"

    return check
