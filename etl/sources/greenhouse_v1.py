"""Greenhouse Harvest API v1 JSON export -> the generic staging tables.

A folder of JSON files, one per v1 list endpoint (pages concatenated: arrays back to back, or
one object per line), plus `activity_feeds/<candidate_id>.json`, the object that
`GET /v1/candidates/{id}/activity_feed` returns. Only `applications.json` is required; an absent
file leaves its table out (unknown, not zero). Mapping: vendor-formats.md, "Greenhouse (Harvest
API v1 JSON)".

v1 applications carry only their current stage, not a stage history, so there are no stage
changes. The export plumbing and the emails-and-notes mapping are shared with the v3 reader, the
vocabulary and the application rules with Fivetran's Greenhouse tables (greenhouse_common.py).
"""

from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from etl.contract import ExportError, ReadOptions, Staged
from etl.sources.common import (
    by_id,
    day,
    read_records,
    rules_of,
    staging_frame,
    text,
    timestamp,
)
from etl.sources.greenhouse_common import (
    APPLICATIONS,
    INTERVIEW_STATUSES,
    OFFER_STATUSES,
    OFFERS,
    Export,
    HarvestMapping,
    Message,
    Messages,
    application_status,
    candidate_addresses,
    closed_at,
    decline_reason,
    harvest_value,
    message_text,
    offer_applications,
    offer_versions,
    require_fields,
    sample_applications,
    user_name,
)
from etl.sources.greenhouse_common import (
    CANDIDATES as CANDIDATE_FIELDS,
)
from etl.sources.reader import FieldMap

CANDIDATES = "candidates.json"
INTERVIEWS = "scheduled_interviews.json"
USERS = "users.json"
JOBS = "jobs.json"
FEEDS = "activity_feeds"
REQUIRED_APPLICATION_FIELDS = ("id", "candidate_id", "applied_at", "status")
FEED_SINGULAR = {"emails": "email", "notes": "note", "activities": "activity"}


# --- detection ------------------------------------------------------------------------------

def detect(folder: Path) -> bool:
    """True when the folder looks like a Harvest v1 export: applications with `applied_at`
    and a `jobs` list, and no v3 `notes.json`."""
    folder = Path(folder)
    if (folder / "notes.json").exists():
        return False
    try:
        sample = sample_applications(folder)
    except ExportError:
        return False
    return bool(sample) and all(_looks_v1(record) for record in sample)


def _looks_v1(record: dict) -> bool:
    return "applied_at" in record and isinstance(record.get("jobs"), list)


