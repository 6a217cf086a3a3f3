"""Helpers for the vendor reader tests: whole expected staging frames, writable copies of the
hand-made exports, and the public example tables in ../shared/datasets."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from etl.contract import PROVENANCE, TABLES

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
# What `python -m queries report --format json` echoes as its filters when given none.
NO_FILTERS = {"from": None, "to": None, "department": None, "recruiter": None, "job": None,
              "source": None, "as_of": None, "notice_sla_days": 3.0, "answer_window_days": 3.0}


def expected(table: str, rows: list[tuple]) -> pd.DataFrame:
    """A staging frame from rows written in the table's column order, then _file and _line."""
    columns = TABLES[table].column_names + PROVENANCE
    return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows],
                        columns=columns, dtype="str")


def assert_frame(actual: pd.DataFrame, expected_frame: pd.DataFrame) -> None:
    """The staged frame equals the expected one, whatever its index."""
    pd.testing.assert_frame_equal(actual.reset_index(drop=True), expected_frame)


def assert_table(staged, table: str, rows: list[tuple]) -> None:
    """A staged table is exactly these rows (see `expected`)."""
    assert_frame(staged.tables[table], expected(table, rows))


def copy_export(source: Path, tmp_path: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """A writable copy of an export folder at tmp_path/export, without the `leave_out` names."""
    folder = tmp_path / "export"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(*leave_out))
    return folder


def write_export(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """An export at tmp_path/export made of these files (name -> text or bytes)."""
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def public_dataset(name: str) -> Path:
    """../shared/datasets/<name>; the test is skipped when that folder is not here."""
    folder = DATASETS / name
    if not folder.is_dir():
        pytest.skip(f"../shared/datasets/{name} is not here")
    return folder
