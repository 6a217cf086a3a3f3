"""The audit log: one JSON line for every download of candidate-level data, every delivery of
it and every upload, kept beside the database (the published database is read-only) and only
ever appended to. The dashboard, `python -m queries call-list` and `deliver` all write here.

    {"at": "2025-06-30T12:00:00Z", "who": "priya@northwind.example", "action": "download",
     "what": "call list", "rows": 12}

A record says when, who, what and how many rows; never a candidate's data. The file is its
owner's alone (mode 600).
"""

import getpass
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from etl.publish import database_path

_lock = threading.Lock()


def log_path(db: str | Path | None = None) -> Path:
    """data/cx.duckdb -> data/cx.audit.jsonl"""
    db = database_path(db)
    return db.with_name(f"{db.stem}.audit.jsonl")


def record(who: str, action: str, what: str, rows: int, db: str | Path | None = None) -> Path:
    """Append one record (raises OSError when it cannot be written)."""
    line = json.dumps({"at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "who": who,
                       "action": action, "what": what, "rows": int(rows)},
                      ensure_ascii=False) + "\n"
    path = log_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    return path


def who() -> str:
    """The account running a command, for the command line's exports."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "unknown user (command line)"
