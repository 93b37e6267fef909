"""The main screen: selectors, the recent-deploys bar, the timeline and the detail pane.

Git work runs in thread workers (`tui.workers`) with explicit arguments; the screen reacts to the
messages they post. Its state is reactive: child widgets are bound to it with `data_bind`, and
bindings refresh themselves. Actions read the timeline's cursor when the key is handled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from threading import Event
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widgets import Button, Footer, OptionList
from textual.worker import Worker, WorkerState

from gimlet_tui.gitops import GitopsError, HistoryEntry, RepoInfo, RollbackPlan, TreeDiff, why_not_target
from gimlet_tui.gitops.names import is_app_name
from gimlet_tui.text import safe
from gimlet_tui.tui import workers
from gimlet_tui.tui.keys import MAIN, bindings
from gimlet_tui.tui.loaded_history import LoadedHistory
from gimlet_tui.tui.messages import (
    AppsLoaded,
    DiffLoaded,
    EnvsLoaded,
    GitWorkFailed,
    HistoryBatch,
    RollbackFinished,
    RollbackPlanned,
    TransferProgress,
)
from gimlet_tui.tui.options import TuiOptions
from gimlet_tui.tui.remembered import last_choice, remember_choice
from gimlet_tui.tui.screens.confirm import ConfirmRollback
from gimlet_tui.tui.screens.details import ReleaseDetails
from gimlet_tui.tui.screens.diff import DiffScreen
from gimlet_tui.tui.screens.help import HelpScreen
from gimlet_tui.tui.styled import span
from gimlet_tui.tui.widgets.deploy_bar import DeployBar
from gimlet_tui.tui.widgets.release_detail import ReleaseDetail
from gimlet_tui.tui.widgets.releases_panel import ReleasesPanel
from gimlet_tui.tui.widgets.repo_header import RepoHeader
from gimlet_tui.tui.widgets.selectors import AppList, EnvList
from gimlet_tui.tui.widgets.timeline import Timeline
from gimlet_tui.workspace import EnvSource, Workspace

WIDE = 160  # columns from which the detail pane sits beside the timeline, not below it


class MainScreen(Screen[None]):
    """Browse envs, apps and releases; roll back with `r`, confirm with `y`."""

    CSS_PATH = "main.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(MAIN)

    workspace: var[Workspace] = var(Workspace(None, ()))
    env: var[str | None] = var(None)
    app_name: var[str | None] = var(None)
    generation: var[int] = var(0)  # of the history being loaded: batches of older walks are dropped
    selected: reactive[HistoryEntry | None] = reactive(None, bindings=True)
    selected_diff: reactive[TreeDiff | None] = reactive(None)
    busy: reactive[str | None] = reactive(None, bindings=True)
    info: reactive[RepoInfo | None] = reactive(None)
    loaded_at: reactive[float] = reactive(0.0)
    rollback_off: reactive[bool] = reactive(False, bindings=True)
    filtering: reactive[bool] = reactive(False, bindings=True)
    push: var[bool] = var(False)

    def __init__(self, options: TuiOptions) -> None:
        super().__init__()
        self.options = options
        self.clock = options.clock
        self.diffs: dict[str, TreeDiff] = {}  # what each gitops commit changed, as loaded
        self.loaded = LoadedHistory()
        self.first_rows = Event()  # set once the first rows of a history are painted (the app list waits)
        self.start_app = options.start_app  # used once: later the user's moves decide
        self.set_reactive(MainScreen.workspace, options.workspace)
        self.set_reactive(MainScreen.push, options.push)

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        screen = MainScreen
        yield RepoHeader(self.clock, id="header").data_bind(screen.info, screen.loaded_at, screen.rollback_off)
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                envs = EnvList(id="envs")
                envs.border_title = "Envs"
                yield envs
                apps = AppList(id="apps")
                apps.border_title = "Apps"
                yield apps
            yield ReleasesPanel(id="main").data_bind(screen.selected, screen.busy, screen.filtering)
            yield ReleaseDetail(self.options.read_only, self.clock, id="detail").data_bind(
                entry=screen.selected, diff=screen.selected_diff, busy=screen.busy, rollback_off=screen.rollback_off
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Timeline).focus()
        self.set_class(self.size.width >= WIDE, "wide")
        self._work("envs", workers.load_envs, self.workspace, self.options.access, True)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "wide")

    def compute_rollback_off(self) -> bool:
        source = self._source()
        return self.options.read_only or (source is not None and source.read_only)

    def watch_selected(self, entry: HistoryEntry | None) -> None:
        self.selected_diff = self.diffs.get(entry.sha) if entry else None
        if entry is not None and entry.sha not in self.diffs and (source := self._source()) is not None:
            self.call_after_refresh(self._work, "diff", workers.load_diff, source, self.options.access, entry.sha)

    # -- git work ------------------------------------------------------------------------------

    def _work(self, group: str, task: Callable[..., None], *args: Any) -> None:
        """Run `task(post, *args)` in a thread worker, one at a time per group (a new one cancels the old)."""
        self.run_worker(
            partial(task, self.post_message, *args),
            name=group,
            group=group,
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _source(self) -> EnvSource | None:
        return self.workspace.source(self.env)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        reason = safe(error) if isinstance(error, GitopsError) else f"unexpected {type(error).__name__}: {safe(error)}"
        self.post_message(GitWorkFailed(event.worker.group, reason))

    def on_git_work_failed(self, message: GitWorkFailed) -> None:
        if message.task == "rollback":
            self.busy = None
        title = workers.TASKS.get(message.task, "Failed")
        self.notify(message.reason, title=title, severity="error", timeout=15, markup=False)

    # -- what the workers found ---------------------------------------------------------------

    def on_envs_loaded(self, message: EnvsLoaded) -> None:
        self.workspace = message.workspace
        envs = message.workspace.names()
        remembered_env, _ = last_choice(self.workspace.key)
        wanted = self.env or self.options.start_env or remembered_env
        env = wanted if wanted in envs else (envs[0] if envs else None)
        self.query_one(EnvList).show(envs, env)
        if env is None:
            self._panel.note(span("No envs here: no folder holds an app with a release.json.", "yellow"))
            return
        self._open_env(env)

    def _open_env(self, env: str) -> None:
        """Load the env's apps and, beside them, the history of the app to show when it is known."""
        if env != self.env:
            self.env, self.app_name = env, None
        source = self._source()
        if source is None:
            return
        if (known := self._wanted_app()) is not None and is_app_name(known):
            self._select_app(known)  # nothing waits for the app list
        self.first_rows = Event()
        self._work("apps", workers.load_apps, source, self.options.access, self.first_rows)

    def _wanted_app(self) -> str | None:
        remembered_env, remembered_app = last_choice(self.workspace.key)
        return self.app_name or self.start_app or (remembered_app if remembered_env == self.env else None)

    def on_apps_loaded(self, message: AppsLoaded) -> None:
        if message.env != self.env:
            return
        self.info = message.info
        self.loaded_at = self.clock()
        apps = self.query_one(AppList)
        apps.show(message.apps, self._wanted_app(), self.clock())
        self.start_app = None
        if apps.chosen is None:
            self.first_rows.set()  # no history to wait for
            if message.complete:  # (the apps at the head come first; deleted ones may follow)
                self._panel.note(span(f"No apps in {safe(self.env)}.", "yellow"))
            return
        if apps.chosen != self.app_name:
            self._select_app(apps.chosen)

    def on_history_batch(self, message: HistoryBatch) -> None:
        if (message.env, message.app, message.generation) != (self.env, self.app_name, self.generation):
            return  # a stale walk for an app the user has left
        self.loaded.add(message)
        if self._panel.add_batch(message.entries, message.done):
            self.selected = self._panel.timeline.selected
        self.call_after_refresh(self.first_rows.set)

    def on_transfer_progress(self, message: TransferProgress) -> None:
        self._panel.show_transfer(message.url, message.received, message.total)

    def on_diff_loaded(self, message: DiffLoaded) -> None:
        self.diffs[message.sha] = message.diff
        if self.selected is not None and self.selected.sha == message.sha:
            self.selected_diff = message.diff

    # -- the user's moves -----------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#envs")
    def _env_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        env = event.option.id
        if env and env != self.env:
            self._open_env(env)

    @on(OptionList.OptionHighlighted, "#apps")
    def _app_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.app_name:
            self._select_app(event.option.id)

    @on(OptionList.OptionSelected)
    def _option_chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#apps" if event.option_list.id == "envs" else "#timeline").focus()

    @on(Timeline.EntryHighlighted)
    def _entry_highlighted(self, event: Timeline.EntryHighlighted) -> None:
        self.selected = event.entry

    @on(Timeline.RowSelected)
    def _row_chosen(self) -> None:
        self.action_show_details()

    @on(DeployBar.Selected)
    def _segment_chosen(self, event: DeployBar.Selected) -> None:
        if not self._panel.timeline.select(event.sha):
            self.filtering = False  # the release is hidden by the filter: show everything
            self._panel.timeline.select(event.sha)

    @on(Button.Pressed, "#rollback")
    def _rollback_pressed(self) -> None:
        self.action_rollback()

    def _select_app(self, app: str) -> None:
        assert self.env is not None
        self.app_name = app
        remember_choice(self.workspace.key, self.env, app)
        self.generation += 1
        self.selected = None
        self.loaded.start(self.env, app)
        self._panel.start(f"{safe(self.env)} / {safe(app)}", self.clock())
        source = self._source()
        if source is not None:
            first = max(10, self.size.height)  # one screenful of rows first
            self._work("history", workers.load_history, source, self.options.access, app, self.generation, first)

    @property
    def _panel(self) -> ReleasesPanel:
        return self.query_one(ReleasesPanel)

    # -- actions ---------------------------------------------------------------------------------

    def _highlighted(self) -> HistoryEntry | None:
        """The entry under the timeline's cursor now (not a copy kept from an earlier message)."""
        return self._panel.timeline.selected

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rollback":
            if self.rollback_off:
                return False
            entry = self._highlighted()
            return None if self.busy or entry is None or why_not_target(entry) is not None else True
        if action == "explain_rollback":
            return not self.rollback_off
        if action == "toggle_push":
            return not self.options.read_only
        if action in ("show_diff", "show_details"):
            return True if self._highlighted() is not None else None
        if action == "clear_filter":
            return self.filtering
        return True

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The palette's entries for this screen, from the key table (what the screen forbids is left out)."""
        for command in MAIN:
            if not command.palette or self.check_action(command.action.split("(")[0], ()) is False:
                continue
            title = command.palette
            if command.id == "push.toggle":
                title = f"{title}: {'on' if self.push else 'off'}"
            yield SystemCommand(title, command.help, partial(self.run_action, command.action))

    def action_show_details(self) -> None:
        entry = self._highlighted()
        if entry is not None:
            self.app.push_screen(ReleaseDetails(entry, self.diffs.get(entry.sha), self.clock()))

    def action_show_diff(self) -> None:
        entry = self._highlighted()
        if entry is None:
            return
        diff = self.diffs.get(entry.sha)
        if diff is None:
            self.notify("The diff is still loading; press d again in a moment.")
            return
        self.app.push_screen(DiffScreen(f"What {entry.short} changed", diff.patch))

    def action_filter(self) -> None:
        self.filtering = True

    def action_clear_filter(self) -> None:
        self.filtering = False

    def action_focus(self, widget_id: str) -> None:  # type: ignore[override]
        # set_focus takes effect at once, so keys typed right after (e, down) land in the selector
        self.set_focus(self.query_one(f"#{widget_id}"))

    def action_reload(self) -> None:
        self.diffs.clear()
        self._work("envs", workers.load_envs, self.workspace, self.options.access, False)

    def action_fetch(self) -> None:
        self.diffs.clear()
        self._work("envs", workers.load_envs, self.workspace, self.options.access, True)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.options.keymap))

    def action_quit(self) -> None:
        self.app.exit()

    # -- rolling back: plan, confirm in the modal, apply, report -----------------------------------

    def action_explain_rollback(self) -> None:
        if self.busy:
            self.notify("A rollback is already under way.", severity="warning")
            return
        entry = self._highlighted()
        refusal = why_not_target(entry) if entry is not None else None
        reason = refusal.value if refusal is not None else "no release selected"
        where = f"{entry.short}: " if entry else ""
        self.notify(f"{where}{reason}", title="Can't roll back to this one", severity="warning", markup=False)

    def action_rollback(self) -> None:
        entry = self._highlighted()
        source = self._source()
        if self.rollback_off or self.busy or entry is None or source is None or why_not_target(entry) is not None:
            self.action_explain_rollback()  # the button can be pressed in between refreshes
            return
        assert self.app_name is not None
        self.busy = f"Planning the rollback to {entry.short}…"
        self._work("rollback", workers.plan, source, self.options.access, self.app_name, entry.sha, self.push)

    def on_rollback_planned(self, message: RollbackPlanned) -> None:
        self.busy = None
        plan = message.plan
        source = self.workspace.source(plan.env)
        protected = source is not None and source.protected
        confirm = ConfirmRollback(plan, self.clock(), protected, message.pushes)
        self.app.push_screen(confirm, partial(self._decided, plan))

    def _decided(self, plan: RollbackPlan, confirmed: bool | None) -> None:
        source = self.workspace.source(plan.env)
        if not confirmed or source is None:
            self.notify("Rollback cancelled: nothing was changed.")
            return
        self.busy = f"Rolling back {safe(plan.env)}/{safe(plan.app)} to {plan.target.short}: {len(plan.reverts)} revert commit(s)…"
        self._work("rollback", workers.apply, source, self.options.access, plan, self.options.identity, self.push)

    def on_rollback_finished(self, message: RollbackFinished) -> None:
        self.busy = None
        result = message.result
        branch = safe(result.plan.ref.removeprefix("refs/heads/"))
        self.notify(
            f"{safe(result.plan.env)}/{safe(result.plan.app)} is back at {result.plan.target.short}: "
            f"{len(result.commits)} revert commit(s); {branch} is now at {result.new_head[:10]}.",
            title="Rolled back",
            timeout=10,
            markup=False,
        )
        entries, source = self.loaded.after(result), self._source()
        if entries is None or source is None:
            self.action_reload()  # the history shown is not the one rolled back: read it again
            return
        self.generation += 1  # the engine's answer updates the timeline at once; older batches are dropped
        self._panel.restate(entries)
        self.selected = self._panel.timeline.selected
        self._work("apps", workers.load_apps, source, self.options.access, None)

    def action_toggle_push(self) -> None:
        self.push = not self.push
        where = "pushed to the branch's upstream first" if self.push else "made locally, not pushed"
        self.notify(f"Rollbacks in local clones are now {where}.")
