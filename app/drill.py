"""From a figure to the applications behind it: a figure (and a group, for a bar) chosen under
the tiles opens the applications it counts, as far as the viewer may see them, with a download.

    drill.section([figure("company", "notice_coverage"), ...], key="loop")
"""

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from app import exports, people, state
from queries.catalogue import Figure

# The rows a figure counts, of its question's people_<question> list
ROWS = {
    "notice_coverage": lambda f: f[f["interviewed"]],
    "notice_call_share": lambda f: f[f["interviewed"]],
    "notice_lag_hours_median": lambda f: f[f["interviewed"] & f["notice_lag_days"].notna()],
    "notices_overdue": lambda f: f[f["still_to_tell"] == "Overdue"],
    "notices_pending": lambda f: f[f["still_to_tell"] == "Within SLA"],
    "acceptance_rate": lambda f: f[f["outcome"].isin(["accepted", "declined", "expired", "reneged"])],
    "decline_rate": lambda f: f[f["outcome"].isin(["accepted", "declined", "expired", "reneged"])],
    "silent_offer_rate": lambda f: f[f["outcome"].isin(["accepted", "declined", "expired", "reneged"])],
    "renege_rate": lambda f: f[f["outcome"].isin(["accepted", "reneged"])],
    "decline_call_share": lambda f: f[f["decline_channel"].isin(["call", "written"])],
    "offers_past_deadline": lambda f: f[f["outcome"] == "pending"],
    "first_response_hours_median": lambda f: f[f["first_response_days"].notna()],
    "responded_within_14d_rate": lambda f: f[f["due_14d"].fillna(False)],
    "responded_within_14d_n": lambda f: f[f["due_14d"].fillna(False)],
    ("company", "reply_hours_median"): lambda f: f[f["answered_by"] == "Us"],
    ("company", "reply_n"): lambda f: f[f["answered_by"] == "Us"],
    ("candidate", "reply_hours_median"): lambda f: f[f["answered_by"] == "Candidate"],
    ("candidate", "reply_n"): lambda f: f[f["answered_by"] == "Candidate"],
    "withdrawal_notice_share": lambda f: f[f["told_us"].notna()],
}
# What a row of a list is, where not an application
UNITS = {"reply_times": ("conversation turn", "conversation turns"), "no_shows": ("interview", "interviews")}
QUESTIONS = ("first_response", "rejection_notices", "offers", "reply_times", "no_shows", "withdrawals")
KINDS = {"rejected_on": "date", "sent_on": "date", "applied_on": "date", "notice_lag_days": "days",
         "answer_days": "days", "first_response_days": "days", "turn_started_on": "date",
         "reply_days": "days", "scheduled_on": "date", "withdrawn_on": "date"}
HEADERS = {"application_id": "Application", "candidate": "Candidate", "job": "Job",
           "department": "Department", "recruiter": "Recruiter", "source": "Source",
           "rejected_on": "Rejected on", "interviewed": "Interviewed", "told": "Told",
           "notice_lag_days": "Notice lag (days)", "still_to_tell": "Still to tell",
           "sent_on": "Sent on", "outcome": "Outcome", "answer_days": "Answer time (days)",
           "decline_channel": "Declined by", "decline_reason": "Reason",
           "applied_on": "Applied on", "first_response_days": "First response (days)",
           "status": "Status", "turn_started_on": "Turn started on", "answered_by": "Answered by",
           "reply_days": "Reply time (days)", "scheduled_on": "Interview on",
           "interview_kind": "Interview", "attended": "Attended", "withdrawn_on": "Withdrawn on",
           "told_us": "Told us"}


def counted(figure: Figure) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """The filter of a figure's people_ list to the rows it counts (by side where the same key
    names a figure on each side; every row where none is named)."""
    return ROWS.get((figure.side, figure.key), ROWS.get(figure.key, lambda f: f))


def rows(figure: Figure, frame: pd.DataFrame, scope: people.Scope, group: str | tuple | None = None,
         by: str | None = None) -> pd.DataFrame:
    """The applications a figure counts, that the viewer may see, in a group (by: the column
    of a bar's groups: recruiter_id or department; or a group (column, value) of a chart of its
    own, as the Offers page's decline reasons and channels); candidate names only for those who
    see everyone or their own recruiter's applications."""
    frame = counted(figure)(frame)
    if isinstance(group, tuple):
        by, group = group
    if by is not None and group is not None:
        frame = frame[frame[by].fillna("") == group]
    frame = scope.keep(frame)
    return frame.drop(columns=["recruiter_id", "due_14d"], errors="ignore").rename(columns=HEADERS) \
        .reset_index(drop=True)


def section(figures: list[Figure], key: str, by: str | None = None,
            groups: dict | None = None) -> None:
    """An expander under a page's tiles: choose a figure (and a bar's group) to list the
    applications it counts, with .xlsx and CSV downloads."""
    offered = [f for f in figures if f.question in QUESTIONS]
    scope = people.scope()
    if not offered or not scope.anyone:
        return
    if not st.toggle("Show the applications behind a figure", key=f"{key}_drill"):
        return
    with st.container(border=True):
        labels = {option(f, offered): f.label for f in offered}
        chosen = st.selectbox("Figure", list(labels), format_func=labels.__getitem__, key=f"{key}_figure")
        group = None
        if groups:
            group = st.selectbox("Bar", [None, *groups], key=f"{key}_group",
                                 format_func=lambda g: "Every bar" if g is None else groups[g])
        figure = next(f for f in offered if option(f, offered) == chosen)
        shown = rows(figure, state.question(f"people_{figure.question}"), scope, group, by)
        who = "" if scope.everyone else " (your own applications)"
        one, many = UNITS.get(figure.question, ("application", "applications"))
        st.caption(f"{len(shown):,} {one if len(shown) == 1 else many} behind “{figure.label}”{who}.")
        kinds = {HEADERS[c]: k for c, k in KINDS.items() if HEADERS[c] in shown.columns}
        config = {c: st.column_config.DateColumn(format="YYYY-MM-DD") if k == "date"
                  else st.column_config.NumberColumn(format="%.1f") for c, k in kinds.items()}
        st.dataframe(shown, hide_index=True, key=f"{key}_people", column_config=config,
                     placeholder="—")
        exports.buttons(shown, f"{key}-{chosen}-{date.today():%Y-%m-%d}", f"{key}_people", kinds,
                        audited=f"applications behind {figure.label}")


def option(figure: Figure, offered: list[Figure]) -> str:
    """A figure's choice in the select box: its key, or side_key where both sides have it."""
    twice = sum(f.key == figure.key for f in offered) > 1
    return f"{figure.side}_{figure.key}" if twice else figure.key
