"""Time `python -m etl refresh` on a local fake Lever: a first (full) run, then one with nothing new.

    python -m benchmarks.bench_refresh --opportunities 2000 --out /tmp/cx-bench-refresh

The fake (tests/fake_lever.py, on 127.0.0.1) serves the hand-made Lever export of
tests/data/lever repeated under new ids, 100 records a page, so the figures are the pull's and
load's own costs without Lever's network time or rate limit.
"""

import argparse
import copy
import os
import shutil
import time
from pathlib import Path

from etl import refresh
from tests.fake_lever import API_KEY, Export, FakeLever

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "lever"


def export_of(opportunities: int) -> Export:
    """The hand-made export's opportunities (and their records) copied under new ids."""
    base = Export.from_folder(DATA)
    export = Export([], base.lists, {resource: {} for resource in base.per_opportunity})
    for number in range(opportunities):
        original = base.opportunities[number % len(base.opportunities)]
        key = f"{original['id']}-{number}"
        export.opportunities.append({**copy.deepcopy(original), "id": key})
        for resource, by_opportunity in base.per_opportunity.items():
            if original["id"] in by_opportunity:
                export.per_opportunity[resource][key] = copy.deepcopy(by_opportunity[original["id"]])
    return export


def timed(db: Path) -> tuple[float, int]:
    started = time.perf_counter()
    code = refresh.main(["--db", str(db)])
    return time.perf_counter() - started, code


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--opportunities", type=int, default=2000)
    p.add_argument("--out", type=Path, default=Path("/tmp/cx-bench-refresh"))
    args = p.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    for name in refresh.CONFIGURED_BY["greenhouse"]:
        os.environ.pop(name, None)
    with FakeLever(export_of(args.opportunities), page_size=100) as lever:
        os.environ.update(LEVER_API_KEY=API_KEY, LEVER_API_URL=lever.api_url)
        first, code_first = timed(args.out / "cx.duckdb")
        requests_first = len(lever.log)
        quiet, code_quiet = timed(args.out / "cx.duckdb")
    print(f"first refresh (full pull and load): {first:.1f} s, {requests_first:,} requests, "
          f"exit {code_first}")
    print(f"refresh with nothing new: {quiet:.2f} s, {len(lever.log) - requests_first:,} "
          f"requests, exit {code_quiet}")


if __name__ == "__main__":
    main()
