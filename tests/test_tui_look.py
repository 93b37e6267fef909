"""The screen shows what on-call needs: 80x24 first, columns that give way in order, contrast, no colour, ASCII.

Contrast is measured on the cells Textual renders (`tests/contrast.py`): the theme's real colours after
its filters, WCAG's formula, every text cell of every screen below.
"""

from __future__ import annotations

import os
import stat

import pytest
from contrast import failures, ratio, screen_lines
from textual.screen import ModalScreen

from gimlet_tui.tui.glyphs import ASCII, UNICODE, glyphs, locale_is_utf8
from gimlet_tui.tui.look import _look, contrast, legible, look_of
from gimlet_tui.tui.remembered import _state_file
from gimlet_tui.tui.screens.main import MainScreen
from gimlet_tui.tui.widgets.columns import plan_columns
from gimlet_tui.tui.widgets.deploy_bar import DeployBar
from helpers import SHOWCASE_NOW, main_screen, make_app, settle, showcase_app, timeline, version


def visible_releases(table) -> int:
    """How many releases the timeline shows whole, a two-line ROLLED BACK row counting once."""
    room = table.scrollable_content_region.height - 1  # the header's line
    shown = 0
    for row in range(table.row_count):
        room -= table.row_height(row)
        if room < 0:
            break
        shown += 1
    return shown


# -- contrast ------------------------------------------------------------------------------------

SCREENS = {  # name: (keys from the main screen, a modal on top)
    "current release": ((), False),
    "rolled-back release": (("k",), False),
    "older release": (("j",), False),
    "lists open": (("e",), False),
    "filter": (("slash",), False),
    "confirmation": (("j", "r"), True),
    "help": (("question_mark",), True),
    "details": (("k", "enter"), True),
    "diff": (("d",), True),
}


