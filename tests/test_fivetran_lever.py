"""Fivetran's Lever connector tables (etl/sources/fivetran_lever.py).

Two exports: the public dbt_lever seed tables in ../shared/datasets/fivetran-lever (dummy rows
that do not join: they test parsing and the notes on what could not be linked), and the
hand-made data/fivetran_lever, whose tables do join: op-1 active, op-2 hired (archive reason
"Hired" without a type), op-3 withdrawn after a denied offer, op-4 a second opportunity of
op-1's contact, rejected. as_of is op-2's hire, 2025-04-20T12:00:00.250Z.
"""

from pathlib import Path

import pandas as pd
import pytest

from etl.contract import ExportError, ReadOptions
from etl.sources import fivetran_lever
from tests.vendor_helpers import DATASETS, assert_table, copy_export, public_dataset, write_export

DATA = Path(__file__).parent / "data" / "fivetran_lever"
SHARED = DATASETS / "fivetran-lever"
OPP, HISTORY = "opportunity.csv", "opportunity_stage_history.csv"


# ---------------------------------------------------------------- the public seed tables

@pytest.fixture(scope="module")
def seeds():
    return fivetran_lever.read(public_dataset("fivetran-lever"), ReadOptions())


def test_seed_tables_load_with_their_counts(seeds):
    assert fivetran_lever.detect(SHARED)
    assert {name: len(table) for name, table in seeds.tables.items()} == {
        "applications": 3, "candidates": 3, "stage_changes": 3, "offers": 3,
        "interviews": 3, "users": 3, "jobs": 3}
    assert seeds.files == {
        OPP: 3, "archive_reason.csv": 3, "application.csv": 3, "opportunity_source.csv": 3,
        "contact_email.csv": 3, "contact_phone.csv": 3, HISTORY: 3, "stage.csv": 3,
        "offer.csv": 3, "interview.csv": 3, "users.csv": 3, "posting.csv": 3}
    assert seeds.skipped == {}
    assert seeds.set_aside == []


def test_seed_tables_say_what_does_not_join(seeds):
    assert seeds.notes == [
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
        "offer.csv has no sent time: each sent offer's created_at is used as the time sent, "
        "and accepted offers have no answer time",
        "3 of 3 rows in interview.csv name an opportunity not in opportunity.csv",
        "user.csv is not loaded: users.csv is the same table under its newer name",
        "The Lever connector syncs no notes: communications are unknown",
    ]


def test_seed_applications(seeds):
    assert_table(seeds, "applications", [
        ("f9214712-30b0-4d5a-9890-5a5dca493c07", "7441b5f5-023a-4ddc-9e9b-620c40a582ee", None,
         "94d6efa3-c00b-49bf-878b-7c1beeee2d52", None, "2019-01-12T04:09:11.975Z", "rejected",
         "2019-01-14T22:46:17.464Z", None, OPP, "2"),
        ("343d198c-7533-4d1e-9908-8e1bee98d417", "ce173b42-c543-4c8d-9177-9c61aa8fbb50", None,
         None, None, "2020-07-27T07:41:23Z", "active", None, None, OPP, "3"),
        ("3e4f0148-9eec-46ae-b0c3-05e9e9e11713", "41c67c84-f2b0-41ad-b67d-1d091650f683", None,
         "ad8545f3-0616-449d-8b93-0aa4eb8d9c7b", None, "2020-06-23T14:50:17.072Z", "active",
         None, None, OPP, "4"),
    ])


def test_seed_users_roles(seeds):
    assert list(seeds.tables["users"]["role"]) == ["interviewer", "interviewer", "recruiter"]


# ---------------------------------------------------------------- the hand-made joined set

@pytest.fixture(scope="module")
def staged():
    return fivetran_lever.read(DATA, ReadOptions())


def test_applications(staged):
    assert_table(staged, "applications", [
        ("op-1", "ct-1", "po-1", "us-1", "LinkedIn", "2025-03-01T09:00:00Z", "active",
         None, None, OPP, "2"),
        ("op-2", "ct-2", "po-2", "us-1", None, "2025-03-05T08:30:00Z", "hired",
         "2025-04-20T12:00:00.250Z", "Hired", OPP, "3"),
        # the job of the earliest application (not the first in the file)
        ("op-3", "ct-3", "po-1", "us-2", "Agency", "2025-03-10T11:00:00Z", "withdrawn",
         "2025-04-10T15:00:00Z", "Offer declined", OPP, "4"),
        ("op-4", "ct-1", None, None, None, "2025-02-01T10:00:00Z", "rejected",
         "2025-04-11T10:00:00Z", "Underqualified", OPP, "5"),
    ])


