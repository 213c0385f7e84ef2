"""Shell completion offers the journal's client names."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from relog.cli.params import complete_client

if TYPE_CHECKING:
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
