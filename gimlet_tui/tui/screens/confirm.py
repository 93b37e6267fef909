"""The confirmation modal: exactly what a rollback will change, with Cancel focused."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Button, Footer, Input, Static

from gimlet_tui.describe import main_image, message, version_sha
from gimlet_tui.gitops import HistoryEntry, RollbackPlan
from gimlet_tui.text import ago, safe
from gimlet_tui.tui.glyphs import glyphs
from gimlet_tui.tui.keys import CONFIRM, NAV, bindings
from gimlet_tui.tui.look import Look, look_of
from gimlet_tui.tui.screens.diff import DiffScreen
from gimlet_tui.tui.screens.gate import GatedModal
from gimlet_tui.tui.styled import literal, span
from gimlet_tui.tui.widgets.navigation import ScrollNavigation


def _line(entry: HistoryEntry, now: float, look: Look) -> Text:
    text = span(f"{entry.short}", look("sha"))
    text.append("  ")
    text.append(f"{ago(entry.committed_at, now):<14} ")
    text.append(f"{version_sha(entry):<8} ")
    text.append(message(entry) if entry.is_release else f"[{entry.kind.value}] {safe(entry.subject)}")
    return text


def plan_summary(plan: RollbackPlan, now: float, look: Look) -> Text:
    """The modal's body: from -> to, the commits to revert, the skipped ones, the files."""
    text = Text()
    if plan.current is not None:
        text.append("current", style=look("current"))
        text.append(" ")
        text.append_text(_line(plan.current, now, look))
        text.append("\n")
    else:
        text.append("current (none: the app is deleted)\n", style=look("heading"))
    text.append("target  ", style=look("heading"))
    text.append_text(_line(plan.target, now, look))
    text.append("\n")
    before = main_image(plan.current) if plan.current else ""
    after = main_image(plan.target)
    if before or after:
        text.append("image   ", style=look("heading"))
        text.append(before or "(none)")
        text.append(f" {glyphs().arrow} ")
        text.append(after or "(none)", style=look("heading"))
        text.append("\n")
    text.append("\n")
    count = len(plan.reverts)
    if plan.redeploy:
        text.append(
            f"1 new commit will make the app what {plan.target.short} made it (no revert)\n",
            style=look("heading"),
        )
    else:
        text.append(
            f"{count} commit{'s' if count != 1 else ''} will be reverted, newest first:\n", style=look("heading")
        )
    for planned in plan.reverts:
        text.append("  ")
        text.append_text(_line(planned.entry, now, look))
        text.append("\n")
    if plan.skipped:
        text.append(f"{len(plan.skipped)} already rolled back, skipped:\n", style=look("muted"))
    for skipped in plan.skipped:
        text.append("  ")
        text.append_text(_line(skipped, now, look))
        text.append("\n")
    text.append(
        f"\n{len(plan.changes)} file{'s' if len(plan.changes) != 1 else ''} will change:\n", style=look("heading")
    )
    for change in plan.changes:
        text.append(f"  {change.status[0].upper()} {safe(change.path)} ")
        if change.binary:
            text.append("binary", style=look("muted"))
        else:
            text.append(f"+{change.added}", style=look("added"))
            text.append(f" -{change.removed}", style=look("removed"))
        text.append("\n")
    return text


