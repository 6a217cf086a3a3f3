"""Tiles: a figure, its change against the previous period, its n, its target and the
published figures it can be compared with. The logic is plain Python (testable); `render`
draws a tile.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import streamlit as st

from app import format as fmt
from app import state
from queries import benchmarks
from queries.benchmarks import Reference

# report key -> the optional input it cannot be computed without
NEEDS = {
    "first_response_hours_median": "communications", "responded_within_14d_rate": "communications",
    "reply_hours_median": "communications", "notice_coverage": "communications",
    "notice_call_share": "communications", "notice_coverage_all": "communications",
    "notice_lag_hours_median": "communications", "withdrawal_notice_share": "communications",
    "acceptance_rate": "offers", "decline_rate": "offers", "silent_offer_rate": "offers",
    "renege_rate": "offers", "answer_hours_median": "offers", "accept_hours_median": "offers",
    "decline_hours_median": "offers", "decline_call_share": "offers", "no_show_rate": "interviews",
}


@dataclass(frozen=True)
class Tile:
    side: str  # company or candidate
    key: str  # the report's key
    label: str
    kind: str  # rate, hours or count
    help: str = ""
    phrase: str = ""  # how a sentence names it: "our median first response"

    @property
    def lower_is_better(self) -> bool:
        return self.kind == "hours" or self.key in benchmarks.AT_MOST


COMPANY = [
    Tile("company", "first_response_hours_median", "First response (median)", "hours",
         "From application to our first personal message (automated acknowledgements aside).",
         phrase="our median first response"),
    Tile("company", "responded_within_14d_rate", "Answered within 14 days", "rate",
         "Applications at least 14 days old that got a first response within 14 days.",
         phrase="the share of applications answered within 14 days"),
    Tile("company", "reply_hours_median", "Our reply time (median)", "hours",
         "How long we take to answer a candidate's message in a conversation.",
         phrase="our median reply time"),
    Tile("company", "notice_coverage", "Rejected interviewees told", "rate",
         "Rejected candidates who had an interview and were told, by any channel.",
         phrase="the share of rejected interviewees told"),
    Tile("company", "notice_call_share", "… told by a call", "rate",
         "Rejected interviewees told by phone, video or in person (not automated).",
         phrase="the share of rejected interviewees told by a call"),
    Tile("company", "notice_lag_hours_median", "Notice lag (median)", "hours",
         "From the rejection to the first notice, for those who were told.",
         phrase="our median notice lag"),
]
LOOP = [
    Tile("company", "notice_coverage_all", "All rejected candidates told", "rate",
         "Every rejection in the period, interviewed or not, that was told by any channel."),
    Tile("company", "notices_overdue", "Still to be told: overdue", "count",
         "Rejected interviewees not told, past the notice SLA: the call list."),
    Tile("company", "notices_pending", "Still to be told: within SLA", "count",
         "Rejected interviewees not told yet, still within the notice SLA."),
]
OFFERS = [
    Tile("candidate", "offers", "Offers sent", "count", "Offers sent in the period (latest version)."),
    Tile("candidate", "decline_rate", "Offers declined", "rate",
         "Declined / offers answered or expired."),
    Tile("candidate", "offers_past_deadline", "Past their deadline", "count",
         "Offers still unanswered after their deadline (or the answer window)."),
    Tile("candidate", "accept_hours_median", "Time to accept (median)", "hours",
         "From the offer to the acceptance (including acceptances later reneged)."),
    Tile("candidate", "decline_hours_median", "Time to decline (median)", "hours",
         "From the offer to the decline."),
]
CANDIDATE = [
    Tile("candidate", "answer_hours_median", "Offer answer time (median)", "hours",
         "From an offer sent to the candidate's answer (accepts, declines, reneges).",
         phrase="candidates' median time to answer an offer"),
    Tile("candidate", "reply_hours_median", "Their reply time (median)", "hours",
         "How long candidates take to answer our message in a conversation.",
         phrase="candidates' median reply time"),
    Tile("candidate", "acceptance_rate", "Offers accepted", "rate",
         "Accepted (including later reneged) / offers answered or expired.",
         phrase="the offer acceptance rate"),
    Tile("candidate", "decline_call_share", "Declines by a call", "rate",
         "Declines given by phone, video or in person / declines with a known channel.",
         phrase="the share of declines given by a call"),
    Tile("candidate", "silent_offer_rate", "Offers left to expire", "rate",
         "Offers the candidate never answered before the deadline / decided offers.",
         phrase="the share of offers left to expire"),
    Tile("candidate", "renege_rate", "Reneged after accepting", "rate",
         "Accepted offers the candidate backed out of.",
         phrase="the renege rate"),
    Tile("candidate", "no_show_rate", "Interview no-shows", "rate",
         "Interviews missed without notice / interviews that were due.",
         phrase="the interview no-show rate"),
]


@dataclass(frozen=True)
class TileView:
    label: str
    value: str
    delta: str | None
    caption: str
    delta_color: Literal["normal", "inverse", "off"] = "normal"
    help: str = ""
    target: str | None = None  # e.g. "≥ 80%"
    missed: bool | None = None  # None: no target, or not enough cases to judge
    references: list[Reference] = field(default_factory=list)
    spark: list[float] | None = None  # the figure over the period's weeks (or months)


# (side, key) -> (question, value column, n column): the figure's trend
TRENDS = {
    ("company", "first_response_hours_median"):
        ("first_response", "first_response_hours_median", "first_response_n"),
    ("company", "responded_within_14d_rate"):
        ("first_response", "responded_within_14d_rate", "responded_within_14d_n"),
    ("company", "reply_hours_median"): ("reply_times", "company_reply_hours_median", "company_reply_n"),
    ("company", "notice_coverage"): ("rejection_notices", "notice_coverage", "rejections_interviewed"),
    ("company", "notice_call_share"):
        ("rejection_notices", "notice_call_share", "rejections_interviewed"),
    ("company", "notice_lag_hours_median"):
        ("rejection_notices", "notice_lag_hours_median", "notice_lag_n"),
    ("candidate", "answer_hours_median"): ("offers", "answer_hours_median", "answer_n"),
    ("candidate", "reply_hours_median"):
        ("reply_times", "candidate_reply_hours_median", "candidate_reply_n"),
    ("candidate", "acceptance_rate"): ("offers", "acceptance_rate", "offers_decided"),
    ("candidate", "silent_offer_rate"): ("offers", "silent_offer_rate", "offers_decided"),
    ("candidate", "no_show_rate"): ("no_shows", "no_show_rate", "interviews_due"),
}
# the questions a page asks for its tiles' trend lines
TREND_QUESTIONS = sorted({name for name, _, _ in TRENDS.values()})


def spark(tile: Tile, grain: str, filters=None) -> list[float] | None:
    """The tile's figure per week or month (NaN where n < MIN_N); None with under 2 points."""
    if (tile.side, tile.key) not in TRENDS:
        return None
    name, column, n_column = TRENDS[(tile.side, tile.key)]
    frame = state.question(name, filters, group_by=grain)
    values = frame[column].astype(float).where(frame[n_column] >= fmt.MIN_N)
    return [float(v) for v in values] if values.notna().sum() >= 2 else None


