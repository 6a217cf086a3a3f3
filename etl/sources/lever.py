"""Lever (API v1 JSON) export: docs/vendor-formats.md, "Lever".

A folder of list-endpoint dumps: `opportunities.json` (required, fetched with
`expand=applications`, or with `applications.json` beside it holding the applications whose
posting is each opportunity's job), `archive_reasons.json`, `stages.json`, `users.json`,
`postings.json`,
and the per-opportunity resources `offers`, `notes` and `interviews`, each either one file whose
records carry `opportunityId` or a folder `<resource>/<opportunity_id>.json`. Every file is the
endpoint's `data` arrays concatenated (bare arrays, `{"data": [...]}` pages or JSON lines).
Timestamps are epoch milliseconds and become ISO-8601 UTC text.

The mapping rules shared with the Fivetran Lever tables (archive state and application status,
offer status, versions and answers, stage names, interview status, access role) are in
lever_common.py.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from etl import rules as comm_rules
from etl.contract import ExportError, LimitExceeded, ReadOptions, Staged
from etl.sources.common import (
    JsonFiles,
    at,
    count,
    json_values,
    map_records,
    read_text,
    rules_of,
    stage_type,
    staging_frame,
    text,
    topic_and_evidence,
    utc_text,
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
    ref,
    stage_name,
    unknown_reasons,
    user_role,
)
from etl.sources.reader import FieldMap

REQUIRED_FILE = "opportunities.json"
APPLICATIONS_FILE = "applications.json"
SAMPLE_SIZE = 20
PER_OPPORTUNITY = ("offers", "notes", "interviews")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Record:
    """One vendor record with where it came from (and, for per-opportunity resources, whose)."""

    data: dict
    file: str
    line: int
    opportunity_id: str | None = None


# ---------------------------------------------------------------- reading the files

def detect(folder: Path) -> bool:
    """A Lever API export has opportunities.json holding Lever opportunities (or no records)."""
    return (Path(folder) / REQUIRED_FILE).is_file() and misfit(folder) is None


def misfit(folder: Path) -> str | None:
    """Why a folder's opportunities.json is not a Lever export; None when it is one or when
    there is no such file."""
    path = Path(folder) / REQUIRED_FILE
    if not path.is_file():
        return None
    try:
        sample = sample_records(path, REQUIRED_FILE)
    except LimitExceeded:
        raise
    except ExportError as error:
        return str(error)
    if sample and not any(looks_like_opportunity(r) for r in sample):
        return f"{REQUIRED_FILE}: not Lever opportunities (expected records with contact and createdAt)"
    return None


def looks_like_opportunity(record: object) -> bool:
    """A Lever opportunity names its contact or carries createdAt (epoch milliseconds)."""
    return isinstance(record, dict) and ("contact" in record or "createdAt" in record)


def sample_records(path: Path, name: str, limit: int = SAMPLE_SIZE) -> list:
    """The first records of a file of concatenated JSON values (see load_json_records)."""
    records: list = []
    for value in json_values(read_text(path, name), name):
        records += page_records(value, name)
        if len(records) >= limit:
            break
    return records[:limit]


def load_json_records(path: Path, name: str) -> list[dict]:
    """The records of a file of concatenated JSON values: arrays, `{"data": [...]}` pages or
    one object per line. Raises ExportError("<name>: ...") when it is not that."""
    values = json_values(read_text(path, name), name)
    records = [record for value in values for record in page_records(value, name)]
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise ExportError(f"{name}: record {number} is not a JSON object")
    return records


def page_records(value: object, name: str) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and "data" in value:
        if not isinstance(value["data"], list):
            raise ExportError(f"{name}: a page's \"data\" is not a list")
        return value["data"]
    return [value]


class Files(JsonFiles):
    """A Lever export's files, read with Lever's pages, and the load summary."""

    def parse(self, path: Path, name: str) -> list[dict]:
        return load_json_records(path, name)

    def records(self, name: str) -> list[Record] | None:
        """The records of one top-level file, None when the file is absent."""
        data = self.load(name)
        return None if data is None else [Record(d, name, n) for n, d in enumerate(data, 1)]

    def resource(self, name: str) -> list[Record] | None:
        """A per-opportunity resource from `<name>.json` and/or `<name>/<opportunity>.json`."""
        top, folder = self.folder / f"{name}.json", self.folder / name
        if not top.is_file() and not folder.is_dir():
            return None
        found = []
        if top.is_file():
            found += [with_opportunity(r, None) for r in self.records(f"{name}.json")]
            require_field(found, "opportunityId", f"{name}.json")
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            found += [with_opportunity(r, path.stem) for r in self.records(f"{name}/{path.name}")]
        return self.without_duplicates(found, name)

    def without_duplicates(self, records: list[Record], name: str) -> list[Record]:
        seen, kept = set(), []
        for record in records:
            key = ref(record.data.get("id"))
            if key is not None and key in seen:
                self.skip(record.file)
                continue
            seen.add(key)
            kept.append(record)
        if len(kept) < len(records):
            self.note(f"{len(records) - len(kept)} of {count(len(records), name[:-1])} repeat "
                      "an id read before: loaded once")
        return kept

    def lookup(self, name: str) -> dict[str, dict] | None:
        records = self.records(name)
        if records is None:
            return None
        return {ref(r.data.get("id")): r.data for r in records}


def with_opportunity(record: Record, from_file_name: str | None) -> Record:
    opportunity = ref(record.data.get("opportunityId")) or from_file_name
    return Record(record.data, record.file, record.line, opportunity)


def require_field(records: list[Record], key: str, name: str) -> None:
    if records and all(record.data.get(key) in (None, "") for record in records):
        raise ExportError(f"{name}: required field {key} is missing in every record")


# ---------------------------------------------------------------- values

def first(values: object) -> object:
    return values[0] if isinstance(values, list) and values else None


def ms_to_iso(value: object) -> str | None:
    """Epoch milliseconds -> "2025-03-04T09:30:00Z" (".123Z" when there are milliseconds);
    anything else is returned as text for the validator to judge."""
    millis = epoch_ms(value)
    if millis is None:
        return text(value)
    try:
        return utc_text(EPOCH + timedelta(milliseconds=millis))
    except OverflowError:
        return text(value)


def epoch_ms(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if np.isfinite(value) else None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def dig(record: dict, *keys: str) -> object:
    for key in keys:
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record


def provenance(record: Record) -> dict:
    return at(record.file, record.line)


# ---------------------------------------------------------------- opportunities

def archive_of(opportunity: dict, reasons: dict[str, dict] | None) -> Archive:
    """The opportunity's `archived` object ({archivedAt, reason}) as its archive state."""
    archived = opportunity.get("archived")
    if not isinstance(archived, dict):
        return Archive(False)
    return archive(archived.get("archivedAt"), archived.get("reason"), reasons)


