"""Fivetran's Lever connector tables: docs/vendor-formats.md, "Fivetran-synced tables".

A folder of CSV (or Parquet) files named after the connector's tables: `opportunity`
(required), `archive_reason`, `application`, `opportunity_source`, `opportunity_stage_history`,
`stage`, `interview`, `offer`, `users` (or the older name `user`), `posting`, `contact_email`,
`contact_phone`. Mapped like the Lever API export (etl/sources/lever.py), with its rules
(lever_common.py). Timestamps are text ("2020-10-17 22:09:03.424"); without an offset they are
read in the load's time zone (UTC unless told otherwise). Rows with `_fivetran_deleted` true are
skipped. The connector syncs no notes, so communications are unknown.
"""

from pathlib import Path

import pandas as pd

from etl.contract import ReadOptions, Staged
from etl.sources.common import (
    ConnectorTables,
    columns_frame,
    count,
    first_by,
    map_table,
    nullable,
    provenance,
    records,
    stage_type,
    table_path,
)
from etl.sources.lever_common import (
    UNSENT_NOT_LOADED,
    Archive,
    archive,
    as_of,
    interview_status,
    is_unsent_offer,
    normal,
    offer_status,
    offer_versions,
    stage_name,
    unknown_reasons,
    user_role,
)
from etl.sources.reader import FieldMap

REQUIRED_TABLE = "opportunity"
USER_FIELDS = FieldMap("users", {"user_id": "id", "name": "name", "email": "email",
                                 "role": lambda t: t["access_role"].map(user_role)})
JOB_FIELDS = FieldMap("jobs", {
    "job_id": "id", "title": "text",
    "department": lambda t: t["categories_department"].fillna(t["categories_team"]),
    "location": "categories_location"})
# one row per contact, its values gathered from the opportunities and contact tables first
CANDIDATE_FIELDS = FieldMap("candidates", {"candidate_id": "contact", "name": "_name",
                                           "email": "_email", "phone": "_phone"})


def detect(folder: Path) -> bool:
    """Fivetran Lever tables have opportunity.csv (or .parquet)."""
    return table_path(Path(folder), REQUIRED_TABLE) is not None


# ---------------------------------------------------------------- lookups and links

def note_unlinked(tables: ConnectorTables, table: pd.DataFrame | None, keys: pd.Series,
                  known: pd.Series, what: str, where: str) -> None:
    """A note counting the rows of `table` whose `keys` are not among `known`."""
    if table is None or table.empty:
        return
    missing = int((~keys.isin(set(known.dropna()))).sum())
    if missing:
        tables.note(f"{missing} of {count(len(table), 'row')} in {table['_file'].iloc[0]} "
                    f"name {what} not in {file_name(tables, where)}")


def file_name(tables: ConnectorTables, name: str) -> str:
    path = table_path(tables.folder, name)
    return path.name if path is not None else f"{name}.csv (absent)"


# ---------------------------------------------------------------- mapping

def archives(tables: ConnectorTables, opportunity: pd.DataFrame) -> list[Archive]:
    """Each opportunity's archive state (Lever's rule, lever_common.archive), reasons from
    archive_reason; archived opportunities whose reason is not there are noted."""
    reasons = tables.get("archive_reason", ("id", "text", "type"))
    by_id: dict[str, dict] = {}
    for row in records(reasons, ("id", "text", "type")):
        by_id.setdefault(row["id"], row)
    found = [archive(at, reason, by_id) for at, reason in zip(
        nullable(opportunity["archived_at"]),
        nullable(opportunity["archived_reason_id"]))]
    sentence = unknown_reasons(found, f"in {file_name(tables, 'archive_reason')}")
    if sentence is not None:
        tables.note(sentence)
    return found


def applications(tables: ConnectorTables, opportunity: pd.DataFrame,
                 archived: list[Archive]) -> pd.DataFrame:
    reason_text = pd.Series([a.reason_text for a in archived], dtype="str")
    status = pd.Series([a.status for a in archived], dtype="str")
    return columns_frame("applications", {
        "application_id": opportunity["id"], "candidate_id": opportunity["contact"],
        "job_id": opportunity["id"].map(postings_by_opportunity(tables, opportunity)),
        "recruiter_id": opportunity["owner_id"],
        "source": opportunity["id"].map(sources_by_opportunity(tables, opportunity)),
        "applied_at": tables.iso(opportunity["created_at"]), "status": status,
        "closed_at": tables.iso(pd.Series([a.at for a in archived], dtype="str")),
        "close_reason": reason_text,
        **provenance(opportunity)})


