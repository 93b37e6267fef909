"""Who may open the dashboard: the token on the page and the websocket, same-origin sockets, safe headers.

The URL printed at start carries the token (`/?token=...`). Opening it sets an HttpOnly cookie for
this server and redirects to `/`, so the token leaves the address bar (and screen shares, and the
browser's history); the page and its websocket are then checked against the cookie. A request
without a valid token gets 403, compared in constant time. The static files (textual-serve's
JavaScript, CSS and font) are public.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

# A page that rolls back releases must not be framed by another site (clickjacking: a click or a
# key press meant for that site would reach the app), and leaks nothing through Referer.
SAFE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def cookie_name(port: int) -> str:
    """Cookies ignore ports: each server (port) on a host keeps its own."""
    return f"gimlet_tui_token_{port}"


def _same(supplied: str, token: str) -> bool:
    return secrets.compare_digest(supplied.encode(), token.encode())


def _same_origin(request: web.Request) -> bool:
    """A browser names the page that opens a websocket in Origin: it must be this server's."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser (a browser always sends it on websockets)
    return urlsplit(origin).netloc.lower() == (request.host or "").lower()


def access_middleware(token: str | None, cookie_of: Callable[[], str]) -> Middleware:
    """Checks every request but the static files; `token` None serves without one (--no-token).

    `cookie_of()` names the cookie (known once the server listens: its port).
    """

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith("/static/"):
            return await handler(request)
        if request.path == "/ws" and not _same_origin(request):
            raise web.HTTPForbidden(text="websocket from another site refused\n", headers=SAFE_HEADERS)
        if token is not None:
            supplied = request.query.get("token")
            if supplied is not None and request.path == "/":
                if not _same(supplied, token):
                    raise web.HTTPForbidden(text="wrong token: open the URL gimlet-tui serve printed\n")
                query = {k: v for k, v in request.query.items() if k != "token"}
                redirect = web.HTTPSeeOther(request.rel_url.with_query(query), headers=SAFE_HEADERS)
                redirect.set_cookie(cookie_of(), token, httponly=True, samesite="Strict", path="/")
                raise redirect
            if not _same(request.cookies.get(cookie_of(), ""), token):
                raise web.HTTPForbidden(text="missing or wrong token: open the URL gimlet-tui serve printed\n")
        response = await handler(request)
        if not response.prepared:
            response.headers.update(SAFE_HEADERS)
        return response

    return check
