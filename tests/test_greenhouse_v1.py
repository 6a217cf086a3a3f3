"""Greenhouse Harvest v1 JSON reader: a hand-made export under tests/data/greenhouse_v1/.

The scenario (ids: users 10x, jobs 20x, candidates 30x, applications 40x, offers 50x,
interviews 60x, emails/notes 7xx):
- Ann (301) applied twice: 401 (rejected) and 402 (active). Her feed has an automated
  acknowledgement, a reply from her second address, a keyword-less email the day of the
  rejection (timing fallback), an internal email (skipped), an email before her first
  application (-> earliest application), a scheduling email after 402 (-> 402), a call note
  with a rejection keyword and an internal note.
- Ben (302): 403 rejected with "They rejected us" -> withdrawn; recruiter from the job's
  responsible recruiter; a declined offer, his "decline" email, his call about another offer.
- Cara (303): 404, recruiter falls back to credited_to; a voicemail note (older singular keys,
  no id). Dan (304): a prospect only (405, skipped, with its interview and offer); his email
  cannot be linked. Eve (305): 406 hired, own recruiter field, a deprecated offer version and
  the accepted one (no version field: created_at order). Finn (306): 407 rejected with an
  automated rejection email, 408 hired without an offer (closed_at = last_activity_at).
"""

import json
import shutil
from pathlib import Path

import pytest

from etl.contract import PROVENANCE, TABLES, ExportError, ReadOptions
from etl.sources import greenhouse_v1
from tests.vendor_helpers import NO_FILTERS, assert_table, copy_export

DATA = Path(__file__).parent / "data" / "greenhouse_v1"
N = None


@pytest.fixture(scope="module")
def staged():
    return greenhouse_v1.read(DATA, ReadOptions())


def test_applications(staged):
    apps = "applications.json"
    assert_table(staged, "applications", [
        ("401", "301", "201", "101", "LinkedIn", "2025-01-06T09:00:00Z", "rejected",
         "2025-02-10T10:00:00Z", "Lacking skills", apps, "1"),
        ("402", "301", "202", "101", "Jobs page", "2025-03-01T09:00:00.250Z", "active",
         N, N, apps, "2"),
        ("403", "302", "201", "102", "Referral", "2025-01-10T08:00:00Z", "withdrawn",
         "2025-02-01T12:00:00Z", "Accepted another offer", apps, "3"),
        ("404", "303", "202", "103", N, "2025-01-15T00:00:00Z", "active", N, N, apps, "4"),
        ("406", "305", "201", "104", "LinkedIn", "2025-01-02T00:00:00Z", "hired",
         "2025-02-20T15:30:00Z", N, apps, "6"),
        ("407", "306", "202", N, N, "2025-02-01T00:00:00Z", "rejected",
         "2025-03-01T00:00:00Z", "Position filled", apps, "7"),
        ("408", "306", "201", "102", "Agency", "2024-06-01T00:00:00Z", "hired",
         "2024-07-15T10:00:00Z", N, apps, "8"),
    ])


def test_communications(staged):
    ann, ben, cara, finn = (f"activity_feeds/{c}.json" for c in (301, 302, 303, 306))
    assert_table(staged, "communications", [
        ("email:701", "401", "2025-01-06T09:05:00Z", "to_candidate", "email",
         "acknowledgement", N, "true", "keyword: thank you for applying", ann, "1"),
        ("email:702", "401", "2025-01-08T10:00:00Z", "from_candidate", "email", "scheduling",
         "101", "false", "keyword: availability", ann, "2"),
        ("email:703", "401", "2025-02-10T16:00:00Z", "to_candidate", "email", "rejection",
         "101", "false", "timing", ann, "3"),
        ("email:705", "401", "2024-12-01T00:00:00Z", "to_candidate", "email", "other",
         "101", "false", "no keyword", ann, "5"),
        ("email:706", "402", "2025-03-02T09:00:00Z", "to_candidate", "email", "scheduling",
         "101", "false", "keyword: interview invitation", ann, "6"),
        ("note:711", "401", "2025-02-10T11:00:00Z", "to_candidate", "phone", "rejection",
         "101", "false", "call: spoke with; keyword: unfortunately", ann, "1"),
        ("email:721", "403", "2025-01-25T08:00:00Z", "from_candidate", "email",
         "offer_response", N, "false", "keyword: decline", ben, "1"),
        ("email:722", "403", "2025-01-22T12:00:00Z", "to_candidate", "email", "offer",
         "102", "false", "keyword: offer letter", ben, "2"),
        ("note:723", "403", "2025-01-30T08:00:00Z", "from_candidate", "phone",
         "offer_response", "102", "false", "call: candidate called; keyword: accept", ben, "1"),
        ("note:303-1", "404", "2025-01-20T10:00:00Z", "to_candidate", "phone", "scheduling",
         "103", "false", "call: left a voicemail; keyword: schedule", cara, "1"),
        ("email:761", "407", "2025-03-01T00:05:00Z", "to_candidate", "email", "rejection",
         N, "true", "keyword: regret to inform", finn, "1"),
    ])


