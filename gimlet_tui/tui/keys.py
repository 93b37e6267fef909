"""The one key table: every key of the TUI, its binding id, its label and its help text.

Each screen's and widget's BINDINGS, the command palette and the help screen are built from it, so a
key is named once. Every binding has an `id`, so a keymap (the workspace file's `keymap:`) rebinds it
by that name; `tui.keymap` checks such a keymap against the chains below, and the help screen shows
the keys in force.

One navigation everywhere: the NAV commands are bound on every list (timeline, selectors) and every
scrollable view (diff, details, help, the confirmation), each of which implements the `nav_*` actions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import BindingType


@dataclass(frozen=True)
class Command:
    """One thing a key does."""

    id: str  # the binding id: a keymap names it to rebind the key
    keys: str  # default keys, comma-separated, in Textual's names ("" for the palette only)
    action: str
    label: str  # the footer's word
    help: str  # a line for the help screen and the palette
    footer: bool = True
    palette: str = ""  # its title in the command palette ("" when it is not offered there)
    priority: bool = False  # matched before any widget sees the key (ctrl+c)


@dataclass(frozen=True)
class Section:
    """A group of commands as the help screen shows them."""

    title: str
    commands: tuple[Command, ...]


def bindings(commands: Iterable[Command]) -> list[BindingType]:
    """Textual bindings for `commands`, each with its id (palette-only commands have none)."""
    # Imported here for start-up time: `config check` reads this table to check a keymap without Textual.
    from textual.binding import Binding

    return [Binding(c.keys, c.action, c.label, show=c.footer, id=c.id, priority=c.priority) for c in commands if c.keys]


def keys_in_force(command: Command, keymap: Mapping[str, str]) -> list[str]:
    """The keys bound to `command` now: the keymap's, else the defaults (Textual's key names)."""
    keys = keymap.get(command.id, command.keys)
    return [key.strip() for key in keys.split(",") if key.strip()]


def shown_keys(command: Command, keymap: Mapping[str, str]) -> str:
    """The keys in force for `command`, as a person writes them."""
    return " ".join(_KEY_NAMES.get(key, key) for key in keys_in_force(command, keymap))


_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "down": "↓",
    "up": "↑",
    "left": "←",
    "right": "→",
}

# Moving, the same on every list and scrollable view.
NAV = (
    Command("nav.down", "j,down", "nav_down", "Down", "down one line", footer=False),
    Command("nav.up", "k,up", "nav_up", "Up", "up one line", footer=False),
    Command("nav.top", "g,home,ctrl+home", "nav_top", "Top", "to the top (the newest release)", footer=False),
    Command("nav.bottom", "G,end,ctrl+end", "nav_bottom", "Bottom", "to the bottom (the oldest release)", footer=False),
    Command("nav.half-down", "ctrl+d", "nav_half(1)", "Half down", "half a page down", footer=False),
    Command("nav.half-up", "ctrl+u", "nav_half(-1)", "Half up", "half a page up", footer=False),
    Command("nav.page-down", "pagedown", "nav_page(1)", "Page down", "a page down", footer=False),
    Command("nav.page-up", "pageup", "nav_page(-1)", "Page up", "a page up", footer=False),
)
NAV_ENDS = tuple(c for c in NAV if c.id in ("nav.top", "nav.bottom"))

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
    Command(
        "redeploy",
        "F",
        "redeploy",
        "Redeploy",
        "roll forward: make the app what the highlighted release made it, ROLLED BACK ones too (asks first)",
        footer=False,
        palette="Redeploy the selected release (roll forward)",
    ),
    Command(
        "undo",
        "u",
        "undo_rollback",
        "Undo",
        "undo the rollback just made: redeploy what was CURRENT before it (asks first)",
        footer=False,
        palette="Undo the last rollback",
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
    Command(
        "copy.sha",
        "c",
        "copy_sha",
        "Copy sha",
        "copy the highlighted release's gitops sha",
        footer=False,
        palette="Copy the gitops sha of the selected release",
    ),
    Command(
        "copy.command",
        "C",
        "copy_command",
        "Copy command",
        "copy the CLI command that rolls back to the highlighted release",
        footer=False,
        palette="Copy the rollback command for the selected release",
    ),
    Command(
        "open.url",
        "o",
        "open_url",
        "Open",
        "open the deployed version's commit in the browser",
        footer=False,
        palette="Open the commit of the selected release",
    ),
    Command(
        "filter", "slash", "filter", "Filter", "show only releases whose text matches", palette="Filter the timeline"
    ),
    Command(
        "filter.next", "n", "next_match(1)", "Next match", "the next release that matches the filter", footer=False
    ),
    Command("filter.previous", "N", "next_match(-1)", "Previous match", "the previous match", footer=False),
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
        "in a clone whose branch has an upstream, push rollbacks there first (the default), or keep them local",
        footer=False,
        palette="Push rollbacks to the upstream",
    ),
    Command(
        "screenshot",
        "",
        "screenshot",
        "Screenshot",
        "save an SVG screenshot in the current folder",
        footer=False,
        palette="Screenshot",
    ),
    Command("help", "question_mark", "help", "Help", "every key", palette="Help"),
    Command("quit", "q", "quit", "Quit", "quit gimlet-tui"),
)

# On every screen. ctrl+c quits before any widget sees the key, as in lazygit and k9s. The palette's key
# is here so that a keymap can move it and help lists it; unlike Textual's own, it is not a priority
# binding, which is matched before keys typed earlier have been handled.
APP = (
    Command("quit.now", "ctrl+c", "quit", "Quit", "quit at once, from any screen", footer=False, priority=True),
    Command(
        "palette", "ctrl+p", "command_palette", "Palette", "the command palette: every action by name", footer=False
    ),
)

CONFIRM = (
    Command("confirm.yes", "y", "confirm", "Confirm", "in the confirmation: do it (roll back or redeploy)"),
    Command("confirm.no", "n,escape", "cancel", "Cancel", "in the confirmation: cancel"),
    Command("confirm.diff", "d", "diff", "Full diff", "in the confirmation: the exact diff the rollback applies"),
)

PROMPT = (
    Command("prompt.answer", "enter", "answer", "Answer", "in a question from git or ssh: answer with what you typed"),
    Command("prompt.cancel", "escape", "cancel", "Cancel", "in a question from git or ssh: cancel (it then stops)"),
)

VIEWER = (Command("view.close", "escape,q", "close", "Close", "close this view (diff, details, help)"),)

DETAILS = (Command("details.diff", "d", "diff", "Diff", "in the details: the release's diff"),)

HELP_CLOSE = (Command("help.close", "question_mark", "close", "Close", "close the help", footer=False),)


def _main(*ids: str) -> tuple[Command, ...]:
    return tuple(c for c in MAIN if c.id in ids)


SECTIONS = (
    Section("Moving (every list and view)", NAV),
    Section("Where", (*_main("go.envs", "go.apps", "go.bar"), *DEPLOY_BAR)),
    Section(
        "The highlighted release",
        (*TIMELINE, *_main("rollback", "redeploy", "undo", "diff", "copy.sha", "copy.command", "open.url")),
    ),
    Section("Finding", _main("filter", "filter.next", "filter.previous", "filter.clear")),
    Section("The confirmation", CONFIRM),
    Section("A question from git or ssh (passphrase, password, host key)", PROMPT),
    Section("Anywhere", (*_main("reload", "fetch", "help", "quit"), *APP, *VIEWER)),
)

# Every node a key passes through, focused widget first: within one chain a key may do one thing only.
CHAINS: dict[str, tuple[Command, ...]] = {
    "the timeline": (*NAV, *TIMELINE, *MAIN, *APP),
    "the env and app lists": (*NAV, *MAIN, *APP),
    "the recent-deploys bar": (*DEPLOY_BAR, *NAV_ENDS, *MAIN, *APP),
    "the confirmation": (*NAV, *CONFIRM, *APP),
    "a question from git or ssh": (*PROMPT, *APP),
    "the details": (*NAV, *DETAILS, *VIEWER, *APP),
    "the help": (*NAV, *HELP_CLOSE, *VIEWER, *APP),
}

ALL: tuple[Command, ...] = tuple(
    {c.id: c for chain in CHAINS.values() for c in chain}.values()
)  # every command once, in table order
