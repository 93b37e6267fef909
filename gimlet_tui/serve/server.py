"""The dashboard server: textual-serve's page and websocket, behind a token, one app process per tab.

`serve_dashboard` listens, prints the URL to open once, and runs until SIGINT (Ctrl+C) or SIGTERM;
then it ends every tab's app process (asked to quit, its process group killed if it does not) before
it returns.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from gimlet_tui.gitops import GitopsError
from gimlet_tui.serve.access import access_middleware, cookie_name
from gimlet_tui.serve.sessions import TabSession

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_TABS = 20  # each tab is a Python process: a jump host is not a place for hundreds


@dataclass(frozen=True)
class Dashboard:
    """What to serve and where: the app command of a tab, the address, the token, the page title."""

    argv: Sequence[str]
    title: str
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None  # None: no token (--no-token)
    child_env: Mapping[str, str | None] = field(default_factory=dict)  # secrets for the apps; None removes


class DashboardServer(Server):
    """textual-serve's Server with the token check, our page, and tab sessions that always end."""

    def __init__(self, dashboard: Dashboard, log: TextIO) -> None:
        super().__init__(" ".join(dashboard.argv), dashboard.host, dashboard.port, title=dashboard.title)
        self.templates_path = TEMPLATES
        self.dashboard = dashboard
        self.log = log
        self.sessions: set[TabSession] = set()
        self.port = dashboard.port  # the real one once listening (for --port 0)

    def say(self, line: str) -> None:
        print(line, file=self.log, flush=True)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(access_middleware(self.dashboard.token, lambda: cookie_name(self.port)))
        return app

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner with the command here; the CLI prints the URL instead."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Before aiohttp waits for open sockets: end every tab's app, then close its socket."""
        sessions = list(self.sessions)
        await asyncio.gather(*(session.stop() for session in sessions), return_exceptions=True)
        await asyncio.gather(*(session.remote_close() for session in sessions), return_exceptions=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        context = {
            "title": self.dashboard.title,
            "static": "/static/",
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One app process for this tab, relayed until either side closes (textual-serve's loop)."""
        if len(self.sessions) >= MAX_TABS:
            raise web.HTTPServiceUnavailable(text=f"{MAX_TABS} tabs are open already: close one\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        session = TabSession(
            self.dashboard.argv,
            self.dashboard.child_env,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions.add(session)
        try:
            await session.start(width, height)
            self.say(f"tab opened: app pid {session.pid} ({len(self.sessions)} open)")
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken tab must not take the server down
            self.say(f"tab failed: {type(error).__name__}: {error}")
        finally:
            await session.stop()
            self.sessions.discard(session)
            code = session._process.returncode if session._process else None
            self.say(f"tab closed: app pid {session.pid} ended ({code}); {len(self.sessions)} open")
        return websocket


async def _serve(server: DashboardServer, announce: Any) -> None:
    runner = web.AppRunner(await server._make_app(), access_log=None, handle_signals=False, shutdown_timeout=10)
    await runner.setup()
    site = web.TCPSite(runner, server.host, server.port)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        reason = error.strerror or str(error)
        raise GitopsError(
            f"cannot listen on {server.host} port {server.port}: {reason}; choose another --port"
        ) from None
    server.port = runner.addresses[0][1]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        announce(server.port)
        await stop.wait()
        open_tabs = len(server.sessions)
        server.say(f"stopping: ending {open_tabs} tab(s)")
    finally:
        await runner.cleanup()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def serve_dashboard(dashboard: Dashboard, announce: Any, log: TextIO = sys.stderr) -> None:
    """Serve until SIGINT or SIGTERM; `announce(port)` is called once the server listens."""
    logging.getLogger("aiohttp.access").disabled = True  # its lines would carry ?token=
    asyncio.run(_serve(DashboardServer(dashboard, log), announce))
