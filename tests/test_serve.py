"""`gimlet-tui serve`: the real command serving real repositories, checked over HTTP and websockets.

Each tab here is what a browser tab does (the page with the token, then the websocket, keys as
the page sends them); the screen is read from what the app writes, and git is the judge of every
rollback. The browser itself is in test_browser.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from textual_serve.download_manager import DownloadManager

from gimlet_tui.gitops import BadInput
from gimlet_tui.serve import server as dashboard_server
from gimlet_tui.serve import sessions
from gimlet_tui.serve.launch import TOKEN_VARIABLE, TabOptions, choose_token, page_title, tab_command, url_to_open
from helpers import git
from served import Served, Tab, alive, serving, wait_until_gone
from servers import git_daemon

TOKEN = "a-token-of-24-characters"


@pytest.fixture
def repo(make_repo) -> Path:
    """staging/api with three releases (the third CURRENT), production/api with two; git knows who commits."""
    builder = make_repo()
    for _ in range(3):
        builder.deploy("staging", "api")
    for _ in range(2):
        builder.deploy("production", "api")
    git(builder.path, "config", "user.name", "Dashboard User")
    git(builder.path, "config", "user.email", "dash@acme.dev")
    return builder.path


def reverts(path: Path) -> list[str]:
    """Subjects of the revert commits on the branch, newest first (git is the judge)."""
    return [s for s in git(path, "log", "--format=%s").splitlines() if s.startswith("Revert ")]


# -- what a tab runs, the token, the URL ----------------------------------------------------------


def test_a_tab_runs_the_app_with_the_servers_options_and_no_secret_on_its_command_line(tmp_path):
    argv, env = tab_command(
        TabOptions(
            repo="https://deployer:s3cret-pass@git.acme.dev/acme/gitops.git",
            branch="release",
            timeout=7.5,
            ssh_key="~/keys/id",
            passphrase="open sesame",
            env="staging",
            app="api",
            read_only=True,
        ),
        python="/usr/bin/python3",
    )
    assert argv == [
        "/usr/bin/python3",
        "-m",
        "gimlet_tui",
        "--repo=https://deployer@git.acme.dev/acme/gitops.git",
        "--branch=release",
        "--timeout=7.5",
        f"--ssh-key={os.path.expanduser('~/keys/id')}",
        "--env=staging",
        "--app=api",
        "--read-only",
    ]
    assert not any("s3cret" in arg or "sesame" in arg for arg in argv)
    assert env == {
        TOKEN_VARIABLE: None,
        "GIMLET_TUI_GIT_TOKEN": "s3cret-pass",
        "GIMLET_TUI_SSH_PASSPHRASE": "open sesame",
    }
    local, _ = tab_command(TabOptions(repo="rel/path", env="-x"))
    assert local[3:] == [f"--repo={tmp_path.cwd() / 'rel/path'}", "--env=-x"]  # a value is never read as a flag


def test_the_token_is_required_off_loopback_and_made_up_on_it():
    token, warning = choose_token("127.0.0.1", None, False)
    assert token is not None and len(token) >= 24 and warning is None
    assert choose_token("127.0.0.1", None, False)[0] != token  # a new one each time
    assert choose_token("::1", TOKEN, False) == (TOKEN, None)
    with pytest.raises(BadInput, match=r"--host 0\.0\.0\.0 can be reached from other machines: give --token"):
        choose_token("0.0.0.0", None, False)
    with pytest.raises(BadInput, match="16 or more"):
        choose_token("0.0.0.0", "short", False)
    with pytest.raises(BadInput, match="not both"):
        choose_token("0.0.0.0", TOKEN, True)
    token, warning = choose_token("0.0.0.0", None, True)
    assert token is None and warning is not None and "anyone who can reach 0.0.0.0" in warning


def test_the_url_to_open_names_this_machine_and_carries_the_token():
    assert url_to_open("127.0.0.1", 8000, "abc") == "http://127.0.0.1:8000/?token=abc"
    assert url_to_open("::1", 8001, None) == "http://[::1]:8001/"
    assert url_to_open("0.0.0.0", 80, "a b") == f"http://{socket.gethostname()}:80/?token=a+b"
    assert (
        page_title(["acme/gitops", "acme/gitops", "staging"], True) == "gimlet-tui · acme/gitops, staging (read-only)"
    )


# -- refused before anything is served ------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "gimlet_tui", *args], capture_output=True, text=True, env=env, timeout=120
    )
    return result.returncode, result.stdout, result.stderr


def test_serving_beyond_loopback_without_a_token_is_refused_with_one_line(repo):
    code, out, err = run_cli("serve", "--repo", str(repo), "--host", "0.0.0.0", "--port", "0")
    assert code == 1 and out == ""
    assert err == (
        "error: --host 0.0.0.0 can be reached from other machines: give --token (or set GIMLET_TUI_SERVE_TOKEN), "
        "or --no-token to serve without one\n"
    )


def test_an_unknown_env_or_app_is_refused_before_serving(repo):
    code, _, err = run_cli("serve", "--repo", str(repo), "--port", "0", "--env", "prod")
    assert code == 1 and err.startswith("error: unknown env 'prod'") and err.count("\n") == 1
    code, _, err = run_cli("serve", "--repo", str(repo), "--port", "0", "--env", "staging", "--app", "apj")
    assert code == 1 and err == "error: unknown app 'apj' in staging (did you mean api?); apps there: api\n"


def test_a_taken_port_is_one_line(repo):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run_cli("serve", "--repo", str(repo), "--port", str(port))
    assert code == 1
    assert err.startswith(f"error: cannot listen on 127.0.0.1 port {port}: ") and err.endswith(
        "choose another --port\n"
    )


# -- the token, the bind address ---------------------------------------------------------------------


def listening_addresses(port: int) -> set[str]:
    """Local addresses of sockets listening on `port`, from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(
                    socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]) if len(address) == 8 else address
                )
    return found


