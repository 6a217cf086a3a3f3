"""What the vendor readers share: reading JSON, CSV and Parquet files, turning vendor values into
staging text, and building staging frames.

Every error here is an `ExportError` whose one line names the file, never a traceback.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from etl import rules as rules_engine
from etl import safejson
from etl.contract import PROVENANCE, TABLES, ExportError, ReadOptions
from etl.sources.reader import ExportLog, FieldMap

STAGE_TYPE_WORDS = (
    ("screen", ("screen",)),
    ("interview", ("interview", "onsite", "face to face", "panel", "assessment")),
    ("offer", ("offer",)),
    ("hired", ("hired",)),
)
TABLE_EXTENSIONS = ("csv", "parquet")
TRUE_TEXT = ("true", "t", "1", "yes")
OFFSET_AT_END = r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHITESPACE = re.compile(r"\s*")
_ADDRESS = re.compile(r"[^\s<>,;:\"'()\[\]]+@[^\s<>,;:\"'()\[\]]+")
_UTC = ZoneInfo("UTC")


def rules_of(options: ReadOptions | None) -> rules_engine.Rules:
    """The load's communication rules: the options' own, else the default rules file."""
    rules = options.rules if options is not None else None
    return rules if rules is not None else rules_engine.Rules.load()


# --- files ----------------------------------------------------------------------------------

def read_text(path: Path, name: str, *, byte_offset: bool = True) -> str:
    """A file's text (UTF-8, optional BOM; line endings kept), or an ExportError naming the file:
    "x.csv: not UTF-8 text (undecodable byte at offset 12)" (no offset when byte_offset is False).
    """
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = f" (undecodable byte at offset {error.start})" if byte_offset else ""
        raise ExportError(f"{name}: not UTF-8 text{where}") from None
    except OSError as error:
        raise ExportError(f"{name}: cannot be read ({error.strerror})") from None


def json_values(text: str, name: str) -> Iterator[object]:
    """The JSON values of a text written back to back (pages, JSON lines), one at a time.

    Line numbers in errors count "\\r\\n", "\\r" and "\\n" alike, as an editor does.
    >>> list(json_values('[1][2]\\n{"a": 3}', "x.json"))
    [[1], [2], {'a': 3}]
    """
    return safejson.values(text, name)  # limits and hazards: etl/safejson.py


def parse_records(text: str, name: str, limit: int | None = None) -> list[dict]:
    """The objects of a JSON file: arrays back to back (pages) and/or one object per line.
    With a `limit`, reading stops at the first page that reaches it.

    >>> parse_records('[{"id": 1}][{"id": 2}]', "x.json")
    [{'id': 1}, {'id': 2}]
    """
    records: list[dict] = []
    for value in json_values(text, name):
        records.extend(_objects(value, name, len(records)))
        if limit is not None and len(records) >= limit:
            break
    return records


def _objects(value, name: str, already: int) -> list[dict]:
    items = value if isinstance(value, list) else [value]
    for number, item in enumerate(items, start=already + 1):
        if not isinstance(item, dict):
            raise ExportError(f"{name}: record {number} is {type(item).__name__}, "
                              "not a JSON object")
    return items


def read_records(path: Path, name: str, limit: int | None = None) -> list[dict]:
    """`parse_records` of a file; a file that is not UTF-8 says so without the byte offset."""
    return parse_records(read_text(path, name, byte_offset=False), name, limit)


def table_path(folder: Path, name: str) -> Path | None:
    """`folder/name.csv`, else `folder/name.parquet`, else None."""
    return next((folder / f"{name}.{ext}" for ext in TABLE_EXTENSIONS
                 if (folder / f"{name}.{ext}").is_file()), None)


class JsonFiles(ExportLog):
    """A folder of JSON files (an API export), each read once by `load`, its records counted
    as read; the load summary is kept in `staged`."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self._records: dict[str, list[dict] | None] = {}

    def parse(self, path: Path, name: str) -> list[dict]:
        """The records of one file (`read_records`; a vendor with its own pages overrides it)."""
        return read_records(path, name)

    def load(self, name: str) -> list[dict] | None:
        """The records of `name` (relative path), None when the file is absent."""
        if name not in self._records:
            path = self.folder / name
            records = self.parse(path, name) if path.is_file() else None
            if records is not None:
                self.read(name, len(records))
            self._records[name] = records
        return self._records[name]


