"""Running the `git` executable for network steps: a deadline, a process group, progress, no stray prompts.

Each command runs in its own process group and is ended as a whole (git, ssh, the https helper)
when `Access.timeout` seconds pass; time the user spends answering a question in the TUI does not
count. Where it can ask, and who answers:

- the CLI in the foreground of a terminal: the command gets the terminal's foreground (as a shell
  gives a job), so git and ssh ask there as they always do; the terminal's modes are restored after;
- otherwise the command runs in a new session, with no terminal at all, so nothing can wait on one;
  the TUI answers through its askpass helper, and with nobody to ask git and ssh fail at once
  (see `git_env`).

stderr is read as it comes: `Receiving objects: 45% (450/1000), 1.2 MiB` feeds the progress
callback; other lines are kept for the error message (the server's words among them).
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import subprocess
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gimlet_tui.gitops.errors import RemoteError
from gimlet_tui.gitops.git_env import git_environment
from gimlet_tui.gitops.urls import Access, Progress, redact

_PROGRESS = re.compile(r"(?:Receiving|Unpacking) objects:\s+\d+% \((\d+)/(\d+)\)(?:,\s+([\d.]+) (bytes|KiB|MiB|GiB))?")
_ANY_PROGRESS = re.compile(r"^(?:remote: )?[A-Za-z][A-Za-z ]*:\s+\d+% \(\d+/\d+\)")
_UNITS = {"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
KEPT_LINES = 200
GRACE = 2.0  # seconds between asking the process group to stop and killing it


@dataclass(frozen=True)
class GitRun:
    """What a finished git command left: its status, stdout, and its stderr without progress lines."""

    code: int
    stdout: str
    lines: tuple[str, ...]

    @property
    def server_said(self) -> tuple[str, ...]:
        """The server's own lines (`remote: ...`), such as a hook's reason."""
        said = (line.removeprefix("remote:").strip() for line in self.lines if line.startswith("remote:"))
        return tuple(line for line in said if line)


def run_git(
    args: Sequence[str], cwd: str, access: Access, url: str, progress: Progress | None = None, what: str = "fetch"
) -> GitRun:
    """Run `git ARGS` in `cwd` for a step that talks to `url`; a `RemoteError` when it runs out of time."""
    env = git_environment(access, cwd, url)
    terminal = _Terminal.open() if access.terminal else None
    try:
        process = _spawn(["git", *args], cwd, env, terminal)
    except FileNotFoundError:
        if terminal is not None:
            terminal.give_back()
        raise RemoteError("git is not installed (or not on PATH): gimlet-tui runs it to fetch and push") from None
    reader = _Reader(progress)
    try:
        _wait(process, reader, access, what, url)
    finally:
        _end(process)
        if terminal is not None:
            terminal.give_back()
    if process.returncode in (-signal.SIGINT, 130) and terminal is not None:
        raise KeyboardInterrupt
    return GitRun(process.returncode, reader.stdout.decode(errors="replace"), tuple(reader.lines))


def _spawn(argv: list[str], cwd: str, env: dict[str, str], terminal: _Terminal | None) -> subprocess.Popen[bytes]:
    pipes = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    if terminal is None:
        return subprocess.Popen(argv, cwd=cwd, env=env, start_new_session=True, **pipes)  # type: ignore[call-overload, no-any-return]
    return subprocess.Popen(argv, cwd=cwd, env=env, preexec_fn=_take_terminal, **pipes)  # type: ignore[call-overload, no-any-return]


def _wait(process: subprocess.Popen[bytes], reader: _Reader, access: Access, what: str, url: str) -> None:
    """Read the pipes until the process ends; end its group when the deadline passes."""
    prompter = access.prompter
    waited_before = prompter.waited() if prompter is not None else 0.0
    start = time.monotonic()
    selector = selectors.DefaultSelector()
    assert process.stdout is not None and process.stderr is not None
    for stream, name in ((process.stdout, "out"), (process.stderr, "err")):
        os.set_blocking(stream.fileno(), False)
        selector.register(stream, selectors.EVENT_READ, name)
    with selector:
        while process.poll() is None:
            paused = (prompter.waited() - waited_before) if prompter is not None else 0.0
            left = start + access.timeout + paused - time.monotonic()
            if left <= 0:
                _end(process)
                raise RemoteError(
                    f"stopped the {what} of {redact(url)} after {access.timeout:g} s (--timeout {access.timeout:g}): "
                    "the server did not finish in time"
                )
            reader.read(selector.select(min(left, 0.2)), selector)
        # Done: take what is left, without waiting for an end of file that a lingering ssh
        # (ControlPersist) may hold back.
        quiet_until = time.monotonic() + 0.5
        while selector.get_map() and time.monotonic() < quiet_until:
            reader.read(selector.select(0.05), selector)
    reader.flush()


class _Reader:
    """Collects stdout, and stderr as lines; progress lines go to the callback instead."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.stdout = b""
        self.partial = b""
        self.lines: list[str] = []

    def read(self, ready: list[tuple[selectors.SelectorKey, int]], selector: selectors.BaseSelector) -> None:
        for key, _ in ready:
            try:
                data = os.read(key.fd, 65536)
            except BlockingIOError:
                continue
            if not data:
                selector.unregister(key.fileobj)
            elif key.data == "out":
                self.stdout += data
            else:
                *complete, self.partial = re.split(rb"[\r\n]", self.partial + data)
                for raw in complete:
                    self._line(raw)

    def flush(self) -> None:
        if self.partial:
            self._line(self.partial)
            self.partial = b""

    def _line(self, raw: bytes) -> None:
        line = raw.decode(errors="replace").rstrip()
        if not line:
            return
        match = _PROGRESS.search(line)
        if match is not None:
            if self.progress is not None:
                received, total = int(match.group(1)), int(match.group(2))
                size = int(float(match.group(3)) * _UNITS[match.group(4)]) if match.group(3) else 0
                self.progress(received, total, size)
            return
        if _ANY_PROGRESS.match(line):
            return
        self.lines.append(line)
        del self.lines[:-KEPT_LINES]


