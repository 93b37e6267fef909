"""The transport is the user's own git: real set-ups on loopback, each server started here.

An ssh config alias through a jump host (ProxyJump), HTTPS through an HTTP proxy with a credential
helper and the CA from git's config, `insteadOf`, local-path upstreams whose hooks run, a slow hook
while the user edits files, a server that trickles (cut by the deadline), concurrent first clones
and concurrent rollbacks. The server's branch is checked with git afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gimlet_tui.cli import main
from gimlet_tui.gitops.remote import cache_path
from helpers import git, repo_state
from servers import git_daemon, https_git, sshd, tinyproxy, trickling_proxy

CLI = [sys.executable, "-m", "gimlet_tui"]


@pytest.fixture
def gitops(make_repo, tmp_path):
    """A gitops repository as a bare one under `served/`: (builder, bare path)."""
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(3)]
    b.web = [b.deploy("staging", "web") for _ in range(2)]
    base = tmp_path / "served"
    base.mkdir()
    bare = base / "gitops.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(bare))
    git(bare, "config", "http.receivepack", "true")
    return b, bare


def ssh_hosts(text: str) -> None:
    """Add hosts to the test's ssh config (its config.d is read before the defaults)."""
    folder = Path(os.environ["HOME"], ".ssh", "config.d")
    (folder / f"hosts-{len(list(folder.iterdir()))}").write_text(text)


def trust(*servers: dict) -> None:
    with Path(os.environ["HOME"], ".ssh", "known_hosts").open("a") as known:
        for server in servers:
            known.write(server["known_hosts_line"])


def rolled_back(bare: Path, target: str, app: str = "api") -> bool:
    return git(bare, "rev-parse", f"main:staging/{app}") == git(bare, "rev-parse", f"{target}:staging/{app}")


