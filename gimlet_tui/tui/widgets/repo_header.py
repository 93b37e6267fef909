"""The top line: repository, branch, head sha, and when the data was loaded."""

from __future__ import annotations

from textual.widgets import Static

from gimlet_tui.gitops import RepoInfo
from gimlet_tui.text import ago, safe
from gimlet_tui.tui.render import span


class RepoHeader(Static):
    """Shows which repository and branch the screen reflects, and how fresh it is."""

    def show(self, info: RepoInfo, loaded_at: float, now: float, read_only: bool) -> None:
        text = span(" gimlet-tui  ", "bold")
        text.append(safe(info.name), style="bold")
        text.append("  ")
        text.append(safe(info.branch))
        text.append("@")
        text.append(info.head[:10], style="yellow")
        if info.remote:
            text.append("  ")
            text.append(safe(info.remote), style="cyan")
            fetched = ago(info.fetched_at, now) if info.fetched_at else "never"
            text.append(f"  fetched {fetched}", style="dim")
        else:
            text.append(f"  loaded {ago(int(loaded_at), now)}", style="dim")
        if read_only:
            text.append("  READ-ONLY", style="bold reverse")
        self.update(text)
