"""Figure functions on small hand-made frames: titles, axis units, traces, the n < 5 rule."""

import math

import pandas as pd

from app import figures
from app.figures import CANDIDATE, COMPANY, EMPTY, NEUTRAL, Series


def nan_to_none(values) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values]


def annotations(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_trend_draws_one_line_per_series_in_its_sides_colour_without_small_n_points():
    frame = pd.DataFrame({"group_key": ["2025-06-02", "2025-06-09", "2025-06-16"],
                          "ours": [0.5, 0.25, 0.75], "ours_n": [10, 4, 8],
                          "theirs": [0.2, 0.3, None], "theirs_n": [6, 6, 0]})
    fig = figures.trend(frame, [Series("ours", "ours_n", "Told", "company"),
                                Series("theirs", "theirs_n", "Accepted", "candidate", 1, "dash")],
                        "Rates", "%")
    assert fig.layout.title.text == "Rates"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Week starting", "Share (%)")
    assert [(t.name, t.line.color, t.line.dash) for t in fig.data] == [
        ("Told", COMPANY[0], "solid"), ("Accepted", CANDIDATE[1], "dash")]
    assert nan_to_none(fig.data[0].y) == [50.0, None, 75.0]  # n = 4 left out
    assert list(fig.data[0].customdata) == [10, 4, 8]
    assert nan_to_none(fig.data[1].y) == [20.0, 30.0, None]


def test_a_trend_without_any_series_is_an_empty_chart_that_says_so():
    frame = pd.DataFrame({"group_key": ["2025-05", "2025-06"]})
    fig = figures.trend(frame, [], "By recruiter", "time", x_title="Month")
    assert list(fig.data) == []
    assert annotations(fig) == [EMPTY]


def test_every_bucket_of_the_period_gets_a_row_with_no_cases_where_it_had_none():
    frame = pd.DataFrame({"group_key": ["2025-06-09", "2025-05-26"], "rate": [0.5, None],
                          "n": [4, None], "other_n": [2, 1]})
    full = figures.fill_buckets(frame, ["2025-06-02", "2025-06-09"], ["n"])
    # the period's weeks and the answer's own, in order; n 0 where unknown, the value blank
    assert list(full["group_key"]) == ["2025-05-26", "2025-06-02", "2025-06-09"]
    assert list(full["n"]) == [0, 0, 4]
    assert nan_to_none(full["rate"]) == [None, None, 0.5]
    assert nan_to_none(full["other_n"]) == [1, None, 2]


def test_times_are_drawn_in_days_when_they_run_long():
    frame = pd.DataFrame({"group_key": ["2025-05", "2025-06"], "h": [120.0, 48.0], "n": [9, 9]})
    fig = figures.trend(frame, [Series("h", "n", "First response", "company")], "Waits", "time",
                        x_title="Month")
    assert fig.layout.yaxis.title.text == "Median (days)"
    assert list(fig.data[0].y) == [5.0, 2.0]
    short = figures.trend(frame.assign(h=[10.0, 5.0]), [Series("h", "n", "Reply", "company")],
                          "Waits", "time")
    assert short.layout.yaxis.title.text == "Median (hours)" and list(short.data[0].y) == [10.0, 5.0]


def test_distribution_puts_both_sides_on_one_scale_of_shares():
    frame = pd.DataFrame({"measure": ["first_response", "first_response", "candidate_reply"],
                          "bucket": [0, 3, 1], "label": ["< 1 h", "1-3 d", "1-4 h"], "n": [2, 6, 5]})
    fig = figures.distribution(frame, {"first_response": ("Our first response", "company", 0),
                                       "candidate_reply": ("Their reply time", "candidate", 0)},
                               "Waits")
    assert [t.name for t in fig.data] == ["Our first response (n = 8)", "Their reply time (n = 5)"]
    assert [t.marker.color for t in fig.data] == [COMPANY[0], CANDIDATE[0]]
    assert list(fig.data[0].x) == figures.BUCKETS
    assert list(fig.data[0].y) == [25.0, 0, 0, 75.0, 0, 0, 0, 0]
    assert list(fig.data[0].text) == ["2", "", "", "6", "", "", "", ""]  # each bar's n, on it
    assert list(fig.data[1].y) == [0, 100.0, 0, 0, 0, 0, 0, 0]
    assert fig.layout.yaxis.title.text == "Share of cases (%)"


def test_within_sla_counts_the_buckets_that_end_within_it():
    frame = pd.DataFrame({"measure": ["a"] * 3 + ["b"], "bucket": [0, 3, 5, 0],
                          "label": ["< 1 h", "1-3 d", "1-2 wk", "< 1 h"], "n": [2, 2, 6, 3]})
    fig = figures.within_sla(frame, {"a": ("A", "company", 0), "b": ("B", "candidate", 0)}, 72,
                             "Within 3 days")
    assert list(fig.data[0].y) == ["A", "B"]
    assert nan_to_none(fig.data[0].x) == [40.0, None]  # B has n = 3
    assert list(fig.data[0].text) == ["40% (n = 10)", "— (n = 3)"]


def test_bars_by_group_say_dash_and_n_where_too_few():
    frame = pd.DataFrame({"group_key": ["r1", ""], "label": ["Ada Park", "Unassigned"],
                          "rate": [0.5, 1.0], "n": [6, 2]})
    fig = figures.bars_by(frame, [Series("rate", "n", "Told", "company")], "Told by recruiter",
                          "Recruiter", unit="%")
    assert list(fig.data[0].y) == ["Ada Park", "Unassigned"]
    assert nan_to_none(fig.data[0].x) == [50.0, None]
    assert annotations(fig) == ["—  (n = 2)"]
    assert fig.layout.xaxis.title.text == "Share (%)"


def test_channel_mix_shares_and_the_too_few_case():
    fig = figures.channel_mix({"call": 2, "personal_email": 1, "automated": 1, "none": 4})
    assert fig.layout.title.text == "How rejected interviewees were told (n = 8)"
    assert list(fig.data[0].x) == ["Call", "Personal email", "Automated", "Not told"]
    assert list(fig.data[0].y) == [25.0, 12.5, 12.5, 50.0]
    assert list(fig.data[0].marker.color)[-1] == NEUTRAL
    few = figures.channel_mix({"call": 1, "personal_email": 0, "automated": 0, "none": 2})
    assert annotations(few) == [EMPTY]


def test_counts_and_reapplication():
    fig = figures.counts({"Call": 3, "Written": 1, "Unknown": 2}, "How they declined", "Declines",
                         "candidate", neutral=("Unknown",))
    assert fig.layout.title.text == "How they declined"
    assert list(fig.data[0].marker.color) == [CANDIDATE[0], CANDIDATE[0], NEUTRAL]
    frame = pd.DataFrame({"notice_kind": ["call", "none"], "rejections_interviewed": [10, 3],
                          "reapplied": [2, 0], "reapply_rate": [0.2, 0.0]})
    fig = figures.reapplication(frame)
    assert nan_to_none(fig.data[0].y) == [20.0, None, None, None]
    assert list(fig.data[0].text) == ["20% (n = 10)", "— (n = 0)", "— (n = 0)", "— (n = 3)"]


def test_an_empty_frame_gives_a_chart_that_says_so():
    frame = pd.DataFrame({"group_key": [], "x": [], "n": []})
    fig = figures.trend(frame, [Series("x", "n", "X", "company")], "Nothing", "%")
    assert annotations(fig) == [EMPTY] and fig.layout.title.text == "Nothing"


def test_one_case_draws_no_100_percent_bar_and_says_its_n():
    frame = pd.DataFrame({"measure": ["offer_accept"], "bucket": [2], "label": ["4-24 h"], "n": [1]})
    fig = figures.distribution(frame, {"offer_accept": ("Accepts", "candidate", 0)}, "Answers")
    assert nan_to_none(fig.data[0].y) == [None] * 8
    assert fig.data[0].name == "Accepts: fewer than 5 cases, not drawn (n = 1)"
    assert annotations(fig) == [EMPTY]


def test_bars_are_sorted_and_each_says_its_value_and_n():
    frame = pd.DataFrame({"group_key": ["a", "b", "c"], "label": ["Ann", "Bo", "Cy"],
                          "rate": [0.2, 0.9, 0.5], "n": [10, 6, 3]})
    fig = figures.bars_by(frame, [Series("rate", "n", "Told", "company")], "Told", "Recruiter",
                          unit="%")
    assert list(fig.data[0].y) == ["Bo", "Ann", "Cy"]  # largest first, too few last
    assert list(fig.data[0].text) == ["90% · n = 6", "20% · n = 10", ""]
    staged = figures.bars_by(frame, [Series("rate", "n", "Told", "company")], "t", "Stage",
                             unit="%", sort=False)
    assert list(staged.data[0].y) == ["Ann", "Bo", "Cy"]
    counted = figures.counts({"Written": 1, "Unknown": 5, "Call": 3}, "t", "x", "candidate",
                             neutral=("Unknown",))
    assert list(counted.data[0].y) == ["Call", "Written", "Unknown"]


def test_the_trend_grain_follows_the_counts():
    assert figures.grain(300, 90) == "week"  # 23 a week
    assert figures.grain(100, 90) == "month"  # 8 a week, 34 a month
    assert figures.grain(30, 90) == "month"  # too few even monthly, but a quarter is one point
    assert figures.grain(100, 365) == "quarter"  # 8 a month, 25 a quarter
    assert figures.grain_caption("month", 100, 90).startswith("Each point is a month (about 34 ")
    assert figures.grain_caption("month", 3, 90).startswith("Each point is a month (about 1 case each)")


def test_zero_is_drawn_and_too_few_is_a_hollow_marker_with_its_n():
    frame = pd.DataFrame({"group_key": ["2025-04", "2025-05", "2025-06"], "r": [0.0, None, 0.5],
                          "n": [8, 0, 3]})
    fig = figures.trend(frame, [Series("r", "n", "Told", "company")], "t", "%", x_title="Month")
    line, few = fig.data
    assert nan_to_none(line.y) == [0.0, None, None] and list(line.text) == ["n=8", "", ""]
    assert list(few.x) == ["2025-05", "2025-06"] and list(few.text) == ["n=0", "n=3"]
    assert few.marker.symbol == "circle-open" and few.marker.color == NEUTRAL


def test_offer_outcomes_differ_by_colour_marker_and_dash():
    styles = list(figures.OUTCOMES.values())
    assert len({c for c, _, _ in styles}) == len({m for _, m, _ in styles}) == \
        len({d for _, _, d in styles}) == 4


def test_an_empty_chart_is_a_sentence_without_axes():
    frame = pd.DataFrame({"group_key": [], "x": [], "n": []})
    fig = figures.trend(frame, [Series("x", "n", "X", "company")], "Nothing", "%")
    assert annotations(fig) == [EMPTY]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_reference_labels_sit_on_lines_of_their_own_above_the_plot():
    from queries import benchmarks
    refs = benchmarks.direct(benchmarks.load(), "notice_call_share")
    frame = pd.DataFrame({"group_key": ["2025-06-02"], "rate": [0.5], "n": [9]})
    fig = figures.trend(frame, [Series("rate", "n", "Told", "company")], "t", "%", refs)
    notes = [a for a in fig.layout.annotations]
    assert [a.text.split(" ", 1)[1] for a in notes] == [r.short_label for r in refs]
    assert len({a.y for a in notes}) == 2 and min(a.y for a in notes) > 1  # apart, above the plot
    assert fig.layout.title.pad.t == figures.TOOLBAR_ROOM  # the toolbar sits above the title


def plotly_js(fig) -> dict:
    """What plotly.js is sent, with typed arrays as lists and NaN as null."""
    import base64
    import json

    import numpy as np
    import plotly.io as pio

    def plain(o):
        if isinstance(o, dict) and set(o) == {"dtype", "bdata"}:
            o = np.frombuffer(base64.b64decode(o["bdata"]), dtype=o["dtype"]).tolist()
        if isinstance(o, dict):
            return {k: plain(v) for k, v in o.items()}
        if isinstance(o, list):
            return [plain(v) for v in o]
        return None if isinstance(o, float) and math.isnan(o) else o

    return plain(json.loads(pio.to_json(fig, validate=False)))


def test_every_figure_is_what_plotly_would_validate():
    """The builders skip plotly's property checks for speed: each one's output must pass them
    (an unknown property raises) and come out of them unchanged."""
    import plotly.graph_objects as go

    from queries import benchmarks

    refs = benchmarks.load()
    weeks = pd.DataFrame({"group_key": ["2025-06-02", "2025-06-09", "2025-06-16"],
                          "r": [0.5, None, 0.25], "n": [10, 0, 3], "h": [30.0, 200.0, 5.0]})
    groups = pd.DataFrame({"group_key": ["r1", "r2", ""], "label": ["Ada", "<b>Bo</b>", None],
                           "r": [0.5, 0.9, 1.0], "n": [6, 8, 2], "h": [12.0, 130.0, None]})
    waits = pd.DataFrame({"measure": ["a", "a", "b"], "bucket": [0, 3, 1],
                          "label": ["< 1 h", "1-3 d", "1-4 h"], "n": [2, 6, 5]})
    told = [Series("r", "n", "Told", "company")]
    figs = [
        figures.trend(weeks, told, "t", "%", benchmarks.direct(refs, "notice_call_share"),
                      target=benchmarks.Reference("notice_rate", 0.8, "share", "target", "", "",
                                                  "", "Target", "")),
        figures.trend(weeks, [Series("h", "n", "Wait", "candidate", 1, "dash")], "t", "time",
                      x_title="Month"),
        figures.trend(weeks.iloc[:0], told, "empty", "%", x_title="Quarter"),
        figures.bars_by(groups, told, "b", "Recruiter", "%", benchmarks.direct(refs, "notice_call_share")),
        figures.bars_by(groups, [Series("h", "n", "Wait", "company")], "b", "Recruiter"),
        figures.distribution(waits, {"a": ("A", "company", 0), "b": ("B", "candidate", 1)}, "d"),
        figures.within_sla(waits, {"a": ("A", "company", 0), "b": ("B", "candidate", 0)}, 72, "s"),
        figures.channel_mix({"call": 2, "personal_email": 1, "automated": 1, "none": 4}, refs),
        figures.counts({"Call": 3, "Unknown": 2}, "c", "Declines", "candidate", ("Unknown",)),
        figures.reapplication(pd.DataFrame({"notice_kind": ["call"], "rejections_interviewed": [10],
                                            "reapplied": [2], "reapply_rate": [0.2]})),
    ]
    for fig in figs:
        assert plotly_js(go.Figure(fig.to_dict())) == plotly_js(fig)
