"""How fresh the data is: "Updated 3 hours ago" beside the period, and a warning on every page
when the newest load is older than two days (a nightly refresh has stopped running).

    >>> updated_text(datetime(2025, 6, 1, 9), now=datetime(2025, 6, 1, 12))
    'Updated 3 hours ago'
"""

from datetime import UTC, datetime, timedelta

import humanize
import pandas as pd
import streamlit as st

STALE_AFTER = timedelta(days=2)


def newest(frame: pd.DataFrame) -> datetime | None:
    """The newest load's time (naive UTC) from the last_load question; None when unknown."""
    value = frame["loaded_at"].iloc[0] if len(frame) else None
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def updated_text(loaded_at: datetime, now: datetime) -> str:
    age = max(now - loaded_at, timedelta(0))
    return "Updated just now" if age < timedelta(minutes=1) else f"Updated {humanize.naturaltime(age)}"


def is_stale(loaded_at: datetime, now: datetime) -> bool:
    return now - loaded_at > STALE_AFTER


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def caption(frame: pd.DataFrame) -> None:
    """"Updated 3 hours ago" (with the time in UTC on hover), when anything was loaded."""
    loaded_at = newest(frame)
    if loaded_at is not None:
        st.caption(updated_text(loaded_at, utc_now()), help=f"Last load: {loaded_at:%Y-%m-%d %H:%M} UTC")


def warning(frame: pd.DataFrame) -> None:
    """A warning on the page when the newest load is more than two days old."""
    loaded_at = newest(frame)
    if loaded_at is not None and is_stale(loaded_at, utc_now()):
        st.warning(f"The data was last updated {humanize.naturaltime(utc_now() - loaded_at)} "
                   f"({loaded_at:%Y-%m-%d %H:%M} UTC): figures may be out of date. Check that the "
                   "scheduled `python -m etl refresh` still runs.", icon=":material/update:")
