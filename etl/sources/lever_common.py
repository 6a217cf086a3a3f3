"""Lever's mapping rules, shared by the Lever API reader (lever.py) and Fivetran's Lever tables
(fivetran_lever.py): docs/vendor-formats.md, "Lever"."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.sources.common import count, text

# An archive reason whose text names the candidate's choice makes the application withdrawn.
CANDIDATE_CHOICE = ("withdr", "declin", "candidate", "accepted another", "unresponsive",
                    "no show")
UNSENT_OFFERS = frozenset({"draft", "approval-sent", "approved"})
UNSENT_NOT_LOADED = "not sent yet (draft, or awaiting or past approval) and not loaded"
OFFER_STATUS = {"sent": "pending", "sent-manually": "pending", "opened": "pending",
                "signed": "accepted", "denied": "declined"}
# Lever's access roles are permission levels; this is the job each one usually goes with.
ROLE_BY_ACCESS = {"super admin": "other", "admin": "recruiter", "team member": "recruiter",
                  "limited team member": "hiring_manager", "interviewer": "interviewer"}
AS_OF_COLUMNS = {"applications": ("applied_at", "closed_at"),
                 "communications": ("occurred_at",),
                 "offers": ("sent_at", "responded_at", "reneged_at")}


@dataclass(frozen=True)
class Archive:
    """An opportunity's archive state: when, and the reason's text and type (None: unknown)."""

    archived: bool
    at: object = None
    reason_text: str | None = None
    reason_type: str | None = None
    reason_known: bool = True

    @property
    def status(self) -> str:
        """The application's status (`application_status`)."""
        return application_status(self.archived, self.reason_text, self.reason_type)

    def denied_offer_answer(self) -> tuple[object, str | None]:
        """When a denied offer was answered and why: the archive's time and reason (an
        opportunity still open gives neither)."""
        return (self.at, self.reason_text) if self.archived else (None, None)


def archive(at: object, reason: object, reasons: dict[str, dict] | None) -> Archive:
    """The archive state of an opportunity archived `at` (or not: None) for `reason`, an
    expanded reason object or its id, looked up in `reasons` (id -> {text, type})."""
    if not (at or reason):
        return Archive(False)
    if not isinstance(reason, dict):
        reason = (reasons or {}).get(ref(reason))
    if reason is None:
        return Archive(True, at, reason_known=False)
    return Archive(True, at, text(reason.get("text")), text(reason.get("type")))


def unknown_reasons(archives: list[Archive], where: str) -> str | None:
    """The note for archived opportunities whose reason is not `where` (None when all known)."""
    unknown = sum(1 for a in archives if a.archived and not a.reason_known)
    if not unknown:
        return None
    return (f"{count(unknown, 'archived opportunity', 'archived opportunities')} with an "
            f"archive reason not {where}: counted as rejected, without a close reason")


def stage_name(stage_id: str | None, names: dict) -> str | None:
    """A stage's name from the stages list (id -> name), else its id."""
    return text(names.get(stage_id)) or stage_id


def ref(value: object) -> str | None:
    """A vendor id as text; an expanded object gives its id."""
    if isinstance(value, dict):
        value = value.get("id")
    return text(value)


def application_status(archived: bool, reason_text: str | None, reason_type: str | None) -> str:
    """active / hired / withdrawn / rejected from the archive state and its reason."""
    if not archived:
        return "active"
    if is_hired_reason(reason_text, reason_type):
        return "hired"
    text = (reason_text or "").casefold()
    if any(word in text for word in CANDIDATE_CHOICE):
        return "withdrawn"
    return "rejected"


def is_hired_reason(text: str | None, kind: str | None) -> bool:
    """Lever marks the hired reason with type "hired"; without a type, by its text "Hired"."""
    if kind:
        return kind.strip().casefold() == "hired"
    return (text or "").strip().casefold() == "hired"


def offer_status(status: str | None) -> str | None:
    """Generic offer status; unknown vendor values pass through for the validator to flag."""
    return OFFER_STATUS.get(normal(status), status)


def offer_versions(offers: list[tuple[str | None, object, str | None]]) -> list[tuple[int, str]]:
    """Sent offers, each (opportunity, created time, offer id), numbered as versions per
    opportunity in created order (ties by id; an offer without a created time comes last):
    (position in `offers`, version) in that order.

    >>> offer_versions([("o1", 20, "b"), ("o1", 10, "a"), ("o2", None, "c")])
    [(1, '1'), (0, '2'), (2, '1')]
    """
    def key(position: int) -> tuple:
        opportunity, created, offer_id = offers[position]
        return (opportunity is None, opportunity or "", created is None,
                0 if created is None else created, offer_id or "")

    numbers: dict[str | None, int] = {}
    versions = []
    for position in sorted(range(len(offers)), key=key):
        opportunity = offers[position][0]
        numbers[opportunity] = numbers.get(opportunity, 0) + 1
        versions.append((position, str(numbers[opportunity])))
    return versions


def is_unsent_offer(status: str | None) -> bool:
    """Drafts and offers awaiting or past approval, not yet sent to the candidate."""
    return normal(status) in UNSENT_OFFERS


def user_role(access_role: str | None) -> str | None:
    """The generic role of a Lever access role ("limited team member" -> "hiring_manager")."""
    key = normal(access_role).replace("_", " ").replace("-", " ")
    return ROLE_BY_ACCESS.get(key, "other") if key else None


def normal(text: object) -> str:
    """Lower-case, trimmed text; "" for a missing value (None or NaN)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    return str(text).strip().casefold()


def as_of(tables: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The latest applied/closed/occurred/sent/responded/reneged time in the staged tables."""
    columns = [tables[name][column] for name, names in AS_OF_COLUMNS.items()
               if name in tables for column in names]
    if not columns:
        return None
    latest = utc(pd.concat(columns, ignore_index=True)).max()
    return None if pd.isna(latest) else latest


def interview_status(scheduled_at: pd.Series, cancelled: pd.Series,
                     now: pd.Timestamp | None) -> pd.Series:
    """cancelled; else completed when scheduled before `now` (as_of); else scheduled."""
    when = utc(scheduled_at)
    past = (when < now).fillna(False).to_numpy(bool) if now is not None else False
    status = np.where(cancelled.to_numpy(bool), "cancelled",
                      np.where(past, "completed", "scheduled"))
    return pd.Series(status, index=scheduled_at.index, dtype="str")


def utc(values: pd.Series) -> pd.Series:
    """ISO text as UTC datetimes (NaT where it is not a time)."""
    return pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
