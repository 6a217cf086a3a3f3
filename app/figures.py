"""Charts as plain functions `DataFrame -> plotly Figure`, testable without Streamlit.

One colour for the company's side, one for the candidates', everywhere; lighter shades of the
same colour tell several series of one side apart. Rates are drawn in %, times in hours or
days (the axis says which). Every bar and point says its n on the chart (phones cannot hover);
one over fewer than MIN_N cases is left out and says so. Published figures (`direct` only) are
labelled reference lines or markers.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.format import MIN_N
from app.guard import contained
from app.safe import plotly_labels
from queries.benchmarks import Reference

COMPANY = ("#1F5FAD", "#5B8FD0", "#A9C4E8")
CANDIDATE = ("#D9701A", "#EFA25A", "#F6CFA3")
NEUTRAL, REFERENCE, TARGET = "#9AA0A6", "#3F4650", "#B3261E"
# Lines of one figure per group (recruiters, departments): Okabe-Ito, then greys
GROUPS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999")
SYMBOLS = ("diamond", "triangle-up", "square", "x", "star")
SIDES = {"company": COMPANY, "candidate": CANDIDATE}
BUCKETS = ["< 1 h", "1-4 h", "4-24 h", "1-3 d", "3-7 d", "1-2 wk", "2-4 wk", "> 30 d"]
BUCKET_UPPER_HOURS = [1, 4, 24, 72, 168, 336, 720, None]
NOTICE_KINDS = {"call": "Call", "personal_email": "Personal email", "automated": "Automated",
                "none": "Not told"}
MIX_METRICS = {"notice_call_share": "call", "notice_mix.call": "call",
               "notice_mix.personal_email": "personal_email",
               "notice_mix.automated": "automated", "notice_mix.none": "none"}


@dataclass(frozen=True)
class Series:
    """One line or bar series: a value column, the column holding its n, and its look."""

    column: str
    n_column: str
    name: str
    side: str
    shade: int = 0
    dash: str = "solid"
    color: str | None = None  # a colour of its own (offer outcomes), else the side's shade
    symbol: str = "circle"

    @property
    def colour(self) -> str:
        return self.color or SIDES[self.side][self.shade]


EMPTY = "Nothing to show for these filters and this period"
TOO_FEW = "Fewer than {} cases at every point:<br>too few to draw (each says its n)"
# Offer outcomes: Okabe-Ito colours (told apart with any colour vision) and a marker each
OUTCOMES = {"accepted": ("#009E73", "circle", "solid"), "declined": ("#D55E00", "x", "dash"),
            "expired": ("#0072B2", "square", "dot"), "reneged": ("#CC79A7", "diamond", "dashdot")}
GRAINS = (("week", 7.0), ("month", 30.44), ("quarter", 91.31))
TREND_N = 20  # the cases a point of a trend should rest on, on average
GRAIN_WORDS = {"week": "Week starting", "month": "Month", "quarter": "Quarter"}
TOOLBAR_ROOM = 30  # px above the title for plotly's toolbar, so that it never covers the title


def grain(n: int, days: int | None, finest: str = "week") -> str:
    """The finest of week, month and quarter (from `finest` on) whose points rest on TREND_N
    cases on average (n cases over `days` days), among those giving at least two points; else
    the coarsest of those."""
    names = [g for g, _ in GRAINS]
    allowed = [(g, length) for g, length in GRAINS if names.index(g) >= names.index(finest)]
    if not days:
        return "month" if finest == "week" else finest
    options = [g for g, length in allowed if days / length >= 2] or [finest]
    for g in options:
        if n / (days / dict(GRAINS)[g]) >= TREND_N:
            return g
    return options[-1]


def grain_caption(chosen: str, n: int, days: int | None) -> str:
    """"Each point is a month (about 9 cases each)": what a trend's points are."""
    per = round(n / (days / dict(GRAINS)[chosen])) if days else 0
    about = f" (about {per:,} case{'' if per == 1 else 's'} each)" if n else ""
    return f"Each point is a {chosen}{about}, chosen from the number of cases."


