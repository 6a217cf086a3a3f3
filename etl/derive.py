"""Derive the facts the metrics need, once per publish, so that queries never rescan raw events.

The SQL is layered as dbt projects are, one relation a file, run layer by layer and file by
file in name order (NN_name.sql):

    etl/sql/staging/       the canonical tables of every origin, keyed by one integer per
                           application
    etl/sql/intermediate/  one fact per application each (stage reached, first response,
                           notice, final offer, ...)
    etl/sql/facts/         what the questions of queries/sql read: app_facts and the cohort
                           tables in their dates' order, reply turns, filter values, meta

Temp relations live only while the load builds the database; the others are published.
Definitions: docs/metrics.md. The query helpers (in_period, share, ...) are not part of the
database: the read side installs them from queries/sql/helpers/macros.sql.
"""

from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).with_name("sql")
LAYERS = ("staging", "intermediate", "facts")


def files() -> list[Path]:
    """The derive SQL files in the order they run."""
    return [path for layer in LAYERS for path in sorted((SQL_DIR / layer).glob("*.sql"))]


def derive(con: duckdb.DuckDBPyConnection) -> None:
    """Build every derived relation from the canonical tables on `con`; each file goes to DuckDB
    whole, which splits its statements itself."""
    for path in files():
        in_order(con, path.parent.name == "facts")
        con.execute(path.read_text())


def in_order(con: duckdb.DuckDBPyConnection, keep: bool) -> None:
    """Whether the next statements keep their rows' order. Only what is kept sorted needs it
    (the scan of an export's file, the facts in their dates' order); elsewhere keeping it holds
    the batches of a large join in memory until their turn, and a 10M load runs out of memory."""
    con.execute("set preserve_insertion_order = true" if keep else
                "set preserve_insertion_order = false")
