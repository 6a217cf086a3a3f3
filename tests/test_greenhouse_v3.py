"""Greenhouse Harvest v3 reader and the Greenhouse format dispatcher.

tests/data/greenhouse_v3/ is a hand-made v3 export exercising every mapping rule of
vendor-formats.md "Greenhouse (Harvest API v3 JSON)"; the expected frames below are worked out
by hand from it. tests/data/greenhouse_parity/ holds one scenario written as a v1 and as a v3
export: both must stage the same records.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.contract import PROVENANCE, TABLES, ExportError, ReadOptions
from etl.rules import Rules
from etl.sources import greenhouse, greenhouse_v3
from etl.sources.common import parse_records, timestamp
from tests.vendor_helpers import NO_FILTERS, assert_frame, expected

DATA = Path(__file__).parent / "data"
V3 = DATA / "greenhouse_v3"
PARITY = DATA / "greenhouse_parity"
N = None


@pytest.fixture(scope="module")
def options() -> ReadOptions:
    return ReadOptions(rules=Rules.load())


@pytest.fixture(scope="module")
def staged(options):
    return greenhouse_v3.read(V3, options)


def frame(table: str, file: str, rows: list[tuple]) -> pd.DataFrame:
    """An expected staging frame; each row is the table's columns then its record number."""
    return expected(table, [(*row[:-1], file, str(row[-1])) for row in rows])


