"""Every metric of the spec on a hand-made export, with values computed by hand.

The scenario (tests/data/metrics): 12 applications, 2 recruiters and one unassigned, 2 jobs.
as_of defaults to the latest moment in the data: A2's late reply on 2025-02-15 10:00.
- A1 (Ada): first answer 24 h after applying (the automated acknowledgement does not count);
  a candidate reply after 3 h; a candidate message and a company message at the same minute
  (ties by id: the company's 0 h reply); rejected after an interview and called the day
  BEFORE the rejection was recorded (lag 0); its candidate re-applied (A6).
- A2 (Ada): first answer 48 h; automated rejection email 2 h after closing; the candidate's
  message 36 days after ours answers nothing (more than 30 days).
- A3 (Bo): first answer 6 h; candidate reply 18 h; 8 days of silence split the candidate's
  turns; company reply 12 h; rejected after an interview, never told: overdue.
- A4 (unassigned): interviewed only through a draft offer, rejected yesterday: pending.
- A5 (Bo): rejected without an interview (a no-show is not an interview), never told.
- A7: offer version 1 declined, version 2 accepted by phone after 48 h (only v2 counts).
- A8: declined after 72 h, in writing (an offer_response email), and told us: withdrawal notice.
- A9: offer expired silently; A10: pending past sent_at + 3 days; A11: accepted after 24 h,
  reneged; A12: declined by phone after 36 h; A6: rescinded (counted, in no rate).
Medians over even n: company reply (0, 12) = 6; candidate reply (3, 18) = 10.5;
notice lag (0, 2) = 1; answer times (24, 36, 48, 72) = 42; declines (36, 72) = 54;
accepts (24 reneged, 48) = 36: a renege was an acceptance first.
"""

import shutil

import pytest

from tests.helpers import DATA, load, report

METRICS = DATA / "metrics"

