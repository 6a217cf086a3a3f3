"""Greenhouse Harvest API v1 JSON export -> the generic staging tables.

A folder of JSON files, one per v1 list endpoint (pages concatenated: arrays back to back, or
one object per line), plus `activity_feeds/<candidate_id>.json`, the object that
`GET /v1/candidates/{id}/activity_feed` returns. Only `applications.json` is required; an absent
file leaves its table out (unknown, not zero). Mapping: vendor-formats.md, "Greenhouse (Harvest
API v1 JSON)".

v1 applications carry only their current stage, not a stage history, so there are no stage
changes. The JSON helpers are shared with the v3 reader (same vendor, same file conventions).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from etl import rules as rules_engine
from etl.contract import TABLES, ExportError, ReadOptions, Staged
from etl.sources.greenhouse_v3 import (
    by_id,
    day,
    first_value,
    full_name,
    parse_records,
    read_text,
    staging_frame,
    text,
    timestamp,
)

APPLICATIONS = "applications.json"
CANDIDATES = "candidates.json"
OFFERS = "offers.json"
INTERVIEWS = "scheduled_interviews.json"
USERS = "users.json"
JOBS = "jobs.json"
FEEDS = "activity_feeds"
REQUIRED_APPLICATION_FIELDS = ("id", "candidate_id", "applied_at", "status")
SAMPLE_SIZE = 20

SKIPPED_APPLICATION_STATUSES = {"converted"}  # a prospect promoted to a candidate application
WITHDRAWAL_REASON_TYPE = "they rejected us"
INTERVIEW_STATUSES = {"complete": "completed", "awaiting_feedback": "completed",
                      "scheduled": "scheduled"}
OFFER_STATUSES = {"unresolved": "pending", "accepted": "accepted", "rejected": "declined",
                  "deprecated": "pending"}
FEED_SINGULAR = {"emails": "email", "notes": "note", "activities": "activity"}
_ADDRESS = re.compile(r"[^\s<>,;:\"'()\[\]]+@[^\s<>,;:\"'()\[\]]+")


# --- detection and files --------------------------------------------------------------------

def detect(folder: Path) -> bool:
    """True when the folder looks like a Harvest v1 export: applications with `applied_at`
    and a `jobs` list, and no v3 `notes.json`."""
    folder = Path(folder)
    path = folder / APPLICATIONS
    if not path.is_file() or (folder / "notes.json").exists():
        return False
    try:
        sample = parse_records(read_text(path, APPLICATIONS), APPLICATIONS, limit=SAMPLE_SIZE)
    except ExportError:
        return False
    return bool(sample) and all(_looks_v1(record) for record in sample)


def _looks_v1(record: dict) -> bool:
    return "applied_at" in record and isinstance(record.get("jobs"), list)


@dataclass
class Export:
    """The raw files of one export folder and what has been read, skipped and noted."""

    folder: Path
    zone: ZoneInfo
    rules: rules_engine.Rules
    files: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, list[dict] | None] = field(default_factory=dict)

    def load(self, name: str) -> list[dict] | None:
        """The records of `name` (relative path), None when the file is absent."""
        if name not in self.raw:
            path = self.folder / name
            self.raw[name] = (parse_records(read_text(path, name), name)
                              if path.is_file() else None)
            if self.raw[name] is not None:
                self.files[name] = len(self.raw[name])
        return self.raw[name]

    def skip(self, name: str, count: int = 1) -> None:
        if count:
            self.skipped[name] = self.skipped.get(name, 0) + count

    def note(self, count: int, sentence: str) -> None:
        if count:
            self.notes.append(f"{count} {sentence}")


def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Read a Greenhouse Harvest v1 export folder into staging tables.

    >>> read(Path("tests/data/greenhouse_v1"), ReadOptions()).tables["applications"]
    """
    options = options or ReadOptions()
    rules = options.rules or rules_engine.Rules.load()
    export = Export(Path(folder), ZoneInfo(options.timezone), rules)
    tables = Mapping(export).tables()
    return Staged(tables=tables, files=export.files, skipped=export.skipped,
                  notes=export.notes)


