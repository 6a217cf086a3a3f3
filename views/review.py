"""Monthly review: the headline figures against the previous period or the same period last
year, month by month over the last 12 months, per recruiter or department, with targets."""

import streamlit as st

from app import address, drill, exports, figures, people, review, scorecard, state, targets
from app import format as fmt
from app.figures import Series
from queries import benchmarks, catalogue

REPORT = ("first_response", "rejection_notices", "reply_times", "offers", "no_shows")
VS = {"previous": "Previous period", "last_year": "Same period last year"}
BY = {"recruiter": "Recruiter", "department": "Department"}
TILES = scorecard.COMPANY + scorecard.CANDIDATE

filters = state.current_filters()
address.resolve("review_vs", VS, "Compare with")
address.resolve("review_by", BY, "Per")
vs = st.session_state.setdefault("review_vs", "previous")
by = st.session_state.setdefault("review_by", "recruiter")
other = filters.previous() if vs == "previous" else review.last_year(filters)
year = filters.last_months()
trendable = {f"{t.side}.{t.key}": t for t in TILES if t.trend}
drawn = trendable.get(st.session_state.get("review_figure", ""), next(iter(trendable.values())))
# every question of the page at once: the tiles' periods, the twelve months, the chart's groups
state.prefetch([], REPORT, previous=vs == "previous" and other is not None)
# (the twelve months' breakdowns without their totals, which the page never shows)
state.prefetch_over(year, [(q, "month") for q in dict.fromkeys(t.question for t in TILES)]
                    + [(drawn.question, f"{by}/month")], groups_only=True)
report, refs = state.report(REPORT, filters), state.references()
sizes = scorecard.sample_sizes(state.answers(scorecard.sized(REPORT), filters))
before = sizes_before = None
if other is not None:
    period = "previous" if vs == "previous" else "current"
    chosen = filters if vs == "previous" else other
    before = state.report(REPORT, chosen, period=period)
    sizes_before = scorecard.sample_sizes(state.answers(scorecard.sized(REPORT), chosen, period))

st.title("Monthly review")
st.segmented_control("Compare with", list(VS), format_func=VS.__getitem__, required=True,
                     key="review_vs", bind="query-params")
since = "the same period last year" if vs == "last_year" else state.previous_label(filters)
st.caption(f"{fmt.period(filters.date_from, filters.date_to)} · compared with {since}"
           + (f" ({fmt.period(other.date_from, other.date_to)})" if other else ""))
views = [scorecard.view(t, report, sizes, before, sizes_before, refs) for t in TILES]
scorecard.grid(views, per_row=4)
drill.section(list(TILES), "monthly")
st.markdown("**" + scorecard.biggest_change(TILES, views, report, before, since) + "**")

st.subheader("Month by month")
months = figures.buckets("month", year.date_from, year.date_to)
table = review.months_table({q: state.question(q, year, group_by="month")
                             for q in dict.fromkeys(t.question for t in TILES)}, TILES, months)
st.caption(f"The last 12 months ({fmt.period(year.date_from, year.date_to)}), by each figure's "
           f"own date; a month with fewer than {fmt.MIN_N} cases shows “—” and its n.")
st.dataframe(table.frame, hide_index=True, key="review_months", column_config=table.config(),
             placeholder=fmt.DASH)
exports.buttons(table.frame, "monthly-review", "review_months", table.kinds)

st.subheader("Per recruiter or department")
left, right = st.columns([2, 1])
metric = left.selectbox("Figure", list(trendable), key="review_figure",
                        format_func=lambda k: trendable[k].label)
right.segmented_control("Per", list(BY), format_func=BY.__getitem__, required=True, key="review_by",
                        bind="query-params")
figure = trendable[metric]
column_n = figure.n[0]
# every group's months in one question ('recruiter/month': keys like 'u101/2025-05'); the
# groups with the most cases over the year are drawn
cells = state.question(figure.question, year, group_by=f"{by}/month")
wide, names = review.group_months(cells, figure.column, column_n, months, len(figures.GROUPS))
series = [Series(f"v{i}", f"n{i}", name, figure.side, color=figures.GROUPS[i])
          for i, name in enumerate(names)]
target = benchmarks.target_for(refs, figure.side, figure.key)
st.plotly_chart(figures.trend(wide, series, f"{figure.label}, by month and {by}",
                              "%" if figure.kind == "rate" else "time", x_title="Month",
                              target=target), key="review_groups")
if not series:
    st.caption(f"No {by} has cases for this figure in the last 12 months.")

st.subheader("Targets")
try:
    current = targets.load() if targets.path().exists() else {}
except targets.TargetsError as e:
    st.warning(f"The targets set in the app cannot be read: {e}", icon=":material/warning:")
    current = {}
if current:
    st.caption("Set in the app: " + "; ".join(
        f"{found.label if (found := catalogue.find(k)) else k} {r.target_text}" for k, r in
        zip(current, targets.references(current))))
if people.may_set_targets():
    with st.form("review_targets", border=True):
        offered = {f"{t.side}.{t.key}": t for t in TILES}
        metric = st.selectbox("Figure", list(offered), key="target_figure",
                              format_func=lambda k: offered[k].label)
        value = st.number_input("Target (a rate in %, a time in hours; 0 removes it)",
                                min_value=0.0, max_value=10000.0, step=1.0, key="target_value")
        if st.form_submit_button("Save the target", icon=":material/flag:"):
            kind = offered[metric].kind
            updated = {k: v for k, v in current.items() if k != metric}
            if value > 0:
                updated[metric] = value / 100 if kind == "rate" else value
            targets.save(updated)
            st.rerun()
else:
    st.caption("Targets are set by an admin.")
