"""The sample generator: deterministic, within the contract, and telling the intended story."""

import re

import numpy as np
import pandas as pd
import pytest

from etl.contract import BOOLEAN, INTEGER, TABLES, TIMESTAMP, csv_columns
from etl.sample import END, generate, main

FILES = ["applications", "stage_changes", "interviews", "communications", "offers", "users",
         "jobs", "candidates"]
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
END_TS = pd.Timestamp(END)
CALLER, EMAILER, FORGETFUL, SLOW = "u101", "u102", "u103", "u104"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    steps = []
    written = generate(out, applications=3000, seed=7, progress=steps.append)
    return out, written, steps


@pytest.fixture(scope="module")
def text(sample):
    """Every file as text frames: empty cells are None."""
    out = sample[0]
    return {name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False,
                              na_values=[""]).replace({np.nan: None}) for name in FILES}


@pytest.fixture(scope="module")
def data(text):
    """The files with timestamps parsed."""
    frames = {name: frame.copy() for name, frame in text.items()}
    for name, frame in frames.items():
        for column in TABLES[name].columns:
            if column.kind == TIMESTAMP:
                frame[column.name] = pd.to_datetime(frame[column.name], utc=True)
    return frames


def _bytes(folder):
    return {name: (folder / f"{name}.csv").read_bytes() for name in FILES}


def test_same_seed_gives_byte_identical_files(sample, tmp_path):
    generate(tmp_path, applications=3000, seed=7)
    assert _bytes(tmp_path) == _bytes(sample[0])


def test_another_seed_gives_other_data(sample, tmp_path):
    generate(tmp_path, applications=3000, seed=8)
    ours, theirs = _bytes(sample[0]), _bytes(tmp_path)
    assert ours["applications"] != theirs["applications"]
    assert ours["communications"] != theirs["communications"]
    assert ours["users"] == theirs["users"]  # the cast is fixed


def test_reports_rows_per_file_and_progress(sample):
    out, written, steps = sample
    lines = {f"{name}.csv": len((out / f"{name}.csv").read_bytes().splitlines()) - 1
             for name in FILES}
    assert written == lines
    assert written["applications.csv"] == 3000
    assert steps[0] == "simulating applications"
    assert steps[1:] == [f"writing {name}.csv" for name in FILES]


def test_files_have_exactly_the_contract_columns_and_unix_lines(sample):
    for name in FILES:
        raw = (sample[0] / f"{name}.csv").read_bytes()
        assert raw.split(b"\n", 1)[0].decode() == ",".join(csv_columns(name))
        assert raw.endswith(b"\n") and b"\r" not in raw
        raw.decode("utf-8")


def test_every_value_satisfies_the_contract(text):
    for name in FILES:
        frame = text[name]
        for column in TABLES[name].columns:
            if column.name not in frame:
                continue
            values = frame[column.name]
            filled = values.dropna()
            assert not column.required or len(filled) == len(values), (name, column.name)
            assert (filled != "").all(), (name, column.name)
            if column.allowed:
                assert set(filled) <= set(column.allowed), (name, column.name)
            if column.kind == TIMESTAMP:
                assert filled.str.match(ISO_UTC).all(), (name, column.name)
            if column.kind == BOOLEAN:
                assert set(filled) <= {"true", "false"}, (name, column.name)
            if column.kind == INTEGER:
                assert filled.str.fullmatch(r"\d+").all(), (name, column.name)


def test_ids_are_unique_and_references_resolve(text):
    for name in FILES:
        key = TABLES[name].key
        if key:
            assert text[name][key].is_unique, name
    applications = set(text["applications"]["application_id"])
    for name in ("stage_changes", "interviews", "communications", "offers"):
        assert set(text[name]["application_id"]) <= applications, name
    users = set(text["users"]["user_id"])
    assert set(text["applications"]["recruiter_id"].dropna()) <= users
    for name in ("stage_changes", "communications"):
        assert set(text[name]["user_id"].dropna()) <= users, name
    assert set(text["applications"]["job_id"]) <= set(text["jobs"]["job_id"])
    assert set(text["applications"]["candidate_id"]) == set(text["candidates"]["candidate_id"])


def test_closed_at_is_set_exactly_when_not_active(text):
    apps = text["applications"]
    active = apps["status"] == "active"
    assert apps.loc[active, "closed_at"].isna().all()
    assert apps.loc[~active, "closed_at"].notna().all()
    assert apps.loc[active, "close_reason"].isna().all()
    assert 0 < active.sum() < len(apps)
    assert apps["recruiter_id"].isna().sum() > 0  # some Unassigned


