"""`python -m etl pull lever` against a local fake Lever API (127.0.0.1 only).

The fake serves the hand-made Lever export of tests/data/lever (six opportunities o1-o6; offers
of o1, o2 and o5; notes of o3, o4 and o5; interviews of o1, o2 and o3), two records a page.
"""

import base64
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from etl import pull
from etl import pull_lever as lv
from tests.fake_harvest import Catcher
from tests.fake_lever import API_KEY, Export, FakeLever
from tests.helpers import load, report, rows
from tests.loopback import FakeTime

DATA = Path(__file__).parent / "data" / "lever"
T0 = 1_750_000_000.0
FOLDER_FILES = [
    "archive_reasons.json", "interviews/o1.json", "interviews/o2.json", "interviews/o3.json",
    "notes/o3.json", "notes/o4.json", "notes/o5.json", "offers/o1.json", "offers/o2.json",
    "offers/o5.json", "opportunities.json", "postings.json", "stages.json", "users.json"]


@pytest.fixture
def clock():
    return FakeTime(T0)


@pytest.fixture
def lever(monkeypatch):
    with FakeLever(Export.from_folder(DATA)) as server:
        monkeypatch.setenv("LEVER_API_KEY", API_KEY)
        monkeypatch.setenv("LEVER_API_URL", server.api_url)
        yield server


def run(clock: FakeTime, *args: str) -> int:
    return pull.main(["lever", *args], sleep=clock.sleep, now=lambda: clock.now)


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def read(folder: Path, name: str) -> list:
    return json.loads((folder / name).read_text())


def ids(records: list) -> list[str]:
    return [r["id"] for r in records]


def test_a_full_pull_writes_the_reader_layout_across_pages_a_429_and_a_500(
        lever, clock, tmp_path, capsys):
    lever.fail_once = {("/v1/opportunities", 2): [429], ("/v1/users", 1): [500]}
    out = tmp_path / "lever"

    assert run(clock, "--out", str(out)) == 0

    assert files(out) == FOLDER_FILES                 # no state or partial file left
    export = lever.export
    assert read(out, "opportunities.json") == export.opportunities
    assert ids(read(out, "users.json")) == ["u-rec", "u-adm", "u-sup", "u-hm", "u-int"]
    assert ids(read(out, "offers/o1.json")) == ["of-1a", "of-1b", "of-1d", "of-1c"]
    assert ids(read(out, "interviews/o3.json")) == ["iv-3", "iv-5"]
    assert read(out, "notes/o4.json") == export.per_opportunity["notes"]["o4"]
    assert clock.sleeps == [1, 2]                     # the 500's first backoff, then Retry-After
    opportunity_pages = [r for r in lever.requests("/v1/opportunities") if r.path ==
                         "/v1/opportunities" and r.status == 200]
    assert [r.records for r in opportunity_pages] == [2, 2, 2]
    assert all(r.query["expand"] == ["applications"] and r.query["limit"] == ["100"]
               for r in opportunity_pages)
    assert {p.stat().st_mode & 0o777 for p in out.rglob("*.json")} == {0o600}
    # 4 + 4 + 5 + 2 directory records, 6 opportunities, 8 offers, 8 notes, 5 interviews
    captured = capsys.readouterr()
    assert captured.out == f"Pulled 42 records from 8 Lever endpoints into {out}.\n"
    assert captured.err == ""                         # no progress where there is no terminal


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_progress_per_list_and_over_the_opportunities(
        lever, clock, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())

    assert run(clock, "--out", str(tmp_path)) == 0

    lines = [line.rsplit("\r", 1)[-1].rsplit(" [", 1)[0]
             for line in sys.stderr.getvalue().strip().split("\n")]
    assert lines == ["archive_reasons: 4 records, 2 pages", "stages: 4 records, 2 pages",
                     "users: 5 records, 3 pages", "postings: 2 records, 1 page",
                     "opportunities: 6 records, 3 pages",
                     "offers, notes, interviews: 6/6 opportunities"]


def test_the_key_is_the_basic_user_name_with_an_empty_password(lever, clock, tmp_path,
                                                               monkeypatch):
    monkeypatch.setenv("LEVER_API_KEY", API_KEY + "x")

    assert run(clock, "--out", str(tmp_path)) == 2

    assert base64.b64decode(lv.Settings(API_KEY).basic()) == f"{API_KEY}:".encode()