def usable(value, n: int | None, kind: str) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) \
        and (kind == "count" or (n or 0) >= fmt.MIN_N)


def view(tile: Tile, report: dict, n: dict, previous: dict | None = None,
         previous_n: dict | None = None, refs: Sequence[Reference] = (),
         spark: list[float] | None = None) -> TileView:
    """What a tile shows, from the report of this period (and of the previous one)."""
    now, count = report[tile.side][tile.key], n.get((tile.side, tile.key))
    unknown = NEEDS.get(tile.key) in report["missing_inputs"]
    before = previous[tile.side][tile.key] if previous else None
    count_before = (previous_n or {}).get((tile.side, tile.key))
    delta = None
    if usable(now, count, tile.kind) and usable(before, count_before, tile.kind):
        delta = fmt.change(now, before, tile.kind)
    parts = [f"unknown: no {NEEDS[tile.key]} in the data" if unknown
             else "" if tile.kind == "count" else fmt.n_text(count)]
    if previous and usable(before, count_before, tile.kind):
        parts.append(f"before: {fmt.figure(before, tile.kind)}")
    caption = " · ".join(p for p in parts if p) or tile.help
    target = benchmarks.target_for(list(refs), tile.side, tile.key)
    ok = target.met_by(now) if target and usable(now, count, tile.kind) else None
    return TileView(
        label=tile.label, value="Unknown" if unknown else fmt.figure(now, tile.kind, count),
        delta=delta, caption=caption, help=tile.help,
        delta_color="off" if delta and fmt.is_flat(delta)
        else "inverse" if tile.lower_is_better else "normal",
        target=target.target_text if target else None, missed=None if ok is None else not ok,
        references=[r for r in refs if r.comparable == "direct" and r.matches(tile.side, tile.key)],
        spark=spark)


