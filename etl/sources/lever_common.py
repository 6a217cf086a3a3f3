"""Lever's mapping rules, shared by the Lever API reader (lever.py) and Fivetran's Lever tables
(fivetran_lever.py): docs/vendor-formats.md, "Lever"."""

import numpy as np
import pandas as pd

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
