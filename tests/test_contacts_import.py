"""Importing contacts: vCard files from phones and address books, and spreadsheets (CSV).

The files in tests/data/contacts are shaped like real exports (an Android phone's
vCard 2.1 with Hebrew in quoted-printable split mid-letter, Google Contacts' vCard
3.0 and CSV, a Hebrew Excel CSV in windows-1255 with ';'); the corpus beside the
project holds vCards written by other programs, each marked ok, quirky or MALFORMED.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from relog.errors import InputError
from relog.formats.records import ImportProblems
from relog.formats.vcard import read_vcards

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Run

    RunJson = Callable[..., Any]

DATA = Path(__file__).parent / "data" / "contacts"
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def corpus(kind: str) -> list[tuple[str, str]]:
    manifest = CORPUS / "manifest.tsv"
    if not manifest.exists():
        return []
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return [(row[0], row[2]) for row in rows if row[1] == kind]


needs_corpus = pytest.mark.skipif(
    not (CORPUS / "manifest.tsv").exists(), reason=f"the import corpus is not at {CORPUS}"
)


def dump(journal: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(journal)) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("client", "handle", "interaction")
        }


# the corpus ------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize(
    "name", [name for name, expect in corpus("vcf") if expect in ("ok", "quirky")]
)
def test_every_vcard_real_programs_write_is_taken(name: str) -> None:
    data = read_vcards((CORPUS / name).read_bytes())
    assert data.clients, name
    assert all(c.name.strip() and "\ufffd" not in c.name for c in data.clients), data.clients
    assert len({h.key for h in data.handles}) == len(data.handles)


@needs_corpus
@pytest.mark.parametrize("name", [name for name, expect in corpus("vcf") if expect == "MALFORMED"])
def test_every_broken_vcard_is_refused_with_a_line_and_nothing_written(
    run: Run, journal: Path, name: str
) -> None:
    run("client", "add", "Already Here", "--email", "here@example.com")
    before = dump(journal)
    refused = run("import", str(CORPUS / name), code=2)
    lines = refused.stderr.splitlines()
    assert lines[0].startswith(f"relog: error: {Path(name).name}: ") or lines[0].startswith(
        f"{Path(name).name}: "
    ), refused.stderr
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert dump(journal) == before


@needs_corpus
def test_the_corpus_names_its_broken_cards_precisely() -> None:
    said = {}
    for name, expect in corpus("vcf"):
        if expect == "MALFORMED":
            try:
                read_vcards((CORPUS / name).read_bytes())
            except ImportProblems as problems:
                said[name] = problems.problems
            except InputError as error:
                said[name] = [str(error)]
    assert said["vcf/l0b0-vcard__missing_version.vcf"] == [
        "card 1 (line 1): has no VERSION; a vCard says its version (2.1, 3.0 or 4.0)"
    ]
    assert said["vcf/l0b0-vcard__missing_end.vcf"] == [
        "line 4: a card begun before here has no END:VCARD (is the file cut short?)"
    ]
    assert said["vcf/android-vcard__v21_malformed_photo.vcf"] == [
        "line 5: PHOTO holds characters that are not base64"
    ]
    assert said["vcf/radicale__broken-vcard.vcf"] == [
        "no card in the file has a name (FN, N or ORG); give each contact a name and export "
        "it again"
    ]


@needs_corpus
def test_phone_exports_keep_their_letters_and_their_people() -> None:
    android = read_vcards((CORPUS / "vcf/ez-vcard__John_Doe_ANDROID.vcf").read_bytes())
    names = [c.name for c in android.clients]
    assert names[:3] == ["john.doe@company.com", "jane.doe@company.com", "Ñ Ñ Ñ Ñ Ñ"]
    assert any("has no name; it was taken under its email address" in n for n in android.notes)
    assert any("PHOTO is cut short" in n for n in android.notes)
    shift_jis = read_vcards((CORPUS / "vcf/android-vcard__v21_japanese_1.vcf").read_bytes())
    assert [c.name for c in shift_jis.clients] == ["安藤ロイド"]
    comments = read_vcards(
        (CORPUS / "vcf/android-vcard__v21_invalid_comment_line.vcf").read_bytes()
    )
    assert comments.clients[0].notes == (
        "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."
    )
    nested = read_vcards((CORPUS / "vcf/android-vcard__v21_nest.vcf").read_bytes())
    assert [c.name for c in nested.clients] == ["parent"]
    assert nested.notes == ("card 1 (line 1): 2 card(s) nested inside it were left out",)


# real-world-shaped files -------------------------------------------------------------


def test_an_android_phones_hebrew_contacts_come_in_whole(run: Run, run_json: RunJson) -> None:
    run("config", "set", "contacts.region", "IL")
    said = run("import", str(DATA / "android-hebrew.vcf")).stdout
    assert "clients             3 added" in said
    assert (
        "  card 3 (line 25): phone +972 3-555-1234 is also card 1 (line 1)'s; "
        "it was left with them\n"
    ) in said
    dana = run_json("client", "show", "דנה לוי")
    assert dana["stage"] == "lead"
    assert dana["emails"] == ["dana.levi@levi-studio.co.il"]
    assert dana["phones"] == ["+972 3-555-1234", "+972 54-123-4567"]
    assert dana["notes"] == 'Company: סטודיו לוי בע"מ\nהכירה אותנו דרך אבי כהן. מעדיפה שיחות בבוקר'
    avi = run_json("client", "show", "אבי כהן")
    assert sorted(avi["emails"]) == ["avi.cohen@gmail.com", "avi@cohen-pr.co.il"]
    assert run_json("client", "show", "Noa Bar")["phones"] == []


def test_a_google_export_gives_names_handles_and_a_note_of_the_rest(
    run: Run, run_json: RunJson
) -> None:
    run("import", str(DATA / "google-contacts.vcf"))
    ron = run_json("client", "show", "Ron Kedem")
    assert (ron["emails"], ron["phones"]) == (["ron@kedem.co.il"], ["+972 50-111-2233"])
    assert ron["notes"] == (
        "Company: Kedem Marketing\nTitle: CEO\nWebsite: https://kedem.co.il\n"
        "Address: Rothschild 1, Tel Aviv, 6688101, Israel"
    )
    assert run_json("client", "show", "מיכל")["notes"] == "ליד מהכנס, לחזור אליה בינואר"


def test_a_google_contacts_spreadsheet_maps_its_columns_by_name(
    run: Run, run_json: RunJson
) -> None:
    said = run("import", str(DATA / "google-contacts.csv")).stdout
    assert (
        "  the header: columns not used: E-mail 1 - Label, E-mail 2 - Label, "
        "Phone 1 - Label, Labels\n"
    ) in said
    michal = run_json("client", "show", "מיכל אברהם")
    assert michal["emails"] == ["michal.a@gmail.com", "michal@avraham.org.il"]  # ' ::: '
    company = run_json("client", "show", "Tnuva Digital")  # no person: the company's name
    assert company["emails"] == ["digital@tnuva-digital.co.il"] and company["notes"] == ""
    assert run_json("client", "show", "Ron Kedem")["notes"] == (
        "Company: Kedem Marketing\nTitle: CEO\nMet at the fair"
    )


def test_a_hebrew_excel_file_in_windows_1255_with_semicolons(run: Run, run_json: RunJson) -> None:
    said = run("import", str(DATA / "excel-hebrew.csv")).stdout
    assert "  the file: is not UTF-8; it was read as windows-1255\n" in said
    yossi = run_json("client", "show", "יוסי מזרחי")
    assert (yossi["stage"], yossi["emails"], yossi["phones"]) == (
        "prospect",
        ["yossi@mizrahi.co.il"],
        ["052-3334444"],  # no home region set: kept as written
    )
    assert yossi["notes"] == "Company: מזרחי הפקות\nפגשנו בכנס, רוצה הצעת מחיר"


# merging -----------------------------------------------------------------------------


def test_a_known_client_gains_handles_and_keeps_its_own_fields(
    run: Run, run_json: RunJson, tmp_path: Path
) -> None:
    run("client", "add", "Ron Kedem", "--stage", "active", "--note", "Our best client")
    run("client", "add", "Someone Else", "--phone", "+972 50-111-2233")
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "Name,Email,Phone,Stage\n"
        "Ron Kedem,ron@kedem.co.il,+972 50-111-2233,\n"
        "Dana Levi,dana@levi.co.il,,prospect\n",
        encoding="utf-8",
    )
    report = json.loads(run("import", str(sheet), "--json").stdout)
    assert report["tables"]["clients"] == {"added": 1, "skipped": 1, "conflicting": 0}
    assert report["tables"]["handles"] == {"added": 2, "skipped": 0, "conflicting": 1}
    assert report["conflicts"] == [
        {
            "client": "Ron Kedem",
            "field": "phone",
            "journal": "belongs to Someone Else",
            "file": "+972 50-111-2233",
        }
    ]
    ron = run_json("client", "show", "Ron Kedem")
    assert (ron["stage"], ron["notes"], ron["emails"], ron["phones"]) == (
        "active",
        "Our best client",
        ["ron@kedem.co.il"],
        [],
    )
    sheet.write_text("Name,Stage\nRon Kedem,lead\n", encoding="utf-8")
    report = json.loads(run("import", str(sheet), "--json").stdout)
    assert report["conflicts"] == [
        {"client": "Ron Kedem", "field": "stage", "journal": "active", "file": "lead"}
    ]


def test_a_dry_run_says_what_would_come_in_and_writes_nothing(run: Run, journal: Path) -> None:
    before = dump(journal)
    said = run("import", str(DATA / "google-contacts.vcf"), "--dry-run").stdout
    assert said.startswith("Dry run: nothing was written.")
    assert "clients             2 added" in said
    assert "handles" in said
    assert "interactions" not in said and "bills" not in said  # a contacts file has none
    assert dump(journal) == before


def test_contacts_come_out_again_in_an_export(run: Run, run_json: RunJson) -> None:
    run("import", str(DATA / "google-contacts.vcf"))
    document = json.loads(run("export").stdout)
    assert {h["value"] for h in document["handles"]} == {
        "ron@kedem.co.il",
        "+972 50-111-2233",
        "michal@avraham.org.il",
    }


# bad spreadsheets ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "Name,Stage\nDana,prospect\nAvi,winner\nNoa,\n",
            [
                "relog: error: people.csv: line 3: stage 'winner' is not one of lead, "
                "prospect, active, "
                "paused, former"
            ],
        ),
        (
            "Name,Cadence\nDana,often\n,\n Avi ,7\n,,\nNoa,0\n",
            [
                "relog: error: people.csv: line 2: cadence: 'often' is not a number of days; "
                "give one, e.g. 7 (about every 7 days), or a range, e.g. 5-10 (at least 5 and "
                "at most 10 days apart)",
                "relog: error: people.csv: line 6: cadence: 0 days is out of range; give 1 to "
                "365 days",
            ],
        ),
        (
            "Name,Stage\nDana,former\n",
            [
                "relog: error: people.csv: line 2: stage 'former' is for clients who left: "
                "import them at "
                "another stage, then end them with relog client end"
            ],
        ),
        (
            "Phone,Email\n+972 50 111 2233,a@b.co\n",
            [
                "relog: error: people.csv: line 1: no column holds a name; name one 'Name' (or "
                "'First Name' and 'Last Name', or 'Company'); the columns are 'Phone', 'Email'"
            ],
        ),
        (
            "",
            [
                "relog: error: people.csv: the file is empty; a contacts CSV starts with a "
                "header row"
            ],
        ),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_written(
    run: Run, journal: Path, tmp_path: Path, text: str, says: list[str]
) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text(text, encoding="utf-8")
    before = dump(journal)
    refused = run("import", str(sheet), code=2)
    for line in says:
        assert line in refused.stderr.splitlines(), refused.stderr
    assert dump(journal) == before


def test_the_format_is_read_from_the_extension_or_given(run: Run, tmp_path: Path) -> None:
    contacts = tmp_path / "contacts.txt"
    contacts.write_bytes((DATA / "google-contacts.vcf").read_bytes())
    refused = run("import", str(contacts), code=2)
    assert "give --format (json, csv, vcard)" in refused.stderr
    assert "clients             2 added" in run("import", str(contacts), "--format", "vcard").stdout


def test_relogs_own_clients_csv_comes_back_in(run: Run, run_json: RunJson, tmp_path: Path) -> None:
    sheet = tmp_path / "clients.csv"
    sheet.write_text(
        "id,name,stage,source,referred_by,cadence_days,cadence_min_days,channel,notes,"
        "created_at,ended_at,end_reason,retainer,started_at\n"
        "1,Dana Levi,active,referral,Avi,10,5,email,,2026-12-02T08:13:46Z,,,,\n",
        encoding="utf-8",
    )
    run("import", str(sheet))
    dana = run_json("client", "show", "Dana Levi")
    assert (dana["stage"], dana["source"], dana["referred_by"], dana["channel"]) == (
        "active",
        "referral",
        "Avi",
        "email",
    )
    assert (dana["cadence_min_days"], dana["cadence_days"]) == (5, 10)
