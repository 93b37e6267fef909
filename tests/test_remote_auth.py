"""SSH (OpenSSH's sshd) and HTTPS (nginx + fcgiwrap + git http-backend) servers on loopback:
keys, passphrases, tokens, host keys and certificates, with list and rollback-with-push on each.

The transport is the user's own git and ssh: each test's ~/.ssh/config is reached through
core.sshCommand (see conftest), and HTTPS trusts the test's CA through http.sslCAInfo, as a user
would set them up. Nothing here can ask a question: pytest has no terminal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import git, run_cli
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
    with open(os.path.join(home, ".ssh", "known_hosts"), "a") as handle:
        handle.write(line)


def known_hosts(home: str) -> str:
    path = Path(home, ".ssh", "known_hosts")
    return path.read_text() if path.exists() else ""


def test_ssh_list_and_rollback_with_a_key(bare, ssh_server, capsys):
    b, path = bare
    server, home = ssh_server
    trust(home, server["known_hosts_line"])
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    key = ["--ssh-key", str(server["key"])]
    code, out, err = run_cli(
        capsys, "release", "list", "--repo", url, *key, "--env", "staging", "--app", "api", "-o", "json"
    )
    assert code == 0, err
    assert [r["gitopsRef"] for r in json.loads(out)] == b.api[::-1]
    argv = ["release", "rollback", "--repo", url, *key, "--env", "staging", "--app", "api", "--to", b.api[0], "--yes"]
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    assert git(path, "rev-parse", "main:staging/api") == git(path, "rev-parse", f"{b.api[0]}:staging/api")


def test_ssh_key_with_a_passphrase_from_the_environment(bare, ssh_server, capsys, monkeypatch):
    b, path = bare
    server, home = ssh_server
    trust(home, server["known_hosts_line"])
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    monkeypatch.setenv("GIMLET_TUI_SSH_PASSPHRASE", "open sesame")
    code, out, err = run_cli(capsys, "env", "list", "--repo", url, "--ssh-key", str(server["key_with_passphrase"]))
    assert (code, out) == (0, "staging\n"), err
    assert "open sesame" not in out + err


def test_ssh_wrong_key_fails_within_seconds_and_says_what_to_set_up(bare, ssh_server, capsys):
    _, path = bare
    server, home = ssh_server
    trust(home, server["known_hosts_line"])
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    start = time.monotonic()
    code, _, err = run_cli(capsys, "env", "list", "--repo", url, "--ssh-key", str(server["stranger"]))
    assert code == 1 and time.monotonic() - start < 15
    assert err == (
        f"error: authentication failed for {url}: the server accepted no SSH key; there is no terminal to ask on "
        "for a passphrase: load the key into ssh-agent (ssh-add), or name it in ~/.ssh/config\n"
    )


def test_a_key_with_a_passphrase_and_nobody_to_ask_fails_at_once(bare, ssh_server, capsys):
    """No terminal, no agent, no GIMLET_TUI_SSH_PASSPHRASE: BatchMode, not a wait."""
    _, path = bare
    server, home = ssh_server
    trust(home, server["known_hosts_line"])
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    start = time.monotonic()
    code, _, err = run_cli(capsys, "env", "list", "--repo", url, "--ssh-key", str(server["key_with_passphrase"]))
    assert code == 1 and time.monotonic() - start < 15
    assert "the server accepted no SSH key; there is no terminal to ask on" in err


def test_ssh_unknown_host_is_refused_unless_accepted_and_then_recorded(bare, ssh_server, capsys):
    _, path = bare
    server, home = ssh_server
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    key = ["--ssh-key", str(server["key"])]
    code, _, err = run_cli(capsys, "env", "list", "--repo", url, *key)
    assert code == 1 and f"the SSH host key of the server of {url} is not known" in err
    assert "--accept-new-host-key" in err and known_hosts(home) == ""
    code, out, err = run_cli(capsys, "env", "list", "--repo", url, *key, "--accept-new-host-key")
    assert (code, out) == (0, "staging\n"), err
    host_key = (server["key"].parent / "host.pub").read_text().split()[1]
    assert host_key in known_hosts(home)  # recorded by ssh, as accept-new does
    code, out, err = run_cli(
        capsys, "release", "list", "--repo", url, *key, "--env", "staging", "--app", "api", "--fetch"
    )
    assert code == 0, err  # the next run, without the flag, trusts the recorded key


@pytest.mark.parametrize("hashed", [False, True])
def test_ssh_changed_host_key_is_refused_even_with_accept_new(bare, ssh_server, capsys, hashed):
    _, path = bare
    server, home = ssh_server
    stranger_key = (server["stranger"].parent / "stranger.pub").read_text().split()
    trust(home, f"[127.0.0.1]:{server['port']} {stranger_key[0]} {stranger_key[1]}\n")  # the wrong key
    if hashed:
        known = os.path.join(home, ".ssh", "known_hosts")
        subprocess.run(["ssh-keygen", "-H", "-f", known], check=True, capture_output=True)
        assert "127.0.0.1" not in Path(known).read_text()
    url = f"ssh://root@127.0.0.1:{server['port']}{path}"
    code, _, err = run_cli(
        capsys, "env", "list", "--repo", url, "--ssh-key", str(server["key"]), "--accept-new-host-key"
    )
    assert code == 1 and f"the SSH host key of the server of {url} does not match known_hosts" in err


@pytest.fixture
def https_server(bare, tmp_path, monkeypatch):
    """The server, and a user whose git trusts its CA through http.sslCAInfo (the machine's CA variables unset)."""
    _, path = bare
    for name in ("GIT_SSL_CAINFO", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    with https_git(tmp_path / "nginx", path.parent, "deploy", "t0ken-value") as server:
        git(tmp_path, "config", "--global", "http.sslCAInfo", str(server["cafile"]))
        yield server


def test_https_token_list_and_rollback_with_push(bare, https_server, capsys, monkeypatch):
    b, path = bare
    monkeypatch.setenv("GIMLET_TUI_GIT_TOKEN", "t0ken-value")
    url = f"https://deploy@127.0.0.1:{https_server['port']}/gitops.git"
    code, out, err = run_cli(capsys, "release", "list", "--repo", url, "--env", "staging", "--app", "api", "-o", "json")
    assert code == 0, err
    assert len(json.loads(out)) == 3
    code, out, err = run_cli(
        capsys, "release", "rollback", "--repo", url, "--env", "staging", "--app", "api", "--to", b.api[1], "--yes"
    )
    assert code == 0, err
    assert git(path, "rev-parse", "main:staging/api") == git(path, "rev-parse", f"{b.api[1]}:staging/api")
    assert "t0ken-value" not in out + err


def test_https_wrong_token_no_login_and_password_in_url(bare, https_server, capsys, monkeypatch, tmp_path):
    url = f"https://deploy@127.0.0.1:{https_server['port']}/gitops.git"
    monkeypatch.setenv("GIMLET_TUI_GIT_TOKEN", "wrong")
    start = time.monotonic()
    code, _, err = run_cli(capsys, "env", "list", "--repo", url)
    assert code == 1 and time.monotonic() - start < 15
    assert err.startswith(f"error: authentication failed for {url}: the server refused the login"), err
    monkeypatch.delenv("GIMLET_TUI_GIT_TOKEN")
    code, _, err = run_cli(capsys, "env", "list", "--repo", url)
    assert code == 1 and time.monotonic() - start < 30
    assert err == (
        f"error: {url} asks for a login and there is no terminal to ask on: set up a git credential helper "
        "(git config --global credential.helper ...), or set GIMLET_TUI_GIT_TOKEN\n"
    )
    # The user's credential store must not learn a password that was only written in a URL.
    store = tmp_path / "credentials"
    git(tmp_path, "config", "--global", "credential.helper", f"store --file={store}")
    secret_url = f"https://deploy:t0ken-value@127.0.0.1:{https_server['port']}/gitops.git"
    code, out, err = run_cli(capsys, "env", "list", "--repo", secret_url)
    assert (code, out) == (0, "staging\n"), err
    cache = Path(os.environ["XDG_CACHE_HOME"])
    configs = [Path(root, "config") for root, _, files in os.walk(cache) if "config" in files and "HEAD" in files]
    assert configs and all("t0ken-value" not in config.read_text() for config in configs)
    assert not store.exists() or "t0ken-value" not in store.read_text()


def test_https_certificate_trust_comes_from_git_config(bare, https_server, tmp_path):
    url = f"https://deploy:t0ken-value@127.0.0.1:{https_server['port']}/gitops.git"
    command = [sys.executable, "-m", "gimlet_tui", "env", "list", "--repo", url]
    git(tmp_path, "config", "--global", "--unset", "http.sslCAInfo")
    untrusted = subprocess.run(command, capture_output=True, text=True)
    assert untrusted.returncode == 1
    shown = url.replace("t0ken-value", "***")
    assert untrusted.stderr == (
        f"error: the TLS certificate of {shown} is not trusted: point http.sslCAInfo (or GIT_SSL_CAINFO) at the CA "
        "that signed it\n"
    )
    git(tmp_path, "config", "--global", "http.sslCAInfo", str(https_server["cafile"]))
    trusted = subprocess.run(command, capture_output=True, text=True)
    assert (trusted.returncode, trusted.stdout) == (0, "staging\n"), trusted.stderr
