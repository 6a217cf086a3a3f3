"""The dashboard driven headlessly (AppTest) on the hand-made export of tests/data/dashboard/.

Expected values are hand-computed from that export (see tests/conftest.py) and checked against
`python -m queries report`, the figures' contract.
"""

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import format as fmt
from app import scorecard, tables
from etl.load import load
from queries.runner import Filters

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "response_times", "closing_the_loop", "offers", "team", "data"]
PERIOD = ["--from", "2025-04-02", "--to", "2025-06-30"]


def open_app(page: str | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    if page and page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cli_report(db: Path, *options: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "queries", "report", "--db", str(db), *options],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


def table(at: AppTest, first_column: str) -> pd.DataFrame:
    """The page's dataframe whose first column is `first_column`."""
    found = [d.value for d in at.dataframe if d.value.columns[0] == first_column]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def shown(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def expected_tiles(report: dict, dashes: set[str]) -> dict[str, str]:
    """Every Overview tile as the report gives it, "—" for the tiles with n < 5."""
    return {t.label: fmt.DASH if t.label in dashes else fmt.figure(report[t.side][t.key], t.kind)
            for t in scorecard.COMPANY + scorecard.CANDIDATE}


# n < 5 in the default period: reply turns the company answered (2), notices with a lag (4),
# answered offers (3), decided offers (4), declines with a known channel (2), accepts (1)
SMALL_N = {"Our reply time (median)", "Notice lag (median)", "Offer answer time (median)",
           "Offers accepted", "Declines by a call", "Offers left to expire",
           "Reneged after accepting"}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception(cx_db, page):
    at = open_app(page)
    assert at.title[0].value == {"overview": "Overview", "response_times": "Response times",
                                 "closing_the_loop": "Closing the loop", "offers": "Offers",
                                 "team": "Team follow-up", "data": "Data"}[page]
    assert not at.error


def test_overview_shows_the_report_of_the_last_90_days(cx_db):
    at = open_app()
    report = cli_report(cx_db, *PERIOD)
    assert shown(at) == expected_tiles(report, SMALL_N)
    assert {k: shown(at)[k] for k in ("First response (median)", "Answered within 14 days",
                                      "Rejected interviewees told", "… told by a call",
                                      "Their reply time (median)", "Interview no-shows")} == {
        "First response (median)": "24.0 h", "Answered within 14 days": "93%",
        "Rejected interviewees told": "57%", "… told by a call": "29%",
        "Their reply time (median)": "6.0 h", "Interview no-shows": "8%"}


def test_a_figure_over_fewer_than_5_cases_shows_a_dash_and_its_n(cx_db):
    at = open_app()
    tiles = {m.label: m for m in at.metric}
    assert tiles["Notice lag (median)"].value == "—"
    assert tiles["Offers accepted"].value == "—"
    assert "n = 4" in captions(at)  # the notice lag's 4 notices, and the 4 decided offers
    assert "n = 14" in [c.split(" · ")[0] for c in captions(at)]  # first responses


def test_the_change_against_the_previous_period(cx_db):
    at = open_app()
    tiles = {m.label: m for m in at.metric}
    # first responses 2025-01-02..04-01: 24, 48, 49, 24, 168 h -> median 48 h; now 24 h
    assert tiles["First response (median)"].delta == "-24.0 h"
    assert tiles["Rejected interviewees told"].delta is None or \
        tiles["Rejected interviewees told"].delta == ""  # 2 rejected interviewees before: too few
    assert "n = 14 · before: 48.0 h" in captions(at)  # one unit per tile: the figure's own (24.0 h)
    assert any(m.value.strip("*").startswith("Biggest change against the previous 90 days: our median "
                                  "first response went from 2.0 d to 1.0 d (better)")
               for m in at.markdown)


def test_a_filter_changes_the_figures(cx_db):
    at = open_app()
    at.selectbox(key="department").set_value("Sales").run()
    report = cli_report(cx_db, *PERIOD, "--department", "Sales")
    # Sales first responses: 1, 24, 36, 72, 72, 72.08 h -> median 54 h
    assert shown(at)["First response (median)"] == "2.2 d" == fmt.figure(
        report["company"]["first_response_hours_median"], "hours")
    dashes = {t.label for t in scorecard.COMPANY + scorecard.CANDIDATE} - {
        "First response (median)", "Answered within 14 days", "Interview no-shows"}
    assert shown(at) == expected_tiles(report, dashes)


def test_filters_are_read_from_the_url(cx_db):
    at = open_app(query={"department": "Sales"})
    assert at.selectbox(key="department").value == "Sales"
    assert shown(at)["First response (median)"] == "2.2 d"
    at = open_app("team", query={"period": ["2025-06-01", "2025-06-30"], "recruiter": "Unassigned"})
    assert at.date_input(key="period").value == (date(2025, 6, 1), date(2025, 6, 30))
    assert at.selectbox(key="recruiter").value == ""
    assert list(table(at, "Candidate")["Candidate"]) == ["=Eve Stone"]


def test_the_call_list_holds_who_still_needs_a_call(cx_db):
    at = open_app("team")
    calls = table(at, "Candidate")
    expected = pd.DataFrame({
        "Candidate": ["Dev Patel", "=Eve Stone", "Finn Kerr"],
        "Phone": ["+1 555 0104", "555 0105", "+1 555 0106"],
        "Call": ["tel:+1-555-0104", "tel:555-0105", "tel:+1-555-0106"],
        "E-mail": ["dev@example.com", "eve@example.com", "finn@example.com"],
        "Job": ["Account Executive", "Backend Engineer", "Backend Engineer"],
        "Rejected on": pd.to_datetime(["2025-06-01", "2025-06-10", "2025-06-29"]),
        "Days waiting": [29, 20, 1],
        "Recruiter": ["Ben Cho", "Unassigned", "Ada Park"],
        "Status": ["Overdue", "Overdue", "Within SLA"],
        "In the ATS": [None, None, None],  # a generic export has no ATS to link to
    })[tables.NARROW_FIRST + ["Call", "E-mail", "Job", "Rejected on", "Recruiter", "In the ATS"]]
    pd.testing.assert_frame_equal(calls.reset_index(drop=True), expected, check_dtype=False)
    assert any("3 rejected interviewees still need a call" in m.value for m in at.markdown)


def test_my_list_keeps_one_recruiters_calls(cx_db):
    at = open_app("team")
    at.selectbox(key="my_list").set_value("r1").run()
    assert list(table(at, "Candidate")["Candidate"]) == ["Finn Kerr"]
    at.selectbox(key="my_list").set_value("").run()  # Unassigned
    assert list(table(at, "Candidate")["Candidate"]) == ["=Eve Stone"]


def test_the_recruiter_table_shows_each_figure_with_its_n(cx_db):
    at = open_app("team")
    people = table(at, "Recruiter")
    assert list(people["Recruiter"]) == ["Ada Park", "Ben Cho", "Unassigned"]
    # numbers stay numbers (blank under 5 cases), one unit per column: Ben Cho's 72 h is 3 days
    first, lag = "First response, median (days)", "Notice lag, median (hours)"
    assert people.iloc[0].fillna(-1).to_dict() == {
        "Recruiter": "Ada Park", "Applications": 7, "Applications answered": 7, first: 1.0,
        "Rejected interviewees": 3, "Told": -1, "Told by a call": -1, "Candidates told": 2,
        lag: -1, "Overdue": 0, "Within SLA": 1}
    assert list(people[first].fillna(-1)) == [1.0, 3.0, -1]  # Unassigned: 2 answered, too few
    assert people[first].dtype.kind == "f" and people["Applications"].dtype.kind == "i"


def test_the_call_list_download_cannot_run_formulas(cx_db):
    at = open_app("team")
    text = fmt.csv_bytes(table(at, "Candidate")).decode("utf-8-sig")
    # a name that starts a formula gets an apostrophe; a phone an invisible word joiner instead
    assert "'=Eve Stone" in text and ",\u2060+1 555 0104," in text and ",555 0105," in text


def test_csv_cells_that_start_a_formula_are_neutralised():
    frame = pd.DataFrame({"=a": ["=1+1", "+x", "-x", "@x", "\tx", "\rx", "ok", None, "a=b"],
                          "n": [-1, 0, 1, 2, 3, 4, 5, 6, 7]})
    rows = list(csv.reader(io.StringIO(fmt.csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows == [["'=a", "n"], ["'=1+1", "-1"], ["'+x", "0"], ["'-x", "1"], ["'@x", "2"],
                    ["'\tx", "3"], ["'\rx", "4"], ["ok", "5"], ["", "6"], ["a=b", "7"]]


def test_figures_read_as_people_read_them():
    assert [fmt.figure(0.5714, "rate", 7), fmt.figure(0.5, "rate", 4), fmt.figure(None, "rate", 9),
            fmt.figure(30.5, "hours", 5), fmt.figure(54, "hours", 6), fmt.figure(1234, "count", 0)] \
        == ["57%", "—", "—", "30.5 h", "2.2 d", "1,234"]
    assert [fmt.change(0.57, 0.5, "rate"), fmt.change(24, 48, "hours"), fmt.change(0.5, 0.5, "rate"),
            fmt.change(None, 1, "rate")] == ["+7 pts", "-24.0 h", "+0 pts", None]


def test_offers_page_lists_the_offer_past_its_deadline(cx_db):
    at = open_app("offers")
    late = table(at, "Application")
    assert late.to_dict("records") == [{
        "Application": "A12", "Job": "Backend Engineer", "Recruiter": "Ada Park",
        "Sent on": pd.Timestamp("2025-06-25"), "Deadline": pd.Timestamp("2025-06-27"),
        "Days past deadline": 3.1}]
    assert shown(at)["Offers sent"] == "5" and shown(at)["Past their deadline"] == "1"


def test_data_page_shows_loads_and_rows_set_aside(cx_db):
    at = open_app("data")
    loads = table(at, "Load")
    assert list(loads["Origin"]) == ["demo"] and list(loads["Set aside"]) == [1]
    reasons = table(at, "Reason")
    assert reasons.to_dict("records") == [{
        "Reason": "unknown value rescheduled (allowed: scheduled, completed, no_show, cancelled)",
        "File": "interviews.csv", "Origin": "demo", "Rows": 1}]


def test_unknown_is_said_when_an_input_is_missing(export_copy, tmp_path, monkeypatch):
    (export_copy / "communications.csv").unlink()
    db = tmp_path / "nocomms" / "cx.duckdb"
    load(export_copy, db=str(db), origin="demo")
    monkeypatch.setenv("CX_DB", str(db))
    at = open_app()
    assert shown(at)["First response (median)"] == "Unknown"
    assert shown(at)["Rejected interviewees told"] == "Unknown"
    assert "unknown: no communications in the data" in captions(at)
    assert any("communications" in w.value for w in at.warning)
    at.switch_page("views/data.py").run()
    gaps = table(at, "Input").set_index("Input")
    assert gaps.loc["communications.csv", "What it means"].startswith("missing: first response")


def test_a_newly_published_database_shows_without_a_restart(fresh_db):
    at = open_app()
    assert shown(at)["Notice lag (median)"] == "—"
    at.switch_page("views/data.py").run()
    assert len(table(at, "Load")) == 1
    load(ROOT / "tests" / "data" / "dashboard", db=str(fresh_db), origin="second")
    at.run()
    assert len(table(at, "Load")) == 2
    at.switch_page("views/overview.py").run()
    report = cli_report(fresh_db, *PERIOD)
    assert report["company"]["applications"] == 32  # both origins
    # every n doubles: company replies 4, declines with a channel 4, accepts 2 are still too few
    assert shown(at) == expected_tiles(report, {"Our reply time (median)", "Declines by a call",
                                                "Reneged after accepting"})
    at.switch_page("views/team.py").run()
    assert len(table(at, "Candidate")) == 6
    for page in PAGES:  # every page reads the version published last
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception and at.session_state["_run_version"].endswith("cx.v000002.duckdb")


def test_a_newly_published_version_is_answered_before_anyone_opens_a_page(fresh_db, monkeypatch):
    import threading

    from app import store
    from queries import answers as answers_module
    from queries import pages

    monkeypatch.setenv("CX_WARM_UP", "1")
    runs, real = [], answers_module.run
    monkeypatch.setattr(answers_module, "run", lambda name, con, **p: (
        runs.append((name, p["group_by"], threading.current_thread().name)), real(name, con, **p))[1])
    load(ROOT / "tests" / "data" / "dashboard", db=str(fresh_db), origin="second")
    published = store.open_newest("")  # what the watch does every WATCH_SECONDS
    assert published.endswith("cx.v000002.duckdb") and store.open_newest(published) == published
    for thread in threading.enumerate():
        if thread.name == "warm-up":
            thread.join(timeout=60)
    asked = {r for page in pages.PAGES.values() for r in pages.requests(
        page | pages.SIDEBAR, Filters(date_from=date(2025, 4, 2), date_to=date(2025, 6, 30)))}
    assert {thread for _, _, thread in runs} == {"warm-up"} and len(runs) == len(asked), runs
    runs.clear()
    monkeypatch.setenv("CX_WARM_UP", "0")  # the pages alone from here
    at = open_app()
    assert shown(at) == expected_tiles(cli_report(fresh_db, *PERIOD), {  # both origins' figures
        "Our reply time (median)", "Declines by a call", "Reneged after accepting"})
    for page in [*PAGES, "review"]:  # every page's first view: its figures were ready
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, page
    # only the trends too thin by week in 32 applications were asked again, by month or quarter
    weekly = {name for page in pages.PAGES.values() for name, group_by, _ in page if group_by == "week"}
    assert runs and {(name, group_by) for name, group_by, _ in runs} <= {
        (name, coarser) for name in weekly for coarser in ("month", "quarter")}, runs


def test_the_watch_for_new_versions_looks_until_the_warm_up_is_turned_off(monkeypatch):
    from app import store

    monkeypatch.setenv("CX_WARM_UP", "1")
    monkeypatch.setattr(store, "WATCH_SECONDS", 0)
    seen = []

    def open_newest(last: str) -> str:
        seen.append(last)
        if len(seen) == 3:
            monkeypatch.setenv("CX_WARM_UP", "0")
        return f"v{len(seen)}"

    monkeypatch.setattr(store, "open_newest", open_newest)
    store._watch()  # returns once turned off
    assert seen == ["", "v1", "v2"]


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="Linux gives threads a nice value")
def test_the_warm_up_thread_yields_the_cpu_to_the_pages():
    import threading

    from app import store

    seen, before = {}, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def warm_up():
        store.lower_priority()
        seen["warm-up"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=warm_up)
    thread.start(), thread.join()
    assert seen["warm-up"] == 19
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before  # the rest as it was


def zipped(folder: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f"export/{f.name}")
    return out.getvalue()


def test_an_uploaded_export_is_loaded_by_the_etl_and_shown(fresh_db, export_copy):
    at = open_app("data")
    at.file_uploader(key="upload_zip").set_value(("export.zip", zipped(export_copy), "application/zip")).run()
    at.button(key="upload_load").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Loaded the generic export: 131 rows loaded, 1 set aside")
    files = table(at, "File").set_index("File")
    assert files.loc["interviews.csv"].to_dict() == {"Rows": 16, "Loaded": 15, "Set aside": 1,
                                                     "Skipped": 0}
    assert list(table(at, "Load")["Origin"]) == ["generic", "demo"]


def test_an_upload_that_is_not_an_export_says_why(fresh_db):
    at = open_app("data")
    at.file_uploader(key="upload_zip").set_value(("export.zip", b"not a zip", "application/zip")).run()
    at.button(key="upload_load").click().run()
    assert [e.value for e in at.error] == ["Nothing was loaded:"]
    assert [t.value for t in at.text] == [  # the ETL's sentence, as text (never markdown)
        "export.zip: not an export folder or a zip of one"]
    assert len(table(at, "Load")) == 1


def test_the_call_list_table_keeps_only_what_a_call_needs():
    calls = pd.DataFrame({"application_id": ["A1"], "candidate_id": ["c1"], "candidate_name": ["A"],
                          "phone": ["1"], "email": ["a@x"], "job_title": ["J"],
                          "recruiter_id": [None], "recruiter_name": [None], "recruiter": ["R"],
                          "closed_at": pd.to_datetime(["2025-01-01 10:00"]), "days_waiting": [3.4],
                          "status": ["pending"], "origin": ["o"], "ats": [None]})
    # name, phone, days waiting and status first: what a phone shows before scrolling sideways
    assert list(tables.call_list(calls).columns) == [
        "Candidate", "Phone", "Days waiting", "Status", "Call", "E-mail", "Job", "Rejected on",
        "Recruiter", "In the ATS"]


def test_each_page_starts_its_questions_at_once_and_the_catalogue_asks_the_same(cx_db, monkeypatch):
    from app import state, store
    from queries import pages
    from queries.answers import Answers

    asked, started, inside_report = set(), set(), []
    year = Filters(date_from=date(2025, 4, 2), date_to=date(2025, 6, 30)).last_months()
    assert (year.date_from, year.date_to) == (date(2024, 7, 1), date(2025, 6, 30))

    def period(filters, p) -> str:
        return "all" if filters.date_from is None else "year" if filters == year else p

    def record_answer(self, name, filters, group_by=None, p="current"):
        if not inside_report:  # the report's own questions are part of "report"
            asked.add((name, group_by, period(filters, p)))
        return answer(self, name, filters, group_by, p)

    def record_report(version, filters, p, recruiters, questions):
        asked.add(("report", questions + (("recruiters",) if recruiters else ()), p))
        inside_report.append(p)
        try:
            return report.__wrapped__(version, filters, p, recruiters, questions)  # past the cache
        finally:
            inside_report.pop()

    ask, answer, report = Answers.ask, Answers.answer, store._report
    monkeypatch.setattr(Answers, "ask", lambda self, requests: (
        len(requests) > 1 and started.update((r.name, r.group_by) for r in requests),
        ask(self, requests))[1])
    monkeypatch.setattr(Answers, "answer", record_answer)
    monkeypatch.setattr(store, "_report", record_report)
    at = open_app()
    assert set(pages.PAGES) == {*PAGES, "review"}
    for page in pages.PAGES:
        asked.clear(), started.clear()
        state._options.cache_clear()  # the filters' labels, read once a version: as on a first view
        at.switch_page(f"views/{page}.py").run()
        expected = pages.PAGES[page] | pages.SIDEBAR
        if page == "data":  # no filters on the Data page: their options are not read
            expected -= {("filter_options", None, "all")}
        # a trend asked by week (or month) is asked again by a coarser grain when too thin
        finer = {"month": ("week",), "quarter": ("week", "month")}
        coarser = {(n, g, p) for n, g, p in asked - expected
                   if any((n, f, p) in expected for f in finer.get(g, ()))}
        assert asked - coarser == expected, page
        if page != "data":  # the pages with a report start everything they draw at once
            broken_down = {n for n, g in started if g is not None}  # a breakdown has the totals
            assert {(n, g) for n, g, p in asked - coarser if p == "current" and n != "report"
                    and not (g is None and n in broken_down)} <= started, page