def test_offers(staged):
    offers = "offers.json"
    assert_table(staged, "offers", [
        ("501", "403", "1", "2025-01-22", N, "2025-01-30T09:00:00Z", "declined", N,
         "Accepted another offer", N, offers, "1"),
        ("502", "406", "1", "2025-02-02", N, N, "pending", N, N, N, offers, "2"),
        ("503", "406", "2", "2025-02-11", N, "2025-02-20T15:30:00Z", "accepted", N, N, N,
         offers, "3"),
    ])


def test_interviews(staged):
    name = "scheduled_interviews.json"
    assert_table(staged, "interviews", [
        ("601", "401", "2025-01-20T14:00:00Z", N, "completed", name, "1"),
        ("602", "403", "2025-01-15T10:00:00Z", N, "completed", name, "2"),
        ("603", "402", "2025-03-10", N, "scheduled", name, "3"),
    ])


def test_users_jobs_candidates(staged):
    assert_table(staged, "users", [
        ("101", "Rita Recruiter", "rita@acme.example", N, N, "users.json", "1"),
        ("102", "Joe Jobowner", "joe@acme.example", N, N, "users.json", "2"),
        ("103", "Cred Ited", N, N, N, "users.json", "3"),
        ("104", "Hannah Hiring", "hannah@acme.example", N, N, "users.json", "4"),
    ])
    assert_table(staged, "jobs", [
        ("201", "Backend Engineer", "Engineering", "Berlin, DE", "jobs.json", "1"),
        ("202", "Designer", N, N, "jobs.json", "2"),
    ])
    assert_table(staged, "candidates", [
        ("301", "Ann Archer", "ann@mail.example", "+49 30 1111", "candidates.json", "1"),
        ("302", "Ben Baker", "ben@mail.example", N, "candidates.json", "2"),
        ("303", "Cara Cole", "cara@mail.example", N, "candidates.json", "3"),
        ("304", "Dan Drew", "dan@mail.example", N, "candidates.json", "4"),
        ("305", "Eve Evans", "eve@mail.example", N, "candidates.json", "5"),
        ("306", "Finn Ford", "finn@mail.example", N, "candidates.json", "6"),
    ])


def test_no_stage_history_in_v1(staged):
    assert "stage_changes" not in staged.tables
    assert list(staged.tables) == ["applications", "interviews", "communications", "offers",
                                   "users", "jobs", "candidates"]


def test_files_skipped_and_notes(staged):
    assert staged.files == {
        "applications.json": 8, "offers.json": 4, "candidates.json": 6, "jobs.json": 2,
        "scheduled_interviews.json": 4, "users.json": 4,
        "activity_feeds/301.json": 9, "activity_feeds/302.json": 3,
        "activity_feeds/303.json": 2, "activity_feeds/304.json": 1,
        "activity_feeds/306.json": 1,
    }
    # feeds: activities[] (system events), internal emails and notes, unlinkable messages
    assert staged.skipped == {"applications.json": 1, "scheduled_interviews.json": 1,
                              "offers.json": 1, "activity_feeds/301.json": 3,
                              "activity_feeds/303.json": 1, "activity_feeds/304.json": 1}
    assert staged.notes == [
        "1 prospect application(s) (prospects and converted prospects) were not loaded",
        ("1 record(s) in scheduled_interviews.json belong to prospect applications and were not "
         "loaded"),
        "1 record(s) in offers.json belong to prospect applications and were not loaded",
        ("2 activities in the activity feeds are system events, not communications, and were not "
         "loaded"),
        ("1 email(s) in the activity feeds were internal (neither to nor from the candidate) "
        "and were not loaded"),
        ("1 note(s) in the activity feeds were internal (no call with the candidate) and were "
        "not loaded"),
        ("1 email(s) in the activity feeds could not be linked to an application (the "
         "candidate has none) and were not loaded"),
    ]
    assert staged.set_aside == []


def test_detect():
    assert greenhouse_v1.detect(DATA)


@pytest.fixture
def export(tmp_path):
    return copy_export(DATA, tmp_path)


