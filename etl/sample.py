"""Sample data: a deterministic, realistic generic export (`python -m etl sample`).

The story. Northwind, a software company, hires for 20 jobs in five departments between
2025-05-01 and the moment the export was taken, 2026-10-30 18:00 UTC. Applications arrive with
the seasons (busy in Jan-Mar and Sep-Oct, quiet in summer, December and at weekends) from
referrals, LinkedIn, the careers site, agencies, Indeed and universities; most get an automated
acknowledgement within minutes. Eight recruiters own them, each with a habit (see RECRUITERS):
one calls every rejected interviewee, one writes personal emails, one often forgets to tell
people at all, one is days late with everything; a few applications have no recruiter.

Most applicants are turned down early, without an interview. The others go through a recruiter
phone screen, a video interview and an onsite, each arranged in an email thread: candidates
mostly answer within hours, some go quiet for more than a week (and get a nudge), a few answer
a month later and a few vanish. Some miss an interview or have it cancelled and rescheduled.
Every stage ends some applications: rejections (with a call, a personal email, a template or
nothing, sometimes late, sometimes logged before the decision was recorded) and withdrawals
(with or without a message). The last candidates get an offer, sometimes revised once, and
accept it, decline it (saying why, by phone or email), let it expire, or accept and renege
later; a few offers are rescinded. Rejected candidates apply again later, more often after a
phone call than after silence.

How. Everything is simulated forward, per application, with whole-array numpy operations from
one seeded generator, then cut at the export time: events after it are not in the export,
applications still open are active, unanswered offers are pending. Times are float hours since
START (NaN = did not happen). The tables are built from those arrays and written by DuckDB with
a fixed row order and fixed formats, so the same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl.contract import (
    CHANNELS,
    DIRECTIONS,
    INTERVIEW_KINDS,
    INTERVIEW_STATUSES,
    OFFER_STATUSES,
    STAGE_TYPES,
    STATUSES,
    TOPICS,
    csv_columns,
)

START = datetime(2025, 5, 1, tzinfo=UTC)
END = datetime(2026, 10, 30, 18, tzinfo=UTC)  # when the export was taken
DAY = 24.0
END_H = (END - START).total_seconds() / 3600
OFFICE_UTC_OFFSET = -5  # company people work 9:00-18:00 New York time (DST ignored)
START_WEEKDAY = START.weekday()

# ---------------------------------------------------------------------------------- the cast

CALL, PERSONAL, AUTOMATED, NONE = range(4)  # the notice kinds of metrics.md, in this order


@dataclass(frozen=True)
class Recruiter:
    user_id: str | None
    name: str
    habit: str
    notice_mix: tuple[float, float, float, float]  # interviewed rejections: call, email, auto, none
    speed: float  # multiplies the delays of their replies and decisions
    notice_delay: float  # multiplies the delay of their personal rejection notices


RECRUITERS = (
    Recruiter("u101", "Priya Raman", "calls every rejected interviewee",
              (0.94, 0.04, 0.0, 0.02), 1.0, 1.0),
    Recruiter("u102", "Marcus Webb", "writes personal emails",
              (0.05, 0.87, 0.04, 0.04), 1.0, 0.8),
    Recruiter("u103", "Dana Kowalski", "often forgets to notify", (0.06, 0.16, 0.10, 0.68), 1.3, 2.5),
    Recruiter("u104", "Tom Okafor", "slow: notices days late", (0.30, 0.45, 0.15, 0.10), 2.5, 7.0),
    Recruiter("u105", "Elena Petrova", "balanced", (0.35, 0.35, 0.20, 0.10), 1.0, 1.0),
    Recruiter("u106", "Sam Castillo", "relies on templates", (0.08, 0.17, 0.65, 0.10), 0.8, 1.0),
    Recruiter("u107", "Grace Lin", "quick and personal", (0.42, 0.45, 0.05, 0.08), 0.6, 0.7),
    Recruiter("u108", "Jordan Blake", "average", (0.25, 0.35, 0.25, 0.15), 1.1, 1.2),
)
UNASSIGNED = Recruiter(None, "Unassigned", "nobody owns these", (0.0, 0.05, 0.45, 0.50), 3.0, 3.0)
EARLY_NOTICE_MIX = (0.01, 0.12, 0.62, 0.25)  # rejections before any interview
EARLY_HABIT_WEIGHT = 0.2  # how much a recruiter's habit shows in early rejections

DEPARTMENTS = ("Engineering", "Sales", "Customer Success", "Marketing", "Finance")
COORDINATORS = (("u201", "Ruth Alvarez"), ("u202", "Ben Carter"), ("u203", "Mia Sato"))
HIRING_MANAGERS = (("u301", "Nadia Hassan"), ("u302", "Victor Grant"), ("u303", "Lena Fischer"),
                   ("u304", "Omar Haddad"), ("u305", "Claire Dubois"))  # one per department
INTERVIEWERS = (("u401", "Kenji Mori"), ("u402", "Aisha Bello"))
OTHER_USERS = (("u501", "Lee Harper"),)

# job_id, title, department index, location, recruiter index, popularity (grouped by department)
JOBS = (
    ("J01", "Backend Engineer", 0, "Remote", 0, 9),
    ("J02", "Frontend Engineer", 0, "Remote", 0, 8),
    ("J03", "Data Engineer", 0, "New York", 1, 6),
    ("J04", "Site Reliability Engineer", 0, "Remote", 1, 4),
    ("J05", "Engineering Manager", 0, "New York", 4, 3),
    ("J06", "QA Engineer", 0, "Austin", 6, 4),
    ("J07", "Mobile Engineer", 0, "Remote", 6, 5),
    ("J08", "Account Executive", 1, "New York", 2, 7),
    ("J09", "Sales Development Representative", 1, "Austin", 2, 9),
    ("J10", "Sales Engineer", 1, "Chicago", 7, 3),
    ("J11", "Regional Sales Manager", 1, "Denver", 7, 2),
    ("J12", "Customer Success Manager", 2, "Chicago", 3, 5),
    ("J13", "Support Specialist", 2, "Remote", 3, 8),
    ("J14", "Implementation Consultant", 2, "Denver", 5, 3),
    ("J15", "Product Marketing Manager", 3, "New York", 4, 3),
    ("J16", "Content Marketer", 3, "Remote", 5, 4),
    ("J17", "Growth Marketer", 3, "Austin", 4, 3),
    ("J18", "Financial Analyst", 4, "New York", 5, 3),
    ("J19", "Accountant", 4, "Chicago", 7, 2),
    ("J20", "Payroll Specialist", 4, "Remote", 1, 2),
)
JOB_DEPARTMENT = np.array([j[2] for j in JOBS])
JOB_RECRUITER = np.array([j[4] for j in JOBS])
JOB_WEIGHTS = np.array([j[5] for j in JOBS], dtype=float) / sum(j[5] for j in JOBS)

# name, share of applications, share screened, share acknowledged automatically
SOURCES = (("referral", 0.10, 0.60, 0.95), ("linkedin", 0.30, 0.35, 0.95),
           ("careers site", 0.28, 0.30, 0.95), ("agency", 0.07, 0.55, 0.30),
           ("indeed", 0.20, 0.22, 0.95), ("university", 0.05, 0.30, 0.95))

FIRST_NAMES = ("Avery", "Jordan", "Taylor", "Morgan", "Riley", "Casey", "Jamie", "Quinn", "Harper",
               "Rowan", "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophia", "Lucas", "Mia",
               "Mateo", "Isabella", "Amir", "Zara", "Wei", "Mei", "Hiroshi", "Yuki", "Aarav",
               "Ananya", "Diego", "Lucia", "Kwame", "Amara", "Tariq", "Leila", "Sven", "Ingrid",
               "Pavel", "Katya", "Niamh", "Sean", "Chloe", "Daniel", "Grace", "Samuel", "Nora",
               "Elijah", "Hannah", "Omar", "Fatima")
LAST_NAMES = ("Nguyen", "Smith", "Johnson", "Garcia", "Martinez", "Brown", "Davis", "Lopez", "Wilson",
              "Anderson", "Thomas", "Moore", "Jackson", "Lee", "Perez", "Thompson", "White", "Harris",
              "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill",
              "Green", "Adams", "Baker", "Chen", "Wang", "Kim", "Patel", "Singh", "Khan", "Ali",
              "Okafor", "Mensah", "Rossi", "Muller", "Novak", "Silva", "Costa", "Sato", "Tanaka",
              "Ivanova", "Larsen", "Murphy", "Kelly")

# ------------------------------------------------------------------------------ vocabularies

REJECT_EARLY = ("not a fit", "missing qualifications", "position filled", "location")
REJECT_LATE = ("not a fit", "skills gap", "position filled", "another candidate chosen")
WITHDREW = ("withdrew: accepted another offer", "withdrew: no longer interested",
            "withdrew: relocation", "withdrew: compensation expectations")
DECLINE_REASONS = ("compensation", "accepted another offer", "location", "role scope")
DECLINE_REASON_P = (0.35, 0.30, 0.12, 0.10, 0.13)  # the last: no reason given
CLOSE_REASONS = tuple(dict.fromkeys(
    REJECT_EARLY + REJECT_LATE + WITHDREW
    + ("candidate unresponsive", "no show", "offer rescinded", "offer expired",
       "reneged on accepted offer", "declined offer")
    + tuple(f"declined offer: {r}" for r in DECLINE_REASONS)))
STAGES = (("Applied", "applied"), ("Recruiter Screen", "screen"), ("Video Interview", "interview"),
          ("Onsite", "interview"), ("Reference Check", "other"), ("Offer", "offer"),
          ("Hired", "hired"))
ACTIVE, REJECTED, WITHDRAWN, HIRED = (STATUSES.index(s) for s in STATUSES)
UNDECIDED = -1
ACCEPT, RENEGE, DECLINE, EXPIRE, RESCIND, STALE = range(6)  # STALE: nobody answers or records
OFFER_OUTCOME_P = (0.62, 0.05, 0.20, 0.07, 0.03, 0.03)
SLOW_DECIDER_P = 0.07  # answers after 8-20 days, often past the deadline

# how each stage ends for those still in it: advance, rejected, withdrawn, no-show
ROUNDS = (("screen", "phone_screen", (0.48, 0.42, 0.08, 0.02)),
          ("video", "video", (0.48, 0.43, 0.07, 0.02)),
          ("onsite", "onsite", (0.55, 0.38, 0.06, 0.01)))
ROUNDS_STAGE = {"screen": 1, "video": 2, "onsite": 2}  # furthest stage: 1 screen, 2 interview
REAPPLY_INTERVIEWED = np.array([0.30, 0.18, 0.10, 0.05])  # by notice kind
REAPPLY_EARLY = np.array([0.10, 0.07, 0.05, 0.03])
REAPPLY_WITHDRAWN = 0.04
REAPPLY_RESERVE = 0.06  # share of --applications kept for re-applications


def _code(vocabulary: tuple[str, ...], value: str) -> int:
    return vocabulary.index(value)


CH = {c: _code(CHANNELS, c) for c in CHANNELS}
TOPIC = {t: _code(TOPICS, t) for t in TOPICS}
TO, FROM = _code(DIRECTIONS, "to_candidate"), _code(DIRECTIONS, "from_candidate")

# ---------------------------------------------------------------------------- users and jobs


def _users() -> list[tuple[str, str, str, str]]:
    """(user_id, name, role, team) in user-code order: recruiters first."""
    users = [(r.user_id, r.name, "recruiter", "Talent Acquisition") for r in RECRUITERS]
    users += [(uid, name, "coordinator", "Recruiting Operations") for uid, name in COORDINATORS]
    users += [(uid, name, "hiring_manager", dept)
              for (uid, name), dept in zip(HIRING_MANAGERS, DEPARTMENTS)]
    users += [(uid, name, "interviewer", "Engineering") for uid, name in INTERVIEWERS]
    return users + [(uid, name, "other", "People Operations") for uid, name in OTHER_USERS]


USERS = _users()
COORDINATOR_CODE0 = len(RECRUITERS)
HIRING_MANAGER_CODE0 = COORDINATOR_CODE0 + len(COORDINATORS)

# ------------------------------------------------------------------------------ random helpers


def _lognormal(rng, median: float, sigma: float, n: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(n))


def _pick(rng, probs: np.ndarray) -> np.ndarray:
    """One column index per row of `probs` (each row: probabilities summing to 1)."""
    cumulative = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cumulative[:, -1]
    return np.minimum((u[:, None] >= cumulative).sum(axis=1), probs.shape[1] - 1)


def _skip_weekend(day: np.ndarray) -> np.ndarray:
    weekday = np.mod(day + START_WEEKDAY, 7)
    return day + np.where(weekday >= 5, 7 - weekday, 0)


def _office_hours(rng, t) -> np.ndarray:
    """Move company actions outside office hours to the next working morning (never earlier)."""
    t = np.asarray(t, dtype=float)
    happened = ~np.isnan(t)  # most later-stage arrays are mostly NaN: skip those
    local = t[happened] + OFFICE_UTC_OFFSET
    day = np.floor(local / DAY)
    hour = local - day * DAY
    closed = (hour < 9) | (hour >= 18)
    day = _skip_weekend(day + (hour >= 18))
    hour = np.where(closed, 9 + rng.uniform(0, 2, len(local)), hour)
    moved = np.full(len(t), np.nan)
    moved[happened] = day * DAY + hour - OFFICE_UTC_OFFSET
    return moved


def _interview_slot(rng, after: np.ndarray) -> np.ndarray:
    """A whole hour between 9:00 and 16:00 office time, 1-4 working days after `after`."""
    n = len(after)
    day = _skip_weekend(np.floor((after + OFFICE_UTC_OFFSET) / DAY) + rng.integers(1, 5, n))
    return day * DAY + rng.integers(9, 17, n) - OFFICE_UTC_OFFSET


def _candidate_delay(rng, n: int) -> np.ndarray:
    """Hours a candidate takes to answer: mostly hours, some > 7 days, a few > 30, some never."""
    kind = rng.choice(4, n, p=[0.915, 0.04, 0.015, 0.03])
    quick = np.minimum(_lognormal(rng, 6, 1.2, n), 6 * DAY)
    late = rng.uniform(9.5, 25, n) * DAY
    very_late = rng.uniform(31, 60, n) * DAY
    return np.select([kind == 0, kind == 1, kind == 2], [quick, late, very_late], np.nan)


# ----------------------------------------------------------------------- applications arrive


def _day_weights() -> np.ndarray:
    """Seasonality: busy Jan-Mar and Sep-Oct, quiet summer, December and weekends."""
    month_weight = {1: 1.35, 2: 1.3, 3: 1.25, 4: 1.0, 5: 0.95, 6: 0.9, 7: 0.8, 8: 0.85,
                    9: 1.3, 10: 1.25, 11: 1.0, 12: 0.65}
    days = pd.date_range(START.date(), END.date(), freq="D", inclusive="left")
    weights = days.month.map(month_weight).to_numpy(float)
    weights = weights * np.where(days.day_of_week >= 5, 0.35, 1.0)
    return weights / weights.sum()


def _fresh_seeds(rng, n: int, first_candidate: int) -> pd.DataFrame:
    """New candidates applying: when, to which job, from which source, owned by whom."""
    day_weights = _day_weights()
    day = rng.choice(len(day_weights), n, p=day_weights)
    local_hour = np.mod(rng.normal(13, 4, n), 24)
    job = rng.choice(len(JOBS), n, p=JOB_WEIGHTS)
    source = rng.choice(len(SOURCES), n, p=[s[1] for s in SOURCES])
    return pd.DataFrame({
        "candidate": first_candidate + np.arange(n), "job": job, "source": source,
        "recruiter": _recruiter_for(rng, job), "applied": day * DAY + local_hour - OFFICE_UTC_OFFSET,
        "reapplied": False})


def _recruiter_for(rng, job: np.ndarray) -> np.ndarray:
    """Mostly the job's recruiter, sometimes a colleague, 2% nobody (-1)."""
    n = len(job)
    colleague = rng.integers(0, len(RECRUITERS), n)
    who = rng.random(n)
    return np.select([who < 0.02, who < 0.14], [-1, colleague], JOB_RECRUITER[job])


