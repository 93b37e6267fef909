"""`gimlet-tui serve` for the tests: the real command in a subprocess, and browser tabs over its websocket.

A `Tab` is what a browser tab does: it loads the page with the token (keeping the cookie), opens
the websocket, sends key presses as the page's JavaScript does (`["stdin", "j"]`), and reads the
screen: the bytes the app writes are decoded into a grid of characters, as xterm.js would draw them.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp

START_TIMEOUT = 60  # the shared machine can be slow; a healthy start takes about a second


def children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running, and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until_gone(pids: list[int], seconds: float) -> list[int]:
    """The pids still alive after up to `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


class Served:
    """`gimlet-tui serve ARGS` running; `url` is the line it printed to open."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gimlet_tui", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=cwd,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._opened = threading.Event()
        threading.Thread(target=self._read, args=(self.process.stdout, self.out), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.err), daemon=True).start()
        if not self._opened.wait(START_TIMEOUT):
            self.process.kill()
            raise AssertionError(f"serve printed no URL: {self.output}")
        self.url = next(line.split()[1] for line in self.out if line.startswith("Open "))
        self.base = self.url.split("/?")[0].rstrip("/")
        self.port = int(self.base.rsplit(":", 1)[1])

    def _read(self, stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))
            if line.startswith("Open "):
                self._opened.set()
        self._opened.set()  # the server ended before printing a URL

    @property
    def output(self) -> str:
        return "\n".join(self.out + self.err)

    def wait_for_output(self, text: str, seconds: float = 30) -> str:
        """The first line of stdout or stderr holding `text` (the two streams are read apart)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = next((line for line in self.out + self.err if text in line), None)
            if found is not None:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never printed: {self.output}")

    def app_pids(self) -> list[int]:
        return [p for p in children_of(self.process.pid) if alive(p)]

    def stop(self, signum: int = signal.SIGTERM, seconds: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(seconds)


@contextlib.contextmanager
def serving(args: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Iterator[Served]:
    """The server for the block; afterwards it is stopped and nothing it started is left running."""
    served = Served(args, env, cwd)
    started: set[int] = set()
    try:
        yield served
    finally:
        started.update(served.app_pids())
        if served.process.poll() is None:
            served.stop(signal.SIGTERM)
        for pid in wait_until_gone(sorted(started), 10):
            os.kill(pid, signal.SIGKILL)


class Screen:
    """The terminal a tab shows, decoded from what the app writes (cursor moves, text, styles ignored)."""

    CONTROL = re.compile(r"\x1b\[([0-9;?$]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.|[\r\n]")

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [[" "] * width for _ in range(height)]
        self.x = self.y = 0
        self._pending = ""

    def feed(self, data: str) -> None:
        data = self._pending + data
        cut = data.rfind("\x1b")
        if cut != -1 and not self.CONTROL.match(data, cut):
            data, self._pending = data[:cut], data[cut:]  # an escape sequence split between packets
        else:
            self._pending = ""
        position = 0
        for match in self.CONTROL.finditer(data):
            self._text(data[position : match.start()])
            position = match.end()
            token = match.group(0)
            if match.group(2) == "H":
                row, _, column = (match.group(1) or "1;1").partition(";")
                self.y, self.x = int(row or 1) - 1, int(column or 1) - 1
            elif token == "\r":
                self.x = 0
            elif token == "\n":
                self.y = min(self.y + 1, self.height - 1)
        self._text(data[position:])

    def _text(self, text: str) -> None:
        for char in text:
            if 0 <= self.y < self.height and 0 <= self.x < self.width:
                self.rows[self.y][self.x] = char
            self.x += 1

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.rows)


class Tab:
    """One browser tab on the served dashboard, driven over its websocket."""

    def __init__(self, served: Served, width: int = 120, height: int = 36) -> None:
        self.served = served
        self.screen = Screen(width, height)
        self.width, self.height = width, height
        self.closed = asyncio.Event()
        self.messages: list[list[object]] = []  # text frames: open_url and the like
        self.last_output = time.monotonic()

    async def __aenter__(self) -> Tab:
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # cookies for 127.0.0.1
        async with self.session.get(self.served.url) as page:
            assert page.status == 200, await page.text()
        ws_url = self.served.base.replace("http://", "ws://") + f"/ws?width={self.width}&height={self.height}"
        self.socket = await self.session.ws_connect(ws_url, origin=self.served.base)
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.socket.close()
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader
        await self.session.close()

    async def _read(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen.feed(decoder.decode(message.data))
                self.last_output = time.monotonic()
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(message.json())
        self.closed.set()

    async def press(self, *keys: str) -> None:
        """Keys as xterm.js sends them: characters as they are, named keys as their escape sequences."""
        named = {"enter": "\r", "escape": "\x1b", "tab": "\t", "down": "\x1b[B", "up": "\x1b[A"}
        for key in keys:
            await self.socket.send_json(["stdin", named.get(key, key)])
            await asyncio.sleep(0.05)

    async def wait_for(self, text: str, seconds: float = 60, quiet: float = 0.4) -> str:
        """The screen, once it shows `text` and has been still for `quiet` seconds (read, then answer:
        the confirmation ignores keys typed before it showed); fails with the screen after `seconds`."""
        deadline = time.monotonic() + seconds
        while text not in self.screen.text() or time.monotonic() - self.last_output < quiet:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never showed; the screen:\n{self.screen.text()}")
            await asyncio.sleep(0.05)
        return self.screen.text()
