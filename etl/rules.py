"""Communication inference rules: topic keywords, calls in notes, the timing fallback, and
which application a message belongs to (docs/vendor-formats.md).

The keyword lists live in `etl/rules.toml`; a user's own file (`CX_RULES` or `Rules.load(path)`)
overrides only the parts it names. Example:

    rules = Rules.load()
    classify_topic(rules, "Unfortunately we ...", "to_candidate", False)
    # -> ("rejection", "keyword: unfortunately")
"""

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pandas as pd

from etl.contract import DIRECTIONS, TOPICS, ExportError

DEFAULT_RULES_FILE = Path(__file__).with_name("rules.toml")
TOPIC_OTHER = "other"
TOPIC_REJECTION = "rejection"


@dataclass(frozen=True)
class TopicRule:
    keywords: tuple[str, ...]
    direction: str | None = None  # the rule applies only to messages in this direction
    requires_offer: bool = False  # ... and only when the application has an offer


@dataclass(frozen=True)
class Rules:
    """The communication rules in force; build with `Rules.load()`."""

    topic_order: tuple[str, ...]
    topics: dict[str, TopicRule]
    call_keywords: tuple[str, ...]
    candidate_caller: tuple[str, ...]
    fallback_before: timedelta
    fallback_after: timedelta
    source: str = str(DEFAULT_RULES_FILE)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Rules":
        """Rules from `path` (else env CX_RULES, else etl/rules.toml) over the defaults.

        A missing, malformed or inconsistent file raises ExportError naming the file.
        """
        if path is None:
            path = os.environ.get("CX_RULES") or None
        settings = _read_toml(DEFAULT_RULES_FILE)
        if path is not None and Path(path).resolve() != DEFAULT_RULES_FILE.resolve():
            settings = _merge(settings, _read_toml(Path(path)))
        source = Path(path or DEFAULT_RULES_FILE)
        try:
            return _build(settings, str(source))
        except _RulesProblem as problem:
            raise ExportError(f"{source.name}: {problem}") from None


class _RulesProblem(Exception):
    pass


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ExportError(f"{path.name}: rules file not found ({path})") from None
    except tomllib.TOMLDecodeError as error:
        raise ExportError(f"{path.name}: not valid TOML ({error})") from None
    except OSError as error:
        raise ExportError(f"{path.name}: cannot be read ({error.strerror})") from None


