"""Questions from git and ssh, in each face: the TUI's modal (through the askpass helper), the CLI's terminal.

The ssh server is real (sshd on loopback); the host is unknown and the key has a passphrase, so ssh
asks twice: "Are you sure you want to continue connecting (yes/no/[fingerprint])?", then
"Enter passphrase for key ...". A pseudo-terminal stands in for the user's terminal in the CLI tests.
"""

from __future__ import annotations

import asyncio
import math
import os
import pty
import select
import sys
import termios
import time
from pathlib import Path

import pytest
from textual import events

from gimlet_tui.gitops.askpass import Question
from gimlet_tui.gitops.remote import cache_path
from gimlet_tui.gitops.urls import Access
from gimlet_tui.tui.screens.prompt import GitPrompt
from gimlet_tui.workspace import load_workspace
from helpers import git, make_app, row_keys, settle, wait_until
from servers import sshd


@pytest.fixture
def asking_server(make_repo, tmp_path):
    """A gitops repository behind sshd, reached as `gitops:PATH` with a passphrase key and an unknown host key."""
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(2)]
    bare = tmp_path / "gitops.git"
    git(tmp_path, "clone", "-q", "--bare", str(b.path), str(bare))
    home = Path(os.environ["HOME"])
    with sshd(tmp_path / "sshd", home=tmp_path) as server:
        (home / ".ssh" / "config.d" / "gitops").write_text(
            f"Host gitops\n  HostName 127.0.0.1\n  Port {server['port']}\n  User root\n"
            f"  IdentityFile {server['key_with_passphrase']}\n  IdentitiesOnly yes\n  StrictHostKeyChecking ask\n"
        )
        yield f"gitops:{bare}", server, home / ".ssh" / "known_hosts", b.api


def host_key(server: dict) -> str:
    return (server["key"].parent / "host.pub").read_text().split()[1]


async def next_prompt(pilot, after: GitPrompt | None = None, seconds: float = 30) -> GitPrompt:
    """The next question, once it shows and its answer field has the keys (as a person sees it before typing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        screen = pilot.app.screen
        shown = isinstance(screen, GitPrompt) and screen is not after and screen.keys_from < math.inf
        if shown and pilot.app.focused is screen.query_one("#prompt-answer"):
            return screen  # shown, and its answer has the keys: it takes only keys typed after that (screens/gate.py)
        await pilot.pause(0.1)
    raise AssertionError(f"no question came; the screen is {pilot.app.screen!r}")


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text), "enter")


def workspace_on(url: str, tmp_path: Path):
    config = tmp_path / "workspace.yaml"
    config.write_text(f"environments:\n  - name: staging\n    repo: '{url}'\n")
    return load_workspace(str(config))


async def test_the_tui_asks_in_a_modal_and_the_deadline_waits_for_the_answer(asking_server, tmp_path):
    url, server, known_hosts, releases = asking_server
    app = make_app(workspace=workspace_on(url, tmp_path), options={"access": Access(timeout=2.0)})
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        prompt = await next_prompt(pilot)
        assert prompt.question.title == "Unknown SSH host" and not prompt.question.secret
        assert "Are you sure you want to continue connecting" in prompt.question.prompt
        assert "SHA256:" in prompt.question.prompt  # the fingerprint, in ssh's own words
        await asyncio.sleep(3)  # longer than --timeout: time spent on a question does not count
        await type_text(pilot, "yes")
        prompt = await next_prompt(pilot, after=prompt)
        assert prompt.question.title == "SSH key passphrase" and prompt.question.secret
        assert prompt.query_one("#prompt-answer").password  # typed hidden
        await type_text(pilot, "open sesame")
        await settle(pilot)
        assert row_keys(app) == list(reversed(releases))
        assert not [n for n in app.notified if n.severity == "error"]
    assert host_key(server) in known_hosts.read_text()  # recorded by ssh, as "yes" does
    assert (cache_path(url) / "HEAD").exists()


async def test_cancelling_the_question_stops_the_fetch(asking_server, tmp_path):
    url, server, known_hosts, _ = asking_server
    app = make_app(workspace=workspace_on(url, tmp_path))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await next_prompt(pilot)
        await pilot.press("escape")
        await settle(pilot)
        errors = [n for n in app.notified if n.severity == "error"]
        assert [n.title for n in errors][:1] == ["Could not fetch"]
        assert f"the SSH host key of the server of {url} is not known" in errors[0].message
        assert not isinstance(app.screen, GitPrompt)  # asked once: the app does not clone again by itself
    assert not known_hosts.exists() or host_key(server) not in known_hosts.read_text()
    assert not cache_path(url).exists()


def converse(fd: int, script: list[tuple[bytes, bytes]], seconds: float = 60) -> bytes:
    """Read the terminal until each expected text, then type its answer; return everything read until the end."""
    seen = b""
    deadline = time.monotonic() + seconds
    steps = list(script)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed: the program ended
                return seen
            if not chunk:
                return seen
            seen += chunk
        if steps and steps[0][0] in seen:
            os.write(fd, steps.pop(0)[1])
    raise AssertionError(f"the terminal conversation did not finish: {seen!r}")


def run_on_terminal(argv: list[str], script: list[tuple[bytes, bytes]]) -> tuple[int, bytes, list]:
    """Run the CLI on a new pseudo-terminal (its controlling terminal); return status, transcript, final modes."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the CLI at once
        os.execv(sys.executable, [sys.executable, "-m", "gimlet_tui", *argv])
    try:
        seen = converse(fd, script)
        modes = termios.tcgetattr(fd)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    return os.waitstatus_to_exitcode(status), seen, modes


