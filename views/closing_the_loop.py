"""Closing the loop: are rejected candidates told, how, and how fast?"""

import streamlit as st

from app import address, calls, drill, figures, scorecard, state
from app.figures import Series
from queries import benchmarks

STAGES = ["applied", "screen", "interview", "offer", "hired"]
REPORT = ("rejection_notices",)  # the tiles' question

BY = {"recruiter": "Recruiter", "department": "Department"}

filters = state.current_filters()
address.resolve("loop_by", BY, "Coverage by")
by = st.session_state.setdefault("loop_by", "recruiter")
state.prefetch([("rejection_notices", "furthest_stage"), ("response_time_distribution", None),
                ("reapplication_by_notice", None), ("rejection_notices", by),
                ("rejection_notices", state.trend_grain(filters))], REPORT)
report, refs = state.report(REPORT), state.references()
sizes = scorecard.sample_sizes(state.answers(scorecard.sized(REPORT)))
call_refs = benchmarks.direct(refs, "notice_call_share")
company = report["company"]

st.title("Closing the loop")
st.caption("Rejected interviewees: candidates turned down after an interview. Told = any "
           "rejection notice; a call = by phone, video or in person, by a person.")
tiles = scorecard.COMPANY[3:6] + scorecard.LOOP
bars = state.question("rejection_notices", group_by=by)
bars = {k: (label if isinstance(label, str) else k) or "Unassigned"
        for k, label in bars[["group_key", "label"]].itertuples(index=False)}
for i, column in enumerate(st.columns(3) + st.columns(3)):
    with column:
        scorecard.render(scorecard.view(tiles[i], report, sizes, refs=refs))
calls.call_list_link(company["notices_overdue"])

drill.section(tiles, "loop", by={"recruiter": "recruiter_id"}.get(by, by), groups=bars)

left, right = st.columns(2)
with left:
    st.plotly_chart(figures.channel_mix(company["notice_mix"], refs), key="loop_mix")
with right:
    stages = state.question("rejection_notices", group_by="furthest_stage")
    stages = stages.assign(order=stages["group_key"].map(STAGES.index)).sort_values("order")
    stages["label"] = stages["group_key"].str.capitalize()
    st.plotly_chart(figures.bars_by(stages, [
        Series("notice_coverage_all", "rejections", "Told (all rejections)", "company"),
    ], "Told, by the furthest stage reached", "Furthest stage", unit="%", sort=False), key="loop_stage")

left, right = st.columns(2)
with left:
    lags = state.question("response_time_distribution")
    st.plotly_chart(figures.distribution(lags, {"notice_lag": ("Notice lag", "company", 0)},
                                         "From rejection to notice"), key="loop_lag")
with right:
    st.plotly_chart(figures.reapplication(state.question("reapplication_by_notice")),
                    key="loop_reapply")

by = st.segmented_control("Coverage by", list(BY), format_func=BY.__getitem__, required=True,
                          key="loop_by", bind="query-params")
groups = state.question("rejection_notices", group_by=by)
groups = groups[groups["rejections_interviewed"] > 0]
st.plotly_chart(figures.bars_by(groups, [
    Series("notice_coverage", "rejections_interviewed", "Told", "company"),
    Series("notice_call_share", "rejections_interviewed", "Told by a call", "company", 1),
], f"Rejected interviewees told, by {by}", str(by).capitalize(), unit="%", references=call_refs),
    key="loop_by_group")

over_time, grain, told_n = state.trend("rejection_notices", ["rejections_interviewed"])
st.plotly_chart(figures.trend(over_time, [
    Series("notice_coverage", "rejections_interviewed", "Told", "company"),
    Series("notice_call_share", "rejections_interviewed", "Told by a call", "company", 1, "dash"),
], "Rejected interviewees told, over time", "%", call_refs, x_title=figures.GRAIN_WORDS[grain],
    target=benchmarks.target_for(refs, "company", "notice_coverage")), key="loop_trend")
st.caption(figures.grain_caption(grain, told_n, state.period_days(filters)))
st.caption("Bars and points over fewer than 5 rejected interviewees are left out and say their n. "
           "Re-application counts another application by the same candidate after the rejection.")
scorecard.footnotes(refs, ["notice_coverage", "notice_call_share", "notice_mix.call",
                           "notice_mix.personal_email", "notice_mix.automated", "notice_mix.none"])
