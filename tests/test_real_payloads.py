"""Real payloads (../shared/datasets/real-payloads: Greenhouse's documentation examples, records
recorded from Greenhouse and Lever sandbox accounts, Fivetran's seed tables; see each SOURCE.md)
loaded as their users would load them: with `--format` and without.

Expected values are read off the payloads by hand:
- greenhouse-v1: 8 applications, 3 of them prospects (69306509, 19214950003, 19214993003);
  every offer and interview names an application nobody published (set aside); the feeds hold
  5 activities (system events), 1 internal email and 1 internal note. Recruiter 92120 is named
  by 985314, 69306314 and 69102626, and by candidate 53883394 (65153308); 19215172003 takes its
  candidate's recruiter 4218086003. Rejected: 985314 and 69102626. as_of = the latest
  applied_at (19215172003, 23:28:19.712).
- greenhouse-v3: one in_process application (1) by recruiter 1; its one application stage has
  entered_at null (skipped, noted); its one note is an admin-only NOTE (not a call).
- lever: 5 opportunities fetched without expand=applications: their jobs come from
  applications.json (2200dd68 for a739d309, 9ea413b6, 2a4e55a9; f45efa75 for 784ff8e2,
  7bf8c1ac); 2 archived with reasons nobody published (rejected); the one offer is a draft;
  the one note is no call; the two interviews fall before (completed) and after (scheduled)
  as_of = 7bf8c1ac's archivedAt.
- fivetran-greenhouse and fivetran-lever: dummy seed rows that rarely join (SOURCE.md): rows
  naming absent applications are set aside, deleted rows are skipped.
"""

import pytest

from etl.load import main as load_main
from tests.helpers import cli, load, report, rows
from tests.vendor_helpers import DATASETS, write_export

REAL = DATASETS / "real-payloads"
UNKNOWN = "unknown application"


def read(rows: int, skipped: int = 0, rejected: int = 0) -> dict:
    """A file's line of the load summary."""
    counts = {"rows": rows, "loaded": rows - skipped - rejected, "rejected": rejected}
    return counts | ({"skipped": skipped} if skipped else {})


def set_aside(file: str, ids: list[str]) -> list[dict]:
    """Rows set aside, line by line, for naming an application nobody published."""
    return [{"file": file, "line": line, "column": "application_id", "reason": f"{UNKNOWN} {i}"}
            for line, i in enumerate(ids, start=1 if file.endswith(".json") else 2)]


