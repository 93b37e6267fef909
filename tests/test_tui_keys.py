"""Keys act on what the screen shows: type-ahead at full speed, one navigation everywhere, ctrl+c.

Keys are sent in bursts (`helpers.burst`): all queued before the first is handled, as a fast typist
or a paste produces them. `pilot.press` waits for idle after each key and would hide every race.
"""

from __future__ import annotations

import asyncio
import math
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from gimlet_tui.gitops import why_not_target
from gimlet_tui.tui.screens.confirm import ConfirmRollback
from gimlet_tui.tui.screens.details import ReleaseDetails
from gimlet_tui.tui.screens.gate import GatedModal
from gimlet_tui.tui.screens.help import HelpScreen
from gimlet_tui.tui.widgets.deploy_bar import DeployBar
from gimlet_tui.tui.widgets.release_detail import ReleaseDetail
from gimlet_tui.tui.widgets.repo_header import RepoHeader
from helpers import burst, git, main_screen, make_app, repo_state, row_keys, settle, timeline, wait_until

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

BIG_COMMITS = 8_000  # 4 envs x 50 apps: about 40 releases per app among 8,000 commits


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "gitops"
    generate(path, BIG_COMMITS)
    return path


@pytest.fixture
def big_repo(generated, tmp_path):
    """A copy of the generated repository for one test (a rollback changes it)."""
    path = tmp_path / "gitops"
    shutil.copytree(generated, path, symlinks=True)
    return path


async def modal_shown(pilot, app) -> ConfirmRollback:
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmRollback) and app.screen.keys_from < math.inf)
    await pilot.pause(0.2)  # shown; time for a typed-ahead key to do harm, if it could
    assert isinstance(app.screen, ConfirmRollback)
    return app.screen


def landing_row(table, moves_up: int, half: int) -> int:
    """Where G, k x moves_up, ctrl+u, j leave the cursor."""
    return table.row_count - 1 - moves_up - half + 1


async def test_j_r_y_at_full_speed_acts_on_the_row_on_screen_and_waits_for_its_own_y(big_repo):
    state = repo_state(big_repo)
    app = make_app(big_repo, options={"start_env": "staging", "start_app": "app-00"})
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        table = timeline(app)
        await wait_until(pilot, lambda: table.row_count > 0 and table.positioned)
        current = table.cursor_row
        expected = _key(table, current + 1)  # j from the CURRENT release
        burst(app, "j", "r", "y")
        modal = await modal_shown(pilot, app)
        assert modal.plan.target.sha == expected
        assert table.selected.sha == expected and table.cursor_row == current + 1
        assert repo_state(big_repo) == state  # the typed-ahead y confirmed nothing
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmRollback))

        # after moving around, with the whole history here
        await wait_until(pilot, lambda: table.done)
        half = max(1, table.nav_height() // 2)
        up = next(
            m
            for m in range(2, table.row_count)
            if why_not_target(table._by_sha[_key(table, landing_row(table, m, half))]) is None
        )
        target = table._by_sha[_key(table, landing_row(table, up, half))]
        burst(app, "G", *["k"] * up, "ctrl+u", "j", "r", "y")
        modal = await modal_shown(pilot, app)
        assert modal.plan.target.sha == target.sha and table.selected.sha == target.sha
        assert repo_state(big_repo) == state
        await pilot.press("y")  # the user's own y, after reading the plan
        await settle(pilot)
    folder = "staging/app-00"
    assert git(big_repo, "rev-parse", f"HEAD:{folder}") == git(big_repo, "rev-parse", f"{target.sha}:{folder}")


def _key(table, row: int) -> str:
    return table.key_at(row)


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(30)]
    return b


async def test_a_y_typed_before_the_modal_showed_never_confirms_it(repo):
    state = repo_state(repo.path)
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        for round_ in range(3):  # the whole burst lands on the main screen, which has no y
            burst(app, "j", "r", "y", "y")
            modal = await modal_shown(pilot, app)
            assert modal.plan.target.sha == timeline(app).selected.sha == repo.api[-2 - round_]
            assert repo_state(repo.path) == state
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmRollback))
        # a y typed before the modal showed but delivered after it (a busy machine, a slow terminal)
        early = events.Key("y", "y")
        burst(app, "j", "r")
        modal = await modal_shown(pilot, app)
        early.set_sender(app)
        app._driver.send_message(early)
        await pilot.pause(0.2)
        assert app.screen is modal and modal.ignored == ["y"]
        assert any(n.title == "Typed ahead" for n in app.notified)
        assert repo_state(repo.path) == state
        await pilot.press("y")  # typed after it showed: confirms
        await settle(pilot)
    target = repo.api[-5]
    assert git(repo.path, "rev-parse", "HEAD:staging/api") == git(repo.path, "rev-parse", f"{target}:staging/api")


