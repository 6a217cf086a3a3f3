"""The call list: every rejected interviewee still waiting to be told, whatever the period, as
the dashboard shows it, `python -m queries call-list` prints it and deliveries send it.

    python -m queries call-list --recruiter u101 --format markdown

    rows = calls(con, Filters(recruiter="u101"))   # the question's answer
    export(rows)                                   # what leaves the app: the EXPORT columns
"""

import argparse
import io
import json
import math
import os
import re
import sys
from collections.abc import Mapping
from urllib.parse import quote

import pandas as pd

from queries import audit
from queries.runner import DatabaseError, Filters, connect, run

EXPORT = ["application_id", "candidate_id", "candidate_name", "phone", "email", "job_title",
          "recruiter_id", "recruiter_name", "closed_at", "days_waiting", "status"]
# the vendors' candidate profiles: (env naming the account's host, default host)
ATS_HOSTS = {"greenhouse": ("CX_GREENHOUSE_URL", "https://app.greenhouse.io"),
             "lever": ("CX_LEVER_URL", "https://hire.lever.co")}
ATS_NAMES = {"greenhouse": "Greenhouse", "lever": "Lever"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~])")  # what makes markup inside a table cell


def calls(con, filters: Filters) -> pd.DataFrame:
    """queries/sql/call_list.sql for these filters (the period is not one of them)."""
    return run("call_list", con, **filters.params(con))


def export(rows: pd.DataFrame) -> pd.DataFrame:
    """The call list's columns as they leave the app (JSON, CSV, e-mail)."""
    return rows[EXPORT].reset_index(drop=True)


def profile_url(ats: str | None, candidate_id: str | None, application_id: str | None,
                env: Mapping[str, str] | None = None) -> str | None:
    """The candidate in the ATS: Greenhouse's person page opened on the application, Lever's
    opportunity page; None for any other origin.

    >>> profile_url("lever", "c1", "opp-7", {})
    'https://hire.lever.co/candidates/opp-7'
    """
    env = os.environ if env is None else env
    if ats not in ATS_HOSTS:
        return None
    name, default = ATS_HOSTS[ats]
    host = (env.get(name) or default).rstrip("/")
    if ats == "greenhouse" and _known(candidate_id):
        url = f"{host}/people/{quote(str(candidate_id), safe='')}"
        return url + (f"?application_id={quote(str(application_id), safe='')}"
                      if _known(application_id) else "")
    if ats == "lever" and _known(application_id):
        return f"{host}/candidates/{quote(str(application_id), safe='')}"
    return None


def tel_url(phone: str | None) -> str | None:
    """A tappable phone link: tel: with the digits, a leading + and dashes for separators
    (RFC 3966's visual separators), or None when the number holds no digit."""
    if phone is None or not _known(phone) or not re.search(r"\d", phone):
        return None
    text = re.sub(r"[^\d+]+", "-", phone.strip()).strip("-")
    return "tel:" + ("+" + text.lstrip("+").lstrip("-") if text.startswith("+") else text)


