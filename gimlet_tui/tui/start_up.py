"""The end of the TUI's start: its first rows painted (or a few seconds passed without them)."""

from __future__ import annotations

from gimlet_tui import early_walk, gc_pause


def start_over() -> None:
    """Collect and resume the garbage collector paused while starting (`gc_pause`), and stop a git
    walk started early that nobody took (`early_walk`)."""
    gc_pause.resume(collect=True)
    early_walk.stop()
