"""Tables as people read them: figures as numbers beside their n (blank where n is too small),
one unit per column, columns in the words a recruiter uses."""

import math
from typing import NamedTuple

import pandas as pd
import streamlit as st

from app import format as fmt
from queries import catalogue
from queries.call_list import profile_url, tel_url

CALL_LIST_COLUMNS = {"candidate_name": "Candidate", "phone": "Phone", "call": "Call",
                     "email": "E-mail", "job_title": "Job", "rejected_on": "Rejected on",
                     "days_waiting": "Days waiting", "recruiter": "Recruiter", "status": "Status",
                     "profile": "In the ATS"}
STATUS = {"overdue": "Overdue", "pending": "Within SLA"}
# What a call needs first: on a phone the table shows these before scrolling sideways
NARROW_FIRST = ["Candidate", "Phone", "Days waiting", "Status"]


class Table(NamedTuple):
    """A table as shown and downloaded: numbers stay numbers; kinds: column -> rate, hours,
    days, count or date (its format on screen and in the .xlsx)."""

    frame: pd.DataFrame
    kinds: dict[str, str]

    def config(self, helps: dict[str, str] | None = None) -> dict:
        """st.dataframe's column configuration: one unit per column, numbers sort as numbers;
        the first column pinned, so that a phone keeps it in view while scrolling sideways."""
        first = self.frame.columns[0]
        return {first: st.column_config.Column(pinned=True)} | column_config(self.kinds, helps)


RECRUITER_HELP = {
    "Applications answered": "Applications with a first response: the n of the median",
    "Rejected interviewees": "The n of Told and Told by a call",
    "Candidates told": "Rejected interviewees told, with a date: the n of the notice lag",
    "Overdue": "Not told, past the notice SLA", "Within SLA": "Not told yet, within the notice SLA"}
FORMATS = {"rate": "percent", "hours": "%.1f h", "days": "%.1f d", "count": "localized"}


def column_config(kinds: dict[str, str], helps: dict[str, str] | None = None) -> dict:
    """Each column's format by its kind (rates as %, hours as "h", days as "d", dates ISO)."""
    helps = helps or {}
    return {column: st.column_config.DateColumn(format="YYYY-MM-DD", help=helps.get(column))
            if kind == "date" else
            st.column_config.NumberColumn(format=FORMATS[kind], help=helps.get(column))
            for column, kind in kinds.items()}


def time_unit(hours: pd.Series) -> tuple[str, float]:
    """One unit for a column of hours: days when any is two days or more, else hours."""
    top = pd.to_numeric(hours, errors="coerce").max()
    return ("days", 24.0) if pd.notna(top) and top >= fmt.DAY_FROM_HOURS else ("hours", 1.0)


def shown(values: pd.Series, n: pd.Series, kind: str) -> pd.Series:
    """A figure's column as a number (rates rounded to whole %), blank where n < MIN_N."""
    values = pd.to_numeric(values, errors="coerce").where(n.fillna(0) >= fmt.MIN_N)
    return values.round(2 if kind == "rate" else 1)


def recruiters(rows: list[dict], notices: pd.DataFrame, first: pd.DataFrame) -> Table:
    """One row per recruiter of the report (Unassigned last), each figure beside its n, in
    numbers (blank where n < MIN_N). notices, first: rejection_notices and first_response
    grouped by recruiter."""
    lag_n = notices.set_index("group_key")["notice_lag_n"] if len(notices) else pd.Series()
    first_n = first.set_index("group_key")["first_response_n"] if len(first) else pd.Series()
    raw = pd.DataFrame(rows or [{k: None for k in ("recruiter_id", "name", *catalogue.RECRUITER)}])
    raw = raw.iloc[:len(rows)]
    keys = raw["recruiter_id"].fillna("")
    answered = keys.map(first_n).fillna(0).astype(int)
    lags = keys.map(lag_n).fillna(0).astype(int)
    told_n = raw["rejections_interviewed"].astype(int)
    response_unit, response_div = time_unit(raw["first_response_hours_median"].where(answered >= fmt.MIN_N))
    lag_unit, lag_div = time_unit(raw["notice_lag_hours_median"].where(lags >= fmt.MIN_N))
    frame = pd.DataFrame({
        "Recruiter": raw["name"],
        "Applications": raw["applications"].astype(int),
        "Applications answered": answered,
        f"First response, median ({response_unit})":
            shown(raw["first_response_hours_median"] / response_div, answered, "hours"),
        "Rejected interviewees": told_n,
        "Told": shown(raw["notice_coverage"], told_n, "rate"),
        "Told by a call": shown(raw["notice_call_share"], told_n, "rate"),
        "Candidates told": lags,
        f"Notice lag, median ({lag_unit})": shown(raw["notice_lag_hours_median"] / lag_div, lags, "hours"),
        "Overdue": raw["notices_overdue"].astype(int),
        "Within SLA": raw["notices_pending"].astype(int),
    })
    kinds = {c: "count" for c in ("Applications", "Applications answered", "Rejected interviewees",
                                  "Candidates told", "Overdue", "Within SLA")}
    kinds |= {"Told": "rate", "Told by a call": "rate",
              f"First response, median ({response_unit})": response_unit,
              f"Notice lag, median ({lag_unit})": lag_unit}
    return Table(frame.reset_index(drop=True), kinds)


