"""What each dashboard page asks on its first view with the sidebar's default filters: the list
benchmarks/bench_pages.py times, and that the dashboard answers ahead of its users once a
version is published (warm(); app/store.py). tests/test_dashboard.py checks it against what the
pages really ask.

    warm(Answers(con), default_filters(con))     # every page's first view, before anyone asks

A page is a set of (question, group_by, period); period: "current" (the sidebar's), "previous"
(the one before it), "year" (the twelve whole months up to the period's end: the Monthly review)
or "all" (no filters). ("report", shows, period) is the report of queries.metrics with the
figures of the questions in `shows` ("recruiters": its per-recruiter table); a page also asks
the report's questions itself for the n behind its tiles.
"""

from datetime import date, timedelta

import duckdb

from queries import catalogue
from queries.answers import Answers, Request, prefetched
from queries.runner import Filters, default_as_of

PERIOD_DAYS = 90  # the sidebar's default period: the 90 days up to the data's latest moment

SIDEBAR = {("filter_options", None, "all"), ("data_inputs", None, "all"), ("origins", None, "all"),
           ("last_load", None, "all")}


def tiles(*names: str, period: str = "current") -> set:
    return {("report", names, period)} | {(name, None, period) for name in names if name != "decline_reasons"}


OVERVIEW = ("first_response", "rejection_notices", "reply_times", "offers", "no_shows")
# the Monthly review: its tiles' questions by month over the year, and the first figure with a
# trend per recruiter and month (its defaults: compared with the previous period, per recruiter)
REVIEW_TILES = catalogue.side("company", catalogue.COMPANY) + catalogue.side("candidate", catalogue.CANDIDATE)
REVIEW_DRAWN = next(t for t in REVIEW_TILES if t.trend)

PAGES: dict[str, set] = {  # in the order users open them, the landing page first
    "overview": tiles(*OVERVIEW) | tiles(*OVERVIEW, period="previous") | {
        (name, "week", "current") for name in OVERVIEW},
    "review": tiles(*OVERVIEW) | tiles(*OVERVIEW, period="previous") | {
        (t.question, "month", "year") for t in REVIEW_TILES} | {
        (REVIEW_DRAWN.question, "recruiter/month", "year")},
    "closing_the_loop": tiles("rejection_notices") | {
        ("response_time_distribution", None, "current"), ("rejection_notices", "furthest_stage", "current"),
        ("reapplication_by_notice", None, "current"), ("rejection_notices", "recruiter", "current"),
        ("rejection_notices", "week", "current")},
    "team": {("report", ("recruiters",), "current"), ("rejection_notices", "recruiter", "current"),
             ("first_response", "recruiter", "current"), ("call_list", None, "current")},
    "response_times": tiles("first_response", "reply_times", "offers") | {
        ("response_time_distribution", None, "current"), ("first_response", "department", "current"),
        ("reply_times", "department", "current")},
    "offers": tiles("offers", "decline_reasons") | {
        ("response_time_distribution", None, "current"), ("offers", "month", "current"),
        ("offers_past_deadline", None, "current")},
    "data": {("set_aside", None, "all"), ("communication_evidence", None, "all"),
             ("loads", None, "all")},
}


def default_filters(con: duckdb.DuckDBPyConnection) -> Filters:
    """The sidebar's filters before anyone changes them: the PERIOD_DAYS up to the data's own
    latest moment (today when the data has none), nothing else chosen."""
    latest = default_as_of(con)
    end = latest.date() if latest else date.today()
    return Filters(date_from=end - timedelta(days=PERIOD_DAYS - 1), date_to=end)


def requests(questions: set, filters: Filters) -> list[Request]:
    """The requests a page's first view starts, as the page starts them: the sidebar's (no
    filters), then its own and its report's at once (Answers.prefetch), then those over the
    year (their groups alone: the page never reads their totals)."""
    shared = [Request(name, Filters(), group_by) for name, group_by, period in sorted(
        (q for q in questions if q[2] == "all"), key=str)]
    reports = [(shows, period) for name, shows, period in questions if name == "report"]
    own = [(name, group_by) for name, group_by, period in sorted(questions, key=str)
           if period == "current" and name != "report"]
    page = []
    if reports:
        shows = reports[0][0]
        page = prefetched(filters, own, report=tuple(q for q in shows if q != "recruiters"),
                          previous=any(period == "previous" for _, period in reports),
                          recruiters="recruiters" in shows)
    year = filters.last_months()
    page += [Request(name, year, group_by, groups_only=group_by is not None)
             for name, group_by, period in sorted(questions, key=str) if period == "year"]
    return shared + page


def warm(answers: Answers, filters: Filters, pages: dict[str, set] = PAGES) -> int:
    """Answer every page's first view (with these filters) ahead of its users, one question at
    a time (Answers.warm); the number of questions answered."""
    return sum(answers.warm(requests(questions | SIDEBAR, filters)) for questions in pages.values())
