"""The CLI's output: formats (text, json, yaml, wide), the patch in git's format, time windows, pipes, colour, prompts."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys

import pytest
import yaml

from gimlet_tui.cli.output import colour_wanted
from gimlet_tui.gitops import GitopsRepo, plan_rollback
from helpers import git, repo_state, run_cli


def cli(*args: str, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gimlet_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.shas = [b.deploy("staging", "api") for _ in range(4)]
    git(b.path, "revert", "--no-edit", b.shas[-1], env={"GIT_AUTHOR_NAME": "Rita Revert"})
    b.revert = git(b.path, "rev-parse", "HEAD").strip()
    b.deploy("staging", "web")
    return b


def listing(repo, *extra: str) -> tuple[str, ...]:
    return ("release", "list", "--repo", str(repo.path), "-e", "staging", "-a", "api", *extra)


def test_yaml_is_the_json_data(repo, capsys):
    as_json = json.loads(run_cli(capsys, *listing(repo, "-o", "json"))[1])
    as_yaml = yaml.safe_load(run_cli(capsys, *listing(repo, "-o", "yaml"))[1])
    assert as_yaml == as_json and len(as_json) == 4
    assert all(item["schemaVersion"] == 1 for item in as_json)
    newest = as_json[0]
    assert (newest["gitopsRef"], newest["rolledBack"], newest["rolledBackByCommit"]) == (
        repo.shas[3],
        True,
        repo.revert,
    )
    assert as_json[1]["current"] and as_json[1]["rolledBackByCommit"] is None
    assert newest["kind"] == "release" and newest["subject"] == "[Gimlet] staging/api automated deploy"


def test_env_and_app_lists_as_data(repo, capsys):
    envs = json.loads(run_cli(capsys, "env", "list", "--repo", str(repo.path), "-o", "json")[1])
    assert envs == [
        {
            "schemaVersion": 1,
            "name": "staging",
            "repo": str(repo.path),
            "branch": "main",
            "protected": False,
            "readOnly": False,
            "namedBy": None,  # a shared repository: its env folders name the envs
        }
    ]
    apps = yaml.safe_load(run_cli(capsys, "app", "list", "--repo", str(repo.path), "-e", "staging", "-o", "yaml")[1])
    assert [(a["name"], a["deleted"], a["versionSha"][:8]) for a in apps] == [
        ("api", False, "00000003"),
        ("web", False, "00000005"),
    ]
    assert all(a["schemaVersion"] == 1 and a["env"] == "staging" and isinstance(a["lastChanged"], int) for a in apps)


def test_wide_table_in_the_local_zone(repo):
    result = cli(*listing(repo, "-o", "wide"), env={"TZ": "Asia/Kolkata"})
    assert result.returncode == 0 and result.stderr == ""
    header, *rows = result.stdout.splitlines()
    assert header.split() == [
        "GITOPS",
        "SHA",
        "CREATED",
        "STATE",
        "VERSION",
        "AUTHOR",
        "IMAGES",
        "ROLLED",
        "BACK",
        "BY",
        "MESSAGE",
    ]
    assert len(rows) == 4
    when = git(
        repo.path,
        "log",
        "-1",
        "--format=%cd",
        "--date=format-local:%Y-%m-%d %H:%M:%S %z",
        repo.shas[3],
        env={"TZ": "Asia/Kolkata"},
    ).strip()  # git as the oracle of the local time and its zone
    assert when.endswith("+0530")
    assert rows[0].startswith(f"{repo.shas[3][:10]}  {when}  ROLLED BACK  00000004  Dev 4")
    assert re.search(rf"  Dev 4 +- +{repo.revert[:10]} Rita Revert  change 4$", rows[0])  # no images, who reverted
    assert " CURRENT " in rows[1] and re.search(r"  - +change 3$", rows[1])


MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      initContainers: [{name: migrate, image: "ghcr.io/acme/migrate:7"}]
      containers:
        - {name: api, image: "ghcr.io/acme/api:7"}
        - {name: proxy, image: "envoyproxy/envoy:v1.31"}
"""


def test_wide_table_lists_every_image(make_repo, capsys):
    b = make_repo()
    b.writer.deploy("staging", "api", {"deployment.yaml": MANIFEST}, {"sha": "7" * 40, "message": "seven"}, b.tick())
    code, out, _ = run_cli(capsys, "release", "list", "--repo", str(b.path), "-e", "staging", "-a", "api", "-o", "wide")
    row = out.splitlines()[1]
    images = json.loads(
        run_cli(capsys, "release", "list", "--repo", str(b.path), "-e", "staging", "-a", "api", "-o", "json")[1]
    )[0]["images"]
    assert sorted(images) == ["envoyproxy/envoy:v1.31", "ghcr.io/acme/api:7", "ghcr.io/acme/migrate:7"]
    assert f"  {','.join(images)}  " in row