def postings_by_opportunity(tables: ConnectorTables, opportunity: pd.DataFrame) -> pd.Series:
    """The posting of each opportunity's first application (application.csv)."""
    application = tables.get("application", ("opportunity_id", "posting_id", "created_at"))
    note_unlinked(tables, application, application["opportunity_id"] if application is not None
                  else None, opportunity["id"], "an opportunity", "opportunity")
    if application is not None:
        application = application.assign(_at=pd.to_datetime(
            application["created_at"], errors="coerce", format="ISO8601"))
        application = application.sort_values("_at", kind="stable", na_position="last")
    return first_by(application, "opportunity_id", "posting_id")


def sources_by_opportunity(tables: ConnectorTables, opportunity: pd.DataFrame) -> pd.Series:
    source = tables.get("opportunity_source", ("opportunity_id", "source"))
    note_unlinked(tables, source, source["opportunity_id"] if source is not None else None,
                  opportunity["id"], "an opportunity", "opportunity")
    return first_by(source, "opportunity_id", "source")


def stage_changes(tables: ConnectorTables, opportunity: pd.DataFrame) -> pd.DataFrame | None:
    history = tables.get("opportunity_stage_history",
                         ("opportunity_id", "stage_id", "updated_at", "updater_id"))
    if history is None:
        return None
    stage = tables.get("stage", ("id", "text"))
    names = first_by(stage, "id", "text")
    note_unlinked(tables, history, history["opportunity_id"], opportunity["id"],
                  "an opportunity", "opportunity")
    note_unlinked(tables, history, history["stage_id"], pd.Series(names.index), "a stage",
                  "stage")
    known = names.to_dict()
    name = history["stage_id"].map(lambda stage_id: stage_name(stage_id, known))
    return columns_frame("stage_changes", {
        "application_id": history["opportunity_id"], "stage": name,
        "stage_type": name.map(stage_type), "entered_at": tables.iso(history["updated_at"]),
        "user_id": history["updater_id"], **provenance(history)})


def offers(tables: ConnectorTables, opportunity: pd.DataFrame,
           archived: dict[str, Archive]) -> pd.DataFrame | None:
    """Sent offers (drafts and approvals skipped), versions per opportunity by created_at."""
    offer = tables.get("offer", ("id", "opportunity_id", "candidate_id", "created_at", "status"))
    if offer is None:
        return None
    unsent = offer["status"].map(is_unsent_offer).astype(bool)
    if unsent.any():
        tables.skip(offer["_file"].iloc[0], int(unsent.sum()))
        tables.note(f"{count(int(unsent.sum()), 'offer')} in {offer['_file'].iloc[0]} "
                    f"{UNSENT_NOT_LOADED}")
    offer = offer.loc[~unsent].assign(
        _opportunity=offer["opportunity_id"].fillna(offer["candidate_id"]))
    note_unlinked(tables, offer, offer["_opportunity"], opportunity["id"], "an opportunity",
                  "opportunity")
    created = pd.to_datetime(offer["created_at"], errors="coerce", format="ISO8601")
    versions = offer_versions(list(zip(nullable(offer["_opportunity"]),
                                       nullable(created), nullable(offer["id"]))))
    offer = offer.iloc[[position for position, _ in versions]].reset_index(drop=True)
    offer["_version"] = [version for _, version in versions]
    return columns_frame("offers", offer_columns(tables, offer, archived))


