"""Numbers as people read them, the small-n rule, and CSV downloads that are safe to open.

    >>> figure(0.5714, "rate", n=7), figure(0.5, "rate", n=4), figure(30.5, "hours", n=9)
    ('57%', '—', '30.5 h')
"""

import io
from datetime import date

import pandas as pd

MIN_N = 5  # a rate or median over fewer cases shows "—" and its n
DASH = "—"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def figure(value: float | int | None, kind: str, n: int | None = None) -> str:
    """A rate, hours or count for a tile or a table; "—" when undefined or when n < MIN_N."""
    if value is None or pd.isna(value) or (n is not None and n < MIN_N and kind != "count"):
        return DASH
    if kind == "rate":
        return f"{value:.0%}"
    if kind == "hours":
        return hours(value)
    return f"{int(value):,}"


def hours(value: float) -> str:
    """Hours below two days, days above: "5.5 h", "3.2 d" (as the digest prints them)."""
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"


def change(now: float | None, before: float | None, kind: str) -> str | None:
    """The change against the previous period: "+5 pts", "-3.5 h", "+2"; None when unknown."""
    if now is None or before is None:
        return None
    delta = now - before
    if kind == "rate":
        return f"{round(delta * 100) or 0:+.0f} pts"
    if kind == "hours":
        return f"{delta:+.1f} h" if abs(delta) < 48 else f"{delta / 24:+.1f} d"
    return f"{delta:+,.0f}"


def is_flat(change_text: str) -> bool:
    """Whether a printed change rounds to nothing ("+0 pts", "-0.0 h")."""
    digits = change_text.lstrip("+-").split()[0]
    return float(digits.replace(",", "")) == 0


def n_text(n: int | None) -> str:
    return "n = 0" if not n else f"n = {int(n):,}"


def period(date_from: date | None, date_to: date | None) -> str:
    """"2 Apr 2025 – 30 Jun 2025", or "all time"."""
    if not date_from or not date_to:
        return "all time"
    return f"{date_from:%-d %b %Y} – {date_to:%-d %b %Y}"


def neutralise(value):
    """A cell a spreadsheet would run as a formula (= + - @ tab CR first) gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A CSV download with every text cell and header neutralised (CWE-1236)."""
    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    out = io.StringIO()
    safe.to_csv(out, index=False, lineterminator="\r\n")  # CRLF: a CR inside a cell is quoted
    return out.getvalue().encode("utf-8")
