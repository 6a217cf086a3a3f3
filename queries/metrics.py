"""The report of docs/metrics.md, assembled from the questions in queries/sql/: a dict with
"as_of", "filters", "missing_inputs", "company", "candidate" and (optionally) "recruiters".

Rates are fractions rounded to 4 places, hours rounded to 2, counts integers, null where
undefined (a rate over nothing, or a figure whose input the data does not hold).
"""

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from queries.runner import Filters, missing_inputs

NOTICE_KINDS = ("call", "personal_email", "automated", "none")


HEADLINE = ("first_response", "rejection_notices", "reply_times", "offers", "no_shows", "withdrawals")
# every question the report's figures come from, and those of its per-recruiter table
QUESTIONS = HEADLINE + ("reapplication_by_notice", "decline_reasons")
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
    figures: dict[str, Any] = {}
    if "first_response" in answers:
        first = overall(answers["first_response"])
        figures |= {
            "applications": count(first, "applications"),
            "first_response_hours_median": hours(first, "first_response_hours_median"),
            "responded_within_14d_rate": rate(first, "responded_within_14d_rate"),
            "responded_within_14d_n": count(first, "responded_within_14d_n"),
        }
    if "reply_times" in answers:
        replies = overall(answers["reply_times"])
        figures |= {"reply_hours_median": hours(replies, "company_reply_hours_median"),
                    "reply_n": count(replies, "company_reply_n")}
    if "rejection_notices" in answers:
        notices = overall(answers["rejection_notices"])
        figures |= {
            "rejections": count(notices, "rejections"),
            "rejections_interviewed": count(notices, "rejections_interviewed"),
            "notice_coverage": rate(notices, "notice_coverage"),
            "notice_call_share": rate(notices, "notice_call_share"),
            "notice_coverage_all": rate(notices, "notice_coverage_all"),
            "notice_mix": {k: count(notices, f"mix_{k}") for k in NOTICE_KINDS},
            "notice_lag_hours_median": hours(notices, "notice_lag_hours_median"),
            "notices_overdue": count(notices, "notices_overdue"),
            "notices_pending": count(notices, "notices_pending"),
        }
    if "reapplication_by_notice" in answers:
        reapply = answers["reapplication_by_notice"].set_index("notice_kind")
        figures["reapply_rate_by_notice"] = {
            k: rate(reapply.loc[k].to_dict() if k in reapply.index else {}, "reapply_rate")
            for k in NOTICE_KINDS}
    return figures


def candidate(answers: dict[str, pd.DataFrame]) -> dict:
    """The candidates' figures, from those of their questions that were asked."""
    figures: dict[str, Any] = {}
    if "offers" in answers:
        offers = overall(answers["offers"])
        figures |= {
            "offers": count(offers, "offers"),
            "offers_decided": count(offers, "offers_decided"),
            "acceptance_rate": rate(offers, "acceptance_rate"),
            "decline_rate": rate(offers, "decline_rate"),
            "silent_offer_rate": rate(offers, "silent_offer_rate"),
            "renege_rate": rate(offers, "renege_rate"),
            "answer_hours_median": hours(offers, "answer_hours_median"),
            "accept_hours_median": hours(offers, "accept_hours_median"),
            "decline_hours_median": hours(offers, "decline_hours_median"),
            "offers_past_deadline": count(offers, "offers_past_deadline"),
            "decline_channels": {k: count(offers, f"decline_channel_{k}")
                                 for k in ("call", "written", "unknown")},
            "decline_call_share": rate(offers, "decline_call_share"),
        }
    if "decline_reasons" in answers:
        reasons = answers["decline_reasons"]
        figures["decline_reasons"] = dict(zip(reasons["decline_reason"], map(int, reasons["declines"])))
    if "reply_times" in answers:
        replies = overall(answers["reply_times"])
        figures |= {"reply_hours_median": hours(replies, "candidate_reply_hours_median"),
                    "reply_n": count(replies, "candidate_reply_n")}
    if "no_shows" in answers:
        interviews = overall(answers["no_shows"])
        figures |= {"interviews_due": count(interviews, "interviews_due"),
                    "no_show_rate": rate(interviews, "no_show_rate")}
    if "withdrawals" in answers:
        withdrawals = overall(answers["withdrawals"])
        figures |= {"withdrawals": count(withdrawals, "withdrawals"),
                    "withdrawal_notice_share": rate(withdrawals, "withdrawal_notice_share")}
    return figures


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
        rows.append({
            "recruiter_id": key or None,
            "name": "Unassigned" if key == "" else (f.get("label") or n.get("label")),
            "applications": count(f, "applications"),
            "rejections_interviewed": count(n, "rejections_interviewed"),
            "notice_coverage": rate(n, "notice_coverage"),
            "notice_call_share": rate(n, "notice_call_share"),
            "notice_lag_hours_median": hours(n, "notice_lag_hours_median"),
            "notices_overdue": count(n, "notices_overdue"),
            "notices_pending": count(n, "notices_pending"),
            "first_response_hours_median": hours(f, "first_response_hours_median"),
        })
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
