"""Every field of one release: the release.json, the URL, the artifact, the files its commit changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType

from gimlet_tui.describe import rolled_back_words
from gimlet_tui.gitops import HistoryEntry, TreeDiff
from gimlet_tui.text import ago, exact_time, safe
from gimlet_tui.tui.keys import DETAILS, bindings
from gimlet_tui.tui.screens.diff import DiffScreen
from gimlet_tui.tui.screens.viewer import Viewer


def _fields(document: Mapping[str, Any], indent: int, text: Text) -> None:
    for key, value in document.items():
        text.append(" " * indent + f"{safe(key)}: ", style="bold")
        if isinstance(value, Mapping):
            text.append("\n")
            _fields(value, indent + 2, text)
        else:
            text.append(safe(value if isinstance(value, str) else repr(value)) + "\n")


def release_details(entry: HistoryEntry, diff: TreeDiff | None, now: float) -> Text:
    text = Text()
    text.append(f"gitops commit  {entry.sha}\n", style="bold")
    text.append(f"committed      {exact_time(entry.committed_at)} ({ago(entry.committed_at, now)})\n")
    text.append(f"by             {safe(entry.author_name)} <{safe(entry.author_email)}>\n")
    text.append(f"message        {safe(entry.subject)}\n")
    state = "ROLLED BACK" if entry.rolled_back else "CURRENT" if entry.current else entry.kind.value
    text.append(f"state          {state}\n")
    if entry.rolled_back:
        text.append(f"rolled back   {safe(rolled_back_words(entry, now).removeprefix('rolled back '))}\n", style="red")
        text.append(f"  by commit    {entry.rolled_back_by}\n", style="red")
    release = entry.release
    if release is not None:
        if release.problem:
            text.append(f"\nproblem: {safe(release.problem)}\n", style="bold yellow")
        if release.version is not None and release.version.url:
            text.append(f"\nURL            {safe(release.version.url)}\n")
        if release.artifact_id:
            text.append(f"artifact       {safe(release.artifact_id)}\n")
        text.append(f"\n{safe(release.source_path or 'release.json')}\n", style="bold underline")
        _fields(release.document, 2, text)
    deployed = entry.deployed
    if deployed is not None:
        text.append("\nwhat it runs\n", style="bold underline")
        for image in deployed.images:
            text.append(f"  {safe(image.image)}", style="bold")
            text.append(
                f"  {safe(image.workload)} container {safe(image.container)}{' (init)' if image.init else ''}\n",
                style="dim",
            )
        if deployed.chart:
            text.append(f"  chart {safe(deployed.chart)}\n")
        if deployed.app_version:
            text.append(f"  app version {safe(deployed.app_version)}\n")
        if deployed.problem:
            text.append(f"  manifests: {safe(deployed.problem)}\n", style="yellow")
    if diff is not None:
        text.append(f"\nfiles changed by this commit ({len(diff.files)})\n", style="bold underline")
        for change in diff.files:
            text.append(f"  {change.status[0].upper()} {safe(change.path)} ")
            text.append(f"+{change.added}", style="green")
            text.append(f" -{change.removed}\n", style="red")
    else:
        text.append("\nfiles changed: loading…\n", style="dim")
    return text


class ReleaseDetails(Viewer):
    """Full details of a release; `d` shows its diff, escape closes, j and k scroll."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(DETAILS)

    def __init__(self, entry: HistoryEntry, diff: TreeDiff | None, now: float) -> None:
        super().__init__(f"release {entry.short}", release_details(entry, diff, now))
        self.entry = entry
        self.diff = diff

    def action_diff(self) -> None:
        if self.diff is None:
            self.notify("The diff is still loading.", severity="warning")
            return
        self.app.push_screen(DiffScreen(f"What {self.entry.short} changed", self.diff.patch))