def list_and_roll_back(capsys, url: str, target: str) -> None:
    assert main(["release", "list", "--repo", url, "--env", "staging", "--app", "api", "-o", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    code = main(["release", "rollback", "--repo", url, "--env", "staging", "--app", "api", "--to", target, "--yes"])
    assert code == 0, capsys.readouterr().err


def test_an_ssh_config_alias_through_a_jump_host(gitops, tmp_path, capsys):
    b, bare = gitops
    with sshd(tmp_path / "jump", home=tmp_path) as jump, sshd(tmp_path / "target", home=tmp_path) as target:
        trust(jump, target)
        ssh_hosts(
            f"Host bastion\n  HostName 127.0.0.1\n  Port {jump['port']}\n  User root\n  IdentityFile {jump['key']}\n"
            f"Host gitops\n  HostName 127.0.0.1\n  Port {target['port']}\n  User root\n  ProxyJump bastion\n"
            f"  IdentityFile {target['key']}\n"
        )
        list_and_roll_back(capsys, f"gitops:{bare}", b.api[0])
        assert "Accepted publickey for root" in (tmp_path / "jump" / "sshd.log").read_text()  # through the jump host
    assert rolled_back(bare, b.api[0])


def test_https_through_a_proxy_with_a_credential_helper_and_the_ca_from_git_config(
    gitops, tmp_path, capsys, monkeypatch
):
    b, bare = gitops
    for name in ("GIT_SSL_CAINFO", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with https_git(tmp_path / "nginx", bare.parent, "deploy", "t0ken-value") as server:
        port = server["port"]
        with tinyproxy(tmp_path / "proxy", port) as proxy:
            store = tmp_path / "git-credentials"
            store.write_text(f"https://deploy:t0ken-value@127.0.0.1:{port}\n")
            store.chmod(0o600)
            git(tmp_path, "config", "--global", "credential.helper", f"store --file={store}")
            git(tmp_path, "config", "--global", "http.sslCAInfo", str(server["cafile"]))
            git(tmp_path, "config", "--global", "http.proxy", f"http://127.0.0.1:{proxy['port']}")
            list_and_roll_back(capsys, f"https://127.0.0.1:{port}/gitops.git", b.api[1])
            assert f"CONNECT 127.0.0.1:{port}" in proxy["log"].read_text()
    assert rolled_back(bare, b.api[1])


def test_insteadof_rewrites_the_url_as_git_does(gitops, tmp_path, capsys):
    b, bare = gitops
    with git_daemon(bare.parent) as prefix:
        git(tmp_path, "config", "--global", f"url.{prefix}/.insteadOf", "https://github.com/acme/")
        url = "https://github.com/acme/gitops.git"
        list_and_roll_back(capsys, url, b.api[0])
        assert git(cache_path(url), "config", "remote.origin.url").strip() == url  # stored as the user wrote it
    assert rolled_back(bare, b.api[0])


def refusing_hook(bare: Path, words: str = "rollbacks need a change ticket") -> None:
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\necho '{words}' >&2\nexit 1\n")
    hook.chmod(0o755)


REFUSED = (
    "error: the server refused the push: refs/heads/main: pre-receive hook declined "
    "(the server said: rollbacks need a change ticket); nothing was changed\n"
)


def test_a_local_path_upstream_runs_its_hooks(gitops, tmp_path, capsys):
    b, bare = gitops
    clone = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    refusing_hook(bare)
    before, server = repo_state(clone), git(bare, "rev-parse", "main")
    argv = ["--env", "staging", "--app", "api", "--to", b.api[0], "--yes"]
    assert main(["release", "rollback", "--repo", str(clone), "--push", *argv]) == 1
    assert capsys.readouterr().err == REFUSED
    assert repo_state(clone) == before and git(bare, "rev-parse", "main") == server
    url = f"file://{bare}"  # the same server as a URL: the mirror's push runs the hook too
    assert main(["release", "rollback", "--repo", url, *argv]) == 1
    assert capsys.readouterr().err.endswith("\n" + REFUSED)  # after the clone's progress line
    assert git(bare, "rev-parse", "main") == server
    assert git(cache_path(url), "rev-parse", "main") == server  # no branch on unpushed commits


def test_a_slow_hook_while_the_user_edits_files(gitops, tmp_path):
    b, bare = gitops
    clone = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    started, go = tmp_path / "hook-started", tmp_path / "hook-go"
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(
        f"#!/bin/sh\ntouch '{started}'\ni=0\nwhile [ ! -e '{go}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n"
    )
    hook.chmod(0o755)
    argv = ["release", "rollback", "--repo", str(clone), "--env", "staging", "--app", "api", "--to", b.api[0]]
    rollback = subprocess.Popen([*CLI, *argv, "--yes", "--push"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not started.exists() and rollback.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), rollback.communicate()
    (clone / "staging" / "web" / "deployment.yaml").write_text("edited while the push waits\n")
    (clone / "notes.txt").write_text("mine\n")
    go.touch()
    out, err = rollback.communicate(timeout=60)
    assert rollback.returncode == 0, err
    assert (clone / "staging" / "web" / "deployment.yaml").read_text() == "edited while the push waits\n"
    assert (clone / "notes.txt").read_text() == "mine\n"
    assert git(clone, "status", "--porcelain").splitlines() == [" M staging/web/deployment.yaml", "?? notes.txt"]
    assert git(clone, "rev-parse", "HEAD") == git(bare, "rev-parse", "main")
    assert rolled_back(bare, b.api[0])


def test_a_trickling_server_is_cut_by_the_deadline(gitops):
    b, bare = gitops
    with git_daemon(bare.parent) as prefix, trickling_proxy(int(prefix.rsplit(":", 1)[1]), interval=2) as port:
        url = f"git://127.0.0.1:{port}/gitops.git"
        start = time.monotonic()
        done = subprocess.run([*CLI, "env", "list", "--repo", url, "--timeout", "3"], capture_output=True, text=True)
        took = time.monotonic() - start
        assert done.returncode == 1 and took < 20, (took, done.stderr)
        assert (
            done.stderr
            == f"error: stopped the clone of {url} after 3 s (--timeout 3): the server did not finish in time\n"
        )
        assert not leftover_processes(f":{port}/")
    assert not cache_path(url).exists()
    assert not [p for p in cache_path(url).parent.iterdir() if ".partial-" in p.name]


def leftover_processes(marker: str) -> list[str]:
    """Command lines of running processes that mention `marker` (git, ssh or a helper left behind)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in command:
                found.append(command)
    return found


def test_first_clones_at_once_share_the_cache(gitops):
    b, bare = gitops
    with git_daemon(bare.parent) as prefix:
        url = f"{prefix}/gitops.git"
        runs = [
            subprocess.Popen([*CLI, "env", "list", "--repo", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)
        ]
        results = [(run.wait(60), *run.communicate()) for run in runs]
    assert [(code, out) for code, out, _ in results] == [(0, b"staging\n")] * 4, results
    repos = cache_path(url).parent
    assert sorted(p.name for p in repos.iterdir()) == [cache_path(url).name, cache_path(url).name + ".lock"]
    assert git(cache_path(url), "fsck", "--no-progress", "--no-dangling") == ""


def test_rollbacks_pushed_at_once_from_two_machines_both_land(gitops, tmp_path):
    """Two caches (two people), one server; the server's hook is slow, so both plan on the same head."""
    b, bare = gitops
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nsleep 1\n")
    hook.chmod(0o755)
    with git_daemon(bare.parent) as prefix:
        url = f"{prefix}/gitops.git"
        runs = []
        for who, (app, target) in (("ana", ("api", b.api[0])), ("ben", ("web", b.web[0]))):
            env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / who)}
            argv = ["release", "rollback", "--repo", url, "--env", "staging", "--app", app, "--to", target, "--yes"]
            runs.append(subprocess.Popen([*CLI, *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        results = [(run.wait(90), run.communicate()[1]) for run in runs]
    assert [code for code, _ in results] == [0, 0], results
    assert rolled_back(bare, b.api[0], "api") and rolled_back(bare, b.web[0], "web")
    assert git(bare, "fsck", "--no-progress", "--no-dangling") == ""


def test_progress_comes_from_gits_own_output(gitops, tmp_path):
    from gimlet_tui.gitops.urls import Access
    from gimlet_tui.tui import workers
    from gimlet_tui.tui.messages import EnvsLoaded, TransferProgress
    from gimlet_tui.workspace import load_workspace

    b, bare = gitops
    with git_daemon(bare.parent) as prefix:
        url = f"{prefix}/gitops.git"
        config = tmp_path / "workspace.yaml"
        config.write_text(f"environments:\n  - name: staging\n    repo: {url}\n")
        posted = []
        workers.load_envs(posted.append, load_workspace(str(config)), Access(), True)  # what the TUI runs on start
    counts = [(m.received, m.total) for m in posted if isinstance(m, TransferProgress) and m.total]
    assert counts and counts[-1][0] == counts[-1][1] > 10  # "Receiving objects: 100% (n/n)", every object
    assert all(url == m.url for m in posted if isinstance(m, TransferProgress) and m.total)
    assert isinstance(posted[-1], EnvsLoaded) and posted[-1].workspace.names() == ["staging"]
