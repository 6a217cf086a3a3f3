"""Fivetran's Greenhouse connector tables: docs/vendor-formats.md, "Fivetran-synced
tables", mapped like the Harvest v1 export (etl/sources/greenhouse_v1.py).

A folder of CSV (or Parquet) files named after the connector's tables: `application`
(required), `application_history`, `job_application`, `rejection_reason`, `source`, `candidate`,
`email_address`, `phone_number`, `job`, `job_stage`, `job_department`, `department`,
`job_office`, `office`, `hiring_team`, `user` (or `users`), `user_email`,
`scheduled_interview` (or its `_postgres` / `_snowflake` variants), `offer`, and, when the
connector syncs them, `email` and `note` (the candidates' activity feed). `activity` holds system
events, not messages. Timestamps are text ("2021-02-09 14:21:05.255") in UTC unless the load
says otherwise. Rows with `_fivetran_deleted` (or Greenhouse's own `is_deleted`) true are skipped.
"""

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from etl.contract import ExportError, ReadOptions, Staged
from etl.sources.common import (
    ConnectorTables,
    columns_frame,
    day,
    email_addresses,
    first_by,
    is_true,
    map_table,
    nullable,
    provenance,
    read_text,
    records,
    rules_of,
    stage_type,
    table_path,
)
from etl.sources.greenhouse_common import (
    INTERVIEW_STATUSES,
    OFFER_STATUSES,
    PROSPECT_RECORDS,
    PROSPECTS_NOT_LOADED,
    Message,
    Messages,
    accepted_offer_times,
    application_status,
    closed_at,
    decline_reason,
    harvest_value,
    is_prospect,
    message_text,
    offer_applications,
    offer_versions,
)
from etl.sources.reader import FieldMap

REQUIRED_TABLE = "application"
REQUIRED_COLUMNS = ("id", "candidate_id", "applied_at", "status")
INTERVIEW_TABLES = ("scheduled_interview", "scheduled_interview_postgres",
                    "scheduled_interview_snowflake")
USER_TABLES = ("user", "users")


def detect(folder: Path) -> bool:
    """Fivetran Greenhouse tables: application.csv (or .parquet) with `applied_at` and
    `candidate_id` columns."""
    path = table_path(Path(folder), REQUIRED_TABLE)
    if path is None:
        return False
    if path.suffix == ".parquet":
        return True
    try:
        header = next(csv.reader(io.StringIO(read_text(path, path.name), newline="")))
    except (ExportError, StopIteration, csv.Error):
        return False
    names = {_column_name(h) for h in header}
    return {"applied_at", "candidate_id"} <= names


def _column_name(header: str) -> str:
    """A header as a column name: `"START"` (Snowflake's quoting of reserved words) -> start."""
    return header.strip().strip('"').strip().lower()


# ---------------------------------------------------------------- reading the files

class Tables(ConnectorTables):
    """The connector's tables, with Greenhouse's own `is_deleted` flag honoured too."""

    deleted_flags = ("_fivetran_deleted", "is_deleted")

    def tidy(self, table: pd.DataFrame) -> pd.DataFrame:
        """Header names unquoted, values stripped of surrounding spaces (blank -> missing)."""
        table = table.rename(columns={c: _column_name(c) for c in table.columns if c[0] != "_"})
        table = table.loc[:, ~table.columns.duplicated()]
        for column in table.columns:
            stripped = table[column].str.strip()
            table[column] = stripped.where(stripped != "")
        return table

    def file(self, name: str) -> str:
        path = table_path(self.folder, name)
        return path.name if path is not None else f"{name}.csv"


def lookup(keys: pd.Series, values) -> pd.Series:
    """keys mapped through `values` (a Series or dict), as text (missing where not found)."""
    return keys.map(values).astype("str")


def by_key(table: pd.DataFrame | None, key: str, value: str, order: str | None = None) -> pd.Series:
    """`value` of the first row per `key` (by `order` when given, else file order)."""
    if table is not None and order is not None:
        table = table.assign(_order=pd.to_numeric(table[order], errors="coerce"))
        table = table.sort_values("_order", kind="stable", na_position="last")
    return first_by(table, key, value)


