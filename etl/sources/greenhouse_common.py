"""What the Greenhouse readers share: telling Harvest v1 from v3, the plumbing of a Harvest JSON
export (v1 and v3), the emails-and-notes mapping (v1, v3 and Fivetran's tables), and the Harvest
v1 vocabulary and application rules that Fivetran's Greenhouse tables use too. Mapping:
docs/vendor-formats.md, "Greenhouse".
"""

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from etl import rules as rules_engine
from etl.contract import TABLES, ExportError
from etl.sources.common import (
    JsonFiles,
    at,
    email_addresses,
    first_value,
    full_name,
    map_records,
    read_records,
    staging_frame,
    text,
    topic_and_evidence,
)
from etl.sources.reader import ExportLog, FieldMap

APPLICATIONS = "applications.json"
OFFERS = "offers.json"
SAMPLE_SIZE = 20
V3_ONLY_FILES = ("notes.json", "application_stages.json", "job_interview_stages.json",
                 "rejection_details.json", "interviews.json", "job_owners.json")
V1_ONLY_FILES = ("activity_feeds", "scheduled_interviews.json")
NOT_GREENHOUSE = ("not a Greenhouse Harvest export (expected v1 records with applied_at and "
                  "jobs, or v3 records with created_at and job_id)")

# Why messages were not loaded, in the order the load notes say it ({email}, {note}: where
# they were read). Messages that no application claims (the candidate has none) are skipped and
# noted in v1, v3 and Fivetran's tables alike (docs/decisions.md).
NOT_LOADED = {
    "internal email": "email(s) in {email} were internal (neither to nor from the candidate) "
                      "and were not loaded",
    "unclassified email": "email(s) in {email} were not loaded: without candidates.json their "
                          "direction cannot be told",
    "internal note": "note(s) in {note} were internal (no call with the candidate) and were "
                     "not loaded",
    "other": "row(s) in {note} are neither emails nor notes (activities, interviews, feedback "
             "and the like) and were not loaded",
    "prospect": "row(s) in {note} belong to prospect applications and were not loaded",
    "unlinked email": "email(s) in {email} could not be linked to an application (the "
                      "candidate has none) and were not loaded",
    "unlinked note": "call note(s) in {note} could not be linked to an application (the "
                     "candidate has none) and were not loaded",
}
SKIPPED_APPLICATION_STATUSES = {"converted"}  # a prospect promoted to a candidate application
PROSPECTS_NOT_LOADED = ("prospect application(s) (prospects and converted prospects) were not "
                        "loaded")
PROSPECT_RECORDS = "record(s) in {name} belong to prospect applications and were not loaded"
# Harvest v1 (and Fivetran's Greenhouse tables) values; v3 has its own.
WITHDRAWAL_REASON_TYPE = "they rejected us"
INTERVIEW_STATUSES = {"complete": "completed", "awaiting_feedback": "completed",
                      "scheduled": "scheduled"}
OFFER_STATUSES = {"unresolved": "pending", "accepted": "accepted", "rejected": "declined",
                  "deprecated": "pending"}


# --- v1 or v3 -------------------------------------------------------------------------------

def sample_applications(folder: Path) -> list[dict] | None:
    """The first few records of applications.json (None when absent); ExportError if malformed."""
    path = Path(folder) / APPLICATIONS
    if not path.is_file():
        return None
    return read_records(path, APPLICATIONS, limit=SAMPLE_SIZE)


def looks_v1(record: dict) -> bool:
    """A v1 application: `applied_at` and a `jobs` list."""
    return "applied_at" in record and "jobs" in record


def looks_v3(record: dict) -> bool:
    """A v3 application: `created_at` and a flat `job_id`, no v1 `jobs` list."""
    return "created_at" in record and "job_id" in record and "jobs" not in record