def _at(name: str, line: int) -> dict:
    return {"_file": name, "_line": str(line)}


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

class Mapping:
    """Maps one export: applications first, then every table that hangs off them."""

    def __init__(self, export: Export):
        self.export = export
        self.records = self._application_records()
        self.by_id = by_id(self.records)
        self.skipped_ids: set[str] = set()
        self.offers = export.load(OFFERS)
        self.candidates = export.load(CANDIDATES)

    def _application_records(self) -> list[dict]:
        records = self.export.load(APPLICATIONS)
        if records is None:
            raise ExportError(f"{APPLICATIONS}: not found in {self.export.folder} (it is the one "
                              "required file)")
        for name in REQUIRED_APPLICATION_FIELDS:
            if records and all(r.get(name) is None for r in records):
                raise ExportError(f"{APPLICATIONS}: no record has `{name}` (expected Greenhouse "
                                  "Harvest v1 applications)")
        return records

    def tables(self) -> dict[str, pd.DataFrame]:
        tables = {"applications": self.applications()}
        optional = (("interviews", self.interviews), ("offers", self.offer_rows),
                    ("users", self.users), ("jobs", self.jobs),
                    ("candidates", self.candidate_rows))
        for table, build in optional:
            frame = build()
            if frame is not None:
                tables[table] = frame
        communications = ActivityFeeds(self, tables).communications()
        if communications is not None:
            tables["communications"] = communications
        return {name: tables[name] for name in TABLES if name in tables}

    # applications ---------------------------------------------------------------------------

    def applications(self) -> pd.DataFrame:
        recruiters = self._responsible_recruiters()
        candidate_recruiters = {text(c.get("id")): _id(c.get("recruiter"))
                                for c in self.candidates or []}
        rows = []
        for line, record in enumerate(self.records, start=1):
            if record.get("prospect") is True or record.get("status") in SKIPPED_APPLICATION_STATUSES:
                self.skipped_ids.add(text(record.get("id")))
                continue
            row = self._application(record, recruiters, candidate_recruiters)
            rows.append(row | _at(APPLICATIONS, line))
        self.export.skip(APPLICATIONS, len(self.skipped_ids))
        self.export.note(len(self.skipped_ids), "prospect application(s) (prospects and "
                                                "converted prospects) were not loaded")
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
        status = text(record.get("status"))
        if status != "rejected":
            return status
        reason = record.get("rejection_reason")
        kind = _name(reason.get("type")) if isinstance(reason, dict) else None
        return "withdrawn" if (kind or "").lower() == WITHDRAWAL_REASON_TYPE else "rejected"

    def _closed_at(self, record: dict, status: str | None) -> str | None:
        if status in ("rejected", "withdrawn"):
            return timestamp(record.get("rejected_at"), self.export.zone)
        if status == "hired":
            resolved = self._accepted_offer_resolved_at(text(record.get("id")))
            return timestamp(resolved or record.get("last_activity_at"), self.export.zone)
        return None

    def _accepted_offer_resolved_at(self, application_id: str | None) -> str | None:
        accepted = [o for o in self.offers or []
                    if text(o.get("application_id")) == application_id
                    and str(o.get("status") or "").lower() == "accepted" and o.get("resolved_at")]
        accepted.sort(key=lambda o: (o.get("version") or 0, str(o.get("resolved_at"))))
        return accepted[-1].get("resolved_at") if accepted else None

    def _responsible_recruiters(self) -> dict[str, str]:
        """job id -> the job's responsible recruiter (hiring_team.recruiters[].responsible)."""
        recruiters = {}
        for job in self.export.load(JOBS) or []:
            team = job.get("hiring_team") if isinstance(job.get("hiring_team"), dict) else {}
            for recruiter in team.get("recruiters") or []:
                if isinstance(recruiter, dict) and recruiter.get("responsible") is True:
                    recruiters.setdefault(text(job.get("id")), _id(recruiter))
        return recruiters

    def is_skipped(self, application_id: str | None) -> bool:
        return application_id in self.skipped_ids

    # tables hanging off applications ----------------------------------------------------------

    def _child_rows(self, name: str, mapper) -> list[dict] | None:
        """Each record of a per-application file mapped; those of skipped (prospect)
        applications are skipped. None when the file is absent."""
        records = self.export.load(name)
        if records is None:
            return None
        rows = []
        for line, record in enumerate(records, start=1):
            if self.is_skipped(text(record.get("application_id"))):
                self.export.skip(name)
                continue
            rows.append(mapper(record, line) | _at(name, line))
        return rows

    def interviews(self) -> pd.DataFrame | None:
        rows = self._child_rows(INTERVIEWS, self._interview)
        return None if rows is None else staging_frame("interviews", rows)

    def _interview(self, record: dict, line: int) -> dict:
        status = text(record.get("status"))
        start = record.get("start") if isinstance(record.get("start"), dict) else {}
        scheduled = (timestamp(start.get("date_time"), self.export.zone) if start.get("date_time")
                     else day(start.get("date"), self.export.zone))
        return {"interview_id": text(record.get("id")),
                "application_id": text(record.get("application_id")),
                "scheduled_at": scheduled, "kind": None,
                "status": INTERVIEW_STATUSES.get(str(status).lower(), status)}

    def offer_rows(self) -> pd.DataFrame | None:
        versions = offer_versions(self.offers or [])
        rows = self._child_rows(OFFERS, lambda r, line: self._offer(r, versions[line]))
        return None if rows is None else staging_frame("offers", rows)

    def _offer(self, record: dict, version: str | None) -> dict:
        vendor_status = text(record.get("status"))
        status = OFFER_STATUSES.get(str(vendor_status).lower(), vendor_status)
        application = self.by_id.get(text(record.get("application_id")), {})
        decline_reason = _name(application.get("rejection_reason")) if status == "declined" else None
        return {"offer_id": text(record.get("id")),
                "application_id": text(record.get("application_id")), "version": version,
                "sent_at": day(record.get("sent_at"), self.export.zone), "deadline_at": None,
                "responded_at": timestamp(record.get("resolved_at"), self.export.zone),
                "status": status, "response_channel": None, "decline_reason": decline_reason,
                "reneged_at": None}

    # lookup tables ----------------------------------------------------------------------------

    def _lookup(self, name: str, table: str, mapper) -> pd.DataFrame | None:
        records = self.export.load(name)
        if records is None:
            return None
        rows = [mapper(r) | _at(name, line) for line, r in enumerate(records, start=1)]
        return staging_frame(table, rows)

    def users(self) -> pd.DataFrame | None:
        return self._lookup(USERS, "users", lambda r: {
            "user_id": text(r.get("id")), "name": text(r.get("name")) or full_name(r),
            "email": text(r.get("primary_email_address")), "role": None, "team": None})

    def jobs(self) -> pd.DataFrame | None:
        return self._lookup(JOBS, "jobs", lambda r: {
            "job_id": text(r.get("id")), "title": text(r.get("name")),
            "department": _name(_first(r.get("departments"))), "location": _job_location(r)})

    def candidate_rows(self) -> pd.DataFrame | None:
        return self._lookup(CANDIDATES, "candidates", lambda r: {
            "candidate_id": text(r.get("id")), "name": full_name(r),
            "email": first_value(r.get("email_addresses")),
            "phone": first_value(r.get("phone_numbers"))})


