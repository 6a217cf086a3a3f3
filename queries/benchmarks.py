"""Published figures and the company's own targets, shown beside its figures.

One CSV file (reference/benchmarks.csv, or the file env CX_BENCHMARKS names), one row per figure,
the columns described in reference/README.md. `comparable` says how a row may be used:
`direct` (measures the same thing: a labelled reference line is fair), `context` (related but
measured differently: a footnote in its own words, never a line) or `target` (the company's own
goal: "at most" for hours and the figures the catalogue calls lower-is-better, else "at least").
Names and words of each figure come from the catalogue (queries/catalogue.py).

    >>> refs = load()
    >>> [r.short_label for r in direct(refs, "notice_call_share")]
    ['Talent Board 2018: 10% told by phone', 'Talent Board 2021: 6% told by phone']
"""

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from queries import catalogue

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "reference" / "benchmarks.csv"
COLUMNS = ["metric", "value", "unit", "comparable", "what_was_measured", "population", "year",
           "publisher", "source_url"]
COMPARABLE = ("direct", "context", "target")
UNITS = ("share", "hours", "count")
MIN_N = catalogue.MIN_N


def words(metric: str) -> str:
    """What a figure of a metric counts, in words that finish "10% ...": "told by phone"."""
    base = base_of(metric)
    if base.startswith("notice_mix."):
        return catalogue.NOTICE_MIX[base.split(".", 1)[1]][1]
    figure = catalogue.find(base)
    return (figure.words if figure else "") or base.replace("_", " ")


def name(metric: str) -> str:
    """The company's figure a reference sits beside, named as in the digest."""
    base = base_of(metric)
    if base.startswith("notice_mix."):
        return catalogue.NOTICE_MIX[base.split(".", 1)[1]][0]
    figure = catalogue.find(metric)
    return figure.comparison_name if figure else base.replace("_", " ").capitalize()


def base_of(metric: str) -> str:
    """The metric without its side: "company.reply_hours_median" -> "reply_hours_median"."""
    side, _, rest = metric.partition(".")
    return rest if side in ("company", "candidate") else metric


class BenchmarkError(Exception):
    """A benchmarks file that cannot be used, in one line naming the file and the row."""


