"""Remote repositories against a real `git daemon` on loopback (git://) and file:// URLs.

Each scenario checks the server's branch with the git command afterwards.
"""

from __future__ import annotations

import json
import time

import pytest

from gimlet_tui.cli import main
from gimlet_tui.gitops import GitopsRepo, RollbackFailed, apply_rollback, plan_rollback, read_history
from gimlet_tui.gitops import remote as remote_module
from gimlet_tui.gitops.remote import RemoteError, cache_path, open_remote
from gimlet_tui.gitops.urls import redact
from helpers import git
from servers import git_daemon


@pytest.fixture
def served(make_repo, tmp_path):
    """A gitops repository served by git daemon: (builder of the original, bare path, URL)."""
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(4)]
    b.deploy("staging", "web")
    base = tmp_path / "served"
    base.mkdir()
    bare = base / "gitops.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(bare))
    with git_daemon(base) as prefix:
        yield b, bare, f"{prefix}/gitops.git"


def server_head(bare) -> str:
    return git(bare, "rev-parse", "refs/heads/main").strip()


def other_clone(tmp_path, bare, name="other"):
    """A second clone of the server that can deploy and push, as a colleague would."""
    from gimlet_tui.gitops import Layout
    from helpers import Builder

    path = tmp_path / name
    git(tmp_path, "clone", "-q", str(bare), str(path))
    builder = Builder(path, Layout.SHARED)
    builder.clock += 10_000
    return builder


def test_list_and_rollback_with_push(served, capsys):
    b, bare, url = served
    assert main(["release", "list", "--repo", url, "--env", "staging", "--app", "api", "-o", "json"]) == 0
    out, err = capsys.readouterr()
    releases = json.loads(out)
    assert err.startswith("Receiving objects: 100% (") and err.count("\n") == 1  # the clone's one progress line
    assert [r["gitopsRef"] for r in releases] == b.api[::-1]
    assert (
        main(
            [
                "release",
                "rollback",
                "--repo",
                url,
                "--env",
                "staging",
                "--app",
                "api",
                "--to",
                b.api[1],
                "--yes",
                "--author",
                "Ops <ops@acme.dev>",
            ]
        )
        == 0
    )
    head = server_head(bare)
    assert git(bare, "rev-parse", f"{head}:staging/api") == git(bare, "rev-parse", f"{b.api[1]}:staging/api")
    assert (
        git(bare, "log", "-2", "--format=%s|%an", head).splitlines()
        == ['Revert "[Gimlet] staging/api automated deploy"|Ops'] * 2
    )
    mirror = GitopsRepo.open(str(cache_path(url)))
    assert str(mirror.head_commit().id) == head  # the cache matches the server
    assert [e.current for e in read_history(mirror, "staging", "api") if e.sha == b.api[1]] == [True]


def roll_back_on_server(url, env, app, target, plan=None):
    """What both faces do: open the mirror (fetched), plan, and apply the plan (pushed)."""
    repo = open_remote(url)
    return apply_rollback(repo, plan or plan_rollback(repo, env, app, target))


def test_another_push_between_fetch_and_push_is_retried(served, tmp_path, monkeypatch):
    b, bare, url = served
    colleague = other_clone(tmp_path, bare)
    real = remote_module.write_reverts
    calls = []

    def racing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # a colleague deploys another app after our fetch
            colleague.deploy("staging", "web")
            git(colleague.path, "push", "-q", "origin", "main")
        return real(*args, **kwargs)

    monkeypatch.setattr(remote_module, "write_reverts", racing)
    result = roll_back_on_server(url, "staging", "api", b.api[2])
    assert len(calls) == 2
    head = server_head(bare)
    assert head == result.new_head
    assert git(bare, "log", "-2", "--format=%s", head).splitlines() == [
        'Revert "[Gimlet] staging/api automated deploy"',
        "[Gimlet] staging/web automated deploy",
    ]


def test_the_app_changed_on_the_server_since_the_plan_was_shown(served, tmp_path):
    b, bare, url = served
    repo = open_remote(url)
    plan = plan_rollback(repo, "staging", "api", b.api[1])
    colleague = other_clone(tmp_path, bare)
    colleague.deploy("staging", "api")
    git(colleague.path, "push", "-q", "origin", "main")
    before = server_head(bare)
    with pytest.raises(RemoteError, match=r"staging/api changed on .* since the plan was shown: nothing was pushed"):
        roll_back_on_server(url, "staging", "api", b.api[1], plan=plan)
    assert server_head(bare) == before


