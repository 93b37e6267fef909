"""Text from the repository made safe to show: control and format characters spelled out, never sent raw.

Commit messages and release.json fields can hold escape sequences (which a terminal would act on)
or bidirectional overrides (which reorder what a reader sees). Both faces pass every repository
string through `safe` before showing it. Rich markup needs no escaping here: the CLI prints plain
text and the TUI builds `rich.text.Text`, which never parses markup.
"""

from __future__ import annotations

import time
import unicodedata
from datetime import UTC, datetime


def _escape(char: str) -> str:
    code = ord(char)
    if char == "\t":
        return "\\t"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe(value: object) -> str:
    """`value` as text with every control or format character (Cc, Cf, line separators) escaped."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(
        char if char == " " or unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp") else _escape(char)
        for char in text
    )


def one_line(value: object) -> str:
    """A message on one line: whitespace runs (newlines included) become one space, then `safe`."""
    text = "" if value is None else str(value)
    return safe(" ".join(text.split()))


def ago(timestamp: int | None, now: float | None = None) -> str:
    """ "just now", "3 hours ago", "1 week ago"; `now` pins the clock (tests, snapshots)."""
    if timestamp is None:
        return "never"
    now = time.time() if now is None else now
    delta = now - timestamp
    if -60 < delta < 45:
        return "just now"
    # Imported here for start-up time: only where a relative time is shown.
    import humanize

    when = datetime.fromtimestamp(timestamp, tz=UTC)
    reference = datetime.fromtimestamp(now, tz=UTC)
    if delta >= 7 * 86400 and delta < 30 * 86400:
        weeks = int(delta // (7 * 86400))
        return f"{weeks} week{'s' if weeks > 1 else ''} ago"
    return humanize.naturaltime(when, when=reference)


def exact_time(timestamp: int) -> str:
    """The exact time in UTC, for when relative is not enough."""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def short_ago(timestamp: int | None, now: float | None = None) -> str:
    """A compact age for narrow columns: "now", "5m", "3h", "2d", "1w", "4mo", "2y"."""
    if timestamp is None:
        return ""
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