# ---------------------------------------------------------------------------- the simulation


def _new_sim(seeds: pd.DataFrame) -> pd.DataFrame:
    apps = seeds.reset_index(drop=True).copy()
    n = len(apps)
    owner = [*RECRUITERS, UNASSIGNED]  # index -1 is Unassigned
    apps["speed"] = np.array([r.speed for r in owner])[apps["recruiter"]]
    apps["rec_user"] = apps["recruiter"]  # user code, -1 = none
    apps["coord_user"] = COORDINATOR_CODE0 + JOB_DEPARTMENT[apps["job"]] % len(COORDINATORS)
    apps["hm_user"] = HIRING_MANAGER_CODE0 + JOB_DEPARTMENT[apps["job"]]
    for column, value in (("status", UNDECIDED), ("reason", -1), ("stage", 0)):
        apps[column] = np.full(n, value)
    apps["closed"] = np.nan
    apps["last"] = np.nan
    apps["wd_message"] = False
    return apps


def _close(apps, mask, status: int, closed, reason, last, message=False) -> None:
    """Record how and when the applications in `mask` ended (each ends once)."""
    mask = mask & (apps["status"].to_numpy() == UNDECIDED)
    apps["status"] = np.where(mask, status, apps["status"])
    apps["closed"] = np.where(mask, closed, apps["closed"])
    apps["reason"] = np.where(mask, reason, apps["reason"])
    apps["last"] = np.where(mask, last, apps["last"])
    apps["wd_message"] = np.where(mask, message, apps["wd_message"])


