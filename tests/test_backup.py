"""`relog backup`, `relog restore`, `relog forget` and the erasure `relog client delete` shares."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from relog.cli import params
from relog.domain import Cause, MistakeData, MistakeKind
from relog.store import open_store
from tests.test_migrations import write_old_journal

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from tests.conftest import Run

    RunJson = Callable[..., Any]

STAMPED = re.compile(r"journal-\d{8}-\d{6}\.db")


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def names_in(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM client ORDER BY name")]


def journal_bytes(journal: Path) -> dict[str, bytes]:
    """The journal file and whatever SQLite keeps beside it, byte for byte."""
    return {
        name: (journal.parent / name).read_bytes()
        for name in (journal.name, f"{journal.name}-wal", f"{journal.name}-shm")
        if (journal.parent / name).exists()
    }


# backup -----------------------------------------------------------------------


def test_a_backup_is_a_private_complete_copy_beside_the_journal(
    run: Run, run_json: RunJson, journal: Path
) -> None:
    run("client", "add", "דנה לוי")
    printed = run("backup").stdout.strip()
    made = Path(printed)
    assert made.parent == journal.parent and STAMPED.fullmatch(made.name)
    assert mode(made) == 0o600
    assert integrity(made) == "ok" and names_in(made) == ["דנה לוי"]
    assert not Path(f"{made}-wal").exists()
    run("client", "add", "Noa Cohen")
    assert names_in(made) == ["דנה לוי"]
    listed = run_json("backup", str(journal.parent / "mine.db"))
    assert listed == {"path": str(journal.parent / "mine.db"), "size": listed["size"]}
    assert listed["size"] == (journal.parent / "mine.db").stat().st_size > 0


def test_a_folder_gets_a_timestamped_copy_and_no_file_is_overwritten(
    run: Run, journal: Path, tmp_path: Path
) -> None:
    run("client", "add", "Dana Levi")
    folder = tmp_path / "copies"
    folder.mkdir()
    made = Path(run("backup", str(folder)).stdout.strip())
    assert made.parent == folder and STAMPED.fullmatch(made.name)
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"mine")
    refused = run("backup", str(taken), code=2)
    assert refused.stderr == f"relog: error: {taken} already exists; relog does not overwrite it\n"
    assert taken.read_bytes() == b"mine"
    missing = run("backup", str(tmp_path / "nowhere" / "copy.db"), code=2)
    assert "folder" in missing.stderr and "does not exist" in missing.stderr


WRITER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from relog.domain import ClientData, InteractionData, Kind, Stage
from relog.store import open_store

store = open_store(Path(sys.argv[1]))
client = store.add_client(ClientData(id=0, name="Writer", stage=Stage.ACTIVE))
print("ready", flush=True)
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    entry = InteractionData(
        id=0, client_id=client.id, kind=Kind.CALL, at=datetime.now(UTC), summary="x" * 500
    )
    store.add_interactions([entry] * 20)
store.close()
"""


def test_a_backup_taken_while_another_process_writes_is_consistent(
    journal: Path, run: Run, tmp_path: Path
) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(journal), "4"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        copies = []
        for number in range(3):
            copies.append(Path(run("backup", str(tmp_path / f"during-{number}.db")).stdout.strip()))
            time.sleep(0.3)
        assert writer.poll() is None, "the writer stopped before the backups were done"
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0
    counts = []
    for copy in copies:
        assert integrity(copy) == "ok"
        store = open_store(copy)
        try:
            counts.append(store.interaction_count())
        finally:
            store.close()
        assert counts[-1] % 20 == 0  # whole batches only: each copy is one moment
    assert counts == sorted(counts) and counts[-1] > 0


# restore ----------------------------------------------------------------------


