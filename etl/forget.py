"""`python -m etl forget`: erase a candidate, for good.

    python -m etl forget --candidate ID [--origin NAME] [--db FILE]
    python -m etl forget --email ADDRESS [--db FILE]

Removes the candidate and everything hanging off them (applications, stage changes,
interviews, communications, offers, and rows set aside that name them) by publishing a new
version that never held them, then deletes every older version kept on disk, so that no file
keeps the data in a free block. The erasure is remembered in the `erasures` table as one-way
hashes (of origin and id, and of the lower-cased e-mail address; never the data), carried from
version to version; every later load drops whoever matches (`reapply`), so re-loading an old
export does not bring the person back. The loads history records that an erasure happened,
with counts only.
"""

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from etl import cli, schema
from etl.contract import TABLES, ExportError
from etl.publish import current_version, database_path, publish, versions
from etl.terminal import escaped
from etl.validate import line

SEP = "\x1f"
ERASURES = "(erased_at timestamp, kind varchar, hash varchar)"
# what hangs off an application, in the order the summary names them
CHILDREN = ("stage_changes", "interviews", "communications", "offers")
# a value named in a reason, not part of a longer id or address
BOUNDARY = r"[^\w@.+-]"
# SQL of the one-way keys, from a row's own columns (constant text, no value from input)
CANDIDATE_KEY = "sha256('candidate' || chr(31) || origin || chr(31) || candidate_id)"
ANY_ORIGIN_KEY = "sha256('candidate' || chr(31) || chr(31) || candidate_id)"
EMAIL_KEY = "sha256('email' || chr(31) || lower(trim(email)))"


def candidate_hash(candidate_id: str, origin: str | None) -> str:
    """The remembered form of a candidate id (origin None: the id in every origin)."""
    return _sha(f"candidate{SEP}{origin or ''}{SEP}{candidate_id}")


def email_hash(address: str) -> str:
    return _sha(f"email{SEP}{address.strip().lower()}")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Erasure:
    """What one `forget` removed: counts per table, and the files deleted."""

    removed: dict[str, int] = field(default_factory=dict)
    deleted_files: list[str] = field(default_factory=list)
    database: str = ""

    def sentence(self) -> str:
        people = self.removed.get("candidates", 0)
        parts = [counted(n, name) for name, n in self.removed.items() if name != "candidates"]
        if not any(self.removed.values()):
            return ("Nobody matching was held; the erasure is remembered, so later loads "
                    f"leave them out ({self.database}).")
        return (f"Erased {counted(people, 'candidates')} and what hung off them: "
                f"{', '.join(parts)}; published {self.database} and deleted "
                f"{len(self.deleted_files)} older version(s). Later loads leave them out.")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = cli.Parser(prog="python -m etl forget", description=__doc__.splitlines()[0])
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--candidate", metavar="ID", help="the candidate's id in the export")
    who.add_argument("--email", metavar="ADDRESS", help="the candidate's e-mail address")
    p.add_argument("--origin", help="only the records of this origin (with --candidate)")
    p.add_argument("--db", help="database (default: env CX_DB, else data/cx.duckdb)")
    p.add_argument("--json", action="store_true", help="print the counts as JSON on stdout")
    args = p.parse_args(argv)
    if args.origin is not None and args.email is not None:
        p.error("--origin goes with --candidate (an e-mail address is erased in every origin)")
    for value in (args.candidate, args.email):
        if value is not None and not value.strip():
            p.error("the id or address is empty")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        erasure = forget(args.db, candidate=args.candidate, email=args.email, origin=args.origin)
    except ExportError as e:
        print(f"error: {escaped(str(e))}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"removed": erasure.removed, "deleted_files": erasure.deleted_files,
                          "database": erasure.database}, indent=2))
    else:
        print(escaped(erasure.sentence()), file=sys.stderr)
    return 0


def forget(db: str | None, candidate: str | None = None, email: str | None = None,
           origin: str | None = None) -> Erasure:
    """Erase one candidate (by id, in one origin or all, or by e-mail address) from the
    published database and every version kept; returns what was removed."""
    target = database_path(db)
    if current_version(target) is None:
        raise ExportError(f"{target}: no database here yet, so nobody to erase")
    erasure, started = Erasure(), time.monotonic()

    def build(con, previous):
        if previous is None:
            raise ExportError(f"{target}: the published database cannot be read")
        schema.attach_previous(con, previous)
        find(con, candidate, email, origin)
        erasure.removed = copy_without(con)
        remember(con, hashes(con, candidate, email, origin))
        con.execute("detach pub")
        from etl.load import derive

        derive(con)
        record(con, erasure, time.monotonic() - started)

    kept = versions(target)
    published = publish(target, build, only_latest=True)
    erasure.database = str(published)
    erasure.deleted_files = [old.name for old in kept if not old.exists()]
    return erasure