def _acknowledge(rng, apps) -> None:
    n = len(apps)
    ack_share = np.array([s[3] for s in SOURCES])[apps["source"]]
    apps["ack"] = np.where(rng.random(n) < ack_share,
                           apps["applied"] + rng.uniform(1, 20, n) / 60, np.nan)


def _review(rng, apps) -> np.ndarray:
    """The first decision: screen, or end (mostly rejected) without an interview."""
    n = len(apps)
    applied = apps["applied"].to_numpy()
    screen_share = np.array([s[2] for s in SOURCES])[apps["source"]]
    screen_share = np.where(apps["recruiter"] < 0, 0.5 * screen_share, screen_share)
    screened = rng.random(n) < screen_share
    rejected = ~screened & (rng.random(n) < 0.92)
    reject_at = _office_hours(rng, applied + _lognormal(rng, 5 * DAY, 0.9, n) * apps["speed"])
    _close(apps, rejected, REJECTED, reject_at,
           rng.choice([_code(CLOSE_REASONS, r) for r in REJECT_EARLY], n), applied)
    _withdraw(rng, apps, ~screened & ~rejected, applied, 8 * DAY)
    apps["screen_entry"] = np.where(screened, _office_hours(
        rng, applied + _lognormal(rng, 3 * DAY, 0.8, n) * apps["speed"]), np.nan)
    return screened


def _withdraw(rng, apps, mask, after, median_delay) -> None:
    """Candidates who step back after `after`; most say so in a message."""
    n = len(apps)
    closed = after + _lognormal(rng, median_delay, 0.8, n)
    reason = rng.choice([_code(CLOSE_REASONS, r) for r in WITHDREW], n)
    _close(apps, mask, WITHDRAWN, closed, reason, after, rng.random(n) < 0.8)


def _thread(rng, apps, name: str, entry: np.ndarray, speed) -> None:
    """A scheduling thread opened at `entry`: invite, (nudge), reply, confirmation, interview."""
    n = len(apps)
    send = _office_hours(rng, entry + _lognormal(rng, 4, 1.0, n) * speed)
    wait = _candidate_delay(rng, n)
    reply = send + wait
    nudge = _office_hours(rng, send + rng.uniform(4, 6.5, n) * DAY)
    confirm = _office_hours(rng, reply + _lognormal(rng, 3, 1.0, n) * speed)
    apps[f"{name}_send"], apps[f"{name}_reply"], apps[f"{name}_confirm"] = send, reply, confirm
    apps[f"{name}_nudge"] = np.where(wait < 7 * DAY, np.nan, nudge)
    _interview(rng, apps, name, _interview_slot(rng, confirm))