def note_unlinked(tables: Tables, rows: pd.DataFrame, keys: pd.Series, known, what: str,
                  where: str) -> None:
    """A note counting the rows whose (present) `keys` are not among `known`."""
    missing = int((keys.notna() & ~keys.isin(set(pd.Series(list(known)).dropna()))).sum())
    if missing:
        tables.note(f"{missing} {what} not in {where}")


# ---------------------------------------------------------------- applications

APPLICATION_COLUMNS = REQUIRED_COLUMNS + (
    "prospect", "credited_to_user_id", "last_activity_at", "rejected_at", "rejected_reason_id",
    "source_id")


class Applications:
    """application.csv and what decides its columns (reasons, jobs, recruiters, sources)."""

    def __init__(self, tables: Tables, application: pd.DataFrame, offer: pd.DataFrame | None):
        self.tables, self.offer = tables, offer
        skipped = pd.Series([is_prospect(prospect, status) for prospect, status in zip(
            is_true(application["prospect"]), nullable(application["status"]))],
            index=application.index, dtype=bool)
        self.skipped_ids = set(application.loc[skipped, "id"].dropna())
        tables.skip(tables.file(REQUIRED_TABLE), int(skipped.sum()))
        if skipped.any():
            tables.note(f"{int(skipped.sum())} {PROSPECTS_NOT_LOADED}")
        self.rows = application.loc[~skipped].reset_index(drop=True)
        self.reasons = self._reasons()

    def _reasons(self) -> pd.DataFrame:
        """rejection reason id -> name, type name (both connector column spellings)."""
        reason = self.tables.get("rejection_reason", ("id", "name", "reason", "type_name",
                                                      "rejection_reason_type_name"))
        if reason is None:
            return pd.DataFrame({"name": pd.Series(dtype="str"), "type": pd.Series(dtype="str")})
        reason = reason.drop_duplicates("id").set_index("id")
        return pd.DataFrame({"name": reason["name"].fillna(reason["reason"]),
                             "type": reason["type_name"].fillna(
                                 reason["rejection_reason_type_name"])})

    def frame(self) -> pd.DataFrame:
        app = self.rows
        status, job_ids = self._status(), self._job_ids()
        reason_name = lookup(app["rejected_reason_id"], self.reasons["name"])
        return columns_frame("applications", {
            "application_id": app["id"], "candidate_id": app["candidate_id"],
            "job_id": job_ids, "recruiter_id": self._recruiters(job_ids),
            "source": self._sources(), "applied_at": self.tables.iso(app["applied_at"]),
            "status": status, "closed_at": self._closed_at(status), "close_reason": reason_name,
            **provenance(app)})

    def _status(self) -> pd.Series:
        status = self.rows["status"].str.lower()
        reason_type = lookup(self.rows["rejected_reason_id"], self.reasons["type"])
        unknown = (status == "rejected") & self.rows["rejected_reason_id"].notna() & (
            ~self.rows["rejected_reason_id"].isin(self.reasons.index))
        if unknown.any():
            self.tables.note(f"{int(unknown.sum())} rejected application(s) have a rejection "
                             f"reason not in {self.tables.file('rejection_reason')}: they count "
                             "as rejected (a withdrawal cannot be told)")
        return pd.Series([application_status(s, t) for s, t in zip(
            nullable(self.rows["status"]), nullable(reason_type))], dtype="str")

    def _closed_at(self, status: pd.Series) -> pd.Series:
        app = self.rows
        hired_at = lookup(app["id"], self._accepted_offer_resolved())
        closed = [closed_at(*row) for row in zip(nullable(status), nullable(app["rejected_at"]),
                                                 nullable(hired_at), nullable(app["last_activity_at"]))]
        return self.tables.iso(pd.Series(closed, dtype="str"))

    def _accepted_offer_resolved(self) -> dict:
        return accepted_offer_times(records(self.offer, ("application_id", "status", "version",
                                                         "resolved_at")))

    def _job_ids(self) -> pd.Series:
        link = self.tables.get("job_application", ("application_id", "job_id"))
        jobs = lookup(self.rows["id"], first_by(link, "application_id", "job_id"))
        if link is not None:
            missing = int(jobs.isna().sum())
            if missing:
                self.tables.note(f"{missing} application(s) have no job in "
                                 f"{self.tables.file('job_application')}")
        return jobs

    def _recruiters(self, job_ids: pd.Series) -> pd.Series:
        """The candidate's recruiter, else the job's responsible recruiter, else credited_to."""
        candidate = self.tables.get("candidate", ("id", "recruiter_id"))
        by_candidate = first_by(candidate, "id", "recruiter_id")
        by_job = responsible_recruiters(self.tables)
        return (lookup(self.rows["candidate_id"], by_candidate)
                .fillna(lookup(job_ids, by_job))
                .fillna(self.rows["credited_to_user_id"]))

    def _sources(self) -> pd.Series:
        source = self.tables.get("source", ("id", "name"))
        names = first_by(source, "id", "name")
        if source is not None:
            note_unlinked(self.tables, self.rows, self.rows["source_id"], names.index,
                          "application(s) name a source", self.tables.file("source"))
        return lookup(self.rows["source_id"], names).fillna(self.rows["source_id"])


