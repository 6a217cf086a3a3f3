"""Who took candidate-level data out of the app, when, and how much: one JSON line per export
or delivery, appended to `audit.jsonl` beside the database (readable by its owner only).

    >>> record("data/cx.duckdb", "priya@northwind.example", "call list e-mail", ["A1", "A2"])

A line: {"at": "2025-06-30T12:00:00Z", "who": ..., "what": ..., "rows": 2,
"application_ids": ["A1", "A2"]}. The file is only ever appended to.
"""

import getpass
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from etl.publish import database_path

AUDIT_FILE = "audit.jsonl"


def audit_path(db: str | Path | None = None) -> Path:
    """audit.jsonl in the folder of the database (env CX_DB, else data/cx.duckdb)."""
    return database_path(db).parent / AUDIT_FILE


def record(db: str | Path | None, who: str, what: str, application_ids: Iterable) -> Path:
    """Append one line naming who received which applications' candidate data, and how."""
    ids = [str(i) for i in application_ids]
    line = json.dumps({"at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "who": who,
                       "what": what, "rows": len(ids), "application_ids": ids},
                      ensure_ascii=False) + "\n"
    path = audit_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
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
