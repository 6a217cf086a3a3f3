"""How much memory a load may use, and where it spills the rest.

DuckDB keeps a load within `memory_limit` by writing what does not fit to `temp_directory`;
without both it takes up to 80% of the machine's memory. The loader always sets both:

- `--memory-limit` (env `CX_MEMORY_LIMIT`, default 1.5GB): DuckDB's own memory (its buffers,
  hash tables and sorts). The process peaks a few hundred MB above it (Python and the libraries).
- `--temp-dir` (env `CX_TEMP_DIR`, default a `.cx-spill` folder beside the database): each load
  spills into a folder of its own inside it, removed when the load ends (and the folder too
  when the load made it).

Export data stays inside DuckDB on the large paths (the generic CSV reader, merging, deriving),
so the limit bounds the whole load; the vendor JSON readers build their tables in Python first.
"""

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl.contract import ExportError

DEFAULT_MEMORY_LIMIT = "1.5GB"
SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    memory_limit: str
    temp_directory: Path


def resolve(db: Path, memory_limit: str | None = None, temp_directory: str | Path | None = None) -> Limits:
    """The limits of a load into `db`: the arguments, else the environment, else the defaults.

    >>> resolve(Path("/data/cx.duckdb"), "2 GB", None).memory_limit
    '2GB'
    """
    limit = memory_limit or os.environ.get("CX_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT
    match = SIZE.fullmatch(limit)
    if not match:
        raise ExportError(f"--memory-limit: {limit!r} is not a size (e.g. 1GB, 1500MB)")
    folder = temp_directory or os.environ.get("CX_TEMP_DIR") or db.parent / ".cx-spill"
    return Limits(f"{match.group(1)}{match.group(2)}", Path(folder))


@contextmanager
def spill_folder(limits: Limits) -> Iterator[dict[str, str]]:
    """DuckDB's settings with a spill folder of this load's own, removed afterwards."""
    created = not limits.temp_directory.exists()
    limits.temp_directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    own = Path(tempfile.mkdtemp(prefix="cx-load-", dir=limits.temp_directory))
    try:
        yield {"memory_limit": limits.memory_limit, "temp_directory": str(own)}
    finally:
        shutil.rmtree(own, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):  # another load may be spilling there
                limits.temp_directory.rmdir()
