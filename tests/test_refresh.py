"""`python -m etl refresh` against a fake Greenhouse and a fake Lever on 127.0.0.1.

Greenhouse serves tests/data/harvest_pull/export (4 applications; later/ adds Katherine's
rejection and Grace's new application: 5), Lever the hand-made export of tests/data/lever
(6 opportunities).
"""

import fcntl
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from etl import refresh
from tests.fake_harvest import CLIENT_ID, CLIENT_SECRET, USER_ID, FakeHarvest
from tests.fake_lever import API_KEY, Export, FakeLever
from tests.helpers import rows
from tests.loopback import FakeTime
from tests.test_pull import EXPORT, LATER

LEVER_DATA = Path(__file__).parent / "data" / "lever"
T0 = 1_748_649_600.0                                  # 2025-05-31T00:00:00Z
SINCE = "2025-05-30T23:50:00Z"                         # T0 less the ten-minute overlap


@pytest.fixture
def clock():
    return FakeTime(T0)


@pytest.fixture
def servers(monkeypatch):
    harvest = FakeHarvest({name: list(rows) for name, rows in EXPORT.items()})
    lever = FakeLever(Export.from_folder(LEVER_DATA))
    with harvest, lever:
        for name, value in {"GREENHOUSE_CLIENT_ID": CLIENT_ID, "GREENHOUSE_CLIENT_SECRET": CLIENT_SECRET,
                            "GREENHOUSE_USER_ID": USER_ID, "GREENHOUSE_AUTH_URL": harvest.auth_url,
                            "GREENHOUSE_API_URL": harvest.api_url, "LEVER_API_KEY": API_KEY,
                            "LEVER_API_URL": lever.api_url}.items():
            monkeypatch.setenv(name, value)
        yield harvest, lever


def run(clock: FakeTime, db: Path) -> int:
    return refresh.main(["--db", str(db)], sleep=clock.sleep, now=lambda: clock.now)


def applications(db: Path) -> list[tuple]:
    return rows(db, "select origin, count(*) from applications group by origin order by origin")


def loads(db: Path) -> list[tuple]:
    return rows(db, "select origin, pulled_at from loads order by load_id")


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def test_a_first_refresh_pulls_and_loads_every_configured_source(servers, clock, tmp_path, capsys):
    db = tmp_path / "cx.duckdb"

    assert run(clock, db) == 0

    assert applications(db) == [("greenhouse-v3", 4), ("lever", 6)]
    assert loads(db) == [("greenhouse-v3", at(T0)), ("lever", at(T0))]
    assert sorted(p.name for p in (tmp_path / "pulls").iterdir()) == ["greenhouse", "lever"]
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == ["greenhouse", "lever"]
    assert out[1].endswith("Loaded as 'lever'.")


def test_a_second_refresh_with_nothing_new_asks_since_the_last_pull_and_loads_nothing(
        servers, clock, tmp_path, capsys):
    harvest, lever = servers
    db = tmp_path / "cx.duckdb"
    assert run(clock, db) == 0
    version = db.resolve()
    harvest.log.clear()
    lever.log.clear()
    capsys.readouterr()
    clock.now = T0 + 3600

    assert run(clock, db) == 0

    assert db.resolve() == version                    # nothing published
    assert loads(db) == [("greenhouse-v3", at(T0)), ("lever", at(T0))]
    first_pages = [r for r in harvest.api_requests() if "cursor" not in r.query]
    assert {r.query["updated_at"][0] for r in first_pages} == {f"gte|{SINCE}"}
    opportunities = [r for r in lever.log if r.path == "/v1/opportunities"]
    assert [r.query["updated_at_start"] for r in opportunities] == [[str(int((T0 - 600) * 1000))]]
    assert capsys.readouterr().out == (
        f"greenhouse: current, nothing changed since {SINCE}.\n"
        f"lever: current, nothing changed since {SINCE}.\n")


def test_a_failing_source_is_one_line_and_the_other_is_still_updated(
        servers, clock, tmp_path, capsys):
    harvest, lever = servers
    db = tmp_path / "cx.duckdb"
    assert run(clock, db) == 0
    harvest.data.update({name: list(rows) for name, rows in LATER.items()})
    lever.revoked = True
    capsys.readouterr()
    clock.now = T0 + 7200

    assert run(clock, db) == 2

    assert applications(db) == [("greenhouse-v3", 5), ("lever", 6)]
    assert loads(db) == [("greenhouse-v3", at(T0)), ("lever", at(T0)),
                         ("greenhouse-v3", at(T0 + 7200))]
    captured = capsys.readouterr()
    assert captured.err == (
        "lever: Lever refused LEVER_API_KEY (HTTP 401): the key is wrong, expired or revoked; "
        "create a new one in Lever under Settings > Integrations and API > API Credentials.\n")
    assert captured.out.startswith(f"greenhouse: Pulled 4 records updated since {SINCE} ")


def test_a_source_whose_folder_is_gone_gets_a_full_pull(servers, clock, tmp_path):
    harvest, _ = servers
    db = tmp_path / "cx.duckdb"
    assert run(clock, db) == 0
    for path in (tmp_path / "pulls" / "greenhouse").iterdir():
        path.unlink()
    harvest.log.clear()

    assert run(clock, db) == 0

    assert not any("updated_at" in r.query for r in harvest.api_requests())
    assert applications(db) == [("greenhouse-v3", 4), ("lever", 6)]


def test_overlapping_refreshes_wait_for_each_other(servers, clock, tmp_path):
    harvest, _ = servers
    db = tmp_path / "cx.duckdb"
    codes = []
    with open(tmp_path / ".cx.duckdb.refresh.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        second = threading.Thread(target=lambda: codes.append(run(clock, db)))
        second.start()
        time.sleep(0.5)
        assert second.is_alive() and harvest.log == []  # waiting, not pulling
    second.join(30)

    assert codes == [0]
    assert applications(db) == [("greenhouse-v3", 4), ("lever", 6)]


def test_only_configured_sources_are_refreshed(servers, clock, tmp_path, monkeypatch):
    _, lever = servers
    for name in ("LEVER_API_KEY", "LEVER_API_URL"):
        monkeypatch.delenv(name)
    db = tmp_path / "cx.duckdb"

    assert run(clock, db) == 0

    assert applications(db) == [("greenhouse-v3", 4)]
    assert lever.log == []


def test_no_configured_source_is_one_line_and_exit_2(clock, tmp_path, capsys, monkeypatch):
    for names in refresh.CONFIGURED_BY.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)

    assert run(clock, tmp_path / "cx.duckdb") == 2

    assert capsys.readouterr().err == (
        "No source is configured: set GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and "
        "GREENHOUSE_USER_ID, or LEVER_API_KEY (docs/greenhouse-pull.md, docs/lever-pull.md).\n")
    assert not (tmp_path / "cx.duckdb").exists()


def test_a_source_configured_halfway_fails_with_the_pulls_own_line(
        servers, clock, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GREENHOUSE_USER_ID")
    db = tmp_path / "cx.duckdb"

    assert run(clock, db) == 2

    assert capsys.readouterr().err == (
        "greenhouse: Missing environment variable(s) GREENHOUSE_USER_ID: the pull reads a Harvest "
        "v3 credential from GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and GREENHOUSE_USER_ID "
        "(see docs/greenhouse-pull.md).\n")
    assert applications(db) == [("lever", 6)]
