"""The published database's canonical tables, and merging a load into them.

Every canonical table is the contract's table with a leading `origin` column: records are
keyed by (origin, id), so several exports can live side by side. Table and column names in
the SQL below come from the contract, never from an export.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.contract import BOOLEAN, INTEGER, TABLES, TIMESTAMP, ExportError

# The dashboard's embedded default data set: it gives way to the first real export loaded.
SAMPLE_ORIGIN = "sample"
SQL_TYPES = {TIMESTAMP: "timestamp", BOOLEAN: "boolean", INTEGER: "integer"}
HISTORY = {
    "loads": """(load_id integer, loaded_at timestamp, origin varchar, format varchar,
                 path varchar, files json, rows_read bigint, rows_loaded bigint,
                 rows_set_aside bigint, rows_skipped bigint, seconds double, notes json,
                 loaded_by varchar, pulled_at timestamp)""",
    "set_aside": """(load_id integer, origin varchar, file varchar, line bigint,
                     "column" varchar, reason varchar)""",
}


def attach_previous(con, previous: Path) -> None:
    """Attach the published version as `pub`, or say why it cannot be built upon."""
    try:
        con.execute("attach $path as pub (read_only)", {"path": str(previous)})
    except duckdb.Error as e:
        raise ExportError(f"--db {previous}: cannot be read ({str(e).splitlines()[0]}); "
                          "choose another database path") from None
    present = {r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = 'pub'").fetchall()}
    missing = sorted((set(TABLES) | set(HISTORY)) - present)
    if missing:
        con.execute("detach pub")
        raise ExportError(f"--db {previous}: not a Reciprocal database (no table "
                          f"{', '.join(missing[:3])}); choose another database path")


def create_tables(con) -> None:
    for table in TABLES.values():
        columns = ", ".join(f"{c.name} {SQL_TYPES.get(c.kind, 'varchar')}" for c in table.columns)
        con.execute(f"create table if not exists {table.name} (origin varchar, {columns})")
    for name, columns in HISTORY.items():
        con.execute(f"create table if not exists {name} {columns}")


def merge(con, previous: Path | None, origin: str, replace: bool, copied: bool = False) -> list[str]:
    """Copy the previous version's records (unless the new version is a copy of its file
    already: `copied`), then put this load's records in place. Returns notes for the summary."""
    create_tables(con)
    if previous is not None:
        if not copied:
            for name in [*TABLES, *HISTORY]:
                con.execute(f"insert into {name} by name select * from pub.{name}")
        con.execute("detach pub")
    notes = []
    if origin != SAMPLE_ORIGIN and origins(con) == {SAMPLE_ORIGIN}:
        replace_origin(con, SAMPLE_ORIGIN)
        notes.append("The sample data this database held was removed: it now holds your data only.")
    if replace:
        replace_origin(con, origin)
    for table in TABLES.values():
        if not has_new(con, table.name):
            continue
        key = table.key or "application_id"
        con.execute(f"delete from {table.name} where origin = $origin and {key} in "
                    f"(select {key} from new_{table.name})", {"origin": origin})
        columns = ", ".join(table.column_names)
        con.execute(f"insert into {table.name} select $origin, {columns} from new_{table.name}",
                    {"origin": origin})
    return notes


def holds_tables(con) -> bool:
    """Whether the database being built holds the canonical tables already (a copy of the last
    version) in today's shape. A copy written by an older version of this program, whose tables
    lack a column of today's, is emptied: the load then copies its records row by row."""
    database = con.execute("select current_database()").fetchall()[0][0]
    if not shape(con, database):
        return False
    con.execute("attach ':memory:' as shape")
    try:
        con.execute("use shape")
        create_tables(con)
    finally:
        con.execute(f'use "{database}"')
    today = shape(con, "shape")
    con.execute("detach shape")
    held = shape(con, database)
    if all(held.get(name) == columns for name, columns in today.items()):
        return True
    for name in held:
        con.execute(f'drop table "{database}".main."{name}"')
    con.execute("checkpoint")
    return False


def shape(con, database: str) -> dict[str, list[tuple]]:
    """Every table of a database: its columns and their types, in order."""
    out: dict[str, list[tuple]] = {}
    for table, column, kind in con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where database_name = $db order by table_name, column_index", {"db": database}).fetchall():
        out.setdefault(table, []).append((column, kind))
    return out


def origins(con) -> set[str]:
    return {r[0] for r in con.execute("select distinct origin from applications").fetchall()}


def replace_origin(con, origin: str) -> None:
    """Drop every record of one origin (the load history stays)."""
    for name in TABLES:
        con.execute(f"delete from {name} where origin = $origin", {"origin": origin})


def has_new(con, name: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_views() where view_name = $name",
                            {"name": f"new_{name}"}).fetchall()[0][0])


def record_load(con, result, folder: Path) -> None:
    """Keep the load's summary and every row it set aside, for the dashboard's Data page."""
    load_id = con.execute("select coalesce(max(load_id), 0) + 1 from loads").fetchall()[0][0]
    files = result.files.values()
    con.execute(
        "insert into loads values ($id, $at, $origin, $format, $path, $files, $read, $loaded, "
        "$set_aside, $skipped, $seconds, $notes, $loaded_by, $pulled_at)",
        {"id": load_id, "at": datetime.now(UTC).replace(tzinfo=None), "origin": result.origin,
         "format": result.format, "path": str(folder), "files": json.dumps(result.files),
         "read": sum(f["rows"] for f in files), "loaded": sum(f["loaded"] for f in files),
         "set_aside": sum(f["rejected"] for f in files),
         "skipped": sum(f.get("skipped", 0) for f in files),
         "seconds": result.seconds, "notes": json.dumps(result.notes),
         "loaded_by": result.loaded_by or None,
         "pulled_at": utc_naive(getattr(result, "pulled_at", None))})
    con.execute('insert into set_aside select $id, $origin, file, line, "column", reason '
                "from stg_set_aside", {"id": load_id, "origin": result.origin})


def utc_naive(moment: datetime | None) -> datetime | None:
    """A time as the naive UTC value the history's timestamp columns hold."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
