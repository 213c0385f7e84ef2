"""The shortcuts that make relog fast at any size give exactly the slow answers.

Each speed-up has a test here against the plain way it replaced: the trend's
cut histories against a history built from scratch, the store's direct row
decoding against the table's columns, SQLite's day count against Python's, the
limited portfolio screen against --all, and the query plans of single-client
commands against reading other clients' rows.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import FrozenInstanceError, fields, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine

from relog.config import Config, defaults
from relog.domain import (
    By,
    ClientData,
    InteractionData,
    Item,
    Kind,
    Outcome,
    Resolution,
    Stage,
    Timeline,
)
from relog.review import evaluate, health_of, month_ends, review_client
from relog.rules import CLIENT_MODULES, CLIENT_SCORES
from relog.rules.base import CUTS, Family, History, Hit, Severity, as_of_then
from relog.store import models, open_store
from relog.store.store import INTERACTION_FIELDS, RULE_FIELDS
from tests.subprocesses import run_relog
from tests.test_rules_properties import histories

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tests.conftest import Run

CONFIG = Config()
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@settings(max_examples=150, deadline=None)
@given(histories(max_entries=30), st.integers(0, 150 * 86400))
def test_an_earlier_cut_judges_as_a_history_built_from_scratch(history: History, back: int) -> None:
    moment = history.as_of - timedelta(seconds=back)
    evaluate(history, CONFIG)  # works out every fact the rules read, as a review does first
    shared = history.earlier(moment)
    fresh = History(history.client, history.interactions, moment, history.meetings_per_day)
    assert shared.interactions == fresh.interactions
    assert evaluate(shared, CONFIG) == evaluate(fresh, CONFIG)
    cut = {name for name in history._facts if name in CUTS}
    assert {"contacts", "requests", "planned"} <= cut
    for name in cut:  # every fact taken from the later history is the one worked out afresh
        assert shared._facts[name] == fresh._facts[name], name
    assert shared.delivered == fresh.delivered


@settings(max_examples=60, deadline=None)
@given(histories(max_entries=40))
def test_the_trend_is_each_month_end_reviewed_on_its_own(history: History) -> None:
    review = review_client(
        history.client, history.interactions, history.as_of, CONFIG, trend_months=4
    )
    for point, moment in zip(review.trend, month_ends(history.as_of, 4), strict=False):
        alone = review_client(history.client, history.interactions, moment, CONFIG)
        started = history.interactions[0].at if history.interactions else None
        began = min(m for m in (history.client.created_at, started) if m is not None)
        assert point.health == (None if began > moment else alone.health)


penalty_points = st.integers(0, 100)


@settings(max_examples=150, deadline=None)
@given(
    histories(max_entries=30),
    st.fixed_dictionaries(
        {"info": penalty_points, "warning": penalty_points, "alert": penalty_points}
    ),
    st.lists(st.floats(0, 3), min_size=5, max_size=5),
)
def test_the_trend_s_scores_alone_are_the_review_s_scores(
    history: History, penalties: dict[str, int], weights: list[float]
) -> None:
    if not any(weights):
        weights[0] = 1.0
    config = Config.model_validate(
        {"penalties": penalties, "weights": dict(zip(CLIENT_MODULES, weights, strict=True))}
    )
    results, health, _ = evaluate(history, config)
    assert list(CLIENT_SCORES) == list(CLIENT_MODULES)
    for name, score in CLIENT_SCORES.items():
        result = results[name]
        assert score(history, config) == (result.score if result.applicable else None), name
    assert health_of(history, config) == health


def test_a_module_s_score_asks_for_no_hit_after_it_reaches_zero() -> None:
    asked: list[int] = []
    family = Family("pursuit", "the test's own")

    @family.rule(
        code="PUR900",
        symbol="counted",
        severity=Severity.ALERT,
        summary="A rule that counts the hits asked of it.",
        explanation="For this test only.",
    )
    def counted(history: History, config: Config) -> Iterator[Hit]:
        for number in range(10):
            asked.append(number)
            yield Hit(message=f"hit {number}", advice="none")

    history = History(ClientData(id=1, name="Dana Levi", stage=Stage.ACTIVE), (), T0)
    assert family.evaluate(history, CONFIG).score == 0
    assert len(asked) == 10
    asked.clear()
    assert family.score(history, CONFIG) == 0
    assert asked == [0, 1, 2, 3]  # an alert takes 30 points: the fourth takes the score to 0


def test_the_defaults_read_without_a_file_are_the_validated_defaults() -> None:
    assert defaults() == Config() == Config.model_validate({})
    assert defaults().as_dict() == Config().as_dict() == Config.model_validate({}).as_dict()
    changed = Config.model_validate({"trust": {"request_days": 3}})
    assert changed != Config() and changed.trust != Config().trust
    assert changed.pursuit == Config().pursuit and hash(changed.trust) != hash(Config().trust)
    assert repr(changed.trust).startswith("Trust(request_days=3, request_alert_days=7, ")


def test_a_review_without_a_config_file_imports_no_validator(run: Run, journal: Path) -> None:
    run("client", "add", "Dana Levi")
    run("add", "call", "Dana", "--by", "them", "-m", "Asked for prices")
    reviewed = run_relog(["review", "Dana"], {**os.environ, "RELOG_DB": str(journal)})
    assert "Dana Levi" in reviewed.stdout
    built = {"tomllib", "pydantic", "pydantic_core"} & reviewed.modules
    assert not built, sorted(built)


_EXITING = """
import atexit, gc, sys
atexit.register(lambda: print("exit handlers ran", file=sys.stderr))
sys.argv = ["relog", *sys.argv[1:]]
from relog.__main__ import main
try:
    main()
