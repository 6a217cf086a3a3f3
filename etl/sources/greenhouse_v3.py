"""Greenhouse Harvest API v3 export -> the generic staging tables.

A folder of JSON files, one per v3 list endpoint (pages concatenated as bare arrays, or one
object per line). Only `applications.json` is required; every other file, when absent, leaves
its table out (unknown, not zero). Mapping: vendor-formats.md, "Greenhouse (Harvest API v3 JSON)".
"""

from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from etl.contract import ExportError, ReadOptions, Staged
from etl.sources.common import (
    by_id,
    day,
    rules_of,
    stage_type,
    staging_frame,
    text,
    timestamp,
)
from etl.sources.greenhouse_common import (
    APPLICATIONS,
    CANDIDATES,
    Export,
    HarvestMapping,
    Message,
    Messages,
    candidate_addresses,
    closed_at,
    decline_reason,
    generation,
    message_text,
    require_fields,
    user_name,
)
from etl.sources.reader import FieldMap

NOTES = "notes.json"
REQUIRED_APPLICATION_FIELDS = ("id", "candidate_id", "created_at", "status")

APPLICATION_STATUSES = {"in_process": "active", "hired": "hired"}
INTERVIEW_STATUSES = {
    "complete": "completed", "awaiting_feedback": "completed", "collect_feedback": "completed",
    "scheduled": "scheduled", "to_be_scheduled": "scheduled", "skipped": "cancelled",
}
TAKE_HOME_STATUSES = {"to_be_sent", "sent", "received"}
OFFER_STATUSES = {"created": "pending", "accepted": "accepted", "rejected": "declined",
                  "deprecated": "pending"}
WITHDRAWAL_REASON_KEY = "THEY_REJECTED_US"
CALL_NOTE_TYPES = {"NOTE", "TOUCHPOINT"}
USER_FIELDS = FieldMap("users", {"user_id": "id", "name": user_name, "email": "primary_email"})
# why child records are left out, as the load notes say it
NO_ENTERED_AT = ("have no entered_at (history Greenhouse backfilled without a time) and were not "
                 "loaded as stage changes")
TAKE_HOME = "are take-home tests (to_be_sent, sent, received), not interviews, and were not loaded"
DRAFTS = "are unsent drafts (Created, no sent_on) and were not loaded"


def detect(folder: Path) -> bool:
    """True when the folder is a Harvest v3 export (v3-shaped applications, or no application
    records and v3-only files such as notes.json)."""
    try:
        return generation(Path(folder)) == "v3"
    except ExportError:
        return False


