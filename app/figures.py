"""Charts as plain functions `DataFrame -> plotly Figure`, testable without Streamlit.

One colour for the company's side, one for the candidates', everywhere; lighter shades of the
same colour tell several series of one side apart. Rates are drawn in %, times in hours or
days (the axis says which). A point or bar over fewer than MIN_N cases is left out, its n
still in the hover. Published figures (`direct` only) are labelled reference lines or markers.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app.format import MIN_N
from app.guard import contained
from app.safe import plotly_labels
from queries.benchmarks import Reference

COMPANY = ("#1F5FAD", "#5B8FD0", "#A9C4E8")
CANDIDATE = ("#D9701A", "#EFA25A", "#F6CFA3")
NEUTRAL, REFERENCE = "#9AA0A6", "#3F4650"
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

    @property
    def colour(self) -> str:
        return SIDES[self.side][self.shade]


EMPTY = "Nothing to show for these filters and this period"


def layout(fig: go.Figure, title: str, x_title: str, y_title: str, **more) -> go.Figure:
    """Title, axis titles and legend; an empty chart says so instead of showing blank axes."""
    if not any(has_points(t) for t in fig.data if t.legendgroup != "reference"):
        fig.add_annotation(text=EMPTY, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                           font={"size": 14, "color": NEUTRAL})
    if "margin" not in fig.layout.to_plotly_json():
        more.setdefault("margin", {"t": 60, "b": 40})
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, xaxis_title=x_title,
                      yaxis_title=y_title, hovermode="closest",
                      legend={"orientation": "h", "y": -0.22, "x": 0, "yanchor": "top"}, **more)
    return fig


def has_points(trace) -> bool:
    values = trace.x if getattr(trace, "orientation", None) == "h" else trace.y
    return values is not None and any(v is not None and not pd.isna(v) for v in values)


def time_scale(hours: pd.Series) -> tuple[str, float]:
    """Days when the longest time is over four days, else hours: (axis unit, divisor)."""
    top = pd.to_numeric(hours, errors="coerce").max()
    return ("days", 24.0) if pd.notna(top) and top > 96 else ("hours", 1.0)


def masked(frame: pd.DataFrame, s: Series, scale: float) -> pd.Series:
    """The series' values in the plotted unit, blank where n < MIN_N."""
    values = pd.to_numeric(frame[s.column], errors="coerce") * scale
    return values.where(frame[s.n_column].fillna(0) >= MIN_N)


@contained
def trend(frame: pd.DataFrame, series: list[Series], title: str, unit: str,
          references: Sequence[Reference] = (), x_title: str = "Week starting") -> go.Figure:
    """Lines over time (frame: one row per group_key, a week or a month). unit: "%" or "time"."""
    fig = go.Figure()
    scale, y_title, fmt = 100.0, "Share (%)", "%{y:.0f}%"
    if unit == "time":
        name, divisor = time_scale(pd.concat([masked(frame, s, 1.0) for s in series]))
        scale, y_title, fmt = 1 / divisor, f"Median ({name})", "%{y:.1f} " + name
    for s in series:
        fig.add_trace(go.Scatter(
            x=frame["group_key"], y=masked(frame, s, scale), name=s.name, mode="lines+markers",
            line={"color": s.colour, "dash": s.dash}, customdata=frame[s.n_column],
            connectgaps=False, hovertemplate=f"{s.name}<br>%{{x}}: {fmt} (n = %{{customdata}})"
                                             "<extra></extra>"))
    if unit == "%":
        add_reference_lines(fig, references, scale)
        fig.update_yaxes(range=[0, 102])
    if x_title == "Month":
        fig.update_xaxes(tickformat="%b %Y", dtick="M1")
    else:
        fig.update_xaxes(tickformat="%-d %b", hoverformat="week of %-d %b %Y")
    return layout(fig, title, x_title, y_title)


def add_reference_lines(fig: go.Figure, references: Sequence[Reference], scale: float = 100.0,
                        vertical: bool = False) -> None:
    """Direct published figures as dotted lines, each labelled with who, when and what
    (labels alternate between the two ends so that close lines stay readable)."""
    direct = [r for r in references if r.comparable == "direct"]
    for i, r in enumerate(direct):
        style = {"line_dash": ("dot", "dash", "dashdot", "longdash")[i % 4], "line_width": 1.2,
                 "line_color": REFERENCE, "name": r.short_label,
                 "label": {"text": r.short_label, "textposition": ("end", "start")[i % 2],
                           "font": {"size": 11, "color": REFERENCE}}}
        if vertical:  # a label written along a vertical line crosses the bars: put it on top
            style.pop("label")
            fig.add_vline(x=r.value * scale, **style)
            fig.add_annotation(x=r.value * scale, y=1.0 + 0.06 * i, xref="x", yref="paper",
                               text=r.short_label, showarrow=False, xanchor="left",
                               yanchor="bottom", font={"size": 11, "color": REFERENCE})
        else:
            fig.add_hline(y=r.value * scale, **style)