EXPECTED = {
    "greenhouse-v1": {
        "detected": "greenhouse",
        "files": {
            "applications.json": read(8, skipped=3), "offers.json": read(4, rejected=4),
            "candidates.json": read(4), "jobs.json": read(4),
            "scheduled_interviews.json": read(5, rejected=5), "users.json": read(4),
            "activity_feeds/978031.json": read(4, skipped=4),
            "activity_feeds/17130511003.json": read(1, skipped=1),
            "activity_feeds/17130554003.json": read(1, skipped=1),
            "activity_feeds/17130732003.json": read(1, skipped=1)},
        "rejected": set_aside("offers.json", ["91081818", "91078894", "91078894", "19215333003"])
        + set_aside("scheduled_interviews.json", ["4684156", "432905", "44937562003",
                                                  "44937562003", "44937562003"]),
        "ignored": ["SOURCE.md"],
        "notes": [
            "3 prospect application(s) (prospects and converted prospects) were not loaded",
            "5 activities in the activity feeds are system events, not communications, and "
            "were not loaded",
            "1 email(s) in the activity feeds were internal (neither to nor from the candidate) "
            "and were not loaded",
            "1 note(s) in the activity feeds were internal (no call with the candidate) and "
            "were not loaded"],
        "report": {"as_of": "2020-11-24T23:28:19Z",
                   "missing_inputs": ["communications", "stage_changes", "interviews", "offers"],
                   "applications": 5, "rejections": 2, "offers": 0, "interviews_due": 0,
                   "recruiters": [("4218086003", "Airbyte Team", 1), ("92120", "92120", 4)]},
    },
    "greenhouse-v3": {
        "detected": "greenhouse",
        "files": {"applications.json": read(1), "rejection_details.json": read(1),
                  "job_owners.json": read(1), "application_stages.json": read(1, skipped=1),
                  "users.json": read(1), "notes.json": read(1, skipped=1)},
        "rejected": [],
        "ignored": ["SOURCE.md"],
        "notes": [
            "1 record(s) in application_stages.json have no entered_at (history Greenhouse "
            "backfilled without a time) and were not loaded as stage changes",
            "1 note(s) in notes.json were internal (no call with the candidate) and were not "
            "loaded"],
        "report": {"as_of": "2024-01-01T12:30:30Z",
                   "missing_inputs": ["communications", "stage_changes", "interviews", "offers",
                                      "jobs"],
                   "applications": 1, "rejections": 0, "offers": 0, "interviews_due": 0,
                   "recruiters": [("1", "Admin User", 1)]},
    },
    "lever": {
        "detected": "lever",
        "files": {"opportunities.json": read(5), "applications.json": read(5),
                  "offers/2a4e55a9-42f6-4039-acf8-238ff099fa35.json": read(1, skipped=1),
                  "notes/784ff8e2-4536-4d65-8b29-e2dbeb0e8bef.json": read(1, skipped=1),
                  "interviews/784ff8e2-4536-4d65-8b29-e2dbeb0e8bef.json": read(1),
                  "interviews/9ea413b6-432a-4806-a6cb-683e55dda4c2.json": read(1),
                  "users.json": read(1)},
        "rejected": [],
        "ignored": ["SOURCE.md"],
        "notes": [
            "6 stages not in stages.json (or no stages.json): stage changes show the stage id "
            "as its name",
            "1 offer not sent yet (draft, or awaiting or past approval) and not loaded",
            "0 of 1 note mention a call (loaded as phone calls); 1 internal and 0 deleted (not "
            "loaded)",
            "2 archived opportunities with an archive reason not known (no "
            "archive_reasons.json): counted as rejected, without a close reason"],
        "report": {"as_of": "2021-08-09T21:06:13Z",
                   "missing_inputs": ["communications", "offers", "jobs"],
                   "applications": 5, "rejections": 2, "offers": 0, "interviews_due": 1,
                   "recruiters": [("fef0f830-2f3d-4217-9027-14519997bbb3",
                                   "Aleksandr Arhipenko", 5)]},
    },
    "fivetran-greenhouse": {
        "detected": "fivetran-greenhouse",
        "files": {
            "application.csv": read(2), "job_application.csv": read(2), "candidate.csv": read(2),
            "hiring_team.csv": read(2), "source.csv": read(2),
            "application_history.csv": read(2, skipped=2), "job_stage.csv": read(2),
            "scheduled_interview.csv": read(2, rejected=2), "users.csv": read(2),
            "user_email.csv": read(2), "job.csv": read(2), "job_department.csv": read(2),
            "department.csv": read(2), "job_office.csv": read(2),
            "office.csv": read(2, skipped=2), "email_address.csv": read(2),
            "phone_number.csv": read(2)},
        "rejected": set_aside("scheduled_interview.csv", ["24617404003", "17283086003"]),
        "ignored": ["SOURCE.md", "activity.csv", "attachment.csv", "candidate_tag.csv",
                    "eeoc.csv", "interview.csv", "job_opening.csv", "job_post.csv",
                    "prospect_pool.csv", "prospect_stage.csv", "scheduled_interviewer.csv",
                    "scorecard.csv", "scorecard_attribute.csv", "social_media_address.csv",
                    "tags.csv"],
        "notes": [
            "2 application(s) have no job in job_application.csv",
            "2 application(s) name a source not in source.csv",
            "2 application_history.csv row(s) change only the status (no stage) and are not "
            "stage changes",
            "2 interview(s) name an application not in application.csv",
            "2 user email(s) name a user not in users.csv",
            "2 job_department row(s) name a department not in department.csv",
            "2 rows of office.csv flagged deleted (_fivetran_deleted): not loaded",
            "2 job_office row(s) name an office not in office.csv",
            "2 application(s) reference a candidate not in candidate.csv",
            "activity.csv holds system events (applications, stage moves), not messages: it "
            "was not loaded as communications",
            "No email or note table: communications are unknown"],
        "report": {"as_of": "2021-02-09T14:21:05Z",
                   "missing_inputs": ["communications", "stage_changes", "interviews", "offers"],
                   "applications": 2, "rejections": 0, "offers": 0, "interviews_due": 0,
                   "recruiters": [(None, "Unassigned", 2)]},
    },
    "fivetran-lever": {
        "detected": "fivetran-lever",
        "files": {
            "opportunity.csv": read(3), "archive_reason.csv": read(3), "application.csv": read(3),
            "opportunity_source.csv": read(3), "contact_email.csv": read(3),
            "contact_phone.csv": read(3), "opportunity_stage_history.csv": read(3, rejected=3),
            "stage.csv": read(3), "offer.csv": read(3, rejected=3),
            "interview.csv": read(3, rejected=3), "users.csv": read(3), "posting.csv": read(3)},
        "rejected": set_aside("interview.csv", [
            "810566bc-8bd5-434a-a96e-726d3d19c2fa", "25cf7b0f-3aca-4aae-96a7-c246e5b6a336",
            "3d2d1059-f268-4729-819d-9d812ef10153"])
        + set_aside("offer.csv", [
            "4feb6dfc-ed57-40dd-b6fc-b68a5dbc201e", "3dc7ad40-711d-446d-910b-7b078c08096a",
            "38669509-44d4-4409-9cc9-5d987f9e4e10"])
        + set_aside("opportunity_stage_history.csv", [
            "ad2768bc-7f6d-40ff-8f57-5cf7bd019088", "390c993e-3802-4b8d-9c67-0e9791da15ed",
            "7d61ee39-7969-4851-ae62-ecb27ae22387"]),
        "ignored": ["SOURCE.md", "contact_link.csv", "feedback_form.csv",
                    "feedback_form_field.csv", "interview_feedback.csv", "interview_user.csv",
                    "interviewer_user.csv", "opportunity_tag.csv", "posting_interview.csv",
                    "posting_tag.csv", "requisition.csv", "requisition_offer.csv",
                    "requisition_posting.csv", "resume.csv", "user.csv"],
        "notes": [
            "1 archived opportunity with an archive reason not in archive_reason.csv: counted "
            "as rejected, without a close reason",
            "3 of 3 rows in application.csv name an opportunity not in opportunity.csv",
            "3 of 3 rows in opportunity_source.csv name an opportunity not in opportunity.csv",
            "3 of 3 rows in contact_email.csv name a contact not in opportunity.csv",
            "3 of 3 rows in contact_phone.csv name a contact not in opportunity.csv",
            "3 of 3 rows in opportunity_stage_history.csv name an opportunity not in "
            "opportunity.csv",
            "3 of 3 rows in opportunity_stage_history.csv name a stage not in stage.csv",
            "3 of 3 rows in offer.csv name an opportunity not in opportunity.csv",
            "offer.csv has no sent time: each sent offer's created_at is used as the time "
            "sent, and accepted offers have no answer time",
            "3 of 3 rows in interview.csv name an opportunity not in opportunity.csv",
            "user.csv is not loaded: users.csv is the same table under its newer name",
            "The Lever connector syncs no notes: communications are unknown"],
        "report": {"as_of": "2020-07-27T07:41:23Z",
                   "missing_inputs": ["communications", "stage_changes", "interviews", "offers"],
                   "applications": 3, "rejections": 1, "offers": 0, "interviews_due": 0,
                   "recruiters": [("94d6efa3-c00b-49bf-878b-7c1beeee2d52",
                                   "94d6efa3-c00b-49bf-878b-7c1beeee2d52", 1),
                                  ("ad8545f3-0616-449d-8b93-0aa4eb8d9c7b",
                                   "ad8545f3-0616-449d-8b93-0aa4eb8d9c7b", 1),
                                  (None, "Unassigned", 1)]},
    },
}
LOADS = [(folder, told) for folder in EXPECTED for told in (True, False)]


