"""The weekly digest: both sides side by side, the change against the previous period, who
still needs a call. Plain text that also reads as Markdown in an email or a chat."""

import pandas as pd

# (label, side, key, kind); kind: rate, hours or count
COMPANY = [
    ("First response (median)", "company", "first_response_hours_median", "hours"),
    ("Answered within 14 days", "company", "responded_within_14d_rate", "rate"),
    ("Reply time (median)", "company", "reply_hours_median", "hours"),
    ("Rejected interviewees told", "company", "notice_coverage", "rate"),
    ("... told by a call", "company", "notice_call_share", "rate"),
    ("Notice lag (median)", "company", "notice_lag_hours_median", "hours"),
]
CANDIDATE = [
    ("Offer answer time (median)", "candidate", "answer_hours_median", "hours"),
    ("Reply time (median)", "candidate", "reply_hours_median", "hours"),
    ("Offers accepted", "candidate", "acceptance_rate", "rate"),
    ("Declines by a call", "candidate", "decline_call_share", "rate"),
    ("Offers left to expire", "candidate", "silent_offer_rate", "rate"),
    ("Reneged after accepting", "candidate", "renege_rate", "rate"),
    ("Interview no-shows", "candidate", "no_show_rate", "rate"),
]


def fmt(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value:.0%}"
    if kind == "hours":
        return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"
    return f"{value:,}"


def change(now, before, kind: str) -> str:
    if now is None or before is None:
        return ""
    delta = now - before
    if kind == "rate":
        return f" ({delta * 100:+.0f} pts)"
    if kind == "hours":
        return f" ({delta:+.1f} h)"
    return f" ({delta:+,})"


def cell(current: dict, previous: dict | None, spec: tuple) -> str:
    label, side, key, kind = spec
    now = current[side][key]
    before = previous[side][key] if previous else None
    return f"{label}: {fmt(now, kind)}{change(now, before, kind)}"


def render(current: dict, previous: dict | None, call_list: pd.DataFrame,
           past_deadline: pd.DataFrame, references: list[str] | None = None) -> str:
    f = current["filters"]
    lines = [f"# Reciprocal digest, {f['from']} to {f['to']}", ""]
    if previous:
        lines += ["Changes are against the previous period of the same length.", ""]
    lines += ["| How we treat candidates | How candidates treat us |", "|---|---|"]
    for i in range(max(len(COMPANY), len(CANDIDATE))):
        left = cell(current, previous, COMPANY[i]) if i < len(COMPANY) else ""
        right = cell(current, previous, CANDIDATE[i]) if i < len(CANDIDATE) else ""
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