def _interview(rng, apps, name: str, slot: np.ndarray) -> None:
    """The interview, sometimes first missed or cancelled and rescheduled."""
    n = len(apps)
    pre = rng.choice(3, n, p=[0.925, 0.035, 0.04])  # none, no-show, cancelled
    pre_at = np.where(pre > 0, slot, np.nan)
    rebook = _office_hours(rng, pre_at + _lognormal(rng, 5, 0.8, n))
    apps[f"{name}_pre_at"] = pre_at
    apps[f"{name}_pre"] = np.where(pre == 1, _code(INTERVIEW_STATUSES, "no_show"),
                                   _code(INTERVIEW_STATUSES, "cancelled"))
    apps[f"{name}_rebook"] = rebook
    apps[f"{name}_at"] = np.where(pre > 0, _interview_slot(rng, rebook), slot)


def _round(rng, apps, name: str, probs, entry: np.ndarray) -> np.ndarray:
    """One interview round for the applications with an `entry`; returns who goes on."""
    n = len(apps)
    owner_speed = apps["speed"] if name == "screen" else 1.0
    _thread(rng, apps, name, entry, owner_speed)
    entered = ~np.isnan(entry)
    ghost = entered & np.isnan(apps[f"{name}_reply"].to_numpy())
    send, at = apps[f"{name}_send"].to_numpy(), apps[f"{name}_at"].to_numpy()
    last_nudge = np.fmax(send, apps[f"{name}_nudge"].to_numpy())
    _close(apps, ghost, WITHDRAWN, send + rng.uniform(14, 30, n) * DAY,
           _code(CLOSE_REASONS, "candidate unresponsive"), last_nudge)
    fate = np.where(entered & ~ghost, rng.choice(4, n, p=probs), -1)
    apps["stage"] = np.where(fate >= 0, ROUNDS_STAGE[name], apps["stage"])
    apps[f"{name}_status"] = np.where(fate == 3, _code(INTERVIEW_STATUSES, "no_show"),
                                      _code(INTERVIEW_STATUSES, "completed"))
    _round_endings(rng, apps, fate, at)
    return fate == 0


def _round_endings(rng, apps, fate: np.ndarray, at: np.ndarray) -> None:
    n = len(apps)
    reject_at = _office_hours(rng, at + _lognormal(rng, 48, 0.7, n) * apps["speed"])
    reasons = rng.choice([_code(CLOSE_REASONS, r) for r in REJECT_LATE], n)
    _close(apps, fate == 1, REJECTED, reject_at, reasons, at)
    _withdraw(rng, apps, fate == 2, at, 3 * DAY)
    _close(apps, fate == 3, WITHDRAWN, _office_hours(rng, at + rng.uniform(3, 10, n) * DAY),
           _code(CLOSE_REASONS, "no show"), at)


def _next_entry(rng, apps, go_on: np.ndarray, after: np.ndarray, median: float) -> np.ndarray:
    n = len(apps)
    return np.where(go_on, _office_hours(rng, after + _lognormal(rng, median, 0.6, n)), np.nan)


def _interviews(rng, apps, screened: np.ndarray) -> np.ndarray:
    """Screen, video, onsite; returns who reaches the offer stage."""
    go_on = screened
    entry = apps["screen_entry"].to_numpy()
    for name, _, probs in ROUNDS:
        apps[f"{name}_entry"] = entry
        go_on = _round(rng, apps, name, probs, entry)
        entry = _next_entry(rng, apps, go_on, apps[f"{name}_at"].to_numpy(), 2 * DAY)
    return go_on


def _offer_versions(rng, apps, to_offer: np.ndarray) -> None:
    """Reference check (half), the Offer stage, version 1, and for some a revised version 2."""
    n = len(apps)
    onsite = apps["onsite_at"].to_numpy()
    checked = to_offer & (rng.random(n) < 0.5)
    apps["ref_entry"] = _next_entry(rng, apps, checked, onsite, 36)
    offer_from = np.where(checked, apps["ref_entry"], onsite)
    apps["offer_entry"] = _next_entry(rng, apps, to_offer, offer_from, 60)
    apps["stage"] = np.where(to_offer, 3, apps["stage"])
    apps["sent1"] = _office_hours(rng, apps["offer_entry"] + _lognormal(rng, 30, 0.7, n))
    revised = to_offer & (rng.random(n) < 0.2)
    apps["resp1"] = np.where(revised, apps["sent1"] + _lognormal(rng, 30, 0.8, n), np.nan)
    apps["resp1_channel"] = np.where(rng.random(n) < 0.6, CH["phone"], CH["email"])
    apps["sent2"] = _office_hours(rng, apps["resp1"] + _lognormal(rng, 48, 0.6, n))
    apps["sent"] = np.where(revised, apps["sent2"], apps["sent1"])
    apps["version"] = np.where(revised, 2, 1)


def _offer_answers(rng, apps, to_offer: np.ndarray) -> None:
    """What the candidate does with the final offer, when, how and why."""
    n = len(apps)
    sent = apps["sent"].to_numpy()
    outcome = np.where(to_offer, rng.choice(len(OFFER_OUTCOME_P), n, p=OFFER_OUTCOME_P), -1)
    window = rng.choice([72, 96, 120, 168], n) * np.where(rng.random(n) < 0.08, np.nan, 1.0)
    needs_deadline = np.isin(outcome, (EXPIRE, STALE))
    apps["deadline"] = sent + np.where(needs_deadline, np.nan_to_num(window, nan=96), window)
    delay = np.where(outcome == DECLINE, _lognormal(rng, 50, 0.9, n), _lognormal(rng, 30, 0.8, n))
    delay = np.where(rng.random(n) < SLOW_DECIDER_P, rng.uniform(8, 20, n) * DAY, delay)
    answered = np.isin(outcome, (ACCEPT, RENEGE, DECLINE))
    apps["responded"] = np.where(answered, sent + delay, np.nan)
    apps["outcome"] = outcome
    apps["response_channel"] = _pick(rng, np.where(
        (outcome == DECLINE)[:, None], [0.35, 0.40, 0.25], [0.45, 0.45, 0.10]))
    apps["response_channel"] = np.array([CH["phone"], CH["email"], -1])[apps["response_channel"]]
    apps["decline_reason"] = rng.choice(len(DECLINE_REASON_P), n, p=DECLINE_REASON_P)
    apps["reneged"] = np.where(outcome == RENEGE, apps["responded"]
                               + rng.uniform(7, 40, n) * DAY, np.nan)