def copy_export(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(V3 / name, tmp_path / name)
    return tmp_path


# --- the whole v3 export -------------------------------------------------------------------

def test_applications(staged):
    # 1006 (prospect) and 1007 (converted) are skipped; 1002 recruiter and 1004 recruiter come
    # from job 202's responsible recruiter; 1002 source 602 is not in sources.json; 1004 is
    # closed by its rejection detail (THEY_REJECTED_US -> withdrawn); 1003 hired = the accepted
    # offer's resolved_at; 1008 hired without an offer = last_activity_at.
    assert_frame(staged.tables["applications"], frame("applications", "applications.json", [
        ("1001", "301", "201", "101", "LinkedIn", "2025-05-01T09:00:00Z", "active", N, N, 1),
        ("1002", "302", "202", "102", "602", "2025-05-02T10:00:00Z", "rejected",
         "2025-05-20T12:00:00Z", "Not a fit", 2),
        ("1003", "305", "201", "101", "LinkedIn", "2025-04-01T08:00:00Z", "hired",
         "2025-05-27T15:30:00Z", N, 3),
        ("1004", "303", "202", "102", "LinkedIn", "2025-05-05T09:00:00Z", "withdrawn",
         "2025-06-01T09:00:00Z", "Accepted another offer", 4),
        ("1005", "303", "203", N, N, "2025-06-05T09:00:00Z", "active", N, N, 5),
        ("1008", "306", "201", "101", "LinkedIn", "2025-05-06T09:00:00Z", "hired",
         "2025-06-15T11:00:00Z", N, 8),
        ("1009", "309", "201", "101", "LinkedIn", "2025-05-07T09:00:00Z", "withdrawn",
         "2025-06-20T10:00:00Z", "Declined our offer", 9),
    ]))


def test_stage_changes(staged):
    # 1209 has no entered_at and 1210 belongs to a prospect: both skipped; stage 9999 is unknown.
    assert_frame(staged.tables["stage_changes"], frame("stage_changes", "application_stages.json", [
        ("1001", "Application Review", "other", "2025-05-01T09:00:00Z", N, 1),
        ("1001", "Phone Screen", "screen", "2025-05-03T10:00:00Z", N, 2),
        ("1001", "Onsite Interview", "interview", "2025-05-09T16:00:00Z", N, 3),
        ("1003", "Offer", "offer", "2025-05-19T09:00:00Z", N, 4),
        ("1003", "Face to Face", "interview", "2025-04-20T09:00:00Z", N, 5),
        ("1003", "Hired", "hired", "2025-05-27T16:00:00Z", N, 6),
        ("1002", "Panel", "interview", "2025-05-08T09:00:00Z", N, 7),
        ("1002", "Take-home Assessment", "interview", "2025-05-14T09:00:00Z", N, 8),
        ("1005", N, "other", "2025-06-05T09:00:00Z", N, 11),
    ]))


def test_interviews(staged):
    # 907-909 are take-home tests (to_be_sent, sent, received): not interviews.
    assert_frame(staged.tables["interviews"], frame("interviews", "interviews.json", [
        ("901", "1001", "2025-05-10T14:00:00Z", N, "completed", 1),
        ("902", "1001", "2025-05-11T14:00:00Z", N, "completed", 2),
        ("903", "1002", "2025-05-12T09:30:00Z", N, "completed", 3),
        ("904", "1005", "2025-06-20T09:00:00Z", N, "scheduled", 4),
        ("905", "1005", "2025-06-25", N, "scheduled", 5),
        ("906", "1003", "2025-04-15T10:00:00Z", N, "cancelled", 6),
        ("910", "1002", "2025-05-15", N, "completed", 10),
    ]))


def test_offers(staged):
    # 804 is Created with no sent_on: an unsent draft, skipped; 801 is a Deprecated version.
    assert_frame(staged.tables["offers"], frame("offers", "offers.json", [
        ("801", "1003", "1", "2025-05-20", N, N, "pending", N, N, N, 1),
        ("802", "1003", "2", "2025-05-25", N, "2025-05-27T15:30:00Z", "accepted", N, N, N, 2),
        ("803", "1009", "1", "2025-06-12", N, "2025-06-19T16:00:00Z", "declined", N,
         "Declined our offer", N, 3),
        ("805", "1001", "1", "2025-06-01", N, N, "pending", N, N, N, 5),
    ]))


def test_communications(staged):
    # 1302: to a candidate address among others, any case, no user -> automated.
    # 1303: from the candidate, the application has a sent offer -> offer_response.
    # 1304: internal email; 1311: internal note; 1312/1315: ACTIVITY/FEEDBACK; 1313: prospect.
    # 1305/1306 have no application_id: candidate 303's applications 1004 (05-05) and 1005
    # (06-05) -> 1305 (06-06) belongs to 1005, 1306 (05-01, before both) to the earliest, 1004.
    # 1307 and the call 1309 have no keyword but follow 1002's rejection: timing fallback.
    # 1314's candidate has no application: not loaded, noted (as in v1).
    assert_frame(staged.tables["communications"], frame("communications", "notes.json", [
        ("email:1301", "1001", "2025-05-02T09:00:00Z", "to_candidate", "email", "scheduling",
         "101", "false", "keyword: availability", 1),
        ("email:1302", "1001", "2025-05-01T09:05:00Z", "to_candidate", "email",
         "acknowledgement", N, "true", "keyword: thank you for applying", 2),
        ("email:1303", "1001", "2025-06-03T08:00:00Z", "from_candidate", "email",
         "offer_response", "101", "false", "keyword: accept", 3),
        ("email:1305", "1005", "2025-06-06T10:00:00Z", "to_candidate", "email", "scheduling",
         "102", "false", "keyword: calendar", 5),
        ("email:1306", "1004", "2025-05-01T00:00:00Z", "from_candidate", "email", "withdrawal",
         N, "false", "keyword: withdraw", 6),
        ("email:1307", "1002", "2025-05-21T09:00:00Z", "to_candidate", "email", "rejection",
         "102", "false", "timing", 7),
        ("email:1308", "1002", "2025-05-20T12:05:00Z", "to_candidate", "email", "rejection",
         "102", "false", "keyword: unfortunately", 8),
        ("note:1309", "1002", "2025-05-20T13:00:00Z", "to_candidate", "phone", "rejection",
         "102", "false", "timing", 9),
        ("note:1310", "1004", "2025-05-31T15:00:00Z", "from_candidate", "phone", "withdrawal",
         "102", "false", "call: candidate called; keyword: accepted another", 10),
        ("email:1316", "1009", "2025-06-12T09:00:00Z", "to_candidate", "email", "offer", "101",
         "false", "keyword: offer letter", 16),
    ]))


def test_users_jobs_candidates(staged):
    assert_frame(staged.tables["users"], frame("users", "users.json", [
        ("101", "Rita Recruiter", "rita@acme.example", N, N, 1),
        ("102", "Joe Owner", "joe@acme.example", N, N, 2),
    ]))
    assert_frame(staged.tables["jobs"], frame("jobs", "jobs.json", [
        ("201", "Backend Engineer", "Engineering", N, 1),
        ("202", "Account Executive", "Sales", N, 2),
        ("203", "Designer", N, N, 3),
    ]))
    assert_frame(staged.tables["candidates"], frame("candidates", "candidates.json", [
        ("301", "Ada Lovelace", "Ada@Example.com", "+1 555 0101", 1),
        ("302", "Grace Hopper", "grace@example.com", N, 2),
        ("303", "Alan Turing", "alan@example.com", N, 3),
        ("304", "Linus", N, N, 4),
        ("305", "Katherine Johnson", "katherine@example.com", N, 5),
        ("306", "Margaret Hamilton", N, N, 6),
        ("307", "Ken Thompson", N, N, 7),
        ("309", "Hedy Lamarr", "hedy@example.com", N, 8),
    ]))


def test_load_summary(staged):
    assert list(staged.tables) == ["applications", "stage_changes", "interviews",
                                   "communications", "offers", "users", "jobs", "candidates"]
    assert staged.files == {
        "applications.json": 9, "rejection_reasons.json": 3, "rejection_details.json": 3,
        "offers.json": 5, "job_owners.json": 4, "sources.json": 1,
        "job_interview_stages.json": 8, "application_stages.json": 11, "interviews.json": 10,
        "users.json": 2, "departments.json": 2, "jobs.json": 3, "candidates.json": 8,
        "notes.json": 16}
    assert staged.skipped == {"applications.json": 2, "application_stages.json": 2,
                              "interviews.json": 3, "offers.json": 1, "notes.json": 6}
    # line 14, a call note on a candidate with no application, is not loaded (as in v1)
    assert staged.set_aside == []
    assert staged.notes == [
        "2 prospect application(s) (prospects and converted prospects) were not loaded",
        "1 record(s) in application_stages.json belong to prospect applications and were not "
        "loaded",
        "1 record(s) in application_stages.json have no entered_at (history Greenhouse "
        "backfilled without a time) and were not loaded as stage changes",
        "3 record(s) in interviews.json are take-home tests (to_be_sent, sent, received), not "
        "interviews, and were not loaded",
        "1 record(s) in offers.json are unsent drafts (Created, no sent_on) and were not loaded",
        "1 email(s) in notes.json were internal (neither to nor from the candidate) and were "
        "not loaded",
        "1 note(s) in notes.json were internal (no call with the candidate) and were not loaded",
        "2 row(s) in notes.json are neither emails nor notes (activities, interviews, feedback "
        "and the like) and were not loaded",
        "1 row(s) in notes.json belong to prospect applications and were not loaded",
        "1 call note(s) in notes.json could not be linked to an application (the candidate "
        "has none) and were not loaded",
    ]


# --- optional files -------------------------------------------------------------------------

def test_only_applications_json(tmp_path, options):
    # No rejection details, offers, owners or sources: statuses fall back to `rejected`,
    # 1004 has no closing time, 1003 closes at last_activity_at, sources are ids.
    staged = greenhouse_v3.read(copy_export(tmp_path, "applications.json"), options)
    assert list(staged.tables) == ["applications"]
    assert staged.files == {"applications.json": 9}
    assert_frame(staged.tables["applications"], frame("applications", "applications.json", [
        ("1001", "301", "201", "101", "601", "2025-05-01T09:00:00Z", "active", N, N, 1),
        ("1002", "302", "202", N, "602", "2025-05-02T10:00:00Z", "rejected",
         "2025-05-20T12:00:00Z", N, 2),
        ("1003", "305", "201", "101", "601", "2025-04-01T08:00:00Z", "hired",
         "2025-06-10T00:00:00Z", N, 3),
        ("1004", "303", "202", N, "601", "2025-05-05T09:00:00Z", "rejected", N, N, 4),
        ("1005", "303", "203", N, N, "2025-06-05T09:00:00Z", "active", N, N, 5),
        ("1008", "306", "201", "101", "601", "2025-05-06T09:00:00Z", "hired",
         "2025-06-15T11:00:00Z", N, 8),
        ("1009", "309", "201", "101", "601", "2025-05-07T09:00:00Z", "rejected",
         "2025-06-20T10:00:00Z", N, 9),
    ]))


def test_notes_without_candidates(tmp_path, options):
    # Without the candidates' addresses no email can be given a direction; calls still count.
    folder = copy_export(tmp_path, "applications.json", "notes.json")
    staged = greenhouse_v3.read(folder, options)
    comms = staged.tables["communications"]
    assert list(comms["communication_id"]) == ["note:1309", "note:1310"]
    assert list(comms["topic"]) == ["rejection", "withdrawal"]
    assert staged.notes == [
        "2 prospect application(s) (prospects and converted prospects) were not loaded",
        "9 email(s) in notes.json were not loaded: without candidates.json their direction "
        "cannot be told",
        "1 note(s) in notes.json were internal (no call with the candidate) and were not loaded",
        "2 row(s) in notes.json are neither emails nor notes (activities, interviews, feedback "
        "and the like) and were not loaded",
        "1 row(s) in notes.json belong to prospect applications and were not loaded",
        "1 call note(s) in notes.json could not be linked to an application (the candidate "
        "has none) and were not loaded",
    ]


def test_empty_notes_file_is_known_and_empty(tmp_path, options):
    folder = copy_export(tmp_path, "applications.json")
    (folder / "notes.json").write_text("[]")
    staged = greenhouse_v3.read(folder, options)
    assert_frame(staged.tables["communications"], TABLES["communications"].empty_frame())
    assert staged.files["notes.json"] == 0


# --- values and JSON shapes -----------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("2025-05-01T09:00:00.000Z", "2025-05-01T09:00:00Z"),
    ("2025-05-01T09:00:00Z", "2025-05-01T09:00:00Z"),
    ("2025-05-01T09:00:00.120Z", "2025-05-01T09:00:00.120Z"),
    ("2025-05-01T11:00:00+02:00", "2025-05-01T09:00:00Z"),
    ("2025-05-01T09:00:00", "2025-05-01T09:00:00Z"),
    ("not a time", "not a time"),
    (None, None),
])
def test_timestamp(raw, expected):
    assert timestamp(raw, ZoneInfo("UTC")) == expected


