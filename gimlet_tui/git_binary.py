"""The git binary for read-only questions: where it is, and the environment it answers them in.

Standard library only, so that the command line can start git before it loads the engine
(`early_walk`); the engine's walks (`gitops.git_revlist`) and commit-graph writes use the same two.
"""

from __future__ import annotations

import os
import shutil
from functools import cache

# What would point git at another repository or change what it reads than libgit2 does.
_UNSET = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_SHALLOW_FILE",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
)


@cache
def git_executable() -> str | None:
    """The git binary on PATH, or None (also when GIMLET_TUI_NO_GIT is set: walks use pygit2 alone)."""
    if os.environ.get("GIMLET_TUI_NO_GIT"):
        return None
    return shutil.which("git")


def git_environment() -> dict[str, str]:
    """The environment git runs in: ours, less what would point it elsewhere or read paths differently."""
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update({"GIT_NO_REPLACE_OBJECTS": "1", "GIT_LITERAL_PATHSPECS": "1", "LC_ALL": "C"})
    return env
