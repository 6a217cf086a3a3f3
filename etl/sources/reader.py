"""The reader contract: what every export format module provides and returns.

A format module (etl/sources/<format>.py) has

- `detect(folder) -> bool`: the folder holds this format, told from its files' content;
- `misfit(folder) -> str | None` (optional): for a folder holding this format's key file that
  does not fit, one sentence saying why (the error of a folder that fits no format);
- `read(folder, options) -> Staged`: the export mapped into the generic staging tables, as text,
  with the load summary: every file read and its record count, records deliberately skipped,
  rows set aside, and a note for every kind of record left out (etl.contract.Staged).

The vendor readers keep that summary in one `ExportLog` (reached through `JsonFiles` for an API
export or `ConnectorTables` for Fivetran's tables, both in etl/sources/common.py), end with
`log.result(tables)`, and map tables that are only renamed with a `FieldMap`. (The generic
CSV format stages straight into DuckDB: etl/sources/generic.py.)
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from etl.contract import TABLES, ReadOptions, Staged


class Reader(Protocol):
    """A format module, as etl.sources and etl.load use it."""

    def detect(self, folder: Path) -> bool: ...

    def read(self, folder: Path, options: ReadOptions | None = None) -> Staged: ...


class ExportLog:
    """One export folder being read, and its load summary kept in one place: `staged` holds the
    tables mapped so far, every file read, records skipped, rows set aside and notes."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.staged = Staged(tables={})

    def read(self, name: str, records: int) -> None:
        """File `name` (relative to the folder) was read: `records` records."""
        self.staged.files[name] = records

    def skip(self, name: str, number: int = 1) -> None:
        """Count `number` records of file `name` as deliberately not loaded (say why in a note)."""
        if number:
            self.staged.skipped[name] = self.staged.skipped.get(name, 0) + number

    def note(self, sentence: str) -> None:
        """A sentence for the load summary."""
        self.staged.notes.append(sentence)

    def note_count(self, number: int, sentence: str) -> None:
        """"<number> <sentence>" for the load summary, when `number` is not 0."""
        if number:
            self.note(f"{number} {sentence}")

    def set_aside(self, file: str, line: int, column: str | None, reason: str) -> None:
        """A record that cannot be mapped at all, kept with its file, line and reason."""
        self.staged.set_aside.append({"file": file, "line": line, "column": column,
                                      "reason": reason})

    def result(self, tables: dict[str, pd.DataFrame]) -> Staged:
        """What every reader returns: its staging tables and the summary."""
        self.staged.tables = tables
        return self.staged


Field = str | Callable[[dict], object] | None


@dataclass(frozen=True)
class FieldMap:
    """A staging table that only renames a vendor table: each column is a vendor field (a key of
    a JSON record, or a column of a connector table), a function of the record, or None.

    >>> FieldMap("jobs", {"job_id": "id", "title": "name"}).row({"id": 7, "name": "Chef"})
    {'job_id': '7', 'title': 'Chef', 'department': None, 'location': None}
    """

    table: str
    fields: dict[str, Field]

    def row(self, record: dict) -> dict:
        """One JSON record as a staging row (values as staging text)."""
        from etl.sources.common import text  # common's connector tables build on this module

        return {column: text(self._value(record, self.fields.get(column)))
                for column in TABLES[self.table].column_names}

    @staticmethod
    def _value(record: dict, field: Field) -> object:
        if field is None:
            return None
        return field(record) if callable(field) else record.get(field)

    def columns(self, table: pd.DataFrame) -> dict:
        """A connector table's columns for `columns_frame` (functions get the whole table)."""
        values = {}
        for column in TABLES[self.table].column_names:
            field = self.fields.get(column)
            values[column] = (None if field is None else
                              field(table) if callable(field) else table[field])
        return values
