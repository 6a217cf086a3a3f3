"""From a figure to the applications behind it: a figure (and a group, for a bar) chosen under
the tiles opens the applications it counts, as far as the viewer may see them, with a download.

    drill.section([figure("company", "notice_coverage"), ...], key="loop")
"""

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
}
QUESTIONS = ("first_response", "rejection_notices", "offers")
KINDS = {"rejected_on": "date", "sent_on": "date", "applied_on": "date", "notice_lag_days": "days",
         "answer_days": "days", "first_response_days": "days"}
HEADERS = {"application_id": "Application", "candidate": "Candidate", "job": "Job",
           "department": "Department", "recruiter": "Recruiter", "source": "Source",
           "rejected_on": "Rejected on", "interviewed": "Interviewed", "told": "Told",
           "notice_lag_days": "Notice lag (days)", "still_to_tell": "Still to tell",
           "sent_on": "Sent on", "outcome": "Outcome", "answer_days": "Answer time (days)",
           "decline_channel": "Declined by", "decline_reason": "Reason",
           "applied_on": "Applied on", "first_response_days": "First response (days)",
           "status": "Status"}


def rows(figure: Figure, frame: pd.DataFrame, scope: people.Scope, group: str | None = None,
         by: str | None = None) -> pd.DataFrame:
    """The applications a figure counts, that the viewer may see, in a group (by: the column
    of a bar's groups: recruiter_id or department); candidate names only for those who see
    everyone or their own recruiter's applications."""
    frame = ROWS.get(figure.key, lambda f: f)(frame)
    if by is not None and group is not None:
        frame = frame[frame[by].fillna("") == group]
    frame = scope.keep(frame)
    return frame.drop(columns=["recruiter_id"]).rename(columns=HEADERS).reset_index(drop=True)


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
        labels = {f.key: f.label for f in offered}
        chosen = st.selectbox("Figure", list(labels), format_func=labels.__getitem__, key=f"{key}_figure")
        group = None
        if groups:
            group = st.selectbox("Bar", [None, *groups], key=f"{key}_group",
                                 format_func=lambda g: "Every bar" if g is None else groups[g])
        figure = next(f for f in offered if f.key == chosen)
        shown = rows(figure, state.question(f"people_{figure.question}"), scope, group, by)
        who = "" if scope.everyone else " (your own applications)"
        st.caption(f"{len(shown):,} application{'s' if len(shown) != 1 else ''} behind "
                   f"“{figure.label}”{who}.")
        kinds = {HEADERS[c]: k for c, k in KINDS.items() if HEADERS[c] in shown.columns}
        config = {c: st.column_config.DateColumn(format="YYYY-MM-DD") if k == "date"
                  else st.column_config.NumberColumn(format="%.1f") for c, k in kinds.items()}
        st.dataframe(shown, hide_index=True, key=f"{key}_people", column_config=config,
                     placeholder="—")
        exports.buttons(shown, f"{key}-{chosen}-{date.today():%Y-%m-%d}", f"{key}_people", kinds,
                        audited=f"applications behind {figure.label}")
