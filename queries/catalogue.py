"""Every figure Reciprocal shows, one record each: the report (queries/metrics.py), the tiles
(app/scorecard.py), the digest (queries/digest.py), the published-figure comparisons
(queries/benchmarks.py), the tables (app/tables.py) and the list of figures in docs/metrics.md
are all read from here.

    >>> figure("company", "notice_call_share").label
    '… told by a call'
    >>> figure("candidate", "renege_rate").n
    ('accepted', 'reneged')
"""

from dataclasses import dataclass

MIN_N = 5  # a rate or median over fewer cases shows "—" and its n
NOTICE_KINDS = ("call", "personal_email", "automated", "none")
DECLINE_CHANNELS = ("call", "written", "unknown")


@dataclass(frozen=True)
class Figure:
    """One figure: where the report finds it, how it reads, and what it rests on."""

    side: str  # company or candidate
    key: str  # the report's key
    label: str
    kind: str  # rate, hours or count (parts: a count per part; by_row: one row per part)
    question: str  # queries/sql/<question>.sql answers it
    column: str  # the question's column ("mix_{}": one column per part)
    n: tuple[str, ...] = ()  # the question's columns whose sum is the figure's n
    needs: str | None = None  # the optional input it cannot be computed without
    help: str = ""
    phrase: str = ""  # how a sentence names it: "our median first response"
    lower_is_better: bool = False
    trend: bool = False  # drawn as a line under its tile
    parts: tuple[str, ...] = ()  # a figure of several counts: {part: count}
    name: str = ""  # beside a published figure, when the label needs its context
    words: str = ""  # what a published figure of it counts, finishing "10% ..."
    row_key: str = ""  # by_row: the question's column naming each row's part

    @property
    def comparison_name(self) -> str:
        return self.name or self.label


def _rate(side, key, label, question, n, needs=None, **more) -> Figure:
    return Figure(side, key, label, "rate", question, more.pop("column", key), n, needs, **more)


def _hours(side, key, label, question, n, needs=None, **more) -> Figure:
    return Figure(side, key, label, "hours", question, more.pop("column", key), n, needs,
                  lower_is_better=True, **more)


def _count(side, key, label, question, **more) -> Figure:
    return Figure(side, key, label, "count", question, more.pop("column", key), **more)


COMMS, OFFERS, INTERVIEWS = "communications", "offers", "interviews"

