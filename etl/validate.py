"""Type and check the staged text rows against the contract.

Input: temp tables `stg_<table>` (the contract's columns as text, plus `_file`, `_line`).
Output: temp views `new_<table>` with typed values, and every row that does not fit in
`stg_set_aside` (file, line, column, reason). SQL text here is generated from the contract's
constant names only; every value from the export is bound or read from a table.
"""

import duckdb

from etl.contract import BOOLEAN, INTEGER, TABLES, TIMESTAMP, Column, Table

TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")
# export-format.md, Conventions: earlier or later than this window is a typo, never a fact
EARLIEST = "timestamptz '1970-01-01 00:00:00+00'"


def validate(con: duckdb.DuckDBPyConnection, known_applications: str | None) -> None:
    """Check every staged table, applications first so that references can be resolved.

    known_applications: a table of application ids already published for this origin, which
    rows of this load may refer to (None when there is none).
    """
    for table in TABLES.values():
        if has_table(con, f"stg_{table.name}"):
            check_rows(con, table)
            check_repeats(con, table)
            if table.name == "applications":
                check_closed_at(con)
            elif "application_id" in table.column_names:
                check_reference(con, table, known_applications)
            set_aside_and_type(con, table)


def has_table(con, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_tables() where table_name = $name", {"name": name}
    ).fetchall()[0][0])


def problem_sql(column: Column) -> str:
    """A SQL expression: the reason the value of this column is not acceptable, or null."""
    c, checks = column.name, []
    if column.required:
        checks.append(f"when {c} is null then 'missing required value'")
    if column.kind == TIMESTAMP:
        checks.append(f"when {c} is not null and try_cast({c} as timestamptz) is null "
                      f"then 'not a valid timestamp: ' || {c}")
        checks.append(f"when {c} is not null and cast({c} as timestamptz) not between "
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


def check_rows(con, table: Table) -> None:
    """The first problem of each row, in column order: `column<US>reason` split in two."""
    problems = [f"'{c.name}' || chr(31) || {problem_sql(c)}" for c in table.columns
                if problem_sql(c) != "null"]
    con.execute(f"""
        create or replace temp table chk_{table.name} as
        select * exclude (_problem),
            nullif(split_part(_problem, chr(31), 1), '') as _column,
            nullif(substr(_problem, strpos(_problem, chr(31)) + 1), '') as _reason
        from (select *, coalesce({", ".join(problems)}) as _problem from stg_{table.name})""")


def check_repeats(con, table: Table) -> None:
    if table.key is None:
        return
    k = table.key
    con.execute(f"""
        update chk_{table.name} set _column = '{k}',
            _reason = 'repeated {k} ' || {k} || ' (first on line ' || first_line || ')'
        from (select _file as f, _line as l, first_value(_line) over w as first_line,
                     row_number() over w as n
              from chk_{table.name} where _reason is null and {k} in (
                  select {k} from chk_{table.name} where _reason is null
                  group by {k} having count(*) > 1)
              window w as (partition by {k} order by _file, _line)) as r
        where _file = r.f and _line = r.l and r.n > 1""")


def check_closed_at(con) -> None:
    con.execute("""
        update chk_applications set _column = 'closed_at',
            _reason = 'missing closed_at for a ' || lower(status) || ' application'
        where _reason is null and closed_at is null and lower(status) <> 'active'""")


def check_reference(con, table: Table, known: str | None) -> None:
    known_ids = f"union all select application_id from {known}" if known else ""
    con.execute(f"""
        update chk_{table.name} set _column = 'application_id',
            _reason = 'unknown application ' || application_id
        where _reason is null and application_id not in (
            select application_id from chk_applications where _reason is null {known_ids})""")


def typed_sql(column: Column) -> str:
    c = column.name
    value = f"coalesce({c}, '{column.default}')" if column.default is not None else c
    if column.kind == TIMESTAMP:
        return f"timezone('UTC', cast({c} as timestamptz)) as {c}"
    if column.kind == BOOLEAN:
        return f"lower({value}) in {TRUE} as {c}"
    if column.kind == INTEGER:
        return f"cast({value} as integer) as {c}"
    if column.allowed:
        return f"lower({value}) as {c}"
    return f"{value} as {c}"


def set_aside_and_type(con, table: Table) -> None:
    con.execute(f"""
        insert into stg_set_aside
        select _file, _line, _column, _reason from chk_{table.name} where _reason is not null""")
    columns = ", ".join(typed_sql(c) for c in table.columns)
    con.execute(f"""
        create or replace temp view new_{table.name} as
        select {columns}, _file, _line from chk_{table.name} where _reason is null""")
