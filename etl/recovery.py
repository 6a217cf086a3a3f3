"""Faults around the published database: a version that cannot be read, a write that fails,
and what a killed load leaves behind.

- A published version can be damaged after the fact (a truncated copy, a bad disk). Readers
  and the next load then use the last good version kept beside it (`last_good`), and say so.
- A write that fails (disk full, file-size limit) becomes one sentence (`write_failures`);
  the unfinished file goes, every published file stays as it was.
- A load killed mid-way leaves `cx.v000042.duckdb.tmp` (and its `.wal` and spill folder);
  the next load into the same database removes them (`clean_unfinished`), under the load lock.
"""

import errno
import functools
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl import publish
from etl.contract import ExportError

WRITE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EIO}


def unfinished(tmp: Path) -> list[Path]:
    """A version being built and DuckDB's files beside it (write-ahead log, spill folder)."""
    return [tmp, Path(f"{tmp}.wal"), Path(f"{tmp}.tmp")]


def remove_unfinished(tmp: Path) -> None:
    for path in unfinished(tmp):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def clean_unfinished(db: Path) -> list[Path]:
    """Remove the versions that killed loads were building; call it holding the load lock."""
    found = sorted(db.parent.glob(f"{db.stem}.v*{db.suffix}.tmp"))
    for tmp in found:
        remove_unfinished(tmp)
    return found


def problem(path: Path) -> str | None:
    """Why a published version cannot be read, or None when it can (a readable database that
    is not Reciprocal's is for the caller to refuse, never to fall back from)."""
    stat = path.stat() if path.exists() else None
    if stat is None:
        return "the file is missing"
    return _problem(str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@functools.lru_cache(maxsize=32)
def _problem(path: str, size: int, mtime: int, inode: int) -> str | None:
    try:
        with duckdb.connect(path, read_only=True) as con:
            tables = {r[0] for r in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()}
            if "app_facts" in tables:
                con.execute("select count(*) from app_facts").fetchall()
    except duckdb.ConnectionException as e:
        if "different configuration" in str(e):  # open in this process already: readable
            return None
        return str(e).splitlines()[0]
    except duckdb.Error as e:
        return str(e).splitlines()[0]
    return None


def last_good(db: Path) -> tuple[Path | None, str | None]:
    """The version to read or build upon, and a sentence when it is not the published one.

    (None, None): nothing published yet; (None, sentence): nothing readable is left, so a
    load starts afresh (a reader fails with its own error)."""
    current = publish.current_version(db)
    if current is None:
        return None, None
    why = problem(current)
    if why is None or not db.is_symlink():  # a file of the user's own is never passed over
        return current, None
    for older in reversed(publish.versions(db)):
        if older != current and problem(older) is None:
            return older, (f"The published database {current.name} cannot be read ({why}); "
                           f"the last good version, {older.name}, is used instead until the "
                           "next load publishes a new one.")
    return None, (f"The published database {current.name} cannot be read ({why}) and no "
                  "earlier version is left to fall back on; the next load starts a new one.")


@contextmanager
def write_failures(db: Path) -> Iterator[None]:
    """A failed write (disk full, file-size limit) as one ExportError."""
    try:
        yield
    except OSError as e:
        if e.errno not in WRITE_ERRNOS:
            raise
        raise ExportError(f"{db}: the new version could not be written ({e.strerror}); the "
                          "published database is unchanged") from None
    except (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException,
            duckdb.OutOfMemoryException) as e:
        raise ExportError(f"{db}: the new version could not be written "
                          f"({str(e).splitlines()[0]}); the published database is unchanged"
                          ) from None
