"""Sign-in, roles and the refusal to serve anonymously, driven headlessly (AppTest) on the
dashboard export (tests/conftest.py): Ada Park (r1) has one rejected interviewee waiting for a
call (Finn Kerr) and the offer past its deadline (A12); Ben Cho (r2) has one call (Dev Patel);
one call is Unassigned (=Eve Stone). The real sign-in, in a browser, is tests/test_browser_auth.py.
"""

import os
import stat

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from app import audit, safe
from tests.test_dashboard import ROOT, table
from tests.test_dashboard_use import drilled

AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "s" * 32,
        "client_id": "reciprocal", "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration"}
ACCESS = """
[leaders]
emails = ["Maya@Northwind.example"]
domains = ["leaders.example"]
[admins]
emails = ["it@northwind.example", "second@northwind.example"]
[recruiters]
"ada@northwind.example" = "r1"
"ben@northwind.example" = "r2"
"""
PEOPLE = ["Finn Kerr", "Dev Patel", "Eve Stone", "Ada Park", "Ben Cho"]  # candidates, recruiters
DATA_ELEMENTS = ("metric", "dataframe", "selectbox", "date_input", "number_input")


@pytest.fixture
def access(cx_db, tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS)
    monkeypatch.setenv("CX_ACCESS", str(path))
    return path


@pytest.fixture
def bound(monkeypatch):
    """Set server.address as `streamlit run --server.address A` would, for one test."""
    before = config.get_option("server.address")

    def bind(address: str | None) -> None:
        config.set_option("server.address", address)

    yield bind
    config.set_option("server.address", before)