@dataclass
class Postings:
    """The posting of each application in applications.json (Lever's
    /opportunities/:id/applications), for opportunities fetched without expand=applications."""

    by_application: dict[str, str | None]
    by_opportunity: dict[str, str | None]
    present: bool = False

    @classmethod
    def of(cls, records: list[Record] | None) -> "Postings":
        if records is None:
            return cls({}, {})
        ordered = sorted(records, key=lambda r: (epoch_ms(r.data.get("createdAt")) is None,
                                                 epoch_ms(r.data.get("createdAt")) or 0, r.line))
        by_opportunity: dict[str, str | None] = {}
        for record in ordered:
            by_opportunity.setdefault(ref(record.data.get("opportunityId")),
                                      ref(record.data.get("posting")))
        by_application = {ref(r.data.get("id")): ref(r.data.get("posting")) for r in records}
        return cls(by_application, by_opportunity, True)

    def job_of(self, opportunity: dict) -> str | None:
        """applications[0].posting: from the expanded application, else from applications.json
        by the application's id, else by the opportunity's first application there."""
        application = first(opportunity.get("applications"))
        if isinstance(application, dict):
            return ref(application.get("posting"))
        if ref(application) in self.by_application:
            return self.by_application[ref(application)]
        return self.by_opportunity.get(ref(opportunity.get("id")))


