"""The command line, in-process and as a real process: output formats, exit statuses, prompts, escapes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from gimlet_tui.cli import main
from gimlet_tui.text import ago
from helpers import git, repo_state, run_cli


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.shas = [b.deploy("staging", "api") for _ in range(3)]
    git(b.path, "revert", "--no-edit", b.shas[-1])
    b.deploy("staging", "web")
    return b


def test_release_list_text_block(repo, capsys):
    code, out, err = run_cli(capsys, "release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api")
    assert code == 0 and err == ""
    blocks = out.rstrip("\n").split("\n\n")
    assert len(blocks) == 3
    newest = git(repo.path, "log", "-1", "--format=%ct", repo.shas[2]).strip()
    assert blocks[0] == (
        f"staging/api repo1@{repo.shas[2][:10]} **ROLLED BACK** ({ago(int(newest))})\n"
        f"        00000003 - change 3 Dev 3\n"
        f"        acme/app/main \n"
        f"        https://github.com/acme/app/commit/00000003{'a' * 32}\n"
        f"        rolled back by Oracle, just now"  # our line under Gimlet's block: who reverted it, when
    )
    assert "**CURRENT**" in blocks[1] and repo.shas[1][:10] in blocks[1]
    assert "\x1b" not in out  # not a terminal: no colour


def test_release_list_json(repo, capsys):
    code, out, _ = run_cli(
        capsys, "release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api", "-o", "json"
    )
    releases = json.loads(out)
    assert [r["gitopsRef"] for r in releases] == repo.shas[::-1]
    assert [r["rolledBack"] for r in releases] == [True, False, False]
    assert [r["current"] for r in releases] == [False, True, False]
    assert releases[0]["app"] == "api" and releases[0]["version"]["sha"].startswith("00000003")
    assert isinstance(releases[0]["created"], int) and releases[0]["triggeredBy"] == "policy"


def test_release_list_json_is_compact_for_programs_and_indented_on_a_terminal(repo, capsys, monkeypatch):
    args = ("release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api", "-o", "json")
    _, piped, _ = run_cli(capsys, *args)
    assert piped.count("\n") == 1 and '"app":"api"' in piped  # one line, no padding
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    _, shown, _ = run_cli(capsys, *args)
    assert shown.startswith('[\n  {\n    "schemaVersion": 1,\n    "app": "api",')
    assert json.loads(shown) == json.loads(piped)


def test_limit(make_repo, capsys):
    b = make_repo()
    for _ in range(12):
        b.deploy("staging", "api")
    args = ("release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api", "-o", "json")
    assert len(json.loads(run_cli(capsys, *args)[1])) == 10
    assert len(json.loads(run_cli(capsys, *args, "--limit", "0")[1])) == 12
    assert len(json.loads(run_cli(capsys, *args, "--limit", "2")[1])) == 2


def test_repository_text_is_shown_literally(make_repo, capsys):
    b = make_repo()
    b.writer.deploy(
        "staging",
        "api",
        {"a.yaml": "a\n"},
        {
            "sha": "1234567890",
            "message": "[red]boom[/red] \x1b[2J\x1b]0;pwned\x07 \u202egnp.exe",
            "authorName": "Eve\x1b[31m",
        },
        b.tick(),
    )
    code, out, _ = run_cli(capsys, "release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api")
    assert code == 0
    assert "[red]boom[/red] \\x1b[2J\\x1b]0;pwned\\x07 \\u202egnp.exe Eve\\x1b[31m" in out
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out


def test_broken_release_json_is_listed_with_its_problem(make_repo, capsys):
    b = make_repo()
    b.deploy("staging", "api", release=b"{broken")
    code, out, _ = run_cli(capsys, "release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api")
    assert code == 0 and "problem: release.json is not valid JSON" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (("--env", "nope", "--app", "api"), "error: unknown env 'nope' on main; known envs: staging\n"),
        (
            ("--env", "staging", "--app", "nope"),
            "error: staging/nope has no history on main; apps in staging: api, web\n",
        ),
        (("--env", "..", "--app", "api"), "error: bad env name '..': use letters, digits, '.', '_' and '-' only\n"),
        (
            ("--env", "staging", "--app", "../../etc"),
            "error: bad app name '../../etc': use lower-case letters, digits and '-' (at most 53 characters)\n",
        ),
    ],
)
def test_unknown_and_bad_names(repo, capsys, argv, message):
    code, out, err = run_cli(capsys, "release", "list", "--repo", str(repo.path), *argv)
    assert (code, out, err) == (1, "", message)


def test_not_a_repository(tmp_path, capsys):
    code, _, err = run_cli(capsys, "env", "list", "--repo", str(tmp_path))
    assert code == 1 and err == f"error: no git repository at {str(tmp_path)!r}; pass --repo PATH\n"


def test_usage_errors_exit_2(repo, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["release", "list", "--repo", str(repo.path), "--env", "staging"])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        main(["release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api", "--limit", "-1"])
    assert exit_.value.code == 2


def test_debug_shows_the_traceback(repo, capsys):
    code, _, err = run_cli(
        capsys, "release", "list", "--repo", str(repo.path), "--env", "nope", "--app", "api", "--debug"
    )
    assert code == 1 and "Traceback" in err and err.endswith("error: unknown env 'nope' on main; known envs: staging\n")


def test_env_and_app_lists(make_repo, capsys):
    b = make_repo()
    b.deploy("staging", "api")
    b.deploy("staging", "old")
    b.deploy("production", "web")
    b.delete("staging", "old")
    b.commit({".gimlet/x.yaml": "a\n", "values.yaml": "b\n"}, "not envs")
    assert run_cli(capsys, "env", "list", "--repo", str(b.path))[1] == "production\nstaging\n"
    lines = run_cli(capsys, "app", "list", "--repo", str(b.path), "--env", "staging")[1].splitlines()
    assert [line.split()[:2] for line in lines] == [["api", "00000001"], ["old", "deleted"]]


def test_rollback_dry_run_changes_nothing(repo, capsys):
    state = repo_state(repo.path)
    code, out, _ = run_cli(
        capsys,
        "release",
        "rollback",
        "--repo",
        str(repo.path),
        "--env",
        "staging",
        "--app",
        "api",
        "--to",
        repo.shas[0][:8],
        "--dry-run",
    )
    assert code == 0 and repo_state(repo.path) == state
    assert f"to   {repo.shas[0][:10]}" in out and f"from {repo.shas[1][:10]}" in out
    assert "1 commit(s) will be reverted" in out and "1 already rolled back (skipped)" in out
    assert "M staging/api/deployment.yaml  +1 -1" in out and out.endswith("Dry run: nothing was changed.\n")


def test_rollback_refusals_exit_1_with_one_line(repo, capsys):
    state = repo_state(repo.path)
    code, out, err = run_cli(
        capsys,
        "release",
        "rollback",
        "--repo",
        str(repo.path),
        "--env",
        "staging",
        "--app",
        "api",
        "--to",
        repo.shas[2],
        "--yes",
    )
    assert (code, out) == (1, "")
    assert err == (
        "error: You can't roll back an already rolled back commit. Best to roll forward in this case. "
        f"To bring it back: release redeploy --to {repo.shas[2][:10]}\n"
    )
    code, _, err = run_cli(
        capsys,
        "release",
        "rollback",
        "--repo",
        str(repo.path),
        "--env",
        "staging",
        "--app",
        "api",
        "--to",
        "ffffffff",
        "--yes",
    )
    assert code == 1 and err == "error: unknown sha ffffffff: no such commit in this repository\n"
    assert repo_state(repo.path) == state


def cli(*args: str, stdin=subprocess.DEVNULL, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gimlet_tui", *args], capture_output=True, text=True, stdin=stdin, env=env
    )


def test_without_a_terminal_rollback_needs_yes(repo):
    state = repo_state(repo.path)
    args = ("release", "rollback", "--repo", str(repo.path), "--env", "staging", "--app", "api", "--to", repo.shas[0])
    result = cli(*args)
    assert result.returncode == 1
    assert (
        result.stderr == "error: not a terminal, so not asking: pass --yes to roll back (or --dry-run to only look)\n"
    )
    assert repo_state(repo.path) == state
    result = cli(*args, "--yes", "--author", "Ops <ops@acme.dev>")
    assert result.returncode == 0, result.stderr
    assert "Made 1 revert commit(s) on main:" in result.stdout
    assert git(repo.path, "rev-parse", "HEAD:staging/api") == git(repo.path, "rev-parse", f"{repo.shas[0]}:staging/api")


def _on_a_terminal(args: tuple[str, ...], answer: bytes, env=None) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as stdin and stdout, typing `answer`."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "gimlet_tui", *args], stdin=terminal, stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    output = b""
    sent = False
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if not sent and b"[y/N]" in output:
            os.write(controller, answer)
            sent = True
    os.close(controller)
    return process.wait(timeout=30), output.decode()


@pytest.mark.parametrize("answer, code", [(b"n\n", 1), (b"\n", 1), (b"y\n", 0)])
def test_prompt_on_a_terminal(repo, answer, code):
    state = repo_state(repo.path)
    args = ("release", "rollback", "--repo", str(repo.path), "--env", "staging", "--app", "api", "--to", repo.shas[0])
    status, output = _on_a_terminal(args, answer, env={**os.environ, "NO_COLOR": "1"})
    assert status == code and "Roll back? [y/N]" in output
    assert "\x1b[" not in output  # NO_COLOR, even on a terminal
    if code:
        assert "Not rolled back: nothing was changed." in output and repo_state(repo.path) == state
    else:
        assert "staging/api is back at" in output


def test_colour_on_a_terminal(repo):
    status, output = _on_a_terminal(
        ("release", "list", "--repo", str(repo.path), "--env", "staging", "--app", "api"), b""
    )
    assert status == 0 and "\x1b[1;31m**ROLLED BACK**\x1b[0m" in output


def test_demo_writes_a_repository(tmp_path):
    target = tmp_path / "demo"
    result = cli("demo", str(target))
    assert result.returncode == 0 and result.stdout.strip() == str(target)
    listing = cli(
        "release", "list", "--repo", str(target), "--env", "staging", "--app", "api", "--limit", "0", "-o", "json"
    )
    releases = json.loads(listing.stdout)
    assert any(r["rolledBack"] for r in releases) and releases[1]["current"]
    again = cli("demo", str(target))
    assert again.returncode == 1 and again.stderr == f"error: {target} is not empty; give a new folder\n"


def test_rollback_of_an_unknown_app_names_the_known_ones(repo, capsys):
    code, _, err = run_cli(
        capsys,
        "release",
        "rollback",
        "--repo",
        str(repo.path),
        "--env",
        "staging",
        "--app",
        "nope",
        "--to",
        repo.shas[0],
        "--yes",
    )
    assert code == 1 and err == "error: staging/nope has no history on main; apps in staging: api, web\n"