def generation(folder: Path) -> str:
    """"v1" or "v3" for a Greenhouse export folder; ExportError when it is neither."""
    folder = Path(folder)
    records = sample_applications(folder)
    if records is None:
        raise ExportError(f"{APPLICATIONS}: not found (a Greenhouse export needs it)")
    if any(looks_v3(r) for r in records):
        return "v3"
    if any(looks_v1(r) for r in records):
        return "v1"
    if records:
        raise ExportError(f"{APPLICATIONS}: {NOT_GREENHOUSE}")
    return _generation_from_files(folder)


def _generation_from_files(folder: Path) -> str:
    if any((folder / name).exists() for name in V3_ONLY_FILES):
        return "v3"
    if any((folder / name).exists() for name in V1_ONLY_FILES):
        return "v1"
    raise ExportError(f"{APPLICATIONS}: no records to tell Greenhouse v1 from v3 (use --format "
                      "greenhouse-v1 or --format greenhouse-v3)")


# --- a Harvest JSON export (v1 and v3) ------------------------------------------------------

class Export(JsonFiles):
    """The files of one Harvest export folder, read once each, the load summary, and the
    load's time zone and communication rules."""

    def __init__(self, folder: Path, zone: ZoneInfo, rules: rules_engine.Rules):
        super().__init__(folder)
        self.zone, self.rules = zone, rules


def require_fields(records: list[dict], fields: tuple[str, ...], expected: str) -> None:
    """ExportError when one of `fields` is missing in every application record."""
    for name in fields:
        if records and all(r.get(name) is None for r in records):
            raise ExportError(f"{APPLICATIONS}: no record has `{name}` (expected {expected})")