def test_timestamp_without_offset_uses_the_load_timezone():
    assert timestamp("2025-05-01T11:00:00", ZoneInfo("Europe/Paris")) == "2025-05-01T09:00:00Z"


@pytest.mark.parametrize("text", [
    '[{"id": 1}, {"id": 2}]\n[{"id": 3}]',   # pages back to back
    '[{"id": 1}][{"id": 2}]  [{"id": 3}]\n',
    '{"id": 1}\n{"id": 2}\n\n{"id": 3}\n',   # JSON lines
])
def test_pages_and_json_lines(text):
    assert parse_records(text, "x.json") == [{"id": 1}, {"id": 2}, {"id": 3}]


def test_empty_file_has_no_records():
    assert parse_records("  \n", "x.json") == []


# --- bad input ------------------------------------------------------------------------------

def write_export(folder: Path, **files: str) -> Path:
    for name, content in files.items():
        (folder / f"{name}.json").write_text(content)
    return folder


def test_malformed_json_names_file_line_and_column(tmp_path, options):
    folder = copy_export(tmp_path, "applications.json")
    (folder / "notes.json").write_text('[\n {"id": 1},\n   {x}\n]')
    with pytest.raises(ExportError) as caught:
        greenhouse_v3.read(folder, options)
    assert str(caught.value) == "notes.json: not valid JSON (line 3, column 5)"


