"""relog export: the whole journal (or one client's part) as JSON, CSV or Markdown."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from typing import TYPE_CHECKING

import pytest

from relog.store.store import INTERACTION_FIELDS

pytestmark = pytest.mark.backends

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Run


def small_journal(run: Run) -> None:
    run("client", "add", "Dana Levi", "--source", "referral", "--referred-by", "Avi Cohen")
    run(
        "client",
        "add",
        "דנה לוי",
        "--stage",
        "active",
        "--cadence",
        "5-7",
        "--retainer",
        "1,200.50",
    )
    run("client", "edit", "דנה לוי", "--note", "Prefers *mornings*\nno calls on Friday")
    run("client", "edit", "Dana Levi", "--email", "Dana@Levi.co.il", "--domain", "levi.co.il")
    run("client", "edit", "דנה לוי", "--phone", "+972 54 123 4567")
    run(
        "add",
        "call",
        "Dana Levi",
        "--by",
        "them",
        "--at",
        "2026-01-05 10:00",
        "--asked",
        "references,prices",
        "-m",
        'Wants "two", refs',
    )
    run("add", "email", "Dana Levi", "--gave", "references", "--at", "2026-01-06 09:00")
    run(
        "add",
        "meeting",
        "דנה לוי",
        "--at",
        "2026-02-01 15:30",
        "--minutes",
        "45",
        "-m",
        "Kick-off 🎉",
    )
    run("bill", "דנה לוי", "1200.50", "--at", "2026-01-31", "-m", "January")
    run("bill", "Dana Levi", "300", "--at", "2025-12-01")


def test_json_holds_every_field_of_every_row_in_a_fixed_form(run: Run) -> None:
    small_journal(run)
    text = run("export").stdout
    document = json.loads(text)
    assert list(document) == [
        "format",
        "version",
        "clients",
        "interactions",
        "mistakes",
        "bills",
        "handles",
    ]
    assert (document["format"], document["version"]) == ("relog-journal", 2)
    assert document["handles"] == [
        {"id": 1, "client_id": 1, "kind": "email", "value": "Dana@levi.co.il"},
        {"id": 2, "client_id": 1, "kind": "domain", "value": "levi.co.il"},
        {"id": 3, "client_id": 2, "kind": "phone", "value": "+972 54-123-4567"},
    ]
    assert [c["name"] for c in document["clients"]] == ["Dana Levi", "דנה לוי"]
    hebrew = document["clients"][1]
    assert (hebrew["retainer"], hebrew["cadence_min_days"], hebrew["cadence_days"]) == (
        120050,
        5,
        7,
    )
    first = document["interactions"][0]
    assert tuple(first) == INTERACTION_FIELDS
    assert first["asked"] == ["prices", "references"]
    assert first["at"].endswith("Z") and first["summary"] == 'Wants "two", refs'
    assert [b["amount"] for b in document["bills"]] == [120050, 30000]
    assert [e["id"] for e in document["interactions"]] == [1, 2, 3]
    assert "דנה לוי" in text and "🎉" in text  # not escaped
    assert text.startswith('{\n  "format"') and text.endswith("}\n")
    assert run("export").stdout == text


def test_client_and_since_limit_the_rows(run: Run) -> None:
    small_journal(run)
    one = json.loads(run("export", "--client", "dana levi").stdout)
    assert [c["name"] for c in one["clients"]] == ["Dana Levi"]
    assert {e["client_id"] for e in one["interactions"]} == {1}
    assert [b["amount"] for b in one["bills"]] == [30000]
    recent = json.loads(run("export", "--since", "2026-01-06").stdout)
    assert len(recent["clients"]) == 2
    assert [e["id"] for e in recent["interactions"]] == [2, 3]
    assert [b["amount"] for b in recent["bills"]] == [120050]


def test_output_is_private_and_an_existing_file_is_refused_without_force(
    run: Run, tmp_path: Path
) -> None:
    small_journal(run)
    target = tmp_path / "journal.json"
    run("export", "--output", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "relog-journal"
    target.write_text("keep me", encoding="utf-8")
    refused = run("export", "--output", str(target), code=2)
    assert "exists; give --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    run("export", "--output", str(target), "--force")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == run("export").stdout
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".relog-")) == []


def test_csv_is_a_zip_of_one_file_per_table_with_the_json_fields(run: Run, tmp_path: Path) -> None:
    small_journal(run)
    target = tmp_path / "journal.zip"
    run("export", "--format", "csv", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as bundle:
        assert bundle.namelist() == [
            "clients.csv",
            "interactions.csv",
            "mistakes.csv",
            "bills.csv",
            "handles.csv",
        ]
        entries = bundle.read("interactions.csv").decode("utf-8").splitlines()
        clients = bundle.read("clients.csv").decode("utf-8")
    assert entries[0] == ",".join(INTERACTION_FIELDS)
    assert entries[1].startswith("1,1,call,2026-01-05T")
    assert ',"prices,references",' in entries[1] and '"Wants ""two"", refs"' in entries[1]
    assert "דנה לוי" in clients and ",120050," in clients
    run("export", "--format", "csv", "-o", str(tmp_path / "again.zip"))
    assert (tmp_path / "again.zip").read_bytes() == target.read_bytes()


def test_markdown_is_a_timeline_per_client_newest_last(run: Run) -> None:
    small_journal(run)
    text = run("export", "--format", "markdown").stdout
    dana, hebrew = text.index("## Dana Levi"), text.index("## דנה לוי")
    assert dana < hebrew
    section = text[dana:hebrew]
    assert "Stage: lead; source: referral by Avi Cohen" in section
    assert section.index("2026-01-05") < section.index("2026-01-06")
    assert 'call, by them, reached, asked prices, references: Wants "two", refs' in section
    assert "> Prefers \\*mornings\\*" in text and "> no calls on Friday" in text
    assert "- 2026-01-31 12:00 1,200.50: January" in text


def test_an_unknown_format_or_client_is_refused(run: Run) -> None:
    assert "not one of" in run("export", "--format", "xml", code=2).stderr
    run("export", "--client", "nobody", code=3)
