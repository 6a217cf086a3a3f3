"""Greenhouse Harvest API v3 export -> the generic staging tables.

A folder of JSON files, one per v3 list endpoint (pages concatenated as bare arrays, or one
object per line). Only `applications.json` is required; every other file, when absent, leaves
its table out (unknown, not zero). Mapping: vendor-formats.md, "Greenhouse (Harvest API v3 JSON)".
"""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from etl import rules as rules_engine
from etl.contract import PROVENANCE, TABLES, ExportError, ReadOptions, Staged

APPLICATIONS = "applications.json"
NOTES = "notes.json"
REQUIRED_APPLICATION_FIELDS = ("id", "candidate_id", "created_at", "status")
SAMPLE_SIZE = 20

APPLICATION_STATUSES = {"in_process": "active", "hired": "hired"}
SKIPPED_APPLICATION_STATUSES = {"converted"}
INTERVIEW_STATUSES = {
    "complete": "completed", "awaiting_feedback": "completed", "collect_feedback": "completed",
    "scheduled": "scheduled", "to_be_scheduled": "scheduled", "skipped": "cancelled",
}
TAKE_HOME_STATUSES = {"to_be_sent", "sent", "received"}
OFFER_STATUSES = {"created": "pending", "accepted": "accepted", "rejected": "declined",
                  "deprecated": "pending"}
WITHDRAWAL_REASON_KEY = "THEY_REJECTED_US"
CALL_NOTE_TYPES = {"NOTE", "TOUCHPOINT"}
STAGE_TYPE_WORDS = (
    ("screen", ("screen",)),
    ("interview", ("interview", "onsite", "face to face", "panel", "assessment")),
    ("offer", ("offer",)),
    ("hired", ("hired",)),
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHITESPACE = re.compile(r"\s*")
_ADDRESS = re.compile(r"[^\s<>,;:\"'()\[\]]+@[^\s<>,;:\"'()\[\]]+")


# --- reading JSON files -------------------------------------------------------------------

def parse_records(text: str, name: str, limit: int | None = None) -> list[dict]:
    """The objects of a JSON file: arrays back to back (pages) and/or one object per line.

    >>> parse_records('[{"id": 1}][{"id": 2}]', "x.json")
    [{'id': 1}, {'id': 2}]
    """
    decoder, records, position = json.JSONDecoder(), [], 0
    while limit is None or len(records) < limit:
        position = _WHITESPACE.match(text, position).end()
        if position >= len(text):
            break
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ExportError(f"{name}: not valid JSON (line {error.lineno}, column "
                              f"{error.colno})") from None
        except RecursionError:
            raise ExportError(f"{name}: JSON nested too deeply to read") from None
        records.extend(_objects(value, name, len(records)))
    return records


def _objects(value, name: str, already: int) -> list[dict]:
    items = value if isinstance(value, list) else [value]
    for number, item in enumerate(items, start=already + 1):
        if not isinstance(item, dict):
            raise ExportError(f"{name}: record {number} is {type(item).__name__}, "
                              "not a JSON object")
    return items


def read_text(path: Path, name: str) -> str:
    """A file's text (UTF-8, optional BOM), or an ExportError naming the file."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ExportError(f"{name}: not UTF-8 text") from None
    except OSError as error:
        raise ExportError(f"{name}: cannot be read ({error.strerror})") from None


def read_records(folder: Path, name: str) -> list[dict] | None:
    """Every record of `folder/name`, or None when the file is absent."""
    path = folder / name
    if not path.is_file():
        return None
    return parse_records(read_text(path, name), name)


def sample_applications(folder: Path) -> list[dict] | None:
    """The first few records of applications.json (None when absent); ExportError if malformed."""
    path = folder / APPLICATIONS
    if not path.is_file():
        return None
    return parse_records(read_text(path, APPLICATIONS), APPLICATIONS, limit=SAMPLE_SIZE)


def looks_v3(record: dict) -> bool:
    """A v3 application: `created_at` and a flat `job_id`, no v1 `jobs` list."""
    return "created_at" in record and "job_id" in record and "jobs" not in record


def detect(folder: Path) -> bool:
    """True when the folder is a Harvest v3 export (v3-shaped applications, or no application
    records and v3-only files such as notes.json)."""
    from etl.sources.greenhouse import generation

    try:
        return generation(Path(folder)) == "v3"
    except ExportError:
        return False


# --- values -------------------------------------------------------------------------------

def text(value) -> str | None:
    """A vendor value as staging text: ids and numbers as text, booleans true/false."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def timestamp(value, zone: ZoneInfo) -> str | None:
    """ISO-8601 UTC text ("2025-05-01T09:00:00Z"); unparseable values pass through as is."""
    raw = text(value)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        moment = moment.astimezone(ZoneInfo("UTC"))
    except (ValueError, OverflowError):
        return raw
    fraction = "" if not moment.microsecond else (
        f".{moment.microsecond // 1000:03d}" if moment.microsecond % 1000 == 0
        else f".{moment.microsecond:06d}")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def day(value, zone: ZoneInfo) -> str | None:
    """A date field ("2025-05-25") as is; a full timestamp is normalised like `timestamp`."""
    raw = text(value)
    if raw is not None and _DATE.fullmatch(raw):
        return raw
    return timestamp(raw, zone)


def first_value(items) -> str | None:
    """The first `value` of a v3 contact list ([{value, type}]), or its first string."""
    for item in items if isinstance(items, list) else []:
        found = text(item.get("value")) if isinstance(item, dict) else text(item)
        if found:
            return found
    return None


def addresses(value) -> set[str]:
    """Email addresses in a comma-separated field ("Ann <ann@x.com>, bob@y.com"), lower-cased."""
    values = value if isinstance(value, list) else [value]
    return {a.lower() for v in values if isinstance(v, str) for a in _ADDRESS.findall(v)}


def full_name(record: dict) -> str | None:
    """first_name + last_name, else name."""
    parts = [text(record.get(k)) for k in ("first_name", "last_name")]
    joined = " ".join(p for p in parts if p)
    return joined or text(record.get("name"))


def stage_type(name: str | None) -> str:
    """The generic stage type a stage name implies ("Phone Screen" -> screen)."""
    lowered = (name or "").lower()
    for kind, words in STAGE_TYPE_WORDS:
        if any(word in lowered for word in words):
            return kind
    return "other"


def staging_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts) as a staging frame: the table's columns plus provenance, all text."""
    columns = TABLES[table].column_names + PROVENANCE
    if not rows:
        return TABLES[table].empty_frame()
    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype="str") for c in columns})


