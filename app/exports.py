"""Downloads a spreadsheet opens safely: CSV with formulas neutralised, and .xlsx with typed cells.

    >>> xlsx_bytes(pd.DataFrame({"Phone": ["+1-555-0110"], "Days": [3]}), {"Days": "count"})
    b'PK...'

CSV: a text cell a spreadsheet would run as a formula (= + - @ tab CR first) gets a leading
apostrophe (CWE-1236), except a phone number (digits, spaces, dashes, dots, brackets after a
+ or -), which gets an invisible word joiner (U+2060) instead, so that it reads as the number
without an apostrophe and cannot run; the file starts with a UTF-8 byte order mark so that a
spreadsheet reads it as UTF-8. .xlsx: numbers are numbers, dates are dates and text is text
(a string cell is never a formula, whatever it starts with), so nothing needs escaping.
"""

import io
import re
from collections.abc import Callable
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PHONE = re.compile(r"[+-][\d\s().-]{4,}")
WORD_JOINER = "\u2060"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"rate": "0%", "count": "#,##0", "hours": "0.0", "days": "0.0",
                  "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


def neutralise(value):
    """A text cell that would run as a formula, made inert: "'=1+1"; "\u2060+1-555-0110"."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return (WORD_JOINER if PHONE.fullmatch(value) else "'") + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A CSV download with every text cell and header neutralised (CWE-1236)."""
    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    out = io.StringIO()
    safe.to_csv(out, index=False, lineterminator="\r\n")  # CRLF: a CR inside a cell is quoted
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, kinds: dict[str, str] | None = None,
               sheet: str = "Data") -> bytes:
    """An .xlsx workbook of the frame, one typed cell per value (kinds: column -> rate, count,
    hours, days, date: its number format; other numbers keep theirs)."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    kinds = kinds or {}
    for j, column in enumerate(frame.columns, start=1):
        text_cell(ws.cell(row=1, column=j), str(column))
        for i, value in enumerate(frame[column], start=2):
            typed_cell(ws.cell(row=i, column=j), value, kinds.get(column))
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
        ws.column_dimensions[get_column_letter(j)].width = min(60, width + 2)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def typed_cell(cell, value, kind: str | None) -> None:
    """A number, a date or a text cell; empty for a missing value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int | float) or hasattr(value, "dtype"):
        cell.value = value.item() if hasattr(value, "item") else value
        if kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[kind]
    elif isinstance(value, datetime | date):
        moment = pd.Timestamp(value)
        whole_day = moment == moment.normalize()
        cell.value = moment.tz_localize(None).to_pydatetime() if moment.tzinfo else \
            moment.to_pydatetime()
        cell.number_format = NUMBER_FORMATS["date" if whole_day or kind == "date" else "datetime"]
    else:
        text_cell(cell, str(value))


def text_cell(cell, text: str) -> None:
    """A string cell (never a formula, whatever it starts with)."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"


def buttons(frame: pd.DataFrame, stem: str, key: str, kinds: dict[str, str] | None = None,
            label: str = "Download", audited: str | None = None) -> None:
    """Two download buttons side by side: the frame as .xlsx and as CSV, each written only when
    it is fetched (drawing a page writes no file). audited: what the audit log calls it, for
    candidate-level data (recorded when a file is fetched)."""
    import streamlit as st

    from app import audit, auth

    def data(content: Callable[[], bytes]) -> Callable[[], bytes]:
        return audit.download(auth.who(), audited, content, len(frame)) if audited else content

    with st.container(horizontal=True, gap="small"):  # each file is written when it is fetched
        st.download_button(f"{label} (.xlsx)", data(lambda: xlsx_bytes(frame, kinds)),
                           f"{stem}.xlsx", XLSX, key=f"{key}_xlsx", icon=":material/download:")
        st.download_button(f"{label} (CSV)", data(lambda: csv_bytes(frame)), f"{stem}.csv",
                           "text/csv", key=f"{key}_csv", icon=":material/download:")
