"""The main screen's state and the helpers its parts share (`RollbackFlow`, `ReleaseActions`, `MainScreen`).

State is reactive: child widgets are bound to it with `data_bind`, and bindings refresh themselves.
Git work runs in thread workers (`tui.workers`) with explicit arguments. Actions read the timeline's
cursor when the key is handled (`highlighted`), never a copy kept from an earlier message.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.reactive import reactive, var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from gimlet_tui.gitops import GitopsError, HistoryEntry, NotATarget, RepoInfo, TreeDiff, why_not_target
from gimlet_tui.text import safe
from gimlet_tui.tui import workers
from gimlet_tui.tui.frame_hold import FrameHold, frame_hold
from gimlet_tui.tui.keys import MAIN, shown_keys
from gimlet_tui.tui.loaded_history import LoadedHistory
from gimlet_tui.tui.messages import GitWorkFailed
from gimlet_tui.tui.options import TuiOptions
from gimlet_tui.tui.widgets.release_detail import forward_words
from gimlet_tui.tui.widgets.releases_panel import ReleasesPanel
from gimlet_tui.workspace import EnvSource, Workspace


class MainState(Screen[None]):
    """What the main screen knows, and how it runs git work."""

    workspace: var[Workspace] = var(Workspace(None, ()))
    env: var[str | None] = var(None)
    app_name: var[str | None] = var(None)
    generation: var[int] = var(0)  # of the history being loaded: batches of older walks are dropped
    # The screen draws none of these itself (its widgets do, bound to them): `repaint=False`, since a
    # screen's repaint is the whole terminal written again, and a cursor move changes `selected`.
    selected: reactive[HistoryEntry | None] = reactive(
        None, repaint=False, bindings=True
    )  # for display: actions use highlighted()
    selected_diff: reactive[TreeDiff | None] = reactive(None, repaint=False)
    busy: reactive[str | None] = reactive(None, repaint=False, bindings=True)
    info: reactive[RepoInfo | None] = reactive(None, repaint=False)
    loaded_at: reactive[float] = reactive(0.0, repaint=False)
    rollback_off: reactive[bool] = reactive(False, repaint=False, bindings=True)  # set as the env or workspace changes
    filtering: reactive[bool] = reactive(False, repaint=False, bindings=True)
    push: var[bool] = var(True, bindings=True)  # a clone whose branch has an upstream pushes there (the default)
    undoable: var[tuple[str, str, str] | None] = var(None, bindings=True)  # (env, app, sha) a rollback replaced

    def __init__(self, options: TuiOptions) -> None:
        super().__init__()
        self.options = options
        self.clock = options.clock
        self.diffs: dict[str, TreeDiff] = {}  # what each gitops commit changed, as loaded
        self.loaded = LoadedHistory()  # the history loaded for the app shown, reverts included
        self.set_reactive(MainState.workspace, options.workspace)
        self.set_reactive(MainState.push, options.push)
        self.set_reactive(MainState.rollback_off, self._rollback_off_here())

    @property
    def panel(self) -> ReleasesPanel:
        return self.query_one(ReleasesPanel)

    def highlighted(self) -> HistoryEntry | None:
        """The entry under the timeline's cursor now (not a copy kept from an earlier message)."""
        return self.panel.timeline.selected

    def source(self) -> EnvSource | None:
        """Where the env on screen lives."""
        return self.workspace.source(self.env)

    # A plain reactive, set when what it depends on changes: a computed one is worked out again, and
    # handed on to the widgets bound to it, at every read (the footer reads it for each key).
    def watch_env(self) -> None:
        self.rollback_off = self._rollback_off_here()

    def watch_workspace(self) -> None:
        self.rollback_off = self._rollback_off_here()

    def _rollback_off_here(self) -> bool:
        """--read-only, or the env on screen is marked read-only in the workspace."""
        source = self.source()
        return self.options.read_only or (source is not None and source.read_only)

    def rollback_refusal(self) -> str | None:
        """Why `r` cannot roll back to the highlighted release now, in words; None when it can."""
        if self.options.read_only:
            return "Read-only: gimlet-tui was started with --read-only, so rolling back is off."
        source = self.source()
        if source is not None and source.read_only:
            return f"{safe(source.name)} is read-only in the workspace file: rolling back is off there."
        if self.busy:
            return f"Wait: {self.busy}"
        entry = self.highlighted()
        if entry is None:
            return "No release is highlighted yet."
        refusal = why_not_target(entry)
        if refusal is NotATarget.ROLLED_BACK:
            return f"Can't roll back to {entry.short}: {forward_words(self.forward_keys())}."
        if refusal is not None:
            return f"Can't roll back to {entry.short}: {refusal.value}."
        return None

    def forward_keys(self) -> str:
        """The key(s) that redeploy (roll forward), as the footer and help show them."""
        return shown_keys(next(c for c in MAIN if c.id == "redeploy"), self.options.keymap)

    def redeploy_refusal(self) -> str | None:
        """Why the highlighted release cannot be redeployed now, in words; None when it can."""
        if self.rollback_off:
            return "Read-only here: redeploying is off."
        if self.busy:
            return f"Wait: {self.busy}"
        entry = self.highlighted()
        if entry is None:
            return "No release is highlighted yet."
        if not entry.is_release:
            return f"Can't redeploy {entry.short}: a {entry.kind.value} is not a release."
        if entry.current:
            return f"{entry.short} is the current release already."
        return None

    def undo_refusal(self) -> str | None:
        """Why `u` has nothing to undo here; None when the last rollback of the app on screen can be undone."""
        if self.rollback_off:
            return "Read-only here: nothing to undo."
        if self.busy:
            return f"Wait: {self.busy}"
        if self.undoable is None or self.undoable[:2] != (self.env, self.app_name):
            return "Nothing to undo: no rollback of this app was made here."
        return None

    def work(self, group: str, task: Callable[..., None], *args: Any) -> None:
        """Run `task(post, *args)` in a thread worker, one at a time per group (a new one cancels the old)."""
        self.run_worker(
            partial(task, self.post_message, *args),
            name=group,
            group=group,
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def reload(self, fetch: bool = False, clones: bool = False) -> None:
        """Read the workspace and the repositories again (fetching remote ones, and clones' upstreams, when asked)."""
        self.diffs.clear()
        self.work("envs", workers.load_envs, self.workspace, self.options.access, fetch, clones)

    @property
    def hold(self) -> FrameHold:
        """The app's frame hold: the next frame, held for the answer to a key (`frame_hold`)."""
        return frame_hold(self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        reason = safe(error) if isinstance(error, GitopsError) else f"unexpected {type(error).__name__}: {safe(error)}"
        self.post_message(GitWorkFailed(workers.task_of(event.worker.group, error), reason))

    def on_git_work_failed(self, message: GitWorkFailed) -> None:
        self.hold.end()  # a frame held for an answer shows the failure instead
        if message.task.startswith("rollback"):
            self.busy = None
        title = workers.TASKS.get(message.task, "Failed")
        self.notify(message.reason, title=title, severity="error", timeout=15, markup=False)
