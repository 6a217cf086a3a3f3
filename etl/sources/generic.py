"""The generic CSV export (docs/export-format.md), read straight into DuckDB.

Large exports stay out of Python: each file is scanned by DuckDB as text into a staging table
`stg_<table>` with the contract's columns plus `_file` and (where a row's line is not its
order in the file plus two) `_line`, and, in the same scan, each row's own checks
(etl/validate.py `staged_rows`); rows DuckDB cannot parse (wrong number of fields, an
unclosed quote) are kept in `stg_set_aside` with their line.
"""

import codecs
import csv
import io
import re
from pathlib import Path

import duckdb

from etl.contract import TABLES, ExportError, Table
from etl.validate import staged_rows

CHUNK = 1 << 24


def detect(folder: Path) -> bool:
    return (folder / "applications.csv").is_file()


def stage(con: duckdb.DuckDBPyConnection, folder: Path) -> dict:
    """Stage every file of the export; returns {"files": {name: rows read}, "extra_columns": ...}."""
    files, extra = {}, {}
    for table in TABLES.values():
        path = folder / table.file
        if not path.is_file():
            if table.required_file:
                raise ExportError(f"{table.file}: required file is missing from {folder}")
            continue
        header, newlines = check_file(path)
        extra_here = [c for c in header if c not in table.column_names]
        if extra_here:
            extra[table.file] = extra_here
        files[table.file] = stage_file(con, path, table, header, newlines)
    return {"files": files, "extra_columns": extra}