except SystemExit as done:
    print(f"status={done.code} frozen={gc.get_freeze_count() > 0} on={gc.isenabled()}")
    raise
"""


@pytest.mark.parametrize(("argv", "status"), [(["client", "list"], 0), (["add", "call"], 2)])
def test_the_last_collection_at_exit_skips_the_start_up_objects(
    journal: Path, argv: list[str], status: int
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _EXITING, *argv],
        env={**os.environ, "RELOG_DB": str(journal)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == status, done.stderr
    assert done.stdout.splitlines()[-1] == f"status={status} frozen=True on=False"
    assert done.stderr.splitlines()[-1] == "exit handlers ran"


def test_a_history_handed_over_in_any_order_is_cut_and_ordered() -> None:
    who = ClientData(id=1, name="Dana Levi", stage=Stage.ACTIVE)
    entries = [
        InteractionData(id=n, client_id=1, kind=Kind.CALL, at=T0 + timedelta(hours=h))
        for n, h in ((3, 5), (1, 0), (4, 50), (2, 0))
    ]
    history = History(who, tuple(entries), T0 + timedelta(hours=6))
    assert [e.id for e in history.interactions] == [1, 2, 3]
    assert [e.id for e in history.within(5 / 24)] == [3]
    with pytest.raises(ValueError, match="earlier"):
        history.earlier(T0 + timedelta(days=1))


def test_a_timeline_from_the_store_is_taken_in_its_order_and_cut(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db")
    try:
        dana = store.add_client(ClientData(id=0, name="Dana Levi", stage=Stage.ACTIVE))
        for hours in (5, 0, 50, 0):  # logged out of order, two at the same moment
            at = T0 + timedelta(hours=hours)
            store.add_interaction(InteractionData(id=0, client_id=dana.id, kind=Kind.CALL, at=at))
        (read,) = store.histories().values()
    finally:
        store.close()
    assert type(read) is Timeline
    assert [(e.at, e.id) for e in read] == sorted((e.at, e.id) for e in read)
    assert as_of_then(read, T0 + timedelta(days=3)) is read  # nothing later: as it is
    history = History(dana, read, T0 + timedelta(hours=6))
    assert history.interactions == read[:3]
    assert history.interactions == History(dana, tuple(reversed(read)), history.as_of).interactions


# the store's rows ------------------------------------------------------------------


def test_the_interaction_table_has_exactly_the_domain_fields() -> None:
    table = inspect(models.Interaction).local_table  # the model itself: runs alone too
    assert INTERACTION_FIELDS == tuple(f.name for f in fields(InteractionData))
    assert {c.name for c in table.columns} == set(INTERACTION_FIELDS)
    assert set(INTERACTION_FIELDS) - set(RULE_FIELDS) == {"minutes", "summary", "member"}


def every_field_set(client_id: int) -> InteractionData:
    """An entry where no field has its default, so a decoder that drops one is caught."""
    return InteractionData(
        id=0,
        client_id=client_id,
        kind=Kind.MEETING,
        at=T0,
        by=By.THEM,
        outcome=Outcome.REACHED,
        agreed=True,
        next_at=T0 + timedelta(days=3),
        think=True,
        asked=frozenset({Item.PRICES, Item.REFERENCES}),
        gave=frozenset({Item.QUESTION}),
        disagreement=Resolution.TOGETHER,
        expectations=True,
        initiative=True,
        delegated=True,
        late=True,
        minutes=45,
        summary="Met at their office",
        member="dana",
    )


def test_every_field_survives_each_way_of_reading(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db")
    try:
        dana = store.add_client(ClientData(id=0, name="Dana Levi", stage=Stage.ACTIVE))
        saved = store.add_interaction(every_field_set(dana.id))
        assert saved == replace(every_field_set(dana.id), id=saved.id)
        assert store.interaction(saved.id) == saved
        assert store.timeline() == [saved]
        assert list(store.named_timeline()) == [(saved, "Dana Levi")]
        # Reviews read the rule fields only; the free text stays in the file.
        read = replace(saved, minutes=None, summary="", member=None)
        assert store.histories() == {dana.id: (read,)}
        assert store.history(dana.id) == (read,)
        # However it was decoded, an entry is an ordinary frozen InteractionData.
        for read in (saved, store.interaction(saved.id), store.histories()[dana.id][0]):
            assert type(read) is InteractionData
            assert hash(read) == hash(replace(read))
            with pytest.raises(FrozenInstanceError):
                read.summary = "changed"  # type: ignore[misc]
    finally:
        store.close()


def _set(flag: str) -> dict[str, Any]:
    return {flag: True}


def _one_of_each(client_id: int) -> list[InteractionData]:
    """An entry with each yes/no field alone set, and entries through every kind, side,
    outcome and resolution (and none), with and without items and a next contact."""
    flags = [f.name for f in fields(InteractionData) if f.type == "bool"]
    assert len(flags) == 6
    plain = InteractionData(id=0, client_id=client_id, kind=Kind.CALL, at=T0)
    alone = [replace(plain, **_set(flag)) for flag in flags]
    kinds, sides, outcomes = list(Kind), list(By), list(Outcome)
    resolutions: list[Resolution | None] = [None, *Resolution]
    varied = [
        InteractionData(
            id=0,
            client_id=client_id,
            kind=kinds[n % len(kinds)],
            at=T0 + timedelta(hours=n + 1),
            by=sides[n % len(sides)],
            outcome=outcomes[n // len(kinds) % len(outcomes)],
            disagreement=resolutions[n % len(resolutions)],
            asked=frozenset(list(Item)[: n % 3]),
            gave=frozenset(list(Item)[n % 2 : n % 2 + 1]),
            next_at=T0 + timedelta(days=n) if n % 2 else None,
        )
        for n in range(len(kinds) * len(outcomes) * 2)
    ]
    return alone + varied


@pytest.mark.backends
def test_a_review_reads_every_field_it_packs_as_it_was_logged(db: str) -> None:
    store = open_store(db if "://" in db else Path(db))
    try:
        dana = store.add_client(ClientData(id=0, name="Dana Levi", stage=Stage.ACTIVE))
        saved = [store.add_interaction(entry) for entry in _one_of_each(dana.id)]
        read = sorted((replace(entry, member=None) for entry in saved), key=lambda e: (e.at, e.id))
        assert list(store.history(dana.id)) == read
        assert list(store.histories()[dana.id]) == read
        assert len({(e.kind, e.by, e.outcome, e.disagreement) for e in read}) > 40
    finally:
        store.close()


def test_sqlite_counts_meetings_by_the_same_local_day_as_python(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db")
    try:
        dana = store.add_client(ClientData(id=0, name="Dana Levi", stage=Stage.ACTIVE))
        # Around midnight UTC and local midnight, where a day count could go wrong.
        hours = [0, 1, 11, 12, 13, 22, 23, 24, 25, 47, 48, 23 * 24 + 23]
        for hour in hours:
            for outcome in (Outcome.REACHED, Outcome.CANCELLED):
                store.add_interaction(
                    InteractionData(
                        id=0,
                        client_id=dana.id,
                        kind=Kind.MEETING,
                        at=T0.replace(hour=0, minute=30) + timedelta(hours=hour),
                        outcome=outcome,
                    )
                )
        store.add_interaction(InteractionData(id=0, client_id=dana.id, kind=Kind.CALL, at=T0))
        counted = Counter(m.astimezone().date() for m in store.meeting_times())
        assert store.meetings_per_day() == dict(counted)
        since, until = T0 + timedelta(hours=2), T0 + timedelta(days=2)
        window = Counter(m.astimezone().date() for m in store.meeting_times(since, until))
        assert store.meetings_per_day(since, until) == dict(window)
    finally:
        store.close()


@pytest.fixture(params=["Asia/Jerusalem", "America/Santiago", "America/St_Johns", "UTC"])
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The local time zone for one test: one with summer time, one whose change to it
    skips a midnight, one half an hour off, UTC."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_the_load_of_chosen_days_is_the_day_by_day_count(tmp_path: Path, zone: str) -> None:
    store = open_store(tmp_path / "j.db")
    try:
        dana = store.add_client(ClientData(id=0, name="Dana Levi", stage=Stage.ACTIVE))
        # Every three hours and a half over the days around Israel's change to summer time
        # (27 March 2026) and Chile's (the midnight of 6 September 2026 is skipped), half
        # of them cancelled.
        for start in (datetime(2026, 3, 25, 0, 10, tzinfo=UTC), datetime(2026, 9, 4, tzinfo=UTC)):
            for step in range(40):
                outcome = Outcome.CANCELLED if step % 2 else Outcome.REACHED
                at = start + timedelta(minutes=210 * step)
                meeting = InteractionData(
                    id=0, client_id=dana.id, kind=Kind.MEETING, at=at, outcome=outcome
                )
                store.add_interaction(meeting)
        # 23:30 on 5 September in Chile, half an hour before the midnight that is skipped.
        late = datetime(2026, 9, 6, 3, 30, tzinfo=UTC)
        store.add_interaction(InteractionData(id=0, client_id=dana.id, kind=Kind.MEETING, at=late))
        every = store.meetings_per_day()
        days = [date(2026, 3, 24) + timedelta(days=n) for n in range(8)]  # two with none
        days += [date(2026, 9, 3) + timedelta(days=n) for n in range(7)]
        assert store.meetings_on(days) == {day: every.get(day, 0) for day in days}
        assert sum(store.meetings_on(days).values()) == 41
        assert store.meetings_on(days[2:4]) == {day: every[day] for day in days[2:4]}
        assert store.meetings_on([]) == {}
    finally:
        store.close()


# single-client commands read only their client's rows --------------------------------


@pytest.fixture
def statements() -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement relog sends while the test runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def plans(journal: Path, seen: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    """(statement, plan step) for every SELECT seen, as SQLite would run it on `journal`."""
    found = []
    with sqlite3.connect(journal) as connection:
        for statement, parameters in seen:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters or ()):
                found.append((statement, row[-1]))
    return found


@pytest.mark.parametrize(
    "command",
    [
        ("review", "Dana Levi"),
        ("review", "Dana Levi", "--json"),
        ("client", "show", "Dana Levi"),
        ("log", "Dana Levi"),
        ("add", "call", "Dana Levi", "--by", "them"),
        ("bill", "Dana Levi", "1200"),
        ("bills", "Dana Levi"),
    ],
)
def test_single_client_commands_never_scan_the_journal(
    run: Run, journal: Path, statements: list[tuple[str, Any]], command: tuple[str, ...]
) -> None:
    run("client", "add", "Dana Levi", "--stage", "active")
    run("client", "add", "Avi Cohen", "--stage", "active")
    for name in ("Dana Levi", "Avi Cohen"):
        run("add", "meeting", name, "--at", "2 days ago 10:00", "--asked", "prices")
        run("add", "call", name, "--at", "yesterday 10:00", "--by", "them")
        run("bill", name, "1,200.50", "--at", "yesterday")
    statements.clear()
    run(*command)
    steps = plans(journal, statements)
    assert steps, "no query was recorded"
    for statement, step in steps:
        for table in ("interaction", "request", "client", "bill"):
            if f" {table} " in f" {step} " and not step.startswith(("SEARCH", "USE")):
                pytest.fail(f"{' '.join(command)} reads all of {table}: {step}\n{statement}")
        keyed = "client_id=" in step or "INTEGER PRIMARY KEY" in step
        if step.startswith("SEARCH interaction") and not keyed:
            # Only the daily meeting load reads across clients, from its index alone, and
            # the log looks up the first and last member's name, one seek each.
            across = ("ix_interaction_kind_at_outcome", "ix_interaction_member")
            assert any(f"COVERING INDEX {index}" in step for index in across), (step, statement)
            if "ix_interaction_member" in step:
                assert "min(" in statement or "max(" in statement, statement


# large portfolios ----------------------------------------------------------------------


def test_a_large_portfolio_shows_the_most_in_need_and_says_how_many_more(run: Run) -> None:
    from relog.cli.review import SHOWN

    for number in range(SHOWN + 3):
        run("client", "add", f"Client {number:02d}", "--stage", "active")
    run("add", "call", "Client 07", "--by", "them", "--asked", "prices", "--at", "9 days ago")
    short = run("review", "--as-of", "today").stdout
    full = run("review", "--as-of", "today", "--all").stdout
    table = [line for line in short.splitlines() if line.startswith("Client ")]
    assert len(table) == SHOWN
    assert table[0].startswith("Client 07")  # the one with an open request comes first
    assert "… and 3 more relationships in better health (relog review --all)" in short
    every = [line for line in full.splitlines() if line.startswith("Client ")]
    assert len(every) == SHOWN + 3
    assert "more relationships" not in full
    document = json.loads(run("review", "--json").stdout)
    assert len(document["clients"]) == SHOWN + 3


def test_the_streamed_timeline_is_the_timeline_document(run: Run, tmp_path: Path) -> None:
    from relog.schema import InteractionOut, Timeline

    assert run("log", "--json").stdout == Timeline(interactions=[]).model_dump_json(indent=2) + "\n"
    run("client", "add", "דנה לוי")
    run("add", "call", "דנה", "-m", 'Said "yes", then {maybe}', "--asked", "prices")
    run("add", "meeting", "דנה", "--minutes", "30", "--next", "tomorrow 10:00")
    store = open_store(tmp_path / "journal.db")
    try:
        whole = Timeline(
            interactions=[InteractionOut.of(e, name) for e, name in store.named_timeline()]
        )
    finally:
        store.close()
    assert run("log", "--json").stdout == whole.model_dump_json(indent=2) + "\n"


SHOWN_TEXT = st.text(
    st.sampled_from(
        [*"aZé דנה👩🏽\u200d💻\t\n", *map(chr, [*range(0x20), 0x7F, 0x9B, 0x202E, 0x200F])]
    ),
    max_size=20,
)
"""Text with every kind of character the plain line must show as Rich shows it: wide ones,
tabs, line breaks, spaces, C0 and C1 controls, DEL, the bidi override and a direction mark."""


def _printed(show: Callable[[], None]) -> str:
    """What `show` writes to standard output when that is a pipe and asks for no styles."""
    import io
    from contextlib import redirect_stdout

    piped = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(piped):
        for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
            patch.delenv(name, raising=False)
        show()
    return piped.getvalue()


def _by_rich(entry: InteractionData, client: str, heading: str) -> None:
    """An entry printed through relog's Rich console, as every other screen prints."""
    from relog.render.console import out
    from relog.render.journal import interaction_line

    console = out()
    console.print(heading, markup=False)
    console.print(interaction_line(entry, client), soft_wrap=True)


