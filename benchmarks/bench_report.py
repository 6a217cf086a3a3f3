"""Time the whole report (`python -m queries report --format json`) on a database.

    python -m etl sample --out data/bench --applications 1000000 --seed 1
    python -m etl load data/bench --db data/bench.duckdb
    python -m benchmarks.bench_report --db data/bench.duckdb

Prints the first run (a fresh process's cold caches) and the median of the warm runs.
"""

import argparse
import statistics
import time

from queries.report import whole_report
from queries.runner import Filters, connect


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    con = connect(args.db)
    timings = []
    for _ in range(args.runs + 1):
        started = time.perf_counter()
        figures = whole_report(con, Filters())
        timings.append(time.perf_counter() - started)
    print(f"applications: {figures['company']['applications']:,}")
    print(f"report, first run: {timings[0] * 1000:.0f} ms")
    print(f"report, warm (median of {args.runs}): {statistics.median(timings[1:]) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
