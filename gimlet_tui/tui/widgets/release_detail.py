"""The detail pane: the selected release in a few lines, and the way to roll back to it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.visual import VisualType
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
from gimlet_tui.tui.glyphs import glyphs
from gimlet_tui.tui.look import Look, look_of
from gimlet_tui.tui.styled import literal


def summary(entry: HistoryEntry, diff: TreeDiff | None, now: float, look: Look) -> Text:
    """Four lines about a release, each cut with an ellipsis rather than wrapped (so none is ever lost).

    The version (repository, sha, ref, message, author); its URL; what runs (image, files changed, or
    the release's problem); who rolled it back and when, or when it was released and its artifact.
    """
    release = entry.release
    version = release.version if release else None
    muted = look("muted")
    text = Text(no_wrap=True, overflow="ellipsis")
    if entry.kind is EntryKind.DELETION:
        text.append(f"{entry.short} deleted the app {ago(entry.committed_at, now)}\n", style=look("deleted"))
        text.append_text(literal(entry.subject))
        text.append(f"\nby {safe(entry.author_name)}")
        return text
    if version is not None:
        text.append_text(literal(version.repository_name or "?", look("heading")))
        text.append("@")
        text.append(version_sha(entry), style=look("version"))
        text.append("  ")
        text.append_text(literal(ref_label(entry), look("ref")))
        text.append("  ")
        text.append_text(literal(f'"{message(entry)}"'))
        text.append(f"  {author(entry)}\n")
        text.append_text(literal(version.url or "(no URL in release.json)", look("link") if version.url else muted))
    elif release is None:
        text.append_text(literal(f'"{message(entry)}"'))
        text.append(f"  {author(entry)}\n")
        text.append("no release.json: manifests only (as the Gimlet CLI writes them)", style=muted)
    else:
        text.append("no version in release.json", style=muted)
    text.append("\n")
    if main_image(entry):
        text.append("image ", style=muted)
        text.append_text(literal(main_image(entry), look("heading")))
        text.append(" · ", style=muted)
    if release is not None and release.problem:
        text.append(f"problem: {safe(release.problem)}", style=look("problem"))
    elif diff is not None:
        text.append(f"{len(diff.files)} files changed ")
        text.append(f"+{sum(f.added for f in diff.files)} ", style=look("added"))
        text.append(f"-{sum(f.removed for f in diff.files)}", style=look("removed"))
    text.append("\n")
    if entry.rolled_back:
        text.append(f"{glyphs().rolled_back_by} {safe(rolled_back_words(entry, now))}", style=look("rolled_back"))
        text.append(f"  revert {(entry.rolled_back_by or '')[:10]}", style=muted)
    else:
        text.append(exact_time(entry.committed_at), style=muted)
        if release is not None and release.artifact_id:
            text.append("  ")
            text.append_text(literal(release.artifact_id, muted))
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
        border-title-color: $foreground;
        padding: 0 1;
    }
    ReleaseDetail:focus-within {
        border: round $accent;
    }
    ReleaseDetail #detail-text {
        height: 4;
        text-wrap: nowrap;  /* a long URL is cut with an ellipsis: the lines below it stay */
        text-overflow: ellipsis;
    }
    ReleaseDetail #detail-actions {
        height: 1;
    }
    ReleaseDetail #rollback-reason {
        width: 1fr;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    /* Disabled looks switched off: no fill, plain text (still readable), unlike the filled warning. */
    ReleaseDetail #rollback:disabled {
        background: transparent;
        color: $foreground;
        text-opacity: 1;
        text-style: none;
    }
    """

    entry: reactive[HistoryEntry | None] = reactive(None, repaint=False)
    diff: reactive[TreeDiff | None] = reactive(None, repaint=False)
    busy: reactive[str | None] = reactive(None, repaint=False)
    rollback_off: reactive[bool] = reactive(False, repaint=False)

    def __init__(
        self, read_only: bool, clock: Callable[[], float], *, forward: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.read_only = read_only  # no button at all
        self.clock = clock
        self.forward = forward  # the key(s) that redeploy, named where a ROLLED BACK release cannot be rolled back to

    def compose(self) -> ComposeResult:
        yield BoxedText(id="detail-text")
        with Horizontal(id="detail-actions"):
            if not self.read_only:
                yield Button("Rollback to this version", id="rollback", variant="warning", compact=True)
            yield BoxedText(id="rollback-reason")

    def on_mount(self) -> None:
        self._show()

    # Bound values arrive even when unchanged (Textual's data_bind always calls the watchers): the
    # same release or diff again, already written by `show`, is not written twice.
    def watch_entry(self, old: HistoryEntry | None, new: HistoryEntry | None) -> None:
        if new is not old:
            self._show()

    def watch_diff(self, old: TreeDiff | None, new: TreeDiff | None) -> None:
        if new is not old:
            self._show()

    def watch_busy(self) -> None:
        self._show()

    def watch_rollback_off(self) -> None:
        self._show()

    def show(self, entry: HistoryEntry | None, diff: TreeDiff | None) -> None:
        """This release and its diff, written once (the bound values then arrive unchanged)."""
        self.set_reactive(ReleaseDetail.entry, entry)
        self.set_reactive(ReleaseDetail.diff, diff)
        self._show()

    def refresh_time(self) -> None:
        """Write the ages again (the screen calls this every minute)."""
        self._show()

    def _show(self) -> None:
        if not self.is_mounted:
            return
        entry, now, look = self.entry, self.clock(), look_of(self.app)
        text = self.query_one("#detail-text", BoxedText)
        reason = self.query_one("#rollback-reason", BoxedText)
        if entry is None:
            self.border_title = "no release"
            text.update(Text("Nothing selected.", style=look("muted")))
            blocker: str | None = "no release selected"
        else:
            self.border_title = Text(title(entry, now))  # a Text: "triggeredBy" is never read as markup
            text.update(summary(entry, self.diff, now, look))
            refusal = why_not_target(entry)
            blocker = refusal.value if refusal else None
            if refusal is NotATarget.ROLLED_BACK and self.forward:
                blocker = forward_words(self.forward)
        if self.read_only:
            reason.update(Text("read-only: rollback is off", style=look("off")))
            return
        button = self.query_one("#rollback", Button)
        button.display = not self.rollback_off
        if self.rollback_off:
            reason.update(Text("read-only env: rollback is off here", style=look("off")))
            return
        button.disabled = blocker is not None or self.busy is not None
        if self.busy:
            reason.update(Text(f"  {self.busy}", style=look("busy")))
        else:
            reason.update(Text(f"  off: {blocker}" if blocker else "  r, then y to confirm", style=look("muted")))


class BoxedText(Static):
    """A Static whose text is replaced without laying the screen out again when its box has a fixed
    size (the text's height here, except beside the timeline on a wide terminal, where it grows with
    what it says): a new layout is a full repaint, most of what a cursor move cost."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        width, height = self.styles.width, self.styles.height
        fixed = height is not None and not height.is_auto and (width is None or not width.is_auto)
        super().update(content, layout=layout and not fixed)


def forward_words(forward: str) -> str:
    """Why a ROLLED BACK release cannot be rolled back to, and the key that rolls forward instead."""
    return f"already rolled back; {forward} rolls forward to it"