def test_candidates(staged):
    assert_table(staged, "candidates", [
        # the first email in the file, the phone with the lowest index
        ("ct-1", "Ada Active", "ada@example.com", "+1 555 0101", OPP, "2"),
        ("ct-2", "Ben Hired", "ben@example.com", None, OPP, "3"),
        ("ct-3", "Cy Declined", None, "+1 555 0103", OPP, "4"),
    ])


def test_stage_changes(staged):
    assert_table(staged, "stage_changes", [
        ("op-1", "New applicant", "other", "2025-03-01T09:00:00Z", None, HISTORY, "2"),
        ("op-1", "Phone Screen", "screen", "2025-03-03T10:00:00Z", "us-1", HISTORY, "3"),
        # written with an offset: converted to UTC
        ("op-2", "On-site Interview", "interview", "2025-04-01T11:00:00Z", "us-2", HISTORY, "4"),
        ("op-2", "Offer", "offer", "2025-04-14T09:15:00Z", "us-1", HISTORY, "5"),
    ])


def test_offers(staged):
    assert_table(staged, "offers", [
        ("of-2", "op-2", "1", "2025-04-15T09:00:00Z", None, None, "accepted", None, None, None,
         "offer.csv", "2"),
        # opportunity_id empty: candidate_id stands for it
        ("of-3a", "op-3", "1", "2025-04-01T11:00:00Z", None, None, "pending", None, None, None,
         "offer.csv", "3"),
        ("of-3b", "op-3", "2", "2025-04-05T10:00:00Z", None, "2025-04-10T15:00:00Z",
         "declined", None, "Offer declined", None, "offer.csv", "4"),
    ])


def test_interviews(staged):
    assert_table(staged, "interviews", [
        ("iv-1", "op-1", "2025-03-10T14:00:00Z", None, "completed", "interview.csv", "2"),
        ("iv-2", "op-1", "2025-05-02T10:00:00Z", None, "scheduled", "interview.csv", "3"),
        ("iv-3", "op-3", "2025-04-05T09:00:00Z", None, "cancelled", "interview.csv", "4"),
        ("iv-4", "op-2", "2025-04-20T12:00:00.250Z", None, "scheduled", "interview.csv", "5"),
    ])


def test_users_and_jobs_without_deleted_rows(staged):
    assert_table(staged, "users", [
        ("us-1", "Rita Recruiter", "rita@acme.test", "recruiter", None, "users.csv", "2"),
        ("us-2", "Sue Super", "sue@acme.test", "other", None, "users.csv", "3"),
    ])
    assert_table(staged, "jobs", [
        ("po-1", "Data Analyst", "Analytics", "Berlin", "posting.csv", "2"),
        ("po-2", "Backend Engineer", "Platform", "Remote", "posting.csv", "3"),
    ])


def test_load_summary(staged):
    assert "communications" not in staged.tables
    assert staged.files == {
        OPP: 4, "archive_reason.csv": 4, "application.csv": 4, "opportunity_source.csv": 3,
        "contact_email.csv": 3, "contact_phone.csv": 3, HISTORY: 4, "stage.csv": 4,
        "offer.csv": 5, "interview.csv": 4, "users.csv": 3, "posting.csv": 3}
    assert staged.skipped == {"archive_reason.csv": 1, "offer.csv": 2, "users.csv": 1,
                              "posting.csv": 1}
    assert staged.set_aside == []
    assert staged.notes == [
        "1 row of archive_reason.csv flagged deleted (_fivetran_deleted): not loaded",
        "2 offers in offer.csv not sent yet (draft, or awaiting or past approval) and not loaded",
        "offer.csv has no sent time: each sent offer's created_at is used as the time sent, "
        "and accepted offers have no answer time",
        "1 row of users.csv flagged deleted (_fivetran_deleted): not loaded",
        "1 row of posting.csv flagged deleted (_fivetran_deleted): not loaded",
        "The Lever connector syncs no notes: communications are unknown",
    ]


def test_timestamps_without_offset_are_in_the_load_time_zone():
    staged = fivetran_lever.read(DATA, ReadOptions(timezone="Europe/Berlin"))
    assert list(staged.tables["stage_changes"]["entered_at"]) == [
        "2025-03-01T08:00:00Z", "2025-03-03T09:00:00Z", "2025-04-01T11:00:00Z",
        "2025-04-14T07:15:00Z"]