def _offer_endings(rng, apps) -> None:
    n = len(apps)
    outcome, responded = apps["outcome"].to_numpy(), apps["responded"].to_numpy()
    apps["hired_at"] = np.where(outcome == ACCEPT, _office_hours(
        rng, responded + rng.uniform(12, 72, n)), np.nan)
    _close(apps, outcome == ACCEPT, HIRED, apps["hired_at"], -1, responded)
    apps["stage"] = np.where(outcome == ACCEPT, 4, apps["stage"])
    reneged = apps["reneged"].to_numpy()
    _close(apps, outcome == RENEGE, WITHDRAWN, reneged,
           _code(CLOSE_REASONS, "reneged on accepted offer"), reneged, rng.random(n) < 0.6)
    decline_reasons = [_code(CLOSE_REASONS, f"declined offer: {r}") for r in DECLINE_REASONS]
    decline_reason = np.array(decline_reasons + [_code(CLOSE_REASONS, "declined offer")])
    _close(apps, outcome == DECLINE, WITHDRAWN, responded + rng.uniform(1, 24, n),
           decline_reason[apps["decline_reason"]], responded)
    deadline, sent = apps["deadline"].to_numpy(), apps["sent"].to_numpy()
    _close(apps, outcome == EXPIRE, WITHDRAWN, _office_hours(rng, deadline + rng.uniform(2, 21, n) * DAY),
           _code(CLOSE_REASONS, "offer expired"), deadline)
    _close(apps, outcome == RESCIND, REJECTED, _office_hours(rng, sent + rng.uniform(2, 8, n) * DAY),
           _code(CLOSE_REASONS, "offer rescinded"), sent)


def _notify(rng, apps) -> None:
    """Rejection notices: the kind follows the recruiter's habit, the timing too."""
    n = len(apps)
    owner = [*RECRUITERS, UNASSIGNED]
    habit = np.array([r.notice_mix for r in owner])[apps["recruiter"]]
    early = (1 - EARLY_HABIT_WEIGHT) * np.array(EARLY_NOTICE_MIX) + EARLY_HABIT_WEIGHT * habit
    interviewed = apps["stage"].to_numpy() >= 1
    kind = _pick(rng, np.where(interviewed[:, None], habit, early))
    rejected = apps["status"].to_numpy() == REJECTED
    closed, last = apps["closed"].to_numpy(), apps["last"].to_numpy()
    slowness = np.array([r.notice_delay for r in owner])[apps["recruiter"]]
    personal = _office_hours(rng, closed + _lognormal(rng, 20, 1.0, n) * slowness)
    templated = closed + np.where(rng.random(n) < 0.3, rng.uniform(12, 48, n), rng.uniform(0, 0.5, n))
    before = closed - rng.random(n) * np.minimum(20, closed - last)
    ahead = (kind <= PERSONAL) & (rng.random(n) < 0.05)
    notice_at = np.select([ahead, kind <= PERSONAL, kind == AUTOMATED], [before, personal, templated],
                          np.nan)
    apps["notice_at"] = np.where(rejected & (closed <= END_H), notice_at, np.nan)
    apps["notice_kind"] = np.where(rejected, kind, -1)
    apps["notice_channel"] = np.where(rng.random(n) < 0.9, CH["phone"], CH["video"])
    apps["notice_email_too"] = (kind == CALL) & (rng.random(n) < 0.3)
    seen = apps["notice_at"].to_numpy() <= END_H
    apps["seen_kind"] = np.where(rejected, np.where(seen, kind, NONE), -1)


def _side_messages(rng, apps) -> None:
    """Nudges from waiting applicants, questions, withdrawal messages, channel choices."""
    n = len(apps)
    applied, closed, last = (apps[c].to_numpy() for c in ("applied", "closed", "last"))
    asks = rng.random(n) < 0.2
    apps["cand_nudge"] = np.where(asks & (apps["stage"] == 0) & (closed - applied > 8 * DAY),
                                  applied + rng.uniform(5, 8, n) * DAY, np.nan)
    apps["cand_nudge_channel"] = np.where(rng.random(n) < 0.7, CH["email"], CH["portal"])
    question = apps["screen_send"] + rng.uniform(1, 5, n) * DAY
    apps["question"] = np.where((rng.random(n) < 0.05) & (question < closed), question, np.nan)
    apps["answer"] = _office_hours(rng, apps["question"] + _lognormal(rng, 8, 1.0, n) * apps["speed"])
    apps["confirm_channel"] = np.where(rng.random(n) < 0.9, CH["email"], CH["sms"])
    said = apps["wd_message"].to_numpy() & (apps["status"].to_numpy() == WITHDRAWN)
    apps["wd_at"] = np.where(said, closed - rng.random(n) * np.minimum(36, closed - last), np.nan)
    apps["wd_channel"] = np.where(rng.random(n) < 0.75, CH["email"], CH["phone"])
    apps["notice_email_at"] = np.where(apps["notice_email_too"], _office_hours(
        rng, apps["notice_at"] + rng.uniform(1, 4, n)), np.nan)


def _offer_messages(rng, apps) -> None:
    """The offer calls and letters, and how the candidate's answer shows up as a message."""
    n = len(apps)
    lead = np.minimum(rng.uniform(1, 6, n), 0.5 * (apps["sent1"] - apps["offer_entry"]))
    calls = rng.random(n) < 0.6
    apps["offer_call1"] = np.where(calls, apps["sent1"] - lead, np.nan)
    apps["offer_call2"] = np.where(calls, apps["sent2"] - rng.uniform(0.5, 3, n), np.nan)
    apps["offer_call_channel"] = np.where(rng.random(n) < 0.85, CH["phone"], CH["in_person"])
    channel = apps["response_channel"].to_numpy()
    unknown = np.where(rng.random(n) < 0.7, CH["email"], CH["phone"])
    logged = rng.random(n)
    apps["answer_channel"] = np.select([(channel < 0) & (logged < 0.8), channel >= 0],
                                       [unknown, np.where(logged < 0.4, channel, -1)], -1)


def simulate(rng, seeds: pd.DataFrame) -> pd.DataFrame:
    """Every application's life from `seeds`, one row each, times in hours since START."""
    apps = _new_sim(seeds)
    _acknowledge(rng, apps)
    screened = _review(rng, apps)
    to_offer = _interviews(rng, apps, screened)
    _offer_versions(rng, apps, to_offer)
    _offer_answers(rng, apps, to_offer)
    _offer_endings(rng, apps)
    _notify(rng, apps)
    _side_messages(rng, apps)
    _offer_messages(rng, apps)
    return apps


