"""What every page shares: the sidebar filters kept in the URL, and the current filters' answers
(app/store.py) on the database of this run (app/bootstrap.py).

    state.prefetch([("rejection_notices", "recruiter")], report=("rejection_notices",))
    state.question("rejection_notices", group_by="recruiter")   # current filters, kept
"""

import functools
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from app import address, auth, freshness, store
from app.bootstrap import ensure_database, start_run, version  # noqa: F401  (re-exported)
from app.store import as_of, origins, watch  # noqa: F401  (re-exported)
from etl.schema import SAMPLE_ORIGIN
from queries import benchmarks
from queries.answers import Request
from queries.pages import PERIOD_DAYS
from queries.runner import Filters

FILTERS = ("department", "recruiter", "job", "source")
ALL = {"department": "All departments", "recruiter": "All recruiters", "job": "All jobs",
       "source": "All sources"}


def prefetch(questions: list[tuple[str, str | None]], report: tuple[str, ...],
             previous: bool = False, recruiters: bool = False) -> None:
    """Start the page's own questions (question, group_by) and those its report figures come
    from (report: question names) at once, for the current filters; previous: the page shows
    the period before them too; recruiters: it shows the per-recruiter table."""
    filters = current_filters()
    own = [q for q in questions if auth.scoped(q[0], filters) != filters]  # a recruiter's own rows
    everyone = [q for q in questions if q not in own]
    store.prefetch(filters, everyone, report, previous, recruiters)
    prefetch_over(filters, own)


def prefetch_over(filters: Filters, questions: Sequence[tuple[str, str | None]],
                  groups_only: bool = False) -> None:
    """Start questions (question, group_by) over other filters than the sidebar's (the
    review's twelve months), each as `question` will ask it (a recruiter's own rows).
    groups_only: the page reads their groups alone, never their totals, which are then not
    computed (a breakdown's totals are half of its work)."""
    store.ask([Request(name, auth.scoped(name, filters), group_by,
                       groups_only=groups_only and group_by is not None)
               for name, group_by in questions])


def question(name: str, filters: Filters | None = None, group_by: str | None = None,
             period: str = "current") -> pd.DataFrame:
    """queries/sql/<name>.sql on the current database with the current filters (asked once per
    published version); period="previous" gives the period of the same length before them."""
    scoped = auth.scoped(name, filters or current_filters())  # a recruiter's own rows only
    return store.question(name, scoped, group_by, period)


def report(questions: tuple[str, ...], filters: Filters | None = None, period: str = "current",
           recruiters: bool = False) -> dict:
    """The report's JSON dict (`python -m queries report`) for the current filters (cached),
    with the figures of the given questions only (what the page shows), or for the period
    before them (period="previous": only where filters.previous() exists); its per-recruiter
    table only if asked for."""
    return store.report(filters or current_filters(), questions, period, recruiters)


def answers(questions: tuple[str, ...], filters: Filters | None = None,
            period: str = "current") -> dict[str, pd.DataFrame]:
    """Each question's ungrouped answer for the current filters: name -> frame."""
    return {name: question(name, filters, period=period) for name in questions}


def default_period() -> tuple[date, date]:
    end = as_of()
    return end - timedelta(days=PERIOD_DAYS - 1), end


def options(name: str) -> dict:
    """Filter value -> label; None (no filter) first."""
    return dict(_options(version())[name])


@functools.lru_cache(maxsize=4)
def _options(published: str) -> dict[str, dict]:
    """Every filter's labels of one published version: read once, not on every page run."""
    frame = question("filter_options", Filters())
    return {name: {None: ALL[name]} | dict(zip(rows["value"], rows["label"]))
            for name in FILTERS for rows in [frame[frame["filter"] == name]]}


def choices(name: str) -> dict:
    """A filter's options as the sidebar offers them: the jobs of the chosen department only
    (a job chosen before that is not in it is let go, and the page says so)."""
    labels = options(name)
    department = st.session_state.get("department")
    if name != "job" or department is None:
        return labels
    jobs = question("jobs_by_department", Filters())
    allowed = set(jobs.loc[jobs["department"] == department, "job_id"])
    kept = {value: label for value, label in labels.items() if value is None or value in allowed}
    chosen = st.session_state.get("job")
    if chosen is not None and chosen not in kept:
        st.session_state["job"] = None
        st.session_state.setdefault(address.NOTES, []).append(
            f"The job “{labels.get(chosen, chosen)}” is not in {department}: showing all of its jobs.")
    return kept


SHARED = ("data_inputs", "filter_options", "origins", "last_load")  # what every page's frame reads


KEPT = "_kept_filters"


