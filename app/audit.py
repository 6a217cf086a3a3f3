"""The audit log: one JSON line for every download of candidate-level data and every upload,
kept beside the database (the published database is read-only) and only ever appended to.

    {"at": "2025-06-30T12:00:00Z", "who": "priya@northwind.example", "action": "download",
     "what": "call list", "rows": 12}

A record says when, who, what and how many rows; never a candidate's data. The file is the
server user's alone (mode 600). A download is recorded when its file is fetched, not when the
page is drawn, and a download whose record cannot be written is not served.
"""

import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from etl.publish import database_path

COLUMNS = {"at": "When (UTC)", "who": "Who", "action": "Action", "what": "What", "rows": "Rows"}
_TAIL_BYTES = 256 * 1024
_lock = threading.Lock()


def log_path(db: str | Path | None = None) -> Path:
    """data/cx.duckdb -> data/cx.audit.jsonl"""
    db = database_path(db)
    return db.with_name(f"{db.stem}.audit.jsonl")


def record(who: str, action: str, what: str, rows: int, db: str | Path | None = None) -> None:
    """Append one record (raises OSError when it cannot be written)."""
    line = json.dumps({"at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "who": who,
                       "action": action, "what": what, "rows": int(rows)}) + "\n"
    path = log_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)


def download(who: str, what: str, data: bytes, rows: int) -> Callable[[], bytes]:
    """st.download_button's data, recorded when the file is fetched (each time it is)."""
    db = database_path()

    def fetched() -> bytes:
        record(who, "download", what, rows, db)
        return data

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
