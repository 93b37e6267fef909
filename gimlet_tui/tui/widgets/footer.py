"""Textual's footer, built again only when what it shows changes."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

Shown = tuple[tuple[str, str, str, bool, str], ...]


class Footer(TextualFooter):
    """The key bar. Textual's rebuilds every key widget (and applies their styles again) on each
    refresh of the bindings: a cursor move, a focus change, any reactive declared with bindings=True.
    While the main screen starts that happened 17 times, the largest part of painting the first rows.
    Here it is rebuilt only when a key, its label or whether it is enabled changed.
    """

    _shown: Shown | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown and self._bindings_ready:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # (without focus, Textual catches up later: keep asking)
        super().bindings_changed(screen)
