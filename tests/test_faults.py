"""Faults an unlucky operator meets (issue 15, points 1, 4 and 5): odd values already in a
database, a damaged published file, a write that fails."""

import os
import resource
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import figures
from app.guard import SENTENCE
from etl.load import derive, load
from queries.report import main as report_main
from tests.helpers import DATA, cli, report, rows

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "response_times", "closing_the_loop", "offers", "team", "data"]


def files(db: Path) -> dict[str, bytes]:
    return {p.name: (os.readlink(p).encode() if p.is_symlink() else p.read_bytes())
            for p in sorted(db.parent.iterdir())}


def with_value(db: Path, when: str) -> Path:
    """The dashboard export published, then one applied_at and one message time changed to
    `when` in the published file, as a database loaded before the checks existed could be."""
    load(DATA / "dashboard", db=str(db), origin="demo")
    with duckdb.connect(os.path.realpath(db)) as con:
        con.execute("update applications set applied_at = cast($w as timestamp) "
                    "where application_id = 'A01'", {"w": when})
        con.execute("update communications set occurred_at = cast($w as timestamp) "
                    "where communication_id = 'ack02'", {"w": when})
        derive(con)
    return db


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    return at


# --- 1. odd values already in a database -------------------------------------------------------

@pytest.mark.parametrize("when", ["9999-12-31", "99999-01-01"])
def test_the_report_runs_on_a_database_holding_an_impossible_year(tmp_path, when):
    db = with_value(tmp_path / "cx.duckdb", when)
    whole = report(db)  # "now" is today, not the impossible year, nor the day after it
    assert whole["as_of"][:10] == datetime.now(UTC).date().isoformat()
    code, out, err = cli(report_main,
                         ["--db", db, "--format", "markdown"])
    assert (code, err) == (0, "") and out.startswith("#")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_on_a_database_holding_year_9999(tmp_path, monkeypatch, page):
    db = with_value(tmp_path / "cx.duckdb", "9999-12-31")
    monkeypatch.setenv("CX_DB", str(db))
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value


def test_a_figure_that_fails_says_so_and_the_page_draws_the_rest(cx_db, monkeypatch):
    def broken(hours):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(figures, "time_scale", broken)  # the reply-time trend needs it
    at = open_page("overview")
    assert not at.exception
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    sentence = SENTENCE.format(why="date value out of range")
    assert len(specs) == 2
    assert sentence in specs[0] and "Reply time in a conversation, both ways" in specs[0]
    assert sentence not in specs[1] and "Rejected interviewees told" in specs[1]
    assert len(at.metric) > 0  # the tiles are drawn too


def test_a_figure_function_given_unusable_data_returns_the_sentence():
    fig = figures.trend(pd.DataFrame({"group_key": [1]}), [
        figures.Series("missing", "missing_n", "Missing", "company")], "A trend", "%")
    assert fig.layout.title.text == "A trend"
    assert fig.layout.annotations[0].text == SENTENCE.format(why="'missing_n'")  # the column it lacks


def test_a_value_plotly_cannot_send_costs_its_figure_only():
    unsendable = object()  # what no JSON encoder knows: it must not reach the page
    fig = figures.trend(pd.DataFrame({"group_key": [unsendable], "r": [0.5], "n": [9]}), [
        figures.Series("r", "n", "Told", "company")], "Told", "%")
    assert fig.layout.title.text == "Told"
    assert fig.layout.annotations[0].text.startswith(SENTENCE.split("{why}")[0])


# --- 4. a damaged published database -----------------------------------------------------------

