"""Repository content never crashes us: hostile release.json values, impossible dates, odd file names, huge files.

Each case is listed, rolled back across, shown in the TUI, and printed to a strict stdout, and the
rest of the history stays visible; git is the judge of what the repository holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gimlet_tui.cli import main
from gimlet_tui.gitops import GitopsRepo, read_history, release_json
from gimlet_tui.tui.widgets.selectors import AppList
from helpers import column, git, main_screen, make_app, row_keys, settle, timeline, version

HOSTILE_RELEASES = {
    "lone surrogate": (b'"message":"\\ud800 fixed","sha":"abcdef12"', "a lone surrogate"),
    "1e999": (b'"created":1e999,"sha":"abcdef12"', "version.created is not a number that can be read (1e999)"),
    "NaN": (b'"created":NaN,"sha":"abcdef12"', "version.created is not a number that can be read (NaN)"),
    "Infinity": (b'"created":-Infinity,"sha":"abcdef12"', "not a number that can be read (-Infinity)"),
    "5,000 digits": (b'"created":' + b"9" * 5000 + b',"sha":"abcdef12"', "a number of 5,000 characters"),
    "year 10000": (b'"created":253402300800,"sha":"abcdef12"', "not a time that can be shown (253402300800 seconds)"),
}


def hostile_release(fields: bytes) -> bytes:
    return b'{"app":"api","env":"staging","artifactId":"x","version":{' + fields + b'},"gitopsRef":""}\n'


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The CLI as a real process (bytes out, so a stray byte would show)."""
    return subprocess.run(
        [sys.executable, "-m", "gimlet_tui", *argv], capture_output=True, env={**os.environ, **(env or {})}, check=False
    )


@pytest.fixture(params=sorted(HOSTILE_RELEASES))
def hostile(request, make_repo):
    fields, problem = HOSTILE_RELEASES[request.param]
    b = make_repo()
    b.target = b.deploy("staging", "api")
    b.bad = b.writer.deploy(
        "staging", "api", {"d.yaml": "x: 1\n"}, version(9), b.tick(), release=hostile_release(fields)
    )
    b.newest = b.deploy("staging", "api")
    b.deploy("staging", "web")
    b.problem = problem
    return b