def test_pull_and_load_gives_the_figures_of_the_hand_made_export(lever, clock, tmp_path, capsys):
    by_hand, pulled = tmp_path / "by_hand.duckdb", tmp_path / "pulled.duckdb"
    load(DATA, by_hand, "--format", "lever")

    assert run(clock, "--out", str(tmp_path / "lever"), "--load", "--db", str(pulled)) == 0

    as_of = ("--as-of", "2025-04-20T12:00:00Z")
    assert report(pulled, *as_of) == report(by_hand, *as_of)
    tables = ("applications", "candidates", "offers", "interviews", "communications", "users",
              "jobs", "stage_changes")
    for table in tables:
        assert rows(pulled, f"select count(*) from {table}") == rows(
            by_hand, f"select count(*) from {table}"), table
    assert rows(pulled, "select origin, format, pulled_at from loads") == [
        ("lever", "lever", datetime.fromtimestamp(T0, UTC).replace(tzinfo=None))]


def test_an_expired_key_is_one_line_naming_where_to_make_a_new_one(lever, clock, tmp_path, capsys):
    lever.revoked = True

    assert run(clock, "--out", str(tmp_path)) == 2

    assert capsys.readouterr().err == (
        "Lever refused LEVER_API_KEY (HTTP 401): the key is wrong, expired or revoked; create a "
        "new one in Lever under Settings > Integrations and API > API Credentials.\n")
    assert files(tmp_path) == []


def test_a_forbidden_endpoint_names_the_permission_to_grant(lever, clock, tmp_path, capsys):
    lever.forbidden = {"archive_reasons"}

    assert run(clock, "--out", str(tmp_path)) == 2

    assert capsys.readouterr().err == (
        "Lever refused archive_reasons (HTTP 403): allow the API key to read archive reasons "
        "(Lever: Settings > Integrations and API > API Credentials, the key's permissions).\n")


