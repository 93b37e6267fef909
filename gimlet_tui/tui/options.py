"""What the TUI is opened with: the workspace, the user's choices on the command line, the clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from gimlet_tui.gitops import Identity
from gimlet_tui.gitops.urls import Access
from gimlet_tui.workspace import Workspace


@dataclass(frozen=True)
class TuiOptions:
    """Everything the screens need from outside, passed in (never read from App attributes)."""

    workspace: Workspace
    read_only: bool = False  # --read-only: no way to roll back anywhere
    access: Access = Access()
    push: bool = True  # in a clone whose branch has an upstream: push there before moving it (--no-push: local)
    start_env: str | None = None  # where to open, before the remembered choice
    start_app: str | None = None
    identity: Identity | None = None  # who makes the revert commits (default: the repository's git config)
    clock: Callable[[], float] = time.time  # pinned in tests and screenshots
    keymap: Mapping[str, str] = field(default_factory=dict)  # binding id -> keys
