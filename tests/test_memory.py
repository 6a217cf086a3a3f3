"""A load's memory: DuckDB's memory_limit and spill folder, set by the loader and configurable."""

from pathlib import Path

import pytest

from etl import load as load_module
from etl.load import main as load_main
from tests.helpers import DATA, cli, load

FULL = DATA / "generic_full"


def settings_seen_by_a_load(monkeypatch, db: Path, *argv: str) -> dict:
    """Run `python -m etl load` and return the memory settings its DuckDB connection had."""
    seen = {}
    derive = load_module.derive

    def spy(con):
        seen.update(dict(con.execute(
            "select name, value from duckdb_settings() "
            "where name in ('memory_limit', 'temp_directory')").fetchall()))
        derive(con)

    monkeypatch.setattr(load_module, "derive", spy)
    load(FULL, db, *argv)
    return seen


def test_a_load_runs_within_the_default_memory_limit_and_spills_beside_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv("CX_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("CX_TEMP_DIR", raising=False)
    db = tmp_path / "db" / "cx.duckdb"
    seen = settings_seen_by_a_load(monkeypatch, db)
    assert seen["memory_limit"] == "1.3 GiB"  # DuckDB's way of writing 1.5GB (1.5 * 10^9 bytes)
    assert Path(seen["temp_directory"]).parent == tmp_path / "db" / ".cx-spill"
    assert not (tmp_path / "db" / ".cx-spill").exists()  # removed with the load's own folder


def test_the_limit_and_the_spill_folder_come_from_the_flags_else_the_environment(tmp_path, monkeypatch):
    db = tmp_path / "cx.duckdb"
    (tmp_path / "env-spill").mkdir()
    (tmp_path / "env-spill" / "keep.txt").write_text("someone else's")  # a folder of the user's
    monkeypatch.setenv("CX_MEMORY_LIMIT", "512MB")
    monkeypatch.setenv("CX_TEMP_DIR", str(tmp_path / "env-spill"))
    seen = settings_seen_by_a_load(monkeypatch, db)
    assert seen["memory_limit"] == "488.2 MiB"
    assert Path(seen["temp_directory"]).parent == tmp_path / "env-spill"
    seen = settings_seen_by_a_load(monkeypatch, db, "--memory-limit", "2GiB", "--temp-dir",
                                   str(tmp_path / "flag-spill"))
    assert seen["memory_limit"] == "2.0 GiB"
    assert Path(seen["temp_directory"]).parent == tmp_path / "flag-spill"
    assert [p.name for p in (tmp_path / "env-spill").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("limit", ["lots", "12", "-1GB"])
def test_a_memory_limit_that_is_not_a_size_is_refused_in_one_line(tmp_path, limit):
    db = tmp_path / "cx.duckdb"
    code, _, err = cli(load_main, [FULL, "--db", db, f"--memory-limit={limit}"])
    assert code == 2
    assert err == f"error: --memory-limit: {limit!r} is not a size (e.g. 1GB, 1500MB)\n"
    assert not db.exists()
