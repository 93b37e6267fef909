"""Repository strings turned into `rich.text.Text`: escaped (never parsed as markup), styled by state."""

from __future__ import annotations

from rich.text import Text

from gimlet_tui.gitops import EntryKind, HistoryEntry
from gimlet_tui.text import one_line, safe


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
    if entry.kind is EntryKind.DELETION:
        return span("DELETED", "bold yellow")
    if entry.rolled_back:
        return span("ROLLED BACK", "bold red")
    if entry.current:
        return span("CURRENT", "bold green")
    return Text("")


def version_sha(entry: HistoryEntry) -> str:
    version = entry.release.version if entry.release else None
    return safe((version.sha or "")[:8]) if version else ""


def message(entry: HistoryEntry) -> str:
    """The deployed commit's message on one line, or the gitops commit's subject."""
    version = entry.release.version if entry.release else None
    if version is not None and version.message:
        return one_line(version.message)
    return one_line(entry.subject)


def ref_label(entry: HistoryEntry) -> str:
    version = entry.release.version if entry.release else None
    return safe(version.ref_label) if version else ""


def triggered_by(entry: HistoryEntry) -> str:
    return safe(entry.release.triggered_by) if entry.release and entry.release.triggered_by else ""


def author(entry: HistoryEntry) -> str:
    version = entry.release.version if entry.release else None
    return one_line(version.author_name) if version and version.author_name else one_line(entry.author_name)


def rollback_blocker(entry: HistoryEntry | None) -> str | None:
    """Why this entry cannot be a rollback target, or None when it can."""
    if entry is None:
        return "no release selected"
    if entry.kind is EntryKind.DELETION:
        return "a deletion is not a release"
    if entry.kind is EntryKind.REVERT:
        return "a revert commit is not a release"
    if entry.rolled_back:
        return "already rolled back: roll forward instead"
    if entry.current:
        return "this is the current release"
    return None


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


def main_image(entry: HistoryEntry) -> str:
    """The main container image of a release, or ""."""
    image = entry.deployed.main_image if entry.deployed else None
    return safe(image.image) if image else ""


def image_tag(entry: HistoryEntry) -> str:
    image = entry.deployed.main_image if entry.deployed else None
    return safe(image.tag) if image else ""
