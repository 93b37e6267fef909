"""What shell completion offers for `--to`: releases the history index already knows, never a walk.

Completion runs on every tab press, so it reads only what is cheap: env and app names come from
the head tree (`list_envs`, `apps_at_head`), release shas from the history index as it stands.
"""

from __future__ import annotations

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.history import with_states
from gimlet_tui.gitops.history_cache import stored_changes
from gimlet_tui.gitops.model import HistoryEntry
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.rollback import why_not_target

MOST_READ = 200  # newest index rows read for one completion


@at_edge
def known_targets(repo: GitopsRepo, env: str, app: str) -> list[HistoryEntry]:
    """The releases of `env/app` that can be rollback targets, newest first, as far as the index knows them.

    Empty when the index has not seen the app yet (any `release list` or the TUI fills it).
    """
    entries = with_states(stored_changes(repo, repo.app_paths(env, app), MOST_READ))
    return [entry for entry in entries if why_not_target(entry) is None]
