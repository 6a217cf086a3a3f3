"""Hostile and broken input (issue 15, points 1-3 and 6-8): each attack run for real, and its
outcome asserted: one line naming the file, exit 2, nothing published, nothing left behind."""

import contextlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from etl import archive, safejson
from etl.contract import ExportError
from etl.load import main as load_main
from etl.terminal import escaped
from queries.report import main as report_main
from tests.helpers import DATA, cli, load, rows

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = DATA / "dashboard"
HEADER = ("application_id,candidate_id,job_id,recruiter_id,source,applied_at,status,"
          "closed_at,close_reason\n")
IMPOSSIBLE = "impossible timestamp (before 1970 or more than a year after the load): "


def export(folder: Path, applications: str, **files: str) -> Path:
    """A generic export: applications.csv (after the header) and any other files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "applications.csv").write_text(HEADER + applications)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def published(db: Path) -> dict[str, bytes]:
    """Every file beside the database, with its bytes (to show nothing changed)."""
    return {p.name: (os.readlink(p).encode() if p.is_symlink() else p.read_bytes())
            for p in sorted(db.parent.iterdir())}


def run(main, argv: list) -> tuple[int, str, str]:
    """`cli`, with argparse's exit (a bad option) as the exit code."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as stop:
            code = stop.code
    return code, out.getvalue(), err.getvalue()


def refused(argv: list, expected: str) -> None:
    code, out, err = cli(load_main, argv)
    assert (code, out) == (2, "")
    assert err == f"error: {expected}\n"


# --- 1. impossible timestamps -----------------------------------------------------------------

def test_impossible_timestamps_are_set_aside_in_the_generic_format(tmp_path):
    folder = export(tmp_path / "export", "a1,c1,,,,2025-03-01T09:00:00Z,active,,\n"
                                         "a2,c2,,,,9999-12-31T00:00:00Z,active,,\n"
                                         "a3,c3,,,,1969-12-31T23:59:59Z,active,,\n"
                                         "a4,c4,,,,1970-01-01T00:00:00Z,rejected,99999-01-01,\n")
    summary = load(folder, tmp_path / "cx.duckdb")
    assert summary["rejected"] == [
        {"file": "applications.csv", "line": 3, "column": "applied_at",
         "reason": IMPOSSIBLE + "9999-12-31T00:00:00Z"},
        {"file": "applications.csv", "line": 4, "column": "applied_at",
         "reason": IMPOSSIBLE + "1969-12-31T23:59:59Z"},
        {"file": "applications.csv", "line": 5, "column": "closed_at",
         "reason": IMPOSSIBLE + "99999-01-01"},
    ]
    assert rows(tmp_path / "cx.duckdb", "select application_id from applications") == [("a1",)]


def test_impossible_timestamps_are_set_aside_in_a_vendor_format(tmp_path):
    folder = Path(shutil.copytree(DATA / "greenhouse_v3", tmp_path / "export"))
    text = (folder / "applications.json").read_text()
    text = text.replace('"created_at": "2025-05-01T09:00:00.000Z"',
                        '"created_at": "9999-12-31T00:00:00.000Z"', 1)
    (folder / "applications.json").write_text(text)
    summary = load(folder, tmp_path / "cx.duckdb")
    assert [r for r in summary["rejected"] if r["file"] == "applications.json"] == [
        {"file": "applications.json", "line": 1, "column": "applied_at",
         "reason": IMPOSSIBLE + "9999-12-31T00:00:00Z"}]
    assert rows(tmp_path / "cx.duckdb",
                "select count(*) from applications where application_id = '1001'") == [(0,)]


# --- 2. zips and JSON ---------------------------------------------------------------------------

