"""The FastAPI application."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, Response

from api import errors, open311
from api.bootstrap import Container, build
from api.cases import CASE_TYPES
from api.deps import strict_query
from api.logs import install_redaction
from api.routers import console, journal, meta, reports

REQUEST_ID = "X-Request-ID"


def create_app(container: Container | None = None) -> FastAPI:
    """Build the app; with no container, one is built from the environment at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_redaction()  # uvicorn has configured its loggers by now
        owned = container is None
        app.state.container = container or build()
        app.state.container.start()
        try:
            yield
        finally:
            if owned:
                app.state.container.close()

    app = FastAPI(
        title="investledger",
        version="0.1.0",
        description="Event-sourced ledger of investment projects, complaints and enterprise "
        "requests, with a full audit trail. 招商项目跟踪服务综合管理平台.",
        lifespan=lifespan,
        dependencies=[Depends(strict_query)],
    )
    if container is not None:
        app.state.container = container

    @app.middleware("http")
    async def request_id(request: Request,
                         call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.headers.get(REQUEST_ID, "")
        rid = given if 0 < len(given) <= 100 and given.isprintable() else uuid.uuid4().hex
        request.state.request_id = rid
        response = await call_next(request)
        response.headers[REQUEST_ID] = rid
        return response

    errors.install(app)
    app.include_router(meta.router)
    for case in CASE_TYPES:
        for router in case.routers:
            app.include_router(router)
    app.include_router(reports.router)
    app.include_router(open311.router)
    app.include_router(journal.router)
    app.include_router(console.router)
    return app
