"""The timeline drawn line by line (`RowView`): rows written only when shown, the mouse, a resize."""

from __future__ import annotations

import pytest

from gimlet_tui.tui.screens.details import ReleaseDetails
from gimlet_tui.tui.widgets.row_view import HEADER
from helpers import column, count_writes, main_screen, make_app, row_keys, settle, timeline


@pytest.fixture
def long_history(make_repo):
    b = make_repo()
    b.shas = [b.deploy("staging", "api") for _ in range(60)]
    return b


async def test_only_the_rows_on_screen_are_written(long_history):
    app = make_app(long_history.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = timeline(app)
        assert table.row_count == 60
        on_screen = table.scrollable_content_region.height - HEADER
        written = count_writes(table)
        table.tick(table.now + 60)  # every age written again: the rows too, when next shown
        await settle(pilot)
        assert set(written) == set(row_keys(app)[:on_screen])  # not the 60 rows: those on screen
        written.clear()
        await pilot.press("G")
        await settle(pilot)
        assert set(written) == set(row_keys(app)[-on_screen:])  # the bottom's rows, once each
        assert len(written) == on_screen
        written.clear()
        await pilot.press("k", "k", "j")
        await settle(pilot)
        assert written == []  # a cursor move restyles rows already written


async def test_a_click_moves_the_cursor_and_a_click_on_it_opens_the_details(long_history):
    app = make_app(long_history.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = timeline(app)
        assert table.cursor_row == 0
        await pilot.click(table, offset=(4, HEADER + 3))  # the fourth row (all rows are one line)
        await settle(pilot)
        assert table.cursor_row == 3 and main_screen(app).selected.sha == row_keys(app)[3]
        assert app.screen is main_screen(app)  # a first click only moves
        await pilot.click(table, offset=(4, 0))  # the header: nothing
        await settle(pilot)
        assert table.cursor_row == 3 and app.screen is main_screen(app)
        await pilot.click(table, offset=(4, HEADER + 3))
        await settle(pilot)
        assert isinstance(app.screen, ReleaseDetails)


async def test_a_resize_writes_the_columns_again_and_keeps_the_cursor_in_view(long_history):
    app = make_app(long_history.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = timeline(app)
        narrow = table.plan.keys
        await pilot.press(*"j" * 30)
        await settle(pilot)
        chosen = table.selected
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert len(table.plan.keys) > len(narrow) and "by" in table.plan.keys
        assert len(column(app, "by")) == 60
        await pilot.resize_terminal(80, 16)
        await settle(pilot)
        assert table.plan.keys == narrow and table.selected == chosen
        top = round(table.scroll_y)
        visible = table.scrollable_content_region.height - HEADER
        assert top <= table.cursor_row < top + visible  # every row is one line here


async def test_the_scrollbar_follows_the_rows_and_an_emptied_view_shrinks_a_moment_later(long_history):
    from gimlet_tui.tui.widgets.row_view import SHRINK_AFTER

    app = make_app(long_history.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = timeline(app)
        assert table.virtual_size.height == HEADER + 60 and table.show_vertical_scrollbar
        table.apply_filter(long_history.shas[-1][:12])  # one release left
        await settle(pilot)
        assert table.row_count == 1 and table.virtual_size.height == HEADER + 1
        assert not table.show_vertical_scrollbar
        table.apply_filter("")
        await settle(pilot)
        assert table.virtual_size.height == HEADER + 60 and table.show_vertical_scrollbar
        table.reset(table.now)  # emptied, no rows to come: the old size stays for a moment
        assert table.virtual_size.height == HEADER + 60
        await pilot.pause(SHRINK_AFTER * 2)
        assert table.virtual_size.height == HEADER and not table.show_vertical_scrollbar


async def test_ctrl_home_and_ctrl_end_go_to_the_ends_as_in_a_datatable(long_history):
    app = make_app(long_history.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = timeline(app)
        await pilot.press("ctrl+end")
        assert table.cursor_row == 59
        await pilot.press("ctrl+home")
        assert table.cursor_row == 0
