"""Sign-in in a real browser: the dashboard with `[auth]` against a local OpenID provider
(oidc-provider-mock), one server for every role, each role in a browser context of its own.

The data: the dashboard export (tests/conftest.py) with Engineering renamed to an HTML link.
Calls waiting: Finn Kerr (Ada Park, r1), Dev Patel (Ben Cho, r2), =Eve Stone (Unassigned).
The provider's users have subjects unlike their addresses: roles come from the `email` claim.
"""

import csv
import io
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from app import audit
from etl.load import load
from tests.conftest import DASHBOARD_DATA
from tests.test_browser import ARTIFACTS, CHROMIUM, IDLE, free_port, start, stop, wait_healthy, wait_up

LINK = '<a href="https://evil.example/">Engineering</a>'
USERS = {"recruiter": ("u-1001", "Ada@Northwind.example"), "leader": ("u-1002", "maya@northwind.example"),
         "admin": ("u-1003", "it@northwind.example"), "stranger": ("u-1004", "stranger@elsewhere.example")}
ACCESS = """[leaders]
emails = ["maya@northwind.example"]
[admins]
emails = ["it@northwind.example"]
[recruiters]
"ada@northwind.example" = "r1"
"""
CANDIDATES = ["Finn Kerr", "Dev Patel", "Eve Stone"]
NAMES = CANDIDATES + ["Ada Park", "Ben Cho", "555 01"]  # candidates, recruiters, phone numbers
DATA = ["stMetric", "stDataFrame", "stPlotlyChart", "stSelectbox", "stDateInput", "stNumberInput",
        "stFileUploader", "stDownloadButton"]


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock on a free loopback port, with the four users."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (CI installs Debian's chromium)")
    port = free_port()
    claims = [a for sub, email in USERS.values()
              for a in ("--user-claims", json.dumps({"sub": sub, "email": email}))]
    process = start([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
                     "--port", str(port), *claims], dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(f"{url}/.well-known/openid-configuration", process)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def server(provider, tmp_path_factory):
    """The dashboard with [auth] (a secrets file of the test's own) and an access file."""
    tmp = tmp_path_factory.mktemp("signin")
    export = Path(shutil.copytree(DASHBOARD_DATA, tmp / "export"))
    jobs = (export / "jobs.csv").read_text().replace(",Engineering,", f',"{LINK.replace(chr(34), chr(34) * 2)}",')
    (export / "jobs.csv").write_text(jobs)
    db = tmp / "db" / "cx.duckdb"
    load(export, db=str(db), origin="demo")
    port = free_port()
    (tmp / "access.toml").write_text(ACCESS)
    (tmp / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{os.urandom(16).hex()}"\n'
        'client_id = "reciprocal"\nclient_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')
    env = {**os.environ, "CX_DB": str(db), "CX_ACCESS": str(tmp / "access.toml")}
    for name in ("CX_BENCHMARKS", "CX_ALLOW_ANONYMOUS", "AUTHLIB_INSECURE_TRANSPORT"):
        env.pop(name, None)
    process = start([sys.executable, "-m", "streamlit", "run", "dashboard.py",
                     "--server.headless", "true", "--server.port", str(port),
                     "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                     "--secrets.files", str(tmp / "secrets.toml")], env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, db, tmp
    finally:
        stop(process)


def idle(page, seconds: float = 120) -> None:
    """Wait until the script run is over (and the one a widget or redirect may start)."""
    page.wait_for_selector(IDLE, timeout=seconds * 1000)
    page.wait_for_timeout(700)
    page.wait_for_selector(IDLE, timeout=seconds * 1000)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def visit(page, url: str) -> None:
    page.goto(url)
    idle(page)


def sign_in(browser, server, who: str):
    """A fresh browser context signed in as one of USERS (through the provider's page)."""
    url = server[0]
    context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    visit(page, url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30000)
    page.get_by_role("button", name=USERS[who][0], exact=True).click()  # the subject, not the address
    page.wait_for_url(f"{url}/**", timeout=30000)
    # the provider sends the browser to the callback, which sends it home: that pattern matches
    # the callback too, so the home page may still be on its way
    sign_out = page.get_by_role("button", name="Sign out")
    sign_out.first.wait_for(timeout=60000)
    idle(page)
    assert sign_out.count() == 1
    return context, page


FILLED = """() => [...document.querySelectorAll("[data-testid='stDataFrame']")].every(
    grid => [...grid.querySelectorAll("[role='gridcell']")].some(c => c.textContent.trim()))"""


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def grid_text(page) -> str:
    """The text of every table on the page (the grid's accessible cells, once filled)."""
    page.wait_for_function(FILLED, timeout=30000)
    return "\n".join(page.locator("[data-testid='stDataFrame'] [role='gridcell']").all_text_contents())


def assert_no_data(page) -> None:
    for testid in DATA:
        assert page.locator(f"[data-testid='{testid}']").count() == 0, testid
    html = page.content()
    assert not [name for name in NAMES if name in html]


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in_page(server, browser):
    context = browser.new_context()
    page = context.new_page()
    for path in ("", "team", "data"):
        visit(page, f"{server[0]}/{path}")
        assert page.get_by_role("button", name="Sign in").count() == 1
        assert_no_data(page)
    screenshot(page, "sign-in")
    context.close()


def test_a_recruiter_sees_and_downloads_only_their_own_calls_then_signs_out(server, browser):
    url, db, _ = server
    context, page = sign_in(browser, server, "recruiter")
    visit(page, f"{url}/team?my_list=r2&recruiter=r2")
    calls = grid_text(page)
    assert "Finn Kerr" in calls and "Dev Patel" not in calls and "Eve Stone" not in calls
    idle(page)  # the file is written on the click by the run that drew the button
    with page.expect_download(timeout=60000) as download:
        page.get_by_role("button", name="Download the call list (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [r["Candidate"] for r in rows] == ["Finn Kerr"]
    last = audit.recent(limit=1, db=db).iloc[0]
    assert (last["Who"], last["Action"], last["What"], last["Rows"]) == (
        "ada@northwind.example", "download", "call list", 1)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=30000)  # the provider's own sign-out
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{url}/**", timeout=30000)
    sign_in_again = page.get_by_role("button", name="Sign in")
    sign_in_again.first.wait_for(timeout=60000)  # as after signing in: home may be on its way
    idle(page)
    assert sign_in_again.count() == 1
    assert_no_data(page)
    context.close()


def test_a_leader_sees_everyones_calls_no_upload_and_export_html_as_text(server, browser):
    url, _, _ = server
    context, page = sign_in(browser, server, "leader")
    visit(page, f"{url}/team")
    calls = grid_text(page)
    assert all(name in calls for name in CANDIDATES), calls
    visit(page, f"{url}/data")
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    visit(page, f"{url}/response-times")  # medians by department: the link is a label
    label = page.locator("[data-testid='stPlotlyChart'] text", has_text="evil.example").first
    label.wait_for(timeout=30000)
    assert label.text_content() == LINK
    page.locator("[data-testid='stSidebar'] input[aria-label='Department']").click()
    assert page.get_by_role("option", name=LINK, exact=True).count() == 1  # the filter's option
    assert page.locator("a[href*='evil.example']").count() == 0
    context.close()


def test_an_admin_may_upload_and_markdown_in_its_error_shows_as_typed(server, browser):
    url, db, tmp = server
    header = "**bold**,[x](https://evil.example/)\n1,2\n"
    archive = tmp / "bad-export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in sorted(DASHBOARD_DATA.iterdir()):
            z.writestr(f"export/{f.name}", header if f.name == "applications.csv" else f.read_text())
    context, page = sign_in(browser, server, "admin")
    visit(page, f"{url}/data")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(archive))
    idle(page)
    page.get_by_role("button", name="Load this export").click()
    page.wait_for_selector("[data-testid='stAlertContentError']", timeout=120000)
    idle(page)
    error = page.locator("[data-testid='stMain'] [data-testid='stText']")
    assert "**bold**, [x](https://evil.example/)" in error.inner_text()
    assert page.locator("[data-testid='stMain']").locator("strong, a[href*='evil'], em").count() == 0
    last = audit.recent(limit=1, db=db).iloc[0]
    assert (last["Who"], last["Action"], last["What"], last["Rows"]) == (
        "it@northwind.example", "upload (nothing loaded)", "bad-export.zip", 0)
    context.close()


def test_an_unlisted_address_sees_the_no_access_page(server, browser):
    context, page = sign_in(browser, server, "stranger")
    visit(page, f"{server[0]}/team")
    assert page.get_by_text("No access").count() >= 1
    assert "it@northwind.example" in page.content()  # whom to ask
    assert_no_data(page)
    screenshot(page, "no-access")
    context.close()