@contained
def distribution(frame: pd.DataFrame, measures: dict[str, tuple[str, str, int]],
                 title: str) -> go.Figure:
    """Bars of each measure's share of cases per bucket of waiting time, on one scale.
    frame: measure, bucket, label, n; measures: measure -> (name, side, shade)."""
    fig = go.Figure()
    for measure, (name, side, shade) in measures.items():
        rows = frame[frame["measure"] == measure].set_index("label")["n"].reindex(BUCKETS)
        total = rows.sum()
        share = rows.fillna(0) / total * 100 if total else rows * 0
        fig.add_trace(go.Bar(
            x=BUCKETS, y=share, name=f"{name} (n = {int(total):,})",
            marker_color=SIDES[side][shade], customdata=rows.fillna(0),
            hovertemplate=f"{name}<br>%{{x}}: %{{y:.0f}}% (%{{customdata:,}} of {int(total):,})"
                          "<extra></extra>"))
    return layout(fig, title, "Waiting time", "Share of cases (%)", barmode="group")


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
        shares.append(share)
        counts.append(n)
        colours.append(SIDES[side][shade])
    fig = go.Figure(go.Bar(
        y=names, x=shares, orientation="h", marker_color=colours, customdata=counts,
        text=[f"{s:.0f}%" if s is not None else f"— (n = {c})" for s, c in zip(shares, counts)],
        textposition="auto", hovertemplate="%{y}: %{x:.0f}% (n = %{customdata:,})<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return layout(fig, title, "Share answered in time (%)", "", xaxis_range=[0, 100],
                  height=110 + 52 * len(names))


@contained
def bars_by(frame: pd.DataFrame, series: list[Series], title: str, group_title: str,
            unit: str = "time", references: Sequence[Reference] = ()) -> go.Figure:
    """Horizontal grouped bars per group (label, else group_key): medians or rates; direct
    published rates as labelled vertical lines."""
    labels = frame["label"].fillna(frame["group_key"]) if "label" in frame else frame["group_key"]
    labels = plotly_labels(labels.replace("", "Unassigned"))  # export text, shown as typed
    scale, x_title, fmt = 100.0, "Share (%)", "%{x:.0f}%"
    if unit == "time":
        name, divisor = time_scale(pd.concat([masked(frame, s, 1.0) for s in series]))
        scale, x_title, fmt = 1 / divisor, f"Median ({name})", "%{x:.1f} " + name
    fig = go.Figure()
    for s in series:
        fig.add_trace(go.Bar(
            y=labels, x=masked(frame, s, scale), name=s.name, orientation="h",
            marker_color=s.colour, customdata=frame[s.n_column].fillna(0),
            hovertemplate=f"{s.name}<br>%{{y}}: {fmt} (n = %{{customdata:,}})<extra></extra>"))
    if unit == "%":
        add_reference_lines(fig, references, vertical=True)
    for label, n in too_few(frame, labels, series):
        fig.add_annotation(x=0, y=label, text=f"—  (n = {n})", showarrow=False, xanchor="left",
                           font={"color": NEUTRAL, "size": 11})
    fig.update_yaxes(autorange="reversed", title=group_title)
    if unit == "%":
        fig.update_xaxes(range=[0, 102])
        fig.update_layout(margin={"t": 70 + 18 * len(references)})
    return layout(fig, title, x_title, group_title, barmode="group",
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
    fig = go.Figure(go.Bar(
        x=[NOTICE_KINDS[k] for k in kinds], y=shares, marker_color=colours, name="Us",
        customdata=[mix.get(k, 0) for k in kinds], showlegend=False, textposition="inside",
        text=[f"{v:.0f}%" if v is not None else "" for v in shares],
        hovertemplate=f"%{{x}}: %{{y:.0f}}% (%{{customdata:,}} of {total:,})<extra></extra>"))
    sources = list(dict.fromkeys(r.who for r in references))
    for r in references:
        if r.comparable == "direct" and r.metric in MIX_METRICS:
            fig.add_trace(go.Scatter(
                x=[NOTICE_KINDS[MIX_METRICS[r.metric]]], y=[r.value * 100], name=r.short_label,
                legendgroup="reference", mode="markers",
                marker={"symbol": SYMBOLS[sources.index(r.who) % len(SYMBOLS)], "size": 13,
                        "color": "white", "line": {"color": REFERENCE, "width": 2}},
                hovertemplate=f"{r.long_label}<extra></extra>"))
    return layout(fig, f"How rejected interviewees were told (n = {total:,})", "Channel",
                  "Share of rejected interviewees (%)", legend_title_text="Published:")


@contained
def counts(values: dict[str, int], title: str, x_title: str, side: str,
           neutral: tuple[str, ...] = ()) -> go.Figure:
    """Horizontal bars of counts (decline reasons, decline channels); `neutral` bars grey."""
    names = list(values)
    colours = [NEUTRAL if k in neutral else SIDES[side][0] for k in names]
    fig = go.Figure(go.Bar(y=list(plotly_labels(pd.Series(names, dtype=object))),  # shown as typed
                           x=[values[k] for k in names], orientation="h",
                           marker_color=colours, text=[f"{values[k]:,}" for k in names],
                           textposition="auto", hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(rangemode="tozero", tickformat=",d", dtick=1 if max(values.values(), default=0) < 8 else None)
    return layout(fig, title, x_title, "", height=max(260, 80 + 36 * len(names)))


@contained
def reapplication(frame: pd.DataFrame) -> go.Figure:
    """Share of rejected interviewees who applied again, by how they were told."""
    frame = frame.set_index("notice_kind").reindex(list(NOTICE_KINDS))
    n = frame["rejections_interviewed"].fillna(0).astype(int)
    share = (frame["reapply_rate"] * 100).where(n >= MIN_N)
    fig = go.Figure(go.Bar(
        x=[NOTICE_KINDS[k] for k in frame.index], y=share, customdata=n,
        marker_color=[COMPANY[0], COMPANY[1], COMPANY[2], NEUTRAL],
        text=[f"{s:.0f}%" if pd.notna(s) else f"— (n = {c})" for s, c in zip(share, n)],
        textposition="outside", hovertemplate="%{x}: %{y:.0f}% applied again (n = %{customdata})"
                                              "<extra></extra>"))
    return layout(fig, "Applied again after rejection, by how they were told", "Notice",
                  "Applied again (%)")