def application_row(record: Record, archive: Archive, postings: Postings) -> dict:
    opportunity = record.data
    return {
        "application_id": ref(opportunity.get("id")),
        "candidate_id": ref(opportunity.get("contact")),
        "job_id": postings.job_of(opportunity),
        "recruiter_id": ref(opportunity.get("owner")),
        "source": text(first(opportunity.get("sources"))),
        "applied_at": ms_to_iso(opportunity.get("createdAt")),
        "status": archive.status,
        "closed_at": ms_to_iso(archive.at),
        "close_reason": archive.reason_text,
        **provenance(record),
    }


def has_id_only_applications(opportunity: dict) -> bool:
    application = first(opportunity.get("applications"))
    return application is not None and not isinstance(application, dict)


def stage_change_rows(record: Record, names: dict[str, object]) -> list[dict]:
    rows = []
    for change in record.data.get("stageChanges") or []:
        change = change if isinstance(change, dict) else {}
        name = stage_name(ref(change.get("toStageId")), names)
        rows.append({"application_id": ref(record.data.get("id")), "stage": name,
                     "stage_type": stage_type(name),
                     "entered_at": ms_to_iso(change.get("updatedAt")),
                     "user_id": ref(change.get("userId")), **provenance(record)})
    return rows


def candidate_rows(opportunities: list[Record]) -> list[dict]:
    """One candidate per contact: name, first email, first phone (first non-empty wins)."""
    by_contact: dict[str, dict] = {}
    for record in opportunities:
        contact = ref(record.data.get("contact"))
        if contact is None:
            continue
        row = by_contact.setdefault(contact, {"candidate_id": contact, "name": None,
                                              "email": None, "phone": None, **provenance(record)})
        found = {"name": text(record.data.get("name")),
                 "email": text(first(record.data.get("emails"))),
                 "phone": phone_of(first(record.data.get("phones")))}
        for key, value in found.items():
            row[key] = row[key] or value
    return list(by_contact.values())


def phone_of(phone: object) -> str | None:
    return text(phone.get("value")) if isinstance(phone, dict) else text(phone)


# ---------------------------------------------------------------- per-opportunity resources

def offer_rows(records: list[Record], archives: dict[str, Archive], reader: Files) -> list[dict]:
    """Sent offers, numbered as versions per opportunity in createdAt order; unsent skipped."""
    sent = []
    for record in records:
        if is_unsent_offer(record.data.get("status")):
            reader.skip(record.file)
        else:
            sent.append(record)
    versions = offer_versions([(r.opportunity_id, epoch_ms(r.data.get("createdAt")),
                                ref(r.data.get("id"))) for r in sent])
    rows = [offer_row(sent[position], version, archives.get(sent[position].opportunity_id))
            for position, version in versions]
    if len(sent) < len(records):
        reader.note(f"{count(len(records) - len(sent), 'offer')} {UNSENT_NOT_LOADED}")
    no_sent_time = sum(1 for r in sent if sent_time(r.data) is None and r.data.get("createdAt"))
    if no_sent_time:
        reader.note(f"{count(no_sent_time, 'sent offer')} without sentAt: createdAt is used as "
                    "the time sent")
    return rows


def offer_row(record: Record, version: str, archive: Archive | None) -> dict:
    offer = record.data
    status = normal(offer.get("status"))
    responded, decline_reason = None, None
    if status == "signed":
        responded = dig(offer, "signatures", "candidate", "signedAt")
    if status == "denied" and archive is not None:
        responded, decline_reason = archive.denied_offer_answer()
    return {"offer_id": ref(offer.get("id")), "application_id": record.opportunity_id,
            "version": version,
            "sent_at": ms_to_iso(sent_time(offer) or offer.get("createdAt")),
            "deadline_at": None, "responded_at": ms_to_iso(responded),
            "status": offer_status(text(offer.get("status"))), "response_channel": None,
            "decline_reason": decline_reason, "reneged_at": None, **provenance(record)}