def test_a_hostile_release_is_a_problem_note_and_the_rest_is_listed(hostile, capsys):
    repo = str(hostile.path)
    assert main(["release", "list", "--repo", repo, "--env", "staging", "--app", "api"]) == 0
    out = capsys.readouterr().out
    assert out.count("staging/api ") == 3 and hostile.problem in out
    assert main(["release", "list", "--repo", repo, "--env", "staging", "--app", "api", "-o", "json"]) == 0
    released = json.loads(capsys.readouterr().out)
    assert [r["gitopsRef"] for r in released] == [hostile.newest, hostile.bad, hostile.target]
    assert hostile.problem in released[1]["problem"]
    assert main(["app", "list", "--repo", repo, "--env", "staging"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["api", "web"]


def test_rolling_back_across_and_to_a_hostile_release(hostile, capsys):
    repo = str(hostile.path)
    assert (
        main(["release", "rollback", "--repo", repo, "--env", "staging", "--app", "api", "--to", hostile.bad, "--yes"])
        == 0
    )
    assert git(repo, "rev-parse", "HEAD:staging/api") == git(repo, "rev-parse", f"{hostile.bad}:staging/api")
    argv = ["release", "rollback", "--repo", repo, "--env", "staging", "--app", "api", "--to", hostile.target, "--yes"]
    assert main(argv) == 0
    assert git(repo, "rev-parse", "HEAD:staging/api") == git(repo, "rev-parse", f"{hostile.target}:staging/api")
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_a_hostile_release_on_a_strict_stdout(hostile, encoding):
    listed = cli("release", "list", "--repo", str(hostile.path), "--env", "staging", "--app", "api",
                 env={"PYTHONIOENCODING": f"{encoding}:strict"})  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count(b"staging/api ") == 3 and b"\x1b" not in listed.stdout


async def test_the_tui_keeps_the_app_list_and_the_history(hostile):
    app = make_app(hostile.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        apps = main_screen(app).query_one(AppList)
        assert [apps.get_option_at_index(i).id for i in range(apps.option_count)] == ["api", "web"]
        assert row_keys(app) == [hostile.newest, hostile.bad, hostile.target]
        assert column(app, "release")[1].endswith("⚠")


def literal_commit(path: Path, seconds: str, message: str) -> str:
    """A commit on top of HEAD with the app changed, dated `seconds` (any text), made as git allows it."""
    (path / "staging/api/deployment.yaml").write_text(f"image: acme/api:{seconds[:8]}\n")
    git(path, "add", "-A")
    tree = git(path, "write-tree").strip()
    parent = git(path, "rev-parse", "HEAD").strip()
    raw = f"tree {tree}\nparent {parent}\nauthor A <a@b> {seconds} +0000\ncommitter A <a@b> {seconds} +0000\n\n{message}\n"
    made = subprocess.run(
        ["git", "-C", str(path), "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
        input=raw.encode(),
        capture_output=True,
        check=True,
    )
    sha = made.stdout.decode().strip()
    git(path, "update-ref", "refs/heads/main", sha)
    git(path, "reset", "-q", "--hard")
    return sha


@pytest.mark.parametrize("seconds", ["253402300800", "-99999999999", "9223372036854775807"])
def test_impossible_commit_dates(make_repo, capsys, seconds):
    b = make_repo()
    target = b.deploy("staging", "api")
    odd = literal_commit(b.path, seconds, "[Gimlet] staging/api automated deploy")
    newest = b.deploy("staging", "api")
    repo = str(b.path)
    assert main(["release", "list", "--repo", repo, "--env", "staging", "--app", "api", "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert odd[:10] in out and newest[:10] in out and target[:10] in out
    assert main(["app", "list", "--repo", repo, "--env", "staging"]) == 0
    argv = ["release", "rollback", "--repo", repo, "--env", "staging", "--app", "api", "--to", target, "--yes"]
    assert main(argv) == 0, capsys.readouterr().err
    assert git(repo, "rev-parse", "HEAD:staging/api") == git(repo, "rev-parse", f"{target}:staging/api")


def test_a_date_git_itself_calls_an_overflow_is_one_line(make_repo, capsys):
    """libgit2 cannot parse such a commit at all (git fsck: badDateOverflow): one line, not a traceback."""
    b = make_repo()
    b.deploy("staging", "api")
    literal_commit(b.path, "99999999999999999999999", "[Gimlet] staging/api automated deploy")
    (b.path / "staging/api/deployment.yaml").write_text("newest\n")
    git(b.path, "commit", "-q", "-am", "[Gimlet] staging/api automated deploy")
    code = main(["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "invalid Unix timestamp" in err and "Traceback" not in err


async def test_impossible_commit_date_in_the_tui(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    odd = literal_commit(b.path, "253402300800", "[Gimlet] staging/api automated deploy")
    b.deploy("staging", "api")
    app = make_app(b.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(row_keys(app)) == 3
        await pilot.press("j")
        await settle(pilot)
        assert timeline(app).selected.sha == odd
        assert "an impossible date" in str(main_screen(app).query_one("#detail-text").render())


def name_with_csi(b) -> tuple[str, bytes]:
    """A release whose app folder holds a file named with the byte 0x9b (an 8-bit CSI), made with git."""
    raw = bytes(b.path) + b"/staging/api/caf\x9b[2J.yaml"
    with open(raw, "wb") as handle:
        handle.write(b"x: 1\n")
    git(b.path, "add", "-A")
    git(b.path, "commit", "-q", "-m", "[Gimlet] staging/api automated deploy")
    return git(b.path, "rev-parse", "HEAD").strip(), raw


@pytest.mark.parametrize("encoding", ["utf-8:strict", "ascii:strict", "latin-1:strict"])
def test_a_file_name_with_byte_0x9b_is_escaped(make_repo, encoding):
    b = make_repo()
    target = b.deploy("staging", "api")
    name_with_csi(b)
    planned = cli("release", "rollback", "--repo", str(b.path), "--env", "staging", "--app", "api", "--to", target,
                  "--dry-run", env={"PYTHONIOENCODING": encoding})  # fmt: skip
    assert planned.returncode == 0, planned.stderr
    assert b"\x9b" not in planned.stdout and b"\xc2\x9b" not in planned.stdout
    assert b"D staging/api/caf\\x9b[2J.yaml" in planned.stdout


def test_manifest_size_is_checked_before_reading(make_repo):
    b = make_repo()
    b.deploy("staging", "api")
    huge = b.path / "staging/api/huge.yaml"
    with open(huge, "wb") as handle:
        for _ in range(200):
            handle.write(b"# " + b"x" * (1024 * 1024 - 3) + b"\n")  # 200 MB that compress to almost nothing
    git(b.path, "add", "-A")
    git(b.path, "commit", "-q", "-m", "[Gimlet] staging/api automated deploy")
    huge.unlink()
    git(b.path, "commit", "-q", "-am", "[Gimlet] staging/api automated deploy")
    # The child's own peak: VmHWM belongs to the memory the child made at exec. ru_maxrss would also
    # carry the peak of the memory it was spawned from (Linux keeps the larger across exec), which is
    # this pytest process's, large after the TUI tests.
    program = (
        "import sys\n"
        "from gimlet_tui.gitops import GitopsRepo, read_history\n"
        "entries = read_history(GitopsRepo.open(sys.argv[1]), 'staging', 'api')\n"
        "print(entries[1].deployed.problem)\n"
        "peak = next(line for line in open('/proc/self/status') if line.startswith('VmHWM:'))\n"
        "print(int(peak.split()[1]) // 1024)\n"
    )
    measured = subprocess.run([sys.executable, "-c", program, str(b.path)], capture_output=True, text=True, check=True)
    problem, peak_mb = measured.stdout.splitlines()
    assert problem == "huge.yaml: larger than 4 MB, not read"
    assert int(peak_mb) < 150  # reading the blob to learn its size would take 200 MB more


def test_entries_keep_their_order_when_the_cache_answers(hostile):
    first = read_history(GitopsRepo.open(str(hostile.path)), "staging", "api")
    again = read_history(GitopsRepo.open(str(hostile.path)), "staging", "api")
    assert first == again and first[1].release.problem.startswith("release.json: ")


async def test_a_file_name_with_byte_0x9b_in_the_confirmation(make_repo):
    from gimlet_tui.tui.screens.confirm import ConfirmRollback

    b = make_repo()
    target = b.deploy("staging", "api")
    name_with_csi(b)
    app = make_app(b.path, options={"start_env": "staging", "start_app": "api"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        timeline(app).focus()
        await pilot.press("j", "r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmRollback) and app.screen.plan.target.sha == target
        shown = app.export_screenshot()
        assert "caf\\x9b[2J.yaml" in shown and "\x9b" not in shown and "\udc9b" not in shown


# Text a release.json's strings may hold: escapes of every kind, surrogate halves, pairs, backslashes.
json_text = st.lists(
    st.sampled_from(["a", "é", "😀", "\\\\", '\\"', "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\uDFFF", "\\uD7FF"]),
    max_size=6,
).map("".join)
json_number = st.sampled_from(["0", "-1", "1.5", "1e3", "1e999", "NaN", "-Infinity", "9" * 40, "1699999999"])


@given(
    strings=st.lists(json_text, min_size=1, max_size=4),
    numbers=st.lists(json_number, max_size=3),
    depth=st.integers(0, 40),  # lists around each string: from none to past the bracket bound
)
def test_release_json_read_without_the_second_pass_is_what_the_second_pass_gives(strings, numbers, depth):
    """Most files skip the pass that replaces unusable values; the result is the same as with it."""
    nested = [f'"k{i}{text}":' + "[" * depth + f'"{text}"' + "]" * depth for i, text in enumerate(strings)]
    fields = nested + [f'"n{i}":{n}' for i, n in enumerate(numbers)]
    data = ("{" + ",".join(fields) + ',"version":{"message":"' + strings[0] + '"}}').encode()
    problems: list[str] = []
    full = release_json._clean(
        json.loads(
            data,
            parse_int=release_json._number,
            parse_float=release_json._number,
            parse_constant=release_json._Unreadable,
        ),
        "",
        problems,
    )
    assert release_json.parse_release(data).document == full
    assert release_json.parse_release(data).problem == release_json._problem_note(problems)


@pytest.mark.parametrize(
    "deep", [b"[" * 600 + b"]" * 600, b'{"a":' * 600 + b"1" + b"}" * 600], ids=["lists", "objects"]
)
def test_a_release_nested_600_deep_is_a_problem_note_in_every_output(make_repo, capsys, deep):
    """Nesting that every reader of the document would fail on (YAML's writer first) is caught when it is read."""
    b = make_repo()
    b.deploy("staging", "api")
    fields = b'"message":' + deep + b',"sha":"abcdef12"'
    b.writer.deploy("staging", "api", {"d.yaml": "x: 1\n"}, version(9), b.tick(), release=hostile_release(fields))
    b.deploy("staging", "api")
    argv = ["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api"]
    for output, entry in (("text", "staging/api repo"), ("json", '"gitopsRef"'), ("yaml", "gitopsRef: ")):
        assert main([*argv, "-o", output]) == 0, output
        out = capsys.readouterr().out
        assert out.count(entry) == 3 and "nested too deeply" in out, output
