"""relog import: a journal file merged in by client name, in one transaction, or refused whole."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import fields, is_dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relog.domain import (
    BillData,
    By,
    Cause,
    Channel,
    ClientData,
    InteractionData,
    Item,
    Kind,
    MistakeData,
    MistakeKind,
    Outcome,
    Resolution,
    Source,
    Stage,
    contradictions,
    name_key,
)
from relog.formats.journal_json import read_journal, write_journal
from relog.handles import Handle, HandleData, HandleKind, parse_handle
from relog.store import open_store
from relog.transfer import JournalData
from tests.conftest import read_rows
from tests.test_export import small_journal
from tests.test_migrations import schema_sql

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from tests.conftest import PutJournal, Run

# random journals ----------------------------------------------------------------

PIECES = [
    *"aZé דנהלוי",
    "\u200f",
    "\u200e",
    "\u202b",
    "😀",
    "👩🏽\u200d💼",
    ",",
    '"',
    "\\",
    "\n",
    "#*",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
NAME = TEXT.map(lambda text: " ".join(text.split())).filter(lambda name: bool(name_key(name)))
ZONES = st.sampled_from(
    [UTC, *map(ZoneInfo, ("Asia/Jerusalem", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"))]
)
MOMENT = st.builds(
    lambda moment, zone: moment.replace(tzinfo=UTC).astimezone(zone),
    st.datetimes(datetime(2000, 1, 1), datetime(2035, 12, 31)),
    ZONES,
)
"""A moment in a random zone (one that exists there: typed moments are read so)."""
FLAG = st.booleans()


def _handle(kind: HandleKind, text: str) -> tuple[tuple[str, str], Handle]:
    handle = parse_handle(kind, text)
    return (kind.value, handle.key), handle


HANDLE = st.one_of(
    st.builds(
        lambda local, domain: _handle(HandleKind.EMAIL, f"{local}@{domain}"),
        st.text("abcXYZ019._-דנה", min_size=1, max_size=8).filter(
            lambda local: local[0] not in "._" and local[-1] not in "._" and ".." not in local
        ),
        st.sampled_from(["levi.co.il", "Example.COM", "קפה.co.il"]),
    ),
    st.builds(
        lambda digits: _handle(HandleKind.PHONE, f"+972 54 {digits}"),
        st.text("0123456789", min_size=7, max_size=7),
    ),
    st.builds(
        lambda name: _handle(HandleKind.DOMAIN, f"{name}.co.il"),
        # IDNA refuses "--" as a label's third and fourth letters (kept for "xn--")
        st.text("abcxyz0-", min_size=1, max_size=6).filter(
            lambda n: n[0] != "-" != n[-1] and n[2:4] != "--"
        ),
    ),
)
ITEMS = st.frozensets(st.sampled_from(Item))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def clients(draw: st.DrawFn, number: int, name: str) -> ClientData:
    high = draw(maybe(st.integers(1, 90)))
    low = draw(maybe(st.integers(1, high))) if high is not None else None
    return ClientData(
        id=number,
        name=name,
        stage=draw(st.sampled_from(Stage)),
        source=draw(maybe(st.sampled_from(Source))),
        referred_by=draw(maybe(TEXT)),
        cadence_days=high,
        cadence_min_days=low,
        channel=draw(maybe(st.sampled_from(Channel))),
        notes=draw(TEXT),
        created_at=draw(MOMENT),
        ended_at=draw(maybe(MOMENT)),
        end_reason=draw(maybe(TEXT)),
        retainer=draw(maybe(st.integers(1, 10**14 - 1))),
        started_at=draw(maybe(MOMENT)),
    )


def possible(entry: InteractionData) -> InteractionData:
    """`entry` made true (as the CLI would have refused otherwise)."""
    if entry.kind is Kind.NOTE:
        entry = replace(entry, by=By.ME, outcome=Outcome.REACHED)
    if entry.late and (entry.kind is not Kind.MEETING or entry.outcome is Outcome.CANCELLED):
        entry = replace(entry, late=False)
    if entry.outcome is not Outcome.REACHED and entry.by is By.ME:
        entry = replace(entry, think=False, asked=frozenset(), delegated=False, disagreement=None)
    if entry.disagreement is None:
        entry = replace(entry, expectations=False)
    assert contradictions(entry) == []
    return entry


@st.composite
def interactions(draw: st.DrawFn, number: int, client_ids: list[int]) -> InteractionData:
    at = draw(MOMENT)
    later = draw(maybe(st.timedeltas(timedelta(seconds=1), timedelta(days=60))))
    # An aware moment plus a timedelta is wall-clock arithmetic, which can land in a clock
    # change's gap (a time that never was there): the end of the wait is worked out in UTC.
    entry = InteractionData(
        id=number,
        client_id=draw(st.sampled_from(client_ids)),
        kind=draw(st.sampled_from(Kind)),
        at=at,
        by=draw(st.sampled_from(By)),
        outcome=draw(st.sampled_from(Outcome)),
        agreed=draw(FLAG),
        next_at=None if later is None else (at.astimezone(UTC) + later).astimezone(at.tzinfo),
        think=draw(FLAG),
        asked=draw(ITEMS),
        gave=draw(ITEMS),
        disagreement=draw(maybe(st.sampled_from(Resolution))),
        expectations=draw(FLAG),
        initiative=draw(FLAG),
        delegated=draw(FLAG),
        late=draw(FLAG),
        minutes=draw(maybe(st.integers(0, 600))),
        summary=draw(TEXT),
    )
    return possible(entry)


@st.composite
def journals(draw: st.DrawFn) -> JournalData:
    names = draw(st.lists(NAME, min_size=1, max_size=4, unique_by=name_key))
    people = [draw(clients(number, name)) for number, name in enumerate(names, 1)]
    ids = [c.id for c in people]
    entries = [draw(interactions(n, ids)) for n in range(1, draw(st.integers(0, 8)) + 1)]
    mistakes = [
        MistakeData(
            id=n,
            client_id=draw(st.sampled_from(ids)),
            client_name="",
            created_at=draw(MOMENT),
            what=draw(TEXT),
            kind=draw(st.sampled_from(MistakeKind)),
            cause=draw(st.sampled_from(Cause)),
            cause_note=draw(TEXT),
            plan=draw(TEXT),
            due=draw(maybe(MOMENT)),
            done_at=draw(maybe(MOMENT)),
            third_party=draw(maybe(FLAG)),
        )
        for n in range(1, draw(st.integers(0, 2)) + 1)
    ]
    bills = [
        BillData(
            n,
            draw(st.sampled_from(ids)),
            draw(MOMENT),
            draw(st.integers(1, 10**14 - 1)),
            draw(TEXT),
        )
        for n in range(1, draw(st.integers(0, 3)) + 1)
    ]
    texts = draw(st.lists(HANDLE, max_size=4, unique_by=lambda pair: pair[0]))
    handles = [
        HandleData(n, draw(st.sampled_from(ids)), handle.kind, handle.value, handle.key)
        for n, (_, handle) in enumerate(texts, 1)
    ]
    return JournalData(tuple(people), tuple(entries), tuple(mistakes), tuple(bills), tuple(handles))


def in_utc(value: Any) -> Any:
    """`value` with every moment in it moved to UTC: two moments in different zones never
    compare equal when one falls in a clock change's overlap (PEP 495), even at one instant."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, tuple):
        return tuple(in_utc(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: in_utc(getattr(value, f.name)) for f in fields(value)})
    return value