def test_wide_table_shows_repository_text_literally(make_repo, capsys):
    b = make_repo()
    b.writer.deploy(
        "staging",
        "api",
        {"a.yaml": "a\n"},
        {"sha": "1234567890", "message": "\x1b[2Jboom", "authorName": "Eve\x07"},
        b.tick(),
    )
    code, out, _ = run_cli(capsys, "release", "list", "--repo", str(b.path), "-e", "staging", "-a", "api", "-o", "wide")
    assert code == 0 and "\\x1b[2Jboom" in out and "Eve\\x07" in out and "\x1b" not in out and "\x07" not in out


def test_since_and_until(repo, capsys):
    times = [int(git(repo.path, "log", "-1", "--format=%ct", sha)) for sha in repo.shas]
    since = subprocess.run(
        ["date", "-u", "-d", f"@{times[1]}", "+%Y-%m-%dT%H:%M:%SZ"], capture_output=True, text=True
    ).stdout.strip()
    until = subprocess.run(
        ["date", "-u", "-d", f"@{times[2]}", "+%Y-%m-%dT%H:%M:%S+00:00"], capture_output=True, text=True
    ).stdout.strip()
    code, out, _ = run_cli(capsys, *listing(repo, "-o", "json", "--since", since, "--until", until))
    assert code == 0 and [r["gitopsRef"] for r in json.loads(out)] == [repo.shas[2], repo.shas[1]]
    code, out, err = run_cli(capsys, *listing(repo, "--since", "1d"))  # the fixtures are from 2023: none this week
    assert (code, out, err) == (0, "", "")
    code, out, _ = run_cli(capsys, *listing(repo, "-o", "json", "--until", "1d"))
    assert code == 0 and len(json.loads(out)) == 4
    code, _, err = run_cli(
        capsys, "release", "list", "--repo", str(repo.path), "-e", "staging", "-a", "nope", "--since", "1d"
    )
    assert code == 1 and "staging/nope has no history" in err


def test_when_forms():
    from gimlet_tui.cli.when import parse_when

    now = 1_800_000_000
    assert parse_when("90s", now) == now - 90
    assert parse_when("1h30m", now) == now - 5400
    assert parse_when("2w", now) == now - 14 * 86400
    assert parse_when("2026-11-01T10:00:00Z") == 1_793_527_200
    assert parse_when("2026-11-01T10:00:00+01:00") == 1_793_523_600
    os.environ["TZ"] = "UTC"
    try:
        import time

        time.tzset()
        assert parse_when("2026-11-01") == 1_793_491_200
    finally:
        del os.environ["TZ"]
        time.tzset()
    for bad in ("7 days", "last week", "d7", "2026-13-01", ""):
        with pytest.raises(ValueError, match="cannot read"):
            parse_when(bad)


def test_dry_run_diff_is_the_exact_patch_git_applies(repo, capsys):
    state = repo_state(repo.path)
    args = ("release", "rollback", "--repo", str(repo.path), "-e", "staging", "-a", "api", "-t", repo.shas[0])
    code, out, _ = run_cli(capsys, *args, "--dry-run", "--diff")
    plan = plan_rollback(GitopsRepo.open(str(repo.path)), "staging", "api", repo.shas[0])
    assert code == 0 and plan.diff and plan.diff in out and out.startswith("Roll back staging/api")
    assert repo_state(repo.path) == state
    check = subprocess.run(["git", "-C", str(repo.path), "apply", "--check", "-"], input=out, text=True)
    assert check.returncode == 0  # the whole output: git skips the plan around the patch
    subprocess.run(["git", "-C", str(repo.path), "apply", "-"], input=out, text=True, check=True)
    app_paths = ("staging/api", "staging/flux/kustomization-api.yaml")
    assert git(repo.path, "diff", repo.shas[0], "--", *app_paths) == ""  # the work tree is now the target's
    git(repo.path, "checkout", "--", ".")
    code, out, _ = run_cli(capsys, *args, "--dry-run", "-o", "json")
    assert json.loads(out)["patch"] == plan.diff


