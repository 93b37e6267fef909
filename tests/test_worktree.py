"""A rollback in a work tree: refused before anything moves, never through a link, all or nothing, repaired after a kill.

git is the judge: `git status --porcelain`, `git diff --cached`, `git fsck`, `git rev-parse`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gimlet_tui.cli import main
from gimlet_tui.gitops import DirtyWorkTree, GitopsRepo, execute_rollback, plan_rollback
from helpers import git, repo_state

JOURNAL = ".git/gimlet-tui-rollback.json"
LOCK = ".git/index.lock"


def rev(path, spec: str) -> str:
    return git(path, "rev-parse", spec).strip()


def consistent(path, app_at: str | None = None) -> None:
    """What git says about a repository nobody is writing to: clean, whole, the app where expected."""
    assert git(path, "status", "--porcelain", "--untracked-files=all") == ""
    assert subprocess.run(["git", "-C", str(path), "diff", "--cached", "--quiet"]).returncode == 0
    fsck = subprocess.run(["git", "-C", str(path), "fsck", "--no-dangling"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    assert not (Path(path) / LOCK).exists() and not (Path(path) / JOURNAL).exists()
    if app_at is not None:
        assert rev(path, "HEAD:staging/api") == rev(path, f"{app_at}:staging/api")


def rollback_args(path, target: str, *more: str) -> list[str]:
    return [
        "release",
        "rollback",
        "--repo",
        str(path),
        "--env",
        "staging",
        "--app",
        "api",
        "--to",
        target,
        "--yes",
        *more,
    ]


def cli(*argv: str, prelude: str = "", wrap: str = "") -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own; `prelude` runs first (to patch the engine), `wrap` as a command prefix."""
    program = f"import sys\n{prelude}\nfrom gimlet_tui.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    command = [*wrap.split(), sys.executable, "-c", program, *argv]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def when_called(where: str, action: str) -> str:
    """A prelude that does `action` (Python) as `where` ("module:Class.function") is first called."""
    module, name = where.split(":")
    owner, _, attribute = name.rpartition(".")
    return (
        "import importlib, os, signal\n"
        f"target = importlib.import_module('{module}')\n"
        f"owner = getattr(target, '{owner}') if '{owner}' else target\n"
        f"real = getattr(owner, '{attribute}')\n"
        "def patched(*args, **kwargs):\n"
        f"    {action}\n"
        "    return real(*args, **kwargs)\n"
        f"setattr(owner, '{attribute}', staticmethod(patched) if isinstance(owner, type) and "
        f"isinstance(owner.__dict__.get('{attribute}'), staticmethod) else patched)\n"
    )


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.target = b.deploy("staging", "api")
    b.newer = b.deploy("staging", "api")
    b.deploy("staging", "web")
    return b


# -- links and things in the way -----------------------------------------------------------------


def test_a_symlinked_app_folder_is_replaced_never_followed(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "deployment.yaml").write_text("not yours\n")
    os.symlink(outside, repo.path / "staging/api.link")
    git(repo.path, "rm", "-rq", "staging/api")
    os.rename(repo.path / "staging/api.link", repo.path / "staging/api")
    git(repo.path, "add", "staging/api")
    git(repo.path, "commit", "-qm", "[Gimlet] staging/api automated deploy")  # git checks this out without a word
    assert main(rollback_args(repo.path, repo.target)) == 0
    assert (outside / "deployment.yaml").read_text() == "not yours\n" and sorted(os.listdir(outside)) == [
        "deployment.yaml"
    ]
    assert not (repo.path / "staging/api").is_symlink()
    consistent(repo.path, repo.target)