def test_gives_up_after_three_moves(served, tmp_path, monkeypatch):
    b, bare, url = served
    colleague = other_clone(tmp_path, bare)
    real = remote_module.write_reverts

    def always_racing(*args, **kwargs):
        colleague.deploy("staging", "web")
        git(colleague.path, "push", "-q", "origin", "main")
        return real(*args, **kwargs)

    monkeypatch.setattr(remote_module, "write_reverts", always_racing)
    with pytest.raises(RemoteError, match="gave up after 3 attempts: run again"):
        roll_back_on_server(url, "staging", "api", b.api[2])
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == "[Gimlet] staging/web automated deploy"
    mirror = GitopsRepo.open(str(cache_path(url)))
    assert (
        git(bare, "merge-base", "--is-ancestor", str(mirror.head_commit().id), "main", check=False) == ""
    )  # no unpushed commits


def test_a_declining_pre_receive_hook(served):
    b, bare, url = served
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'rollbacks need a change ticket' >&2\nexit 1\n")
    hook.chmod(0o755)
    open_remote(url)
    before = server_head(bare)
    with pytest.raises(RollbackFailed) as raised:
        roll_back_on_server(url, "staging", "api", b.api[2])
    assert str(raised.value) == (
        "the server refused the push: refs/heads/main: pre-receive hook declined "
        "(the server said: rollbacks need a change ticket); nothing was changed"
    )
    assert server_head(bare) == before
    assert str(GitopsRepo.open(str(cache_path(url))).head_commit().id) == before  # no local branch on unpushed commits


def test_unreachable_wrong_path_and_missing_branch_fail_fast(served, capsys):
    b, bare, url = served
    from servers import free_port

    for bad, message in [
        (f"git://127.0.0.1:{free_port()}/gitops.git", "cannot reach git://127.0.0.1:"),
        (url.replace("gitops.git", "nope.git"), "repository not exported"),
    ]:
        start = time.monotonic()
        assert main(["env", "list", "--repo", bad]) == 1
        assert message in capsys.readouterr().err and time.monotonic() - start < 15
    assert main(["env", "list", "--repo", url, "--branch", "nope"]) == 1
    assert "no branch 'nope'" in capsys.readouterr().err
    assert main(["env", "list", "--repo", url]) == 0  # the cache stays usable
    assert capsys.readouterr().out == "staging\n"