def test_restore_puts_the_copy_in_place_and_keeps_the_journal_aside(
    run: Run, run_json: RunJson, journal: Path
) -> None:
    run("client", "add", "Dana Levi")
    copy = Path(run("backup").stdout.strip())
    run("client", "add", "Noa Cohen")
    before = journal_bytes(journal)
    result = run("restore", str(copy), "--yes")
    kept = next(journal.parent.glob("journal-before-restore-*.db"))
    assert re.fullmatch(r"journal-before-restore-\d{8}-\d{6}\.db", kept.name)
    assert result.stdout == (
        f"Restored the journal from {copy}.\nThe journal before it is kept as {kept}.\n"
    )
    assert mode(kept) == 0o600 and mode(journal) == 0o600
    assert names_in(kept) == ["Dana Levi", "Noa Cohen"]
    assert names_in(journal) == ["Dana Levi"]
    assert sorted(p.name for p in journal.parent.iterdir() if "-wal" in p.name) == []
    assert before  # the journal was there to keep
    assert [c["name"] for c in run_json("client", "list")["clients"]] == ["Dana Levi"]
    with closing(sqlite3.connect(journal)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_restore_asks_in_a_terminal_and_refuses_without_one(
    run: Run, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("client", "add", "Dana Levi")
    copy = Path(run("backup").stdout.strip())
    run("client", "add", "Noa Cohen")
    refused = run("restore", str(copy), code=2)
    assert "--yes" in refused.stderr
    monkeypatch.setattr(params, "interactive", lambda: True)
    declined = run("restore", str(copy), input="n\n", code=1)
    assert "Replace the journal with" in declined.stdout and "is kept as" in declined.stdout
    assert declined.stderr == "The journal was not changed.\n"
    assert names_in(journal) == ["Dana Levi", "Noa Cohen"]
    assert not list(journal.parent.glob("journal-before-restore-*"))
    assert not list(journal.parent.glob(".journal.db.restoring-*"))
    run("restore", str(copy), input="y\n")
    assert names_in(journal) == ["Dana Levi"]


def _damaged(path: Path) -> None:
    """A relog copy with one of its pages overwritten."""
    content = bytearray(path.read_bytes())
    page = 4096
    content[2 * page : 3 * page] = b"\xa5" * page
    path.write_bytes(bytes(content))


def _foreign(path: Path) -> None:
    path.unlink()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (text)")
        connection.commit()


def _empty(path: Path) -> None:
    path.unlink()
    sqlite3.connect(path).close()


def _text(path: Path) -> None:
    path.write_text("Dana Levi, notes\n")


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:5000])