def test_a_symlinked_kustomization_is_replaced_never_followed(repo, tmp_path):
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0\n")
    kustomization = repo.path / "staging/flux/kustomization-api.yaml"
    kustomization.unlink()
    os.symlink(outside, kustomization)
    (repo.path / "staging/api/deployment.yaml").write_text("image: acme/api:linked\n")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-qm", "[Gimlet] staging/api automated deploy")
    assert main(rollback_args(repo.path, repo.target)) == 0
    assert outside.read_text() == "root:x:0:0\n" and not kustomization.is_symlink()
    consistent(repo.path, repo.target)
    assert rev(repo.path, "HEAD:staging/flux/kustomization-api.yaml") == rev(
        repo.path, f"{repo.target}:staging/flux/kustomization-api.yaml"
    )


def test_a_tracked_symlinked_parent_folder_is_replaced(make_repo, tmp_path):
    b = make_repo()
    target = b.deploy("staging", "api")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    git(b.path, "rm", "-rq", "staging/flux")
    os.symlink(outside, b.path / "staging/flux")
    git(b.path, "add", "staging/flux")
    git(b.path, "commit", "-qm", "flux moved away")
    b.deploy("staging", "api", kustomization=False)
    assert main(rollback_args(b.path, target)) == 0
    assert os.listdir(outside) == [] and not (b.path / "staging/flux").is_symlink()
    consistent(b.path, target)


def test_an_untracked_link_on_the_way_is_refused(make_repo, tmp_path, capsys):
    b = make_repo()
    target = b.deploy("staging", "api")
    b.commit({"staging/flux/kustomization-api.yaml": None, "staging/api/deployment.yaml": "v: 2\n"}, "[Gimlet] deploy")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    if (b.path / "staging/flux").exists():
        os.rmdir(b.path / "staging/flux")  # git keeps no empty folder
    os.symlink(outside, b.path / "staging/flux")  # untracked: not under the app's paths, so not "dirty"
    state = repo_state(b.path)
    assert main(rollback_args(b.path, target)) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: staging/flux is a symbolic link in the work tree, where the rollback needs a folder: gimlet-tui "
        "never writes through links; move it away, then run again; nothing was changed\n"
    )
    assert repo_state(b.path) == state and os.listdir(outside) == []


def test_an_ignored_file_in_the_way_is_refused(make_repo, capsys):
    """git would overwrite an ignored file; its data is someone's, so the rollback stops instead."""
    b = make_repo()
    target = b.writer.deploy("staging", "api", {"deployment.yaml": "a\n", "extra.yaml": "x\n"}, {}, b.tick())
    b.deploy("staging", "api")  # Gimlet rewrites the folder: extra.yaml is gone
    b.commit({".gitignore": "extra.yaml\n"}, "ignore local extras")
    (b.path / "staging/api/extra.yaml").write_text("someone's data\n")
    state = repo_state(b.path)
    assert main(rollback_args(b.path, target)) == 1
    assert capsys.readouterr().err == (
        "error: staging/api/extra.yaml is in the way (untracked or ignored) where the rollback puts a file: move it "
        "away, then run again; nothing was changed\n"
    )
    assert repo_state(b.path) == state and (b.path / "staging/api/extra.yaml").read_text() == "someone's data\n"


def test_an_app_folder_replaced_by_a_file_is_refused(repo, capsys):
    import shutil

    shutil.rmtree(repo.path / "staging/api")
    (repo.path / "staging/api").write_text("a file where the app's folder was\n")
    state = repo_state(repo.path)
    assert main(rollback_args(repo.path, repo.target)) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: uncommitted changes under staging/api: ") and err.count("\n") == 1
    assert repo_state(repo.path) == state


def test_a_submodule_is_refused_with_one_line(repo, capsys):
    other = git(repo.path, "rev-parse", "HEAD").strip()
    git(repo.path, "update-index", "--add", "--cacheinfo", f"160000,{other},staging/api/vendor")
    (repo.path / "staging/api/vendor").mkdir()  # a submodule not checked out: git status says nothing
    git(repo.path, "commit", "-qm", "[Gimlet] staging/api automated deploy")
    assert main(["release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api"]) == 0
    capsys.readouterr()
    state = repo_state(repo.path)
    assert main(rollback_args(repo.path, repo.target)) == 1
    assert capsys.readouterr().err == (
        "error: staging/api/vendor is a submodule: gimlet-tui does not roll back submodules (roll it back by hand "
        "with git); nothing was changed\n"
    )
    assert repo_state(repo.path) == state