def sidebar(filters: bool = True) -> None:
    """The shared filters, each bound to the URL under its key; filters=False (a page they do
    not apply to): none, their values kept for the next page that has them."""
    store.ask([Request(name, Filters()) for name in SHARED])  # side by side
    if not filters:
        keep_filters()
        with st.sidebar:
            freshness.caption(question("last_load", Filters()))
        return
    restore_filters()
    with st.sidebar:
        st.date_input("Period", value=default_period(), key="period", bind="query-params",
                      min_value=date(2000, 1, 1), max_value=as_of() + timedelta(days=366),
                      help="Each figure selects on its own date: applications by applied, "
                           "rejections by closed, offers by sent.", format="YYYY-MM-DD")
        freshness.caption(question("last_load", Filters()))
        for name in FILTERS:
            labels = choices(name)
            address.resolve(name, labels, name)
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


FILTER_KEYS = ("period", *FILTERS, "notice_sla_days", "answer_window_days", "call_list_days")


def keep_filters() -> None:
    """Remember the filters while a page without them is shown (undrawn widgets lose their
    state), and say why the sidebar has none."""
    kept = st.session_state.setdefault(KEPT, {})
    kept |= {k: st.session_state[k] for k in FILTER_KEYS if k in st.session_state}
    st.sidebar.caption("This page covers every load, whatever the period and filters.")


def restore_filters() -> None:
    """Put back the filters remembered by keep_filters()."""
    for key, value in st.session_state.pop(KEPT, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


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


def filter_notes() -> None:
    """What the address or the filters asked for that could not be used, and a combination of
    filters that no application matches, said above the page."""
    address.notes()
    chosen = {name: st.session_state.get(name) for name in FILTERS}
    if KEPT in st.session_state or not any(v is not None for v in chosen.values()):  # no filters here
        return
    matches = question("filter_matches", current_filters())
    if int(matches["applications"].iloc[0]) == 0:
        said = " and ".join(f"{name} “{options(name).get(v, v)}”" for name, v in chosen.items()
                            if v is not None)
        st.warning(f"No application matches {said}, in any period: every figure below is "
                   "empty. Widen a filter in the sidebar.", icon=":material/filter_alt_off:")


def outside_period(origin: str | None) -> str | None:
    """A sentence when the data of a source just loaded lies outside the selected period."""
    spans = question("origin_span", Filters())
    span = spans[spans["origin"] == origin]
    filters = current_filters()
    if span.empty or not filters.date_from or not filters.date_to:
        return None
    first, last = span["first_applied"].iloc[0], span["last_applied"].iloc[0]
    if pd.Timestamp(last).date() >= filters.date_from and pd.Timestamp(first).date() <= filters.date_to:
        return None
    return (f"The export just loaded runs from {pd.Timestamp(first):%-d %b %Y} to "
            f"{pd.Timestamp(last):%-d %b %Y}, outside the selected period "
            f"({filters.date_from:%-d %b %Y} – {filters.date_to:%-d %b %Y}): choose a period in "
            "the sidebar to see it.")


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
    """Published figures and the company's targets (reference/benchmarks.csv or CX_BENCHMARKS,
    then the targets set in the app, app/targets.py, which win)."""
    from app import targets

    try:
        refs = benchmarks.load()
    except benchmarks.BenchmarkError as e:
        st.warning(f"Published figures and targets are not shown: {e}", icon=":material/warning:")
        refs = []
    try:
        return refs + targets.references(targets.load())
    except targets.TargetsError as e:
        st.warning(f"The targets set in the app are not shown: {e}", icon=":material/warning:")
        return refs


def trend_grain(filters: Filters) -> str:
    """The grain a page asks its trends by first: weeks (trend() asks again by month or quarter
    when weeks are too thin)."""
    return "week"


def period_days(filters: Filters) -> int | None:
    if not filters.date_from or not filters.date_to:
        return None
    return (filters.date_to - filters.date_from).days + 1


def trend(name: str, n_columns: list[str], finest: str = "week",
          filters: Filters | None = None) -> tuple[pd.DataFrame, str, int]:
    """A question over time by the grain its counts allow (figures.grain: week, month or
    quarter, from the smallest of the n columns' totals): (frame, grain, n). Asked by `finest`
    first (the page prefetched it), again by a coarser grain only when that is too thin."""
    return trends([(name, n_columns)], finest, filters)[name]


def trends(specs: list[tuple[str, list[str]]], finest: str = "week",
           filters: Filters | None = None) -> dict[str, tuple[pd.DataFrame, str, int]]:
    """trend() of several questions, the coarser ones they need asked side by side."""
    from app import figures

    filters = filters or current_filters()
    chosen = {}
    for name, n_columns in specs:
        first = question(name, filters, group_by=finest)
        n = int(min(first[c].fillna(0).sum() for c in n_columns)) if len(first) else 0
        chosen[name] = (figures.grain(n, period_days(filters), finest), n)
    store.ask([Request(name, filters, g) for name, (g, _) in chosen.items() if g != finest])
    columns_of, out = dict(specs), {}
    for name, (g, n) in chosen.items():
        frame = question(name, filters, group_by=g)
        keys = figures.buckets(g, filters.date_from, filters.date_to)
        out[name] = (figures.fill_buckets(frame, keys, columns_of[name]), g, n)
    return out
