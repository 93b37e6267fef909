"""Snapshot tests (pytest-textual-snapshot) of the demo repository at a frozen clock.

At 80x24, 60x15 and 200x50, with and without colour (NO_COLOR is read when the app is made, so it is
set before). Accept intended changes with `pytest tests/test_snapshots.py --snapshot-update`, after
looking at them (rsvg-convert the SVGs of the report to PNG).
"""

from __future__ import annotations

import pytest

from helpers import settle, showcase_app


def _app(tmp_path, monkeypatch, no_color: bool):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    return showcase_app(str(tmp_path))


def _after(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


COLOUR = pytest.mark.parametrize("no_color", [False, True], ids=["colour", "no-colour"])


@COLOUR
@pytest.mark.parametrize("size", [(80, 24), (60, 15), (200, 50)], ids=["80x24", "60x15", "200x50"])
def test_main_screen(snap_compare, tmp_path, monkeypatch, size, no_color):
    assert snap_compare(_app(tmp_path, monkeypatch, no_color), terminal_size=size, run_before=_after())


@COLOUR
def test_confirmation_modal_80x24(snap_compare, tmp_path, monkeypatch, no_color):
    app = _app(tmp_path, monkeypatch, no_color)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_after("j", "r"))


@COLOUR
def test_a_rolled_back_release_80x24(snap_compare, tmp_path, monkeypatch, no_color):
    app = _app(tmp_path, monkeypatch, no_color)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_after("k"))


def test_a_long_plan_scrolls_in_the_confirmation_60x15(snap_compare, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, False)
    assert snap_compare(app, terminal_size=(60, 15), run_before=_after("G", "r", "j"))


def test_the_lists_open_at_80x24(snap_compare, tmp_path, monkeypatch):
    assert snap_compare(_app(tmp_path, monkeypatch, False), terminal_size=(80, 24), run_before=_after("e"))


def test_help_80x24(snap_compare, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_after("question_mark"))
