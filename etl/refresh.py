"""`python -m etl refresh [--db FILE]`: bring every source configured in the environment up to date.

For each configured source (Greenhouse: a GREENHOUSE_* credential variable is set; Lever:
LEVER_API_KEY or LEVER_API_URL is set), pull what changed since its last successful pull into
its own folder (`pulls/<source>` beside the database), then load that folder as the source's
origin (its format's name: `greenhouse-v3`, `lever`), replacing what the origin held. The
last successful pull is the `pulled_at` of the origin's newest load in the database's loads
history; a source never pulled into this database, or whose folder is gone, gets a full pull.

Safe for cron: runs on one database wait for each other (a lock file beside it), a source with
nothing new is not reloaded (the run takes seconds) unless its last load is a day old, and a
failed source leaves the others' loads published and its own data as it was.

    python -m etl refresh --db data/cx.duckdb      # exit 0: all current; 2: a line per failure
"""

import argparse
import fcntl
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from etl import pull
from etl.contract import ExportError
from etl.http_client import PullError
from etl.load import load
from etl.publish import database_path

OVERLAP = timedelta(minutes=10)     # pull a little before the last pull began: clocks differ
QUIET_RELOAD = timedelta(days=1)    # a source with nothing new is still reloaded this often
CONFIGURED_BY = {
    "greenhouse": ("GREENHOUSE_CLIENT_ID", "GREENHOUSE_CLIENT_SECRET", "GREENHOUSE_USER_ID"),
    "lever": ("LEVER_API_KEY", "LEVER_API_URL"),
}


@dataclass(frozen=True)
class LastPull:
    pulled_at: datetime     # when the last successful pull began (UTC)
    loaded_at: datetime     # when it was loaded (UTC)


def configured(env: Mapping[str, str]) -> list[str]:
    """The sources whose variables are set in the environment."""
    return [name for name, variables in CONFIGURED_BY.items()
            if any(env.get(variable, "").strip() for variable in variables)]


def last_pull(db: Path, origin: str) -> LastPull | None:
    """The origin's newest load that came from a pull, from the published database."""
    if not db.exists():
        return None
    try:
        with duckdb.connect(os.path.realpath(db), read_only=True) as con:
            found = con.execute(
                "select pulled_at, loaded_at from loads where origin = $origin and pulled_at is "
                "not null order by pulled_at desc limit 1", {"origin": origin}).fetchall()
    except duckdb.Error:
        return None             # no loads history with pull times yet: pull everything
    if not found:
        return None
    pulled_at, loaded_at = found[0]
    return LastPull(pulled_at.replace(tzinfo=UTC), loaded_at.replace(tzinfo=UTC))


def folder_digest(folder: Path) -> str:
    """A fingerprint of the folder's files (names and contents), to tell whether a pull changed
    anything; hidden files (state, partial files) are left out."""
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted(folder.rglob("*.json")) if folder.is_dir() else ():
        if path.is_file() and not path.name.startswith("."):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            with path.open("rb") as data:
                for block in iter(lambda: data.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def refresh_source(name: str, env: Mapping[str, str], db: Path, folder: Path,
                   sleep: Callable[[float], None], now: Callable[[], float]) -> str:
    """Pull one source since its last pull and load it; returns its line for the summary.
    Raises PullError or ExportError, leaving the published data as it was."""
    source = pull.source(name)
    out = folder / name
    last = last_pull(db, source.FORMAT)
    since = iso(last.pulled_at - OVERLAP) if last and (out / source.MAIN_FILE).exists() else None
    before = folder_digest(out)
    started = datetime.fromtimestamp(now(), UTC)
    summary = source.run(env, out, since, pull.Progress(sys.stderr), sleep, now)
    if last and since and folder_digest(out) == before and started - last.loaded_at < QUIET_RELOAD:
        return f"{name}: current, nothing changed since {since}."
    load(out, fmt=source.FORMAT, db=str(db), replace=True, pulled_at=started)
    return f"{name}: {summary} Loaded as '{source.FORMAT}'."


def refresh(env: Mapping[str, str], db: Path, folder: Path, sleep: Callable[[float], None],
            now: Callable[[], float]) -> tuple[list[str], list[str]]:
    """Refresh every configured source; returns (lines of those done, lines of those failed)."""
    done, failed = [], []
    for name in configured(env):
        try:
            done.append(refresh_source(name, env, db, folder, sleep, now))
        except (PullError, ExportError) as error:
            failed.append(f"{name}: {error}")
        except Exception as error:          # one source's surprise must not stop the others
            failed.append(f"{name}: unexpected {type(error).__name__}: {error}")
    return done, failed


@contextmanager
def one_at_a_time(db: Path) -> Iterator[None]:
    """Refreshes of one database run one after the other: a second one waits for the first."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.parent / f".{db.name}.refresh.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if sys.stderr.isatty():
                print(f"Waiting for another refresh of {db} to finish...", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m etl refresh",
        description="Pull what changed in every source configured in the environment and load it.")
    parser.add_argument("--db", help="database to keep current (default: env CX_DB, else "
                                     "data/cx.duckdb)")
    parser.add_argument("--folder", type=Path, help="where the pulled folders live (default: "
                                                     "pulls/ beside the database)")
    return parser.parse_args(argv)


def main(argv: list[str], *, sleep: Callable[[float], None] = time.sleep,
         now: Callable[[], float] = time.time) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    env = os.environ
    if not configured(env):
        print("No source is configured: set GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and "
              "GREENHOUSE_USER_ID, or LEVER_API_KEY (docs/greenhouse-pull.md, docs/lever-pull.md).",
              file=sys.stderr)
        return 2
    db = database_path(args.db)
    try:
        with one_at_a_time(db):
            done, failed = refresh(env, db, args.folder or db.parent / "pulls", sleep, now)
    except KeyboardInterrupt:
        print("\nInterrupted; the next refresh continues where this one stopped.", file=sys.stderr)
        return 130
    for line in done:
        print(line)
    for line in failed:
        print(line, file=sys.stderr)
    return 2 if failed else 0
