"""`relog search`: words found in summaries, client notes and post-mortems, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from relog.cli import app
from relog.render.journal import MATCH_STYLE, marked
from relog.schema import SearchResults
from relog.store import open_store
from relog.store.fulltext import fts_query, joined, marked_spans
from tests.test_backup import journal_bytes
from tests.test_errors import assert_one_error
from tests.test_migrations import assert_indexes_in_step, schema_sql

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import PutJournal, Run

    RunJson = Callable[..., Any]


@pytest.fixture
def searchable(run: Run) -> None:
    """Three clients with notes, six entries of every kind, and one post-mortem."""
    run("client", "add", "Dana Levi", "--stage", "active", "--note", "Prefers calls after 16:00")
    run("client", "edit", "Dana Levi", "--add-note", "Asked for references twice")
    run("client", "add", "דנה לוי", "--stage", "active")
    run("client", "add", "Café Noir", "--note", "Owner: Zoë Martin")
    for args in (
        ("call", "Dana Levi", "--by", "them", "--at", "2026-01-05T10:00", "--asked", "references",
         "-m", "Wants two references from past clients"),
        ("email", "Dana Levi", "--at", "2026-01-06T09:00", "--gave", "references",
         "-m", "Sent the references"),
        ("meeting", "דנה לוי", "--at", "2026-01-07T11:00", "-m", "ביקשה הצעת מחיר לשנה"),
        ("message", "Café Noir", "--at", "2026-01-08T12:00", "-m", "Menu for the CAFÉ opening"),
        ("note", "Dana Levi", "--at", "2026-01-09T08:00",
         "-m", "O'Brien & Sons (NEAR the port) AND more"),
        ("call", "דנה לוי", "--at", "2026-01-10T10:00", "-m", "שָׁלוֹם וברכה"),
    ):  # fmt: skip
        run("add", *args)
    run("client", "end", "Café Noir", "--reason", "Closed for the winter")
    what, plan = "Forgot the references they wanted", "Send what is asked within a day"
    run("mistakes", "add", "--client", "Café Noir", "--what", what, "--kind", "service",
        "--cause", "other", "--plan", plan)  # fmt: skip


def found(run_json: RunJson, *args: str) -> list[tuple[str, int | str]]:
    """What `relog search ARGS` found: ('entry', id), ('post-mortem', id) or ('notes', client)."""
    hits = run_json("search", *args)["hits"]
    return [
        (
            hit["found_in"],
            hit["entry"]["id"] if hit["entry"] else hit["mistake_id"] or hit["client"],
        )
        for hit in hits
    ]


# what is found, and in what order -------------------------------------------------


@pytest.mark.usefixtures("searchable")
def test_notes_come_first_then_entries_and_post_mortems_newest_first(run_json: RunJson) -> None:
    assert found(run_json, "references") == [
        ("notes", "Dana Levi"),
        ("post-mortem", 1),
        ("entry", 2),
        ("entry", 1),
    ]


@pytest.mark.usefixtures("searchable")
def test_each_hit_says_where_the_words_are(run_json: RunJson) -> None:
    hits = run_json("search", "references")["hits"]
    log = {entry["id"]: entry for entry in run_json("log")["interactions"]}
    for hit in hits:
        words = [hit["text"][m["start"] : m["end"]] for m in hit["matches"]]
        assert words == ["references"], hit
        if hit["entry"] is not None:
            assert hit["entry"] == log[hit["entry"]["id"]]
            assert (hit["text"], hit["at"]) == (hit["entry"]["summary"], hit["entry"]["at"])
    notes, mistake = hits[0], hits[1]
    assert notes["text"] == "Prefers calls after 16:00\nAsked for references twice"
    assert (notes["at"], notes["entry"], notes["mistake_id"]) == (None, None, None)
    assert mistake["text"] == "Forgot the references they wanted"
    assert mistake["at"].endswith("Z")


@pytest.mark.usefixtures("searchable")
def test_a_post_mortem_shows_its_note_and_plan_where_they_matched(run_json: RunJson) -> None:
    [hit] = run_json("search", "forgot asked")["hits"]
    assert hit["text"] == "Forgot the references they wanted; plan: Send what is asked within a day"
    assert [hit["text"][m["start"] : m["end"]] for m in hit["matches"]] == ["Forgot", "asked"]


@pytest.mark.usefixtures("searchable")
def test_the_lines_are_the_log_lines_with_notes_and_post_mortems(run: Run) -> None:
    shown = run("search", "references").stdout.splitlines()
    log = {line.split()[0]: line for line in run("log").stdout.splitlines()}
    assert shown[0] == "notes of Dana Levi  Prefers calls after 16:00 / Asked for references twice"
    assert shown[1].startswith("post-mortem #1  ")
    assert shown[1].endswith("  Café Noir  Forgot the references they wanted")
    assert shown[2:] == [log["#2"], log["#1"]]
    assert all(line == line.rstrip() for line in shown)


@pytest.mark.usefixtures("searchable")
def test_every_word_must_match_and_only_the_last_may_be_the_start_of_one(
    run_json: RunJson,
) -> None:
    assert found(run_json, "two references") == [("entry", 1)]
    assert found(run_json, "REFERENCES   Two") == [("entry", 1)]
    assert found(run_json, "two ref") == [("entry", 1)]
    assert found(run_json, "ref two") == []
    assert found(run_json, "two references yesterday") == []


@pytest.mark.usefixtures("searchable")
def test_hebrew_and_accented_words_match(run_json: RunJson) -> None:
    assert found(run_json, "מחיר") == [("entry", 3)]
    assert found(run_json, "הצע") == [("entry", 3)]
    assert found(run_json, "cafe") == [("entry", 4)]
    assert found(run_json, "café opening") == [("entry", 4)]
    assert found(run_json, "zoe") == [("notes", "Café Noir")]
    # A pointed Hebrew word is one word, found as typed; its letters are no words of their own.
    assert found(run_json, "שָׁלוֹם") == [("entry", 6)]
    assert found(run_json, "לו") == []


def test_a_hebrew_word_is_found_with_the_letters_written_onto_its_front(
    run: Run, run_json: RunJson
) -> None:
    """Hebrew joins "the", "and", "in", "that"... to the word: מחירים is in המחירים."""
    run("client", "add", "רונית")
    for summary in ("שאלה על המחירים של החבילה", "ובמחירים האלה", "מחירון חדש", "שיחה קצרה"):
        run("add", "call", "רונית", "-m", summary)
    texts = [hit["text"] for hit in run_json("search", "מחירים", "רונית")["hits"]]
    assert texts == ["ובמחירים האלה", "שאלה על המחירים של החבילה"]
    # The last word may be the start of one, prefixed or not; a word inside another is not found.
    assert len(run_json("search", "מחיר", "רונית")["hits"]) == 3
    assert run_json("search", "חירים", "רונית")["hits"] == []


WORDS_LIKE_SYNTAX = [
    "O'Brien",
    "o'brien sons",
    "AND",
    "NEAR(",
    "(NEAR",
    "port)",
    '"the port"',
    '"port',
    "port*",
    "sons -port",
    "port -",
    "^port",
    "sons & port",
]


@pytest.mark.usefixtures("searchable")
@pytest.mark.parametrize("text", WORDS_LIKE_SYNTAX)
def test_what_looks_like_query_syntax_is_only_words(run_json: RunJson, text: str) -> None:
    assert found(run_json, text) == [("entry", 5)]


@pytest.mark.usefixtures("searchable")
@pytest.mark.parametrize(
    "text", ["OR", "NOT", "port OR nothing", "port NOT", "summary:port", "NEAR(port, 5)"]
)
def test_operators_are_words_too(run_json: RunJson, text: str) -> None:
    assert run_json("search", text) == {"hits": []}


@pytest.mark.usefixtures("searchable")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30))
def test_any_text_is_a_search_or_one_clear_line(text: str) -> None:
    result = CliRunner().invoke(app, ["search", "--json", "--", text])
    if result.exit_code == 0:
        SearchResults.model_validate_json(result.stdout)
    else:
        assert result.exit_code == 2, (result.stderr, result.exception)
        assert_one_error(result, "TEXT")  # empty, or no letters or digits
        assert result.stdout == ""


# filters ------------------------------------------------------------------------


@pytest.mark.usefixtures("searchable")
def test_a_client_a_span_a_kind_and_a_limit(run_json: RunJson) -> None:
    assert found(run_json, "references", "dana levi") == [
        ("notes", "Dana Levi"),
        ("entry", 2),
        ("entry", 1),
    ]
    assert found(run_json, "references", "Café") == [("post-mortem", 1)]
    # Notes have no date: a span leaves them out; post-mortems are dated when written.
    assert found(run_json, "references", "--since", "2026-01-06") == [
        ("post-mortem", 1),
        ("entry", 2),
    ]
    assert found(run_json, "references", "--until", "2026-01-05") == [("entry", 1)]
    assert found(run_json, "references", "--kind", "call") == [("entry", 1)]
    assert found(run_json, "references", "--kind", "email", "--kind", "call") == [
        ("entry", 2),
        ("entry", 1),
    ]
    assert found(run_json, "references", "--limit", "1") == [("notes", "Dana Levi")]
    assert found(run_json, "references", "-n", "3") == [
        ("notes", "Dana Levi"),
        ("post-mortem", 1),
        ("entry", 2),
    ]


@pytest.mark.usefixtures("searchable")
def test_nothing_found(run: Run, run_json: RunJson) -> None:
    assert run("search", "invoice").stdout == "Nothing matches.\n"
    assert run_json("search", "invoice") == {"hits": []}


def test_an_empty_journal_has_nothing_to_find(run: Run) -> None:
    assert run("search", "anything").stdout == "Nothing matches.\n"


@pytest.mark.no_journal
def test_a_refused_search_creates_no_journal(run: Run, journal: Path) -> None:
    assert_one_error(run("search", " ", code=2), "TEXT is empty")
    assert not journal.exists()


# output -------------------------------------------------------------------------


@pytest.mark.usefixtures("searchable")
def test_the_json_is_the_documented_model_streamed(run: Run) -> None:
    printed = run("search", "references", "--json").stdout
    model = SearchResults.model_validate_json(printed)
    assert model.model_dump_json(indent=2) + "\n" == printed
    assert [hit.found_in.value for hit in model.hits] == ["notes", "post-mortem", "entry", "entry"]


@pytest.mark.usefixtures("searchable")
def test_a_terminal_shows_the_words_found_marked(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    styled = run("search", "two ref").stdout
    assert "\x1b[1;3;7mtwo\x1b[0m" in styled
    assert "\x1b[1;3;7mreferences\x1b[0m" in styled
    assert "\x1b[3m from past clients\x1b[0m" in styled
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run("search", "two ref").stdout
    assert "\x1b[" not in plain
    assert plain.startswith("#1 ")


def test_marked_text_keeps_its_style_around_the_words_found() -> None:
    assert marked("Wants two references", ((6, 9), (10, 20)), "italic") == [
        ("Wants ", "italic"),
        ("two", f"italic {MATCH_STYLE}"),
        (" ", "italic"),
        ("references", f"italic {MATCH_STYLE}"),
    ]
    assert marked("first\nsecond", ((0, 5),), "") == [
        ("first", f" {MATCH_STYLE}"),
        (" / second", ""),
    ]


# the query and the marks ----------------------------------------------------------


def test_each_word_is_an_fts5_string_and_the_last_a_prefix() -> None:
    assert fts_query(["two", "ref"]) == '"two" AND "ref"*'
    assert fts_query(['say "hi"', "NEAR("]) == '"say ""hi""" AND "NEAR("*'


