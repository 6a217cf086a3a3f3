"""The generic export format (version 1), written down once.

Every reader (generic CSV, Greenhouse, Lever, Fivetran) maps its export into these tables, with
these columns, as text; `etl.validate` types them, checks them and sets aside the rows that do
not fit. See docs/export-format.md for the meaning of each column.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas only where a vendor reader needs it: a CSV load never imports it
    import pandas as pd

    from etl.rules import Rules

TIMESTAMP, BOOLEAN, INTEGER, TEXT = "timestamp", "boolean", "integer", "text"

STATUSES = ("active", "rejected", "withdrawn", "hired")
STAGE_TYPES = ("applied", "screen", "interview", "offer", "hired", "other")
INTERVIEW_KINDS = ("phone_screen", "video", "onsite", "other")
INTERVIEW_STATUSES = ("scheduled", "completed", "no_show", "cancelled")
DIRECTIONS = ("to_candidate", "from_candidate")
CHANNELS = ("phone", "video", "in_person", "email", "sms", "portal", "other")
TOPICS = ("acknowledgement", "scheduling", "rejection", "offer", "offer_response",
          "withdrawal", "follow_up", "other")
OFFER_STATUSES = ("pending", "accepted", "declined", "expired", "rescinded", "reneged")
ROLES = ("recruiter", "coordinator", "hiring_manager", "interviewer", "other")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    allowed: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    key: str | None
    columns: tuple[Column, ...]
    required_file: bool = False

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def empty_frame(self) -> "pd.DataFrame":
        """A staging frame with no rows: the table's columns plus provenance."""
        import pandas as pd

        return pd.DataFrame({c: pd.Series(dtype="str") for c in self.column_names + PROVENANCE})


C = Column
TABLES: dict[str, Table] = {t.name: t for t in (
    Table("applications", "application_id", (
        C("application_id", required=True), C("candidate_id", required=True), C("job_id"),
        C("recruiter_id"), C("source"), C("applied_at", TIMESTAMP, required=True),
        C("status", required=True, allowed=STATUSES), C("closed_at", TIMESTAMP),
        C("close_reason"),
    ), required_file=True),
    Table("stage_changes", None, (
        C("application_id", required=True), C("stage"), C("stage_type", allowed=STAGE_TYPES,
                                                        default="other"),
        C("entered_at", TIMESTAMP, required=True), C("user_id"),
    )),
    Table("interviews", "interview_id", (
        C("interview_id", required=True), C("application_id", required=True),
        C("scheduled_at", TIMESTAMP, required=True),
        C("kind", allowed=INTERVIEW_KINDS, default="other"),
        C("status", required=True, allowed=INTERVIEW_STATUSES),
    )),
    Table("communications", "communication_id", (
        C("communication_id", required=True), C("application_id", required=True),
        C("occurred_at", TIMESTAMP, required=True),
        C("direction", required=True, allowed=DIRECTIONS),
        C("channel", required=True, allowed=CHANNELS),
        C("topic", allowed=TOPICS, default="other"), C("user_id"),
        C("automated", BOOLEAN, default="false"),
        # not in the CSV format: how a vendor reader decided the topic or channel
        C("evidence", default="export"),
    )),
    Table("offers", "offer_id", (
        C("offer_id", required=True), C("application_id", required=True),
        C("version", INTEGER, default="1"), C("sent_at", TIMESTAMP),
        C("deadline_at", TIMESTAMP), C("responded_at", TIMESTAMP),
        C("status", required=True, allowed=OFFER_STATUSES),
        C("response_channel", allowed=CHANNELS), C("decline_reason"),
        C("reneged_at", TIMESTAMP),
    )),
    Table("users", "user_id", (
        C("user_id", required=True), C("name"), C("email"), C("role", allowed=ROLES),
        C("team"),
    )),
    Table("jobs", "job_id", (
        C("job_id", required=True), C("title"), C("department"), C("location"),
    )),
    Table("candidates", "candidate_id", (
        C("candidate_id", required=True), C("name"), C("email"), C("phone"),
    )),
)}
del C

# Provenance carried by every staging row: the export file it came from (relative to the
# export folder) and its line (CSV) or record number (JSON), 1-based.
PROVENANCE = ["_file", "_line"]
# Columns of the generic CSV files: everything but reader-only columns.
CSV_ONLY_EXCLUDED = {"communications": {"evidence"}}


def csv_columns(table: str) -> list[str]:
    return [c for c in TABLES[table].column_names if c not in CSV_ONLY_EXCLUDED.get(table, ())]


@dataclass
class Staged:
    """What a reader hands to validation: the export mapped into the generic tables, as text.

    tables: table name -> DataFrame with exactly that table's columns (str values or None)
        plus `_file` and `_line`. Absent optional inputs are simply missing from the dict
        (which makes their figures unknown), never present as empty frames.
    files: every export file read -> number of records read from it.
    skipped: export file -> number of records deliberately not loaded (e.g. prospects).
    set_aside: rows a reader could not map at all: dicts with file, line, column, reason.
    notes: plain sentences for the load summary ("3 notes could not be linked to an
        application").
    """

    tables: dict[str, "pd.DataFrame"]
    files: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    set_aside: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ReadOptions:
    """What every reader may need besides the folder."""

    timezone: str = "UTC"  # for timestamps written without an offset
    rules: "Rules | None" = None  # None means the default rules file


class ExportError(Exception):
    """A file-level problem: the whole load stops, the database is untouched.

    str(error) is the one line the user sees, naming the file and the problem.
    """


class LimitExceeded(ExportError):
    """A file past one of the configured limits (docs/limits.md): refused as it is, never read
    further, not even to tell which format it might be."""
