"""A daily delta of a sample export: what an ATS's incremental export of the same origin holds.

    python -m benchmarks.delta EXPORT OUT --applications 500

Half the applications are updated records (every row of theirs again, each with one message
more, and the rejected ones with their notice moved a day later), the other half new records:
copies of other applications under new ids, for the same candidates (so that they are
re-applications). Candidates, jobs and users of the delta come along, as an export gives them.
"""

import argparse
import shutil
import tempfile
from pathlib import Path

import duckdb

from etl.contract import TABLES, csv_columns

CHILDREN = ("stage_changes", "interviews", "communications", "offers")
NEW_ID = {"interviews": "interview_id",
          "communications": "communication_id", "offers": "offer_id"}


def make_delta(export: Path, out: Path, applications: int, seed: int = 1) -> None:
    """Write the delta export of `applications` applications (half updated, half new)."""
    out.mkdir(parents=True, exist_ok=True)
    spill = tempfile.mkdtemp(prefix="cx-delta-", dir=out.parent)
    with duckdb.connect(config={"memory_limit": "1GB", "temp_directory": spill}) as con:
        con.execute("set enable_progress_bar = false")
        for name in TABLES:
            if (export / f"{name}.csv").is_file():
                con.execute(f"create temp table {name} as select * from read_csv($p, all_varchar = true)",
                            {"p": str(export / f"{name}.csv")})
        # `pick`: the chosen applications; `fresh` says whether it comes back under a new id
        con.execute("""create temp table pick as
            select application_id, row_number() over (order by hash(application_id, $seed)) % 2 = 0 as fresh
            from applications order by hash(application_id, $seed) limit $n""",
                    {"seed": seed, "n": applications})
        write(con, out, "applications", """
            select * replace (case when p.fresh then 'D' || t.application_id else t.application_id end
                              as application_id)
            from applications t join pick p using (application_id)""")
        fresh = "case when p.fresh then 'D' || t.{0} else t.{0} end as {0}"
        for name in CHILDREN:
            replaced = [fresh.format("application_id")]
            if name in NEW_ID:
                replaced.append(fresh.format(NEW_ID[name]))
            if name == "communications":  # an updated rejection's notice comes a day later
                replaced.append("case when t.topic = 'rejection' and not p.fresh then strftime("
                                "cast(t.occurred_at as timestamp) + interval 1 day, '%Y-%m-%dT%H:%M:%SZ') "
                                "else t.occurred_at end as occurred_at")
            rows = (f"select t.* replace ({', '.join(replaced)}) "
                    f"from {name} t join pick p using (application_id)")
            if name == "communications":  # and one message more each
                rows += """ union all by name
                    select 'X' || t.application_id as communication_id,
                        case when p.fresh then 'D' || t.application_id else t.application_id end as application_id,
                        strftime(cast(t.applied_at as timestamp) + interval 2 hour, '%Y-%m-%dT%H:%M:%SZ')
                            as occurred_at, 'from_candidate' as direction, 'email' as channel,
                        'other' as topic, null as user_id, 'false' as automated
                    from applications t join pick p using (application_id)"""
            write(con, out, name, rows)
        write(con, out, "candidates", """select * from candidates where candidate_id in (
            select candidate_id from applications join pick using (application_id))""")
        for name in ("jobs", "users"):
            write(con, out, name, f"select * from {name}")
    shutil.rmtree(spill, ignore_errors=True)


def write(con, out: Path, name: str, select: str) -> None:
    columns = ", ".join(csv_columns(name))
    con.execute(f"copy (select {columns} from ({select})) to '{out / (name + '.csv')}' (header)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("export", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--applications", type=int, default=500)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    make_delta(args.export, args.out, args.applications, args.seed)


if __name__ == "__main__":
    main()
