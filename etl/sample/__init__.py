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
import shutil
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


CHUNK = 1_000_000  # applications simulated at once: bounds the generator's memory (~2 GB)
TABLES = ("applications", "stage_changes", "interviews", "communications", "offers", "users",
          "jobs", "candidates")
NUMBERED = {"interviews": "no", "communications": "no", "offers": "no"}


def generate(out: Path, applications: int, seed: int, progress: Progress = None) -> dict[str, int]:
    """Write a sample export into `out`; returns rows written per file ("applications.csv":
    `applications`, ...). Up to CHUNK applications are one simulated company; beyond that the
    export holds several such companies' applications side by side (each chunk from its own
    seeded generator, numbered after the chunks before it), so memory stays bounded."""
    say = progress or (lambda step: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = dict.fromkeys((f"{name}.csv" for name in TABLES), 0)
    offsets = {"app_no": 0, "cand_no": 0, **dict.fromkeys(NUMBERED, 0)}
    sizes = [min(CHUNK, applications - start) for start in range(0, applications, CHUNK)]
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        for i, size in enumerate(sizes):
            rng = np.random.default_rng(seed if len(sizes) == 1 else [seed, i])
            frames = simulate_chunk(rng, size, say)
            shift(frames, offsets, first=i == 0)
            for name in TABLES:
                if name in ("users", "jobs") and i:
                    continue
                say(f"writing {name}.csv")
                written[f"{name}.csv"] += append_csv(con, out, name, frames[name], first=i == 0)
    return written


def simulate_chunk(rng, applications: int, say) -> dict:
    """The export's tables (as frames of numbers and codes) of one simulated company."""
    say("simulating applications")
    apps = numbering(simulate_all(rng, applications))
    tables = {"applications": applications_table, "stage_changes": stage_changes_table,
              "interviews": interviews_table, "communications": communications_table,
              "offers": offers_table}
    frames = {name: build(apps) for name, build in tables.items()}
    frames["candidates"] = candidates_table(rng, int(apps["cand_no"].max()))
    frames["users"], frames["jobs"] = users_table(), jobs_table()
    return frames


def shift(frames: dict, offsets: dict, first: bool) -> None:
    """Number a chunk's applications, candidates and events after the chunks before it."""
    if not first:
        for frame in frames.values():
            for column in ("app_no", "cand_no"):
                if column in frame:
                    frame[column] += offsets[column]
        for name, column in NUMBERED.items():
            frames[name][column] += offsets[name]
    offsets["app_no"] = int(frames["applications"]["app_no"].max())
    offsets["cand_no"] = int(frames["candidates"]["cand_no"].max())
    for name, column in NUMBERED.items():
        offsets[name] = int(frames[name][column].max()) if len(frames[name]) else offsets[name]


def append_csv(con, out: Path, name: str, frame, first: bool) -> int:
    """Write a chunk's rows of one file: the file itself for the first chunk, else appended
    to it without the header."""
    if first:
        return write_csv(con, out, name, frame)
    part = out / f".{name}.part"
    rows = write_csv(con, out, name, frame, to=part)
    with part.open("rb") as source, (out / f"{name}.csv").open("ab") as target:
        source.readline()
        shutil.copyfileobj(source, target, 1 << 24)
    part.unlink()
    return rows


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
