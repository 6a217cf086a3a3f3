"""The export's tables built from the simulated lives, cut at the export time (END)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.contract import (
    CHANNELS,
    DIRECTIONS,
    INTERVIEW_KINDS,
    INTERVIEW_STATUSES,
    OFFER_STATUSES,
    STAGE_TYPES,
    STATUSES,
    TOPICS,
)
from etl.sample.cast import (
    ACCEPT,
    ACTIVE,
    AUTOMATED,
    CALL,
    CH,
    CLOSE_REASONS,
    DECLINE,
    DECLINE_REASONS,
    DEPARTMENTS,
    END_H,
    EXPIRE,
    FIRST_NAMES,
    FROM,
    JOBS,
    LAST_NAMES,
    RENEGE,
    RESCIND,
    ROUNDS,
    SOURCES,
    STAGES,
    TO,
    TOPIC,
    USERS,
    code_of,
)


def _at(values) -> np.ndarray:
    """Times as float hours; NaN when not in the export (never happened, or after END)."""
    values = np.asarray(values, dtype=float)
    return np.where(values <= END_H, values, np.nan)


def numbering(apps: pd.DataFrame) -> pd.DataFrame:
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
    assert seconds.max(initial=0) < 2**30 and app_no.max(initial=0) < 2**27 and seq.max(initial=0) < 2**5
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
    stage_types = [code_of(STAGE_TYPES, kind) for _, kind in STAGES]
    return rows.assign(stage=_cat(rows["seq"], [s[0] for s in STAGES]),
                       stage_type=_cat(np.array(stage_types)[rows["seq"]], STAGE_TYPES),
                       by_user=_user(rows["by_user"]))


def interviews_table(apps: pd.DataFrame) -> pd.DataFrame:
    """Missed or cancelled first slots, then the interview itself; future ones are scheduled."""
    parts = []
    for name, kind, _ in ROUNDS:
        pre_at, kind_code = apps[f"{name}_pre_at"].to_numpy(), code_of(INTERVIEW_KINDS, kind)
        booked_main = np.where(np.isnan(pre_at), apps[f"{name}_confirm"], apps[f"{name}_rebook"])
        parts.append({"at": np.where(np.isnan(pre_at), np.nan, apps[f"{name}_confirm"]),
                      "slot": pre_at, "kind": kind_code, "status": apps[f"{name}_pre"]})
        parts.append({"at": booked_main, "slot": apps[f"{name}_at"], "kind": kind_code,
                      "status": apps[f"{name}_status"]})
    rows = _rows(apps, parts)
    future = rows["slot"].to_numpy() > END_H
    status = np.where(future, code_of(INTERVIEW_STATUSES, "scheduled"), rows["status"])
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
    code = {s: code_of(OFFER_STATUSES, s) for s in OFFER_STATUSES}
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
    answered = np.isin(status, [code_of(OFFER_STATUSES, s) for s in ("accepted", "declined", "reneged")])
    declined = status == code_of(OFFER_STATUSES, "declined")
    countered = apps["resp1"].to_numpy() <= END_H
    first = {"at": np.where(revised, apps["offer_entry"], np.nan), "version": 1, "sent": apps["sent1"],
             "deadline": apps["sent1"] + 96, "responded": apps["resp1"],
             "status": np.where(countered, code_of(OFFER_STATUSES, "declined"),
                                code_of(OFFER_STATUSES, "pending")),
             "channel": np.where(countered, apps["resp1_channel"], -1),
             "reason": np.where(countered, code_of(DECLINE_REASONS, "compensation"), -1),
             "reneged": np.nan}
    final = {"at": np.where(revised, apps["resp1"], apps["offer_entry"]), "version": apps["version"],
             "sent": apps["sent"], "deadline": apps["deadline"],
             "responded": np.where(answered, apps["responded"], np.nan), "status": status,
             "channel": np.where(answered, apps["response_channel"], -1),
             "reason": np.where(declined, apps["decline_reason"], -1),
             "reneged": np.where(status == code_of(OFFER_STATUSES, "reneged"), apps["reneged"], np.nan)}
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
