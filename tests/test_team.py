"""A team's journal: who logged what, one member's review, a journal on a PostgreSQL server,
who sees what there (two real database roles), and members adding at once."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from relog.cli import app
from relog.store.tables import METADATA
from tests.conftest import GOLDEN, read_rows
from tests.test_errors import assert_one_error

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import Golden, Run
    from tests.pgserver import Server

pytestmark = pytest.mark.backends

ON_POSTGRESQL = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
"""For a test of the server alone."""


def as_member(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("RELOG_MEMBER", name)


def two_members(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dana logs with Acme twice, Avi with Beta once and with Acme once."""
    run("client", "add", "Acme", "--stage", "active")
    run("client", "add", "Beta", "--stage", "active")
    as_member(monkeypatch, "dana")
    run("add", "call", "Acme", "--at", "2026-01-05 10:00", "--by", "them", "-m", "Kickoff")
    run("add", "email", "Acme", "--at", "2026-01-06 09:00", "-m", "Sent the plan")
    as_member(monkeypatch, "avi")
    run("add", "meeting", "Beta", "--at", "2026-01-07 11:00", "-m", "First meeting")
    run("add", "note", "Acme", "--at", "2026-01-08 08:00", "-m", "Asked Dana about it")


# who logged what ---------------------------------------------------------------------


def test_each_entry_names_the_member_who_logged_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_members(run, monkeypatch)
    listed = json.loads(run("log", "--json").stdout)["interactions"]
    assert [(e["id"], e["member"]) for e in listed] == [
        (4, "avi"),
        (3, "avi"),
        (2, "dana"),
        (1, "dana"),
    ]
    lines = run("log").stdout.splitlines()
    assert [line.split()[3] for line in lines] == ["avi", "avi", "dana", "dana"]
    only = run("log", "--member", "dana").stdout.splitlines()
    assert [line.split()[0] for line in only] == ["#2", "#1"]
    assert "dana" not in only[0]  # one member's lines need no member column