def sent_time(offer: dict) -> object:
    return offer.get("sentAt") or dig(offer, "sentDocument", "uploadedAt")


def interview_rows(records: list[Record]) -> tuple[list[dict], list[bool]]:
    """Interview rows (status filled in later, once as_of is known) and which are cancelled."""
    rows = [{"interview_id": ref(r.data.get("id")), "application_id": r.opportunity_id,
             "scheduled_at": ms_to_iso(r.data.get("date")), "kind": None, "status": None,
             **provenance(r)} for r in records]
    return rows, [bool(r.data.get("canceledAt")) for r in records]


def note_text(note: dict) -> str:
    """The words of a note: its text and the values of its fields."""
    parts = [note.get("text")] + [dig(f, "value") for f in note.get("fields") or []]
    return "\n".join(str(part) for part in parts if part not in (None, ""))


def communication_rows(records: list[Record], offered: set, rules, reader: Files) -> list[dict]:
    """Notes that mention a call, as phone communications; other notes are internal (skipped)."""
    rows, deleted = [], 0
    for record in records:
        note = record.data
        deleted += bool(note.get("deletedAt"))
        call = None if note.get("deletedAt") else comm_rules.classify_note(rules, note_text(note))
        if call is None:
            reader.skip(record.file)
            continue
        direction, call_evidence = call
        topic, evidence = topic_and_evidence(rules, note_text(note), direction,
                                             record.opportunity_id in offered, call_evidence)
        rows.append({"communication_id": f"note:{ref(note.get('id'))}",
                     "application_id": record.opportunity_id,
                     "occurred_at": ms_to_iso(note.get("createdAt") or note.get("completedAt")),
                     "direction": direction, "channel": "phone", "topic": topic,
                     "user_id": ref(note.get("user")), "automated": "false",
                     "evidence": evidence, **provenance(record)})
    internal = len(records) - len(rows) - deleted
    reader.note(f"{len(rows)} of {count(len(records), 'note')} mention a call (loaded as phone "
                f"calls); {internal} internal and {deleted} deleted (not loaded)")
    return rows


# ---------------------------------------------------------------- users and postings

def category(posting: dict, name: str) -> str | None:
    """A posting's category (`categories.department`, `.team`, `.location`) as text."""
    categories = posting.get("categories")
    return text(categories.get(name)) if isinstance(categories, dict) else None


USER_FIELDS = FieldMap("users", {"user_id": lambda u: ref(u.get("id")), "name": "name",
                                 "email": "email",
                                 "role": lambda u: user_role(text(u.get("accessRole")))})
JOB_FIELDS = FieldMap("jobs", {
    "job_id": lambda p: ref(p.get("id")), "title": "text",
    "department": lambda p: category(p, "department") or category(p, "team"),
    "location": lambda p: category(p, "location")})


# ---------------------------------------------------------------- the reader

