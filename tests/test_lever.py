"""The Lever API export reader (etl/sources/lever.py) on the hand-made export in data/lever.

The export (six opportunities) exercises every mapping rule of vendor-formats.md, "Lever":
o1 active with expanded applications, two sent offer versions and two unsent ones; o2 hired;
o3 rejected after a completed interview, applications as ids only, a rejection call, a call
caught by the timing fallback, a call before the window and an internal note; o4 withdrawn (a
candidate's call); o5 withdrawn after a denied offer (a draft skipped, calls both ways); o6 a
second opportunity of o1's contact, interviewed, rejected before o1 with an archive reason
missing from archive_reasons.json. Files mix the accepted
shapes: `{"data": ...}` pages, bare arrays back to back, JSON lines, and both per-opportunity
layouts (offers.json and interviews.json with opportunityId; notes/ and interviews/ folders).
as_of is o2's hire, 2025-04-20T12:00:00Z.
"""

from pathlib import Path

import pandas as pd
import pytest

from etl import sources
from etl.contract import PROVENANCE, TABLES, ExportError, ReadOptions
from etl.rules import DEFAULT_RULES_FILE, Rules
from etl.sources import common, lever, lever_common
from tests.helpers import load, report
from tests.vendor_helpers import NO_FILTERS, assert_table, copy_export, write_export

DATA = Path(__file__).parent / "data" / "lever"
OPPS = "opportunities.json"


@pytest.fixture(scope="module")
def options():
    return ReadOptions(rules=Rules.load(DEFAULT_RULES_FILE))


@pytest.fixture(scope="module")
def staged(options):
    return lever.read(DATA, options)


def test_detect_needs_opportunities_json(tmp_path):
    assert lever.detect(DATA)
    assert not lever.detect(tmp_path)


def test_detected_by_content_beside_applications_json(tmp_path):
    # Lever's /opportunities/:id/applications dump is applications.json too: not Greenhouse's
    folder = copy_export(DATA, tmp_path)
    (folder / "applications.json").write_text(
        '[{"id": "app-o3", "opportunityId": "o3", "posting": "post-1", "createdAt": 1}]')
    assert sources.detect(folder) == "lever"


def test_a_folder_of_no_format_says_what_was_looked_for(tmp_path):
    folder = write_export(tmp_path, {"applications.json": '[{"id": "a1", "opportunityId": "o1"}]',
                                     "opportunities.json": '[{"id": "o1", "stage": "x"}]'})
    with pytest.raises(ExportError) as error:
        sources.detect(folder)
    assert str(error.value) == (
        f"{folder}: not a known export (looked for applications.csv (generic CSV); "
        "applications.json with Harvest v1 or v3 applications (Greenhouse); opportunities.json "
        "with Lever opportunities (Lever); application.csv with applied_at and candidate_id "
        "columns (Fivetran's Greenhouse tables); opportunity.csv (Fivetran's Lever tables)): "
        "applications.json: not a Greenhouse Harvest export (expected v1 records with "
        "applied_at and jobs, or v3 records with created_at and job_id); opportunities.json: "
        "not Lever opportunities (expected records with contact and createdAt)")
    (folder / "applications.json").unlink()
    (folder / "opportunities.json").unlink()
    with pytest.raises(ExportError) as error:
        sources.detect(folder)
    assert str(error.value).endswith("(Fivetran's Lever tables)): none of them is here")


@pytest.mark.parametrize("applications, job, note", [
    # by the opportunity's application id
    ('[{"id": "app-o3", "opportunityId": "o3", "posting": "post-1", "createdAt": 1}]',
     "post-1", None),
    # else the opportunity's earliest application there
    ('[{"id": "b", "opportunityId": "o3", "posting": "post-2", "createdAt": 2},'
     ' {"id": "a", "opportunityId": "o3", "posting": "post-1", "createdAt": 1}]', "post-1", None),
    # neither: the job stays unknown, and an application of no known opportunity is noted
    ('[{"id": "x", "opportunityId": "o9", "posting": "post-1", "createdAt": 1}]', None,
     "1 opportunity with applications as ids only and not in applications.json: job unknown"),
])
def test_applications_json_gives_the_job(tmp_path, options, applications, job, note):
    folder = copy_export(DATA, tmp_path)
    (folder / "applications.json").write_text(applications)
    staged = lever.read(folder, options)
    jobs = staged.tables["applications"].set_index("application_id")["job_id"]
    assert (None if pd.isna(jobs["o3"]) else jobs["o3"]) == job
    assert staged.files["applications.json"] == applications.count('"id"')
    gaps = [n for n in staged.notes if "ids only" in n or "in applications.json not" in n]
    expected = [note, "1 opportunity in applications.json not in opportunities.json: their "
                      "applications are not used"] if note else []
    assert gaps == expected


