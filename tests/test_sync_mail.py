"""relog sync mail: messages between you and a client become email entries, never twice."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from tests.conftest import GOLDEN
from tests.sync_helpers import ME, changes, entries, maildir, mbox, message, sync

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Golden, Run

pytestmark = pytest.mark.backends
"""Every sync test that does not read the journal file runs on PostgreSQL too."""

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=timezone(timedelta(hours=2)))


def clients(run: Run) -> None:
    run("client", "add", "Dana Levi", "--email", "dana@levi.co.il", "--stage", "active")
    run("client", "add", "Acme", "--domain", "acme.co.il", "--stage", "prospect")
    run("config", "set", "me.emails", ME)


def test_a_thread_is_logged_by_direction_at_its_date_in_utc(run: Run, tmp_path: Path) -> None:
    clients(run)
    box = maildir(
        tmp_path / "Mail",
        [
            message(f"Me <{ME}>", "Dana <dana@levi.co.il>", "Proposal", T0, "1"),
            message("dana@levi.co.il", ME, "Re: Proposal", T0 + timedelta(hours=5), "2"),
            message("Dana Levi <boss@acme.co.il>", ME, "Brief", T0 + timedelta(days=1), "3"),
        ],
    )
    report = sync(run, "mail", str(box))
    assert changes(report) == {"Acme": {"added": 1}, "Dana Levi": {"added": 2}}
    assert entries(run) == [
        ("Acme", "email", "them", "2026-11-11T07:00:00Z", "Brief"),
        ("Dana Levi", "email", "me", "2026-11-10T07:00:00Z", "Proposal"),
        ("Dana Levi", "email", "them", "2026-11-10T12:00:00Z", "Re: Proposal"),
    ]


def test_a_rerun_adds_only_what_is_new(run: Run, tmp_path: Path) -> None:
    clients(run)
    box = maildir(tmp_path / "Mail", [message(ME, "dana@levi.co.il", "One", T0, "1")])
    assert changes(sync(run, "mail", str(box))) == {"Dana Levi": {"added": 1}}
    again = sync(run, "mail", str(box))
    assert (again["clients"], again["read"]) == ([], 0), "an unchanged Maildir reads nothing"
    maildir(box, [message("dana@levi.co.il", ME, "Two", T0 + timedelta(hours=1), "2")])
    assert changes(sync(run, "mail", str(box))) == {"Dana Levi": {"added": 1}}
    assert len(entries(run)) == 2


def test_the_same_message_id_twice_is_one_entry(run: Run, tmp_path: Path) -> None:
    clients(run)
    copy = message(ME, "dana@levi.co.il", "Offer", T0, "same")
    box = maildir(tmp_path / "Mail", [copy, copy])
    assert changes(sync(run, "mail", str(box))) == {"Dana Levi": {"added": 1}}
    other = mbox(tmp_path / "all.mbox", [copy])
    report = sync(run, "mail", str(other))
    assert changes(report) == {"Dana Levi": {"known": 1}}
    assert len(entries(run)) == 1


def test_a_message_to_two_clients_is_logged_for_each(run: Run, tmp_path: Path) -> None:
    clients(run)
    box = maildir(
        tmp_path / "Mail",
        [message(ME, "dana@levi.co.il, ceo@mail.acme.co.il", "Intro", T0, "1")],
    )
    assert changes(sync(run, "mail", str(box))) == {
        "Acme": {"added": 1},
        "Dana Levi": {"added": 1},
    }


def test_a_display_name_never_matches(run: Run, tmp_path: Path) -> None:
    clients(run)
    box = maildir(tmp_path / "Mail", [message('"dana@levi.co.il" <x@y.com>', ME, "Hi", T0, "1")])
    report = sync(run, "mail", str(box))
    assert report["clients"] == []
    assert report["strangers"] == [{"address": "x@y.com", "name": None, "count": 1}]


def test_lists_bulk_automatic_and_ignored_mail_are_skipped(run: Run, tmp_path: Path) -> None:
    clients(run)
    run("config", "set", "sync.ignore", "family.co.il,bank@levi.co.il")
    box = maildir(
        tmp_path / "Mail",
        [
            message("dana@levi.co.il", ME, "List", T0, "1", List_Id="<x.list>"),
            message("dana@levi.co.il", ME, "Bulk", T0, "2", Precedence="bulk"),
            message("dana@levi.co.il", ME, "Away", T0, "3", Auto_Submitted="auto-replied"),
            message("dana@levi.co.il", f"{ME}, mom@family.co.il", "Family", T0, "4"),
            message("dana@levi.co.il", f"{ME}, bank@levi.co.il", "Bank", T0, "5"),
            message("dana@levi.co.il", ME, "Kept", T0, "6", Auto_Submitted="no"),
        ],
    )
    report = sync(run, "mail", str(box))
    assert changes(report) == {"Dana Levi": {"added": 1}}
    assert report["skipped"] == {
        "on the never-log list (sync.ignore)": 2,
        "mailing list (List-Id)": 1,
        "bulk mail (Precedence: bulk)": 1,
        "automatic mail (Auto-Submitted: auto-replied)": 1,
    }
    assert [e[4] for e in entries(run)] == ["Kept"]


def test_correspondents_with_no_client_are_named_most_first(run: Run, tmp_path: Path) -> None:
    clients(run)
    mails = [message(ME, "ron@kedem.co.il", f"Re {n}", T0, f"r{n}") for n in range(3)]
    mails.append(message("tal@example.com", ME, "Hello", T0, "t"))
    box = maildir(tmp_path / "Mail", mails)
    text = run("sync", "mail", str(box)).stdout
    assert (
        "  3 messages with ron@kedem.co.il, not a client:\n"
        "    relog client add NAME --email ron@kedem.co.il\n"
    ) in text
    assert text.index("ron@kedem.co.il") < text.index("tal@example.com")


def test_a_stranger_s_display_name_is_in_the_command_that_adds_them(
    run: Run, tmp_path: Path
) -> None:
    clients(run)
    mails = [
        message('"Ron Kedem" <ron@kedem.co.il>', ME, "Prices?", T0, "r1"),
        message("=?utf-8?b?15DXldeo15kg16HXoNeZ?= <ori@sne.co.il>", ME, "Hi", T0, "o1"),
        message("tal@example.com <tal@example.com>", ME, "Hello", T0, "t1"),
    ]
    text = run("sync", "mail", str(maildir(tmp_path / "Mail", mails))).stdout
    assert "    relog client add 'Ron Kedem' --email ron@kedem.co.il\n" in text
    assert "    relog client add 'אורי סני' --email ori@sne.co.il\n" in text
    assert "    relog client add NAME --email tal@example.com\n" in text  # an address names no one
    report = sync(run, "mail", str(maildir(tmp_path / "Mail2", mails[:1])), "--dry-run")
    assert report["strangers"] == [{"address": "ron@kedem.co.il", "name": "Ron Kedem", "count": 1}]


def test_a_hand_logged_email_is_linked_not_doubled(run: Run, tmp_path: Path) -> None:
    clients(run)
    run("add", "email", "Dana", "--by", "them", "--at", "2026-11-10T06:00:00Z", "-m", "prices")
    run("add", "email", "Dana", "--at", "2026-11-10T06:00:00Z", "-m", "mine")
    box = maildir(
        tmp_path / "Mail",
        [
            message("dana@levi.co.il", ME, "Re: prices", T0 + timedelta(hours=10), "1"),
            message("dana@levi.co.il", ME, "Next week", T0 + timedelta(days=2), "2"),
        ],
    )
    report = sync(run, "mail", str(box))
    assert changes(report) == {"Dana Levi": {"added": 1, "linked": 1}}
    summaries = sorted(e[4] for e in entries(run))
    assert summaries == ["Next week", "mine", "prices"], "the hand-logged text is kept"


def test_dry_run_reports_and_writes_nothing(run: Run, tmp_path: Path, journal: Path) -> None:
    clients(run)
    box = maildir(tmp_path / "Mail", [message(ME, "dana@levi.co.il", "One", T0, "1")])
    before = journal.read_bytes()
    text = run("sync", "mail", str(box), "--dry-run").stdout
    assert text.startswith("Dry run: nothing was written.")
    assert "Dana Levi: 1 added" in text
    assert entries(run) == []
    assert changes(sync(run, "mail", str(box))) == {"Dana Levi": {"added": 1}}
    assert before


def test_hebrew_subjects_in_every_encoding(run: Run, tmp_path: Path) -> None:
    clients(run)
    subject = "הצעת מחיר"
    raw = [
        f"Subject: =?windows-1255?B?{base64.b64encode(subject.encode('cp1255')).decode()}?=",
        f"Subject: =?ISO-8859-8?Q?{''.join(f'={b:02X}' for b in subject.encode('iso8859_8'))}?=",
        f"Subject: =?iso-8859-8-i?B?{base64.b64encode(subject.encode('iso8859_8')).decode()}?=",
        f"Subject: =?utf-8?B?{base64.b64encode(subject.encode()).decode()}?=",
    ]
    folder = tmp_path / "eml"
    folder.mkdir()
    for n, line in enumerate(raw):
        (folder / f"{n}.eml").write_bytes(
            (
                f"From: dana@levi.co.il\r\nTo: {ME}\r\n{line}\r\n"
                f"Date: Tue, 10 Nov 2026 1{n}:00:00 +0200\r\nMessage-ID: <h{n}@x>\r\n\r\nbody\r\n"
            ).encode("ascii")
        )
    sync(run, "mail", str(folder))
    assert [e[4] for e in entries(run)] == [subject] * 4


def test_with_body_keeps_the_text_part_only_when_asked(run: Run, tmp_path: Path) -> None:
    clients(run)
    box = maildir(tmp_path / "Mail", [message(ME, "dana@levi.co.il", "One", T0, "1")])
    other = maildir(tmp_path / "Other", [message(ME, "dana@levi.co.il", "Two", T0, "2")])
    sync(run, "mail", str(box))
    sync(run, "mail", str(other), "--with-body")
    assert [e[4] for e in entries(run)] == ["One", "Two\n\nHello,\nthe text of the message."]


def test_a_mu_maildir_with_bang_names_is_read_once(run: Run, tmp_path: Path) -> None:
    clients(run)
    box = maildir(tmp_path / "Mail", [message(ME, "dana@levi.co.il", "One", T0, "1")])
    [new] = list((box / "new").iterdir())
    new.rename(box / "cur" / f"{new.name}!2,S")
    assert changes(sync(run, "mail", str(box))) == {"Dana Levi": {"added": 1}}
    [read] = list((box / "cur").iterdir())
    read.rename(box / "cur" / f"{new.name}!2,RS")  # flags changed: the same message
    assert sync(run, "mail", str(box))["read"] == 0


def test_a_grown_mbox_is_read_from_where_it_stopped(run: Run, tmp_path: Path) -> None:
    clients(run)
    path = mbox(tmp_path / "all.mbox", [message(ME, "dana@levi.co.il", "One", T0, "1")])
    assert sync(run, "mail", str(path))["read"] == 1
    mbox(path, [message("dana@levi.co.il", ME, "Two", T0 + timedelta(hours=1), "2")])
    report = sync(run, "mail", str(path))
    assert (report["read"], changes(report)) == (1, {"Dana Levi": {"added": 1}})


def test_a_new_client_address_reads_the_source_again(run: Run, tmp_path: Path) -> None:
    clients(run)
    box = maildir(tmp_path / "Mail", [message(ME, "ron@kedem.co.il", "Hi", T0, "1")])
    assert sync(run, "mail", str(box))["clients"] == []
    run("client", "add", "Ron", "--email", "ron@kedem.co.il")
    assert changes(sync(run, "mail", str(box))) == {"Ron": {"added": 1}}


def test_bad_input_is_reported_and_the_rest_still_syncs(run: Run, tmp_path: Path) -> None:
    clients(run)
    box = maildir(tmp_path / "Mail", [message(ME, "dana@levi.co.il", "Good", T0, "1")])
    (box / "cur" / "broken:2,S").write_bytes(b"just some text, no headers\n")
    (box / "cur" / "cut:2,S").write_bytes(
        b"From: dana@levi.co.il\nTo: me@studio.co.il\nDate: Tue, 10 Nov 2026 10:00:00 +0200\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhal'
    )
    (box / "cur" / "nodate:2,S").write_bytes(
        b"From: dana@levi.co.il\nTo: me@studio.co.il\nDate: someday\nSubject: Late\n\nx\n"
    )
    result = run("sync", "mail", str(box), str(tmp_path / "missing"), code=2)
    assert "Dana Levi: 2 added" in result.stdout
    err = result.stderr
    assert "broken:2,S: it has no header block" in err
    assert "cut:2,S: it is cut short" in err
    assert "nodate:2,S: its Date 'someday' cannot be read; the time it was received is used" in err
    assert f"{tmp_path / 'missing'}: no such file or folder" in err
    assert "Traceback" not in err
    run("sync", "mail", str(tmp_path / "Mail"))  # reported once: the files are read


def test_without_your_addresses_sync_is_refused(run: Run, tmp_path: Path) -> None:
    box = maildir(tmp_path / "Mail", [message(ME, "dana@levi.co.il", "One", T0, "1")])
    result = run("sync", "mail", str(box), code=2)
    assert "relog config set me.emails" in result.stderr
    run("client", "add", "Dana", "--email", "dana@levi.co.il")
    assert changes(sync(run, "mail", str(box), "--me", ME)) == {"Dana": {"added": 1}}


def test_save_then_a_bare_sync_runs_the_saved_sources(run: Run, tmp_path: Path) -> None:
    clients(run)
    run("sync", code=2)
    box = maildir(tmp_path / "Mail", [message(ME, "dana@levi.co.il", "One", T0, "1")])
    run("sync", "mail", str(box), "--save")
    maildir(box, [message("dana@levi.co.il", ME, "Two", T0 + timedelta(hours=1), "2")])
    assert "Dana Levi: 1 added" in run("sync").stdout
    assert len(entries(run)) == 2


def test_a_sync_killed_midway_is_completed_without_duplicates(
    run: Run, tmp_path: Path, journal: Path
) -> None:
    """Each batch is one transaction: a run killed after the first batch leaves it whole,
    and the next run adds the rest and nothing twice."""
    clients(run)
    mails = [
        message(ME, "dana@levi.co.il", f"M{n}", T0 + timedelta(minutes=n), f"m{n}")
        for n in range(30)
    ]
    box = maildir(tmp_path / "Mail", mails)
    script = (
        "import os, relog.sync.run as r, relog.store.sync as s\n"
        "r.BATCH = 10\n"
        "real = s.Writer.write\n"
        "calls = []\n"
        "def write(self, batch):\n"
        "    real(self, batch)\n"
        "    calls.append(1)\n"
        "    if len(calls) == 2: os._exit(9)\n"
        "s.Writer.write = write\n"
        "from relog.__main__ import main\n"
        "main()\n"
    )
    env = {**os.environ, "RELOG_DB": str(journal)}
    done = subprocess.run(
        [sys.executable, "-c", script, "sync", "mail", str(box)], env=env, check=False
    )
    assert done.returncode == 9
    first = len(entries(run))
    assert 0 < first < 30
    report = sync(run, "mail", str(box))
    assert report["clients"][0]["added"] == 30 - first
    assert len({e[4] for e in entries(run)}) == len(entries(run)) == 30


def test_dates_are_utc_across_the_clock_change_in_jerusalem(run: Run, tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    clients(run)
    zone = ZoneInfo("Asia/Jerusalem")
    before = datetime(2026, 10, 24, 12, 0, tzinfo=zone)  # IDT, +03:00
    after = datetime(2026, 10, 26, 12, 0, tzinfo=zone)  # IST, +02:00
    box = maildir(
        tmp_path / "Mail",
        [
            message(ME, "dana@levi.co.il", "Before", before, "1"),
            message(ME, "dana@levi.co.il", "After", after, "2"),
        ],
    )
    sync(run, "mail", str(box))
    assert [(e[3], e[4]) for e in entries(run)] == [
        ("2026-10-24T09:00:00Z", "Before"),
        ("2026-10-26T10:00:00Z", "After"),
    ]
    assert before.astimezone(UTC).hour == 9


def test_the_sync_report_screen(run: Run, tmp_path: Path, golden: Golden) -> None:
    clients(run)
    run("add", "email", "Dana", "--by", "them", "--at", "2026-11-10T06:00:00Z", "-m", "prices")
    mails = [
        message("dana@levi.co.il", ME, "Re: prices", T0 + timedelta(hours=1), "1"),
        message(ME, "dana@levi.co.il, boss@acme.co.il", "Proposal", T0 + timedelta(days=1), "2"),
        message("news@list.example", ME, "News", T0, "3", List_Id="<n.list.example>"),
        *[message(ME, "ron@kedem.co.il", f"R{n}", T0, f"r{n}") for n in range(14)],
        message("tal@example.com", ME, "Hello", T0, "t"),
    ]
    box = maildir(tmp_path / "Mail", mails)
    dry = run("sync", "mail", str(box), "--dry-run").stdout
    done = run("sync", "mail", str(box)).stdout
    golden(GOLDEN / "sync_mail.txt", dry + "\n" + done)
    assert dry.replace("Dry run: nothing was written. Syncing mail:", "Synced mail:") == done


def test_a_bare_sync_with_mail_and_calendars_gives_one_json_document(
    run: Run, tmp_path: Path
) -> None:
    clients(run)
    box = maildir(tmp_path / "Mail", [message(ME, "dana@levi.co.il", "One", T0, "1")])
    ics = tmp_path / "c.ics"
    ics.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        b"DTSTART:20261103T100000Z\r\nDTEND:20261103T110000Z\r\nSUMMARY:Review\r\n"
        b"ORGANIZER:mailto:dana@levi.co.il\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    run("sync", "mail", str(box), "--save", "--dry-run")
    assert "no saved sources" in run("sync", code=2).stderr, "a dry run saves nothing"
    run("sync", "mail", str(box), "--save")
    run("sync", "calendar", str(ics), "--save")
    ics.write_bytes(
        ics.read_bytes().replace(
            b"END:VCALENDAR",
            b"BEGIN:VEVENT\r\nUID:u2\r\nDTSTART:20261105T100000Z\r\nSUMMARY:Next\r\n"
            b"ORGANIZER:mailto:dana@levi.co.il\r\nEND:VEVENT\r\nEND:VCALENDAR",
        )
    )
    document = sync(run)
    assert [part["source"] for part in document["sources"]] == ["mail", "calendars"]
    assert changes(document["sources"][1]) == {"Dana Levi": {"added": 1, "known": 1}}


def test_a_folder_with_no_mail_is_not_a_mailbox(run: Run, tmp_path: Path) -> None:
    clients(run)
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0 not mail")
    result = run("sync", "mail", str(folder), code=2)
    assert f"{folder}: a folder with no Maildir, mbox or mail message in it" in result.stderr
    empty = maildir(tmp_path / "Fresh", [])
    assert sync(run, "mail", str(empty))["problems"] == [], "an empty Maildir is a mailbox"


def test_addresses_and_dates_are_read_as_written_not_as_decoded() -> None:
    from relog.formats.mail import BadMessage, read_message

    data = (
        b"From: =?utf-8?q?Levi=2C_Dana_=3Cboss=40other.com=3E?= <dana@levi.co.il>\r\n"
        b"To: \xd7\x90\xd7\x91 <j\xc3\xb6e@m\xc3\xa4chine.example>, me@example.com\r\n"
        b"Date: Tue, 10 Nov 2026\r\n 09:00:00 +0200\r\n"
        b"Message-ID:\r\n <abc@levi.co.il>\r\n"
        b'Content-Type: Multipart/Mixed; boundary="b1"\r\n'
        b"Subject: =?utf-8?q?Levi=2C_Dana?=\r\n\r\n--b1\r\n\r\ntext\r\n--b1--\r\n"
    )
    mail = read_message(data)
    assert mail.sender == "dana@levi.co.il"  # the encoded name holds a comma and an address
    assert mail.recipients == ("jöe@mächine.example", "me@example.com")
    assert mail.at == datetime(2026, 11, 10, 7, 0, tzinfo=UTC)
    assert mail.key == "mail:abc@levi.co.il"
    assert mail.subject == "Levi, Dana"
    cut_short = data.replace(b"--b1--\r\n", b"")
    with pytest.raises(BadMessage, match="closing MIME boundary"):
        read_message(cut_short)