class ConnectorTables(ExportLog):
    """A folder of Fivetran connector tables (CSV or Parquet), loaded as text frames with `_file`
    and `_line` and without the rows flagged deleted; the load summary is kept in `staged`."""

    deleted_flags: tuple[str, ...] = ("_fivetran_deleted",)

    def __init__(self, folder: Path, timezone: str):
        super().__init__(folder)
        self.timezone = timezone

    def get(self, name: str, columns: tuple[str, ...] = ()) -> pd.DataFrame | None:
        """Table `name` with at least `columns` (missing ones added empty); None when absent."""
        path = table_path(self.folder, name)
        if path is None:
            return None
        table, bad_rows = read_table(path)
        self.read(path.name, len(table) + len(bad_rows))
        for row in bad_rows:
            self.set_aside(row["file"], row["line"], row["column"], row["reason"])
        table = self._without_deleted(self.tidy(table), path.name)
        for column in columns:
            if column not in table:
                table[column] = pd.Series(None, index=table.index, dtype="str")
        return table

    def tidy(self, table: pd.DataFrame) -> pd.DataFrame:
        """A connector's own clean-up of a table just read (none by default)."""
        return table

    def required(self, name: str, columns: tuple[str, ...],
                 required: tuple[str, ...]) -> pd.DataFrame:
        """Table `name` (as `get`), which the export cannot do without: an ExportError when it is
        absent or when one of its `required` columns is empty in every row."""
        table = self.get(name, columns)
        if table is None:
            raise ExportError(f"{name}.csv: required file is missing from {self.folder}")
        for column in required:
            if len(table) and table[column].isna().all():
                raise ExportError(f"{table['_file'].iloc[0]}: required column {column} is "
                                  "missing or empty in every row")
        return table

    def first_of(self, names: tuple[str, ...], columns: tuple[str, ...],
                 unread: str = "{other} was not read: {first} holds the same table"
                 ) -> pd.DataFrame | None:
        """The first present of several names for one table (`get`); each other one present is
        noted as not read (`unread`, with {other} and {first} file names)."""
        present = [path for name in names if (path := table_path(self.folder, name)) is not None]
        if not present:
            return None
        for other in present[1:]:
            self.note(unread.format(other=other.name, first=present[0].name))
        return self.get(present[0].stem, columns)

    def _without_deleted(self, table: pd.DataFrame, name: str) -> pd.DataFrame:
        deleted = pd.Series(False, index=table.index)
        for flag in self.deleted_flags:
            if flag in table:
                deleted |= is_true(table[flag])
        self.skip(name, int(deleted.sum()))
        if deleted.any():
            self.note(f"{count(int(deleted.sum()), 'row')} of {name} flagged deleted "
                      f"({' or '.join(f for f in self.deleted_flags if f in table)}): not loaded")
        return table.loc[~deleted].reset_index(drop=True)

    def iso(self, values: pd.Series) -> pd.Series:
        """`iso_utc` in the load's time zone."""
        return iso_utc(values, self.timezone)


def read_table(path: Path) -> tuple[pd.DataFrame, list[dict]]:
    """A CSV or Parquet table as text (`read_csv` / `read_parquet`) and its set-aside rows."""
    if path.suffix == ".parquet":
        return read_parquet(path), []
    return read_csv(path)


def read_csv(path: Path) -> tuple[pd.DataFrame, list[dict]]:
    """A CSV file as text columns named by its (lower-cased) header, empty cells as missing,
    plus `_file` and `_line` (the line each record starts on); and the rows set aside because
    they do not have one field per column."""
    rows = csv.reader(io.StringIO(read_text(path, path.name), newline=""), strict=True)
    header = _csv_header(rows, path.name)
    records, lines, bad, start = [], [], [], rows.line_num + 1
    try:
        for row in rows:
            if len(row) == len(header):
                records.append(row)
                lines.append(start)
            elif row:
                bad.append({"file": path.name, "line": start, "column": None,
                            "reason": f"{len(row)} fields where the header has {len(header)}"})
            start = rows.line_num + 1
    except csv.Error as error:
        raise ExportError(f"{path.name}: not a CSV file (line {start}: {error})") from None
    table = pd.DataFrame(records, columns=header, dtype="str")
    return text_frame(table, path.name, lines), bad


