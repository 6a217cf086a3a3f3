"""Loads that cost what changed: a new version made from a copy of the last one, updated in place.

A load starts from a file copy of the published version (publish.py), so the records it does
not touch are neither read nor written again. It works out which applications the delta
touches (`touch` before the merge, `scope` after), and derives the facts of those applications
only, with the same SQL as a full derive (the files of etl/sql/) run over copies of their rows
in an in-memory database; the per-application fact tables then swap those applications' rows, and
the small tables of totals (filter values, counts, the data's latest moment) are derived again
from the whole. `--replace`, removing the sample data, or a change in which origins have
communications at all touch every application of an origin, and then everything is derived
again, as does a delta touching more than a fifth of the applications (cheaper in one pass).

A record a delta replaces or removes stays in the file as a deleted row until a checkpoint
compacts its row group, which rewrites the row group whole: for a 1% delta into a million
applications, a third of the load's time. So a load from a copy compacts nothing
(`defer_compaction`) until the deleted rows are a tenth of the rows, or the load derived
everything (`compact_when_due`, at the end of the load): pages then scan at most a tenth more
rows, and one load in many pays for the compaction.
(An erasure writes every table anew, etl/forget.py: no deleted row outlives it.)

Touched: every application with a row in the delta (applications, stage changes, interviews,
communications, offers; the row it replaces too), every application of a candidate, job or
user whose record the delta changes (a job or user sent again unchanged touches nothing), and
then every application of the candidates of all those, since a re-application changes the
facts of the candidate's earlier applications.
"""

import re

from etl.contract import TABLES

# the facts kept per application (their rows carry app_key), derived by etl/sql/facts
PER_APPLICATION = ("app_facts", "closed_facts", "offer_facts", "interview_facts", "reply_turns")
# relations of etl/sql that define the keys; the rest is per application or totals
KEYS = ("app_keys", "origin_inputs")
CREATES = re.compile(r"create\s+or\s+replace\s+(temp\s+)?(table|macro)\s+(\w+)", re.IGNORECASE)
APPLICATION_ROWS = ("applications", "stage_changes", "interviews", "communications", "offers")
# (table, column of applications that refers to its key)
REFERENCED = {"candidates": "candidate_id", "jobs": "job_id", "users": "recruiter_id"}
MOST = 0.2
DEAD = 0.1  # the share of deleted rows in the file at which a load compacts them


def kind(statement: str) -> str:
    """'keys', 'per_application' (a temp table or a per-application fact table) or 'totals'.

    >>> kind("create or replace temp table apps as select 1")
    'per_application'
    >>> kind("create or replace table meta as select 1")
    'totals'
    """
    match = CREATES.search(statement)
    if not match:
        return "totals"
    temp, what, name = match.groups()
    if name in KEYS:
        return "keys"
    if what.lower() == "table" and (temp or name in PER_APPLICATION):
        return "per_application"
    if what.lower() == "macro" and temp:
        return "per_application"
    return "totals"


def touch(con, origin: str) -> None:
    """Before the merge: temp tables `touched_apps` (origin, application_id) and
    `touched_refs` (table, origin, id) of what the staged delta (views new_<table>) changes."""
    con.execute("create or replace temp table touched_apps (origin varchar, application_id varchar)")
    con.execute("create or replace temp table touched_refs (tbl varchar, origin varchar, id varchar)")
    for name in APPLICATION_ROWS:
        if not staged(con, name):
            continue
        key = TABLES[name].key or "application_id"
        con.execute(f"insert into touched_apps select $origin, application_id from new_{name}",
                    {"origin": origin})
        if key != "application_id":  # a record that moves to another application touches both
            con.execute(f"insert into touched_apps select origin, application_id from {name} "
                        f"where origin = $origin and {key} in (select {key} from new_{name})",
                        {"origin": origin})
    for name in REFERENCED:
        if not staged(con, name):
            continue
        table = TABLES[name]
        same = " and ".join(f"t.{c} is not distinct from n.{c}" for c in table.column_names)
        # joined on the key: a scan of the keys, not a comparison of every column of every record
        con.execute(f"""insert into touched_refs select $name, $origin, n.{table.key} from new_{name} n
            left join {name} t on t.origin = $origin and t.{table.key} = n.{table.key}
            where t.{table.key} is null or not ({same})""",
                    {"name": name, "origin": origin})
    # the candidates the touched applications had before the delta
    con.execute("""insert into touched_refs select distinct 'candidates', a.origin, a.candidate_id
        from applications a semi join touched_apps t using (origin, application_id)""")


