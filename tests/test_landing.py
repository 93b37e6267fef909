"""Rollbacks and redeploys that land where Flux looks: a clone whose branch has an upstream pushes there.

Each scenario is a real bare repository (the server), a clone of it (the user's), and sometimes a
colleague's clone that pushes meanwhile; `git` itself says where the branches are afterwards.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gimlet_tui.gitops import GitopsRepo, Layout
from gimlet_tui.gitops.flux import reconcile_command
from helpers import Builder, git, repo_state, run_cli

RECONCILE = "flux reconcile kustomization staging-api --with-source"


@pytest.fixture
def clone(make_repo, tmp_path):
    """(builder of the original, the bare server, the user's clone) with four releases of staging/api."""
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(4)]
    b.deploy("staging", "web")
    bare = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(bare))
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(bare), str(work))
    return b, bare, work


def colleague_pushes(tmp_path: Path, bare: Path, app: str = "web", name: str = "colleague") -> str:
    """A deploy of `app` pushed to the server from another clone; its sha."""
    path = tmp_path / name
    git(tmp_path, "clone", "-q", str(bare), str(path))
    builder = Builder(path, Layout.SHARED)
    builder.clock += 10_000
    sha = builder.deploy("staging", app)
    git(path, "push", "-q", "origin", "main")
    return sha


def server(bare: Path) -> str:
    return git(bare, "rev-parse", "refs/heads/main").strip()


def where(work: Path, *more: str) -> list[str]:
    return ["--repo", str(work), "--env", "staging", "--app", "api", *more]


# -- item 4: pushed by default, fetched first -------------------------------------------------------


def test_a_rollback_in_a_clone_is_pushed_by_default_and_says_how_flux_applies_it(clone, capsys):
    b, bare, work = clone
    code, out, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[1], "--yes"))
    assert code == 0, err
    lines = out.splitlines()
    assert "Will push to origin/main (never forced). Flux applies it at its next sync; at once with:" in lines
    assert lines[-2:] == ["Pushed to origin/main. Flux applies it at its next sync; at once with:", RECONCILE]
    head = git(work, "rev-parse", "HEAD").strip()
    assert server(bare) == head == git(work, "rev-parse", "origin/main").strip()
    assert git(work, "status", "--porcelain", "--branch").splitlines() == ["## main...origin/main"]
    assert git(bare, "rev-parse", "main:staging/api") == git(bare, "rev-parse", f"{b.api[1]}:staging/api")


def test_no_push_keeps_it_in_the_clone_and_says_so_loudly(clone, capsys):
    b, bare, work = clone
    before = server(bare)
    code, out, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[1], "--yes", "--no-push"))
    assert code == 0, err
    assert "Will stay in this clone (--no-push): Flux will not see it until you push." in out
    assert err.splitlines()[-1] == ("NOT PUSHED: main is 2 ahead of origin/main; Flux will not see this until you push")
    assert server(bare) == before
    assert git(work, "status", "--porcelain", "--branch").splitlines() == ["## main...origin/main [ahead 2]"]


def test_a_clone_ahead_of_its_upstream_is_refused_and_nothing_moves(clone, capsys):
    b, bare, work = clone
    code, _, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[2], "--yes", "--no-push"))
    assert code == 0, err
    before_server, before = server(bare), repo_state(work)
    code, _, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[1], "--yes"))
    assert code == 1
    assert err.endswith(
        "error: main is 1 commit(s) ahead of origin/main, and only the rollback may be pushed: push them first "
        "(`git push`) or drop them, then run again, or roll back locally with --no-push; nothing was changed\n"
    )
    assert server(bare) == before_server and repo_state(work) == before


def test_a_dry_run_of_a_clone_behind_changes_nothing_but_plans_on_the_upstream(clone, tmp_path, capsys):
    b, bare, work = clone
    web = colleague_pushes(tmp_path, bare)
    before = repo_state(work)
    code, out, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[1], "--dry-run"))
    assert code == 0, err
    assert "main is 1 commit(s) behind origin/main: it will be fast-forwarded first; planned on origin/main" in err
    assert f"on origin/main (head {web[:10]})" in out and out.endswith("Dry run: nothing was changed.\n")
    after = repo_state(work)
    assert {k: v for k, v in after.items() if k != "refs"} == {k: v for k, v in before.items() if k != "refs"}
    changed = {line.split()[0] for line in set(after["refs"].splitlines()) ^ set(before["refs"].splitlines())}
    assert changed <= {"refs/remotes/origin/main", "refs/remotes/origin/HEAD"}  # only what the fetch learnt


