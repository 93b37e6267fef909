"""The TUI's text styles by role, from the active theme, each readable at WCAG AA (4.5:1) on the backgrounds it meets.

A role (CURRENT, ROLLED BACK, a sha, a removed line...) takes the theme's text colour for its meaning,
moved towards the theme's foreground until it reaches 4.5:1 on every background the TUI draws text on
(the screen, panels, zebra rows), so a theme chosen in the palette stays readable. With NO_COLOR there
is no colour to lean on: roles become bold, reverse or underline, and the words say the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from weakref import WeakKeyDictionary

from textual.color import Color

AA = 4.6  # WCAG AA is 4.5; a little margin for the terminal's rounding

# role -> (theme variable of its colour, text style), and its style without colour
ROLES: dict[str, tuple[str, str, str]] = {
    "current": ("text-success", "bold", "bold reverse"),
    "rolled_back": ("text-error", "bold", "bold"),
    "deleted": ("text-warning", "bold", "bold"),
    "problem": ("text-warning", "bold", "bold"),
    "sha": ("text-warning", "", ""),
    "version": ("text-primary", "", ""),
    "ref": ("text-primary", "", ""),
    "added": ("text-success", "", ""),
    "removed": ("text-error", "", ""),
    "hunk": ("text-primary", "", ""),
    "file": ("text-warning", "bold", "bold"),
    "muted": ("foreground", "", ""),  # secondary text: the foreground, faded as far as AA allows
    "link": ("text-primary", "underline", "underline"),
    "heading": ("foreground", "bold", "bold"),
    "busy": ("text-warning", "bold", "bold"),
    "off": ("foreground", "", ""),  # what is switched off here (read-only)
}
BACKGROUNDS = ("background", "surface", "panel", "surface-lighten-1")  # where the TUI writes text
MUTED = 0.6  # how far secondary text fades towards the background, if it stays readable


class Themed(Protocol):
    """What `look` needs of the app: its theme's name, its CSS variables and NO_COLOR."""

    theme: str
    no_color: bool

    def get_css_variables(self) -> dict[str, str]: ...


def contrast(a: Color, b: Color) -> float:
    """The WCAG 2 contrast ratio of two opaque colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def legible(color: Color, backgrounds: list[Color], towards: Color) -> Color:
    """`color`, moved towards `towards` (the theme's foreground) just enough to reach AA on every background."""
    for step in range(21):
        candidate = color.blend(towards, step / 20)
        if all(contrast(candidate, background) >= AA for background in backgrounds):
            return candidate
    return towards


@dataclass(frozen=True)
class Look:
    """Rich style strings by role for one theme (or for NO_COLOR)."""

    styles: dict[str, str]

    def __call__(self, role: str) -> str:
        return self.styles[role]


def look_of(app: Themed) -> Look:
    """The styles for the app's theme now (computed once per theme).

    Asking Textual for the theme's variables costs about half a millisecond, and a timeline asks for
    every row it writes: the answer is kept per app until its theme (or NO_COLOR) changes. (A theme
    registered again under the same name with other colours would not be seen; the app never does that.)
    """
    key = (app.theme, app.no_color)
    kept = _latest.get(app)
    if kept is not None and kept[0] == key:
        return kept[1]
    look = _look(app.theme, app.no_color, tuple(sorted(app.get_css_variables().items())))
    _latest[app] = (key, look)
    return look


_latest: WeakKeyDictionary[Themed, tuple[tuple[str, bool], Look]] = WeakKeyDictionary()


@lru_cache(maxsize=8)
def _look(theme: str, no_color: bool, variables: tuple[tuple[str, str], ...]) -> Look:
    if no_color:
        return Look({role: plain for role, (_, _, plain) in ROLES.items()})
    found = dict(variables)

    def parse(name: str, default: str) -> Color:
        try:
            return Color.parse(found.get(name, default))
        except Exception:  # an unusual value (e.g. "auto 60%"): the default
            return Color.parse(default)

    foreground = parse("foreground", "#e0e0e0")
    backgrounds = [parse(name, "#121212") for name in BACKGROUNDS]
    styles: dict[str, str] = {}
    for role, (variable, text_style, _) in ROLES.items():
        base = parse(variable, found.get("foreground", "#e0e0e0"))
        if role == "muted":
            base = foreground.blend(backgrounds[0], MUTED)
        colour = legible(base.with_alpha(1.0), backgrounds, foreground)
        styles[role] = f"{text_style} {colour.hex}".strip()
    return Look(styles)
