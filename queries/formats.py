"""Figures as people read them, written once for the tiles, the tables and the digest.

    >>> figure(0.5714, "rate", n=7), figure(0.5, "rate", n=4), figure(30.5, "hours", n=9)
    ('57%', '—', '30.5 h')
"""

import pandas as pd

from queries.catalogue import MIN_N

DASH = "—"
DAY_FROM_HOURS = 48  # hours from here on read as days


def figure(value: float | int | None, kind: str, n: int | None = None,
           unit: str | None = None) -> str:
    """A rate, hours or count for a tile or a table; "—" when undefined or when n < MIN_N.
    unit ("h" or "d"): hours in that unit rather than their own."""
    if value is None or pd.isna(value) or (n is not None and n < MIN_N and kind != "count"):
        return DASH
    if kind == "rate":
        return f"{value:.0%}"
    if kind == "hours":
        return hours(value, unit)
    return f"{int(value):,}"


def unit_of(value: float | None) -> str:
    """The unit hours read in: "d" from two days on, else "h"."""
    return "d" if value is not None and not pd.isna(value) and value >= DAY_FROM_HOURS else "h"


def hours(value: float, unit: str | None = None) -> str:
    """Hours below two days, days above: "5.5 h", "3.2 d" (or in the unit given)."""
    return f"{value / 24:.1f} d" if (unit or unit_of(value)) == "d" else f"{value:.1f} h"


def change(now: float | None, before: float | None, kind: str) -> str | None:
    """The change against the previous period: "+5 pts", "-3.5 h", "+2"; None when unknown.
    A change of hours is in the unit the figure itself reads in ("5.2 d": "-0.8 d")."""
    if now is None or before is None:
        return None
    delta = now - before
    if kind == "rate":
        return f"{round(delta * 100) or 0:+.0f} pts"
    if kind == "hours":
        return f"{delta / 24:+.1f} d" if unit_of(now) == "d" else f"{delta:+.1f} h"
    return f"{delta:+,.0f}"


def is_flat(change_text: str) -> bool:
    """Whether a printed change rounds to nothing ("+0 pts", "-0.0 h")."""
    digits = change_text.lstrip("+-").split()[0]
    return float(digits.replace(",", "")) == 0


def n_text(n: int | None) -> str:
    return "n = 0" if not n else f"n = {int(n):,}"
