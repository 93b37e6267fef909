"""The two history walks (git naming the commits, pygit2 comparing every commit) give the same answers.

Random histories with merges (either side winning), deletions, re-creation, reverts and hand commits
touching several apps; `git log --first-parent -- <folder>` is the oracle for which commits changed.
"""

from __future__ import annotations

import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gimlet_tui.gitops import GitopsRepo, Layout, git_revlist, read_history
from gimlet_tui.gitops.walk import ChangeWalk
from helpers import Builder, git

APPS = ("api", "web", "worker")
step = st.one_of(
    st.tuples(st.just("deploy"), st.sampled_from(APPS), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.sampled_from(APPS), st.just(0)),
    st.tuples(st.just("hand"), st.sampled_from(APPS), st.integers(0, 3)),
    st.tuples(st.just("revert"), st.sampled_from(APPS), st.integers(1, 6)),
    st.tuples(st.just("merge"), st.sampled_from(APPS), st.integers(0, 5)),
)


def _deploy(b: Builder, app: str, content: int) -> None:
    b.deploy("staging", app, content=f"v{content}")


def _revert(b: Builder, app: str, back: int) -> None:
    """Put the app's folder back as it was `back` first-parent commits ago, with git's revert message."""
    older = git(b.path, "rev-parse", "--verify", "-q", f"HEAD~{back}", check=False).strip()
    if not older or not git(b.path, "ls-tree", older, f"staging/{app}").strip():
        return
    git(b.path, "rm", "-r", "-q", "--ignore-unmatch", f"staging/{app}")
    git(b.path, "checkout", older, "--", f"staging/{app}")
    git(b.path, "commit", "-q", "--allow-empty", "-m", f'Revert "{app}"\n\nThis reverts commit {older}.')


def _merge(b: Builder, app: str, shape: int) -> None:
    """A side branch from an older commit with a deploy or two, merged with one side or the other winning."""
    base = git(b.path, "rev-parse", "--verify", "-q", f"HEAD~{shape % 3}", check=False).strip() or "HEAD"
    git(b.path, "checkout", "-q", "-B", "side", base)
    _deploy(b, app, shape)
    if shape >= 3:
        _deploy(b, APPS[(APPS.index(app) + 1) % len(APPS)], shape)
    git(b.path, "checkout", "-q", "main")
    strategy = ["-s", "ours"] if shape in (1, 4) else ["-X", "theirs" if shape % 2 == 0 else "ours"]
    merged = subprocess.run(
        ["git", "-C", str(b.path), "merge", "-q", "--no-ff", *strategy, "-m", "Merge side", "side"],
        capture_output=True,
        env=_identity(),
    )
    if merged.returncode != 0:  # a conflict no strategy option resolves (modify/delete): leave it
        git(b.path, "merge", "--abort", check=False)


def _identity() -> dict[str, str]:
    import os

    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "Oracle",
        "GIT_AUTHOR_EMAIL": "o@e",
        "GIT_COMMITTER_NAME": "Oracle",
        "GIT_COMMITTER_EMAIL": "o@e",
    }


def build(path: Path, steps) -> Builder:
    b = Builder(path, Layout.SHARED)
    b.commit({"README.md": "# gitops\n"}, "Initial commit")
    _deploy(b, "api", 0)
    for kind, app, detail in steps:
        if kind == "deploy":
            _deploy(b, app, detail)
        elif kind == "delete" and git(b.path, "ls-tree", "HEAD", f"staging/{app}"):
            b.delete("staging", app)
        elif kind == "hand":
            other = APPS[(APPS.index(app) + 1) % len(APPS)]
            b.commit(
                {
                    f"staging/{app}/extra.yaml": f"n: {detail}\n",
                    f"staging/{other}/extra.yaml": None,
                    "values.yaml": "x",
                },
                "hand edit of two apps",
            )
        elif kind == "revert":
            _revert(b, app, detail)
        elif kind == "merge":
            _merge(b, app, detail)
    return b