COMPANY = {
    "applications": 12, "first_response_hours_median": 24.0,
    "responded_within_14d_rate": 0.25, "responded_within_14d_n": 12,
    "reply_hours_median": 6.0, "reply_n": 2,
    "rejections": 5, "rejections_interviewed": 4,
    "notice_coverage": 0.5, "notice_call_share": 0.25, "notice_coverage_all": 0.4,
    "notice_mix": {"call": 1, "personal_email": 0, "automated": 1, "none": 2},
    "notice_lag_hours_median": 1.0, "notices_overdue": 1, "notices_pending": 1,
    "reapply_rate_by_notice": {"call": 1.0, "personal_email": None, "automated": 0.0, "none": 0.0},
}
CANDIDATE = {
    "offers": 7, "offers_decided": 5,
    "acceptance_rate": 0.4, "decline_rate": 0.4, "silent_offer_rate": 0.2, "renege_rate": 0.5,
    "answer_hours_median": 42.0, "accept_hours_median": 36.0, "decline_hours_median": 54.0,
    "offers_past_deadline": 1,
    "decline_channels": {"call": 1, "written": 1, "unknown": 0}, "decline_call_share": 0.5,
    "decline_reasons": {"compensation": 1, "location": 1},
    "reply_hours_median": 10.5, "reply_n": 2,
    "interviews_due": 4, "no_show_rate": 0.25,
    "withdrawals": 3, "withdrawal_notice_share": 0.3333,
}
RECRUITERS = [
    {"recruiter_id": "u1", "name": "Ada Lovelace", "applications": 6, "rejections_interviewed": 2,
     "notice_coverage": 1.0, "notice_call_share": 0.5, "notice_lag_hours_median": 1.0,
     "notices_overdue": 0, "notices_pending": 0, "first_response_hours_median": 36.0},
    {"recruiter_id": "u2", "name": "Bo Diddley", "applications": 5, "rejections_interviewed": 1,
     "notice_coverage": 0.0, "notice_call_share": 0.0, "notice_lag_hours_median": None,
     "notices_overdue": 1, "notices_pending": 0, "first_response_hours_median": 6.0},
    {"recruiter_id": None, "name": "Unassigned", "applications": 1, "rejections_interviewed": 1,
     "notice_coverage": 0.0, "notice_call_share": 0.0, "notice_lag_hours_median": None,
     "notices_overdue": 0, "notices_pending": 1, "first_response_hours_median": None},
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("metrics") / "cx.duckdb"
    load(METRICS, path)
    return path


def test_the_whole_report(db):
    assert report(db) == {
        "as_of": "2025-02-15T10:00:00Z",
        "filters": {"from": None, "to": None, "department": None, "recruiter": None, "job": None,
                    "source": None, "as_of": None, "notice_sla_days": 3.0,
                    "answer_window_days": 3.0},
        "missing_inputs": [],
        "company": COMPANY,
        "candidate": CANDIDATE,
        "recruiters": RECRUITERS,
    }


def test_moving_as_of_moves_ages_and_deadlines_but_hides_nothing(db):
    r = report(db, "--as-of", "2025-01-29T00:00:00Z")
    assert r["as_of"] == "2025-01-29T00:00:00Z"
    assert r["company"]["applications"] == 12
    # A3 closed 1.6 days before as_of, A4 closes after it: both pending
    assert (r["company"]["notices_overdue"], r["company"]["notices_pending"]) == (0, 2)
    # applied at least 14 days before as_of: A1-A5, of which A1, A2, A3 were answered
    assert (r["company"]["responded_within_14d_n"], r["company"]["responded_within_14d_rate"]) == (5, 0.6)
    assert r["candidate"]["offers_past_deadline"] == 0


def test_notice_sla_and_answer_window_are_parameters(db):
    r = report(db, "--notice-sla-days", "30", "--answer-window-days", "10")
    assert (r["company"]["notices_overdue"], r["company"]["notices_pending"]) == (0, 2)
    assert r["candidate"]["offers_past_deadline"] == 0


@pytest.mark.parametrize("option, value, applications", [
    ("--department", "Engineering", 7), ("--department", "Sales", 5),
    ("--recruiter", "u2", 5), ("--recruiter", "", 1),
    ("--job", "j2", 5), ("--source", "referral", 6), ("--department", "Marketing", 0),
])
def test_every_filter_selects_applications(db, option, value, applications):
    assert report(db, option, value)["company"]["applications"] == applications


def test_a_recruiter_filter_restricts_every_figure(db):
    r = report(db, "--recruiter", "u2")
    assert r["recruiters"] == [RECRUITERS[1]]
    assert r["company"]["notice_mix"] == {"call": 0, "personal_email": 0, "automated": 0, "none": 1}
    assert r["company"]["reply_hours_median"] == 12.0
    assert r["candidate"]["offers"] == 3 and r["candidate"]["decline_reasons"] == {
        "compensation": 1, "location": 1}


def test_the_period_selects_each_metric_on_its_cohort_date(db):
    r = report(db, "--from", "2025-01-20", "--to", "2025-01-31")
    assert r["company"]["applications"] == 1  # A12 applied on the first day
    assert r["company"]["rejections"] == 3  # A1 (closed on the first day), A2, A3
    assert r["candidate"]["offers"] == 3  # o72, o8, o9 by sent_at
    assert r["company"]["reply_n"] == 0 and r["candidate"]["reply_n"] == 0  # turns start before
    assert r["candidate"]["interviews_due"] == 1  # A7's interview


def test_each_trend_groups_by_the_week_and_month_of_its_own_cohort_date(db):
    from queries.runner import Filters, connect, run, split

    con = connect(db)

    def groups(name, group_by, *columns):
        frame = split(run(name, con, **Filters().params(con, group_by=group_by)))["current", False]
        return frame[["group_key", *columns]].values.tolist()

    try:
        # applied: A1-A5 and A7-A12 in January, A6 on Feb 1
        assert groups("first_response", "month", "applications") == [["2025-01", 11], ["2025-02", 1]]
        # rejected (closed_at): A1, A2, A3, A5 in January, A4 on Feb 14 (all applied in January)
        assert groups("rejection_notices", "month", "rejections") == [["2025-01", 4], ["2025-02", 1]]
        # final offers sent: o72, o8, o9 in January; o6, o10, o11, o12 in February
        assert groups("offers", "month", "offers") == [["2025-01", 3], ["2025-02", 4]]
        # withdrawn: A8, A9, A11, all in February
        assert groups("withdrawals", "month", "withdrawals") == [["2025-02", 3]]
        # weeks from Monday, on the interview's date: i1 (Sun 12) and i3 in the week of Jan 6, i2 in
        # the next, A7's i4 on Jan 20 (A7 applied on Jan 15), A6's cancelled i5 in the week of Feb 3
        assert groups("no_shows", "week", "interviews_due", "no_shows") == [
            ["2025-01-06", 2, 1], ["2025-01-13", 1, 0], ["2025-01-20", 1, 0], ["2025-02-03", 0, 0]]
        # turns by the day they start: A1's two on Jan 7 and A3's first on Jan 9, A3's second on
        # Sat Jan 18 (A1 and A3 both applied in the week of Jan 6)
        replies = groups("reply_times", "week", "company_reply_n", "candidate_reply_n",
                         "company_reply_hours_median")
        assert replies == [["2025-01-06", 1, 2, 0.0], ["2025-01-13", 1, 0, 12.0]]
    finally:
        con.close()


def test_an_empty_cohort_is_null_not_zero(db):
    r = report(db, "--from", "2026-01-01", "--to", "2026-01-31")
    assert r["company"]["applications"] == 0
    assert r["company"]["first_response_hours_median"] is None
    assert r["company"]["notice_coverage"] is None
    assert r["company"]["reapply_rate_by_notice"] == dict.fromkeys(
        ("call", "personal_email", "automated", "none"))
    assert r["candidate"]["acceptance_rate"] is None and r["candidate"]["no_show_rate"] is None
    assert r["recruiters"] == []


def test_without_communications_their_figures_are_unknown(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(METRICS, export)
    (export / "communications.csv").unlink()
    db = tmp_path / "cx.duckdb"
    load(export, db)
    r = report(db)
    assert r["missing_inputs"] == ["communications"]
    c = r["company"]
    assert (c["first_response_hours_median"], c["responded_within_14d_rate"],
            c["responded_within_14d_n"]) == (None, None, 0)
    assert (c["notice_coverage"], c["notice_call_share"], c["notice_coverage_all"]) == (None,) * 3
    assert c["notice_mix"] == {"call": 0, "personal_email": 0, "automated": 0, "none": 0}
    assert (c["notices_overdue"], c["notices_pending"], c["reply_n"]) == (0, 0, 0)
    assert c["reapply_rate_by_notice"]["none"] is None
    assert r["candidate"]["withdrawal_notice_share"] is None
    assert r["candidate"]["acceptance_rate"] == 0.4  # offers do not need communications
    assert r["candidate"]["decline_channels"] == {"call": 1, "written": 0, "unknown": 1}


def test_markdown_digest_reads_as_plain_text(db):
    from queries.report import main
    from tests.helpers import cli

    code, out, _ = cli(main, ["--db", db, "--format", "markdown", "--from", "2025-01-20",
                              "--to", "2025-02-15"])
    assert code == 0
    assert "| How we treat candidates | How candidates treat us |" in out
    # A1 and A2 of A1-A4 were told, 1 of 2 declines by a call: too few cases to say, n given
    assert "| Rejected interviewees told: — (n = 4) | Declines by a call: — (n = 2) |" in out
    # A12 and A6 are the only applications old enough: n = 2, no 0% printed
    assert "| Answered within 14 days: — (n = 2) |" in out
    # 2 accepted of 5 decided offers: a figure with its n
    assert "Offers accepted: 40% (n = 5) |" in out
    assert "## Call list: 2 rejected interviewees waiting for a call" in out
    assert "- Bo Diddley: 1 overdue, 0 pending" in out
    assert "## Offers past their deadline: 1" in out
    assert "- Data Engineer (Ada Lovelace): sent 2025-02-10, 2 days past the deadline" in out


def test_no_database_is_a_clear_message(tmp_path):
    from queries.report import main
    from tests.helpers import cli

    code, _, err = cli(main, ["--db", tmp_path / "none.duckdb"])
    assert code == 2
    assert err.startswith(f"error: There is no database at {tmp_path / 'none.duckdb'} yet")


def test_time_to_accept_covers_reneged_offers(tmp_path):
    # A1 accepted 24 h after the offer; A2 accepted after 36 h and reneged a week later.
    # A renege was an acceptance first: the accepts' median is (24 + 36) / 2 = 30, not 24.
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "applications.csv").write_text(
        "application_id,candidate_id,applied_at,status,closed_at\n"
        "A1,c1,2025-01-01T09:00:00Z,hired,2025-01-11T09:00:00Z\n"
        "A2,c2,2025-01-01T09:00:00Z,withdrawn,2025-01-12T09:00:00Z\n")
    (folder / "offers.csv").write_text(
        "offer_id,application_id,sent_at,responded_at,status,reneged_at\n"
        "o1,A1,2025-01-10T09:00:00Z,2025-01-11T09:00:00Z,accepted,\n"
        "o2,A2,2025-01-10T09:00:00Z,2025-01-11T21:00:00Z,reneged,2025-01-18T09:00:00Z\n")
    load(folder, tmp_path / "cx.duckdb")
    candidate = report(tmp_path / "cx.duckdb")["candidate"]
    assert (candidate["accept_hours_median"], candidate["answer_hours_median"]) == (30.0, 30.0)
    assert (candidate["acceptance_rate"], candidate["renege_rate"]) == (1.0, 0.5)
