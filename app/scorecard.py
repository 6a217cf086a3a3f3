"""Tiles: a figure of the catalogue (queries/catalogue.py), its change against the previous
period, its n, its target and the published figures it can be compared with. The logic is plain
Python on answers already fetched (no database here, testable); `render` draws a tile.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import streamlit as st

from app import format as fmt
from queries import benchmarks, catalogue
from queries.benchmarks import Reference
from queries.catalogue import Figure

Tile = Figure  # a tile shows one figure of the catalogue
NEEDS = {f.key: f.needs for f in catalogue.FIGURES if f.needs}  # report key -> its input
COMPANY = catalogue.side("company", catalogue.COMPANY)
LOOP = catalogue.side("company", catalogue.LOOP)
OFFERS = catalogue.side("candidate", catalogue.OFFER_TILES)
CANDIDATE = catalogue.side("candidate", catalogue.CANDIDATE)


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
TRENDS = {(f.side, f.key): (f.question, f.column, f.n[0]) for f in catalogue.FIGURES if f.trend}
# the questions a page asks for its tiles' trend lines
TREND_QUESTIONS = sorted({name for name, _, _ in TRENDS.values()})


def spark(tile: Tile, frame: pd.DataFrame | None) -> list[float] | None:
    """The tile's figure per week or month (NaN where n < MIN_N); None with under 2 points.
    frame: the tile's question by week or month (trend_frames), None without a trend."""
    if (tile.side, tile.key) not in TRENDS or frame is None:
        return None
    _, column, n_column = TRENDS[(tile.side, tile.key)]
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
    unknown = tile.needs is not None and tile.needs in report["missing_inputs"]
    before = previous[tile.side][tile.key] if previous else None
    count_before = (previous_n or {}).get((tile.side, tile.key))
    delta = None
    if usable(now, count, tile.kind) and usable(before, count_before, tile.kind):
        delta = fmt.change(now, before, tile.kind)
    parts = [f"unknown: no {tile.needs} in the data" if unknown
             else "" if tile.kind == "count" else fmt.n_text(count)]
    if previous and usable(before, count_before, tile.kind):
        parts.append(f"before: {fmt.figure(before, tile.kind, unit=fmt.unit_of(now))}")
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


sized = catalogue.sized  # the questions whose answers hold the tiles' n
sample_sizes = catalogue.sizes  # (side, key) -> n, from those answers


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
    unit = fmt.unit_of(max(now, before))  # both in one unit
    return (f"Biggest change against {since}: {best.phrase or best.label.lower()} went from "
            f"{fmt.figure(before, best.kind, unit=unit)} to {fmt.figure(now, best.kind, unit=unit)} "
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