def test_a_clone_behind_with_local_edits_in_the_way_is_refused(clone, tmp_path, capsys):
    b, bare, work = clone
    colleague_pushes(tmp_path, bare, app="web")
    (work / "staging" / "web" / "deployment.yaml").write_text("image: mine\n")  # git merge --ff-only refuses
    before_server, before = server(bare), repo_state(work)
    code, _, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[1], "--yes"))
    assert code == 1
    assert err.startswith("error: main is 1 commit(s) behind origin/main and git cannot fast-forward it here (")
    assert err.endswith("commit or stash, then run again; nothing was changed\n")
    assert server(bare) == before_server
    after = repo_state(work)
    assert {k: v for k, v in after.items() if k != "refs"} == {k: v for k, v in before.items() if k != "refs"}


def test_no_push_on_a_remote_repository_is_refused(clone, capsys):
    b, bare, work = clone
    code, _, err = run_cli(
        capsys, "release", "rollback", "--repo", f"file://{bare}", "-e", "staging", "-a", "api", "--no-push", "--yes"
    )
    assert code == 1 and "is a remote repository, whose changes always go to the server" in err


def test_json_says_where_it_was_pushed_and_the_flux_command(clone, capsys):
    b, bare, work = clone
    code, out, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[1], "--yes", "-o", "json"))
    assert code == 0, err
    result = json.loads(out)
    assert result["pushed"] is True and result["pushTo"] == "origin/main" and result["reconcile"] == RECONCILE


# -- item 8: the Kustomization's own name -----------------------------------------------------------


def test_the_flux_command_names_the_apps_kustomization_as_written(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    b.commit(
        {
            "staging/flux/kustomization-api.yaml": (
                "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n"
                "  name: acme-gitops-staging-default-api\n  namespace: flux-system\nspec:\n  path: ./staging/api\n"
            ),
            "staging/flux/gitops-repo-acme-gitops-staging.yaml": (
                "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n"
                "  name: gitops-repo-acme-gitops-staging\n  namespace: gimlet\nspec:\n  path: ./staging\n"
            ),
        }
    )
    b.deploy("staging", "web", kustomization=False)
    b.deploy("staging", "hostile", kustomization=False)
    b.commit(
        {
            "staging/flux/kustomization-hostile.yaml": (
                'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: "\\e[31mx"\n'
            )
        }
    )
    repo = GitopsRepo.open(str(b.path))
    assert reconcile_command(repo, "staging", "api") == (
        "flux reconcile kustomization acme-gitops-staging-default-api --with-source"
    )
    assert reconcile_command(repo, "staging", "web") == (
        "flux reconcile kustomization gitops-repo-acme-gitops-staging -n gimlet --with-source"
    )
    assert reconcile_command(repo, "staging", "hostile") == (  # a name that is no Kubernetes name is not printed
        "flux reconcile kustomization gitops-repo-acme-gitops-staging -n gimlet --with-source"
    )
    c = make_repo()
    c.deploy("prod", "api", kustomization=False)
    assert reconcile_command(GitopsRepo.open(str(c.path)), "prod", "api") == (
        "flux reconcile kustomization flux-system --with-source"
    )


# -- the TUI: where the branch stands, and f in a clone ------------------------------------------------


async def test_tui_header_shows_ahead_and_behind_and_f_fetches_the_clones_upstream(clone, tmp_path):
    import time

    from helpers import main_screen, make_app, settle

    b, bare, work = clone
    import os

    git(work, "fetch", "-q")  # FETCH_HEAD: when the upstream was last fetched
    now = time.time() + 30  # a fetch during the test is "just now"
    logs = work / ".git" / "logs" / "refs" / "remotes" / "origin"
    for path in (work / ".git" / "FETCH_HEAD", *logs.iterdir()):  # the fetch, and the clone's reflogs
        os.utime(path, (now - 7200, now - 7200))
    app = make_app(work, now=now)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        header = lambda: str(main_screen(app).query_one("#header").render())  # noqa: E731
        assert "level with origin/main" in header() and "fetched 2 hours ago" in header()
        colleague_pushes(tmp_path, bare)
        await pilot.press("f")
        await settle(pilot)
        assert "1 behind origin/main" in header() and "fetched just now" in header()
        assert any(n.title == "Fetch" and n.message == "Fetched 1 repository." for n in app.notified)
        git(work, "pull", "-q", "--ff-only")
        Builder(work, Layout.SHARED).deploy("staging", "web")
        await pilot.press("f")
        await settle(pilot)
        assert "1 ahead of origin/main (not pushed)" in header()
    assert git(work, "status", "--porcelain", "--branch").splitlines() == ["## main...origin/main [ahead 1]"]


async def test_tui_with_pushing_off_keeps_it_local_and_warns_not_pushed(clone):
    import shlex

    from gimlet_tui.tui.screens.confirm import ConfirmRollback
    from helpers import main_screen, make_app, settle, timeline

    b, bare, work = clone
    before = server(bare)
    app = make_app(work)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")  # staging/api
        await settle(pilot)
        screen = main_screen(app)
        screen.action_toggle_push()  # the command palette's "Push rollbacks to the upstream"
        assert not screen.push
        timeline(app).focus()
        await pilot.press("j", "C")
        assert shlex.split(app.clipboard)[-1] == "--no-push"  # the copied command does what r y does
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback) and app.screen.destination is None
        await pilot.press("y")
        await settle(pilot)
        warning = app.notified[-1]
        assert (warning.title, warning.severity) == ("Not pushed", "warning")
        assert warning.message == "NOT PUSHED: main is 1 ahead of origin/main; Flux will not see this until you push"
        assert "1 ahead of origin/main (not pushed)" in str(screen.query_one("#header").render())
    assert server(bare) == before
    assert git(work, "status", "--porcelain", "--branch").splitlines() == ["## main...origin/main [ahead 1]"]


