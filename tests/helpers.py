"""Shared test helpers: run the real CLIs in-process and read the published database."""

import contextlib
import io
import json
import os
from datetime import datetime
from pathlib import Path

import duckdb

from etl.load import main as load_main
from queries.report import main as report_main

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def cli(main, argv: list[str]) -> tuple[int, str, str]:
    """Run a `main(argv)` entry point; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def load(path, db, *options) -> dict:
    """Load an export with `python -m etl load --json`; returns the JSON summary."""
    code, out, err = cli(load_main, [path, "--db", db, "--json", *options])
    assert code == 0, err
    return json.loads(out)


def report(db, *options) -> dict:
    """`python -m queries report --format json` on a database."""
    code, out, err = cli(report_main, ["--db", db, "--format", "json", *options])
    assert code == 0, err
    return json.loads(out)


def rows(db, sql: str) -> list[tuple]:
    with duckdb.connect(os.path.realpath(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)