@settings(max_examples=300, deadline=None)
@given(summary=SHOWN_TEXT, client=SHOWN_TEXT)
def test_an_entry_printed_plain_is_what_rich_prints_to_a_pipe(summary: str, client: str) -> None:
    from relog.render.journal import show_entry

    entry = replace(every_field_set(1), id=7, summary=summary)
    by_rich = _printed(lambda: _by_rich(entry, client, "Logged #7:"))
    plain = _printed(lambda: show_entry(entry, client, heading="Logged #7:"))
    assert plain == by_rich


def test_the_plain_entry_line_shows_control_characters_as_escapes() -> None:
    from relog.render.console import CONTROL
    from relog.render.journal import show_entry

    entry = replace(every_field_set(1), id=7, summary="paid\x1b]0;title\x07 \u202edne")
    evil = _printed(lambda: show_entry(entry, "\x1b[2JEvil \x9b31m Corp"))
    assert CONTROL.search(evil) is None, evil
    assert "\\x1b[2JEvil \\x9b31m Corp" in evil
    assert evil.endswith("  paid\\x1b]0;title \\u202edne\n")  # BEL dropped, as by Rich
    plain = _printed(lambda: show_entry(every_field_set(1), "Dana Levi"))
    assert "\\" not in plain and "← Dana Levi  agreed;" in plain
    assert plain.endswith("  Met at their office\n")


