"""A key whose answer comes from a worker paints with its answer: the frame is held until then, never long."""

from __future__ import annotations

import threading

import pytest

from gimlet_tui.tui import workers
from gimlet_tui.tui.frame_hold import FrameHold
from gimlet_tui.tui.screens import main, rollback_flow
from helpers import main_screen, make_app, row_keys, settle, timeline


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(3)]
    b.web = [b.deploy("staging", "web") for _ in range(2)]
    return b


def spy(monkeypatch, cls, name: str, seen: list[bool]) -> None:
    """Record whether the screen's frame is held each time `cls.name` handles a message."""
    real = getattr(cls, name)

    def record(self, message):
        seen.append(self.hold.held)
        return real(self, message)

    monkeypatch.setattr(cls, name, record)


async def test_a_move_in_the_app_list_paints_with_the_apps_first_rows(repo, monkeypatch):
    held: list[bool] = []
    spy(monkeypatch, main.MainScreen, "on_history_batch", held)
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert held and not any(held)  # the first history: nothing held (no key asked for it)
        held.clear()
        await pilot.press("a", "down")  # the app list, then web
        await settle(pilot)
        assert held[0] is True  # web's first rows came while the list's move was not yet painted
        assert not main_screen(app).hold.held  # and then it was painted
        assert row_keys(app) == list(reversed(repo.web))


async def test_a_slow_answer_holds_the_frame_no_longer_than_its_limit(repo, monkeypatch):
    answer = threading.Event()
    real = workers.load_history

    def slow(post, source, access, app, *rest):
        if app == "web":
            answer.wait(5)
        real(post, source, access, app, *rest)

    monkeypatch.setattr(workers, "load_history", slow)
    ended: list[tuple[str | None, int]] = []  # (app shown, rows shown) each time a hold ended
    real_end = FrameHold.end

    def end(self):
        if self.held:
            screen = main_screen(app)
            ended.append((screen.app_name, timeline(app).row_count))
        real_end(self)

    monkeypatch.setattr(FrameHold, "end", end)
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a", "down")
        await pilot.pause(main.HOLD_FOR_ROWS * 3)
        assert ended == [("web", 0)]  # the move painted alone, at the limit, web's rows still to come
        assert not main_screen(app).hold.held
        answer.set()
        await settle(pilot)
        assert row_keys(app) == list(reversed(repo.web))


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
