"""One browser tab = one app process: started without a shell in its own process group, always ended.

textual-serve's `AppService` starts its command through `/bin/sh` in the server's process group and
waits for it without a limit. A tab's session here starts the argv directly (nothing is parsed by a
shell), in a new session so that signals meant for the server do not reach it, with secrets given
through its environment only; and it ends the app's whole process group when the app does not quit
by itself in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from textual_serve.app_service import AppService

# Only these reach the page's window.open: a javascript: URL (a release's url field is repository
# text) would run in the dashboard's own origin, with its cookie.
_OPENABLE = re.compile(r"https?://[^\x00-\x20\x7f]+", re.IGNORECASE)
QUIT_GRACE = 5.0  # seconds an app has to quit when asked, before its process group gets SIGTERM
TERM_GRACE = 3.0  # then SIGKILL


class TabSession(AppService):
    """The app process behind one browser tab (one websocket)."""

    def __init__(
        self,
        argv: Sequence[str],
        child_env: Mapping[str, str | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)
        self.child_env = dict(child_env)  # None removes a variable the server has
        self._ending: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        for name, value in self.child_env.items():
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = value
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            start_new_session=True,  # its own process group: ended as a whole, untouched by the server's Ctrl+C
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's output; when the app has gone (quit, crashed), close the tab's socket."""
        await super().run()
        with contextlib.suppress(Exception):
            await self.remote_close()

    async def on_meta(self, data: bytes) -> None:
        """The app's requests to the page (open a URL, quit), but only web URLs are opened."""
        meta = json.loads(data)
        if meta.get("type") == "open_url" and not _OPENABLE.fullmatch(str(meta.get("url", ""))):
            return
        await super().on_meta(data)

    async def stop(self) -> None:
        """Ask the app to quit, then end its process group if it has not (called more than once)."""
        if self._task is None and self._ending is None:
            return
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        task, process = self._task, self._process
        await self.send_meta({"type": "quit"})
        if task is not None:
            await self._wait(task, QUIT_GRACE)
        if process is not None:
            if await self._wait(process.wait(), 0.5) is False:
                self._signal_group(signal.SIGTERM)
                if await self._wait(process.wait(), TERM_GRACE) is False:
                    self._signal_group(signal.SIGKILL)
                    await process.wait()
            self._signal_group(signal.SIGKILL)  # anything the app left behind in its group
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._task = None

    @staticmethod
    async def _wait(awaitable: Any, seconds: float) -> bool:
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.ensure_future(awaitable)), seconds)
        except TimeoutError:
            return False
        return True

    def _signal_group(self, signum: int) -> None:
        pid = self.pid
        if pid is None or sys.platform == "win32":
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signum)
