"""Time the sample generator and a load of its export.

    python -m benchmarks.bench_load --applications 1000000 --out /tmp/cx-bench

Writes the export to OUT/export and publishes it into OUT/cx.duckdb (both replaced).
"""

import argparse
import shutil
import time
from pathlib import Path

from etl.load import load
from etl.sample import generate


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--applications", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=Path("/tmp/cx-bench"))
    args = p.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    started = time.perf_counter()
    written = generate(args.out / "export", args.applications, args.seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    load(args.out / "export", db=str(args.out / "cx.duckdb"), origin="sample")
    loaded = time.perf_counter() - started
    size = sum(f.stat().st_size for f in (args.out / "export").iterdir()) / 1e6
    print(f"export: {sum(written.values()):,} rows in {len(written)} files, {size:,.0f} MB")
    print(f"generate: {generated:.1f} s")
    print(f"load: {loaded:.1f} s")


if __name__ == "__main__":
    main()
