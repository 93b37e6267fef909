"""A key whose answer comes from a worker paints with its answer: the frame is held until then, never long."""

from __future__ import annotations

import asyncio
import math
import threading

import pytest
from textual import events
from textual.app import ComposeResult
from textual.widgets import Static

from gimlet_tui.tui import workers
from gimlet_tui.tui.app import GimletApp
from gimlet_tui.tui.frame_hold import frame_hold
from gimlet_tui.tui.screens import main, rollback_flow
from gimlet_tui.tui.screens.gate import GatedModal
from helpers import main_screen, make_app, row_keys, settle, timeline


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(3)]
    b.web = [b.deploy("staging", "web") for _ in range(2)]
    return b


def spy(monkeypatch, cls, name: str, seen: list[bool]) -> None:
    """Record whether frames are held each time `cls.name` handles a message."""
    real = getattr(cls, name)

    def record(self, message):
        seen.append(self.hold.held)
        return real(self, message)

    monkeypatch.setattr(cls, name, record)


def count_frames(monkeypatch) -> list[tuple[str, int]]:
    """Each frame written to the terminal (none is while held): (app shown, timeline rows) at the time."""
    frames: list[tuple[str, int]] = []
    real = GimletApp._display

    def display(self, screen, renderable):
        if renderable is not None and not frame_hold(self).held and len(self.screen_stack) > 1:
            frames.append((main_screen(self).app_name, timeline(self).row_count))
        return real(self, screen, renderable)

    monkeypatch.setattr(GimletApp, "_display", display)
    return frames


def slow_history(monkeypatch, app_name: str) -> threading.Event:
    """The history of `app_name` is read only once the returned event is set."""
    answer = threading.Event()
    real = workers.load_history

    def slow(post, source, access, app, *rest):
        if app == app_name:
            answer.wait(5)
        real(post, source, access, app, *rest)

    monkeypatch.setattr(workers, "load_history", slow)
    return answer


async def test_a_move_in_the_app_list_paints_with_the_apps_first_rows(repo, monkeypatch):
    held: list[bool] = []
    spy(monkeypatch, main.MainScreen, "on_history_batch", held)
    frames = count_frames(monkeypatch)
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert held and not any(held)  # the first history: nothing held (no key asked for it)
        held.clear()
        await pilot.press("a")
        await settle(pilot)
        frames.clear()
        await pilot.press("down")  # web
        await settle(pilot)
        assert held[0] is True  # web's first rows came while the list's move was not yet painted
        assert frames[0] == ("web", 2)  # the first frame after the key: the move and web's rows
        assert not main_screen(app).hold.held
        assert row_keys(app) == list(reversed(repo.web))


async def test_a_slow_answer_holds_the_frame_no_longer_than_its_limit_then_paints(repo, monkeypatch):
    answer = slow_history(monkeypatch, "web")
    frames = count_frames(monkeypatch)
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        frames.clear()
        # The key as a terminal sends it, and then nothing: pilot.press and pilot.pause send messages
        # of their own, which would wake the screen and hide a hold that ends without a paint.
        app.post_message(events.Key("down", None))
        await asyncio.sleep(main.HOLD_FOR_ROWS * 4)
        assert not main_screen(app).hold.held
        assert ("web", 0) in frames  # the move painted alone at the limit (web's rows still to come)
        answer.set()
        await settle(pilot)
        assert row_keys(app) == list(reversed(repo.web)) and frames[-1] == ("web", 2)


async def test_an_answer_to_another_key_does_not_end_a_hold(repo, monkeypatch):
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        hold = main_screen(app).hold
        hold.begin("rollback", 5)
        hold.end("rows")  # a history batch: not what is waited for
        assert hold.held
        hold.end("rollback")
        assert not hold.held
        hold.begin("rows", 5)
        hold.end()  # a failure ends whatever was waited for
        assert not hold.held


class Probe(GatedModal[bool]):
    def compose(self) -> ComposeResult:
        yield Static("a question")


async def test_a_gated_modal_ends_a_hold_and_takes_keys_only_once_written(repo):
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        hold = main_screen(app).hold
        hold.begin("rollback", 5)  # y pressed, its answer not in yet
        probe = Probe()
        app.push_screen(probe)  # git asks a question meanwhile
        await pilot.pause()
        assert not hold.held  # the question is painted at once, not after the rollback
        await settle(pilot)
        assert probe.keys_from < math.inf


async def test_a_slow_rollback_shows_the_modal_gone_at_the_limit(repo, monkeypatch):
    """A push can take seconds: the frame after y is painted at the limit, without waiting for the answer."""
    answer = threading.Event()
    real_apply = workers.apply

    def slow_apply(*args):
        answer.wait(5)
        real_apply(*args)

    monkeypatch.setattr(workers, "apply", slow_apply)
    frames = count_frames(monkeypatch)
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "r")
        await settle(pilot)
        frames.clear()
        app.post_message(events.Key("y", "y"))  # then nothing reaches the screen until the answer
        await asyncio.sleep(rollback_flow.HOLD_FOR_ROLLBACK * 3)
        assert frames and app.screen is main_screen(app)  # painted at the limit: the modal gone
        assert main_screen(app).busy is not None  # "Rolling back ..." is what it shows
        answer.set()
        await settle(pilot)
        assert timeline(app).selected.current


async def test_y_paints_the_modal_gone_with_the_new_states(repo, monkeypatch):
    held: list[bool] = []
    spy(monkeypatch, rollback_flow.RollbackFlow, "on_rollback_finished", held)
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "r")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert held == [True]  # the answer came while the frame after y was held
        assert not main_screen(app).hold.held
        assert timeline(app).selected.current and timeline(app).selected.sha == repo.api[1]