def _reapplication_seeds(rng, apps: pd.DataFrame) -> pd.DataFrame:
    """Candidates who try again after a rejection or withdrawal, warmer after a call."""
    n = len(apps)
    kind = apps["seen_kind"].to_numpy()
    status = apps["status"].to_numpy()
    interviewed = apps["stage"].to_numpy() >= 1
    by_kind = np.where(interviewed, REAPPLY_INTERVIEWED[kind], REAPPLY_EARLY[kind])
    p = np.select([status == REJECTED, status == WITHDRAWN], [by_kind, REAPPLY_WITHDRAWN], 0.0)
    after = np.fmax(apps["closed"].to_numpy(), apps["notice_at"].to_numpy())
    applied = after + (21 + rng.exponential(120, n)) * DAY
    keep = (rng.random(n) < p) & (applied < END_H - 18)
    job = _similar_job(rng, apps["job"].to_numpy())
    seeds = pd.DataFrame({"candidate": apps["candidate"], "job": job, "source": np.where(
        rng.random(n) < 0.5, 2, apps["source"]), "recruiter": _recruiter_for(rng, job),
        "applied": applied, "reapplied": True})
    return seeds[keep].reset_index(drop=True)


def _similar_job(rng, job: np.ndarray) -> np.ndarray:
    """60%: another job of the same department, else any job."""
    n = len(job)
    same_department = [np.flatnonzero(JOB_DEPARTMENT == d) for d in JOB_DEPARTMENT]
    sizes = np.array([len(s) for s in same_department])
    offsets = np.array([s[0] for s in same_department])  # JOBS are grouped by department
    sibling = offsets[job] + (rng.random(n) * sizes[job]).astype(int)
    return np.where(rng.random(n) < 0.6, sibling, rng.choice(len(JOBS), n, p=JOB_WEIGHTS))


def simulate_all(rng, applications: int) -> pd.DataFrame:
    """Exactly `applications` lives: new candidates, their re-applications, then more new ones."""
    fresh = applications - round(applications * REAPPLY_RESERVE)
    batches = [simulate(rng, _fresh_seeds(rng, fresh, 0))]
    room = applications - fresh
    while room > 0:
        again = _reapplication_seeds(rng, batches[-1])
        again = again.iloc[rng.permutation(len(again))[:room]].sort_index()
        if again.empty:
            break
        batches.append(simulate(rng, again))
        room -= len(again)
    if room > 0:
        batches.append(simulate(rng, _fresh_seeds(rng, room, fresh)))
    return pd.concat(batches, ignore_index=True)


# ------------------------------------------------------------------------------- the tables


def _at(values) -> np.ndarray:
    """Times as float hours; NaN when not in the export (never happened, or after END)."""
    values = np.asarray(values, dtype=float)
    return np.where(values <= END_H, values, np.nan)


def _numbering(apps: pd.DataFrame) -> pd.DataFrame:
    """Application numbers in order of applying; candidate numbers by first application."""
    seconds = np.round(apps["applied"].to_numpy() * 3600).astype(np.int64)
    order = np.argsort(seconds * 2**27 + np.arange(len(apps)))
    app_no = np.empty(len(apps), dtype=np.int64)
    app_no[order] = np.arange(1, len(apps) + 1)
    first = pd.Series(app_no).groupby(apps["candidate"].to_numpy()).min()
    candidate_no = first.rank(method="first").astype(np.int64)
    return apps.assign(app_no=app_no, cand_no=candidate_no.loc[apps["candidate"]].to_numpy())


