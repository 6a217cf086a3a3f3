"""The sample's world: its time frame, the company's people and jobs, the vocabularies of the
simulation and their codes. Nothing here draws a random number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from etl.contract import (
    CHANNELS,
    DIRECTIONS,
    STATUSES,
    TOPICS,
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


def code_of(vocabulary: tuple[str, ...], value: str) -> int:
    return vocabulary.index(value)


CH = {c: code_of(CHANNELS, c) for c in CHANNELS}
TOPIC = {t: code_of(TOPICS, t) for t in TOPICS}
TO, FROM = code_of(DIRECTIONS, "to_candidate"), code_of(DIRECTIONS, "from_candidate")

# ---------------------------------------------------------------------------- users and jobs


def _users() -> list[tuple[str | None, str, str, str]]:
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
