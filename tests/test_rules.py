"""The communication rules engine: etl/rules.py over etl/rules.toml."""

import pandas as pd
import pytest

from etl.contract import TABLES, ExportError
from etl.rules import (
    Rules,
    apply_timing_fallback,
    attribute,
    classify_note,
    classify_topic,
)


@pytest.fixture(scope="module")
def rules():
    return Rules.load()


TOPIC_KEYWORDS = {
    "rejection": ["unfortunately", "not moving forward", "not be moving forward",
                  "move forward with other", "decided to pursue other", "other candidates",
                  "not selected", "position has been filled", "regret to inform"],
    "offer": ["offer letter", "pleased to offer", "offer of employment", "extend an offer"],
    "scheduling": ["schedule", "availability", "interview invitation", "calendar"],
    "acknowledgement": ["received your application", "thank you for applying",
                        "application received"],
}


@pytest.mark.parametrize("topic,keyword", [
    (topic, keyword) for topic, keywords in TOPIC_KEYWORDS.items() for keyword in keywords])
def test_each_keyword_gives_its_topic_in_either_direction(rules, topic, keyword):
    text = f"Hello, {keyword.upper()} and more."
    for direction in ("to_candidate", "from_candidate"):
        assert classify_topic(rules, text, direction, False) == (topic, f"keyword: {keyword}")


@pytest.mark.parametrize("keyword", ["accept", "decline", "turn down"])
def test_offer_response_only_from_the_candidate_with_an_offer(rules, keyword):
    text = f"I {keyword} it"
    assert classify_topic(rules, text, "from_candidate", True) == (
        "offer_response", f"keyword: {keyword}")
    assert classify_topic(rules, text, "from_candidate", False) == ("other", "no keyword")
    assert classify_topic(rules, text, "to_candidate", True) == ("other", "no keyword")


@pytest.mark.parametrize("keyword", ["withdraw", "no longer interested", "accepted another",
                                     "accepted an offer elsewhere"])
def test_withdrawal_only_from_the_candidate(rules, keyword):
    text = f"I am writing: {keyword}."
    assert classify_topic(rules, text, "from_candidate", False) == (
        "withdrawal", f"keyword: {keyword}")
    assert classify_topic(rules, text, "to_candidate", False) == ("other", "no keyword")


@pytest.mark.parametrize("text,direction,has_offer,expected", [
    # offer_response beats withdrawal ("accepted another" contains "accept")
    ("I accepted another offer", "from_candidate", True, ("offer_response", "keyword: accept")),
    ("I accepted another offer", "from_candidate", False,
     ("withdrawal", "keyword: accepted another")),
    ("I withdraw; unfortunately the timing is wrong", "from_candidate", False,
     ("withdrawal", "keyword: withdraw")),
    ("Unfortunately the offer letter is void", "to_candidate", True,
     ("rejection", "keyword: unfortunately")),
    ("Your offer letter and a calendar invite", "to_candidate", True,
     ("offer", "keyword: offer letter")),
    ("Schedule a call: thank you for applying", "to_candidate", False,
     ("scheduling", "keyword: schedule")),
    ("Thank you for applying", "to_candidate", False,
     ("acknowledgement", "keyword: thank you for applying")),
    ("See you on Monday", "to_candidate", False, ("other", "no keyword")),
    ("", "to_candidate", False, ("other", "no keyword")),
    (None, "to_candidate", False, ("other", "no keyword")),
])
def test_first_match_wins_in_the_spec_order(rules, text, direction, has_offer, expected):
    assert classify_topic(rules, text, direction, has_offer) == expected


def test_matching_ignores_case_and_line_breaks(rules):
    assert classify_topic(rules, "We are NOT\n  Moving\tForward", "to_candidate", False) == (
        "rejection", "keyword: not moving forward")


@pytest.mark.parametrize("text,expected", [
    ("Called her about the role", ("to_candidate", "call: called")),
    ("phoned in the morning", ("to_candidate", "call: phoned")),
    ("Quick PHONE CALL re salary", ("to_candidate", "call: phone call")),
    ("Spoke with Ana", ("to_candidate", "call: spoke with")),
    ("spoke to him", ("to_candidate", "call: spoke to")),
    ("Left a voicemail", ("to_candidate", "call: left a voicemail")),
    ("left voicemail", ("to_candidate", "call: left voicemail")),
    ("Had a call with her", ("to_candidate", "call: call with")),
    ("Candidate called to ask about pay", ("from_candidate", "call: candidate called")),
    ("She called back", ("from_candidate", "call: she called")),
    ("he called twice", ("from_candidate", "call: he called")),
    ("They called us", ("from_candidate", "call: they called")),
    ("Strong Python skills, move to onsite", None),
    ("", None),
    (None, None),
])
def test_call_rule(rules, text, expected):
    assert classify_note(rules, text) == expected


def comms_frame(rows):
    columns = TABLES["communications"].column_names
    return pd.DataFrame([dict(zip(columns, row)) for row in rows], columns=columns)


APPS = pd.DataFrame({
    "application_id": ["rej", "wd", "open"],
    "candidate_id": ["c1", "c2", "c3"],
    "applied_at": ["2025-01-01T00:00:00Z"] * 3,
    "status": ["rejected", "withdrawn", "active"],
    "closed_at": ["2025-03-10T12:00:00Z", "2025-03-10T12:00:00Z", None],
})