def test_the_cli_lets_git_and_ssh_ask_on_the_terminal(asking_server):
    url, server, known_hosts, _ = asking_server
    status, seen, modes = run_on_terminal(
        ["env", "list", "--repo", url],
        [(b"(yes/no/[fingerprint])? ", b"yes\n"), (b"Enter passphrase for key", b"open sesame\n")],
    )
    assert status == 0, seen
    assert seen.rstrip().endswith(b"staging") and b"open sesame" not in seen  # the passphrase was not echoed
    assert host_key(server) in known_hosts.read_text()


def test_the_deadline_on_a_terminal_prompt_gives_the_terminal_back(asking_server):
    url, server, known_hosts, _ = asking_server
    known_hosts.write_text(server["known_hosts_line"])
    status, seen, modes = run_on_terminal(["env", "list", "--repo", url, "--timeout", "3"], [])
    assert status == 1, seen
    assert b"Enter passphrase for key" in seen  # ssh asked, nobody answered
    assert seen.rstrip().endswith(
        f"error: stopped the clone of {url} after 3 s (--timeout 3): the server did not finish in time".encode()
    )
    assert modes[3] & termios.ECHO  # echo is back on, although ssh was stopped while it had it off


async def test_a_question_asked_while_the_terminal_is_in_the_background_takes_the_answer_typed_later(make_repo):
    """A slow fetch, another window, then ssh asks: the answer field has the keys once the terminal is back."""
    b = make_repo()
    b.deploy("staging", "api")
    app = make_app(b.path)
    answers: list[str | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.post_message(events.AppBlur())  # the user went to another window
        await pilot.pause()
        assert not app.app_focus
        app.push_screen(GitPrompt(Question.of("Enter passphrase for key '/home/me/.ssh/id_ed25519': ")), answers.append)
        prompt = await next_prompt(pilot)
        assert prompt.query_one("#prompt-answer").password
        app.post_message(events.AppFocus())  # back in the terminal
        await pilot.pause()
        await type_text(pilot, "sec")
        await wait_until(pilot, lambda: answers == ["sec"])
        assert not isinstance(app.screen, GitPrompt)
