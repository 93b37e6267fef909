"""The README as a user meets it: its examples run as written after `make demo`, and say what they print.

The `console` blocks run in order in one bash, in a checkout where `make demo` has written
`.demo/acme-gitops`, with a fresh user's environment (no virtual environment on PATH, no git
identity). Each command's output must be what the README shows under it, with what changes from
one demo repository to the next (gitops shas, times, ages) made alike.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from readme_runner import README, blocks, examples, normal, run_examples

from gimlet_tui.cli.parser import ENVIRONMENT, INTERNAL_ENVIRONMENT

TOP = README.parent
VENV = Path(sys.prefix)


def user_environment(home: Path) -> dict[str, str]:
    """A shell as a fresh user has it: the system PATH, their own home (XDG folders in it), no settings."""
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if Path(p) != VENV / "bin")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GIMLET_TUI_", "GIT_", "XDG_"))}
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "VIRTUAL_ENV"):
        keep.pop(name, None)
    return {**keep, "PATH": path, "HOME": str(home)}


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A checkout after `make demo`: its .venv (this one) and the demo repository the Makefile writes."""
    recipe = (TOP / "Makefile").read_text()
    assert "$(BIN)/gimlet-tui demo .demo/acme-gitops" in recipe  # where the README expects it
    folder = tmp_path / "gimlet-tui"
    folder.mkdir()
    (folder / ".venv").symlink_to(VENV)
    subprocess.run(
        [str(VENV / "bin" / "gimlet-tui"), "demo", ".demo/acme-gitops"], cwd=folder, check=True, capture_output=True
    )
    return folder


def test_the_console_examples_run_as_written(checkout, tmp_path):
    found = examples(README.read_text())
    assert len(found) >= 10 and found[0].command.startswith("export PATH=")
    home = tmp_path / "home"
    home.mkdir()
    results = run_examples(found, checkout, user_environment(home))
    for example, (output, status) in zip(found, results, strict=True):
        expected_status = 1 if re.search(r"^error: ", example.shown, re.MULTILINE) else 0
        assert status == expected_status, f"$ {example.command}\n{output}"
        assert normal(output) == normal(example.shown), f"$ {example.command}"


def test_the_completion_lines_run_in_their_shells(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = user_environment(home)
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env['PATH']}"  # after the set-up, gimlet-tui is on PATH
    shown = {lang: body for lang, body in blocks(README.read_text()) if lang in ("bash", "zsh", "fish")}
    assert set(shown) == {"bash", "zsh", "fish"}
    checks = {
        "bash": ["bash", "--norc", "-c", shown["bash"] + "\ncomplete -p gimlet-tui"],
        "zsh": [
            "zsh",
            "-f",
            "-c",
            "autoload -U compinit && compinit -u -D\n" + shown["zsh"] + "\nprint $_comps[gimlet-tui]",
        ],
        "fish": ["fish", "--no-config", "-c", shown["fish"]],
    }
    for shell, argv in checks.items():
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, (shell, result.stderr)
        assert result.stdout.strip() or shell == "fish", shell
    installed = home / ".config" / "fish" / "completions" / "gimlet-tui.fish"
    offered = subprocess.run(
        ["fish", "-c", 'complete -C "gimlet-tui rel"'], env=env, capture_output=True, text=True, timeout=120
    )
    assert installed.is_file() and offered.stdout.startswith("release")


def test_every_environment_variable_is_documented():
    text = README.read_text()
    for name, _ in ENVIRONMENT:
        assert f"`{name}`" in text, name
    for name in INTERNAL_ENVIRONMENT:
        assert name.rsplit("_", 1)[0] + "_*" in text, name


def test_license_and_package_metadata():
    license_text = (TOP / "LICENSE").read_text()
    assert license_text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in license_text
    pyproject = (TOP / "pyproject.toml").read_text()
    assert 'license = "MIT"' in pyproject and 'license-files = ["LICENSE"]' in pyproject
    assert "classifiers = [" in pyproject and "[project.urls]" in pyproject