def buckets(grain_: str, date_from, date_to) -> list[str]:
    """Every week (its Monday), month or quarter key of a period, as the questions write them."""
    if not date_from or not date_to:
        return []
    if grain_ == "week":
        start = pd.Timestamp(date_from) - pd.Timedelta(days=pd.Timestamp(date_from).weekday())
        return [d.strftime("%Y-%m-%d") for d in pd.date_range(start, date_to, freq="7D")]
    periods = pd.period_range(date_from, date_to, freq="M" if grain_ == "month" else "Q")
    return [str(p) if grain_ == "month" else f"{p.year}-Q{p.quarter}" for p in periods]


def fill_buckets(frame: pd.DataFrame, keys: list[str], n_columns: list[str]) -> pd.DataFrame:
    """The frame with a row for every bucket of the period: those without data have n = 0
    (drawn as "no data", never as 0%)."""
    if not keys:
        return frame
    full = frame.set_index("group_key").reindex(sorted(set(keys) | set(frame["group_key"])))
    return full.fillna({c: 0 for c in n_columns}).rename_axis("group_key").reset_index()


def sort_groups(frame: pd.DataFrame, series: list[Series]) -> pd.DataFrame:
    """Groups by their first series' value, the largest first; groups too small to draw last."""
    first = series[0]
    value = pd.to_numeric(frame[first.column], errors="coerce").where(
        frame[first.n_column].fillna(0) >= MIN_N)
    return frame.assign(_v=value).sort_values("_v", ascending=False, na_position="last",
                                               kind="stable").drop(columns="_v")


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts, as plotly.js reads them. plotly's objects check every
    property as it is set (tens of ms a chart, most of a page's time with twenty users), so
    these skip the check; tests/test_figures.py holds every builder's output to plotly's
    validated figure, value for value."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def finish(data: list[dict], lay: dict, title: str, x_title: str, y_title: str,
           **more) -> go.Figure:
    """Title, axis titles and legend; an empty chart says so instead of showing blank axes."""
    drawn = [t for t in data if t.get("legendgroup") not in ("reference", "few")]
    annotations = lay.setdefault("annotations", [])
    if any(t.get("legendgroup") == "few" for t in data) and not any(has_points(t) for t in drawn):
        annotations.append({"text": TOO_FEW.format(MIN_N), "showarrow": False, "xref": "paper",
                            "yref": "paper", "x": 0.5, "y": 0.6,
                            "font": {"size": 13, "color": NEUTRAL}})
    elif not any(has_points(t) for t in drawn):
        annotations.append({"text": EMPTY, "showarrow": False, "xref": "paper", "yref": "paper",
                            "x": 0.5, "y": 0.5, "font": {"size": 14, "color": NEUTRAL}})
        lay.setdefault("xaxis", {})["visible"] = False  # a sentence, not axes with nothing on them
        lay.setdefault("yaxis", {})["visible"] = False
        lay["showlegend"] = False
    if not annotations:
        del lay["annotations"]
    top = lay.get("margin", {}).get("t", 60) + TOOLBAR_ROOM
    more.setdefault("margin", {"t": top, "b": 40})
    lay["title"] = {"text": title, "x": 0, "xanchor": "left", "y": 1, "yref": "container",
                    "yanchor": "top", "pad": {"t": TOOLBAR_ROOM}}
    lay.setdefault("xaxis", {})["title"] = {"text": x_title}
    lay.setdefault("yaxis", {})["title"] = {"text": y_title}
    lay["hovermode"] = "closest"
    lay["legend"] = {"orientation": "h", "y": -0.22, "x": 0, "yanchor": "top"}
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(lay.get(key), dict):
            lay[key] = {**lay[key], **value}
        else:
            lay[key] = value
    return figure(data, lay)


def has_points(trace: dict) -> bool:
    values = trace.get("x") if trace.get("orientation") == "h" else trace.get("y")
    return values is not None and any(v is not None and not pd.isna(v) for v in values)


def plain(series: pd.Series) -> list:
    """A column as plotly.js reads it: numbers, text, and None for a missing value."""
    return [None if v is None or (not isinstance(v, str) and pd.isna(v)) else v
            for v in series.tolist()]


