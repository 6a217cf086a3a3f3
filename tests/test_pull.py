"""`python -m etl pull greenhouse` against a local fake Harvest v3 server (127.0.0.1 only)."""

import io
import json
import sys
import types
from datetime import UTC, datetime
from pathlib import Path

import pytest

from etl import http_client, pull
from etl import pull_greenhouse as gh
from tests.fake_harvest import CLIENT_ID, CLIENT_SECRET, USER_ID, Catcher, FakeHarvest
from tests.helpers import rows
from tests.loopback import FakeTime

DATA = Path(__file__).parent / "data" / "harvest_pull"
T0 = 1_750_000_000.0


def read_folder(folder: Path) -> dict[str, list]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


EXPORT = read_folder(DATA / "export")
LATER = read_folder(DATA / "later")


@pytest.fixture
def clock():
    return FakeTime(T0)


@pytest.fixture
def harvest(monkeypatch):
    with FakeHarvest({name: list(rows) for name, rows in EXPORT.items()}) as server:
        monkeypatch.setenv("GREENHOUSE_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("GREENHOUSE_CLIENT_SECRET", CLIENT_SECRET)
        monkeypatch.setenv("GREENHOUSE_USER_ID", USER_ID)
        monkeypatch.setenv("GREENHOUSE_AUTH_URL", server.auth_url)
        monkeypatch.setenv("GREENHOUSE_API_URL", server.api_url)
        yield server


def run(clock: FakeTime, *args: str) -> int:
    return pull.main(["greenhouse", *args], sleep=clock.sleep, now=lambda: clock.now)


def folder_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


EXPORT_FILES = sorted(f"{name}.json" for name in gh.RESOURCES)


def test_the_fixture_export_covers_every_resource():
    assert sorted(EXPORT) == sorted(gh.RESOURCES)


def test_a_full_pull_equals_the_export_despite_429_500_rate_limit_and_expired_token(
        harvest, clock, tmp_path, capsys):
    harvest.exhaust_rate_limit_on = {1}
    harvest.rate_limit_reset = T0 + 30
    harvest.fail_once = {("applications", 2): [429], ("notes", 1): [500]}
    harvest.token_uses = 25
    out = tmp_path / "export"

    assert run(clock, "--out", str(out)) == 0

    assert read_folder(out) == EXPORT
    assert folder_files(out) == EXPORT_FILES          # no state file, no partial files left
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {0o600}
    assert out.stat().st_mode & 0o777 == 0o700
    assert clock.sleeps == [30, 3, 1]                 # reset wait, Retry-After, first backoff
    assert harvest.tokens_issued == 2
    assert [r.status for r in harvest.api_requests()].count(401) == 1
    captured = capsys.readouterr()
    assert captured.out == f"Pulled 62 records from 14 Greenhouse resources into {out}.\n"
    assert captured.err == ""


def test_first_requests_ask_for_500_per_page_and_cursor_requests_carry_nothing_else(
        harvest, clock, tmp_path):
    assert run(clock, "--out", str(tmp_path)) == 0

    answered = [r for r in harvest.api_requests("applications") if r.status == 200]
    assert [sorted(r.query) for r in answered] == [["per_page"], ["cursor"], ["cursor"]]
    assert answered[0].query["per_page"] == ["500"]
    first_pages = [r for r in harvest.api_requests() if "cursor" not in r.query]
    assert len(first_pages) == len(gh.RESOURCES)


def test_the_token_request_uses_basic_auth_and_the_user_as_sub(harvest, clock, tmp_path):
    harvest.data = {}            # every list answers 404: only the token exchange matters here
    run(clock, "--out", str(tmp_path))

    assert harvest.tokens_issued == 1                 # the fake checks Basic auth, grant and sub
    assert harvest.log[0].method == "POST" and harvest.log[0].path == "/token"


def test_a_token_is_refreshed_before_it_expires(harvest, clock, tmp_path):
    harvest.token_ttl = 120
    harvest.retry_after = "200"                       # the wait outlives the token
    harvest.fail_once = {("candidates", 1): [429]}

    assert run(clock, "--out", str(tmp_path)) == 0

    candidates = harvest.api_requests("candidates")
    assert [(r.status, r.token) for r in candidates] == [
        (429, "token-1"), (200, "token-2"), (200, "token-2"), (200, "token-2")]
    assert all(r.status != 401 for r in harvest.log)
    assert read_folder(tmp_path) == EXPORT


def test_since_pulls_updated_records_and_merges_them_by_id(harvest, clock, tmp_path, capsys):
    out = tmp_path / "export"
    assert run(clock, "--out", str(out)) == 0
    harvest.data.update({name: list(rows) for name, rows in LATER.items()})
    harvest.log.clear()
    capsys.readouterr()

    assert run(clock, "--out", str(out), "--since", "2025-06-01") == 0

    assert read_folder(out) == {**EXPORT, **LATER}
    first_pages = [r for r in harvest.api_requests() if "cursor" not in r.query]
    assert {r.query["updated_at"][0] for r in first_pages} == {"gte|2025-06-01T00:00:00Z"}
    served = {r.path[4:]: r.records for r in harvest.api_requests() if r.records}
    assert served == {"applications": 2, "rejection_details": 1, "notes": 1}
    assert not any("cursor" in r.query for r in harvest.api_requests())
    assert capsys.readouterr().out == (
        f"Pulled 4 records updated since 2025-06-01T00:00:00Z from 14 Greenhouse resources "
        f"into {out}.\n")


def test_since_into_an_empty_folder_says_it_holds_only_the_updates(harvest, clock, tmp_path, capsys):
    harvest.data.update({name: list(rows) for name, rows in LATER.items()})

    assert run(clock, "--out", str(tmp_path), "--since", "2025-06-01") == 0

    assert capsys.readouterr().err == (
        f"note: {tmp_path} holds no earlier pull, so it will hold only the records updated since "
        "2025-06-01T00:00:00Z.\n")
    assert [r["id"] for r in json.loads((tmp_path / "applications.json").read_text())] == [2004, 2006]
    assert json.loads((tmp_path / "users.json").read_text()) == []


def test_merge_by_id_replaces_in_place_and_appends_new_records_in_order():
    old = [{"id": 1, "v": "a"}, {"id": 2, "v": "a"}, {"id": 3, "v": "a"}]
    new = [{"id": 4, "v": "b"}, {"id": 2, "v": "b"}, {"id": 5, "v": "b"}, {"id": 4, "v": "c"}]

    assert pull.merge_by_id(old, new) == [
        {"id": 1, "v": "a"}, {"id": 2, "v": "b"}, {"id": 3, "v": "a"},
        {"id": 4, "v": "c"}, {"id": 5, "v": "b"}]


def test_an_interrupted_pull_leaves_no_partial_file_and_a_rerun_completes(
        harvest, clock, tmp_path, capsys):
    harvest.broken = {("notes", 2)}
    out = tmp_path / "export"

    assert run(clock, "--out", str(out)) == 1

    done = ["applications", "application_stages", "job_interview_stages", "rejection_details",
            "rejection_reasons", "candidates"]
    assert folder_files(out) == [".pull-state.json"] + sorted(f"{r}.json" for r in done)
    assert json.loads((out / ".pull-state.json").read_text()) == {"since": None, "done": done}
    assert clock.sleeps == [1, 2, 4, 8, 16]
    assert capsys.readouterr().err == (
        'Greenhouse failed GET notes 6 times in a row (HTTP 500: {"error": "internal server error"}); '

        "rerun the same command later to resume.\n")

    harvest.broken.clear()
    harvest.log.clear()
    assert run(clock, "--out", str(out)) == 0

    assert read_folder(out) == EXPORT
    assert folder_files(out) == EXPORT_FILES
    assert {r.path[4:] for r in harvest.api_requests()} == set(gh.RESOURCES) - set(done)
    assert capsys.readouterr().out == (
        f"Pulled 32 records from 8 Greenhouse resources into {out} "
        f"(6 more were already complete from the interrupted run).\n")


def test_a_state_file_for_another_since_value_is_ignored(harvest, clock, tmp_path):
    (tmp_path / ".pull-state.json").write_text(
        json.dumps({"since": "2025-06-01T00:00:00Z", "done": list(gh.RESOURCES)}))

    assert run(clock, "--out", str(tmp_path)) == 0

    assert read_folder(tmp_path) == EXPORT
    assert {r.path[4:] for r in harvest.api_requests()} == set(gh.RESOURCES)


def test_network_errors_are_retried_then_reported(harvest, clock, tmp_path, capsys, monkeypatch):
    with FakeHarvest({}) as gone:
        dead_url = gone.api_url                       # nothing listens there once closed
    monkeypatch.setenv("GREENHOUSE_API_URL", dead_url)

    assert run(clock, "--out", str(tmp_path)) == 1

    assert clock.sleeps == [1, 2, 4, 8, 16]
    error = capsys.readouterr().err
    assert error.startswith("Greenhouse failed GET applications 6 times in a row (network error: ")
    assert error.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_forbidden_resource_names_the_scope_and_the_site_admin_rule(
        harvest, clock, tmp_path, capsys):
    harvest.forbidden = {"offers"}

    assert run(clock, "--out", str(tmp_path)) == 2

    assert capsys.readouterr().err == (
        "Greenhouse refused offers (HTTP 403): give the credential the scope "
        "harvest:offers:list, and make GREENHOUSE_USER_ID a Site Admin.\n")
    assert not (tmp_path / "offers.json").exists()


def test_refused_credentials_say_which_variables_to_check(
        harvest, clock, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GREENHOUSE_CLIENT_SECRET", "wrong")

    assert run(clock, "--out", str(tmp_path)) == 2

    assert capsys.readouterr().err == (
        "Greenhouse refused the credential (HTTP 401, invalid_client): check "
        "GREENHOUSE_CLIENT_ID and GREENHOUSE_CLIENT_SECRET, and that GREENHOUSE_USER_ID is the "
        "numeric id of a user in that Greenhouse account.\n")
    assert list(tmp_path.iterdir()) == []


def test_a_401_with_a_fresh_token_is_reported_after_one_refresh(harvest, clock, tmp_path, capsys):
    harvest.reject_tokens = True

    assert run(clock, "--out", str(tmp_path)) == 2

    assert harvest.tokens_issued == 2
    assert capsys.readouterr().err == (
        "Greenhouse refused applications (HTTP 401) even with a fresh access token: "
        "check that the Harvest v3 credential is still active.\n")


@pytest.mark.parametrize("unset", [
    ["GREENHOUSE_CLIENT_ID"],
    ["GREENHOUSE_CLIENT_SECRET", "GREENHOUSE_USER_ID"],
])
def test_missing_credentials_are_named_in_one_line(clock, tmp_path, capsys, monkeypatch, unset):
    for name in gh.CREDENTIAL_VARS:
        monkeypatch.setenv(name, "set")
    for name in unset:
        monkeypatch.delenv(name)

    assert run(clock, "--out", str(tmp_path / "out")) == 2

    assert capsys.readouterr().err == (
        f"Missing environment variable(s) {', '.join(unset)}: the pull reads a Harvest v3 "
        "credential from GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and GREENHOUSE_USER_ID "
        "(see docs/greenhouse-pull.md).\n")
    assert not (tmp_path / "out").exists()


def test_endpoints_default_to_greenhouse_and_can_be_overridden():
    credential = {name: "x" for name in gh.CREDENTIAL_VARS}

    default = gh.Settings.from_env(credential)
    overridden = gh.Settings.from_env({**credential, "GREENHOUSE_AUTH_URL": "http://127.0.0.1:81/token",
                                      "GREENHOUSE_API_URL": "https://b.example/v3/"})

    assert (default.auth_url, default.api_url) == (
        "https://auth.greenhouse.io/token", "https://harvest.greenhouse.io/v3")
    assert (overridden.auth_url, overridden.api_url) == ("http://127.0.0.1:81/token", "https://b.example/v3")


@pytest.mark.parametrize("text, expected", [
    ("2025-06-01", "2025-06-01T00:00:00Z"),
    ("2025-06-01T10:00:00+02:00", "2025-06-01T08:00:00Z"),
    ("2025-06-01T10:00:00Z", "2025-06-01T10:00:00Z"),
    ("2025-06-01 10:00", "2025-06-01T10:00:00Z"),
])
def test_since_becomes_an_iso_utc_timestamp(text, expected):
    assert pull.parse_since(text) == expected


def test_a_bad_since_value_exits_2(harvest, clock, tmp_path, capsys):
    assert run(clock, "--out", str(tmp_path), "--since", "last tuesday") == 2

    assert "not a date or ISO-8601 timestamp: 'last tuesday'" in capsys.readouterr().err
    assert harvest.log == []


def test_db_without_load_exits_2(clock, tmp_path, capsys):
    assert run(clock, "--out", str(tmp_path), "--db", "x.duckdb") == 2
    assert capsys.readouterr().err == "--db only applies together with --load.\n"


@pytest.mark.parametrize("header, expected", [
    ('<https://h.example/v3/jobs?cursor=abc>; rel="next"', "https://h.example/v3/jobs?cursor=abc"),
    ('<https://h.example/p>; rel="prev", <https://h.example/n?cursor=x%3D>; rel=next',
     "https://h.example/n?cursor=x%3D"),
    ('</v3/jobs?cursor=rel>; title="a, b"; rel="next"', "https://h.example/v3/jobs?cursor=rel"),
    ('<https://h.example/p>; rel="prev"', None),
    ("", None),
])
def test_the_next_link_is_read_from_the_link_header(header, expected):
    assert gh._next_link(header, "https://h.example/v3/jobs?per_page=500") == expected


@pytest.mark.parametrize("payload, expected", [
    ({"expires_in": 3600}, T0 + 3600),
    ({"expires_at": T0 + 900}, T0 + 900),
    ({"expires_at": "2025-06-15T15:06:40Z"}, 1_750_000_000.0),
    ({}, T0 + 3600),
])
def test_token_expiry_comes_from_expires_in_or_expires_at(payload, expected):
    assert gh._token_expiry(payload, T0) == expected


def test_rate_limit_waits_read_epoch_or_seconds_and_are_capped():
    assert http_client.until_reset(str(T0 + 12), T0) == 12
    assert http_client.until_reset("7", T0) == 7
    assert http_client.until_reset(str(T0 - 5), T0) == 0
    assert http_client.until_reset(str(T0 + 86_400), T0) == http_client.MAX_WAIT_SECONDS
    assert http_client.retry_after("Sun, 15 Jun 2025 15:07:00 GMT", T0) == 20
    assert http_client.retry_after("soon", T0) is None


def test_a_redirect_from_the_api_is_not_followed_and_the_other_host_gets_nothing(
        harvest, clock, tmp_path, capsys):
    with Catcher() as other:
        harvest.redirects["/v3/applications"] = other.url("/v3/applications")

        assert run(clock, "--out", str(tmp_path)) == 2

    assert other.log == []
    host, port = other.url("").removeprefix("http://").split(":")
    assert capsys.readouterr().err == (
        f"Greenhouse answered GET applications with a redirect (HTTP 302 to http://{host}:{port}); "
        "credentials are never sent on a redirect: configure the final address instead.\n")
    assert list(tmp_path.iterdir()) == []


def test_a_redirect_from_the_token_endpoint_never_carries_the_client_secret(
        harvest, clock, tmp_path, capsys):
    with Catcher() as other:
        harvest.redirects["/token"] = other.url("/token")

        assert run(clock, "--out", str(tmp_path)) == 2

    assert other.log == []
    error = capsys.readouterr().err
    assert error.startswith("Greenhouse answered the token request with a redirect (HTTP 302 to ")
    assert error.count("\n") == 1


@pytest.mark.parametrize("variable, value", [
    ("GREENHOUSE_API_URL", "http://harvest.greenhouse.io/v3"),
    ("GREENHOUSE_AUTH_URL", "http://auth.greenhouse.io/token"),
])
def test_plain_http_endpoints_are_refused_except_on_loopback(
        harvest, clock, tmp_path, capsys, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)

    assert run(clock, "--out", str(tmp_path)) == 2

    assert capsys.readouterr().err == (
        f"{variable} must be an https address (credentials never travel over plain http, except "
        f"to a loopback address for tests): {value}\n")
    assert harvest.log == []


@pytest.mark.parametrize("link, reason", [
    ("http://harvest.greenhouse.io/v3/jobs?cursor=x", "http://harvest.greenhouse.io:80"),
    ("https://harvest.greenhouse.io:8443/v3/jobs?cursor=x", "https://harvest.greenhouse.io:8443"),
    ("https://evil.greenhouse.io/v3/jobs?cursor=x", "https://evil.greenhouse.io:443"),
])
def test_a_next_link_must_keep_the_scheme_host_and_port(link, reason):
    client = http_client.Client("Greenhouse", "https://harvest.greenhouse.io/v3")
    pages = client.pages("https://harvest.greenhouse.io/v3/jobs", "jobs", lambda url: ([{}], link))

    assert next(pages) == [{}]
    with pytest.raises(http_client.PullError) as refused:
        next(pages)

    assert str(refused.value) == (
        f"jobs: the next-page link points to {reason}, not https://harvest.greenhouse.io:443; "
        "refusing to send credentials there.")
    assert refused.value.exit_code == 2


def test_a_next_link_to_another_host_is_refused_and_that_host_gets_nothing(
        harvest, clock, tmp_path, capsys):
    with Catcher() as other:
        harvest.next_links["applications"] = other.url("/v3/applications?cursor=x")

        assert run(clock, "--out", str(tmp_path)) == 2

    assert other.log == []
    assert "the next-page link points to http://127.0.0.1:" in capsys.readouterr().err


def test_a_repeated_next_link_stops_the_pull(harvest, clock, tmp_path, capsys):
    harvest.next_links["applications"] = harvest.api_url + "/applications?cursor=same"

    assert run(clock, "--out", str(tmp_path)) == 2

    assert len(harvest.api_requests("applications")) == 2
    assert capsys.readouterr().err == (
        "Greenhouse sent the same next-page link twice for applications: stopping rather than "
        "reading the same pages forever.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_list_stops_at_the_page_cap(harvest, clock, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(http_client, "MAX_PAGES", 2)

    assert run(clock, "--out", str(tmp_path)) == 2

    assert len(harvest.api_requests("applications")) == 2          # of its 3 pages
    assert capsys.readouterr().err == (
        "Greenhouse still had more pages of applications after 2: stopping (the cap guards "
        "against a server that never ends a list).\n")


def test_a_dripping_answer_is_cut_at_the_deadline_and_retried(
        harvest, clock, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(http_client, "DEADLINE_SECONDS", 0.3)
    monkeypatch.setattr(http_client, "MAX_RETRIES", 1)
    harvest.drip.add("applications")

    assert run(clock, "--out", str(tmp_path)) == 1

    assert len(harvest.api_requests("applications")) == 2
    assert capsys.readouterr().err == (
        "Greenhouse failed GET applications 2 times in a row (network error: no complete answer "
        "within 0.3 s); rerun the same command later to resume.\n")


def test_an_error_body_is_printed_trimmed_escaped_and_without_the_token(
        harvest, clock, tmp_path, capsys):
    harvest.echo.add("applications")

    assert run(clock, "--out", str(tmp_path)) == 1

    error = capsys.readouterr().err
    assert error == (
        'Greenhouse answered HTTP 400 for applications: {"error": "\\u001b[31mbad '
        'request\\u001b[0m", "request": {"Authorization": "[redacted]"}}\n')
    assert "token-1" not in error


def test_redact_hides_known_secrets_and_credential_fields():
    text = ('{"client_secret": "abc", "note": "key k-123456 sent", "password": "pw"} '
            "Authorization: Basic dXNlcjpwYXNz")

    assert http_client.redact(text, ["k-123456"]) == (
        '{"client_secret": "[redacted]", "note": "key [redacted] sent", "password": "[redacted]"} '
        "Authorization: [redacted]")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_line_per_resource(harvest, clock, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())

    assert run(clock, "--out", str(tmp_path)) == 0

    written = sys.stderr.getvalue()
    assert written.endswith("\n")
    lines = [line.rsplit("\r", 1)[-1] for line in written[:-1].split("\n")]
    assert [line.rsplit(" [", 1)[0] for line in lines[:2]] == [
        "applications: 5 records, 3 pages", "application_stages: 9 records, 5 pages"]
    assert len(lines) == len(gh.RESOURCES)


class FakeLoader(types.ModuleType):
    """Stands in for etl.load: records what it was asked to load."""

    ExportError = RuntimeError

    def __init__(self):
        super().__init__("etl.load")
        self.calls = []

    def load(self, path, **options):
        self.calls.append((path, options))
        return "summary"

    def summary_text(self, result):
        return result


def test_load_runs_the_loader_on_the_pulled_folder_with_the_pull_start(
        harvest, clock, tmp_path, monkeypatch):
    loader = FakeLoader()
    monkeypatch.setitem(sys.modules, "etl.load", loader)
    out = tmp_path / "export"

    assert run(clock, "--out", str(out), "--load", "--db", "reciprocal.duckdb") == 0

    assert loader.calls == [(out, {"fmt": "greenhouse-v3", "db": "reciprocal.duckdb",
                                   "replace": False,
                                   "pulled_at": datetime.fromtimestamp(T0, UTC)})]


def test_load_is_skipped_when_the_pull_fails(harvest, clock, tmp_path, monkeypatch):
    loader = FakeLoader()
    monkeypatch.setitem(sys.modules, "etl.load", loader)
    harvest.forbidden = {"users"}

    assert run(clock, "--out", str(tmp_path), "--load") == 2

    assert loader.calls == []


def report(capsys, db: Path, as_of: str) -> dict:
    from queries.report import main as report_main

    capsys.readouterr()
    assert report_main(["--db", str(db), "--as-of", as_of]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_pulled_export_loads_and_reports_then_a_since_pull_updates_it(
        harvest, clock, tmp_path, capsys):
    out, db = tmp_path / "export", tmp_path / "cx.duckdb"

    assert run(clock, "--out", str(out), "--load", "--db", str(db)) == 0
    before = report(capsys, db, "2025-05-31T00:00:00Z")
    assert rows(db, "select origin, pulled_at from loads") == [
        ("greenhouse-v3", datetime.fromtimestamp(T0, UTC).replace(tzinfo=None))]

    # 4 applications (the prospect is skipped); Grace rejected with an email 10 min later; Alan
    # withdrew by phone; Ada's accepted offer was sent 2025-05-22 and accepted 05-25 14:00 (86 h).
    # First personal responses: Ada 121 h, Grace 173.17 h, Katherine 338 h (> 14 days), Alan none.
    assert {k: before["company"][k] for k in (
        "applications", "rejections", "notice_coverage", "notice_lag_hours_median",
        "first_response_hours_median", "responded_within_14d_rate")} == {
        "applications": 4, "rejections": 1, "notice_coverage": 1.0,
        "notice_lag_hours_median": 0.17, "first_response_hours_median": 173.17,
        "responded_within_14d_rate": 0.5}
    assert {k: before["candidate"][k] for k in (
        "offers", "acceptance_rate", "answer_hours_median", "withdrawals")} == {
        "offers": 1, "acceptance_rate": 1.0, "answer_hours_median": 86.0, "withdrawals": 1}
    # Katherine's application has no recruiter: the job's responsible recruiter (Sam) is used.
    assert [(r["recruiter_id"], r["name"], r["applications"]) for r in before["recruiters"]] == [
        ("9001", "Rita Ramos", 2), ("9003", "Sam Stone", 2)]

    harvest.data.update({name: list(rows) for name, rows in LATER.items()})
    assert run(clock, "--out", str(out), "--since", "2025-06-01", "--load", "--db", str(db)) == 0
    after = report(capsys, db, "2025-06-10T00:00:00Z")

    # Katherine rejected 06-04 10:00 and told 5 minutes later; Grace's new application counts.
    assert {k: after["company"][k] for k in ("applications", "rejections", "notice_coverage")} == {
        "applications": 5, "rejections": 2, "notice_coverage": 1.0}