async def test_the_token_guards_the_page_and_the_websocket_and_the_default_bind_is_loopback(repo):
    with serving(["--repo", str(repo), "--port", "0"]) as served:
        assert served.url.startswith("http://127.0.0.1:") and "?token=" in served.url
        assert listening_addresses(served.port) == {"127.0.0.1"}
        ws = served.base.replace("http://", "ws://") + "/ws?width=80&height=24"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            for url in (
                served.base + "/",
                served.base + "/?token=wrong-token-of-24-chars",
                served.base + "/download/x",
            ):
                async with browser.get(url) as response:
                    assert response.status == 403, url
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await browser.ws_connect(ws, origin=served.base)
            assert refused.value.status == 403
            async with browser.get(served.base + "/static/js/textual.js") as response:
                assert response.status == 200  # textual-serve's public code needs no token
            async with browser.get(served.url, allow_redirects=False) as response:
                assert response.status == 303  # the token leaves the address bar
                assert response.headers["Location"] == "/"
                assert response.cookies[f"gimlet_tui_token_{served.port}"]["httponly"]
            async with browser.get(served.base + "/") as page:
                html = await page.text()
                assert page.status == 200 and page.headers["X-Frame-Options"] == "DENY"
                assert f"<title>gimlet-tui · {repo.name}</title>" in html and "googleapis" not in html
            with pytest.raises(aiohttp.WSServerHandshakeError) as elsewhere:
                await browser.ws_connect(ws, origin="http://evil.example")
            assert elsewhere.value.status == 403  # a page of another site cannot drive the app
            socket_ = await browser.ws_connect(ws, origin=served.base)
            assert not socket_.closed
            await socket_.close()
        served.stop(signal.SIGINT)
        served.wait_for_output("Stopped")
        assert sum("?token=" in line for line in served.out + served.err) == 1  # printed once, never logged


async def test_no_token_serves_with_a_warning_and_still_refuses_other_sites(repo):
    with serving(["--repo", str(repo), "--port", "0", "--no-token"]) as served:
        assert "?token" not in served.url
        assert served.wait_for_output("serving without a token").startswith("warning: ")
        async with aiohttp.ClientSession() as browser:
            async with browser.get(served.url) as page:
                assert page.status == 200
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await browser.ws_connect(served.base.replace("http", "ws") + "/ws", origin="http://evil.example")


# -- the app in a tab ----------------------------------------------------------------------------------