def test_applications(staged):
    assert_table(staged, "applications", [
        ("o1", "c-1", "post-1", "u-rec", "LinkedIn", "2025-03-01T09:00:00Z", "active",
         None, None, OPPS, "1"),
        ("o2", "c-2", "post-2", "u-rec", None, "2025-03-05T08:30:00Z", "hired",
         "2025-04-20T12:00:00Z", "Hired", OPPS, "2"),
        # applications as ids only: the job is unknown
        ("o3", "c-3", None, "u-adm", "Careers page", "2025-03-10T11:00:00Z", "rejected",
         "2025-04-10T15:00:00Z", "Underqualified", OPPS, "3"),
        # an expanded posting object gives its id
        ("o4", "c-4", "post-2", None, "Agency", "2025-03-12T14:00:00Z", "withdrawn",
         "2025-04-03T08:00:00Z", "Withdrew", OPPS, "4"),
        ("o5", "c-5", "post-1", "u-rec", "LinkedIn", "2025-03-15T10:00:00Z", "withdrawn",
         "2025-04-08T09:00:00Z", "Offer declined", OPPS, "5"),
        # archive reason r-missing is not in archive_reasons.json
        ("o6", "c-1", "post-2", "u-rec", None, "2024-11-02T16:45:00Z", "rejected",
         "2025-02-20T10:00:00Z", None, OPPS, "6"),
    ])


def test_candidates_one_per_contact(staged):
    assert_table(staged, "candidates", [
        ("c-1", "Ada Active", "ada@example.com", "+1 555 0101", OPPS, "1"),
        ("c-2", "Ben Hired", "ben@example.com", None, OPPS, "2"),
        ("c-3", "Bea Rejected", "bea@example.com", "+44 20 7946 0000", OPPS, "3"),
        ("c-4", "Cal Withdrew", None, None, OPPS, "4"),
        ("c-5", "Cy Declined", "cy@example.com", "+1 555 0105", OPPS, "5"),
    ])


def test_stage_changes_named_from_stages_json(staged):
    assert_table(staged, "stage_changes", [
        ("o1", "New applicant", "other", "2025-03-01T09:00:00Z", None, OPPS, "1"),
        ("o1", "Phone Screen", "screen", "2025-03-03T10:00:00Z", "u-rec", OPPS, "1"),
        ("o2", "On-site Interview", "interview", "2025-04-01T13:00:00Z", "u-hm", OPPS, "2"),
        ("o2", "Offer", "offer", "2025-04-14T09:15:00Z", "u-rec", OPPS, "2"),
        # not in stages.json: the id stands for the name
        ("o3", "stage-x", "other", "2025-03-20T10:00:00.500Z", "u-int", OPPS, "3"),
        ("o6", "On-site Interview", "interview", "2025-01-15T10:00:00Z", "u-hm", OPPS, "6"),
    ])