def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Read a Greenhouse Harvest v3 export folder into staging tables.

    Example: `read(Path("tests/data/greenhouse_v3"), ReadOptions()).tables["offers"]`
    """
    options = options or ReadOptions()
    export = Export(Path(folder), ZoneInfo(options.timezone), rules_of(options))
    return export.result(Applications(export).tables())


class Applications(HarvestMapping):
    """Maps one v3 export; applications first, then every table that hangs off them."""

    def __init__(self, export: Export):
        super().__init__(export, self._application_records(export))
        self.reasons = by_id(export.load("rejection_reasons.json"))
        self.details = self._rejection_details()
        self.offers = export.load("offers.json")

    @staticmethod
    def _application_records(export: Export) -> list[dict]:
        records = export.load(APPLICATIONS)
        if records is None:
            raise ExportError(f"{APPLICATIONS}: not found (it is the one required file)")
        require_fields(records, REQUIRED_APPLICATION_FIELDS, "Greenhouse Harvest v3 applications")
        return records

    def optional_tables(self) -> tuple:
        return (("stage_changes", self.stage_changes), ("interviews", self.interviews),
                ("offers", self.offer_rows), ("users", self.users), ("jobs", self.jobs),
                ("candidates", self.candidates))

    def communications(self, tables: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
        return Notes(self, tables).communications()

    # applications ---------------------------------------------------------------------

    def applications(self) -> pd.DataFrame:
        recruiters = self._responsible_recruiters()
        sources = {k: text(v.get("name")) for k, v in by_id(self.export.load("sources.json")).items()}
        rows = self.application_rows(lambda r: self._application(r, recruiters, sources))
        return staging_frame("applications", rows)

    def _application(self, record: dict, recruiters: dict, sources: dict) -> dict:
        status = self._status(record)
        source_id = text(record.get("source_id"))
        return {
            "application_id": text(record.get("id")),
            "candidate_id": text(record.get("candidate_id")),
            "job_id": text(record.get("job_id")),
            "recruiter_id": text(record.get("recruiter_id")) or recruiters.get(
                text(record.get("job_id"))),
            "source": sources.get(source_id) or source_id,
            "applied_at": timestamp(record.get("created_at"), self.export.zone),
            "status": status,
            "closed_at": self._closed_at(record, status),
            "close_reason": self.reason_name(record) if status in ("rejected", "withdrawn") else None,
        }

    def _status(self, record: dict) -> str | None:
        status = text(record.get("status"))
        if status == "rejected":
            kind = self.reason(record).get("type")
            key = kind.get("key") if isinstance(kind, dict) else None
            return "withdrawn" if str(key or "").upper() == WITHDRAWAL_REASON_KEY else "rejected"
        return APPLICATION_STATUSES.get(status, status)

    def _closed_at(self, record: dict, status: str | None) -> str | None:
        detail = self.details.get(text(record.get("id")), {})
        hired_at = (self.accepted_offer_resolved_at(text(record.get("id")))
                    if status == "hired" else None)
        return timestamp(closed_at(status, record.get("rejected_at") or detail.get("rejected_at"),
                                   hired_at, record.get("last_activity_at")), self.export.zone)

    def _responsible_recruiters(self) -> dict[str, str]:
        recruiters: dict[str, str] = {}
        for owner in self.export.load("job_owners.json") or []:
            if owner.get("type") == "recruiter" and owner.get("responsible") is True:
                recruiters.setdefault(text(owner.get("job_id")), text(owner.get("user_id")))
        return recruiters

    def _rejection_details(self) -> dict[str, dict]:
        details: dict[str, dict] = {}
        for detail in self.export.load("rejection_details.json") or []:
            key = text(detail.get("application_id"))
            if str(detail.get("rejected_at") or "") >= str(details.get(key, {}).get("rejected_at") or ""):
                details[key] = detail
        return details

    def reason(self, record: dict) -> dict:
        """The rejection reason of an application (via its rejection detail)."""
        detail = self.details.get(text(record.get("id")), {})
        reason_id = detail.get("rejection_reason_id") or record.get("rejection_reason_id")
        return self.reasons.get(text(reason_id), {})

    def reason_name(self, record: dict) -> str | None:
        return text(self.reason(record).get("name"))

    # tables hanging off applications ------------------------------------------------------

    def stage_changes(self) -> pd.DataFrame | None:
        stages = {k: text(v.get("name")) for k, v in
                  by_id(self.export.load("job_interview_stages.json")).items()}
        rows = self.child_rows("application_stages.json",
                               lambda r, _: self._stage_change(r, stages), NO_ENTERED_AT)
        return None if rows is None else staging_frame("stage_changes", rows)

    def _stage_change(self, record: dict, stages: dict) -> dict | None:
        if record.get("entered_at") is None:
            return None  # v3 leaves backfilled history without a time: nothing to place
        name = stages.get(text(record.get("job_interview_stage_id")))
        return {"application_id": text(record.get("application_id")), "stage": name,
                "stage_type": stage_type(name),
                "entered_at": timestamp(record.get("entered_at"), self.export.zone),
                "user_id": None}

    def interviews(self) -> pd.DataFrame | None:
        rows = self.child_rows("interviews.json", lambda r, _: self._interview(r), TAKE_HOME)
        return None if rows is None else staging_frame("interviews", rows)

    def _interview(self, record: dict) -> dict | None:
        status = text(record.get("status"))
        if status in TAKE_HOME_STATUSES:
            return None
        starts = record.get("starts_at")
        return {"interview_id": text(record.get("id")),
                "application_id": text(record.get("application_id")),
                "scheduled_at": timestamp(starts, self.export.zone) if starts
                else day(record.get("all_day_start_on"), self.export.zone),
                "kind": None, "status": INTERVIEW_STATUSES.get(status, status)}

    def offer_rows(self) -> pd.DataFrame | None:
        applications = by_id(self.records)
        rows = self.child_rows("offers.json", lambda r, _: self._offer(r, applications), DRAFTS)
        return None if rows is None else staging_frame("offers", rows)

    def _offer(self, record: dict, applications: dict) -> dict | None:
        vendor_status = text(record.get("status"))
        if str(vendor_status).lower() == "created" and not record.get("sent_on"):
            return None  # an unsent draft
        status = OFFER_STATUSES.get(str(vendor_status).lower(), vendor_status)
        application = applications.get(text(record.get("application_id")), {})
        return {"offer_id": text(record.get("id")),
                "application_id": text(record.get("application_id")),
                "version": text(record.get("version")),
                "sent_at": day(record.get("sent_on"), self.export.zone), "deadline_at": None,
                "responded_at": timestamp(record.get("resolved_at"), self.export.zone),
                "status": status, "response_channel": None,
                "decline_reason": decline_reason(status, self.reason_name(application)),
                "reneged_at": None}

    # lookup tables ------------------------------------------------------------------------

    def users(self) -> pd.DataFrame | None:
        return self.lookup("users.json", USER_FIELDS)

    def jobs(self) -> pd.DataFrame | None:
        departments = {k: text(v.get("name"))
                       for k, v in by_id(self.export.load("departments.json")).items()}
        return self.lookup("jobs.json", FieldMap("jobs", {
            "job_id": "id", "title": "name",
            "department": lambda r: departments.get(text(r.get("department_id")))}))

    def candidates(self) -> pd.DataFrame | None:
        return self.lookup("candidates.json", CANDIDATES)


# --- notes.json -> communications -----------------------------------------------------------

class Notes:
    """notes.json rows that are messages or calls between the company and the candidate, read
    with the Greenhouse message rules (greenhouse_common.Messages). A v3 row says its kind and
    usually its application; the attribution rule links the others."""

    def __init__(self, applications: Applications, tables: dict[str, pd.DataFrame]):
        self.applications = applications
        self.export = applications.export
        apps = tables["applications"]
        self.candidate_of = dict(zip(apps["application_id"], apps["candidate_id"]))
        candidates = self.export.load("candidates.json")
        self.knows_addresses = candidates is not None
        addresses = {text(c.get("id")): candidate_addresses(c.get("email_addresses"))
                     for c in candidates or []}
        self.messages = Messages(self.export.rules, apps,
                                 _sent_offer_applications(tables.get("offers")), addresses, NOTES)

    def communications(self) -> pd.DataFrame | None:
        records = self.export.load(NOTES)
        if records is None:
            return None
        for line, record in enumerate(records, start=1):
            self._read(record, line)
        frame = self.messages.frame()
        self.messages.report(self.export)
        return frame

    def _read(self, record: dict, line: int) -> None:
        kind = str(record.get("type") or "").upper()
        application_id = text(record.get("application_id"))
        if self.applications.is_skipped(application_id):
            self.messages.leave_out(NOTES, "prospect")
        elif kind == "EMAIL" and not self.knows_addresses:
            self.messages.leave_out(NOTES, "unclassified email")
        elif kind == "EMAIL":
            self.messages.email(self._message(record, "email", line), record.get("email_to"),
                                record.get("email_from"))
        elif kind in CALL_NOTE_TYPES:
            self.messages.note(self._message(record, "note", line))
        else:
            self.messages.leave_out(NOTES, "other")

    def _message(self, record: dict, kind: str, line: int) -> Message:
        application_id = text(record.get("application_id"))
        return Message(id=f"{kind}:{text(record.get('id'))}",
                       candidate_id=(text(record.get("candidate_id"))
                                     or self.candidate_of.get(application_id)),
                       occurred_at=timestamp(record.get("created_at"), self.export.zone),
                       user_id=text(record.get("user_id")),
                       text=message_text(record.get("subject"), record.get("body")),
                       file=NOTES, line=line, application_id=application_id)


def _sent_offer_applications(offers: pd.DataFrame | None) -> set[str]:
    if offers is None or offers.empty:
        return set()
    return set(offers.loc[offers["sent_at"].notna(), "application_id"])

