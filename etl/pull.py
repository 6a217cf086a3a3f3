"""`python -m etl pull greenhouse|lever`: fetch an export straight from an ATS API into a folder.

The folder has the layout `python -m etl load` reads for that format (docs/vendor-formats.md);
credentials come from the environment only. This module is the sync side
shared by both pulls: files written whole or not at all (a hidden temporary file renamed into
place, readable by its owner only), a state file that lets a rerun continue where an interrupted
pull stopped, merging a `--since` pull into the folder by id, and progress on a terminal. The
HTTP side is etl/http_client.py; each API's own calls are in etl/pull_greenhouse.py and
etl/pull_lever.py.

    LEVER_API_KEY=... python -m etl pull lever --out data/lever --load
"""

import argparse
import importlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from tqdm import tqdm

from etl.http_client import PullError

SOURCES = {"greenhouse": "etl.pull_greenhouse", "lever": "etl.pull_lever"}
STATE_FILE = ".pull-state.json"
FILE_MODE, FOLDER_MODE = 0o600, 0o700    # pulled files hold candidates' personal data


# ---------------------------------------------------------------- files


def write_array(path: Path, records: Iterable) -> int:
    """Write records as a JSON array via a temporary file renamed into place; returns the count."""
    partial = path.with_name(f".{path.name}.partial")
    count = 0
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE),
                       "w", encoding="utf-8") as out:
            out.write("[")
            for count, record in enumerate(records, start=1):
                out.write(("\n" if count == 1 else ",\n") + json.dumps(record, ensure_ascii=False))
            out.write("\n]\n" if count else "]\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, FILE_MODE)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def read_array(path: Path) -> list:
    """A previously pulled file (empty when absent), for merging updates into."""
    if not path.exists():
        return []
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise PullError(f"{path.name}: cannot merge updates into it, it is not valid JSON "
                        f"({error}).", exit_code=2) from None
    if not isinstance(records, list):
        raise PullError(f"{path.name}: cannot merge updates into it, it is not a JSON array.",
                        exit_code=2)
    return records


def merge_by_id(old: list, new: Iterable) -> list:
    """Old records with same-id new ones replacing them in place; unseen ids appended in order.

    >>> merge_by_id([{"id": 1, "v": "a"}, {"id": 2}], [{"id": 1, "v": "b"}, {"id": 3}])
    [{'id': 1, 'v': 'b'}, {'id': 2}, {'id': 3}]
    """
    merged = list(old)
    position = {key: i for i, record in enumerate(merged) if (key := record_id(record)) is not None}
    for record in new:
        key = record_id(record)
        if key in position:
            merged[position[key]] = record
            continue
        if key is not None:
            position[key] = len(merged)
        merged.append(record)
    return merged


def record_id(record) -> str | None:
    if isinstance(record, dict) and record.get("id") is not None:
        return str(record["id"])
    return None


def prepare_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PullError(f"{out} exists and is not a folder.", exit_code=2)
    try:
        out.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    except OSError as error:
        raise PullError(f"Cannot create {out}: {error.strerror or error}.", exit_code=2) from None


@dataclass
class PullState:
    """What this pull (for this since value) has already written completely: the names of the
    finished steps, and a position within a step that goes item by item."""

    since: str | None
    done: list[str] = field(default_factory=list)
    position: int = 0

    @classmethod
    def load(cls, out: Path, since: str | None, steps: Iterable[str]) -> "PullState":
        try:
            saved = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(since)
        if not isinstance(saved, dict) or saved.get("since") != since:
            return cls(since)
        position = saved.get("position", 0)
        return cls(since, [s for s in saved.get("done", []) if s in set(steps)],
                   position if isinstance(position, int) and position > 0 else 0)

    def mark_done(self, out: Path, step: str) -> None:
        self.done.append(step)
        self.position = 0
        self.save(out)

    def advance(self, out: Path, position: int) -> None:
        self.position = position
        self.save(out)

    def save(self, out: Path) -> None:
        saved: dict[str, object] = {"since": self.since, "done": self.done}
        if self.position:
            saved["position"] = self.position
        partial = out / f".{STATE_FILE}.partial"
        partial.write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, out / STATE_FILE)

    @staticmethod
    def clear(out: Path) -> None:
        (out / STATE_FILE).unlink(missing_ok=True)


# ---------------------------------------------------------------- progress


