"""Repository strings as `rich.text.Text`: escaped (never parsed as markup), styled by state."""

from __future__ import annotations

from rich.text import Text

from gimlet_tui.describe import state_word
from gimlet_tui.gitops import HistoryEntry
from gimlet_tui.text import safe

STATE_STYLES = {"DELETED": "bold yellow", "ROLLED BACK": "bold red", "CURRENT": "bold green"}


def literal(value: object, style: str = "") -> Text:
    """Repository text as a `Text`: control characters escaped, markup left as the characters it is."""
    return span(safe(value), style)


def span(text: str, style: str = "") -> Text:
    """A `Text` whose style covers only these characters (a base style would leak into what is appended)."""
    result = Text()
    result.append(text, style=style)
    return result


def state_label(entry: HistoryEntry) -> Text:
    """CURRENT, ROLLED BACK or DELETED, styled (and readable without colour)."""
    word = state_word(entry)
    return span(word, STATE_STYLES.get(word, ""))


def diff_text(diff: str) -> Text:
    """A unified diff, coloured by line, every line escaped."""
    text = Text()
    for line in diff.splitlines():
        style = ""
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("diff --git"):
            style = "bold yellow"
        text.append(safe(line) + "\n", style=style)
    return text