def test_marks_are_read_from_highlight_unless_the_text_holds_a_marker() -> None:
    assert marked_spans("Wants two refs", "Wants \x02two\x03 \x02refs\x03") == ((6, 9), (10, 14))
    assert marked_spans("odd \x02 text", "odd \x02 \x02text\x03") == ()


def test_joined_parts_keep_the_marks_where_they_landed() -> None:
    text, marks = joined(
        [("", "what", ((0, 4),)), ("note: ", "no", ()), ("plan: ", "a plan", ((2, 6),))]
    )
    assert text == "what; plan: a plan"
    assert [text[start:end] for start, end in marks] == ["what", "plan"]


# the index follows the journal ----------------------------------------------------


@pytest.mark.usefixtures("searchable")
def test_the_index_follows_every_change(run: Run, run_json: RunJson, journal: Path) -> None:
    assert_indexes_in_step(journal)
    run("edit", "1", "-m", "Wants three testimonials")
    assert found(run_json, "two references") == []
    assert found(run_json, "testimonials") == [("entry", 1)]
    run("edit", "1", "--minutes", "20")  # the summary as it was
    run("edit", "2", "--client", "דנה לוי")
    assert run_json("search", "sent references")["hits"][0]["client"] == "דנה לוי"
    run("delete", "2", "--yes")
    assert found(run_json, "sent references") == []
    run("client", "edit", "Dana Levi", "--note", "Calls only")
    assert found(run_json, "prefers") == []
    assert found(run_json, "calls only") == [("notes", "Dana Levi")]
    run("mistakes", "edit", "1", "--plan", "Keep a checklist")
    assert found(run_json, "checklist") == [("post-mortem", 1)]
    assert found(run_json, "within a day") == []
    assert_indexes_in_step(journal)
    run("client", "delete", "Café Noir", "--yes")  # its entries and post-mortem go with it
    assert found(run_json, "opening") == found(run_json, "checklist") == []
    run("client", "delete", "Dana Levi", "--yes")
    assert found(run_json, "testimonials") == found(run_json, "calls") == []
    assert found(run_json, "מחיר") == [("entry", 3)]
    assert_indexes_in_step(journal)


