"""How fresh the data is: the sidebar's "Updated ... ago" and the warning after two days."""

import os
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import freshness

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2025, 6, 10, 12, 0)


@pytest.mark.parametrize("loaded_at, text", [
    (datetime(2025, 6, 10, 11, 59, 30), "Updated just now"),
    (datetime(2025, 6, 10, 9, 0), "Updated 3 hours ago"),
    (datetime(2025, 6, 8, 12, 0), "Updated 2 days ago"),
    (datetime(2025, 6, 10, 12, 5), "Updated just now"),        # a clock a little ahead
])
def test_updated_text(loaded_at, text):
    assert freshness.updated_text(loaded_at, NOW) == text


def test_stale_after_two_days():
    assert not freshness.is_stale(datetime(2025, 6, 8, 12, 0), NOW)
    assert freshness.is_stale(datetime(2025, 6, 8, 11, 59), NOW)


def age_loads(db: Path, days: int) -> None:
    """Move every load of the published database `days` into the past."""
    with duckdb.connect(os.path.realpath(db)) as con:
        con.execute("update loads set loaded_at = loaded_at - to_days($days)", {"days": days})


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def stale_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "last updated" in w.value]


def test_a_fresh_load_is_said_beside_the_period_without_a_warning(fresh_db):
    at = open_page("overview")

    assert "Updated just now" in [c.value for c in at.sidebar.caption]
    assert stale_warnings(at) == []


@pytest.mark.parametrize("page", ["overview", "data"])
def test_a_load_three_days_old_warns_on_every_page(fresh_db, page):
    age_loads(fresh_db, 3)

    at = open_page(page)

    assert "Updated 3 days ago" in [c.value for c in at.sidebar.caption]
    [warning] = stale_warnings(at)
    assert warning.startswith("The data was last updated 3 days ago (")
