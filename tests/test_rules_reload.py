"""Editing the communication rules and reloading changes the figures accordingly.

A reload after a rules change uses --replace: a communication the new rules no longer infer
would otherwise stay from the earlier load (a later export only adds and updates records)."""

from pathlib import Path

from tests.helpers import load, report

GREENHOUSE = Path(__file__).parent / "data" / "greenhouse_v1"


def test_a_rules_file_without_call_keywords_turns_the_call_into_an_internal_note(tmp_path):
    db = tmp_path / "cx.duckdb"
    load(GREENHOUSE, db, "--format", "greenhouse-v1")
    before = report(db)["company"]
    # Ann's rejection (401) was told by Rita's call note 711 ("Spoke with Ann ...")
    assert (before["notice_call_share"], before["notice_mix"]["call"]) == (1.0, 1)

    rules = tmp_path / "rules.toml"
    rules.write_text('[calls]\nkeywords = ["telephoned"]\n')
    load(GREENHOUSE, db, "--format", "greenhouse-v1", "--rules", rules, "--replace")
    after = report(db)["company"]
    # without the call (11:00, an hour after the rejection at 10:00), her notice is Rita's
    # keyword-less email 703 at 16:00, caught by the timing fallback: a personal email, 6 h late
    assert (after["notice_call_share"], after["notice_coverage"]) == (0.0, 1.0)
    assert after["notice_mix"] == {"call": 0, "personal_email": 1, "automated": 0, "none": 0}
    assert (before["notice_lag_hours_median"], after["notice_lag_hours_median"]) == (1.0, 6.0)
