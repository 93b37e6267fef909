"""The top line: repository, branch, head sha, and when the data was loaded."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from gimlet_tui.gitops import RepoInfo
from gimlet_tui.text import ago, safe
from gimlet_tui.tui.look import Look, look_of
from gimlet_tui.tui.styled import span


class RepoHeader(Static):
    """Shows which repository and branch the screen reflects, and how fresh it is."""

    DEFAULT_CSS = """
    RepoHeader {
        height: 1;
        background: $panel;
    }
    """

    info: reactive[RepoInfo | None] = reactive(None, repaint=False)
    loaded_at: reactive[float] = reactive(0.0, repaint=False)
    rollback_off: reactive[bool] = reactive(False, repaint=False)

    def __init__(self, clock: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock

    def on_mount(self) -> None:
        self.set_interval(30, self.tick)

    def tick(self) -> None:
        """Show the ages again (they grow while the app stays open)."""
        self.show()

    def watch_info(self) -> None:
        self.show()

    def watch_loaded_at(self) -> None:
        self.show()  # it may arrive after info: else "loaded 57 years ago" until the next tick

    def watch_rollback_off(self) -> None:
        self.show()

    def show(self) -> None:
        info = self.info
        if info is None:
            return
        now, look = self.clock(), look_of(self.app)
        text = span(" gimlet-tui  ", "bold")
        text.append(safe(info.name), style="bold")
        text.append("  ")
        text.append(safe(info.branch))
        text.append("@")
        text.append(info.head[:10], style=look("sha"))
        if info.remote:
            text.append("  ")
            text.append(safe(info.remote), style=look("ref"))
            fetched = ago(info.fetched_at, now) if info.fetched_at else "never"
            text.append(f"  fetched {fetched}", style=look("muted"))
        elif info.upstream:
            text.append("  ")
            text.append_text(upstream_words(info, look))
            fetched = ago(info.fetched_at, now) if info.fetched_at else "never"
            text.append(f"  fetched {fetched}", style=look("muted"))
        else:
            text.append(f"  loaded {ago(int(self.loaded_at), now)}", style=look("muted"))
        if self.rollback_off:
            text.append("  READ-ONLY", style="bold reverse")
        self.update(text)


def upstream_words(info: RepoInfo, look: Look) -> Text:
    """How the branch stands against its upstream, as of the last fetch: "2 ahead of origin/main", ..."""
    upstream = safe(info.upstream)
    if info.ahead and info.behind:
        return span(f"{info.ahead} ahead, {info.behind} behind {upstream}", look("busy"))
    if info.ahead:
        return span(f"{info.ahead} ahead of {upstream} (not pushed)", look("busy"))
    if info.behind:
        return span(f"{info.behind} behind {upstream}", look("sha"))
    return span(f"level with {upstream}", look("ref"))