def test_detect_rejects_v3_and_other_folders(export, tmp_path):
    (export / "notes.json").write_text("[]")
    assert not greenhouse_v1.detect(export)
    v3 = tmp_path / "v3"
    v3.mkdir()
    (v3 / "applications.json").write_text(
        '[{"id": 1, "candidate_id": 2, "created_at": "2025-01-01T00:00:00Z", "job_id": 3}]')
    assert not greenhouse_v1.detect(v3)
    (v3 / "applications.json").write_text("[{")
    assert not greenhouse_v1.detect(v3)
    assert not greenhouse_v1.detect(tmp_path)


def test_optional_files_absent_leave_their_tables_out(export):
    for name in ("candidates.json", "offers.json", "scheduled_interviews.json", "users.json",
                 "jobs.json"):
        (export / name).unlink()
    shutil.rmtree(export / "activity_feeds")
    staged = greenhouse_v1.read(export, ReadOptions())
    assert list(staged.tables) == ["applications"]
    apps = staged.tables["applications"]
    # without candidates.json and jobs.json the recruiter falls back to credited_to
    assert apps["recruiter_id"].fillna("none").tolist() == [
        "103", "103", "none", "103", "104", "none", "none"]
    assert apps.loc[apps["application_id"] == "406", "closed_at"].tolist() == [
        "2025-03-05T00:00:00Z"]  # no offers.json: hired closes at last_activity_at


def test_feeds_without_candidates_keep_only_calls(export):
    (export / "candidates.json").unlink()
    staged = greenhouse_v1.read(export, ReadOptions())
    comms = staged.tables["communications"]
    assert comms["communication_id"].tolist() == ["note:711", "note:723", "note:303-1"]
    assert staged.notes[3] == ("candidates.json is absent: emails cannot be told apart from "
                               "internal mail, so only call notes were loaded")


def test_an_empty_feed_folder_gives_an_empty_table(export):
    shutil.rmtree(export / "activity_feeds")
    (export / "activity_feeds").mkdir()
    staged = greenhouse_v1.read(export, ReadOptions())
    assert staged.tables["communications"].empty
    assert list(staged.tables["communications"].columns) == (
        TABLES["communications"].column_names + PROVENANCE)


def test_an_empty_applications_file_gives_an_empty_table(tmp_path):
    (tmp_path / "applications.json").write_text("[]\n")
    staged = greenhouse_v1.read(tmp_path, ReadOptions())
    assert list(staged.tables) == ["applications"]
    assert staged.tables["applications"].empty
    assert staged.files == {"applications.json": 0}


def test_a_user_rules_file_changes_the_topics(export, tmp_path):
    own = tmp_path / "rules.toml"
    own.write_text('[topics.rejection]\nkeywords = ["close your application"]\n')
    from etl.rules import Rules
    staged = greenhouse_v1.read(export, ReadOptions(rules=Rules.load(own)))
    comms = staged.tables["communications"].set_index("communication_id")
    assert comms.loc["email:703", ["topic", "evidence"]].tolist() == [
        "rejection", "keyword: close your application"]
    assert comms.loc["email:761", ["topic", "evidence"]].tolist() == ["rejection", "timing"]


@pytest.mark.parametrize("name,content,message", [
    ("activity_feeds/302.json", '{\n  "emails": [\n    {"id": 1,,}\n  ]\n}',
     "activity_feeds/302.json: not valid JSON (line 3, column 14)"),
    ("offers.json", '[{"id": 1}]\n[{"id": 2}', "offers.json: not valid JSON (line 2, column 11)"),
    ("applications.json", '[1, 2]', "applications.json: record 1 is int, not a JSON object"),
    ("applications.json", '[{"id": 1, "status": "active"}]',
     ("applications.json: no record has `candidate_id` (expected Greenhouse Harvest v1 "
     "applications)")),
    ("activity_feeds/302.json", '{"emails": {"id": 1}}',
     "activity_feeds/302.json: `emails` is not a list of objects"),
    ("activity_feeds/302.json", '{"emails": []}\n{"notes": []}',
     "activity_feeds/302.json: expected one activity feed object, found 2"),
])
def test_bad_files_raise_one_line_naming_the_file(export, name, content, message):
    (export / name).write_text(content)
    with pytest.raises(ExportError) as error:
        greenhouse_v1.read(export, ReadOptions())
    assert str(error.value) == message


def test_missing_applications_is_an_export_error(export):
    (export / "applications.json").unlink()
    with pytest.raises(ExportError, match=r"^applications\.json: not found in .* \(it is the "
                                          r"one required file\)$"):
        greenhouse_v1.read(export, ReadOptions())


