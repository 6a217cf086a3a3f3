"""The monthly review's tables: every headline figure month by month, in one unit per column.

    months_table({"rejection_notices": frame, ...}, figures, ["2025-05", "2025-06"])
"""

from datetime import date

import numpy as np
import pandas as pd

from app import tables
from app.figures import numbers
from queries.catalogue import MIN_N, Figure
from queries.runner import Filters


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
    # each question's row per month, found once; a figure then reads its columns as numbers
    # by month, with no frame operation per figure
    rows = {name: month_rows(frame, months) for name, frame in answers.items()}

    def by_month(question: str, column: str) -> np.ndarray:
        values, at = numbers(answers[question], column), rows[question]
        return np.where(at >= 0, values[at] if len(values) else np.nan, np.nan)

    out: dict[str, object] = {"Month": [pd.Period(m, "M").strftime("%b %Y") for m in months]}
    kinds = {}
    for f in figures:
        n = sum((np.nan_to_num(by_month(f.question, c)) for c in f.n), np.zeros(len(months))).astype(int)
        values = np.where(n >= MIN_N, by_month(f.question, f.column), np.nan)
        if f.kind == "hours":
            unit, divisor = tables.time_unit(pd.Series(values))
            name = f"{f.label}, {unit}"
            out[name], kinds[name] = (values / divisor).round(1), unit
        else:
            name = f.label
            out[name], kinds[name] = values.round(2), "rate"
        out[f"{f.label}: n"], kinds[f"{f.label}: n"] = n, "count"
    return tables.Table(pd.DataFrame(out), kinds)


def month_rows(frame: pd.DataFrame, months: list[str]) -> np.ndarray:
    """The row of each month (keys 'YYYY-MM') in a question's answer, -1 where it has none."""
    at = {key: i for i, key in enumerate(frame["group_key"])}
    return np.array([at.get(m, -1) for m in months], dtype=int)


def group_months(cells: pd.DataFrame, column: str, n_column: str, months: list[str],
                 most: int) -> tuple[pd.DataFrame, list[str]]:
    """A figure per group and month (cells: a question grouped by 'recruiter/month' or the
    like, keys 'u101/2025-05') for the `most` groups with the most cases over the months (ties
    in the answer's order): a frame of group_key (the months) and v0, n0, v1, n1, ... (value
    and n of each group), and the groups' names."""
    at = {month: j for j, month in enumerate(months)}
    values, ns = numbers(cells, column), np.nan_to_num(numbers(cells, n_column))
    totals: dict[str, float] = {}
    rows: dict[str, list[tuple[int, int]]] = {}
    names: dict[str, str] = {}
    for i, (group_key, label) in enumerate(zip(cells["group_key"], cells["label"])):
        if not isinstance(group_key, str) or "/" not in group_key:
            continue  # a key without a group and a month (no question writes one): left out
        key, month = group_key.rsplit("/", 1)
        totals[key] = totals.get(key, 0.0) + ns[i]
        names.setdefault(key, (label if isinstance(label, str) else key) or "Unassigned")
        if month in at:
            rows.setdefault(key, []).append((i, at[month]))
    chosen = sorted((key for key, n in totals.items() if n > 0), key=lambda key: -totals[key])[:most]
    wide: dict[str, object] = {"group_key": months}
    for g, key in enumerate(chosen):
        v, n = np.full(len(months), np.nan), np.zeros(len(months))
        for i, j in rows.get(key, []):
            v[j], n[j] = values[i], ns[i]
        wide[f"v{g}"], wide[f"n{g}"] = v, n
    return pd.DataFrame(wide), [names[key] for key in chosen]