def time_scale(hours: pd.Series) -> tuple[str, float]:
    """Days when the longest time is over four days, else hours: (axis unit, divisor)."""
    top = pd.to_numeric(hours, errors="coerce").max()
    return ("days", 24.0) if pd.notna(top) and top > 96 else ("hours", 1.0)


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats, NaN where it has no number."""
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def masked(frame: pd.DataFrame, s: Series, scale: float) -> pd.Series:
    """The series' values in the plotted unit, blank where n < MIN_N."""
    values = pd.to_numeric(frame[s.column], errors="coerce") * scale
    return values.where(frame[s.n_column].fillna(0) >= MIN_N)


def line(value: float, style: dict, vertical: bool = False) -> dict:
    """A line across the plot at `value` (of the y axis; vertical: of the x axis)."""
    where = {"x0": value, "x1": value, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"} \
        if vertical else {"x0": 0, "x1": 1, "xref": "x domain", "y0": value, "y1": value, "yref": "y"}
    return {"type": "line", **where, **style}


@contained
def trend(frame: pd.DataFrame, series: list[Series], title: str, unit: str,
          references: Sequence[Reference] = (), x_title: str = "Week starting",
          target: Reference | None = None) -> go.Figure:
    """Lines over time (frame: one row per group_key, a week, month or quarter). unit: "%" or
    "time". Each point says its n; a point over fewer than MIN_N cases is a hollow grey marker
    on the axis ("fewer than 5 cases"), so that 0% (drawn) and no data (hollow) differ."""
    data: list[dict] = []
    lay: dict = {}
    scale, y_title, fmt, divisor = 100.0, "Share (%)", "%{y:.0f}%", 1.0
    # each series' n and value per point as arrays (the value blank where n < MIN_N): a chart
    # of twelve points in a few series is then a few array operations, not a few hundred
    # operations on frames
    cases = {s.n_column: np.nan_to_num(numbers(frame, s.n_column)).astype(int) for s in series}
    values = [np.where(cases[s.n_column] >= MIN_N, numbers(frame, s.column), np.nan) for s in series]
    if unit == "time":
        name, divisor = time_scale(pd.Series(np.concatenate(values) if values else [], dtype=float))
        scale, y_title, fmt = 1 / divisor, f"Median ({name})", "%{y:.1f} " + name
    x = plain(frame["group_key"])
    for s, shown in zip(series, values):
        n, y = cases[s.n_column], [None if v != v else v * scale for v in shown.tolist()]
        data.append({
            "type": "scatter", "x": x, "y": y, "name": s.name,
            "mode": "lines+markers+text", "line": {"color": s.colour, "dash": s.dash},
            "marker": {"symbol": s.symbol, "size": 7}, "customdata": n.tolist(),
            "connectgaps": False,
            "text": [f"n={c}" if v is not None else "" for v, c in zip(y, n.tolist())],
            "textposition": "top center", "textfont": {"size": 9, "color": NEUTRAL},
            "hovertemplate": f"{s.name}<br>%{{x}}: {fmt} (n = %{{customdata}})<extra></extra>"})
    add_too_few(data, x, list(cases.values()))
    if target is not None:
        lay.setdefault("shapes", []).append(line(
            target.value * (scale if unit == "%" else 1 / divisor),
            {"line": {"color": TARGET, "width": 2}, "name": f"Target {target.target_text}",
             "label": {"text": f"Target {target.target_text}", "textposition": "end",
                       "font": {"size": 11, "color": TARGET}}}))
    if unit == "%":
        add_reference_lines(lay, references, scale)
        lay["yaxis"] = {"range": [-4, 108]}
    else:
        lay["yaxis"] = {"rangemode": "tozero"}
    if x_title == "Month":
        lay["xaxis"] = {"tickformat": "%b %Y", "dtick": "M1"}
    elif x_title == "Quarter":
        lay["xaxis"] = {"type": "category"}
    else:
        lay["xaxis"] = {"tickformat": "%-d %b", "hoverformat": "week of %-d %b %Y"}
    return finish(data, lay, title, x_title, y_title)


def add_too_few(data: list[dict], x: list, cases: list[np.ndarray]) -> None:
    """Hollow grey markers on the axis where no series has MIN_N cases, each with its n
    (x: the points; cases: each series' n per point)."""
    largest = np.max(cases, axis=0) if cases and len(x) else np.zeros(len(x), dtype=int)
    few = [(point, int(n)) for point, n in zip(x, largest.tolist()) if n < MIN_N]
    if few and largest.sum() > 0:  # with no case at all, the chart is simply empty
        data.append({
            "type": "scatter", "x": [point for point, _ in few], "y": [0] * len(few),
            "mode": "markers+text", "legendgroup": "few",
            "name": f"Fewer than {MIN_N} cases (not drawn)", "text": [f"n={n}" for _, n in few],
            "textposition": "top center", "textfont": {"size": 9, "color": NEUTRAL},
            "marker": {"symbol": "circle-open", "size": 8, "color": NEUTRAL},
            "hovertemplate": f"%{{x}}: fewer than {MIN_N} cases (%{{text}})<extra></extra>"})


def add_reference_lines(lay: dict, references: Sequence[Reference], scale: float = 100.0,
                        vertical: bool = False) -> None:
    """Direct published figures as dotted lines, each named by a label on a line of its own
    above the plot (with the line's dash), so that no label covers the data or another label."""
    direct = [r for r in references if r.comparable == "direct"]
    for i, r in enumerate(direct):
        dash = ("dot", "dash", "dashdot", "longdash")[i % 4]
        lay.setdefault("shapes", []).append(line(r.value * scale, {
            "line": {"color": REFERENCE, "dash": dash, "width": 1.2}, "name": r.short_label,
            "label": {"text": r.short_label, "font": {"size": 1, "color": "rgba(0,0,0,0)"}}},
            vertical))
        lay.setdefault("annotations", []).append({
            "x": 0, "y": 1.0 + 0.035 + 0.075 * (len(direct) - 1 - i), "xref": "paper",
            "yref": "paper", "text": f"{DASH_SIGNS[dash]} {r.short_label}", "showarrow": False,
            "xanchor": "left", "yanchor": "bottom", "font": {"size": 11, "color": REFERENCE}})
    if direct:
        lay["margin"] = {"t": 60 + 24 * len(direct)}


DASH_SIGNS = {"dot": "┈┈", "dash": "╌╌", "dashdot": "─·─", "longdash": "── "}


@contained
def distribution(frame: pd.DataFrame, measures: dict[str, tuple[str, str, int]],
                 title: str) -> go.Figure:
    """Bars of each measure's share of cases per bucket of waiting time, on one scale.
    frame: measure, bucket, label, n; measures: measure -> (name, side, shade)."""
    data = []
    for measure, (name, side, shade) in measures.items():
        rows = frame[frame["measure"] == measure].set_index("label")["n"].reindex(BUCKETS)
        total = int(rows.sum())
        share = rows.fillna(0) / total * 100 if total >= MIN_N else pd.Series([None] * len(rows))
        label = f"{name} (n = {total:,})" if total >= MIN_N else \
            f"{name}: fewer than {MIN_N} cases, not drawn (n = {total})"
        data.append({
            "type": "bar", "x": list(BUCKETS), "y": plain(share), "name": label,
            "marker": {"color": SIDES[side][shade]}, "customdata": plain(rows.fillna(0)),
            "text": [f"{int(c)}" if c and total >= MIN_N else "" for c in rows.fillna(0)],
            "textposition": "outside", "textfont": {"size": 9},
            "hovertemplate": f"{name}<br>%{{x}}: %{{y:.0f}}% (%{{customdata:,}} of {int(total):,})"
                             "<extra></extra>"})
    return finish(data, {}, title, "Waiting time", "Share of cases (%)", barmode="group")


@contained
def within_sla(frame: pd.DataFrame, measures: dict[str, tuple[str, str, int]],
               sla_hours: float, title: str) -> go.Figure:
    """Horizontal bars: each measure's share of cases answered within `sla_hours`."""
    names, shares, counts, colours = [], [], [], []
    inside = {label for label, upper in zip(BUCKETS, BUCKET_UPPER_HOURS) if upper and upper <= sla_hours}
    for measure, (name, side, shade) in measures.items():
        rows = frame[frame["measure"] == measure]
        n = int(rows["n"].sum())
        share = rows.loc[rows["label"].isin(inside), "n"].sum() / n * 100 if n >= MIN_N else None
        names.append(name)
        shares.append(None if share is None else float(share))
        counts.append(n)
        colours.append(SIDES[side][shade])
    data = [{
        "type": "bar", "y": names, "x": shares, "orientation": "h", "marker": {"color": colours},
        "customdata": counts,
        "text": [f"{s:.0f}% (n = {c:,})" if s is not None else f"— (n = {c})"
                 for s, c in zip(shares, counts)],
        "textposition": "auto", "hovertemplate": "%{y}: %{x:.0f}% (n = %{customdata:,})<extra></extra>"}]
    return finish(data, {"yaxis": {"autorange": "reversed"}}, title,
                  "Share answered in time (%)", "", xaxis={"range": [0, 100]},
                  height=110 + 52 * len(names))


@contained
def bars_by(frame: pd.DataFrame, series: list[Series], title: str, group_title: str,
            unit: str = "time", references: Sequence[Reference] = (), sort: bool = True) -> go.Figure:
    """Horizontal grouped bars per group (label, else group_key): medians or rates, the largest
    first (sort=False: in the frame's order), each bar labelled with its value and n; direct
    published rates as labelled vertical lines."""
    frame = sort_groups(frame, series) if sort and len(frame) else frame
    labels = frame["label"].fillna(frame["group_key"]) if "label" in frame else frame["group_key"]
    labels = plotly_labels(labels.replace("", "Unassigned"))  # export text, shown as typed
    scale, x_title, fmt = 100.0, "Share (%)", "%{x:.0f}%"
    if unit == "time":
        name, divisor = time_scale(pd.concat([masked(frame, s, 1.0) for s in series]))
        scale, x_title, fmt = 1 / divisor, f"Median ({name})", "%{x:.1f} " + name
    data: list[dict] = []
    lay: dict = {}
    for s in series:
        x, n = masked(frame, s, scale), frame[s.n_column].fillna(0).astype(int)
        text_of = (lambda v: f"{v:.0f}%") if unit == "%" else (lambda v: f"{v:.1f} {name[0]}")
        data.append({
            "type": "bar", "y": plain(labels), "x": plain(x), "name": s.name, "orientation": "h",
            "marker": {"color": s.colour}, "customdata": n.tolist(),
            "text": [f"{text_of(v)} · n = {c:,}" if pd.notna(v) else "" for v, c in zip(x, n)],
            "textposition": "outside", "cliponaxis": False, "textfont": {"size": 11},
            "hovertemplate": f"{s.name}<br>%{{y}}: {fmt} (n = %{{customdata:,}})<extra></extra>"})
    if unit == "%":
        add_reference_lines(lay, references, vertical=True)
    for label, n in too_few(frame, labels, series):
        lay.setdefault("annotations", []).append({
            "x": 0, "y": label, "text": f"—  (n = {n})", "showarrow": False, "xanchor": "left",
            "font": {"color": NEUTRAL, "size": 11}})
    lay["yaxis"] = {"autorange": "reversed"}
    if unit == "%":
        lay["xaxis"] = {"range": [0, 102]}
    return finish(data, lay, title, x_title, group_title, barmode="group",
                  height=max(320, 90 + 34 * len(frame) * len(series) ** 0.5))


def too_few(frame: pd.DataFrame, labels: pd.Series, series: list[Series]) -> list[tuple]:
    """Groups where no series has MIN_N cases: (label, largest n), to say "—" instead of 0."""
    largest = pd.concat([frame[s.n_column].fillna(0) for s in series], axis=1).max(axis=1)
    return [(label, int(n)) for label, n in zip(labels, largest) if n < MIN_N]


@contained
def channel_mix(mix: dict[str, int], references: Sequence[Reference] = ()) -> go.Figure:
    """How rejected interviewees were told, as shares, with published shares as markers."""
    total = sum(mix.values())
    kinds = list(NOTICE_KINDS)
    shares = [mix.get(k, 0) / total * 100 if total >= MIN_N else None for k in kinds]
    colours = [COMPANY[0], COMPANY[1], COMPANY[2], NEUTRAL]
    data = [{
        "type": "bar", "x": [NOTICE_KINDS[k] for k in kinds], "y": shares,
        "marker": {"color": colours}, "name": "Us", "customdata": [mix.get(k, 0) for k in kinds],
        "showlegend": False, "textposition": "inside",
        "text": [f"{v:.0f}% ({mix.get(k, 0):,})" if v is not None else "" for v, k in zip(shares, kinds)],
        "hovertemplate": f"%{{x}}: %{{y:.0f}}% (%{{customdata:,}} of {total:,})<extra></extra>"}]
    sources = list(dict.fromkeys(r.who for r in references))
    for r in references:
        if r.comparable == "direct" and r.metric in MIX_METRICS:
            data.append({
                "type": "scatter", "x": [NOTICE_KINDS[MIX_METRICS[r.metric]]], "y": [r.value * 100],
                "name": r.short_label, "legendgroup": "reference", "mode": "markers",
                "marker": {"symbol": SYMBOLS[sources.index(r.who) % len(SYMBOLS)], "size": 13,
                           "color": "white", "line": {"color": REFERENCE, "width": 2}},
                "hovertemplate": f"{r.long_label}<extra></extra>"})
    return finish(data, {}, f"How rejected interviewees were told (n = {total:,})", "Channel",
                  "Share of rejected interviewees (%)", legend_title_text="Published:")


@contained
def counts(values: dict[str, int], title: str, x_title: str, side: str,
           neutral: tuple[str, ...] = ()) -> go.Figure:
    """Horizontal bars of counts (decline reasons, decline channels); `neutral` bars grey."""
    names = sorted(values, key=lambda k: (k in neutral, -values[k]))  # the largest first, unknown last
    colours = [NEUTRAL if k in neutral else SIDES[side][0] for k in names]
    data = [{"type": "bar", "y": list(plotly_labels(pd.Series(names, dtype=object))),  # as typed
             "x": [values[k] for k in names], "orientation": "h", "marker": {"color": colours},
             "text": [f"{values[k]:,}" for k in names], "textposition": "auto",
             "hovertemplate": "%{y}: %{x:,}<extra></extra>"}]
    xaxis: dict[str, str | int] = {"rangemode": "tozero", "tickformat": ",d"}
    if max(values.values(), default=0) < 8:
        xaxis["dtick"] = 1
    return finish(data, {"yaxis": {"autorange": "reversed"}, "xaxis": xaxis}, title, x_title, "",
                  height=max(260, 80 + 36 * len(names)))


@contained
def reapplication(frame: pd.DataFrame) -> go.Figure:
    """Share of rejected interviewees who applied again, by how they were told."""
    frame = frame.set_index("notice_kind").reindex(list(NOTICE_KINDS))
    n = frame["rejections_interviewed"].fillna(0).astype(int)
    share = (frame["reapply_rate"] * 100).where(n >= MIN_N)
    data = [{
        "type": "bar", "x": [NOTICE_KINDS[k] for k in frame.index], "y": plain(share),
        "customdata": n.tolist(), "marker": {"color": [COMPANY[0], COMPANY[1], COMPANY[2], NEUTRAL]},
        "text": [f"{s:.0f}% (n = {c:,})" if pd.notna(s) else f"— (n = {c})" for s, c in zip(share, n)],
        "textposition": "outside",
        "hovertemplate": "%{x}: %{y:.0f}% applied again (n = %{customdata})<extra></extra>"}]
    return finish(data, {}, "Applied again after rejection, by how they were told", "Notice",
                  "Applied again (%)")