class HarvestMapping:
    """Maps one Harvest export: applications first, then every table that hangs off them.

    A reader's subclass sets `records` (the applications) and names its tables in
    `optional_tables()` and `communications()`.
    """

    def __init__(self, export: Export, records: list[dict]):
        self.export, self.records = export, records
        self.skipped_ids: set[str] = set()
        self._accepted: dict[str | None, str] | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The staging tables in the contract's order; an absent input leaves its table out."""
        tables = {"applications": self.applications()}
        for table, build in self.optional_tables():
            frame = build()
            if frame is not None:
                tables[table] = frame
        communications = self.communications(tables)
        if communications is not None:
            tables["communications"] = communications
        return {name: tables[name] for name in TABLES if name in tables}

    def applications(self) -> pd.DataFrame:
        raise NotImplementedError

    def optional_tables(self) -> tuple:
        """(table, builder) pairs; a builder returns None when its input is absent."""
        raise NotImplementedError

    def communications(self, tables: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
        raise NotImplementedError

    def application_rows(self, mapper) -> list[dict]:
        """Each application record mapped; prospects are skipped, counted and noted."""
        rows = []
        for line, record in enumerate(self.records, start=1):
            if is_prospect(record.get("prospect") is True, text(record.get("status"))):
                self.skipped_ids.add(text(record.get("id")))
                continue
            rows.append(mapper(record) | at(APPLICATIONS, line))
        self.export.skip(APPLICATIONS, len(self.records) - len(rows))
        self.export.note_count(len(self.records) - len(rows), PROSPECTS_NOT_LOADED)
        return rows

    def is_skipped(self, application_id: str | None) -> bool:
        return application_id in self.skipped_ids

    def child_rows(self, name: str, mapper, why: str = "") -> list[dict] | None:
        """Each record of a per-application file mapped by `mapper(record, line)`; records of
        skipped (prospect) applications and those mapped to None are skipped and noted (`why`
        says why the mapper leaves a record out). None when the file is absent."""
        records = self.export.load(name)
        if records is None:
            return None
        rows, prospects, left_out = [], 0, 0
        for line, record in enumerate(records, start=1):
            if self.is_skipped(text(record.get("application_id"))):
                prospects += 1
            elif (row := mapper(record, line)) is not None:
                rows.append(row | at(name, line))
                continue
            else:
                left_out += 1
            self.export.skip(name)
        self.export.note_count(prospects, PROSPECT_RECORDS.format(name=name))
        self.export.note_count(left_out, f"record(s) in {name} {why}")
        return rows

    def lookup(self, name: str, fields: FieldMap) -> pd.DataFrame | None:
        """A lookup file (users, jobs, candidates) mapped by its field map; None when absent."""
        records = self.export.load(name)
        if records is None:
            return None
        return map_records(fields, name, records)

    def accepted_offer_resolved_at(self, application_id: str | None) -> str | None:
        """When the application's latest accepted offer (highest version) was accepted."""
        if self._accepted is None:
            self._accepted = accepted_offer_times(self.export.load(OFFERS) or [])
        return self._accepted.get(application_id)


def application_status(status: str | None, reason_type: str | None) -> str | None:
    """A Harvest v1 status (also Fivetran's) in the generic vocabulary: `rejected` (in any case)
    with a rejection reason of type "They rejected us" is `withdrawn`, any other `rejected`;
    other statuses pass as they are, for the validator to judge.

    >>> application_status("rejected", "They rejected us"), application_status("active", None)
    ('withdrawn', 'active')
    """
    if (status or "").lower() != "rejected":
        return status
    return "withdrawn" if (reason_type or "").lower() == WITHDRAWAL_REASON_TYPE else "rejected"


def closed_at(status: str | None, rejected_at, hired_at, last_activity_at):
    """When an application closed: `rejected_at` for a rejection or a withdrawal; for a hire,
    when its accepted offer was accepted (`hired_at`), else `last_activity_at`; never for an
    open one. Values pass as they are (the reader turns them into timestamps)."""
    if status in ("rejected", "withdrawn"):
        return rejected_at
    if status == "hired":
        return hired_at or last_activity_at
    return None


def is_prospect(prospect: bool, status: str | None) -> bool:
    """Prospects and converted (promoted) prospect applications (status in any case) are not
    applications yet.

    >>> is_prospect(False, "Converted"), is_prospect(True, "active"), is_prospect(False, None)
    (True, True, False)
    """
    return prospect or (status or "").lower() in SKIPPED_APPLICATION_STATUSES


def accepted_offer_times(offers: list[dict]) -> dict[str | None, str]:
    """application id -> when its latest accepted offer (highest version, then latest answer)
    was accepted; offers are Harvest records (None for a missing value).

    >>> accepted_offer_times([{"application_id": 1, "status": "accepted", "version": 2,
    ...                        "resolved_at": "2025-01-05"},
    ...                       {"application_id": 1, "status": "Accepted", "version": 1,
    ...                        "resolved_at": "2025-02-01"}])
    {'1': '2025-01-05'}
    """
    latest: dict[str | None, tuple[tuple[float, str], str]] = {}
    for offer in offers:
        resolved = offer.get("resolved_at")
        if str(offer.get("status") or "").lower() != "accepted" or not resolved:
            continue
        key = text(offer.get("application_id"))
        order = (_number(offer.get("version")), str(resolved))
        if key not in latest or order >= latest[key][0]:
            latest[key] = (order, resolved)
    return {key: resolved for key, (_, resolved) in latest.items()}


def harvest_value(vocabulary: dict[str, str], value: str | None) -> str | None:
    """A Harvest v1 (or Fivetran) status in the generic vocabulary (any case); values not in
    it pass as they are, for the validator to judge.

    >>> harvest_value(OFFER_STATUSES, "Rejected"), harvest_value(OFFER_STATUSES, "odd")
    ('declined', 'odd')
    """
    return vocabulary.get(str(value).lower(), value)


def decline_reason(offer_status: str | None, rejection_reason: str | None) -> str | None:
    """A declined offer's reason: its application's rejection reason; none for another offer."""
    return rejection_reason if offer_status == "declined" else None


def _number(value) -> float:
    """A version-like value as a number for ordering; anything else sorts first."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def user_name(record: dict) -> str | None:
    """A Harvest user's `name`, else first_name + last_name."""
    return text(record.get("name")) or full_name(record)


# candidates.json and the users' names read the same in v1 and v3
CANDIDATES = FieldMap("candidates", {
    "candidate_id": "id", "name": full_name,
    "email": lambda r: first_value(r.get("email_addresses")),
    "phone": lambda r: first_value(r.get("phone_numbers"))})


def candidate_addresses(items) -> set[str]:
    """A candidate's addresses from [{"value": ..., "type": ...}] (or plain strings)."""
    values = [i.get("value") if isinstance(i, dict) else i
              for i in (items if isinstance(items, list) else [])]
    return email_addresses([v for v in values if isinstance(v, str)])


def message_text(*parts) -> str:
    """Subject and body as one text for the keyword rules."""
    return "\n".join(t for t in (text(p) for p in parts) if t)


# --- offers and messages (Harvest v1 and Fivetran's tables) ---------------------------------

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


def offer_applications(tables: dict[str, pd.DataFrame]) -> set[str]:
    """The applications with an offer in the staged offers table."""
    offers = tables.get("offers")
    return set() if offers is None else set(offers["application_id"].dropna())


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
    """Greenhouse emails and notes (v1's activity feeds, v3's notes.json, or Fivetran's
    email/note tables) as communications: direction by the candidate's addresses, the call rule
    for notes, the attribution rule for a message without an application, topics and the
    timing fallback (vendor-formats.md)."""

    def __init__(self, rules: rules_engine.Rules, apps: pd.DataFrame, offer_apps: set[str],
                 addresses: dict[str, set[str]], emails_from: str, notes_from: str | None = None):
        self.rules, self.apps, self.offer_apps = rules, apps, offer_apps
        self.addresses = addresses
        self.where = {"email": emails_from, "note": notes_from or emails_from}
        self.messages: list[Message] = []
        self.counts = dict.fromkeys(NOT_LOADED, 0)
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
            self.leave_out(message.file, "internal email")
            return
        message.channel = "email"
        self.messages.append(message)

    def note(self, message: Message) -> None:
        """Keep a note that records a call (the call rule); count any other as internal."""
        call = rules_engine.classify_note(self.rules, message.text)
        if call is None:
            self.leave_out(message.file, "internal note")
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
        """The messages with an application: their own, else the attribution rule's."""
        unlinked = [m for m in self.messages if m.application_id is None]
        if unlinked:
            found = rules_engine.attribute(pd.DataFrame({
                "candidate_id": pd.Series([m.candidate_id for m in unlinked], dtype="str"),
                "occurred_at": pd.Series([m.occurred_at for m in unlinked], dtype="str")}),
                self.apps)
            for message, application_id in zip(unlinked, found.tolist()):
                message.application_id = (application_id if isinstance(application_id, str)
                                          else None)
        for message in self.messages:
            if message.application_id is None:
                self.leave_out(message.file, f"unlinked {message.id.split(':')[0]}")
        return [m for m in self.messages if m.application_id is not None]

    def leave_out(self, file: str, reason: str) -> None:
        """A message (or feed row) of `file` not loaded, for `reason` (a key of NOT_LOADED)."""
        self.counts[reason] += 1
        self.not_loaded[file] = self.not_loaded.get(file, 0) + 1

    def _row(self, message: Message) -> dict:
        topic, evidence = topic_and_evidence(self.rules, message.text, message.direction,
                                             message.application_id in self.offer_apps,
                                             message.call_evidence)
        return {"communication_id": message.id, "application_id": message.application_id,
                "occurred_at": message.occurred_at, "direction": message.direction,
                "channel": message.channel, "topic": topic, "user_id": message.user_id,
                "automated": "true" if message.automated else "false",
                "evidence": evidence} | at(message.file, message.line)

    def summary(self) -> list[str]:
        """Sentences for the load notes: what was not loaded, and why."""
        return [f"{self.counts[key]} {sentence.format(**self.where)}"
                for key, sentence in NOT_LOADED.items() if self.counts[key]]

    def report(self, log: ExportLog) -> None:
        """Put the messages not loaded in the load summary: notes, and skipped per file."""
        for sentence in self.summary():
            log.note(sentence)
        for name, number in self.not_loaded.items():
            log.skip(name, number)
