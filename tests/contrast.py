"""WCAG contrast of what the TUI draws, measured on the cells Textual renders (theme and filters applied).

Each cell of the screen comes with the colours the terminal is told to use, after Textual's line
filters (the theme's ANSI colours made RGB; greys with NO_COLOR). Text cells are measured against
their own background with the WCAG 2 formula; box drawing, block elements and blanks are not text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from textual.app import App
from textual.geometry import Region

AA = 4.5


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(color: Color | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if color is None or color.is_default:
        return default
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def is_text(char: str) -> bool:
    """Letters, digits and punctuation; not blanks, box drawing, block elements or scrollbar parts."""
    code = ord(char)
    return not char.isspace() and not (0x2500 <= code <= 0x259F) and char not in "▔▁▂▃▄▅▆▇█▉▊▋▌▍▎▏"


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    text: str
    fg: tuple[int, int, int]
    bg: tuple[int, int, int]

    @property
    def ratio(self) -> float:
        return ratio(self.fg, self.bg)


def cells(app: App[object], region: Region | None = None, text_only: bool = True) -> Iterator[Cell]:
    """Every run of text cells on screen (inside `region`), with the colours the terminal would show.

    Reverse swaps the colours; dim is counted as the foreground half way to the background (what
    terminals roughly do), so dim text has to earn its contrast too.
    """
    update = app.screen._compositor.render_full_update()
    default_fg, default_bg = (255, 255, 255), (0, 0, 0)
    for y, line in enumerate(update.strips):
        x = 0
        for strip in line:
            for segment in strip:
                text, style, control = Segment(*segment)
                if control:
                    continue
                width = cell_len(text)
                if style is not None and text and (not text_only or any(is_text(c) for c in text)):
                    fg, bg = _rgb(style.color, default_fg), _rgb(style.bgcolor, default_bg)
                    if style.reverse:
                        fg, bg = bg, fg
                    if style.dim:
                        fg = tuple((f + b) // 2 for f, b in zip(fg, bg, strict=True))  # type: ignore[assignment]
                    if region is None or region.contains(x, y):
                        yield Cell(x, y, text, fg, bg)
                x += width


LARGE_OR_INACTIVE = 3.0  # WCAG's floor for what 1.4.3 exempts; kept so that disabled keys stay legible


def failures(app: App[object], region: Region | None = None) -> list[str]:
    """Text on screen below AA, each as 'ratio text fg bg' for a readable assertion.

    Disabled controls (greyed footer keys) are exempt from AA by WCAG 1.4.3 ("part of an inactive user
    interface component"); they must still reach 3:1.
    """
    inactive = [key.region for key in app.screen.query("FooterKey.-disabled")]
    found = set()
    for cell in cells(app, region):
        minimum = LARGE_OR_INACTIVE if any(r.contains(cell.x, cell.y) for r in inactive) else AA
        if cell.ratio < minimum:
            found.add(f"{cell.ratio:.2f} {cell.text.strip()!r} fg={cell.fg} bg={cell.bg}")
    return sorted(found)


def screen_lines(app: App[object]) -> list[str]:
    """The screen as text, one string per row (what a person reads)."""
    lines: dict[int, list[tuple[int, str]]] = {}
    for cell in cells(app, text_only=False):
        lines.setdefault(cell.y, []).append((cell.x, cell.text))
    return ["".join(text for _, text in sorted(lines.get(y, []))) for y in range(app.size.height)]
