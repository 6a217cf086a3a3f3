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
    assert "Every point has fewer than 5 cases: too few to draw (each says its n)" in [
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