@pytest.mark.parametrize("no_color", [False, True], ids=["default theme", "NO_COLOR"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_text_on_every_screen_reaches_wcag_aa(tmp_path, monkeypatch, no_color, size):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
    app = showcase_app(str(tmp_path))
    problems = {}
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for name, (keys, modal) in SCREENS.items():
            await pilot.press(*keys)
            await settle(pilot)
            assert isinstance(app.screen, ModalScreen) is modal, name
            region = app.screen.query_one("#confirm-dialog, #view").region if modal else None
            if found := failures(app, region):
                problems[name] = found
            await pilot.press("escape")  # closes the modal, the lists, the filter
            await settle(pilot)
            timeline(app).focus()
            timeline(app).move_cursor(1)
    assert problems == {}


def test_the_wcag_formula_is_the_one_measured():
    assert round(ratio((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(ratio((118, 118, 118), (255, 255, 255)), 2) == 4.54  # the classic AA grey
    from textual.color import Color

    dark = [Color.parse("#121212"), Color.parse("#1e1e1e")]
    red = legible(Color.parse("#b93c5b"), dark, Color.parse("#e0e0e0"))
    assert all(contrast(red, background) >= 4.5 for background in dark)


async def test_without_colour_current_and_rolled_back_differ_by_more_than_colour(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = showcase_app(str(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        timeline(app).blur()  # the cursor row has its own style: look at the plain rows
        await pilot.pause()
        styles = {}
        for segment in app.screen._compositor.render_full_update().strips:
            for strip in segment:
                for text, style, _ in strip:
                    if text.strip() in ("CURRENT", "ROLLED BACK") and style is not None:
                        styles[text.strip()] = (bool(style.reverse), bool(style.bold))
        assert styles == {"CURRENT": (True, True), "ROLLED BACK": (False, True)}


# -- 80x24 first -----------------------------------------------------------------------------------


def test_columns_give_way_in_the_stated_order():
    wide, at_120, at_80, at_60 = (plan_columns(w) for w in (176, 96, 77, 57))
    assert wide.keys == ("when", "gitops", "state", "release", "image", "author", "by", "ref")
    assert not wide.short_hashes and not wide.short_ages
    assert at_120.keys == ("when", "gitops", "state", "release", "author")  # image, ref, by went first
    assert at_80.keys == ("when", "gitops", "state", "release", "author") and at_80.short_hashes
    assert at_80.width_of("gitops") == 7
    assert at_60.keys == ("when", "state", "release", "author") and at_60.short_ages  # then gitops went
    for width, plan in ((176, wide), (96, at_120), (77, at_80), (57, at_60)):
        assert sum(c.width + 2 for c in plan.columns) <= width


@pytest.mark.parametrize("size", [(80, 24), (60, 15), (200, 50)])
async def test_the_current_release_row_shows_state_age_message_and_author_without_scrolling(tmp_path, size):
    app = showcase_app(str(tmp_path))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = timeline(app)
        assert not table.show_horizontal_scrollbar and table.virtual_size.width <= table.size.width
        row = next(line for line in screen_lines(app) if "CURRENT" in line)
        assert "ago" in row and "Login page" in row and "Alice" in row
        assert visible_releases(table) >= 3


async def test_a_rolled_back_row_says_by_whom_and_how_long_ago(tmp_path):
    app = showcase_app(str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        at = next(i for i, line in enumerate(lines) if "ROLLED BACK" in line)
        assert "by Dara Okafor, 2m ago" in lines[at + 1]
        await pilot.press("k")
        await settle(pilot)
        detail = "\n".join(screen_lines(app)[-8:])
        assert "rolled back by Dara Okafor, 2 minutes ago" in detail


async def test_the_detail_pane_cuts_a_long_url_instead_of_dropping_the_line_below(make_repo):
    b = make_repo()
    long_url = {"url": "https://github.com/acme/api/commit/" + "a" * 120}
    b.writer.deploy("staging", "api", {"deployment.yaml": "image: acme/api:1\n"}, version(1, **long_url), b.tick())
    app = make_app(b.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = screen_lines(app)[-7:-1]
        assert any(line.rstrip(" │").endswith("…") and "https://github.com" in line for line in detail)
        assert any("image acme/api" in line or "files changed" in line for line in detail)


async def test_relative_times_are_written_again_every_minute(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    clock = [b.clock + 30.0]
    app = make_app(b.path, now=0, options={"clock": lambda: clock[0]})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any("just now" in line for line in screen_lines(app))
        clock[0] += 3 * 3600
        main_screen(app).tick()  # what the screen's one-minute timer calls
        await pilot.pause()
        assert any("3h ago" in line for line in screen_lines(app))
        assert any("3 hours ago" in line for line in screen_lines(app))  # the detail pane's title


# -- the bar, glyphs, theme ---------------------------------------------------------------------------


async def test_the_recent_deploys_bar_labels_its_blocks_and_shapes_them_by_state(tmp_path):
    app = showcase_app(str(tmp_path))
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        bar = main_screen(app).query_one(DeployBar)
        blocks, labels = bar.render().plain.split("\n")
        assert labels.split() == [entry.release.version.sha[:8] for entry in bar.releases]  # room for versions
        marks = glyphs()
        current = next(e for e in bar.releases if e.current)
        rolled = next(e for e in bar.releases if e.rolled_back)
        step = (len(blocks) - len("recent ")) // len(bar.releases)
        shape = {e.sha: blocks[len("recent ") + i * step] for i, e in enumerate(bar.releases)}
        assert shape[current.sha] == marks.current and shape[rolled.sha] == marks.rolled_back
        assert len({marks.current, marks.rolled_back, marks.release}) == 3
    app = showcase_app(str(tmp_path / "narrow"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        labels = main_screen(app).query_one(DeployBar).render().plain.split("\n")[1]
        assert labels.split()[-2:] == ["25m", "4m"]  # ages where versions do not fit


def test_ascii_glyphs_when_the_locale_is_not_utf8(monkeypatch):
    for name in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")
    assert glyphs() == ASCII and not locale_is_utf8()
    monkeypatch.setenv("LC_CTYPE", "C.UTF-8")  # what Python's own coercion of the C locale sets
    assert glyphs() == ASCII
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert glyphs() == UNICODE
    assert all(ord(c) < 128 for c in "".join(vars(ASCII).values()))


async def test_ascii_screen_under_a_c_locale(tmp_path, monkeypatch):
    for name in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")
    app = showcase_app(str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        assert any("-> by Dara Okafor" in line for line in lines)
        bar = main_screen(app).query_one(DeployBar).render().plain.split("\n")[0]
        assert "#" in bar and "x" in bar and all(ord(c) < 128 for c in bar)


async def test_the_theme_chosen_is_remembered_in_a_private_file(tmp_path):
    app = showcase_app(str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert stat.S_IMODE(os.stat(_state_file()).st_mode) == 0o600
    app = showcase_app(str(tmp_path / "again"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"


async def test_a_disabled_rollback_button_looks_switched_off(tmp_path):
    app = showcase_app(str(tmp_path), now=SHOWCASE_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        button = main_screen(app).query_one("#rollback")
        assert button.disabled  # on the CURRENT release
        off = button.styles.background
        await pilot.press("j")
        await settle(pilot)
        assert not button.disabled
        assert off.a == 0 and button.styles.background.a > 0  # no fill when off, filled when it can act


async def test_the_styles_follow_a_theme_change(tmp_path, monkeypatch):
    """The styles are kept per app (Textual's variables are costly to ask for each row) until the theme changes."""
    app = showcase_app(str(tmp_path))
    asked = []
    variables = app.get_css_variables
    monkeypatch.setattr(app, "get_css_variables", lambda: asked.append(app.theme) or variables())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        styles = {}
        for theme in ("nord", "textual-light", "textual-dark"):
            app.theme = theme
            await pilot.pause()
            styles[theme] = look_of(app).styles
            fresh = _look(theme, False, tuple(sorted(variables().items())))
            assert styles[theme] == fresh.styles  # the theme now, not one kept from before
            asked.clear()
            for _ in range(100):  # as many rows as a refill writes
                assert look_of(app).styles == styles[theme]
            assert asked == []  # kept: Textual is not asked again for each row
        assert len({str(s) for s in styles.values()}) == 3


async def test_at_80_columns_the_side_lists_stay_shut_while_the_app_starts(tmp_path, monkeypatch):
    """The timeline has the keys from the first frame; the env list never takes them on the way."""
    focused = []
    handler = MainScreen.on_descendant_focus

    def noting(screen, event):
        focused.append((event.widget.id, "sidebar-open" in screen.classes))
        handler(screen, event)

    monkeypatch.setattr(MainScreen, "on_descendant_focus", noting)
    app = showcase_app(str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "narrow" in main_screen(app).classes and "sidebar-open" not in main_screen(app).classes
    assert focused == [("timeline", False)]