def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Read a Greenhouse Harvest v1 export folder into staging tables.

    >>> sorted(read(Path("tests/data/greenhouse_v1"), ReadOptions()).tables)
    ['applications', 'candidates', 'communications', 'interviews', 'jobs', 'offers', 'users']
    """
    options = options or ReadOptions()
    export = Export(Path(folder), ZoneInfo(options.timezone), rules_of(options))
    return export.result(Mapping(export).tables())


def _name(value) -> str | None:
    """The `name` of a nested object ({"id": 1, "name": "x"}), else None."""
    return text(value.get("name")) if isinstance(value, dict) else None


def _id(value) -> str | None:
    """The `id` of a nested object, else None."""
    return text(value.get("id")) if isinstance(value, dict) else None


def _first(items) -> dict:
    """The first object of a list, else {}."""
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    return {}


# --- the mapping ----------------------------------------------------------------------------

class Mapping(HarvestMapping):
    """Maps one v1 export: applications first, then every table that hangs off them."""

    def __init__(self, export: Export):
        super().__init__(export, self._application_records(export))
        self.by_id = by_id(self.records)
        self.offers = export.load(OFFERS)
        self.candidates = export.load(CANDIDATES)

    @staticmethod
    def _application_records(export: Export) -> list[dict]:
        records = export.load(APPLICATIONS)
        if records is None:
            raise ExportError(f"{APPLICATIONS}: not found in {export.folder} (it is the one "
                              "required file)")
        require_fields(records, REQUIRED_APPLICATION_FIELDS, "Greenhouse Harvest v1 applications")
        return records

    def optional_tables(self) -> tuple:
        return (("interviews", self.interviews), ("offers", self.offer_rows),
                ("users", self.users), ("jobs", self.jobs), ("candidates", self.candidate_rows))

    def communications(self, tables: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
        return ActivityFeeds(self, tables).communications()

    # applications ---------------------------------------------------------------------------

    def applications(self) -> pd.DataFrame:
        recruiters = self._responsible_recruiters()
        candidate_recruiters = {text(c.get("id")): _id(c.get("recruiter"))
                                for c in self.candidates or []}
        rows = self.application_rows(
            lambda r: self._application(r, recruiters, candidate_recruiters))
        return staging_frame("applications", rows)

    def _application(self, record: dict, recruiters: dict, candidate_recruiters: dict) -> dict:
        status = self._status(record)
        job_id = _id(_first(record.get("jobs")))
        recruiter = (_id(record.get("recruiter"))
                     or candidate_recruiters.get(text(record.get("candidate_id")))
                     or recruiters.get(job_id) or _id(record.get("credited_to")))
        return {
            "application_id": text(record.get("id")),
            "candidate_id": text(record.get("candidate_id")),
            "job_id": job_id,
            "recruiter_id": recruiter,
            "source": text(record["source"].get("public_name"))
            if isinstance(record.get("source"), dict) else None,
            "applied_at": timestamp(record.get("applied_at"), self.export.zone),
            "status": status,
            "closed_at": self._closed_at(record, status),
            "close_reason": _name(record.get("rejection_reason")),
        }

    def _status(self, record: dict) -> str | None:
        reason = record.get("rejection_reason")
        kind = _name(reason.get("type")) if isinstance(reason, dict) else None
        return application_status(text(record.get("status")), kind)

    def _closed_at(self, record: dict, status: str | None) -> str | None:
        hired_at = (self.accepted_offer_resolved_at(text(record.get("id")))
                    if status == "hired" else None)
        return timestamp(closed_at(status, record.get("rejected_at"), hired_at,
                                   record.get("last_activity_at")), self.export.zone)

    def _responsible_recruiters(self) -> dict[str, str]:
        """job id -> the job's responsible recruiter (hiring_team.recruiters[].responsible)."""
        recruiters: dict[str, str] = {}
        for job in self.export.load(JOBS) or []:
            team = job.get("hiring_team") if isinstance(job.get("hiring_team"), dict) else {}
            for recruiter in team.get("recruiters") or []:
                if isinstance(recruiter, dict) and recruiter.get("responsible") is True:
                    recruiters.setdefault(text(job.get("id")), _id(recruiter))
        return recruiters

    # tables hanging off applications ----------------------------------------------------------

    def interviews(self) -> pd.DataFrame | None:
        rows = self.child_rows(INTERVIEWS, lambda r, _: self._interview(r))
        return None if rows is None else staging_frame("interviews", rows)

    def _interview(self, record: dict) -> dict:
        status = text(record.get("status"))
        start = record.get("start") if isinstance(record.get("start"), dict) else {}
        scheduled = (timestamp(start.get("date_time"), self.export.zone) if start.get("date_time")
                     else day(start.get("date"), self.export.zone))
        return {"interview_id": text(record.get("id")),
                "application_id": text(record.get("application_id")),
                "scheduled_at": scheduled, "kind": None,
                "status": harvest_value(INTERVIEW_STATUSES, status)}

    def offer_rows(self) -> pd.DataFrame | None:
        versions = offer_versions(self.offers or [])
        rows = self.child_rows(OFFERS, lambda r, line: self._offer(r, versions[line]))
        return None if rows is None else staging_frame("offers", rows)

    def _offer(self, record: dict, version: str | None) -> dict:
        vendor_status = text(record.get("status"))
        status = harvest_value(OFFER_STATUSES, vendor_status)
        application = self.by_id.get(text(record.get("application_id")), {})
        return {"offer_id": text(record.get("id")),
                "application_id": text(record.get("application_id")), "version": version,
                "sent_at": day(record.get("sent_at"), self.export.zone), "deadline_at": None,
                "responded_at": timestamp(record.get("resolved_at"), self.export.zone),
                "status": status, "response_channel": None,
                "decline_reason": decline_reason(status, _name(application.get("rejection_reason"))),
                "reneged_at": None}

    # lookup tables ----------------------------------------------------------------------------

    def users(self) -> pd.DataFrame | None:
        return self.lookup(USERS, USER_FIELDS)

    def jobs(self) -> pd.DataFrame | None:
        return self.lookup(JOBS, JOB_FIELDS)

    def candidate_rows(self) -> pd.DataFrame | None:
        return self.lookup(CANDIDATES, CANDIDATE_FIELDS)