def test_an_unwritable_file_is_refused_before_anything_moves(repo):
    """Root writes anywhere: the CLI runs in a user namespace where the file's owner is a stranger."""
    deployment = repo.path / "staging/api/deployment.yaml"
    os.chown(deployment, 12345, 12345)
    state = repo_state(repo.path)
    refused = cli(*rollback_args(repo.path, repo.target), wrap="unshare --map-root-user")
    assert (refused.returncode, refused.stderr) == (
        1,
        "error: staging/api/deployment.yaml cannot be written (permission denied): fix its permissions; "
        "nothing was changed\n",
    )
    assert repo_state(repo.path) == state


def test_a_write_that_fails_midway_puts_every_file_back(repo):
    """The check passed but the file system says no halfway through: the files go back, the branch stays."""
    for name in ("a", "b", "c"):
        (repo.path / f"staging/api/{name}.yaml").write_text(f"{name}\n")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-qm", "[Gimlet] staging/api automated deploy")
    os.chown(repo.path / "staging/api/release.json", 12345, 12345)  # after a, b, c and deployment.yaml
    state = repo_state(repo.path)
    skip_check = when_called("gimlet_tui.gitops.worktree:_refuse_unwritable", "return None")
    failed = cli(*rollback_args(repo.path, repo.target), prelude=skip_check, wrap="unshare --map-root-user")
    assert failed.returncode == 1 and "the files were put back and nothing was changed" in failed.stderr
    assert failed.stderr.count("\n") == 1
    assert repo_state(repo.path) == state
    assert not (repo.path / LOCK).exists() and not (repo.path / JOURNAL).exists()


# -- locks, other work trees, other refs ---------------------------------------------------------


def test_a_stale_index_lock_is_refused_naming_it(repo, capsys):
    lock = repo.path / LOCK
    lock.write_text("")
    state = repo_state(repo.path)
    assert main(rollback_args(repo.path, repo.target)) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error: {lock} exists: another git command is running in this repository, or one was stopped before it "
        f"could clean up. If no git command is running, remove it (rm '{lock}') and run again; nothing was changed\n"
    )
    assert repo_state(repo.path) == state and lock.exists()


KILLED_HOLDING_THE_LOCK = when_called("gimlet_tui.gitops.locks:Journal.create", "os.kill(os.getpid(), signal.SIGKILL)")


def test_a_lock_left_by_a_kill_before_the_journal_is_removed_by_the_next_command(repo):
    """The one moment the journal cannot cover: the lock is taken, the journal not yet written."""
    head = rev(repo.path, "HEAD")
    killed = cli(*rollback_args(repo.path, repo.target), prelude=KILLED_HOLDING_THE_LOCK)
    assert killed.returncode == -signal.SIGKILL
    assert (repo.path / LOCK).exists() and not (repo.path / JOURNAL).exists()
    after = cli("env", "list", "--repo", str(repo.path))
    assert after.returncode == 0, after.stderr
    lock = repo.path / LOCK
    assert after.stderr == f"note: removed {lock}, left by a rollback that was stopped before it changed anything\n"
    consistent(repo.path)
    assert rev(repo.path, "HEAD") == head
    assert [name for name in os.listdir(repo.path / ".git") if name.startswith("index.lock")] == []
    assert main(rollback_args(repo.path, repo.target)) == 0  # and the rollback goes through
    consistent(repo.path, app_at=repo.target)


def test_a_lock_someone_made_since_is_never_removed(repo):
    killed = cli(*rollback_args(repo.path, repo.target), prelude=KILLED_HOLDING_THE_LOCK)
    assert killed.returncode == -signal.SIGKILL
    lock = repo.path / LOCK
    lock.unlink()
    lock.write_text("a git command of someone else")
    after = cli("env", "list", "--repo", str(repo.path))
    assert after.returncode == 0 and after.stderr == ""
    assert lock.read_text() == "a git command of someone else"
    assert [name for name in os.listdir(repo.path / ".git") if name.startswith("index.lock")] == ["index.lock"]