def responsible_recruiters(tables: Tables) -> pd.Series:
    """job id -> its responsible recruiter: hiring_team rows with role `recruiters` and
    `responsible` true; where the connector has no `responsible` column, a job's only
    recruiter."""
    team = tables.get("hiring_team", ("job_id", "role", "user_id"))
    if team is None:
        return pd.Series(dtype="str")
    recruiters = team.loc[team["role"].fillna("").str.lower().isin(["recruiters", "recruiter"])]
    if "responsible" in recruiters:
        return first_by(recruiters.loc[is_true(recruiters["responsible"])], "job_id", "user_id")
    sole = recruiters.groupby("job_id")["user_id"].transform("count") == 1
    return first_by(recruiters.loc[sole], "job_id", "user_id")


# ---------------------------------------------------------------- tables hanging off applications

def stage_changes(tables: Tables, apps: Applications) -> pd.DataFrame | None:
    """application_history rows that enter a stage (status-only rows are skipped)."""
    history = tables.get("application_history", ("application_id", "updated_at", "new_stage_id"))
    if history is None:
        return None
    status_only = history["new_stage_id"].isna()
    prospects = ~status_only & history["application_id"].isin(apps.skipped_ids)
    keep = ~status_only & ~prospects
    tables.skip(tables.file("application_history"), int((~keep).sum()))
    if status_only.any():
        tables.note(f"{int(status_only.sum())} {tables.file('application_history')} row(s) change "
                    "only the status (no stage) and are not stage changes")
    note_prospect_rows(tables, tables.file("application_history"), int(prospects.sum()))
    history = history.loc[keep].reset_index(drop=True)
    stage = tables.get("job_stage", ("id", "name"))
    names = first_by(stage, "id", "name")
    note_unlinked(tables, history, history["application_id"], apps.rows["id"],
                  "stage change(s) name an application", tables.file(REQUIRED_TABLE))
    note_unlinked(tables, history, history["new_stage_id"], names.index,
                  "stage change(s) name a stage", tables.file("job_stage"))
    name = lookup(history["new_stage_id"], names)
    return columns_frame("stage_changes", {
        "application_id": history["application_id"], "stage": name,
        "stage_type": name.map(stage_type), "entered_at": tables.iso(history["updated_at"]),
        "user_id": None, **provenance(history)})


def note_prospect_rows(tables: Tables, name: str, number: int) -> None:
    """A note for the rows of `name` left out because their application is a prospect's."""
    tables.note_count(number, PROSPECT_RECORDS.format(name=name))


def _child_rows(tables: Tables, table: pd.DataFrame, apps: Applications,
                what: str) -> pd.DataFrame:
    """Rows of a per-application table, those of skipped (prospect) applications skipped."""
    skipped = table["application_id"].isin(apps.skipped_ids)
    if skipped.any():
        tables.skip(table["_file"].iloc[0], int(skipped.sum()))
        note_prospect_rows(tables, table["_file"].iloc[0], int(skipped.sum()))
    table = table.loc[~skipped].reset_index(drop=True)
    note_unlinked(tables, table, table["application_id"], apps.rows["id"],
                  f"{what} name an application", tables.file(REQUIRED_TABLE))
    return table


def interviews(tables: Tables, apps: Applications) -> pd.DataFrame | None:
    interview = tables.first_of(INTERVIEW_TABLES, ("id", "application_id", "start", "status"))
    if interview is None:
        return None
    interview = _child_rows(tables, interview, apps, "interview(s)")
    status = interview["status"].map(lambda value: harvest_value(INTERVIEW_STATUSES, value))
    return columns_frame("interviews", {
        "interview_id": interview["id"], "application_id": interview["application_id"],
        "scheduled_at": tables.iso(interview["start"]), "kind": None, "status": status,
        **provenance(interview)})


