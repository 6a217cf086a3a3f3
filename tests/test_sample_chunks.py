"""The sample generator beyond one chunk: several simulated companies side by side, numbered
one after the other, so that 10 million applications are written in bounded memory."""

import csv

import etl.sample
from etl.sample import generate
from tests.helpers import load, rows


def test_an_export_of_several_chunks_has_unique_ids_and_loads_without_a_row_set_aside(tmp_path, monkeypatch):
    monkeypatch.setattr(etl.sample, "CHUNK", 400)
    written = generate(tmp_path / "export", applications=1000, seed=3)  # chunks of 400, 400, 200
    assert written["applications.csv"] == 1000
    with (tmp_path / "export" / "applications.csv").open(newline="") as f:
        apps = list(csv.DictReader(f))
    assert len(apps) == 1000 and len({a["application_id"] for a in apps}) == 1000
    assert [apps[i]["application_id"] for i in (0, 399, 400, 800, 999)] == [
        "A0000001", "A0000400", "A0000401", "A0000801", "A0001000"]
    with (tmp_path / "export" / "users.csv").open(newline="") as f:
        assert len(list(csv.DictReader(f))) == written["users.csv"]  # once, not per chunk
    assert not list((tmp_path / "export").glob(".*"))  # no part file left behind
    summary = load(tmp_path / "export", tmp_path / "cx.duckdb")
    assert summary["rejected"] == []
    assert {name: c["loaded"] for name, c in summary["files"].items()} == written
    assert rows(tmp_path / "cx.duckdb", "select count(*) from app_facts") == [(1000,)]

