"""Shared fixtures: the dashboard's tiny export (tests/data/dashboard/) loaded through the real ETL.

The export, by hand: 21 applications (as_of 2025-06-30 12:00 UTC, so the default period is
2025-04-02..2025-06-30 and the previous one 2025-01-02..2025-04-01) for two recruiters (Ada Park
r1, Ben Cho r2) and Unassigned, in Engineering (j1) and Sales (j2). In the period, 7 rejected
interviewees: A01 told by phone, A07 by video (calls), A02 by personal email, A03 automated,
A04 (Ben Cho) and A05 (Unassigned) never told and overdue, A06 (Ada Park) rejected the day
before as_of and still pending. Offers: A09 accepted, A10 declined by phone, A11 expired,
A12 pending past its deadline, A13 declined by email. One interview row is set aside.
"""

import functools
import re
import shutil
from pathlib import Path

import pytest

from etl.load import load

DASHBOARD_DATA = Path(__file__).parent / "data" / "dashboard"


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch):
    """The dashboard's background warm-up off (its own tests turn it on): a test that counts
    or fails a page's questions sees only the page's."""
    monkeypatch.setenv("CX_WARM_UP", "0")


@pytest.fixture(scope="session")
def dashboard_db(tmp_path_factory) -> Path:
    """The dashboard export published into a database of its own (origin "demo")."""
    db = tmp_path_factory.mktemp("dashboard") / "cx.duckdb"
    load(DASHBOARD_DATA, db=str(db), origin="demo")
    return db


@pytest.fixture
def cx_db(dashboard_db, monkeypatch) -> Path:
    """CX_DB pointing at the dashboard database for one test (benchmarks: the repo's file)."""
    monkeypatch.setenv("CX_DB", str(dashboard_db))
    monkeypatch.delenv("CX_BENCHMARKS", raising=False)
    return dashboard_db


@pytest.fixture
def fresh_db(tmp_path, monkeypatch) -> Path:
    """A database of its own for a test that publishes into it (CX_DB set)."""
    db = tmp_path / "db" / "cx.duckdb"
    load(DASHBOARD_DATA, db=str(db), origin="demo")
    monkeypatch.setenv("CX_DB", str(db))
    monkeypatch.delenv("CX_BENCHMARKS", raising=False)
    return db


@pytest.fixture
def export_copy(tmp_path) -> Path:
    """A writable copy of the dashboard export."""
    return Path(shutil.copytree(DASHBOARD_DATA, tmp_path / "export"))


# ------------------------------------------------------------------------------ test kinds
# Every test gets one marker of KINDS (pyproject.toml registers them) from what its module uses,
# so `python -m pytest -m "not browser"` is the quick loop and a new test file needs no edit.
# A test or module that carries one of the markers itself keeps it.

KINDS = ("browser", "app", "database", "unit")
DATABASE_FIXTURES = {"dashboard_db", "cx_db", "fresh_db"}
SIGNS = {
    "browser": re.compile(r"playwright|chromium", re.IGNORECASE),
    "app": re.compile(r"AppTest|streamlit\.testing"),
    "database": re.compile(r"duckdb|etl\.load|\bload\(|CX_DB|_db\b"),  # builds or asks a database
}


@functools.cache
def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def kind_of(item: pytest.Item) -> str:
    """browser, app, database or unit: the first whose sign the test's module shows."""
    own = [kind for kind in KINDS if item.get_closest_marker(kind)]
    if own:
        return own[0]
    source = _source(Path(item.path))
    if "browser" in Path(item.path).stem or SIGNS["browser"].search(source):
        return "browser"
    if SIGNS["app"].search(source):
        return "app"
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())) or SIGNS["database"].search(source):
        return "database"
    return "unit"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(kind_of(item))


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright (the browser tests')."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import ARGS, CHROMIUM

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