def open_as(email: str | None, page: str | None = None, query: dict | None = None,
            signed_in: bool = True) -> AppTest:
    """The dashboard with sign-in configured, for a visitor signed in with `email` (None: not
    signed in); the claims' `sub` is never the address."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "sub": "opaque-id-1"} if signed_in \
        else {"is_logged_in": False}
    at.query_params.update(query or {})
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything_shown(at: AppTest) -> str:
    """Every text of the page, to look for names in."""
    parts = [e.value for kind in ("title", "markdown", "caption", "error", "warning", "info",
                                  "success", "header", "subheader") for e in getattr(at, kind)]
    parts += [str(d.value.to_dict()) for d in at.dataframe]
    parts += [str(b.label) for b in at.button]
    return "\n".join(str(p) for p in parts)


def assert_no_data(at: AppTest) -> None:
    for kind in DATA_ELEMENTS:
        assert len(getattr(at, kind)) == 0, kind
    assert len(at.get("plotly_chart")) == 0
    text = everything_shown(at)
    assert not any(name in text for name in PEOPLE), text


def rows_set_aside(at: AppTest) -> list:
    return [d for d in at.dataframe if "line" in d.value.columns]


def call_list(at: AppTest) -> list[str]:
    return sorted(table(at, "Candidate")["Candidate"])


def test_a_visitor_who_has_not_signed_in_sees_the_sign_in_page_only(access):
    for page in (None, "team", "data"):
        at = open_as(None, page, signed_in=False)
        assert [b.label for b in at.button] == ["Sign in"]
        assert_no_data(at)


def test_a_recruiter_sees_only_their_own_candidates_whatever_the_url_says(access):
    at = open_as("Ada@Northwind.example", "team",  # the claim's case does not matter
                 query={"my_list": "r2", "recruiter": "r2"})
    assert call_list(at) == ["Finn Kerr"]
    my_list = at.selectbox(key="my_list")
    assert my_list.options == ["Ada Park"] and my_list.disabled
    assert "Sign out" in [b.label for b in at.sidebar.button]
    at.switch_page("views/offers.py").run()
    assert list(table(at, "Application")["Application"]) == ["A12"]  # Ada's own offer

    ben = open_as("ben@northwind.example", "offers")
    assert not [d for d in ben.dataframe if d.value.columns[0] == "Application"]
    assert any("No offer is waiting past its deadline" in s.value for s in ben.success)
    ben.switch_page("views/team.py").run()
    assert call_list(ben) == ["Dev Patel"]


def test_a_recruiter_still_sees_the_teams_figures(access):
    at = open_as("ada@northwind.example", "team")
    assert list(table(at, "Recruiter")["Recruiter"]) == ["Ada Park", "Ben Cho", "Unassigned"]


def test_a_leader_sees_everyones_calls_and_no_upload(access):
    at = open_as("maya@northwind.example", "team")
    assert call_list(at) == ["=Eve Stone", "Dev Patel", "Finn Kerr"]
    assert not at.selectbox(key="my_list").disabled
    at.switch_page("views/data.py").run()
    assert len(at.get("file_uploader")) == 0 and "upload_load" not in [b.key for b in at.button]
    assert len(rows_set_aside(at)) == 1  # which leaders see
    by_domain = open_as("someone@leaders.example", "team")
    assert len(call_list(by_domain)) == 3


def test_an_admin_may_upload_and_sees_the_audit_log(access):
    at = open_as("it@northwind.example", "data")
    assert len(at.get("file_uploader")) == 1
    assert list(table(at, "When (UTC)").columns) == ["When (UTC)", "Who", "Action", "What", "Rows"]


def test_a_recruiter_has_no_upload_and_no_rows_set_aside(access):
    at = open_as("ada@northwind.example", "data")
    assert len(at.get("file_uploader")) == 0
    assert rows_set_aside(at) == []


def test_an_unlisted_address_sees_who_to_ask_and_no_data(access):
    at = open_as("stranger@elsewhere.example", "team")
    assert at.title[0].value == "No access"
    assert safe.md("it@northwind.example") in at.markdown[0].value  # the first admin
    assert [b.label for b in at.button] == ["Sign out"]
    assert_no_data(at)


def test_without_an_access_file_nobody_signed_in_sees_anything(cx_db, monkeypatch, tmp_path):
    monkeypatch.setenv("CX_ACCESS", str(tmp_path / "absent.toml"))
    at = open_as("maya@northwind.example", "team")
    assert at.title[0].value == "No access"
    assert_no_data(at)


@pytest.mark.parametrize("text, problem", [
    ("[leaders\nemails = []", "not valid TOML"),
    ("[owners]\nemails = ['a@x.example']", "unknown role [owners]"),
])
def test_a_broken_access_file_stops_the_app_with_one_sentence(cx_db, tmp_path, monkeypatch,
                                                              text, problem):
    path = tmp_path / "access.toml"
    path.write_text(text)
    monkeypatch.setenv("CX_ACCESS", str(path))
    at = open_as("maya@northwind.example", "team")
    assert at.title[0].value == "Reciprocal is stopped"
    assert [e.value for e in at.error] and safe.md(problem) in at.error[0].value
    assert_no_data(at)


@pytest.mark.parametrize("address", ["0.0.0.0", "192.0.2.10", None])
def test_without_sign_in_a_non_loopback_address_shows_the_setup_and_no_data(cx_db, bound, address):
    bound(address)
    for page in ("overview", "team", "data"):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert at.title[0].value == "Sign-in is not set up"
        assert_no_data(at)


def test_anonymous_on_a_network_only_when_the_operator_says_so_and_under_a_banner(
        cx_db, bound, monkeypatch):
    bound("0.0.0.0")
    monkeypatch.setenv("CX_ALLOW_ANONYMOUS", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/team.py").run()
    assert "CX\\_ALLOW\\_ANONYMOUS" in at.warning[0].value or "CX_ALLOW_ANONYMOUS" in at.warning[0].value
    assert call_list(at) == ["=Eve Stone", "Dev Patel", "Finn Kerr"]
    at.switch_page("views/data.py").run()
    assert len(at.get("file_uploader")) == 0  # reading is allowed, loading is not


@pytest.mark.parametrize("address, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.com", False),
    ("", False), (None, False)])
def test_only_a_loopback_bound_address_counts_as_this_machine(address, loopback):
    from app.auth import is_loopback

    assert is_loopback(address) is loopback


def test_the_audit_log_is_appended_to_and_the_owners_alone(tmp_path):
    db = tmp_path / "cx.duckdb"
    fetch = audit.download("maya@northwind.example", "call list", b"a,b\r\n", 3)
    assert not audit.log_path(db).exists()  # drawing the button records nothing
    audit.record("it@northwind.example", "upload", "export.zip", 131, db)
    audit.record("maya@northwind.example", "download", "call list", 3, db)
    path = audit.log_path(db)
    assert path == tmp_path / "cx.audit.jsonl"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    recent = audit.recent(db=db)
    assert recent[["Who", "Action", "What", "Rows"]].values.tolist() == [
        ["maya@northwind.example", "download", "call list", 3],
        ["it@northwind.example", "upload", "export.zip", 131]]
    assert audit.recent(limit=1, db=db)["Action"].tolist() == ["download"]
    assert fetch  # recorded beside CX_DB's database when fetched (test_browser_auth.py)


def test_a_download_is_recorded_when_its_file_is_fetched(cx_db):
    fetch = audit.download("ada@northwind.example", "call list", b"x", 1)
    before = len(audit.recent(limit=1000))
    assert fetch() == b"x" and fetch() == b"x"
    recent = audit.recent(limit=1000)
    assert len(recent) == before + 2
    assert recent.iloc[0][["Who", "Action", "What", "Rows"]].tolist() == [
        "ada@northwind.example", "download", "call list", 1]


def test_every_load_records_who_made_it(tmp_path, monkeypatch):
    from etl.load import os_user
    from tests.helpers import DATA, load, rows

    db = tmp_path / "cx.duckdb"
    load(DATA / "dashboard", db, "--origin", "demo")  # the command line: the OS user
    load(DATA / "dashboard", db, "--origin", "demo", "--loaded-by", "it@northwind.example")
    assert rows(db, "select load_id, loaded_by from loads order by load_id") == [
        (1, os_user()), (2, "it@northwind.example")]
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data.py").run()
    assert list(table(at, "Load")["Loaded by"]) == ["it@northwind.example", os_user()]


def test_an_upload_records_the_uploader_in_the_loads_history_and_the_audit_log(access, fresh_db):
    from tests.test_dashboard import zipped

    at = open_as("it@northwind.example", "data")
    at.file_uploader(key="upload_zip").set_value(
        ("mine.zip", zipped(ROOT / "tests" / "data" / "dashboard"), "application/zip")).run()
    at.button(key="upload_load").click().run()
    assert list(table(at, "Load")["Loaded by"])[0] == "it@northwind.example"
    log = table(at, "When (UTC)")
    assert log[["Who", "Action", "What", "Rows"]].values.tolist()[0] == [
        "it@northwind.example", "upload", "mine.zip", 131]  # as test_dashboard counts them


def test_sign_in_never_travels_over_plain_http_beyond_this_machine(access):
    from app.auth import plain_http

    assert plain_http(AUTH) == []  # loopback
    assert plain_http({"redirect_uri": "https://cx.northwind.example/oauth2callback",
                       "server_metadata_url": "https://login.example/.well-known/x"}) == []
    assert plain_http({"redirect_uri": "http://cx.northwind.example/oauth2callback",
                       "server_metadata_url": "http://login.example/x"}) == [
        "redirect_uri", "server_metadata_url"]
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH | {"redirect_uri": "http://cx.northwind.example/oauth2callback"}
    at.user = {"is_logged_in": True, "email": "maya@northwind.example"}
    at.run()
    assert at.title[0].value == "Reciprocal is stopped" and "redirect\\_uri" in at.error[0].value
    assert_no_data(at)


def test_a_visitor_sees_a_sentence_for_an_error_and_never_its_message(cx_db, monkeypatch):
    import app.state

    def broken(*args, **kwargs):
        raise RuntimeError("Finn Kerr +1 555 0106")  # what an error message could carry

    monkeypatch.setattr(app.state, "question", broken)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/team.py").run()
    [error] = at.exception
    assert error.message.startswith("This app has encountered an error")
    assert "Finn Kerr" not in error.message and not error.stack_trace


def test_an_address_the_provider_has_not_verified_has_no_access(access):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "maya@northwind.example", "email_verified": False}
    at.run()
    assert at.title[0].value == "No access"
    assert_no_data(at)


def test_a_recruiter_drills_into_their_own_no_shows_and_withdrawals_and_the_download_is_audited(
        access, monkeypatch):
    fetches, download = {}, audit.download

    def kept(who, what, data, rows):
        fetches[what] = download(who, what, data, rows)
        return fetches[what]

    monkeypatch.setattr(audit, "download", kept)
    at = open_as("ada@northwind.example")
    at.toggle(key="overview_drill").set_value(True).run()
    at.selectbox(key="overview_figure").select("no_show_rate").run()
    shown = drilled(at, "Attended")
    # of the 13 interviews due, Ada Park's (r1): A01, A02, A06, A09, A12 and A14's no-show
    assert sorted(shown["Application"]) == ["A01", "A02", "A06", "A09", "A12", "A14"]
    assert set(shown["Recruiter"]) == {"Ada Park"}
    assert "6 interviews behind “Interview no-shows” (your own applications)." in \
        [c.value for c in at.caption]
    fetch = fetches["applications behind Interview no-shows"]
    assert fetch()
    assert audit.recent(limit=1)[["Who", "Action", "What", "Rows"]].values.tolist() == [
        ["ada@northwind.example", "download", "applications behind Interview no-shows", 6]]

    ben = open_as("ben@northwind.example")
    ben.toggle(key="overview_drill").set_value(True).run()
    ben.selectbox(key="overview_figure").select("withdrawals").run()
    assert sorted(drilled(ben, "Told us")["Application"]) == ["A10", "A11"]  # not Unassigned A13
    ben.selectbox(key="overview_figure").select("company_reply_hours_median").run()
    assert list(drilled(ben, "Answered by")["Application"]) == ["A07"]  # A06 is Ada's


def test_every_list_of_people_behind_a_figure_is_candidate_level():
    from app.auth import CANDIDATE_LEVEL

    lists = {p.stem for p in (ROOT / "queries" / "sql").glob("people_*.sql")}
    assert {"people_reply_times", "people_no_shows", "people_withdrawals"} <= lists
    assert lists <= CANDIDATE_LEVEL  # a recruiter's query asks for their own rows only
