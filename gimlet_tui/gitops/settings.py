"""Process-wide settings of libgit2 that suit how gimlet-tui reads repositories."""

from __future__ import annotations

import pygit2


def trust_object_store() -> None:
    """Read objects without recomputing their SHA-1, as git itself does on every read.

    libgit2 hashes each object it inflates to check it against its name: about a quarter of a cold
    walk. A damaged object still fails to inflate or parse and is reported (`git fsck` is the tool
    that checks hashes).
    """
    pygit2.settings.enable_strict_hash_verification(False)


def stream_objects() -> None:
    """Turn libgit2's object cache off for this process, and read objects as git does.

    Every git read here streams through history once: the object cache would only hold memory
    (380 MB on 100,000 commits, against 150 MB without it) for about 15% of speed.
    """
    pygit2.settings.enable_caching(False)
    trust_object_store()
