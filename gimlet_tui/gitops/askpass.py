"""Questions from git and ssh answered by the running app: an askpass helper and the socket it calls.

git runs `GIT_ASKPASS` for a user name or password, and ssh runs `SSH_ASKPASS` (forced with
`SSH_ASKPASS_REQUIRE=force`) for a key's passphrase, a password or an unknown host key. Both run
the helper written here, with the question as its argument. The helper answers a key's passphrase
from GIMLET_TUI_SSH_PASSPHRASE when that is set; otherwise it asks the app through a Unix socket in
a private folder (0700, the socket 0600, plus a random token), prints the answer, or exits 1 when
the user cancelled. The app shows the question as a modal; nothing reaches the terminal behind it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shlex
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_HELPER = r"""
import json, os, socket, sys
prompt = sys.argv[1] if len(sys.argv) > 1 else ""
kind = os.environ.get("SSH_ASKPASS_PROMPT", "")
if kind == "none":
    sys.exit(0)  # a notice (touch the security key), nothing to answer
secret = os.environ.get("GIMLET_TUI_SSH_PASSPHRASE")
if secret is not None and prompt.lower().startswith("enter passphrase"):
    sys.stdout.write(secret + "\n")
    sys.exit(0)
path = os.environ.get("GIMLET_TUI_ASKPASS_SOCKET")
if not path:
    sys.exit(1)
question = {"token": os.environ.get("GIMLET_TUI_ASKPASS_TOKEN", ""), "prompt": prompt, "kind": kind}
try:
    with socket.socket(socket.AF_UNIX) as channel:
        channel.connect(path)
        channel.sendall(json.dumps(question).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = channel.recv(65536)
            if not chunk:
                break
            data += chunk
    answer = json.loads(data or b"null")
except (OSError, ValueError):
    sys.exit(1)
if not isinstance(answer, dict) or not isinstance(answer.get("answer"), str):
    sys.exit(1)
sys.stdout.write(answer["answer"] + "\n")
"""

_lock = threading.Lock()
_folder: list[Path] = []


def _private_folder() -> Path:
    """This process's private temporary folder (0700), removed when it exits."""
    with _lock:
        if not _folder:
            folder = Path(tempfile.mkdtemp(prefix="gimlet-tui-"))
            atexit.register(shutil.rmtree, folder, True)
            _folder.append(folder)
        return _folder[0]


def helper_path() -> str:
    """The askpass helper, written once per process (a shell wrapper running this Python on the script)."""
    folder = _private_folder()
    wrapper = folder / "askpass"
    with _lock:
        if not wrapper.exists():
            (folder / "askpass.py").write_text(_HELPER)
            partial = folder / "askpass.partial"
            partial.write_text(
                f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -I {shlex.quote(str(folder / "askpass.py"))} "$@"\n'
            )
            partial.chmod(0o700)
            partial.replace(wrapper)
    return str(wrapper)


@dataclass(frozen=True)
class Question:
    """What git or ssh asks, in its own words (it may span lines: a host key's fingerprint)."""

    prompt: str
    secret: bool  # typed hidden: a passphrase, password, PIN or one-time code

    @classmethod
    def of(cls, prompt: str) -> Question:
        lower = prompt.lower()
        secret = any(word in lower for word in ("passphrase", "password", "pin ", "passcode", "code:", "otp"))
        return cls(prompt, secret and "yes/no" not in lower)

    @property
    def title(self) -> str:
        lower = self.prompt.lower()
        if "yes/no" in lower:
            return "Unknown SSH host"
        if "passphrase" in lower:
            return "SSH key passphrase"
        if "username" in lower:
            return "User name"
        return "Password" if self.secret else "Question"


Ask = Callable[[Question], "str | None"]  # blocks until the user answers; None when they cancel


class AskpassServer:
    """Listens for the helper's questions and passes each to `ask`, in a thread of its own."""

    def __init__(self, ask: Ask) -> None:
        self.ask = ask
        self.token = secrets.token_hex(16)
        self.path = _private_folder() / f"askpass-{secrets.token_hex(4)}.sock"
        self._listener = socket.socket(socket.AF_UNIX)
        self._waits: dict[int, float] = {}  # question number -> when it was asked
        self._waited = 0.0
        self._count = 0
        self._state = threading.Lock()
        self._closed = False

    def start(self) -> AskpassServer:
        self._listener.bind(str(self.path))
        self.path.chmod(0o600)  # inside a 0700 folder from the start, so never open to others
        self._listener.listen(8)
        threading.Thread(target=self._serve, name="askpass", daemon=True).start()
        return self

    def environment(self) -> dict[str, str]:
        return {
            "GIT_ASKPASS": helper_path(),
            "SSH_ASKPASS": helper_path(),
            "SSH_ASKPASS_REQUIRE": "force",
            "GIMLET_TUI_ASKPASS_SOCKET": str(self.path),
            "GIMLET_TUI_ASKPASS_TOKEN": self.token,
        }

    def waited(self) -> float:
        now = time.monotonic()
        with self._state:
            return self._waited + sum(now - since for since in self._waits.values())

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with contextlib.suppress(OSError):
            self.path.unlink()

    def _serve(self) -> None:
        while not self._closed:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), name="askpass-question", daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            if not _same_user(connection):
                return
            data = b""
            while not data.endswith(b"\n") and len(data) < 65536:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            try:
                question = json.loads(data)
            except ValueError:
                return
            if not isinstance(question, dict) or not secrets.compare_digest(str(question.get("token")), self.token):
                return
            answer = self._timed(Question.of(str(question.get("prompt", ""))))
            with contextlib.suppress(OSError):
                connection.sendall(json.dumps({"answer": answer}).encode() + b"\n")

    def _timed(self, question: Question) -> str | None:
        """Ask, counting the time the user takes (deadlines stop while a question is open)."""
        with self._state:
            self._count += 1
            number = self._count
            self._waits[number] = time.monotonic()
        try:
            return self.ask(question)
        finally:
            with self._state:
                self._waited += time.monotonic() - self._waits.pop(number)


def _same_user(connection: socket.socket) -> bool:
    """True when the helper on the other end runs as this user (the folder is private too)."""
    try:
        credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    except (OSError, AttributeError):
        return True  # no peer credentials here: the folder's mode and the token still guard it
    return int.from_bytes(credentials[4:8], sys.byteorder) == os.getuid()
