"""The dashboard in a real browser: first start on an empty CX_DB builds the sample, then every
page renders without an exception. Screenshots land in tests/artifacts/ (git-ignored)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
PAGES = {"overview": "", "response-times": "response-times", "closing-the-loop": "closing-the-loop",
         "offers": "offers", "team": "team", "review": "review", "data": "data"}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str], env: dict) -> subprocess.Popen:
    """A server of the test's own, from the project folder, its output kept for a failure."""
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Until `url` answers 200 (or the process exits, or `seconds` pass)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[2]} exited: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


def wait_healthy(url: str, server: subprocess.Popen) -> None:
    wait_up(f"{url}/_stcore/health", server)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run dashboard.py` on a free port with CX_DB at a fresh, empty place."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (CI installs Debian's chromium)")
    db = tmp_path_factory.mktemp("browser") / "cx.duckdb"
    port = free_port()
    env = {**os.environ, "CX_DB": str(db), "CX_WARM_UP": "1"}  # as deployed: watch and warm-up on
    env.pop("CX_BENCHMARKS", None)
    process = start([sys.executable, "-m", "streamlit", "run", "dashboard.py",
                     "--server.headless", "true", "--server.port", str(port),
                     "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"], env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, db
    finally:
        stop(process)


SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def show(page, url: str, name: str, seconds: float = 180, size: str = "desktop") -> None:
    """Open a page, wait until its script has finished, fail on an exception, screenshot it
    (the whole page, at the width of `size`)."""
    width, tall = SIZES[size]
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=seconds * 1000)
    page.wait_for_timeout(1000)  # charts draw after the script run
    page.wait_for_selector(IDLE, timeout=seconds * 1000)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(tall, height + 40)})
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": width, "height": tall})


def test_first_start_builds_the_sample_and_every_page_renders(server, browser):
    url, db = server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    for name, path in PAGES.items():
        show(page, f"{url}/{path}", name)
        assert page.get_by_text("You are looking at").count() == 1  # the sample notice
    assert db.exists()  # the sample was built and published at CX_DB
    page.close()


def test_a_filter_in_the_url_is_applied(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    show(page, f"{url}/team?department=Sales", "team-sales")
    department = page.locator("[data-testid='stSidebar'] input[aria-label='Department']")
    assert department.input_value() == "Sales"
    recruiter = page.locator("[data-testid='stSidebar'] input[aria-label='Recruiter']")
    recruiter.click()
    page.get_by_role("option").nth(1).click()  # the first recruiter after "All recruiters"
    page.wait_for_url("**recruiter=**", timeout=30000)
    assert "department=Sales" in page.url
    page.close()


def test_a_newly_published_load_shows_without_a_restart(server, browser):
    url, db = server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    show(page, f"{url}/data", "data")
    assert page.get_by_text("demo", exact=True).count() == 0
    subprocess.run([sys.executable, "-m", "etl", "load", "tests/data/dashboard", "--db", str(db),
                    "--origin", "demo"], cwd=ROOT, check=True, capture_output=True)
    show(page, f"{url}/data", "data-after-load")
    assert page.get_by_text("demo", exact=True).count() >= 1
    assert page.get_by_text("You are looking at").count() == 0  # the real data replaced the sample
    page.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_at_desktop_and_phone_size(server, browser, size):
    url, _ = server
    width, tall = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": tall})
    for name, path in PAGES.items():
        show(page, f"{url}/{path}", f"{name}-{width}x{tall}", size=size)
        if size == "phone":  # nothing wider than the screen: no sideways scrolling
            wide = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
            assert wide <= width + 1, (name, wide)
    page.close()


def test_overview_by_its_own_address_opens_without_page_not_found(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    show(page, f"{url}/overview", "overview-by-address")
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("heading", name="Overview").count() >= 1
    page.close()


def test_page_controls_are_in_the_url_by_their_labels(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    show(page, f"{url}/response-times?rt_by=source", "response-times-by-source")
    assert page.get_by_text("Medians by source").count() >= 1  # matched without case
    page.locator("[data-testid='stButtonGroup'] button", has_text="Recruiter").click()
    page.wait_for_url("**rt_by=Recruiter**", timeout=30000)
    page.close()


def test_chart_titles_are_clear_of_the_toolbar_on_a_phone(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 390, "height": 844})
    show(page, f"{url}/", "overview-toolbar", size="phone")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.hover()
    page.wait_for_timeout(300)
    bar = chart.locator(".modebar-container").bounding_box()
    title = chart.locator(".gtitle").bounding_box()
    assert bar is None or title is None or bar["y"] + bar["height"] <= title["y"] + 1
    page.close()


def test_the_call_list_shows_name_phone_days_and_status_first_on_a_phone(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 390, "height": 844})
    show(page, f"{url}/team", "team-call-list-phone", size="phone")
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.scroll_into_view_if_needed()
    headers = grid.locator("[role='columnheader']").all_inner_texts()
    assert [h.strip() for h in headers if h.strip()][:4] == ["Candidate", "Phone", "Days waiting",
                                                             "Status"]
    page.close()
