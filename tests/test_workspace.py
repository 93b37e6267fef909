"""Workspace files: envs across repositories, every malformed case, protected and read-only envs."""

from __future__ import annotations

import json
import textwrap

import pytest

from gimlet_tui.cli import main
from gimlet_tui.gitops import Layout
from gimlet_tui.tui.screens.confirm import ConfirmRollback
from gimlet_tui.workspace import load_workspace
from helpers import git, main_screen, make_app, repo_state, run_cli, settle, timeline


@pytest.fixture
def repos(make_repo, tmp_path):
    shared = make_repo()
    shared.deploy("staging", "api")
    shared.deploy("production", "api")
    per_env = {}
    for name in ("qa", "perf", "edge"):
        b = make_repo(Layout.REPO_PER_ENV)
        b.deploy("whatever-name-inside", "web")  # the file's name wins over release.json's env
        b.deploy("whatever-name-inside", "web")
        per_env[name] = b
    return shared, per_env


def write(tmp_path, text: str, name: str = "workspace.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_shared_and_repo_per_env_repositories_in_one_workspace(repos, tmp_path, capsys):
    shared, per_env = repos
    config = write(
        tmp_path,
        f"""
        environments:
          - name: staging
            repo: {shared.path}
          - name: production
            repo: {shared.path}
            branch: main
            protected: true
          - name: qa
            repo: {per_env["qa"].path}
            repoPerEnv: true
          - name: perf
            repo: {per_env["perf"].path}
          - name: edge
            repo: {per_env["edge"].path}
            readOnly: yes
    """,
    )
    assert (
        run_cli(capsys, "env", "list", "--config", config)[1]
        == "staging\nproduction  (protected)\nqa\nperf\nedge  (read-only)\n"
    )
    code, out, _ = run_cli(capsys, "release", "list", "--config", config, "--env", "qa", "--app", "web", "-o", "json")
    assert code == 0 and len(json.loads(out)) == 2
    assert (
        json.loads(
            run_cli(capsys, "release", "list", "--config", config, "--env", "staging", "--app", "api", "-o", "json")[1]
        )[0]["env"]
        == "staging"
    )
    assert run_cli(capsys, "app", "list", "--config", config, "--env", "perf")[1].split()[0] == "web"
    code, out, _ = run_cli(capsys, "config", "check", "--config", config)
    assert code == 0 and out.startswith(f"{config}: 5 environment(s), all repositories found\n")
    code, _, err = run_cli(capsys, "release", "list", "--config", config, "--env", "dev", "--app", "web")
    assert (code, err) == (
        1,
        f"error: unknown env 'dev' in {config}; known envs: staging, production, qa, perf, edge\n",
    )


def test_lookup_order(repos, tmp_path, capsys, monkeypatch):
    shared, per_env = repos
    home = tmp_path / "xdg"
    (home / "gimlet-tui").mkdir(parents=True)
    (home / "gimlet-tui" / "config.yaml").write_text(
        f"environments:\n  - name: from-xdg\n    repo: {per_env['qa'].path}\n"
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    cwd = tmp_path / "here"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    assert run_cli(capsys, "env", "list")[1] == "from-xdg\n"
    (cwd / ".gimlet-tui.yaml").write_text(f"environments:\n  - name: from-cwd\n    repo: {per_env['perf'].path}\n")
    assert run_cli(capsys, "env", "list")[1] == "from-cwd\n"
    explicit = write(tmp_path, f"environments:\n  - name: explicit\n    repo: {per_env['edge'].path}\n")
    assert run_cli(capsys, "env", "list", "--config", explicit)[1] == "explicit\n"
    assert run_cli(capsys, "env", "list", "--repo", str(shared.path))[1] == "production\nstaging\n"  # --repo: no file


@pytest.mark.parametrize(
    "text, message",
    [
        ("environments: [\n", r":2: did not find expected node content"),
        ("environments:\n  - name: x\n\trepo: y\n", r":3: found a tab character that violates indentation"),
        ("- just a list\n", r":1: the workspace file must be a mapping"),
        ("environmentz: []\n", r":1: unknown key 'environmentz' in the workspace file \(known: environments, keymap\)"),
        ("environments: []\n", r":1: 'environments' must be a non-empty list"),
        (
            "environments:\n  - name: a\n    repo: REPO\n    colour: red\n",
            r":4: unknown key 'colour' in an environment",
        ),
        ("environments:\n  - repo: REPO\n", r":2: an environment needs 'name'"),
        ("environments:\n  - name: a\n", r":2: environment 'a' needs 'repo'"),
        ("environments:\n  - name: 12\n    repo: REPO\n", r":2: 'name' of an environment must be a non-empty string"),
        (
            "environments:\n  - name: a\n    repo: REPO\n    protected: maybe\n",
            r":4: 'protected' of environment 'a' must be true or false",
        ),
        (
            "environments:\n  - name: a\n    repo: REPO\n  - name: a\n    repo: REPO\n",
            r":4: duplicate env name 'a' \(first at line 2\)",
        ),
        ("environments:\n  - name: a\n    name: b\n    repo: REPO\n", r":3: duplicate key 'name' in an environment"),
        ("environments:\n  - name: ../x\n    repo: REPO\n", r":2: bad env name '../x'"),
        (
            "environments:\n  - name: a\n    repo: /no/such/place\n",
            r":3: environment 'a': /no/such/place does not exist",
        ),
        ("environments:\n  - name: a\n    repo: NOTGIT\n", r":3: environment 'a': no git repository at"),
        (
            "environments:\n  - name: a\n    repo: !!python/object/apply:os.system [echo]\n",
            r":3: 'repo' of environment 'a' must be a non-empty string",
        ),
        ("", r": empty workspace file; it needs 'environments'"),
    ],
)
def test_malformed_files_are_one_clear_error(repos, tmp_path, capsys, text, message):
    shared, _ = repos
    notgit = tmp_path / "notgit"
    notgit.mkdir(exist_ok=True)
    config = write(tmp_path, text.replace("REPO", str(shared.path)).replace("NOTGIT", str(notgit)))
    state = repo_state(shared.path)
    for argv in (
        ("config", "check"),
        ("env", "list"),
        ("release", "rollback", "--env", "a", "--app", "api", "--to", "abcdef0", "--yes"),
    ):
        code, out, err = run_cli(capsys, *argv, "--config", config)
        assert code == 1 and out == "" and err.count("\n") == 1
        assert err.startswith(f"error: {config}") and __import__("re").search(message, err), err
    assert repo_state(shared.path) == state


def test_protected_and_read_only_envs_in_the_cli(repos, tmp_path, capsys):
    shared, per_env = repos
    target = git(shared.path, "rev-parse", "HEAD").strip()
    shared.deploy("production", "api")
    config = write(
        tmp_path,
        f"""
        environments:
          - {{name: production, repo: {shared.path}, protected: true}}
          - {{name: edge, repo: {per_env["edge"].path}, readOnly: true}}
    """,
    )
    state = repo_state(shared.path)
    args = ("release", "rollback", "--config", config, "--env", "production", "--app", "api", "--to", target, "--yes")
    code, _, err = run_cli(capsys, *args)
    assert (code, err) == (1, "error: production is protected: add --confirm-env production to --yes\n")
    code, _, err = run_cli(capsys, *args, "--confirm-env", "staging")
    assert code == 1 and repo_state(shared.path) == state
    assert run_cli(capsys, *args, "--confirm-env", "production")[0] == 0
    assert git(shared.path, "rev-parse", "HEAD:production/api") == git(
        shared.path, "rev-parse", f"{target}:production/api"
    )
    edge_target = git(per_env["edge"].path, "rev-parse", "HEAD~1").strip()
    code, _, err = run_cli(
        capsys, "release", "rollback", "--config", config, "--env", "edge", "--app", "web", "--to", edge_target, "--yes"
    )
    assert (code, err) == (1, "error: edge is read-only in the workspace file: rollback is off there\n")


def test_repo_and_config_together_is_a_usage_error(repos, tmp_path):
    shared, _ = repos
    config = write(tmp_path, f"environments:\n  - name: a\n    repo: {shared.path}\n")
    with pytest.raises(SystemExit) as exit_:
        main(["env", "list", "--config", config, "--repo", str(shared.path)])
    assert exit_.value.code == 2


async def test_protected_env_needs_the_typed_name_in_the_tui(repos, tmp_path):
    shared, per_env = repos
    shared.deploy("production", "api")
    config = write(
        tmp_path,
        f"environments:\n  - {{name: production, repo: {shared.path}, protected: true}}\n  - {{name: edge, repo: {per_env['edge'].path}, readOnly: true}}\n",
    )
    state = repo_state(shared.path)
    app = make_app(None, workspace=load_workspace(config))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        timeline(app).focus()
        await pilot.press("j", "r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback) and app.focused.id == "confirm-name"
        await pilot.press("y", "enter")  # "y" is typed into the name field, and is not the name
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback) and repo_state(shared.path) == state
        await pilot.press("backspace", *"production", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmRollback)
        assert "Rollback-To" in git(shared.path, "log", "-1", "--format=%B")
        await pilot.press("e", "down")  # edge: read-only
        await settle(pilot)
        screen = main_screen(app)
        assert screen.env == "edge" and screen.check_action("rollback", ()) is False
        assert not screen.query_one("#rollback").display
        await pilot.press("e", "up")  # production again: rollback is on, and the button is back
        await settle(pilot)
        assert screen.env == "production" and screen.check_action("rollback", ()) is not False
        assert screen.query_one("#rollback").display
