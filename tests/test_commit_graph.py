"""Changed-path Bloom filters: written into the mirrors of remote repositories, suggested for a user's clone.

git itself is the judge: `git commit-graph verify`, and git's trace of how many commits its Bloom
filters ruled out while answering the walk's question.
"""

from __future__ import annotations

import json
import os
import subprocess
import time

from gimlet_tui.cli import commands, main
from gimlet_tui.gitops import GitopsRepo, read_history, speed_up_hint
from gimlet_tui.gitops.commit_graph import has_changed_paths
from gimlet_tui.gitops.remote import open_remote
from helpers import git


def bloom_statistics(git_dir, folder: str) -> dict[str, int]:
    """What git's Bloom filters did while listing the commits that changed `folder` (git's trace2)."""
    trace = os.path.join(git_dir, "..", "trace2.json")
    env = {**os.environ, "GIT_TRACE2_EVENT": os.path.abspath(trace)}
    subprocess.run(
        ["git", f"--git-dir={git_dir}", "rev-list", "--first-parent", "HEAD", "--", folder],
        check=True,
        capture_output=True,
        env=env,
    )
    with open(trace) as handle:
        events = [json.loads(line) for line in handle]
    os.unlink(trace)
    found = [e["value"] for e in events if e.get("category") == "bloom"]
    return found[-1] if found else {}


def covered(git_dir, commits: int) -> bool:
    """Every one of the `commits` commits on the chain was judged by a Bloom filter (none lacked one)."""
    if not has_changed_paths(git_dir):
        return False
    statistics = bloom_statistics(git_dir, "staging/api")
    judged = statistics.get("maybe", 0) + statistics.get("definitely_not", 0)
    return statistics.get("filter_not_present", 1) == 0 and judged >= commits - 1  # the root has no parent to compare


def eventually(check, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while not check():
        assert time.monotonic() < end, "not within the deadline"
        time.sleep(0.05)


def test_has_changed_paths_reads_the_graph_files(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    git_dir = str(b.path / ".git")
    assert not has_changed_paths(git_dir)
    git(b.path, "commit-graph", "write", "--reachable")  # what `git gc` writes: no filters
    assert not has_changed_paths(git_dir)
    git(b.path, "commit-graph", "write", "--reachable", "--changed-paths")
    assert has_changed_paths(git_dir)
    worktree = b.path.parent / "linked"
    git(b.path, "worktree", "add", "-q", "-b", "other", str(worktree))
    assert has_changed_paths(git(worktree, "rev-parse", "--absolute-git-dir").strip())


def test_the_mirror_of_a_remote_gets_bloom_filters_on_clone_and_fetch(make_repo, tmp_path):
    b = make_repo()
    for _ in range(3):
        b.deploy("staging", "api")
        b.deploy("staging", "web")
    bare = tmp_path / "served.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(bare))
    url = f"file://{bare}"
    mirror = open_remote(url)
    assert speed_up_hint(mirror) is None
    eventually(lambda: covered(mirror.git.path, 7))  # the initial commit and 6 deploys: written in the background
    newer = b.deploy("staging", "api")
    git(bare, "fetch", "-q", str(b.path), "main:main")
    mirror = open_remote(url)  # fetches
    eventually(lambda: covered(mirror.git.path, 8))
    git(mirror.git.path, "commit-graph", "verify")
    chain = mirror.git.path.rstrip("/") + "/objects/info/commit-graphs/commit-graph-chain"
    assert os.path.exists(chain) and has_changed_paths(mirror.git.path)
    assert read_history(mirror, "staging", "api")[0].sha == newer


def test_a_slow_first_read_suggests_the_command_and_the_command_works(make_repo, capsys, monkeypatch):
    b = make_repo()
    for _ in range(3):
        b.deploy("staging", "api")
    argv = ["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api", "-o", "json"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""  # fast: no hint
    monkeypatch.setattr(commands, "SLOW_READ", 0.0)  # every read is slow from here on
    assert main(argv) == 0
    assert capsys.readouterr().err == ""  # warm (the index knew the app): no hint
    monkeypatch.setenv("GIMLET_TUI_NO_INDEX", "1")  # every read walks
    assert main(argv) == 0
    cold_out, err = capsys.readouterr()
    assert cold_out == out and err.count("\n") == 1 and err.startswith("hint: ")
    command = err.split("run: ", 1)[1].strip()
    assert command == speed_up_hint(GitopsRepo.open(str(b.path)))
    subprocess.run(command, shell=True, check=True)  # the line a user would paste
    assert has_changed_paths(str(b.path / ".git"))
    assert main(argv) == 0
    assert capsys.readouterr().err == ""  # filters there: nothing to suggest