def by_id(records: list[dict] | None) -> dict[str, dict]:
    """Records keyed by their id as text."""
    return {text(r.get("id")): r for r in records or []}


# --- the export ---------------------------------------------------------------------------

@dataclass
class Export:
    """The raw files of one export folder and what has been read/skipped so far."""

    folder: Path
    zone: ZoneInfo
    rules: object
    files: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    set_aside: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, list[dict] | None] = field(default_factory=dict)

    def load(self, name: str) -> list[dict] | None:
        if name not in self.raw:
            self.raw[name] = read_records(self.folder, name)
            if self.raw[name] is not None:
                self.files[name] = len(self.raw[name])
        return self.raw[name]

    def skip(self, name: str, count: int = 1) -> None:
        if count:
            self.skipped[name] = self.skipped.get(name, 0) + count


def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Read a Greenhouse Harvest v3 export folder into staging tables.

    Example: `read(Path("tests/data/greenhouse_v3"), ReadOptions()).tables["offers"]`
    """
    options = options or ReadOptions()
    rules = options.rules or rules_engine.Rules.load()
    export = Export(Path(folder), ZoneInfo(options.timezone), rules)
    tables = Applications(export).tables()
    return Staged(tables=tables, files=export.files, skipped=export.skipped,
                  set_aside=export.set_aside, notes=export.notes)


class Applications:
    """Maps one export; applications first, then every table that hangs off them."""

    def __init__(self, export: Export):
        self.export = export
        self.records = self._application_records()
        self.skipped_ids: set[str] = set()
        self.reasons = self._rejection_reasons()
        self.details = self._rejection_details()
        self.offers = export.load("offers.json")

    def _application_records(self) -> list[dict]:
        records = self.export.load(APPLICATIONS)
        if records is None:
            raise ExportError(f"{APPLICATIONS}: not found (it is the one required file)")
        for name in REQUIRED_APPLICATION_FIELDS:
            if records and all(r.get(name) is None for r in records):
                raise ExportError(f"{APPLICATIONS}: no record has `{name}` (expected Greenhouse "
                                  "Harvest v3 applications)")
        return records

    def tables(self) -> dict[str, pd.DataFrame]:
        tables = {"applications": self.applications()}
        optional = (("stage_changes", self.stage_changes), ("interviews", self.interviews),
                    ("offers", self.offer_rows), ("users", self.users), ("jobs", self.jobs),
                    ("candidates", self.candidates))
        for table, build in optional:
            frame = build()
            if frame is not None:
                tables[table] = frame
        communications = Notes(self, tables).communications()
        if communications is not None:
            tables["communications"] = communications
        return {name: tables[name] for name in TABLES if name in tables}

    # applications ---------------------------------------------------------------------

    def applications(self) -> pd.DataFrame:
        recruiters = self._responsible_recruiters()
        sources = {k: text(v.get("name")) for k, v in by_id(self.export.load("sources.json")).items()}
        rows = []
        for line, record in enumerate(self.records, start=1):
            if _is_prospect(record):
                self.skipped_ids.add(text(record.get("id")))
                continue
            rows.append(self._application(record, recruiters, sources) | _at(APPLICATIONS, line))
        self._note_skipped_applications(len(self.records) - len(rows))
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

    def _note_skipped_applications(self, count: int) -> None:
        self.export.skip(APPLICATIONS, count)
        if count:
            self.export.notes.append(f"{count} prospect application(s) (prospects and converted "
                                     "prospects) were not loaded")

    def _status(self, record: dict) -> str | None:
        status = text(record.get("status"))
        if status == "rejected":
            kind = self.reason(record).get("type")
            key = kind.get("key") if isinstance(kind, dict) else None
            return "withdrawn" if str(key or "").upper() == WITHDRAWAL_REASON_KEY else "rejected"
        return APPLICATION_STATUSES.get(status, status)

    def _closed_at(self, record: dict, status: str | None) -> str | None:
        zone = self.export.zone
        if status in ("rejected", "withdrawn"):
            detail = self.details.get(text(record.get("id")), {})
            return timestamp(record.get("rejected_at") or detail.get("rejected_at"), zone)
        if status == "hired":
            resolved = self._accepted_offer_resolved_at(text(record.get("id")))
            return timestamp(resolved or record.get("last_activity_at"), zone)
        return None

    def _accepted_offer_resolved_at(self, application_id: str | None) -> str | None:
        accepted = [o for o in self.offers or [] if text(o.get("application_id")) == application_id
                    and str(o.get("status") or "").lower() == "accepted" and o.get("resolved_at")]
        accepted.sort(key=lambda o: (_number(o.get("version")), str(o.get("resolved_at"))))
        return accepted[-1].get("resolved_at") if accepted else None

    def _responsible_recruiters(self) -> dict[str, str]:
        recruiters = {}
        for owner in self.export.load("job_owners.json") or []:
            if owner.get("type") == "recruiter" and owner.get("responsible") is True:
                recruiters.setdefault(text(owner.get("job_id")), text(owner.get("user_id")))
        return recruiters

    def _rejection_reasons(self) -> dict[str, dict]:
        return by_id(self.export.load("rejection_reasons.json"))

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

    def is_skipped(self, application_id: str | None) -> bool:
        return application_id in self.skipped_ids

    # tables hanging off applications ------------------------------------------------------

    def _child_rows(self, name: str, mapper) -> list[dict] | None:
        """Map each record of a per-application file (a None mapping is skipped); None when the
        file is absent."""
        records = self.export.load(name)
        if records is None:
            return None
        rows = []
        for line, record in enumerate(records, start=1):
            if self.is_skipped(text(record.get("application_id"))):
                self.export.skip(name)
                continue
            row = mapper(record)
            if row is None:
                self.export.skip(name)
                continue
            rows.append(row | _at(name, line))
        return rows

    def stage_changes(self) -> pd.DataFrame | None:
        stages = {k: text(v.get("name")) for k, v in
                  by_id(self.export.load("job_interview_stages.json")).items()}
        rows = self._child_rows("application_stages.json", lambda r: self._stage_change(r, stages))
        if rows is None:
            return None
        return staging_frame("stage_changes", rows)

    def _stage_change(self, record: dict, stages: dict) -> dict | None:
        if record.get("entered_at") is None:
            return None  # v3 leaves backfilled history without a time: nothing to place
        name = stages.get(text(record.get("job_interview_stage_id")))
        return {"application_id": text(record.get("application_id")), "stage": name,
                "stage_type": stage_type(name),
                "entered_at": timestamp(record.get("entered_at"), self.export.zone),
                "user_id": None}

    def interviews(self) -> pd.DataFrame | None:
        rows = self._child_rows("interviews.json", self._interview)
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
        rows = self._child_rows("offers.json", lambda r: self._offer(r, applications))
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
                "decline_reason": self.reason_name(application) if status == "declined" else None,
                "reneged_at": None}

    # lookup tables ------------------------------------------------------------------------

    def _lookup(self, name: str, table: str, mapper) -> pd.DataFrame | None:
        records = self.export.load(name)
        if records is None:
            return None
        rows = [mapper(r) | _at(name, line) for line, r in enumerate(records, start=1)]
        return staging_frame(table, rows)

    def users(self) -> pd.DataFrame | None:
        return self._lookup("users.json", "users", lambda r: {
            "user_id": text(r.get("id")), "name": text(r.get("name")) or full_name(r),
            "email": text(r.get("primary_email")), "role": None, "team": None})

    def jobs(self) -> pd.DataFrame | None:
        departments = {k: text(v.get("name"))
                       for k, v in by_id(self.export.load("departments.json")).items()}
        return self._lookup("jobs.json", "jobs", lambda r: {
            "job_id": text(r.get("id")), "title": text(r.get("name")),
            "department": departments.get(text(r.get("department_id"))), "location": None})

    def candidates(self) -> pd.DataFrame | None:
        return self._lookup("candidates.json", "candidates", lambda r: {
            "candidate_id": text(r.get("id")), "name": full_name(r),
            "email": first_value(r.get("email_addresses")),
            "phone": first_value(r.get("phone_numbers"))})


def _is_prospect(application: dict) -> bool:
    """Prospects and converted (promoted) prospect applications are not applications yet."""
    return (application.get("prospect") is True
            or text(application.get("status")) in SKIPPED_APPLICATION_STATUSES)


def _number(value) -> float:
    """A version-like value as a number for ordering; anything else sorts first."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _at(name: str, line: int) -> dict:
    return {"_file": name, "_line": str(line)}


