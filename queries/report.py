"""`python -m queries report`: the figures as JSON (the contract) or a weekly digest in Markdown."""

import argparse
import json
import sys
from contextlib import closing
from datetime import datetime, timedelta

from etl import cli
from etl.terminal import escaped
from queries.answers import Answers
from queries.runner import DatabaseError, Filters, connect, default_as_of, fallback_warning


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = cli.Parser(prog="python -m queries report",
                                description="Both sides of the relationship, in figures.")
    p.add_argument("--format", choices=("json", "markdown"), default="json")
    p.add_argument("--db", help="database (default: env CX_DB, else data/cx.duckdb)")
    p.add_argument("--as-of", type=cli.moment, help="'now' for ages and deadlines "
                                                "(default: the latest moment in the data)")
    p.add_argument("--from", dest="date_from", type=cli.day, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=cli.day, help="last day, YYYY-MM-DD")
    p.add_argument("--department")
    p.add_argument("--recruiter", help="a recruiter_id ('' for Unassigned)")
    p.add_argument("--job", help="a job_id")
    p.add_argument("--source", help="where candidates came from, as in the export")
    p.add_argument("--notice-sla-days", type=cli.days, default=3.0)
    p.add_argument("--answer-window-days", type=cli.days, default=3.0)
    args = p.parse_args(argv)
    if args.date_from and args.date_to and args.date_from > args.date_to:
        p.error(f"--from {args.date_from} is after --to {args.date_to}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    filters = Filters(args.date_from, args.date_to, args.department, args.recruiter, args.job,
                      args.source, args.as_of, args.notice_sla_days, args.answer_window_days)
    try:
        con = connect(args.db)
    except DatabaseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if warning := fallback_warning(args.db):
        print(f"warning: {warning}", file=sys.stderr)
    with con:
        if args.format == "json":
            print(json.dumps(whole_report(con, filters), indent=2))
        else:
            print("\n".join(escaped(line) for line in digest(con, filters).split("\n")))
    return 0


def whole_report(con, filters: Filters) -> dict:
    """queries.metrics.report, every figure and the per-recruiter table, its questions asked
    side by side (queries/answers.py)."""
    with closing(Answers(con)) as answers:
        answers.prefetch(filters, recruiters=True)
        return answers.report(filters, recruiters=True)


def weekly(con, filters: Filters) -> Filters:
    """Without a period, the digest covers the 7 days up to as_of."""
    if filters.date_from or filters.date_to:
        return filters
    end = (filters.as_of or default_as_of(con) or datetime.now()).date()
    return Filters(**{**filters.__dict__, "date_from": end - timedelta(days=6), "date_to": end})


def digest(con, filters: Filters) -> str:
    """A digest a talent leader pastes into an email or a chat: plain text that reads as Markdown."""
    from queries import benchmarks, catalogue
    from queries.digest import render

    filters = weekly(con, filters)
    previous = filters.previous()
    with closing(Answers(con)) as answers:
        answers.prefetch(filters, [("call_list", None), ("offers_past_deadline", None)],
                         previous=previous is not None, recruiters=True)
        current = answers.report(filters, recruiters=True)
        try:
            references = benchmarks.digest_lines(benchmarks.load(), current)
        except benchmarks.BenchmarkError as e:
            references = [f"Published figures not shown: {e}"]
        def sizes(period: str) -> dict:
            return catalogue.sizes({name: answers.answer(name, filters, period=period)
                                    for name in catalogue.sized(catalogue.questions())})
        return render(
            current=current, sizes=sizes("current"),
            sizes_before=sizes("previous") if previous else None,
            previous=answers.report(filters, "previous") if previous else None,
            call_list=answers.answer("call_list", filters),
            past_deadline=answers.answer("offers_past_deadline", filters),
            references=references,
        )
