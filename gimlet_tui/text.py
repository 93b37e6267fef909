"""Text from the repository made safe to show: control and format characters spelled out, never sent raw.

Commit messages and release.json fields can hold escape sequences (which a terminal would act on)
or bidirectional overrides (which reorder what a reader sees); file names can hold bytes that are
not UTF-8 (a lone 0x9b is an 8-bit CSI), which Python carries as lone surrogates that no strict
encoder accepts. Both faces pass every repository string through `safe` before showing it. Rich
markup needs no escaping here: the CLI prints plain text and the TUI builds `rich.text.Text`, which
never parses markup. Times from the repository can be anything: the time functions never raise.
"""

from __future__ import annotations

import time
import unicodedata
from datetime import UTC, datetime

_HIDDEN = ("Cc", "Cf", "Zl", "Zp", "Cs")  # controls, format characters, line separators, lone surrogates
# The times Python can show: 0001-01-01 to 9999-12-31 (UTC). A commit or release.json may say anything.
MIN_TIME = -62_135_596_800
MAX_TIME = 253_402_300_799


def _escape(char: str) -> str:
    code = ord(char)
    if char == "\t":
        return "\\t"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, carried by Python's surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe(value: object) -> str:
    """`value` as text with every control or format character, line separator and lone surrogate escaped.

    What comes out can be encoded by any UTF-8 encoder and holds nothing a terminal acts on.
    """
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(char if char == " " or unicodedata.category(char) not in _HIDDEN else _escape(char) for char in text)


def one_line(value: object) -> str:
    """A message on one line: whitespace runs (newlines included) become one space, then `safe`."""
    text = "" if value is None else str(value)
    return safe(" ".join(text.split()))


def readable_time(timestamp: int | None) -> bool:
    """True for a time that can be shown as a date (years 1 to 9999)."""
    return timestamp is not None and MIN_TIME <= timestamp <= MAX_TIME


def ago(timestamp: int | None, now: float | None = None) -> str:
    """ "just now", "3 hours ago", "1 week ago"; `now` pins the clock (tests, snapshots)."""
    if timestamp is None:
        return "never"
    if not readable_time(timestamp):
        return UNREADABLE_TIME
    now = time.time() if now is None else now
    delta = now - timestamp
    if -60 < delta < 45:
        return "just now"
    if delta >= 7 * 86400 and delta < 30 * 86400:
        weeks = int(delta // (7 * 86400))
        return f"{weeks} week{'s' if weeks > 1 else ''} ago"
    # Imported here for start-up time: only where a relative time is shown.
    import humanize

    try:
        return humanize.naturaltime(datetime.fromtimestamp(timestamp, tz=UTC), when=datetime.fromtimestamp(now, tz=UTC))
    except (ValueError, OverflowError, OSError):  # at the edges of what a datetime holds
        return exact_time(timestamp)


UNREADABLE_TIME = "an impossible date"


def exact_time(timestamp: int) -> str:
    """The exact time in UTC, for when relative is not enough."""
    if not readable_time(timestamp):
        return f"{UNREADABLE_TIME} ({timestamp} seconds)"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def short_ago(timestamp: int | None, now: float | None = None) -> str:
    """A compact age for narrow columns: "now", "5m", "3h", "2d", "1w", "4mo", "2y"."""
    if timestamp is None:
        return ""
    if not readable_time(timestamp):
        return "?"
    delta = max(0, (time.time() if now is None else now) - timestamp)
    for unit, seconds in (
        ("y", 365 * 86400),
        ("mo", 30 * 86400),
        ("w", 7 * 86400),
        ("d", 86400),
        ("h", 3600),
        ("m", 60),
    ):
        if delta >= seconds:
            return f"{int(delta // seconds)}{unit}"
    return "now"
