"""What every page shares: the database (built from the sample on first start), one read-only
handle per published version with the answers asked of it (queries/answers.py), and the
sidebar filters kept in the URL. A page uses it as

    state.prefetch([("rejection_notices", "recruiter")], report=("rejection_notices",))
    state.question("rejection_notices", group_by="recruiter")   # current filters, kept
"""

import threading
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from app import auth, freshness
from etl.load import load
from etl.publish import database_path
from etl.sample import generate
from etl.schema import SAMPLE_ORIGIN
from queries import benchmarks
from queries.answers import Answers, Request
from queries.runner import Filters, connect, data_version, usable_moment

SAMPLE_APPLICATIONS, SAMPLE_SEED = 3000, 7
PERIOD_DAYS = 90
FILTERS = ("department", "recruiter", "job", "source")
ALL = {"department": "All departments", "recruiter": "All recruiters", "job": "All jobs",
       "source": "All sources"}
_bootstrap_lock = threading.Lock()


def ensure_database() -> None:
    """First start (nothing published at CX_DB): build the sample export and load it."""
    if data_version():
        return
    with st.spinner("First start: building sample data (3,000 applications) and loading it…"):
        with _bootstrap_lock:
            if not data_version():
                folder = database_path().parent / "sample"
                generate(folder, SAMPLE_APPLICATIONS, SAMPLE_SEED)
                load(folder, db=str(database_path()), origin=SAMPLE_ORIGIN)


def version() -> str:
    """The published version this script run reads: resolved once per run."""
    return st.session_state.setdefault("_run_version", data_version())


def start_run() -> None:
    """Pin the published version for this run (called first thing by dashboard.py)."""
    st.session_state["_run_version"] = data_version()


def _release(answers: Answers) -> None:
    answers.close()
    answers.con.close()


@st.cache_resource(max_entries=2, on_release=_release, show_spinner=False)
def _answers(published: str) -> Answers:
    """One read-only handle per published version and the answers asked of it; the one before
    last is closed when a newer one arrives (each query takes its own cursor, so sessions share
    it safely)."""
    return Answers(connect(published))


@st.cache_data(max_entries=200, show_spinner=False)
def _report(published: str, filters: Filters, period: str, recruiters: bool,
            questions: tuple[str, ...]) -> dict:
    """The report, built from the same answers the pages ask for."""
    return _answers(published).report(filters, period, recruiters, questions)


def prefetch(questions: list[tuple[str, str | None]], report: tuple[str, ...],
             previous: bool = False, recruiters: bool = False) -> None:
    """Start the page's own questions (question, group_by) and those its report figures come
    from (report: question names) at once, for the current filters; previous: the page shows
    the period before them too; recruiters: it shows the per-recruiter table."""
    filters = current_filters()
    own = [q for q in questions if auth.scoped(q[0], filters) != filters]  # a recruiter's own rows
    everyone = [q for q in questions if q not in own]
    _answers(version()).prefetch(filters, everyone, report, previous, recruiters)
    for name, group_by in own:
        _answers(version()).prefetch(auth.scoped(name, filters), [(name, group_by)], ())


def question(name: str, filters: Filters | None = None, group_by: str | None = None,
             period: str = "current") -> pd.DataFrame:
    """queries/sql/<name>.sql on the current database with the current filters (asked once per
    published version); period="previous" gives the period of the same length before them."""
    scoped = auth.scoped(name, filters or current_filters())  # a recruiter's own rows only
    return _answers(version()).answer(name, scoped, group_by, period)


def report(questions: tuple[str, ...], filters: Filters | None = None, period: str = "current",
           recruiters: bool = False) -> dict:
    """The report's JSON dict (`python -m queries report`) for the current filters (cached),
    with the figures of the given questions only (what the page shows), or for the period
    before them (period="previous": only where filters.previous() exists); its per-recruiter
    table only if asked for."""
    return _report(version(), filters or current_filters(), period, recruiters, tuple(questions))


def as_of() -> date:
    """The data's own "now" (the latest moment in it)."""
    latest = usable_moment(question("data_inputs", Filters())["as_of"].iloc[0])
    return date.today() if latest is None else latest.date()


def default_period() -> tuple[date, date]:
    end = as_of()
    return end - timedelta(days=PERIOD_DAYS - 1), end