def _csv_header(rows, name: str) -> list[str]:
    try:
        return [column.strip().lower() for column in next(rows)]
    except StopIteration:
        raise ExportError(f"{name}: the file is empty (expected a header row)") from None
    except csv.Error as error:
        raise ExportError(f"{name}: not a CSV file ({error})") from None


def read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as text columns (lower-cased names), like `read_csv`; `_line` counts rows."""
    try:
        table = pd.read_parquet(path)
    except (OSError, ValueError) as error:  # pyarrow's errors derive from these
        raise ExportError(f"{path.name}: not a Parquet file ({error})") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    as_text = pd.DataFrame({c: _parquet_text(table[c]) for c in table.columns}, dtype="str")
    return text_frame(as_text, path.name, range(1, len(table) + 1))


def _parquet_text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dt.tz_localize("UTC") if values.dt.tz is None else values
        return format_utc(stamps.dt.tz_convert("UTC"))
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "true", False: "false"})
    return values.astype("str").where(values.notna())


def text_frame(table: pd.DataFrame, name: str, lines) -> pd.DataFrame:
    """A table's first column of each name as text (blank cells missing), with provenance."""
    table = table.loc[:, ~table.columns.duplicated()].astype("str")
    for column in table.columns:
        table[column] = table[column].where(table[column].str.strip() != "")
    return table.assign(_file=name, _line=[str(line) for line in lines]).astype("str")


# --- values ---------------------------------------------------------------------------------

def text(value) -> str | None:
    """A vendor value as staging text: ids and whole numbers as text ("2"), booleans
    true/false, objects and lists as JSON; None for a missing or empty value."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def fraction(microsecond: int) -> str:
    """The shortest exact fraction of a second: "", ".120" or ".000250"."""
    if not microsecond:
        return ""
    if microsecond % 1000 == 0:
        return f".{microsecond // 1000:03d}"
    return f".{microsecond:06d}"


def utc_text(moment: datetime) -> str:
    """An aware datetime as ISO-8601 UTC text: "2025-03-04T09:30:00Z" (".123Z" when needed)."""
    moment = moment.astimezone(_UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction(moment.microsecond) + "Z"


def timestamp(value, zone: ZoneInfo) -> str | None:
    """ISO-8601 UTC text ("2025-05-01T09:00:00Z") of an ISO time, read in `zone` when it has no
    offset; unparseable values pass through as text for the validator to flag."""
    raw = text(value)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return utc_text(moment)
    except (ValueError, OverflowError):
        return raw


def day(value, zone: ZoneInfo) -> str | None:
    """A date field ("2025-05-25") as is; a full timestamp is normalised like `timestamp`."""
    raw = text(value)
    if raw is not None and _DATE.fullmatch(raw):
        return raw
    return timestamp(raw, zone)


def iso_utc(values: pd.Series, timezone: str) -> pd.Series:
    """Text timestamps as ISO UTC text; a value without an offset is in `timezone`. Values
    that are not timestamps are kept as they are, for the validator to flag."""
    values = values.astype("str")
    present = values.notna()
    aware = present & values.str.strip().str.contains(OFFSET_AT_END, regex=True, na=False)
    naive = pd.to_datetime(values[present & ~aware], errors="coerce", format="ISO8601")
    stamps = pd.concat([
        naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC"),
        pd.to_datetime(values[aware], utc=True, errors="coerce", format="ISO8601"),
    ]).reindex(values.index)
    return format_utc(stamps).where(stamps.notna(), values)


def format_utc(stamps: pd.Series) -> pd.Series:
    """UTC datetimes as "2025-03-04T09:30:00Z", with ".123" (or ".123456") when needed."""
    result = pd.Series(None, index=stamps.index, dtype="str")
    known = stamps.dropna()
    if known.empty:
        return result
    fractions = [fraction(m) for m in known.dt.microsecond.to_numpy()]
    result.loc[known.index] = known.dt.strftime("%Y-%m-%dT%H:%M:%S") + fractions + "Z"
    return result


def is_true(values: pd.Series) -> pd.Series:
    """Which text flags say true ("true", "t", "1", "yes"; any case, spaces around)."""
    return values.fillna("").str.strip().str.lower().isin(TRUE_TEXT)


def first_value(items) -> str | None:
    """The first `value` of a contact list ([{value, type}]), or its first string."""
    for item in items if isinstance(items, list) else []:
        found = text(item.get("value")) if isinstance(item, dict) else text(item)
        if found:
            return found
    return None


def full_name(record: dict) -> str | None:
    """first_name + last_name, else name."""
    parts = [text(record.get(k)) for k in ("first_name", "last_name")]
    joined = " ".join(p for p in parts if p)
    return joined or text(record.get("name"))


def email_addresses(value) -> set[str]:
    """Email addresses in a to/from field ("Ann <ann@x.com>, bob@y.com") or a list of them,
    lower-cased."""
    values = value if isinstance(value, list) else [value]
    return {a.lower() for v in values if isinstance(v, str) for a in _ADDRESS.findall(v)}


def count(number: int, singular: str, plural: str | None = None) -> str:
    """"1 note", "2 notes"."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def by_id(records: list[dict] | None) -> dict[str, dict]:
    """Records keyed by their id as text."""
    return {text(r.get("id")): r for r in records or []}