def zipped(path: Path, entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def good_entries() -> dict[str, bytes]:
    return {f"export/{p.name}": p.read_bytes() for p in sorted(DASHBOARD.iterdir())}


@pytest.fixture
def db(tmp_path) -> Path:
    """A published database (the dashboard export), to show that refusals leave it alone."""
    path = tmp_path / "db" / "cx.duckdb"
    load(DASHBOARD, path)
    return path


@pytest.fixture
def own_tmp(tmp_path, monkeypatch) -> Path:
    """A temporary folder of the test's own, to show that nothing is left in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr("tempfile.tempdir", None)
    return folder


def test_a_zip_bomb_is_refused_before_anything_is_written(tmp_path, db, own_tmp):
    bomb = zipped(tmp_path / "bomb.zip", {**good_entries(), "export/pad.csv": b"0" * (50 << 20)})
    assert bomb.stat().st_size < 200_000
    before = published(db)
    code, _, err = cli(load_main, [bomb, "--db", db])
    assert code == 2
    assert err.startswith("error: bomb.zip: compressed ") and err.endswith(
        " to 1, more than the limit of 200 to 1 (CX_ZIP_MAX_RATIO): not an export\n")
    assert published(db) == before and list(own_tmp.iterdir()) == []


def test_the_total_size_limit_is_configurable(tmp_path, db, own_tmp, monkeypatch):
    archive_path = zipped(tmp_path / "export.zip", good_entries(), zipfile.ZIP_STORED)
    total = sum(len(v) for v in good_entries().values())
    monkeypatch.setenv("CX_ZIP_MAX_BYTES", str(total - 1))
    refused([archive_path, "--db", db],
            f"export.zip: {total:,} bytes once extracted, more than the limit of "
            f"{total - 1:,} (CX_ZIP_MAX_BYTES)")
    monkeypatch.setenv("CX_ZIP_MAX_BYTES", str(total))
    assert load(archive_path, db)["files"]["applications.csv"]["rows"] == 21
    assert list(own_tmp.iterdir()) == []


def test_too_many_entries(tmp_path, db, own_tmp):
    junk = {**good_entries(), **{f"export/junk/{i}.txt": b"" for i in range(20_000)}}
    before = published(db)
    refused([zipped(tmp_path / "junk.zip", junk), "--db", db],
            "junk.zip: 20,008 entries, more than the limit of 10,000 (CX_ZIP_MAX_ENTRIES)")
    assert published(db) == before and list(own_tmp.iterdir()) == []


@pytest.mark.parametrize("name, expected", [
    ("export/" + "n" * 300 + ".csv",
     "an entry name of 311 characters, more than the limit of 255 (CX_ZIP_MAX_NAME): "
     "export/" + "n" * 53 + "..."),
    ("export/" + "d/" * 3000 + "x.csv",
     "an entry 3,001 folders deep, more than the limit of 20 (CX_ZIP_MAX_DEPTH)"),
])
def test_long_and_deep_names(tmp_path, db, own_tmp, monkeypatch, name, expected):
    if "d/" in name:
        monkeypatch.setenv("CX_ZIP_MAX_NAME", "100000")
    refused([zipped(tmp_path / "names.zip", {**good_entries(), name: b"x"}), "--db", db],
            f"names.zip: {expected}")
    assert list(own_tmp.iterdir()) == []


def test_a_name_twice_is_refused_not_silently_overwritten(tmp_path, db, own_tmp):
    path = tmp_path / "twice.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in good_entries().items():
            z.writestr(name, data)
        with pytest.warns(UserWarning):
            z.writestr("export/applications.csv", HEADER)
    refused([path, "--db", db], "twice.zip: export/applications.csv appears twice in the "
                                "archive; which one is the export cannot be told")
    assert list(own_tmp.iterdir()) == []


def test_a_bad_crc_is_refused_and_the_partial_extraction_removed(tmp_path, db, own_tmp):
    path = zipped(tmp_path / "crc.zip", good_entries(), zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index(b"A01,c01")
    data[at] = ord("B")  # the stored bytes change, the recorded CRC does not
    path.write_bytes(bytes(data))
    before = published(db)
    refused([path, "--db", db],
            "crc.zip: a damaged or unsupported zip (Bad CRC-32 for file "
            "'export/applications.csv')")
    assert published(db) == before and list(own_tmp.iterdir()) == []


def test_an_encrypted_zip_is_refused(tmp_path, db, own_tmp):
    path = zipped(tmp_path / "secret.zip", good_entries(), zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag bit in every local and central header (what a password sets)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + offset] |= 0x1
            start += 4
    path.write_bytes(bytes(data))
    refused([path, "--db", db], "secret.zip: export/applications.csv is encrypted; export "
                                "without a password")
    assert list(own_tmp.iterdir()) == []


def greenhouse_export(tmp_path: Path, applications: str) -> Path:
    folder = tmp_path / "gh"
    folder.mkdir()
    (folder / "applications.json").write_text(applications)
    return folder


@pytest.mark.parametrize("text, expected", [
    ('[{"id": 1, "candidate_id": ' + "9" * 5000 + "}]",
     "applications.json: a JSON number of 5,000 digits (limit CX_JSON_MAX_DIGITS)"),
    ('[{"id": 1, "name": "\\ud800"}]',
     "applications.json: not valid JSON (a lone surrogate escape at line 1)"),
    ('[{"id": 1, "name": "\\udc00 alone"}]',
     "applications.json: not valid JSON (a lone surrogate escape \\udc00 at line 1)"),
    ("[" * 3000 + "]" * 3000, "applications.json: JSON nested too deeply to read"),
])
def test_json_hazards_are_one_line(tmp_path, db, text, expected):
    before = published(db)
    refused([greenhouse_export(tmp_path, text), "--db", db, "--format", "greenhouse"], expected)
    assert published(db) == before


def test_a_surrogate_pair_and_an_escaped_backslash_are_fine():
    assert list(safejson.values('["\\ud83d\\ude00", "\\\\ud800"]', "x.json")) == [
        ["\U0001F600", "\\ud800"]]


def test_a_file_of_millions_of_empty_objects_is_refused_before_decoding(tmp_path):
    text = "[" + ",".join(["{}"] * 3_000_000) + "]"
    started = time.monotonic()
    with pytest.raises(ExportError) as caught:
        list(safejson.values(text, "applications.json"))
    assert str(caught.value) == ("applications.json: more than 2,000,000 JSON objects and "
                                 "arrays (limit CX_JSON_MAX_CONTAINERS); split the export or "
                                 "raise the limit")
    assert time.monotonic() - started < 5  # refused by counting, never decoded


def test_memory_stays_bounded_for_the_29_kb_zip_of_ten_million_objects(tmp_path):
    """The issue's attack, in a process of its own: the load refuses it and its peak memory
    stays far below the ~1 GB that decoding took."""
    body = b"[" + b",".join([b"{}"] * 10_000_000) + b"]"
    path = zipped(tmp_path / "objects.zip", {"applications.json": body})
    script = ("import re, sys; from etl.__main__ import main; "
              f"code = main(['load', {str(path)!r}, '--db', {str(tmp_path / 'cx.duckdb')!r}]); "
              "print(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read())[1]); "
              "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "CX_ZIP_MAX_RATIO": "100000"})
    assert done.returncode == 2
    assert done.stderr == ("error: applications.json: more than 2,000,000 JSON objects and "
                           "arrays (limit CX_JSON_MAX_CONTAINERS); split the export or raise "
                           "the limit\n")
    assert int(done.stdout) < 400_000  # kilobytes


def test_limits_that_are_not_numbers_are_one_line(tmp_path, db, monkeypatch):
    monkeypatch.setenv("CX_ZIP_MAX_ENTRIES", "lots")
    refused([zipped(tmp_path / "e.zip", good_entries()), "--db", db],
            "CX_ZIP_MAX_ENTRIES='lots': not a positive whole number")


# --- 3. bad rows in bulk -----------------------------------------------------------------------

def test_many_malformed_lines_are_each_set_aside_with_their_own_line(tmp_path):
    bad = "".join(f"b{i},c{i},,,,2025-03-01T09:00:00Z,active{',,,x' if i % 2 else ''}\n"
                  for i in range(30_000))
    folder = export(tmp_path / "export", "a1,c1,,,,2025-03-01T09:00:00Z,active,,\n" + bad +
                    "a2,c2,,,,2025-03-02T09:00:00Z,active,,\n")
    summary = load(folder, tmp_path / "cx.duckdb")
    assert summary["files"]["applications.csv"] == {"rows": 30_002, "loaded": 2,
                                                    "rejected": 30_000}
    lines = [r["line"] for r in summary["rejected"]]
    assert lines == list(range(3, 30_003))
    assert summary["rejected"][0]["reason"] == "wrong number of fields: expected 9, found 7"
    assert summary["rejected"][1]["reason"] == "wrong number of fields: expected 9, found 10"
    assert rows(tmp_path / "cx.duckdb", "select count(*) from set_aside") == [(30_000,)]


# --- 6. owner-only files, leftovers, terminal escapes ------------------------------------------

def test_files_are_owner_only_and_leftovers_of_killed_loads_are_removed(tmp_path, own_tmp):
    db = tmp_path / "db" / "cx.duckdb"
    db.parent.mkdir()
    leftover = own_tmp / "cx-export-killed"
    (leftover / "export").mkdir(parents=True)
    (leftover / "export" / "candidates.csv").write_text("c1,Ann,ann@example.com\n")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    unfinished = db.with_name("cx.v000007.duckdb.tmp")
    unfinished.write_text("half a load")
    Path(f"{unfinished}.wal").write_text("its log")
    archive_path = zipped(tmp_path / "export.zip", good_entries())
    done = subprocess.run([sys.executable, "-m", "etl", "load", str(archive_path), "--db",
                           str(db)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "TMPDIR": str(own_tmp)})
    assert done.returncode == 0, done.stderr
    assert list(own_tmp.iterdir()) == []
    assert sorted(p.name for p in db.parent.iterdir()) == [".cx.duckdb.lock", "cx.duckdb",
                                                           "cx.v000001.duckdb"]
    for path in db.parent.iterdir():
        if not path.is_symlink():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    fresh = tmp_path / "new" / "cx.duckdb"  # a folder the load makes is owner-only too
    subprocess.run([sys.executable, "-m", "etl", "load", str(DASHBOARD), "--db", str(fresh)],
                   capture_output=True, cwd=ROOT, check=True)
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700


def test_an_extracted_export_is_owner_only_while_it_is_read(tmp_path, own_tmp):
    folder_modes = []

    class Watch(archive.unpacked):
        def __enter__(self):
            folder = super().__enter__()
            folder_modes.append(stat.S_IMODE(self.tmp.stat().st_mode))
            folder_modes.append(stat.S_IMODE((folder / "candidates.csv").stat().st_mode))
            return folder

    with Watch(zipped(tmp_path / "export.zip", good_entries())):
        pass
    assert folder_modes == [0o700, 0o600]
    assert list(own_tmp.iterdir()) == []


def test_control_characters_from_an_export_are_shown_escaped(tmp_path):
    folder = export(tmp_path / "export", "a1,c1,,,,2025-03-01T09:00:00Z,\x1b[2Jgone\x07,,\n")
    code, _, err = cli(load_main, [folder, "--db", tmp_path / "cx.duckdb"])
    assert code == 0
    assert "\x1b" not in err and "\x07" not in err
    assert ("  set aside: applications.csv line 2 (status): unknown value \\x1b[2Jgone\\x07 "
            "(allowed: active, rejected, withdrawn, hired)") in err.splitlines()
    (folder / "applications.csv").write_text("application_id\x1b]0;owned\x07\n")
    code, _, err = cli(load_main, [folder, "--db", tmp_path / "cx.duckdb"])
    assert code == 2 and "\x1b" not in err and "\\x1b]0;owned\\x07" in err


def test_escaped_keeps_text_and_shows_controls():
    assert escaped("Zoë Ünal\x1b[31m\r\n\u202e") == "Zoë Ünal\\x1b[31m\\r\\n\\u202e"


# --- 7. CSV headers named like staging internals -----------------------------------------------

def test_headers_named_like_internal_columns_are_extra_columns(tmp_path):
    header = HEADER.strip() + ",_ord,_newlines,before,shift,_file,_line,status\n"
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "applications.csv").write_text(
        header + "a1,c1,,,,2025-03-01T09:00:00Z,active,,,1,2,3,4,f,9,hired\n"
                 'a2,c2,,,,2025-03-01T09:00:00Z,active,,"two\nlines",x,x,x,x,x,x,x\n'
                 "a3,c3,,,,2025-03-01T09:00:00Z,active,,,too few\n")
    summary = load(folder, tmp_path / "cx.duckdb")
    assert summary["extra_columns"] == {"applications.csv": [
        "_ord", "_newlines", "before", "shift", "_file", "_line"]}
    assert summary["rejected"] == [{"file": "applications.csv", "line": 5, "column": "_newlines",
                                    "reason": "wrong number of fields: expected 16, found 10"}]
    assert rows(tmp_path / "cx.duckdb", "select application_id, status, close_reason "
                                        "from applications order by 1") == [
        ("a1", "active", None), ("a2", "active", "two\nlines")]


# --- 8. command-line values --------------------------------------------------------------------

@pytest.mark.parametrize("options, expected", [
    (["--notice-sla-days", "nan"],
     "argument --notice-sla-days: 'nan': expected a number of days above 0 and at most 365"),
    (["--notice-sla-days", "inf"],
     "argument --notice-sla-days: 'inf': expected a number of days above 0 and at most 365"),
    (["--answer-window-days", "1e308"],
     "argument --answer-window-days: '1e308': expected a number of days above 0 and at most "
     "365"),
    (["--as-of", "0001-01-01T00:00:00+14:00"],
     "argument --as-of: '0001-01-01T00:00:00+14:00': expected a day between 1970-01-01 and "
     "2999-12-31"),
    (["--from", "0001-01-01"],
     "argument --from: '0001-01-01': expected a day between 1970-01-01 and 2999-12-31"),
    (["--from", "2025-02-01", "--to", "2025-01-31"], "--from 2025-02-01 is after --to 2025-01-31"),
])
def test_command_line_values_out_of_range_are_one_line(db, options, expected):
    code, out, err = run(report_main, ["--db", db, *options])
    assert (code, out) == (2, "")
    assert err == f"error: python -m queries report: {expected}\n"


def test_the_load_command_line_errors_are_one_line(tmp_path):
    code, out, err = run(load_main, [DASHBOARD, "--format", "nope"])
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("error: python -m etl load: argument")


def test_report_json_is_plain_json(db):
    code, out, _ = cli(report_main, ["--db", db, "--notice-sla-days", "365"])
    assert code == 0 and json.loads(out)["filters"]


def test_a_load_running_now_keeps_its_extracted_export(tmp_path, own_tmp):
    old = time.time() - 3600
    killed = own_tmp / "cx-export-killed"
    killed.mkdir()
    (killed / archive.LOCK).write_text("")  # its load held the lock, and died
    os.utime(killed, (old, old))
    with archive.unpacked(zipped(tmp_path / "export.zip", good_entries())) as folder:
        running = folder.parent
        os.utime(running, (old, old))
        assert archive.clean_leftovers() == []  # the killed one went when this one started
        assert (folder / "applications.csv").is_file()
    assert list(own_tmp.iterdir()) == []


def test_every_etl_command_writes_owner_only_files(tmp_path):
    """`python -m etl` sets an owner-only umask for all its commands (pull, sample, load):
    shown here with the sample writer, which needs no server."""
    out = tmp_path / "sample"
    subprocess.run([sys.executable, "-m", "etl", "sample", "--out", str(out),
                    "--applications", "200"], capture_output=True, cwd=ROOT, check=True)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes and set(modes.values()) == {0o600}
    assert stat.S_IMODE(out.stat().st_mode) == 0o700


def test_the_digest_shows_control_characters_from_the_export_escaped(tmp_path):
    folder = Path(shutil.copytree(DASHBOARD, tmp_path / "export"))
    users = (folder / "users.csv").read_text().replace("Ada Park", "Ada\x1b[2J Park")
    (folder / "users.csv").write_text(users)
    load(folder, tmp_path / "cx.duckdb")
    code, out, _ = cli(report_main, ["--db", tmp_path / "cx.duckdb", "--format", "markdown"])
    assert code == 0
    assert "\x1b" not in out and "Ada\\x1b[2J Park" in out