def _merge(base: dict, override: dict) -> dict:
    """Nested tables merge key by key; any other value in `override` replaces the base one."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _build(settings: dict, source: str) -> "Rules":
    topics = _table(settings, "topics")
    order = tuple(_phrases(settings, "topic_order", "topic_order"))
    for topic in order:
        if topic not in TOPICS or topic == TOPIC_OTHER:
            raise _RulesProblem(f"topic_order names an unknown topic {topic!r}")
        if topic not in topics:
            raise _RulesProblem(f"topic_order names {topic!r} but there is no [topics.{topic}]")
    calls = _table(settings, "calls")
    window = _table(settings, "timing_fallback")
    return Rules(
        topic_order=order,
        topics={topic: _topic_rule(topics[topic], topic) for topic in order},
        call_keywords=_phrases(calls, "keywords", "calls.keywords"),
        candidate_caller=_phrases(calls, "candidate_caller", "calls.candidate_caller"),
        fallback_before=timedelta(days=_days(window, "days_before")),
        fallback_after=timedelta(days=_days(window, "days_after")),
        source=source,
    )


def _table(settings: dict, key: str) -> dict:
    value = settings.get(key)
    if not isinstance(value, dict):
        raise _RulesProblem(f"[{key}] is missing or not a table")
    return value


def _phrases(table: dict, key: str, label: str) -> tuple[str, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _RulesProblem(f"{label} must be a list of non-empty strings")
    return tuple(_normalise(v) for v in value)


def _topic_rule(table: object, topic: str) -> TopicRule:
    if not isinstance(table, dict):
        raise _RulesProblem(f"[topics.{topic}] is not a table")
    direction = table.get("direction")
    if direction is not None and direction not in DIRECTIONS:
        raise _RulesProblem(f"topics.{topic}.direction must be one of {', '.join(DIRECTIONS)}")
    requires_offer = table.get("requires_offer", False)
    if not isinstance(requires_offer, bool):
        raise _RulesProblem(f"topics.{topic}.requires_offer must be true or false")
    keywords = _phrases(table, "keywords", f"topics.{topic}.keywords")
    return TopicRule(keywords, direction, requires_offer)


def _days(table: dict, key: str) -> int:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _RulesProblem(f"timing_fallback.{key} must be a whole number of days, 0 or more")
    return value


def _normalise(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().casefold()


def _first_match(text: str, phrases: tuple[str, ...]) -> str | None:
    return next((phrase for phrase in phrases if phrase in text), None)


def classify_topic(rules: Rules, text: str | None, direction: str,
                   has_offer: bool) -> tuple[str, str]:
    """The topic of a message and why: ("rejection", "keyword: unfortunately"),
    or ("other", "no keyword")."""
    normalised = _normalise(text)
    for topic in rules.topic_order:
        rule = rules.topics[topic]
        if rule.direction is not None and rule.direction != direction:
            continue
        if rule.requires_offer and not has_offer:
            continue
        keyword = _first_match(normalised, rule.keywords)
        if keyword is not None:
            return topic, f"keyword: {keyword}"
    return TOPIC_OTHER, "no keyword"


def classify_note(rules: Rules, text: str | None) -> tuple[str, str] | None:
    """A note as a call: (direction, evidence), e.g. ("to_candidate", "call: spoke with");
    None when the note mentions no call (an internal note, not a communication)."""
    normalised = _normalise(text)
    keyword = _first_match(normalised, rules.call_keywords)
    if keyword is None:
        return None
    caller = _first_match(normalised, rules.candidate_caller)
    if caller is not None:
        return "from_candidate", f"call: {caller}"
    return "to_candidate", f"call: {keyword}"


def _utc(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")


def apply_timing_fallback(comms: pd.DataFrame, apps: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Comms with each `to_candidate`, topic-other message on a rejected application sent
    within [closed_at - days_before, closed_at + days_after] (inclusive) relabelled
    topic "rejection", evidence "timing". Both frames are in staging shape (text)."""
    result = comms.copy()
    if result.empty:
        return result
    rejected = apps.loc[apps["status"].str.lower() == "rejected"]
    closed_by_app = pd.Series(_utc(rejected["closed_at"]).to_numpy(),
                              index=rejected["application_id"].to_numpy())
    closed_by_app = closed_by_app[~closed_by_app.index.duplicated()]
    closed = _utc(result["application_id"].map(closed_by_app))
    occurred = _utc(result["occurred_at"])
    topic = result["topic"].fillna(TOPIC_OTHER).replace("", TOPIC_OTHER)
    hit = ((result["direction"] == "to_candidate") & (topic == TOPIC_OTHER)
           & (occurred >= closed - rules.fallback_before)
           & (occurred <= closed + rules.fallback_after))
    hit = hit.fillna(False).astype(bool)
    result.loc[hit, "topic"] = TOPIC_REJECTION
    result.loc[hit, "evidence"] = "timing"
    return result


def attribute(messages: pd.DataFrame, apps: pd.DataFrame) -> pd.Series:
    """The application each message belongs to: of its candidate's applications, the one
    with the latest applied_at not after the message time, else the earliest one; None when
    the candidate has no application. Indexed like `messages`."""
    pairs = (messages[["candidate_id", "occurred_at"]].assign(_pos=range(len(messages)))
             .merge(apps[["application_id", "candidate_id", "applied_at"]], on="candidate_id"))
    pairs = pairs.assign(_applied=_utc(pairs["applied_at"]), _at=_utc(pairs["occurred_at"]))
    pairs = pairs.sort_values(["_pos", "_applied", "application_id"], na_position="last")
    eligible = pairs.loc[pairs["_applied"] <= pairs["_at"]]
    latest = eligible.groupby("_pos")["application_id"].last()
    earliest = pairs.groupby("_pos")["application_id"].first()
    chosen = latest.combine_first(earliest)
    result = pd.Series([None] * len(messages), index=messages.index, dtype="object")
    result.iloc[chosen.index.to_numpy()] = chosen.to_numpy()
    return result
