"""Maps domain and application errors to RFC 9457 problem details, in one place."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import validation
from application.errors import (
    ApplicationError,
    ChainBroken,
    ConcurrentUpdate,
    Forbidden,
    HistoryDamaged,
    NotConfigured,
    NotFound,
    NotReady,
    StaleVersion,
    TooManyRequests,
    Unauthenticated,
)
from domain.errors import DomainError, InvalidValue, RuleViolation

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request / 请求有误",
    401: "Unauthenticated / 未认证",
    403: "Forbidden / 无权操作",
    404: "Not found / 不存在",
    405: "Method not allowed",
    409: "Conflict with the item's state / 与当前状态冲突",
    412: "Precondition failed: stale version / 版本已过期",
    413: "Request body too large / 请求体过大",
    422: "Invalid input / 输入有误",
    429: "Too many requests / 请求过于频繁",
    500: "Internal error / 内部错误",
    503: "Not ready yet / 暂不可用",
}
STATUS: list[tuple[type[Exception], int]] = [
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (StaleVersion, 412),
    (ConcurrentUpdate, 409),
    (NotReady, 503),
    (NotConfigured, 503),
    (ChainBroken, 409),
    (HistoryDamaged, 500),
    (TooManyRequests, 429),
    (InvalidValue, 422),
    (RuleViolation, 409),
]


def _database_errors() -> tuple[type[Exception], ...]:
    """What the event store, the read models and their pools raise while the database is
    unreachable: answered 503 with Retry-After, never 500."""
    import sqlite3

    import psycopg
    import psycopg_pool
    from eventsourcing import persistence

    return (persistence.OperationalError, persistence.InterfaceError, psycopg.OperationalError,
            psycopg.InterfaceError, psycopg_pool.PoolTimeout, sqlite3.OperationalError)


DATABASE_ERRORS = _database_errors()


def refusals(why: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """A route's `responses` for refusals its dependencies do not show (see api/openapi.py),
    each with why; the OpenAPI document gives each the problem schema."""
    return {status: {"description": text} for status, text in why.items()}


# What a refusal means, in Chinese, for a message that has no Chinese of its own: every
# `detail` reads in both languages.
CHINESE = {400: "请求无效", 401: "未登录或令牌无效", 403: "无权进行此项操作",
           404: "未找到所请求的对象", 405: "不支持此请求方法",
           409: "与该事项的当前状态或业务规则冲突",
           412: "该事项已被他人修改，请刷新后重试", 413: "请求内容过大", 415: "不支持的内容类型",
           422: "输入内容不正确", 429: "请求过于频繁，请稍后再试", 500: "服务器内部错误",
           503: "服务暂时不可用，请稍后重试"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def bilingual(status: int, detail: str) -> str:
    """`detail` with the Chinese meaning of `status` added when it has no Chinese."""
    if _CJK.search(detail):
        return detail
    return f"{detail} / {CHINESE.get(status, '请求未能完成')}"


def problem(status: int, detail: str, request: Request | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://investledger.example/problems/{status}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": bilingual(status, detail),
    }
    if request is not None:
        body["instance"] = request.url.path
        request_id = getattr(request.state, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_of(exc: Exception) -> int:
    if isinstance(exc, DATABASE_ERRORS):
        return 503
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


async def known(request: Request, exc: Exception) -> JSONResponse:
    status = status_of(exc)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="investledger"'
    if status == 503 and not isinstance(exc, NotConfigured):  # retrying will not help
        headers["Retry-After"] = "1"
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    if status == 500:  # the operator must hear of it, not only the client
        log.error("%s %s: %s", request.method, request.url.path, exc)
    return problem(status, str(exc), request, headers)


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"field": validation.field(e), "message": validation.message(e)}
              for e in exc.errors()]
    detail = ("; ".join(f"{e['field']}: {e['message']}" for e in errors)
              or "invalid request / 请求无效")
    return problem(422, detail, request, errors=errors)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    # FastAPI answers a body it cannot parse with 400; here malformed input is a 422.
    status = 422 if exc.status_code == 400 else exc.status_code
    return problem(status, str(exc.detail), request, dict(exc.headers or {}))


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable for %s %s: %s", request.method, request.url.path, exc)
    return problem(503, "the database cannot be reached right now; retry shortly "
                   "/ 数据库暂时不可用，请稍后重试", request, {"Retry-After": "5"})


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    """A bug: answered as a problem detail like any other error, without the exception's
    text (it may name internals); the server still logs the traceback."""
    return problem(500, "internal error; quote the request_id when reporting it "
                   "/ 内部错误", request)


Handler = Callable[[Request, Any], Awaitable[Response]]
# A part of the API whose errors follow another standard: (claims the path?, renders it).
Style = tuple[Callable[[str], bool], Callable[[Request, Exception], Response]]
HANDLERS: list[tuple[type[Exception], Handler]] = [
    (RequestValidationError, _invalid),
    (StarletteHTTPException, _http),
    (DomainError, known),
    (ApplicationError, known),
    *((error, _unavailable) for error in DATABASE_ERRORS),
    (Exception, _internal),
]


def install(app: FastAPI, styles: Sequence[Style] = ()) -> Handler:
    """Answer every error as a problem detail, or, on a path one of `styles` claims (Open311),
    in that style: routing's 404 and 405 too. Returns the handler of a refusal made before
    routing (by middleware), which answers in the path's style as well."""

    def styled(handler: Handler) -> Handler:
        async def handle(request: Request, exc: Any) -> Response:
            for claims, render in styles:
                if claims(request.url.path):
                    return render(request, exc)
            return await handler(request, exc)

        return handle

    for error, handler in HANDLERS:
        app.add_exception_handler(error, styled(handler))
    return styled(known)
