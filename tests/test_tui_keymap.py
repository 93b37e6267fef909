"""Every binding has an id; a keymap in the workspace file rebinds them, checked with file and line; help shows the keys in force."""

from __future__ import annotations

import re

import pytest
from contrast import screen_lines
from textual.binding import Binding

from gimlet_tui.cli import main
from gimlet_tui.tui.app import GimletApp
from gimlet_tui.tui.keymap import checked_keymap
from gimlet_tui.tui.keys import ALL, CHAINS, keys_in_force
from gimlet_tui.tui.screens.confirm import ConfirmRollback
from gimlet_tui.tui.screens.details import ReleaseDetails
from gimlet_tui.tui.screens.help import HelpScreen
from gimlet_tui.tui.screens.main import MainScreen
from gimlet_tui.tui.screens.prompt import GitPrompt
from gimlet_tui.tui.screens.viewer import Viewer
from gimlet_tui.tui.widgets.deploy_bar import DeployBar
from gimlet_tui.tui.widgets.navigation import Scroller
from gimlet_tui.tui.widgets.selectors import Selector
from gimlet_tui.tui.widgets.timeline import Timeline
from gimlet_tui.workspace import load_workspace
from helpers import main_screen, make_app, settle, timeline


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.api = [b.deploy("staging", "api") for _ in range(3)]
    return b


def workspace_file(tmp_path, repo, keymap: str) -> str:
    path = tmp_path / "workspace.yaml"
    path.write_text(f"environments:\n  - name: staging\n    repo: {repo.path}\nkeymap:\n{keymap}")
    return str(path)


@pytest.mark.parametrize(
    "node", [GimletApp, MainScreen, Timeline, Selector, DeployBar, Scroller, Viewer, ReleaseDetails, HelpScreen, ConfirmRollback, GitPrompt]
)  # fmt: skip
def test_every_binding_of_ours_has_an_id_from_the_key_table(node):
    ids = {command.id for command in ALL}
    own = [b for b in node.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    assert own and all(binding.id in ids for binding in own)


def test_the_default_keys_never_clash_where_one_key_press_reaches_two_commands():
    for chain, commands in CHAINS.items():
        keys = [key for command in commands for key in keys_in_force(command, {})]
        assert len(keys) == len(set(keys)), chain


async def test_a_keymap_in_the_workspace_file_rebinds_and_help_shows_the_keys_in_force(repo, tmp_path):
    path = workspace_file(tmp_path, repo, '  rollback: ctrl+r\n  copy.sha: "y, ctrl+y"\n')
    workspace = load_workspace(path)
    keymap = checked_keymap(workspace)
    assert keymap == {"rollback": "ctrl+r", "copy.sha": "y,ctrl+y"}
    app = make_app(workspace=workspace, options={"keymap": keymap})
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j", "r")  # r is no longer rollback
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmRollback)
        await pilot.press("y")
        assert app.clipboard == timeline(app).selected.sha
        footer = " ".join(key.key_display for key in app.screen.query("FooterKey"))
        assert "^r" in footer
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("question_mark")
        rollback_line = next(line for line in screen_lines(app) if "roll back to the highlighted" in line)
        assert re.search(r"│ ctrl\+r +roll back to the highlighted release", rollback_line), rollback_line
        assert main_screen(app).options.keymap is keymap


@pytest.mark.parametrize(
    ("keymap", "error"),
    [
        (
            "  rolback: ctrl+r\n",
            ":5: unknown binding id 'rolback' in keymap (did you mean rollback?); known: bar.newer, bar.older,",
        ),
        ("  rollback: ctrl+r\n  diff: ctrl+zz\n", ":6: 'ctrl+zz' is not a key name"),
        ("  rollback: R\n", ":5: keymap puts 'R' on both 'rollback' and 'reload' (in the timeline)"),
        ("  rollback: [r]\n", ":5: keymap 'rollback' must be keys as text"),
        ("  - rollback\n", ":5: 'keymap' must be a mapping"),
    ],
)
def test_a_bad_keymap_is_one_error_with_file_and_line_before_anything_runs(repo, tmp_path, capsys, keymap, error):
    path = workspace_file(tmp_path, repo, keymap)
    for argv in (["config", "check", "--config", path], ["--config", path]):
        assert main(argv) == 1
        out, err = capsys.readouterr()
        assert err.startswith(f"error: {path}{error}") and err.count("\n") == 1, err


def test_config_check_lists_the_keymap(repo, tmp_path, capsys):
    path = workspace_file(tmp_path, repo, "  rollback: ctrl+r\n  help: f1\n")
    assert main(["config", "check", "--config", path]) == 0
    assert "keymap: rollback = ctrl+r, help = f1" in capsys.readouterr().out