@pytest.fixture(scope="module", params=LOADS, ids=[f"{f}-{'format' if t else 'detected'}"
                                                    for f, t in LOADS])
def loaded(request, tmp_path_factory):
    """(folder name, summary, report) of one payload folder loaded into a database of its own,
    with --format (told) or without (detected)."""
    folder, told = request.param
    path = REAL / folder
    if not path.is_dir():
        pytest.skip(f"../shared/datasets/real-payloads/{folder} is not here")
    db = tmp_path_factory.mktemp(folder) / "cx.duckdb"
    summary = load(path, db, *(["--format", folder] if told else []))
    return folder, told, summary, report(db)


def test_the_format_is_the_one_told_or_detected(loaded):
    folder, told, summary, _ = loaded
    assert summary["format"] == (folder if told else EXPECTED[folder]["detected"])


def test_every_file_read_is_counted(loaded):
    folder, _, summary, _ = loaded
    assert summary["files"] == EXPECTED[folder]["files"]


def test_rows_set_aside_name_unpublished_applications(loaded):
    folder, _, summary, _ = loaded
    assert summary["rejected"] == EXPECTED[folder]["rejected"]


def test_every_file_not_read_is_listed(loaded):
    folder, _, summary, _ = loaded
    assert summary["ignored"] == EXPECTED[folder]["ignored"]


