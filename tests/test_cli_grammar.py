"""The CLI's grammar with helm, kubectl and gh habits: options anywhere, short flags, environment variables, --version."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gimlet_tui.cli import main
from gimlet_tui.cli.argv import command_first
from gimlet_tui.cli.parser import ENVIRONMENT, INTERNAL_ENVIRONMENT, build_parser
from helpers import git, repo_state, run_cli

PACKAGE = Path(__file__).resolve().parent.parent / "gimlet_tui"


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.shas = [b.deploy("staging", "api") for _ in range(4)]
    b.deploy("staging", "web")
    return b


@pytest.mark.parametrize(
    "argv",
    [
        ["release", "list", "--repo", "{r}", "--env", "staging", "--app", "api", "--limit", "2", "--output", "json"],
        ["release", "list", "--repo", "{r}", "-e", "staging", "-a", "api", "-n", "2", "-o", "json"],
        ["--repo", "{r}", "-e", "staging", "-a", "api", "release", "list", "-n", "2", "-o", "json"],
        ["-o", "json", "-n", "2", "--repo", "{r}", "release", "-e", "staging", "list", "-a", "api"],
        ["--repo={r}", "-estaging", "-aapi", "-n2", "-ojson", "release", "list"],
        ["--repo", "{r}", "--env=staging", "release", "list", "--app=api", "--lim", "2", "-o", "json"],
    ],
)
def test_options_before_or_after_the_verb(repo, capsys, argv):
    code, out, err = run_cli(capsys, *[a.replace("{r}", str(repo.path)) for a in argv])
    assert (code, err) == (0, "")
    assert [r["gitopsRef"] for r in json.loads(out)] == repo.shas[:1:-1]


def test_command_first_moves_only_command_words():
    parser = build_parser()
    assert command_first(["--repo", "release", "release", "list", "-e", "x"], parser) == [
        "release",
        "list",
        "--repo",
        "release",
        "-e",
        "x",
    ]
    assert command_first(["-e", "list", "-a", "env", "release", "list"], parser) == [
        "release",
        "list",
        "-e",
        "list",
        "-a",
        "env",
    ]
    assert command_first(["--debug", "demo", "release"], parser) == ["demo", "--debug", "release"]  # a folder
    assert command_first(["--", "release"], parser) == ["--", "release"]
    assert command_first(["-ye", "staging", "release", "rollback"], parser) == ["release", "rollback", "-ye", "staging"]


def test_short_flags_roll_back(repo, capsys):
    target = repo.shas[1]
    code, out, err = run_cli(
        capsys,
        "release",
        "rollback",
        "--repo",
        str(repo.path),
        "-e",
        "staging",
        "-a",
        "api",
        "-t",
        target[:8],
        "-y",
        "-m",
        "latency",
        "-o",
        "json",
    )
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["target"]["gitopsRef"] == target and result["reason"] == "latency"
    assert git(repo.path, "rev-parse", "HEAD:staging/api") == git(repo.path, "rev-parse", f"{target}:staging/api")
    assert git(repo.path, "log", "-1", "--format=%(trailers:key=Rollback-Reason,valueonly)").strip() == "latency"


def test_rollback_without_to_goes_to_the_release_before_current(repo, capsys):
    args = ("release", "rollback", "--repo", str(repo.path), "-e", "staging", "-a", "api")
    code, out, _ = run_cli(capsys, *args, "--dry-run")
    assert code == 0
    assert f"to   {repo.shas[2][:10]}" in out and out.count("(the release before the current one)") == 1
    assert f"from {repo.shas[3][:10]}" in out
    code, out, err = run_cli(capsys, *args, "--yes", "--author", "Ops <ops@acme.dev>")
    assert (code, err) == (0, "")
    assert git(repo.path, "rev-parse", "HEAD:staging/api") == git(repo.path, "rev-parse", f"{repo.shas[2]}:staging/api")
    code, out, _ = run_cli(capsys, *args, "--dry-run")  # again: one further back, as j r y after a rollback
    assert f"to   {repo.shas[1][:10]}" in out and f"from {repo.shas[2][:10]}" in out


def test_a_bad_reason_is_one_line_and_changes_nothing(repo, capsys):
    state = repo_state(repo.path)
    code, out, err = run_cli(
        capsys, "release", "rollback", "--repo", str(repo.path), "-e", "staging", "-a", "api", "-y", "-m", "a\nb"
    )
    assert (code, out) == (1, "")
    assert err == "error: bad reason: write it on one line, without control characters\n"
    assert repo_state(repo.path) == state


def test_environment_variables_are_defaults(repo, capsys, monkeypatch, tmp_path):
    git(repo.path, "branch", "release", repo.shas[0])
    monkeypatch.setenv("GIMLET_TUI_REPO", str(repo.path))
    monkeypatch.chdir(tmp_path)  # not a repository: only the variable names it
    code, out, _ = run_cli(capsys, "release", "list", "-e", "staging", "-a", "api", "-o", "json")
    assert code == 0 and len(json.loads(out)) == 4
    monkeypatch.setenv("GIMLET_TUI_BRANCH", "release")
    code, out, _ = run_cli(capsys, "release", "list", "-e", "staging", "-a", "api", "-o", "json")
    assert [r["gitopsRef"] for r in json.loads(out)] == [repo.shas[0]]
    code, out, _ = run_cli(capsys, "release", "list", "--branch", "main", "-e", "staging", "-a", "api", "-o", "json")
    assert len(json.loads(out)) == 4  # a flag beats the variable
    code, _, err = run_cli(capsys, "--repo", str(tmp_path), "env", "list")
    assert code == 1 and "no git repository" in err

    config = tmp_path / "work.yaml"
    config.write_text(f"environments:\n  - name: staging\n    repo: {repo.path}\n    protected: true\n")
    monkeypatch.setenv("GIMLET_TUI_CONFIG", str(config))
    with pytest.raises(SystemExit) as usage:
        main(["env", "list"])
    assert usage.value.code == 2
    assert "GIMLET_TUI_REPO and GIMLET_TUI_CONFIG are both set" in capsys.readouterr().err
    monkeypatch.delenv("GIMLET_TUI_REPO")
    assert run_cli(capsys, "env", "list") == (0, "staging  (protected)\n", "")  # GIMLET_TUI_BRANCH is for a repository
    assert run_cli(capsys, "--repo", str(repo.path), "env", "list") == (0, "staging\n", "")  # --repo beats the file


def test_help_lists_every_environment_variable():
    """Every variable the code reads is in --help's list (and the README's, see test_readme)."""
    read = set()
    for path in PACKAGE.rglob("*.py"):
        read |= set(re.findall(r"\"(GIMLET_TUI_[A-Z_]+|NO_COLOR|FORCE_COLOR|XDG_[A-Z_]+)\"", path.read_text()))
    listed = {name for name, _ in ENVIRONMENT}
    assert read and read <= listed | set(INTERNAL_ENVIRONMENT)
    assert not listed & set(INTERNAL_ENVIRONMENT)
    text = build_parser().format_help()
    for name in listed:
        assert re.search(rf"^  {name} +\S", text, re.MULTILINE), name
    assert "--color always|never, else FORCE_COLOR, else NO_COLOR, else TERM=dumb" in text


def test_version_does_not_load_git():
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pygit2', 'yaml', 'textual', 'argcomplete')), file=sys.stderr))\n"
        "from gimlet_tui.cli import main\n"
        "main(['--version'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout == "gimlet-tui 0.1.0\n"
    assert result.stderr == "[]\n"
    timed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gimlet_tui", "--version"], capture_output=True, text=True
    )
    assert timed.returncode == 0 and "pygit2" not in timed.stderr and "| gimlet_tui" in timed.stderr


def test_version_is_written_once():
    import gimlet_tui

    pyproject = (PACKAGE.parent / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and not re.search(r"^version\s*=", pyproject, re.MULTILINE)
    assert '[tool.hatch.version]\npath = "gimlet_tui/__init__.py"' in pyproject
    from importlib.metadata import version

    assert version("gimlet-tui") == gimlet_tui.__version__


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["release", "list", "-e", "staging", "-a", "api", "--since", "yesterday"],
            "cannot read 'yesterday' as a time",
        ),
        (["release", "list", "-e", "staging", "-a", "api", "-o", "xml"], "invalid choice: 'xml'"),
        (["release", "list", "-a", "api"], "the following arguments are required: -e/--env"),
        (["release", "rollback", "-e", "staging"], "the following arguments are required: -a/--app"),
    ],
)
def test_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as usage:
        main(argv)
    assert usage.value.code == 2 and message in capsys.readouterr().err


def test_every_verb_takes_the_global_options_before_it(repo, capsys):
    for argv in (["env", "list"], ["app", "list", "-e", "staging"], ["release", "list", "-e", "staging", "-a", "api"]):
        code, out, err = run_cli(capsys, "--color", "never", "--debug", "--repo", str(repo.path), *argv)
        assert (code, err) == (0, "") and out
    assert os.path.isdir(repo.path)
