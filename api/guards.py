"""What every request passes before a router sees it, and every answer carries: control
characters refused in paths and query strings, a bounded body, and the headers that keep
answers out of caches and browsers from guessing their type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import InvalidValue
from domain.shared import refuse_control_characters

# Swagger UI and ReDoc are served from this app (no CDN); their pages run one inline script.
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
DOCS = ("/docs", "/redoc")


class BodyLimit:
    """Refuses (413) a request body over `limit` bytes, whether it says its length or not:
    the body is read (at most `limit` bytes are kept) before the app sees it."""

    def __init__(self, app: ASGIApp, limit: int,
                 refusal: Callable[[Scope, str], Response]) -> None:
        self.app = app
        self.limit = limit
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        messages: list[Message] = []
        size = int(declared) if declared.isdigit() else 0
        more = size <= self.limit
        while more:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b"")) if not declared.isdigit() else 0
            more = message["type"] == "http.request" and message.get("more_body", False) \
                and size <= self.limit
        if size > self.limit:
            detail = (f"the request body is larger than {self.limit} bytes "
                      f"(LEDGER_MAX_BODY_BYTES) / 请求体过大")
            await self.refusal(scope, detail)(scope, receive, send)
            return
        await self.app(scope, _replay(messages, receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """The messages already read, then whatever the client sends next (a disconnect)."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def refuse_control_characters_in_request_line(request: Request) -> None:
    """A path or query string holding a control character (%00 …) is a 422 naming it."""
    refuse_control_characters(request.url.path, "path")
    for name, value in request.query_params.multi_items():
        refuse_control_characters(name, "query parameter name")
        refuse_control_characters(value, f"query parameter {name}")


def install(app: FastAPI, max_body_bytes: int,
            refuse: Callable[[Request, Exception], Awaitable[Response]],
            too_large: Callable[[Scope, str], Response]) -> None:
    """Add the guards; `refuse` and `too_large` answer a refusal in the path's style."""

    @app.middleware("http")
    async def guard(request: Request,
                    call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            refuse_control_characters_in_request_line(request)
        except InvalidValue as exc:
            return await refuse(request, exc)
        response = await call_next(request)
        _secure(request, response)
        return response

    app.add_middleware(BodyLimit, limit=max_body_bytes, refusal=too_large)


def _secure(request: Request, response: Response) -> None:
    headers: Any = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.url.path in DOCS:
        headers["Content-Security-Policy"] = DOCS_CSP
    elif not request.url.path.startswith("/static"):
        # Answers carry personal data and tokens' effects: never kept by a shared cache.
        headers.setdefault("Cache-Control", "no-store")
