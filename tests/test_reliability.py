"""Loops that try to break a rollback in a work tree, as an adversarial user would; git judges after every run.

kill -9 and Ctrl-C at random moments (an app of thousands of files, so that the moment often falls
while files are written), two rollbacks of different apps at once, a colleague's `git commit`
during a rollback, an edit while the push waits on a slow server. Each run starts from the same
repository state and ends with git's verdict: `git status --porcelain` clean, `git diff --cached`
empty, `git fsck` quiet, the branch either where it was or one rollback further, the app exactly
the target's or exactly as it was.

GIMLET_TUI_STRESS_RUNS says how often each loop runs (`make test`: 3; `make stress`: hundreds);
GIMLET_TUI_STRESS_REPORT names a file where each loop adds one line of what its runs met.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

from gimlet_tui.gitops import Layout
from helpers import Builder, git, version
from servers import git_daemon

RUNS = int(os.environ.get("GIMLET_TUI_STRESS_RUNS", "3"))
FILES = int(os.environ.get("GIMLET_TUI_STRESS_FILES", "2000"))
JOURNAL = ".git/gimlet-tui-rollback.json"
LOCK = ".git/index.lock"


def rev(path, spec: str) -> str:
    return git(path, "rev-parse", spec).strip()


def gimlet(*argv: str) -> list[str]:
    return [sys.executable, "-m", "gimlet_tui", *argv]


def rollback_argv(path, app: str, target: str, *more: str) -> list[str]:
    return gimlet(
        "release", "rollback", "--repo", str(path), "--env", "staging", "--app", app, "--to", target, "--yes", *more
    )


def verdict(path, start: str, targets: dict[str, str]) -> dict[str, bool]:
    """git's verdict on a repository nobody writes to; which of the rollbacks in `targets` (app -> target) landed."""
    assert git(path, "status", "--porcelain", "--untracked-files=all") == ""
    assert subprocess.run(["git", "-C", str(path), "diff", "--cached", "--quiet"]).returncode == 0
    fsck = subprocess.run(["git", "-C", str(path), "fsck", "--no-dangling"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    assert not (Path(path) / LOCK).exists() and not (Path(path) / JOURNAL).exists()
    commits = git(path, "rev-list", f"{start}..HEAD").split()
    landed = {}
    for app, target in targets.items():
        now, before, wanted = (rev(path, f"{at}:staging/{app}") for at in ("HEAD", start, target))
        assert now in (before, wanted), f"staging/{app} is neither as it was nor the target's"
        landed[app] = now == wanted and now != before
    assert len(commits) == sum(landed.values()), "a revert commit for each rollback that landed, no other"
    return landed


def reset(path, start: str) -> None:
    git(path, "reset", "-q", "--hard", start)
    assert rev(path, "HEAD") == start


def record(loop: str, outcomes: Counter[str]) -> None:
    report = os.environ.get("GIMLET_TUI_STRESS_REPORT")
    if report:
        with open(report, "a") as stream:
            stream.write(json.dumps({"loop": loop, "runs": sum(outcomes.values()), "outcomes": dict(outcomes)}) + "\n")


@pytest.fixture
def big(tmp_path):
    """staging/api with FILES files, every one of them different between its two releases; staging/web small."""
    b = Builder(tmp_path / "gitops", Layout.SHARED)
    b.commit({"README.md": "# gitops\n"}, "Initial commit")
    b.api = b.writer.deploy(
        "staging", "api", {f"f{i:05}.yaml": f"v: 1\ni: {i}\n" for i in range(FILES)}, version(1), b.tick()
    )
    b.writer.deploy("staging", "api", {f"f{i:05}.yaml": f"v: 2\ni: {i}\n" for i in range(FILES)}, version(2), b.tick())
    b.web = b.deploy("staging", "web")
    b.deploy("staging", "web")
    git(b.path, "config", "user.name", "Ops")
    git(b.path, "config", "user.email", "ops@acme.dev")
    b.start = rev(b.path, "HEAD")
    return b


def wait_for_a_random_moment(process: subprocess.Popen[str], path: Path, whole: float, run: int) -> None:
    """Even runs: any moment of the whole run. Odd runs: a moment after the rollback took the index lock
    (its journal appeared), where files, branch and index change, so that this part is met often."""
    if run % 2 == 0:
        time.sleep(random.uniform(0.3, whole * 1.2))
        return
    deadline = time.monotonic() + 120
    while not (path / JOURNAL).exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(random.uniform(0.0, whole / 2))


def timed_run(b) -> float:
    """How long one whole rollback takes here, now: the quicker of two (then the repository is put back)."""
    spent = []
    for _ in range(2):
        began = time.monotonic()
        subprocess.run(rollback_argv(b.path, "api", b.api), capture_output=True, check=True)
        spent.append(time.monotonic() - began)
        reset(b.path, b.start)
    return min(spent)


def moment_of_the_kill(path) -> str:
    """Where a kill left the rollback, as the journal and git see it before anything repairs it."""
    journal = Path(path) / JOURNAL
    if not journal.exists():
        return "index lock, no journal yet" if (Path(path) / LOCK).exists() else "no journal"
    if json.loads(journal.read_text())["new"] is None:
        return "journal, nothing written yet"
    if git(path, "status", "--porcelain", "--untracked-files=all"):
        return "journal, work tree and branch disagree"
    return "journal, work tree and branch agree"


def test_kill_9_at_random_moments(big):
    whole = timed_run(big)
    outcomes: Counter[str] = Counter()
    for run in range(RUNS):
        process = subprocess.Popen(
            rollback_argv(big.path, "api", big.api), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
        )
        wait_for_a_random_moment(process, big.path, whole, run)
        process.kill()
        process.wait()
        moment = moment_of_the_kill(big.path)
        repaired = subprocess.run(gimlet("env", "list", "--repo", str(big.path)), capture_output=True, text=True)
        assert repaired.returncode == 0, repaired.stderr
        assert bool(repaired.stderr) == (moment != "no journal")  # one note when there was something to repair
        try:
            landed = verdict(big.path, big.start, {"api": big.api})["api"]
        except AssertionError as failed:
            listing = sorted(os.listdir(big.path / ".git"))
            journal = (big.path / JOURNAL).read_text() if (big.path / JOURNAL).exists() else None
            raise AssertionError(
                f"run {run}, killed at {moment!r}; the repair said {repaired.stderr!r}; "
                f".git holds {listing}; the journal says {journal}; {failed}"
            ) from None
        outcomes[f"{moment}: {'rolled back' if landed else 'not rolled back'}"] += 1
        reset(big.path, big.start)
    record("kill -9 at a random moment", outcomes)
    if RUNS >= 50:  # enough runs for some kills to have landed while the work tree was being written
        assert any("disagree" in outcome for outcome in outcomes), outcomes


def test_ctrl_c_at_random_moments(big):
    whole = timed_run(big)
    outcomes: Counter[str] = Counter()
    for run in range(RUNS):
        with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
            # files, not pipes: the plan of thousands of files would fill a pipe nobody reads while we wait
            process = subprocess.Popen(rollback_argv(big.path, "api", big.api), stdout=stdout, stderr=stderr, text=True)
            wait_for_a_random_moment(process, big.path, whole, run)
            process.send_signal(signal.SIGINT)
            process.wait()
            stdout.seek(0)
            stderr.seek(0)
            out, err = stdout.read(), stderr.read()
        try:
            landed = verdict(big.path, big.start, {"api": big.api})["api"]  # no repair needed: never half done
        except AssertionError as failure:
            left = sorted(p.name for p in (big.path / ".git").iterdir() if "lock" in p.name or "rollback" in p.name)
            raise AssertionError(
                f"run {run}: exit {process.returncode}; out {out[-300:]!r}; err {err!r}; {left}"
            ) from failure
        said_done = "staging/api is back at" in out
        if process.returncode == 130 and landed:
            assert err.startswith("interrupted: the rollback had finished: staging/api is back at"), err
        elif process.returncode == 130:
            assert err == "interrupted: nothing was changed\n"
        elif process.returncode == -signal.SIGINT:  # before Python ran the CLI, or as it exited after saying so
            assert (not landed and "gimlet_tui/cli/main.py" not in err) or (landed and said_done), (out, err)
        else:
            assert process.returncode == 0 and landed and said_done, err  # it finished before the signal came
        outcomes[f"exit {process.returncode}, {'rolled back' if landed else 'not rolled back'}"] += 1
        reset(big.path, big.start)
    record("Ctrl-C at a random moment", outcomes)
    if RUNS >= 50:  # enough runs for some interrupts to have been held off while the work tree was written
        assert outcomes["exit 130, rolled back"] > 0, outcomes


GIT_REFUSALS = (b"index.lock': File exists", b"fatal: cannot lock ref 'HEAD': is at ")
REFUSED_CLEANLY = ("error: the branch moved: ", "error: another rollback is under way", ".git/index.lock exists")


def test_two_rollbacks_of_different_apps_at_once(big):
    outcomes: Counter[str] = Counter()
    targets = {"api": big.api, "web": big.web}
    for _ in range(RUNS):
        processes = {
            app: subprocess.Popen(
                rollback_argv(big.path, app, target), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
            for app, target in targets.items()
        }
        results = {app: (process.wait(), process.stderr.read()) for app, process in processes.items()}
        landed = verdict(big.path, big.start, targets)
        for app, (code, err) in results.items():
            assert (code == 0) == landed[app], (app, code, err)
            if code:
                assert code == 1 and err.count("\n") == 1 and any(words in err for words in REFUSED_CLEANLY), err
        outcomes[" + ".join(f"{app} {'rolled back' if landed[app] else 'refused'}" for app in sorted(landed))] += 1
        reset(big.path, big.start)
    record("two rollbacks at once", outcomes)


def test_a_colleagues_git_commit_during_a_rollback(big):
    """A colleague commits at a random moment: before the rollback locks, while it holds the lock, or after."""
    whole = timed_run(big)
    outcomes: Counter[str] = Counter()
    for run in range(RUNS):
        process = subprocess.Popen(
            rollback_argv(big.path, "api", big.api), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        time.sleep(random.uniform(0.0, whole))
        (big.path / "README.md").write_text(f"# gitops\n\nrun {run}\n")
        refused = 0
        while True:  # as a person would: git refused, so try again a moment later
            committed = subprocess.run(["git", "-C", str(big.path), "commit", "-qam", "colleague"], capture_output=True)
            if committed.returncode == 0:
                break
            # git refuses while the rollback holds the index, and when the branch moved under it (it read HEAD
            # before it could take the index lock): both are git's own clean refusals, nothing is lost
            assert any(words in committed.stderr for words in GIT_REFUSALS), committed.stderr
            refused += 1
            time.sleep(0.05)
        process.wait()
        err = process.stderr.read()
        landed = rev(big.path, "HEAD:staging/api") == rev(big.path, f"{big.api}:staging/api")
        assert (process.returncode == 0) == landed, err  # a commit never undoes a rollback that said it was done
        if process.returncode:
            assert any(words in err for words in REFUSED_CLEANLY), err
        assert git(big.path, "log", "-1", "--format=%s", "--", "README.md") == "colleague\n"
        assert git(big.path, "status", "--porcelain", "--untracked-files=all") == ""
        assert subprocess.run(["git", "-C", str(big.path), "diff", "--cached", "--quiet"]).returncode == 0
        fsck = subprocess.run(["git", "-C", str(big.path), "fsck", "--no-dangling"], capture_output=True)
        assert fsck.returncode == 0, fsck.stderr
        waited = "git refused the commit at first" if refused else "the commit went straight in"
        outcomes[f"{'rolled back' if landed else 'refused: the branch moved'}, {waited}"] += 1
        reset(big.path, big.start)
    record("a colleague's git commit during a rollback", outcomes)
    if RUNS >= 50:  # enough runs for some commits to have met the rollback's lock
        assert any("refused the commit" in outcome for outcome in outcomes), outcomes


def test_an_edit_during_a_slow_push_is_never_overwritten(make_repo, tmp_path):
    """The server's pre-receive hook takes seconds; the file edited meanwhile is left as the user made it."""
    b = make_repo()
    target = b.deploy("staging", "api")
    b.deploy("staging", "api")
    base = tmp_path / "served"
    base.mkdir()
    bare = base / "gitops.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(bare))
    started = tmp_path / "push-started"
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\ncat >/dev/null\ntouch '{started}'\nsleep 3\n")
    hook.chmod(0o755)
    outcomes: Counter[str] = Counter()
    with git_daemon(base) as prefix:
        for run in range(min(RUNS, 10)):
            clone = tmp_path / f"clone{run}"
            git(tmp_path, "clone", "-q", f"{prefix}/gitops.git", str(clone))
            before = rev(clone, "HEAD")
            started.unlink(missing_ok=True)
            process = subprocess.Popen(
                rollback_argv(clone, "api", target, "--push"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            deadline = time.monotonic() + 60
            while not started.exists():
                assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()
                time.sleep(0.02)
            edited = clone / "staging/api/deployment.yaml"
            edited.write_text("my urgent fix\n")
            process.wait()
            err = process.stderr.read()
            assert process.returncode == 1 and err.count("\n") == 1, err
            assert err.startswith("error: the server took the rollback, but staging/api/deployment.yaml changed here")
            assert edited.read_text() == "my urgent fix\n"
            assert (
                rev(clone, "HEAD") == before
                and git(clone, "status", "--porcelain") == " M staging/api/deployment.yaml\n"
            )
            assert rev(bare, "main:staging/api") == rev(bare, f"{target}:staging/api")  # the server has it
            assert not (clone / LOCK).exists() and not (clone / JOURNAL).exists()
            git(bare, "update-ref", "refs/heads/main", before)  # the server as it was, for the next run
            outcomes["edit kept, server rolled back, clone told to pull"] += 1
    record("an edit during a slow push", outcomes)
