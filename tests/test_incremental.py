"""Loads that cost what changed: a delta derives the facts of the applications it touches only,
and after any sequence of deltas every fact equals one full load of the merged export.

The base is the dashboard's export (tests/conftest.py): 21 applications, A16 (candidate c16)
rejected on 2025-03-01, A12 (c12) active, j2 = Sales with 11 applications."""

import csv
import shutil
from pathlib import Path

import pytest

from etl import incremental
from etl import load as load_module
from etl.contract import TABLES
from tests.conftest import DASHBOARD_DATA
from tests.helpers import report, rows

# the derived tables, compared without app_key (a key, not a fact)
DERIVED = ("app_facts", "closed_facts", "offer_facts", "interview_facts", "reply_turns",
           "evidence_counts", "filter_values", "origin_counts", "origin_inputs", "meta")

APPLICATIONS = "application_id,candidate_id,job_id,recruiter_id,source,applied_at,status,closed_at,close_reason\n"
COMMUNICATIONS = "communication_id,application_id,occurred_at,direction,channel,topic,user_id,automated\n"
# A12 rejected and told by phone; A30 new, c16's second application (so A16 was re-applied
# after); A15 sent again as it was; j2 renamed; the users sent again unchanged
DELTA = {
    "applications.csv": APPLICATIONS
    + "A12,c12,j1,r1,linkedin,2025-04-06T09:00:00Z,rejected,2025-06-25T10:00:00Z,not a fit\n"
    + "A30,c16,j1,r2,referral,2025-06-01T09:00:00Z,active,,\n"
    + "A15,c15,j2,r2,linkedin,2025-06-28T09:00:00Z,active,,\n",
    "communications.csv": COMMUNICATIONS
    + "rj12,A12,2025-06-26T10:00:00Z,to_candidate,phone,rejection,r1,false\n"
    + "ack30,A30,2025-06-01T09:05:00Z,to_candidate,email,acknowledgement,,true\n",
    "jobs.csv": "job_id,title,department,location\nj2,Senior Account Executive,Sales,London\n",
    "users.csv": (DASHBOARD_DATA / "users.csv").read_text(),
}
J2 = {"A03", "A04", "A08", "A10", "A11", "A13", "A15", "A17", "A18", "A19", "A21"}
# the next export files A01's call (rj01) under A02 (A02 was told by a personal email)
MOVED = {
    "applications.csv": APPLICATIONS
    + "A01,c01,j1,r1,referral,2025-04-07T09:00:00Z,rejected,2025-05-10T10:00:00Z,not a fit\n",
    "communications.csv": COMMUNICATIONS + "rj01,A02,2025-05-11T10:00:00Z,to_candidate,phone,rejection,r1,false\n",
}


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def read(path: Path) -> list[dict]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def merged(base: Path, delta: Path, out: Path) -> Path:
    """The export an ATS would give after the delta: each delta record replaces the base's
    record of the same key (stage changes: of the same application), or is added."""
    out.mkdir()
    for table in TABLES.values():
        if not (base / table.file).exists():
            continue
        kept = read(base / table.file)
        if (delta / table.file).exists():
            new = read(delta / table.file)
            key = table.key or "application_id"
            replaced = {r[key] for r in new}
            kept = [r for r in kept if r[key] not in replaced] + new
        with (out / table.file).open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(read(base / table.file)[0]))
            writer.writeheader()
            writer.writerows(kept)
    return out


def facts(db: Path) -> dict[str, list]:
    """Every derived table's rows, without app_key, in a fixed order."""
    out = {}
    for name in DERIVED:
        columns = [c for (c,) in rows(db, f"select column_name from duckdb_columns() "
                                          f"where table_name = '{name}' and column_name <> 'app_key'")]
        out[name] = sorted(rows(db, f"select {', '.join(columns)} from {name}"), key=repr)
    return out


def load(path: Path, db: Path, **options) -> load_module.LoadResult:
    return load_module.load(path, db=str(db), origin="demo", **options)