def _job_location(job: dict) -> str | None:
    """The first office's location name, else the office's name."""
    office = _first(job.get("offices"))
    return _name(office.get("location")) or _name(office)


USER_FIELDS = FieldMap("users", {"user_id": "id", "name": user_name,
                                 "email": "primary_email_address"})
JOB_FIELDS = FieldMap("jobs", {"job_id": "id", "title": "name",
                               "department": lambda r: _name(_first(r.get("departments"))),
                               "location": _job_location})


# --- activity feeds -> communications -------------------------------------------------------

class ActivityFeeds:
    """`activity_feeds/<candidate_id>.json`: emails[] and notes[] as communications;
    activities[] are system events and are not read."""

    def __init__(self, mapping: Mapping, tables: dict[str, pd.DataFrame]):
        self.export = mapping.export
        addresses = {text(c.get("id")): candidate_addresses(c.get("email_addresses"))
                     for c in mapping.candidates or []}
        self.messages = Messages(self.export.rules, tables["applications"],
                                 offer_applications(tables), addresses, "the activity feeds")
        self.has_candidates = mapping.candidates is not None
        self.activities = 0

    def communications(self) -> pd.DataFrame | None:
        folder = self.export.folder / FEEDS
        if not folder.is_dir():
            return None
        if not self.has_candidates:
            self.export.note(f"{CANDIDATES} is absent: emails cannot be told apart from "
                                     "internal mail, so only call notes were loaded")
        for path in sorted(folder.glob("*.json"), key=_feed_order):
            self._feed(f"{FEEDS}/{path.name}", path.stem)
        frame = self.messages.frame()
        self.export.note_count(self.activities, "activities in the activity feeds are system events, "
                                          "not communications, and were not loaded")
        self.messages.report(self.export)
        return frame

    def _feed(self, name: str, candidate_id: str) -> None:
        feed = self._feed_object(name)
        for line, record in enumerate(_feed_list(feed, "emails", name), start=1):
            self.messages.email(self._message(record, "email", candidate_id, name, line),
                                record.get("to"), record.get("from"))
        for line, record in enumerate(_feed_list(feed, "notes", name), start=1):
            self.messages.note(self._message(record, "note", candidate_id, name, line))

    def _feed_object(self, name: str) -> dict:
        records = read_records(self.export.folder / name, name)
        if len(records) != 1:
            raise ExportError(f"{name}: expected one activity feed object, found {len(records)}")
        feed = records[0]
        self.export.read(name, sum(len(_feed_list(feed, key, name))
                                   for key in ("emails", "notes", "activities")))
        activities = len(_feed_list(feed, "activities", name))
        self.export.skip(name, activities)
        self.activities += activities
        return feed

    def _message(self, record: dict, kind: str, candidate_id: str, name: str,
                 line: int) -> Message:
        record_id = text(record.get("id")) or f"{candidate_id}-{line}"
        return Message(id=f"{kind}:{record_id}", candidate_id=candidate_id,
                       occurred_at=timestamp(record.get("created_at"), self.export.zone),
                       user_id=_id(record.get("user")), file=name, line=line,
                       text=message_text(record.get("subject"), record.get("body")))


def _feed_order(path: Path) -> tuple:
    return (0, int(path.stem), "") if path.stem.isdigit() else (1, 0, path.stem)


def _feed_list(feed: dict, key: str, name: str) -> list[dict]:
    """feed[key] (or the singular key older exports use), checked to be a list of objects."""
    items = feed.get(key, feed.get(FEED_SINGULAR[key]))
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ExportError(f"{name}: `{key}` is not a list of objects")
    return items