def test_file_urls_and_fetch(make_repo, tmp_path, capsys):
    b = make_repo()
    first = b.deploy("staging", "api")
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(bare))
    url = f"file://{bare}"
    progress = []
    repo = open_remote(url, progress=lambda *numbers: progress.append(numbers))
    assert progress and [e.sha for e in read_history(repo, "staging", "api")] == [first]
    git(bare, "fetch", "-q", str(b.path), "main:main")  # nothing new yet
    newer = b.deploy("staging", "api")
    git(bare, "fetch", "-q", str(b.path), "main:main")
    assert main(["release", "list", "--repo", url, "--env", "staging", "--app", "api", "-o", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1  # not fetched: the cache as it was
    assert main(["release", "list", "--repo", url, "--env", "staging", "--app", "api", "-o", "json", "--fetch"]) == 0
    assert [r["gitopsRef"] for r in json.loads(capsys.readouterr().out)] == [newer, first]


def test_secrets_never_shown_or_stored(tmp_path, capsys):
    url = "https://deploy:s3cret-token@127.0.0.1:9/acme/gitops.git"  # nothing listens on the discard port
    assert redact(url) == "https://deploy:***@127.0.0.1:9/acme/gitops.git"
    assert cache_path(url) == cache_path("https://deploy@127.0.0.1:9/acme/gitops.git")
    assert "s3cret" not in str(cache_path(url))
    assert main(["env", "list", "--repo", url]) == 1
    error = capsys.readouterr().err
    assert "s3cret" not in error and "deploy:***@127.0.0.1:9" in error


async def test_tui_fetches_shows_the_remote_and_pushes_rollbacks(served, tmp_path):
    from gimlet_tui.tui.screens.confirm import ConfirmRollback
    from gimlet_tui.workspace import single_repository
    from helpers import main_screen, make_app, row_keys, settle, timeline

    b, bare, url = served
    workspace = single_repository(open_remote(url))
    colleague = other_clone(tmp_path, bare)
    newest = colleague.deploy("staging", "api")  # on the server only, until the app fetches
    git(colleague.path, "push", "-q", "origin", "main")
    app = make_app(None, workspace=workspace)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")  # staging
        await settle(pilot)
        screen = main_screen(app)
        assert (screen.env, screen.app_name) == ("staging", "api")
        assert row_keys(app)[0] == newest  # fetched on start
        header = str(screen.query_one("#header").render())
        assert url in header and "fetched" in header
        later = colleague.deploy("staging", "api")
        git(colleague.path, "push", "-q", "origin", "main")
        await pilot.press("f")
        await settle(pilot)
        assert row_keys(app)[0] == later
        timeline(app).focus()
        await pilot.press("j", "r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback)
        await pilot.press("y")
        await settle(pilot)
        assert "is back at" in app.notified[-1].message
    assert git(bare, "rev-parse", "main:staging/api") == git(bare, "rev-parse", f"{newest}:staging/api")


@pytest.fixture
def local_clone(served, tmp_path):
    b, bare, url = served
    clone = tmp_path / "work"
    git(tmp_path, "clone", "-q", url, str(clone))
    return b, bare, url, clone


def test_push_from_a_local_clone(local_clone, capsys):
    b, bare, url, clone = local_clone
    code = main(
        [
            "release",
            "rollback",
            "--repo",
            str(clone),
            "--env",
            "staging",
            "--app",
            "api",
            "--to",
            b.api[2],
            "--yes",
            "--push",
        ]
    )
    assert code == 0, capsys.readouterr().err
    head = git(clone, "rev-parse", "HEAD").strip()
    assert server_head(bare) == head == git(clone, "rev-parse", "origin/main").strip()
    assert git(clone, "status", "--porcelain") == ""
    assert git(clone, "rev-parse", "HEAD:staging/api") == git(clone, "rev-parse", f"{b.api[2]}:staging/api")


def test_a_clone_behind_its_upstream_is_fast_forwarded_then_pushed(local_clone, tmp_path, capsys):
    b, bare, url, clone = local_clone
    colleague = other_clone(tmp_path, bare)
    web = colleague.deploy("staging", "web")
    git(colleague.path, "push", "-q", "origin", "main")
    argv = ["--repo", str(clone), "--env", "staging", "--app", "api", "--to", b.api[2], "--yes"]
    assert main(["release", "rollback", *argv]) == 0  # pushed by default: the branch has an upstream
    out, err = capsys.readouterr()
    assert "note: fast-forwarded main to origin/main (1 new commit(s)) before planning" in err
    head = git(clone, "rev-parse", "HEAD").strip()
    assert server_head(bare) == head == git(clone, "rev-parse", "origin/main").strip()
    assert git(clone, "rev-parse", "HEAD~1").strip() == web  # the colleague's deploy, then the revert
    assert git(clone, "status", "--porcelain") == ""


def test_a_diverged_clone_is_refused_with_the_commands_that_fix_it(local_clone, tmp_path, capsys):
    from helpers import Builder, repo_state

    b, bare, url, clone = local_clone
    colleague = other_clone(tmp_path, bare)
    colleague.deploy("staging", "web")
    git(colleague.path, "push", "-q", "origin", "main")
    mine = Builder(clone, b.writer.layout)
    mine.clock = b.clock + 20_000
    mine.commit({"staging/web/note.yaml": "x: 1\n"}, "a local commit")
    before_server, before = server_head(bare), repo_state(clone)
    argv = ["--repo", str(clone), "--env", "staging", "--app", "api", "--to", b.api[2], "--yes"]
    assert main(["release", "rollback", *argv]) == 1
    assert capsys.readouterr().err.endswith(
        "error: main and origin/main have diverged (1 and 1 commits of their own): bring them together with "
        "`git pull --rebase` (or `git pull`), check, `git push`, then run again; nothing was changed\n"
    )
    after = repo_state(clone)
    assert server_head(bare) == before_server
    assert {k: v for k, v in after.items() if k != "refs"} == {k: v for k, v in before.items() if k != "refs"}
    changed = set(after["refs"].splitlines()) ^ set(before["refs"].splitlines())
    assert {line.split()[0] for line in changed} <= {"refs/remotes/origin/main", "refs/remotes/origin/HEAD"}  # fetched


def test_push_refused_by_a_hook_moves_nothing(local_clone, capsys):
    from helpers import repo_state

    b, bare, url, clone = local_clone
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'frozen for the release' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = repo_state(clone)
    code = main(
        [
            "release",
            "rollback",
            "--repo",
            str(clone),
            "--env",
            "staging",
            "--app",
            "api",
            "--to",
            b.api[2],
            "--yes",
            "--push",
        ]
    )
    assert code == 1 and "the server refused the push" in capsys.readouterr().err
    assert repo_state(clone) == before


def test_push_without_an_upstream(make_repo, capsys):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    code = main(
        [
            "release",
            "rollback",
            "--repo",
            str(b.path),
            "--env",
            "staging",
            "--app",
            "api",
            "--to",
            target,
            "--yes",
            "--push",
        ]
    )
    assert code == 1
    assert (
        capsys.readouterr().err == "error: main has no upstream to push to: set one with `git branch -u origin/main`\n"
    )


async def test_tui_pushes_rollbacks_in_a_local_clone_by_default(local_clone):
    from gimlet_tui.tui.screens.confirm import ConfirmRollback
    from helpers import main_screen, make_app, settle, timeline

    b, bare, url, clone = local_clone
    app = make_app(clone)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")
        await settle(pilot)
        assert main_screen(app).app_name == "api"
        assert main_screen(app).push  # the default: the branch has an upstream
        timeline(app).focus()
        await pilot.press("j", "r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback) and app.screen.destination == "origin/main"
        assert "Will push to origin/main" in " ".join(str(w.render()) for w in app.screen.query("Static"))
        await pilot.press("y")
        await settle(pilot)
        assert "flux reconcile kustomization staging-api --with-source" in app.notified[-1].message
    assert server_head(bare) == git(clone, "rev-parse", "HEAD").strip()
    assert git(bare, "rev-parse", "main:staging/api") == git(bare, "rev-parse", f"{b.api[2]}:staging/api")


def test_a_network_drop_mid_push(served, capsys):
    from servers import dropping_proxy

    b, bare, url = served
    port = int(url.split(":")[2].split("/")[0])
    with dropping_proxy(port, drop_after=300) as proxy_port:
        through = url.replace(f":{port}/", f":{proxy_port}/")
        assert main(["env", "list", "--repo", through]) == 0  # a fetch goes through
        capsys.readouterr()
        before = server_head(bare)
        start = time.monotonic()
        code = main(
            ["release", "rollback", "--repo", through, "--env", "staging", "--app", "api", "--to", b.api[1], "--yes"]
        )
        err = capsys.readouterr().err
        assert code == 1 and time.monotonic() - start < 45
        assert err.startswith(f"error: the push to {through} did not complete: the remote end hung up unexpectedly"), (
            err
        )
        assert server_head(bare) == before
        mirror = GitopsRepo.open(str(cache_path(through)))
        assert str(mirror.head_commit().id) == before  # no local branch on unpushed commits
        assert main(["env", "list", "--repo", through]) == 0  # the cache stays usable


def test_each_command_fetches_once(served, capsys, monkeypatch):
    """Each connection may cost the user a passphrase: a list fetches once, a rollback fetches once and pushes."""
    b, bare, url = served
    fetches = []
    real = remote_module.fetch
    monkeypatch.setattr(remote_module, "fetch", lambda *a, **k: (fetches.append(1), real(*a, **k))[1])
    open_remote(url)  # the clone
    fetches.clear()
    argv = ["--repo", url, "--env", "staging", "--app", "api"]
    assert main(["release", "list", "--fetch", *argv]) == 0
    assert len(fetches) == 1
    fetches.clear()
    assert main(["release", "rollback", "--to", b.api[2], "--yes", *argv]) == 0
    assert len(fetches) == 1  # to show the plan; the push's lease says whether the server moved since
    assert git(bare, "rev-parse", "main:staging/api") == git(bare, "rev-parse", f"{b.api[2]}:staging/api")
