"""One connection factory and one runner for every question in queries/sql/, used as

    con = connect()
    run("rejection_notices", con, **Filters(department="Engineering").params(con))
"""

import functools
import os
import re
import threading
import weakref
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from etl import recovery
from etl.publish import database_path

SQL_DIR = Path(__file__).with_name("sql")
HELPERS = SQL_DIR / "helpers" / "macros.sql"
PARAM = re.compile(r"\$([a-z_]+)")
LOAD_HINT = ("load an export with `python -m etl load EXPORT_FOLDER`, or build the sample with "
             "`python -m etl sample --out data/sample && python -m etl load data/sample`")


class DatabaseError(Exception):
    """A database that cannot be read, explained in a sentence a user understands."""


def connect(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the published database read-only (the version the link points at right now)."""
    path = database_path(db)
    if not path.exists():
        raise DatabaseError(f"There is no database at {path} yet: {LOAD_HINT}.")
    version = servable(path)
    try:
        # one thread per question: queries/answers.py runs a page's questions side by side;
        # DuckDB's buffers within CX_QUERY_MEMORY_LIMIT (docs/scaling.md), not 80% of the machine
        con = duckdb.connect(version, read_only=True, config={
            "enable_external_access": False, "threads": 1, "lock_configuration": True,
            "memory_limit": os.environ.get("CX_QUERY_MEMORY_LIMIT") or "1GB"})
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise DatabaseError(f"{path} is being written by another program; loads publish a "
                                "new file instead, so close that program and load again.") from None
        raise DatabaseError(f"{path} cannot be read: {str(e).splitlines()[0]}") from None
    except duckdb.Error as e:
        raise DatabaseError(f"{path} is not a Reciprocal database, or was written by another "
                            f"DuckDB version ({str(e).splitlines()[0]}); {LOAD_HINT}.") from None
    if not con.execute("select count(*) from duckdb_tables() where table_name = 'app_facts'"
                       ).fetchall()[0][0]:
        con.close()
        raise DatabaseError(f"{path} holds no Reciprocal data: {LOAD_HINT}.")
    return con


def data_version(db: str | Path | None = None) -> str:
    """Changes whenever a new database is published: the file the link points at (or, while
    that file cannot be read, the last good version kept beside it: `fallback_warning`)."""
    path = database_path(db)
    return servable(path) if path.exists() else ""


def servable(path: Path) -> str:
    """The version file to read: the published one, else the last good one kept."""
    good, _ = recovery.last_good(path)
    return str(good) if good else os.path.realpath(path)


def fallback_warning(db: str | Path | None = None) -> str | None:
    """A sentence when the published database cannot be read and an older version is shown."""
    path = database_path(db)
    return recovery.last_good(path)[1] if path.exists() else None


@functools.cache
def sql_text(name: str) -> str:
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"no query named {name!r} in {SQL_DIR}")
    return path.read_text()


@functools.cache
def statement(name: str) -> duckdb.Statement:
    """The question parsed once (parsing alone takes a few milliseconds of every run); a parsed
    statement runs on any connection."""
    parser = duckdb.connect()
    try:
        [parsed] = parser.extract_statements(sql_text(name))
    finally:
        parser.close()
    return parsed


def run(name: str, con: duckdb.DuckDBPyConnection, **params) -> pd.DataFrame:
    """Run queries/sql/<name>.sql with its named parameters bound (absent ones are null)."""
    bound = {p: params.get(p) for p in dict.fromkeys(PARAM.findall(sql_text(name)))}
    return cursor(con).execute(statement(name), bound).df()


_threads = threading.local()


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """This thread's cursor on `con`, with the query helpers of queries/sql/helpers/macros.sql
    installed: they are temp macros, which a cursor does not share with its connection. A
    changed helpers file is installed again on the next question, with no reload."""
    cursors = _threads.__dict__.setdefault("cursors", weakref.WeakKeyDictionary())
    version = helpers_version()
    installed, mine = cursors.get(con, (None, None))
    if installed != version:
        if mine is None:
            mine = con.cursor()
        for macro in helper_statements(version):
            mine.execute(macro)
        cursors[con] = (version, mine)
    return mine


def helpers_version() -> tuple[str, int, int]:
    """Changes whenever queries/sql/helpers/macros.sql is edited: (path, mtime, size)."""
    stat = HELPERS.stat()
    return str(HELPERS), stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=2)
def helper_statements(version: tuple[str, int, int]) -> list[duckdb.Statement]:
    """The helpers file's statements, parsed once per version of the file."""
    parser = duckdb.connect()
    try:
        return parser.extract_statements(Path(version[0]).read_text())
    finally:
        parser.close()


def split(frame: pd.DataFrame) -> dict[tuple[str, bool], pd.DataFrame]:
    """The parts of a question's answer, by (period, totals): for each period ("current", or
    "previous" where asked with previous_from) its groups' rows (totals False) and its total
    row (totals True), without the period and total columns; {} for an answer without periods
    and totals, which is read as it is. The helper columns go in one step, and each part is then
    a run of rows, as the questions order their rows by period and total: no copies."""
    helpers = [column for column in ("period", "total") if column in frame]
    if not helpers:
        return {}
    leading = list(frame.columns[:len(helpers)]) == helpers  # as the questions put them
    body = frame.iloc[:, len(helpers):] if leading else frame.drop(columns=helpers)
    periods = frame["period"].to_numpy() if "period" in frame else np.full(len(frame), "current")
    kinds = frame["total"].to_numpy() if "total" in frame else None
    parts = {}
    for period in ("current", "previous"):
        for totals in (False, True):
            wanted = periods == period
            if kinds is not None:
                wanted &= kinds == totals
            at = np.flatnonzero(wanted)
            if not len(at):
                rows = body.iloc[0:0]
            elif at[-1] - at[0] + 1 == len(at):
                rows = body.iloc[at[0]:at[-1] + 1]
            else:
                rows = body.iloc[at]
            parts[(period, totals)] = rows.set_axis(pd.RangeIndex(len(rows)), axis=0)
    return parts


@dataclass(frozen=True)
class Filters:
    """The filters every figure takes. Dates are inclusive whole days; None means no filter.
    recruiter "" selects the applications with no recruiter (Unassigned)."""

    date_from: date | None = None
    date_to: date | None = None
    department: str | None = None
    recruiter: str | None = None
    job: str | None = None
    source: str | None = None
    as_of: datetime | None = None
    notice_sla_days: float = 3
    answer_window_days: float = 3
    call_list_days: float = 60  # the call list's reach back from as_of, whatever the period

    def params(self, con: duckdb.DuckDBPyConnection, group_by: str | None = None,
               with_previous: bool = False) -> dict:
        """Bound parameters for run(); as_of defaults to the data's own latest moment.
        with_previous: the questions that can also answer the previous period do so."""
        before = self.previous() if with_previous else None
        values = asdict(self) | {"group_by": group_by, "previous_from": before and before.date_from}
        values["as_of"] = self.as_of or default_as_of(con)
        return values

    def previous(self) -> "Filters | None":
        """The period of equal length just before this one (None without a full period)."""
        if self.date_from is None or self.date_to is None:
            return None
        days = (self.date_to - self.date_from).days + 1
        return replace(self, date_from=self.date_from - timedelta(days=days),
                       date_to=self.date_from - timedelta(days=1))

    def last_months(self, count: int = 12) -> "Filters":
        """The same filters over the `count` whole months up to the period's end (the Monthly
        review's twelve months)."""
        end = self.date_to or date.today()
        start = date(end.year, end.month, 1)
        for _ in range(count - 1):
            start = (start - timedelta(days=1)).replace(day=1)
        return replace(self, date_from=start, date_to=end)


@functools.lru_cache(maxsize=8)
def data_inputs(con: duckdb.DuckDBPyConnection) -> pd.Series:
    """The database's one row of meta facts; a published version never changes, so it is read
    once per connection rather than before every question."""
    return run("data_inputs", con).iloc[0]


def default_as_of(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The latest moment in the data, so that a given export always gives the same figures."""
    return usable_moment(data_inputs(con)["as_of"])


def usable_moment(latest) -> datetime | None:
    """The data's latest moment as "now", unless it is impossible (after a year from today:
    loads set such values aside, but a database loaded before may hold one), then today."""
    if latest is None or pd.isna(latest):
        return None
    ceiling = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=366)
    if pd.Timestamp(latest) > pd.Timestamp(ceiling):
        return datetime.now(UTC).replace(tzinfo=None)
    return pd.Timestamp(latest).to_pydatetime()


def missing_inputs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The optional inputs the data holds no rows of: their figures are unknown, not zero."""
    meta = data_inputs(con)
    names = ["communications", "stage_changes", "interviews", "offers", "users", "jobs"]
    return [n for n in names if not meta[f"{n}_rows"]]
