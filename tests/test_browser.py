"""The served dashboard in a real Chromium (Debian's chromium + chromium-driver, driven by selenium).

One server and one browser for the module (start-up is the slow part). The app is drawn on a
canvas, so the tests look at pixels, press keys in the terminal as a person would, and ask git
what a rollback did.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from browser import changed, colours, missing, press, settled, start_chromium, until_changed
from gimlet_tui.gitops import Layout
from gimlet_tui.gitops.locks import JOURNAL
from helpers import Builder, git
from served import serving
from test_serve import listening_addresses, reverts

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


def isolated_env(home: Path) -> dict[str, str]:
    """The server's environment: its own home, git config and XDG folders (module fixtures run outside
    the per-test isolation of conftest)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "XDG_", "GIMLET_TUI_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
    )
    return env


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("dashboard")
    builder = Builder(root / "acme-gitops", Layout.SHARED)
    builder.commit({"README.md": "# gitops\n"}, "Initial commit")
    for _ in range(3):
        builder.deploy("staging", "api")
    git(builder.path, "config", "user.name", "Browser User")
    git(builder.path, "config", "user.email", "browser@acme.dev")
    args = ["--repo", str(builder.path), "--port", "0", "--env", "staging", "--app", "api"]
    with serving(args, env=isolated_env(root / "home")) as served:
        yield SimpleNamespace(served=served, repo=builder.path)


NOTE_COPIES = """
window.opened = [];
window.open = (url, target) => { window.opened.push([url, target]); return null; };
window.copied = [];
if (navigator.clipboard) {
  const write = navigator.clipboard.writeText.bind(navigator.clipboard);
  navigator.clipboard.writeText = (text) => { window.copied.push(text); return write(text); };
}
"""


def copied(page, count: int) -> list[str]:
    """What the page wrote to the clipboard, once it has written `count` times."""
    deadline = time.monotonic() + 30
    while len(texts := page.execute_script("return window.copied")) < count:
        assert time.monotonic() < deadline, f"only {texts} copied"
        time.sleep(0.1)
    return texts


def clipboard(page) -> str:
    return page.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, (error) => done('error: ' + error));"
    )


@pytest.fixture(scope="module")
def page(dashboard: SimpleNamespace) -> Iterator[object]:
    """Chromium with a 1280x800 window, on the URL the server printed, once the app has drawn."""
    driver = start_chromium(1280, 800)
    try:
        # Clipboard writes allowed as a person's click on "Allow" would; each one also noted for the test.
        driver.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": dashboard.served.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NOTE_COPIES})
        driver.get(dashboard.served.url)
        deadline = time.monotonic() + 60
        while "-first-byte" not in driver.execute_script("return document.body.className"):
            assert time.monotonic() < deadline, "the app never drew"
            time.sleep(0.2)
        while "xterm-helper-textarea" not in driver.execute_script("return document.activeElement.className"):
            assert time.monotonic() < deadline, "the terminal never got the focus"
            time.sleep(0.2)
        yield driver
    finally:
        driver.quit()


def test_the_page_opens_from_the_printed_url_and_is_titled_with_the_repository(page, dashboard):
    assert page.current_url == dashboard.served.base + "/"  # the token is no longer in the address bar
    assert page.title == "gimlet-tui · acme-gitops"
    assert dashboard.served.url.startswith("http://127.0.0.1:")
    assert listening_addresses(dashboard.served.port) == {"127.0.0.1"}  # the default bind is loopback


def test_the_app_has_the_keyboard_without_a_click_first(page):
    """The page focused the terminal (see the fixture) and the app knows: focusing again changes nothing."""
    before = settled(page, quiet=2.0)  # the app has finished starting (a loaded machine pauses it)
    page.execute_script("const input = document.activeElement; input.blur(); input.focus();")
    assert changed(page, before, settled(page, quiet=2.0)) == 0


def test_the_app_draws_a_screen_not_a_blank_page(page):
    count, top = colours(page, settled(page))
    assert count >= 8, f"only {count} colours"  # text, borders, highlights, state colours
    assert top < 0.95, f"one colour covers {top:.0%} of the page"


def test_the_app_fits_a_1280x800_window_without_scrolling(page):
    sizes = page.execute_script(
        "const screen = document.querySelector('.xterm-screen').getBoundingClientRect();"
        "const root = document.documentElement;"
        "return [window.innerWidth, window.innerHeight, root.scrollWidth, root.scrollHeight, screen.right, screen.bottom];"
    )
    width, height, scroll_width, scroll_height, right, bottom = sizes
    assert page.get_window_size() == {"width": 1280, "height": 800}
    assert (scroll_width, scroll_height) == (width, height)  # nothing to scroll
    assert right <= width and bottom <= height  # the whole terminal, footer included, is in view


def test_c_and_C_copy_into_the_browsers_clipboard_and_o_opens_the_commit_in_a_new_tab(page, dashboard):
    previous = git(dashboard.repo, "rev-parse", "HEAD~1").strip()  # the release before CURRENT
    assert page.execute_script("return window.isSecureContext")  # http://127.0.0.1 (or localhost) allows it
    press(page, "j", "c")
    assert copied(page, 1) == [previous]
    assert clipboard(page) == previous
    press(page, "C")
    command = copied(page, 2)[1]
    assert command.startswith("gimlet-tui release rollback ") and f"--to {previous}" in command
    assert clipboard(page) == command
    press(page, "o")
    deadline = time.monotonic() + 30
    while not (opened := page.execute_script("return window.opened")):
        assert time.monotonic() < deadline, "o opened nothing"
        time.sleep(0.1)
    version_sha = json.loads(git(dashboard.repo, "show", "HEAD~1:staging/api/release.json"))["version"]["sha"]
    assert opened == [[f"https://github.com/acme/app/commit/{version_sha}", "_blank"]]
    press(page, "k")  # back on CURRENT, where the page opened


def test_j_r_y_pressed_in_the_browser_rolls_back(page, dashboard):
    assert reverts(dashboard.repo) == []
    press(page, "j")
    before = settled(page)
    press(page, "r")
    until_changed(page, before, 0.2)  # the confirmation modal covers the screen
    press(page, "y")
    deadline = time.monotonic() + 60
    while not reverts(dashboard.repo):
        assert time.monotonic() < deadline, "no revert commit after y"
        time.sleep(0.2)
    assert reverts(dashboard.repo) == ['Revert "[Gimlet] staging/api automated deploy"']
    # The branch moves first; the index and the files follow under the index lock and the journal.
    git_dir = dashboard.repo / ".git"
    while (git_dir / "index.lock").exists() or (git_dir / JOURNAL).exists():
        assert time.monotonic() < deadline, "the rollback did not finish writing the work tree"
        time.sleep(0.1)
    assert git(dashboard.repo, "status", "--porcelain") == ""
    after = settled(page)
    assert changed(page, before, after) > 0.001  # the screen shows the result


def test_without_the_token_the_browser_gets_neither_the_page_nor_the_websocket(page, dashboard):
    base = dashboard.served.base
    page.delete_all_cookies()
    page.get(base + "/")
    assert "missing or wrong token" in page.find_element("tag name", "body").text
    page.get(base + "/static/css/xterm.css")  # a page of the same origin, public
    outcome = page.execute_async_script(
        "const done = arguments[0];"
        f"const socket = new WebSocket('{base.replace('http://', 'ws://')}/ws?width=80&height=24');"
        "socket.onopen = () => done('open'); socket.onclose = () => done('refused');"
    )
    assert outcome == "refused"