def test_missing_applications_json(tmp_path, options):
    with pytest.raises(ExportError) as caught:
        greenhouse_v3.read(tmp_path, options)
    assert str(caught.value) == "applications.json: not found (it is the one required file)"


def test_required_field_missing_in_every_record(tmp_path, options):
    folder = write_export(tmp_path, applications='[{"id": 1, "candidate_id": 2, '
                                                 '"status": "in_process", "job_id": 3}]')
    with pytest.raises(ExportError) as caught:
        greenhouse_v3.read(folder, options)
    assert str(caught.value) == ("applications.json: no record has `created_at` (expected "
                                 "Greenhouse Harvest v3 applications)")


def test_record_that_is_not_an_object(tmp_path, options):
    folder = write_export(tmp_path, applications='[[1, 2]]')
    with pytest.raises(ExportError) as caught:
        greenhouse_v3.read(folder, options)
    assert str(caught.value) == "applications.json: record 1 is list, not a JSON object"


def test_not_utf8(tmp_path, options):
    (tmp_path / "applications.json").write_bytes(b'[{"id": "\xff"}]')
    with pytest.raises(ExportError) as caught:
        greenhouse_v3.read(tmp_path, options)
    assert str(caught.value) == "applications.json: not UTF-8 text"


def test_odd_values_are_kept_for_the_validator(tmp_path, options):
    # An unknown status and an unparseable time stay as the vendor wrote them.
    folder = write_export(tmp_path, applications='[{"id": 1, "candidate_id": 2, "job_id": null, '
                                                 '"created_at": "yesterday", "status": "paused"}]')
    staged = greenhouse_v3.read(folder, options)
    assert_frame(staged.tables["applications"], frame("applications", "applications.json", [
        ("1", "2", N, N, N, "yesterday", "paused", N, N, 1)]))