def _known(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def records(rows: pd.DataFrame) -> list[dict]:
    """The exported rows as JSON-ready dicts: closed_at in ISO 8601 UTC, days with one
    decimal, null for unknown."""
    out = []
    for row in export(rows).to_dict("records"):
        row = {k: (None if _missing(v) else v) for k, v in row.items()}
        if row["closed_at"] is not None:
            row["closed_at"] = pd.Timestamp(row["closed_at"]).strftime("%Y-%m-%dT%H:%M:%SZ")
        if row["days_waiting"] is not None:
            row["days_waiting"] = round(float(row["days_waiting"]), 1)
        out.append(row)
    return out


def _missing(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def neutralise(value):
    """A cell a spreadsheet would run as a formula (= + - @ tab CR first) gets a leading '."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def to_csv(rows: pd.DataFrame) -> str:
    """CSV whose text cells cannot run as formulas (CWE-1236)."""
    frame = pd.DataFrame(records(rows), columns=EXPORT)
    for column in EXPORT:
        if column != "days_waiting":
            frame[column] = frame[column].map(neutralise)
    out = io.StringIO()
    frame.to_csv(out, index=False, lineterminator="\r\n")
    return out.getvalue()


def markdown_text(value) -> str:
    """A value as literal Markdown text: its punctuation escaped, on one line."""
    if value is None:
        return ""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def to_markdown(rows: pd.DataFrame) -> str:
    """A Markdown table with every value escaped, so that none of it renders as markup."""
    lines = ["| " + " | ".join(EXPORT) + " |", "|" + "---|" * len(EXPORT)]
    for row in records(rows):
        lines.append("| " + " | ".join(markdown_text(row[c]) for c in EXPORT) + " |")
    return "\n".join(lines)


def render(rows: pd.DataFrame, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(records(rows), indent=2, ensure_ascii=False)
    return to_csv(rows) if fmt == "csv" else to_markdown(rows)


# --- python -m queries call-list ----------------------------------------------------------

class UsageError(Exception):
    """A bad option or value: one line, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(message)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = Parser(prog="python -m queries call-list",
               description="Who still needs a call: every rejected interviewee not yet told, "
                           "rejected within the last --call-list-days, longest waiting first.")
    p.add_argument("--recruiter", help="a recruiter_id ('' for Unassigned)")
    p.add_argument("--format", choices=("csv", "json", "markdown"), default="json")
    p.add_argument("--db", help="database (default: env CX_DB, else data/cx.duckdb)")
    p.add_argument("--as-of", type=iso_moment, help="'now' for the days waiting (default: the "
                                                "latest moment in the data), ISO 8601")
    p.add_argument("--department")
    p.add_argument("--job", help="a job_id")
    p.add_argument("--source", help="where candidates came from, as in the export")
    p.add_argument("--call-list-days", type=days(minimum=1), default=60.0,
                   help="how far back a rejection still calls for a call (default 60)")
    p.add_argument("--notice-sla-days", type=days(minimum=0), default=3.0,
                   help="a rejected interviewee not told within this many days is overdue")
    return p.parse_args(argv)


def iso_moment(text: str):
    """An argparse type: an ISO 8601 moment between 1970 and 2999, as naive UTC."""
    from etl.cli import moment

    return moment(text)


def days(minimum: float):
    """An argparse type: a finite number of days, at least minimum."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
        if not math.isfinite(value) or value < minimum or value > 36500:
            raise argparse.ArgumentTypeError(f"{text!r} must be between {minimum:g} and 36500 days")
        return value
    parse.__name__ = "days"
    return parse


def check_filters(con, args: argparse.Namespace) -> None:
    """A filter value the data does not hold is an error, not an empty list."""
    known = run("filter_options", con)
    for name in ("department", "recruiter", "job", "source"):
        value = getattr(args, name)
        values = set(known.loc[known["filter"] == name, "value"]) | ({""} if name == "recruiter" else set())
        if value is not None and value not in values:
            unassigned = " ('' is Unassigned)" if name == "recruiter" else ""
            raise UsageError(f"--{name} {value!r}: no such {name} in the data{unassigned}")


def main(argv: list[str]) -> int:
    try:
        args = parse_args(argv)
        con = connect(args.db)
    except (UsageError, DatabaseError) as e:
        print(f"python -m queries call-list: error: {e}", file=sys.stderr)
        return 2
    with con:
        try:
            check_filters(con, args)
        except UsageError as e:
            print(f"python -m queries call-list: error: {e}", file=sys.stderr)
            return 2
        filters = Filters(department=args.department, recruiter=args.recruiter, job=args.job,
                          source=args.source, as_of=args.as_of,
                          notice_sla_days=args.notice_sla_days, call_list_days=args.call_list_days)
        rows = calls(con, filters)
    text = render(rows, args.format)
    if len(rows):
        audit.record(audit.who(), "export", f"call-list --format {args.format}", len(rows),
                     args.db)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
