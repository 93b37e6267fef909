"""The main screen's git work: thread workers that open their own repository and post messages.

Each worker is exclusive in its group (a new app cancels the old history walk); errors come back
as `GitWorkFailed` with a one-line reason. Nothing here touches a widget.
"""

from __future__ import annotations

import pygit2
from textual import work
from textual.worker import Worker, WorkerState, get_current_worker

from gimlet_tui.gitops import (
    GitopsError,
    HistoryEntry,
    commit_changes,
    execute_rollback,
    iter_history,
    list_apps,
    plan_rollback,
)
from gimlet_tui.gitops.remote import push_local_rollback, push_rollback
from gimlet_tui.text import safe
from gimlet_tui.tui.messages import (
    AppsLoaded,
    ChangesLoaded,
    EnvsLoaded,
    GitWorkFailed,
    HistoryBatch,
    RollbackFinished,
    RollbackPlanned,
    TransferProgress,
)

FIRST_BATCH = 40  # one screenful, shown before the rest of the history is read
BATCH = 500


class GitWork:
    """Mixed into the main screen: the workers, and turning their failures into messages."""

    @work(thread=True, exclusive=True, group="repo", exit_on_error=False)
    def load_envs(self, fetch: bool = False) -> None:
        if fetch:
            self._fetch_remotes()
        self.post_message(EnvsLoaded(self.app.workspace.refreshed()))

    def _fetch_remotes(self) -> None:
        """Fetch each remote repository once; a failure is shown and the cache is used."""

        def progress(url: str):
            return lambda received, total, _size: self.post_message(TransferProgress(url, received, total))

        for reason in self.app.workspace.fetch_remotes(self.app.access, progress):
            self.post_message(GitWorkFailed("fetch", safe(reason)))
        self.post_message(TransferProgress("", 0, 0))

    @work(thread=True, exclusive=True, group="apps", exit_on_error=False)
    def load_apps(self, env: str) -> None:
        repo = self.app.open_repo(env)
        self.post_message(AppsLoaded(env, list_apps(repo, env), repo.info()))

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load_history(self, env: str, app: str, generation: int) -> None:
        worker = get_current_worker()
        batch: list[HistoryEntry] = []
        size = FIRST_BATCH
        for entry in iter_history(self.app.open_repo(env), env, app):
            if worker.is_cancelled:
                return
            batch.append(entry)
            if len(batch) >= size:
                self.post_message(HistoryBatch(env, app, generation, tuple(batch), False))
                batch, size = [], BATCH
        self.post_message(HistoryBatch(env, app, generation, tuple(batch), True))

    @work(thread=True, exclusive=True, group="changes", exit_on_error=False)
    def load_changes(self, env: str, sha: str) -> None:
        self.post_message(ChangesLoaded(sha, commit_changes(self.app.open_repo(env), sha)))

    @work(thread=True, exclusive=True, group="rollback", exit_on_error=False)
    def plan(self, env: str, app: str, sha: str) -> None:
        source = self.app.source(env)
        repo = self.app.open_repo(env, fetch_now=source is not None and source.remote)  # plan on the server's tip
        self.post_message(RollbackPlanned(plan_rollback(repo, env, app, sha)))

    @work(thread=True, exclusive=True, group="rollback", exit_on_error=False)
    def execute(self, plan) -> None:
        source = self.app.source(plan.env)
        repo = self.app.open_repo(plan.env)
        who = self.app.identity(repo)
        if source is not None and source.remote:
            result = push_rollback(
                source.repo, source.branch or repo.branch, plan.env, plan.app, plan.target.sha, self.app.access, who,
                repo_per_env=source.repo_per_env, env_name=source.name,
                confirmed=tuple(p.entry.sha for p in plan.reverts),
            )
        elif self.app.push:
            result = push_local_rollback(repo, plan, who, self.app.access)
        else:
            result = execute_rollback(repo, plan, who)
        self.post_message(RollbackFinished(result))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, (GitopsError, pygit2.GitError, OSError)):
            reason = safe(error)
        else:
            reason = f"unexpected {type(error).__name__}: {safe(error)}"
        self.post_message(GitWorkFailed(event.worker.group, reason))