def offer_columns(tables: ConnectorTables, offer: pd.DataFrame,
                  archived: dict[str, Archive]) -> dict:
    """The offers' columns; a denied offer's answer is its opportunity's archive (Lever's rule,
    Archive.denied_offer_answer)."""
    sent = offer["sent_at"] if "sent_at" in offer else offer["created_at"]
    if "sent_at" not in offer and not offer.empty:
        tables.note(f"{offer['_file'].iloc[0]} has no sent time: each sent offer's created_at "
                    "is used as the time sent, and accepted offers have no answer time")
    answers = [archived[o].denied_offer_answer()
               if normal(status) == "denied" and o in archived else (None, None)
               for o, status in zip(offer["_opportunity"], offer["status"])]
    return {
        "offer_id": offer["id"], "application_id": offer["_opportunity"],
        "version": offer["_version"], "sent_at": tables.iso(sent), "deadline_at": None,
        "responded_at": tables.iso(pd.Series([at for at, _ in answers], dtype="str")),
        "status": offer["status"].map(offer_status), "response_channel": None,
        "decline_reason": [reason for _, reason in answers],
        "reneged_at": None, **provenance(offer)}


def interviews(tables: ConnectorTables, opportunity: pd.DataFrame,
               staged: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    interview = tables.get("interview", ("id", "opportunity_id", "date", "canceled_at"))
    if interview is None:
        return None
    note_unlinked(tables, interview, interview["opportunity_id"], opportunity["id"],
                  "an opportunity", "opportunity")
    scheduled = tables.iso(interview["date"])
    status = interview_status(scheduled, interview["canceled_at"].notna(),
                              as_of(staged))
    return columns_frame("interviews", {
        "interview_id": interview["id"], "application_id": interview["opportunity_id"],
        "scheduled_at": scheduled, "kind": None, "status": status, **provenance(interview)})


def users(tables: ConnectorTables) -> pd.DataFrame | None:
    user = tables.first_of(("users", "user"), ("id", "name", "email", "access_role"),
                           "{other} is not loaded: {first} is the same table under its newer name")
    return None if user is None else map_table(USER_FIELDS, user)


def jobs(tables: ConnectorTables) -> pd.DataFrame | None:
    posting = tables.get("posting", ("id", "text", "categories_department", "categories_team",
                                     "categories_location"))
    if posting is None:
        return None
    return map_table(JOB_FIELDS, posting)


def candidates(tables: ConnectorTables, opportunity: pd.DataFrame) -> pd.DataFrame:
    """One candidate per contact: the first name its opportunities give (as the API reader
    does), the contact's first email and phone."""
    contacts = opportunity.dropna(subset=["contact"]).drop_duplicates("contact")
    email = tables.get("contact_email", ("contact_id", "email"))
    phone = tables.get("contact_phone", ("contact_id", "index", "value"))
    for table in (email, phone):
        note_unlinked(tables, table, table["contact_id"] if table is not None else None,
                      opportunity["contact"], "a contact", "opportunity")
    if phone is not None:
        phone = phone.assign(_index=pd.to_numeric(phone["index"], errors="coerce"))
        phone = phone.sort_values("_index", kind="stable", na_position="last")
    contacts = contacts.assign(
        _name=contacts["contact"].map(first_by(opportunity.dropna(subset=["name"]), "contact",
                                               "name")),
        _email=contacts["contact"].map(first_by(email, "contact_id", "email")),
        _phone=contacts["contact"].map(first_by(phone, "contact_id", "value")))
    return map_table(CANDIDATE_FIELDS, contacts)


# ---------------------------------------------------------------- the reader

OPPORTUNITY_COLUMNS = ("id", "contact", "name", "owner_id", "created_at", "archived_at",
                       "archived_reason_id")


def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Map a folder of Fivetran Lever tables into the generic staging tables."""
    tables = ConnectorTables(folder, (options or ReadOptions()).timezone)
    opportunity = tables.required(REQUIRED_TABLE, OPPORTUNITY_COLUMNS, ("id",))
    archived = archives(tables, opportunity)
    staged = {"applications": applications(tables, opportunity, archived),
              "candidates": candidates(tables, opportunity)}
    by_opportunity: dict[str, Archive] = {}
    for opportunity_id, state in zip(opportunity["id"], archived):
        by_opportunity.setdefault(opportunity_id, state)
    optional = {"stage_changes": stage_changes(tables, opportunity),
                "offers": offers(tables, opportunity, by_opportunity)}
    staged.update({k: v for k, v in optional.items() if v is not None})
    more = {"interviews": interviews(tables, opportunity, staged), "users": users(tables),
            "jobs": jobs(tables)}
    staged.update({k: v for k, v in more.items() if v is not None})
    tables.note("The Lever connector syncs no notes: communications are unknown")
    return tables.result(staged)