class Progress:
    """A progress line per list on a terminal (records and pages so far); silent otherwise."""

    def __init__(self, stream):
        self.stream = stream
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())

    def track(self, name: str, pages: Iterable[list]) -> Iterator:
        """The records of `pages`, counted on the way through."""
        with self.bar(name, "records") as bar:
            for number, page in enumerate(pages, start=1):
                bar.set_postfix_str(f"{number} page" + ("s" if number > 1 else ""), refresh=False)
                bar.update(len(page))
                yield from page

    def bar(self, name: str, unit: str, total: int | None = None) -> tqdm:
        return tqdm(desc=name, total=total, unit=f" {unit}", file=self.stream,
                    disable=not self.enabled, dynamic_ncols=True, mininterval=0.2,
                    bar_format=("{desc}: {n_fmt}/{total_fmt} " + unit + " [{elapsed}]") if total
                    else "{desc}: {n_fmt} " + unit + "{postfix} [{elapsed}]")

    def note(self, text: str) -> None:
        if self.enabled:
            tqdm.write(text, file=self.stream)


@dataclass
class Summary:
    records: int = 0
    pulled: int = 0
    resumed: int = 0

    def line(self, service: str, what: str, out: Path, since: str | None) -> str:
        records = (f"{self.records} records updated since {since}" if since
                   else f"{self.records} records")
        line = f"Pulled {records} from {self.pulled} {service} {what} into {out}"
        if self.resumed:
            line += f" ({self.resumed} more were already complete from the interrupted run)"
        return line + "."


# ---------------------------------------------------------------- command line


def parse_since(text: str) -> str:
    """--since as an ISO-8601 UTC timestamp: a date means its midnight UTC, a naive time is UTC.

    >>> parse_since("2025-06-01"), parse_since("2025-06-01T10:00:00+02:00")
    ('2025-06-01T00:00:00Z', '2025-06-01T08:00:00Z')
    """
    text = text.strip()
    try:
        moment = (datetime.combine(date.fromisoformat(text), datetime.min.time())
                  if len(text) == 10 else datetime.fromisoformat(text))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(
            f"not a date or ISO-8601 timestamp: {text!r} (e.g. 2025-06-01 or 2025-06-01T08:00:00Z)"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl pull",
        description="Fetch an export from an ATS API into a folder of JSON files. Credentials "
                    "come from the environment: GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET "
                    "and GREENHOUSE_USER_ID, or LEVER_API_KEY.")
    parser.add_argument("source", choices=sorted(SOURCES), help="the system to pull from")
    parser.add_argument("--out", required=True, type=Path, help="folder to write the export to")
    parser.add_argument("--since", type=parse_since, metavar="DATE",
                        help="pull only records updated since DATE and merge them into --out")
    parser.add_argument("--load", action="store_true",
                        help="load the folder after a successful pull")
    parser.add_argument("--db", help="database file for --load (default: the loader's)")
    return parser


def source(name: str):
    """The module of one source's pull (etl.pull_greenhouse, etl.pull_lever)."""
    return importlib.import_module(SOURCES[name])


def main(argv: list[str], *, sleep: Callable[[float], None] = time.sleep,
         now: Callable[[], float] = time.time) -> int:
    """Run `python -m etl pull SOURCE ...`; argv starts with the source. Returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    if args.db and not args.load:
        print("--db only applies together with --load.", file=sys.stderr)
        return 2
    pull = source(args.source)
    if args.since and not (args.out / pull.MAIN_FILE).exists():
        print(f"note: {args.out} holds no earlier pull, so it will hold only the records updated "
              f"since {args.since}.", file=sys.stderr)
    started = datetime.fromtimestamp(now(), UTC)
    try:
        summary = pull.run(os.environ, args.out, args.since, Progress(sys.stderr), sleep, now)
    except PullError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("\nInterrupted; rerun the same command to resume.", file=sys.stderr)
        return 130
    print(summary)
    return load_folder(args.out, pull.FORMAT, args.db, started) if args.load else 0


def load_folder(out: Path, fmt: str, db: str | None, pulled_at: datetime,
                replace: bool = False) -> int:
    """`python -m etl load OUT --format FMT`, remembering when the pull began (for refresh)."""
    loader = importlib.import_module("etl.load")
    try:
        result = loader.load(out, fmt=fmt, db=db, replace=replace, pulled_at=pulled_at)
    except loader.ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(loader.summary_text(result), file=sys.stderr)
    return 0
