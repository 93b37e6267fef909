"""Secrets in URLs are never shown or stored, URLs that do not parse are one line, our files are private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gimlet_tui.cli import commands, main
from gimlet_tui.dirs import cache_dir, state_dir
from gimlet_tui.gitops import GitopsRepo
from gimlet_tui.gitops.history_cache import cache_path, open_cache
from gimlet_tui.gitops.urls import redact, redact_text, without_password
from gimlet_tui.tui.remembered import remember_choice
from gimlet_tui.workspace import Workspace

TOKEN = "ghp_0123456789abcdefABCDEF"


@pytest.mark.parametrize(
    "url, shown, stored",
    [
        ("https://deploy:s3cret@h/x.git", "https://deploy:***@h/x.git", "https://deploy@h/x.git"),
        (f"https://{TOKEN}@github.com/a/b", "https://***@github.com/a/b", "https://github.com/a/b"),
        (f"https://x-access-token:{TOKEN}@github.com/a/b", "https://x-access-token:***@github.com/a/b", None),
        ("https://alice:pw@h:8443/x", "https://alice:***@h:8443/x", "https://alice@h:8443/x"),  # a name
        ("https://alice@h:8443/x", "https://***@h:8443/x", "https://h:8443/x"),  # a name, or a token: hidden
        (f"https://{TOKEN}:x-oauth-basic@github.com/a", "https://***@github.com/a", "https://github.com/a"),
        ("https://a:p@ss@h/x", "https://a:***@h/x", "https://a@h/x"),  # an unescaped "@" in a password
        ("https://h/x", "https://h/x", "https://h/x"),
        ("ssh://git:pw@h:22/x", "ssh://git:***@h:22/x", "ssh://git@h:22/x"),
        ("ssh://alice@h/x", "ssh://alice@h/x", "ssh://alice@h/x"),  # SSH logs in with keys: a name is no secret
        ("git@github.com:a/b.git", "git@github.com:a/b.git", "git@github.com:a/b.git"),
        (f"https://{TOKEN}@h:99999/x", "https://***@h:99999/x", "https://h:99999/x"),  # even when it cannot be used
        (f"https://{TOKEN}@[::1/x", "https://***@[::1/x", "https://[::1/x"),
    ],
)
def test_what_is_shown_and_what_is_stored(url, shown, stored):
    assert redact(url) == shown
    assert without_password(url) == (stored or "https://x-access-token@github.com/a/b")
    assert TOKEN not in redact_text(f"fatal: could not read from '{url}/': 403") and "s3cret" not in redact_text(url)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://h:99999/x.git", "Port out of range 0-65535"),
        ("https://h:abc/x.git", "Port could not be cast to integer value as 'abc'"),
        ("https://[::1/x.git", "Invalid IPv6 URL"),
        ("ssh://git@h:70000/x.git", "Port out of range 0-65535"),
    ],
)
def test_a_url_that_does_not_parse_is_one_line(capsys, tmp_path, url, reason):
    assert main(["env", "list", "--repo", url]) == 1
    assert capsys.readouterr().err == f"error: cannot use the URL {url}: {reason}; check its host and port\n"
    config = tmp_path / "workspace.yaml"
    config.write_text(f"environments:\n  - name: staging\n    repo: {url}\n")
    assert main(["config", "check", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {config}:3: environment 'staging': cannot use the URL") and err.count("\n") == 1


def test_config_check_hides_passwords_and_tokens(capsys, tmp_path):
    config = tmp_path / "workspace.yaml"
    config.write_text(
        "environments:\n"
        "  - name: staging\n    repo: https://user:password@git.acme.dev/gitops.git\n"
        f"  - name: production\n    repo: https://{TOKEN}@github.com/acme/gitops.git\n"
    )
    assert main(["config", "check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "password" not in out and TOKEN not in out
    assert "https://user:***@git.acme.dev/gitops.git" in out and "https://***@github.com/acme/gitops.git" in out


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_errors_and_tracebacks_hide_tokens(capsys, debug):
    url = f"https://{TOKEN}@127.0.0.1:9/acme/gitops.git"  # nothing listens on the discard port
    assert main(["env", "list", "--repo", url, *debug]) == 1
    err = capsys.readouterr().err
    assert TOKEN not in err and "https://***@127.0.0.1:9/acme/gitops.git" in err
    assert ("Traceback" in err) == bool(debug)


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_an_unexpected_error_is_one_line_without_secrets(capsys, monkeypatch, debug, make_repo):
    def broken(args):
        raise RuntimeError(f"could not talk to https://user:s3cret@h/x and https://{TOKEN}@h/y")

    monkeypatch.setattr(commands, "env_list", broken)
    assert main(["env", "list", "--repo", str(make_repo().path), *debug]) == 1
    err = capsys.readouterr().err
    assert "s3cret" not in err and TOKEN not in err
    assert "error: unexpected RuntimeError: could not talk to https://user:***@h/x and https://***@h/y" in err
    assert ("Traceback" in err) == bool(debug)


def test_the_remembered_key_holds_no_token():
    workspace = Workspace(None, (), "main", f"https://{TOKEN}@github.com/acme/gitops.git")
    remember_choice(workspace.key, "staging", "api")
    stored = (state_dir() / "state.json").read_text()
    assert TOKEN not in stored and "https://***@github.com/acme/gitops.git#main" in stored


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_cache_and_state_files_are_private(make_repo, capsys):
    b = make_repo()
    b.deploy("staging", "api")
    for folder in (cache_dir() / "history", state_dir()):  # as an older version left them: open to all
        folder.mkdir(parents=True, mode=0o755)
        os.chmod(folder, 0o755)
        os.chmod(folder.parent, 0o755)
    database = cache_path(GitopsRepo.open(str(b.path)))
    database.write_bytes(b"")
    os.chmod(database, 0o644)
    assert main(["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api"]) == 0
    remember_choice("somewhere", "staging", "api")
    assert mode(cache_dir()) == mode(cache_dir() / "history") == mode(state_dir()) == 0o700
    files = [*database.parent.iterdir(), *state_dir().iterdir()]
    assert files and all(mode(path) == 0o600 for path in files), {str(p): oct(mode(p)) for p in files}
    assert mode(cache_dir().parent) == 0o755  # ~/.cache itself is not ours to change


def test_a_new_cache_is_private_from_the_start(make_repo, capsys):
    b = make_repo()
    b.deploy("staging", "api")
    assert main(["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api"]) == 0
    connection = open_cache(GitopsRepo.open(str(b.path)))  # while it is open, SQLite's companions exist
    try:
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('probe', 'x')")
        database = cache_path(GitopsRepo.open(str(b.path)))
        companions = [Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm")]
        assert all(path.exists() and mode(path) == 0o600 for path in companions)
    finally:
        connection.close()
    assert mode(cache_dir()) == mode(database.parent) == 0o700