def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Map a Lever API export folder into the generic staging tables."""
    reader = Files(folder)
    opportunities = reader.records(REQUIRED_FILE)
    if opportunities is None:
        raise ExportError(f"{REQUIRED_FILE}: required file is missing from {folder}")
    require_field(opportunities, "id", REQUIRED_FILE)
    reasons = reader.lookup("archive_reasons.json")
    archive_list = [archive_of(r.data, reasons) for r in opportunities]
    archives = {ref(r.data.get("id")): a for r, a in zip(opportunities, archive_list)}
    postings = Postings.of(reader.records(APPLICATIONS_FILE))
    tables: dict[str, pd.DataFrame] = {}
    tables["applications"] = staging_frame("applications", [
        application_row(r, a, postings) for r, a in zip(opportunities, archive_list)])
    tables["candidates"] = staging_frame("candidates", candidate_rows(opportunities))
    add_stage_changes(reader, tables, opportunities)
    add_resources(reader, tables, archives, rules_of(options))
    add_directory(reader, tables, "users.json", USER_FIELDS)
    add_directory(reader, tables, "postings.json", JOB_FIELDS)
    note_opportunity_gaps(reader, opportunities, archive_list, reasons is not None, postings)
    return reader.result(tables)


def add_stage_changes(reader: Files, tables: dict[str, pd.DataFrame],
                      opportunities: list[Record]) -> None:
    """Stage changes, when the opportunities carry them at all."""
    if not any("stageChanges" in r.data for r in opportunities):
        return
    stages = reader.lookup("stages.json")
    names = {key: dig(stage, "text") for key, stage in (stages or {}).items()}
    rows = [row for r in opportunities for row in stage_change_rows(r, names)]
    tables["stage_changes"] = staging_frame("stage_changes", rows)
    known = {ref(k) for k in stages or {}}
    unnamed = sorted({ref(dig(c, "toStageId")) for r in opportunities
                      for c in r.data.get("stageChanges") or []} - known - {None})
    if unnamed:
        reader.note(f"{count(len(unnamed), 'stage')} not in stages.json (or no stages.json): "
                    "stage changes show the stage id as its name")


def add_resources(reader: Files, tables: dict[str, pd.DataFrame], archives: dict[str, Archive],
                  rules) -> None:
    """Offers, notes (as communications), then interviews: their status needs as_of."""
    offers = reader.resource("offers")
    if offers is not None:
        tables["offers"] = staging_frame("offers", offer_rows(offers, archives, reader))
    notes = reader.resource("notes")
    if notes is None:
        reader.note("No notes in the export: communications are unknown (Lever has no "
                    "email feed)")
    else:
        offered = set(tables["offers"]["application_id"]) if "offers" in tables else set()
        comms = staging_frame("communications", communication_rows(notes, offered, rules, reader))
        tables["communications"] = comm_rules.apply_timing_fallback(
            comms, tables["applications"], rules)
    interviews = reader.resource("interviews")
    if interviews is not None:
        rows, cancelled = interview_rows(interviews)
        table = staging_frame("interviews", rows)
        table["status"] = interview_status(table["scheduled_at"], pd.Series(cancelled, dtype=bool),
                                           as_of(tables))
        tables["interviews"] = table
    for name, records in (("offers", offers), ("notes", notes), ("interviews", interviews)):
        note_orphans(reader, name, records, archives)


def note_orphans(reader: Files, name: str, records: list[Record] | None,
                 archives: dict[str, Archive]) -> None:
    orphans = sum(1 for r in records or [] if r.opportunity_id not in archives)
    if orphans:
        reader.note(f"{count(orphans, name[:-1])} naming an opportunity not in {REQUIRED_FILE}")


def add_directory(reader: Files, tables: dict[str, pd.DataFrame], name: str,
                  fields: FieldMap) -> None:
    """A directory file (users, postings) mapped by its field map, when the export has it."""
    records = reader.load(name)
    if records is not None:
        tables[fields.table] = map_records(fields, name, records)


def note_opportunity_gaps(reader: Files, opportunities: list[Record],
                          archives: list[Archive], have_reasons: bool, postings: Postings) -> None:
    id_only = sum(1 for r in opportunities
                  if has_id_only_applications(r.data) and postings.job_of(r.data) is None)
    if id_only:
        where = (f"and not in {APPLICATIONS_FILE}" if postings.present
                 else "(not fetched with expand=applications)")
        reader.note(f"{count(id_only, 'opportunity', 'opportunities')} with applications as ids "
                    f"only {where}: job unknown")
    known = {ref(r.data.get("id")) for r in opportunities}
    orphans = sum(1 for opportunity in postings.by_opportunity
                  if opportunity is not None and opportunity not in known)
    if orphans:
        reader.note(f"{count(orphans, 'opportunity', 'opportunities')} in {APPLICATIONS_FILE} "
                    f"not in {REQUIRED_FILE}: their applications are not used")
    where = "in archive_reasons.json" if have_reasons else "known (no archive_reasons.json)"
    if (sentence := unknown_reasons(archives, where)) is not None:
        reader.note(sentence)