def _job_location(job: dict) -> str | None:
    """The first office's location name, else the office's name."""
    office = _first(job.get("offices"))
    return _name(office.get("location")) or _name(office)


def offer_versions(offers: list[dict]) -> dict[int, str | None]:
    """Record number (1-based) -> version text. An application whose offers all carry a
    `version` keeps them; otherwise its offers are numbered in created_at order, deprecated
    (superseded) versions first."""
    by_application: dict[str | None, list[tuple[int, dict]]] = {}
    for line, offer in enumerate(offers, start=1):
        by_application.setdefault(text(offer.get("application_id")), []).append((line, offer))
    versions = {}
    for group in by_application.values():
        if all(_version(offer) is not None for _, offer in group):
            versions.update({line: _version(offer) for line, offer in group})
            continue
        group.sort(key=lambda item: (str(item[1].get("status")).lower() != "deprecated",
                                     str(item[1].get("created_at") or ""), item[0]))
        versions.update({line: str(number) for number, (line, _) in enumerate(group, start=1)})
    return versions


def _version(offer: dict) -> str | None:
    """The offer's own `version` as text when it is a whole number, else None."""
    version = offer.get("version")
    if isinstance(version, bool) or not isinstance(version, (int, str)):
        return None
    return str(version) if str(version).isdigit() else None