def test_a_branch_checked_out_in_another_work_tree_is_refused(repo, tmp_path, capsys):
    linked = tmp_path / "linked"
    git(repo.path, "worktree", "add", "-q", "-b", "side", str(linked))
    state = repo_state(repo.path)
    assert main(rollback_args(linked, repo.target, "--branch", "main")) == 1
    assert capsys.readouterr().err == (
        f"error: main is checked out in the work tree at {repo.path}: roll back from there (git refuses to move "
        "a branch another work tree uses); nothing was changed\n"
    )
    assert repo_state(repo.path) == state
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo.path), str(bare))
    git(bare, "worktree", "add", "-q", str(tmp_path / "checkout"), "main")
    assert main(rollback_args(bare, repo.target)) == 1
    assert f"main is checked out in the work tree at {tmp_path / 'checkout'}" in capsys.readouterr().err
    assert main(rollback_args(tmp_path / "checkout", repo.target)) == 0  # from there it works
    consistent(tmp_path / "checkout", repo.target)


@pytest.mark.parametrize("ref", ["refs/tags/v1", "refs/tags/annotated", "refs/remotes/origin/main", "refs/notes/x"])
def test_a_branch_that_is_not_local_is_refused(repo, capsys, ref):
    git(repo.path, "tag", "v1")
    git(repo.path, "tag", "-a", "-m", "release", "annotated")
    git(repo.path, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo.path, "update-ref", "refs/notes/x", "HEAD")
    refs = git(repo.path, "for-each-ref")
    assert main(rollback_args(repo.path, repo.target, "--branch", ref)) == 1
    assert capsys.readouterr().err.startswith(f"error: {ref} is not a local branch")
    assert git(repo.path, "for-each-ref") == refs


# -- attributes, concurrent edits ----------------------------------------------------------------


