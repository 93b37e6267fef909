"""The TUI's git work: plain functions that run in thread workers, each with explicit arguments.

Each opens its own repository (pygit2 objects are not shared across threads), posts what it found
with `post`, and checks for cancellation while walking. Errors leave as exceptions; the screen turns
them into `GitWorkFailed` (the core has already made them one-line `GitopsError`s). Nothing here
touches a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Event

from textual.message import Message
from textual.worker import get_current_worker

from gimlet_tui.gitops import (
    GitopsError,
    GitopsRepo,
    HistoryEntry,
    Identity,
    PartlyApplied,
    RollbackPlan,
    apply_rollback,
    apps_at_head,
    commit_diff,
    configured_identity,
    iter_history,
    list_apps,
    plan_redeploy,
    plan_rollback,
    push_destination,
    take_reports,
)
from gimlet_tui.gitops.urls import Access
from gimlet_tui.text import safe
from gimlet_tui.tui.messages import (
    AppsLoaded,
    DiffLoaded,
    EnvsLoaded,
    GitWorkFailed,
    HistoryBatch,
    RepositoryNotice,
    RollbackFinished,
    RollbackPlanned,
    TransferProgress,
)
from gimlet_tui.workspace import EnvSource, Workspace, fetch_remotes, rediscover

Post = Callable[[Message], object]

BATCH = 100  # later batches: small, so that a key waits for one batch at most
FIRST_ROWS_WAIT = 5.0  # seconds a worker waits at most for the first rows to be painted

# What each worker group does, in the words of an error's title.
TASKS = {
    "envs": "Could not read the workspace",
    "fetch": "Could not fetch",
    "apps": "Could not list the apps",
    "history": "Could not read the history",
    "diff": "Could not read the diff",
    "rollback": "Not rolled back: nothing was changed",
    "rollback-partial": "Rolled back only in part",
    "rollback-unknown": "The rollback failed: check the repository",
}


def task_of(group: str, error: BaseException | None) -> str:
    """The task a failed worker was doing, in `TASKS`' words: a rollback that changed something is its own."""
    if group == "rollback" and isinstance(error, PartlyApplied):
        return "rollback-partial"
    if group == "rollback" and not isinstance(error, GitopsError):
        return "rollback-unknown"
    return group


def opened(post: Post, source: EnvSource, access: Access, fetch_now: bool = False, clone: bool = True) -> GitopsRepo:
    """The env's repository, opened in this thread; what the core did on its own on opening is posted.

    With `clone` False a remote's mirror must exist: `load_envs` fetched it (or failed to), so a
    question the user cancelled there is not asked again behind their back.
    """
    repo = source.open(access, fetch_now=fetch_now, clone=clone)
    post_notices(post)
    return repo


def post_notices(post: Post) -> None:
    """Post the lines the core kept about what it did on its own (an interrupted rollback finished)."""
    for line in take_reports():
        post(RepositoryNotice(safe(line)))


def load_envs(post: Post, workspace: Workspace, access: Access, fetch: bool, clones: bool = False) -> None:
    """Fetch the remote repositories (when asked; with `clones`, local clones' upstreams too), then discover the envs again."""
    if fetch:

        def progress(url: str) -> Callable[[int, int, int], None]:
            def report(received: int, total: int, _size: int) -> None:
                post(TransferProgress(url, received, total))

            return report

        for reason in fetch_remotes(workspace, access, progress, clones):
            post(GitWorkFailed("fetch", safe(reason)))
        post(TransferProgress("", 0, 0))
    envs = rediscover(workspace)
    post_notices(post)
    post(EnvsLoaded(envs))


def load_apps(post: Post, source: EnvSource, access: Access, head_first: Event | None) -> None:
    """The env's apps with when each last changed; with `head_first`, the apps at the head before (no walk).

    The walk then waits until `head_first` is set (the screen sets it once the first rows are painted),
    so that it does not compete with them.
    """
    repo = opened(post, source, access, clone=False)
    info = repo.info()
    if head_first is not None:
        post(AppsLoaded(source.name, apps_at_head(repo, source.name), info, complete=False))
        head_first.wait(FIRST_ROWS_WAIT)
        if get_current_worker().is_cancelled:
            return
    post(AppsLoaded(source.name, list_apps(repo, source.name), info))


def load_history(
    post: Post, source: EnvSource, access: Access, app: str, generation: int, first: int, painted: Event
) -> None:
    """Stream the app's history: `first` entries (one screenful) first, then batches of `BATCH`, each
    once the screen has shown the one before (`painted`, set by the screen after each batch)."""
    worker = get_current_worker()
    env = source.name
    repo = opened(post, source, access, clone=False)
    head = str(repo.head_commit().id)
    batch: list[HistoryEntry] = []
    size = first
    for entry in iter_history(repo, env, app, head=head):
        if worker.is_cancelled:
            return
        batch.append(entry)
        if len(batch) >= size:
            # Each batch waits until the screen has shown the one before: the first rows paint
            # before more arrive, and a key is never queued behind a flood of batches.
            painted.clear()
            post(HistoryBatch(env, app, generation, tuple(batch), False, head))
            painted.wait(FIRST_ROWS_WAIT)
            batch, size = [], BATCH
    post(HistoryBatch(env, app, generation, tuple(batch), True, head))


def load_diff(post: Post, source: EnvSource, access: Access, sha: str) -> None:
    post(DiffLoaded(sha, commit_diff(opened(post, source, access, clone=False), sha)))


def plan(
    post: Post, source: EnvSource, access: Access, app: str, sha: str, push: bool, action: str = "rollback"
) -> None:
    """Plan a rollback (or a redeploy) where it will land.

    A remote repository is fetched first, so the plan is made on the server's tip; a clone that will
    push to its upstream is fetched and fast-forwarded first (or refused, when it diverged).
    """
    repo = opened(post, source, access, fetch_now=source.remote)
    destination = push_destination(repo, None if push else False)
    note = None
    if destination is not None and repo.origin is None:
        # Imported here for start-up time: the transport loads only where something is pushed.
        from gimlet_tui.gitops.upstream import ready_to_push

        note = ready_to_push(repo, access).note
    planner = plan_redeploy if action == "redeploy" else plan_rollback
    post(RollbackPlanned(planner(repo, source.name, app, sha), destination, note))


def apply(
    post: Post, source: EnvSource, access: Access, confirmed: RollbackPlan, who: Identity | None, push: bool
) -> None:
    """Carry out the plan the user confirmed; say where it landed."""
    repo = opened(post, source, access)
    destination = push_destination(repo, None if push else False)
    result = apply_rollback(
        repo, confirmed, who or configured_identity(repo), push_upstream=None if push else False, access=access
    )
    # Imported here for start-up time: read only after a change was made.
    from gimlet_tui.gitops.flux import reconcile_command
    from gimlet_tui.gitops.upstream import not_pushed

    if destination is not None:
        post(RollbackFinished(result, destination, reconcile_command(repo, confirmed.env, confirmed.app)))
    else:
        post(RollbackFinished(result, None, None, not_pushed(repo)))
