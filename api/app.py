"""The FastAPI application."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, Response
from fastapi_offline import FastAPIOffline
from starlette.types import Scope

from api import errors, guards, open311, open311_format, openapi
from api.bootstrap import Container, build
from api.cases import CASE_TYPES
from api.deps import strict_query
from api.logs import install_redaction
from api.ratelimit import PublicLimits
from api.routers import audit, console, dashboard, journal, meta, reports
from application.settings import Settings

log = logging.getLogger(__name__)
REQUEST_ID = "X-Request-ID"


def _too_large(scope: Scope, detail: str) -> Response:
    """413 in the style of the path: an Open311 error document or a problem detail."""
    path = str(scope.get("path", ""))
    if open311.serves(path):
        return open311_format.render_error(open311.format_of(path), 413, detail)
    return errors.problem(413, detail)


def _build_when_reachable(app: FastAPI, settings: Settings, stop: threading.Event) -> None:
    """Build the container once the database answers: until then the API answers 503 with
    Retry-After (and /readyz says why) instead of exiting, and it recovers by itself."""
    wait = 1.0
    while not stop.is_set():
        try:
            built = build(settings)
        except errors.DATABASE_ERRORS as exc:
            log.warning("database not reachable (%s); retrying in %.0fs", exc, wait)
            stop.wait(wait)
            wait = min(wait * 2, 30.0)
            continue
        built.start()
        app.state.container = built
        return


def create_app(container: Container | None = None,
               settings: Settings | None = None) -> FastAPI:
    """Build the app; with no container, one is built from `settings` (default: the
    environment) at start-up, as soon as the database answers."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_redaction()  # uvicorn has configured its loggers by now
        stop = threading.Event()
        if container is None:
            threading.Thread(target=_build_when_reachable, args=(app, settings, stop),
                             name="build-container", daemon=True).start()
        else:
            container.start()
        try:
            yield
        finally:
            stop.set()
            built = app.state.container
            if container is None and built is not None:
                built.close()

    if settings is None:
        settings = container.settings if container is not None else Settings()
    app = FastAPIOffline(
        title="investledger",
        version="0.1.0",
        description="Event-sourced ledger of investment projects, complaints and enterprise "
        "requests, with a full audit trail. 招商项目跟踪服务综合管理平台.",
        lifespan=lifespan,
        dependencies=[Depends(strict_query)],
    )
    app.state.container = container
    app.state.public_limits = PublicLimits(settings.public_filing_rate,
                                           settings.public_lookup_rate)
    refuse = errors.install(app, [(open311.serves, open311.error_document)])
    guards.install(app, settings.max_body_bytes, refuse, _too_large)

    @app.middleware("http")
    async def request_id(request: Request,
                         call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.headers.get(REQUEST_ID, "")
        rid = given if 0 < len(given) <= 100 and given.isprintable() else uuid.uuid4().hex
        request.state.request_id = rid
        response = await call_next(request)
        response.headers[REQUEST_ID] = rid
        return response

    app.include_router(meta.router)
    for case in CASE_TYPES:
        for router in case.routers:
            app.include_router(router)
    app.include_router(reports.router)
    app.include_router(dashboard.router)
    app.include_router(open311.router)
    app.include_router(journal.router)
    app.include_router(audit.router)
    app.include_router(console.router)
    openapi.install(app)
    return app