def test_offers_sent_ones_as_versions(staged):
    assert_table(staged, "offers", [
        # no sentAt: createdAt is the time sent; version order follows createdAt, not the file
        ("of-1c", "o1", "1", "2025-03-20T09:00:00Z", None, None, "pending", None, None, None,
         "offers.json", "4"),
        ("of-1d", "o1", "2", "2025-03-25T12:00:00Z", None, None, "pending", None, None, None,
         "offers.json", "3"),
        # signed: answered when the candidate signed
        ("of-2", "o2", "1", "2025-04-15T09:00:00Z", None, "2025-04-16T18:30:00.250Z",
         "accepted", None, None, None, "offers.json", "5"),
        ("of-5a", "o5", "1", "2025-04-01T11:00:00Z", None, None, "pending", None, None, None,
         "offers.json", "7"),
        # denied: answered when archived, the archive reason is the decline reason;
        # sent at the sent document's upload
        ("of-5b", "o5", "2", "2025-04-05T10:00:00Z", None, "2025-04-08T09:00:00Z",
         "declined", None, "Offer declined", None, "offers.json", "6"),
    ])


def test_an_offer_without_a_created_time_is_the_last_version(tmp_path, options):
    # of-5a loses its createdAt: it follows of-5b, as in the reader of Fivetran's Lever tables
    folder = copy_export(DATA, tmp_path)
    path = folder / "offers.json"
    path.write_text(path.read_text().replace(
        '"createdAt": 1743498000000,', '"createdAt": null,'))
    offers = lever.read(folder, options).tables["offers"]
    assert list(zip(offers["offer_id"], offers["version"]))[-2:] == [("of-5b", "1"),
                                                                     ("of-5a", "2")]


def test_call_notes_are_communications(staged):
    assert_table(staged, "communications", [
        ("note:n1", "o3", "2025-04-10T16:00:00Z", "to_candidate", "phone", "rejection",
         "u-adm", "false", "call: called; keyword: not moving forward", "notes/o3.json", "1"),
        # no keyword, 2 days after the rejection: the timing fallback makes it the notice
        ("note:n2", "o3", "2025-04-12T10:00:00Z", "to_candidate", "phone", "rejection",
         "u-adm", "false", "timing", "notes/o3.json", "2"),
        # 2 days before the rejection: outside the window
        ("note:n8", "o3", "2025-04-08T14:00:00Z", "to_candidate", "phone", "other",
         "u-adm", "false", "call: phone call; no keyword", "notes/o3.json", "4"),
        ("note:n4", "o4", "2025-04-02T09:00:00Z", "from_candidate", "phone", "withdrawal",
         "u-rec", "false", "call: candidate called; keyword: withdraw", "notes/o4.json", "1"),
        # the words of a note's fields count as well as its text
        ("note:n5", "o5", "2025-04-05T11:00:00Z", "to_candidate", "phone", "offer",
         "u-rec", "false", "call: spoke with; keyword: offer letter", "notes/o5.json", "1"),
        # "decline" is an offer response because o5 has a sent offer
        ("note:n6", "o5", "2025-04-07T17:00:00Z", "from_candidate", "phone", "offer_response",
         None, "false", "call: he called; keyword: decline", "notes/o5.json", "2"),
    ])


def test_interviews_status_against_as_of(staged):
    assert_table(staged, "interviews", [
        ("iv-1", "o1", "2025-03-10T14:00:00Z", None, "completed", "interviews.json", "1"),
        ("iv-2", "o1", "2025-05-02T10:00:00Z", None, "scheduled", "interviews.json", "2"),
        ("iv-3", "o3", "2025-04-05T09:00:00Z", None, "cancelled", "interviews.json", "3"),
        ("iv-5", "o3", "2025-03-25T15:00:00Z", None, "completed", "interviews.json", "4"),
        # exactly at as_of is not before it
        ("iv-4", "o2", "2025-04-20T12:00:00Z", None, "scheduled", "interviews/o2.json", "1"),
    ])


def test_users_and_jobs(staged):
    assert_table(staged, "users", [
        ("u-rec", "Rita Recruiter", "rita@acme.test", "recruiter", None, "users.json", "1"),
        ("u-adm", "Adam Admin", "adam@acme.test", "recruiter", None, "users.json", "2"),
        ("u-sup", "Sue Super", "sue@acme.test", "other", None, "users.json", "3"),
        ("u-hm", "Hank Manager", "hank@acme.test", "hiring_manager", None, "users.json", "4"),
        ("u-int", "Ivy Interviewer", None, "interviewer", None, "users.json", "5"),
    ])
    assert_table(staged, "jobs", [
        ("post-1", "Data Analyst", "Analytics", "Berlin", "postings.json", "1"),
        ("post-2", "Backend Engineer", "Platform", "Remote", "postings.json", "2"),
    ])


