"""Unpacking an export zip without letting it fill the disk, the memory or the terminal.

Every entry is checked from the zip's directory before anything is written: the number of
entries, each name's length and depth, duplicates, encryption, the total uncompressed size and
the compression ratio. Extraction then counts the bytes actually written (a directory can lie
about sizes) and lets the CRC check of every entry run to its end. The temporary folder is
owner-only, named `cx-export-*`, held by a lock while the load reads it, and removed when the
load ends; a load killed before that leaves one behind, unlocked, which the next load removes
(`clean_leftovers`).
"""

import fcntl
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from etl.contract import ExportError
from etl.limits import limit

PREFIX = "cx-export-"
LOCK = ".cx-export.lock"
LEFTOVER_AGE = 60  # seconds: a folder without its lock yet may be one being made right now
CHUNK = 1 << 20


class unpacked:
    """A folder to read: the path itself, or a zip extracted to a temporary folder."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.tmp: Path | None = None
        self.lock: IO[str] | None = None

    def __enter__(self) -> Path:
        if self.path.is_dir():
            return self.path
        if not zipfile.is_zipfile(self.path):
            raise ExportError(f"{self.path.name}: not an export folder or a zip of one")
        clean_leftovers()
        self.tmp = tmp = Path(tempfile.mkdtemp(prefix=PREFIX))  # mode 0o700
        self.lock = lock = open(os.open(tmp / LOCK, os.O_WRONLY | os.O_CREAT, 0o600), "w")
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return extract(self.path, tmp)
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc):
        self.cleanup()

    def cleanup(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
        if self.lock is not None:
            self.lock.close()
            self.lock = None


def clean_leftovers(folder: str | None = None) -> list[Path]:
    """Remove the extracted exports that killed loads left in the temporary folder: ours, and
    no longer locked by a running load; returns what was removed."""
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            if path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid() \
                    and abandoned(path):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        except OSError:
            continue
    return removed


def abandoned(path: Path) -> bool:
    """No load holds this folder's lock (or, without a lock file, it is over a minute old)."""
    lock = path / LOCK
    if not lock.is_file():
        return time.time() - path.stat().st_mtime > LEFTOVER_AGE
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
    return True


def extract(archive: Path, into: Path) -> Path:
    """Check, then extract; a zip of one folder yields that folder."""
    try:
        with zipfile.ZipFile(archive) as z:
            entries = z.infolist()
            check_entries(archive.name, entries)
            for entry in entries:
                write_entry(archive.name, z, entry, into)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as e:
        raise ExportError(f"{archive.name}: a damaged or unsupported zip ({e})") from None
    except OSError as e:
        raise ExportError(f"{archive.name}: cannot be extracted ({e.strerror or e})") from None
    found = [p for p in into.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    return found[0] if len(found) == 1 and found[0].is_dir() else into


def check_entries(name: str, entries: list[zipfile.ZipInfo]) -> None:
    """Everything the zip's directory can tell before a byte is written."""
    if len(entries) > limit("CX_ZIP_MAX_ENTRIES"):
        raise ExportError(f"{name}: {len(entries):,} entries, more than the limit of "
                          f"{limit('CX_ZIP_MAX_ENTRIES'):,} (CX_ZIP_MAX_ENTRIES)")
    seen: set[str] = set()
    for entry in entries:
        check_name(name, entry.filename, seen)
        if entry.flag_bits & 0x1:
            raise ExportError(f"{name}: {printable(entry.filename)} is encrypted; export "
                              "without a password")
    total = sum(e.file_size for e in entries)
    packed = max(sum(e.compress_size for e in entries), 1)
    if total > limit("CX_ZIP_MAX_BYTES"):
        raise ExportError(f"{name}: {total:,} bytes once extracted, more than the limit of "
                          f"{limit('CX_ZIP_MAX_BYTES'):,} (CX_ZIP_MAX_BYTES)")
    if total > CHUNK and total / packed > limit("CX_ZIP_MAX_RATIO"):
        raise ExportError(f"{name}: compressed {total // packed:,} to 1, more than the limit of "
                          f"{limit('CX_ZIP_MAX_RATIO')} to 1 (CX_ZIP_MAX_RATIO): not an export")


def check_name(archive: str, filename: str, seen: set[str]) -> None:
    """Inside the folder, not too long, not too deep, and only once."""
    parts = PurePosixPath(filename.replace("\\", "/")).parts
    if filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        raise ExportError(f"{archive}: unsafe path in the archive: {printable(filename)}")
    if len(filename) > limit("CX_ZIP_MAX_NAME"):
        raise ExportError(f"{archive}: an entry name of {len(filename):,} characters, more than "
                          f"the limit of {limit('CX_ZIP_MAX_NAME')} (CX_ZIP_MAX_NAME): "
                          f"{printable(filename[:60])}...")
    if len(parts) - 1 > limit("CX_ZIP_MAX_DEPTH"):
        raise ExportError(f"{archive}: an entry {len(parts) - 1:,} folders deep, more than the "
                          f"limit of {limit('CX_ZIP_MAX_DEPTH')} (CX_ZIP_MAX_DEPTH)")
    key = "/".join(parts)
    if key in seen:
        raise ExportError(f"{archive}: {printable(filename)} appears twice in the archive; "
                          "which one is the export cannot be told")
    seen.add(key)


def write_entry(archive: str, z: zipfile.ZipFile, entry: zipfile.ZipInfo, into: Path) -> None:
    """One entry as an owner-only file (a symbolic link becomes a plain file of its target's
    name); stops at the declared size, so a lying directory cannot fill the disk."""
    target = into.joinpath(*PurePosixPath(entry.filename.replace("\\", "/")).parts)
    if entry.is_dir():
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        return
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = 0
    with z.open(entry) as source, open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                                               0o600), "wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > entry.file_size:
                raise ExportError(f"{archive}: {printable(entry.filename)} is larger than the "
                                  "archive says: a damaged or hostile zip")
            out.write(chunk)


def printable(text: str) -> str:
    """Text with control characters shown as escapes, safe to print on a terminal."""
    from etl.terminal import escaped

    return escaped(text)
