"""The limits a load holds hostile input to (docs/limits.md), each from the environment, read at
each call so that a test or an operator can change them."""

import os

from etl.contract import ExportError

DEFAULTS = {
    "CX_ZIP_MAX_BYTES": 2 << 30,     # total uncompressed size (2 GiB)
    "CX_ZIP_MAX_RATIO": 200,         # uncompressed / compressed size of the whole zip
    "CX_ZIP_MAX_ENTRIES": 10_000,    # files and folders
    "CX_ZIP_MAX_NAME": 255,          # characters of one entry's path
    "CX_ZIP_MAX_DEPTH": 20,          # folders an entry's path goes down
    # digits of one JSON integer (ids and counts have a few dozen at most)
    "CX_JSON_MAX_DIGITS": 100,
    # objects and arrays in one file: each costs ~60 bytes of memory however small its text
    "CX_JSON_MAX_CONTAINERS": 2_000_000,
}


def limit(name: str) -> int:
    """A limit from the environment (a positive whole number), else its default."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return DEFAULTS[name]
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ExportError(f"{name}={raw!r}: not a positive whole number")
    return value