def _cat(codes, vocabulary) -> pd.Categorical:
    """Codes (-1 = empty) as text DuckDB writes as is."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), list(vocabulary))


def _user(codes) -> pd.Categorical:
    return _cat(codes, [u[0] for u in USERS])


def _rows(apps, parts: list[dict]) -> pd.DataFrame:
    """Stack per-application event columns into rows, keeping events the export has.

    Each part maps column -> per-application array (or scalar); `at` decides whether and when
    the row exists (-> column `t`); the part's position becomes `seq`, a tie-breaker.
    """
    keeps = [~np.isnan(_at(part["at"])) for part in parts]

    def stack(values) -> np.ndarray:  # one value (array or scalar) per part
        return np.concatenate([np.broadcast_to(np.asarray(value), len(apps))[keep]
                               for value, keep in zip(values, keeps)])

    frame = {"app_no": stack([apps["app_no"]] * len(parts)),
             "t": stack([part["at"] for part in parts]), "seq": stack(range(len(parts)))}
    for name in [key for key in parts[0] if key != "at"]:
        frame[name] = stack([part[name] for part in parts])
    return pd.DataFrame(frame)


def _numbers(rows: pd.DataFrame, time_column: str | None) -> np.ndarray:
    """Row numbers 1.. in order of time (whole seconds, as written), application, part.

    One int64 key and argsort: much cheaper than a lexsort or a SQL window on millions of rows.
    """
    seconds = (np.zeros(len(rows), np.int64) if time_column is None
               else np.round(rows[time_column].to_numpy() * 3600).astype(np.int64))
    app_no, seq = rows["app_no"].to_numpy(), rows["seq"].to_numpy()
    assert seconds.max(initial=0) < 2**30 and app_no.max(initial=0) < 2**27 and seq.max() < 2**5
    order = np.argsort((seconds * 2**27 + app_no) * 2**5 + seq)  # unique keys: deterministic
    numbers = np.empty(len(rows), np.int64)
    numbers[order] = np.arange(1, len(rows) + 1)
    return numbers


def applications_table(apps: pd.DataFrame) -> pd.DataFrame:
    closed = _at(apps["closed"])
    still_open = np.isnan(closed)
    return pd.DataFrame({
        "app_no": apps["app_no"], "cand_no": apps["cand_no"], "job": apps["job"] + 1,
        "recruiter_id": _user(apps["rec_user"]), "source": _cat(apps["source"], [s[0] for s in SOURCES]),
        "applied_at": apps["applied"], "status": _cat(np.where(still_open, ACTIVE, apps["status"]),
                                                        STATUSES),
        "closed_at": closed,
        "close_reason": _cat(np.where(still_open, -1, apps["reason"]), CLOSE_REASONS)})


def stage_changes_table(apps: pd.DataFrame) -> pd.DataFrame:
    entries = ("applied", "screen_entry", "video_entry", "onsite_entry", "ref_entry",
               "offer_entry", "hired_at")
    users = (-1, apps["rec_user"], apps["coord_user"], apps["coord_user"], apps["rec_user"],
             apps["hm_user"], apps["rec_user"])
    rows = _rows(apps, [{"at": apps[e], "by_user": u} for e, u in zip(entries, users)])
    stage_types = [_code(STAGE_TYPES, kind) for _, kind in STAGES]
    return rows.assign(stage=_cat(rows["seq"], [s[0] for s in STAGES]),
                       stage_type=_cat(np.array(stage_types)[rows["seq"]], STAGE_TYPES),
                       by_user=_user(rows["by_user"]))


def interviews_table(apps: pd.DataFrame) -> pd.DataFrame:
    """Missed or cancelled first slots, then the interview itself; future ones are scheduled."""
    parts = []
    for name, kind, _ in ROUNDS:
        pre_at, kind_code = apps[f"{name}_pre_at"].to_numpy(), _code(INTERVIEW_KINDS, kind)
        booked_main = np.where(np.isnan(pre_at), apps[f"{name}_confirm"], apps[f"{name}_rebook"])
        parts.append({"at": np.where(np.isnan(pre_at), np.nan, apps[f"{name}_confirm"]),
                      "slot": pre_at, "kind": kind_code, "status": apps[f"{name}_pre"]})
        parts.append({"at": booked_main, "slot": apps[f"{name}_at"], "kind": kind_code,
                      "status": apps[f"{name}_status"]})
    rows = _rows(apps, parts)
    future = rows["slot"].to_numpy() > END_H
    status = np.where(future, _code(INTERVIEW_STATUSES, "scheduled"), rows["status"])
    return rows.assign(no=_numbers(rows, "slot"), status=_cat(status, INTERVIEW_STATUSES),
                       kind=_cat(rows["kind"], INTERVIEW_KINDS))


def _message(at, direction, channel, topic, user, automated=False) -> dict:
    return {"at": at, "direction": direction, "channel": channel, "topic": TOPIC[topic],
            "by_user": user, "automated": automated}


def _thread_messages(apps, name: str, owner) -> list[dict]:
    return [_message(apps[f"{name}_send"], TO, CH["email"], "scheduling", owner),
            _message(apps[f"{name}_nudge"], TO, CH["email"], "follow_up", owner),
            _message(apps[f"{name}_reply"], FROM, CH["email"], "scheduling", owner),
            _message(apps[f"{name}_confirm"], TO, apps["confirm_channel"], "scheduling", owner),
            _message(apps[f"{name}_rebook"], TO, CH["email"], "scheduling", owner)]


def _notice_messages(apps) -> list[dict]:
    kind, rec = apps["notice_kind"].to_numpy(), apps["rec_user"]
    channel = np.where(kind == CALL, apps["notice_channel"], CH["email"])
    return [_message(apps["notice_at"], TO, channel, "rejection",
                     np.where(kind == AUTOMATED, -1, rec), kind == AUTOMATED),
            _message(apps["notice_email_at"], TO, CH["email"], "rejection", rec)]


def _offer_comms(apps) -> list[dict]:
    rec = apps["rec_user"]
    return [_message(apps["offer_call1"], TO, apps["offer_call_channel"], "offer", rec),
            _message(apps["sent1"], TO, CH["email"], "offer", rec),
            _message(apps["resp1"], FROM, apps["resp1_channel"], "offer_response", rec),
            _message(apps["offer_call2"], TO, apps["offer_call_channel"], "offer", rec),
            _message(apps["sent2"], TO, CH["email"], "offer", rec),
            _message(np.where(apps["answer_channel"] >= 0, apps["responded"], np.nan), FROM,
                     apps["answer_channel"], "offer_response", rec)]


def communications_table(apps: pd.DataFrame) -> pd.DataFrame:
    rec = apps["rec_user"]
    parts = [_message(apps["ack"], TO, CH["email"], "acknowledgement", -1, True),
             _message(apps["cand_nudge"], FROM, apps["cand_nudge_channel"], "follow_up", rec),
             *_thread_messages(apps, "screen", rec),
             _message(apps["question"], FROM, CH["email"], "other", rec),
             _message(apps["answer"], TO, CH["email"], "other", rec),
             *_thread_messages(apps, "video", apps["coord_user"]),
             *_thread_messages(apps, "onsite", apps["coord_user"]),
             *_offer_comms(apps), *_notice_messages(apps),
             _message(apps["wd_at"], FROM, apps["wd_channel"], "withdrawal", rec)]
    rows = _rows(apps, parts)
    return rows.assign(no=_numbers(rows, "t"), direction=_cat(rows["direction"], DIRECTIONS),
                       channel=_cat(rows["channel"], CHANNELS), topic=_cat(rows["topic"], TOPICS),
                       by_user=_user(rows["by_user"]), automated=rows["automated"].astype(bool))


def _final_offer_status(apps) -> np.ndarray:
    """The final version's status as the export sees it at END."""
    outcome = apps["outcome"].to_numpy()
    answered = apps["responded"].to_numpy() <= END_H
    code = {s: _code(OFFER_STATUSES, s) for s in OFFER_STATUSES}
    reneged = np.where(apps["reneged"].to_numpy() <= END_H, code["reneged"], code["accepted"])
    status = np.select(
        [~(apps["sent"].to_numpy() <= END_H), (outcome == ACCEPT) & answered,
         (outcome == DECLINE) & answered, (outcome == RENEGE) & answered,
         (outcome == EXPIRE) & (apps["closed"].to_numpy() <= END_H),
         (outcome == RESCIND) & (apps["closed"].to_numpy() <= END_H)],
        [code["pending"], code["accepted"], code["declined"], reneged, code["expired"],
         code["rescinded"]], code["pending"])
    return status


def offers_table(apps: pd.DataFrame) -> pd.DataFrame:
    """Revised first versions (declined over compensation), then every final version."""
    revised = apps["version"].to_numpy() == 2
    status = _final_offer_status(apps)
    answered = np.isin(status, [_code(OFFER_STATUSES, s) for s in ("accepted", "declined", "reneged")])
    declined = status == _code(OFFER_STATUSES, "declined")
    countered = apps["resp1"].to_numpy() <= END_H
    first = {"at": np.where(revised, apps["offer_entry"], np.nan), "version": 1, "sent": apps["sent1"],
             "deadline": apps["sent1"] + 96, "responded": apps["resp1"],
             "status": np.where(countered, _code(OFFER_STATUSES, "declined"),
                                _code(OFFER_STATUSES, "pending")),
             "channel": np.where(countered, apps["resp1_channel"], -1),
             "reason": np.where(countered, _code(DECLINE_REASONS, "compensation"), -1),
             "reneged": np.nan}
    final = {"at": np.where(revised, apps["resp1"], apps["offer_entry"]), "version": apps["version"],
             "sent": apps["sent"], "deadline": apps["deadline"],
             "responded": np.where(answered, apps["responded"], np.nan), "status": status,
             "channel": np.where(answered, apps["response_channel"], -1),
             "reason": np.where(declined, apps["decline_reason"], -1),
             "reneged": np.where(status == _code(OFFER_STATUSES, "reneged"), apps["reneged"], np.nan)}
    rows = _rows(apps, [first, final])
    unsent = ~(rows["sent"].to_numpy() <= END_H)
    return rows.assign(
        no=_numbers(rows, None), sent=np.where(unsent, np.nan, rows["sent"]),
        deadline=np.where(unsent, np.nan, rows["deadline"]),
        responded=_at(rows["responded"]), reneged=_at(rows["reneged"]),
        status=_cat(rows["status"], OFFER_STATUSES), channel=_cat(rows["channel"], CHANNELS),
        reason=_cat(np.where(rows["reason"] >= len(DECLINE_REASONS), -1, rows["reason"]),
                    DECLINE_REASONS))


