"""Fivetran Greenhouse connector tables: the public dummy seeds (parsing, notes) and a tiny
hand-made set under tests/data/fivetran_greenhouse/ that joins (whole expected frames).

The hand-made set mirrors the Harvest v1 scenario: Ann (2001) applied twice (1001 rejected,
1007 active), Ben (2002) withdrew ("They rejected us") after declining an offer, Eve (2003) was
hired on the second offer version, Cara (2004) has no recruiter but a credited_to user, Dan
(2005) is a prospect (skipped), 1006 and interview 704 are deleted in Greenhouse
(`_fivetran_deleted`). Job 501 has one recruiter (its responsible one), job 502 two (none
responsible). Interviews come from the Snowflake variant (`"START"` header).
"""

from pathlib import Path

import pandas as pd
import pytest

from etl.contract import PROVENANCE, TABLES, ExportError, ReadOptions
from etl.sources import fivetran_greenhouse
from tests.vendor_helpers import DATASETS, assert_table, copy_export, public_dataset

DATA = Path(__file__).parent / "data" / "fivetran_greenhouse"
SHARED = DATASETS / "fivetran-greenhouse"
N = None


# ---------------------------------------------------------------- the public dummy seeds

@pytest.fixture(scope="module")
def shared():
    return fivetran_greenhouse.read(public_dataset("fivetran-greenhouse"), ReadOptions())


def test_shared_tables_load_with_their_row_counts(shared):
    assert fivetran_greenhouse.detect(SHARED)
    assert {name: len(table) for name, table in shared.tables.items()} == {
        "applications": 2, "stage_changes": 0, "interviews": 2, "users": 2, "jobs": 2,
        "candidates": 2}
    for name, table in shared.tables.items():
        assert list(table.columns) == TABLES[name].column_names + PROVENANCE
    assert shared.tables["applications"]["applied_at"].tolist() == [
        "2021-02-09T14:21:05.255Z", "2021-02-09T13:03:07.684Z"]
    assert shared.tables["interviews"]["status"].tolist() == ["completed", "completed"]


def test_shared_tables_say_what_does_not_join(shared):
    assert shared.skipped == {"application_history.csv": 2, "office.csv": 2}
    assert shared.files["scheduled_interview.csv"] == 2
    assert "scheduled_interview_postgres.csv" not in shared.files
    assert shared.notes == [
        "2 application(s) have no job in job_application.csv",
        "2 application(s) name a source not in source.csv",
        "2 application_history.csv row(s) change only the status (no stage) and are not stage "
        "changes",
        "scheduled_interview_postgres.csv was not read: scheduled_interview.csv holds the same "
        "table",
        "scheduled_interview_snowflake.csv was not read: scheduled_interview.csv holds the same "
        "table",
        "2 interview(s) name an application not in application.csv",
        "users.csv was not read: user.csv holds the same table",
        "2 user email(s) name a user not in user.csv",
        "2 job_department row(s) name a department not in department.csv",
        "2 rows of office.csv flagged deleted (_fivetran_deleted): not loaded",
        "2 job_office row(s) name an office not in office.csv",
        "2 application(s) reference a candidate not in candidate.csv",
        "activity.csv holds system events (applications, stage moves), not messages: it was "
        "not loaded as communications",
        "No email or note table: communications are unknown",
    ]
    assert shared.set_aside == []


# ---------------------------------------------------------------- the hand-made set

@pytest.fixture(scope="module")
def staged():
    return fivetran_greenhouse.read(DATA, ReadOptions())


def test_applications(staged):
    name = "application.csv"
    assert_table(staged, "applications", [
        ("1001", "2001", "501", "3001", "LinkedIn", "2025-01-06T09:00:00Z", "rejected",
         "2025-02-10T10:00:00Z", "Lacking skills", name, "2"),
        ("1002", "2002", "501", "3002", "Referral", "2025-01-10T08:00:00Z", "withdrawn",
         "2025-02-01T12:00:00Z", "Accepted another offer", name, "3"),
        ("1003", "2003", "501", "3002", "LinkedIn", "2025-01-02T00:00:00Z", "hired",
         "2025-02-20T15:30:00Z", N, name, "4"),
        ("1004", "2004", "502", "3003", N, "2025-01-15T00:00:00Z", "active", N, N, name, "5"),
        ("1007", "2001", "502", "3001", "Referral", "2025-03-01T09:00:00.250Z", "active", N, N,
         name, "8"),
    ])


