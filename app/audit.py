"""The dashboard's side of the audit log (queries/audit.py): downloads recorded when fetched,
and the last records for the Data page.

    {"at": "2025-06-30T12:00:00Z", "who": "priya@northwind.example", "action": "download",
     "what": "call list", "rows": 12}

A record says when, who, what and how many rows; never a candidate's data. The file is the
server user's alone (mode 600). A download is recorded when its file is fetched, not when the
page is drawn, and a download whose record cannot be written is not served.
"""

import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from etl.publish import database_path
from queries.audit import log_path, record

COLUMNS = {"at": "When (UTC)", "who": "Who", "action": "Action", "what": "What", "rows": "Rows"}
_TAIL_BYTES = 256 * 1024
__all__ = ["COLUMNS", "download", "log_path", "recent", "record"]


def download(who: str, what: str, data: bytes | Callable[[], bytes],
             rows: int) -> Callable[[], bytes]:
    """st.download_button's data (the file, or what writes it), recorded when the file is
    fetched (each time it is), before it is written."""
    db = database_path()

    def fetched() -> bytes:
        record(who, "download", what, rows, db)
        return data() if callable(data) else data

    return fetched


def recent(limit: int = 20, db: str | Path | None = None) -> pd.DataFrame:
    """The last records, the latest first (reads only the end of a long log)."""
    path = log_path(db)
    try:
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - _TAIL_BYTES))
            tail = f.read().decode("utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        tail, size = [], 0
    if size > _TAIL_BYTES:
        tail = tail[1:]  # the first line read may be cut
    records = []
    for line in reversed(tail):
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
        if len(records) == limit:
            break
    return pd.DataFrame(records, columns=list(COLUMNS)).rename(columns=COLUMNS)
