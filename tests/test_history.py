"""The history walk against `git log --first-parent -- <path>`, and its ROLLED BACK / CURRENT states."""

from __future__ import annotations

import pytest

from gimlet_tui.gitops import (
    EntryKind,
    GitopsRepo,
    Layout,
    apps_at_head,
    execute_rollback,
    iter_history,
    list_apps,
    plan_rollback,
    read_history,
)
from helpers import compared, git


def oracle(path, folder: str) -> list[str]:
    return git(path, "log", "--first-parent", "--format=%H", "--", folder).split()


def shas(entries) -> list[str]:
    return [e.sha for e in entries]


def test_interleaved_apps_match_git_log(make_repo):
    b = make_repo()
    for i in range(6):
        b.deploy("staging", "api")
        b.deploy("staging", "web")
        if i % 2:
            b.deploy("production", "api")
    b.commit({"staging/api/extra.yaml": "x: 1\n", "staging/web/extra.yaml": "y: 1\n"}, "hand edit of two apps")
    b.commit({"values.yaml": "a: 1\n"}, "outside any app")
    repo = GitopsRepo.open(str(b.path))
    for env, app in [("staging", "api"), ("staging", "web"), ("production", "api")]:
        assert shas(read_history(repo, env, app)) == oracle(b.path, f"{env}/{app}")


def test_repo_per_env_layout_matches_git_log(make_repo):
    b = make_repo(Layout.REPO_PER_ENV)
    for _ in range(4):
        b.deploy("staging", "api")
        b.deploy("staging", "web")
    repo = GitopsRepo.open(str(b.path))
    assert repo.layout is Layout.REPO_PER_ENV
    assert shas(read_history(repo, "staging", "api")) == oracle(b.path, "api")
    assert all(e.release.app == "api" for e in read_history(repo, "staging", "api"))


