"""Tables as people read them: formatted figures beside their n, "—" where n is too small."""

import math

import pandas as pd

from app import format as fmt
from queries.call_list import profile_url, tel_url

CALL_LIST_COLUMNS = {"candidate_name": "Candidate", "phone": "Phone", "call": "Call",
                     "email": "E-mail", "job_title": "Job", "rejected_on": "Rejected on",
                     "days_waiting": "Days waiting", "recruiter": "Recruiter", "status": "Status",
                     "profile": "In the ATS"}
STATUS = {"overdue": "Overdue", "pending": "Within SLA"}


def recruiters(rows: list[dict], notices: pd.DataFrame, first: pd.DataFrame) -> pd.DataFrame:
    """One row per recruiter of the report (Unassigned last), with the n of every figure.
    notices, first: rejection_notices and first_response grouped by recruiter."""
    lag_n = notices.set_index("group_key")["notice_lag_n"] if len(notices) else pd.Series()
    first_n = first.set_index("group_key")["first_response_n"] if len(first) else pd.Series()
    out = []
    for r in rows:
        key = r["recruiter_id"] or ""
        told_n, lag, response = r["rejections_interviewed"], lag_n.get(key, 0), first_n.get(key, 0)
        out.append({
            "Recruiter": r["name"], "Applications": r["applications"],
            "Rejected interviewees": told_n,
            "Told": fmt.figure(r["notice_coverage"], "rate", told_n),
            "By call": fmt.figure(r["notice_call_share"], "rate", told_n),
            "Notice lag": fmt.figure(r["notice_lag_hours_median"], "hours", lag),
            "Lag n": int(lag),
            "First response": fmt.figure(r["first_response_hours_median"], "hours", response),
            "Response n": int(response),
            "Overdue": r["notices_overdue"], "Pending": r["notices_pending"],
        })
    return pd.DataFrame(out)


def recruiter_choices(calls: pd.DataFrame) -> dict:
    """recruiter_id ("" for Unassigned) -> name, for the people on a call list."""
    ids = calls["recruiter_id"].fillna("")
    return dict(sorted(zip(ids, calls["recruiter"]), key=lambda item: item[1]))


def mine(calls: pd.DataFrame, recruiter_id: str | None) -> pd.DataFrame:
    """A recruiter's own call list ("" = Unassigned); everyone's when None."""
    if recruiter_id is None:
        return calls
    return calls[calls["recruiter_id"].fillna("") == recruiter_id]


def call_list(calls: pd.DataFrame, env: dict | None = None) -> pd.DataFrame:
    """The call list as shown and downloaded: the longest waiting first, with no more personal
    data than a call needs, a tappable phone link (Call) and the candidate in the ATS where the
    origin is Greenhouse or Lever (hosts from env, see queries.call_list.profile_url)."""
    calls = calls.sort_values("closed_at", kind="stable")
    shown = calls.assign(
        call=calls["phone"].map(tel_url),
        rejected_on=calls["closed_at"].dt.normalize(),
        days_waiting=calls["days_waiting"].astype(float).map(math.floor),  # whole days
        status=calls["status"].map(STATUS),
        profile=[profile_url(ats, c, a, env) for ats, c, a in
                 zip(calls["ats"], calls["candidate_id"], calls["application_id"])])
    return shown[list(CALL_LIST_COLUMNS)].rename(columns=CALL_LIST_COLUMNS).reset_index(drop=True)


def call_list_download(table: pd.DataFrame) -> pd.DataFrame:
    """What the call list's CSV holds: the table without the Call links (the phone is there)."""
    return table.drop(columns=["Call"])


# What the figures lose when an optional input is absent from the data
GAPS = {
    "communications": "first response, replies both ways, notice coverage, call share, notice "
                      "lag, re-application by notice and withdrawal notices are unknown",
    "offers": "every offer figure (acceptance, decline, silent, renege, answer times) is unknown",
    "interviews": "the no-show rate is unknown; “interviewed” relies on stage changes and offers",
    "stage_changes": "the furthest stage and “interviewed” rely on interviews and offers only",
    "users": "recruiters show as ids, without names",
    "jobs": "no job titles or departments: the department filter has nothing to offer",
}


def inputs(meta: pd.Series) -> pd.DataFrame:
    """Each optional input: its rows, and what is unknown without it."""
    return pd.DataFrame([
        {"Input": f"{name}.csv", "Rows": int(meta[f"{name}_rows"]),
         "What it means": "present" if meta[f"{name}_rows"] else f"missing: {gap}"}
        for name, gap in GAPS.items()])


def loads(frame: pd.DataFrame) -> pd.DataFrame:
    """Each load, the latest first, with its counts."""
    return frame.rename(columns={
        "load_id": "Load", "loaded_at": "Loaded at (UTC)", "loaded_by": "Loaded by",
        "origin": "Origin", "format": "Format",
        "rows_read": "Rows read", "rows_loaded": "Loaded", "rows_set_aside": "Set aside",
        "rows_skipped": "Skipped", "seconds": "Seconds"}).drop(columns=["path", "files", "notes"])


def evidence(frame: pd.DataFrame) -> pd.DataFrame:
    """Communications per kind of evidence (export field, keyword, call note, timing...)."""
    kind = frame["evidence"].fillna("export").str.split(":").str[0].str.strip()
    return frame.assign(rule=kind).groupby("rule", as_index=False)["communications"].sum() \
        .sort_values("communications", ascending=False)
