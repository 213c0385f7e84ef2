"""`relog config`: see, get and set the settings; a misspelt key gets a suggestion."""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run


def test_set_checks_writes_and_get_reads_back(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    run("config", "set", "pursuit.chase_streak", "3")
    run("config", "set", "money.currency", "ILS")
    assert tomllib.loads(path.read_text()) == {
        "pursuit": {"chase_streak": 3},
        "money": {"currency": "ILS"},
    }
    assert path.stat().st_mode & 0o777 == 0o600
    assert run("config", "get", "pursuit.chase_streak").stdout.strip() == "3"
    assert run("config", "get", "pursuit.alert_streak").stdout.strip() == "3", "the default"
    shown = run("config", "show").stdout
    assert "chase_streak = 3  # yours (default: 2)" in shown
    assert "alert_streak = 3\n" in shown, "a default is not marked"
    run("config", "set", "pursuit.chase_streak", "default")
    assert tomllib.loads(path.read_text()) == {"money": {"currency": "ILS"}}


def test_set_refuses_what_the_config_would_refuse_and_writes_nothing(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    typo = run("config", "set", "pursuit.chase_stream", "3", code=2)
    assert "unknown setting 'pursuit.chase_stream'; did you mean pursuit.chase_streak?" in (
        typo.stderr
    )
    low = run("config", "set", "pursuit.chase_streak", "0", code=2)
    assert "pursuit.chase_streak: 0 is out of range; give 1 to 1000" in low.stderr
    clash = run("config", "set", "pursuit.alert_streak", "1", code=2)
    assert "alert_streak must be at least chase_streak" in clash.stderr
    assert not path.exists()


def test_a_misspelt_key_in_the_file_gets_a_suggestion(run: Run, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[pursuit]\nchase_streek = 2\n")
    result = run("review", code=5)
    assert "unknown setting pursuit.chase_streek; did you mean pursuit.chase_streak?" in (
        result.stderr
    )


def test_init_writes_each_setting_with_its_description(run: Run, tmp_path: Path) -> None:
    run("config", "init")
    text = (tmp_path / "config.toml").read_text()
    assert "# unanswered attempts in a row that count as chasing\nchase_streak = 2" in text
    assert tomllib.loads(text)["pursuit"]["chase_streak"] == 2