def test_load_summary(staged):
    assert staged.files == {
        OPPS: 6, "archive_reasons.json": 4, "stages.json": 4, "offers.json": 8,
        "notes/o3.json": 4, "notes/o4.json": 1, "notes/o5.json": 3, "interviews.json": 4,
        "interviews/o2.json": 1, "users.json": 5, "postings.json": 2}
    # three unsent offers; an internal note on o3; a deleted note on o5
    assert staged.skipped == {"offers.json": 3, "notes/o3.json": 1, "notes/o5.json": 1}
    assert staged.set_aside == []
    assert staged.notes == [
        "1 stage not in stages.json (or no stages.json): stage changes show the stage id "
        "as its name",
        "3 offers not sent yet (draft, or awaiting or past approval) and not loaded",
        "1 sent offer without sentAt: createdAt is used as the time sent",
        "6 of 8 notes mention a call (loaded as phone calls); 1 internal and 1 deleted "
        "(not loaded)",
        "1 opportunity with applications as ids only (not fetched with "
        "expand=applications): job unknown",
        "1 archived opportunity with an archive reason not in archive_reasons.json: counted "
        "as rejected, without a close reason",
    ]


def test_without_notes_communications_are_unknown(tmp_path, options):
    staged = lever.read(copy_export(DATA, tmp_path, ("notes",)), options)
    assert "communications" not in staged.tables
    assert "No notes in the export: communications are unknown (Lever has no email feed)" \
        in staged.notes
    # as_of is unchanged (o2's hire), so is every interview's status
    assert list(staged.tables["interviews"]["status"]) == [
        "completed", "scheduled", "cancelled", "completed", "scheduled"]


def test_notes_file_without_calls_gives_an_empty_table(tmp_path, options):
    folder = copy_export(DATA, tmp_path, ("notes",))
    (folder / "notes.json").write_text(
        '[{"id": "x1", "opportunityId": "o1", "text": "Nice portfolio", "createdAt": 1}]')
    staged = lever.read(folder, options)
    assert staged.tables["communications"].empty
    assert list(staged.tables["communications"].columns) == \
        TABLES["communications"].column_names + PROVENANCE
    assert staged.skipped["notes.json"] == 1


def test_both_layouts_together_load_each_record_once(tmp_path, options):
    folder = copy_export(DATA, tmp_path)
    (folder / "notes.json").write_text(
        '{"id": "n4", "opportunityId": "o4", "text": "Candidate called to withdraw", '
        '"createdAt": 1743584400000}\n'
        '{"id": "n9", "opportunityId": "o1", "text": "Spoke with Ada", '
        '"createdAt": 1741600800000}\n')
    staged = lever.read(folder, options)
    comms = staged.tables["communications"]
    assert list(zip(comms["communication_id"], comms["_file"], comms["_line"])) == [
        ("note:n4", "notes.json", "1"), ("note:n9", "notes.json", "2"),
        ("note:n1", "notes/o3.json", "1"), ("note:n2", "notes/o3.json", "2"),
        ("note:n8", "notes/o3.json", "4"), ("note:n5", "notes/o5.json", "1"),
        ("note:n6", "notes/o5.json", "2")]
    assert comms.loc[1, "occurred_at"] == "2025-03-10T10:00:00Z"
    assert staged.skipped["notes/o4.json"] == 1
    assert "1 of 10 notes repeat an id read before: loaded once" in staged.notes


def test_values_that_are_not_epoch_milliseconds_are_kept(tmp_path, options):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / OPPS).write_text(
        '[{"id": "o1", "contact": "c1", "createdAt": "yesterday", "archived": null},\n'
        ' {"id": "o2", "contact": "c2", "createdAt": "1741080600123", "archived": null}]')
    apps = lever.read(folder, options).tables["applications"]
    assert list(apps["applied_at"]) == ["yesterday", "2025-03-04T09:30:00.123Z"]