async def test_one_navigation_in_the_timeline_and_the_selectors(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = timeline(app)
        last = table.row_count - 1
        half = table.nav_height() // 2
        for keys, row in (
            (("G",), last),
            (("g",), 0),
            (("end",), last),
            (("home",), 0),
            (("ctrl+d",), half),
            (("ctrl+d", "ctrl+u"), half),
            (("pagedown",), half + table.nav_height() - 1),
            (("k",), half + table.nav_height() - 2),
        ):
            await pilot.press(*keys)
            assert table.cursor_row == row, keys
        assert table.scroll_x == 0  # End never scrolls sideways
        await pilot.press("e", "G")
        envs = main_screen(app).query_one("#envs")
        assert envs.highlighted == envs.option_count - 1
        await pilot.press("g")
        assert envs.highlighted == 0


async def test_one_navigation_in_the_views_the_bar_and_the_confirmation(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        view = app.screen.query_one("#view")
        assert view.max_scroll_y > 0  # help is longer than 80x24: it scrolls
        for keys, check in (
            (("j",), lambda: view.scroll_y == 1),
            (("G",), lambda: view.scroll_y == view.max_scroll_y),
            (("g",), lambda: view.scroll_y == 0),
            (("ctrl+d",), lambda: view.scroll_y > 1),
            (("end",), lambda: view.scroll_y == view.max_scroll_y),
        ):
            await pilot.press(*keys)
            await pilot.pause()
            assert check(), keys
        await pilot.press("escape", "b", "g")
        await settle(pilot)
        bar = main_screen(app).query_one(DeployBar)
        assert timeline(app).selected.sha == bar.releases[0].sha
        await pilot.press("G")
        await settle(pilot)
        assert timeline(app).selected.sha == bar.releases[-1].sha == repo.api[-1]
        timeline(app).focus()
        await pilot.press("G", "r")  # the oldest release: a long plan, below the fold at 80x24
        await settle(pilot)
        body = app.screen.query_one("#confirm-body")
        assert body.max_scroll_y > 0
        for key, check in (
            ("j", lambda: body.scroll_y == 1),
            ("down", lambda: body.scroll_y == 2),
            ("pagedown", lambda: body.scroll_y > 2),
            ("G", lambda: body.scroll_y == body.max_scroll_y),
            ("g", lambda: body.scroll_y == 0),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert check(), key
        assert isinstance(app.screen, ConfirmRollback)


@pytest.mark.parametrize("where", ["main", "modal", "filter", "help"])
async def test_ctrl_c_quits_from_anywhere(make_repo, where):
    b = make_repo()
    for _ in range(3):
        b.deploy("staging", "api")
    state = repo_state(b.path)
    app = make_app(b.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        keys = {"main": (), "modal": ("j", "r"), "filter": ("slash", "a"), "help": ("question_mark",)}[where]
        await pilot.press(*keys)
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
    assert repo_state(b.path) == state


async def test_n_and_N_move_between_filter_matches(make_repo):
    b = make_repo()
    shas = []
    for i in range(8):
        version = {"sha": f"{i:040x}", "message": "needle" if i in (1, 4, 6) else "hay"}
        shas.append(b.writer.deploy("staging", "api", {"a.yaml": f"{i}\n"}, version, b.tick()))
    app = make_app(b.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert "No filter" in app.notified[-1].message
        await pilot.press("slash", *"needle", "enter")
        await settle(pilot)
        table = timeline(app)
        assert table.selected.sha == shas[6]
        await pilot.press("n")
        assert table.selected.sha == shas[4]
        await pilot.press("n", "n")
        assert table.selected.sha == shas[6]  # wrapped around
        await pilot.press("N")
        assert table.selected.sha == shas[1]


async def test_keys_typed_after_a_key_that_moves_the_focus_land_where_it_moved_it(make_repo):
    b = make_repo()
    shas = []
    for i in range(8):
        version = {"sha": f"{i:040x}", "message": "fix it" if i in (2, 5) else "feature"}
        shas.append(b.writer.deploy("staging", "api", {"a.yaml": f"{i}\n"}, version, b.tick()))
    b.deploy("production", "api")
    app = make_app(b.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "slash", "f", "i", "x", "enter", "n")  # the letters go into the filter, n to the timeline
        await wait_until(pilot, lambda: app.focused is timeline(app))
        await settle(pilot)
        assert main_screen(app).query_one("#filter").value == "fix"
        assert row_keys(app) == [shas[5], shas[2]] and timeline(app).selected.sha == shas[2]
        burst(app, "escape", "e", "up")  # escape closes the filter; up moves in the env list
        await wait_until(pilot, lambda: main_screen(app).env == "production")
        timeline(app).focus()
        await pilot.resize_terminal(80, 16)  # the details are longer than the screen
        await settle(pilot)
        row = timeline(app).cursor_row
        burst(app, "enter", "j")  # the details open at once, and j scrolls them, not the timeline
        await wait_until(pilot, lambda: isinstance(app.screen, ReleaseDetails))
        await settle(pilot)
        assert timeline(app).cursor_row == row
        view = app.screen.query_one("#view")
        assert view.max_scroll_y > 1 and view.scroll_y == 1


class SlowToShow(GatedModal[bool]):
    """A gated modal whose compose waits until the test lets it go, as on a loaded machine."""

    BINDINGS: ClassVar[list[BindingType]] = [("y", "confirm", "Confirm")]

    def __init__(self) -> None:
        super().__init__()
        self.go = asyncio.Event()

    async def _pre_process(self) -> bool:
        # Private, but where a screen's compose starts: late when the machine is busy.
        await self.go.wait()
        return await super()._pre_process()

    def compose(self) -> ComposeResult:
        yield Static("what a y would confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)


async def test_a_gated_modal_takes_no_key_before_its_content_is_there(repo):
    app = make_app(repo.path)
    answers: list[bool | None] = []
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        modal = SlowToShow()
        app.push_screen(modal, answers.append)
        try:
            await asyncio.sleep(0.2)
            assert app.screen is modal and not modal.query(Static)  # on top, with nothing in it yet
            modal._on_timer_update()  # private: a frame drawn now (Textual's update timer, or Pilot.pause)
            assert modal.keys_from == math.inf
            burst(app, "y")
        finally:
            modal.go.set()  # the content comes after the y (and, if a check failed, the app can end)
        await wait_until(pilot, lambda: modal.keys_from < math.inf)
        await pilot.pause(0.3)
        assert answers == [] and modal.ignored == ["y"]
        await pilot.press("y")
        await wait_until(pilot, lambda: answers == [True])


async def test_a_key_that_moves_the_cursor_does_not_draw_the_header_or_the_detail_pane_over_and_over(repo, monkeypatch):
    """The screen's read-only flag is handed on at every read (Textual's computed reactives): only changes are drawn."""
    drawn: list[str] = []
    for widget, method in ((RepoHeader, "show"), (ReleaseDetail, "_show")):
        original = getattr(widget, method)
        monkeypatch.setattr(widget, method, lambda self, _o=original, _n=widget.__name__: drawn.append(_n) or _o(self))
    monkeypatch.setattr(RepoHeader, "tick", lambda self: None)  # its clock (every 30 s) is not what is counted
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        drawn.clear()
        for _ in range(5):
            await pilot.press("j")
        await settle(pilot)
        assert drawn.count("RepoHeader") == 0
        # per key: the new entry, its diff cleared, its diff loaded (before: 10 per key)
        assert drawn.count("ReleaseDetail") <= 5 * 3 + 1


async def test_the_read_only_flag_alone_redraws_the_detail_pane(repo):
    """Only the flag changes (the same release stays selected): the button goes, and comes back."""
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        button = screen.query_one("#rollback")
        assert button.display and not screen.rollback_off
        workspace = screen.workspace
        marked = tuple(replace(s, read_only=True) if s.name == screen.env else s for s in workspace.sources)
        screen.workspace = replace(workspace, sources=marked)  # as a workspace reload marking the env read-only
        assert screen.rollback_off
        await pilot.pause()
        assert not button.display
        screen.workspace = workspace
        assert not screen.rollback_off
        await pilot.pause()
        assert button.display


async def test_reading_the_read_only_flag_hands_nothing_on(repo, monkeypatch):
    """rollback_off is set when the env or workspace changes; reading it (the footer does, for each
    key) neither works it out again nor tells the widgets bound to it."""
    from gimlet_tui.tui.widgets.release_detail import ReleaseDetail
    from gimlet_tui.tui.widgets.repo_header import RepoHeader

    told = []

    def counted(real):
        def watch_rollback_off(self):
            told.append(1)
            real(self)

        return watch_rollback_off

    for widget in (ReleaseDetail, RepoHeader):
        monkeypatch.setattr(widget, "watch_rollback_off", counted(widget.watch_rollback_off))
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        told.clear()
        for _ in range(5):
            assert screen.rollback_off is False
        await pilot.press("j", "k")
        await settle(pilot)
        assert told == []