def sample_sizes(questions: tuple[str, ...], filters=None,
                 period: str = "current") -> dict[tuple[str, str], int]:
    """The n behind each headline figure of the report that the given questions answer."""
    def one(name):
        if name not in questions:
            return {}
        frame = state.question(name, filters, period=period)
        return frame.iloc[0].fillna(0).to_dict() if len(frame) else {}
    first, notices, replies = one("first_response"), one("rejection_notices"), one("reply_times")
    offers, shows, quits = one("offers"), one("no_shows"), one("withdrawals")
    sizes = {
        "first_response_hours_median": first.get("first_response_n"),
        "responded_within_14d_rate": first.get("responded_within_14d_n"),
        "notice_coverage": notices.get("rejections_interviewed"),
        "notice_call_share": notices.get("rejections_interviewed"),
        "notice_coverage_all": notices.get("rejections"),
        "notices_overdue": notices.get("rejections_interviewed"),
        "notices_pending": notices.get("rejections_interviewed"),
        "notice_lag_hours_median": notices.get("notice_lag_n"),
        "answer_hours_median": offers.get("answer_n"),
        "accept_hours_median": offers.get("accept_n"),
        "decline_hours_median": offers.get("decline_n"),
        "acceptance_rate": offers.get("offers_decided"), "decline_rate": offers.get("offers_decided"),
        "silent_offer_rate": offers.get("offers_decided"),
        "renege_rate": offers.get("accepted", 0) + offers.get("reneged", 0),
        "decline_call_share": offers.get("decline_channel_call", 0)
        + offers.get("decline_channel_written", 0),
        "no_show_rate": shows.get("interviews_due"),
        "withdrawal_notice_share": quits.get("withdrawals"),
    }
    out = {("company", k): int(v or 0) for k, v in sizes.items()}
    out |= {("candidate", k): int(v or 0) for k, v in sizes.items()}
    out[("company", "reply_hours_median")] = int(replies.get("company_reply_n", 0))
    out[("candidate", "reply_hours_median")] = int(replies.get("candidate_reply_n", 0))
    return out


def biggest_change(tiles: list[Tile], views: list[TileView], report: dict,
                   previous: dict | None, since: str) -> str:
    """One plain sentence on the figure that moved most (rates by points, times by ratio)."""
    best, best_score = None, 0.0
    for tile, v in zip(tiles, views):
        if v.delta is None or previous is None:
            continue
        now, before = report[tile.side][tile.key], previous[tile.side][tile.key]
        score = abs(now - before) if tile.kind == "rate" else \
            abs(math.log(max(now, 0.1) / max(before, 0.1))) / 2
        if score > best_score:
            best, best_score = tile, score
    if best is None or previous is None:
        return f"Too few cases in this period or {since} to say what changed."
    now, before = report[best.side][best.key], previous[best.side][best.key]
    better = (now < before) == best.lower_is_better
    return (f"Biggest change against {since}: {best.phrase or best.label.lower()} went from "
            f"{fmt.figure(before, best.kind)} to {fmt.figure(now, best.kind)} "
            f"({'better' if better else 'worse'}).")


def render(v: TileView) -> None:
    """A bordered tile: value and change, n, target mark, published figures."""
    with st.container(border=True):
        st.metric(v.label, v.value, delta=v.delta, delta_color=v.delta_color, help=v.help,
                  delta_arrow="off" if v.delta_color == "off" else "auto", chart_data=v.spark,
                  chart_type="line")
        st.caption(v.caption)
        if v.missed:
            st.badge(f"Misses target {v.target}", icon=":material/flag:", color="red")
        elif v.missed is False:
            st.badge(f"Meets target {v.target}", icon=":material/check:", color="green")
        elif v.target:
            st.caption(f"Target {v.target}: too few cases to judge")
        for r in v.references:
            st.caption(f"Published: {r.short_label}", help=r.long_label)


def grid(views: list[TileView], per_row: int = 2) -> None:
    """Tiles in rows, so that tiles side by side line up."""
    for start in range(0, len(views), per_row):
        for column, v in zip(st.columns(per_row), views[start:start + per_row]):
            with column:
                render(v)


def footnotes(refs: list[Reference], metrics: list[str]) -> None:
    """Context figures in their own words with their source; never drawn as a line."""
    notes = [r for r in refs if r.comparable == "context" and r.base_metric in metrics]
    if notes:
        st.caption("Published figures for context (measured differently, so not a target):")
        for r in notes:
            st.caption(f"• {r.long_label}. [Source]({r.source_url})")