def test_timing_fallback_window_edges_are_inclusive(rules):
    def row(cid, app, at, direction="to_candidate", topic="other"):
        return [cid, app, at, direction, "email", topic, None, "false", "no keyword"]
    comms = comms_frame([
        row("before-edge", "rej", "2025-03-09T12:00:00Z"),
        row("too-early", "rej", "2025-03-09T11:59:59Z"),
        row("after-edge", "rej", "2025-03-24T12:00:00Z"),
        row("too-late", "rej", "2025-03-24T12:00:01Z"),
        row("no-topic", "rej", "2025-03-11T00:00:00Z", topic=None),
        row("from-cand", "rej", "2025-03-10T12:00:00Z", direction="from_candidate"),
        row("has-topic", "rej", "2025-03-10T12:00:00Z", topic="scheduling"),
        row("withdrawn-app", "wd", "2025-03-10T12:00:00Z"),
        row("active-app", "open", "2025-03-10T12:00:00Z"),
        row("unknown-app", "zzz", "2025-03-10T12:00:00Z"),
    ])
    result = apply_timing_fallback(comms, APPS, rules)
    relabelled = ["before-edge", "after-edge", "no-topic"]
    expected = comms.copy()
    expected.loc[expected["communication_id"].isin(relabelled), "topic"] = "rejection"
    expected.loc[expected["communication_id"].isin(relabelled), "evidence"] = "timing"
    pd.testing.assert_frame_equal(result, expected)
    assert comms.loc[0, "topic"] == "other"  # the input is left alone


def test_timing_fallback_on_no_messages(rules):
    empty = TABLES["communications"].empty_frame()
    assert apply_timing_fallback(empty, APPS, rules).empty


def test_attribution_latest_application_not_after_the_message():
    apps = pd.DataFrame({
        "application_id": ["a-jan", "a-mar", "b-only", "tie-1", "tie-2"],
        "candidate_id": ["c1", "c1", "c2", "c3", "c3"],
        "applied_at": ["2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z", "2025-05-01T00:00:00Z",
                       "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z"],
    })
    messages = pd.DataFrame({
        "candidate_id": ["c1", "c1", "c1", "c1", "c2", "c3", "c9", "c1"],
        "occurred_at": ["2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z",
                        "2025-04-01T00:00:00Z", "2024-12-01T00:00:00Z",
                        "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z",
                        "2025-02-01T00:00:00Z", None],
    }, index=[10, 11, 12, 13, 14, 15, 16, 17])
    expected = pd.Series(["a-jan", "a-mar", "a-mar", "a-jan", "b-only", "tie-2", None, "a-jan"],
                         index=messages.index, dtype="object")
    pd.testing.assert_series_equal(attribute(messages, apps), expected)


def test_a_user_rules_file_changes_classification(tmp_path, monkeypatch):
    own = tmp_path / "my-rules.toml"
    own.write_text('[topics.rejection]\nkeywords = ["sadly"]\n'
                   '[calls]\nkeywords = ["rang"]\n'
                   '[timing_fallback]\ndays_after = 2\n')
    rules = Rules.load(own)
    assert classify_topic(rules, "Sadly, no", "to_candidate", False) == (
        "rejection", "keyword: sadly")
    assert classify_topic(rules, "Unfortunately, no", "to_candidate", False) == (
        "other", "no keyword")
    assert classify_topic(rules, "Your availability?", "to_candidate", False) == (
        "scheduling", "keyword: availability")  # not named in the file: the default holds
    assert classify_note(rules, "Rang her") == ("to_candidate", "call: rang")
    assert classify_note(rules, "Spoke with her") is None
    assert (rules.fallback_before.days, rules.fallback_after.days) == (1, 2)
    monkeypatch.setenv("CX_RULES", str(own))
    assert Rules.load() == rules


def test_topic_order_can_be_edited(tmp_path):
    own = tmp_path / "rules.toml"
    own.write_text('topic_order = ["acknowledgement", "rejection"]\n')
    rules = Rules.load(own)
    text = "Thank you for applying; unfortunately we are not hiring; schedule"
    assert classify_topic(rules, text, "to_candidate", False) == (
        "acknowledgement", "keyword: thank you for applying")
    assert classify_topic(rules, "schedule", "to_candidate", False) == ("other", "no keyword")


@pytest.mark.parametrize("content,problem", [
    ("topic_order = [", "bad.toml: not valid TOML"),
    ('topic_order = ["gossip"]', "bad.toml: topic_order names an unknown topic 'gossip'"),
    ('topic_order = ["follow_up"]', "bad.toml: topic_order names 'follow_up' but there is no"),
    ("[topics.rejection]\nkeywords = \"unfortunately\"",
     "bad.toml: topics.rejection.keywords must be a list of non-empty strings"),
    ('[topics.withdrawal]\ndirection = "sideways"', "bad.toml: topics.withdrawal.direction"),
    ("[topics.offer_response]\nrequires_offer = 1",
     "bad.toml: topics.offer_response.requires_offer must be true or false"),
    ('[calls]\ncandidate_caller = [""]', "bad.toml: calls.candidate_caller must be a list"),
    ("[timing_fallback]\ndays_before = -1", "bad.toml: timing_fallback.days_before must be"),
    ('timing_fallback = "soon"', "bad.toml: [timing_fallback] is missing or not a table"),
])
def test_a_bad_rules_file_names_the_file_and_the_problem(tmp_path, content, problem):
    bad = tmp_path / "bad.toml"
    bad.write_text(content)
    with pytest.raises(ExportError) as error:
        Rules.load(bad)
    assert str(error.value).startswith(problem)
    assert "\n" not in str(error.value)


def test_a_missing_rules_file_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match=r"^nowhere\.toml: rules file not found"):
        Rules.load(tmp_path / "nowhere.toml")