async def test_a_tab_is_its_own_process_with_no_secret_in_its_command_line_or_server_token_in_its_environment(
    tmp_path, repo
):
    odd = tmp_path / "gitops $(touch pwned) 'quoted' ;x"  # nothing here may reach a shell
    git(tmp_path, "clone", "-q", str(repo), str(odd))
    env = {**os.environ, TOKEN_VARIABLE: TOKEN, "GIMLET_TUI_SSH_PASSPHRASE": "kept-for-the-app"}
    with serving(
        ["--repo", str(odd), "--port", "0", "--env", "staging", "--timeout", "45"], env=env, cwd=str(tmp_path)
    ) as served:
        assert f"?token={TOKEN}" in served.url
        async with Tab(served) as tab:
            await tab.wait_for("CURRENT")
            (pid,) = served.app_pids()
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
            environ = dict(
                item.split(b"=", 1) for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0") if b"=" in item
            )
            assert argv[1:] == [b"-m", b"gimlet_tui", f"--repo={odd}".encode(), b"--timeout=45", b"--env=staging"]
            assert TOKEN_VARIABLE.encode() not in environ and TOKEN.encode() not in b"".join(argv)
            assert environ[b"GIMLET_TUI_SSH_PASSPHRASE"] == b"kept-for-the-app"
            assert os.getpgid(pid) == pid  # its own process group
    assert not (tmp_path / "pwned").exists()


async def test_quitting_the_app_ends_the_tabs_session(repo):
    with serving(["--repo", str(repo), "--port", "0"]) as served:
        async with Tab(served) as tab:
            await tab.wait_for("CURRENT")
            (pid,) = served.app_pids()
            await tab.press("q")
            await asyncio.wait_for(tab.closed.wait(), 30)  # the page shows "Session ended"
            assert wait_until_gone([pid], 20) == []


async def test_two_tabs_rolling_back_at_once_one_wins_the_other_is_refused_and_replans_on_reload(repo):
    head = git(repo, "rev-parse", "HEAD").strip()
    with serving(["--repo", str(repo), "--port", "0", "--env", "staging", "--app", "api"]) as served:
        async with Tab(served) as first, Tab(served) as second:
            for tab in (first, second):
                await tab.wait_for("CURRENT")
                await tab.press("j", "r")
                await tab.wait_for("will be reverted")
            await first.press("y")
            await first.wait_for("Rolled back")
            assert reverts(repo) == ['Revert "[Gimlet] staging/api automated deploy"']
            await second.press("y")
            refused = await second.wait_for("the branch moved")
            assert "Not rolled back" in refused
            assert len(reverts(repo)) == 1  # nothing of the second tab's plan was written
            assert git(repo, "rev-parse", "HEAD~1").strip() == head
            await second.press("R")
            await second.wait_for("ROLLED BACK")
            await second.press("j", "r")  # on the reloaded history: from the new CURRENT one further back
            await second.wait_for("will be reverted")
            await second.press("y")
            await second.wait_for("Rolled back")
    assert len(reverts(repo)) == 2
    assert git(repo, "status", "--porcelain") == ""
    git(repo, "fsck", "--strict")
    assert "staging/api" in git(repo, "log", "-1", "--format=%s")


async def test_a_remote_repository_is_served_and_a_rollback_is_pushed_to_it(repo, tmp_path):
    base = tmp_path / "served"
    base.mkdir()
    bare = base / "gitops.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    (Path(os.environ["HOME"]) / ".gitconfig").write_text("[user]\n\tname = Remote User\n\temail = r@acme.dev\n")
    with git_daemon(base) as prefix:
        args = ["--repo", f"{prefix}/gitops.git", "--port", "0", "--env", "staging", "--app", "api"]
        with serving(args) as served:
            async with Tab(served) as tab:
                await tab.wait_for("CURRENT")
                await tab.press("j", "r")
                await tab.wait_for("Will push to git://")
                await tab.press("y")
                await tab.wait_for("Rolled back")
    assert reverts(bare) == ['Revert "[Gimlet] staging/api automated deploy"']
    assert git(bare, "log", "-1", "--format=%an").strip() == "Remote User"


async def test_a_protected_env_asks_for_its_name_in_the_browser_too(repo, tmp_path):
    config = tmp_path / "workspace.yaml"
    config.write_text(f"environments:\n  - name: production\n    repo: {repo}\n    protected: true\n")
    with serving(["--config", str(config), "--port", "0", "--env", "production", "--app", "api"]) as served:
        async with Tab(served) as tab:
            await tab.wait_for("CURRENT")
            await tab.press("j", "r")
            await tab.wait_for("type its name")
            await tab.press(*"prod", "enter")
            await tab.wait_for("Type production to roll back")
            assert reverts(repo) == []
            await tab.press(*"uction", "enter")
            await tab.wait_for("Rolled back")
    assert reverts(repo) == ['Revert "[Gimlet] production/api automated deploy"']