@pytest.fixture
def every_delta_incremental(monkeypatch):
    """Derive touched applications only, however many (the dashboard export is small)."""
    monkeypatch.setattr(incremental, "MOST", 1.0)


def test_a_delta_derives_the_applications_it_touches_and_equals_a_full_load(
        tmp_path, every_delta_incremental):
    db = tmp_path / "inc" / "cx.duckdb"
    assert load(DASHBOARD_DATA, db).derived is None  # a first load derives everything
    delta = write(tmp_path / "delta", DELTA)
    result = load(delta, db)
    # in the delta: A12, A30, A15; c16's other application A16; every application of j2
    assert result.derived == len({"A12", "A30", "A15", "A16"} | J2) == 14
    full = tmp_path / "full" / "cx.duckdb"
    load(merged(DASHBOARD_DATA, delta, tmp_path / "merged"), full)
    assert facts(db) == facts(full)
    assert report(db) == report(full)
    assert rows(db, "select application_id, reapplied, notice_kind from app_facts "
                    "where application_id in ('A12', 'A16') order by 1") == [
        ("A12", False, "call"), ("A16", True, "call")]
    assert rows(db, "select distinct job_title from app_facts where job_id = 'j2'") == [
        ("Senior Account Executive",)]


def test_a_sequence_of_deltas_equals_one_full_load_of_the_merged_export(tmp_path, every_delta_incremental):
    db = tmp_path / "inc" / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    first = write(tmp_path / "d1", DELTA)
    load(first, db)
    second = write(tmp_path / "d2", MOVED)
    assert load(second, db).derived == 2  # A02, and A01: the call's old home
    full = tmp_path / "full" / "cx.duckdb"
    export = merged(merged(DASHBOARD_DATA, first, tmp_path / "m1"), second, tmp_path / "m2")
    load(export, full)
    assert facts(db) == facts(full)
    assert report(db) == report(full)
    assert rows(db, "select application_id, notice_kind from app_facts "
                    "where application_id in ('A01', 'A02') order by 1") == [("A01", "none"), ("A02", "call")]


def test_a_record_sent_again_unchanged_touches_nothing_else(tmp_path, every_delta_incremental):
    db = tmp_path / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    before = facts(db)
    again = write(tmp_path / "again", {
        "applications.csv": APPLICATIONS + "A14,c14,j1,r1,careers site,2025-06-20T09:00:00Z,active,,\n",
        "jobs.csv": (DASHBOARD_DATA / "jobs.csv").read_text(),
        "users.csv": (DASHBOARD_DATA / "users.csv").read_text(),
        "candidates.csv": (DASHBOARD_DATA / "candidates.csv").read_text()})
    assert load(again, db).derived == 1  # A14 itself; no job, user or candidate changed
    assert facts(db) == before


def test_replace_derives_everything_and_equals_a_full_load_of_the_new_export(tmp_path):
    db = tmp_path / "inc" / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    smaller = write(tmp_path / "smaller", DELTA)
    assert load(smaller, db, replace=True).derived is None
    full = tmp_path / "full" / "cx.duckdb"
    load(smaller, full)
    assert facts(db) == facts(full)
    assert rows(db, "select count(*) from app_facts") == [(3,)]


def test_a_delta_touching_most_applications_derives_everything(tmp_path):
    db = tmp_path / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    delta = write(tmp_path / "delta", DELTA)  # 14 of 22 applications: more than a fifth
    assert load(delta, db).derived is None
    full = tmp_path / "full" / "cx.duckdb"
    load(merged(DASHBOARD_DATA, delta, tmp_path / "merged"), full)
    assert facts(db) == facts(full)