def test_the_older_user_table_name(tmp_path):
    folder = copy_export(DATA, tmp_path)
    (folder / "users.csv").rename(folder / "user.csv")
    staged = fivetran_lever.read(folder, ReadOptions())
    assert list(staged.tables["users"]["_file"]) == ["user.csv", "user.csv"]
    assert staged.skipped["user.csv"] == 1


def test_parquet_tables(tmp_path):
    folder = copy_export(DATA, tmp_path)
    source = pd.read_csv(folder / OPP, dtype="str", keep_default_na=False)
    source["created_at"] = pd.to_datetime(source["created_at"])
    source.to_parquet(folder / "opportunity.parquet")
    (folder / OPP).unlink()
    staged = fivetran_lever.read(folder, ReadOptions())
    apps = staged.tables["applications"]
    assert list(apps["applied_at"]) == ["2025-03-01T09:00:00Z", "2025-03-05T08:30:00Z",
                                        "2025-03-10T11:00:00Z", "2025-02-01T10:00:00Z"]
    assert list(zip(apps["_file"], apps["_line"])) == [("opportunity.parquet", str(n))
                                                       for n in range(1, 5)]


def test_a_row_with_the_wrong_number_of_fields_is_set_aside(tmp_path):
    folder = copy_export(DATA, tmp_path)
    with (folder / "interview.csv").open("a") as f:
        f.write('iv-5,2025-05-01 00:00:00.000,,,"a\nquoted note",us-1\n'
                "iv-6,2025-05-01 00:00:00.000,,,2025-04-15 10:00:00,us-1,2025-04-16 10:00:00,"
                "30,Call,Europe/Berlin,op-1\n")
    staged = fivetran_lever.read(folder, ReadOptions())
    assert staged.set_aside == [{"file": "interview.csv", "line": 6, "column": None,
                                 "reason": "6 fields where the header has 11"}]
    assert staged.files["interview.csv"] == 6
    assert list(staged.tables["interviews"]["_line"]) == ["2", "3", "4", "5", "8"]


@pytest.mark.parametrize("files,message", [
    ({"users.csv": "id\n"}, "opportunity.csv: required file is missing from "),
    ({OPP: ""}, "opportunity.csv: the file is empty (expected a header row)"),
    ({OPP: "id,contact\n,c1\n,c2\n"},
     "opportunity.csv: required column id is missing or empty in every row"),
    ({OPP: b"id,name\no1,J\xe9r\xf4me\n"},
     "opportunity.csv: not UTF-8 text (undecodable byte at offset 12)"),
    ({OPP: "id,name\no1,\"unclosed\n"}, "opportunity.csv: not a CSV file (line 2: "),
    ({OPP: "id\no1\n", "offer.parquet": b"not parquet"}, "offer.parquet: not a Parquet file"),
])
def test_bad_files_stop_the_load_with_one_line(tmp_path, files, message):
    with pytest.raises(ExportError) as error:
        fivetran_lever.read(write_export(tmp_path, files), ReadOptions())
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_a_contacts_name_is_the_first_its_opportunities_give(tmp_path):
    # op-1 (ct-1's first opportunity) without a name: op-4's, as the API reader takes it
    folder = copy_export(DATA, tmp_path)
    path = folder / OPP
    path.write_text(path.read_text().replace(",Ada Active,applied,us-1,", ",,applied,us-1,"))
    staged = fivetran_lever.read(folder, ReadOptions())
    names = dict(zip(staged.tables["candidates"]["candidate_id"],
                     staged.tables["candidates"]["name"]))
    assert names == {"ct-1": "Ada Active", "ct-2": "Ben Hired", "ct-3": "Cy Declined"}


def test_an_offer_without_a_created_time_is_the_last_version(tmp_path):
    # of-3a loses its created_at: it follows of-3b, as in the API reader
    folder = copy_export(DATA, tmp_path)
    path = folder / "offer.csv"
    path.write_text(path.read_text().replace("op-3,2025-04-01 11:00:00,", "op-3,,"))
    offers = fivetran_lever.read(folder, ReadOptions()).tables["offers"]
    assert list(zip(offers["offer_id"], offers["version"])) == [
        ("of-2", "1"), ("of-3b", "1"), ("of-3a", "2")]