@pytest.fixture
def damaged(tmp_path) -> Path:
    """Two versions published (the second with one more application), the second truncated."""
    db = tmp_path / "db" / "cx.duckdb"
    load(DATA / "dashboard", db=str(db), origin="demo")
    more = tmp_path / "more"
    more.mkdir()
    (more / "applications.csv").write_text(
        "application_id,candidate_id,job_id,recruiter_id,source,applied_at,status,closed_at,"
        "close_reason\nZ99,z99,j1,r1,referral,2025-06-01T09:00:00Z,active,,\n")
    load(more, db=str(db), origin="demo")
    assert Path(os.path.realpath(db)).name == "cx.v000002.duckdb"
    os.truncate(os.path.realpath(db), 5000)
    return db


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True,
                          cwd=ROOT)


def test_the_report_serves_the_last_good_version_with_a_warning(damaged):
    done = run_cli("queries", "report", "--db", str(damaged))
    assert done.returncode == 0
    [line] = done.stderr.splitlines()
    assert line.startswith("warning: The published database cx.v000002.duckdb cannot be read (")
    assert line.endswith("); the last good version, cx.v000001.duckdb, is used instead until "
                         "the next load publishes a new one.")
    assert '"as_of": "2025-06-30T12:00:00Z"' in done.stdout


def test_the_pages_serve_the_last_good_version_with_a_warning(damaged, monkeypatch):
    monkeypatch.setenv("CX_DB", str(damaged))
    for page in PAGES:
        at = open_page(page)
        assert not at.exception and not at.error, page
        assert any("cx.v000002.duckdb cannot be read" in w.value for w in at.warning), page


def test_the_next_load_builds_on_the_last_good_version(damaged):
    done = run_cli("etl", "load", str(DATA / "dashboard"), "--db", str(damaged),
                   "--origin", "demo")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0].startswith(
        "warning: The published database cx.v000002.duckdb cannot be read")
    assert Path(os.path.realpath(damaged)).name == "cx.v000003.duckdb"
    # built on version 1 (21 applications): the application only version 2 had is gone
    assert rows(damaged, "select count(*), count(*) filter (where application_id = 'Z99') "
                         "from applications") == [(21, 0)]
    done = run_cli("queries", "report", "--db", str(damaged))
    assert (done.returncode, done.stderr) == (0, "")


# --- 5. a write that fails ---------------------------------------------------------------------

def limited(megabytes: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (megabytes << 20, megabytes << 20))
    return apply


def test_a_file_size_limit_is_one_line_and_leaves_the_database_untouched(tmp_path):
    db = tmp_path / "db" / "cx.duckdb"
    load(DATA / "dashboard", db=str(db), origin="demo")
    before = files(db)
    done = subprocess.run([sys.executable, "-m", "etl", "load", str(DATA / "dashboard"),
                           "--db", str(db)], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=limited(1))
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: {db}: the new version could not be written (")
    assert "File too large" in line
    assert line.endswith("); the published database is unchanged")
    assert files(db) == before  # byte for byte, and no temporary file left beside it


def test_a_version_open_in_this_process_counts_as_readable(tmp_path):
    from etl import recovery
    from queries.runner import connect

    db = tmp_path / "cx.duckdb"
    load(DATA / "dashboard", db=str(db), origin="demo")
    with connect(db):  # the pages' own configuration, which a second opening cannot share
        recovery._problem.cache_clear()
        assert recovery.last_good(db) == (Path(os.path.realpath(db)), None)


def test_with_no_good_version_left_the_report_says_so_and_the_next_load_starts_afresh(tmp_path):
    db = tmp_path / "db" / "cx.duckdb"
    load(DATA / "dashboard", db=str(db), origin="demo")
    damaged_file = os.path.realpath(db)
    os.truncate(damaged_file, 0)
    done = run_cli("queries", "report", "--db", str(db))
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: {db} cannot be read: IO Error: ")
    done = run_cli("etl", "load", str(DATA / "dashboard"), "--db", str(db), "--origin", "demo")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        "warning: The published database cx.v000001.duckdb cannot be read (IO Error: The file "
        f"\"{damaged_file}\" exists, but it is not a valid DuckDB database file!) and no "
        "earlier version is left to fall back on; the next load starts a new one.")
    assert rows(db, "select count(*) from applications") == [(21,)]
