"""Rolling forward: `release redeploy` and the TUI's F and u, on real repositories, checked with git.

A redeploy is one forward commit that makes the app's paths what a release made them; Gimlet then
lists it as a new release. Its rule for ROLLED BACK is implemented independently in
test_gimlet_world.gimlet_rolled_back and must agree with ours after every redeploy.
"""

from __future__ import annotations

import pytest
from test_gimlet_world import gimlet_rolled_back, our_rolled_back

from gimlet_tui.cli import main
from gimlet_tui.gitops import GitopsRepo, read_history
from gimlet_tui.tui.screens.confirm import ConfirmRollback
from helpers import git, main_screen, make_app, repo_state, rows, settle, timeline


@pytest.fixture
def rolled_back(make_repo, capsys):
    """staging/api with four releases, rolled back from the newest to the second (two reverts)."""
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(4)]
    b.deploy("staging", "web")
    argv = ["--repo", str(b.path), "-e", "staging", "-a", "api", "--to", b.api[1], "--yes"]
    assert main(["release", "rollback", *argv]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return b


def tree(path, rev: str) -> str:
    return git(path, "rev-parse", f"{rev}:staging/api").strip()


def test_redeploy_brings_a_rolled_back_release_forward_in_one_commit(rolled_back, capsys):
    b = rolled_back
    before = git(b.path, "rev-parse", "HEAD").strip()
    argv = ["--repo", str(b.path), "-e", "staging", "-a", "api", "--to", b.api[3], "--yes", "-m", f"fixed: {b.api[3]}"]
    assert main(["release", "redeploy", *argv, "--author", "Ops <ops@acme.dev>"]) == 0
    out = capsys.readouterr().out
    assert f"  from {b.api[1][:10]}" in out  # the current release, older than the target
    assert f"  to   {b.api[3][:10]}" in out and "(rolled back: it comes back as a new release)" in out
    assert "1 commit will make staging/api what" in out
    head = git(b.path, "rev-parse", "HEAD").strip()
    assert git(b.path, "rev-parse", "HEAD~1").strip() == before  # one commit
    assert tree(b.path, "HEAD") == tree(b.path, b.api[3])
    assert git(b.path, "diff", "--name-only", b.api[3], "HEAD", "--", "staging/api") == ""
    assert git(b.path, "status", "--porcelain") == ""
    message = git(b.path, "log", "-1", "--format=%B")
    assert b.api[3] not in message and "This reverts commit" not in message  # Gimlet reads no rollback into it
    assert "Redeploy-Reason: fixed: " + b.api[3][:12] in message and "Redeploy-By: Ops <ops@acme.dev>" in message
    history = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert history[0].sha == head and history[0].current and history[0].is_release
    assert history[0].release == next(e.release for e in history if e.sha == b.api[3])  # listed as that release
    assert (
        gimlet_rolled_back(b.path, "staging", "api")
        == our_rolled_back(b.path, "staging", "api")
        == {
            b.api[2],
            b.api[3],
        }
    )


def test_redeploy_refuses_what_it_cannot_do_and_changes_nothing(rolled_back, capsys):
    b = rolled_back
    revert = git(b.path, "rev-parse", "HEAD").strip()
    state = repo_state(b.path)
    base = ["release", "redeploy", "--repo", str(b.path), "-e", "staging", "-a", "api", "--yes", "--to"]
    cases = {
        b.api[1]: f"error: staging/api is already as {b.api[1][:10]} made it: nothing to redeploy\n",
        revert: f"error: {revert[:10]} is a revert commit, not a release of staging/api; pick a release\n",
    }
    for sha, error in cases.items():
        assert main([*base, sha]) == 1
        assert capsys.readouterr().err == error
    with pytest.raises(SystemExit) as usage:
        main(["release", "redeploy", "--repo", str(b.path), "-e", "staging", "-a", "api", "--yes"])
    assert usage.value.code == 2 and "--to" in capsys.readouterr().err  # the release to bring back must be named
    assert repo_state(b.path) == state


def test_redeploy_dry_run_and_json(rolled_back, capsys):
    import json

    b = rolled_back
    state = repo_state(b.path)
    argv = ["--repo", str(b.path), "-e", "staging", "-a", "api", "--to", b.api[2], "--dry-run", "-o", "json"]
    assert main(["release", "redeploy", *argv]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["action"] == "redeploy" and plan["dryRun"] is True and plan["pushTo"] is None
    assert repo_state(b.path) == state


async def test_tui_f_redeploys_a_rolled_back_release_and_u_undoes_a_rollback(rolled_back):
    b = rolled_back
    app = make_app(b.path)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")  # staging/api
        await settle(pilot)
        screen = main_screen(app)
        timeline(app).focus()
        assert timeline(app).selected.sha == b.api[1]  # CURRENT after the rollback
        await pilot.press("k", "r")  # the ROLLED BACK release above it
        await settle(pilot)
        assert timeline(app).selected.sha == b.api[2] and not isinstance(app.screen, ConfirmRollback)
        assert "F rolls forward to it" in app.notified[-1].message
        await pilot.press("F")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback) and app.screen.plan.redeploy
        assert str(app.screen.query_one("#confirm-dialog").border_title) == "Redeploy staging/api?"
        await pilot.press("y")
        await settle(pilot)
        assert tree(b.path, "HEAD") == tree(b.path, b.api[2])
        assert app.notified[-1].title == "Redeployed"
        head = git(b.path, "rev-parse", "HEAD").strip()
        assert rows(app)[0][1:3] == [head[:10], "CURRENT"] and timeline(app).selected.sha == b.api[2]
        assert screen.undo_refusal() == "Nothing to undo: no rollback of this app was made here."
        await pilot.press("j", "r")  # roll back to api[1] again
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback)
        await pilot.press("y")
        await settle(pilot)
        assert tree(b.path, "HEAD") == tree(b.path, b.api[1])
        assert "u undoes it" in app.notified[-1].message
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback) and app.screen.plan.redeploy
        await pilot.press("y")
        await settle(pilot)
        assert tree(b.path, "HEAD") == tree(b.path, b.api[2])  # back where it was before the rollback
    assert git(b.path, "status", "--porcelain") == ""
    assert gimlet_rolled_back(b.path, "staging", "api") == our_rolled_back(b.path, "staging", "api")


async def test_the_palette_offers_redeploy(rolled_back):
    app = make_app(rolled_back.path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(main_screen(app))]
        assert "Redeploy the selected release (roll forward)" in titles
        assert "Undo the last rollback" in titles
