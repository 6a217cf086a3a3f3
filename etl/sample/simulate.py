"""The simulation: every application's life, simulated forward with whole-array numpy operations
from one seeded generator. Times are float hours since START (NaN = did not happen)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.contract import (
    INTERVIEW_STATUSES,
)
from etl.sample.cast import (
    ACCEPT,
    AUTOMATED,
    CALL,
    CH,
    CLOSE_REASONS,
    COORDINATOR_CODE0,
    COORDINATORS,
    DAY,
    DECLINE,
    DECLINE_REASON_P,
    DECLINE_REASONS,
    EARLY_HABIT_WEIGHT,
    EARLY_NOTICE_MIX,
    END,
    END_H,
    EXPIRE,
    HIRED,
    HIRING_MANAGER_CODE0,
    JOB_DEPARTMENT,
    JOB_RECRUITER,
    JOB_WEIGHTS,
    JOBS,
    NONE,
    OFFER_OUTCOME_P,
    OFFICE_UTC_OFFSET,
    PERSONAL,
    REAPPLY_EARLY,
    REAPPLY_INTERVIEWED,
    REAPPLY_RESERVE,
    REAPPLY_WITHDRAWN,
    RECRUITERS,
    REJECT_EARLY,
    REJECT_LATE,
    REJECTED,
    RENEGE,
    RESCIND,
    ROUNDS,
    ROUNDS_STAGE,
    SLOW_DECIDER_P,
    SOURCES,
    STALE,
    START,
    START_WEEKDAY,
    UNASSIGNED,
    UNDECIDED,
    WITHDRAWN,
    WITHDREW,
    code_of,
)

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
           rng.choice([code_of(CLOSE_REASONS, r) for r in REJECT_EARLY], n), applied)
    _withdraw(rng, apps, ~screened & ~rejected, applied, 8 * DAY)
    apps["screen_entry"] = np.where(screened, _office_hours(
        rng, applied + _lognormal(rng, 3 * DAY, 0.8, n) * apps["speed"]), np.nan)
    return screened


def _withdraw(rng, apps, mask, after, median_delay) -> None:
    """Candidates who step back after `after`; most say so in a message."""
    n = len(apps)
    closed = after + _lognormal(rng, median_delay, 0.8, n)
    reason = rng.choice([code_of(CLOSE_REASONS, r) for r in WITHDREW], n)
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
    apps[f"{name}_pre"] = np.where(pre == 1, code_of(INTERVIEW_STATUSES, "no_show"),
                                   code_of(INTERVIEW_STATUSES, "cancelled"))
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
           code_of(CLOSE_REASONS, "candidate unresponsive"), last_nudge)
    fate = np.where(entered & ~ghost, rng.choice(4, n, p=probs), -1)
    apps["stage"] = np.where(fate >= 0, ROUNDS_STAGE[name], apps["stage"])
    apps[f"{name}_status"] = np.where(fate == 3, code_of(INTERVIEW_STATUSES, "no_show"),
                                      code_of(INTERVIEW_STATUSES, "completed"))
    _round_endings(rng, apps, fate, at)
    return fate == 0


def _round_endings(rng, apps, fate: np.ndarray, at: np.ndarray) -> None:
    n = len(apps)
    reject_at = _office_hours(rng, at + _lognormal(rng, 48, 0.7, n) * apps["speed"])
    reasons = rng.choice([code_of(CLOSE_REASONS, r) for r in REJECT_LATE], n)
    _close(apps, fate == 1, REJECTED, reject_at, reasons, at)
    _withdraw(rng, apps, fate == 2, at, 3 * DAY)
    _close(apps, fate == 3, WITHDRAWN, _office_hours(rng, at + rng.uniform(3, 10, n) * DAY),
           code_of(CLOSE_REASONS, "no show"), at)


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
           code_of(CLOSE_REASONS, "reneged on accepted offer"), reneged, rng.random(n) < 0.6)
    decline_reasons = [code_of(CLOSE_REASONS, f"declined offer: {r}") for r in DECLINE_REASONS]
    decline_reason = np.array(decline_reasons + [code_of(CLOSE_REASONS, "declined offer")])
    _close(apps, outcome == DECLINE, WITHDRAWN, responded + rng.uniform(1, 24, n),
           decline_reason[apps["decline_reason"]], responded)
    deadline, sent = apps["deadline"].to_numpy(), apps["sent"].to_numpy()
    _close(apps, outcome == EXPIRE, WITHDRAWN, _office_hours(rng, deadline + rng.uniform(2, 21, n) * DAY),
           code_of(CLOSE_REASONS, "offer expired"), deadline)
    _close(apps, outcome == RESCIND, REJECTED, _office_hours(rng, sent + rng.uniform(2, 8, n) * DAY),
           code_of(CLOSE_REASONS, "offer rescinded"), sent)


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
