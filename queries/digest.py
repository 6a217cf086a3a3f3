"""The weekly digest: both sides side by side, the change against the previous period, who
still needs a call. Plain text that also reads as Markdown in an email or a chat."""

import pandas as pd

from queries import catalogue, formats
from queries.catalogue import Figure

COMPANY = catalogue.side("company", catalogue.COMPANY)
CANDIDATE = catalogue.side("candidate", catalogue.CANDIDATE)


def fmt(value, kind: str) -> str:
    """A figure as the digest prints it: like a tile, without the small-n rule (n is beside)."""
    return formats.figure(value, kind)


def change(now, before, kind: str) -> str:
    """" (+5 pts)" against the previous period, as a tile says it; "" when unknown."""
    text = formats.change(now, before, kind)
    return f" ({text})" if text else ""


def cell(current: dict, previous: dict | None, figure: Figure, sizes: dict | None = None,
         sizes_before: dict | None = None) -> str:
    """ "Offers accepted: 57% (n = 7, +5 pts)"; "— (n = 2)" over fewer than MIN_N cases."""
    now = current[figure.side][figure.key]
    before = previous[figure.side][figure.key] if previous else None
    n = (sizes or {}).get((figure.side, figure.key))
    if n is not None and n < catalogue.MIN_N:
        return f"{figure.label}: {formats.DASH} (n = {n})"
    n_before = (sizes_before or {}).get((figure.side, figure.key))
    if n_before is not None and n_before < catalogue.MIN_N:
        before = None
    text = formats.change(now, before, figure.kind)
    more = ", ".join(p for p in (None if n is None else f"n = {n:,}", text) if p)
    return f"{figure.label}: {fmt(now, figure.kind)}{f' ({more})' if more else ''}"


def render(current: dict, previous: dict | None, call_list: pd.DataFrame,
           past_deadline: pd.DataFrame, references: list[str] | None = None,
           sizes: dict | None = None, sizes_before: dict | None = None) -> str:
    """The digest; sizes (catalogue.sizes) give each figure its n, and "—" under MIN_N."""
    f = current["filters"]
    lines = [f"# Reciprocal digest, {f['from']} to {f['to']}", ""]
    if previous:
        lines += ["Changes are against the previous period of the same length.", ""]
    lines += ["| How we treat candidates | How candidates treat us |", "|---|---|"]
    for i in range(max(len(COMPANY), len(CANDIDATE))):
        left = cell(current, previous, COMPANY[i], sizes, sizes_before) if i < len(COMPANY) else ""
        right = cell(current, previous, CANDIDATE[i], sizes, sizes_before) \
            if i < len(CANDIDATE) else ""
        lines.append(f"| {left} | {right} |")
    c = current["company"]
    lines += ["", f"Rejected interviewees: {c['rejections_interviewed']}; still to be told: "
              f"{c['notices_overdue']} overdue, {c['notices_pending']} within the notice SLA."]
    if current["missing_inputs"]:
        lines.append(f"Unknown for lack of data: {', '.join(current['missing_inputs'])}.")
    lines += ["", *call_section(current, call_list), "", *deadline_section(past_deadline)]
    if references:
        lines += ["", "## Published figures for comparison", *[f"- {r}" for r in references]]
    return "\n".join(lines)


def call_section(current: dict, call_list: pd.DataFrame) -> list[str]:
    overdue = [r for r in current["recruiters"] if r["notices_overdue"]]
    lines = [f"## Call list: {len(call_list)} rejected interviewees waiting for a call"]
    for r in sorted(overdue, key=lambda r: -r["notices_overdue"]):
        lines.append(f"- {r['name']}: {r['notices_overdue']} overdue, {r['notices_pending']} pending")
    if not overdue:
        lines.append("- No recruiter has overdue calls.")
    return lines


def deadline_section(past_deadline: pd.DataFrame) -> list[str]:
    lines = [f"## Offers past their deadline: {len(past_deadline)}"]
    for row in past_deadline.head(10).itertuples():
        lines.append(f"- {row.job} ({row.recruiter}): sent {row.sent_on:%Y-%m-%d}, "
                     f"{row.days_past_deadline:g} days past the deadline")
    return lines
