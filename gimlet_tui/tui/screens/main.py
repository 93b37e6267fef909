"""The main screen: selectors, the recent-deploys bar, the timeline and the detail pane.

Git work runs in thread workers that open their own repository and post messages back; the
screen only reacts to those messages, so the event loop never waits on git.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, OptionList, ProgressBar, Static

from gimlet_tui.gitops import EntryKind, HistoryEntry
from gimlet_tui.text import safe
from gimlet_tui.tui.messages import (
    AppsLoaded,
    ChangesLoaded,
    EnvsLoaded,
    GitWorkFailed,
    HistoryBatch,
    TransferProgress,
)
from gimlet_tui.tui.render import rollback_blocker, span
from gimlet_tui.tui.screens.git_work import GitWork
from gimlet_tui.tui.screens.rollback_flow import RollbackFlow
from gimlet_tui.tui.screens.details import ReleaseDetails
from gimlet_tui.tui.screens.diff import DiffScreen
from gimlet_tui.tui.screens.help import HelpScreen
from gimlet_tui.tui.state import last_choice, remember_choice
from gimlet_tui.tui.widgets.deploy_bar import DeployBar
from gimlet_tui.tui.widgets.release_detail import ReleaseDetail
from gimlet_tui.tui.widgets.repo_header import RepoHeader
from gimlet_tui.tui.widgets.selectors import AppList, EnvList
from gimlet_tui.tui.widgets.timeline import Timeline


WIDE = 160  # columns from which the detail pane sits beside the timeline, not below it


class MainScreen(RollbackFlow, GitWork, Screen):
    """Browse envs, apps and releases; roll back with `r`, confirm with `y`."""

    BINDINGS = [
        Binding("r", "rollback", "Rollback"),
        # Reached only while the one above is disabled: says why instead of doing nothing.
        Binding("r", "explain_rollback", show=False),
        Binding("d", "show_diff", "Diff"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("e", "focus('envs')", "Envs", show=False),
        Binding("a", "focus('apps')", "Apps", show=False),
        Binding("b", "focus('deploy-bar')", "Bar", show=False),
        Binding("R", "reload", "Reload"),
        Binding("f", "fetch", "Fetch", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.env: str | None = None
        self.app_name: str | None = None
        self.generation = 0
        self.recent: list[HistoryEntry] = []  # the newest releases, up to ten, for the bar
        self.positioned = False
        self.loaded_all = False
        self.selected: HistoryEntry | None = None
        self.changes: dict[str, object] = {}
        self.busy: str | None = None

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield RepoHeader(id="header")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                envs = EnvList(id="envs")
                envs.border_title = "Envs"
                yield envs
                apps = AppList(id="apps")
                apps.border_title = "Apps"
                yield apps
            with Vertical(id="main"):
                yield ProgressBar(id="transfer", show_eta=False)
                yield DeployBar(id="deploy-bar")
                yield Input(placeholder="filter: text in sha, message, author, ref…", id="filter")
                yield Static(id="status")
                yield Timeline(id="timeline")
            yield ReleaseDetail(self.app.read_only, id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#timeline").focus()
        self._place_detail(self.size.width)
        self.load_envs(fetch=True)
        self.set_interval(30, self._refresh_header)

    def on_resize(self, event) -> None:
        self._place_detail(event.size.width)

    def _place_detail(self, width: int) -> None:
        self.set_class(width >= WIDE, "wide")

    # -- what the workers found ---------------------------------------------------------------

    def on_envs_loaded(self, message: EnvsLoaded) -> None:
        self.app.workspace = message.workspace
        envs = message.workspace.names()
        remembered_env, _ = last_choice(self.app.repo_key)
        wanted = self.env or self.app.start_env or remembered_env
        env = wanted if wanted in envs else (envs[0] if envs else None)
        self.query_one(EnvList).show(envs, env)
        if env is None:
            self._status(span("No envs here: no folder holds an app with a release.json.", "yellow"))
            return
        self.env = env
        self.load_apps(env)

    def on_apps_loaded(self, message: AppsLoaded) -> None:
        if message.env != self.env:
            return
        self.info = message.info
        self.loaded_at = self.app.clock()
        self._refresh_header()
        remembered_env, remembered_app = last_choice(self.app.repo_key)
        wanted = self.app_name or self.app.start_app or (remembered_app if remembered_env == self.env else None)
        self.app.start_app = None  # only the first time: later the user's moves decide
        apps = self.query_one(AppList)
        apps.show(message.apps, wanted, self.app.clock())
        if apps.chosen is None:
            self._status(span(f"No apps in {safe(self.env)}.", "yellow"))
            return
        self._select_app(apps.chosen)

    def on_history_batch(self, message: HistoryBatch) -> None:
        if (message.env, message.app, message.generation) != (self.env, self.app_name, self.generation):
            return  # a stale walk for an app the user has left
        timeline = self.query_one(Timeline)
        timeline.append(message.entries)
        fresh = [e for e in message.entries if e.kind is EntryKind.RELEASE]
        if len(self.recent) < 10 and fresh:  # the bar shows the ten newest: later batches cannot change it
            self.recent = (self.recent + fresh)[:10]
            self.query_one(DeployBar).show(self.recent)
        if not self.positioned:
            current = next((e for e in timeline.entries if e.current), None)
            if current is not None or (message.done and timeline.row_count):
                self.positioned = True
                if not (current is not None and timeline.select(current.sha)):
                    timeline.move_cursor(row=0, animate=False)
                self._show_selected(timeline.selected)
        self.loaded_all = message.done
        self._show_counts()

    def on_transfer_progress(self, message: TransferProgress) -> None:
        bar = self.query_one("#transfer", ProgressBar)
        bar.display = message.total > 0
        if message.total:
            bar.update(total=message.total, progress=message.received)
            self._status(span(f"fetching {message.what}: {message.received:,}/{message.total:,} objects", "dim"))

    def on_changes_loaded(self, message: ChangesLoaded) -> None:
        self.changes[message.sha] = message.changes
        if self.selected is not None and self.selected.sha == message.sha:
            self._show_detail()

    def on_git_work_failed(self, message: GitWorkFailed) -> None:
        if message.what == "rollback":
            self._set_busy(None)
            self.notify(message.reason, title="Not rolled back: nothing was changed", severity="error", timeout=15, markup=False)
        else:
            self.notify(message.reason, title=f"Could not load {message.what}", severity="error", timeout=15, markup=False)

    # -- the user's moves -----------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#envs")
    def _env_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        env = event.option.id
        if env and env != self.env:
            self.env, self.app_name = env, None
            self.load_apps(env)

    @on(OptionList.OptionHighlighted, "#apps")
    def _app_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.app_name:
            self._select_app(event.option.id)

    @on(OptionList.OptionSelected)
    def _option_chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#apps" if event.option_list.id == "envs" else "#timeline").focus()

    @on(Timeline.EntryHighlighted)
    def _entry_highlighted(self, event: Timeline.EntryHighlighted) -> None:
        self._show_selected(event.entry)

    @on(Timeline.RowSelected)
    def _row_chosen(self) -> None:
        self.action_show_details()

    @on(DeployBar.Selected)
    def _segment_chosen(self, event: DeployBar.Selected) -> None:
        timeline = self.query_one(Timeline)
        if not timeline.select(event.sha):
            self._clear_filter_input()
            timeline.apply_filter("")
            timeline.select(event.sha)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(Timeline).apply_filter(event.value)
        self._show_counts()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(Timeline).focus()

    @on(Button.Pressed, "#rollback")
    def _rollback_pressed(self) -> None:
        self.action_rollback()

    def _select_app(self, app: str) -> None:
        self.app_name = app
        remember_choice(self.app.repo_key, self.env, app)
        self.generation += 1
        self.recent = []
        self.positioned = False
        self.loaded_all = False
        self.selected = None
        self.query_one("#main").border_title = f"{safe(self.env)} / {safe(app)}"
        self.query_one(Timeline).reset(self.app.clock())
        self.query_one(DeployBar).show([])
        self._show_detail()
        self._status(span("loading history…", "dim"))
        self.load_history(self.env, app, self.generation)

    def _show_selected(self, entry: HistoryEntry | None) -> None:
        self.selected = entry
        self.query_one(DeployBar).selected = entry.sha if entry else None
        if entry is not None and entry.sha not in self.changes:
            self.load_changes(self.env, entry.sha)
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        entry = self.selected
        changes = self.changes.get(entry.sha) if entry else None
        self.query_one(ReleaseDetail).show(entry, changes, self.app.clock(), self.busy, self.app.rollback_off(self.env))

    def _set_busy(self, busy: str | None) -> None:
        self.busy = busy
        if busy:
            self._status(span(busy, "bold"))
        else:
            self._show_counts()
        self._show_detail()
        self.refresh_bindings()

    def _status(self, text: Text) -> None:
        self.query_one("#status", Static).update(text)

    def _show_counts(self) -> None:
        if self.busy:
            return
        timeline = self.query_one(Timeline)
        releases = sum(1 for e in timeline.entries if e.kind is EntryKind.RELEASE)
        deletions = len(timeline.entries) - releases
        text = span(f"{releases} release{'s' if releases != 1 else ''}", "dim")
        if deletions:
            text.append(f", {deletions} deletion{'s' if deletions != 1 else ''}", style="dim")
        if not self.loaded_all:
            text.append("  loading…", style="dim italic")
        if timeline.filter_text:
            text.append(f"  filter: {safe(timeline.filter_text)} ({timeline.row_count} shown)", style="bold")
        self._status(text)

    def _refresh_header(self) -> None:
        if hasattr(self, "info"):
            self.query_one(RepoHeader).show(self.info, self.loaded_at, self.app.clock(), self.app.rollback_off(self.env))

    def _clear_filter_input(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.remove_class("visible")

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rollback":
            if self.app.rollback_off(self.env):
                return False
            return None if self.busy or rollback_blocker(self.selected) else True
        if action == "explain_rollback":
            return not self.app.rollback_off(self.env)
        if action in ("show_diff", "show_details"):
            return True if self.selected is not None else None
        if action == "clear_filter":
            return self.query_one("#filter", Input).has_class("visible")
        return True

    def action_show_details(self) -> None:
        if self.selected is not None:
            self.app.push_screen(ReleaseDetails(self.selected, self.changes.get(self.selected.sha), self.app.clock()))

    def action_show_diff(self) -> None:
        entry = self.selected
        if entry is None:
            return
        changes = self.changes.get(entry.sha)
        if changes is None:
            self.notify("The diff is still loading; press d again in a moment.")
            return
        self.app.push_screen(DiffScreen(f"What {entry.short} changed", changes.diff))

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.add_class("visible")
        field.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        self._clear_filter_input()
        timeline = self.query_one(Timeline)
        timeline.apply_filter("")
        timeline.focus()
        self._show_counts()
        self.refresh_bindings()

    def action_focus(self, widget_id: str) -> None:
        # set_focus takes effect at once, so keys typed right after (e, down) land in the selector
        self.set_focus(self.query_one(f"#{widget_id}"))

    def action_reload(self) -> None:
        self.changes.clear()
        self.load_envs()

    def action_fetch(self) -> None:
        self.changes.clear()
        self.load_envs(fetch=True)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        self.app.exit()