def scope(con) -> int:
    """After the merge (which removed no application): temp table `scope_apps` (origin,
    application_id) of every application whose facts change; returns how many."""
    con.execute("""insert into touched_refs select distinct 'candidates', a.origin, a.candidate_id
        from applications a semi join touched_apps t using (origin, application_id)""")
    referenced = " or ".join(
        f"exists (select 1 from touched_refs r where r.tbl = '{name}' and r.origin = a.origin "
        f"and r.id = a.{column})" for name, column in REFERENCED.items())
    con.execute(f"""create or replace temp table scope_apps as
        select a.origin, a.application_id from applications a
        where exists (select 1 from touched_apps t
                      where t.origin = a.origin and t.application_id = a.application_id)
           or {referenced}""")
    return con.execute("select count(*) from scope_apps").fetchall()[0][0]


def staged(con, name: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_views() where view_name = $name",
                            {"name": f"new_{name}"}).fetchall()[0][0])


def prepared(con) -> bool:
    """Whether this load started from a copy and `scope` has said what it touches."""
    return bool(con.execute("select count(*) from duckdb_tables() where database_name = 'temp' "
                            "and table_name = 'scope_apps'").fetchall()[0][0])


def derive_touched(con, statements: list[str]) -> int | None:
    """Derive the facts of the applications in `scope_apps` again, and the totals; returns how
    many applications, or None (nothing done) when deriving everything is needed or cheaper."""
    touched = con.execute("select count(*) from scope_apps").fetchall()[0][0]
    total = con.execute("select count(*) from applications").fetchall()[0][0]
    if touched > MOST * total or not same_origin_inputs(con):
        return None
    database = con.execute("select current_database()").fetchall()[0][0]
    new_keys(con)
    con.execute("attach ':memory:' as scope")
    try:
        copy_scope(con, database)
        con.execute("use scope")
        for statement in statements:
            if kind(statement) == "per_application":
                con.execute(statement)
        con.execute(f'use "{database}"')
        for name in PER_APPLICATION:
            con.execute(f"delete from {name} where app_key in (select app_key from scope.app_keys)")
            con.execute(f"insert into {name} by name select * from scope.{name}")
    finally:
        con.execute(f'use "{database}"')
        con.execute("detach scope")
    for statement in statements:
        if kind(statement) == "totals":
            con.execute(statement)
    return touched


def same_origin_inputs(con) -> bool:
    """Whether the table of which origins have communications at all stays as it is: the
    touched applications' origins are known, and each has communications or gets none."""
    known = dict(con.execute("select origin, has_communications from origin_inputs").fetchall())
    for (origin,) in con.execute("select distinct origin from scope_apps").fetchall():
        if origin not in known:
            return False
        if not known[origin] and con.execute(
                "select count(*) from (select 1 from communications where origin = $origin limit 1)",
                {"origin": origin}).fetchall()[0][0]:
            return False
    return True


def new_keys(con) -> None:
    """Keys for the applications new in this load (after the highest key so far)."""
    con.execute("""insert into app_keys
        select (select coalesce(max(app_key), 0) from app_keys)
                   + row_number() over (order by origin, application_id), origin, application_id
        from scope_apps s
        where not exists (select 1 from app_keys k
                          where k.origin = s.origin and k.application_id = s.application_id)""")


def copy_scope(con, database: str) -> None:
    """The in-memory database `scope`: the touched applications' rows, and views of the rest."""
    for name in APPLICATION_ROWS:
        con.execute(f"""create table scope.{name} as select * from "{database}".main.{name} t
            semi join scope_apps s using (origin, application_id)""")
    con.execute(f"""create table scope.app_keys as select * from "{database}".main.app_keys
        semi join scope_apps using (origin, application_id)""")
    for name in (*REFERENCED, "origin_inputs"):
        con.execute(f'create view scope.{name} as select * from "{database}".main.{name}')


def defer_compaction(con) -> None:
    """Checkpoints (the automatic ones too) leave deleted rows where they are."""
    con.execute("set max_vacuum_tasks = 0")


def compact_when_due(con, derived_everything: bool) -> bool:
    """Let the load's last checkpoint compact the row groups when it derived everything (its
    records were replaced wholesale: `--replace`, or most applications touched), or when
    deleted rows are a tenth of app_facts' rows; returns whether it will. Every application
    derived again replaces its row there, so that share is the share of applications changed
    since the last compaction, which the other tables' deleted rows follow (each is a record of
    a changed application)."""
    due = derived_everything
    if not due:
        stored, live = con.execute(
            "select (select coalesce(sum(count), 0) from pragma_storage_info('app_facts') "
            "        where column_id = 0 and segment_type <> 'VALIDITY'), "
            "       (select count(*) from app_facts)").fetchall()[0]
        due = stored - live >= DEAD * stored > 0
    if due:
        con.execute("reset max_vacuum_tasks")
    return due
