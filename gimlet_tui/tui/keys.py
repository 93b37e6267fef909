"""The one key table: every key of the TUI, its binding id, its label and its help text.

Each screen's and widget's BINDINGS, the command palette and the help screen are built from it, so a
key is named once. Every binding has an `id`, so Textual's keymap rebinds it by that name (the help
screen shows the keys in force).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Command:
    """One thing a key does."""

    id: str  # the binding id: a keymap names it to rebind the key
    keys: str  # default keys, comma-separated, in Textual's names ("" for the palette only)
    action: str
    label: str  # the footer's word, and the palette's title
    help: str  # a line for the help screen and the palette
    footer: bool = True
    palette: str = ""  # its title in the command palette ("" when it is not offered there)


@dataclass(frozen=True)
class Section:
    """A group of commands as the help screen shows them."""

    title: str
    commands: tuple[Command, ...]


def bindings(commands: Iterable[Command]) -> list[BindingType]:
    """Textual bindings for `commands`, each with its id (palette-only commands have none)."""
    return [Binding(c.keys, c.action, c.label, show=c.footer, id=c.id) for c in commands if c.keys]


def shown_keys(command: Command, keymap: Mapping[str, str]) -> str:
    """The keys in force for `command` (the keymap's, else the default), as a person writes them."""
    keys = keymap.get(command.id, command.keys)
    return " / ".join(_KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


_KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "esc", "space": "space"}

# Moving, in every list (the timeline, the env and app selectors).
LIST = (
    Command("list.down", "j", "cursor_down", "Down", "move down", footer=False),
    Command("list.up", "k", "cursor_up", "Up", "move up", footer=False),
)

TIMELINE = (Command("timeline.details", "enter", "select_cursor", "Details", "every field of the highlighted release"),)

DEPLOY_BAR = (
    Command("bar.older", "left,h", "move(-1)", "Older", "in the recent-deploys bar: an older deploy", footer=False),
    Command("bar.newer", "right,l", "move(1)", "Newer", "in the recent-deploys bar: a newer deploy", footer=False),
)

MAIN = (
    Command(
        "rollback",
        "r",
        "rollback",
        "Rollback",
        "roll back to the highlighted release (asks first)",
        palette="Roll back to the selected release",
    ),
    # Reached only while the one above is disabled: says why instead of doing nothing.
    Command(
        "rollback.explain", "r", "explain_rollback", "Rollback", "why rolling back is not possible here", footer=False
    ),
    Command(
        "diff", "d", "show_diff", "Diff", "what the highlighted release changed", palette="Diff of the selected release"
    ),
    Command(
        "details",
        "",
        "show_details",
        "Details",
        "every field of the highlighted release",
        footer=False,
        palette="Details of the selected release",
    ),
    Command("filter", "slash", "filter", "Filter", "show releases whose text matches", palette="Filter the timeline"),
    Command("filter.clear", "escape", "clear_filter", "Clear filter", "clear the filter", footer=False),
    Command("go.envs", "e", "focus('envs')", "Envs", "jump to the env selector", footer=False, palette="Go to envs"),
    Command("go.apps", "a", "focus('apps')", "Apps", "jump to the app selector", footer=False, palette="Go to apps"),
    Command(
        "go.bar",
        "b",
        "focus('deploy-bar')",
        "Bar",
        "jump to the recent-deploys bar",
        footer=False,
        palette="Go to the recent deploys",
    ),
    Command(
        "go.timeline",
        "",
        "focus('timeline')",
        "Timeline",
        "jump to the timeline",
        footer=False,
        palette="Go to the timeline",
    ),
    Command("reload", "R", "reload", "Reload", "read the repository again", palette="Reload"),
    Command("fetch", "f", "fetch", "Fetch", "fetch remote repositories, then reload", footer=False, palette="Fetch"),
    Command(
        "push.toggle",
        "",
        "toggle_push",
        "Push rollbacks",
        "in a local clone, push the reverts before moving the branch",
        footer=False,
        palette="Push rollbacks to the upstream",
    ),
    Command("help", "question_mark", "help", "Help", "every key", palette="Help"),
    Command("quit", "q", "quit", "Quit", "quit gimlet-tui"),
)

CONFIRM = (
    Command("confirm.yes", "y", "confirm", "Roll back", "in the confirmation: roll back"),
    Command("confirm.no", "n,escape", "cancel", "Cancel", "in the confirmation: cancel"),
    Command("confirm.diff", "d", "diff", "Full diff", "in the confirmation: the exact diff the rollback applies"),
)

VIEWER = (
    Command("view.close", "escape,q", "close", "Close", "close this view"),
    Command("view.down", "j", "scroll_down", "Down", "scroll down", footer=False),
    Command("view.up", "k", "scroll_up", "Up", "scroll up", footer=False),
)

DETAILS = (Command("details.diff", "d", "diff", "Diff", "in the details: the release's diff"),)

HELP_CLOSE = (Command("help.close", "escape,q,question_mark", "close", "Close", "close the help"),)

SECTIONS = (
    Section("Moving", LIST + TIMELINE + DEPLOY_BAR + tuple(c for c in MAIN if c.id.startswith("go.") and c.keys)),
    Section(
        "Acting",
        tuple(c for c in MAIN if c.id in ("rollback", "diff", "filter", "filter.clear", "reload", "fetch")) + CONFIRM,
    ),
    Section("Anywhere", tuple(c for c in MAIN if c.id in ("help", "quit")) + VIEWER[:1]),
)
