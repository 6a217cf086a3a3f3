"""The answer store the dashboard reads through: one pass for two periods, each question asked
once, answers that callers cannot spoil, failures not remembered. Scenario: tests/data/metrics."""

import threading
from datetime import date

import pandas as pd
import pytest

from queries import answers as answers_module
from queries.answers import Answers, Request
from queries.runner import SQL_DIR, Filters, connect, run
from tests.helpers import DATA, load, report

PERIOD = Filters(date_from=date(2025, 1, 20), date_to=date(2025, 1, 31))  # the one before: Jan 8-19


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("answers") / "cx.duckdb"
    load(DATA / "metrics", path)
    return path


@pytest.fixture
def answers(db):
    store = Answers(connect(db))
    yield store
    store.close()
    store.con.close()


def test_one_pass_answers_the_period_and_the_one_before(db, answers):
    answers.prefetch(PERIOD, previous=True)
    current, before = answers.report(PERIOD), answers.report(PERIOD, "previous")
    # Jan 20-31: A12 applied; A1, A2, A3 closed. Jan 8-19: A2-A5 and A7-A11 applied; A5 closed.
    assert (current["company"]["applications"], current["company"]["rejections"]) == (1, 3)
    assert (before["company"]["applications"], before["company"]["rejections"]) == (9, 1)
    assert before["filters"]["from"] == "2025-01-08" and before["filters"]["to"] == "2025-01-19"
    # the same figures as asking each period on its own (the report less its recruiters table)
    alone = report(db, "--from", "2025-01-20", "--to", "2025-01-31")
    assert answers.report(PERIOD, recruiters=True) == alone
    assert current == {k: v for k, v in alone.items() if k != "recruiters"}
    assert before == {k: v for k, v in report(db, "--from", "2025-01-08", "--to", "2025-01-19").items()
                      if k != "recruiters"}
    with pytest.raises(ValueError, match="the period before is answered as a total"):
        answers.report(PERIOD, "previous", recruiters=True)
    assert Request("first_response", PERIOD, None, with_previous=True) in answers
    assert Request("first_response", PERIOD) not in answers  # the current period read the pair


def test_a_question_is_asked_once_and_its_answer_cannot_be_spoiled(answers, monkeypatch):
    runs = []
    real = answers_module.run
    monkeypatch.setattr(answers_module, "run", lambda name, con, **p: (runs.append(name), real(name, con, **p))[1])
    first = answers.answer("offers", PERIOD)
    first.loc[0, "offers"] = 999
    assert answers.answer("offers", PERIOD).loc[0, "offers"] == 3  # o72, o8, o9 sent Jan 20-31
    assert runs == ["offers"]


def failing_first(monkeypatch) -> list[str]:
    """The first question run fails, every other runs; the names run, in order."""
    real, calls = answers_module.run, []

    def flaky(name, con, **params):
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("interrupted")
        return real(name, con, **params)

    monkeypatch.setattr(answers_module, "run", flaky)
    return calls


def test_a_failed_answer_is_asked_again(answers, monkeypatch):
    calls = failing_first(monkeypatch)
    with pytest.raises(RuntimeError):
        answers.answer("no_shows", PERIOD)
    assert answers.answer("no_shows", PERIOD).loc[0, "interviews_due"] == 1  # A7's interview
    assert calls == ["no_shows", "no_shows"]


def test_a_breakdown_also_answers_the_totals(answers, monkeypatch):
    runs, real = [], answers_module.run
    monkeypatch.setattr(answers_module, "run", lambda name, con, **p: (runs.append((name, p["group_by"])),
                                                                       real(name, con, **p))[1])
    answers.prefetch(PERIOD, [("first_response", "recruiter"), ("rejection_notices", "week")])
    assert ("first_response", None) not in runs and ("rejection_notices", None) not in runs
    # Jan 20-31: A12 (Bo's) applied; A1, A2, A3 were rejected
    total = answers.answer("first_response", PERIOD)
    assert (len(total), total.loc[0, "group_key"], total.loc[0, "applications"]) == (1, "all", 1)
    by_recruiter = answers.answer("first_response", PERIOD, "recruiter")
    assert by_recruiter[["group_key", "label", "applications"]].values.tolist() == [["u2", "Bo Diddley", 1]]
    weeks = answers.answer("rejection_notices", PERIOD, "week")  # A1 Jan 20, A2 Jan 22, A3 Jan 27
    assert weeks[["group_key", "rejections"]].values.tolist() == [["2025-01-20", 2], ["2025-01-27", 1]]
    assert answers.answer("rejection_notices", PERIOD).loc[0, "rejections"] == 3
    assert ("first_response", None) not in runs and ("rejection_notices", None) not in runs


