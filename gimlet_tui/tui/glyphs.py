"""The TUI's own symbols, with ASCII stand-ins when the locale does not speak UTF-8.

A terminal in the C or POSIX locale (a rescue shell, an old serial console, `LANG=C ssh ...`) may show
block and arrow characters as garbage. Python turns the C locale into C.UTF-8 for itself (PEP 538);
that says nothing of the terminal, so the locale the user set is read before that coercion.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Glyphs:
    ellipsis: str
    problem: str  # after a release whose release.json has a problem
    rolled_back_by: str  # leads the second line of a ROLLED BACK row
    release: str  # the recent-deploys bar: one per deploy, by state (shape, not only colour)
    current: str
    rolled_back: str
    deleted: str
    chosen: str  # under the chosen deploy of the bar
    arrow: str  # "from -> to"


UNICODE = Glyphs("…", "⚠", "↳", "▄", "█", "╳", "░", "▲", "→")
ASCII = Glyphs("...", "!", "->", "o", "#", "x", ".", "^", "->")


def locale_is_utf8(environ: dict[str, str] | None = None) -> bool:
    """True when the user's locale (LC_ALL, else LC_CTYPE, else LANG) names UTF-8."""
    env = os.environ if environ is None else environ
    ctype = env.get("LC_CTYPE", "")
    lang = env.get("LANG", "")
    if ctype == "C.UTF-8" and lang in ("", "C", "POSIX") and not env.get("LC_ALL"):
        ctype = ""  # most likely Python's own coercion of the C locale, not the user's choice
    value = env.get("LC_ALL") or ctype or lang
    return "utf-8" in value.lower() or "utf8" in value.lower()


def glyphs() -> Glyphs:
    return UNICODE if locale_is_utf8() else ASCII
