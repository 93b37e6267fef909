"""Every field of one release: the release.json, the URL, the artifact, the files its commit changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import BindingType

from gimlet_tui.describe import rolled_back_words, state_word
from gimlet_tui.gitops import HistoryEntry, TreeDiff
from gimlet_tui.text import ago, exact_time, safe
from gimlet_tui.tui.keys import DETAILS, bindings
from gimlet_tui.tui.look import Look
from gimlet_tui.tui.screens.diff import DiffScreen
from gimlet_tui.tui.screens.viewer import Viewer
from gimlet_tui.tui.styled import state_label


def _fields(document: Mapping[str, Any], indent: int, text: Text, look: Look) -> None:
    for key, value in document.items():
        text.append(" " * indent + f"{safe(key)}: ", style=look("heading"))
        if isinstance(value, Mapping):
            text.append("\n")
            _fields(value, indent + 2, text, look)
        else:
            text.append(safe(value if isinstance(value, str) else repr(value)) + "\n")


def release_details(entry: HistoryEntry, diff: TreeDiff | None, now: float, look: Look) -> Text:
    """Every field of the release, in the theme's styles."""
    heading = f"{look('heading')} underline"
    text = Text()
    text.append(f"gitops commit  {entry.sha}\n", style=look("heading"))
    text.append(f"committed      {exact_time(entry.committed_at)} ({ago(entry.committed_at, now)})\n")
    text.append(f"by             {safe(entry.author_name)} <{safe(entry.author_email)}>\n")
    text.append(f"message        {safe(entry.subject)}\n")
    text.append("state          ")
    text.append_text(state_label(entry, look) if state_word(entry) else Text(entry.kind.value))
    text.append("\n")
    if entry.rolled_back:
        text.append(f"               {safe(rolled_back_words(entry, now))} (revert {entry.rolled_back_by})\n")
    release = entry.release
    if release is not None:
        if release.problem:
            text.append(f"\nproblem: {safe(release.problem)}\n", style=look("problem"))
        if release.version is not None and release.version.url:
            text.append(f"\nURL            {safe(release.version.url)}\n")
        if release.artifact_id:
            text.append(f"artifact       {safe(release.artifact_id)}\n")
        text.append(f"\n{safe(release.source_path or 'release.json')}\n", style=heading)
        _fields(release.document, 2, text, look)
    deployed = entry.deployed
    if deployed is not None:
        text.append("\nwhat it runs\n", style=heading)
        for image in deployed.images:
            text.append(f"  {safe(image.image)}", style=look("heading"))
            text.append(
                f"  {safe(image.workload)} container {safe(image.container)}{' (init)' if image.init else ''}\n",
                style=look("muted"),
            )
        if deployed.chart:
            text.append(f"  chart {safe(deployed.chart)}\n")
        if deployed.app_version:
            text.append(f"  app version {safe(deployed.app_version)}\n")
        if deployed.problem:
            text.append(f"  manifests: {safe(deployed.problem)}\n", style=look("problem"))
    if diff is not None:
        text.append(f"\nfiles changed by this commit ({len(diff.files)})\n", style=heading)
        for change in diff.files:
            text.append(f"  {change.status[0].upper()} {safe(change.path)} ")
            text.append(f"+{change.added}", style=look("added"))
            text.append(f" -{change.removed}\n", style=look("removed"))
    else:
        text.append("\nfiles changed: still loading\n", style=look("muted"))
    return text


class ReleaseDetails(Viewer):
    """Full details of a release; `d` shows its diff, escape closes, j and k scroll."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(DETAILS)

    def __init__(self, entry: HistoryEntry, diff: TreeDiff | None, now: float) -> None:
        super().__init__(f"release {entry.short}")
        self.entry = entry
        self.diff = diff
        self.now = now

    def body(self, look: Look) -> RenderableType:
        return release_details(self.entry, self.diff, self.now, look)

    def action_diff(self) -> None:
        if self.diff is None:
            self.notify("The diff is still loading.", severity="warning")
            return
        self.app.push_screen(DiffScreen(f"What {self.entry.short} changed", self.diff.patch))