def options(name: str) -> dict:
    """Filter value -> label; None (no filter) first."""
    frame = question("filter_options", Filters())
    frame = frame[frame["filter"] == name]
    return {None: ALL[name]} | dict(zip(frame["value"], frame["label"]))


SHARED = ("data_inputs", "filter_options", "origins", "last_load")  # what every page's frame reads


def sidebar() -> None:
    """The shared filters, each bound to the URL under its key."""
    _answers(version()).ask([Request(name, Filters()) for name in SHARED])  # side by side
    with st.sidebar:
        st.date_input("Period", value=default_period(), key="period", bind="query-params",
                      min_value=date(2000, 1, 1), max_value=as_of() + timedelta(days=366),
                      help="Each figure selects on its own date: applications by applied, "
                           "rejections by closed, offers by sent.", format="YYYY-MM-DD")
        freshness.caption(question("last_load", Filters()))
        for name in FILTERS:
            labels = options(name)
            st.selectbox(name.capitalize(), list(labels), format_func=labels.__getitem__, key=name,
                         bind="query-params")
        with st.expander("Settings"):
            st.number_input("Notice SLA (days)", min_value=0.5, max_value=60.0, value=3.0,
                            step=0.5, key="notice_sla_days", bind="query-params",
                            help="A rejected interviewee not told within this many days is overdue.")
            st.number_input("Offer answer window (days)", min_value=0.5, max_value=60.0,
                            value=3.0, step=0.5, key="answer_window_days", bind="query-params",
                            help="Offers without a deadline expect an answer within this window.")
            st.number_input("Call list reaches back (days)", min_value=1, max_value=3650,
                            value=60, step=1, key="call_list_days", bind="query-params",
                            help="The call list holds every rejected interviewee not yet told "
                                 "who was rejected within this many days, whatever the period.")


def current_filters() -> Filters:
    """The sidebar's filters (defaults before the sidebar is drawn)."""
    chosen = st.session_state.get("period") or default_period()
    start = chosen[0] if len(chosen) else None
    end = chosen[1] if len(chosen) > 1 else as_of()
    values = {name: st.session_state.get(name) for name in FILTERS}
    return Filters(date_from=start, date_to=end, **values,
                   notice_sla_days=float(st.session_state.get("notice_sla_days", 3.0)),
                   answer_window_days=float(st.session_state.get("answer_window_days", 3.0)),
                   call_list_days=float(st.session_state.get("call_list_days", 60)))


def previous_label(filters: Filters) -> str:
    if not filters.date_from or not filters.date_to:
        return "the previous period"
    return f"the previous {(filters.date_to - filters.date_from).days + 1} days"


def origins() -> set[str]:
    """The data sources the database holds (the built-in sample is "sample")."""
    return set(question("origins", Filters())["origin"])


def sample_notice() -> None:
    """Say clearly when the built-in sample is (part of) what the pages show."""
    loaded = origins()
    if SAMPLE_ORIGIN not in loaded:
        return
    how = ("run `python -m etl load EXPORT_DIR` (a folder or a zip of your export), or upload "
           "a zip on the **Data** page")
    if loaded == {SAMPLE_ORIGIN}:
        st.info(f"You are looking at **sample data** (a made-up company, Northwind). To see your "
                f"own: {how}.", icon=":material/science:")
    else:
        st.warning("This database holds the **sample data** next to your own "
                   f"({', '.join(sorted(loaded - {SAMPLE_ORIGIN}))}): the figures mix both. To see yours "
                   "alone, reload your export with `--replace` into a database of its own "
                   "(`python -m etl load EXPORT_DIR --db data/own.duckdb`) and start the dashboard "
                   "with `CX_DB=data/own.duckdb`.",
                   icon=":material/science:")


def references() -> list:
    """Published figures and the company's targets (reference/benchmarks.csv or CX_BENCHMARKS)."""
    try:
        return benchmarks.load()
    except benchmarks.BenchmarkError as e:
        st.warning(f"Published figures and targets are not shown: {e}", icon=":material/warning:")
        return []


def trend_grain(filters: Filters) -> str:
    """Weeks for a period up to six months, months beyond."""
    if filters.date_from and filters.date_to and (filters.date_to - filters.date_from).days <= 183:
        return "week"
    return "month"