# --- emails and notes -> communications -------------------------------------------------------

@dataclass
class Message:
    """An email or note about a candidate, before it is linked to an application."""

    id: str  # "email:<id>" / "note:<id>"
    candidate_id: str | None
    occurred_at: str | None
    user_id: str | None
    text: str
    file: str
    line: int
    direction: str = ""
    channel: str = ""
    automated: bool = False
    call_evidence: str | None = None
    application_id: str | None = None


class Messages:
    """Greenhouse emails and notes (activity feeds, or Fivetran's email/note tables) as
    communications: direction by the candidate's addresses, the call rule for notes, the
    attribution rule, topics and the timing fallback (vendor-formats.md)."""

    def __init__(self, rules: rules_engine.Rules, apps: pd.DataFrame, offer_apps: set[str],
                 addresses: dict[str, set[str]], emails_from: str, notes_from: str | None = None):
        self.rules, self.apps, self.offer_apps = rules, apps, offer_apps
        self.addresses = addresses
        self.where = {"email": emails_from, "note": notes_from or emails_from}
        self.messages: list[Message] = []
        self.counts = {"internal email": 0, "internal note": 0, "unlinked email": 0,
                       "unlinked note": 0}
        self.not_loaded: dict[str, int] = {}  # file -> messages read but not loaded

    def email(self, message: Message, to, sender) -> None:
        """Keep an email to or from the candidate; count any other as internal."""
        known = self.addresses.get(message.candidate_id, set())
        if known & email_addresses(to):
            message.direction = "to_candidate"
            message.automated = message.user_id is None
        elif known & email_addresses(sender):
            message.direction = "from_candidate"
        else:
            self._not_loaded(message, "internal email")
            return
        message.channel = "email"
        self.messages.append(message)

    def note(self, message: Message) -> None:
        """Keep a note that records a call (the call rule); count any other as internal."""
        call = rules_engine.classify_note(self.rules, message.text)
        if call is None:
            self._not_loaded(message, "internal note")
            return
        message.direction, message.call_evidence = call
        message.channel = "phone"
        self.messages.append(message)

    def frame(self) -> pd.DataFrame:
        """The communications staging frame; the load notes are in `summary()`."""
        linked = self._linked()
        if not linked:
            return staging_frame("communications", [])
        frame = staging_frame("communications", [self._row(m) for m in linked])
        return rules_engine.apply_timing_fallback(frame, self.apps, self.rules)

    def _linked(self) -> list[Message]:
        if not self.messages:
            return []
        found = rules_engine.attribute(pd.DataFrame({
            "candidate_id": pd.Series([m.candidate_id for m in self.messages], dtype="str"),
            "occurred_at": pd.Series([m.occurred_at for m in self.messages], dtype="str")}),
            self.apps)
        for message, application_id in zip(self.messages, found.tolist()):
            message.application_id = application_id if isinstance(application_id, str) else None
        for message in self.messages:
            if message.application_id is None:
                self._not_loaded(message, f"unlinked {message.id.split(':')[0]}")
        return [m for m in self.messages if m.application_id is not None]

    def _not_loaded(self, message: Message, reason: str) -> None:
        self.counts[reason] += 1
        self.not_loaded[message.file] = self.not_loaded.get(message.file, 0) + 1

    def _row(self, message: Message) -> dict:
        topic, topic_evidence = rules_engine.classify_topic(
            self.rules, message.text, message.direction,
            message.application_id in self.offer_apps)
        evidence = "; ".join(e for e in (message.call_evidence, topic_evidence) if e)
        return {"communication_id": message.id, "application_id": message.application_id,
                "occurred_at": message.occurred_at, "direction": message.direction,
                "channel": message.channel, "topic": topic, "user_id": message.user_id,
                "automated": "true" if message.automated else "false",
                "evidence": evidence} | _at(message.file, message.line)

    def summary(self) -> list[str]:
        """Sentences for the load notes: what was not loaded, and why."""
        sentences = (
            ("internal email", "email(s) in {email} were internal (neither to nor from the "
                               "candidate) and were not loaded"),
            ("internal note", "note(s) in {note} were internal (no call with the candidate) "
                              "and were not loaded"),
            ("unlinked email", "email(s) in {email} could not be linked to an application "
                               "(the candidate has none) and were not loaded"),
            ("unlinked note", "call note(s) in {note} could not be linked to an application "
                              "(the candidate has none) and were not loaded"))
        return [f"{self.counts[key]} {sentence.format(**self.where)}"
                for key, sentence in sentences if self.counts[key]]