class ConfirmRollback(ScrollNavigation, GatedModal[bool]):
    """Asks before anything is written. `y` or Roll back confirms; `n`, escape or Cancel cancels.

    Keys typed before it showed are ignored (see `GatedModal`); the NAV keys scroll the plan.
    """

    DEFAULT_CSS = """
    ConfirmRollback {
        align: center middle;
    }
    #confirm-dialog {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        border-title-color: $foreground;
        border-title-style: bold;
        border-subtitle-color: $foreground;
        background: $surface;
        padding: 0 1;
    }
    #confirm-body {
        height: auto;  /* its max-height follows the screen: see _fit */
    }
    #confirm-summary {
        text-wrap: nowrap;  /* one line per item, cut with an ellipsis when narrow */
        text-overflow: ellipsis;
    }
    #confirm-buttons {
        height: 3;
        align: center middle;
    }
    #confirm-buttons Button {
        margin: 0 1;
    }
    #confirm {
        color: auto 100%;  /* black or white, whichever reads on the theme's error colour */
    }
    #confirm-hint {
        width: auto;
        padding: 1 1;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(CONFIRM + NAV)

    def __init__(
        self,
        plan: RollbackPlan,
        now: float,
        protected: bool = False,
        destination: str | None = None,
        note: str | None = None,
    ) -> None:
        super().__init__()
        self.destination = destination  # where the commits go before anything moves here ("origin/main")
        self.note = note  # what was done to get ready (the branch fast-forwarded)
        self.plan = plan
        self.now = now
        self.protected = protected  # the user must type the env's name before anything is written
        self.on_confirm: Callable[[], None] | None = None  # called at once on confirming, before the modal goes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog") as dialog:
            verb = "Redeploy" if self.plan.redeploy else "Roll back"
            dialog.border_title = f"{verb} {safe(self.plan.env)}/{safe(self.plan.app)}?"
            with VerticalScroll(id="confirm-body"):
                yield Static(plan_summary(self.plan, self.now, look_of(self.app)), id="confirm-summary")
            if self.note:
                yield Static(literal(self.note, look_of(self.app)("muted")))
            if self.destination:
                yield Static(literal(f"Will push to {self.destination} (never forced).", look_of(self.app)("busy")))
            if self.protected:
                yield Static(
                    span(
                        f"{safe(self.plan.env)} is protected: type its name to {verb.lower()}",
                        look_of(self.app)("heading"),
                    )
                )
                yield Input(placeholder=safe(self.plan.env), id="confirm-name")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="cancel", variant="default")
                yield Button("Redeploy" if self.plan.redeploy else "Roll back", id="confirm", variant="error")
                yield Static("d: full diff", id="confirm-hint")
        yield Footer()

    def on_mount(self) -> None:
        if not self.query("#cancel"):
            return  # the app quit as this opened: nothing was composed (Textual skips mounting a closing screen)
        self._fit(self.size.height)
        self.call_after_refresh(self._say_it_scrolls)
        if self.protected:
            self.query_one("#confirm", Button).disabled = True
            self.query_one("#confirm-name", Input).focus()
        else:
            self.query_one("#cancel", Button).focus()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        """The plan takes what the screen leaves after the buttons (always in view) and the footer."""
        below = (
            2 + 3 + 1 + (1 if self.destination else 0) + (1 if self.note else 0) + (4 if self.protected else 0)
        )  # border, buttons, footer
        self.query_one("#confirm-body").styles.max_height = max(3, height - below)

    def _say_it_scrolls(self) -> None:
        """A long plan is cut at 80x24: the dialog's bottom border says how to read the rest."""
        if self.nav_view().max_scroll_y > 0:
            self.query_one("#confirm-dialog").border_subtitle = "more below: j, PgDn, G"

    def nav_view(self) -> VerticalScroll:
        return self.query_one("#confirm-body", VerticalScroll)

    def _name_typed(self) -> bool:
        return not self.protected or self.query_one("#confirm-name", Input).value.strip() == self.plan.env

    @on(Input.Changed, "#confirm-name")
    def _name_changed(self) -> None:
        self.query_one("#confirm", Button).disabled = not self._name_typed()

    @on(Input.Submitted, "#confirm-name")
    def _name_submitted(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        if not self._name_typed():
            self.notify(f"Type {safe(self.plan.env)} to roll back a protected env.", severity="warning")
            return
        if self.on_confirm is not None:
            self.on_confirm()
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_diff(self) -> None:
        title = f"What rolling {safe(self.plan.env)}/{safe(self.plan.app)} back to {self.plan.target.short} changes"
        self.app.push_screen(DiffScreen(title, self.plan.diff))

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)