@pytest.mark.parametrize("archived,text,kind,status", [
    (False, None, None, "active"),
    (True, "Hired", "hired", "hired"),
    (True, "Hired", None, "hired"),           # no type: the text tells
    (True, "Hired elsewhere", "non-hired", "rejected"),
    (True, "Withdrew", "non-hired", "withdrawn"),
    (True, "Offer DECLINED", "non-hired", "withdrawn"),
    (True, "Candidate unresponsive", "non-hired", "withdrawn"),
    (True, "Accepted another offer", "non-hired", "withdrawn"),
    (True, "Unresponsive", "non-hired", "withdrawn"),
    (True, "No Show", "non-hired", "withdrawn"),
    (True, "Underqualified", "non-hired", "rejected"),
    (True, None, None, "rejected"),
])
def test_application_status(archived, text, kind, status):
    assert lever_common.application_status(archived, text, kind) == status


@pytest.mark.parametrize("name,kind", [
    ("Phone Screen", "screen"), ("Recruiter screen interview", "screen"),
    ("On-site Interview", "interview"), ("Onsite", "interview"), ("Panel", "interview"),
    ("Technical Assessment", "interview"), ("Offer", "offer"), ("Hired", "hired"),
    ("New applicant", "other"), ("Reached out", "other"), (None, "other"),
])
def test_stage_type(name, kind):
    assert common.stage_type(name) == kind


@pytest.mark.parametrize("role,expected_role", [
    ("super admin", "other"), ("admin", "recruiter"), ("Team Member", "recruiter"),
    ("limited team member", "hiring_manager"), ("interviewer", "interviewer"),
    ("robot", "other"), (None, None),
])
def test_user_role(role, expected_role):
    assert lever_common.user_role(role) == expected_role


@pytest.mark.parametrize("value,iso", [
    (0, "1970-01-01T00:00:00Z"), (1741080600000, "2025-03-04T09:30:00Z"),
    (1741080600123, "2025-03-04T09:30:00.123Z"), ("1741080600000", "2025-03-04T09:30:00Z"),
    (1741080600000.0, "2025-03-04T09:30:00Z"), (None, None), ("", None),
    ("2025-03-04", "2025-03-04"), (10**20, str(10**20)),
])
def test_epoch_milliseconds_to_iso(value, iso):
    assert lever.ms_to_iso(value) == iso


# ---------------------------------------------------------------- bad input

GOOD_OPPS = '[{"id": "o1", "contact": "c1", "createdAt": 1741080600000}]'


@pytest.mark.parametrize("files,message", [
    ({"users.json": "[]"}, "opportunities.json: required file is missing from "),
    ({OPPS: GOOD_OPPS, "notes/abc.json": '[\n  {"id": "n1",\n    x: 1}\n]'},
     "notes/abc.json: not valid JSON (line 3, column 5)"),
    ({OPPS: '[{"id": "o1"}] trailing'}, "opportunities.json: not valid JSON (line 1, column 16)"),
    ({OPPS: "[1, 2]"}, "opportunities.json: record 1 is not a JSON object"),
    ({OPPS: '{"data": {"id": "o1"}}'}, "opportunities.json: a page's \"data\" is not a list"),
    ({OPPS: '[{"contact": "c1"}, {"contact": "c2"}]'},
     "opportunities.json: required field id is missing in every record"),
    ({OPPS: GOOD_OPPS, "offers.json": '[{"id": "f1", "status": "sent"}]'},
     "offers.json: required field opportunityId is missing in every record"),
    ({OPPS: b'[{"id": "o1", "name": "J\xe9r\xf4me"}]'},
     "opportunities.json: not UTF-8 text (undecodable byte at offset 24)"),
])
def test_bad_files_stop_the_load_with_one_line(tmp_path, options, files, message):
    folder = write_export(tmp_path, files)
    with pytest.raises(ExportError) as error:
        lever.read(folder, options)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_an_empty_opportunities_file_gives_empty_tables(tmp_path, options):
    staged = lever.read(write_export(tmp_path, {OPPS: ""}), options)
    assert staged.files == {OPPS: 0}
    assert staged.tables["applications"].empty
    assert "stage_changes" not in staged.tables