def late_offers(frame: pd.DataFrame) -> Table:
    """Offers past their deadline, the longest overdue first, in a recruiter's words."""
    late = frame.sort_values("days_past_deadline", ascending=False, kind="stable").rename(columns={
        "application_id": "Application", "job": "Job", "recruiter": "Recruiter",
        "sent_on": "Sent on", "deadline": "Deadline", "days_past_deadline": "Days past deadline"})
    return Table(late.reset_index(drop=True), {"Sent on": "date", "Deadline": "date",
                                               "Days past deadline": "days"})


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
    shown = shown[list(CALL_LIST_COLUMNS)].rename(columns=CALL_LIST_COLUMNS).reset_index(drop=True)
    return shown[NARROW_FIRST + [c for c in shown.columns if c not in NARROW_FIRST]]


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


# Each optional input in the words of the export it came from (the load's format)
VENDOR_INPUTS = {
    "greenhouse-v3": {"communications": "notes (notes.json)", "offers": "offers.json",
                      "interviews": "interviews.json", "stage_changes": "application_stages.json",
                      "users": "users.json", "jobs": "jobs.json"},
    "greenhouse": {"communications": "activity feeds (emails and notes)", "offers": "offers.json",
                   "interviews": "scheduled_interviews.json",
                   "stage_changes": "activity feeds (stage moves)", "users": "users.json",
                   "jobs": "jobs.json"},
    "lever": {"communications": "notes", "offers": "offers.json", "interviews": "interviews.json",
              "stage_changes": "opportunities' stage changes", "users": "users.json",
              "jobs": "postings.json"},
    "fivetran-greenhouse": {"communications": "the email, note and activity tables",
                            "offers": "the offer table", "interviews": "the scheduled_interview table",
                            "stage_changes": "the application_history table",
                            "users": "the user table", "jobs": "the job table"},
    "fivetran-lever": {"communications": "the note tables", "offers": "the offer table",
                       "interviews": "the interview table",
                       "stage_changes": "the opportunity_stage_history table",
                       "users": "the users table", "jobs": "the posting table"},
}
VENDOR_INPUTS["greenhouse-v1"] = VENDOR_INPUTS["greenhouse"]


def input_name(name: str, fmt: str | None) -> str:
    """An input as the loaded export calls it: "notes (notes.json)"; generic: "communications.csv"."""
    return VENDOR_INPUTS.get(fmt or "", {}).get(name, f"{name}.csv")


def inputs(meta: pd.Series, fmt: str | None = None) -> pd.DataFrame:
    """Each optional input (named as the latest load's format names it): its rows, and what is
    unknown without it."""
    return pd.DataFrame([
        {"Input": input_name(name, fmt), "Rows": int(meta[f"{name}_rows"]),
         "What it means": "present" if meta[f"{name}_rows"] else f"missing: {gap}"}
        for name, gap in GAPS.items()])


LOAD_KINDS = {"Rows read": "count", "Loaded": "count", "Set aside": "count", "Skipped": "count"}


def loads(frame: pd.DataFrame) -> pd.DataFrame:
    """Each load, the latest first, with its counts (no paths: where a file sat is not news)."""
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
