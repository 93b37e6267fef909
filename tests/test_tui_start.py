"""Before the TUI opens: an unknown --env or --app is one line with near matches; no terminal, no TUI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time

import pytest

from gimlet_tui.cli.start import terminal_problem
from gimlet_tui.gitops import GitopsRepo
from gimlet_tui.tui.remembered import remember_choice
from gimlet_tui.workspace import single_repository
from helpers import run_cli


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    for app in ("api", "billing", "web"):
        b.deploy("production", app)
    b.deploy("staging", "api")
    b.deploy("staging", "old")
    b.delete("staging", "old")
    return b


def test_a_typo_in_app_is_refused_with_the_near_match_before_the_screen_opens(repo, capsys):
    code, out, err = run_cli(capsys, "--repo", str(repo.path), "--env", "production", "--app", "billng")
    assert code == 1 and out == ""
    assert err == ("error: unknown app 'billng' in production (did you mean billing?); apps there: api, billing, web\n")


def test_an_app_without_env_is_checked_in_the_env_the_tui_opens(repo, capsys):
    remember_choice(single_repository(GitopsRepo.open(str(repo.path))).key, "staging", "api")
    code, _, err = run_cli(capsys, "--repo", str(repo.path), "--app", "billing")
    assert code == 1
    assert (
        err
        == "error: unknown app 'billing' in staging (the env the TUI opens; choose one with --env); apps there: api\n"
    )


def test_a_typo_in_env_names_the_near_match(repo, capsys):
    code, _, err = run_cli(capsys, "--repo", str(repo.path), "--env", "prodution", "--app", "api")
    assert code == 1
    assert err == "error: unknown env 'prodution' on main (did you mean production?); known envs: production, staging\n"


@pytest.mark.parametrize("app", ["api", "old"])  # old was deleted: it has a history to roll back past
def test_known_apps_pass_and_without_a_terminal_the_tui_exits_with_status_2(repo, capsys, app):
    code, out, err = run_cli(capsys, "--repo", str(repo.path), "--env", "staging", "--app", app)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "needs a terminal" in err and "gimlet-tui release list" in err


def _tui(repo, **kwargs) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items() if key != "TEXTUAL_DRIVER"}
    command = [sys.executable, "-m", "gimlet_tui", "--repo", str(repo.path), "--env", "staging", "--app", "api"]
    return subprocess.run(command, capture_output=False, env=env, timeout=60, check=False, **kwargs)


def test_with_stdin_closed_the_tui_exits_at_once(repo):
    started = time.monotonic()
    result = _tui(repo, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert result.returncode == 2 and result.stdout == b""
    assert b"stdin and stderr are not terminals" in result.stderr and b"release list" in result.stderr
    assert time.monotonic() - started < 30  # it used to run forever at 100% CPU


def test_with_stderr_redirected_the_tui_does_not_draw_into_the_file(repo, tmp_path):
    controller, terminal = pty.openpty()
    log = tmp_path / "log"
    try:
        with open(log, "wb") as stderr:
            result = _tui(repo, stdin=terminal, stdout=subprocess.PIPE, stderr=stderr)
    finally:
        os.close(controller)
        os.close(terminal)
    assert result.returncode == 2
    assert log.read_text().startswith("error: the TUI needs a terminal (stderr is not one)")


def test_textual_serve_is_a_terminal(monkeypatch):
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert terminal_problem() is None
    monkeypatch.delenv("TEXTUAL_DRIVER")
    assert terminal_problem() is not None  # pytest's stdin is not a terminal