# --- the dispatcher -------------------------------------------------------------------------

def test_dispatcher_reads_v3(options):
    assert greenhouse.generation(V3) == "v3"
    assert greenhouse.detect(V3) and greenhouse_v3.detect(V3)
    via_dispatcher = greenhouse.read(V3, options)
    for name, table in greenhouse_v3.read(V3, options).tables.items():
        assert_frame(via_dispatcher.tables[name], table.reset_index(drop=True))


def test_dispatcher_reads_v1(options):
    greenhouse_v1 = pytest.importorskip("etl.sources.greenhouse_v1")
    folder = PARITY / "v1"
    assert greenhouse.generation(folder) == "v1"
    assert not greenhouse_v3.detect(folder)
    via_dispatcher = greenhouse.read(folder, options)
    direct = greenhouse_v1.read(folder, options)
    assert list(via_dispatcher.tables) == list(direct.tables)
    for name, table in direct.tables.items():
        assert_frame(via_dispatcher.tables[name], table.reset_index(drop=True))


def test_dispatcher_rejects_other_records(tmp_path, options):
    folder = write_export(tmp_path, applications='[{"id": "abc", "contact": "x", '
                                                 '"createdAt": 1714550400000}]')
    with pytest.raises(ExportError) as caught:
        greenhouse.read(folder, options)
    assert str(caught.value) == (
        "applications.json: not a Greenhouse Harvest export (expected v1 records with "
        "applied_at and jobs, or v3 records with created_at and job_id)")
    assert not greenhouse.detect(folder) and not greenhouse_v3.detect(folder)


@pytest.mark.parametrize("extra, expected", [
    ("notes.json", "v3"), ("interviews.json", "v3"),
    ("scheduled_interviews.json", "v1"), ("activity_feeds", "v1"),
])
def test_dispatcher_without_records_looks_at_the_other_files(tmp_path, extra, expected):
    write_export(tmp_path, applications="[]")
    if extra.endswith(".json"):
        (tmp_path / extra).write_text("[]")
    else:
        (tmp_path / extra).mkdir()
    assert greenhouse.generation(tmp_path) == expected


def test_dispatcher_without_records_or_hints(tmp_path):
    write_export(tmp_path, applications="[]", users="[]")
    with pytest.raises(ExportError) as caught:
        greenhouse.generation(tmp_path)
    assert str(caught.value) == ("applications.json: no records to tell Greenhouse v1 from v3 "
                                 "(use --format greenhouse-v1 or --format greenhouse-v3)")