async def test_read_only_serves_no_way_to_roll_back(repo):
    with serving(["--repo", str(repo), "--port", "0", "--read-only", "--env", "staging", "--app", "api"]) as served:
        async with Tab(served) as tab:
            async with tab.session.get(served.base + "/") as page:
                assert "(read-only)</title>" in await page.text()
            screen = await tab.wait_for("CURRENT")
            assert "Rollback" not in screen.splitlines()[-1]  # not in the footer
            await tab.press("j", "r")
            screen = await tab.wait_for("Read-only: gimlet-tui was started")  # r says why
            assert "will be reverted" not in screen
            await tab.press("y")
            await tab.press("q")
            await asyncio.wait_for(tab.closed.wait(), 30)  # y, then q, were handled: no modal took them
    assert reverts(repo) == []


# -- stopping ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
async def test_ctrl_c_or_sigterm_stops_the_server_and_every_app_it_started(repo, signum):
    with serving(["--repo", str(repo), "--port", "0"]) as served:
        async with Tab(served) as first, Tab(served) as second:
            await first.wait_for("CURRENT")
            await second.wait_for("CURRENT")
            apps = served.app_pids()
            assert len(apps) == 2
            served.process.send_signal(signum)
            code = await asyncio.to_thread(served.process.wait, 30)
            assert code == 0
            assert wait_until_gone(apps, 5) == []  # ended by the server, not left to die later
            await asyncio.wait_for(first.closed.wait(), 10)
        assert served.wait_for_output("Stopped") == "Stopped: every tab's app has ended."


async def test_apps_quit_by_themselves_when_the_server_is_killed_outright(repo):
    served = Served(["--repo", str(repo), "--port", "0"])
    apps: list[int] = []
    try:
        async with Tab(served) as tab:
            await tab.wait_for("CURRENT")
            apps = served.app_pids()
            served.process.kill()  # SIGKILL: no clean-up runs in the server
            served.process.wait(10)
            assert wait_until_gone(apps, 30) == []
    finally:
        for pid in apps:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


async def test_an_app_that_will_not_quit_is_ended_with_everything_in_its_process_group(tmp_path, monkeypatch):
    monkeypatch.setattr(sessions, "QUIT_GRACE", 0.5)
    monkeypatch.setattr(sessions, "TERM_GRACE", 0.5)
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)"
    pid_file = tmp_path / "helper.pid"
    app = (
        "import subprocess, sys; "
        f"helper = subprocess.Popen([sys.executable, '-c', {stubborn!r}]); "
        f"open({str(pid_file)!r}, 'w').write(str(helper.pid)); "
        "print('__GANGLION__', flush=True); "
        f"exec({stubborn!r})"
    )

    async def nothing(*args: object) -> None:
        return None

    session = sessions.TabSession(
        [sys.executable, "-c", app],
        {},
        write_bytes=nothing,
        write_str=nothing,
        close=nothing,
        download_manager=DownloadManager(),
    )
    await session.start(80, 24)
    while not pid_file.exists() or not pid_file.read_text():
        await asyncio.sleep(0.05)
    helper = int(pid_file.read_text())
    await session.stop()
    assert session._process is not None and session._process.returncode == -signal.SIGKILL
    assert wait_until_gone([helper], 5) == []
    await session.stop()  # a second stop (the server's and the tab's) is harmless


async def test_a_tab_too_many_is_refused_rather_than_another_process_started(monkeypatch):
    monkeypatch.setattr(dashboard_server, "MAX_TABS", 0)
    dashboard = dashboard_server.Dashboard([sys.executable, "-c", "raise SystemExit(3)"], "t", token=TOKEN)
    server = dashboard_server.DashboardServer(dashboard, log=sys.stderr)
    async with TestClient(TestServer(await server._make_app())) as client:
        page = await client.get(f"/?token={TOKEN}")
        assert page.status == 200
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws")
        assert refused.value.status == 503
    assert server.sessions == set()


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://github.com/acme/api/commit/8662bbf4", True),
        ("HTTP://ci.acme.dev/build/1", True),
        ("javascript:fetch('/ws')", False),
        ("java\tscript:alert(1)", False),
        (" https://x.dev", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("https://x.dev/\nline", False),
    ],
)
async def test_only_web_urls_from_the_app_are_opened_in_the_browser(url, opened):
    sent: list[str] = []

    async def record(text: str) -> None:
        sent.append(text)

    async def nothing(*args: object) -> None:
        return None

    session = sessions.TabSession(
        ["true"], {}, write_bytes=nothing, write_str=record, close=nothing, download_manager=DownloadManager()
    )
    await session.on_meta(json.dumps({"type": "open_url", "url": url, "new_tab": True}).encode())
    assert sent == ([json.dumps(["open_url", {"url": url, "new_tab": True}])] if opened else [])