def test_rollback_result_as_data(repo, capsys):
    args = ("release", "rollback", "--repo", str(repo.path), "-e", "staging", "-a", "api", "-y", "-o", "yaml")
    code, out, err = run_cli(capsys, *args, "--author", "Ops <ops@acme.dev>")
    assert (code, err) == (0, "")
    result = yaml.safe_load(out)
    head = git(repo.path, "rev-parse", "HEAD").strip()
    assert result["schemaVersion"] == 1 and result["dryRun"] is False and result["targetChosen"] == "previous"
    assert result["newHead"] == head and result["pushed"] is False and result["reason"] is None
    assert [c["sha"] for c in result["commits"]] == [head]
    assert result["commits"][0]["reverts"] == repo.shas[2] and result["target"]["gitopsRef"] == repo.shas[1]
    assert [f["path"] for f in result["files"]] == ["staging/api/deployment.yaml", "staging/api/release.json"]


def _closed_pipe(args: tuple[str, ...]) -> subprocess.CompletedProcess:
    """Run the CLI with a stdout pipe whose reader has already gone, as `| head` leaves it."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "gimlet_tui", *args], stdout=write, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
    finally:
        os.close(write)


@pytest.mark.parametrize("extra", [(), ("-o", "json"), ("-o", "wide"), ("-o", "yaml")])
def test_a_closed_pipe_ends_quietly(repo, extra):
    result = _closed_pipe(listing(repo, "-n", "0", *extra))
    assert (result.returncode, result.stderr) == (0, b"")


def test_a_closed_pipe_does_not_stop_a_confirmed_rollback(repo):
    result = _closed_pipe(("release", "rollback", "--repo", str(repo.path), "-e", "staging", "-a", "api", "-y"))
    assert (result.returncode, result.stderr) == (0, b"")
    assert git(repo.path, "rev-parse", "HEAD:staging/api") == git(repo.path, "rev-parse", f"{repo.shas[1]}:staging/api")


def test_head_in_a_shell_pipeline(repo):
    line = " ".join([sys.executable, "-m", "gimlet_tui", *listing(repo, "-n", "0")])
    result = subprocess.run(["bash", "-o", "pipefail", "-c", f"{line} | head -1"], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("staging/api repo1@")


class FakeStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    "mode, environ, tty, wanted",
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("always", {"NO_COLOR": "1", "TERM": "dumb"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, True),  # FORCE_COLOR before NO_COLOR
        ("auto", {"FORCE_COLOR": "", "NO_COLOR": "1"}, True, False),  # empty means not set
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"FORCE_COLOR": "1", "TERM": "dumb"}, False, True),
        ("auto", {"TERM": "dumb"}, True, False),
        ("auto", {"TERM": "xterm-256color"}, True, True),
    ],
)
def test_colour_precedence(mode, environ, tty, wanted):
    assert colour_wanted(FakeStream(tty), mode, environ) is wanted


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**env, "TERM": "xterm", **extra}


def test_colour_switches_in_a_real_process(repo):
    rolled_back = "\x1b[1;31m**ROLLED BACK**\x1b[0m"
    assert rolled_back in cli(*listing(repo), env=_clean_env(FORCE_COLOR="1")).stdout
    assert rolled_back in cli(*listing(repo, "--color", "always"), env=_clean_env(NO_COLOR="1")).stdout
    assert "\x1b" not in cli(*listing(repo), env=_clean_env()).stdout
    wide = cli(*listing(repo, "-o", "wide"), env=_clean_env(FORCE_COLOR="1")).stdout
    assert "\x1b[1;31mROLLED BACK" in wide and "\x1b[1;32mCURRENT" in wide


def _on_a_terminal(args: tuple[str, ...], answer: bytes, env: dict[str, str]) -> tuple[int, str, str, str]:
    """Stdin and the terminal are a pty; stdout and stderr are pipes. Returns status, terminal, stdout, stderr."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "gimlet_tui", *args],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(terminal)
    os.write(controller, answer)
    out, err = process.communicate(timeout=60)
    os.close(controller)
    return process.returncode, "", out.decode(), err.decode()


def test_the_prompt_is_on_stderr_and_the_data_on_stdout(repo):
    args = ("release", "rollback", "--repo", str(repo.path), "-e", "staging", "-a", "api", "-o", "json")
    code, _, out, err = _on_a_terminal(args, b"y\n", _clean_env())
    assert code == 0
    assert err.startswith("Roll back staging/api") and err.endswith(
        "Roll back? [y/N] "
    )  # the plan to read, then the question
    assert json.loads(out)["newHead"] == git(repo.path, "rev-parse", "HEAD").strip()
    code, _, out, err = _on_a_terminal(args[:-2], b"n\n", _clean_env())
    assert code == 1 and out.startswith("Roll back staging/api") and "Roll back? [y/N] " not in out
    assert err == "Roll back? [y/N] Not rolled back: nothing was changed.\n"
