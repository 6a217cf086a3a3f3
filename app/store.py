"""The answer store the pages share: one read-only handle per published version with the
answers asked of it (queries/answers.py), and the report built from them.

    store.prefetch(filters, [("rejection_notices", "recruiter")], report=("rejection_notices",))
    store.question("rejection_notices", filters, group_by="recruiter")   # asked once, kept
"""

import logging
import os
import threading
import time
from datetime import date

import pandas as pd
import streamlit as st

from app.bootstrap import version
from queries import pages
from queries.answers import Answers, Request
from queries.runner import Filters, connect, data_version, usable_moment

LOG = logging.getLogger(__name__)
WATCH_SECONDS = 15  # how often the dashboard looks for a newly published version


def _release(answers: Answers) -> None:
    answers.close()
    answers.con.close()


@st.cache_resource(max_entries=2, on_release=_release, show_spinner=False)
def _answers(published: str) -> Answers:
    """One read-only handle per published version and the answers asked of it; the one before
    last is closed when a newer one arrives (each query takes its own cursor, so sessions share
    it safely). Every page's default first view is then answered in the background (_warm)."""
    answers = Answers(connect(published))
    if warm_up_enabled():
        threading.Thread(target=_warm, args=(answers,), name="warm-up", daemon=True).start()
    return answers


def warm_up_enabled() -> bool:
    """CX_WARM_UP=0 turns the warm-up and the watch for new versions off."""
    return os.environ.get("CX_WARM_UP", "1").strip() != "0"


def _warm(answers: Answers) -> None:
    """Answer every page's default first view (queries/pages.py) one question at a time, so that
    the first people to open a page after a load find its figures ready."""
    started = time.perf_counter()
    lower_priority()
    try:
        done = pages.warm(answers, pages.default_filters(answers.con))
    except Exception as e:  # a version closed under it, a question failing: pages ask again
        LOG.warning("The warm-up stopped: %s", str(e).splitlines()[0] if str(e) else type(e).__name__)
        return
    LOG.info("Warm-up: %d questions answered in %.1f s", done, time.perf_counter() - started)


def lower_priority() -> None:
    """This thread's share of the CPU below the pages' (Linux gives each thread a nice value of
    its own, and a question runs on the thread that asks it): a page drawn during the warm-up
    gets the cores first."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):  # not Linux: the warm-up shares the CPU evenly
        pass


def watch() -> None:
    """Look for a newly published version every WATCH_SECONDS in the background (once per
    process), and open and warm it as soon as it appears, before anyone asks."""
    if warm_up_enabled():
        _watcher()


@st.cache_resource(show_spinner=False)
def _watcher() -> threading.Thread:
    thread = threading.Thread(target=_watch, name="version-watch", daemon=True)
    thread.start()
    return thread


def _watch() -> None:
    seen = ""
    while warm_up_enabled():
        seen = open_newest(seen)
        time.sleep(WATCH_SECONDS)


def open_newest(seen: str) -> str:
    """Open (and so warm) the published version if it is not `seen`; the version now seen."""
    try:
        published = data_version()
        if published and published != seen:
            _answers(published)
        return published
    except Exception as e:  # a database that cannot be read yet: the pages say why
        LOG.warning("A published version could not be opened: %s", str(e).splitlines()[0])
        return seen


@st.cache_data(max_entries=200, show_spinner=False)
def _report(published: str, filters: Filters, period: str, recruiters: bool,
            questions: tuple[str, ...]) -> dict:
    """The report, built from the same answers the pages ask for."""
    return _answers(published).report(filters, period, recruiters, questions)


def prefetch(filters: Filters, questions: list[tuple[str, str | None]], report: tuple[str, ...],
             previous: bool = False, recruiters: bool = False) -> None:
    """Start questions (question, group_by) and those report figures come from at once."""
    _answers(version()).prefetch(filters, questions, report, previous, recruiters)


def ask(requests: list[Request]) -> None:
    """Start these requests side by side."""
    _answers(version()).ask(requests)


def question(name: str, filters: Filters, group_by: str | None = None,
             period: str = "current") -> pd.DataFrame:
    """queries/sql/<name>.sql on the current database (asked once per published version)."""
    return _answers(version()).answer(name, filters, group_by, period)


def report(filters: Filters, questions: tuple[str, ...], period: str = "current",
           recruiters: bool = False) -> dict:
    """The report's JSON dict with the figures of the given questions (cached)."""
    return _report(version(), filters, period, recruiters, tuple(questions))


def as_of() -> date:
    """The data's own "now" (the latest moment in it)."""
    latest = usable_moment(question("data_inputs", Filters())["as_of"].iloc[0])
    return date.today() if latest is None else latest.date()


def origins() -> set[str]:
    """The data sources the database holds (the built-in sample is "sample")."""
    return set(question("origins", Filters())["origin"])
