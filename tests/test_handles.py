"""Contact handles: a client's email addresses, phone numbers and company domains."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import TYPE_CHECKING

import pytest

from relog.errors import InputError
from relog.handles import Handle, HandleKind, parse_handle

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

    from tests.conftest import Run

    RunJson = Callable[..., Any]

EMAIL, PHONE, DOMAIN = HandleKind.EMAIL, HandleKind.PHONE, HandleKind.DOMAIN


@pytest.mark.parametrize(
    ("kind", "text", "key", "value"),
    [
        (EMAIL, "Dana@Levi.CO.IL", "dana@levi.co.il", "Dana@levi.co.il"),
        (EMAIL, "<dana@levi.co.il>", "dana@levi.co.il", "dana@levi.co.il"),
        (EMAIL, "mailto:noa@קפה.co.il", "noa@קפה.co.il", "noa@קפה.co.il"),
        (PHONE, "+972 54-123-4567", "+972541234567", "+972 54-123-4567"),
        (PHONE, "00972541234567", "+972541234567", "+972 54-123-4567"),
        (PHONE, "tel:+1-212-555-0100", "+12125550100", "+1 212-555-0100"),
        (PHONE, "054-1234567", "0541234567", "054-1234567"),
        (DOMAIN, "https://www.Levi.co.il/about", "levi.co.il", "levi.co.il"),
        (DOMAIN, "dana@levi.co.il", "levi.co.il", "levi.co.il"),
        (DOMAIN, "קפה.co.il", "xn--8db5ai.co.il", "קפה.co.il"),
    ],
)
def test_a_handle_is_kept_as_shown_and_as_matched(
    kind: HandleKind, text: str, key: str, value: str
) -> None:
    assert parse_handle(kind, text) == Handle(kind, key, value)


def test_a_national_number_is_read_by_the_home_region() -> None:
    assert parse_handle(PHONE, "054-1234567", region="IL").key == "+972541234567"
    assert parse_handle(PHONE, "(212) 555-0100", region="US").key == "+12125550100"


@pytest.mark.parametrize(
    ("kind", "text", "says"),
    [
        (EMAIL, "dana", "--email: 'dana' is not an email address"),
        (EMAIL, "dana@", "is not an email address"),
        (EMAIL, "   ", "--email is empty"),
        (PHONE, "call me", "--phone: 'call me' is not a phone number"),
        (PHONE, "+972 5", "too few or too many digits"),
        (PHONE, "+1" + "2" * 30, "too few or too many digits"),
        (DOMAIN, "localhost", "--domain: 'localhost' is not a domain"),
        (DOMAIN, "gmail.com", "gmail.com is a public mail service"),
        (DOMAIN, "Walla.co.il", "walla.co.il is a public mail service"),
        (EMAIL, "a" * 300 + "@x.com", "at most 254 characters"),
    ],
)
def test_what_is_not_a_handle_is_refused_naming_the_option(
    kind: HandleKind, text: str, says: str
) -> None:
    with pytest.raises(InputError) as refused:
        parse_handle(kind, text, region="IL" if kind is PHONE else None)
    assert says in str(refused.value)


def handles_in(journal: Path) -> list[tuple[int, str, str, str]]:
    with closing(sqlite3.connect(journal)) as connection:
        query = "SELECT client_id, kind, key, value FROM handle ORDER BY id"
        return connection.execute(query).fetchall()


def test_client_add_and_edit_give_and_take_handles(run: Run, run_json: RunJson) -> None:
    run(
        "client",
        "add",
        "Noa Bar",
        "--email",
        "Noa@Bar.co.il",
        "--email",
        "noa@bar.co.il",
        "--phone",
        "+972 54 123 4567",
        "--domain",
        "bar.co.il",
    )
    shown = run_json("client", "show", "noa")
    assert (shown["emails"], shown["phones"], shown["domains"]) == (
        ["Noa@bar.co.il"],
        ["+972 54-123-4567"],
        ["bar.co.il"],
    )
    run("client", "edit", "noa", "--email", "noa@home.org", "--remove-domain", "BAR.co.il")
    shown = run_json("client", "show", "noa")
    assert (shown["emails"], shown["domains"]) == (["Noa@bar.co.il", "noa@home.org"], [])
    screen = run("client", "show", "noa").stdout
    assert "email         Noa@bar.co.il, noa@home.org\n" in screen
    assert "phone         +972 54-123-4567\n" in screen
    assert "domain" not in screen


def test_a_handle_belongs_to_one_client(run: Run, journal: Path) -> None:
    run("client", "add", "Noa Bar", "--email", "noa@bar.co.il")
    before = handles_in(journal)
    refused = run("client", "add", "Avi Bar", "--email", "NOA@bar.co.il", code=2)
    assert refused.stderr == (
        "relog: error: noa@bar.co.il is already Noa Bar's email; a handle belongs to one "
        "client (take it off with: relog client edit 'Noa Bar' --remove-email "
        "noa@bar.co.il)\n"
    )
    assert run("client", "list").stdout.count("Avi Bar") == 0  # nothing half-written
    run("client", "add", "Avi Bar")
    run("client", "edit", "avi", "--note", "x", "--email", "noa@bar.co.il", code=2)
    assert handles_in(journal) == before
    assert "x" not in run("client", "show", "avi").stdout.split("notes")[-1]


def test_taking_off_a_handle_the_client_lacks_changes_nothing(run: Run, journal: Path) -> None:
    run("client", "add", "Noa Bar", "--email", "noa@bar.co.il")
    refused = run(
        "client", "edit", "noa", "--email", "new@bar.co.il", "--remove-email", "x@y.com", code=2
    )
    assert refused.stderr == "relog: error: Noa Bar has no email x@y.com\n"
    assert [row[3] for row in handles_in(journal)] == ["noa@bar.co.il"]


def test_a_bad_handle_is_one_line_and_nothing_is_added(run: Run) -> None:
    refused = run("client", "add", "Noa Bar", "--domain", "gmail.com", code=2)
    assert refused.stderr == (
        "relog: error: --domain: gmail.com is a public mail service, not a company's "
        "domain; give the client's address with --email instead\n"
    )
    assert "Noa Bar" not in run("client", "list").stdout


def test_the_home_region_comes_from_the_config(run: Run, run_json: RunJson) -> None:
    run("client", "add", "Noa Bar", "--phone", "054-1234567")
    run("config", "set", "contacts.region", "il")
    run("client", "add", "Avi Bar", "--phone", "054-7654321")
    assert run_json("client", "show", "noa")["phones"] == ["054-1234567"]
    assert run_json("client", "show", "avi")["phones"] == ["+972 54-765-4321"]
    refused = run("config", "set", "contacts.region", "Israel", code=2)
    assert "is not a two-letter country code" in refused.stderr


def test_handles_go_with_their_client(run: Run, journal: Path) -> None:
    run("client", "add", "Noa Bar", "--email", "noa@bar.co.il", "--domain", "bar.co.il")
    run("client", "add", "Avi Bar", "--email", "avi@bar.org")
    run("client", "delete", "noa", "--yes")
    assert [row[3] for row in handles_in(journal)] == ["avi@bar.org"]
    run("client", "add", "Noa Bar", "--email", "noa@bar.co.il")  # free again