def test_timeline_is_consistent_and_ends_at_the_export(data):
    apps = data["applications"].set_index("application_id")
    assert (apps["closed_at"].dropna() >= apps["applied_at"].loc[apps["closed_at"].notna()]).all()
    for name, column in (("communications", "occurred_at"), ("stage_changes", "entered_at")):
        frame = data[name]
        assert (frame[column] >= apps["applied_at"].loc[frame["application_id"]].to_numpy()).all()
        assert frame[column].max() <= END_TS
    offers = data["offers"]
    assert (offers["responded_at"].dropna() >= offers.loc[offers["responded_at"].notna(), "sent_at"]).all()
    assert (offers["reneged_at"].dropna() > offers.loc[offers["reneged_at"].notna(), "responded_at"]).all()
    interviews = data["interviews"]
    future = interviews["scheduled_at"] > END_TS
    assert (interviews.loc[future, "status"] == "scheduled").all()
    assert (interviews.loc[~future, "status"] != "scheduled").all()


def test_stage_changes_follow_the_path(data):
    order = {"applied": 0, "screen": 1, "interview": 2, "other": 3, "offer": 4, "hired": 5}
    stages = data["stage_changes"].sort_values(["application_id", "entered_at"])
    rank = stages["stage_type"].map(order)
    assert (rank.groupby(stages["application_id"]).diff().dropna() >= 0).all()
    assert (stages.groupby("application_id")["stage_type"].first() == "applied").all()
    hired = set(stages.loc[stages["stage_type"] == "hired", "application_id"])
    apps = data["applications"]
    assert hired == set(apps.loc[apps["status"] == "hired", "application_id"])
    assert {"Recruiter Screen", "Onsite", "Offer"} <= set(stages["stage"])


def _rejections(data):
    """Rejected applications with the spec's `interviewed`, notice kind and first notice."""
    apps, comms = data["applications"], data["communications"]
    interviews, stages = data["interviews"], data["stage_changes"]
    interviewed = (set(interviews.loc[interviews["status"] == "completed", "application_id"])
                   | set(stages.loc[stages["stage_type"].isin(["interview", "offer", "hired"]),
                                    "application_id"])
                   | set(data["offers"]["application_id"]))
    notices = comms[(comms["direction"] == "to_candidate") & (comms["topic"] == "rejection")]
    automated = notices["automated"] == "true"
    kinds = pd.DataFrame({
        "application_id": notices["application_id"],
        "call": ~automated & notices["channel"].isin(["phone", "video", "in_person"]),
        "personal": ~automated, "at": notices["occurred_at"]}).groupby("application_id").agg(
        call=("call", "any"), personal=("personal", "any"), notice_at=("at", "min"))
    rejected = apps[apps["status"] == "rejected"].join(kinds, on="application_id")
    rejected["kind"] = np.select(
        [rejected["call"].eq(True), rejected["personal"].eq(True), rejected["notice_at"].notna()],
        ["call", "personal_email", "automated"], "none")
    rejected["interviewed"] = rejected["application_id"].isin(interviewed)
    return rejected


def test_recruiter_habits_are_visible(data):
    rejected = _rejections(data)
    mine = rejected[rejected["interviewed"]]
    share = pd.crosstab(mine["recruiter_id"], mine["kind"], normalize="index")
    assert share.loc[CALLER, "call"] > 0.8
    assert share.loc[FORGETFUL, "call"] < 0.2 and share.loc[FORGETFUL, "none"] > 0.5
    assert share.loc[EMAILER, "personal_email"] > 0.7
    lag_hours = (mine["notice_at"] - mine["closed_at"]).dt.total_seconds() / 3600
    median_lag = lag_hours.groupby(mine["recruiter_id"]).median()
    assert median_lag[SLOW] > 2 * 24 and median_lag[SLOW] > 2.5 * median_lag[CALLER]


def test_rejection_notices_of_every_timing(data):
    rejected = _rejections(data)
    lag_hours = (rejected["notice_at"] - rejected["closed_at"]).dt.total_seconds() / 3600
    assert (lag_hours < 0).sum() > 0  # logged shortly before the rejection was recorded
    assert (lag_hours > 7 * 24).sum() > 0
    assert lag_hours.min() > -24
    call_list = rejected[rejected["interviewed"] & (rejected["kind"] == "none")]
    age_days = (END_TS - call_list["closed_at"]).dt.total_seconds() / 86400
    assert (age_days > 3).sum() > 0 and (age_days <= 3).sum() > 0  # overdue and pending
    assert set(rejected["kind"]) == {"call", "personal_email", "automated", "none"}


