"""How long each dashboard page's questions take on a database, warm (the median of several runs).

    python benchmarks/bench_pages.py --db data/cx.duckdb [--runs 5]

Each page asks the questions listed in PAGES (tests/test_dashboard.py checks the list against
what the pages really ask) with the dashboard's default filters: the 90 days up to the data's
as_of, and the 90 days before for the Overview's changes (answered in the same pass). A page
starts all of its questions at once, as the dashboard does (queries/answers.py), on a fresh
answer store each time: these are the times of a first visit after a load, with DuckDB's own
buffers warm. The dashboard keeps every answer per published version, so a revisit costs nothing.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from queries.answers import Answers, Request  # noqa: E402
from queries.runner import Filters, connect, default_as_of  # noqa: E402

# what a page asks: (question, group_by, period); period: "current" (the sidebar's), "previous"
# (the one before it) or "all" (no filters). ("report", shows, period) is the report of
# queries.metrics with the figures of the questions in `shows` ("recruiters": its per-recruiter
# table); a page also asks the report's questions itself for the n behind its tiles.
SIDEBAR = {("filter_options", None, "all"), ("data_inputs", None, "all"), ("origins", None, "all"),
           ("last_load", None, "all")}


def tiles(*names: str, period: str = "current") -> set:
    return {("report", names, period)} | {(name, None, period) for name in names if name != "decline_reasons"}


OVERVIEW = ("first_response", "rejection_notices", "reply_times", "offers", "no_shows")
PAGES = {
    "overview": tiles(*OVERVIEW) | tiles(*OVERVIEW, period="previous") | {
        (name, "week", "current") for name in OVERVIEW},
    "response_times": tiles("first_response", "reply_times", "offers") | {
        ("response_time_distribution", None, "current"), ("first_response", "department", "current"),
        ("reply_times", "department", "current")},
    "closing_the_loop": tiles("rejection_notices") | {
        ("response_time_distribution", None, "current"), ("rejection_notices", "furthest_stage", "current"),
        ("reapplication_by_notice", None, "current"), ("rejection_notices", "recruiter", "current"),
        ("rejection_notices", "week", "current")},
    "offers": tiles("offers", "decline_reasons") | {
        ("response_time_distribution", None, "current"), ("offers", "month", "current"),
        ("offers_past_deadline", None, "current")},
    "team": {("report", ("recruiters",), "current"), ("rejection_notices", "recruiter", "current"),
             ("first_response", "recruiter", "current"), ("call_list", None, "current")},
    "data": {("set_aside", None, "all"), ("communication_evidence", None, "all"),
             ("loads", None, "all")},
}


def default_filters(con) -> Filters:
    end = (default_as_of(con) or time.localtime()).date()
    return Filters(date_from=end - timedelta(days=89), date_to=end)


def view(con, questions: set, filters: Filters) -> None:
    """One first view of a page, as the dashboard draws it: the sidebar's questions (started
    together), then the page starts its own and its report's at once and reads each answer as
    it draws (the report is built from the same answers)."""
    answers = Answers(con)
    try:
        shared = sorted(q for q in questions if q[2] == "all")
        answers.ask([Request(name, Filters(), group_by) for name, group_by, _ in shared])
        for name, group_by, _ in shared:
            answers.answer(name, Filters(), group_by)
        reports = [(shows, period) for name, shows, period in questions if name == "report"]
        if reports:
            shows = reports[0][0]
            answers.prefetch(filters, [(n, g) for n, g, p in questions if p == "current" and n != "report"],
                             report=tuple(q for q in shows if q != "recruiters"),
                             previous=any(period == "previous" for _, period in reports),
                             recruiters="recruiters" in shows)
        for name, group_by, period in sorted((q for q in questions if q[2] != "all"), key=str):
            if name == "report":
                answers.report(filters, period, recruiters="recruiters" in group_by,
                               questions=tuple(q for q in group_by if q != "recruiters"))
            else:
                answers.answer(name, filters, group_by, period)
    finally:
        answers.close()


def time_page(con, questions: set, filters: Filters, runs: int) -> list[float]:
    """Seconds per first view of the page."""
    view(con, questions, filters)  # warm up
    totals = []
    for _ in range(runs):
        started = time.perf_counter()
        view(con, questions, filters)
        totals.append(time.perf_counter() - started)
    return totals


def machine_check() -> float:
    """Milliseconds for a fixed loop of Python additions: shared machines change speed from one
    minute to the next, and this says how fast this one was during the run."""
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    return (time.perf_counter() - started) * 1000


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="the published database (e.g. data/cx.duckdb)")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    before = machine_check()
    con = connect(args.db)
    filters = default_filters(con)
    apps = con.execute("select count(*) from app_facts").fetchone()[0]
    print(f"{args.db}: {apps:,} applications; period {filters.date_from} .. {filters.date_to}; "
          f"median of {args.runs} warm runs\n")
    print(f"{'page':<18}{'questions':>10}{'median ms':>12}{'max ms':>10}")
    for page, questions in PAGES.items():
        asked = questions | SIDEBAR
        totals = time_page(con, asked, filters, args.runs)
        print(f"{page:<18}{len(asked):>10}{statistics.median(totals) * 1000:>12.0f}{max(totals) * 1000:>10.0f}")
    print(f"\nmachine check: a fixed loop took {before:.0f} ms before the runs, {machine_check():.0f} ms after")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
