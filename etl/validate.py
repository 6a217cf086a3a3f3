"""Type and check the staged text rows against the contract.

Staging (etl/sources/generic.py, and etl/load.py for the vendor formats) scans each table into
`stg_<table>` with `staged_rows(table, rows)`: the contract's columns as text, `_file`, `_line` where
a row's line is not its order (the CSV scan's rows are in the file's order, one line each after
the header, so their line is rowid + 2: `line(...)`), each timestamp parsed once (`_parsed_<c>`),
and `_problem`, the row's first problem in column order (`column<US>reason`), all in that one
pass. `validate` then adds what one row alone cannot tell (a repeated key, a missing closed_at,
an unknown application) to the few rows it concerns, and makes of each `chk_<table>`, with temp
views `new_<table>` of the typed rows that fit and every other row in `stg_set_aside` (file,
line, column, reason). The export's text is thus held once, not copied from table to table.
SQL text here is generated from the contract's constant names only; every value from the export
is bound or read from a table.
"""

import duckdb

from etl.contract import BOOLEAN, INTEGER, TABLES, TIMESTAMP, Column, Table

TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")
# export-format.md, Conventions: earlier or later than this window is a typo, never a fact
EARLIEST = "timestamptz '1970-01-01 00:00:00+00'"


def staged_rows(table: Table, rows: str) -> str:
    """SQL of the staged rows of `rows` (a select of the table's text columns and `_file`, and
    `_line` when it has it): with each timestamp parsed and the row's first problem."""
    timestamps = "".join(f", try_cast({c.name} as timestamptz) as {parsed(c.name)}"
                         for c in table.columns if c.kind == TIMESTAMP)
    return f"select *, {row_problem_sql(table)} as _problem from (select *{timestamps} from ({rows}))"


def validate(con: duckdb.DuckDBPyConnection, known_applications: str | None) -> None:
    """Check every staged table, applications first so that references can be resolved.

    known_applications: a table of application ids already published for this origin, which
    rows of this load may refer to (None when there is none).

    A row's problem is its first in column order (found while staging), else a repeated key,
    then (an application) a missing closed_at, then (a row of an application) an unknown
    application.
    """
    for table in TABLES.values():
        if has_table(con, f"stg_{table.name}"):
            check_table(con, table, known_applications)
            set_aside_and_type(con, table)


def has_table(con, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_tables() where table_name = $name", {"name": name}
    ).fetchall()[0][0])


def has_column(con, table: str, column: str) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_columns() where table_name = $table and column_name = $column",
        {"table": table, "column": column}).fetchall()[0][0])


def problem_sql(column: Column) -> str:
    """A SQL expression: the reason the value of this column is not acceptable, or null."""
    c, checks = column.name, []
    if column.required:
        checks.append(f"when {c} is null then 'missing required value'")
    if column.kind == TIMESTAMP:  # parsed once, into parsed(c), by check_table
        checks.append(f"when {c} is not null and {parsed(c)} is null "
                      f"then 'not a valid timestamp: ' || {c}")
        checks.append(f"when {c} is not null and {parsed(c)} not between "
                      f"{EARLIEST} and get_current_timestamp() + interval 1 year "
                      f"then 'impossible timestamp (before 1970 or more than a year after the "
                      f"load): ' || {c}")
    elif column.kind == BOOLEAN:
        checks.append(f"when {c} is not null and lower({c}) not in {TRUE + FALSE} "
                      f"then 'not a boolean: ' || {c}")
    elif column.kind == INTEGER:
        checks.append(f"when {c} is not null and try_cast({c} as integer) is null "
                      f"then 'not an integer: ' || {c}")
    if column.allowed:
        checks.append(f"when {c} is not null and lower({c}) not in {column.allowed} "
                      f"then 'unknown value ' || {c} || ' (allowed: {', '.join(column.allowed)})'")
    return f"case {' '.join(checks)} end" if checks else "null"


def parsed(column: str) -> str:
    """The column holding a timestamp column's parsed value (null where it does not parse)."""
    return f"_parsed_{column}"


def row_problem_sql(table: Table) -> str:
    """The first problem of a row in column order, as `column<US>reason`, or null."""
    problems = [f"'{c.name}' || chr(31) || {problem_sql(c)}" for c in table.columns
                if problem_sql(c) != "null"]
    return f"coalesce({', '.join(problems)})" if problems else "null"


