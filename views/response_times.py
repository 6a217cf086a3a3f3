"""Response times: how long each side waits for the other, on one scale and one definition."""

import pandas as pd
import streamlit as st

from app import address, drill, figures, scorecard, state
from app.figures import Series

MEASURES = {"first_response": ("Our first response", "company", 0),
            "company_reply": ("Our reply time", "company", 1),
            "candidate_reply": ("Their reply time", "candidate", 0),
            "offer_answer": ("Their offer answer time", "candidate", 1)}
REPORT = ("first_response", "reply_times", "offers")  # the tiles' questions
SLA = {1: "1 hour", 4: "4 hours", 24: "1 day", 72: "3 days", 168: "7 days", 336: "14 days",
       720: "30 days"}

BY = {"department": "Department", "recruiter": "Recruiter", "source": "Source"}

filters = state.current_filters()
address.resolve("rt_by", BY, "Break down by")
address.resolve("sla_hours", SLA, "Service level")
by = st.session_state.setdefault("rt_by", "department")
st.session_state.setdefault("sla_hours", 72)
state.prefetch([("response_time_distribution", None), ("first_response", by), ("reply_times", by)], REPORT)
report, refs = state.report(REPORT), state.references()
sizes = scorecard.sample_sizes(state.answers(scorecard.sized(REPORT)))

st.title("Response times")
st.caption("Both sides measured the same way: a reply is the start of the other side's next "
           "turn in the conversation; offer answers run from the offer to the answer.")
tiles = [scorecard.COMPANY[0], scorecard.COMPANY[2], scorecard.CANDIDATE[1], scorecard.CANDIDATE[0]]
for column, tile in zip(st.columns(4), tiles):
    with column:
        scorecard.render(scorecard.view(tile, report, sizes, refs=refs))
bars = state.question("first_response", group_by=by)
bars = {k: (label if isinstance(label, str) else k) or "Unassigned"
        for k, label in bars[["group_key", "label"]].itertuples(index=False)}
drill.section(tiles, "rt", by={"recruiter": "recruiter_id"}.get(by, by), groups=bars)

dist = state.question("response_time_distribution")
answers = dist[dist["measure"].isin(["offer_accept", "offer_decline"])]
answers = answers.groupby(["bucket", "label"], as_index=False)["n"].sum().assign(measure="offer_answer")
dist = pd.concat([dist, answers], ignore_index=True)
st.plotly_chart(figures.distribution(dist, MEASURES, "How long each side waits for the other"),
                key="rt_distribution")

sla = st.select_slider("Service level", options=list(SLA), format_func=SLA.get,
                       key="sla_hours", bind="query-params",
                       help="The share of each kind of wait that ended within this time.")
st.plotly_chart(figures.within_sla(dist, MEASURES, sla, f"Answered within {SLA[sla]}"),
                key="rt_within_sla")

by = st.segmented_control("Break down by", list(BY), format_func=BY.__getitem__, required=True,
                          key="rt_by", bind="query-params")
first = state.question("first_response", group_by=by)
replies = state.question("reply_times", group_by=by).drop(columns="label")
frame = first.merge(replies, on="group_key", how="outer").sort_values("group_key")
st.plotly_chart(figures.bars_by(frame, [
    Series("first_response_hours_median", "first_response_n", "Our first response", "company"),
    Series("company_reply_hours_median", "company_reply_n", "Our reply time", "company", 1),
    Series("candidate_reply_hours_median", "candidate_reply_n", "Their reply time", "candidate"),
], f"Medians by {by}", str(by).capitalize()), key="rt_breakdown")
st.caption("A bar over fewer than 5 cases is left out and says its n. Offer answers are too "
           "few per group to break down (see the Offers page); their spread above counts accepts "
           "and declines, their median also reneges.")
scorecard.footnotes(refs, ["responded_within_14d_rate", "answer_hours_median",
                           "accept_hours_median", "decline_hours_median"])
