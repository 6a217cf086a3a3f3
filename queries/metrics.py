"""The report of docs/metrics.md, assembled from the questions in queries/sql/ as the catalogue of
figures (queries/catalogue.py) describes them: a dict with "as_of", "filters", "missing_inputs",
"company", "candidate" and (optionally) "recruiters".

Rates are fractions rounded to 4 places, hours rounded to 2, counts integers, null where
undefined (a rate over nothing, or a figure whose input the data does not hold).
"""

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from queries import catalogue
from queries.catalogue import NOTICE_KINDS, Figure  # noqa: F401  (NOTICE_KINDS: re-exported)
from queries.runner import Filters, missing_inputs

HEADLINE = ("first_response", "rejection_notices", "reply_times", "offers", "no_shows", "withdrawals")
# every question the report's figures come from, and those of its per-recruiter table
QUESTIONS = HEADLINE + tuple(q for q in catalogue.questions() if q not in HEADLINE)
RECRUITER_QUESTIONS = (("first_response", "recruiter"), ("rejection_notices", "recruiter"))
Ask = Callable[..., pd.DataFrame]


def report(con: duckdb.DuckDBPyConnection, filters: Filters, ask: Ask,
           with_recruiters: bool = True, questions: tuple[str, ...] = QUESTIONS) -> dict:
    """Every headline figure, both sides of the relationship, and the per-recruiter table.

    ask(name, group_by=None) answers one question for these filters: its total row, or its
    groups' rows with group_by (queries/answers.py asks them side by side, and the report and
    the dashboard's pages share them). The figures are those of the given questions (in the
    report's order), with the per-recruiter table or without (with_recruiters=False).
    """
    params = filters.params(con)
    answers = {name: ask(name) for name in QUESTIONS if name in questions}
    figures: dict[str, Any] = {
        "as_of": iso(params["as_of"]),
        "filters": filters_given(filters),
        "missing_inputs": missing_inputs(con),
        "company": company(answers),
        "candidate": candidate(answers),
    }
    if with_recruiters:
        figures["recruiters"] = recruiters(ask("first_response", "recruiter"),
                                           ask("rejection_notices", "recruiter"))
    return figures


def company(answers: dict[str, pd.DataFrame]) -> dict:
    """The company's figures, from those of its questions that were asked."""
    return side_figures("company", answers)


def candidate(answers: dict[str, pd.DataFrame]) -> dict:
    """The candidates' figures, from those of their questions that were asked."""
    return side_figures("candidate", answers)


def side_figures(side: str, answers: dict[str, pd.DataFrame]) -> dict:
    """Each figure of the catalogue on this side whose question was asked, in its order,
    rounded as the report's contract says."""
    totals = {name: overall(answers[name]) for name in dict.fromkeys(  # each read once
        f.question for f in catalogue.side(side) if f.question in answers and f.kind != "by_row")}
    return {f.key: by_row(f, answers[f.question]) if f.kind == "by_row" else one(f, totals[f.question])
            for f in catalogue.side(side) if f.question in answers}


def one(figure: Figure, row: dict):
    """A figure from its question's total row (or a group's row)."""
    if figure.kind == "parts":
        return {p: count(row, figure.column.format(p)) for p in figure.parts}
    return {"rate": rate, "hours": hours, "count": count}[figure.kind](row, figure.column)


def by_row(figure: Figure, frame: pd.DataFrame) -> dict:
    """A figure answered one row per part: a rate per notice kind, a count per reason."""
    if not figure.parts:  # its parts are the rows themselves (decline reasons)
        return dict(zip(frame[figure.row_key], map(int, frame[figure.column])))
    rows = frame.set_index(figure.row_key)
    return {p: rate(rows.loc[p].to_dict() if p in rows.index else {}, figure.column)
            for p in figure.parts}


def recruiters(first: pd.DataFrame, notices: pd.DataFrame) -> list[dict]:
    """One row per recruiter with an application or a rejected interviewee in the cohort,
    by recruiter_id, Unassigned last."""
    first, notices = first.set_index("group_key"), notices.set_index("group_key")
    keys = sorted(set(first.index) | set(notices.index), key=lambda k: (k == "", k))
    rows = []
    for key in keys:
        f = first.loc[key].to_dict() if key in first.index else {}
        n = notices.loc[key].to_dict() if key in notices.index else {}
        if not (count(f, "applications") or count(n, "rejections_interviewed")):
            continue
        group = {"first_response": f, "rejection_notices": n}
        rows.append({
            "recruiter_id": key or None,
            "name": "Unassigned" if key == "" else (f.get("label") or n.get("label")),
        } | {k: one(fig, group[fig.question])
             for k, fig in ((k, catalogue.figure("company", k)) for k in catalogue.RECRUITER)})
    return rows


def overall(frame: pd.DataFrame) -> dict:
    """The single row of an ungrouped question; {} when its cohort is empty."""
    return frame.iloc[0].to_dict() if len(frame) else {}


def value(row: dict, key: str) -> float | None:
    v = row.get(key)
    return None if v is None or pd.isna(v) else float(v)


def rate(row: dict, key: str) -> float | None:
    v = value(row, key)
    return None if v is None else round(v, 4)


def hours(row: dict, key: str) -> float | None:
    v = value(row, key)
    return None if v is None else round(v, 2)


def count(row: dict, key: str) -> int:
    v = value(row, key)
    return 0 if v is None or math.isnan(v) else int(v)


def iso(moment: datetime | None) -> str | None:
    if moment is None or pd.isna(moment):
        return None
    return pd.Timestamp(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def filters_given(filters: Filters) -> dict:
    return {
        "from": filters.date_from.isoformat() if filters.date_from else None,
        "to": filters.date_to.isoformat() if filters.date_to else None,
        "department": filters.department, "recruiter": filters.recruiter,
        "job": filters.job, "source": filters.source,
        "as_of": iso(filters.as_of),
        "notice_sla_days": filters.notice_sla_days,
        "answer_window_days": filters.answer_window_days,
    }
