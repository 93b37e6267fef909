"""Textual's footer, built again only when what it shows changes."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

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
        here = self.is_attached and screen is self.screen
        if here and self._bindings_ready and self._set_enabled_in_place(shown):
            self._shown = shown
            return
        if screen.app.app_focus and here:
            self._shown = shown  # (without focus, Textual catches up later: keep asking)
        super().bindings_changed(screen)

    def _set_enabled_in_place(self, shown: Shown) -> bool:
        """When only keys' enabled states changed (`r` on a row that can be rolled back to, or not),
        set them on the key widgets there: a rebuild mounts every key again and lays the whole screen
        out again, most of the time a cursor move took (27 ms of about 45 at 100x30)."""
        before = self._shown
        if before is None or len(before) != len(shown):
            return False
        if any(old[:3] != new[:3] or old[4] != new[4] for old, new in zip(before, shown, strict=True)):
            return False
        enabled = {(key, action): on for key, _, action, on, _ in shown}
        for widget in self.query(FooterKey):
            on = enabled.get((widget.key, widget.action))
            if on is not None and widget._disabled == on:
                widget._disabled = not on  # what Textual's key reads on a click (textual 8, checked by a test)
                widget.set_class(not on, "-disabled")
        return True
