"""Snapshot tests (pytest-textual-snapshot) of the demo repository at a frozen clock.

Accept intended changes with `pytest tests/test_snapshots.py --snapshot-update`, after looking at them.
"""

from __future__ import annotations

from helpers import settle, showcase_app


def _app(tmp_path):
    return showcase_app(str(tmp_path))


def test_main_screen_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=settle)


def test_confirmation_modal_80x24(snap_compare, tmp_path):
    async def open_modal(pilot):
        await settle(pilot)
        await pilot.press("j", "r")
        await settle(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=open_modal)


def test_main_screen_wide(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(180, 45), run_before=settle)
