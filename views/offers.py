"""Offers: how candidates answer them: accept, decline, go silent, renege; and how fast."""

from typing import Any

import streamlit as st

from app import drill, exports, figures, scorecard, state, tables
from app.figures import Series
from queries import benchmarks

REPORT = ("offers", "decline_reasons")  # the tiles' and the decline charts' questions

filters = state.current_filters()
state.prefetch([("offers", "month"), ("response_time_distribution", None), ("offers_past_deadline", None)],
               REPORT)
report, refs = state.report(REPORT), state.references()
sizes = scorecard.sample_sizes(state.answers(scorecard.sized(REPORT)))
candidate = report["candidate"]
by_key = {t.key: t for t in scorecard.CANDIDATE + scorecard.OFFERS}

st.title("Offers")
st.caption("Each application's latest offer, by the day it was sent. Decided = accepted, "
           "declined, expired or reneged; rescinded offers count in no rate.")
keys = ["offers", "acceptance_rate", "decline_rate", "silent_offer_rate", "renege_rate",
        "offers_past_deadline"]
scorecard.grid([scorecard.view(by_key[k], report, sizes, refs=refs) for k in keys], per_row=3)
drill.section([by_key[k] for k in keys] + [by_key["decline_call_share"]], "offers",
              groups={**{("decline_reason", r): f"Reason: {r}" for r in candidate["decline_reasons"]},
                      **{("decline_channel", c): f"Declined by: {c.capitalize()}"
                         for c in candidate["decline_channels"]}})

monthly, grain, decided_n = state.trend("offers", ["offers_decided"], finest="month")
monthly["renege_n"] = monthly["accepted"] + monthly["reneged"]
outcome: dict[str, dict[str, Any]] = {k: {"color": c, "symbol": m, "dash": d}
                                      for k, (c, m, d) in figures.OUTCOMES.items()}
rate_refs = benchmarks.direct(refs, "acceptance_rate") + benchmarks.direct(refs, "decline_rate")
st.plotly_chart(figures.trend(monthly, [
    Series("acceptance_rate", "offers_decided", "Accepted", "candidate", **outcome["accepted"]),
    Series("decline_rate", "offers_decided", "Declined", "candidate", **outcome["declined"]),
    Series("silent_offer_rate", "offers_decided", "Left to expire", "candidate", **outcome["expired"]),
    Series("renege_rate", "renege_n", "Reneged", "candidate", **outcome["reneged"]),
], f"How candidates answered offers, by {grain} sent", "%", rate_refs,
    x_title=figures.GRAIN_WORDS[grain], target=benchmarks.target_for(refs, "candidate", "acceptance_rate")),
    key="offers_trend")
st.caption(figures.grain_caption(grain, decided_n, state.period_days(filters)))

left, right = st.columns(2)
with left:
    st.plotly_chart(figures.counts(candidate["decline_reasons"], "Why candidates declined "
                                   "(declines that gave a reason)", "Declines", "candidate"),
                    key="offers_reasons")
with right:
    channels = {k.capitalize(): v for k, v in candidate["decline_channels"].items()}
    st.plotly_chart(figures.counts(channels, "How candidates declined (call = phone, video, in "
                                   "person)", "Declines", "candidate", neutral=("Unknown",)),
                    key="offers_channels")

left, right = st.columns([2, 1])
with left:
    st.plotly_chart(figures.distribution(state.question("response_time_distribution"), {
        "offer_accept": ("Accepts", "candidate", 0), "offer_decline": ("Declines", "candidate", 1)},
        "Time to answer an offer: accepts and declines"), key="offers_answer_time")
with right:
    for key in ("accept_hours_median", "decline_hours_median"):
        scorecard.render(scorecard.view(by_key[key], report, sizes, refs=refs))

st.subheader("Offers past their deadline")
late = state.question("offers_past_deadline")
if late.empty:
    st.success("No offer is waiting past its deadline.", icon=":material/check_circle:")
else:
    late = tables.late_offers(late)
    st.dataframe(late.frame, hide_index=True, key="offers_late_table", column_config=late.config())
    exports.buttons(late.frame, "offers-past-deadline", "offers_late", late.kinds,
                    audited="offers past their deadline")
scorecard.footnotes(refs, ["acceptance_rate", "decline_rate", "renege_rate", "answer_hours_median",
                           "accept_hours_median", "decline_hours_median"])