def test_the_team_log_screen(
    run: Run, monkeypatch: pytest.MonkeyPatch, golden: Golden, backend: str
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        two_members(run, monkeypatch)
        as_member(monkeypatch, "a-member-with-a-long-name")
        run("add", "call", "Beta", "--at", "2026-01-09 10:00", "--outcome", "no-answer")
        golden(GOLDEN / "log-team.txt", run("log").stdout)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_journal_of_one_member_shows_no_member_column(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("client", "add", "Acme")
    as_member(monkeypatch, "dana")
    run("add", "call", "Acme", "-m", "Kickoff")
    run("add", "email", "Acme", "-m", "Plan")
    lines = run("log").stdout.splitlines()
    assert len(lines) == 2 and not any("dana" in line for line in lines)
    assert [e["member"] for e in json.loads(run("log", "--json").stdout)["interactions"]] == [
        "dana",
        "dana",
    ]


def test_the_member_is_the_config_s_else_the_login_or_the_database_user(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    run("client", "add", "Acme")

    def last_member() -> str:
        run("add", "call", "Acme")
        return str(json.loads(run("log", "--json", "-n", "1").stdout)["interactions"][0]["member"])

    expected = getpass.getuser() if backend == "sqlite" else "relog_admin"
    assert last_member() == expected
    (isolated.parent / "config.toml").write_text('[team]\nmember = "  Dana   Levi "\n')
    assert last_member() == "Dana Levi"
    as_member(monkeypatch, "avi")
    assert last_member() == "avi"


def test_an_entry_logged_with_a_new_client_is_the_member_s_too(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_member(monkeypatch, "avi")
    run("add", "call", "Brand New Co", "--new")
    run("add", "meeting", "Brand New Co")
    entries = json.loads(run("log", "--json").stdout)["interactions"]
    assert [(e["kind"], e["member"]) for e in entries] == [("meeting", "avi"), ("call", "avi")]


@pytest.mark.parametrize(
    ("where", "value", "code", "fragment"),
    [
        ("env", "", 2, "RELOG_MEMBER is not a member's name"),
        ("env", "x" * 65, 2, "RELOG_MEMBER is not a member's name"),
        ("config", '""', 5, "team.member: '' is not a member's name"),
        ("config", '"a\\u0007b"', 5, "is not a member's name"),
    ],
)
def test_a_member_name_that_cannot_be_is_refused_with_nothing_logged(
    run: Run,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    value: str,
    code: int,
    fragment: str,
) -> None:
    run("client", "add", "Acme")
    if where == "env":
        as_member(monkeypatch, value)
    else:
        (isolated.parent / "config.toml").write_text(f"[team]\nmember = {value}\n")
    assert_one_error(run("add", "call", "Acme", code=code), fragment)
    monkeypatch.delenv("RELOG_MEMBER", raising=False)
    (isolated.parent / "config.toml").unlink(missing_ok=True)
    assert json.loads(run("log", "--json").stdout) == {"interactions": []}


AS_OF = "2026-01-10 12:00"


def portfolio_clients(run: Run, *args: str) -> list[str]:
    document = json.loads(run("review", "--json", "--as-of", AS_OF, *args).stdout)
    return sorted(review["client"] for review in document["clients"])


def test_the_portfolio_of_one_member_or_of_the_whole_team(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_members(run, monkeypatch)
    assert portfolio_clients(run) == ["Acme", "Beta"]
    assert portfolio_clients(run, "--member", "dana") == ["Acme"]
    assert portfolio_clients(run, "--member", "avi") == ["Acme", "Beta"]


def findings(run: Run, *args: str) -> list[str]:
    document = json.loads(run("review", "Acme", "--json", "--as-of", AS_OF, *args).stdout)
    return sorted(f["code"] for module in document["modules"].values() for f in module["findings"])


def test_one_client_reviewed_from_one_member_s_contacts(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Avi chased Acme with three unanswered calls; Dana's own contact with them was fine."""
    run("client", "add", "Acme", "--stage", "active")
    as_member(monkeypatch, "dana")
    run("add", "call", "Acme", "--by", "them", "--at", "2026-01-05 10:00")
    as_member(monkeypatch, "avi")
    for day in ("06", "07", "08"):
        run("add", "call", "Acme", "--outcome", "no-answer", "--at", f"2026-01-{day} 10:00")
    assert findings(run) == ["PUR001"]
    assert findings(run, "--member", "avi") == ["PUR001"]
    assert findings(run, "--member", "dana") == []


def test_the_agenda_of_one_member(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    two_members(run, monkeypatch)
    as_member(monkeypatch, "avi")
    run("add", "call", "Beta", "--by", "them", "--agreed", "--next", "tomorrow 10:00")

    def agreed_with(*args: str) -> set[str]:
        items = json.loads(run("agenda", "--json", *args).stdout)["items"]
        return {item["client"] for item in items if item["code"] == "PUR007"}

    assert agreed_with() == {"Beta"}
    assert agreed_with("--member", "avi") == {"Beta"}
    assert agreed_with("--member", "dana") == set()


@pytest.mark.parametrize("command", [["log"], ["review"], ["agenda"]])
def test_an_unknown_member_is_refused_with_the_members_named(
    run: Run, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    two_members(run, monkeypatch)
    failed = run(*command, "--member", "noa", code=3)
    assert_one_error(failed, "no entries logged by member 'noa'; members: avi, dana")
    assert failed.stdout == ""


# a journal on a server ------------------------------------------------------------------


@ON_POSTGRESQL
def test_a_url_s_password_never_shows(pg_server: Server, db: str) -> None:
    url = f"postgresql+psycopg://someone:s3cret-pw@127.0.0.1:{pg_server.port}/no_such_db"
    failed = CliRunner().invoke(app, ["--db", url, "client", "list"])
    assert failed.exit_code == 4
    assert_one_error(failed, "cannot open journal", "someone:***@127.0.0.1", "no_such_db")
    assert "s3cret" not in failed.stderr + failed.stdout


@ON_POSTGRESQL
@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://me@host/team", "relog cannot use a mysql database"),
        ("postgresql+psycopg2://me@host/team", "relog cannot use a postgresql+psycopg2 database"),
        ("postgresql://me@host", "names no database"),
        ("postgresql://me@host:notaport/team", "cannot read the database URL"),
    ],
)
def test_a_url_relog_cannot_use_is_refused(db: str, url: str, fragment: str) -> None:
    failed = CliRunner().invoke(app, ["--db", url, "client", "list"])
    assert failed.exit_code == 2, failed.stderr
    assert_one_error(failed, fragment)


@ON_POSTGRESQL
@pytest.mark.no_journal
def test_a_blank_database_is_made_a_journal_and_another_one_is_refused(
    run: Run, db: str, pg_server: Server
) -> None:
    run("client", "add", "Acme")
    assert read_rows(db, "SELECT version_num FROM alembic_version") == [("0007",)]
    other = pg_server.new_database(None)
    import psycopg

    with psycopg.connect(pg_server.dsn(other), autocommit=True) as connection:
        connection.execute("CREATE TABLE invoices (id integer)")
    failed = run("--db", pg_server.url(other), "client", "list", code=4)
    assert_one_error(failed, "is a PostgreSQL database but not a relog journal")
    assert read_rows(pg_server.url(other), "SELECT count(*) FROM invoices") == [(0,)]


@ON_POSTGRESQL
@pytest.mark.parametrize(
    ("command", "fragment"),
    [
        (["backup"], "pg_dump --format=custom"),
        (["restore", "copy.db", "--yes"], "use pg_restore"),
    ],
)
def test_backup_and_restore_point_to_the_server_s_tools(
    run: Run, command: list[str], fragment: str
) -> None:
    assert_one_error(run(*command, code=4), fragment)


@ON_POSTGRESQL
def test_forget_leaves_no_row_of_the_client(run: Run, db: str) -> None:
    run("client", "add", "Acme", "--note", "Secret terms")
    run("client", "add", "Beta")
    run("add", "call", "Acme", "--asked", "prices", "-m", "About the secret deal")
    run("bill", "Acme", "100")
    run("add", "call", "Beta", "-m", "Hello")
    said = run("forget", "Acme", "--yes").stdout
    assert "write-ahead log and its backups keep them" in said
    assert read_rows(db, "SELECT name FROM client") == [("Beta",)]
    for table in ("interaction", "request", "bill"):
        assert read_rows(db, f"SELECT count(*) FROM {table} WHERE client_id = 1") == [(0,)]
    assert [e["summary"] for e in json.loads(run("log", "--json").stdout)["interactions"]] == [
        "Hello"
    ]
    vacuumed = read_rows(
        db, "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL"
    )
    assert set(METADATA.tables) <= {name for (name,) in vacuumed}  # the synced mail's too


@ON_POSTGRESQL
def test_search_reads_the_word_indexes(run: Run, db: str) -> None:
    run("client", "add", "Acme", "--note", "Owner: Zoë")
    run("add", "call", "Acme", "-m", "Discussed the prices")
    import psycopg

    from relog.store.fulltext import TextSearch
    from relog.store.tables import INTERACTION

    matcher = TextSearch(["price"])
    _, found = matcher.match(INTERACTION)
    condition = str(found.compile(compile_kwargs={"literal_binds": True}))
    with psycopg.connect(db.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("SET enable_seqscan = off")
        plan = connection.execute(
            f"EXPLAIN SELECT id FROM interaction WHERE {condition}".encode()
        ).fetchall()
    assert "ix_interaction_words" in " ".join(row[0] for row in plan)
    assert [h["text"] for h in json.loads(run("search", "price", "--json").stdout)["hits"]] == [
        "Discussed the prices"
    ]


# who sees what --------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    role: str
    url: str


@pytest.fixture
def roles(pg_server: Server, db: str) -> Iterator[Callable[[str], Member]]:
    """Make database roles that are members of this test's journal, with the rights
    docs/team.md grants (through a group role), and return each one's role and URL."""
    import psycopg

    made: list[str] = []
    database = db.rsplit("/", 1)[1]
    group = f"team_{database}"
    pg_server.execute(f"CREATE ROLE {group} NOLOGIN")
    with psycopg.connect(pg_server.dsn(database), autocommit=True) as connection:
        connection.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {group}; "
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {group}".encode()
        )

    def member(name: str) -> Member:
        role = f"{name}_{database}"
        pg_server.execute(f"CREATE ROLE {role} LOGIN IN ROLE {group}")
        made.append(role)
        return Member(role, pg_server.url(database, user=role))

    yield member
    pg_server.drop_database(database)
    for role in [*made, group]:
        pg_server.execute(f"DROP ROLE IF EXISTS {role}")


def relog(url: str, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, ["--db", url, *args])
    assert result.exit_code == code, (args, result.stdout, result.stderr, result.exception)
    return result


@ON_POSTGRESQL
def test_a_member_sees_only_the_team_s_clients_and_their_own(
    run: Run, roles: Callable[[str], Member]
) -> None:
    alice_is, bob_is = roles("alice"), roles("bob")
    alice, bob = alice_is.url, bob_is.url
    run("client", "add", "Shared Ltd", "--note", "Everyone's")
    run("client", "add", "Acme", "--note", "Alice's terms")
    run("client", "add", "Bobcat", "--note", "Bob's secret terms")
    run("client", "edit", "Acme", "--owner", alice_is.role)
    run("client", "edit", "Bobcat", "--owner", bob_is.role)
    run("add", "call", "Bobcat", "-m", "Bob's secret deal")

    seen = json.loads(relog(alice, "client", "list", "--json").stdout)["clients"]
    assert sorted(c["name"] for c in seen) == ["Acme", "Shared Ltd"]
    refused = relog(alice, "log", "Bobcat", code=3)
    line = assert_one_error(refused, "no client named 'Bobcat' that you can see")
    assert "secret" not in refused.stdout + refused.stderr
    assert "Bobcat" not in line.split("that you can see", 1)[1]  # no hint names another's client
    refused = relog(alice, "review", "Bobca", code=3)
    assert_one_error(refused, "that you can see")
    assert json.loads(relog(alice, "search", "secret", "--json").stdout) == {"hits": []}
    assert json.loads(relog(alice, "log", "--json").stdout) == {"interactions": []}
    assert_one_error(relog(alice, "edit", "1", "-m", "mine now", code=3), "no interaction")
    assert_one_error(relog(alice, "delete", "1", "--yes", code=3), "no interaction")

    # Alice logs with her own client and the team's, as herself.
    relog(alice, "add", "call", "Acme", "-m", "Alice called")
    relog(alice, "add", "email", "Shared Ltd", "-m", "Alice wrote")
    mine = json.loads(relog(alice, "log", "--json").stdout)["interactions"]
    assert {(e["client"], e["member"]) for e in mine} == {
        ("Acme", alice_is.role),
        ("Shared Ltd", alice_is.role),
    }
    # She cannot give her client away: refused, nothing changed.
    given = relog(alice, "client", "edit", "Acme", "--owner", bob_is.role, code=4)
    assert_one_error(given, "does not let you do that", "row-level security")
    assert json.loads(relog(alice, "client", "show", "Acme", "--json").stdout)["name"] == "Acme"
    # Bob sees his client and the team's, not Alice's.
    bobs = json.loads(relog(bob, "client", "list", "--json").stdout)["clients"]
    assert sorted(c["name"] for c in bobs) == ["Bobcat", "Shared Ltd"]
    notes = json.loads(relog(bob, "search", "terms", "--json").stdout)["hits"]
    assert [h["client"] for h in notes] == ["Bobcat"]
    # The journal's owner sees everything.
    everyone = json.loads(run("client", "list", "--json").stdout)["clients"]
    assert sorted(c["name"] for c in everyone) == ["Acme", "Bobcat", "Shared Ltd"]


@ON_POSTGRESQL
def test_a_client_given_back_to_the_team_is_seen_by_everyone(
    run: Run, roles: Callable[[str], Member]
) -> None:
    alice, bob = roles("alice"), roles("bob")
    run("client", "add", "Acme")
    run("client", "edit", "Acme", "--owner", alice.role)

    def bob_sees() -> list[str]:
        listed = json.loads(relog(bob.url, "client", "list", "--json").stdout)["clients"]
        return [client["name"] for client in listed]

    assert bob_sees() == []
    relog(alice.url, "client", "edit", "Acme", "--owner", "")
    assert bob_sees() == ["Acme"]


# members adding at once ----------------------------------------------------------------

WRITERS, ADDS = 8, 25

_ADDER = """
import sys
from relog.__main__ import main
client, member, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
import os
os.environ["RELOG_MEMBER"] = member
for n in range(count):
    sys.argv = ["relog", "add", "call", client, "-m", f"{member} call {n}"]
    try:
        main()
    except SystemExit as done:
        if done.code:
            raise
"""


@ON_POSTGRESQL
def test_eight_members_adding_at_once_store_every_entry_once(run: Run, db: str) -> None:
    run("client", "add", "Acme")
    env = {**os.environ, "RELOG_DB": db}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _ADDER, "Acme", f"member{k}", str(ADDS)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(WRITERS)
    ]
    failures = []
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        if worker.returncode:
            failures.append(err)
    assert failures == []
    rows = read_rows(db, "SELECT member, summary FROM interaction")
    assert len(rows) == WRITERS * ADDS
    assert sorted(rows) == sorted(
        (f"member{k}", f"member{k} call {n}") for k in range(WRITERS) for n in range(ADDS)
    )


@ON_POSTGRESQL
@pytest.mark.no_journal
def test_eight_members_starting_a_blank_journal_at_once_all_succeed(run: Run, db: str) -> None:
    env = {**os.environ, "RELOG_DB": db}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "relog", "client", "add", f"Client {k}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(WRITERS)
    ]
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [w.returncode for w in workers] == [0] * WRITERS, errors
    names = sorted(row[0] for row in read_rows(db, "SELECT name FROM client"))
    assert names == sorted(f"Client {k}" for k in range(WRITERS))
    assert read_rows(db, "SELECT version_num FROM alembic_version") == [("0007",)]


def test_a_synced_entry_names_the_member_who_synced_it(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from tests.sync_helpers import ME, maildir, message, sync

    run("client", "add", "Acme", "--email", "ruth@acme.co.il", "--stage", "active")
    run("config", "set", "me.emails", ME)
    as_member(monkeypatch, "dana")
    at = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    box = maildir(tmp_path / "Mail", [message("ruth@acme.co.il", ME, "Brief", at, "1")])
    assert sync(run, "mail", str(box))["clients"][0]["added"] == 1
    listed = json.loads(run("log", "--json").stdout)["interactions"]
    assert [(e["summary"], e["member"]) for e in listed] == [("Brief", "dana")]
