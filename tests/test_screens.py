"""Golden files for the screens people read, at a fixed moment, zone and width.

The demo journal is built as of a fixed moment, and each screen is rendered
with `--as-of` that moment, in UTC, 100 columns wide (the conftest sets
COLUMNS). A change to a screen shows here as a diff; when the change is
right, `python -m pytest tests/test_screens.py --regen-golden` rewrites the files.
Behaviour is asserted elsewhere; these files hold the layout.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from relog.demo import FEATURED, build_demo
from relog.store import open_store
from tests.conftest import GOLDEN

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.conftest import Golden, Run

BUILT = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)
AS_OF = "2026-06-15 16:00"


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = previous
    time.tzset()


@pytest.fixture
def demo_journal(journal: Path) -> Path:
    store = open_store(journal)
    try:
        build_demo(store, BUILT)
    finally:
        store.close()
    return journal


SCREENS = {
    "review-client.txt": ("review", FEATURED, "--as-of", AS_OF),
    "review-explain.txt": ("review", FEATURED, "--as-of", AS_OF, "--explain"),
    "review-portfolio.txt": ("review", "--as-of", AS_OF),
    "rules.txt": ("rules",),
    "rule-PUR001.txt": ("rules", "PUR001"),
}


@pytest.mark.parametrize("name", SCREENS)
def test_screen(name: str, demo_journal: Path, run: Run, golden: Golden) -> None:
    result = run(*SCREENS[name])
    golden(GOLDEN / name, result.stdout)