@pytest.mark.usefixtures("searchable")
def test_an_import_is_indexed_whole_and_the_index_still_follows_after_it(
    run: Run,
    run_json: RunJson,
    tmp_path: Path,
    put_blank_journal: PutJournal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exported = tmp_path / "searchable.json"
    run("export", "--output", str(exported))
    other = tmp_path / "other.db"
    put_blank_journal(other)
    monkeypatch.setenv("RELOG_DB", str(other))
    run("client", "add", "Noa Cohen", "--note", "Keeps her notes")
    run("add", "call", "Noa Cohen", "-m", "Sent the proposal")
    schema = schema_sql(other)
    run("import", str(exported), "--dry-run")
    assert found(run_json, "references") == found(run_json, "zoë") == []
    run("import", str(exported))  # into a journal with rows: the new ids come after them
    assert found(run_json, "proposal") == [("entry", 1)]
    assert found(run_json, "sent references") == [("entry", 3)]
    assert found(run_json, "zoë") == [("notes", "Café Noir")]
    assert found(run_json, "within a day") == [("post-mortem", 1)]
    assert_indexes_in_step(other)
    assert schema_sql(other) == schema  # the insert triggers are back, as they were
    run("add", "call", "Noa Cohen", "-m", "Quarterly walnuts")
    assert found(run_json, "walnuts") == [("entry", 8)]
    assert_indexes_in_step(other)


@pytest.mark.parametrize("command", [["forget"], ["client", "delete"]])
def test_a_client_erased_leaves_no_word_in_the_indexes(
    run: Run, run_json: RunJson, journal: Path, command: list[str]
) -> None:
    run("client", "add", "Noa Cohen", "--note", "Keeps her notes")
    run("add", "call", "Noa Cohen", "-m", "Sent the proposal")
    run("client", "add", "Yehudit Ben-Ezra", "--note", "Allergic to walnuts; בהליך גירושין")
    run("add", "call", "Yehudit", "-m", "Confided the merger with Zanthoric Holdings")
    words = ("zanthoric", "walnuts", "גירושין")
    stored = b"".join(journal_bytes(journal).values())
    assert all(word.encode() in stored for word in words)  # the test can fail
    run(*command, "Yehudit Ben-Ezra", "--yes")
    stored = b"".join(journal_bytes(journal).values())
    assert [word for word in words if word.encode() in stored] == []
    assert found(run_json, "zanthoric") == found(run_json, "walnuts") == []
    assert found(run_json, "proposal") == [("entry", 1)]
    assert found(run_json, "keeps") == [("notes", "Noa Cohen")]
    assert_indexes_in_step(journal)


# other databases ------------------------------------------------------------------


@pytest.mark.usefixtures("searchable")
def test_another_database_finds_the_words_in_the_text_itself(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexed, plain = open_store(journal), open_store(journal)
    monkeypatch.setattr(plain.engine.dialect, "name", "postgresql")
    try:
        for words in (["references"], ["two", "references"], ["מחיר"], ["o'brien"], ["OPEN"]):
            expected = list(indexed.search(words))
            hits = list(plain.search(words))
            assert expected
            assert [(h.found_in, h.client, h.entry, h.text) for h in hits] == [
                (h.found_in, h.client, h.entry, h.text) for h in expected
            ]
            typed = {word.casefold() for word in words}
            for hit in hits:
                shown = [hit.text[start:end].casefold() for start, end in hit.marks]
                assert shown and set(shown) <= typed, hit
    finally:
        indexed.close()
        plain.close()
