"""The monthly review: the previous period or the same period last year, the last 12 months
month by month, per recruiter, and targets set in the app (tests/data/dashboard/)."""

import json
from datetime import date

import pandas as pd
import pytest

from app.review import group_months
from queries.runner import Filters, connect, run, split
from tests.test_dashboard import captions, open_app, shown


def review(query=None):
    at = open_app(query=query)
    at.switch_page("views/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(at, key="review_months"):
    return next(d.value for d in at.dataframe if "Month" in d.value.columns)


def test_every_headline_figure_month_by_month_for_12_months(cx_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_TARGETS", str(tmp_path / "targets.json"))
    months = table(review())
    assert list(months["Month"]) == ["Jul 2024", "Aug 2024", "Sep 2024", "Oct 2024", "Nov 2024",
                                     "Dec 2024", "Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025",
                                     "May 2025", "Jun 2025"]
    april = months.set_index("Month").loc["Apr 2025"]
    # April: A01-A05 and A09-A13 applied, each answered, median 24 h
    assert april["First response (median), hours"] == 24.0
    assert april["First response (median): n"] == 10
    june = months.set_index("Month").loc["Jun 2025"]  # of A14, A15, A18 only A14 answered: n = 1
    assert june["First response (median): n"] == 1
    assert str(june["First response (median), hours"]) == "nan"


def test_compare_with_the_same_period_last_year(cx_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_TARGETS", str(tmp_path / "targets.json"))
    at = review({"review_vs": "same period last year"})
    assert at.session_state["review_vs"] == "last_year"
    assert captions(at)[0].endswith("compared with the same period last year "
                                    "(2 Apr 2024 – 30 Jun 2024)")
    assert shown(at)["First response (median)"] == "24.0 h"
    assert all(m.delta in (None, "") for m in at.metric)  # nothing a year before to compare


def test_a_figure_per_recruiter_over_the_months(cx_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_TARGETS", str(tmp_path / "targets.json"))
    at = review()
    at.selectbox(key="review_figure").select("company.first_response_hours_median").run()
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t["name"] for t in chart["data"] if t.get("legendgroup") != "few"]
    assert names == ["Ada Park", "Ben Cho", "Unassigned"]  # the most applications first


def test_a_category_and_a_month_together_give_each_groups_months(cx_db):
    """The per-recruiter trend asks one question for every recruiter's months."""
    con = connect(cx_db)
    try:
        april = Filters(date_from=date(2025, 4, 1), date_to=date(2025, 5, 31))
        frame = split(run("first_response", con, **april.params(con, group_by="recruiter/month")))
        cells = frame["current", False][["group_key", "label", "first_response_hours_median",
                                          "first_response_n"]].values.tolist()
    finally:
        con.close()
    # April, first response after applying: r1 A01 24 h, A02 48 h, A09 24 h, A12 3 h; r2 A03
    # 36 h, A04 72 h, A10 72 h, A11 24 h; no recruiter: A05 24 h, A13 1 h. May: r1 A06 6 h and
    # A08 72 h 5 min (its automated rejection; only acknowledgements do not count), r2 A07 72 h
    assert cells == [["/2025-04", "Unassigned", 12.5, 2], ["r1/2025-04", "Ada Park", 24.0, 4],
                     ["r1/2025-05", "Ada Park", pytest.approx((6 + 72 + 5 / 60) / 2), 2],
                     ["r2/2025-04", "Ben Cho", 54.0, 4], ["r2/2025-05", "Ben Cho", 72.0, 1]]


def test_an_admin_sets_a_target_kept_beside_the_database_and_drawn(cx_db, tmp_path, monkeypatch):
    file = tmp_path / "targets.json"
    monkeypatch.setenv("CX_TARGETS", str(file))
    at = review()
    at.selectbox(key="target_figure").select("company.first_response_hours_median")
    at.number_input(key="target_value").set_value(12.0)
    at.button[-1].click().run()
    assert json.loads(file.read_text()) == {"company.first_response_hours_median": 12.0}
    at.selectbox(key="review_figure").select("company.first_response_hours_median").run()
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = [s for s in chart["layout"]["shapes"] if s.get("name", "").startswith("Target")]
    assert [(s["name"], s["y0"]) for s in lines] == [("Target ≤ 12 h", 12.0)]
    home = open_app()
    assert ":red-badge[:material/flag: Misses target ≤ 12 h]" in [m.value for m in home.markdown]


def test_a_target_is_drawn_on_the_trends_of_its_figure(cx_db, tmp_path, monkeypatch):
    file = tmp_path / "targets.json"
    file.write_text('{"company.notice_coverage": 0.8}')
    monkeypatch.setenv("CX_TARGETS", str(file))
    at = open_app()
    told = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if json.loads(c.proto.spec)["layout"]["title"]["text"] == "Rejected interviewees told")
    assert [(s["name"], s["y0"]) for s in told["layout"]["shapes"] if s["name"].startswith("Target")] \
        == [("Target ≥ 80%", 80.0)]


def test_the_groups_with_the_most_cases_over_the_months_are_drawn_month_by_month():
    cells = pd.DataFrame({
        "group_key": ["r1/2025-01", "r1/2025-02", "r2/2025-01", "/2025-02", "r3/2025-01",
                      "r4/2025-03", "r1/2024-12"],
        "label": ["Ada Park", "Ada Park", "Ben Cho", "Unassigned", "Cy Dee", "Di Eve", "Ada Park"],
        "hours": [10.0, 20.0, 30.0, 40.0, None, 50.0, 60.0],
        "n": [3, 4, 10, 1, 0, 7, 1]})
    wide, names = group_months(cells, "hours", "n", ["2025-01", "2025-02", "2025-03"], 2)
    # cases over the rows: r1 3 + 4 + 1 = 8, r2 10, r4 7, unassigned 1, r3 none
    assert names == ["Ben Cho", "Ada Park"]
    assert list(wide["group_key"]) == ["2025-01", "2025-02", "2025-03"]
    assert wide["v0"].tolist()[0] == 30.0 and pd.isna(wide["v0"]).tolist() == [False, True, True]
    assert wide["n0"].tolist() == [10, 0, 0]
    assert wide["v1"].tolist()[:2] == [10.0, 20.0] and pd.isna(wide["v1"][2])
    assert wide["n1"].tolist() == [3, 4, 0]


def test_tied_groups_keep_the_answers_order_a_group_without_a_name_is_unassigned_and_no_key_is_skipped():
    cells = pd.DataFrame({"group_key": ["u2/2025-01", "u1/2025-01", "/2025-01", None],
                          "label": [None, "Ada Park", None, None], "hours": [1.0, 2.0, 3.0, 4.0],
                          "n": [5, 5, 5, 9]})
    _, names = group_months(cells, "hours", "n", ["2025-01"], 8)
    assert names == ["u2", "Ada Park", "Unassigned"]


def test_the_review_s_twelve_months_are_whole_months_up_to_the_period_s_end():
    chosen = Filters(date_from=date(2026, 1, 10), date_to=date(2026, 3, 15), department="Sales")
    year = chosen.last_months()
    assert (year.date_from, year.date_to, year.department) == (date(2025, 4, 1), date(2026, 3, 15), "Sales")
    assert chosen.last_months(1).date_from == date(2026, 3, 1)
    assert Filters(date_to=date(2026, 12, 31)).last_months(13).date_from == date(2025, 12, 1)