def message_text(*parts) -> str:
    """Subject and body as one text for the keyword rules."""
    return "\n".join(t for t in (text(p) for p in parts) if t)


class ActivityFeeds:
    """`activity_feeds/<candidate_id>.json`: emails[] and notes[] as communications;
    activities[] are system events and are not read."""

    def __init__(self, mapping: Mapping, tables: dict[str, pd.DataFrame]):
        self.export = mapping.export
        offers = tables.get("offers")
        offer_apps = set() if offers is None else set(offers["application_id"].dropna())
        addresses = {text(c.get("id")): candidate_addresses(c.get("email_addresses"))
                     for c in mapping.candidates or []}
        self.messages = Messages(self.export.rules, tables["applications"], offer_apps,
                                 addresses, "the activity feeds")
        self.has_candidates = mapping.candidates is not None

    def communications(self) -> pd.DataFrame | None:
        folder = self.export.folder / FEEDS
        if not folder.is_dir():
            return None
        if not self.has_candidates:
            self.export.notes.append(f"{CANDIDATES} is absent: emails cannot be told apart from "
                                     "internal mail, so only call notes were loaded")
        for path in sorted(folder.glob("*.json"), key=_feed_order):
            self._feed(f"{FEEDS}/{path.name}", path.stem)
        frame = self.messages.frame()
        self.export.notes.extend(self.messages.summary())
        for name, count in self.messages.not_loaded.items():
            self.export.skip(name, count)
        return frame

    def _feed(self, name: str, candidate_id: str) -> None:
        feed = self._feed_object(name)
        for line, record in enumerate(_feed_list(feed, "emails", name), start=1):
            self.messages.email(self._message(record, "email", candidate_id, name, line),
                                record.get("to"), record.get("from"))
        for line, record in enumerate(_feed_list(feed, "notes", name), start=1):
            self.messages.note(self._message(record, "note", candidate_id, name, line))

    def _feed_object(self, name: str) -> dict:
        records = parse_records(read_text(self.export.folder / name, name), name)
        if len(records) != 1:
            raise ExportError(f"{name}: expected one activity feed object, found {len(records)}")
        feed = records[0]
        self.export.files[name] = sum(len(_feed_list(feed, key, name))
                                      for key in ("emails", "notes", "activities"))
        self.export.skip(name, len(_feed_list(feed, "activities", name)))  # system events
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


def email_addresses(value) -> set[str]:
    """Email addresses found in a to/from field ("Ann <ann@x.com>, bob@y.com"), lower-cased."""
    values = value if isinstance(value, list) else [value]
    return {a.lower() for v in values if isinstance(v, str) for a in _ADDRESS.findall(v)}


def candidate_addresses(items) -> set[str]:
    """A candidate's addresses from [{"value": ..., "type": ...}] (or plain strings)."""
    values = [i.get("value") if isinstance(i, dict) else i
              for i in (items if isinstance(items, list) else [])]
    return email_addresses(values)