OFFER_COLUMNS = ("id", "application_id", "created_at", "sent_at", "resolved_at", "status",
                 "version")


def offers(tables: Tables, offer: pd.DataFrame | None, apps: Applications) -> pd.DataFrame | None:
    if offer is None:
        return None
    offer = _child_rows(tables, offer, apps, "offer(s)")
    versions = offer_versions(offer.to_dict("records"))
    status = offer["status"].map(lambda value: harvest_value(OFFER_STATUSES, value))
    reason_ids = apps.rows.drop_duplicates("id").set_index("id")["rejected_reason_id"]
    reason = lookup(lookup(offer["application_id"], reason_ids), apps.reasons["name"])
    zone = ZoneInfo(tables.timezone)
    return columns_frame("offers", {
        "offer_id": offer["id"], "application_id": offer["application_id"],
        "version": pd.Series([versions[n] for n in range(1, len(offer) + 1)], dtype="str"),
        "sent_at": offer["sent_at"].map(lambda v: day(v, zone)).astype("str"), "deadline_at": None,
        "responded_at": tables.iso(offer["resolved_at"]), "status": status,
        "response_channel": None,
        "decline_reason": [decline_reason(s, r) for s, r in zip(nullable(status), nullable(reason))],
        "reneged_at": None, **provenance(offer)})


# ---------------------------------------------------------------- lookup tables

def full_names(table: pd.DataFrame) -> pd.Series:
    """first_name + last_name (either alone when the other is missing)."""
    joined = table["first_name"].fillna("") + " " + table["last_name"].fillna("")
    joined = joined.str.strip()
    return joined.where(joined != "")


USER_FIELDS = FieldMap("users", {"user_id": "id",
                                 "name": lambda t: full_names(t).fillna(t["name"]),
                                 "email": "_email"})
JOB_FIELDS = FieldMap("jobs", {"job_id": "id", "title": "name", "department": "_department",
                               "location": "_location"})
CANDIDATE_FIELDS = FieldMap("candidates", {"candidate_id": "id", "name": full_names,
                                           "email": "_email", "phone": "_phone"})


def users(tables: Tables) -> pd.DataFrame | None:
    """user (or users), with each user's first address from user_email."""
    user = tables.first_of(USER_TABLES, ("id", "first_name", "last_name", "name"))
    if user is None:
        return None
    email = tables.get("user_email", ("user_id", "email"))
    if email is not None:
        note_unlinked(tables, email, email["user_id"], user["id"],
                      "user email(s) name a user", tables.file(USER_TABLES[0])
                      if table_path(tables.folder, USER_TABLES[0]) else tables.file(USER_TABLES[1]))
    user = user.assign(_email=lookup(user["id"], first_by(email, "user_id", "email")))
    return map_table(USER_FIELDS, user)


def jobs(tables: Tables) -> pd.DataFrame | None:
    """job, with its first department (job_department) and office (job_office)."""
    job = tables.get("job", ("id", "name"))
    if job is None:
        return None
    job = job.assign(
        _department=lookup(job["id"], _linked_names(tables, "job_department", "department_id",
                                                    "department", ("name",), "a department")),
        _location=lookup(job["id"], _linked_names(tables, "job_office", "office_id", "office",
                                                  ("location_name", "name"), "an office")))
    return map_table(JOB_FIELDS, job)


def _linked_names(tables: Tables, link_name: str, key: str, target_name: str,
                  columns: tuple[str, ...], what: str) -> pd.Series:
    """job id -> the first linked row's first present column (department name, office ...)."""
    link = tables.get(link_name, ("job_id", key))
    target = tables.get(target_name, ("id",) + columns)
    if link is None or target is None:
        return pd.Series(dtype="str")
    named = target[columns[0]]
    for column in columns[1:]:
        named = named.fillna(target[column])
    names = first_by(target.assign(_name=named), "id", "_name")
    note_unlinked(tables, link, link[key], names.index, f"{link_name} row(s) name {what}",
                  tables.file(target_name))
    return first_by(link.assign(_name=lookup(link[key], names)).dropna(subset=["_name"]),
                    "job_id", "_name")


