"""Rollback: plans, revert commits, the git-revert oracle, and every refusal leaving the repository as it was."""

from __future__ import annotations

import shutil
import subprocess

import pygit2
import pytest

from gimlet_tui.gitops import (
    ALREADY_ROLLED_BACK,
    BranchMoved,
    DirtyWorkTree,
    EntryKind,
    GitopsRepo,
    Identity,
    RollbackFailed,
    RollbackRefused,
    UnknownTarget,
    execute_rollback,
    plan_rollback,
    read_history,
)
from helpers import git, refused_without_change, repo_state


def rev(path, spec: str) -> str:
    return git(path, "rev-parse", spec).strip()


def rollback(path, env, app, target, who=None):
    repo = GitopsRepo.open(str(path))
    return execute_rollback(repo, plan_rollback(repo, env, app, target), who)


def test_rollback_restores_the_app_and_nothing_else(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    a = b.deploy("staging", "api")
    web = b.deploy("staging", "web")
    c = b.deploy("staging", "api")
    b.deploy("production", "api")
    before_env_release = rev(b.path, "HEAD:staging/release.json")
    before_web = rev(b.path, "HEAD:staging/web")
    result = rollback(b.path, "staging", "api", target[:7], Identity("Ops", "ops@acme.dev"))
    assert [c_.reverted for c_ in result.commits] == [c, a]
    assert rev(b.path, "HEAD:staging/api") == rev(b.path, f"{target}:staging/api")
    assert rev(b.path, "HEAD:staging/flux/kustomization-api.yaml") == rev(
        b.path, f"{target}:staging/flux/kustomization-api.yaml"
    )
    assert rev(b.path, "HEAD:staging/release.json") == before_env_release  # Gimlet's whole-commit revert conflicts here
    assert rev(b.path, "HEAD:staging/web") == before_web
    assert git(b.path, "status", "--porcelain", "--untracked-files=all") == ""
    message = git(b.path, "log", "-1", "--format=%B", "HEAD~1")
    assert message == (
        f'Revert "[Gimlet] staging/api automated deploy"\n\nThis reverts commit {c}.\n\n'
        f"Rollback-To: {target[:12]}\nRollback-By: Ops <ops@acme.dev>\n\n"
    )
    assert git(b.path, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == "Ops <ops@acme.dev>|Ops <ops@acme.dev>"
    entries = {e.sha: e for e in read_history(GitopsRepo.open(str(b.path)), "staging", "api")}
    assert entries[target].current and entries[a].rolled_back and entries[c].rolled_back
    assert rev(b.path, "HEAD~2") == rev(b.path, "HEAD@{1}")  # the branch moved once, from the planned head
    assert web not in [x.reverted for x in result.commits]


def test_same_tree_as_git_revert_when_only_one_app_changes(make_repo, tmp_path):
    b = make_repo()
    b.commit({"staging/api/deployment.yaml": "v: 0\n", "staging/api/release.json": "{}\n"}, "seed")
    target = rev(b.path, "HEAD")
    newer = [
        b.commit({"staging/api/deployment.yaml": f"v: {i}\n", f"staging/api/file{i}.yaml": "x\n"}, f"change {i}")
        for i in range(1, 5)
    ]
    clone = tmp_path / "oracle"
    shutil.copytree(b.path, clone)
    git(clone, "revert", "--no-edit", *reversed(newer))
    rollback(b.path, "staging", "api", target)
    assert rev(b.path, "HEAD^{tree}") == rev(clone, "HEAD^{tree}")
    assert git(b.path, "log", "--format=%s", f"{newer[-1]}..HEAD") == git(
        clone, "log", "--format=%s", f"{newer[-1]}..HEAD"
    )


def test_rollback_past_a_deletion_brings_the_app_back(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "web")
    b.delete("staging", "api")
    assert git(b.path, "ls-tree", "HEAD", "staging/api") == ""
    rollback(b.path, "staging", "api", target)
    assert rev(b.path, "HEAD:staging/api") == rev(b.path, f"{target}:staging/api")
    assert (b.path / "staging/api/deployment.yaml").exists()
    assert git(b.path, "status", "--porcelain") == ""


def test_rollback_over_a_revert_of_a_revert(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    a = b.deploy("staging", "api")
    git(b.path, "revert", "--no-edit", a)
    git(b.path, "revert", "--no-edit", "HEAD")
    plan = plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", target)
    assert [p.entry.sha for p in plan.reverts] == [a]
    rollback(b.path, "staging", "api", target)
    assert rev(b.path, "HEAD:staging/api") == rev(b.path, f"{target}:staging/api")


def test_rollback_undoes_a_live_revert_of_an_older_release(make_repo):
    b = make_repo()
    older = b.deploy("staging", "api", content="older")
    target = b.commit({"staging/api/notes.yaml": "n: 1\n"}, "hand edit after older")
    git(b.path, "revert", "--no-edit", older)
    revert = rev(b.path, "HEAD")
    newer = b.commit({"staging/api/notes.yaml": "n: 2\n"}, "another hand edit")
    plan = plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", target)
    assert [p.entry.sha for p in plan.reverts] == [newer, revert]
    rollback(b.path, "staging", "api", target)
    assert rev(b.path, "HEAD:staging/api") == rev(b.path, f"{target}:staging/api")
    entries = {e.sha: e for e in read_history(GitopsRepo.open(str(b.path)), "staging", "api")}
    assert not entries[older].rolled_back and entries[revert].rolled_back and entries[newer].rolled_back
    assert entries[target].current


def test_bare_repository(make_repo, tmp_path):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(bare))
    rollback(bare, "staging", "api", target)
    assert rev(bare, "main:staging/api") == rev(bare, f"{target}:staging/api")
    assert "Rollback-To" in git(bare, "log", "-1", "--format=%B", "main")


def test_other_branch_leaves_the_work_tree_alone(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    git(b.path, "branch", "release")
    state = repo_state(b.path)
    repo = GitopsRepo.open(str(b.path), branch="release")
    execute_rollback(repo, plan_rollback(repo, "staging", "api", target))
    assert rev(b.path, "release:staging/api") == rev(b.path, f"{target}:staging/api")
    after = repo_state(b.path)
    assert after["head"] == state["head"] and after["files"] == state["files"] and after["status"] == ""


def ambiguous_prefix(path) -> str:
    """Write blobs until two share a 7-digit prefix (about 16,000 tries) and return that prefix."""
    odb = pygit2.Repository(str(path)).odb
    seen: dict[str, str] = {}
    for i in range(200_000):
        oid = str(odb.write(pygit2.enums.ObjectType.BLOB, f"blob {i}".encode()))
        if oid[:7] in seen:
            return oid[:7]
        seen[oid[:7]] = oid
    raise AssertionError("no collision")


@pytest.fixture
def history(make_repo):
    b = make_repo()
    shas = {"first": b.deploy("staging", "api"), "second": b.deploy("staging", "api")}
    shas["web"] = b.deploy("staging", "web")
    shas["bad"] = b.deploy("staging", "api")
    git(b.path, "revert", "--no-edit", shas["bad"])
    shas["revert"] = rev(b.path, "HEAD")
    return b, shas


@pytest.mark.parametrize(
    "target, error, message",
    [
        ("bad", RollbackRefused, ALREADY_ROLLED_BACK),
        ("second", RollbackRefused, "is already the current release of staging/api"),
        ("revert", RollbackRefused, "is a revert commit, not a release of staging/api"),
        ("web", RollbackRefused, "is not a release of staging/api on main"),
        ("0000000", UnknownTarget, "unknown sha 0000000: no such commit"),
        ("abc", UnknownTarget, "bad sha 'abc': give a gitops commit sha (at least 7 hex digits)"),
        ("HEAD~1", UnknownTarget, "bad sha 'HEAD~1'"),
    ],
)
def test_refusals_change_nothing(history, target, error, message):
    b, shas = history
    state = repo_state(b.path)
    with pytest.raises(error) as raised:
        plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", shas.get(target) or target)
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert repo_state(b.path) == state


def test_ambiguous_sha(history):
    b, _ = history
    prefix = ambiguous_prefix(b.path)
    state = repo_state(b.path)
    with pytest.raises(UnknownTarget, match=f"ambiguous sha {prefix}: several objects start with it; give more digits"):
        plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", prefix)
    assert repo_state(b.path) == state


def test_deletion_is_not_a_target(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    gone = b.delete("staging", "api")
    b.deploy("staging", "api")
    with pytest.raises(RollbackRefused, match="deleted staging/api; pick the release before it"):
        plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", gone)


def test_a_blob_sha_is_not_a_commit(history):
    b, _ = history
    blob = rev(b.path, "HEAD:README.md")
    with pytest.raises(UnknownTarget, match="is a blob, not a commit"):
        plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", blob)


@pytest.mark.parametrize(
    "change",
    [
        {"staging/api/deployment.yaml": "edited\n"},
        {"staging/api/new-file.yaml": "untracked\n"},
        {"staging/flux/kustomization-api.yaml": "edited\n"},
    ],
)
def test_dirty_work_tree_under_the_app_is_refused(make_repo, change):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    for path, content in change.items():
        (b.path / path).write_text(content)
    state = repo_state(b.path)
    with pytest.raises(DirtyWorkTree, match=r"uncommitted changes under staging/api: .*; commit or stash them first"):
        plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", target)
    assert repo_state(b.path) == state


def test_staged_change_is_refused_and_changes_elsewhere_are_kept(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    (b.path / "staging/api/service.yaml").write_text("staged\n")
    git(b.path, "add", "staging/api/service.yaml")
    with pytest.raises(DirtyWorkTree):
        plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", target)
    git(b.path, "reset", "-q", "--hard")
    (b.path / "README.md").write_text("local edit elsewhere\n")
    rollback(b.path, "staging", "api", target)
    assert (b.path / "README.md").read_text() == "local edit elsewhere\n"
    assert git(b.path, "status", "--porcelain") == " M README.md\n"


def test_dirty_check_is_repeated_at_execution(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    repo = GitopsRepo.open(str(b.path))
    plan = plan_rollback(repo, "staging", "api", target)
    (b.path / "staging/api/deployment.yaml").write_text("edited after planning\n")
    state = repo_state(b.path)
    with pytest.raises(DirtyWorkTree):
        execute_rollback(repo, plan)
    assert repo_state(b.path) == state


def test_branch_moved_after_planning(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    repo = GitopsRepo.open(str(b.path))
    plan = plan_rollback(repo, "staging", "api", target)
    moved = b.deploy("staging", "web")
    state = repo_state(b.path)
    with pytest.raises(
        BranchMoved, match=f"the branch moved: main is at {moved[:10]}, not {plan.head[:10]} as planned; run again"
    ):
        execute_rollback(repo, plan)
    assert repo_state(b.path) == state


def plan_of_two_reverts(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    b.deploy("staging", "api")
    repo = GitopsRepo.open(str(b.path))
    return b, repo, plan_rollback(repo, "staging", "api", target)


def on_second_commit(monkeypatch, happen) -> None:
    """Make `happen()` run when the rollback writes its second revert commit."""
    real = pygit2.Repository.create_commit
    calls = []

    def create_commit(self, *args):
        calls.append(1)
        if len(calls) == 2:
            happen()
        return real(self, *args)

    monkeypatch.setattr(pygit2.Repository, "create_commit", create_commit)


def test_branch_moved_while_writing_commits(make_repo, monkeypatch):
    """Another writer moves the branch between our check and our ref update: the lock-and-compare catches it."""
    b, repo, plan = plan_of_two_reverts(make_repo)
    state = repo_state(b.path)

    def someone_else():  # git update-ref takes the branch's lock, not the index's
        tree = rev(b.path, "HEAD^{tree}")
        made = git(b.path, "commit-tree", tree, "-p", "HEAD", "-m", "someone else").strip()
        git(b.path, "update-ref", "refs/heads/main", made)

    on_second_commit(monkeypatch, someone_else)
    with pytest.raises(BranchMoved):
        execute_rollback(repo, plan)
    assert git(b.path, "log", "-1", "--format=%s") == "someone else\n"
    assert rev(b.path, "HEAD~1") == plan.head
    after = repo_state(b.path)
    assert after["index"] == state["index"] and after["files"] == state["files"]
    assert not (b.path / ".git/index.lock").exists() and not (b.path / ".git/gimlet-tui-rollback.json").exists()


def test_git_commit_during_a_rollback_fails_cleanly(make_repo, monkeypatch):
    """We hold the index lock from before the first check to the end: git commit refuses, as against git itself."""
    b, repo, plan = plan_of_two_reverts(make_repo)
    attempts = []

    def colleague():
        command = ["git", "-C", str(b.path), "commit", "-q", "--allow-empty", "-m", "colleague"]
        attempts.append(subprocess.run(command, capture_output=True, text=True, check=False))

    on_second_commit(monkeypatch, colleague)
    execute_rollback(repo, plan)
    assert attempts[0].returncode == 128 and "index.lock': File exists" in attempts[0].stderr
    assert "colleague" not in git(b.path, "log", "--format=%s")
    assert git(b.path, "status", "--porcelain") == ""
    assert rev(b.path, "HEAD:staging/api") == rev(b.path, f"{plan.target.sha}:staging/api")


def test_failure_midway_leaves_the_branch(make_repo, monkeypatch):
    b, repo, plan = plan_of_two_reverts(make_repo)

    def interrupted():
        raise KeyboardInterrupt

    on_second_commit(monkeypatch, interrupted)
    refused_without_change(b.path, KeyboardInterrupt, None, lambda: execute_rollback(repo, plan))


def fake_revert_leaving_a_file(b):
    target = b.deploy("staging", "api")
    b.commit({"staging/api/mid.yaml": "m\n"}, "hand edit")
    bad = b.commit({"staging/api/bad.yaml": "b\n"}, "bad hand edit")
    b.commit({"staging/api/extra.yaml": "left behind\n"}, f"Fake revert\n\nThis reverts commit {bad}.\n")
    return target, f"check failed: after reverting, staging/api would not equal {target[:10]}; nothing was changed"


def fake_revert_conflicting(b):
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    bad = b.deploy("staging", "api")
    b.commit({"staging/api/deployment.yaml": "something else\n"}, f"Fake revert\n\nThis reverts commit {bad}.\n")
    return (
        target,
        r"reverting [0-9a-f]{10} conflicts in staging/api/deployment.yaml, staging/api/release.json; nothing was changed",
    )


@pytest.mark.parametrize("history", [fake_revert_leaving_a_file, fake_revert_conflicting])
def test_failed_check_or_conflict_changes_nothing(make_repo, history):
    """A hand-made "revert" that did not undo what it names: the check or the merge catches it."""
    b = make_repo()
    target, message = history(b)
    repo = GitopsRepo.open(str(b.path))
    refused_without_change(b.path, RollbackFailed, message, lambda: plan_rollback(repo, "staging", "api", target))


def test_identity_from_git_config_then_fallback(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    git(b.path, "config", "user.name", "Configured")
    git(b.path, "config", "user.email", "conf@acme.dev")
    rollback(b.path, "staging", "api", target)
    assert "Rollback-By: Configured <conf@acme.dev>" in git(b.path, "log", "-1", "--format=%B")
    git(b.path, "config", "--unset", "user.name")
    git(b.path, "config", "--unset", "user.email")
    second = b.deploy("staging", "api")
    b.deploy("staging", "api")
    rollback(b.path, "staging", "api", second)
    assert git(b.path, "log", "-1", "--format=%an <%ae>").strip() == "gimlet-tui <gimlet-tui@localhost>"


def test_plan_lists_files_with_line_counts(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api", content="one")
    b.deploy("staging", "api", content="two")
    plan = plan_rollback(GitopsRepo.open(str(b.path)), "staging", "api", target)
    changes = {c.path: (c.status, c.added, c.removed) for c in plan.changes}
    assert changes["staging/api/deployment.yaml"] == ("modified", 1, 1)
    assert changes["staging/api/release.json"] == ("modified", 1, 1)
    assert set(changes) <= {
        "staging/api/deployment.yaml",
        "staging/api/release.json",
        "staging/api/service.yaml",
        "staging/flux/kustomization-api.yaml",
    }
    assert "-image: acme/api:two" in plan.diff and "+image: acme/api:one" in plan.diff
    assert plan.current.sha != target and [p.entry.kind for p in plan.reverts] == [EntryKind.RELEASE]


def test_bad_names_are_refused_before_any_path(make_repo):
    from gimlet_tui.gitops import BadName

    b = make_repo()
    b.deploy("staging", "api")
    repo = GitopsRepo.open(str(b.path))
    for env, app in [
        ("..", "api"),
        ("staging", "../x"),
        ("staging/x", "api"),
        ("staging", "API"),
        ("sta\x1bging", "api"),
        ("staging", "a" * 54),
    ]:
        with pytest.raises(BadName):
            read_history(repo, env, app)


def test_repo_per_env_rollback(make_repo):
    from gimlet_tui.gitops import Layout

    b = make_repo(Layout.REPO_PER_ENV)
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    b.deploy("staging", "web")
    root_release = rev(b.path, "HEAD:release.json")
    rollback(b.path, "staging", "api", target)
    assert rev(b.path, "HEAD:api") == rev(b.path, f"{target}:api")
    assert rev(b.path, "HEAD:flux/kustomization-api.yaml") == rev(b.path, f"{target}:flux/kustomization-api.yaml")
    assert rev(b.path, "HEAD:release.json") == root_release
    assert git(b.path, "status", "--porcelain") == ""


def test_repo_per_env_is_detected_and_can_be_forced(make_repo):
    from gimlet_tui.gitops import BadInput, Layout, list_envs

    b = make_repo(Layout.REPO_PER_ENV)
    b.deploy("staging", "api")
    repo = GitopsRepo.open(str(b.path))
    assert repo.layout is Layout.REPO_PER_ENV and list_envs(repo) == ["staging"]
    shared = make_repo()
    shared.deploy("staging", "api")
    assert GitopsRepo.open(str(shared.path)).layout is Layout.SHARED
    with pytest.raises(BadInput, match=r"is not a repository per env: staging/ is an env folder"):
        GitopsRepo.open(str(shared.path), repo_per_env=True)  # its env folders would be listed as apps
    assert GitopsRepo.open(str(b.path), repo_per_env=True).layout is Layout.REPO_PER_ENV
    assert GitopsRepo.open(str(shared.path / "staging" / "api")).path == str(shared.path)  # from a sub-folder
