"""Sample data: a deterministic, realistic generic export (`python -m etl sample`).

The story. Northwind, a software company, hires for 20 jobs in five departments between
2025-05-01 and the moment the export was taken, 2026-10-30 18:00 UTC. Applications arrive with
the seasons (busy in Jan-Mar and Sep-Oct, quiet in summer, December and at weekends) from
referrals, LinkedIn, the careers site, agencies, Indeed and universities; most get an automated
acknowledgement within minutes. Eight recruiters own them, each with a habit (see RECRUITERS):
one calls every rejected interviewee, one writes personal emails, one often forgets to tell
people at all, one is days late with everything; a few applications have no recruiter.

Most applicants are turned down early, without an interview. The others go through a recruiter
phone screen, a video interview and an onsite, each arranged in an email thread: candidates
mostly answer within hours, some go quiet for more than a week (and get a nudge), a few answer
a month later and a few vanish. Some miss an interview or have it cancelled and rescheduled.
Every stage ends some applications: rejections (with a call, a personal email, a template or
nothing, sometimes late, sometimes logged before the decision was recorded) and withdrawals
(with or without a message). The last candidates get an offer, sometimes revised once, and
accept it, decline it (saying why, by phone or email), let it expire, or accept and renege
later; a few offers are rescinded. Rejected candidates apply again later, more often after a
phone call than after silence.

How. Everything is simulated forward, per application, with whole-array numpy operations from
one seeded generator, then cut at the export time: events after it are not in the export,
applications still open are active, unanswered offers are pending. Times are float hours since
START (NaN = did not happen). The tables are built from those arrays and written by DuckDB with
a fixed row order and fixed formats, so the same seed gives byte-identical files.

The modules: `cast` (the world), `simulate` (the lives), `tables` (the export's rows), `write`
(the CSV files); `generate` and `main` below tie them together.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np

from etl.sample.cast import END, START
from etl.sample.simulate import simulate_all
from etl.sample.tables import (
    applications_table,
    candidates_table,
    communications_table,
    interviews_table,
    jobs_table,
    numbering,
    offers_table,
    stage_changes_table,
    users_table,
)
from etl.sample.write import write_csv

__all__ = ["END", "START", "generate", "main"]

Progress = Callable[[str], None] | None


def generate(out: Path, applications: int, seed: int, progress: Progress = None) -> dict[str, int]:
    """Write a sample export into `out`; returns rows written per file ("applications.csv":
    `applications`, ...)."""
    say = progress or (lambda step: None)
    rng = np.random.default_rng(seed)
    say("simulating applications")
    apps = numbering(simulate_all(rng, applications))
    tables = {"applications": applications_table, "stage_changes": stage_changes_table,
              "interviews": interviews_table, "communications": communications_table,
              "offers": offers_table}
    frames = {name: build(apps) for name, build in tables.items()}
    frames["candidates"] = candidates_table(rng, int(apps["cand_no"].max()))
    frames["users"], frames["jobs"] = users_table(), jobs_table()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        for name in ("applications", "stage_changes", "interviews", "communications", "offers",
                     "users", "jobs", "candidates"):
            say(f"writing {name}.csv")
            written[f"{name}.csv"] = write_csv(con, out, name, frames[name])
    return written


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str]) -> int:
    """`python -m etl sample [--out DIR] [--applications N] [--seed S]`."""
    parser = argparse.ArgumentParser(prog="python -m etl sample",
                                     description="Write a deterministic sample export (generic CSV).")
    parser.add_argument("--out", type=Path, default=Path("data/sample"), help="folder to write")
    parser.add_argument("--applications", type=_positive, default=3000, metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = generate(args.out, args.applications, args.seed)
    seconds = time.perf_counter() - started
    print(f"sample: wrote {len(written)} files, {sum(written.values()):,} rows to {args.out} "
          f"in {seconds:.1f} s", file=sys.stderr)
    return 0