# --- notes.json -> communications -----------------------------------------------------------

class Notes:
    """notes.json rows that are messages or calls between the company and the candidate."""

    def __init__(self, applications: Applications, tables: dict[str, pd.DataFrame]):
        self.applications = applications
        self.export = applications.export
        self.apps = tables["applications"]
        self.sent_offer_apps = _sent_offer_applications(tables.get("offers"))
        self.candidate_of = dict(zip(self.apps["application_id"], self.apps["candidate_id"]))
        candidates = self.export.load("candidates.json")
        self.emails = None if candidates is None else {
            text(c.get("id")): _candidate_addresses(c) for c in candidates}
        self.counts = {"internal email": 0, "unclassified email": 0, "internal note": 0,
                       "other": 0}

    def communications(self) -> pd.DataFrame | None:
        records = self.export.load(NOTES)
        if records is None:
            return None
        messages = [m for line, record in enumerate(records, start=1)
                    if (m := self._message(record, line)) is not None]
        messages = self._linked(messages)
        self._summarise(len(records) - len(messages))
        if not messages:
            return staging_frame("communications", [])
        rows = [self._row(m) for m in messages]
        frame = staging_frame("communications", rows)
        return rules_engine.apply_timing_fallback(frame, self.apps, self.export.rules)

    def _message(self, record: dict, line: int) -> dict | None:
        kind = str(record.get("type") or "").upper()
        application_id = text(record.get("application_id"))
        if self.applications.is_skipped(application_id):
            self.counts["other"] += 1
            return None
        candidate_id = text(record.get("candidate_id")) or self.candidate_of.get(application_id)
        base = {"id": text(record.get("id")), "application_id": application_id,
                "candidate_id": candidate_id, "line": line, "user_id": text(record.get("user_id")),
                "occurred_at": timestamp(record.get("created_at"), self.export.zone),
                "text": "\n".join(t for t in (text(record.get("subject")),
                                              text(record.get("body"))) if t)}
        if kind == "EMAIL":
            return self._email(record, base)
        if kind in CALL_NOTE_TYPES:
            return self._call(base)
        self.counts["other"] += 1
        return None

    def _email(self, record: dict, base: dict) -> dict | None:
        if self.emails is None:
            self.counts["unclassified email"] += 1
            return None
        known = self.emails.get(base["candidate_id"], set())
        if known & addresses(record.get("email_to")):
            direction = "to_candidate"
        elif known & addresses(record.get("email_from")):
            direction = "from_candidate"
        else:
            self.counts["internal email"] += 1
            return None
        automated = direction == "to_candidate" and base["user_id"] is None
        return base | {"kind": "email", "direction": direction, "channel": "email",
                       "automated": automated, "call_evidence": None}

    def _call(self, base: dict) -> dict | None:
        call = rules_engine.classify_note(self.export.rules, base["text"])
        if call is None:
            self.counts["internal note"] += 1
            return None
        direction, evidence = call
        return base | {"kind": "note", "direction": direction, "channel": "phone",
                       "automated": False, "call_evidence": evidence}

    def _linked(self, messages: list[dict]) -> list[dict]:
        """Messages with an application: their own, else the attribution rule's; unlinked ones
        are set aside."""
        unlinked = [m for m in messages if m["application_id"] is None]
        if unlinked:
            found = rules_engine.attribute(
                pd.DataFrame({"candidate_id": pd.Series([m["candidate_id"] for m in unlinked],
                                                        dtype="str"),
                              "occurred_at": pd.Series([m["occurred_at"] for m in unlinked],
                                                       dtype="str")}),
                self.apps[["application_id", "candidate_id", "applied_at"]])
            for message, application_id in zip(unlinked, list(found)):
                message["application_id"] = application_id if isinstance(application_id, str) else None
        linked = [m for m in messages if m["application_id"] is not None]
        for message in messages:
            if message["application_id"] is None:
                self.export.set_aside.append({
                    "file": NOTES, "line": message["line"], "column": "application_id",
                    "reason": "could not be linked to an application"})
        return linked

    def _row(self, message: dict) -> dict:
        has_offer = message["application_id"] in self.sent_offer_apps
        topic, topic_evidence = rules_engine.classify_topic(
            self.export.rules, message["text"], message["direction"], has_offer)
        evidence = "; ".join(e for e in (message["call_evidence"], topic_evidence) if e)
        return {"communication_id": f"{message['kind']}:{message['id']}",
                "application_id": message["application_id"],
                "occurred_at": message["occurred_at"], "direction": message["direction"],
                "channel": message["channel"], "topic": topic, "user_id": message["user_id"],
                "automated": "true" if message["automated"] else "false",
                "evidence": evidence, "_file": NOTES, "_line": str(message["line"])}

    def _summarise(self, not_loaded: int) -> None:
        self.export.skip(NOTES, not_loaded - len(
            [s for s in self.export.set_aside if s["file"] == NOTES]))
        sentences = {
            "internal email": "email(s) in notes.json were internal (neither to nor from the "
                              "candidate) and were not loaded",
            "unclassified email": "email(s) in notes.json were not loaded: without "
                                  "candidates.json their direction cannot be told",
            "internal note": "note(s) in notes.json were internal (no call with the candidate) "
                             "and were not loaded"}
        for key, sentence in sentences.items():
            if self.counts[key]:
                self.export.notes.append(f"{self.counts[key]} {sentence}")
        unlinked = sum(1 for s in self.export.set_aside if s["file"] == NOTES)
        if unlinked:
            self.export.notes.append(f"{unlinked} communication(s) in notes.json could not be "
                                     "linked to an application")


def _candidate_addresses(candidate: dict) -> set[str]:
    items = candidate.get("email_addresses")
    values = [i.get("value") if isinstance(i, dict) else i
              for i in (items if isinstance(items, list) else [])]
    return addresses([v for v in values if isinstance(v, str)])


def _sent_offer_applications(offers: pd.DataFrame | None) -> set[str]:
    if offers is None or offers.empty:
        return set()
    return set(offers.loc[offers["sent_at"].notna(), "application_id"])