def test_a_report_limited_to_some_questions_has_only_their_figures(answers):
    r = answers.report(PERIOD, questions=("offers", "no_shows"))
    assert r["company"] == {}
    assert set(r["candidate"]) == {
        "offers", "offers_decided", "acceptance_rate", "decline_rate", "silent_offer_rate",
        "renege_rate", "answer_hours_median", "accept_hours_median", "decline_hours_median",
        "offers_past_deadline", "decline_channels", "decline_call_share", "interviews_due",
        "no_show_rate"}
    assert (r["candidate"]["offers"], r["candidate"]["interviews_due"]) == (3, 1)  # o72, o8, o9; A7
    assert "recruiters" not in r


def test_the_store_keeps_the_answers_asked_last(db):
    store = Answers(connect(db), keep=2)
    try:
        first, second, third = (Request(name, PERIOD) for name in ("offers", "no_shows", "withdrawals"))
        store.ask([first, second])
        store.get(first)  # read: first is now the one used last
        store.ask([third])
        assert first in store and third in store and second not in store
    finally:
        store.close()
        store.con.close()


def test_the_questions_known_to_take_longest_start_first(db, monkeypatch):
    started, real = [], answers_module.run
    monkeypatch.setattr(answers_module, "run", lambda name, con, **p: (started.append(name), real(name, con, **p))[1])
    monkeypatch.setattr(answers_module, "_took", {("offers", None, False): 0.01, ("no_shows", None, False): 0.02})
    store = Answers(connect(db), workers=1)
    try:
        # withdrawals never ran: it goes after those known; the rest, the longest first
        futures = store.ask([Request(name, PERIOD) for name in ("offers", "withdrawals", "no_shows")])
        assert [name in f.result()[0] for f, name in zip(futures, ("offers", "withdrawals", "no_shows"))] \
            == [True] * 3  # the futures in request order
        assert started == ["no_shows", "offers", "withdrawals"]
        assert set(answers_module._took) >= {("withdrawals", None, False)}  # learnt for next time
    finally:
        store.close()
        store.con.close()


def test_each_question_runs_on_one_duckdb_thread(db):
    con = connect(db)
    try:
        assert con.execute("select current_setting('threads')").fetchone()[0] == 1
    finally:
        con.close()


def test_an_answer_splits_into_its_parts_by_period_and_totals():
    import pandas as pd

    from queries.runner import split

    frame = pd.DataFrame({"period": ["current", "current", "current", "previous"],
                          "total": [False, False, True, True],
                          "group_key": ["2025-01-06", "2025-01-13", "all", "all"], "n": [2, 3, 5, 4]})
    parts = split(frame)
    assert list(parts["current", False].columns) == ["group_key", "n"]
    assert parts["current", False]["n"].tolist() == [2, 3]
    assert parts["current", True]["n"].tolist() == [5] and parts["previous", True]["n"].tolist() == [4]
    assert parts["previous", False].empty and list(parts["previous", False].columns) == ["group_key", "n"]
    assert parts["current", True].index.tolist() == [0]  # each part numbered from 0
    # rows out of order and helpers not first: the same parts
    shuffled = frame.iloc[[2, 3, 0, 1], [2, 0, 3, 1]]
    assert split(shuffled)["current", False]["n"].tolist() == [2, 3]
    assert split(shuffled)["previous", True]["n"].tolist() == [4]
    assert split(pd.DataFrame({"bucket": ["<1h"], "n": [1]})) == {}


TWO_MONTHS = Filters(date_from=date(2025, 1, 1), date_to=date(2025, 2, 28))


