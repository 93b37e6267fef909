"""Run a program in a pseudo-terminal and read its screen as a person would see it.

A minimal terminal emulator (cursor moves, erases, printable text; colours ignored) is enough to tell
when given text appears on a given row: the benchmark measures the TUI and a minimal Textual app this
way, from spawning the process (or sending a key) to the text being on screen.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
import unicodedata
from collections.abc import Callable

_CSI = re.compile(r"\x1b\[([0-9;?<>=!]*)([ -/]*)([@-~])")
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_DCS = re.compile(r"\x1b[P^_][^\x1b]*\x1b\\")
_ESC = re.compile(r"\x1b[()#][0-9A-Za-z]|\x1b[0-9A-Za-z=<>]")


class Screen:
    """The characters on a terminal of `rows` x `cols`, updated from what a program writes."""

    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.cells = [[" "] * cols for _ in range(rows)]
        self.row = self.col = 0
        self._pending = ""

    def text(self) -> str:
        return "\n".join("".join(line) for line in self.cells)

    def line(self, row: int) -> str:
        return "".join(self.cells[row])

    def feed(self, data: str) -> None:
        data = self._pending + data
        self._pending = ""
        i = 0
        while i < len(data):
            char = data[i]
            if char == "\x1b":
                consumed = self._escape(data, i)
                if consumed == 0:  # an escape sequence cut at the end of this read
                    self._pending = data[i:]
                    return
                i += consumed
                continue
            i += 1
            if char == "\r":
                self.col = 0
            elif char == "\n":
                self.row = min(self.rows - 1, self.row + 1)
            elif char == "\b":
                self.col = max(0, self.col - 1)
            elif char >= " ":
                self._put(char)

    def _put(self, char: str) -> None:
        if self.col >= self.cols:
            return
        if 0 <= self.row < self.rows:
            self.cells[self.row][self.col] = char
        self.col += 2 if unicodedata.east_asian_width(char) in "WF" else 1

    def _escape(self, data: str, i: int) -> int:
        for pattern in (_CSI, _OSC, _DCS, _ESC):
            match = pattern.match(data, i)
            if match:
                if pattern is _CSI:
                    self._csi(match.group(1), match.group(3))
                return match.end() - i
        if len(data) - i < 64:
            return 0
        return 1  # an unknown escape: skip the ESC

    def _csi(self, params: str, final: str) -> None:
        if params.startswith("?"):
            if final in "hl" and params[1:] in ("1049", "47", "1047"):
                self._erase(0, self.rows)
            return
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        first = numbers[0] if numbers else 0
        if final in "Hf":
            self.row = max(0, min(self.rows - 1, (first or 1) - 1))
            self.col = max(0, min(self.cols - 1, ((numbers[1] if len(numbers) > 1 else 0) or 1) - 1))
        elif final == "A":
            self.row = max(0, self.row - (first or 1))
        elif final == "B":
            self.row = min(self.rows - 1, self.row + (first or 1))
        elif final == "C":
            self.col = min(self.cols - 1, self.col + (first or 1))
        elif final == "D":
            self.col = max(0, self.col - (first or 1))
        elif final == "G":
            self.col = max(0, min(self.cols - 1, (first or 1) - 1))
        elif final == "d":
            self.row = max(0, min(self.rows - 1, (first or 1) - 1))
        elif final == "K":
            start, end = {0: (self.col, self.cols), 1: (0, self.col + 1), 2: (0, self.cols)}.get(first, (0, 0))
            for c in range(start, end):
                self.cells[self.row][c] = " "
        elif final == "J":
            if first == 2 or first == 3:
                self._erase(0, self.rows)
            elif first == 0:
                self._erase(self.row + 1, self.rows)

    def _erase(self, start: int, end: int) -> None:
        for r in range(start, end):
            self.cells[r] = [" "] * self.cols


class Terminal:
    """A program running in a pseudo-terminal of a fixed size, with its screen."""

    def __init__(self, argv: list[str], rows: int = 30, cols: int = 100, env: dict[str, str] | None = None) -> None:
        self.screen = Screen(rows, cols)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**(env or os.environ), "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.fd = master
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        if not data:
            return False
        self.screen.feed(self._decoder.decode(data))
        return True

    def wait_for(self, seen: Callable[[Screen], bool], timeout: float = 60.0) -> float:
        """Read until `seen(screen)` holds; the time it took from now (perf_counter), or raise."""
        start = time.perf_counter()
        while not seen(self.screen):
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError("not seen on screen:\n" + self.screen.text())
            if not self._read(min(left, 0.05)) and self.process.poll() is not None:
                raise RuntimeError("the program ended:\n" + self.screen.text())
        return time.perf_counter() - start

    def drain(self, quiet: float = 0.3, limit: float = 10.0) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end and self._read(quiet):
            pass

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def key(self, keys: str, seen: Callable[[Screen], bool], quiet: float = 0.3, timeout: float = 60.0) -> float:
        """Wait for `quiet` seconds of stillness, send `keys`, and return the time until `seen(screen)` holds."""
        self.drain(quiet)
        self.send(keys)
        return self.wait_for(seen, timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.fd)
