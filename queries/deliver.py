"""`python -m queries deliver`: the weekly digest where leaders read (a chat webhook, e-mail),
and each recruiter's own call list in their inbox.

    python -m queries deliver --digest --call-lists [--dry-run] [--db FILE]

    --digest      the digest of the last 7 days (aggregates only, no candidate) to the chat
                  webhook CX_WEBHOOK_URL (Slack or Microsoft Teams, told by the address) and
                  by e-mail to every leader and admin the access file names
    --call-lists  to each recruiter of the access file (CX_ACCESS), their own call list; a
                  recruiter with nobody to call gets nothing
    --dry-run     print what would go to whom, send nothing

E-mail: queries/mail.py (CX_SMTP_*). Links point at CX_DASHBOARD_URL with the filters in the
address. Every call list sent is recorded in the audit log beside the database. A failed
recipient does not stop the others; the command then exits 2 with one line per failure.
"""

import argparse
import html
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlencode

import pandas as pd

from queries import audit, webhook
from queries.access import AccessError, load_access
from queries.call_list import ATS_NAMES, UsageError, calls, profile_url, records, tel_url
from queries.mail import MailError, SmtpSettings, message, send
from queries.runner import DatabaseError, Filters, connect

PROG = "python -m queries deliver"


@dataclass
class Delivery:
    """One message to one recipient."""

    to: str  # an address, or the chat webhook's description
    what: str  # "the digest", "their call list (2 rows)"
    send: Callable[[], None]
    application_ids: list[str] = field(default_factory=list)  # candidate rows in it (audited)


class Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(message)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = Parser(prog=PROG, description="Send the weekly digest and each recruiter's call list.")
    p.add_argument("--digest", action="store_true", help="the weekly digest to chat and leaders")
    p.add_argument("--call-lists", action="store_true", help="each recruiter's own call list")
    p.add_argument("--dry-run", action="store_true", help="print what would go to whom, send nothing")
    p.add_argument("--db", help="database (default: env CX_DB, else data/cx.duckdb)")
    args = p.parse_args(argv)
    if not (args.digest or args.call_lists):
        raise UsageError("nothing to deliver: give --digest, --call-lists or both")
    return args


