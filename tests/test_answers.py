"""The answer store the dashboard reads through: one pass for two periods, each question asked
once, answers that callers cannot spoil, failures not remembered. Scenario: tests/data/metrics."""

from datetime import date

import pytest

from queries import answers as answers_module
from queries.answers import Answers, Request
from queries.runner import Filters, connect
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
    # the same figures as asking each period on its own
    assert current == report(db, "--from", "2025-01-20", "--to", "2025-01-31")
    assert before == report(db, "--from", "2025-01-08", "--to", "2025-01-19")
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


def test_a_failed_answer_is_asked_again(answers, monkeypatch):
    real, calls = answers_module.run, []

    def flaky(name, con, **params):
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("interrupted")
        return real(name, con, **params)

    monkeypatch.setattr(answers_module, "run", flaky)
    with pytest.raises(RuntimeError):
        answers.answer("no_shows", PERIOD)
    assert answers.answer("no_shows", PERIOD).loc[0, "interviews_due"] == 1  # A7's interview
    assert calls == ["no_shows", "no_shows"]