def test_stage_changes(staged):
    name = "application_history.csv"
    assert_table(staged, "stage_changes", [
        ("1001", "Application Review", "other", "2025-01-06T09:00:00Z", N, name, "2"),
        ("1001", "Phone Screen", "screen", "2025-01-12T10:00:00Z", N, name, "3"),
        ("1001", "Onsite Interview", "interview", "2025-01-20T14:00:00Z", N, name, "4"),
        ("1003", "Offer", "offer", "2025-02-01T00:00:00Z", N, name, "6"),
    ])


def test_interviews_and_offers(staged):
    name = "scheduled_interview_snowflake.csv"
    assert_table(staged, "interviews", [
        ("701", "1001", "2025-01-20T14:00:00Z", N, "completed", name, "2"),
        ("702", "1002", "2025-01-15T10:00:00Z", N, "completed", name, "3"),
        ("703", "1007", "2025-03-10T09:00:00Z", N, "scheduled", name, "4"),
    ])
    assert_table(staged, "offers", [
        ("901", "1003", "1", "2025-02-02", N, N, "pending", N, N, N, "offer.csv", "2"),
        ("902", "1003", "2", "2025-02-11", N, "2025-02-20T15:30:00Z", "accepted", N, N, N,
         "offer.csv", "3"),
        ("903", "1002", "1", "2025-01-22", N, "2025-01-30T09:00:00Z", "declined", N,
         "Accepted another offer", N, "offer.csv", "4"),
    ])


def test_users_jobs_candidates(staged):
    assert_table(staged, "users", [
        ("3001", "Rita Recruiter", "rita@acme.example", N, N, "user.csv", "2"),
        ("3002", "Joe Jobowner", "joe@acme.example", N, N, "user.csv", "3"),
        ("3003", "Cred", N, N, N, "user.csv", "4"),
    ])
    assert_table(staged, "jobs", [
        ("501", "Backend Engineer", "Engineering", "Berlin, DE", "job.csv", "2"),
        ("502", "Designer", N, N, "job.csv", "3"),
    ])
    assert_table(staged, "candidates", [
        ("2001", "Ann Archer", "ann@mail.example", "+49 30 1111", "candidate.csv", "2"),
        ("2002", "Ben Baker", "ben@mail.example", N, "candidate.csv", "3"),
        ("2003", "Eve Evans", "eve@mail.example", N, "candidate.csv", "4"),
        ("2004", "Cara Cole", "cara@mail.example", N, "candidate.csv", "5"),
        ("2005", "Dan Drew", "dan@mail.example", N, "candidate.csv", "6"),
    ])


def test_communications_from_the_email_and_note_tables(staged):
    assert_table(staged, "communications", [
        ("email:801", "1001", "2025-01-06T09:05:00Z", "to_candidate", "email",
         "acknowledgement", N, "true", "keyword: thank you for applying", "email.csv", "2"),
        ("email:802", "1001", "2025-02-10T16:00:00Z", "to_candidate", "email", "rejection",
         "3001", "false", "timing", "email.csv", "3"),
        ("email:804", "1007", "2025-03-02T09:00:00Z", "to_candidate", "email", "scheduling",
         "3001", "false", "keyword: interview invitation", "email.csv", "6"),
        ("email:805", "1002", "2025-01-25T08:00:00Z", "from_candidate", "email",
         "offer_response", N, "false", "keyword: decline", "email.csv", "7"),
        ("note:851", "1001", "2025-02-10T11:00:00Z", "to_candidate", "phone", "rejection",
         "3001", "false", "call: spoke with; keyword: unfortunately", "note.csv", "2"),
        ("note:853", "1002", "2025-01-30T08:00:00Z", "from_candidate", "phone",
         "offer_response", "3002", "false", "call: candidate called; keyword: accept",
         "note.csv", "4"),
    ])


def test_files_skipped_and_notes(staged):
    assert list(staged.tables) == ["applications", "stage_changes", "interviews", "offers",
                                   "users", "jobs", "candidates", "communications"]
    assert staged.files == {
        "application.csv": 7, "offer.csv": 3, "rejection_reason.csv": 2,
        "job_application.csv": 7, "candidate.csv": 5, "hiring_team.csv": 4, "source.csv": 2,
        "application_history.csv": 6, "job_stage.csv": 4,
        "scheduled_interview_snowflake.csv": 4, "user.csv": 3, "user_email.csv": 2,
        "job.csv": 2, "job_department.csv": 1, "department.csv": 1, "job_office.csv": 1,
        "office.csv": 1, "email_address.csv": 6, "phone_number.csv": 1, "email.csv": 6,
        "note.csv": 3}
    assert staged.skipped == {"application.csv": 2, "application_history.csv": 2,
                              "scheduled_interview_snowflake.csv": 1, "email.csv": 2,
                              "note.csv": 1}
    assert staged.notes == [
        "1 row of application.csv flagged deleted (_fivetran_deleted or is_deleted): not loaded",
        "1 prospect application(s) (prospects and converted prospects) were not loaded",
        "1 application_history.csv row(s) change only the status (no stage) and are not stage "
        "changes",
        "1 record(s) in application_history.csv belong to prospect applications and were not "
        "loaded",
        "1 row of scheduled_interview_snowflake.csv flagged deleted (_fivetran_deleted): not "
        "loaded",
        "activity.csv holds system events (applications, stage moves), not messages: it was "
        "not loaded as communications",
        "1 email(s) in email.csv were internal (neither to nor from the candidate) and were "
        "not loaded",
        "1 note(s) in note.csv were internal (no call with the candidate) and were not loaded",
        "1 email(s) in email.csv could not be linked to an application (the candidate has "
        "none) and were not loaded",
    ]
    assert staged.set_aside == []


