"""Reading an export's JSON without letting a hostile file take the load down.

Python's decoder alone turns a 5,000-digit integer into a ValueError deep inside its scanner, a
lone surrogate escape (`\\ud800`) into text that cannot be written anywhere, and a 29 KB file of
ten million empty objects into a gigabyte of memory. `values()` refuses each of those before it
decodes anything, with one line naming the file. The limits (docs/limits.md) come from the
environment, read at each call so that a test or an operator can change them.
"""

import json
import re
from collections.abc import Iterator

from etl.contract import ExportError, LimitExceeded
from etl.limits import limit

_WHITESPACE = re.compile(r"\s*")
# a \u escape of a surrogate, preceded by an even number of backslashes (so not itself escaped)
_SURROGATE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89a-fA-F][0-9a-fA-F]{2})")


class _TooManyDigits(Exception):
    pass


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > limit("CX_JSON_MAX_DIGITS"):
        raise _TooManyDigits(len(digits.lstrip("-")))
    return int(digits)


def check_text(text: str, name: str) -> None:
    """Refuse, before decoding, what the decoder would turn into a crash or a memory blow-up."""
    containers = text.count("{") + text.count("[")  # an upper bound: brackets in strings count
    most = limit("CX_JSON_MAX_CONTAINERS")
    if containers > most:
        raise LimitExceeded(f"{name}: more than {most:,} JSON objects and arrays (limit "
                          "CX_JSON_MAX_CONTAINERS); split the export or raise the limit")
    check_surrogates(text, name)


def check_surrogates(text: str, name: str) -> None:
    """A `\\uD800`-`\\uDFFF` escape must be a high one directly followed by a low one."""
    expect_low_at = None
    for match in _SURROGATE.finditer(text):
        code = int(match.group(2), 16)
        escape_at = match.start() + len(match.group(1))
        if code >= 0xDC00:
            if escape_at != expect_low_at:
                raise ExportError(f"{name}: not valid JSON (a lone surrogate escape "
                                  f"\\u{match.group(2)} at line {_line(text, escape_at)})")
            expect_low_at = None
            continue
        if expect_low_at is not None:
            raise ExportError(f"{name}: not valid JSON (a lone surrogate escape at line "
                              f"{_line(text, expect_low_at - 6)})")
        expect_low_at = match.end()
    if expect_low_at is not None:
        raise ExportError(f"{name}: not valid JSON (a lone surrogate escape at line "
                          f"{_line(text, expect_low_at - 6)})")


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def values(text: str, name: str) -> Iterator[object]:
    """The JSON values of a text written back to back (pages, JSON lines), one at a time, or an
    ExportError naming the file. Line numbers count "\\r\\n", "\\r" and "\\n" alike.

    >>> list(values('[1][2]\\n{"a": 3}', "x.json"))
    [[1], [2], {'a': 3}]
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_text(text, name)
    decoder, position = json.JSONDecoder(parse_int=_integer), 0
    while (position := _skip_whitespace(text, position)) < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ExportError(f"{name}: not valid JSON (line {error.lineno}, column "
                              f"{error.colno})") from None
        except RecursionError:
            raise LimitExceeded(f"{name}: JSON nested too deeply to read") from None
        except _TooManyDigits as error:
            raise LimitExceeded(f"{name}: a JSON number of {error.args[0]:,} digits (limit "
                              "CX_JSON_MAX_DIGITS)") from None
        yield value


def loads(text: str, name: str) -> object:
    """One JSON document (`json.loads`), read with the same limits as `values`."""
    found = list(values(text, name))
    if len(found) != 1:
        raise ExportError(f"{name}: not valid JSON (expected one value, found {len(found)})")
    return found[0]


def _skip_whitespace(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)  # matches the empty string too
    return match.end() if match else position