def test_a_breakdown_without_its_totals_has_the_same_groups_and_no_total_row(db):
    con = connect(db)
    try:
        # every question that gives its groups with their totals can leave the totals out
        with_totals = [p.stem for p in SQL_DIR.glob("*.sql") if "true as total" in p.read_text()]
        assert len(with_totals) == 6
        for name in with_totals:
            full = run(name, con, **TWO_MONTHS.params(con, group_by="month"))
            alone = run(name, con, **TWO_MONTHS.params(con, group_by="month"), groups_only=True)
            assert full["total"].any() and len(alone) and not alone["total"].any(), name
            pd.testing.assert_frame_equal(alone, full[~full["total"]].reset_index(drop=True))
        months = run("first_response", con, **TWO_MONTHS.params(con, group_by="month"), groups_only=True)
        assert dict(zip(months["group_key"], months["applications"])) == {"2025-01": 11, "2025-02": 1}
        months = run("rejection_notices", con, **TWO_MONTHS.params(con, group_by="month"), groups_only=True)
        assert dict(zip(months["group_key"], months["rejections"])) == {"2025-01": 4, "2025-02": 1}
    finally:
        con.close()


def test_a_breakdown_asked_without_totals_answers_its_groups_and_the_totals_are_asked_apart(answers, monkeypatch):
    runs, real = [], answers_module.run
    monkeypatch.setattr(answers_module, "run", lambda name, con, **p: (
        runs.append((name, p["group_by"], p["groups_only"])), real(name, con, **p))[1])
    answers.ask([Request("rejection_notices", TWO_MONTHS, "month", groups_only=True)])
    months = answers.answer("rejection_notices", TWO_MONTHS, "month")  # the request above
    assert list(zip(months["group_key"], months["rejections"])) == [("2025-01", 4), ("2025-02", 1)]
    assert answers.answer("rejection_notices", TWO_MONTHS).loc[0, "rejections"] == 5
    assert runs == [("rejection_notices", "month", True), ("rejection_notices", None, False)]


def test_a_warm_up_answers_each_request_once_on_its_own_thread_and_pages_then_ask_nothing(answers, monkeypatch):
    runs, real = [], answers_module.run
    monkeypatch.setattr(answers_module, "run", lambda name, con, **p: (
        runs.append((name, threading.current_thread().name)), real(name, con, **p))[1])
    offers, notices = Request("offers", PERIOD), Request("rejection_notices", TWO_MONTHS, "month", groups_only=True)
    assert answers.warm([offers, notices, offers]) == 2
    assert runs == [("offers", "MainThread"), ("rejection_notices", "MainThread")]
    assert answers.answer("offers", PERIOD).loc[0, "offers"] == 3  # o72, o8, o9 sent Jan 20-31
    answers.ask([notices])
    months = answers.answer("rejection_notices", TWO_MONTHS, "month")
    assert list(zip(months["group_key"], months["rejections"])) == [("2025-01", 4), ("2025-02", 1)]
    assert len(runs) == 2  # read from the warm-up's answers
    assert answers.warm([offers]) == 0  # known already


def test_a_warm_up_stops_at_a_failure_which_is_not_remembered(answers, monkeypatch):
    calls = failing_first(monkeypatch)
    no_shows, offers = Request("no_shows", PERIOD), Request("offers", PERIOD)
    assert answers.warm([no_shows, offers]) == 0
    assert no_shows not in answers and offers not in answers
    assert answers.answer("no_shows", PERIOD).loc[0, "interviews_due"] == 1  # asked again: A7's interview
    assert calls == ["no_shows", "no_shows"]


def test_a_closed_store_warms_nothing(db):
    store = Answers(connect(db))
    store.close()
    try:
        assert store.warm([Request("offers", PERIOD)]) == 0
    finally:
        store.con.close()


def test_a_warm_up_waits_while_a_page_s_questions_run(answers, monkeypatch):
    real, release, order = answers_module.run, threading.Event(), []

    def run(name, con, **params):
        if name == "no_shows":  # the page's question: held until released
            assert release.wait(10)
        order.append(name)
        return real(name, con, **params)

    monkeypatch.setattr(answers_module, "run", run)
    answers.ask([Request("no_shows", PERIOD)])
    warm = threading.Thread(target=answers.warm, args=([Request("offers", PERIOD)],))
    warm.start()
    warm.join(0.3)
    assert warm.is_alive() and order == []  # the warm-up waits for the page
    release.set()
    warm.join(10)
    assert order == ["no_shows", "offers"]
    assert answers.answer("offers", PERIOD).loc[0, "offers"] == 3