def test_merge_commits_compare_with_first_parent(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    base = git(b.path, "rev-parse", "HEAD").strip()
    git(b.path, "checkout", "-q", "-b", "side")
    b.deploy("staging", "web")
    b.deploy("staging", "api", content="from-side")
    git(b.path, "checkout", "-q", "main")
    b.deploy("staging", "worker")
    git(b.path, "merge", "-q", "--no-ff", "-X", "theirs", "-m", "Merge side", "side")
    b.deploy("staging", "api")
    repo = GitopsRepo.open(str(b.path))
    for app in ("api", "web", "worker"):
        assert shas(read_history(repo, "staging", app)) == oracle(b.path, f"staging/{app}")
    merge = git(b.path, "rev-parse", "HEAD~1").strip()  # the merge, below the last deploy
    assert merge in shas(read_history(repo, "staging", "api")) and base != merge


def test_deletion_and_recreation(make_repo):
    b = make_repo()
    first = b.deploy("staging", "api")
    gone = b.delete("staging", "api")
    back = b.deploy("staging", "api")
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert shas(entries) == [back, gone, first] == oracle(b.path, "staging/api")
    assert [e.kind for e in entries] == [EntryKind.RELEASE, EntryKind.DELETION, EntryKind.RELEASE]
    assert entries[0].current and not entries[2].current


def test_deleted_app_has_no_current_release(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    b.delete("staging", "api")
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert not any(e.current for e in entries)


def test_gimlet_revert_marks_rolled_back_and_revert_of_revert_unmarks(make_repo):
    b = make_repo()
    one = b.deploy("staging", "api")
    two = b.deploy("staging", "api")
    git(b.path, "revert", "--no-edit", two)
    repo = GitopsRepo.open(str(b.path))
    entries = {e.sha: e for e in read_history(repo, "staging", "api")}
    assert entries[two].rolled_back and entries[one].current
    revert = git(b.path, "rev-parse", "HEAD").strip()
    assert entries[revert].kind is EntryKind.REVERT and entries[revert].reverts == (two,)
    git(b.path, "revert", "--no-edit", revert)
    entries = {e.sha: e for e in read_history(repo, "staging", "api")}
    assert not entries[two].rolled_back and entries[two].current
    assert entries[revert].rolled_back
    git(b.path, "revert", "--no-edit", "HEAD")
    entries = {e.sha: e for e in read_history(repo, "staging", "api")}
    assert entries[two].rolled_back and entries[one].current


def test_a_rolled_back_release_says_who_rolled_it_back_and_when(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    two = b.deploy("staging", "api")
    dara = {"GIT_AUTHOR_NAME": "Dara Okafor", "GIT_AUTHOR_DATE": "1700003600 +0000"}
    git(b.path, "revert", "--no-edit", two, env=dara)
    repo = GitopsRepo.open(str(b.path))
    entries = {e.sha: e for e in read_history(repo, "staging", "api")}
    revert = git(b.path, "rev-parse", "HEAD").strip()
    when = int(git(b.path, "log", "-1", "--format=%ct").strip())  # the revert commit's time, as git says
    assert entries[two].rolled_back_by == revert
    assert (entries[two].rolled_back_by_name, entries[two].rolled_back_at) == ("Dara Okafor", when)
    git(b.path, "revert", "--no-edit", revert)  # rolled forward: nobody rolled it back any more
    entries = {e.sha: e for e in read_history(repo, "staging", "api")}
    assert (entries[two].rolled_back_by, entries[two].rolled_back_by_name, entries[two].rolled_back_at) == (
        None,
        None,
        None,
    )


def test_limit_stops_the_walk_early(make_repo, walks):
    b = make_repo()
    for _ in range(30):
        b.deploy("staging", "api")
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api", limit=3)
    assert len(entries) == 3
    assert compared(walks) == 3  # not 31: the three newest releases


def test_release_read_from_app_level_file_not_env_level(make_repo):
    b = make_repo()
    api = b.deploy("staging", "api")
    b.deploy("staging", "web")  # rewrites staging/release.json with web's metadata
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert entries[0].sha == api and entries[0].release.app == "api"


def test_old_repos_fall_back_to_env_level_file_only_when_it_names_the_app(make_repo):
    b = make_repo()
    env_level = '{"app":"api","env":"staging","version":{"sha":"abc"}}\n'
    b.commit({"staging/api/deployment.yaml": "a\n", "staging/release.json": env_level}, "old style deploy")
    b.commit({"staging/web/deployment.yaml": "a\n"}, "old style deploy of web")
    repo = GitopsRepo.open(str(b.path))
    assert read_history(repo, "staging", "api")[0].release.version.sha == "abc"
    web = read_history(repo, "staging", "web")[0]
    assert web.is_release and web.release is None  # release.json is optional (the Gimlet CLI writes none)


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not an object"),
        (b"\xff\xfe", "not UTF-8"),
        (b'{"app":"api","version":"oops"}', "version is not an object"),
    ],
)
def test_broken_release_json_loads_with_a_problem_note(make_repo, content, problem):
    b = make_repo()
    b.deploy("staging", "api")
    b.deploy("staging", "api", release=content)
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert problem in entries[0].release.problem
    assert entries[0].current and entries[1].release.problem is None


def test_lenient_fields(make_repo):
    b = make_repo()
    b.deploy("staging", "api", release=b'{"app":"api","version":null,"surprise":[1],"triggeredBy":7}\n')
    release = read_history(GitopsRepo.open(str(b.path)), "staging", "api")[0].release
    assert release.version is None and release.problem is None
    assert release.triggered_by == "7" and release.document["surprise"] == [1]


def test_engine_rollback_is_seen_by_the_walk(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    newer = [b.deploy("staging", "api") for _ in range(3)]
    repo = GitopsRepo.open(str(b.path))
    execute_rollback(repo, plan_rollback(repo, "staging", "api", target))
    entries = {e.sha: e for e in iter_history(repo, "staging", "api")}
    assert entries[target].current
    assert all(entries[s].rolled_back for s in newer)


def test_apps_at_head_are_what_list_apps_says_of_them_without_the_walk(make_repo):
    b = make_repo()
    for app in ("api", "web", "worker"):
        b.deploy("staging", app)
    b.delete("staging", "web")
    b.deploy("staging", "api")
    repo = GitopsRepo.open(str(b.path))
    listed = list_apps(repo, "staging")
    quick = apps_at_head(repo, "staging")
    assert [a.name for a in quick] == [a.name for a in listed if not a.deleted] == ["api", "worker"]
    assert [a.version_sha for a in quick] == [a.version_sha for a in listed if not a.deleted]
    assert all(a.last_changed_at is None for a in quick) and all(a.last_changed_at for a in listed)
