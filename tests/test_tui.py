"""Pilot tests: the TUI against real repositories, checking both the screen and the repository."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gimlet_tui.gitops import GitopsRepo, read_history
from gimlet_tui.tui.screens.confirm import ConfirmRollback
from gimlet_tui.tui.screens.details import ReleaseDetails
from gimlet_tui.tui.screens.diff import DiffScreen
from gimlet_tui.tui.screens.help import HelpScreen
from gimlet_tui.tui.widgets.deploy_bar import DeployBar
from gimlet_tui.tui.widgets.release_detail import ReleaseDetail
from helpers import column, count_writes, git, main_screen, make_app, repo_state, row_keys, settle, timeline


async def open_modal(pilot, app, *moves: str) -> None:
    """Go to staging/api, move down the timeline, press r and wait for the confirmation."""
    await settle(pilot)
    await pilot.press("e", "down")
    await settle(pilot)
    timeline(app).focus()
    await pilot.press(*moves, "r")
    await settle(pilot)


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(4)]
    b.web = b.deploy("staging", "web")
    b.prod = b.deploy("production", "api")
    return b


async def test_opens_on_the_current_release_with_the_timeline_focused(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert (screen.env, screen.app_name) == ("production", "api")
        assert app.focused is timeline(app)
        assert timeline(app).selected.sha == repo.prod and timeline(app).selected.current


async def test_choose_env_and_app_then_j_r_y_rolls_back(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")  # staging
        await settle(pilot)
        screen = main_screen(app)
        assert (screen.env, screen.app_name) == ("staging", "api")
        await pilot.press("tab", "down")  # apps: web
        await settle(pilot)
        assert screen.app_name == "web"
        await pilot.press("up")
        await settle(pilot)
        assert screen.app_name == "api" and row_keys(app) == list(reversed(repo.api))
        timeline(app).focus()
        await pilot.press("j", "r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback)
        assert app.focused.id == "cancel"
        await pilot.press("y")
        await settle(pilot)
        target = repo.api[2]
        assert git(repo.path, "rev-parse", "HEAD:staging/api") == git(repo.path, "rev-parse", f"{target}:staging/api")
        assert "Rollback-By: Pilot <pilot@acme.dev>" in git(repo.path, "log", "-1", "--format=%B")
        states = dict(zip(row_keys(app), column(app, "state"), strict=True))
        assert states[target] == "CURRENT" and states[repo.api[3]] == "ROLLED BACK"
        assert any("is back at" in n.message for n in app.notified)


async def test_a_rollback_shows_in_the_timeline_from_the_engines_answer_without_a_new_walk(repo, monkeypatch):
    from gimlet_tui.tui import workers

    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")  # staging/api
        await settle(pilot)
        started = []
        real = workers.load_history
        monkeypatch.setattr(workers, "load_history", lambda *args: started.append(args) or real(*args))
        timeline(app).focus()
        await pilot.press("j", "j", "r")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert started == []  # no walk: the timeline came from what the rollback made
        fresh = read_history(GitopsRepo.open(str(repo.path)), "staging", "api")
        expected = [(e.sha, "CURRENT" if e.current else "ROLLED BACK" if e.rolled_back else "") for e in fresh]
        shown = list(zip(row_keys(app), column(app, "state"), strict=True))
        assert shown == [x for x, e in zip(expected, fresh, strict=True) if e.kind.value != "revert"]
        assert shown[2] == (repo.api[1], "CURRENT") and timeline(app).selected.sha == repo.api[1]
        assert main_screen(app).info.head == git(repo.path, "rev-parse", "HEAD").strip()  # header read again
        table = timeline(app)
        assert [table.row_height(table.row_index(sha)) for sha, _ in shown] == [
            2 if state == "ROLLED BACK" else 1 for _, state in shown
        ]
        assert "by " in column(app, "release")[0].split("\n")[1]  # the second line: who rolled it back


def heights(table, count: int) -> list[int]:
    return [table.row_height(row) for row in range(count)]


async def test_a_restate_shows_the_new_states_and_second_lines_at_once_redrawing_only_those_rows(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e", "down")  # staging/api: four releases, the newest CURRENT
        await settle(pilot)
        table = timeline(app)
        before = list(table.entries)
        newest, older = before[0], before[1]
        restated = [
            replace(newest, current=False, rolled_back=True, rolled_back_by="f" * 40, rolled_back_by_name="eve"),
            replace(older, current=True),
            *before[2:],
        ]
        written = count_writes(table)
        table.restate(restated)
        # no await: the states and the heights are new at once
        assert column(app, "state")[:2] == ["ROLLED BACK", "CURRENT"]
        assert heights(table, 2) == [2, 1]
        assert column(app, "release")[0].split("\n")[1].endswith("by eve")
        written.clear()
        await settle(pilot)
        assert sorted(written) == sorted([newest.sha, older.sha])  # the other rows were not written again
        table.restate(before)  # (back: the newest is one line again)
        assert heights(table, 2) == [1, 1] and column(app, "state")[:2] == ["CURRENT", ""]


async def test_rows_grown_by_a_rollback_keep_the_scroll_position(make_repo):
    b = make_repo()
    shas = [b.deploy("staging", "api") for _ in range(40)]
    app = make_app(b.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = timeline(app)
        table.move_cursor(20)
        await settle(pilot)
        table.scroll_to(y=16, animate=False, immediate=True)  # the cursor mid-view, not at an edge
        await settle(pilot)
        scrolled, shown = table.scroll_y, table.selected
        assert scrolled == 16 and shown.sha == shas[-21]
        entries = list(table.entries)
        entries[0] = replace(entries[0], current=False, rolled_back=True, rolled_back_by="f" * 40)
        entries[1] = replace(entries[1], current=True)
        table.restate(entries)
        await settle(pilot)
        assert heights(table, 2) == [2, 1]
        assert table.scroll_y == scrolled and table.selected.sha == shown.sha


async def test_the_app_list_is_read_again_after_a_rollback_only_for_the_env_still_shown(repo, monkeypatch):
    from gimlet_tui.tui import workers

    started = []
    monkeypatch.setattr(workers, "load_apps", lambda post, source, *args: started.append(source.name))
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        shown, other = screen.source(), screen.workspace.source("staging")
        assert shown is not None and other is not None and shown.name == "production"
        started.clear()
        screen.reload_apps_of(other)  # the rollback was in staging; production is on screen now
        await settle(pilot)
        assert started == []
        screen.reload_apps_of(shown)
        await settle(pilot)
        assert started == ["production"]


@pytest.mark.parametrize("key", ["escape", "n", "enter"])  # enter presses the focused Cancel button
async def test_cancelling_the_modal_changes_nothing(repo, key):
    state = repo_state(repo.path)
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_modal(pilot, app, "j", "j")
        assert isinstance(app.screen, ConfirmRollback)
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmRollback)
    assert repo_state(repo.path) == state


async def test_rollback_is_disabled_on_current_and_rolled_back_releases(repo):
    b = repo
    b.deploy("production", "api")
    repo_ = GitopsRepo.open(str(b.path))
    from gimlet_tui.gitops import execute_rollback, plan_rollback

    execute_rollback(repo_, plan_rollback(repo_, "production", "api", b.prod))
    state = repo_state(b.path)
    app = make_app(b.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert timeline(app).selected.sha == b.prod  # the current one
        assert screen.check_action("rollback", ()) is None
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmRollback)
        assert "this is the current release" in app.notified[-1].message
        await pilot.press("k", "r")  # the rolled-back newest release
        await settle(pilot)
        assert timeline(app).selected.rolled_back
        said = "already rolled back; F rolls forward to it"  # the key that rolls forward
        assert said in app.notified[-1].message
        assert said in str(screen.query_one("#rollback-reason").render())
        assert screen.query_one("#rollback").disabled
    assert repo_state(b.path) == state


async def test_read_only_hides_every_way_to_roll_back(repo):
    state = repo_state(repo.path)
    app = make_app(repo.path, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert not screen.query("#rollback")
        assert screen.check_action("rollback", ()) is False
        commands = [c.title for c in app.get_system_commands(screen)]
        assert "Roll back to the selected release" not in commands and "Reload" in commands
        await pilot.press("j", "r", "y")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmRollback)
    assert repo_state(repo.path) == state


async def test_filter_narrows_the_timeline(make_repo):
    b = make_repo()
    for i in range(6):
        b.writer.deploy(
            "staging",
            "api",
            {"a.yaml": f"{i}\n"},
            {"sha": f"{i:040x}", "message": "needle" if i in (1, 4) else "hay"},
            b.tick(),
        )
    app = make_app(b.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"needle")
        await settle(pilot)
        assert [r.split(" ", 1)[1] for r in column(app, "release")] == ["needle", "needle"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(row_keys(app)) == 6 and app.focused is timeline(app)


async def test_diff_and_details(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen) and "+image: acme/api:6" in app.screen.patch
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReleaseDetails)
        text = str(app.screen.query_one("Static").render())
        assert repo.prod in text and "artifactId" in text and "production/api/deployment.yaml" in text
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_the_rollback_diff_from_the_modal(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_modal(pilot, app, "j", "j")
        await pilot.press("d")
        assert isinstance(app.screen, DiffScreen)
        assert "-image: acme/api:4" in app.screen.patch and "+image: acme/api:2" in app.screen.patch


async def test_deploy_bar_selects_in_the_timeline(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")
        await settle(pilot)
        bar = main_screen(app).query_one(DeployBar)
        assert [e.sha for e in bar.releases] == repo.api
        await pilot.click(DeployBar, offset=(len("recent ") + 1, 0))  # the oldest segment
        await settle(pilot)
        assert timeline(app).selected.sha == repo.api[0] and bar.selected.sha == repo.api[0]
        await pilot.press("b", "right")
        await settle(pilot)
        assert timeline(app).selected.sha == repo.api[1]


async def test_broken_release_json_and_hostile_text_are_shown_literally(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    b.writer.deploy(
        "staging",
        "api",
        {"a.yaml": "x\n"},
        {"sha": "1" * 40, "message": "[red]boom[/red] \x1b[31mred\x1b[0m [link=http://x]y[/link]"},
        b.tick(),
        triggered_by="[b]eve[/b]",
    )
    b.deploy("staging", "api", release=b"{broken")
    app = make_app(b.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        release = column(app, "release")
        assert release[0].endswith("⚠")
        detail = str(main_screen(app).query_one("#detail-text").render())
        assert "problem: release.json is not valid JSON" in detail
        # (at 100 columns the version's sha shows 7 characters: see columns.plan_columns)
        assert release[1] == "1111111 [red]boom[/red] \\x1b[31mred\\x1b[0m [link=http://x]y[/link]"
        await pilot.press("j")
        await settle(pilot)
        detail = main_screen(app).query_one("#detail")
        assert detail.border_title.endswith(r"by \[b]eve\[/b]")  # escaped markup: shown as those characters


async def test_last_choice_is_remembered(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e", "down", "tab", "down")
        await settle(pilot)
        assert (main_screen(app).env, main_screen(app).app_name) == ("staging", "web")
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert (main_screen(app).env, main_screen(app).app_name) == ("staging", "web")


async def test_history_streams_in_batches(make_repo, monkeypatch):
    from gimlet_tui.tui import workers
    from gimlet_tui.tui.screens import main

    monkeypatch.setattr(workers, "BATCH", 7)
    b = make_repo()
    shas = [b.deploy("staging", "api") for _ in range(45)]
    batches = []
    real = main.MainScreen.on_history_batch

    def spy(self, message):
        batches.append(len(message.entries))
        return real(self, message)

    monkeypatch.setattr(main.MainScreen, "on_history_batch", spy)
    app = make_app(b.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert batches[:2] == [30, 7] and sum(batches) == 45  # one screenful (30 lines) first
        assert row_keys(app) == list(reversed(shas))
        assert len(read_history(GitopsRepo.open(str(b.path)), "staging", "api")) == 45


async def test_a_refused_rollback_shows_its_reason(repo):
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")
        await settle(pilot)
        timeline(app).focus()
        await pilot.press("j")
        (repo.path / "staging/api/deployment.yaml").write_text("local edit\n")
        state = repo_state(repo.path)
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmRollback)
        assert "uncommitted changes under staging/api" in app.notified[-1].message
    assert repo_state(repo.path) == state


async def test_opens_on_the_env_and_app_asked_for(repo):
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "web"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert (main_screen(app).env, main_screen(app).app_name) == ("staging", "web")
        assert timeline(app).selected.sha == repo.web


async def test_failure_reasons_from_servers_or_repositories_are_shown_literally(repo):
    from gimlet_tui.tui.messages import GitWorkFailed

    app = make_app(repo.path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        main_screen(app).post_message(
            GitWorkFailed("rollback", "the server said: [red]boom[/red] [@click=app.quit]x[/]")
        )
        await settle(pilot)
        note = app.notified[-1]
        assert note.message == "the server said: [red]boom[/red] [@click=app.quit]x[/]" and note.markup is False
        assert app.is_running


async def test_every_action_is_in_the_command_palette(repo):
    from textual.command import CommandPalette

    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(main_screen(app))]
        for wanted in (
            "Roll back to the selected release",
            "Details of the selected release",
            "Diff of the selected release",
            "Filter the timeline",
            "Reload",
            "Fetch",
            "Go to envs",
            "Go to apps",
            "Go to the recent deploys",
            "Go to the timeline",
            "Help",
            "Quit",
        ):
            assert wanted in titles
        await pilot.press("ctrl+p", *"details", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        from gimlet_tui.tui.screens.details import ReleaseDetails

        assert isinstance(app.screen, ReleaseDetails)


async def test_the_first_rows_come_before_the_app_lists_walk(repo, monkeypatch):
    """The history of the app asked for starts at once; the apps at the head show before any walk, and
    when each last changed (a walk) is filled in after the first rows are on screen."""
    from gimlet_tui.tui.screens import main

    seen = []
    for name in ("on_apps_loaded", "on_history_batch"):
        real = getattr(main.MainScreen, name)

        def spy(self, message, real=real, name=name):
            seen.append(
                (name, getattr(message, "complete", None), [a.last_changed_at for a in getattr(message, "apps", [])])
            )
            return real(self, message)

        monkeypatch.setattr(main.MainScreen, name, spy)
    app = make_app(repo.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        kinds = [(name, complete) for name, complete, _ in seen]
        assert kinds.index(("on_history_batch", None)) < kinds.index(("on_apps_loaded", True))
        assert ("on_apps_loaded", False) in kinds
        head_only = next(ages for name, complete, ages in seen if complete is False)
        complete = next(ages for name, complete, ages in seen if complete is True)
        assert all(age is None for age in head_only) and all(complete)
        assert row_keys(app) == list(reversed(repo.api))


async def test_the_footer_is_rebuilt_only_when_its_keys_change_and_states_change_in_place(repo, monkeypatch):
    from textual.widgets._footer import FooterKey

    from gimlet_tui.tui.widgets.footer import Footer

    rebuilt = []
    real = Footer.recompose

    async def counting(self):
        rebuilt.append(1)
        return await real(self)

    monkeypatch.setattr(Footer, "recompose", counting)
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e", "down")  # staging/api: four releases, the newest CURRENT
        await settle(pilot)
        timeline(app).focus()
        await settle(pilot)

        def rollback_key():
            """Whether `r` is shown enabled (not dimmed) and whether a click on it would act."""
            (key,) = [k for k in main_screen(app).query(FooterKey) if k.action == "rollback"]
            return not key.has_class("-disabled"), not key._disabled

        assert rollback_key() == (False, False)  # CURRENT: nothing to roll back to
        rebuilt.clear()
        await pilot.press("j")
        await settle(pilot)
        assert rollback_key() == (True, True)  # one release back from CURRENT: rollback enabled
        await pilot.press("j")  # another older release: the same keys, the same states
        await settle(pilot)
        assert rollback_key() == (True, True)
        await pilot.press("k", "k")
        await settle(pilot)
        assert rollback_key() == (False, False)
        assert rebuilt == []  # only states changed: set in place, never a rebuild
        await pilot.press("e")  # the env list has other keys: the footer is built again
        await settle(pilot)
        assert rebuilt


async def test_the_detail_pane_follows_the_cursor_before_the_next_frame(repo):
    """A cursor move updates the screen's selection at once, not a message hop (and a frame) later."""
    app = make_app(repo.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e", "down")  # staging/api: four releases
        await settle(pilot)
        table = timeline(app)
        detail = main_screen(app).query_one(ReleaseDetail)
        writes = []
        real_show = detail._show
        detail._show = lambda: writes.append(detail.entry) or real_show()
        for row in (1, 2, 0):
            writes.clear()
            table.move_cursor(row)
            # no await: nothing else has run since the move
            assert main_screen(app).selected is table.selected
            assert detail.entry is table.selected
            assert writes == [table.selected]  # written once, for the release and its diff together
        assert main_screen(app).query_one(ReleaseDetail).border_title.startswith(table.selected.sha[:10])