@dataclass(frozen=True)
class Reference:
    metric: str
    value: float
    unit: str
    comparable: str
    what_was_measured: str
    population: str
    year: str
    publisher: str
    source_url: str

    @property
    def base_metric(self) -> str:
        """The metric without its side: "company.reply_hours_median" -> "reply_hours_median"."""
        return base_of(self.metric)

    @property
    def value_text(self) -> str:
        return value_text(self.value, self.unit)

    @property
    def who(self) -> str:
        """"Talent Board 2018", or the publisher alone when the year is unknown."""
        return f"{self.publisher} {self.year}".strip()

    @property
    def short_label(self) -> str:
        """For a chart: "Talent Board 2018: 10% told by phone"."""
        return f"{self.who}: {self.value_text} {words(self.metric)}"

    @property
    def long_label(self) -> str:
        """In its own words: who, the figure, what was measured, of whom."""
        return f"{self.who}: {self.value_text}, {self.what_was_measured} ({self.population})"

    @property
    def at_most(self) -> bool:
        """Whether a target is a ceiling (hours, decline-like rates, counts to clear)."""
        figure = catalogue.find(self.metric)
        return self.unit == "hours" or bool(figure and figure.lower_is_better)

    @property
    def target_text(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {self.value_text}"

    def matches(self, side: str, key: str) -> bool:
        """Whether this row is about the report's figure `key` on `side` (company/candidate)."""
        return self.metric in (key, f"{side}.{key}")

    def met_by(self, value: float | None) -> bool | None:
        """Whether a figure meets this target; None when the figure is unknown."""
        if value is None:
            return None
        return value <= self.value if self.at_most else value >= self.value


def value_text(value: float, unit: str) -> str:
    """0.1 -> "10%", 0.173 -> "17.3%", 264 -> "264 h"."""
    if unit == "share":
        return f"{value * 100:.1f}".removesuffix(".0") + "%"
    if unit == "hours":
        return f"{value:g} h"
    return f"{value:g}"


def path() -> Path:
    """The benchmarks file: env CX_BENCHMARKS, else reference/benchmarks.csv."""
    return Path(os.environ.get("CX_BENCHMARKS") or DEFAULT_PATH)


def load(file: str | Path | None = None) -> list[Reference]:
    """Every row of the benchmarks file; [] when the default file is absent."""
    file = Path(file) if file else path()
    if not file.exists():
        if file == DEFAULT_PATH:
            return []
        raise BenchmarkError(f"{file}: no such file (env CX_BENCHMARKS)")
    with open(file, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BenchmarkError(f"{file.name}: missing columns: {', '.join(missing)}")
        return [parse(row, file.name, line) for line, row in enumerate(reader, start=2)]


def parse(row: dict, name: str, line: int) -> Reference:
    fields = {c: (row.get(c) or "").strip() for c in COLUMNS}
    where = f"{name}: line {line}"
    if fields["comparable"] not in COMPARABLE:
        raise BenchmarkError(f"{where}: comparable must be one of {', '.join(COMPARABLE)}")
    if fields["unit"] not in UNITS:
        raise BenchmarkError(f"{where}: unit must be one of {', '.join(UNITS)}")
    if fields["comparable"] != "target" and not fields["source_url"]:
        raise BenchmarkError(f"{where}: a published figure needs its source_url")
    try:
        value = float(fields.pop("value"))
    except ValueError:
        raise BenchmarkError(f"{where}: value is not a number") from None
    return Reference(value=value, **fields)


def direct(refs: list[Reference], metric: str) -> list[Reference]:
    return [r for r in refs if r.comparable == "direct" and r.metric == metric]


def context(refs: list[Reference], metric: str) -> list[Reference]:
    return [r for r in refs if r.comparable == "context" and r.metric == metric]


def target_for(refs: list[Reference], side: str, key: str) -> Reference | None:
    """The company's target for a figure (the last one in the file wins)."""
    found = [r for r in refs if r.comparable == "target" and r.matches(side, key)]
    return found[-1] if found else None


def report_value(report: dict, metric: str) -> float | None:
    """A figure of the report by metric name; notice_mix.<kind> is the kind's share."""
    side, _, key = metric.partition(".")
    if side not in ("company", "candidate"):
        side, key = ("company", metric) if metric.split(".")[0] in report["company"] \
            else ("candidate", metric)
    figures = report[side]
    if key.startswith("notice_mix."):
        n = figures["rejections_interviewed"]
        return round(figures["notice_mix"][key.split(".", 1)[1]] / n, 4) if n else None
    value = figures.get(key)
    return value if isinstance(value, int | float) else None


def report_n(report: dict, metric: str) -> int | None:
    """How many cases a report figure rests on, when the report holds its n."""
    base = base_of(metric)
    figure = catalogue.find("notice_call_share" if base.startswith("notice_mix.") else metric)
    if figure is None or len(figure.n) != 1 or (figure.side, figure.n[0]) not in catalogue.BY_KEY:
        return None
    return report[figure.side].get(figure.n[0])


def digest_lines(refs: list[Reference], report: dict) -> list[str]:
    """The direct figures, each beside the company's own: for the Markdown digest."""
    lines = []
    for r in refs:
        if r.comparable != "direct":
            continue
        ours, n = report_value(report, r.metric), report_n(report, r.metric)
        here = "unknown" if ours is None else value_text(ours, r.unit)
        if ours is not None and n is not None:
            here = f"{here} (n = {n})" if n >= MIN_N else f"too few cases to compare (n = {n})"
        lines.append(f"{name(r.metric)}: {here} here; {r.long_label} ([source]({r.source_url}))")
    return lines
