"""One catalogue of figures (queries/catalogue.py): the report, the tiles, the digest, the
published-figure comparisons and docs/metrics.md all read it."""

from pathlib import Path

import pandas as pd

from app import scorecard
from queries import benchmarks, catalogue, digest, formats
from queries.benchmarks import Reference
from queries.runner import Filters, connect

DOCS = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"


def test_docs_list_every_figure_of_the_catalogue_as_it_is():
    text = DOCS.read_text(encoding="utf-8")
    listed = text.split("<!-- figures:start -->\n")[1].split("\n<!-- figures:end -->")[0]
    assert listed == catalogue.markdown()
    keys = {line.split(" | ")[1].strip("`") for line in listed.splitlines()[2:]}
    assert keys == {f.key for f in catalogue.FIGURES}


def test_the_report_contract_in_the_docs_names_every_figure():
    contract = DOCS.read_text(encoding="utf-8").split("```")[1]
    for f in catalogue.FIGURES:
        assert f'"{f.key}"' in contract, f.key


def test_the_report_holds_each_sides_figures_in_the_catalogues_order(dashboard_db):
    from queries.report import whole_report

    with connect(dashboard_db) as con:
        report = whole_report(con, Filters())
    for side in ("company", "candidate"):
        assert list(report[side]) == [f.key for f in catalogue.side(side)]
    assert list(report["recruiters"][0])[2:] == list(catalogue.RECRUITER)


def test_a_figures_n_is_the_sum_of_its_columns():
    offers = pd.DataFrame({"offers_decided": [6], "accepted": [3], "reneged": [1],
                           "decline_channel_call": [2], "decline_channel_written": [1],
                           "answer_n": [4], "accept_n": [3], "decline_n": [1]})
    sizes = scorecard.sample_sizes({"offers": offers})
    assert sizes[("candidate", "renege_rate")] == 4  # accepted 3 + reneged 1
    assert sizes[("candidate", "decline_call_share")] == 3  # call 2 + written 1
    assert sizes[("candidate", "acceptance_rate")] == 6
    assert ("company", "notice_coverage") not in sizes  # its question was not answered


def test_a_trend_under_a_tile_leaves_out_weeks_under_five_cases():
    tile = catalogue.figure("company", "notice_coverage")
    weeks = pd.DataFrame({"notice_coverage": [0.5, 1.0, 0.25], "rejections_interviewed": [6, 1, 8]})
    spark = scorecard.spark(tile, weeks)
    assert spark[0] == 0.5 and pd.isna(spark[1]) and spark[2] == 0.25
    assert scorecard.spark(catalogue.figure("candidate", "renege_rate"), weeks) is None


def test_hours_read_the_same_in_a_tile_and_in_the_digest():
    assert formats.figure(47.94, "hours", 9) == digest.fmt(47.94, "hours") == "47.9 h"
    assert formats.figure(50.0, "hours", 9) == digest.fmt(50.0, "hours") == "2.1 d"
    assert digest.change(50.0, 1.0, "hours") == f" ({formats.change(50.0, 1.0, 'hours')})"


def test_published_figures_take_their_names_words_and_direction_from_the_catalogue():
    def ref(metric, comparable="direct", unit="share"):
        return Reference(metric, 0.1, unit, comparable, "", "", "2018", "Talent Board", "x")
    assert ref("notice_call_share").short_label == "Talent Board 2018: 10% told by phone"
    assert ref("notice_mix.none").short_label == "Talent Board 2018: 10% never told"
    assert benchmarks.name("notice_call_share") == "Rejected interviewees told by a call"
    assert benchmarks.name("decline_rate") == "Offers declined"  # its tile's label
    assert ref("decline_rate", "target").at_most and not ref("acceptance_rate", "target").at_most
    assert ref("notices_overdue", "target", "count").at_most
    report = {"company": {"rejections_interviewed": 7, "responded_within_14d_n": 12},
              "candidate": {"offers_decided": 4}}
    assert benchmarks.report_n(report, "notice_mix.call") == 7
    assert benchmarks.report_n(report, "candidate.silent_offer_rate") == 4
    assert benchmarks.report_n(report, "first_response_hours_median") is None  # n not reported


def test_one_small_n_rule():
    from app import figures
    from app import format as fmt
    assert fmt.MIN_N is figures.MIN_N is benchmarks.MIN_N is catalogue.MIN_N == 5


def test_the_scorecard_reads_no_database():
    import ast
    source = Path(scorecard.__file__).read_text(encoding="utf-8")
    imported = {a.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
                for a in node.names} | {node.module for node in ast.walk(ast.parse(source))
                                        if isinstance(node, ast.ImportFrom)}
    assert not imported & {"state", "store", "app.state", "app.store", "queries.runner", "duckdb"}
