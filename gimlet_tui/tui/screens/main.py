"""The main screen: selectors, the recent-deploys bar, the timeline and the detail pane.

Its state and helpers are in `main_state`; rolling back in `rollback_flow`; what keys do with the
highlighted release in `release_actions`. This module lays the screen out, follows what the workers
found and the user's moves, and decides which actions can run (and says why not).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.widgets import Button, OptionList

from gimlet_tui.gitops import HistoryEntry
from gimlet_tui.gitops.names import is_app_name
from gimlet_tui.text import safe
from gimlet_tui.tui import workers
from gimlet_tui.tui.keys import MAIN, bindings
from gimlet_tui.tui.look import look_of
from gimlet_tui.tui.messages import (
    AppsLoaded,
    DiffLoaded,
    EnvsLoaded,
    GitWorkFailed,
    HistoryBatch,
    TransferProgress,
)
from gimlet_tui.tui.options import TuiOptions
from gimlet_tui.tui.remembered import last_choice, remember_choice
from gimlet_tui.tui.screens.help import HelpScreen
from gimlet_tui.tui.screens.release_actions import ReleaseActions
from gimlet_tui.tui.screens.rollback_flow import RollbackFlow
from gimlet_tui.tui.start_up import start_over
from gimlet_tui.tui.styled import literal, span
from gimlet_tui.tui.widgets.deploy_bar import DeployBar
from gimlet_tui.tui.widgets.footer import Footer
from gimlet_tui.tui.widgets.release_detail import ReleaseDetail
from gimlet_tui.tui.widgets.releases_panel import ReleasesPanel
from gimlet_tui.tui.widgets.repo_header import RepoHeader
from gimlet_tui.tui.widgets.selectors import AppList, EnvList
from gimlet_tui.tui.widgets.timeline import Timeline

HOLD_FOR_ROWS = 0.05  # seconds a move in the app list waits at most to paint with the app's first rows
AFTER_FIRST_ROWS = 0.3  # seconds after the first rows' paint when the start ends (`start_up`)
WIDE = 160  # columns from which the detail pane sits beside the timeline, not below it
NARROW = 100  # columns below which the env and app lists hide until e or a opens them
SHORT = 20  # rows below which the detail pane keeps one line, so the timeline keeps its rows
TICK = 60.0  # seconds between rewrites of the relative times ("3 minutes ago")

# Actions on the highlighted release, and the refusal that says why one cannot run.
RELEASE_ACTIONS = ("show_diff", "show_details", "copy_sha", "open_url", "next_match")


class MainScreen(RollbackFlow, ReleaseActions):
    """Browse envs, apps and releases; roll back with `r`, confirm with `y`."""

    CSS_PATH = "main.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(MAIN)
    # The timeline has the keys from the start. Textual's default gives the first list the focus, and
    # then on_mount moves it: at 80 columns the side lists opened and closed once, restyling the screen twice.
    AUTO_FOCUS = "#timeline"

    def __init__(self, options: TuiOptions) -> None:
        super().__init__(options)
        self.start_app = options.start_app  # used once: later the user's moves decide
        self.fetching: int | None = None  # during a fetch asked with `f`: how many remotes failed
        self.started = False  # once the first rows were added: the start ends after their paint

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
            detail = ReleaseDetail(self.options.read_only, self.clock, forward=self.forward_keys(), id="detail")
            yield detail.data_bind(
                entry=screen.selected, diff=screen.selected_diff, busy=screen.busy, rollback_off=screen.rollback_off
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Timeline).focus()  # also when the terminal is in the background (AUTO_FOCUS is not)
        self.query_one(Timeline).on_choose = self.action_show_details
        self.query_one(Timeline).on_highlight = self._show_entry
        self.query_one(EnvList).then_focus = "apps"
        self.query_one(AppList).on_move = self._app_moved
        self._fit(self.size.width, self.size.height)
        self.set_interval(TICK, self.tick)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.restyle())
        self.work("envs", workers.load_envs, self.workspace, self.options.access, True)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """80x24 first: the layout's classes for this size (see main.tcss)."""
        self.set_class(width >= WIDE, "wide")
        self.set_class(width < NARROW, "narrow")
        self.set_class(height < SHORT, "short")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # When narrow, the env and app lists show while one of them has the focus.
        self.set_class(self.query_one("#sidebar") in event.widget.ancestors, "sidebar-open")

    def tick(self) -> None:
        """Write every relative time again from the clock (they grow while the app stays open)."""
        now = self.clock()
        self.panel.tick(now)
        self.query_one(AppList).tick(now)
        self.query_one(ReleaseDetail).refresh_time()

    def restyle(self) -> None:
        """Write everything again in the styles of the theme just chosen."""
        self.panel.timeline.restyle()
        self.panel.show_counts()
        self.query_one(AppList).tick(self.clock())
        self.query_one(ReleaseDetail).refresh_time()
        self.query_one(RepoHeader).show()

    def watch_selected(self, entry: HistoryEntry | None) -> None:
        self.selected_diff = self.diffs.get(entry.sha) if entry else None
        if entry is not None and entry.sha not in self.diffs and (source := self.source()) is not None:
            self.hold.after_paint(partial(self.work, "diff", workers.load_diff, source, self.options.access, entry.sha))

    # -- what the workers found ---------------------------------------------------------------

    def on_envs_loaded(self, message: EnvsLoaded) -> None:
        if self.fetching is not None:
            clones = 1 if self.info is not None and self.info.upstream else 0  # the one shown, when it tracks one
            done = len({s.repo for s in message.workspace.sources if s.remote}) + clones - self.fetching
            if done > 0:
                self.notify(f"Fetched {done} repositor{'y' if done == 1 else 'ies'}.", title="Fetch")
            self.fetching = None
        self.workspace = message.workspace
        envs = message.workspace.names()
        remembered_env, _ = last_choice(self.workspace.key)
        wanted = self.env or self.options.start_env or remembered_env
        env = wanted if wanted in envs else (envs[0] if envs else None)
        self.query_one(EnvList).show(envs, env)
        if env is None:
            hint = message.workspace.hint or "no env found here"
            self.panel.note(literal(hint, look_of(self.app)("problem")))
            self.notify(safe(hint), title="No envs", severity="warning", timeout=30, markup=False)
            return
        self._open_env(env)

    def _open_env(self, env: str) -> None:
        """Load the env's apps and, beside them, the history of the app to show when it is known."""
        if env != self.env:
            self.env, self.app_name = env, None
        source = self.source()
        if source is None:
            return
        if (known := self._wanted_app()) is not None and is_app_name(known):
            self._select_app(known)  # nothing waits for the app list
        self.work("apps", workers.load_apps, source, self.options.access, self.loaded.open_env())

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
            self.loaded.mark_painted()  # no history to wait for
            if message.complete:  # (the apps at the head come first; deleted ones may follow)
                self.panel.note(span(f"No apps in {safe(self.env)}.", look_of(self.app)("problem")))
            return
        if apps.chosen != self.app_name:
            self._select_app(apps.chosen)

    def on_history_batch(self, message: HistoryBatch) -> None:
        if (message.env, message.app, message.generation) != (self.env, self.app_name, self.generation):
            return  # a stale walk for an app the user has left
        self.loaded.add(message)
        if self.panel.add_batch(message.entries, message.done):
            self.selected = self.panel.timeline.selected
        self.hold.end("rows")  # the rows are in: the frame held for them now
        self.hold.after_paint(self.loaded.mark_painted)
        if not self.started:  # the first rows are the end of the start
            self.started = True
            # A moment after the paint: the collection that ends it holds the interpreter for tens
            # of milliseconds, and Textual's writer thread may still be sending the frame.
            self.hold.after_paint(lambda: self.set_timer(AFTER_FIRST_ROWS, start_over))

    def on_transfer_progress(self, message: TransferProgress) -> None:
        self.panel.show_transfer(message.url, message.received, message.total)

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

    def _app_moved(self, app: str) -> None:
        """A key moved the app list: the list's highlight and the app's first rows paint together."""
        if app != self.app_name:
            self.hold.begin("rows", HOLD_FOR_ROWS)
            self._select_app(app)

    @on(OptionList.OptionSelected)
    def _option_chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#apps" if event.option_list.id == "envs" else "#timeline").focus()

    def _show_entry(self, entry: HistoryEntry | None) -> None:
        # The detail pane written once, for the release and its diff together: through the bindings
        # it was written once for the release and again for its diff (1 to 2 ms each).
        self.query_one(ReleaseDetail).show(entry, self.diffs.get(entry.sha) if entry else None)
        self.selected = entry

    @on(DeployBar.Selected)
    def _segment_chosen(self, event: DeployBar.Selected) -> None:
        if not self.panel.timeline.select(event.sha):
            self.filtering = False  # the release is hidden by the filter: show everything
            self.panel.timeline.select(event.sha)

    @on(GitWorkFailed)
    def _count_fetch_failures(self, message: GitWorkFailed) -> None:
        if message.task == "fetch" and self.fetching is not None:
            self.fetching += 1

    @on(Button.Pressed, "#rollback")
    def _rollback_pressed(self) -> None:
        self.action_rollback()

    def _select_app(self, app: str) -> None:
        assert self.env is not None
        self.app_name = app
        # Written after the paint: the state file is replaced atomically (with a sync), 2 to 17 ms.
        self.hold.after_paint(partial(remember_choice, self.workspace.key, self.env, app))
        self.generation += 1
        self.selected = None
        painted = self.loaded.start(self.env, app)
        self.panel.start(f"{safe(self.env)} / {safe(app)}", self.clock())
        if (source := self.source()) is not None:
            first = max(10, self.size.height)  # one screenful of rows first
            args = (source, self.options.access, app, self.generation, first, painted)
            self.work("history", workers.load_history, *args)

    # -- which actions can run, and why not -----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rollback", "redeploy", "undo_rollback", "copy_command", "toggle_push") and self.rollback_off:
            return False  # hidden: --read-only (or a read-only env) forbids it
        if action == "clear_filter":
            return self.filtering
        return None if self.why_not(action) else True

    def why_not(self, action: str) -> str | None:
        """Why `action` cannot run now (keys, palette and buttons all show this); None when it can."""
        if action in ("rollback", "copy_command", "toggle_push"):
            if action == "toggle_push" and not self.rollback_off:
                return None
            return self.rollback_refusal()
        if action == "redeploy":
            return self.redeploy_refusal()
        if action == "undo_rollback":
            return self.undo_refusal()
        if action in RELEASE_ACTIONS:
            return self.release_refusal(action)
        return None

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The palette's entries for this screen, from the key table (what the screen forbids is left out).

        An entry that cannot run now is offered with its reason, and says it when chosen.
        """
        for command in MAIN:
            name = command.action.split("(")[0]
            if not command.palette or self.check_action(name, ()) is False:
                continue
            title = command.palette
            if command.id == "push.toggle":
                title = f"{title}: {'on' if self.push else 'off'}"
            reason = self.why_not(name)
            help_text = f"{command.help} (now: {reason})" if reason else command.help
            yield SystemCommand(title, help_text, partial(self.run_action, command.action))

    # -- the screen's own actions ----------------------------------------------------------------

    def action_filter(self) -> None:
        self.filtering = True
        self.panel.open_filter()

    def action_clear_filter(self) -> None:
        self.filtering = False
        self.panel.close_filter()  # at once: the next keys typed go to the timeline

    def action_reload(self) -> None:
        self.reload()

    def action_fetch(self) -> None:
        remotes = sorted({s.repo for s in self.workspace.sources if s.remote})
        if not remotes and (self.info is None or self.info.upstream is None):
            self.notify(
                "Nothing to fetch: the repositories here are local, with no upstream. Read them again instead.",
                title="Fetch",
            )
            self.reload()
            return
        self.fetching = 0
        self.reload(fetch=True, clones=True)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.options.keymap))

    def action_quit(self) -> None:
        self.app.exit()
