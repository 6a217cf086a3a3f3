"""Numbers as people read them (queries/formats.py), periods, and CSV downloads that are safe
to open.

    >>> figure(0.5714, "rate", n=7), figure(0.5, "rate", n=4), figure(30.5, "hours", n=9)
    ('57%', '—', '30.5 h')
"""

from datetime import date

from app.exports import FORMULA_START, csv_bytes, neutralise  # noqa: F401  (re-exported)
from queries.catalogue import MIN_N  # noqa: F401  (re-exported: the pages read it here)
from queries.formats import DASH, DAY_FROM_HOURS, change, figure, hours, is_flat, n_text, unit_of  # noqa: F401


def period(date_from: date | None, date_to: date | None) -> str:
    """"2 Apr 2025 – 30 Jun 2025", or "all time"."""
    if not date_from or not date_to:
        return "all time"
    return f"{date_from:%-d %b %Y} – {date_to:%-d %b %Y}"