def test_moments_are_compared_as_instants_even_in_a_clock_change_s_overlap() -> None:
    new_york = ZoneInfo("America/New_York")
    overlap = datetime(2010, 11, 7, 5, 0, tzinfo=UTC).astimezone(new_york)  # 01:00, twice
    assert overlap != overlap.astimezone(UTC)  # what a plain == says
    assert in_utc((overlap,)) == (datetime(2010, 11, 7, 5, 0, tzinfo=UTC),)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=journals())
def test_an_export_imported_into_an_empty_journal_exports_the_same_bytes(
    put_blank_journal: PutJournal, data: JournalData
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "first.db", Path(folder) / "second.db"
        put_blank_journal(first)
        put_blank_journal(second)
        one, two = open_store(first), open_store(second)
        try:
            one.import_journal(data)
            exported = write_journal(one.journal())
            # every field kept, moments the same instants
            assert in_utc(read_journal(exported)) == in_utc(data)
            two.import_journal(read_journal(exported))
            assert write_journal(two.journal()) == exported
        finally:
            one.close()
            two.close()


# merging -------------------------------------------------------------------------


def export_to(run: Run, path: Path) -> Path:
    run("export", "-o", str(path))
    return path


def rows(db: str) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: read_rows(db, f"SELECT * FROM {table} ORDER BY id")
        for table in ("client", "interaction", "request", "mistake", "bill", "handle")
    }


def test_import_into_an_empty_journal_gives_the_same_journal_back(
    run: Run, journal: Path, tmp_path: Path, put_blank_journal: PutJournal
) -> None:
    small_journal(run)
    file = export_to(run, tmp_path / "journal.json")
    before = rows(str(journal))
    journal.unlink()
    put_blank_journal(journal)
    said = run("import", str(file)).stdout
    assert "clients" in said and "2 added" in said
    assert rows(str(journal)) == before  # the same ids, requests paired again
    assert run("export").stdout == file.read_text(encoding="utf-8")


