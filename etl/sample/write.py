"""Writing the tables as generic CSV files: DuckDB with a fixed row order and fixed formats."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from etl.contract import (
    csv_columns,
)
from etl.sample.cast import (
    START,
)

ISO = "'%Y-%m-%dT%H:%M:%SZ'"


def _ts(column: str) -> str:
    """SQL turning a column of float hours since START into ISO 8601 UTC text (NULL stays NULL)."""
    seconds = f'CAST(round("{column}" * 3600) AS BIGINT)'
    return f"strftime(TIMESTAMP '{START:%Y-%m-%d %H:%M:%S}' + to_seconds({seconds}), {ISO})"


SELECTS = {
    "applications": ({
        "application_id": "printf('A%07d', app_no)", "candidate_id": "printf('C%07d', cand_no)",
        "job_id": "printf('J%02d', job)", "recruiter_id": "recruiter_id", "source": "source",
        "applied_at": _ts("applied_at"), "status": "status", "closed_at": _ts("closed_at"),
        "close_reason": "close_reason"}, "app_no"),
    "stage_changes": ({
        "application_id": "printf('A%07d', app_no)", "stage": "stage", "stage_type": "stage_type",
        "entered_at": _ts("t"), "user_id": "by_user"}, "app_no, t, seq"),
    "interviews": ({
        "interview_id": "printf('I%07d', no)", "application_id": "printf('A%07d', app_no)",
        "scheduled_at": _ts("slot"), "kind": "kind", "status": "status"}, "no"),
    "communications": ({
        "communication_id": "printf('M%08d', no)", "application_id": "printf('A%07d', app_no)",
        "occurred_at": _ts("t"), "direction": "direction", "channel": "channel", "topic": "topic",
        "user_id": "by_user", "automated": "automated"}, "no"),
    "offers": ({
        "offer_id": "printf('O%06d', no)", "application_id": "printf('A%07d', app_no)",
        "version": "version", "sent_at": _ts("sent"), "deadline_at": _ts("deadline"),
        "responded_at": _ts("responded"), "status": "status", "response_channel": "channel",
        "decline_reason": "reason", "reneged_at": _ts("reneged")}, "no"),
    "users": ({"user_id": "user_id", "name": "name", "email": "email", "role": "role",
               "team": "team"}, "user_id"),
    "jobs": ({"job_id": "job_id", "title": "title", "department": "department",
              "location": "location"}, "job_id"),
    "candidates": ({
        "candidate_id": "printf('C%07d', cand_no)", "name": "concat(first, ' ', last)",
        "email": "concat(lower(first), '.', lower(last), mail_no, '@example.com')",
        "phone": "printf('+1-555-01%02d-%04d', phone_a, phone_b)"}, "cand_no"),
}


def write_csv(con, out: Path, table: str, frame: pd.DataFrame, to: Path | None = None) -> int:
    """Write one generic CSV file with the contract's columns, rows in a fixed order (into
    `out`, or to the file `to`)."""
    expressions, order = SELECTS[table]
    assert list(expressions) == csv_columns(table), table
    select = ", ".join(f"{sql} AS {name}" for name, sql in expressions.items())
    rows = con.from_arrow(pa.Table.from_pandas(frame, preserve_index=False))
    rows.order(order).project(select).write_csv(str(to or out / f"{table}.csv"), sep=",", header=True)
    return len(frame)
