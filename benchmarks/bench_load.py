"""Time a full load against the bare read of the same files, and daily deltas into the result.

    python -m benchmarks.bench_load --applications 1000000 --out /tmp/cx-bench [--delta 500 --delta 1%]

Writes the sample export (seed 5) to OUT/export unless it is there already, then, each in a
process of its own (its peak memory is the process's maximum resident set size):
- the bare read: DuckDB reading every CSV file into a table (`create table t as select * from
  read_csv(file)`) in a new database file, the practical floor for a load;
- `python -m etl load` of the export into OUT/cx.duckdb (replaced), with the time of each step;
- for each `--delta`, a delta export of that many applications (benchmarks/delta.py: half
  updated, half new) loaded into that database, one after another.
Every step runs with the loader's memory limit (--memory-limit, default the loader's).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measured(argv: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run a command; returns (seconds, peak resident memory in MB, stdout)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status:
        raise SystemExit(f"{' '.join(argv)} failed (status {status})")
    return seconds, usage.ru_maxrss / 1024, out


def bare_read(export: Path, db: Path, memory_limit: str) -> None:
    """The child process of the bare read."""
    import duckdb

    db.unlink(missing_ok=True)
    with duckdb.connect(str(db), config={"memory_limit": memory_limit,
                                         "temp_directory": str(db) + ".spill"}) as con:
        for file in sorted(export.glob("*.csv")):
            con.execute(f"create table {file.stem} as select * from read_csv('{file}')")
        con.execute("checkpoint")
    db.unlink()
    shutil.rmtree(str(db) + ".spill", ignore_errors=True)


def load_child(export: Path, db: Path) -> None:
    """The child process of a load: prints its seconds per step as JSON."""
    from etl.load import load

    result = load(export, db=str(db), origin="sample")
    print(json.dumps(result.steps))


def delta_size(text: str, applications: int) -> int:
    return round(applications * float(text[:-1]) / 100) if text.endswith("%") else int(text)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--applications", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--out", type=Path, default=Path("/tmp/cx-bench"))
    p.add_argument("--memory-limit", default=os.environ.get("CX_MEMORY_LIMIT", "1.5GB"))
    p.add_argument("--delta", action="append", default=[],
                   help="applications in a delta (a number, or a share like 1%%); repeatable")
    p.add_argument("--skip-full", action="store_true", help="reuse OUT/cx.duckdb for the deltas")
    p.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # KIND EXPORT DATABASE
    args = p.parse_args(argv)
    if args.child:
        kind, folder, target = args.child
        if kind == "read":
            bare_read(Path(folder), Path(target), args.memory_limit)
        else:
            load_child(Path(folder), Path(target))
        return 0
    export, db = args.out / "export", args.out / "cx.duckdb"
    env = {"CX_MEMORY_LIMIT": args.memory_limit}
    me = [sys.executable, "-m", "benchmarks.bench_load", "--memory-limit", args.memory_limit, "--child"]
    if not export.exists():
        seconds, peak, _ = measured([sys.executable, "-m", "etl", "sample", "--applications",
                                     str(args.applications), "--seed", str(args.seed), "--out", str(export)])
        print(f"generate {args.applications:,} applications: {seconds:.1f} s, {peak:,.0f} MB peak")
    size = sum(f.stat().st_size for f in export.glob("*.csv")) / 1e6
    print(f"export: {size:,.0f} MB of CSV; memory limit {args.memory_limit}")
    if not args.skip_full:
        read_s, read_mb, _ = measured(me + ["read", str(export), str(args.out / "bare.duckdb")], env)
        print(f"bare read: {read_s:.1f} s, {read_mb:,.0f} MB peak")
        for old in args.out.glob("cx.*"):
            old.unlink()
        load_s, load_mb, out = measured(me + ["load", str(export), str(db)], env)
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in json.loads(out).items())
        print(f"full load: {load_s:.1f} s ({load_s / read_s:.1f}x the bare read), {load_mb:,.0f} MB peak; "
              f"{steps}")
        print(f"database: {os.path.getsize(os.path.realpath(db)) / 1e6:,.0f} MB")
    for text in args.delta:
        n = delta_size(text, args.applications)
        folder = args.out / f"delta-{n}"
        shutil.rmtree(folder, ignore_errors=True)
        # written by a process of its own: a child started later would count its memory
        subprocess.run([sys.executable, "-m", "benchmarks.delta", str(export), str(folder),
                        "--applications", str(n), "--seed", str(len(text) + n)], cwd=ROOT, check=True)
        seconds, peak, out = measured(me + ["load", str(folder), str(db)], env)
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in json.loads(out).items())
        print(f"delta of {n:,} applications: {seconds:.1f} s, {peak:,.0f} MB peak; {steps}")
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