def check_file(path: Path) -> tuple[list[str], int]:
    """File-level checks: not empty, UTF-8, CSV with the required columns.
    Returns the header and the number of lines in the file."""
    if path.stat().st_size == 0:
        raise ExportError(f"{path.name}: the file is empty (expected a header row)")
    lines = check_utf8(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        first = f.readline()
    try:
        header = [h.strip().lower() for h in next(csv.reader(io.StringIO(first)))]
    except (csv.Error, StopIteration):
        raise ExportError(f"{path.name}: not a CSV file (unreadable header row)") from None
    missing = [c.name for c in TABLES[path.stem].columns if c.required and c.name not in header]
    if missing:
        raise ExportError(f"{path.name}: required column {', '.join(missing)} is missing "
                          f"(the header has: {', '.join(header)[:200]})")
    return header, lines


def check_utf8(path: Path) -> int:
    """Raise unless the file is UTF-8 text; returns its number of lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = newlines = 0
    last = b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
            if b"\0" in chunk:
                raise ExportError(f"{path.name}: not a CSV file (binary content)")
            pending = decoder.getstate()[0]  # the start of a character the last chunk cut
            try:  # ASCII is UTF-8: decode only what is not, or completes a character
                if pending or not chunk.isascii():
                    decoder.decode(chunk)
            except UnicodeDecodeError as e:
                raise ExportError(f"{path.name}: not UTF-8 text (undecodable byte at offset "
                                  f"{offset - len(pending) + e.start})") from None
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ExportError(f"{path.name}: not UTF-8 text (truncated character at the end)") from None
    return newlines + (last not in (b"\n", b""))


def stage_file(con, path: Path, table: Table, header: list[str], lines: int) -> int:
    """Scan one CSV into stg_<table>; returns the number of data rows read.

    One pass when every record is one line and parses; otherwise a second pass works out each
    row's physical line, so that every row set aside later can be found in the file."""
    # columns by position (c0, c1, ...): a header may say `_ord` or `before` or say one twice
    params = {"path": str(path), "columns": {f"c{i}": "VARCHAR" for i in range(len(header))}}
    con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
    con.execute(staging_sql(table, header, source=READ_CSV), params | {"file": path.name})
    rejected = con.execute("select count(*) from reject_errors").fetchall()[0][0]
    parsed = con.execute(f"select count(*) from stg_{table.name}").fetchall()[0][0]
    errors = []
    if rejected or parsed + 1 != lines:
        # one thread: a parallel scan numbers the lines of its rejects per buffer, and can drop
        # some of them, once they are many; it alone sees a quote left open at the very end
        con.execute("create or replace temp table parallel_rejects as from reject_errors")
        con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
        con.execute(f"create or replace temp table raw as select *, row_number() over () as _ord "
                    f"from {READ_CSV_SERIAL}", params)
        con.execute("insert into reject_errors select * from parallel_rejects where "
                    "line_byte_position not in (select line_byte_position from reject_errors)")
        con.execute("drop table parallel_rejects")
        errors = parse_errors(con, path, header)
        parsed = con.execute("select count(*) from raw").fetchall()[0][0]
        shifts = [e["_record"] - i for i, e in enumerate(errors)]
        con.execute(staging_sql(table, header), {"file": path.name, "shifts": shifts})
        con.execute("drop table raw")
    add_set_aside(con, errors)
    return parsed + len(errors)


READ_CSV = ("read_csv($path, header = true, auto_detect = false, delim = ',', quote = '\"', "
            "escape = '\"', strict_mode = true, store_rejects = true, columns = $columns)")
READ_CSV_SERIAL = READ_CSV.removesuffix(")") + ", parallel = false)"


def staging_sql(table: Table, header: list[str], source: str | None = None) -> str:
    """Text columns of the contract (absent ones null), plus each row's physical line: after
    the header, the rows set aside before it and the newlines inside earlier quoted fields
    (the one-pass scan of a file of one line per row leaves the line to its row's order)."""
    columns = ", ".join(f"nullif(trim(c{header.index(c)}), '') as {c}" if c in header
                        else f"null::varchar as {c}"
                        for c in table.column_names)
    if source:  # no line column: etl/validate.py numbers these rows by their order (rowid)
        return (f"create or replace temp table stg_{table.name} as "
                + staged_rows(table, f"select {columns}, $file as _file from {source}"))
    text = "concat_ws('', *columns(* exclude (_ord)))"
    rows = f"""
        with counted as (
            select *, length({text}) - length(replace({text}, chr(10), '')) as _newlines
            from raw
        ), shifts as (
            select shift, sum(count(*)) over (order by shift) as before
            from unnest($shifts::bigint[]) as t(shift) group by shift
        )
        select {columns}, $file as _file,
            1 + _ord + coalesce(before, 0) + coalesce(sum(_newlines) over (
                order by _ord rows between unbounded preceding and 1 preceding), 0) as _line
        from counted asof left join shifts on counted._ord >= shifts.shift
        order by _ord"""
    return f"create or replace temp table stg_{table.name} as {staged_rows(table, rows)}"


def parse_errors(con, path: Path, header: list[str]) -> list[dict]:
    """Rows DuckDB could not parse, with their physical line (counted from the byte offset)."""
    rows = con.execute(
        "select line, line_byte_position, column_name, error_type, error_message "
        "from reject_errors qualify row_number() over (partition by line_byte_position "
        "order by column_idx) = 1 order by line_byte_position").fetchall()
    if not rows:
        return []
    lines = physical_lines(path, [r[1] for r in rows])
    names = {f"c{i}": name for i, name in enumerate(header)}
    return [{"file": path.name, "line": ln, "column": names.get(col, col), "_record": rec - 1,
             "reason": parse_reason(kind, message)}
            for (rec, _, col, kind, message), ln in zip(rows, lines)]


def parse_reason(kind: str, message: str) -> str:
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    if counts:
        return f"wrong number of fields: expected {counts[1]}, found {counts[2]}"
    if "unterminated quote" in message:
        return "a quoted value never closes"
    return f"{kind.lower()}: {message}"


def physical_lines(path: Path, offsets: list[int]) -> list[int]:
    """The line of each byte offset, counting the file's newlines once."""
    import numpy as np  # here, not at the top: only a file with rows set aside needs it

    newlines = np.flatnonzero(np.fromfile(path, dtype=np.uint8) == ord("\n"))
    return (np.searchsorted(newlines, np.asarray(offsets, dtype=np.int64)) + 1).tolist()


def add_set_aside(con, errors: list[dict]) -> None:
    con.execute("create temp table if not exists stg_set_aside "
                "(file varchar, line bigint, \"column\" varchar, reason varchar)")
    if errors:  # in one statement: 200,000 rows one by one would take minutes
        con.execute("insert into stg_set_aside select unnest($file), unnest($line), "
                    "unnest($column), unnest($reason)",
                    {k: [e[k] for e in errors] for k in ("file", "line", "column", "reason")})