def candidates_table(rng, count: int) -> pd.DataFrame:
    """Fake people: "Avery Nguyen", avery.nguyen42@example.com, +1-555-0142-7316."""
    return pd.DataFrame({
        "cand_no": np.arange(1, count + 1),
        "first": _cat(rng.integers(0, len(FIRST_NAMES), count), FIRST_NAMES),
        "last": _cat(rng.integers(0, len(LAST_NAMES), count), LAST_NAMES),
        "mail_no": rng.integers(1, 100, count), "phone_a": rng.integers(0, 100, count),
        "phone_b": rng.integers(0, 10000, count)})


def users_table() -> pd.DataFrame:
    frame = pd.DataFrame(USERS, columns=["user_id", "name", "role", "team"])
    return frame.assign(email=frame["name"].str.lower().str.replace(" ", ".") + "@northwind.example")


def jobs_table() -> pd.DataFrame:
    return pd.DataFrame({"job_id": [j[0] for j in JOBS], "title": [j[1] for j in JOBS],
                         "department": [DEPARTMENTS[j[2]] for j in JOBS],
                         "location": [j[3] for j in JOBS]})


# ------------------------------------------------------------------------------- writing CSV

ISO = "'%Y-%m-%dT%H:%M:%SZ'"


def _ts(column: str) -> str:
    """SQL turning a column of float hours since START into ISO 8601 UTC text (NULL stays NULL)."""
    seconds = f'CAST(round("{column}" * 3600) AS BIGINT)'
    return f"strftime(TIMESTAMP '{START:%Y-%m-%d %H:%M:%S}' + to_seconds({seconds}), {ISO})"


SELECTS = {
    "applications": ({
        "application_id": "printf('A%07d', app_no)", "candidate_id": "printf('C%07d', cand_no)",
        "job_id": "printf('J%02d', job)", "recruiter_id": "recruiter_id", "source": "source",
        "applied_at": _ts("applied_at"), "status": "status", "closed_at": _ts("closed_at"),
        "close_reason": "close_reason"}, "app_no"),
    "stage_changes": ({
        "application_id": "printf('A%07d', app_no)", "stage": "stage", "stage_type": "stage_type",
        "entered_at": _ts("t"), "user_id": "by_user"}, "app_no, t, seq"),
    "interviews": ({
        "interview_id": "printf('I%07d', no)", "application_id": "printf('A%07d', app_no)",
        "scheduled_at": _ts("slot"), "kind": "kind", "status": "status"}, "no"),
    "communications": ({
        "communication_id": "printf('M%08d', no)", "application_id": "printf('A%07d', app_no)",
        "occurred_at": _ts("t"), "direction": "direction", "channel": "channel", "topic": "topic",
        "user_id": "by_user", "automated": "automated"}, "no"),
    "offers": ({
        "offer_id": "printf('O%06d', no)", "application_id": "printf('A%07d', app_no)",
        "version": "version", "sent_at": _ts("sent"), "deadline_at": _ts("deadline"),
        "responded_at": _ts("responded"), "status": "status", "response_channel": "channel",
        "decline_reason": "reason", "reneged_at": _ts("reneged")}, "no"),
    "users": ({"user_id": "user_id", "name": "name", "email": "email", "role": "role",
               "team": "team"}, "user_id"),
    "jobs": ({"job_id": "job_id", "title": "title", "department": "department",
              "location": "location"}, "job_id"),
    "candidates": ({
        "candidate_id": "printf('C%07d', cand_no)", "name": "concat(first, ' ', last)",
        "email": "concat(lower(first), '.', lower(last), mail_no, '@example.com')",
        "phone": "printf('+1-555-01%02d-%04d', phone_a, phone_b)"}, "cand_no"),
}


def write_csv(con, out: Path, table: str, frame: pd.DataFrame) -> int:
    """Write one generic CSV file with the contract's columns, rows in a fixed order."""
    expressions, order = SELECTS[table]
    assert list(expressions) == csv_columns(table), table
    select = ", ".join(f"{sql} AS {name}" for name, sql in expressions.items())
    rows = con.from_arrow(pa.Table.from_pandas(frame, preserve_index=False))
    rows.order(order).project(select).write_csv(str(out / f"{table}.csv"), sep=",", header=True)
    return len(frame)


# ------------------------------------------------------------------------------- entry points

Progress = Callable[[str], None] | None


def generate(out: Path, applications: int, seed: int, progress: Progress = None) -> dict[str, int]:
    """Write a sample export into `out`; returns rows written per file.

    >>> generate(Path("data/sample"), applications=3000, seed=7)["applications.csv"]
    3000
    """
    say = progress or (lambda step: None)
    rng = np.random.default_rng(seed)
    say("simulating applications")
    apps = _numbering(simulate_all(rng, applications))
    tables = {"applications": applications_table, "stage_changes": stage_changes_table,
              "interviews": interviews_table, "communications": communications_table,
              "offers": offers_table}
    frames = {name: build(apps) for name, build in tables.items()}
    frames["candidates"] = candidates_table(rng, int(apps["cand_no"].max()))
    frames["users"], frames["jobs"] = users_table(), jobs_table()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        for name in ("applications", "stage_changes", "interviews", "communications", "offers",
                     "users", "jobs", "candidates"):
            say(f"writing {name}.csv")
            written[f"{name}.csv"] = write_csv(con, out, name, frames[name])
    return written


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str]) -> int:
    """`python -m etl sample [--out DIR] [--applications N] [--seed S]`."""
    parser = argparse.ArgumentParser(prog="python -m etl sample",
                                     description="Write a deterministic sample export (generic CSV).")
    parser.add_argument("--out", type=Path, default=Path("data/sample"), help="folder to write")
    parser.add_argument("--applications", type=_positive, default=3000, metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = generate(args.out, args.applications, args.seed)
    seconds = time.perf_counter() - started
    print(f"sample: wrote {len(written)} files, {sum(written.values()):,} rows to {args.out} "
          f"in {seconds:.1f} s", file=sys.stderr)
    return 0
