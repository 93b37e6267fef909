"""One error family: pygit2 and OS errors leave the core as `GitFailure`, and each face prints one line."""

from __future__ import annotations

import os

import pytest

from gimlet_tui.cli import main
from gimlet_tui.gitops import GitFailure, GitopsError, GitopsRepo, list_apps, read_history
from helpers import git


def damage_an_old_tree(path) -> None:
    """Overwrite the loose object of an older commit's tree with garbage (git fsck would report it)."""
    tree = git(path, "rev-parse", "HEAD~1^{tree}").strip()
    loose = os.path.join(path, ".git", "objects", tree[:2], tree[2:])
    os.chmod(loose, 0o644)
    with open(loose, "wb") as handle:
        handle.write(b"garbage")


def test_a_damaged_repository_is_a_gitops_error_not_a_pygit2_one(make_repo):
    b = make_repo()
    for _ in range(3):
        b.deploy("staging", "api")
    damage_an_old_tree(b.path)
    repo = GitopsRepo.open(str(b.path))
    with pytest.raises(GitFailure, match="inflate"):
        read_history(repo, "staging", "api")
    with pytest.raises(GitFailure, match="inflate"):
        list_apps(repo, "staging")
    assert issubclass(GitFailure, GitopsError)


def test_the_cli_says_one_line_and_no_traceback(make_repo, capsys):
    b = make_repo()
    for _ in range(3):
        b.deploy("staging", "api")
    damage_an_old_tree(b.path)
    code = main(["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api", "--limit", "0"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_an_os_error_is_one_line_too(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["demo", str(blocker / "demo")])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1 and "a-file" in err