def find(con, candidate: str | None, email: str | None, origin: str | None) -> None:
    """Temp tables `erase_candidates` (origin, candidate_id) and `erase_apps` (origin,
    application_id) of the published version `pub`."""
    if email is not None:
        con.execute("""create or replace temp table erase_candidates as
            select distinct origin, candidate_id from pub.candidates
            where lower(trim(email)) = lower(trim($email))""", {"email": email})
    else:
        con.execute("""create or replace temp table erase_candidates as
            select distinct origin, candidate_id from (
                select origin, candidate_id from pub.candidates
                union all select origin, candidate_id from pub.applications)
            where candidate_id = $id and ($origin is null or origin = $origin)""",
                    {"id": candidate, "origin": origin})
    con.execute("""create or replace temp table erase_apps as
        select distinct a.origin, a.application_id from pub.applications a
        join erase_candidates e using (origin, candidate_id)""")


def copy_without(con) -> dict[str, int]:
    """Copy every canonical and history table of `pub`, leaving the erased rows behind (they are
    never written to the new file); returns the rows left behind per table."""
    schema.create_tables(con)
    removed = {}
    for name in ("candidates", "applications", *CHILDREN):
        match = ("exists (select 1 from erase_candidates e where e.origin = t.origin "
                 "and e.candidate_id = t.candidate_id)" if name == "candidates" else
                 "exists (select 1 from erase_apps e where e.origin = t.origin "
                 "and e.application_id = t.application_id)")
        removed[name] = con.execute(f"select count(*) from pub.{name} t where {match}"
                                    ).fetchall()[0][0]
        con.execute(f"insert into {name} by name select * from pub.{name} t where not ({match})")
    for name in TABLES:
        if name not in removed:
            con.execute(f"insert into {name} by name select * from pub.{name}")
    pattern = naming_pattern(named_values(con))
    for name in schema.HISTORY:
        if name == "set_aside" and pattern:
            removed["rows_set_aside"] = con.execute(
                "select count(*) from pub.set_aside where regexp_matches(reason, $p)",
                {"p": pattern}).fetchall()[0][0]
            con.execute("insert into set_aside by name select * from pub.set_aside "
                        "where not coalesce(regexp_matches(reason, $p), false)", {"p": pattern})
        else:
            con.execute(f"insert into {name} by name select * from pub.{name}")
    removed.setdefault("rows_set_aside", 0)
    return removed


def named_values(con, source: str = "pub.") -> list[str]:
    """The erased candidates' ids, e-mail addresses, names and application ids: what a reason
    for setting a row aside may quote."""
    rows = con.execute(f"""
        select candidate_id from erase_candidates
        union select email from {source}candidates t join erase_candidates e
            using (origin, candidate_id)
        union select name from {source}candidates t join erase_candidates e
            using (origin, candidate_id)
        union select application_id from erase_apps""").fetchall()
    return sorted({r[0].strip() for r in rows if r[0] and r[0].strip()}, key=len, reverse=True)


def naming_pattern(values: list[str]) -> str | None:
    """A regular expression (bound as a parameter) matching a reason that quotes a value."""
    if not values:
        return None
    alternatives = "|".join(re.escape(v) for v in values)
    return f"(?i)(^|{BOUNDARY})({alternatives})($|{BOUNDARY})"


def hashes(con, candidate: str | None, email: str | None, origin: str | None) -> list[tuple]:
    """(kind, hash) to remember: what was asked, and every id and address found for it."""
    found = [("candidate", candidate_hash(cid, o)) for o, cid in con.execute(
        "select origin, candidate_id from erase_candidates").fetchall()]
    found += [("email", email_hash(a)) for (a,) in con.execute(
        "select distinct c.email from pub.candidates c join erase_candidates e "
        "using (origin, candidate_id) where c.email is not null").fetchall()]
    if email is not None:
        found.append(("email", email_hash(email)))
    if candidate is not None:
        found.append(("candidate", candidate_hash(candidate, origin)))
    return sorted(set(found))


def remember(con, found: list[tuple]) -> None:
    """The `erasures` table of the new version: the previous one's, plus these hashes."""
    con.execute(f"create table if not exists erasures {ERASURES}")
    if has_table(con, "pub", "erasures"):
        con.execute("insert into erasures by name select * from pub.erasures")
    known = {r[0] for r in con.execute("select hash from erasures").fetchall()}
    at = datetime.now(UTC).replace(tzinfo=None)
    for kind, digest in found:
        if digest not in known:
            con.execute("insert into erasures values ($at, $kind, $hash)",
                        {"at": at, "kind": kind, "hash": digest})