def main(argv: list[str], env=None) -> int:
    env = os.environ if env is None else env
    try:
        args = parse_args(argv)
        plan, notes = deliveries(args, env)
    except (UsageError, DatabaseError, AccessError, MailError, webhook.WebhookError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    for note in notes:
        print(note)
    if args.dry_run:
        for d in plan:
            print(f"would send {d.what} to {d.to}")
        return 0
    failures = [line for d in plan if (line := deliver(d, args.db))]
    for line in failures:
        print(f"{PROG}: failed: {line}", file=sys.stderr)
    return 2 if failures else 0


def deliver(d: Delivery, db: str | None) -> str | None:
    """Send one message; the failure's line, or None once sent (and audited)."""
    try:
        d.send()
    except (MailError, webhook.WebhookError) as e:
        return f"{d.what} to {d.to}: {e}"
    if d.application_ids:
        audit.record(d.to, "delivery", "call list by e-mail", len(d.application_ids), db)
    print(f"sent {d.what} to {d.to}")
    return None


def deliveries(args: argparse.Namespace, env) -> tuple[list[Delivery], list[str]]:
    """Every message to send, and notes on what will not be sent; errors for settings that
    cannot work, before anything is sent."""
    smtp = SmtpSettings.from_env(env)
    hook = webhook.Webhook.from_env(env)
    access = load_access(env.get("CX_ACCESS") or None)
    if args.call_lists and access is None:
        raise UsageError("--call-lists: there is no access file naming the recruiters "
                         "(CX_ACCESS, default access.toml)")
    if args.call_lists and smtp is None:
        raise UsageError("--call-lists: set CX_SMTP_HOST (and CX_SMTP_FROM) to send e-mail")
    leaders = access.leader_addresses() if access else []
    if args.digest and hook is None and not (smtp and leaders):
        raise UsageError("--digest: nowhere to send it: set CX_WEBHOOK_URL, or CX_SMTP_HOST "
                         "with leaders in the access file")
    plan, notes = [], []
    with connect(args.db) as con:
        if args.digest:
            if leaders and smtp is None:
                notes.append("the digest is not e-mailed to the leaders: CX_SMTP_HOST is not set")
            plan += digest_deliveries(con, hook, smtp, leaders if smtp else [], env)
        if args.call_lists and access is not None:
            rows = calls(con, Filters())
            plan += call_list_deliveries(rows, access.recruiters, smtp, env, notes)
    return plan, notes


# --- the digest ---------------------------------------------------------------------------

def digest_deliveries(con, hook, smtp, leaders: list[str], env) -> list[Delivery]:
    from queries.report import digest, weekly

    filters = weekly(con, Filters())
    text = digest(con, filters)
    link = dashboard_link(env, "", {"period": [str(filters.date_from), str(filters.date_to)]})
    subject = f"Reciprocal digest, {filters.date_from} to {filters.date_to}"
    plan = []
    if hook:
        plan.append(Delivery(hook.description, "the digest",
                             partial(hook.post, hook.payload(subject, text, link))))
    for leader in leaders:
        msg = message(smtp.sender, leader, subject, digest_text(text, link), digest_html(text, link))
        plan.append(Delivery(leader, "the digest", partial(send, smtp, msg)))
    return plan


def digest_text(text: str, link: str | None) -> str:
    return text + (f"\n\nOpen the dashboard: {link}\n" if link else "\n")


def digest_html(text: str, link: str | None) -> str:
    """The digest as preformatted text (its figures line up), every character escaped."""
    body = f"<pre style=\"font-family: monospace\">{html.escape(text)}</pre>"
    if link:
        body += f'<p><a href="{html.escape(link)}">Open the dashboard</a></p>'
    return f"<!DOCTYPE html><html><body>{body}</body></html>"


# --- call lists ---------------------------------------------------------------------------

def call_list_deliveries(rows: pd.DataFrame, recruiters: dict[str, str], smtp, env,
                         notes: list[str]) -> list[Delivery]:
    """A message to each recruiter of the access file with their own rows only."""
    plan = []
    unsent = rows[~rows["recruiter_id"].fillna("").isin(set(recruiters.values()))]
    if len(unsent):
        names = ", ".join(sorted(set(unsent["recruiter"])))
        notes.append(f"not sent to anyone ({rows_named(list(unsent['application_id']))}): the "
                     f"access file names none of their recruiters ({names})")
    for address, recruiter_id in sorted(recruiters.items()):
        own = rows[rows["recruiter_id"].fillna("") == recruiter_id]
        if own.empty:
            notes.append(f"{address}: nobody to call, nothing sent")
            continue
        name = str(own["recruiter"].iloc[0])
        link = dashboard_link(env, "team", {"my_list": name, "call_list_days": "60"}, "call-list")
        subject = f"Your call list: {len(own)} rejected interviewee{'s' * (len(own) != 1)} " \
                  "waiting for a call"
        msg = message(smtp.sender, address, subject, call_list_text(own, link, env),
                      call_list_html(own, link, env))
        ids = list(own["application_id"])
        plan.append(Delivery(address, f"their call list ({rows_named(ids)})",
                             partial(send, smtp, msg), ids))
    return plan


def rows_named(ids: list[str], shown: int = 10) -> str:
    """ "2 rows: A1, A2" (application ids only: no candidate data in the output).

    >>> rows_named(["A1"])
    '1 row: A1'
    """
    more = ", …" if len(ids) > shown else ""
    return f"{len(ids)} row{'s' * (len(ids) != 1)}: {', '.join(ids[:shown])}{more}"


def call_list_text(own: pd.DataFrame, link: str | None, env) -> str:
    """The plain-text part: one block per candidate, the longest waiting first."""
    overdue = int((own["status"] == "overdue").sum())
    lines = [f"{len(own)} rejected interviewees are waiting for a call from you ({overdue} "
             "overdue), the longest waiting first:", ""]
    for i, (row, raw) in enumerate(zip(records(own), own.itertuples()), 1):
        lines += [f"{i}. {row['candidate_name'] or 'Unknown name'}: {row['phone'] or 'no phone'}, "
                  f"{row['email'] or 'no e-mail'}",
                  f"   {row['job_title'] or 'no job'}, rejected {row['closed_at'][:10]}, "
                  f"{row['days_waiting']:.1f} days waiting, {row['status']}"]
        if url := profile_url(raw.ats, raw.candidate_id, raw.application_id, env):
            lines.append(f"   In {ATS_NAMES[raw.ats]}: {url}")
    if link:
        lines += ["", f"Your list on the dashboard: {link}"]
    return "\n".join(lines) + "\n"


def call_list_html(own: pd.DataFrame, link: str | None, env) -> str:
    """The HTML part: a table whose every export value is escaped text."""
    e = html.escape
    head = "".join(f"<th align=\"left\">{h}</th>" for h in
                   ("Candidate", "Phone", "E-mail", "Job", "Rejected on", "Days waiting",
                    "Status", "In the ATS"))
    body = []
    for row, raw in zip(records(own), own.itertuples()):
        tel = tel_url(row["phone"])
        phone = f'<a href="{e(tel)}">{e(row["phone"])}</a>' if tel else e(row["phone"] or "")
        url = profile_url(raw.ats, raw.candidate_id, raw.application_id, env)
        ats = f'<a href="{e(url)}">{ATS_NAMES[raw.ats]}</a>' if url else ""
        cells = [e(row["candidate_name"] or ""), phone, e(row["email"] or ""),
                 e(row["job_title"] or ""), e(row["closed_at"][:10]),
                 f"{row['days_waiting']:.1f}", e(row["status"]), ats]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    footer = f'<p><a href="{e(link)}">Your list on the dashboard</a></p>' if link else ""
    return ("<!DOCTYPE html><html><body><p>Rejected interviewees waiting for a call from you, "
            "the longest waiting first:</p>"
            f"<table cellpadding=\"4\"><tr>{head}</tr>{''.join(body)}</table>{footer}"
            "</body></html>")


def dashboard_link(env, page: str, params: dict, anchor: str = "") -> str | None:
    """CX_DASHBOARD_URL's page with the filters in the address (None without the setting).

    >>> dashboard_link({"CX_DASHBOARD_URL": "https://cx.example/"}, "team", {"my_list": "Ada"})
    'https://cx.example/team?my_list=Ada'
    """
    base = (env.get("CX_DASHBOARD_URL") or "").strip().rstrip("/")
    if not base:
        return None
    query = urlencode(params, doseq=True)
    return f"{base}/{page}" + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")
