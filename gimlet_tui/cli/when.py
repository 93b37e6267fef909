"""Reading `--since` and `--until`: a date, a date and time, or an age such as `7d` or `1h30m`."""

from __future__ import annotations

import re
import time
from datetime import datetime

_AGE = re.compile(r"(?:\d+[smhdw])+")
_PART = re.compile(r"(\d+)([smhdw])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
FORMS = (
    "a date (2026-11-01), a date and time (2026-11-01T14:30, 2026-11-01T14:30:00Z), or an age (30m, 12h, 7d, 2w, 1h30m)"
)


def parse_when(text: str, now: float | None = None) -> int:
    """Unix seconds for `text`: an age counts back from now; a date or time without a zone is local time.

    A date alone means its first second (00:00). Raises ValueError naming the accepted forms.
    """
    value = text.strip()
    if _AGE.fullmatch(value):
        seconds = sum(int(count) * _SECONDS[unit] for count, unit in _PART.findall(value))
        return int((time.time() if now is None else now) - seconds)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a time: give {FORMS}") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local time, as a person means it
    return int(moment.timestamp())
