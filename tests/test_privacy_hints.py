"""Hints that name other clients can be turned off, for a team journal (issue 14, row 12).

In one person's journal "did you mean 'Dana Levi'?" helps; in a team journal a
member may not be allowed to see every client, so the store asks one switch,
`Store.names_in_hints`, before any hint names a client the user did not type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from relog.errors import InputError, NotFoundError
from relog.store import open_store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from relog.store import Store
    from tests.conftest import Run


@pytest.fixture
def store(run: Run, journal: Path) -> Iterator[Store]:
    for name in ("Dana Levi", "Dana Cohen", "ACME Ltd."):
        run("client", "add", name)
    opened = open_store(journal)
    yield opened
    opened.close()


@pytest.mark.parametrize("hints", [True, False], ids=["one person", "team"])
def test_a_near_miss_names_other_clients_only_when_hints_are_on(store: Store, hints: bool) -> None:
    store.names_in_hints = hints
    with pytest.raises(NotFoundError) as missed:
        store.find_client("Dana Levy")
    assert str(missed.value).startswith("no client named 'Dana Levy'; ")
    assert ("'Dana Levi'" in str(missed.value)) is hints
    assert ("see 'relog client list'" in str(missed.value)) is not hints


@pytest.mark.parametrize("hints", [True, False], ids=["one person", "team"])
def test_an_ambiguous_name_lists_the_matches_only_when_hints_are_on(
    store: Store, hints: bool
) -> None:
    store.names_in_hints = hints
    with pytest.raises(InputError) as several:
        store.find_client("dana")
    assert str(several.value).startswith("'dana' matches several clients")
    assert ("Dana Cohen, Dana Levi" in str(several.value)) is hints
    assert str(several.value).endswith("; type more of the name")