def _newer(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()


BAD_COPIES: dict[str, tuple[Callable[[Path], None], str]] = {
    "text": (_text, "is not a relog journal"),
    "damaged": (_damaged, "is damaged"),
    "truncated": (_truncated, "is damaged"),
    "another database": (_foreign, "not a relog journal"),
    "empty database": (_empty, "not a relog"),
    "newer": (_newer, "was written by a newer relog (schema 9999)"),
}


@pytest.mark.parametrize("kind", list(BAD_COPIES))
def test_a_bad_copy_is_refused_and_the_journal_is_unchanged(
    run: Run, journal: Path, tmp_path: Path, kind: str
) -> None:
    spoil, message = BAD_COPIES[kind]
    run("client", "add", "Dana Levi")
    copy = tmp_path / "copy.db"
    run("backup", str(copy))
    spoil(copy)
    before = journal_bytes(journal)
    around = sorted(p.name for p in journal.parent.iterdir())
    result = run("restore", str(copy), "--yes", code=4)
    assert result.stderr.startswith(f"relog: error: {copy} ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert journal_bytes(journal) == before
    assert sorted(p.name for p in journal.parent.iterdir()) == around


def test_an_older_copy_is_restored_and_migrated_when_next_opened(
    run: Run, run_json: RunJson, journal: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    write_old_journal(old)
    run("restore", str(old), "--yes")
    assert names_in(journal) == names_in(old)
    assert [c["name"] for c in run_json("client", "list")["clients"]] == names_in(old)
    assert list(journal.parent.glob("journal.db.0002-*.bak"))


def test_a_missing_copy_is_a_mistake_in_the_path(run: Run, tmp_path: Path) -> None:
    result = run("restore", str(tmp_path / "nothing.db"), "--yes", code=2)
    assert "no file" in result.stderr


# forget and client delete -------------------------------------------------------

SECRETS = {
    "name": "Yehudit Ben-Ezra Quillfeather",
    "hebrew name": "יהודית בן־עזרא",
    "notes": "Allergic to walnuts; divorce in progress",
    "hebrew notes": "בהליך גירושין, לא לדבר על זה",
    "summary": "Confided the merger with Zanthoric Holdings",
    "hebrew summary": "סיפרה על המיזוג הסודי",
    "post-mortem": "Forgot the Quillfeather anniversary invoice",
    "post-mortem plan": "Diarise the Quillfeather renewal",
    "bill note": "Quillfeather retainer for March",
    "email": "yehudit@quillfeather-holdings.co.il",
    "phone": "+972 52-987-6543",
    "domain": "quillfeather-family.co.il",
}


def _write_the_person(run: Run, journal: Path) -> None:
    name = SECRETS["name"]
    run("client", "add", name, "--note", SECRETS["notes"], "--email", SECRETS["email"])
    run("client", "edit", name, "--phone", SECRETS["phone"], "--domain", SECRETS["domain"])
    run("client", "edit", name, "--add-note", SECRETS["hebrew notes"])
    run("client", "add", SECRETS["hebrew name"], "--note", SECRETS["hebrew notes"])
    run("add", "call", name, "--by", "them", "--asked", "prices", "-m", SECRETS["summary"])
    run("add", "meeting", SECRETS["hebrew name"], "-m", SECRETS["hebrew summary"])
    run("bill", name, "1,200", "-m", SECRETS["bill note"])
    run("client", "add", "Noa Cohen", "--note", "Keeps her notes")
    run("add", "email", "Noa Cohen", "-m", "Sent the Q3 proposal", "--asked", "references")
    store = open_store(journal)
    try:
        person = store.find_client(name)
        store.add_mistake(
            MistakeData(
                id=0,
                client_id=person.id,
                client_name=person.name,
                created_at=datetime.now(UTC),
                what=SECRETS["post-mortem"],
                kind=MistakeKind.SERVICE,
                cause=Cause.VAGUE_CONTRACT,
                plan=SECRETS["post-mortem plan"],
            )
        )
    finally:
        store.close()


def _found(journal: Path) -> set[str]:
    """Which of the secrets are in the bytes of the journal, its -wal or its -shm."""
    content = b"".join(journal_bytes(journal).values())
    return {what for what, text in SECRETS.items() if text.encode() in content}


@pytest.mark.parametrize("command", [["forget"], ["client", "delete"]])
def test_forgetting_leaves_no_trace_in_the_files(
    run: Run, run_json: RunJson, journal: Path, command: list[str]
) -> None:
    with closing(sqlite3.connect(journal)) as holder:
        holder.execute("SELECT count(*) FROM client").fetchall()  # keeps the -wal file there
        _write_the_person(run, journal)
        assert Path(f"{journal}-wal").exists()
        assert _found(journal) == set(SECRETS)  # the test can fail
        for name in (SECRETS["name"], SECRETS["hebrew name"]):
            run(*command, name, "--yes")
        assert Path(f"{journal}-wal").exists()
        assert _found(journal) == set()
    assert _found(journal) == set()
    assert integrity(journal) == "ok"
    assert [c["name"] for c in run_json("client", "list")["clients"]] == ["Noa Cohen"]
    shown = run_json("client", "show", "Noa Cohen")
    assert shown["notes"] == "Keeps her notes" and [r["item"] for r in shown["open_requests"]] == [
        "references"
    ]
    assert [e["summary"] for e in run_json("log")["interactions"]] == ["Sent the Q3 proposal"]
    with closing(sqlite3.connect(journal)) as connection:
        for table in ("interaction", "request", "bill", "mistake"):
            ids = connection.execute(f"SELECT DISTINCT client_id FROM {table}").fetchall()
            assert ids in ([], [(3,)]), table


def test_forget_says_which_backups_still_hold_the_client(
    run: Run, journal: Path, tmp_path: Path
) -> None:
    run("client", "add", "Avi Cohen")
    run("client", "add", "Dana Levi", "--referred-by", "avi cohen")
    copy = Path(run("backup").stdout.strip())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run("backup", str(elsewhere / "mine.db"))
    declined = run("forget", "Avi", input="n\n", code=1)
    assert declined.stdout.startswith(
        "These copies of the journal still hold them (relog leaves them to you):\n"
        f"  {copy}\n"
        "Forget Avi Cohen: remove the client with 0 logged entries, 0 post-mortems and "
        "0 amounts billed, leaving nothing of them in the journal file?"
    )
    assert names_in(journal) == ["Avi Cohen", "Dana Levi"]
    done = run("forget", "Avi", "--yes")
    assert done.stdout == (
        "Forgot Avi Cohen: nothing of them is left in the journal.\n"
        "These copies of the journal still hold them (relog leaves them to you):\n"
        f"  {copy}\n"
    )
    assert copy.exists() and names_in(copy) == ["Avi Cohen", "Dana Levi"]
    with closing(sqlite3.connect(journal)) as connection:
        assert connection.execute("SELECT referred_by FROM client").fetchall() == [(None,)]


def test_forget_refuses_an_unknown_client(run: Run) -> None:
    result = run("forget", "Nobody", "--yes", code=3)
    assert "no client named 'Nobody'" in result.stderr
