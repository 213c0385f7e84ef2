"""Every test gets its own journal and config in a temporary folder.

Isolation is by environment, as a user would set it: RELOG_DB and
RELOG_CONFIG point into tmp_path, so no test can touch real data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner, Result

from relog.cli import app

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    journal = tmp_path / "journal.db"
    monkeypatch.setenv("RELOG_DB", str(journal))
    monkeypatch.setenv("RELOG_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("RELOG_DEBUG", raising=False)
    yield journal


@pytest.fixture
def journal(isolated: Path) -> Path:
    """The path of this test's journal file."""
    return isolated


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
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