def has_table(con, database: str, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_tables() where database_name = $db and table_name = $name",
        {"db": database, "name": name}).fetchall()[0][0])


def record(con, erasure: Erasure, seconds: float) -> None:
    """An `erasure` entry in the loads history: when, and how many rows of each kind; no id,
    no address, no name."""
    load_id = con.execute("select coalesce(max(load_id), 0) + 1 from loads").fetchall()[0][0]
    con.execute(
        "insert into loads by name select $id as load_id, $at as loaded_at, '' as origin, "
        "'erasure' as format, '' as path, $files as files, 0 as rows_read, 0 as rows_loaded, "
        "0 as rows_set_aside, 0 as rows_skipped, $seconds as seconds, $notes as notes",
        {"id": load_id, "at": datetime.now(UTC).replace(tzinfo=None),
         "files": json.dumps({}), "seconds": round(seconds, 2),
         "notes": json.dumps([f"A candidate was erased on request: {removed_text(erasure)}."])})


def removed_text(erasure: Erasure) -> str:
    return ", ".join(counted(n, name) for name, n in erasure.removed.items())


def counted(number: int, table: str) -> str:
    """"1 application", "2 stage changes", "1 row set aside" from a table's name."""
    words = table.replace("_", " ")
    if number == 1:
        words = words.replace("rows", "row") if "rows" in words else words.removesuffix("s")
    return f"{number} {words}"


# --- every later load -----------------------------------------------------------------------

def reapply(con, result) -> None:
    """During a load (`result`: its LoadResult), after validation: drop the staged rows of
    every erased candidate (and the rows set aside that name them) before anything reaches the
    new file, count them as skipped, note it in the summary, and carry the `erasures` table
    over from the published version `pub` (when attached)."""
    if not has_table(con, "pub", "erasures"):
        return
    con.execute(f"create table if not exists erasures {ERASURES}")
    con.execute("insert into erasures by name select * from pub.erasures")
    staged = {name for name in TABLES if has_table(con, "temp", f"chk_{name}")}
    if "applications" not in staged:
        return
    people = ("select candidate_id, email from chk_candidates union all "
              if "candidates" in staged else "")
    con.execute(f"""create or replace temp table erase_candidates as
        select distinct origin, candidate_id from (
            select $origin as origin, candidate_id, email from ({people}
                select candidate_id, null as email from chk_applications))
        where {CANDIDATE_KEY} in (select hash from erasures)
           or {ANY_ORIGIN_KEY} in (select hash from erasures)
           or (email is not null and {EMAIL_KEY} in (select hash from erasures))""",
                {"origin": result.origin})
    skipped, note = drop_staged(con, staged)
    for name, number in skipped.items():
        counts = result.files.setdefault(name, {"rows": number})
        counts["skipped"] = counts.get("skipped", 0) + number
    result.notes += note


def drop_staged(con, staged: set[str]) -> tuple[dict[str, int], list[str]]:
    """Delete the erased candidates' staged rows, and the reasons that name them; returns the
    rows left out per file (those not still counted as set aside) and a note."""
    people = con.execute("select count(*) from erase_candidates").fetchall()[0][0]
    if not people:
        return {}, []
    con.execute("""create or replace temp table erase_apps as
        select distinct application_id from chk_applications
        where candidate_id in (select candidate_id from erase_candidates)""")
    pattern = naming_pattern(staged_values(con, staged))
    if pattern:
        con.execute("delete from stg_set_aside where coalesce(regexp_matches(reason, $p), false)",
                    {"p": pattern})
    skipped: dict[str, int] = {}
    for name in ("applications", *CHILDREN, "candidates"):
        if name in staged:
            key = "candidate_id" if name == "candidates" else "application_id"
            among = "erase_candidates" if name == "candidates" else "erase_apps"
            where = f"where {key} in (select {key} from {among})"
            for file, number in con.execute(
                    f"select _file, count(*) from chk_{name} {where} and not exists (select 1 "
                    f"from stg_set_aside s where s.file = _file and s.line = {line(con, f'chk_{name}')}) "
                    "group by 1"
            ).fetchall():
                skipped[file] = skipped.get(file, 0) + number
            con.execute(f"delete from chk_{name} {where}")
    return skipped, [f"{people} candidate(s) erased on request were in this export and were "
                     "left out (with everything that hangs off them)"]


def staged_values(con, staged: set[str]) -> list[str]:
    values = [r[0] for r in con.execute(
        "select candidate_id from erase_candidates union select application_id from erase_apps"
    ).fetchall()]
    if "candidates" in staged:
        values += [v for row in con.execute(
            "select email, name from chk_candidates where candidate_id in "
            "(select candidate_id from erase_candidates)").fetchall() for v in row]
    return sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True)
