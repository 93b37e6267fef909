"""The detail pane: the selected release in a few lines, and the way to roll back to it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Static

from gimlet_tui.describe import (
    author,
    main_image,
    message,
    ref_label,
    rolled_back_words,
    triggered_by,
    version_sha,
)
from gimlet_tui.gitops import EntryKind, HistoryEntry, NotATarget, TreeDiff, why_not_target
from gimlet_tui.text import ago, exact_time, safe
from gimlet_tui.tui.styled import literal


def summary(entry: HistoryEntry, diff: TreeDiff | None, now: float) -> Text:
    """Four lines about a release: source, URL, time and artifact, files or problem."""
    release = entry.release
    version = release.version if release else None
    text = Text()
    if entry.kind is EntryKind.DELETION:
        text.append(f"{entry.short} deleted the app {ago(entry.committed_at, now)}\n", style="bold yellow")
        text.append_text(literal(entry.subject))
        text.append(f"\nby {safe(entry.author_name)}")
        return text
    if version is not None:
        text.append_text(literal(version.repository_name or "?", "bold"))
        text.append(f"@{version_sha(entry)}  ")
        text.append_text(literal(ref_label(entry), "cyan"))
        text.append("  ")
        text.append_text(literal(f'"{message(entry)}"'))
        text.append(f"  {author(entry)}\n")
        text.append_text(literal(version.url or "", "underline"))
    elif release is None:
        text.append_text(literal(f'"{message(entry)}"'))
        text.append(f"  {author(entry)}\n")
        text.append("no release.json: manifests only (as the Gimlet CLI writes them)", style="dim")
    else:
        text.append("no version in release.json\n", style="dim")
    text.append(f"\n{exact_time(entry.committed_at)}  ", style="dim")
    text.append_text(literal(release.artifact_id if release and release.artifact_id else "", "dim"))
    text.append("\n")
    if main_image(entry):
        text.append("image ", style="dim")
        text.append_text(literal(main_image(entry), "bold"))
        text.append(" · ", style="dim")
    if release is not None and release.problem:
        text.append(f"problem: {safe(release.problem)}", style="bold yellow")
    elif diff is not None:
        added = sum(f.added for f in diff.files)
        removed = sum(f.removed for f in diff.files)
        text.append(f"{len(diff.files)} files changed ")
        text.append(f"+{added} ", style="green")
        text.append(f"-{removed}", style="red")
    if entry.rolled_back:
        text.append("  ")
        text.append_text(literal(rolled_back_words(entry, now), "red"))
    return text


def title(entry: HistoryEntry, now: float) -> str:
    trigger = triggered_by(entry)
    by = f" · by {trigger}" if trigger else ""
    return f"{entry.short} · {ago(entry.committed_at, now)}{by}"


class ReleaseDetail(Vertical):
    """The selected release, with the "Rollback to this version" button (or why it is disabled).

    Below the timeline on narrow terminals; the main screen docks it on the right when wide.
    """

    DEFAULT_CSS = """
    ReleaseDetail {
        dock: bottom;
        height: 7;
        border: round $primary 50%;
        padding: 0 1;
    }
    ReleaseDetail #detail-text {
        height: 4;
    }
    ReleaseDetail #detail-actions {
        height: 1;
    }
    ReleaseDetail #rollback-reason {
        width: 1fr;
    }
    """

    entry: reactive[HistoryEntry | None] = reactive(None)
    diff: reactive[TreeDiff | None] = reactive(None)
    busy: reactive[str | None] = reactive(None)
    rollback_off: reactive[bool] = reactive(False)

    def __init__(
        self, read_only: bool, clock: Callable[[], float], *, forward: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.read_only = read_only  # no button at all
        self.clock = clock
        self.forward = forward  # the key(s) that redeploy, named where a ROLLED BACK release cannot be rolled back to

    def compose(self) -> ComposeResult:
        yield Static(id="detail-text")
        with Horizontal(id="detail-actions"):
            if not self.read_only:
                yield Button("Rollback to this version", id="rollback", variant="warning", compact=True)
            yield Static(id="rollback-reason")

    def on_mount(self) -> None:
        self._show()

    def watch_entry(self) -> None:
        self._show()

    def watch_diff(self) -> None:
        self._show()

    def watch_busy(self) -> None:
        self._show()

    def watch_rollback_off(self) -> None:
        self._show()

    def _show(self) -> None:
        if not self.is_mounted:
            return
        entry, now = self.entry, self.clock()
        text = self.query_one("#detail-text", Static)
        reason = self.query_one("#rollback-reason", Static)
        if entry is None:
            self.border_title = "no release"
            text.update(Text("Nothing selected.", style="dim"))
            blocker: str | None = "no release selected"
        else:
            self.border_title = Text(title(entry, now))  # a Text: "triggeredBy" is never read as markup
            text.update(summary(entry, self.diff, now))
            refusal = why_not_target(entry)
            blocker = refusal.value if refusal else None
            if refusal is NotATarget.ROLLED_BACK and self.forward:
                blocker = forward_words(self.forward)
        if self.read_only:
            reason.update(Text("read-only: rollback is off", style="dim"))
            return
        button = self.query_one("#rollback", Button)
        button.display = not self.rollback_off
        if self.rollback_off:
            reason.update(Text("read-only env: rollback is off here", style="dim"))
            return
        button.disabled = blocker is not None or self.busy is not None
        reason.update(
            Text(self.busy or (f"  {blocker}" if blocker else "  r  y"), style="dim" if not self.busy else "bold")
        )


def forward_words(forward: str) -> str:
    """Why a ROLLED BACK release cannot be rolled back to, and the key that rolls forward instead."""
    return f"already rolled back; {forward} redeploys it (roll forward)"
