"""The Textual app: opens the main screen on the workspace and offers the screen's actions in the palette.

git's and ssh's questions (passphrases, passwords, host keys) are answered in a modal of the app's own,
through an askpass helper (`gitops.askpass`), never on the terminal the app draws on. Four app-wide
rules live here: keys from the terminal are handled one at a time, each going where the keys before
it put the focus (`key_order`); keys typed before a gated modal showed are dropped (`screens.gate`);
an action that cannot run says why, whether it came from a key, the palette or a button
(`run_action` asks the screen's `why_not`); ctrl+c quits from anywhere.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import ClassVar, Protocol, runtime_checkable

from textual import actions, events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import Theme

from gimlet_tui.gitops import take_reports
from gimlet_tui.gitops.askpass import AskpassServer, Question
from gimlet_tui.text import safe
from gimlet_tui.tui.key_order import KeyOrder
from gimlet_tui.tui.keys import APP, bindings
from gimlet_tui.tui.messages import RepositoryNotice
from gimlet_tui.tui.options import TuiOptions
from gimlet_tui.tui.remembered import last_theme, remember_theme
from gimlet_tui.tui.screens.gate import GatedModal
from gimlet_tui.tui.screens.main import MainScreen
from gimlet_tui.tui.screens.prompt import GitPrompt
from gimlet_tui.tui.start_up import start_over

__all__ = ["GimletApp", "TuiOptions", "run_app"]

START_UP = 3.0  # seconds after which the start is over, whatever was shown


@runtime_checkable
class Explains(Protocol):
    """A node that can say why one of its actions cannot run now."""

    def why_not(self, action: str) -> str | None: ...


class GimletApp(App[None]):
    """gimlet-tui: releases of a gitops repository, and rollback from the keyboard."""

    TITLE = "gimlet-tui"
    BINDINGS: ClassVar[list[BindingType]] = bindings(APP)

    def __init__(self, options: TuiOptions) -> None:
        super().__init__()
        self.key_order = KeyOrder(self)
        self.askpass = AskpassServer(self.ask_from_thread)
        # git and ssh never ask on the terminal the app draws on: their questions come here.
        self.options = replace(options, access=replace(options.access, terminal=False, prompter=self.askpass))

    def on_mount(self) -> None:
        # The start is over when the first rows are painted, or after this when none come (no envs,
        # a failed read): the garbage collector runs again, and an early walk nobody took is stopped.
        self.set_timer(START_UP, start_over)
        self.askpass.start()
        self.set_keymap(dict(self.options.keymap))
        remembered = last_theme()
        if remembered in self.available_themes and not os.environ.get("TEXTUAL_THEME"):  # the variable wins
            self.theme = remembered
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(MainScreen(self.options))
        for line in take_reports():  # what the core did on opening, before the screen was there
            self.post_message(RepositoryNotice(safe(line)))
        if self.is_web:
            # Served to a browser (`gimlet-tui serve`): if the server is killed outright, nothing
            # ever asks this app to quit, so it quits when its parent process is gone.
            self.served_by = os.getppid()
            self.set_interval(2.0, self._quit_when_orphaned)

    def on_repository_notice(self, message: RepositoryNotice) -> None:
        """What the core did on its own (it finished an interrupted rollback): said, never hidden."""
        self.notify(message.text, title="Repository repaired", severity="warning", timeout=20, markup=False)

    def _quit_when_orphaned(self) -> None:
        if os.getppid() != self.served_by:
            self.exit()

    def on_unmount(self) -> None:
        self.askpass.close()

    def ask_from_thread(self, question: Question) -> str | None:
        """Show `question` as a modal and wait for the answer (called from the askpass server's thread)."""
        answered = threading.Event()
        answer: list[str | None] = [None]

        def done(value: str | None) -> None:
            answer[0] = value
            answered.set()

        def show() -> None:  # on the event loop, where every widget is made
            self.push_screen(GitPrompt(question), done)

        try:
            self.call_from_thread(show)
        except RuntimeError:  # the app is not running (any more): nobody can answer
            return None
        while not answered.wait(0.2):
            if not self.is_running:
                return None
        return answer[0]

    def _theme_changed(self, theme: Theme) -> None:
        remember_theme(theme.name)

    # -- keys typed ahead ------------------------------------------------------------------------

    def _typed_ahead(self, event: events.Key) -> bool:
        screen = self.screen
        if isinstance(screen, GatedModal) and screen.typed_before(event):
            screen.ignore(event)
            return True
        return False

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        # A key from the terminal: one at a time, each forwarded to whatever has the focus once the key
        # before it has been handled (`key_order`), and never to a gated modal it was typed before.
        if self.key_order.hold(event):
            return
        try:
            if not self._typed_ahead(event):
                await super().on_event(event)
        finally:
            self.key_order.follow(self.focused or self.screen)

    def on_key(self, event: events.Key) -> None:
        # The same key back from the old screen's widgets, before the bindings of the screen now on top.
        if self._typed_ahead(event):
            event.prevent_default()

    # -- actions that cannot run say why ---------------------------------------------------------

    async def run_action(
        self,
        action: str | actions.ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run the action; if it cannot run here, notify the target's reason instead of doing nothing."""
        destination, name, parameters = action if isinstance(action, tuple) else actions.parse(action)
        target = default_namespace or self
        if not destination and isinstance(target, Explains) and not target.check_action(name, parameters):
            reason = target.why_not(name)
            if reason:
                self.notify(reason, title="Not now", severity="warning", markup=False)
                return True
        return await super().run_action(action, default_namespace, namespaces)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Theme and Quit from Textual, then the main screen's actions from the key table."""
        yield SystemCommand("Theme", "Change the colours (remembered for next time)", self.action_change_theme)
        yield SystemCommand("Quit", "Quit gimlet-tui", self.action_quit)
        if isinstance(screen, MainScreen):
            yield from screen.palette_commands()


def run_app(options: TuiOptions) -> int:
    GimletApp(options).run()
    return 0
