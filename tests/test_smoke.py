from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import Run


def test_add_and_log_a_call(run: Run) -> None:
    run("client", "add", "Dana Levi")
    run("add", "call", "Dana Levi", "--by", "them", "-m", "Asked about the launch")
    result = run("log")
    assert "Dana Levi" in result.stdout
    assert "Asked about the launch" in result.stdout