def test_a_new_version_starts_as_a_copy_and_a_failed_delta_leaves_the_last_one(tmp_path, monkeypatch):
    db = tmp_path / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    before, published = facts(db), db.resolve()

    def broken(con, statements):
        raise RuntimeError("disk full")

    monkeypatch.setattr(incremental, "derive_touched", broken)
    with pytest.raises(RuntimeError):
        load(write(tmp_path / "delta", MOVED), db)
    assert db.resolve() == published
    assert facts(db) == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "cx.duckdb", published.name, "delta"]
    shutil.rmtree(tmp_path / "delta")


def test_readers_keep_their_version_during_a_delta_and_old_versions_do_not_pile_up(
        tmp_path, every_delta_incremental):
    from queries.runner import connect, run

    db = tmp_path / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    reader = connect(db)  # holds the published file open while the next one is copied from it
    load(write(tmp_path / "d1", DELTA), db)
    assert run("origins", reader)["applications"].tolist() == [21]
    fresh = connect(db)
    assert run("origins", fresh)["applications"].tolist() == [22]  # A30 is new
    reader.close()
    fresh.close()
    load(write(tmp_path / "d2", MOVED), db)
    load(write(tmp_path / "d3", MOVED), db)
    assert sorted(p.name for p in tmp_path.glob("cx.v*")) == ["cx.v000003.duckdb", "cx.v000004.duckdb"]


def test_a_version_written_before_a_new_column_is_rebuilt_not_copied(tmp_path, every_delta_incremental):
    import duckdb

    db = tmp_path / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    with duckdb.connect(str(db.resolve())) as con:  # as an older program wrote it
        con.execute("alter table loads drop column notes")
    result = load(write(tmp_path / "d1", DELTA), db)
    assert result.derived is None  # everything derived again, from the records copied over
    assert rows(db, "select count(*) from app_facts") == [(22,)]
    assert rows(db, "select count(*), count(notes) from loads") == [(2, 1)]


def test_an_erased_candidate_stays_erased_through_later_deltas(tmp_path, every_delta_incremental):
    from etl.forget import forget

    db = tmp_path / "inc" / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    first = write(tmp_path / "d1", DELTA)
    load(first, db)
    forget(str(db), candidate="c16", origin="demo")  # A16 and A30
    # sent again: A12 and A15 only (A30 is left out; j2 is as the last load left it)
    assert load(first, db).derived == 2
    second = write(tmp_path / "d2", MOVED)
    load(second, db)
    full = tmp_path / "full" / "cx.duckdb"
    load(merged(merged(DASHBOARD_DATA, first, tmp_path / "m1"), second, tmp_path / "m2"), full)
    forget(str(full), candidate="c16", origin="demo")
    assert facts(db) == facts(full)
    assert rows(db, "select count(*) from app_facts where candidate_id = 'c16'") == [(0,)]
    assert rows(db, "select count(*) from erasures") == rows(full, "select count(*) from erasures") == [(2,)]


def test_every_derive_file_is_classified_and_totals_read_no_scoped_relation():
    """A delta derives per-application files over the touched applications only, then the
    totals over the whole database: a total reading a temp relation would see the touched ones
    only, so a new derive file must be placed in one kind or the other (etl/incremental.py)."""
    import re

    from etl.derive import files

    kinds = {path.name: incremental.kind(path.read_text()) for path in files()}
    temps = {incremental.CREATES.search(path.read_text()).group(3) for path in files()
             if kinds[path.name] == "per_application" and "temp" in path.read_text().lower()}
    totals = [path for path in files() if kinds[path.name] == "totals"]
    assert sorted(p.name for p in totals) == [
        "06_evidence_counts.sql", "07_filter_values.sql", "08_origin_counts.sql", "09_meta.sql"]
    for path in totals:
        sql = re.sub(r"--[^\n]*", "", path.read_text())
        ctes = set(re.findall(r"(?:with|,)\s*(\w+)\s+as\s*\(", sql, re.IGNORECASE))
        read = set(re.findall(r"\b(?:from|join)\s+(\w+)", sql, re.IGNORECASE)) - ctes
        assert read and not read & temps, path.name
    assert {n for n, k in kinds.items() if k == "keys"} == {"01_app_keys.sql", "01_origin_inputs.sql"}


