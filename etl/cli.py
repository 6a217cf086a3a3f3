"""Command-line values checked at the door: one line and exit 2 for anything out of range.

argparse prints its usage before an error; a value that is not a number or a moment the
figures can use gets one line naming the option instead, and never reaches the arithmetic
(a NaN SLA, or a moment in year 1 that overflows when turned to UTC).
"""

import argparse
import math
import sys
from datetime import UTC, date, datetime

EARLIEST, LATEST = date(1970, 1, 1), date(2999, 12, 31)
MAX_DAYS = 365.0


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (`error: ...`) and exit 2."""

    def error(self, message: str):
        print(f"error: {self.prog}: {message}", file=sys.stderr)
        sys.exit(2)


def days(text: str) -> float:
    """A number of days for an SLA or a window: finite, above 0, at most a year."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not math.isfinite(value) or not 0 < value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number of days above 0 and at "
                                         f"most {MAX_DAYS:g}")
    return value


def day(text: str) -> date:
    """A day, YYYY-MM-DD, between 1970 and 2999."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None
    return _in_range(value, text)


def moment(text: str) -> datetime:
    """An ISO 8601 moment between 1970 and 2999, as naive UTC (without an offset: UTC)."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 moment "
                                         "(e.g. 2025-06-30T12:00:00Z)") from None
    _in_range(value.date(), text)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _in_range(value: date, text: str):
    if not EARLIEST <= value <= LATEST:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a day between {EARLIEST} and "
                                         f"{LATEST}")
    return value