def test_non_utf8_is_an_export_error(export):
    (export / "users.json").write_bytes(b'[{"id": 1, "name": "\xff"}]')
    with pytest.raises(ExportError, match=r"^users\.json: not UTF-8 text$"):
        greenhouse_v1.read(export, ReadOptions())


# ---------------------------------------------------------------- through the loader to the report

def test_load_and_report(tmp_path, capsys):
    """The whole report of the scenario, worked out by hand (as_of = the latest moment, email
    706 on 2025-03-02 09:00):
    - first responses: 401 call 711 (842 h; the automated acknowledgement does not count and
      email 705 predates the application), 402 email 706 (24 h less 0.25 s), 403 email 722
      (292 h), 404 voicemail (130 h), 407 automated rejection (672.08 h); median 292.
      Applied 14+ days before as_of: all but 402 (n 6), within 336 h: 403, 404.
    - rejections 401 and 407; only 401 was interviewed (interview 601); its notices are the
      call 711 and the timing-fallback email 703 -> kind call, lag 1 h; Ann re-applied (402).
      407's automated email covers it in notice_coverage_all.
    - offers: 403 declined (v1, 201 h), 406 accepted (v2 of 2, 231.5 h); the decline was
      answered by email 721 (written). Ben's turn (721, 723) answered offer email 722 in 68 h.
    - withdrawal 403: call 723 is within 7 days before its closing.
    """
    from etl.load import main as load_main
    from queries.report import main as report_main

    db = str(tmp_path / "cx.duckdb")
    assert load_main([str(DATA), "--format", "greenhouse-v1", "--db", db]) == 0
    capsys.readouterr()
    assert report_main(["--db", db, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    empty_recruiter = {"rejections_interviewed": 0, "notice_coverage": None,
                       "notice_call_share": None, "notice_lag_hours_median": None,
                       "notices_overdue": 0, "notices_pending": 0}
    assert report == {
        "as_of": "2025-03-02T09:00:00Z",
        "filters": NO_FILTERS,
        "missing_inputs": ["stage_changes"],
        "company": {
            "applications": 7, "first_response_hours_median": 292.0,
            "responded_within_14d_rate": 0.3333, "responded_within_14d_n": 6,
            "reply_hours_median": None, "reply_n": 0,
            "rejections": 2, "rejections_interviewed": 1,
            "notice_coverage": 1.0, "notice_call_share": 1.0, "notice_coverage_all": 1.0,
            "notice_mix": {"call": 1, "personal_email": 0, "automated": 0, "none": 0},
            "notice_lag_hours_median": 1.0, "notices_overdue": 0, "notices_pending": 0,
            "reapply_rate_by_notice": {"call": 1.0, "personal_email": None, "automated": None,
                                       "none": None},
        },
        "candidate": {
            "offers": 2, "offers_decided": 2, "acceptance_rate": 0.5, "decline_rate": 0.5,
            "silent_offer_rate": 0.0, "renege_rate": 0.0,
            "answer_hours_median": 216.25, "accept_hours_median": 231.5,
            "decline_hours_median": 201.0, "offers_past_deadline": 0,
            "decline_channels": {"call": 0, "written": 1, "unknown": 0},
            "decline_call_share": 0.0, "decline_reasons": {"Accepted another offer": 1},
            "reply_hours_median": 68.0, "reply_n": 1,
            "interviews_due": 2, "no_show_rate": 0.0,
            "withdrawals": 1, "withdrawal_notice_share": 1.0,
        },
        "recruiters": [
            {"recruiter_id": "101", "name": "Rita Recruiter", "applications": 2,
             "rejections_interviewed": 1, "notice_coverage": 1.0, "notice_call_share": 1.0,
             "notice_lag_hours_median": 1.0, "notices_overdue": 0, "notices_pending": 0,
             "first_response_hours_median": 433.0},
            {"recruiter_id": "102", "name": "Joe Jobowner", "applications": 2,
             **empty_recruiter, "first_response_hours_median": 292.0},
            {"recruiter_id": "103", "name": "Cred Ited", "applications": 1,
             **empty_recruiter, "first_response_hours_median": 130.0},
            {"recruiter_id": "104", "name": "Hannah Hiring", "applications": 1,
             **empty_recruiter, "first_response_hours_median": None},
            {"recruiter_id": None, "name": "Unassigned", "applications": 1,
             **empty_recruiter, "first_response_hours_median": 672.08},
        ],
    }