def test_dispatcher_without_applications(tmp_path, options):
    assert not greenhouse.detect(tmp_path) and not greenhouse_v3.detect(tmp_path)
    with pytest.raises(ExportError) as caught:
        greenhouse.read(tmp_path, options)
    assert str(caught.value) == "applications.json: not found (a Greenhouse export needs it)"


def test_dispatcher_reports_malformed_json(tmp_path, options):
    write_export(tmp_path, applications='[{"id": 1,}]')
    with pytest.raises(ExportError) as caught:
        greenhouse.read(tmp_path, options)
    assert str(caught.value) == "applications.json: not valid JSON (line 1, column 11)"
    assert not greenhouse_v3.detect(tmp_path)


# --- parity: one scenario written as v1 and as v3 ----------------------------------------------

def comparable(table: pd.DataFrame) -> pd.DataFrame:
    """A staged table without provenance, evidence or communication ids, in a fixed order."""
    dropped = [c for c in PROVENANCE + ["evidence", "communication_id"] if c in table.columns]
    kept = table.drop(columns=dropped)
    return kept.sort_values(list(kept.columns), na_position="last").reset_index(drop=True)


def test_v1_and_v3_exports_of_one_scenario_stage_alike(options):
    greenhouse_v1 = pytest.importorskip("etl.sources.greenhouse_v1")
    v1 = greenhouse_v1.read(PARITY / "v1", options)
    v3 = greenhouse_v3.read(PARITY / "v3", options)
    assert list(v1.tables) == list(v3.tables) == [
        "applications", "interviews", "communications", "offers", "users", "jobs", "candidates"]
    for name in v1.tables:
        pd.testing.assert_frame_equal(comparable(v3.tables[name]), comparable(v1.tables[name]),
                                      obj=name)


# --- through the loader and the report -------------------------------------------------------

REPO = Path(__file__).parents[1]