def test_eol_attributes_are_applied_as_git_does(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    b.commit({".gitattributes": "*.yaml text eol=lf\n"}, "attributes")
    crlf = b"kind: Service\r\nname: api\r\n"
    blob = (
        subprocess.run(
            ["git", "-C", str(b.path), "hash-object", "-w", "--no-filters", "--stdin"], input=crlf, capture_output=True
        )
        .stdout.decode()
        .strip()
    )
    git(b.path, "update-index", "--cacheinfo", f"100644,{blob},staging/api/service.yaml")  # stored with CRLF
    git(b.path, "commit", "-qm", "[Gimlet] staging/api automated deploy")
    git(b.path, "checkout", "-q", "-f", "HEAD")
    target = rev(b.path, "HEAD")
    b.deploy("staging", "api")
    assert main(rollback_args(b.path, target)) == 0
    index = git(b.path, "ls-files", "-s", "staging/api")
    tree = git(b.path, "ls-tree", "-r", "--format=%(objectmode) %(objectname) 0\t%(path)", "HEAD", "staging/api")
    assert index == tree  # nothing staged: the index holds the commit's blobs, as after git checkout
    assert (b.path / "staging/api/service.yaml").read_bytes() == crlf  # written as git writes it
    assert subprocess.run(["git", "-C", str(b.path), "diff", "--cached", "--quiet"]).returncode == 0


def test_a_file_changed_during_the_rollback_is_left_alone(repo, monkeypatch):
    from gimlet_tui.gitops import sync

    real = sync.check_work_tree
    edited = repo.path / "staging/api/deployment.yaml"

    def and_then_an_edit(*args, **kwargs):
        changed = real(*args, **kwargs)
        edited.write_text("edited while the rollback ran\n")
        return changed

    monkeypatch.setattr(sync, "check_work_tree", and_then_an_edit)
    repository = GitopsRepo.open(str(repo.path))
    plan = plan_rollback(repository, "staging", "api", repo.target)
    state = repo_state(repo.path)
    with pytest.raises(DirtyWorkTree, match=r"^staging/api/deployment.yaml changed while the rollback was under way"):
        execute_rollback(repository, plan)
    assert edited.read_text() == "edited while the rollback ran\n"
    after = repo_state(repo.path)
    assert (after["refs"], after["index"]) == (state["refs"], state["index"])
    assert git(repo.path, "status", "--porcelain") == " M staging/api/deployment.yaml\n"
    assert not (repo.path / LOCK).exists() and not (repo.path / JOURNAL).exists()


# -- interrupts and kills at every step ----------------------------------------------------------

KILLS = {
    "index locked, commits being written": ("gimlet_tui.gitops.execute:write_reverts", "nothing"),
    "after the journal, before any file": ("gimlet_tui.gitops.sync:checkout", "old"),
    "files written, branch not moved": ("gimlet_tui.gitops.sync:new_index", "old"),
    "branch moved, index not written": ("gimlet_tui.gitops.locks:IndexLock.commit", "new"),
    "index written, journal not removed": ("gimlet_tui.gitops.locks:Journal.remove", "new"),
}


@pytest.mark.parametrize("moment", sorted(KILLS))
def test_kill_9_at_each_step_is_repaired_by_the_next_command(repo, moment):
    where, ends_at = KILLS[moment]
    old = rev(repo.path, "HEAD")
    killed = cli(*rollback_args(repo.path, repo.target), prelude=when_called(where, "os.kill(os.getpid(), 9)"))
    assert killed.returncode == -signal.SIGKILL
    assert (repo.path / JOURNAL).exists()
    listed = cli("release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api")
    assert listed.returncode == 0, listed.stderr
    word = {"new": "finished", "old": "undid", "nothing": "cleaned up after"}[ends_at]
    assert listed.stderr.startswith(f"note: {word} an interrupted rollback of staging/api to {repo.target[:10]}")
    assert listed.stderr.count("\n") == 1
    if ends_at != "new":
        assert rev(repo.path, "HEAD") == old
        consistent(repo.path, old)
    else:
        assert rev(repo.path, "HEAD~1") == old
        consistent(repo.path, repo.target)


def assert_it_finished(repo, interrupted) -> None:
    """An interrupt after the rollback landed: status 130, one line saying what had finished, git content."""
    assert interrupted.returncode == 130
    new = rev(repo.path, "HEAD")
    assert interrupted.stderr == (
        f"interrupted: the rollback had finished: staging/api is back at {repo.target[:10]}; main is now at {new[:10]}\n"
    )
    consistent(repo.path, repo.target)


@pytest.mark.parametrize(
    "where",
    [
        "gimlet_tui.gitops.sync:checkout",  # the work tree is being written: the interrupt waits
        "gimlet_tui.cli.landing:result_text",  # the rollback returned, its result is not on the screen yet
    ],
)
def test_sigint_once_the_rollback_is_under_way_waits_and_says_it_finished(repo, where):
    prelude = when_called(where, "os.kill(os.getpid(), signal.SIGINT)")
    assert_it_finished(repo, cli(*rollback_args(repo.path, repo.target), prelude=prelude))


INTERRUPTED_AS_IT_RETURNS = """
import os, signal
import gimlet_tui.gitops.apply as apply
real = apply.execute_rollback
def returning(*args, **kwargs):
    result = real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGINT)
    return result
apply.execute_rollback = returning
"""


def test_sigint_as_the_engine_returns_says_it_finished(repo):
    """Between the engine's return and the face's next line (found by make stress: in a decorator's frame)."""
    assert_it_finished(repo, cli(*rollback_args(repo.path, repo.target), prelude=INTERRUPTED_AS_IT_RETURNS))


INTERRUPTED_ONCE_LANDED = """
import os, signal, subprocess
import gimlet_tui.cli.repos as repos
START = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout
real = repos.say_notices
fired = []
def patched(*args, **kwargs):
    if not fired and subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout != START:
        fired.append(True)
        os.kill(os.getpid(), signal.SIGINT)
    return real(*args, **kwargs)
repos.say_notices = patched
"""


def test_sigint_as_the_cli_ends_after_a_rollback_says_it_finished(repo, monkeypatch):
    """The last moment of the process: the result is printed, notices are being said."""
    monkeypatch.chdir(repo.path)
    interrupted = cli(*rollback_args(repo.path, repo.target), prelude=INTERRUPTED_ONCE_LANDED)
    assert "staging/api is back at" in interrupted.stdout
    assert_it_finished(repo, interrupted)


def test_sigint_before_anything_moved_says_nothing_was_changed(repo):
    state = repo_state(repo.path)
    prelude = when_called("gimlet_tui.gitops.execute:write_reverts", "os.kill(os.getpid(), signal.SIGINT)")
    interrupted = cli(*rollback_args(repo.path, repo.target), prelude=prelude)
    assert (interrupted.returncode, interrupted.stderr) == (130, "interrupted: nothing was changed\n")
    assert repo_state(repo.path) == state
    assert not (repo.path / LOCK).exists() and not (repo.path / JOURNAL).exists()


def test_sigterm_while_the_work_tree_is_written_lands_after(repo):
    prelude = when_called("gimlet_tui.gitops.sync:new_index", "os.kill(os.getpid(), signal.SIGTERM)")
    terminated = cli(*rollback_args(repo.path, repo.target), prelude=prelude)
    assert terminated.returncode == -signal.SIGTERM
    consistent(repo.path, repo.target)


def test_a_user_edit_after_a_kill_is_kept_by_the_repair(repo):
    killed = cli(
        *rollback_args(repo.path, repo.target),
        prelude=when_called("gimlet_tui.gitops.locks:IndexLock.commit", "os.kill(os.getpid(), 9)"),
    )
    assert killed.returncode == -signal.SIGKILL
    (repo.path / "staging/api/deployment.yaml").write_text("my fix\n")
    listed = cli("release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api")
    assert "; left staging/api/deployment.yaml as someone changed it" in listed.stderr
    assert (repo.path / "staging/api/deployment.yaml").read_text() == "my fix\n"
    assert git(repo.path, "status", "--porcelain") == " M staging/api/deployment.yaml\n"
    assert subprocess.run(["git", "-C", str(repo.path), "diff", "--cached", "--quiet"]).returncode == 0


async def test_the_tui_says_it_repaired_an_interrupted_rollback(repo):
    from helpers import make_app, settle

    killed = cli(
        *rollback_args(repo.path, repo.target),
        prelude=when_called("gimlet_tui.gitops.sync:new_index", "os.kill(os.getpid(), 9)"),
    )
    assert killed.returncode == -signal.SIGKILL
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        notices = [n for n in app.notified if n.title == "Repository repaired"]
        assert len(notices) == 1 and notices[0].message.startswith("undid an interrupted rollback of staging/api")
    consistent(repo.path, rev(repo.path, "HEAD"))


@pytest.mark.parametrize("cut_at", [0, 7])
def test_a_write_cut_short_by_the_kill_is_ours_and_is_repaired(repo, cut_at):
    """kill -9 while libgit2 writes a file leaves the start of it: the repair knows it for its own, not a user's."""
    killed = cli(
        *rollback_args(repo.path, repo.target),
        prelude=when_called("gimlet_tui.gitops.sync:new_index", "os.kill(os.getpid(), 9)"),
    )
    assert killed.returncode == -signal.SIGKILL
    written = repo.path / "staging/api/deployment.yaml"
    written.write_bytes(written.read_bytes()[:cut_at])  # as if the kill had come in the middle of this one
    listed = cli("release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api")
    assert (
        listed.stderr.startswith("note: undid an interrupted rollback of staging/api") and "left" not in listed.stderr
    )
    consistent(repo.path, repo.newer)