async def test_tui_cancel_after_a_fast_forward_says_so(clone, tmp_path):
    from gimlet_tui.tui.screens.confirm import ConfirmRollback
    from helpers import main_screen, make_app, settle, timeline

    b, bare, work = clone
    app = make_app(work)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")  # staging/api
        await settle(pilot)
        web = colleague_pushes(tmp_path, bare)
        timeline(app).focus()
        await pilot.press("j", "r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback)
        assert app.screen.note == "fast-forwarded main to origin/main (1 new commit(s)) before planning"
        await pilot.press("n")
        await settle(pilot)
        assert any(
            n.message == "Rollback cancelled: nothing was changed but the fast-forward to the upstream."
            for n in app.notified
        )
        assert main_screen(app).info.head == web
    assert git(work, "rev-parse", "HEAD").strip() == web and git(work, "status", "--porcelain") == ""


def test_a_fresh_clone_knows_its_upstream_and_when_it_was_fetched(clone):
    import time

    b, bare, work = clone
    assert not (work / ".git" / "FETCH_HEAD").exists()  # git clone writes none
    info = GitopsRepo.open(str(work)).info()
    assert (info.upstream, info.ahead, info.behind) == ("origin/main", 0, 0)
    assert info.fetched_at is not None and abs(time.time() - info.fetched_at) < 600  # the clone's own time
    assert GitopsRepo.open(str(b.path)).info().upstream is None  # no upstream: the header says "loaded"


def test_an_unreachable_upstream_stops_before_planning_and_names_no_push(clone, capsys):
    b, bare, work = clone
    git(work, "remote", "set-url", "origin", str(bare.parent / "gone.git"))
    before = repo_state(work)
    code, out, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[1], "--yes"))
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and err.count("\n") == 1
    assert err.endswith("; nothing was changed (to make the change in this clone only: --no-push)\n")
    assert repo_state(work) == before
    code, _, err = run_cli(capsys, "release", "rollback", *where(work, "--to", b.api[1], "--yes", "--no-push"))
    assert code == 0 and "NOT PUSHED: main is 2 ahead of origin/main" in err