# ---------------------------------------------------------------- variations and bad input

@pytest.fixture
def export(tmp_path):
    return copy_export(DATA, tmp_path)


def test_detect(export, tmp_path):
    assert fivetran_greenhouse.detect(export)
    (tmp_path / "lever").mkdir()
    (tmp_path / "lever" / "opportunity.csv").write_text("id,contact\n1,2\n")
    assert not fivetran_greenhouse.detect(tmp_path / "lever")
    (tmp_path / "generic").mkdir()
    (tmp_path / "generic" / "application.csv").write_text("application_id,status\n1,active\n")
    assert not fivetran_greenhouse.detect(tmp_path / "generic")


def test_a_responsible_column_decides_the_jobs_recruiter(export):
    (export / "hiring_team.csv").write_text(
        "job_id,role,user_id,responsible\n501,recruiters,3001,false\n501,recruiters,3002,true\n"
        "502,recruiters,3001,false\n502,recruiters,3002,true\n")
    (export / "candidate.csv").write_text(
        (export / "candidate.csv").read_text().replace(",,,3001,,", ",,,,,"))
    staged = fivetran_greenhouse.read(export, ReadOptions())
    assert staged.tables["applications"]["recruiter_id"].tolist() == [
        "3002", "3002", "3002", "3002", "3002"]


def test_without_the_optional_tables_only_applications_load(export):
    for path in export.iterdir():
        if path.name != "application.csv":
            path.unlink()
    staged = fivetran_greenhouse.read(export, ReadOptions())
    assert list(staged.tables) == ["applications"]
    apps = staged.tables["applications"]
    assert apps["status"].tolist() == ["rejected", "rejected", "hired", "active", "active"]
    assert apps["source"].fillna("-").tolist() == ["71", "72", "71", "-", "72"]
    assert apps["closed_at"].tolist()[2] == "2025-03-05T00:00:00Z"  # last_activity_at
    assert staged.notes == [
        "1 row of application.csv flagged deleted (_fivetran_deleted or is_deleted): not loaded",
        "1 prospect application(s) (prospects and converted prospects) were not loaded",
        "2 rejected application(s) have a rejection reason not in rejection_reason.csv: they "
        "count as rejected (a withdrawal cannot be told)",
        "No email or note table: communications are unknown"]


def test_parquet_tables_read_like_csv(export):
    csv_apps = fivetran_greenhouse.read(export, ReadOptions()).tables["applications"]
    table = pd.read_csv(export / "application.csv", dtype="str", keep_default_na=False)
    table.to_parquet(export / "application.parquet")
    (export / "application.csv").unlink()
    staged = fivetran_greenhouse.read(export, ReadOptions())
    expected = csv_apps.assign(_file="application.parquet",
                               _line=["1", "2", "3", "4", "7"]).astype("str")
    pd.testing.assert_frame_equal(staged.tables["applications"], expected)


def test_missing_application_table_is_an_export_error(export):
    (export / "application.csv").unlink()
    with pytest.raises(ExportError, match=r"^application\.csv: required file is missing"):
        fivetran_greenhouse.read(export, ReadOptions())


def test_an_application_table_without_applied_at_is_an_export_error(export):
    (export / "application.csv").write_text("id,candidate_id,status\n1,2,active\n")
    with pytest.raises(ExportError) as error:
        fivetran_greenhouse.read(export, ReadOptions())
    assert str(error.value) == ("application.csv: required column applied_at is missing or "
                                "empty in every row")


def test_a_row_with_the_wrong_number_of_fields_is_set_aside(export):
    with (export / "note.csv").open("a") as handle:
        handle.write("2001,854,x\n")
    staged = fivetran_greenhouse.read(export, ReadOptions())
    assert staged.set_aside == [{"file": "note.csv", "line": 5, "column": None,
                                 "reason": "3 fields where the header has 8"}]
