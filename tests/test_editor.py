"""Writing a summary in the user's editor: `relog add ... --edit`, `relog edit ID --edit`."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Run

    RunJson = Callable[..., Any]

FAKE_EDITOR = """\
import os, pathlib, sys
path = pathlib.Path(sys.argv[1])
seen = pathlib.Path(os.environ["FAKE_SEEN"])
seen.write_text(f"{path.stat().st_mode & 0o777:o}\\n{path}\\n" + path.read_text("utf-8"), "utf-8")
if "FAKE_TEXT" in os.environ:
    path.write_text(os.environ["FAKE_TEXT"], "utf-8")
sys.exit(int(os.environ.get("FAKE_EXIT", "0")))
"""


class Editor:
    """A stand-in editor: writes FAKE_TEXT into the file and records what it was given."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        script = folder / "fake_editor.py"
        script.write_text(FAKE_EDITOR, encoding="utf-8")
        self.seen_file = folder / "seen.txt"
        self.monkeypatch = monkeypatch
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
        monkeypatch.setenv("FAKE_SEEN", str(self.seen_file))

    def writes(self, text: str, *, exit_code: int = 0) -> None:
        self.monkeypatch.setenv("FAKE_TEXT", text)
        self.monkeypatch.setenv("FAKE_EXIT", str(exit_code))

    @property
    def mode(self) -> str:
        return self.seen_file.read_text(encoding="utf-8").splitlines()[0]

    @property
    def path(self) -> Path:
        return Path(self.seen_file.read_text(encoding="utf-8").splitlines()[1])

    @property
    def given(self) -> str:
        return "\n".join(self.seen_file.read_text(encoding="utf-8").splitlines()[2:])


@pytest.fixture
def dana(run: Run) -> str:
    run("client", "add", "Dana Levi")
    return "Dana Levi"


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Editor:
    return Editor(tmp_path, monkeypatch)


def entries(run_json: RunJson) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = run_json("log")["interactions"]
    return listed


@pytest.mark.usefixtures("dana")
def test_a_summary_written_in_the_editor_keeps_its_lines(
    run: Run, run_json: RunJson, editor: Editor
) -> None:
    editor.writes("# a line of mine that is left out\nAsked for two references.\n\nBudget: Q3.\n")
    entry = run_json("add", "call", "Dana Levi", "--by", "them", "--edit")
    assert entry["summary"] == "Asked for two references.\n\nBudget: Q3."
    assert "call with Dana Levi" in editor.given
    assert editor.mode == "600"  # the text may be about people: the owner's only
    assert not editor.path.exists()  # and gone once the editor is done
    line = next(line for line in run("log").stdout.splitlines() if "Asked for" in line)
    assert line.rstrip().endswith("Asked for two references. …")
    assert "Budget" not in run("log").stdout


@pytest.mark.usefixtures("dana")
def test_the_editor_starts_from_the_summary_given_or_kept(
    run_json: RunJson, editor: Editor
) -> None:
    editor.writes("First line\nsecond line")
    added = run_json("add", "email", "Dana Levi", "-m", "Sent prices", "--edit")
    assert editor.given.splitlines()[-1] == "Sent prices"
    editor.writes("Sent prices and references\nShe will answer on Sunday")
    edited = run_json("edit", str(added["id"]), "--edit")
    assert editor.given.splitlines()[-2:] == ["First line", "second line"]
    assert edited["summary"] == "Sent prices and references\nShe will answer on Sunday"
    assert edited["kind"] == "email"


@pytest.mark.usefixtures("dana")
@pytest.mark.parametrize(
    ("text", "exit_code", "message"),
    [
        ("# only comments\n\n", 0, "the summary is empty; nothing was saved"),
        ("Written but abandoned", 3, "the editor exited with code 3; nothing was saved"),
    ],
)
def test_an_empty_text_or_a_failed_editor_saves_nothing(
    run: Run, run_json: RunJson, editor: Editor, text: str, exit_code: int, message: str
) -> None:
    before = entries(run_json)
    editor.writes(text, exit_code=exit_code)
    result = run("add", "call", "Dana Levi", "--edit", code=1)
    assert result.stderr.strip() == f"relog: error: {message}"
    assert entries(run_json) == before


@pytest.mark.usefixtures("dana")
def test_a_missing_editor_is_one_clear_line(
    run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
    result = run("add", "call", "Dana Levi", "--edit", code=2)
    assert "cannot start the editor" in result.stderr
    assert "set VISUAL or EDITOR" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert entries(run_json) == []


@pytest.mark.usefixtures("dana")
def test_the_editor_opens_only_after_the_rest_is_accepted(run: Run, editor: Editor) -> None:
    editor.writes("never asked for")
    run("add", "call", "Nobody Known", "--edit", code=3)
    run("add", "call", "Dana Levi", "--expectations", "--edit", code=2)
    assert not editor.seen_file.exists()


# relog config edit ------------------------------------------------------------


def test_config_edit_starts_from_the_described_defaults_and_saves_a_checked_file(
    run: Run, editor: Editor, tmp_path: Path
) -> None:
    path = Path(run("config", "path").stdout.strip())
    assert not path.exists()
    editor.writes("# mine\n[attention]\ncadence_days = 14\n")
    result = run("config", "edit")
    assert "cadence_days" in editor.given and "# relog settings" in editor.given
    assert f"Saved {path}" in result.stdout
    assert path.read_text(encoding="utf-8") == "# mine\n[attention]\ncadence_days = 14\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert run("config", "get", "attention.cadence_days").stdout.strip() == "14"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".config-edit-")]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[attention]\ncadence_days = -3\n", "attention.cadence_days"),
        ("[attention]\ncadense_days = 3\n", "did you mean attention.cadence_days?"),
        ("[attention\n", "not valid TOML"),
    ],
)
def test_config_edit_refuses_a_mistake_and_keeps_the_file(
    run: Run, editor: Editor, text: str, said: str
) -> None:
    path = Path(run("config", "path").stdout.strip())
    editor.writes("[attention]\ncadence_days = 10\n")
    run("config", "edit")
    kept = path.read_bytes()
    editor.writes(text)
    result = run("config", "edit", code=5)
    assert said in result.stderr and "was not changed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == kept


def test_config_edit_without_a_change_says_so(run: Run, editor: Editor) -> None:
    editor.writes("[attention]\ncadence_days = 10\n")
    run("config", "edit")
    editor.writes("[attention]\ncadence_days = 10\n")
    assert run("config", "edit").stdout.strip() == "No change."
