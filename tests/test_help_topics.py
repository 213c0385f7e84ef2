"""`relog help TOPIC`: the documentation, wherever relog is installed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from relog.cli.docs import TOPICS, complete_topic

if TYPE_CHECKING:
    from tests.conftest import Run

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_page_of_docs_is_a_topic() -> None:
    assert set(TOPICS) == {page.stem for page in DOCS.glob("*.md")}


@pytest.mark.parametrize("topic", list(TOPICS))
def test_a_topic_prints_its_page_when_piped(run: Run, topic: str) -> None:
    assert run("help", topic).stdout == (DOCS / f"{topic}.md").read_text(encoding="utf-8")


def test_the_topics_are_listed_and_a_wrong_one_is_refused(run: Run) -> None:
    listed = run("help").stdout
    assert all(f"  {topic} " in listed for topic in TOPICS)
    wrong = run("help", "rulez", code=2)
    assert wrong.stderr.strip() == (
        "relog: error: no help topic 'rulez'; topics: " + ", ".join(TOPICS)
    )
    assert run("help", " JSON ").stdout.startswith("# relog's JSON output")


def test_the_root_help_points_to_the_topics(run: Run) -> None:
    assert "More in 'relog help' and its topics" in run("--help").stdout
    assert complete_topic("rev") == ["review"]


def test_the_wheel_carries_the_docs() -> None:
    import tomllib

    project = tomllib.loads((DOCS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"] == {"docs": "relog/docs"}
