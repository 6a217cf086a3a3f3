"""Time a load whose export is mostly malformed lines (each set aside with its line).

    python -m benchmarks.bench_bad_rows --bad 200000 --out /tmp/cx-bad-rows

Writes OUT/export/applications.csv: 1,000 good applications, then BAD lines with a field too
many or too few (alternately), and publishes it into OUT/cx.duckdb (both replaced).
"""

import argparse
import shutil
import time
from pathlib import Path

from etl.load import load

HEADER = "application_id,candidate_id,job_id,recruiter_id,source,applied_at,status,closed_at,close_reason\n"


def write_export(folder: Path, good: int, bad: int) -> Path:
    folder.mkdir(parents=True)
    with open(folder / "applications.csv", "w") as f:
        f.write(HEADER)
        for i in range(good):
            f.write(f"a{i},c{i},j1,r1,referral,2025-04-07T09:00:00Z,active,,\n")
        for i in range(bad):
            ending = ",,,x" if i % 2 else ""  # a field too many, or two too few
            f.write(f"b{i},c{i},j1,r1,referral,2025-04-07T09:00:00Z,active{ending}\n")
    return folder


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bad", type=int, default=200_000)
    p.add_argument("--good", type=int, default=1_000)
    p.add_argument("--out", type=Path, default=Path("/tmp/cx-bad-rows"))
    args = p.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    export = write_export(args.out / "export", args.good, args.bad)
    started = time.perf_counter()
    result = load(export, db=str(args.out / "cx.duckdb"))
    took = time.perf_counter() - started
    counts = result.files["applications.csv"]
    print(f"{counts['rows']:,} rows: {counts['loaded']:,} loaded, {counts['rejected']:,} set aside")
    print(f"load: {took:.1f} s")


if __name__ == "__main__":
    main()
