"""Loading the generic export: every column and default, bad input, publishing, reloading."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl import load as load_module
from etl.load import main as load_main
from tests.helpers import DATA, cli, load, report, rows, ts

FULL = DATA / "generic_full"
BAD = DATA / "generic_bad_rows"


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "cx.duckdb"


def test_every_column_and_default_of_the_format(db):
    summary = load(FULL, db)
    assert summary["files"]["applications.csv"] == {"rows": 4, "loaded": 4, "rejected": 0}
    assert summary["extra_columns"] == {"applications.csv": ["favourite_colour"]}
    assert rows(db, "select * from applications order by application_id") == [
        ("generic", "a1", "c1", "j1", "u1", "Referral", ts("2025-03-03 09:00"), "rejected",
         ts("2025-03-20 10:00"), "Skills, not culture"),
        ("generic", "a2", "c2", "j1", "u2", "LinkedIn", ts("2025-03-04 00:00"), "active", None, None),
        ("generic", "a3", "c3", "j2", None, None, ts("2025-03-05 10:30"), "hired",
         ts("2025-04-01 00:00"), None),
        ("generic", "a4", "c1", "j2", "u1", "Careers\nsite", ts("2025-04-02 08:00"), "withdrawn",
         ts("2025-04-10 08:00"), "accepted another offer"),
    ]
    assert rows(db, "select application_id, stage, stage_type, entered_at, user_id "
                    "from stage_changes order by entered_at") == [
        ("a1", "Recruiter Screen", "screen", ts("2025-03-05 09:00"), "u1"),
        ("a1", "Onsite", "interview", ts("2025-03-12 09:00"), "u1"),
        ("a3", "Offer", "offer", ts("2025-03-25 09:00"), None),
        ("a3", "Custom", "other", ts("2025-03-26 09:00"), None),
    ]
    assert rows(db, "select * exclude (origin) from interviews order by interview_id") == [
        ("i1", "a1", ts("2025-03-12 10:00"), "onsite", "completed"),
        ("i2", "a3", ts("2025-03-20 10:00"), "other", "no_show"),
    ]
    assert rows(db, "select * exclude (origin) from communications order by communication_id") == [
        ("m1", "a1", ts("2025-03-03 09:05"), "to_candidate", "email", "acknowledgement", None, True, "export"),
        ("m2", "a1", ts("2025-03-04 09:00"), "to_candidate", "email", "scheduling", "u1", False, "export"),
        ("m3", "a1", ts("2025-03-04 15:00"), "from_candidate", "email", "other", None, False, "export"),
        ("m4", "a1", ts("2025-03-21 09:00"), "to_candidate", "phone", "rejection", "u1", False, "export"),
        ("m5", "a4", ts("2025-04-09 08:00"), "from_candidate", "email", "withdrawal", None, False, "export"),
    ]
    assert rows(db, "select * exclude (origin) from offers order by offer_id") == [
        ("o1", "a3", 1, ts("2025-03-26 09:00"), ts("2025-03-29 09:00"), ts("2025-03-27 09:00"),
         "accepted", "phone", None, None),
        ("o2", "a3", 2, None, None, None, "pending", None, None, None),
    ]
    assert rows(db, "select * exclude (origin) from users order by user_id") == [
        ("u1", "Ada Recruiter", "ada@example.com", "recruiter", "Tech"),
        ("u2", "Bo Recruiter", "bo@example.com", "recruiter", None),
    ]
    assert rows(db, "select * exclude (origin) from jobs order by job_id") == [
        ("j1", "Data Engineer", "Engineering", "Berlin"), ("j2", "Account Executive", "Sales", None)]
    assert rows(db, "select * exclude (origin) from candidates order by candidate_id") == [
        ("c1", "Casey Candidate", "casey@example.com", "+1-555-0100"),
        ("c2", "Dana Doe", None, None), ("c3", "Eli Example", "eli@example.com", None)]


def test_bad_rows_are_set_aside_with_file_line_column_and_reason(db):
    summary = load(BAD, db)
    assert summary["files"] == {
        "applications.csv": {"rows": 10, "loaded": 3, "rejected": 7},
        "communications.csv": {"rows": 6, "loaded": 1, "rejected": 5},
    }
    assert [tuple(r.values()) for r in summary["rejected"]] == [
        ("applications.csv", 3, "applied_at", "not a valid timestamp: 2025-02-30"),
        ("applications.csv", 4, "status",
         "unknown value pending (allowed: active, rejected, withdrawn, hired)"),
        ("applications.csv", 5, "candidate_id", "missing required value"),
        ("applications.csv", 6, "application_id", "repeated application_id b1 (first on line 2)"),
        ("applications.csv", 7, "closed_at", "missing closed_at for a rejected application"),
        ("applications.csv", 8, "status", "wrong number of fields: expected 5, found 3"),
        ("applications.csv", 11, None, "wrong number of fields: expected 5, found 6"),
        ("communications.csv", 3, "application_id", "unknown application b2"),
        ("communications.csv", 4, "application_id", "unknown application zz"),
        ("communications.csv", 5, "direction",
         "unknown value sideways (allowed: to_candidate, from_candidate)"),
        ("communications.csv", 6, None, "wrong number of fields: expected 5, found 6"),
        ("communications.csv", 7, "occurred_at", "a quoted value never closes"),
    ]
    assert rows(db, "select application_id, candidate_id from applications order by 1") == [
        ("b1", "c1"), ("b10", "c10"), ("b8", "c8\ncontinued")]
    assert rows(db, "select count(*) from set_aside") == [(12,)]


def test_rows_of_a_large_file_are_set_aside_at_their_own_line(tmp_path, db):
    """A file scanned in parallel, in several row groups (DuckDB's hold 122,880 rows): each row
    set aside still names its own line, and a repeat the line of the first."""
    lines = [b"application_id,candidate_id,applied_at,status,closed_at"]
    lines += [b"a%d,c%d,2025-01-01T00:00:00Z,active," % (i, i) for i in range(300_000)]
    lines[250_002] = b"a250001,c250001,2025-13-01,active,"  # line 250,003: month 13
    lines[260_001] = b"a1000,c260000,2025-01-01T00:00:00Z,active,"  # line 260,002: a1000 again
    lines[123_000] = b"a122999,c122999,2025-01-01T00:00:00Z,rejected,"  # line 123,001: no closed_at
    folder = export_with(tmp_path, {"applications.csv": b"\n".join(lines) + b"\n"})
    summary = load(folder, db)
    assert summary["files"] == {"applications.csv": {"rows": 300_000, "loaded": 299_997,
                                                     "rejected": 3}}
    assert [tuple(r.values()) for r in summary["rejected"]] == [
        ("applications.csv", 123_001, "closed_at", "missing closed_at for a rejected application"),
        ("applications.csv", 250_003, "applied_at", "not a valid timestamp: 2025-13-01"),
        ("applications.csv", 260_002, "application_id",
         "repeated application_id a1000 (first on line 1002)"),
    ]


def export_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


APPS = b"application_id,candidate_id,applied_at,status,closed_at\nx1,c1,2025-01-01,active,\n"


@pytest.mark.parametrize("files, message", [
    ({}, "applications.csv: required file is missing"),
    ({"applications.csv": b"application_id,candidate_id,status\nx1,c1,active\n"},
     "applications.csv: required column applied_at is missing"),
    ({"applications.csv": b""}, "applications.csv: the file is empty"),
    ({"applications.csv": APPS, "offers.csv": b"offer_id,application_id,status\no1,x1,caf\xe9\n"},
     "offers.csv: not UTF-8 text (undecodable byte at offset 40)"),
    ({"applications.csv": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"}, "applications.csv: not a CSV file"),
])
def test_file_level_problems_stop_the_load_with_one_line(tmp_path, db, files, message):
    load(FULL, db)
    before = os.path.realpath(db)
    code, out, err = cli(load_main, [export_with(tmp_path, files), "--db", db, "--format", "generic"])
    assert code == 2
    assert err.startswith(f"error: {message}") and err.count("\n") == 1
    assert os.path.realpath(db) == before
    assert report(db)["company"]["applications"] == 4


def test_cli_prints_no_traceback_on_bad_input(tmp_path, db):
    folder = export_with(tmp_path, {"applications.csv": b""})
    done = subprocess.run([sys.executable, "-m", "etl", "load", str(folder), "--db", str(db)],
                          capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert done.returncode == 2
    assert done.stderr == "error: applications.csv: the file is empty (expected a header row)\n"
    assert not db.exists()


def test_strict_refuses_a_load_with_rows_set_aside(db):
    load(FULL, db)
    before = os.path.realpath(db)
    code, _, err = cli(load_main, [BAD, "--db", db, "--strict", "--origin", "other"])
    assert code == 2
    assert err == ("error: applications.csv: line 3: not a valid timestamp: 2025-02-30 "
                   "(12 rows set aside in all; --strict loads nothing)\n")
    assert os.path.realpath(db) == before
    assert rows(db, "select distinct origin from applications") == [("generic",)]


def test_loading_the_same_export_twice_gives_the_same_figures(db):
    load(FULL, db)
    first = report(db)
    load(FULL, db)
    assert report(db) == first
    assert rows(db, "select count(*) from applications") == [(4,)]
    assert rows(db, "select count(*) from loads") == [(2,)]


def test_a_later_export_updates_records_in_place_and_replace_drops_the_rest(tmp_path, db):
    load(FULL, db)
    later = export_with(tmp_path, {"applications.csv": (
        b"application_id,candidate_id,applied_at,status,closed_at\n"
        b"a2,c2,2025-03-04,rejected,2025-03-30\n"
        b"a9,c9,2025-05-01,active,\n")})
    load(later, db)
    assert rows(db, "select application_id, status from applications order by 1") == [
        ("a1", "rejected"), ("a2", "rejected"), ("a3", "hired"), ("a4", "withdrawn"), ("a9", "active")]
    load(later, db, "--replace")
    assert rows(db, "select application_id, status from applications order by 1") == [
        ("a2", "rejected"), ("a9", "active")]
    assert rows(db, "select count(*) from communications") == [(0,)]


def test_two_origins_live_side_by_side(db):
    load(FULL, db, "--origin", "berlin")
    load(FULL, db, "--origin", "paris")
    assert rows(db, "select origin, count(*) from applications group by 1 order by 1") == [
        ("berlin", 4), ("paris", 4)]
    assert report(db)["company"]["applications"] == 8


def test_timestamps_without_offset_follow_the_timezone_option(tmp_path, db):
    folder = export_with(tmp_path, {"applications.csv": (
        b"application_id,candidate_id,applied_at,status\n"
        b"z1,c1,2025-07-01 09:00:00,active\nz2,c2,2025-07-01T09:00:00+00:00,active\n"
        b"z3,c3,2025-07-01,active\n")})
    load(folder, db, "--timezone", "Europe/Paris")
    assert rows(db, "select application_id, applied_at from applications order by 1") == [
        ("z1", ts("2025-07-01 07:00")), ("z2", ts("2025-07-01 09:00")), ("z3", ts("2025-06-30 22:00"))]
    code, _, err = cli(load_main, [folder, "--db", db, "--timezone", "Mars/Olympus"])
    assert code == 2 and "unknown time zone 'Mars/Olympus'" in err


def test_a_zip_of_the_export_folder_loads_like_the_folder(tmp_path, db):
    import shutil

    archive = shutil.make_archive(str(tmp_path / "export"), "zip", FULL.parent, FULL.name)
    assert load(archive, db)["files"]["applications.csv"]["loaded"] == 4


def test_a_reader_keeps_working_while_a_load_publishes(db):
    from queries.runner import connect, run

    load(FULL, db)
    reader = connect(db)
    load(BAD, db, "--origin", "other")
    assert run("data_inputs", reader)["communications_rows"].iloc[0] == 5
    reader.close()
    fresh = connect(db)
    assert run("data_inputs", fresh)["communications_rows"].iloc[0] == 6
    fresh.close()


def test_a_failed_load_leaves_the_published_database_as_it_was(db, monkeypatch):
    load(FULL, db)
    before = os.path.realpath(db)

    def broken(con):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load_module, "derive", broken)
    with pytest.raises(RuntimeError):
        load_module.load(BAD, db=str(db), origin="other")
    assert os.path.realpath(db) == before
    assert sorted(p.name for p in db.parent.iterdir() if not p.name.startswith(".")) == [
        "cx.duckdb", Path(before).name]
    assert report(db)["company"]["applications"] == 4


def test_json_summary_has_exactly_the_contract_keys(db):
    summary = load(BAD, db)
    assert set(summary) == {"format", "files", "rejected"}
    assert summary["format"] == "generic"
    assert set(summary["rejected"][0]) == {"file", "line", "column", "reason"}


def test_the_first_real_export_replaces_the_sample_data(db):
    load(BAD, db, "--origin", "sample")
    summary = load(FULL, db)
    assert summary["notes"] == [
        "The sample data this database held was removed: it now holds your data only."]
    assert rows(db, "select distinct origin from applications") == [("generic",)]
    load(BAD, db, "--origin", "sample")  # asked for explicitly: the sample joins the real data
    assert rows(db, "select origin, count(*) from applications group by 1 order by 1") == [
        ("generic", 4), ("sample", 3)]


def test_a_database_path_that_is_not_ours_is_refused_untouched(tmp_path):
    import duckdb

    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("create table notes as select 'keep me' as text")
    code, _, err = cli(load_main, [FULL, "--db", other])
    assert code == 2
    assert err == (f"error: --db {other}: not a Reciprocal database (no table applications, "
                   "candidates, communications); choose another database path\n")
    assert rows(other, "select * from notes") == [("keep me",)]
    junk = tmp_path / "junk.duckdb"
    junk.write_text("hello")
    code, _, err = cli(load_main, [FULL, "--db", junk])
    assert code == 2 and err.startswith(f"error: --db {junk}: cannot be read")
    assert junk.read_text() == "hello"


def test_utf8_is_checked_across_chunks_whatever_their_content(tmp_path, monkeypatch):
    from etl.contract import ExportError
    from etl.sources import generic

    monkeypatch.setattr(generic, "CHUNK", 4)  # "café" splits its é between two chunks
    path = tmp_path / "jobs.csv"
    path.write_bytes("id\ncafé\nabc\n".encode())
    assert generic.check_utf8(path) == 3
    path.write_bytes(b"id\nabcdefg\xffh\n")  # an ASCII chunk, then a byte that is never UTF-8
    with pytest.raises(ExportError, match=r"jobs.csv: not UTF-8 text \(undecodable byte at offset 10\)"):
        generic.check_utf8(path)
    path.write_bytes(b"id\n\xc3abcdefg\n")  # a character begun in one chunk, not ended in the next
    with pytest.raises(ExportError, match=r"undecodable byte at offset 3\)"):
        generic.check_utf8(path)
    path.write_bytes(b"id\nabc" + "é".encode()[:1])  # cut inside its last character
    with pytest.raises(ExportError, match="truncated character at the end"):
        generic.check_utf8(path)