def test_reapplication_is_likelier_after_a_call_than_after_silence(data):
    rejected = _rejections(data)
    mine = rejected[rejected["interviewed"]]
    later = mine[["application_id", "candidate_id", "closed_at"]].merge(
        data["applications"][["candidate_id", "applied_at"]], on="candidate_id")
    again = set(later.loc[later["applied_at"] > later["closed_at"], "application_id"])
    rate = mine["application_id"].isin(again).groupby(mine["kind"]).mean()
    assert rate["call"] > rate["none"] + 0.07
    assert (mine["kind"] == "call").sum() > 100 and (mine["kind"] == "none").sum() > 50


def test_applications_follow_the_seasons(data):
    applied = data["applications"]["applied_at"]
    days = pd.Series(pd.date_range("2025-05-01", "2026-10-29", freq="D"))
    per_day = applied.dt.month.value_counts() / days.dt.month.value_counts()
    assert per_day[[1, 2, 3, 9, 10]].min() > per_day[[6, 7, 8, 12]].max()


def test_conversations_have_quick_slow_and_missing_replies(data):
    comms = data["communications"]
    assert (comms["topic"] == "acknowledgement").sum() > 0.8 * len(data["applications"])
    acks = comms[comms["topic"] == "acknowledgement"]
    assert (acks["automated"] == "true").all() and (acks["direction"] == "to_candidate").all()
    scheduling = comms[comms["topic"] == "scheduling"].sort_values(["application_id", "occurred_at"])
    replies = scheduling["direction"] == "from_candidate"
    gap_days = scheduling["occurred_at"].diff().dt.total_seconds() / 86400
    same_app = scheduling["application_id"].eq(scheduling["application_id"].shift())
    reply_gaps = gap_days[replies & same_app]
    assert reply_gaps.median() < 1
    assert (reply_gaps > 7).sum() > 0 and (reply_gaps > 30).sum() > 0
    assert set(comms["channel"]) == {"email", "phone", "video", "in_person", "sms", "portal"}


def test_interviews_include_no_shows_and_cancellations(data):
    status = data["interviews"]["status"].value_counts()
    assert 0.03 < status["no_show"] / (status["no_show"] + status["completed"]) < 0.08
    assert status["cancelled"] > 0
    assert set(data["interviews"]["kind"]) == {"phone_screen", "video", "onsite"}


def test_offers_tell_every_ending(data):
    offers, apps = data["offers"], data["applications"].set_index("application_id")
    assert set(offers["status"]) == {"pending", "accepted", "declined", "expired", "rescinded",
                                     "reneged"}
    assert (offers["version"] == "2").sum() > 0
    pending = offers[(offers["status"] == "pending") & offers["sent_at"].notna()]
    assert (pending["deadline_at"] < END_TS).sum() > 0
    final = offers.sort_values("version").drop_duplicates("application_id", keep="last")
    status_of = apps["status"].loc[final["application_id"]].to_numpy()
    assert (status_of[final["status"].to_numpy() == "reneged"] == "withdrawn").all()
    assert set(status_of[final["status"].to_numpy() == "declined"]) <= {"withdrawn", "active"}
    assert (offers.loc[offers["status"] == "pending", "response_channel"].isna()).all()
    declines = final[final["status"] == "declined"]
    assert {"phone", "email"} <= set(declines["response_channel"].dropna())
    assert declines["response_channel"].isna().sum() > 0
    assert declines["decline_reason"].notna().sum() > 0


def test_withdrawals_with_and_without_a_message(data):
    apps, comms = data["applications"], data["communications"]
    withdrawn = set(apps.loc[apps["status"] == "withdrawn", "application_id"])
    said = set(comms.loc[(comms["direction"] == "from_candidate")
                         & (comms["topic"] == "withdrawal"), "application_id"])
    assert 0 < len(said & withdrawn) < len(withdrawn)


def test_main_writes_the_sample_and_prints_one_summary_line(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--applications", "300", "--seed", "1"]) == 0
    summary = capsys.readouterr().err.strip()
    assert "\n" not in summary and "8 files" in summary and "rows" in summary
    assert len((tmp_path / "applications.csv").read_text().splitlines()) == 301


@pytest.mark.parametrize("argv", [["--applications", "0"], ["--applications", "many"],
                                  ["--seed", "x"], ["--colour", "red"]])
def test_main_rejects_bad_arguments(argv, tmp_path):
    with pytest.raises(SystemExit) as stop:
        main(["--out", str(tmp_path), *argv])
    assert stop.value.code == 2


def test_a_company_too_small_for_an_offer_still_gets_its_files(tmp_path):
    written = generate(tmp_path / "tiny", applications=20, seed=5)
    assert written["applications.csv"] == 20
    offers = (tmp_path / "tiny" / "offers.csv").read_text().splitlines()
    assert offers[0].startswith("offer_id,") and len(offers) - 1 == written["offers.csv"]
