"""Published figures and targets (reference/benchmarks.csv): loaded, drawn where they compare,
footnoted where they only give context, and targets marking the Overview's tiles."""

import csv
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import figures
from app.figures import Series
from queries import benchmarks
from queries.report import digest
from queries.runner import Filters, connect

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT.parent / "shared" / "benchmarks" / "published.csv"
# where each direct figure is drawn: (page, chart title)
CHARTS = {
    "notice_call_share": ("closing_the_loop", "How rejected interviewees were told"),
    "notice_mix.personal_email": ("closing_the_loop", "How rejected interviewees were told"),
    "notice_mix.automated": ("closing_the_loop", "How rejected interviewees were told"),
    "acceptance_rate": ("offers", "How candidates answered offers, by month sent"),
    "decline_rate": ("offers", "How candidates answered offers, by month sent"),
}


def charts_of(page: str) -> dict[str, dict]:
    """Every plotly chart a page draws, by title, as its figure JSON."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"].split(" (n =")[0]: s for s in specs}


def labels_in(spec: dict) -> list[str]:
    """Every label a chart shows: trace names, shape names and labels, annotations."""
    layout = spec["layout"]
    return ([t.get("name", "") for t in spec["data"]]
            + [s.get("name", "") for s in layout.get("shapes", [])]
            + [s.get("label", {}).get("text", "") for s in layout.get("shapes", [])]
            + [a.get("text", "") for a in layout.get("annotations", [])])


def test_the_reference_file_loads_with_every_source():
    refs = benchmarks.load()
    assert len(refs) == 14
    assert {r.comparable for r in refs} == {"direct", "context"}
    assert all(r.source_url.startswith("https://") for r in refs)
    assert [r.short_label for r in benchmarks.direct(refs, "notice_call_share")] == [
        "Talent Board 2018: 10% told by phone", "Talent Board 2021: 6% told by phone"]
    assert benchmarks.direct(refs, "decline_rate")[0].short_label == "Glassdoor: 17.3% of offers declined"


def test_the_reference_file_keeps_every_published_row():
    if not PUBLISHED.exists():
        pytest.skip(f"{PUBLISHED} is absent")
    with open(PUBLISHED, newline="") as f:
        published = list(csv.DictReader(f))
    with open(ROOT / "reference" / "benchmarks.csv", newline="") as f:
        ours = list(csv.DictReader(f))
    assert [row for row in published if row not in ours] == []


@pytest.mark.parametrize("metric", sorted(CHARTS))
def test_each_direct_figure_is_drawn_on_its_chart_with_its_label(cx_db, metric):
    page, title = CHARTS[metric]
    chart = charts_of(page)[title]
    for ref in benchmarks.direct(benchmarks.load(), metric):
        assert ref.short_label in labels_in(chart)


def test_a_context_figure_never_draws_a_line(cx_db):
    context = [r for r in benchmarks.load() if r.comparable == "context"]
    for page in ("overview", "response_times", "closing_the_loop", "offers"):
        for title, chart in charts_of(page).items():
            drawn = " ".join(labels_in(chart))
            assert not [r.short_label for r in context if r.short_label in drawn], (page, title)
            assert not [r.long_label for r in context if r.long_label in drawn], (page, title)


def test_context_figures_are_footnotes_in_their_own_words(cx_db):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/closing_the_loop.py").run()
    notes = [c.value for c in at.caption]
    assert ("• Greenhouse 2024: 39%, 100% minus the 61% of job seekers who say they were ghosted "
            "after an interview (UK job seekers (survey)). [Source](https://www.unleash.ai/"
            "artificial-intelligence/greenhouse-61-of-job-seekers-have-been-ghosted-during-the-"
            "recruitment-process/)") in notes


def test_figure_functions_draw_direct_figures_only():
    refs = benchmarks.load()
    frame = pd.DataFrame({"group_key": ["2025-06-02", "2025-06-09"], "rate": [0.5, 0.4], "n": [9, 9]})
    drawn = figures.trend(frame, [Series("rate", "n", "Told by a call", "company")], "t", "%",
                          benchmarks.direct(refs, "notice_call_share") + [
                              r for r in refs if r.comparable == "context"])
    assert [s.label.text for s in drawn.layout.shapes] == [
        "Talent Board 2018: 10% told by phone", "Talent Board 2021: 6% told by phone"]
    assert [s.y0 for s in drawn.layout.shapes] == [10.0, 6.0]
    mix = figures.channel_mix({"call": 4, "personal_email": 3, "automated": 2, "none": 1}, refs)
    assert [t.name for t in mix.data[1:]] == [
        "Talent Board 2018: 10% told by phone", "Talent Board 2018: 22% told by personal email",
        "Talent Board 2018: 58% told by automated email", "Talent Board 2021: 6% told by phone"]


def write_targets(tmp_path: Path, *rows: str) -> Path:
    file = tmp_path / "benchmarks.csv"
    file.write_text((ROOT / "reference" / "benchmarks.csv").read_text() + "".join(
        f"{row},target,our goal,our company,2025,Our talent team,\n" for row in rows))
    return file


def badges(page_markdown) -> list[str]:
    return [m.value for m in page_markdown if "target" in m.value]


def test_a_target_marks_the_overview_tiles_that_miss_it(cx_db, tmp_path, monkeypatch):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert badges(at.markdown) == []
    monkeypatch.setenv("CX_BENCHMARKS", str(write_targets(
        tmp_path, "first_response_hours_median,12,hours", "notice_coverage,0.5,share",
        "notice_call_share,0.8,share", "acceptance_rate,0.9,share")))
    at.run()
    assert badges(at.markdown) == [
        ":red-badge[:material/flag: Misses target ≤ 12 h]",  # 24 h
        ":green-badge[:material/check: Meets target ≥ 50%]",  # 57%
        ":red-badge[:material/flag: Misses target ≥ 80%]",  # 29%
    ]
    assert "Target ≥ 90%: too few cases to judge" in [c.value for c in at.caption]  # n = 4


def test_target_directions():
    refs = benchmarks.load(write_targets(Path(__import__("tempfile").mkdtemp()),
                                         "notice_lag_hours_median,72,hours", "decline_rate,0.2,share",
                                         "notice_call_share,0.8,share", "company.reply_hours_median,24,hours"))
    lag, decline, call, reply = [r for r in refs if r.comparable == "target"]
    assert (lag.met_by(80), lag.met_by(72), decline.met_by(0.25), call.met_by(0.8), call.met_by(0.5)) \
        == (False, True, False, True, False)
    assert (lag.target_text, decline.target_text, call.target_text) == ("≤ 72 h", "≤ 20%", "≥ 80%")
    assert reply.matches("company", "reply_hours_median") and not reply.matches("candidate",
                                                                                 "reply_hours_median")
    assert benchmarks.target_for(refs, "company", "notice_call_share") is call


def test_a_bad_file_is_named_in_one_line(tmp_path, monkeypatch):
    bad = tmp_path / "b.csv"
    bad.write_text("metric,value,unit,comparable,what_was_measured,population,year,publisher,source_url\n"
                   "acceptance_rate,high,share,direct,x,y,2020,Z,https://example.org\n")
    with pytest.raises(benchmarks.BenchmarkError, match=r"^b.csv: line 2: value is not a number$"):
        benchmarks.load(bad)
    bad.write_text("metric,value\nx,1\n")
    with pytest.raises(benchmarks.BenchmarkError, match="missing columns: unit, comparable"):
        benchmarks.load(bad)
    monkeypatch.setenv("CX_BENCHMARKS", str(tmp_path / "none.csv"))
    with pytest.raises(benchmarks.BenchmarkError, match="no such file"):
        benchmarks.load()


def test_the_digest_names_the_direct_figures_beside_ours(cx_db):
    with connect(cx_db) as con:
        text = digest(con, Filters())
    section = text.split("## Published figures for comparison\n")[1].splitlines()
    assert section[0] == (
        "- Rejected interviewees told by a call: too few cases to compare (n = 1) here; "
        "Talent Board 2018: 10%, candidates rejected after a screen or interview who were told by "
        "a personal phone call (candidates in North America (survey)) ([source](https://"
        "employerbrandmagazine.com/picking-up-the-phone-impacts-the-business-for-the-better/))")
    assert len(section) == 7  # the direct rows only
    with connect(cx_db) as con:  # the whole period: 7 rejected interviewees, 2 told by a call
        text = digest(con, Filters(date_from=date(2025, 4, 2), date_to=date(2025, 6, 30)))
    assert "- Rejected interviewees told by a call: 28.6% (n = 7) here; Talent Board 2018" in text
    assert "Greenhouse" not in text and "Robert Half" not in text