# In the report's order: each side's keys as `python -m queries report` prints them
FIGURES = [
    _count("company", "applications", "Applications", "first_response",
           help="Applications in the period, by the day they came in."),
    _hours("company", "first_response_hours_median", "First response (median)", "first_response",
           ("first_response_n",), COMMS, trend=True, phrase="our median first response",
           help="From application to our first personal message (automated acknowledgements "
                "aside)."),
    _rate("company", "responded_within_14d_rate", "Answered within 14 days", "first_response",
          ("responded_within_14d_n",), COMMS, trend=True,
          phrase="the share of applications answered within 14 days",
          words="answered within 14 days",
          help="Applications at least 14 days old that got a first response within 14 days."),
    _count("company", "responded_within_14d_n", "Applications 14 days old", "first_response",
           help="Applications at least 14 days old: the n of the 14-day rate."),
    _hours("company", "reply_hours_median", "Our reply time (median)", "reply_times",
           ("company_reply_n",), COMMS, column="company_reply_hours_median", trend=True,
           phrase="our median reply time",
           help="How long we take to answer a candidate's message in a conversation."),
    _count("company", "reply_n", "Our replies", "reply_times", column="company_reply_n",
           help="Candidates' turns we answered: the n of our reply time."),
    _count("company", "rejections", "Rejections", "rejection_notices",
           help="Applications rejected in the period, by the day they were closed."),
    _count("company", "rejections_interviewed", "Rejected interviewees", "rejection_notices",
           help="Rejected applications that had an interview."),
    _rate("company", "notice_coverage", "Rejected interviewees told", "rejection_notices",
          ("rejections_interviewed",), COMMS, trend=True,
          phrase="the share of rejected interviewees told", words="of rejected interviewees told",
          help="Rejected candidates who had an interview and were told, by any channel."),
    _rate("company", "notice_call_share", "… told by a call", "rejection_notices",
          ("rejections_interviewed",), COMMS, trend=True,
          phrase="the share of rejected interviewees told by a call",
          name="Rejected interviewees told by a call", words="told by phone",
          help="Rejected interviewees told by phone, video or in person (not automated)."),
    _rate("company", "notice_coverage_all", "All rejected candidates told", "rejection_notices",
          ("rejections",), COMMS,
          help="Every rejection in the period, interviewed or not, that was told by any channel."),
    Figure("company", "notice_mix", "How rejected interviewees were told", "parts",
           "rejection_notices", "mix_{}", ("rejections_interviewed",), parts=NOTICE_KINDS,
           help="Rejected interviewees by how they were told: call, personal email, automated, "
                "not told."),
    _hours("company", "notice_lag_hours_median", "Notice lag (median)", "rejection_notices",
           ("notice_lag_n",), COMMS, trend=True, phrase="our median notice lag",
           help="From the rejection to the first notice, for those who were told."),
    _count("company", "notices_overdue", "Still to be told: overdue", "rejection_notices",
           n=("rejections_interviewed",), lower_is_better=True,
           help="Rejected interviewees not told, past the notice SLA: the call list."),
    _count("company", "notices_pending", "Still to be told: within SLA", "rejection_notices",
           n=("rejections_interviewed",), lower_is_better=True,
           help="Rejected interviewees not told yet, still within the notice SLA."),
    Figure("company", "reapply_rate_by_notice", "Applied again, by notice", "by_row",
           "reapplication_by_notice", "reapply_rate", ("rejections_interviewed",), COMMS,
           parts=NOTICE_KINDS, row_key="notice_kind",
           help="Rejected interviewees who applied again later, by how they were told."),

    _count("candidate", "offers", "Offers sent", "offers",
           help="Offers sent in the period (latest version)."),
    _count("candidate", "offers_decided", "Offers decided", "offers",
           help="Offers accepted, declined, expired or reneged: the n of the offer rates."),
    _rate("candidate", "acceptance_rate", "Offers accepted", "offers", ("offers_decided",), OFFERS,
          trend=True, phrase="the offer acceptance rate", words="of offers accepted",
          help="Accepted (including later reneged) / offers answered or expired."),
    _rate("candidate", "decline_rate", "Offers declined", "offers", ("offers_decided",), OFFERS,
          lower_is_better=True, words="of offers declined",
          help="Declined / offers answered or expired."),
    _rate("candidate", "silent_offer_rate", "Offers left to expire", "offers", ("offers_decided",),
          OFFERS, lower_is_better=True, trend=True, phrase="the share of offers left to expire",
          words="of offers left to expire",
          help="Offers the candidate never answered before the deadline / decided offers."),
    _rate("candidate", "renege_rate", "Reneged after accepting", "offers", ("accepted", "reneged"),
          OFFERS, lower_is_better=True, phrase="the renege rate", words="of acceptances reneged",
          help="Accepted offers the candidate backed out of."),
    _hours("candidate", "answer_hours_median", "Offer answer time (median)", "offers",
           ("answer_n",), OFFERS, trend=True, phrase="candidates' median time to answer an offer",
           words="to answer an offer",
           help="From an offer sent to the candidate's answer (accepts, declines, reneges)."),
    _hours("candidate", "accept_hours_median", "Time to accept (median)", "offers", ("accept_n",),
           OFFERS, words="to accept an offer",
           help="From the offer to the acceptance (including acceptances later reneged)."),
    _hours("candidate", "decline_hours_median", "Time to decline (median)", "offers",
           ("decline_n",), OFFERS, words="to decline an offer", help="From the offer to the decline."),
    _count("candidate", "offers_past_deadline", "Past their deadline", "offers",
           lower_is_better=True,
           help="Offers still unanswered after their deadline (or the answer window)."),
    Figure("candidate", "decline_channels", "How candidates declined", "parts", "offers",
           "decline_channel_{}", parts=DECLINE_CHANNELS,
           help="Declines by channel: a call (phone, video, in person), written, or unknown."),
    _rate("candidate", "decline_call_share", "Declines by a call", "offers",
          ("decline_channel_call", "decline_channel_written"), OFFERS,
          phrase="the share of declines given by a call",
          help="Declines given by phone, video or in person / declines with a known channel."),
    Figure("candidate", "decline_reasons", "Why candidates declined", "by_row", "decline_reasons",
           "declines", row_key="decline_reason", help="Declines counted by the reason the candidate gave."),
    _hours("candidate", "reply_hours_median", "Their reply time (median)", "reply_times",
           ("candidate_reply_n",), COMMS, column="candidate_reply_hours_median", trend=True,
           phrase="candidates' median reply time",
           help="How long candidates take to answer our message in a conversation."),
    _count("candidate", "reply_n", "Their replies", "reply_times", column="candidate_reply_n",
           help="Our turns candidates answered: the n of their reply time."),
    _count("candidate", "interviews_due", "Interviews due", "no_shows",
           help="Interviews completed or missed: the n of the no-show rate."),
    _rate("candidate", "no_show_rate", "Interview no-shows", "no_shows", ("interviews_due",),
          INTERVIEWS, lower_is_better=True, trend=True, phrase="the interview no-show rate",
          help="Interviews missed without notice / interviews that were due."),
    _count("candidate", "withdrawals", "Withdrawals", "withdrawals",
           help="Applications the candidate withdrew, by the day they were closed."),
    _rate("candidate", "withdrawal_notice_share", "Withdrawals with a word", "withdrawals",
          ("withdrawals",), COMMS,
          help="Withdrawals where the candidate told us, rather than going silent."),
]
BY_KEY = {(f.side, f.key): f for f in FIGURES}