# ---------------------------------------------------------------- through the loader and report

def test_whole_report_of_the_lever_export(tmp_path):
    # Worked out by hand from the staged frames above. First responses: o3 699h (the
    # relocation call, 04-08 14:00), o5 505h (the offer-letter call); none within 14 days.
    # Rejected and interviewed: o3 (completed iv-5), notified by call 1h after its rejection;
    # o6 (on-site stage), no notice, closed 59 days before as_of (overdue), and its candidate
    # applied again (o1, 03-01) after it closed. Offers per application: o1 v2 pending since
    # 03-25 (past the 3-day window), o2 accepted after 33.5h, o5 v2 declined after 71h by
    # phone (n6). The candidate answered o5's company turn (n5) in 54h (n6). o4 and o5
    # announced their withdrawals by phone within 7 days of closing.
    db = tmp_path / "cx.duckdb"
    summary = load(DATA, db, "--format", "lever")
    assert summary["rejected"] == []
    unassigned = {"recruiter_id": None, "name": "Unassigned", "applications": 1,
                  "rejections_interviewed": 0, "notice_coverage": None,
                  "notice_call_share": None, "notice_lag_hours_median": None,
                  "notices_overdue": 0, "notices_pending": 0,
                  "first_response_hours_median": None}
    assert report(db) == {
        "as_of": "2025-04-20T12:00:00Z",
        "filters": NO_FILTERS,
        "missing_inputs": [],
        "company": {
            "applications": 6, "first_response_hours_median": 602.0,
            "responded_within_14d_rate": 0.0, "responded_within_14d_n": 6,
            "reply_hours_median": None, "reply_n": 0,
            "rejections": 2, "rejections_interviewed": 2,
            "notice_coverage": 0.5, "notice_call_share": 0.5, "notice_coverage_all": 0.5,
            "notice_mix": {"call": 1, "personal_email": 0, "automated": 0, "none": 1},
            "notice_lag_hours_median": 1.0, "notices_overdue": 1, "notices_pending": 0,
            "reapply_rate_by_notice": {"call": 0.0, "personal_email": None, "automated": None,
                                       "none": 1.0},
        },
        "candidate": {
            "offers": 3, "offers_decided": 2, "acceptance_rate": 0.5, "decline_rate": 0.5,
            "silent_offer_rate": 0.0, "renege_rate": 0.0, "answer_hours_median": 52.25,
            "accept_hours_median": 33.5, "decline_hours_median": 71.0,
            "offers_past_deadline": 1,
            "decline_channels": {"call": 1, "written": 0, "unknown": 0},
            "decline_call_share": 1.0, "decline_reasons": {"Offer declined": 1},
            "reply_hours_median": 54.0, "reply_n": 1, "interviews_due": 2, "no_show_rate": 0.0,
            "withdrawals": 2, "withdrawal_notice_share": 1.0,
        },
        "recruiters": [
            {"recruiter_id": "u-adm", "name": "Adam Admin", "applications": 1,
             "rejections_interviewed": 1, "notice_coverage": 1.0, "notice_call_share": 1.0,
             "notice_lag_hours_median": 1.0, "notices_overdue": 0, "notices_pending": 0,
             "first_response_hours_median": 699.0},
            {"recruiter_id": "u-rec", "name": "Rita Recruiter", "applications": 4,
             "rejections_interviewed": 1, "notice_coverage": 0.0, "notice_call_share": 0.0,
             "notice_lag_hours_median": None, "notices_overdue": 1, "notices_pending": 0,
             "first_response_hours_median": 505.0},
            unassigned,
        ],
    }


def test_without_notes_the_report_says_communications_are_missing(tmp_path):
    db = tmp_path / "cx.duckdb"
    load(copy_export(DATA, tmp_path, ("notes",)), db, "--format", "lever")
    result = report(db)
    assert result["missing_inputs"] == ["communications"]
    assert result["company"]["notice_coverage"] is None
    assert result["company"]["first_response_hours_median"] is None
    assert result["candidate"]["withdrawal_notice_share"] is None