def walk(repo: GitopsRepo, app: str, use_git: bool, stop: str | None = None) -> tuple[list, ChangeWalk]:
    paths = repo.app_paths("staging", app)
    change_walk = ChangeWalk(repo, paths, app, repo.head_commit().id, stop=stop, use_git=use_git)
    return list(change_walk), change_walk


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(step, max_size=14), pick=st.integers(0, 1000))
def test_git_and_pygit2_walks_agree(steps, pick):
    with tempfile.TemporaryDirectory() as tmp:
        b = build(Path(tmp) / "repo", steps)
        repo = GitopsRepo.open(str(b.path))
        every_commit = git(b.path, "rev-list", "--all").split()  # side branches too: stops off the chain
        stop = every_commit[pick % len(every_commit)]
        for app in APPS:
            oracle = git(b.path, "log", "--first-parent", "--format=%H", "--", f"staging/{app}").split()
            by_git, git_walk = walk(repo, app, use_git=True)
            here, pure_walk = walk(repo, app, use_git=False)
            assert by_git == here and [c.sha for c in here] == oracle
            assert git_walk.engine == "git" and pure_walk.engine == "pygit2"
            assert git_walk.exhausted and pure_walk.exhausted
            assert git_walk.compared == len(oracle) <= pure_walk.compared
            stopped_git, git_walk = walk(repo, app, use_git=True, stop=stop)
            stopped_here, pure_walk = walk(repo, app, use_git=False, stop=stop)
            assert stopped_git == stopped_here
            assert (git_walk.reached_stop, git_walk.exhausted) == (pure_walk.reached_stop, pure_walk.exhausted)
            on_chain = stop in git(b.path, "rev-list", "--first-parent", "HEAD").split()
            assert git_walk.reached_stop == on_chain


def test_a_walk_stopped_early_ends_git(make_repo, monkeypatch):
    b = make_repo()
    for _ in range(30):
        b.deploy("staging", "api")
    started: list[subprocess.Popen] = []
    real = subprocess.Popen

    def recording(*args, **kwargs):
        process = real(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(git_revlist.subprocess, "Popen", recording)
    monkeypatch.setenv("GIMLET_TUI_NO_INDEX", "1")
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api", limit=3)
    assert len(entries) == 3 and len(started) == 1
    assert started[0].returncode is not None  # killed and reaped, not left running


def test_git_failing_midway_falls_back_to_the_same_answer(make_repo, tmp_path, monkeypatch):
    b = make_repo()
    for n in range(12):
        b.deploy("staging", "api" if n % 3 else "web")
    # a git that names the first two commits, then dies
    broken = tmp_path / "git"
    broken.write_text('#!/bin/sh\n/usr/bin/env git "$@" | head -n 2\nexit 1\n')
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    repo = GitopsRepo.open(str(b.path))
    expected, _ = walk(repo, "api", use_git=False)
    monkeypatch.setattr(git_revlist, "git_executable", lambda: str(broken))
    found, change_walk = walk(repo, "api", use_git=True)
    assert found == expected and change_walk.engine == "pygit2" and len(found) == 8


@pytest.mark.parametrize("setting", ["GIMLET_TUI_NO_GIT", "PATH"])
def test_without_git_the_walk_uses_pygit2_alone(make_repo, monkeypatch, setting):
    b = make_repo()
    b.deploy("staging", "api")
    monkeypatch.setenv(setting, "1" if setting != "PATH" else "/nonexistent")
    git_revlist.git_executable.cache_clear()
    try:
        repo = GitopsRepo.open(str(b.path))
        found, change_walk = walk(repo, "api", use_git=None)
        assert change_walk.engine == "pygit2" and len(found) == 1
    finally:
        monkeypatch.undo()
        git_revlist.git_executable.cache_clear()


def test_log_settings_of_the_user_do_not_change_the_answer(make_repo):
    """`log.follow` and friends apply to `git log`, not to the plumbing the walk runs."""
    b = make_repo()
    b.deploy("staging", "api")
    git(b.path, "mv", "staging/api", "staging/moved")
    git(b.path, "commit", "-q", "-m", "rename")
    b.deploy("staging", "moved")
    git(b.path, "config", "log.follow", "true")
    repo = GitopsRepo.open(str(b.path))
    by_git, _ = walk(repo, "moved", use_git=True)
    here, _ = walk(repo, "moved", use_git=False)
    assert by_git == here and len(here) == 2
