"""Overview: both sides of the relationship side by side, against the previous period."""

import streamlit as st

from app import calls, drill, figures, scorecard, state
from app import format as fmt
from app.figures import Series
from queries import benchmarks, catalogue

REPORT = ("first_response", "rejection_notices", "reply_times", "offers", "no_shows")  # the tiles'

filters = state.current_filters()
previous = filters.previous()
grain = state.trend_grain(filters)
state.prefetch([(name, grain) for name in scorecard.TREND_QUESTIONS], REPORT, previous=previous is not None)
report = state.report(REPORT, filters)
before = state.report(REPORT, filters, period="previous") if previous else None
sizes = scorecard.sample_sizes(state.answers(scorecard.sized(REPORT), filters))
sizes_before = scorecard.sample_sizes(state.answers(scorecard.sized(REPORT), filters, "previous")) if previous else None
refs = state.references()
since = state.previous_label(filters)

st.title("Overview")
c = report["company"]
st.caption(f"{fmt.period(filters.date_from, filters.date_to)} · compared with {since} · "
           f"{c['applications']:,} applications, {c['rejections']:,} rejections, "
           f"{report['candidate']['offers']:,} offers")
if report["missing_inputs"]:
    st.warning("Unknown for lack of data: " + ", ".join(report["missing_inputs"])
               + ". The figures that need them show “Unknown” (see the Data page).",
               icon=":material/help:")

tiles = scorecard.COMPANY + scorecard.CANDIDATE
trends = {name: frame for name, (frame, _, _) in state.trends([
    (name, sorted({f.n[0] for f in tiles if f.trend and f.question == name}))
    for name in scorecard.TREND_QUESTIONS]).items()}
views = {t: scorecard.view(t, report, sizes, before, sizes_before, refs,
                           spark=scorecard.spark(t, trends.get(t.question))) for t in tiles}
left, right = st.columns(2, gap="large")
for column, side, title in ((left, scorecard.COMPANY, ":blue[How we treat candidates]"),
                            (right, scorecard.CANDIDATE, ":orange[How candidates treat us]")):
    with column:
        st.subheader(title)
        scorecard.grid([views[t] for t in side])
        if side is scorecard.COMPANY:
            calls.call_list_link(c["notices_overdue"])
withdrawals = [catalogue.figure("candidate", k) for k in ("withdrawals", "withdrawal_notice_share")]
drill.section([*tiles, *withdrawals], "overview")  # withdrawals have no tile: their list is here
st.markdown("**" + scorecard.biggest_change(tiles, [views[t] for t in tiles], report, before,
                                            since) + "**")

left, right = st.columns(2)
with left:
    replies, reply_grain, reply_n = state.trend("reply_times", ["company_reply_n", "candidate_reply_n"])
    st.plotly_chart(figures.trend(replies, [
        Series("company_reply_hours_median", "company_reply_n", "Our reply time", "company"),
        Series("candidate_reply_hours_median", "candidate_reply_n", "Their reply time", "candidate"),
    ], "Reply time in a conversation, both ways", "time", x_title=figures.GRAIN_WORDS[reply_grain]),
        key="overview_replies")
    st.caption(figures.grain_caption(reply_grain, reply_n, state.period_days(filters)))
with right:
    notices, notice_grain, notice_n = state.trend("rejection_notices", ["rejections_interviewed"])
    st.plotly_chart(figures.trend(notices, [
        Series("notice_coverage", "rejections_interviewed", "Told", "company"),
        Series("notice_call_share", "rejections_interviewed", "Told by a call", "company", 1, "dash"),
    ], "Rejected interviewees told", "%", benchmarks.direct(refs, "notice_call_share"),
        x_title=figures.GRAIN_WORDS[notice_grain],
        target=benchmarks.target_for(refs, "company", "notice_coverage")), key="overview_notices")
    st.caption(figures.grain_caption(notice_grain, notice_n, state.period_days(filters)))
st.caption(f"Figures over fewer than {fmt.MIN_N} cases show “—” and are left out of the lines "
           "(a hollow grey mark on the axis says their n); each point says its n.")