def test_a_version_is_copied_whole_by_the_kernel_or_by_hand(tmp_path, monkeypatch):
    import os

    from etl import publish

    data = os.urandom(300_000)
    (tmp_path / "a").write_bytes(data)
    for kernel in (True, False):
        if not kernel:  # a kernel without copy_file_range: the rest goes through a buffer
            def refuse(*args):
                raise OSError(38, "Function not implemented")
            monkeypatch.setattr(os, "copy_file_range", refuse)
        with open(tmp_path / "a", "rb") as source, open(tmp_path / "b", "wb") as target:
            publish.copy_file(source, target)
        assert (tmp_path / "b").read_bytes() == data


def test_the_copy_is_written_out_while_the_build_runs_and_waited_for_at_its_end(tmp_path, monkeypatch):
    import os
    import threading

    import duckdb

    from etl import publish

    with duckdb.connect(str(tmp_path / "previous.duckdb")) as con:
        con.execute("create table t as select 42 as x")
    synced, release = [], threading.Event()

    def slow_sync(fd):  # the copy's write-out, held until the build has started
        release.wait(10)
        synced.append(os.fstat(fd).st_size)
    monkeypatch.setattr(os, "fdatasync", slow_sync)
    with publish.open_new_version(tmp_path / "new.tmp", tmp_path / "previous.duckdb", {}) as con:
        assert con.execute("select x from t").fetchall() == [(42,)]  # the build runs meanwhile
        assert not synced
        release.set()
    assert synced == [(tmp_path / "previous.duckdb").stat().st_size]  # done before it returns
    assert not [t for t in threading.enumerate() if t.name == "cx-write-out"]


def stored_and_live(db: Path, table: str = "app_facts") -> tuple[int, int]:
    """A table's rows in the file (deleted ones too) and its rows."""
    return rows(db, f"select (select sum(count) from pragma_storage_info('{table}') "
                    f"where column_id = 0 and segment_type <> 'VALIDITY'), count(*) from {table}")[0]


def test_deleted_rows_stay_until_they_are_a_tenth_then_a_load_compacts_them(
        tmp_path, every_delta_incremental):
    db = tmp_path / "cx.duckdb"
    load(DASHBOARD_DATA, db)
    assert stored_and_live(db) == (21, 21)
    load(write(tmp_path / "d1", MOVED), db)  # A01 and A02 derived again: 2 of 23 rows deleted
    assert stored_and_live(db) == (23, 21)
    load(write(tmp_path / "d2", DELTA), db)  # 13 more replaced, A30 added: 15 of 37, compacted
    assert stored_and_live(db) == (22, 22)
    full = tmp_path / "full" / "cx.duckdb"
    load(merged(merged(DASHBOARD_DATA, tmp_path / "d1", tmp_path / "m1"), tmp_path / "d2",
                tmp_path / "m2"), full)
    assert facts(db) == facts(full)


def test_compaction_is_due_after_deriving_everything_or_once_a_tenth_is_deleted():
    import duckdb

    def due(deleted: int, derived_everything: bool) -> tuple[bool, int]:
        with duckdb.connect() as con:  # in memory: compacted at checkpoints too (DuckDB 1.4+)
            con.execute("create table app_facts as select range as app_key from range(100)")
            incremental.defer_compaction(con)
            con.execute("delete from app_facts where app_key < $n", {"n": deleted})
            return (incremental.compact_when_due(con, derived_everything),
                    con.execute("select current_setting('max_vacuum_tasks')").fetchall()[0][0])

    assert due(9, False) == (False, 0)  # 9 of 100 deleted: left where they are
    assert due(10, False) == (True, 100)  # a tenth: DuckDB's default compaction is back
    assert due(0, True) == (True, 100)  # --replace, or most applications derived again
