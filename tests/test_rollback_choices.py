"""The core behind the CLI's habits: rollback to the previous release, the reason trailer, time windows, completion data."""

from __future__ import annotations

import pytest

from gimlet_tui.gitops import (
    BadInput,
    GitopsRepo,
    Identity,
    RollbackRefused,
    apply_rollback,
    check_reason,
    known_targets,
    plan_rollback,
    read_history,
)
from helpers import compared, git, refused_without_change

OPS = Identity("Ops", "ops@acme.dev")


def open_repo(b) -> GitopsRepo:
    return GitopsRepo.open(str(b.path))


def test_previous_is_the_release_before_current(make_repo):
    b = make_repo()
    older = b.deploy("staging", "api")
    current = b.deploy("staging", "api")
    b.deploy("staging", "web")
    plan = plan_rollback(open_repo(b), "staging", "api")
    assert plan.target.sha == older and plan.current is not None and plan.current.sha == current


def test_previous_after_a_rollback_is_one_further_back(make_repo):
    """Right after a rollback, "previous" means one release back from what runs now, as `j r y` in the TUI."""
    b = make_repo()
    first = b.deploy("staging", "api")
    second = b.deploy("staging", "api")
    b.deploy("staging", "api")
    repo = open_repo(b)
    apply_rollback(repo, plan_rollback(repo, "staging", "api"), OPS)  # back to `second`
    plan = plan_rollback(open_repo(b), "staging", "api")
    assert plan.current is not None and plan.current.sha == second
    assert plan.target.sha == first


def test_previous_passes_over_rolled_back_releases_and_deletions(make_repo):
    b = make_repo()
    wanted = b.deploy("staging", "api")
    bad = b.deploy("staging", "api")
    git(b.path, "revert", "--no-edit", bad)  # `bad` is ROLLED BACK, `wanted` current
    b.delete("staging", "api")
    newest = b.deploy("staging", "api")  # current again; below it a deletion, then `bad`, then `wanted`
    plan = plan_rollback(open_repo(b), "staging", "api")
    assert plan.current is not None and plan.current.sha == newest
    assert plan.target.sha == wanted


def test_previous_of_a_deleted_app_brings_back_its_last_release(make_repo):
    b = make_repo()
    last = b.deploy("staging", "api")
    b.delete("staging", "api")
    plan = plan_rollback(open_repo(b), "staging", "api")
    assert plan.current is None and plan.target.sha == last


def test_no_earlier_release_is_a_one_line_refusal(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    refused_without_change(
        b.path,
        RollbackRefused,
        "^staging/api has no earlier release to roll back to on main$",
        lambda: plan_rollback(open_repo(b), "staging", "api"),
    )


def test_reason_is_a_trailer_git_reads(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    b.deploy("staging", "api")
    b.deploy("staging", "api")
    repo = open_repo(b)
    plan = plan_rollback(repo, "staging", "api", read_history(repo, "staging", "api")[2].sha)
    result = apply_rollback(repo, plan, OPS, reason="  checkout errors after 14:02 ")
    assert len(result.commits) == 2
    for commit in result.commits:
        trailers = git(b.path, "log", "-1", "--format=%(trailers:key=Rollback-Reason,valueonly)", commit.sha)
        assert trailers.strip() == "checkout errors after 14:02"
    git(b.path, "fsck", "--strict", "--no-dangling")  # exit 0: the commits are well-formed


def test_no_reason_no_trailer(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    b.deploy("staging", "api")
    repo = open_repo(b)
    apply_rollback(repo, plan_rollback(repo, "staging", "api"), OPS, reason="   ")
    assert "Rollback-Reason" not in git(b.path, "log", "-1", "--format=%B")


@pytest.mark.parametrize("reason", ["two\nlines", "tab\there", "bell\x07", "escape \x1b[31m", "bidi \u202e", "x" * 501])
def test_bad_reasons_are_refused_before_anything_is_written(make_repo, reason):
    b = make_repo()
    b.deploy("staging", "api")
    b.deploy("staging", "api")
    repo = open_repo(b)
    plan = plan_rollback(repo, "staging", "api")
    refused_without_change(b.path, BadInput, "^bad reason: ", lambda: apply_rollback(repo, plan, OPS, reason=reason))
    with pytest.raises(BadInput):
        check_reason(reason)


def test_time_window(make_repo):
    b = make_repo()
    shas = [b.deploy("staging", "api") for _ in range(6)]
    t = [int(git(b.path, "log", "-1", "--format=%ct", sha)) for sha in shas]  # a minute apart
    repo = open_repo(b)

    def window(**kwargs):
        return [e.sha for e in read_history(repo, "staging", "api", **kwargs)]

    assert window(since=t[2]) == shas[:1:-1]  # at or after: inclusive
    assert window(until=t[2]) == shas[2::-1]
    assert window(since=t[1], until=t[4]) == shas[4:0:-1]
    assert window(since=t[1], limit=2) == shas[5:3:-1]
    assert window(since=t[5] + 1) == []
    states = {e.sha: e.current for e in read_history(repo, "staging", "api", until=t[2])}
    assert not any(states.values())  # CURRENT is the newest release of the whole history, outside the window


def test_since_stops_the_walk(make_repo, walks):
    b = make_repo()
    shas = [b.deploy("staging", "api") for _ in range(40)]
    since = int(git(b.path, "log", "-1", "--format=%ct", shas[-3]))
    entries = read_history(open_repo(b), "staging", "api", since=since, limit=None)
    assert [e.sha for e in entries] == shas[:-4:-1]
    assert 0 < compared(walks) < 15  # three in the window and a few past it (clock skew), not all 40


def test_known_targets_come_from_the_index_only(make_repo, walks):
    b = make_repo()
    shas = [b.deploy("staging", "api") for _ in range(4)]
    git(b.path, "revert", "--no-edit", shas[-1])
    repo = open_repo(b)
    assert known_targets(repo, "staging", "api") == []  # a cold index: nothing, and no walk
    assert walks == []
    read_history(repo, "staging", "api")  # fills the index
    walks.clear()
    targets = [e.sha for e in known_targets(open_repo(b), "staging", "api")]
    assert targets == [shas[1], shas[0]]  # not the rolled-back one, not CURRENT, not the revert
    assert walks == []


def test_known_targets_without_an_index(make_repo, monkeypatch):
    b = make_repo()
    b.deploy("staging", "api")
    b.deploy("staging", "api")
    read_history(open_repo(b), "staging", "api")
    monkeypatch.setenv("GIMLET_TUI_NO_INDEX", "1")
    assert known_targets(open_repo(b), "staging", "api") == []