def _end(process: subprocess.Popen[bytes]) -> None:
    """End the process group of `process` if anything in it still runs: politely, then for good."""
    if process.poll() is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # helpers left behind by a git that already exited
        return
    for sent, grace in ((signal.SIGTERM, GRACE), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sent)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
            return


def _take_terminal() -> None:  # pragma: no cover - runs in the child between fork and exec
    """In the child: a process group of its own, in the terminal's foreground (what a shell does for a job)."""
    os.setpgid(0, 0)
    try:
        descriptor = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(descriptor, os.getpgrp())
    except OSError:
        pass
    finally:
        signal.signal(signal.SIGTTOU, previous)
        os.close(descriptor)


class _Terminal:
    """The controlling terminal lent to a git command: its modes saved, its foreground taken back after."""

    def __init__(self, descriptor: int, modes: list[Any], sigttou: Any) -> None:
        self.descriptor = descriptor
        self.modes = modes
        self.sigttou = sigttou

    @classmethod
    def open(cls) -> _Terminal | None:
        """The terminal, when this process is in its foreground and on the main thread; else None."""
        if threading.current_thread() is not threading.main_thread():
            return None
        try:
            descriptor = os.open("/dev/tty", os.O_RDWR)
        except OSError:
            return None
        try:
            if os.tcgetpgrp(descriptor) != os.getpgrp():
                raise OSError("not in the foreground")
            modes = termios.tcgetattr(descriptor)
        except (OSError, termios.error):
            os.close(descriptor)
            return None
        # While the command has the foreground, writing our progress line must not stop us.
        return cls(descriptor, modes, signal.signal(signal.SIGTTOU, signal.SIG_IGN))

    def give_back(self) -> None:
        with contextlib.suppress(OSError, termios.error):
            os.tcsetpgrp(self.descriptor, os.getpgrp())
            termios.tcsetattr(self.descriptor, termios.TCSADRAIN, self.modes)  # echo back on after a cut prompt
        signal.signal(signal.SIGTTOU, self.sigttou)
        os.close(self.descriptor)