def test_merge_adds_what_is_new_skips_what_is_there_and_reports_conflicts(
    run: Run, db: str, tmp_path: Path
) -> None:
    small_journal(run)
    file = tmp_path / "journal.json"
    document = json.loads(run("export").stdout)
    document["clients"][0]["stage"] = "active"
    document["clients"].append({**document["clients"][1], "id": 7, "name": "Noa Bar"})
    new_entry = {**document["interactions"][0], "id": 40, "at": "2026-03-01T08:00:00Z"}
    document["interactions"] += [new_entry, {**new_entry, "id": 41, "client_id": 7}]
    file.write_text(json.dumps(document), encoding="utf-8")
    before = rows(db)

    dry = json.loads(run("import", str(file), "--dry-run", "--json").stdout)
    assert rows(db) == before
    assert dry["dry_run"] is True
    assert dry["tables"]["clients"] == {"added": 1, "skipped": 2, "conflicting": 1}
    assert dry["tables"]["interactions"] == {"added": 2, "skipped": 3, "conflicting": 0}
    assert dry["tables"]["bills"] == {"added": 0, "skipped": 2, "conflicting": 0}
    assert dry["conflicts"] == [
        {"client": "Dana Levi", "field": "stage", "journal": "lead", "file": "active"}
    ]

    done = json.loads(run("import", str(file), "--json").stdout)
    assert {**done, "dry_run": True} == dry
    after = json.loads(run("export").stdout)
    assert after["clients"][0]["stage"] == "lead"  # kept as the journal has it
    assert [c["id"] for c in after["clients"]] == [1, 2, 3]
    noa = after["clients"][2]
    assert noa["name"] == "Noa Bar" and noa["retainer"] == 120050
    assert [(e["id"], e["client_id"]) for e in after["interactions"][3:]] == [(4, 1), (5, 3)]
    asked = [r for r in rows(db)["request"] if r[1] == 3]
    assert {r[2] for r in asked} == {"prices", "references"}  # the new client's requests paired

    again = run("import", str(file)).stdout
    assert "0 added" in again and "Dana Levi: stage (journal: lead; file: active)" in again
    run("client", "add", "Tal Oz")  # new ids follow those the import wrote
    run("add", "call", "Tal Oz")
    assert rows(db)["client"][-1][:2] == (4, "Tal Oz")
    assert rows(db)["interaction"][-1][:2] == (6, 4)


def test_bad_records_are_all_reported_and_nothing_is_kept(
    run: Run, db: str, tmp_path: Path
) -> None:
    small_journal(run)
    document = json.loads(run("export").stdout)
    for client in document["clients"]:
        client["name"] += " (copy)"
    document["interactions"][1]["kind"] = "lunch"
    document["bills"][0]["amount"] = 0
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    before = rows(db)
    failed = run("import", str(file), code=2)
    lines = failed.stderr.splitlines()
    assert lines == [
        "relog: error: bad.json: interactions[1]: kind 'lunch' is not one of call, email, "
        "meeting, message, note",
        "relog: error: bad.json: bills[0]: amount 0 must be above zero and at most 99999999999999",
        "relog: error: 2 problems found; nothing was imported",
    ]
    assert rows(db) == before


def test_a_newer_version_or_another_file_is_refused(run: Run, tmp_path: Path) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "relog-journal", "version": 3, "clients": []}', encoding="utf-8")
    assert "format version 3, newer" in run("import", str(newer), code=2).stderr
    other = tmp_path / "other.json"
    other.write_text("[1, 2", encoding="utf-8")
    assert "not JSON" in run("import", str(other), code=2).stderr
    unknown = tmp_path / "journal.zip"
    unknown.write_bytes(b"PK\x03\x04\x14\x00\x00\x00")
    assert "give --format (json, csv, vcard)" in run("import", str(unknown), code=2).stderr
    assert run("import", str(unknown), "--format", "csv", code=2).stderr == (
        "relog: error: journal.zip: the file is a zip archive, not CSV text; import a .csv "
        "file from it, or a relog export in JSON\n"
    )
    assert "'yaml' is not one of json, csv, vcard" in (
        run("import", str(unknown), "--format", "yaml", code=2).stderr
    )


def test_killed_midway_the_journal_is_whole_and_holds_none_of_the_import(
    journal: Path, tmp_path: Path
) -> None:
    people = tuple(
        ClientData(
            id=n,
            name=f"Client {n}",
            stage=Stage.ACTIVE,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for n in range(1, 101)
    )
    start = datetime(2020, 1, 1, tzinfo=UTC)
    entries = tuple(
        InteractionData(
            id=n,
            client_id=n % 100 + 1,
            kind=Kind.CALL,
            at=start + timedelta(minutes=n),
            summary="x" * 200,
        )
        for n in range(1, 60_001)
    )
    file = tmp_path / "big.json"
    file.write_bytes(write_journal(JournalData(people, entries)))
    env = {**os.environ, "RELOG_DB": str(journal)}
    schema = schema_sql(journal)
    process = subprocess.Popen(
        [sys.executable, "-m", "relog", "import", str(file)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = journal.with_name(journal.name + "-wal")
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 2_000_000:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    assert process.wait() == -signal.SIGKILL, "the import ended before it could be killed"
    with sqlite3.connect(journal) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        counts = [
            connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("client", "interaction")
        ]
    assert counts == [0, 0]
    assert schema_sql(journal) == schema  # the triggers dropped for the import are all there
