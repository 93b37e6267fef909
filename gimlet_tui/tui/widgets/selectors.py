"""The env and app selectors: option lists that move with arrows or j/k, and with the mouse."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from gimlet_tui.gitops import AppSummary
from gimlet_tui.text import safe, short_ago
from gimlet_tui.tui.glyphs import glyphs
from gimlet_tui.tui.keys import NAV, bindings
from gimlet_tui.tui.look import Look, look_of
from gimlet_tui.tui.styled import span
from gimlet_tui.tui.widgets.navigation import ListNavigation


class Selector(ListNavigation, OptionList):
    DEFAULT_CSS = """
    Selector {
        padding: 0 0 0 1;
        border: round $primary 50%;
    }
    Selector:focus {
        border: round $accent;
    }
    Selector > .option-list--option-highlighted {
        background: $primary 20%;
        color: $foreground;
    }
    Selector:focus > .option-list--option-highlighted {
        background: $primary 45%;
        color: $foreground;
        text-style: bold;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(NAV)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Where enter sends the focus, at once: keys typed after enter land there (OptionSelected
        # would arrive after them).
        self.then_focus: str | None = None
        # What a move from the keyboard means, called at once (OptionHighlighted comes after the
        # screen has painted the move).
        self.on_move: Callable[[str], None] | None = None

    def action_select(self) -> None:
        super().action_select()
        if self.then_focus is not None and self.highlighted is not None:
            self.screen.set_focus(self.screen.query_one(f"#{self.then_focus}"))

    def nav_index(self) -> int | None:
        return self.highlighted

    def nav_count(self) -> int:
        return self.option_count

    def nav_go(self, index: int) -> None:
        self.highlighted = index
        if self.on_move is not None and (chosen := self.chosen) is not None:
            self.on_move(chosen)

    def nav_height(self) -> int:
        return self.scrollable_content_region.height

    def choose(self, option_id: str | None) -> None:
        """Highlight the option with `option_id` (or the first) without the user moving."""
        if self.option_count == 0:
            return
        try:
            self.highlighted = self.get_option_index(option_id) if option_id else 0
        except OptionDoesNotExist:
            self.highlighted = 0

    @property
    def chosen(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id


class EnvList(Selector):
    """The envs of the repository."""

    DEFAULT_CSS = """
    EnvList {
        height: auto;
        max-height: 7;
    }
    """

    def show(self, envs: list[str], chosen: str | None) -> None:
        self.clear_options()
        self.add_options([Option(Text(safe(env)), id=env) for env in envs])
        self.choose(chosen if chosen in envs else None)


class AppList(Selector):
    """The apps of the chosen env, each with its deployed version and when it last changed."""

    DEFAULT_CSS = """
    AppList {
        height: 1fr;
    }
    """

    NAME_WIDTH = 10

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.apps: list[AppSummary] = []
        self.then_focus = "timeline"

    def show(self, apps: list[AppSummary], chosen: str | None, now: float) -> None:
        self.apps = apps
        self.clear_options()
        self.add_options([Option(prompt, id=app.name) for app, prompt in zip(apps, self._prompts(now), strict=True)])
        names = [a.name for a in apps]
        if chosen not in names:
            chosen = next((a.name for a in apps if not a.deleted), None)
        self.choose(chosen)

    def tick(self, now: float) -> None:
        """Write the ages again (they grow while the app stays open), keeping the highlight."""
        for index, prompt in enumerate(self._prompts(now)):
            self.replace_option_prompt_at_index(index, prompt)

    def _prompts(self, now: float) -> list[Text]:
        width = min(self.NAME_WIDTH, max((len(a.name) for a in self.apps), default=0))
        look = look_of(self.app)
        return [self._prompt(app, width, now, look) for app in self.apps]

    @staticmethod
    def _prompt(app: AppSummary, width: int, now: float, look: Look) -> Text:
        name = safe(app.name)
        name = name if len(name) <= width else name[: width - 1] + glyphs().ellipsis[0]
        text = span(f"{name:<{width}} ", look("heading") if not app.deleted else "")
        if app.deleted:
            text.append("deleted", style=look("deleted"))
        else:
            text.append(f"{safe((app.version_sha or '')[:6]):<6} ")
            text.append(short_ago(app.last_changed_at, now), style=look("muted"))
        return text
