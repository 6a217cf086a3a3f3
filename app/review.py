"""The monthly review's tables: every headline figure month by month, in one unit per column.

    months_table({"rejection_notices": frame, ...}, figures, ["2025-05", "2025-06"])
"""

from datetime import date, timedelta

import pandas as pd

from app import tables
from queries.catalogue import MIN_N, Figure
from queries.runner import Filters


def last_months(filters: Filters, count: int = 12) -> Filters:
    """The same filters over the `count` whole months up to the period's end."""
    end = filters.date_to or date.today()
    start = date(end.year, end.month, 1)
    for _ in range(count - 1):
        start = date((start - timedelta(days=1)).year, (start - timedelta(days=1)).month, 1)
    return Filters(**{**filters.__dict__, "date_from": start, "date_to": end})


def last_year(filters: Filters) -> Filters | None:
    """The same period a year before (29 Feb falls back to 28 Feb)."""
    if not filters.date_from or not filters.date_to:
        return None

    def back(d: date) -> date:
        return d.replace(year=d.year - 1, day=min(d.day, 28 if d.month == 2 else 31))
    return Filters(**{**filters.__dict__, "date_from": back(filters.date_from),
                      "date_to": back(filters.date_to)})


def months_table(answers: dict[str, pd.DataFrame], figures: list[Figure],
                 months: list[str]) -> tables.Table:
    """One row per month, one column per figure (blank under MIN_N cases), with each
    figure's n beside it. answers: each figure's question grouped by month."""
    out = pd.DataFrame({"Month": months})
    kinds = {}
    for f in figures:
        frame = answers[f.question].set_index("group_key").reindex(months)
        n = sum(frame[c].fillna(0) for c in f.n).astype(int)
        values = pd.to_numeric(frame[f.column], errors="coerce").where(n >= MIN_N)
        if f.kind == "hours":
            unit, divisor = tables.time_unit(values)
            name = f"{f.label}, {unit}"
            out[name] = (values / divisor).round(1).to_numpy()
            kinds[name] = unit
        else:
            name = f.label
            out[name] = values.round(2).to_numpy()
            kinds[name] = "rate"
        out[f"{f.label}: n"] = n.to_numpy()
        kinds[f"{f.label}: n"] = "count"
    out["Month"] = [pd.Period(m, "M").strftime("%b %Y") for m in months]
    return tables.Table(out, kinds)