def line(con, name: str) -> str:
    """The SQL of a staged row's line in the file: its `_line`, else rowid + 2 (a scan of a file
    of one line per row numbers nothing: a row number would keep the scan on one thread)."""
    return "_line" if has_column(con, name, "_line") else "(rowid + 2)"


def check_table(con, table: Table, known: str | None) -> None:
    """Add to `_problem` of stg_<table> what the row alone cannot tell, and rename it
    chk_<table>: only the rows with such a problem are written again."""
    name, late, joined = f"stg_{table.name}", [], ""
    at = line(con, name)
    if table.key is not None and repeats(con, table):
        k = table.key
        # a key repeated among the rows that are otherwise fine: the first keeps it; only the
        # rows whose key's hash repeats are ranked (by the key itself)
        con.execute(f"""
            create or replace temp table rep_{table.name} as
            select rowid as r, first_value({at}) over w as first_line, row_number() over w as n
            from {name} where _problem is null and hash({k}) in (from rep_hashes)
            window w as (partition by {k} order by _file, {at})""")
        late.append(f"case when r.n > 1 then '{k}' || chr(31) || 'repeated {k} ' || s.{k} || "
                    "' (first on line ' || r.first_line || ')' end")
        joined = f"left join rep_{table.name} r on r.r = s.rowid"
    if table.name == "applications":
        late.append("case when s.closed_at is null and lower(s.status) <> 'active' then "
                    "'closed_at' || chr(31) || 'missing closed_at for a ' || lower(s.status) || "
                    "' application' end")
    elif "application_id" in table.column_names:
        known_ids = f"union all select application_id from {known}" if known else ""
        late.append("case when s.application_id not in (select application_id from "
                    f"chk_applications where _problem is null {known_ids}) then "
                    "'application_id' || chr(31) || 'unknown application ' || s.application_id end")
    if late:
        con.execute(f"""
            create or replace temp table late_{table.name} as
            select r, problem from (select s.rowid as r, coalesce({", ".join(late)}) as problem
                                    from {name} s {joined} where s._problem is null)
            where problem is not null""")
        if con.execute(f"select count(*) from late_{table.name}").fetchall()[0][0]:
            con.execute(f"update {name} set _problem = l.problem from late_{table.name} l "
                        f"where {name}.rowid = l.r")
        con.execute(f"drop table late_{table.name}")
    con.execute(f"drop table if exists rep_{table.name}")
    con.execute(f"alter table {name} rename to chk_{table.name}")


def repeats(con, table: Table) -> bool:
    """Whether any key of the staged table repeats: `rep_hashes` holds the hashes that do (an
    aggregate of integers, not of every key's text; the rare collision is ranked by the key)."""
    con.execute(f"""create or replace temp table rep_hashes as
        select hash({table.key}) from stg_{table.name} where _problem is null
        group by 1 having count(*) > 1""")
    return bool(con.execute("select count(*) from rep_hashes").fetchall()[0][0])


def typed_sql(column: Column) -> str:
    c = column.name
    value = f"coalesce({c}, '{column.default}')" if column.default is not None else c
    if column.kind == TIMESTAMP:
        return f"timezone('UTC', {parsed(c)}) as {c}"
    if column.kind == BOOLEAN:
        return f"lower({value}) in {TRUE} as {c}"
    if column.kind == INTEGER:
        return f"cast({value} as integer) as {c}"
    if column.allowed:
        return f"lower({value}) as {c}"
    return f"{value} as {c}"


def set_aside_and_type(con, table: Table) -> None:
    name = f"chk_{table.name}"
    con.execute(f"""
        insert into stg_set_aside
        select _file, {line(con, name)}, nullif(split_part(_problem, chr(31), 1), ''),
            nullif(substr(_problem, strpos(_problem, chr(31)) + 1), '')
        from {name} where _problem is not null""")
    columns = ", ".join(typed_sql(c) for c in table.columns)
    con.execute(f"""
        create or replace temp view new_{table.name} as
        select {columns} from {name} where _problem is null""")


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the checked rows once they are merged: the export's text need not outlive the merge
    (at 10M applications it is several GB that deriving would otherwise share memory with)."""
    for table in TABLES.values():
        con.execute(f"drop view if exists new_{table.name}")
        con.execute(f"drop table if exists chk_{table.name}")
