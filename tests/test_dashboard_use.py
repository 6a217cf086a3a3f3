"""The dashboard as its users work (issue 17), driven headlessly on tests/data/dashboard/."""

import json

from tests.test_dashboard import captions, open_app


def charts(at) -> dict[str, dict]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"]: s for s in specs}


def test_trends_take_their_grain_from_the_counts_and_say_it(cx_db):
    at = open_app()
    # 7 rejected interviewees in 90 days: under one a week, about 2 a month -> months
    assert "Each point is a month (about 2 cases each), chosen from the number of cases." \
        in captions(at)
    told = charts(at)["Rejected interviewees told"]
    assert told["layout"]["xaxis"]["title"]["text"] == "Month"
    line, few = told["data"][0], told["data"][2]
    assert line["x"] == ["2025-04", "2025-05", "2025-06"]  # April has none: a bucket all the same
    # 0 in April, 3 in May, 4 in June: each too few to draw, each saying its n
    assert few["name"] == "Fewer than 5 cases (not drawn)" and few["text"] == ["n=0", "n=3", "n=4"]
    assert "Fewer than 5 cases at every point:<br>too few to draw (each says its n)" in [
        a["text"] for a in told["layout"]["annotations"]]


def test_offer_outcomes_are_told_apart_without_colour(cx_db):
    at = open_app("offers")
    lines = [t for t in charts(at)["How candidates answered offers, by month sent"]["data"]
             if t.get("legendgroup") not in ("few", "reference")]
    assert [t["name"] for t in lines] == ["Accepted", "Declined", "Left to expire", "Reneged"]
    assert len({t["marker"]["symbol"] for t in lines}) == len({t["line"]["dash"] for t in lines}) == 4


def test_a_period_without_data_gives_a_sentence_not_axes(cx_db):
    at = open_app(query={"period": ["2020-01-01", "2020-03-31"]})
    told = charts(at)["Rejected interviewees told"]
    assert told["layout"]["xaxis"]["visible"] is False
    assert "Nothing to show for these filters and this period" in [
        a["text"] for a in told["layout"]["annotations"]]


def warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def test_the_job_filter_follows_the_department(cx_db):
    at = open_app(query={"department": "Sales"})
    job = at.selectbox(key="job")
    assert job.options == ["All jobs", "Account Executive"]
    at = open_app(query={"department": "Engineering"})
    assert "Account Executive" not in at.selectbox(key="job").options


def test_a_job_outside_the_department_is_let_go_and_said(cx_db):
    at = open_app(query={"job": "Account Executive"})
    at.selectbox(key="department").select("Engineering").run()
    assert at.selectbox(key="job").value is None
    assert "The job “Account Executive” is not in Engineering: showing all of its jobs." \
        in warnings(at)


def test_a_combination_without_data_says_so(cx_db):
    at = open_app(query={"recruiter": "Ben Cho", "source": "referral"})  # Ben's come elsewhere
    assert at.selectbox(key="recruiter").value == "r2"
    assert any(w.startswith("No application matches recruiter “Ben Cho” and source “referral”, "
                            "in any period") for w in warnings(at))
    at = open_app(query={"recruiter": "Ben Cho", "source": "linkedin"})
    assert not any(w.startswith("No application matches") for w in warnings(at))


def test_address_values_are_labels_matched_without_case_and_a_bad_one_says_so(cx_db):
    at = open_app("response_times", query={"rt_by": "recruiter", "department": "engineering"})
    assert at.selectbox(key="department").value == "Engineering"
    assert at.session_state["rt_by"] == "recruiter"
    assert "Medians by recruiter" in [c.proto.spec and __import__("json").loads(c.proto.spec)[
        "layout"]["title"]["text"] for c in at.get("plotly_chart")]
    at = open_app(query={"department": "Marketing"})
    assert at.selectbox(key="department").value is None
    assert "The address asks for department “Marketing”, which is not one of its choices here: " \
           "showing the default instead." in warnings(at)