def load_and_report(folder: Path, db: Path, fmt: str = "greenhouse") -> dict:
    """`python -m etl load` then `python -m queries report --format json`, as a user runs them."""
    loaded = subprocess.run([sys.executable, "-m", "etl", "load", str(folder), "--format", fmt,
                             "--db", str(db)], cwd=REPO, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    reported = subprocess.run([sys.executable, "-m", "queries", "report", "--db", str(db),
                               "--format", "json"], cwd=REPO, capture_output=True, text=True)
    assert reported.returncode == 0, reported.stderr
    return json.loads(reported.stdout)


def test_whole_report_of_the_v3_export(tmp_path):
    # Worked out by hand from tests/data/greenhouse_v3 (see the staged-frame tests above):
    # first responses 1001 24h (the automated acknowledgement does not count), 1002 434.08h,
    # 1005 25h, 1009 864h; 1002's notice is the 12:05 email, 5 minutes after its rejection,
    # and a call (note 1309); offers per application: 802 accepted after 63.5h, 803 declined
    # after 184h, 805 pending since 06-01 (past the 3-day window); 1004's withdrawal was
    # announced by the candidate's call 1310, 1009's was silent.
    recruiter = {"rejections_interviewed": 0, "notice_coverage": None, "notice_call_share": None,
                 "notice_lag_hours_median": None, "notices_overdue": 0, "notices_pending": 0}
    assert load_and_report(V3, tmp_path / "cx.duckdb") == {
        "as_of": "2025-06-20T10:00:00Z",
        "filters": NO_FILTERS,
        "missing_inputs": [],
        "company": {
            "applications": 7, "first_response_hours_median": 229.54,
            "responded_within_14d_rate": 0.2857, "responded_within_14d_n": 7,
            "reply_hours_median": None, "reply_n": 0,
            "rejections": 1, "rejections_interviewed": 1,
            "notice_coverage": 1.0, "notice_call_share": 1.0, "notice_coverage_all": 1.0,
            "notice_mix": {"call": 1, "personal_email": 0, "automated": 0, "none": 0},
            "notice_lag_hours_median": 0.08, "notices_overdue": 0, "notices_pending": 0,
            "reapply_rate_by_notice": {"call": 0.0, "personal_email": None, "automated": None,
                                       "none": None},
        },
        "candidate": {
            "offers": 3, "offers_decided": 2, "acceptance_rate": 0.5, "decline_rate": 0.5,
            "silent_offer_rate": 0.0, "renege_rate": 0.0, "answer_hours_median": 123.75,
            "accept_hours_median": 63.5, "decline_hours_median": 184.0,
            "offers_past_deadline": 1,
            "decline_channels": {"call": 0, "written": 0, "unknown": 1},
            "decline_call_share": None, "decline_reasons": {"Declined our offer": 1},
            "reply_hours_median": None, "reply_n": 0, "interviews_due": 4, "no_show_rate": 0.0,
            "withdrawals": 2, "withdrawal_notice_share": 0.5,
        },
        "recruiters": [
            {"recruiter_id": "101", "name": "Rita Recruiter", "applications": 4, **recruiter,
             "first_response_hours_median": 444.0},
            {"recruiter_id": "102", "name": "Joe Owner", "applications": 2,
             "rejections_interviewed": 1, "notice_coverage": 1.0, "notice_call_share": 1.0,
             "notice_lag_hours_median": 0.08, "notices_overdue": 0, "notices_pending": 0,
             "first_response_hours_median": 434.08},
            {"recruiter_id": None, "name": "Unassigned", "applications": 1, **recruiter,
             "first_response_hours_median": 25.0},
        ],
    }


def test_v1_and_v3_exports_of_one_scenario_report_alike(tmp_path):
    v1 = load_and_report(PARITY / "v1", tmp_path / "v1.duckdb")
    v3 = load_and_report(PARITY / "v3", tmp_path / "v3.duckdb")
    assert v3 == v1
    assert (v3["company"]["applications"], v3["candidate"]["offers"],
            v3["company"]["notice_mix"]["call"], v3["candidate"]["withdrawals"]) == (6, 2, 1, 2)


# --- any JSON: a staged export or an ExportError, never a traceback ----------------------------

FIELDS = ("id", "candidate_id", "application_id", "job_id", "status", "prospect", "created_at",
          "rejected_at", "last_activity_at", "recruiter_id", "source_id", "rejection_reason_id",
          "type", "key", "name", "user_id", "responsible", "version", "sent_on", "resolved_at",
          "starts_at", "all_day_start_on", "entered_at", "job_interview_stage_id",
          "email_to", "email_from", "email_addresses", "value", "body", "subject",
          "department_id", "first_name", "primary_email")
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
    st.sampled_from(["rejected", "in_process", "hired", "converted", "EMAIL", "NOTE",
                     "THEY_REJECTED_US", "recruiter", "Accepted", "Created", "complete",
                     "2025-05-01T09:00:00.000Z", "2025-05-01", "0001-01-01T00:00:00+01:00",
                     "a@b.c", "Called them", "1", "2"]),
    st.text(max_size=5))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3)),
    max_leaves=6)
RECORDS = st.lists(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=8), max_size=4)
FILES = ("applications.json", "notes.json", "offers.json", "interviews.json", "candidates.json",
         "rejection_details.json", "rejection_reasons.json", "job_owners.json", "sources.json",
         "application_stages.json", "job_interview_stages.json", "users.json", "jobs.json",
         "departments.json")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: RECORDS for name in FILES}))
def test_any_json_records_stage_or_fail_with_export_error(files):
    options = ReadOptions(rules=Rules.load())
    with tempfile.TemporaryDirectory() as folder:
        for name, records in files.items():
            (Path(folder) / name).write_text(json.dumps(records))
        try:
            staged = greenhouse.read(Path(folder), options)
        except ExportError as error:
            assert "\n" not in str(error) and str(error).split(":")[0].endswith(".json")
            return
        for name, table in staged.tables.items():
            assert list(table.columns) == TABLES[name].column_names + PROVENANCE
