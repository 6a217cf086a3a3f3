"""`python -m etl load PATH`: read an export, check it, and publish it into the database.

read -> stage (text tables) -> validate (typed tables + rows set aside) -> merge into the
previous version -> derive the facts the metrics need -> publish atomically.
"""

import argparse
import getpass
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from etl import cli, forget, incremental, progress, schema, sources
from etl.archive import unpacked
from etl.contract import TABLES, ExportError, ReadOptions, Staged
from etl.derive import derive as derive_everything
from etl.derive import files as derive_files
from etl.derive import in_order
from etl.memory import resolve
from etl.publish import database_path, publish
from etl.sources import generic
from etl.terminal import escaped
from etl.validate import release, staged_rows, validate


@dataclass
class LoadResult:
    format: str
    origin: str
    files: dict[str, dict] = field(default_factory=dict)
    rejected: list[dict] = field(default_factory=list)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    database: str = ""
    seconds: float = 0.0
    loaded_by: str = ""
    pulled_at: datetime | None = None   # when the API pull that wrote the folder began
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step, for benchmarks
    derived: int | None = None  # applications whose facts were derived again (None: all)

    def as_json(self) -> dict:
        out = {"format": self.format, "files": self.files, "rejected": self.rejected}
        if self.extra_columns:
            out["extra_columns"] = self.extra_columns
        if self.ignored:
            out["ignored"] = self.ignored
        if self.notes:
            out["notes"] = self.notes
        return out


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = cli.Parser(prog="python -m etl load", description=__doc__.splitlines()[0])
    p.add_argument("path", type=Path, help="the export folder (or a .zip of it)")
    p.add_argument("--format", choices=sorted(sources.FORMATS), help="default: told from the files")
    p.add_argument("--db", help="database to publish into (default: env CX_DB, else data/cx.duckdb)")
    p.add_argument("--origin", help="name of this data source; records are keyed by origin and id "
                                    "(default: the format, e.g. greenhouse)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    p.add_argument("--strict", action="store_true", help="fail the whole load if any row is set aside")
    p.add_argument("--replace", action="store_true",
                   help="drop every earlier record of this origin first")
    p.add_argument("--timezone", default="UTC", help="zone of timestamps written without an offset")
    p.add_argument("--memory-limit", help="DuckDB's memory for the load, e.g. 1GB; beyond it, it "
                                          "spills to --temp-dir (default: env CX_MEMORY_LIMIT, else 1.5GB)")
    p.add_argument("--temp-dir", help="folder to spill to (default: env CX_TEMP_DIR, else .cx-spill "
                                      "beside the database)")
    p.add_argument("--rules", help="communication rules file for vendor exports "
                                   "(default: env CX_RULES, else etl/rules.toml)")
    p.add_argument("--loaded-by", help="who loads, for the loads history (default: the "
                                       "operating-system user; the dashboard's upload: the signed-in address)")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        result = load(args.path, fmt=args.format, db=args.db, origin=args.origin,
                      strict=args.strict, replace=args.replace, timezone=args.timezone,
                      rules=args.rules, loaded_by=args.loaded_by,
                      memory_limit=args.memory_limit, temp_dir=args.temp_dir)
    except ExportError as e:
        print(f"error: {escaped(str(e))}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_json(), indent=2, default=str))
    else:
        print(summary_text(result), file=sys.stderr)
    return 0


def load(path: Path, fmt: str | None = None, db: str | None = None, origin: str | None = None,
         strict: bool = False, replace: bool = False, timezone: str = "UTC",
         rules: str | None = None, loaded_by: str | None = None,
         pulled_at: datetime | None = None, memory_limit: str | None = None,
         temp_dir: str | None = None) -> LoadResult:
    """Load one export and publish it; raises ExportError (database untouched) on failure.
    loaded_by: who loads, for the loads history (default: the operating-system user);
    pulled_at: when the API pull that wrote the folder began (kept in the loads history);
    memory_limit, temp_dir: etl/memory.py."""
    started = time.monotonic()
    path = Path(path)
    if not path.exists():
        raise ExportError(f"{path}: no such file or folder")
    with unpacked(path) as folder:
        fmt = fmt or sources.detect(folder, None if path.is_dir() else path.name)
        result = LoadResult(format=fmt, origin=origin or fmt, loaded_by=loaded_by or os_user(),
                            pulled_at=pulled_at)
        target = database_path(db)
        limits = resolve(target, memory_limit, temp_dir)
        bar = progress.Steps(["read", "check", "merge", "derive", "publish"])

        def build(con, previous):
            copied = schema.holds_tables(con)  # the last version's copy (etl/incremental.py)
            if copied:  # forget.reapply carries the erasures over from the published version
                con.execute("drop table if exists erasures")
                incremental.defer_compaction(con)
            stage(con, folder, fmt, timezone, rules, result, bar)  # in the files' order
            in_order(con, False)  # from here on, only the facts are kept sorted (etl/derive.py)
            result.ignored = sources.ignored(folder, set(result.files))
            bar.step("check")
            check(con, result, previous, replace, strict)
            bar.step("merge")
            if copied:
                incremental.touch(con, result.origin)
            notes = schema.merge(con, previous, result.origin, replace, copied)
            if copied and not replace and not notes:  # no application was removed
                incremental.scope(con)
            release(con)
            result.notes += notes
            bar.step("derive")
            result.derived = derive(con)
            if copied:
                incremental.compact_when_due(con, derived_everything=result.derived is None)
            result.seconds = round(time.monotonic() - started, 2)
            schema.record_load(con, result, folder)
            bar.step("publish")

        result.database = str(publish(target, build, limits=limits, start_from_previous=True))
        bar.done()
        result.steps = bar.seconds
    return result


def os_user() -> str:
    """The operating-system user running this process (its uid when it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def stage(con, folder: Path, fmt: str, timezone: str, rules, result: LoadResult, bar) -> None:
    set_timezone(con, timezone)
    if fmt == "generic":
        info = generic.stage(con, folder)
        result.files = {name: {"rows": n} for name, n in info["files"].items()}
        result.extra_columns = info["extra_columns"]
        return
    from etl.rules import Rules

    staged = sources.module(fmt).read(folder, ReadOptions(timezone, Rules.load(rules)))
    stage_frames(con, staged)
    result.files = {name: {"rows": n} for name, n in staged.files.items()}
    for name, n in staged.skipped.items():
        result.files.setdefault(name, {"rows": n})["skipped"] = n
    result.notes = list(staged.notes)


def set_timezone(con, timezone: str) -> None:
    known = con.execute("select name from pg_timezone_names() where name = $tz",
                        {"tz": timezone}).fetchall()
    if not known:
        raise ExportError(f"--timezone: unknown time zone {timezone!r} (e.g. UTC, Europe/Paris)")
    con.execute("set TimeZone = $tz", {"tz": timezone})


def stage_frames(con, staged: Staged) -> None:
    """Vendor readers hand over DataFrames of text; stage them like the generic CSV files."""
    generic.add_set_aside(con, staged.set_aside)
    for name, frame in staged.tables.items():
        table = TABLES[name]
        con.register("frame", frame.reindex(columns=table.column_names + ["_file", "_line"]))
        columns = ", ".join(f"nullif(trim(cast({c} as varchar)), '') as {c}"
                            for c in table.column_names)
        con.execute(f"create or replace temp table stg_{name} as " + staged_rows(
            table, f"select {columns}, cast(_file as varchar) as _file, "
                   "cast(_line as bigint) as _line from frame"))
        con.unregister("frame")


def check(con, result: LoadResult, previous: Path | None, replace: bool, strict: bool) -> None:
    known = None
    if previous is not None:
        schema.attach_previous(con, previous)
        if not replace:
            con.execute("create temp table known_applications as select application_id "
                        "from pub.applications where origin = $origin and application_id in "
                        f"({referenced_applications(con)})", {"origin": result.origin})
            known = "known_applications"
    validate(con, known)
    forget.reapply(con, result)
    rows = con.execute('select file, line, "column", reason from stg_set_aside '
                       "order by file, line").fetchall()
    result.rejected = [dict(zip(("file", "line", "column", "reason"), r)) for r in rows]
    count_rows(result)
    if strict and result.rejected:
        first = result.rejected[0]
        raise ExportError(f"{first['file']}: line {first['line']}: {first['reason']} "
                          f"({len(result.rejected)} rows set aside in all; --strict loads nothing)")


def referenced_applications(con) -> str:
    """SQL of the application ids this load's staged rows refer to (the published applications
    a check needs: a few for a daily delta, not the whole database)."""
    staged = {r[0] for r in con.execute("select table_name from duckdb_tables() "
                                        "where database_name = 'temp'").fetchall()}
    parts = [f"select application_id from stg_{t.name}" for t in TABLES.values()
             if t.name != "applications" and "application_id" in t.column_names and f"stg_{t.name}" in staged]
    return " union all ".join(parts) or "select null"


def count_rows(result: LoadResult) -> None:
    """rows read = rows loaded + rows set aside (+ rows deliberately skipped), per file."""
    for name, counts in result.files.items():
        rejected = len({r["line"] for r in result.rejected if r["file"] == name})
        counts["rejected"] = rejected
        counts["loaded"] = counts["rows"] - rejected - counts.get("skipped", 0)
    for name, counts in result.files.items():
        result.files[name] = {k: counts[k] for k in ("rows", "loaded", "rejected", "skipped")
                              if k in counts}


def derive(con) -> int | None:
    """Derive the facts: of the applications the load touched when it started from a copy of the
    last version (etl/incremental.py), else of everything (etl/derive.py). Returns how many
    applications were derived again, None for all."""
    if incremental.prepared(con):
        touched = incremental.derive_touched(con, [path.read_text() for path in derive_files()])
        if touched is not None:
            return touched
    derive_everything(con)
    return None


def summary_text(result: LoadResult) -> str:
    lines = [f"Loaded {result.format} export as '{result.origin}' into {result.database} "
             f"in {result.seconds:.1f} s"]
    for name, c in result.files.items():
        extra = f", {c['skipped']} skipped" if c.get("skipped") else ""
        lines.append(f"  {name}: {c['rows']} rows, {c['loaded']} loaded, "
                     f"{c['rejected']} set aside{extra}")
    for name, cols in result.extra_columns.items():
        lines.append(f"  {name}: extra columns ignored: {', '.join(cols)}")
    if result.ignored:
        lines.append(f"  ignored (not part of the {result.format} format): "
                     f"{', '.join(result.ignored)}")
    lines += [f"  note: {n}" for n in result.notes]
    for r in result.rejected[:10]:
        lines.append(f"  set aside: {r['file']} line {r['line']} ({r['column']}): {r['reason']}")
    if len(result.rejected) > 10:
        lines.append(f"  ... and {len(result.rejected) - 10} more rows set aside "
                     "(python -m etl load --json lists them all; the dashboard's Data page too)")
    return "\n".join(escaped(line) for line in lines)