def candidates(tables: Tables) -> pd.DataFrame | None:
    """candidate, with the first address and phone number by `index`."""
    candidate = tables.get("candidate", ("id", "first_name", "last_name"))
    if candidate is None:
        return None
    email = tables.get("email_address", ("candidate_id", "index", "value"))
    phone = tables.get("phone_number", ("candidate_id", "index", "value"))
    candidate = candidate.assign(
        _email=lookup(candidate["id"], by_key(email, "candidate_id", "value", "index")),
        _phone=lookup(candidate["id"], by_key(phone, "candidate_id", "value", "index")))
    return map_table(CANDIDATE_FIELDS, candidate)


# ---------------------------------------------------------------- emails and notes

def communications(tables: Tables, rules, staged_tables: dict) -> pd.DataFrame | None:
    """email and note tables as communications (the v1 activity-feed rules); None when the
    connector synced neither."""
    if table_path(tables.folder, "activity") is not None:
        tables.note(f"{tables.file('activity')} holds system events (applications, stage "
                    "moves), not messages: it was not loaded as communications")
    email = tables.get("email", ("id", "candidate_id", "created_at", "subject", "body", "to",
                                 "from", "user_id"))
    note = tables.get("note", ("id", "candidate_id", "created_at", "body", "user_id"))
    if email is None and note is None:
        tables.note("No email or note table: communications are unknown")
        return None
    messages = Messages(rules, staged_tables["applications"], offer_applications(staged_tables),
                        _candidate_addresses(tables), tables.file("email"), tables.file("note"))
    for row in (email.to_dict("records") if email is not None else []):
        messages.email(_message(tables, row, "email"), row["to"], row["from"])
    for row in (note.to_dict("records") if note is not None else []):
        messages.note(_message(tables, row, "note"))
    frame = messages.frame()
    messages.report(tables)
    return frame


def _message(tables: Tables, row: dict, kind: str) -> Message:
    occurred = tables.iso(pd.Series([row["created_at"]], dtype="str")).iloc[0]
    return Message(id=f"{kind}:{row['id']}", candidate_id=_text(row["candidate_id"]),
                   occurred_at=_text(occurred), user_id=_text(row["user_id"]),
                   text=message_text(row.get("subject"), row["body"]), file=row["_file"],
                   line=int(row["_line"]))


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _candidate_addresses(tables: Tables) -> dict[str, set[str]]:
    email = tables.get("email_address", ("candidate_id", "value"))
    addresses: dict[str, set[str]] = {}
    for candidate_id, value in (zip(email["candidate_id"], email["value"])
                                if email is not None else []):
        if isinstance(candidate_id, str):
            addresses.setdefault(candidate_id, set()).update(email_addresses(value))
    return addresses


# ---------------------------------------------------------------- the reader

def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Map a folder of Fivetran Greenhouse tables into the generic staging tables."""
    options = options or ReadOptions()
    tables = Tables(folder, options.timezone)
    application = tables.required(REQUIRED_TABLE, APPLICATION_COLUMNS, REQUIRED_COLUMNS)
    offer = tables.get("offer", OFFER_COLUMNS)
    apps = Applications(tables, application, offer)
    staged = {"applications": apps.frame()}
    optional = {"stage_changes": stage_changes(tables, apps),
                "interviews": interviews(tables, apps), "offers": offers(tables, offer, apps),
                "users": users(tables), "jobs": jobs(tables), "candidates": candidates(tables)}
    staged.update({k: v for k, v in optional.items() if v is not None})
    _note_unlinked_lookups(tables, staged)
    comms = communications(tables, rules_of(options), staged)
    if comms is not None:
        staged["communications"] = comms
    return tables.result(staged)


def _note_unlinked_lookups(tables: Tables, staged_tables: dict) -> None:
    """Notes for applications whose job, candidate or recruiter the lookup tables lack."""
    apps = staged_tables["applications"]
    for table, column, key, what in (("jobs", "job_id", "job_id", "a job"),
                                     ("candidates", "candidate_id", "candidate_id", "a candidate"),
                                     ("users", "recruiter_id", "user_id", "a recruiter")):
        lookup = staged_tables.get(table)
        if lookup is not None:
            where = lookup["_file"].iloc[0] if len(lookup) else f"the {table} table"
            note_unlinked(tables, apps, apps[column], lookup[key],
                          f"application(s) reference {what}", where)