WORDS = st.lists(
    st.lists(st.sampled_from([*"abcdefghij", "דנה", "👩🏽", "-", ",", "\u202e"]), min_size=1).map(
        "".join
    ),
    max_size=30,
).map(" ".join)
"""Text to wrap: words of any length (a long one is folded), wide characters and a control."""


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(["!!TRU001", "! PUR003", "i BAL003", "x"]),
    st.lists(WORDS, min_size=1, max_size=4),
    st.integers(12, 120),
)
def test_a_finding_hangs_under_its_code_as_a_two_column_grid_lays_it_out(
    mark: str, rows: list[str], width: int
) -> None:
    import io

    from rich.table import Table
    from rich.text import Text

    from relog.render.review import Hanging
    from relog.render.terminal import ShownConsole, visible_text

    def shown(renderable: Any) -> str:
        written = io.StringIO()
        console = ShownConsole(file=written, width=width, color_system=None)
        console.print(renderable)
        # the grid pads each cell to its column's width; relog trims lines written to a pipe
        return "\n".join(line.rstrip(" ") for line in written.getvalue().split("\n"))

    def texts() -> list[Text]:
        # Shown already: a grid measures a cell before the console makes its controls visible
        # (a column sized for one character then folds the six of "\\u202e" one a line).
        return [visible_text(Text(row, style="italic" if n else "")) for n, row in enumerate(rows)]

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for n, text in enumerate(texts()):
        grid.add_row(Text(mark, style="bold") if n == 0 else "", text)
    assert shown(Hanging(Text(mark, style="bold"), texts())) == shown(grid)


def test_an_entry_changed_by_another_program_is_refused_in_one_line(
    run: Run, journal: Path
) -> None:
    run("client", "add", "Dana Levi")
    run("add", "call", "Dana", "--by", "them")
    for change in ("kind = 'fax'", "asked = 'prices,gold'"):
        with sqlite3.connect(journal) as connection:
            connection.execute("UPDATE interaction SET kind = 'call', asked = ''")
            connection.execute(f"UPDATE interaction SET {change}")
        for args in (("review", "Dana"), ("review",), ("log",), ("client", "show", "Dana")):
            refused = run(*args, code=4)
            assert refused.stderr.strip().splitlines() == [
                "relog: error: entry #1 holds a kind, side, outcome, resolution or item relog "
                "does not know: the journal was changed by another program; restore a backup "
                "(relog restore)"
            ], (change, args)
