"""How long each dashboard page's questions take on a database, warm (the median of several runs).

    python benchmarks/bench_pages.py --db data/cx.duckdb [--runs 5]

Each page asks the questions listed in queries/pages.py (tests/test_dashboard.py checks the list
against what the pages really ask) with the dashboard's default filters: the 90 days up to the
data's as_of, the 90 days before for the changes (answered in the same pass), and the Monthly
review's twelve months. A page
starts all of its questions at once, as the dashboard does (queries/answers.py), on a fresh
answer store each time: these are the times of a first visit after a load, with DuckDB's own
buffers warm. The dashboard keeps every answer per published version, so a revisit costs nothing,
and answers these default views itself once a version is published (queries.pages.warm): the
last line is how long that warm-up takes, one question at a time.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from queries.answers import Answers  # noqa: E402
from queries.pages import PAGES, SIDEBAR, default_filters, requests, warm  # noqa: E402
from queries.runner import Filters, connect  # noqa: E402


def view(con, questions: set, filters: Filters) -> None:
    """One first view of a page, as the dashboard draws it: the sidebar's questions (started
    together), then the page starts its own and its report's at once and reads each answer as
    it draws (the report is built from the same answers)."""
    answers = Answers(con)
    try:
        asked = requests(questions, filters)
        shared = [r for r in asked if r.filters == Filters()]
        answers.ask(shared)
        for r in shared:
            answers.answer(r.name, r.filters, r.group_by)
        answers.ask([r for r in asked if r not in shared])
        for name, group_by, period in sorted((q for q in questions if q[2] != "all"), key=str):
            if name == "report":
                answers.report(filters, period, recruiters="recruiters" in group_by,
                               questions=tuple(q for q in group_by if q != "recruiters"))
            elif period == "year":
                answers.answer(name, filters.last_months(), group_by)
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
    answers = Answers(con)
    started = time.perf_counter()
    warmed = warm(answers, filters)
    answers.close()
    print(f"\nwarm-up: {warmed} questions, every page's first view, one at a time: "
          f"{time.perf_counter() - started:.2f} s")
    print(f"\nmachine check: a fixed loop took {before:.0f} ms before the runs, {machine_check():.0f} ms after")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
