"""Repository strings as `rich.text.Text`: escaped (never parsed as markup), styled by role (see `look`)."""

from __future__ import annotations

from rich.text import Text

from gimlet_tui.describe import state_word
from gimlet_tui.gitops import HistoryEntry
from gimlet_tui.text import safe
from gimlet_tui.tui.look import Look

STATE_ROLES = {"DELETED": "deleted", "ROLLED BACK": "rolled_back", "CURRENT": "current"}


def literal(value: object, style: str = "") -> Text:
    """Repository text as a `Text`: control characters escaped, markup left as the characters it is."""
    return span(safe(value), style)


def span(text: str, style: str = "") -> Text:
    """A `Text` whose style covers only these characters (a base style would leak into what is appended)."""
    result = Text()
    result.append(text, style=style)
    return result


def state_label(entry: HistoryEntry, look: Look) -> Text:
    """CURRENT, ROLLED BACK or DELETED, styled (and readable without colour: reverse, bold)."""
    word = state_word(entry)
    return span(word, look(STATE_ROLES[word]) if word in STATE_ROLES else "")


def diff_text(diff: str, look: Look) -> Text:
    """A unified diff, coloured by line, every line escaped."""
    text = Text()
    for line in diff.splitlines():
        style = ""
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = look("added")
        elif line.startswith("-"):
            style = look("removed")
        elif line.startswith("@@"):
            style = look("hunk")
        elif line.startswith("diff --git"):
            style = look("file")
        text.append(safe(line) + "\n", style=style)
    return text