def stage_type(name: str | None) -> str:
    """The generic stage type a stage name implies ("Phone Screen" -> screen)."""
    lowered = name.casefold() if isinstance(name, str) else ""
    for kind, words in STAGE_TYPE_WORDS:
        if any(word in lowered for word in words):
            return kind
    return "other"


def topic_and_evidence(rules, message: str, direction: str, has_offer: bool,
                       call_evidence: str | None = None) -> tuple[str, str]:
    """The rules' topic of a message and the evidence for it (the call rule's first, if any)."""
    topic, topic_evidence = rules_engine.classify_topic(rules, message, direction, has_offer)
    return topic, "; ".join(e for e in (call_evidence, topic_evidence) if e)


# --- staging frames -------------------------------------------------------------------------

def at(name: str, line: int) -> dict:
    """Provenance of a record: its file and its line (or record number) as text."""
    return {"_file": name, "_line": str(line)}


def staging_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts) as a staging frame: the table's columns plus provenance, all text."""
    columns = TABLES[table].column_names + PROVENANCE
    if not rows:
        return TABLES[table].empty_frame()
    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype="str") for c in columns})


def columns_frame(table: str, columns: dict) -> pd.DataFrame:
    """A staging frame from whole columns: Series in one order, lists, or None for empty."""
    length = next(len(v) for v in columns.values() if isinstance(v, pd.Series))
    if length == 0:
        return TABLES[table].empty_frame()
    data = {name: (value.to_numpy() if isinstance(value, pd.Series) else value)
            for name, value in columns.items()}
    rows = pd.DataFrame(data, index=range(length))
    return rows.reindex(columns=TABLES[table].column_names + PROVENANCE).astype("str")


def provenance(table: pd.DataFrame) -> dict:
    """The `_file` and `_line` columns of a connector table, for `columns_frame`."""
    return {"_file": table["_file"], "_line": table["_line"]}


def map_records(fields: FieldMap, name: str, records: list[dict]) -> pd.DataFrame:
    """The records of JSON file `name` renamed into their staging frame by their field map,
    each with its file and record number."""
    return staging_frame(fields.table, [fields.row(record) | at(name, line)
                                        for line, record in enumerate(records, start=1)])


def map_table(fields: FieldMap, table: pd.DataFrame) -> pd.DataFrame:
    """A connector table renamed into its staging frame by its field map, with provenance."""
    return columns_frame(fields.table, fields.columns(table) | provenance(table))


def records(table: pd.DataFrame | None, columns: tuple[str, ...]) -> list[dict]:
    """A connector table's rows as records of `columns`, None where a value is missing, for
    the rules written for an API export's records (none for an absent table)."""
    if table is None:
        return []
    return [dict(zip(columns, values)) for values in
            zip(*(nullable(table[column]) for column in columns))]


def nullable(column: pd.Series) -> list:
    """A column's values, None where missing, for rules written for records."""
    return [None if pd.isna(v) else v for v in column]


def first_by(table: pd.DataFrame | None, key: str, value: str) -> pd.Series:
    """`value` of the first row per `key` (file order), indexed by key."""
    if table is None:
        return pd.Series(dtype="str")
    rows = table.dropna(subset=[key]).drop_duplicates(key)
    return pd.Series(rows[value].to_numpy(), index=rows[key].to_numpy(), dtype="str")