def test_a_figure_opens_the_applications_it_counts_with_a_download(cx_db):
    at = open_app("closing_the_loop")
    at.toggle(key="loop_drill").set_value(True).run()
    at.selectbox(key="loop_figure").select("notices_overdue").run()
    shown = [d.value for d in at.dataframe if "Still to tell" in d.value.columns][0]
    # A04 (Ben Cho) and A05 (Unassigned) are overdue
    assert sorted(shown["Application"]) == ["A04", "A05"]
    assert set(shown["Still to tell"]) == {"Overdue"}
    at.selectbox(key="loop_group").select("r2").run()  # Ben Cho's bar
    shown = [d.value for d in at.dataframe if "Still to tell" in d.value.columns][0]
    assert list(shown["Application"]) == ["A04"]
    assert {"Download (.xlsx)", "Download (CSV)"} <= {b.proto.label for b in at.get("download_button")}


def test_a_recruiter_sees_only_their_own_applications_and_others_none(tmp_path):
    import pandas as pd

    from app import drill, people
    from queries import catalogue
    from queries.access import Access

    access = Access.parse('[leaders]\nemails = ["lea@x.org"]\n'
                          '[recruiters]\n"ben@x.org" = "r2"\n')
    frame = pd.DataFrame({"application_id": ["A1", "A2", "A3"], "recruiter_id": ["r1", "r2", None],
                          "interviewed": [True, True, True]})
    coverage = catalogue.figure("company", "notice_coverage")
    seen = {who: list(drill.rows(coverage, frame, people.scope(who, access))["Application"])
            for who in ("lea@x.org", "ben@x.org", "eve@x.org")}
    assert seen == {"lea@x.org": ["A1", "A2", "A3"], "ben@x.org": ["A2"], "eve@x.org": []}
    assert people.scope("anyone@northwind.example").everyone  # no access file: everyone


def test_the_data_page_has_no_filters_and_keeps_them_for_the_next_page(cx_db):
    at = open_app(query={"recruiter": "Ben Cho", "source": "referral"})  # a combination without data
    assert any(w.startswith("No application matches") for w in warnings(at))
    at.switch_page("views/data.py").run()
    assert not at.sidebar.selectbox  # no filters where they do nothing
    assert not any(w.startswith("No application matches") for w in warnings(at))
    assert "This page covers every load, whatever the period and filters." in \
        [c.value for c in at.sidebar.caption]
    at.switch_page("views/overview.py").run()
    assert at.selectbox(key="recruiter").value == "r2" and at.selectbox(key="source").value == "referral"


def test_data_gaps_are_named_in_the_loaded_vendors_terms(tmp_path, monkeypatch):
    from etl.load import load
    from tests.test_dashboard import ROOT

    db = tmp_path / "cx.duckdb"
    load(ROOT / "tests" / "data" / "greenhouse_v3", db=str(db), fmt="greenhouse-v3")
    monkeypatch.setenv("CX_DB", str(db))
    at = open_app("data")
    inputs = next(d.value for d in at.dataframe if "Input" in d.value.columns)
    assert "notes (notes.json)" in list(inputs["Input"])
    assert not [i for i in inputs["Input"] if i.endswith(".csv")]


def test_no_internal_paths_on_the_data_page(cx_db):
    at = open_app("data")
    text = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert str(cx_db.parent) not in text and ".duckdb" not in text


def test_a_load_outside_the_period_is_said_and_the_uploader_starts_empty(fresh_db, export_copy):
    from tests.test_dashboard import zipped

    at = open_app("data", query={"period": ["2020-01-01", "2020-03-31"]})
    at.file_uploader(key="upload_zip").set_value(
        ("export.zip", zipped(export_copy), "application/zip")).run()
    at.button(key="upload_load").click().run()
    assert any(w.value.startswith("The export just loaded runs from 3 Feb 2025 to 28 Jun 2025, "
                                  "outside the selected period (1 Jan 2020 – 31 Mar 2020)")
               for w in at.warning)
    assert at.file_uploader(key="upload_zip_1").value is None


def test_a_bar_of_the_breakdown_opens_its_applications(cx_db):
    at = open_app("response_times", query={"rt_by": "Source"})
    at.toggle(key="rt_drill").set_value(True).run()
    at.selectbox(key="rt_group").select("referral").run()
    shown = [d.value for d in at.dataframe if "First response (days)" in d.value.columns][0]
    # the referrals of the period, each answered (A13 by fr13, an hour after applying)
    assert set(shown["Source"]) == {"referral"}
    assert sorted(shown["Application"]) == ["A01", "A06", "A09", "A13"]


