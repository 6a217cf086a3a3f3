"""The reader contract (etl/sources/reader.py) held by every vendor reader alike: the same
Staged back, tables with exactly the contract's columns, and one log in which every row's file
is counted as read and no file gives more rows and skips than it had records."""

from pathlib import Path

import pytest

from etl import sources
from etl.contract import PROVENANCE, TABLES, ReadOptions, Staged

DATA = Path(__file__).parent / "data"
VENDORS = {"greenhouse-v1": "greenhouse_v1", "greenhouse-v3": "greenhouse_v3",
           "lever": "lever", "fivetran-greenhouse": "fivetran_greenhouse",
           "fivetran-lever": "fivetran_lever"}


@pytest.fixture(scope="module", params=sorted(VENDORS))
def read(request) -> tuple[str, Staged]:
    fmt = request.param
    return fmt, sources.module(fmt).read(DATA / VENDORS[fmt], ReadOptions())


def test_each_vendor_folder_is_detected_as_its_format(read):
    fmt, _ = read
    detected = sources.detect(DATA / VENDORS[fmt])
    assert detected == ("greenhouse" if fmt.startswith("greenhouse-") else fmt)


def test_tables_have_exactly_the_contract_columns_as_text(read):
    _, staged = read
    assert isinstance(staged, Staged) and staged.tables
    for name, table in staged.tables.items():
        assert list(table.columns) == TABLES[name].column_names + PROVENANCE, name
        assert all(str(table[column].dtype) == "str" for column in table.columns), name


def test_every_row_comes_from_a_file_counted_as_read(read):
    _, staged = read
    for name, table in staged.tables.items():
        assert set(table["_file"]) <= set(staged.files), name


def test_no_file_gives_more_rows_and_skips_than_it_had_records(read):
    _, staged = read
    assert set(staged.skipped) <= set(staged.files)
    for name, table in staged.tables.items():
        for file, lines in table.groupby("_file")["_line"]:
            assert lines.nunique() + staged.skipped.get(file, 0) <= staged.files[file], (name, file)

