"""SSH (OpenSSH's sshd) and HTTPS (nginx + fcgiwrap + git http-backend) servers on loopback:
keys, passphrases, tokens, host keys and certificates, with list and rollback-with-push on each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pygit2
import pytest

from gimlet_tui.cli import main
from helpers import git
from servers import https_git, sshd


@pytest.fixture
def bare(make_repo, tmp_path):
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(3)]
    base = tmp_path / "served"
    base.mkdir()
    path = base / "gitops.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(path))
    git(path, "config", "http.receivepack", "true")
    return b, path


@pytest.fixture
def ssh_server(tmp_path):
    home = os.environ["HOME"]
    with sshd(tmp_path / "sshd", home=tmp_path) as server:
        yield server, home


def trust(home: str, line: str) -> None:
    os.makedirs(os.path.join(home, ".ssh"), exist_ok=True)
    with open(os.path.join(home, ".ssh", "known_hosts"), "a") as handle:
        handle.write(line)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ssh_list_and_rollback_with_a_key(bare, ssh_server, capsys):
    b, path = bare
    server, home = ssh_server
    trust(home, server["known_hosts_line"])
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    code, out, err = run(
        capsys,
        "release",
        "list",
        "--repo",
        url,
        "--ssh-key",
        str(server["key"]),
        "--env",
        "staging",
        "--app",
        "api",
        "-o",
        "json",
    )
    assert code == 0, err
    assert [r["gitopsRef"] for r in json.loads(out)] == b.api[::-1]
    code, out, err = run(
        capsys,
        "release",
        "rollback",
        "--repo",
        url,
        "--ssh-key",
        str(server["key"]),
        "--env",
        "staging",
        "--app",
        "api",
        "--to",
        b.api[0],
        "--yes",
    )
    assert code == 0, err
    assert git(path, "rev-parse", "main:staging/api") == git(path, "rev-parse", f"{b.api[0]}:staging/api")


def test_ssh_key_with_a_passphrase_from_the_environment(bare, ssh_server, capsys, monkeypatch):
    b, path = bare
    server, home = ssh_server
    trust(home, server["known_hosts_line"])
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    monkeypatch.setenv("GIMLET_TUI_SSH_PASSPHRASE", "open sesame")
    code, out, err = run(capsys, "env", "list", "--repo", url, "--ssh-key", str(server["key_with_passphrase"]))
    assert (code, out) == (0, "staging\n"), err
    assert "open sesame" not in out + err


def test_ssh_wrong_key_fails_within_seconds(bare, ssh_server, capsys):
    _, path = bare
    server, home = ssh_server
    trust(home, server["known_hosts_line"])
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    start = time.monotonic()
    code, _, err = run(capsys, "env", "list", "--repo", url, "--ssh-key", str(server["stranger"]))
    assert code == 1 and time.monotonic() - start < 10
    assert (
        err
        == f"error: authentication failed for {url}: the key {server['stranger']} was not accepted (or its passphrase is wrong)\n"
    )


def test_ssh_unknown_host_is_refused_unless_accepted(bare, ssh_server, capsys):
    _, path = bare
    server, _ = ssh_server
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    code, _, err = run(capsys, "env", "list", "--repo", url, "--ssh-key", str(server["key"]))
    assert code == 1 and "unknown SSH host key for 127.0.0.1" in err and "--accept-new-host-key" in err
    code, out, err = run(capsys, "env", "list", "--repo", url, "--ssh-key", str(server["key"]), "--accept-new-host-key")
    assert (code, out) == (0, "staging\n"), err


@pytest.fixture
def https_server(bare, tmp_path):
    _, path = bare
    with https_git(tmp_path / "nginx", path.parent, "deploy", "t0ken-value") as server:
        yield server


def test_https_token_list_and_rollback_with_push(bare, https_server, capsys, monkeypatch):
    b, path = bare
    pygit2.settings.set_ssl_cert_locations(str(https_server["cafile"]), None)  # the test trusts its own CA
    monkeypatch.setenv("GIMLET_TUI_GIT_TOKEN", "t0ken-value")
    url = f"https://deploy@127.0.0.1:{https_server['port']}/gitops.git"
    code, out, err = run(capsys, "release", "list", "--repo", url, "--env", "staging", "--app", "api", "-o", "json")
    assert code == 0, err
    assert len(json.loads(out)) == 3
    code, out, err = run(
        capsys, "release", "rollback", "--repo", url, "--env", "staging", "--app", "api", "--to", b.api[1], "--yes"
    )
    assert code == 0, err
    assert git(path, "rev-parse", "main:staging/api") == git(path, "rev-parse", f"{b.api[1]}:staging/api")
    assert "t0ken-value" not in out + err


def test_https_wrong_token_and_password_in_url(bare, https_server, capsys, monkeypatch):
    pygit2.settings.set_ssl_cert_locations(str(https_server["cafile"]), None)
    monkeypatch.setenv("GIMLET_TUI_GIT_TOKEN", "wrong")
    url = f"https://deploy@127.0.0.1:{https_server['port']}/gitops.git"
    start = time.monotonic()
    code, _, err = run(capsys, "env", "list", "--repo", url)
    assert code == 1 and time.monotonic() - start < 10
    assert err == f"error: authentication failed for {url}: the token in GIMLET_TUI_GIT_TOKEN was not accepted\n"
    monkeypatch.delenv("GIMLET_TUI_GIT_TOKEN")
    secret_url = f"https://deploy:t0ken-value@127.0.0.1:{https_server['port']}/gitops.git"
    code, out, err = run(capsys, "env", "list", "--repo", secret_url)
    assert (code, out) == (0, "staging\n"), err
    configs = [
        os.path.join(root, "config")
        for root, _, files in os.walk(os.environ["XDG_CACHE_HOME"])
        if "config" in files and "HEAD" in files
    ]
    assert configs and all("t0ken-value" not in Path(config).read_text() for config in configs)


def test_https_certificate_trust_from_ssl_cert_file(bare, https_server):
    url = f"https://deploy:t0ken-value@127.0.0.1:{https_server['port']}/gitops.git"
    command = [sys.executable, "-m", "gimlet_tui", "env", "list", "--repo", url]
    untrusted = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "SSL_CERT_FILE": "/nonexistent"}
    )
    assert untrusted.returncode == 1
    assert (
        untrusted.stderr
        == "error: the TLS certificate of 127.0.0.1 is not trusted: point SSL_CERT_FILE at the CA that signed it\n"
    )
    trusted = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "SSL_CERT_FILE": str(https_server["cafile"])}
    )
    assert (trusted.returncode, trusted.stdout) == (0, "staging\n"), trusted.stderr


@pytest.mark.parametrize("hashed", [False, True])
def test_ssh_changed_host_key_is_refused_even_with_accept_new(bare, ssh_server, capsys, hashed, tmp_path):
    _, path = bare
    server, home = ssh_server
    stranger_key = (server["stranger"].parent / "stranger.pub").read_text().split()
    line = f"[127.0.0.1]:{server['port']} {stranger_key[0]} {stranger_key[1]}\n"  # the wrong key for this host
    trust(home, line)
    if hashed:
        known = os.path.join(home, ".ssh", "known_hosts")
        subprocess.run(["ssh-keygen", "-H", "-f", known], check=True, capture_output=True)
        assert "127.0.0.1" not in Path(known).read_text()
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    code, _, err = run(capsys, "env", "list", "--repo", url, "--ssh-key", str(server["key"]), "--accept-new-host-key")
    assert code == 1 and "does not match ~/.ssh/known_hosts" in err
