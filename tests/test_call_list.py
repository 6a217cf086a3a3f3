"""The call list as a worklist (metrics.md, "call list"): `python -m queries call-list` and the
Team page on the hand-made export of tests/data/call_list/.

The export, by hand (as_of 2025-06-30 12:00 UTC, the latest moment in it), every application
rejected after a completed interview unless said:
B01 Ana (Priya Nair u1, Data Analyst, Engineering) rejected 2025-04-11 12:00, 80.0 days ago;
B02 Bo (u1) rejected 2025-03-22 12:00, 100 days ago; B03 Cy (Tom Berg u2) rejected 2025-06-29
00:00, 1.5 days ago, within the 3-day SLA; B04 (u2) told by phone; B05 (Unassigned, Account
Manager, Sales) rejected 2025-06-20 12:00, 10.0 days ago; B06 never interviewed; B07 active;
B08 Hal (u1, referral) rejected 2025-06-25 12:00, 5.0 days ago.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

from app import format as fmt
from app import tables
from queries import call_list
from queries.call_list import profile_url, tel_url
from tests.helpers import DATA, cli
from tests.test_dashboard import open_app, table


@pytest.fixture(scope="module")
def calls_db(tmp_path_factory) -> Path:
    from etl.load import load

    db = tmp_path_factory.mktemp("calls") / "cx.duckdb"
    load(DATA / "call_list", db=str(db), origin="demo")
    return db


def call_list_json(db: Path, *options: str) -> list[dict]:
    code, out, err = cli(call_list.main, ["--db", db, "--format", "json", *options])
    assert code == 0, err
    return json.loads(out)


def ids(rows: list[dict]) -> list[str]:
    return [r["application_id"] for r in rows]


def test_the_call_list_reaches_back_call_list_days_longest_waiting_first(calls_db):
    assert ids(call_list_json(calls_db)) == ["B05", "B08", "B03"]  # default 60 days
    assert ids(call_list_json(calls_db, "--call-list-days", "90")) == ["B01", "B05", "B08", "B03"]
    assert ids(call_list_json(calls_db, "--call-list-days", "101")) == \
        ["B02", "B01", "B05", "B08", "B03"]
    assert ids(call_list_json(calls_db, "--call-list-days", "9")) == ["B08", "B03"]


def test_a_call_list_row_has_exactly_the_documented_keys(calls_db):
    first = call_list_json(calls_db, "--call-list-days", "90")[0]
    assert first == {
        "application_id": "B01", "candidate_id": "c1", "candidate_name": "Ana <b>Ruiz</b>",
        "phone": "+1 555 0201", "email": "ana@example.com", "job_title": "Data Analyst",
        "recruiter_id": "u1", "recruiter_name": "Priya Nair", "closed_at": "2025-04-11T12:00:00Z",
        "days_waiting": 80.0, "status": "overdue"}
    unassigned = call_list_json(calls_db, "--recruiter", "")
    assert [(r["application_id"], r["recruiter_id"], r["recruiter_name"], r["days_waiting"])
            for r in unassigned] == [("B05", None, None, 10.0)]


def test_the_other_filters_apply(calls_db):
    wide = ("--call-list-days", "365")
    assert ids(call_list_json(calls_db, *wide, "--recruiter", "u1")) == ["B02", "B01", "B08"]
    assert ids(call_list_json(calls_db, *wide, "--department", "Sales")) == ["B05"]
    assert ids(call_list_json(calls_db, *wide, "--job", "j1", "--source", "linkedin")) == ["B03"]
    # as_of two days earlier: B03 was not rejected yet, B05 waited 8.0 days, B08 3.0 (the SLA)
    assert [(r["application_id"], r["days_waiting"], r["status"]) for r in call_list_json(
        calls_db, "--as-of", "2025-06-28T12:00:00Z")] == [("B05", 8.0, "overdue"),
                                                          ("B08", 3.0, "pending")]
    # a notice SLA of 1 day makes B03 (1.5 days) overdue
    assert [r["status"] for r in call_list_json(calls_db, "--notice-sla-days", "1")] == \
        ["overdue", "overdue", "overdue"]


def test_csv_and_markdown_keep_values_as_text(calls_db):
    code, out, _ = cli(call_list.main, ["--db", calls_db, "--format", "csv", "--recruiter", ""])
    assert code == 0
    assert out.splitlines() == [
        ",".join(call_list.EXPORT),
        "B05,c5,\"'=HYPERLINK(\"\"x\"\")\",555 0205,eve@example.com,Account Manager,,,"
        "2025-06-20T12:00:00Z,10.0,overdue"]
    code, out, _ = cli(call_list.main, ["--db", calls_db, "--format", "markdown",
                                        "--recruiter", "u1", "--call-list-days", "90"])
    assert out.splitlines()[2] == ("| B01 | c1 | Ana \\<b\\>Ruiz\\</b\\> | +1 555 0201 | "
                                   "ana@example.com | Data Analyst | u1 | Priya Nair | "
                                   "2025-04-11T12:00:00Z | 80.0 | overdue |")


@pytest.mark.parametrize("options, message", [
    (["--call-list-days", "0"], "argument --call-list-days: '0' must be between 1 and 36500 days"),
    (["--call-list-days", "nan"], "argument --call-list-days: 'nan' must be between 1 and 36500 days"),
    (["--notice-sla-days", "x"], "argument --notice-sla-days: 'x' is not a number of days"),
    (["--as-of", "yesterday"], "argument --as-of: 'yesterday' is not an ISO 8601 moment "
                               "(e.g. 2025-06-30T12:00:00Z)"),
    (["--format", "xlsx"], "argument --format: invalid choice: 'xlsx' (choose from 'csv', "
                           "'json', 'markdown')"),
    (["--recruiter", "u9"], "--recruiter 'u9': no such recruiter in the data ('' is Unassigned)"),
    (["--department", "Legal"], "--department 'Legal': no such department in the data"),
])
def test_a_bad_value_is_one_line_and_exit_2(calls_db, options, message):
    code, out, err = cli(call_list.main, ["--db", calls_db, *options])
    assert (code, out, err) == (2, "", f"python -m queries call-list: error: {message}\n")


def test_printing_the_call_list_is_audited(calls_db):
    audit = calls_db.with_name(f"{calls_db.stem}.audit.jsonl")
    before = audit.read_text().splitlines() if audit.exists() else []
    call_list_json(calls_db, "--recruiter", "u2")
    [line] = audit.read_text().splitlines()[len(before):]
    entry = json.loads(line)
    assert (entry["action"], entry["what"], entry["rows"]) == ("export", "call-list --format json", 1)
    assert "B03" not in line and "application_ids" not in entry  # counts, never whose
    assert audit.stat().st_mode & 0o777 == 0o600


def test_the_dashboard_lists_the_same_rows_whatever_the_period(calls_db, monkeypatch):
    monkeypatch.setenv("CX_DB", str(calls_db))
    at = open_app("team", query={"period": ["2025-06-01", "2025-06-30"], "call_list_days": "90"})
    shown = table(at, "Candidate")
    assert list(shown["Candidate"]) == ["Ana <b>Ruiz</b>", '=HYPERLINK("x")',
                                        "Hal <i>O'Neil</i> & Co", "Cy Okafor"]
    assert list(shown["Days waiting"]) == [80, 10, 5, 1]
    assert list(shown["Rejected on"]) == list(pd.to_datetime(["2025-04-11", "2025-06-20",
                                                              "2025-06-25", "2025-06-29"]))
    assert list(shown["Call"]) == ["tel:+1-555-0201", "tel:555-0205", "tel:+1-555-0208",
                                   "tel:555-0203"]
    assert list(shown["E-mail"]) == ["ana@example.com", "eve@example.com", "hal@example.com",
                                     "cy@example.com"]
    download = fmt.csv_bytes(tables.call_list_download(shown)).decode("utf-8-sig").splitlines()
    assert download[0] == ("Candidate,Phone,Days waiting,Status,E-mail,Job,Rejected on,Recruiter,"
                           "In the ATS")
    assert download[2].startswith("\"'=HYPERLINK(\"\"x\"\")\",555 0205,10,Overdue,eve@example.com,")
    command = call_list_json(calls_db, "--call-list-days", "90")
    assert [(r["candidate_name"], r["email"]) for r in command] == \
        list(zip(shown["Candidate"], shown["E-mail"]))
    at.number_input(key="call_list_days").set_value(60).run()
    assert list(table(at, "Candidate")["Candidate"]) == [
        '=HYPERLINK("x")', "Hal <i>O'Neil</i> & Co", "Cy Okafor"]


def test_the_overdue_figures_lead_to_the_call_list(calls_db, monkeypatch):
    monkeypatch.setenv("CX_DB", str(calls_db))
    for page in ("overview", "closing_the_loop"):
        at = open_app(page, query={"period": ["2025-06-01", "2025-06-30"]})
        [link] = [e for e in at.get("page_link") if "call list" in e.proto.label]
        # in June: B05 and B08 overdue (B03 within the SLA, B01 rejected in April)
        assert link.proto.label == "2 rejected interviewees overdue in this period: open the call list"
        assert link.proto.page.endswith("team")


def test_phone_and_ats_links():
    assert [tel_url("+1 555 0201"), tel_url("(555) 0203"), tel_url("+44 (0)20-7946.0018"),
            tel_url("n/a"), tel_url(None)] == \
        ["tel:+1-555-0201", "tel:555-0203", "tel:+44-0-20-7946-0018", None, None]
    assert profile_url("greenhouse", "4012", "77", {}) == \
        "https://app.greenhouse.io/people/4012?application_id=77"
    assert profile_url("greenhouse", "4012", "77", {"CX_GREENHOUSE_URL": "https://app2.greenhouse.io/"}) \
        == "https://app2.greenhouse.io/people/4012?application_id=77"
    assert profile_url("lever", "c-1", "o/6", {"CX_LEVER_URL": "https://hire.eu.lever.co"}) == \
        "https://hire.eu.lever.co/candidates/o%2F6"
    assert [profile_url(None, "c", "a", {}), profile_url("greenhouse", None, "a", {})] == [None, None]


def test_a_lever_load_links_each_row_to_the_opportunity(tmp_path, monkeypatch):
    from etl.load import load

    db = tmp_path / "cx.duckdb"
    load(DATA / "lever", db=str(db))
    monkeypatch.setenv("CX_DB", str(db))
    monkeypatch.setenv("CX_LEVER_URL", "https://hire.eu.lever.co")
    at = open_app("team", query={"call_list_days": "3650"})
    assert list(table(at, "Candidate")["In the ATS"]) == ["https://hire.eu.lever.co/candidates/o6"]
