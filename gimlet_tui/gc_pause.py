"""Python's cyclic garbage collector, paused while the `gimlet-tui` process starts.

Starting makes tens of thousands of objects that live to the end (modules, classes, Textual's styles
and widgets) and few garbage cycles, and the collector walks them again and again: at 100,000 commits,
sixteen young collections (about 1 ms each) and one full one (22 ms) came before the TUI's first rows
were painted. The process pauses the collector as it starts (`pause`, in `cli.main.process_main`) and
resumes it once the start is over (`resume`: a CLI verb's modules loaded, or the TUI's first rows
painted), with what was made so far frozen: kept out of every later collection, so a full collection
later walks only what came after. The TUI collects first (`resume(collect=True)`, after its first
paint): its start-up opened repositories, and a garbage cycle frozen with one would keep its file
descriptor and pack files mapped for the whole session (a pack `git gc` deletes would keep its disk
space). A CLI verb resumes before it opens anything: what is frozen unreachable then is the imports'
own garbage, never collected (a collection there would cost more than the pause saved).

Only the process's own entry point pauses: `main` called in a test process leaves the collector alone.
"""

from __future__ import annotations

import gc

_paused = [False]  # by `pause`, until `resume`


def pause() -> None:
    """Pause the collector (it is resumed by `resume`)."""
    if gc.isenabled():
        gc.disable()
        _paused[0] = True


def resume(collect: bool = False) -> None:
    """The start is over: (collect, then) freeze what exists and let the collector run again.

    Once; later calls do nothing.
    """
    if _paused[0]:
        _paused[0] = False
        if collect:
            gc.collect()
        gc.freeze()
        gc.enable()