def test_every_deliberate_skip_is_noted(loaded):
    folder, _, summary, _ = loaded
    assert summary["notes"] == EXPECTED[folder]["notes"]


def test_the_report(loaded):
    folder, _, _, got = loaded
    company, candidate = got["company"], got["candidate"]
    assert {"as_of": got["as_of"], "missing_inputs": got["missing_inputs"],
            "applications": company["applications"], "rejections": company["rejections"],
            "offers": candidate["offers"], "interviews_due": candidate["interviews_due"],
            "recruiters": [(r["recruiter_id"], r["name"], r["applications"])
                           for r in got["recruiters"]]} == EXPECTED[folder]["report"]


def test_lever_jobs_come_from_applications_json(tmp_path):
    path = REAL / "lever"
    if not path.is_dir():
        pytest.skip("../shared/datasets/real-payloads/lever is not here")
    load(path, tmp_path / "cx.duckdb")
    assert rows(tmp_path / "cx.duckdb",
                "select application_id, job_id from applications order by applied_at") == [
        ("9ea413b6-432a-4806-a6cb-683e55dda4c2", "2200dd68-757d-4ed2-a9b7-e1856196b513"),
        ("784ff8e2-4536-4d65-8b29-e2dbeb0e8bef", "f45efa75-63f3-466c-93c2-643d3147968d"),
        ("a739d309-dfae-408d-a316-7f06fcd9150f", "2200dd68-757d-4ed2-a9b7-e1856196b513"),
        ("2a4e55a9-42f6-4039-acf8-238ff099fa35", "2200dd68-757d-4ed2-a9b7-e1856196b513"),
        ("7bf8c1ac-4a68-450f-bea0-a1e2c3f5aeaf", "f45efa75-63f3-466c-93c2-643d3147968d")]


def test_the_text_summary_lists_the_files_not_read(tmp_path):
    path = REAL / "greenhouse-v3"
    if not path.is_dir():
        pytest.skip("../shared/datasets/real-payloads/greenhouse-v3 is not here")
    code, _, err = cli(load_main, [path, "--db", tmp_path / "cx.duckdb"])
    assert code == 0
    assert "  application_stages.json: 1 rows, 0 loaded, 0 set aside, 1 skipped" in err
    assert "  ignored (not part of the greenhouse format): SOURCE.md" in err


def test_files_not_read_leave_out_hidden_ones(tmp_path):
    folder = write_export(tmp_path, {
        "applications.csv": "application_id,candidate_id,applied_at,status\n"
                            "A1,c1,2025-01-01T09:00:00Z,active\n",
        "README.txt": "notes", "extra/offers_old.csv": "x\n", ".DS_Store": "",
        "__MACOSX/._applications.csv": "", "extra/.hidden": ""})
    summary = load(folder, tmp_path / "cx.duckdb")
    assert list(summary["files"]) == ["applications.csv"]
    assert summary["ignored"] == ["README.txt", "extra/offers_old.csv"]
