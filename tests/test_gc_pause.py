"""The garbage collector paused while the process starts (`gc_pause`), and resumed once the start is over."""

from __future__ import annotations

import gc
import subprocess
import sys
import time

import pytest

from gimlet_tui import early_walk, gc_pause
from gimlet_tui.gitops import GitopsRepo, read_history
from helpers import make_app, settle, wait_until

EXIT_REPORT = (
    "import atexit, gc, sys\n"
    "atexit.register(lambda: print('enabled', gc.isenabled(), 'frozen', gc.get_freeze_count() > 0, file=sys.stderr))\n"
    "from gimlet_tui.cli import process_main\n"
    "sys.argv = ['gimlet-tui', *sys.argv[1:]]\n"
    "raise SystemExit(process_main())\n"
)


class Calls(list[str]):
    """The collector's calls, in order, and when each came (`time.monotonic`)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: dict[str, float] = {}

    def record(self, name: str) -> int:
        self.append(name)
        self.at.setdefault(name, time.monotonic())
        return 0


@pytest.fixture
def freezes(monkeypatch):
    """Record freezes (and collections) instead of freezing this test process's objects; the collector
    is left enabled."""
    calls = Calls()
    monkeypatch.setattr(gc, "freeze", lambda: calls.record("freeze"))
    monkeypatch.setattr(gc, "collect", lambda *_: calls.record("collect"))
    yield calls
    gc_pause._paused[0] = False
    gc.enable()


def test_resume_freezes_once_and_only_after_a_pause(freezes):
    gc_pause.resume()
    assert freezes == [] and gc.isenabled()  # never paused: nothing to do
    gc_pause.pause()
    assert not gc.isenabled()
    gc_pause.resume()
    gc_pause.resume()
    assert freezes == ["freeze"] and gc.isenabled()
    gc_pause.pause()
    gc_pause.resume(collect=True)
    assert freezes == ["freeze", "collect", "freeze"]


def test_a_paused_collector_stays_as_it_was_when_it_was_already_off(freezes):
    gc.disable()
    gc_pause.pause()  # the caller turned it off: not ours to turn on
    gc_pause.resume()
    assert freezes == [] and not gc.isenabled()


def test_a_cli_verb_resumes_it_once_its_modules_are_loaded(make_repo):
    b = make_repo()
    sha = b.deploy("staging", "api")
    argv = ["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api", "-o", "json"]
    done = subprocess.run([sys.executable, "-c", EXIT_REPORT, *argv], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "enabled True frozen True" and sha in done.stdout


def test_main_called_in_a_process_leaves_the_collector_alone(make_repo, capsys, monkeypatch):
    from gimlet_tui.cli import main

    b = make_repo()
    b.deploy("staging", "api")
    disabled: list[int] = []
    monkeypatch.setattr(gc, "disable", lambda: disabled.append(1))
    assert main(["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api"]) == 0
    assert disabled == [] and gc.isenabled() and not gc_pause._paused[0]


async def test_the_tui_ends_its_start_once_its_first_rows_are_painted(make_repo, freezes, monkeypatch):
    from gimlet_tui.tui import app as app_module
    from gimlet_tui.tui.screens import main as main_module

    monkeypatch.setattr(app_module, "START_UP", 600.0)  # only the first rows can end the start here
    first_rows: list[float] = []
    handle_batch = main_module.MainScreen.on_history_batch

    def on_history_batch(screen, message):
        first_rows.append(time.monotonic())
        handle_batch(screen, message)

    monkeypatch.setattr(main_module.MainScreen, "on_history_batch", on_history_batch)
    b = make_repo()
    b.deploy("staging", "api")
    read_history(GitopsRepo.open(str(b.path)), "staging", "api")  # a warm index: the screen walks nothing
    monkeypatch.setattr(early_walk, "_cold", lambda *_: True)
    assert early_walk.start(str(b.path), None, "staging", "api")  # so nothing takes this one
    unused = early_walk._started[0].process
    app = make_app(b.path, options={"start_env": "staging", "start_app": "api"})
    gc_pause.pause()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "freeze" in freezes)  # the start ends
        assert freezes == ["collect", "freeze"] and gc.isenabled()
        # not with the rows but a moment after their paint (the paint comes after their handling)
        assert freezes.at["collect"] - first_rows[0] >= main_module.AFTER_FIRST_ROWS
        assert unused.returncode is not None and early_walk._started == []


async def test_without_rows_the_start_ends_after_a_while(make_repo, freezes, monkeypatch):
    from gimlet_tui.tui import app as app_module

    monkeypatch.setattr(app_module, "START_UP", 0.5)
    b = make_repo()  # no env at all: no rows will come
    app = make_app(b.path)
    gc_pause.pause()
    opened = time.monotonic()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "freeze" in freezes)  # the start ends
        assert freezes == ["collect", "freeze"] and gc.isenabled()
        assert freezes.at["collect"] - opened >= app_module.START_UP  # by the timer, not before it