def test_a_missing_key_is_named_before_any_request(clock, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LEVER_API_KEY", raising=False)

    assert run(clock, "--out", str(tmp_path / "out")) == 2

    assert capsys.readouterr().err == (
        "Missing environment variable LEVER_API_KEY: the pull reads Lever's API key from it "
        "(Lever: Settings > Integrations and API > API Credentials; see docs/lever-pull.md).\n")
    assert not (tmp_path / "out").exists()


def test_the_api_base_defaults_to_lever_and_refuses_plain_http(monkeypatch):
    assert lv.Settings.from_env({"LEVER_API_KEY": "k"}).api_url == "https://api.lever.co/v1"
    assert lv.Settings.from_env({"LEVER_API_KEY": "k", "LEVER_API_URL":
                                 "https://api.eu.lever.co/v1/"}).api_url == "https://api.eu.lever.co/v1"
    with pytest.raises(pull.PullError) as refused:
        lv.Settings.from_env({"LEVER_API_KEY": "k", "LEVER_API_URL": "http://api.lever.co/v1"})
    assert refused.value.exit_code == 2


def test_an_interrupted_pull_resumes_after_the_last_complete_opportunity(
        lever, clock, tmp_path, capsys):
    lever.broken = {("/v1/opportunities/o4/notes", 1)}
    out = tmp_path / "lever"

    assert run(clock, "--out", str(out)) == 1

    state = json.loads((out / ".pull-state.json").read_text())
    assert state == {"since": None, "done": [*lv.DIRECTORY, "opportunities"], "position": 3}
    assert "opportunities.json" not in files(out)     # the folder's old opportunities stay
    assert capsys.readouterr().err == (
        'Lever failed GET notes 6 times in a row (HTTP 500: {"code": "InternalError", "message": '
        '"internal error"}); rerun the same command later to resume.\n')

    lever.broken.clear()
    lever.log.clear()
    assert run(clock, "--out", str(out)) == 0

    assert files(out) == FOLDER_FILES
    assert read(out, "opportunities.json") == lever.export.opportunities
    assert sorted({r.path for r in lever.log}) == [
        f"/v1/opportunities/{o}/{resource}" for o in ("o4", "o5", "o6")
        for resource in ("interviews", "notes", "offers")]
    assert capsys.readouterr().out == (
        f"Pulled 7 records from 3 Lever endpoints into {out} "
        "(5 more were already complete from the interrupted run).\n")


def test_since_fetches_updated_opportunities_and_merges_them_by_id(lever, clock, tmp_path, capsys):
    out = tmp_path / "lever"
    for opportunity in lever.export.opportunities:
        opportunity["updatedAt"] = 1_745_000_000_000                  # 2025-04-18
    assert run(clock, "--out", str(out)) == 0
    changed = {**lever.export.opportunities[0], "name": "Ada Renamed",
               "updatedAt": 1_749_000_000_000}                        # 2025-06-04
    new = {**lever.export.opportunities[1], "id": "o7", "updatedAt": 1_749_100_000_000}
    lever.export.opportunities[0] = changed
    lever.export.opportunities.append(new)
    note = {"id": "n-new", "text": "Called Ada", "createdAt": 1_749_000_000_000}
    lever.export.per_opportunity["notes"]["o1"] = [note]
    lever.export.per_opportunity["offers"]["o1"] = []                   # its offers withdrawn
    lever.log.clear()
    capsys.readouterr()

    assert run(clock, "--out", str(out), "--since", "2025-06-01") == 0

    assert ids(read(out, "opportunities.json")) == ["o1", "o2", "o3", "o4", "o5", "o6", "o7"]
    assert read(out, "opportunities.json")[0]["name"] == "Ada Renamed"
    assert read(out, "notes/o1.json") == [note]
    assert "offers/o1.json" not in files(out)
    assert ids(read(out, "offers/o2.json")) == ["of-2"]               # o7 (a copy of o2) has none
    first = [r for r in lever.log if r.path == "/v1/opportunities" and "offset" not in r.query]
    assert [r.query["updated_at_start"] for r in first] == [["1748736000000"]]
    per_opportunity = {r.path.split("/")[3] for r in lever.log if r.path.count("/") == 4}
    assert per_opportunity == {"o1", "o7"}
    # the four directory lists in full (15), two opportunities, o1's note and two interviews
    assert capsys.readouterr().out == (
        f"Pulled 20 records updated since 2025-06-01T00:00:00Z from 8 Lever endpoints into {out}.\n")


def test_a_redirect_is_not_followed_and_the_other_host_gets_no_key(lever, clock, tmp_path, capsys):
    with Catcher() as other:
        lever.redirects["/v1/stages"] = other.url("/v1/stages")

        assert run(clock, "--out", str(tmp_path)) == 2

    assert other.log == []
    assert capsys.readouterr().err.startswith(
        "Lever answered GET stages with a redirect (HTTP 302 to http://127.0.0.1:")


def test_an_opportunity_id_that_is_not_a_plain_identifier_is_refused(lever, clock, tmp_path,
                                                                      capsys):
    lever.export.opportunities[0] = {**lever.export.opportunities[0], "id": "../../users"}

    assert run(clock, "--out", str(tmp_path)) == 2

    assert capsys.readouterr().err == (
        "Lever sent an opportunity whose id is not a plain identifier ('../../users'); refusing "
        "to use it as a file name.\n")
    assert not any("users.json" in name and "/" in name for name in files(tmp_path))


def test_a_state_file_without_the_runs_opportunities_starts_over(lever, clock, tmp_path):
    (tmp_path / ".pull-state.json").write_text(json.dumps(
        {"since": None, "done": [*lv.DIRECTORY, "opportunities"], "position": 2}))

    assert run(clock, "--out", str(tmp_path)) == 0

    assert files(tmp_path) == FOLDER_FILES
    assert read(tmp_path, "opportunities.json") == lever.export.opportunities


def test_an_opportunity_sent_on_two_pages_is_kept_once(lever, clock, tmp_path):
    lever.export.opportunities.insert(3, lever.export.opportunities[1])    # o2 again, page 2

    assert run(clock, "--out", str(tmp_path)) == 0

    assert ids(read(tmp_path, "opportunities.json")) == ["o1", "o2", "o3", "o4", "o5", "o6"]
