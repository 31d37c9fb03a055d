"""What keeps the workbench a local tool: host check, access token, CSRF, confined paths, strict headers.

- The server binds 127.0.0.1 unless told otherwise; any other address needs an access token (``--token``), given
  once in the address (``/?token=…``) and then kept in a cookie.
- Only the host names it was started for are answered (a page elsewhere cannot reach it by DNS rebinding).
- Every POST carries the session's CSRF token (a form field or the ``X-CSRF-Token`` header) equal to its cookie,
  and an ``Origin`` header, when sent, must be this server.
- Every response has a Content-Security-Policy that allows scripts, styles and requests from this server only:
  no inline script, no inline style, no other site, no framing.
"""
from __future__ import annotations

import hmac
import os
import posixpath
import secrets
from urllib.parse import urlencode

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checker.i18n.messages import text

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
TOKEN_COOKIE, CSRF_COOKIE, LANG_COOKIE = "rc_token", "rc_csrf", "rc_lang"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

Form = ImmutableMultiDict[str, str]  # a POSTed form's text fields


def needs_token(host: str) -> bool:
    return host not in LOOPBACK


def new_token() -> str:
    return secrets.token_urlsafe(24)


def lang_of(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return "en" if chosen == "en" else "zh"


def same(a: str | None, b: str | None) -> bool:
    return bool(a and b and hmac.compare_digest(a.encode(), b.encode()))


class Guard:
    """The ASGI middleware: host names, token, language cookie, CSRF cookie and the security headers."""

    def __init__(self, app: ASGIApp, hosts: set[str], token: str | None) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        lang = lang_of(request)
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
        if host not in self.hosts:
            return await _send(PlainTextResponse(text("web.bad_host", lang), 421), scope, receive, send)
        if self.token is not None:
            given = request.query_params.get("token")
            if same(given, self.token):  # once, from the printed address: keep it in a cookie and drop it from the URL
                query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
                response = RedirectResponse(request.url.path + (f"?{query}" if query else ""), 303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return await _send(response, scope, receive, send)
            if not same(request.cookies.get(TOKEN_COOKIE), self.token):
                return await _send(PlainTextResponse(text("web.forbidden", lang), 403), scope, receive, send)
        csrf = request.cookies.get(CSRF_COOKIE)
        fresh = None
        if not csrf:
            fresh = csrf = secrets.token_urlsafe(24)
        scope.setdefault("state", {})
        scope["state"]["csrf"] = csrf
        scope["state"]["lang"] = lang

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in {h.lower() for h in HEADERS}]
                headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]
                if fresh:
                    headers.append((b"set-cookie", f"{CSRF_COOKIE}={fresh}; HttpOnly; Path=/; SameSite=Strict".encode()))
                if request.query_params.get("lang") in ("zh", "en"):
                    headers.append((b"set-cookie", f"{LANG_COOKIE}={lang}; Path=/; SameSite=Strict".encode()))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, with_headers)


async def _send(response: Response, scope: Scope, receive: Receive, send: Send) -> None:
    async def with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = dict(message, headers=list(message.get("headers", [])) +
                           [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()])
        await send(message)

    await response(scope, receive, with_headers)


class CsrfError(Exception):
    pass


async def checked_form(request: Request) -> Form:
    """The POSTed form's text fields, once its CSRF token matches the session's and its origin is this server; else
    CsrfError. No route takes a file: a file sent in a field is left out, as if the field were absent."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        if origin.split("://", 1)[-1] != request.headers.get("host", ""):
            raise CsrfError
    posted = await request.form()
    form = Form([(name, value) for name, value in posted.multi_items() if isinstance(value, str)])
    given = form.get("csrf") or request.headers.get("x-csrf-token")
    if not same(given, request.cookies.get(CSRF_COOKIE)):
        raise CsrfError
    return form


def confined(root: str, name: str, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> str | None:
    """The path for a new file ``name`` (``a/b.yaml``) inside ``root``, or None when it would leave the root
    (``..``, an absolute path, a link on the way), is hidden or has another suffix."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    normal = posixpath.normpath(name)
    parts = normal.split("/")
    if normal.startswith("..") or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    if not normal.lower().endswith(suffixes):
        return None
    real_root = os.path.realpath(root)
    target = os.path.join(real_root, *parts)
    parent = os.path.dirname(target)
    if os.path.realpath(parent) != parent or os.path.islink(target):  # a link on the way could lead out
        return None
    if os.path.commonpath([real_root, os.path.realpath(target)]) != real_root:
        return None
    return target
