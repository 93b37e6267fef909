"""Nothing surprises: what cannot run says why (key, palette or button), copy and open, --read-only, fetch, screenshot."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import webbrowser

import pytest
from textual.command import CommandPalette

from gimlet_tui.tui.screens.confirm import ConfirmRollback
from gimlet_tui.tui.screens.help import HelpScreen
from helpers import git, main_screen, make_app, repo_state, settle, timeline, wait_until


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(4)]
    return b


async def palette_run(pilot, app, words: str) -> None:
    await pilot.press("ctrl+p", *words, "enter")
    await settle(pilot)
    assert not isinstance(app.screen, CommandPalette)


async def test_rolling_back_to_the_current_release_says_why_from_key_palette_and_button(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        assert timeline(app).selected.current
        await pilot.press("r")
        assert "this is the current release" in app.notified[-1].message
        app.notified.clear()
        await palette_run(pilot, app, "roll back to")
        assert not isinstance(app.screen, ConfirmRollback)
        assert "this is the current release" in app.notified[-1].message
        titles = {c.title: c.help for c in app.get_system_commands(main_screen(app))}
        assert "this is the current release" in titles["Roll back to the selected release"]
        button = main_screen(app).query_one("#rollback")
        assert button.disabled


async def test_read_only_hides_what_it_forbids_and_says_so_on_r(repo):
    state = repo_state(repo.path)
    app = make_app(repo.path, read_only=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(main_screen(app))]
        assert not [t for t in titles if "Roll back" in t or "Push" in t or "rollback command" in t]
        await pilot.press("j", "r")
        await settle(pilot)
        assert "--read-only" in app.notified[-1].message
        await pilot.press("C")
        assert "--read-only" in app.notified[-1].message
        assert app.clipboard == ""
    assert repo_state(repo.path) == state


async def test_c_copies_the_gitops_sha_and_C_a_rollback_command_that_works(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j", "c")
        assert app.clipboard == repo.api[2]
        assert app.notified[-1].title.startswith("Copied") and app.notified[-1].message == repo.api[2]
        await pilot.press("C")
        command = app.clipboard
        assert app.notified[-1].message == command
    words = shlex.split(command)
    assert words[:3] == ["gimlet-tui", "release", "rollback"] and words[words.index("--to") + 1] == repo.api[2]
    assert words[words.index("--repo") + 1] == str(repo.path)
    # the copied command does what r y would have done
    cli = [sys.executable, "-m", "gimlet_tui", *words[1:], "--yes"]
    identity = {"GIT_AUTHOR_NAME": "Copy", "GIT_AUTHOR_EMAIL": "copy@acme.dev"}
    identity |= {"GIT_COMMITTER_NAME": "Copy", "GIT_COMMITTER_EMAIL": "copy@acme.dev"}
    subprocess.run(cli, check=True, capture_output=True, env={**os.environ, **identity})
    assert git(repo.path, "rev-parse", "HEAD:staging/api") == git(repo.path, "rev-parse", f"{repo.api[2]}:staging/api")


async def test_C_on_the_current_release_says_why_and_copies_nothing(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("C")
        assert app.clipboard == "" and "this is the current release" in app.notified[-1].message


async def test_o_opens_the_commit_url_in_a_browser_or_copies_it_without_a_display(repo, monkeypatch):
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        url = timeline(app).selected.release.version.url
        await pilot.press("o")
        await pilot.pause()
        assert opened == [url] and app.notified[-1].message == url
        monkeypatch.delenv("DISPLAY")
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        monkeypatch.delenv("BROWSER", raising=False)
        await pilot.press("o")
        await pilot.pause()
        assert opened == [url] and app.clipboard == url  # never a console browser over the TUI
        assert "copied the URL instead" in app.notified[-1].title


async def test_fetch_on_a_local_repository_says_what_it_did(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert "Nothing to fetch" in app.notified[-1].message


async def test_screenshot_goes_to_the_current_folder(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await palette_run(pilot, app, "screenshot")
        # Textual's driver writes it in a thread, then says so
        await wait_until(pilot, lambda: any("Saved screenshot" in n.message for n in app.notified))
    shots = list(tmp_path.glob("*.svg"))
    assert len(shots) == 1 and "staging / api" in shots[0].read_text().replace("&#160;", " ")


async def test_one_help_entry_in_the_palette(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(main_screen(app))]
        assert [t for t in titles if t in ("Help", "Keys")] == ["Help"]
        await palette_run(pilot, app, "help")
        assert isinstance(app.screen, HelpScreen)
