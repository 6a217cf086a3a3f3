"""The answer store the pages share: one read-only handle per published version with the
answers asked of it (queries/answers.py), and the report built from them.

    store.prefetch(filters, [("rejection_notices", "recruiter")], report=("rejection_notices",))
    store.question("rejection_notices", filters, group_by="recruiter")   # asked once, kept
"""

from datetime import date

import pandas as pd
import streamlit as st

from app.bootstrap import version
from queries.answers import Answers, Request
from queries.runner import Filters, connect, usable_moment


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
