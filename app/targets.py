"""The company's own targets, set in the app by an admin and kept in a small JSON file beside
the database (the database itself is read-only for the app):

    data/targets.json   {"company.notice_coverage": 0.8, "candidate.answer_hours_median": 48}

Each is read as a `target` row of the benchmarks file (queries/benchmarks.py), after those of
the file, so a target set in the app wins. Rates are fractions, times hours.
"""

import json
import os
from pathlib import Path

from etl.publish import database_path
from queries import catalogue
from queries.benchmarks import Reference


class TargetsError(Exception):
    """A targets file that cannot be used, in one line naming the file."""


def path() -> Path:
    """targets.json beside the database (env CX_DB's folder, else data/)."""
    return Path(os.environ.get("CX_TARGETS") or database_path().parent / "targets.json")


def load(file: Path | None = None) -> dict[str, float]:
    """"side.key" -> target; {} without a file."""
    file = file or path()
    if not file.exists():
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise TargetsError(f"{file.name}: not readable as JSON ({e})") from None
    if not isinstance(data, dict) or not all(
            catalogue.find(k) and isinstance(v, int | float) for k, v in data.items()):
        raise TargetsError(f"{file.name}: holds something other than figure: number pairs")
    return {k: float(v) for k, v in data.items()}


def save(targets: dict[str, float], file: Path | None = None) -> None:
    """Write the targets atomically (a new file renamed into place)."""
    file = file or path()
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_suffix(".json.part")
    partial.write_text(json.dumps(dict(sorted(targets.items())), indent=2) + "\n", encoding="utf-8")
    partial.replace(file)


def references(targets: dict[str, float]) -> list[Reference]:
    """The targets as `target` rows of the benchmarks file."""
    rows = []
    for metric, value in targets.items():
        figure = catalogue.find(metric)
        unit = {"rate": "share", "hours": "hours"}.get(figure.kind if figure else "", "count")
        rows.append(Reference(metric, value, unit, "target", "target set in the app", "", "",
                              "Company target", ""))
    return rows