def test_a_year_of_few_cases_is_drawn_by_quarter(cx_db):
    at = open_app(query={"period": ["2024-07-01", "2025-06-30"]})
    told = charts(at)["Rejected interviewees told"]
    assert told["layout"]["xaxis"]["title"]["text"] == "Quarter"
    assert told["data"][0]["x"] == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    # 2 rejected interviewees in the first quarter of 2025, 7 in the second (drawn: 57% told)
    assert told["data"][2]["text"] == ["n=0", "n=0", "n=2"]


def drilled(at, column: str):
    """The drill section's table: the one with `column`."""
    return [d.value for d in at.dataframe if column in d.value.columns][0]


def test_reply_times_no_shows_and_withdrawals_open_their_applications(cx_db):
    at = open_app()
    at.toggle(key="overview_drill").set_value(True).run()
    figure = at.selectbox(key="overview_figure")
    figure.select("company_reply_hours_median").run()  # both sides have a reply time
    shown = drilled(at, "Answered by")
    # the two candidate turns we answered: A07 (2 days) and A06 (3 hours)
    assert list(shown["Application"]) == ["A07", "A06"] and set(shown["Answered by"]) == {"Us"}
    assert list(shown["Reply time (days)"]) == [2.0, 0.125]
    at.selectbox(key="overview_figure").select("candidate_reply_hours_median").run()
    shown = drilled(at, "Answered by")
    assert sorted(shown["Application"]) == ["A01", "A02", "A03", "A05", "A06", "A07", "A09",
                                            "A10", "A12", "A13", "A14"]
    assert set(shown["Answered by"]) == {"Candidate"}
    at.selectbox(key="overview_figure").select("no_show_rate").run()
    shown = drilled(at, "Attended")
    # interviews completed or missed in the period: I01-I14 (no I08); I99 was rescheduled,
    # I16 and I17 fall in February
    assert sorted(shown["Application"]) == ["A01", "A02", "A03", "A04", "A05", "A06", "A07", "A09",
                                            "A10", "A11", "A12", "A13", "A14"]
    assert list(shown[shown["Attended"] == "No-show"]["Application"]) == ["A14"]
    at.selectbox(key="overview_figure").select("withdrawal_notice_share").run()
    shown = drilled(at, "Told us")
    # A10, A11 and A13 withdrew in the period (A20 in March); A11 went silent
    assert shown[["Application", "Told us"]].values.tolist() == [["A13", "Yes"], ["A11", "No"],
                                                                 ["A10", "Yes"]]


def test_a_decline_reason_or_channel_bar_opens_its_offers(cx_db):
    at = open_app("offers")
    at.toggle(key="offers_drill").set_value(True).run()
    at.selectbox(key="offers_figure").select("decline_rate").run()
    # decided offers: O09 accepted, O10 and O13 declined, O11 expired (O12 is pending)
    assert sorted(drilled(at, "Outcome")["Application"]) == ["A09", "A10", "A11", "A13"]
    at.selectbox(key="offers_group").select(("decline_reason", "compensation")).run()
    assert list(drilled(at, "Outcome")["Application"]) == ["A10"]
    at.selectbox(key="offers_group").select(("decline_channel", "call")).run()  # O10, by phone
    assert list(drilled(at, "Outcome")["Application"]) == ["A10"]
    at.selectbox(key="offers_group").select(("decline_channel", "written")).run()  # O13, by email
    assert list(drilled(at, "Outcome")["Application"]) == ["A13"]
    at.selectbox(key="offers_group").select(("decline_channel", "unknown")).run()
    assert drilled(at, "Outcome").empty


def test_the_monthly_review_opens_the_applications_behind_its_tiles(cx_db):
    at = open_app("review")
    at.toggle(key="monthly_drill").set_value(True).run()
    at.selectbox(key="monthly_figure").select("no_show_rate").run()
    assert len(drilled(at, "Attended")) == 13


def test_answered_within_14_days_lists_only_applications_14_days_old(cx_db):
    at = open_app("overview")
    at.toggle(key="overview_drill").set_value(True).run()
    at.selectbox(key="overview_figure").select("responded_within_14d_rate").run()
    shown = [d.value for d in at.dataframe if "Application" in d.value.columns][0]
    # as of 30 June: A14 (applied 20 June) and A15 (28 June) are not 14 days old; A18 (15 June) is
    assert sorted(shown["Application"]) == ["A01", "A02", "A03", "A04", "A05", "A06", "A07",
                                            "A08", "A09", "A10", "A11", "A12", "A13", "A18"]
    assert "due_14d" not in shown.columns
