"""The cold read's head start (`early_walk`): git's walk started before the engine loads, used only when exact.

Oracles: `git rev-list --first-parent HEAD -- env/app` for the history's commits, and the same read
made without the early walk.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gimlet_tui import early_walk
from gimlet_tui.cli.main import main
from gimlet_tui.gitops import GitopsRepo, Layout, read_history
from helpers import Builder, git


@pytest.fixture
def handed() -> Iterator[list[bool]]:
    """What each `take` answered (True: the early walk was handed over); no walk outlives the test."""
    answers: list[bool] = []
    original = early_walk.take

    def take(git_dir: str, start: str, folder: str):  # type: ignore[no-untyped-def]
        process = original(git_dir, start, folder)
        answers.append(process is not None)
        return process

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(early_walk, "take", take)
        yield answers
    early_walk.stop()


def deployed(b: Builder, count: int = 6) -> Builder:
    for n in range(count):
        b.deploy("staging", "api" if n % 2 == 0 else "web")
    return b


def shas(b: Builder, folder: str = "staging/api") -> list[str]:
    return git(b.path, "rev-list", "--first-parent", "HEAD", "--", folder).split()


def test_the_early_walk_is_used_and_gives_the_same_history(make_repo, handed):
    b = deployed(make_repo())
    assert early_walk.start(str(b.path), None, "staging", "api")
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert handed == [True] and early_walk._started == []
    assert [e.sha for e in entries] == shas(b)


def test_a_head_that_moved_after_the_start_is_read_from_the_new_head(make_repo, handed):
    b = deployed(make_repo())
    assert early_walk.start(str(b.path), None, "staging", "api")
    newest = b.deploy("staging", "api")  # a colleague's commit between the start and the read
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert handed == [False] and early_walk._started == []  # the stale walk was stopped
    assert entries[0].sha == newest and [e.sha for e in entries] == shas(b)


def test_a_first_question_for_another_app_stops_it_unused(make_repo, handed):
    b = deployed(make_repo())
    assert early_walk.start(str(b.path), None, "staging", "api")
    process = early_walk._started[0].process
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "web")
    assert [e.sha for e in entries] == shas(b, "staging/web") and handed == [False]
    assert process.returncode is not None and early_walk._started == []  # ended and reaped at once
    again = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert [e.sha for e in again] == shas(b) and handed == [False, False]


def test_a_repo_per_env_layout_asks_another_folder_and_stops_it(make_repo, handed):
    b = make_repo(Layout.REPO_PER_ENV)
    b.deploy("staging", "api")
    b.deploy("staging", "api")
    assert early_walk.start(str(b.path), None, "staging", "api")  # the layout is found only by reading the tree
    process = early_walk._started[0].process
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert len(entries) == 2 and handed == [False]
    assert process.returncode is not None and early_walk._started == []


def test_packed_refs_and_a_named_branch(make_repo, handed):
    b = deployed(make_repo())
    git(b.path, "branch", "release")
    git(b.path, "pack-refs", "--all")
    assert not (b.path / ".git/refs/heads/release").exists()
    assert early_walk.start(str(b.path), "release", "staging", "api")
    entries = read_history(GitopsRepo.open(str(b.path), branch="release"), "staging", "api")
    assert handed == [True] and [e.sha for e in entries] == shas(b)


def test_not_started_where_it_cannot_be_sure_or_is_not_needed(make_repo, monkeypatch, tmp_path):
    b = deployed(make_repo())
    path = str(b.path)
    assert not early_walk.start(path, None, "staging", "../api")  # not a name the walk could ask for
    assert not early_walk.start(path, None, "-staging", "api")
    assert not early_walk.start(path, "refs/tags/v1", "staging", "api")  # only branches are read
    assert not early_walk.start(str(tmp_path / "nowhere"), None, "staging", "api")
    git(b.path, "worktree", "add", "-q", str(tmp_path / "linked"))
    assert not early_walk.start(str(tmp_path / "linked"), None, "staging", "api")  # a .git file
    read_history(GitopsRepo.open(path), "staging", "api")  # the history index is there now: a warm read
    assert not early_walk.start(path, None, "staging", "api")
    monkeypatch.setenv("GIMLET_TUI_NO_INDEX", "1")  # no index: every read walks, so it starts
    assert early_walk.start(path, None, "staging", "api")
    early_walk.stop()
    git(b.path, "checkout", "-q", "--detach")
    assert not early_walk.start(path, None, "staging", "api")  # HEAD is not a branch


def test_the_cli_starts_it_and_prints_what_it_prints_without_it(make_repo, handed, capsys, monkeypatch):
    b = deployed(make_repo())
    argv = ["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api", "-o", "json"]
    assert main(argv) == 0
    with_early = capsys.readouterr().out
    assert handed == [True] and early_walk._started == []
    monkeypatch.setenv("XDG_CACHE_HOME", str(b.path.parent / "other-cache"))
    monkeypatch.setattr(early_walk, "start", lambda *_: False)
    assert main(argv) == 0
    assert capsys.readouterr().out == with_early and handed == [True, False]  # the second read had none to take


def test_a_limited_read_stops_it_early(make_repo, handed):
    b = deployed(make_repo(), 20)
    assert early_walk.start(str(b.path), None, "staging", "api")
    process = early_walk._started[0].process
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api", limit=2)
    assert handed == [True] and [e.sha for e in entries] == shas(b)[:2]
    assert process.returncode is not None  # ended by the walk, not left running
