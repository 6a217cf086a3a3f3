"""Numbers as people read them (queries/formats.py), periods, and CSV downloads that are safe
to open.

    >>> figure(0.5714, "rate", n=7), figure(0.5, "rate", n=4), figure(30.5, "hours", n=9)
    ('57%', '—', '30.5 h')
"""

import io
from datetime import date

import pandas as pd

from queries.catalogue import MIN_N  # noqa: F401  (re-exported: the pages read it here)
from queries.formats import DASH, change, figure, hours, is_flat, n_text  # noqa: F401

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
