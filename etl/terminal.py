"""Text from an export, made safe to print on a terminal.

An export value may hold escape sequences (`\\x1b[2J` clears the screen, others retitle the
window or fake a prompt). Whatever the ETL prints that may come from an export goes through
`escaped`, which shows every control character as a Python escape instead of sending it.
"""

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escaped(text: str) -> str:
    r"""Control characters (newlines too) as escapes.

    >>> escaped("Ann\x1b[31m\nB")
    'Ann\\x1b[31m\\nB'
    """
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
