"""Downloads: every table as .xlsx with typed cells besides CSV; CSV neutralises formulas but
writes a phone number so that a spreadsheet neither runs it nor shows an apostrophe."""

import csv
import io
from datetime import date

import pandas as pd
from openpyxl import load_workbook

from app import exports
from tests.test_dashboard import open_app


def frame() -> pd.DataFrame:
    return pd.DataFrame({"Candidate": ["=HYPERLINK(\"x\")", "Ann"], "Phone": ["+1-555-0110", "555 0111"],
                         "Told": [0.57, None], "Days waiting": [12, 3],
                         "Rejected on": [pd.Timestamp("2025-06-01"), pd.Timestamp("2025-06-29")]})


def test_xlsx_cells_are_typed_so_no_formula_can_run():
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(frame(), {"Told": "rate",
                                                                  "Days waiting": "count"})))
    ws = book.active
    assert [c.value for c in ws[1]] == ["Candidate", "Phone", "Told", "Days waiting", "Rejected on"]
    name, phone, told, days, rejected = ws[2]
    assert (name.value, name.data_type) == ("=HYPERLINK(\"x\")", "s")  # text, not a formula
    assert (phone.value, phone.data_type) == ("+1-555-0110", "s")  # no apostrophe needed
    assert (told.value, told.data_type, told.number_format) == (0.57, "n", "0%")
    assert (days.value, days.data_type) == (12, "n")
    assert rejected.value.date() == date(2025, 6, 1) and rejected.number_format == "yyyy-mm-dd"
    assert ws["C3"].value is None  # unknown stays empty, never 0


def test_csv_neutralises_formulas_and_writes_phones_without_an_apostrophe():
    data = exports.csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with its mark, so a spreadsheet decodes it
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][:2] == ["'=HYPERLINK(\"x\")", "\u2060+1-555-0110"]
    assert rows[2][:2] == ["Ann", "555 0111"]
    assert exports.neutralise("-2+3") == "'-2+3" and exports.neutralise("+44 (20) 7946 0958") \
        == "\u2060+44 (20) 7946 0958"


def labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_every_table_downloads_as_xlsx_and_csv(cx_db):
    team = labels(open_app("team"))
    assert {"Download (.xlsx)", "Download (CSV)"} <= set(team)
    offers = labels(open_app("offers"))
    assert {"Download (.xlsx)", "Download (CSV)"} <= set(offers)


def test_every_table_of_the_data_page_downloads_too(cx_db):
    at = open_app("data")
    keys = {b.proto.id.rpartition("-")[2] for b in at.get("download_button")}
    tables = ("data_loads", "data_inputs", "data_reasons", "data_aside", "data_evidence",
              "data_audit")  # the last for admins (here: the local user)
    assert keys == {f"{table}_{kind}" for table in tables for kind in ("xlsx", "csv")}
    assert len(at.dataframe) == len(tables)  # every table there (no upload yet)


def test_the_call_list_downloads_as_xlsx_and_csv(cx_db):
    team = open_app("team")
    assert {"Download the call list (.xlsx)", "Download the call list (CSV)"} <= set(labels(team))


def test_a_page_writes_its_downloads_only_when_one_is_fetched(cx_db, monkeypatch):
    written = []
    xlsx = exports.xlsx_bytes

    def counted(*args, **kwargs):
        written.append("xlsx")
        return xlsx(*args, **kwargs)

    monkeypatch.setattr(exports, "xlsx_bytes", counted)
    buttons = []
    monkeypatch.setattr("streamlit.download_button",
                        lambda label, data, *a, **k: buttons.append((label, data)))
    exports.buttons(frame(), "people", "people_table")
    assert written == []  # drawing the buttons wrote nothing
    (xlsx_label, fetch_xlsx), (csv_label, fetch_csv) = buttons
    assert (xlsx_label, csv_label) == ("Download (.xlsx)", "Download (CSV)")
    book = load_workbook(io.BytesIO(fetch_xlsx()))
    assert written == ["xlsx"] and book.active["A3"].value == "Ann"
    assert fetch_csv() == exports.csv_bytes(frame())
