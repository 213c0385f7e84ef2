"""Shell completion offers the journal's client names."""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING

import pytest

from relog.cli.params import complete_client
from relog.domain import ClientData, Stage
from relog.store import open_store
from tests.subprocesses import complete

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run


def test_client_names_complete_from_the_journal(run: Run) -> None:
    run("client", "add", "Dana Levi")
    run("client", "add", "דנה לוי")
    run("client", "add", "Avi Cohen")
    assert complete_client("da") == ["Dana Levi"]
    assert complete_client("דנ") == ["דנה לוי"]
    assert sorted(complete_client("")) == sorted(["Dana Levi", "דנה לוי", "Avi Cohen"])


@pytest.mark.no_journal
def test_completion_is_silent_without_a_journal() -> None:
    assert complete_client("d") == []


ORM = {"sqlalchemy", "sqlmodel", "alembic"}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_shell_completes_names_from_the_journal_file_without_the_orm(
    run: Run, journal: Path
) -> None:
    for name in ("Dana Levi", "Danakil Tours", "Avi Cohen", "Client 00040", "Client 00041"):
        run("client", "add", name)
    before = _files(journal.parent)
    env = dict(os.environ)
    # For bash each name comes back as one shell word: its spaces escaped.
    offered = complete(["relog", "review", "Da"], env)
    assert offered.stdout.splitlines() == ["Dana\\ Levi", "Danakil\\ Tours"]
    assert not offered.modules & ORM
    assert complete(["relog", "review", "Client 0004"], env).stdout.splitlines() == [
        "Client\\ 00040",
        "Client\\ 00041",
    ]
    assert complete(["relog", "add", "call", "Avi"], env).stdout.splitlines() == ["Avi\\ Cohen"]
    assert complete(["relog", "log", "Dana "], env).stdout.splitlines() == ["Dana\\ Levi"]
    assert complete(["relog", "log", "coh"], env).stdout.splitlines() == ["Avi\\ Cohen"]
    assert _files(journal.parent) == before, "completion changed or left a file"


def test_names_match_as_the_commands_match_them(run: Run) -> None:
    run("client", "add", "Dana Levi")
    run("client", "add", "Danakil Tours")
    run("client", "add", "Ren\u00e9e Blanc")
    assert complete_client("  dANA   l") == ["Dana Levi"]
    assert complete_client("Dana ") == ["Dana Levi"]
    assert complete_client("Dana") == ["Dana Levi", "Danakil Tours"]
    assert complete_client("rene\u0301e") == ["Ren\u00e9e Blanc"]  # typed decomposed
    assert complete_client("Levi") == ["Dana Levi"]  # a word start, as the commands accept it
    assert complete_client("x") == []


def test_completion_reads_what_an_open_journal_has_not_checkpointed(
    run: Run, journal: Path
) -> None:
    run("client", "add", "Dana Levi")
    store = open_store(journal)
    try:
        store.add_client(ClientData(id=0, name="Dalia Shani", stage=Stage.LEAD))
        assert journal.with_name(journal.name + "-wal").exists()
        assert complete_client("Da") == ["Dalia Shani", "Dana Levi"]
    finally:
        store.close()


def test_completion_never_creates_a_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "elsewhere" / "journal.db"
    missing.parent.mkdir()
    monkeypatch.setenv("RELOG_DB", str(missing))
    assert complete_client("") == []
    assert complete(["relog", "review", "D"], dict(os.environ)).stdout.strip() == ""
    assert list(missing.parent.iterdir()) == []


def test_completion_is_silent_on_a_file_that_is_not_a_relog_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere" / "other.db"
    other.parent.mkdir()
    monkeypatch.setenv("RELOG_DB", str(other))
    other.write_text("Dana Levi\n", encoding="utf-8")
    assert complete_client("D") == []
    other.unlink()
    database = sqlite3.connect(other)
    database.execute("CREATE TABLE client (name TEXT, name_key TEXT)")
    database.execute("INSERT INTO client VALUES ('Dana Levi', 'dana levi')")
    database.commit()
    database.close()
    before = _files(other.parent)
    assert complete_client("D") == []
    assert complete(["relog", "review", "D"], dict(os.environ)).stdout.strip() == ""
    assert _files(other.parent) == before
    other.unlink()
    other.mkdir()
    assert complete_client("D") == []


def test_completion_reads_a_journal_whose_path_looks_like_a_url(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = tmp_path / "a?b#c%20d.db"
    monkeypatch.setenv("RELOG_DB", str(odd))
    run("client", "add", "Dana Levi")
    assert complete_client("d") == ["Dana Levi"]


def test_names_come_back_as_one_shell_word_from_the_journal_asked_for(
    run: Run, journal: Path, tmp_path: Path
) -> None:
    for name in ("O'Brien & Sons", "דנה לוי", "Acme Ltd"):
        run("client", "add", name)
    env = dict(os.environ)
    assert complete(["relog", "log", "o"], env).stdout.splitlines() == ["O\\'Brien\\ \\&\\ Sons"]
    assert complete(["relog", "log", "דנ"], env).stdout.splitlines() == ["דנה\\ לוי"]
    assert complete(["relog", "log", "acme"], env).stdout.splitlines() == ["Acme\\ Ltd"]
    # --db names another journal: its names, not the default journal's.
    other = tmp_path / "other.db"
    run("--db", str(other), "client", "add", "Zohar Tal")
    del env["RELOG_DB"]
    words = ["relog", "--db", str(other), "review", "z"]
    assert complete(words, env).stdout.splitlines() == ["Zohar\\ Tal"]


def test_install_completion_for_the_shell_named(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}

    def relog(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "relog", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    installed = relog("--install-completion", "zsh")
    assert installed.returncode == 0, installed.stderr
    assert (tmp_path / ".zfunc" / "_relog").exists(), "zsh named: zsh installed, not bash"
    assert not (tmp_path / ".bash_completions").exists()
    refused = relog("--install-completion", "tcsh")
    assert refused.returncode == 2
    assert "unknown shell 'tcsh'; accepted: bash, zsh, fish" in refused.stderr
    assert relog("--show-completion", "fish").stdout.startswith("complete --command relog")


def test_items_and_rule_codes_complete_instead_of_file_names(run: Run) -> None:
    run("client", "add", "Dana Levi")
    env = dict(os.environ)
    items = complete(["relog", "add", "call", "Dana", "--asked", "references,pr"], env)
    assert items.stdout.splitlines() == ["references,prices", "references,profile"]
    gave = complete(["relog", "add", "call", "Dana", "--gave", "qu"], env)
    assert gave.stdout.splitlines() == ["question"]
    assert complete(["relog", "rules", "pur00"], env).stdout.splitlines()[:2] == [
        "pur001",
        "pur002",
    ]
    assert complete(["relog", "rules", "BAL00"], env).stdout.splitlines()[0] == "BAL001"