# The headline figures, as the Overview's tiles and the digest's table list them
COMPANY = ("first_response_hours_median", "responded_within_14d_rate", "reply_hours_median",
           "notice_coverage", "notice_call_share", "notice_lag_hours_median")
CANDIDATE = ("answer_hours_median", "reply_hours_median", "acceptance_rate", "decline_call_share",
             "silent_offer_rate", "renege_rate", "no_show_rate")
LOOP = ("notice_coverage_all", "notices_overdue", "notices_pending")
OFFER_TILES = ("offers", "decline_rate", "offers_past_deadline", "accept_hours_median",
               "decline_hours_median")
# The per-recruiter table of the report: these company figures for each recruiter
RECRUITER = ("applications", "rejections_interviewed", "notice_coverage", "notice_call_share",
             "notice_lag_hours_median", "notices_overdue", "notices_pending",
             "first_response_hours_median")
# The share of each notice kind, as published figures name it: (name, words)
NOTICE_MIX = {"call": ("Rejected interviewees told by a call", "told by phone"),
              "personal_email": ("Rejected interviewees told by a personal email",
                                 "told by personal email"),
              "automated": ("Rejected interviewees told by an automated email",
                            "told by automated email"),
              "none": ("Rejected interviewees never told", "never told")}


def figure(side: str, key: str) -> Figure:
    """The record of the report's figure `key` on `side`."""
    return BY_KEY[(side, key)]


def side(name: str, keys: tuple[str, ...] = ()) -> list[Figure]:
    """The given figures of one side, in that order (every figure of the side without keys)."""
    return [BY_KEY[(name, k)] for k in keys] if keys else [f for f in FIGURES if f.side == name]


def find(metric: str) -> Figure | None:
    """The figure a published metric names ("company.reply_hours_median", "decline_rate")."""
    where, _, key = metric.partition(".")
    if where in ("company", "candidate"):
        return BY_KEY.get((where, key))
    return BY_KEY.get(("company", metric)) or BY_KEY.get(("candidate", metric))


def needs(key: str) -> str | None:
    """The optional input a figure (on either side) cannot be computed without."""
    found = find(key)
    return found.needs if found else None


def questions() -> tuple[str, ...]:
    """Every question the figures come from, in the report's order."""
    return tuple(dict.fromkeys(f.question for f in FIGURES))


def sized(names: tuple[str, ...]) -> tuple[str, ...]:
    """Those of the questions whose total row holds the n of a figure (for sizes)."""
    return tuple(q for q in names if any(
        f.question == q and f.n and f.kind != "by_row" for f in FIGURES))


def sizes(answers: dict) -> dict[tuple[str, str], int]:
    """The n behind each figure whose question was answered (answers: a question's name -> its
    ungrouped answer, a DataFrame whose first row is the total)."""
    found, totals = {}, {}
    for f in FIGURES:
        if f.n and f.question in answers and f.kind != "by_row":
            if f.question not in totals:  # the total row, read once for all of its figures
                frame = answers[f.question]
                totals[f.question] = frame.iloc[0].fillna(0).to_dict() if len(frame) else {}
            row = totals[f.question]
            found[(f.side, f.key)] = int(sum(row.get(c, 0) for c in f.n))
    return found


def markdown() -> str:
    """The list of figures as docs/metrics.md carries it (checked by tests/test_catalogue.py)."""
    lines = ["| Side | Key | Shown as | Unit | Better | n | Needs |", "|---|---|---|---|---|---|---|"]
    for f in FIGURES:
        unit = {"rate": "share", "parts": "counts", "by_row": "per kind"}.get(f.kind, f.kind)
        better = "lower" if f.lower_is_better else "higher" if f.kind in ("rate", "hours") else ""
        n = " + ".join(f"`{c}`" for c in f.n)
        lines.append(f"| {f.side} | `{f.key}` | {f.label} | {unit} | {better} | {n} | "
                     f"{f.needs or ''} |")
    return "\n".join(lines)
