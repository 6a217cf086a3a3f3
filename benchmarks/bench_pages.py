"""How long each dashboard page's questions take on a database, warm (the median of several runs).

    python benchmarks/bench_pages.py --db data/cx.duckdb [--runs 5]

Each page asks the questions listed in PAGES (tests/test_dashboard.py checks the list against
what the pages really ask) with the dashboard's default filters: the 90 days up to the data's
as_of, and the 90 days before for the Overview's changes. The dashboard caches every answer per
published version, so these times are what a first visit after a load costs.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from queries.metrics import report  # noqa: E402
from queries.runner import Filters, connect, default_as_of, run  # noqa: E402

# what a page asks: (question, group_by, period); "report" is queries.metrics.report;
# period: "current" (the sidebar's), "previous" (the one before it) or "all" (no filters)
SIDEBAR = {("filter_options", None, "all"), ("data_inputs", None, "all"), ("origins", None, "all")}
SIZES = {(q, None, "current") for q in ("first_response", "rejection_notices", "reply_times",
                                        "offers", "no_shows", "withdrawals")}
PAGES = {
    "overview": SIZES | {(q, None, "previous") for q, _, _ in SIZES} | {
        ("report", None, "current"), ("report", None, "previous"),
        ("first_response", "week", "current"), ("reply_times", "week", "current"),
        ("rejection_notices", "week", "current"), ("offers", "week", "current"),
        ("no_shows", "week", "current")},
    "response_times": SIZES | {
        ("report", None, "current"), ("response_time_distribution", None, "current"),
        ("first_response", "department", "current"),
        ("reply_times", "department", "current")},
    "closing_the_loop": SIZES | {
        ("report", None, "current"), ("response_time_distribution", None, "current"),
        ("rejection_notices", "furthest_stage", "current"),
        ("reapplication_by_notice", None, "current"), ("rejection_notices", "recruiter", "current"),
        ("rejection_notices", "week", "current")},
    "offers": SIZES | {
        ("report", None, "current"), ("response_time_distribution", None, "current"), ("offers", "month", "current"),
        ("offers_past_deadline", None, "current")},
    "team": {("report", None, "current"), ("rejection_notices", "recruiter", "current"),
             ("first_response", "recruiter", "current"), ("call_list", None, "current")},
    "data": {("set_aside", None, "all"), ("communication_evidence", None, "all"),
             ("loads", None, "all")},
}


def default_filters(con) -> dict[str, Filters]:
    end = (default_as_of(con) or time.localtime()).date()
    current = Filters(date_from=end - timedelta(days=89), date_to=end)
    return {"current": current, "previous": current.previous(), "all": Filters()}


def ask(con, question: tuple, filters: dict[str, Filters], answers: dict) -> None:
    """Answer a question once per page view, as the dashboard's cache does: the report is
    built from the same answers as the page's own questions."""
    name, group_by, period = question
    if name == "report":
        def cached(q, g=None):
            return ask(con, (q, g, period), filters, answers)
        report(con, filters[period], ask=cached)
    elif question not in answers:
        answers[question] = run(name, con, **filters[period].params(con, group_by=group_by))
    return answers.get(question)


def time_page(con, questions: set, filters: dict, runs: int) -> tuple[list[float], tuple]:
    """Seconds per view of the page (its questions, each asked once), and its slowest question."""
    for q in questions:  # warm up
        ask(con, q, filters, {})
    totals, slowest = [], (0.0, None)
    for _ in range(runs):
        total, answers = 0.0, {}
        for q in sorted(questions, key=str):
            started = time.perf_counter()
            ask(con, q, filters, answers)
            took = time.perf_counter() - started
            total += took
            slowest = max(slowest, (took, q), key=lambda s: s[0])
        totals.append(total)
    return totals, slowest


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="the published database (e.g. data/cx.duckdb)")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    con = connect(args.db)
    filters = default_filters(con)
    apps = con.execute("select count(*) from app_facts").fetchone()[0]
    print(f"{args.db}: {apps:,} applications; period {filters['current'].date_from} .. "
          f"{filters['current'].date_to}; median of {args.runs} warm runs\n")
    print(f"{'page':<18}{'questions':>10}{'median ms':>12}{'max ms':>10}  slowest question")
    for page, questions in PAGES.items():
        asked = questions | SIDEBAR
        totals, (took, q) = time_page(con, asked, filters, args.runs)
        name = f"{q[0]}" + (f" by {q[1]}" if q[1] else "") + f" ({q[2]}, {took * 1000:.0f} ms)"
        print(f"{page:<18}{len(asked):>10}{statistics.median(totals) * 1000:>12.0f}"
              f"{max(totals) * 1000:>10.0f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
