"""Dependencies shared by the routers (`Annotated` aliases, overridable in tests)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated, Any, get_args, get_origin

from fastapi import Depends, Header, Request, Security
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer

from api.bootstrap import Container
from application.context import Caller
from application.errors import NotReady, Unauthenticated
from application.idempotency import Idempotency
from domain.errors import InvalidValue

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


def get_container(request: Request) -> Container:
    container: Container | None = request.app.state.container
    if container is None:
        msg = ("the service is starting: the database cannot be reached yet; retry shortly "
               "/ 服务启动中，数据库暂不可用")
        raise NotReady(msg)
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


# Declares the scheme in the OpenAPI document ("Authorize" in /docs, `security` on each
# operation); the header is read below, so that a missing and a malformed one say which.
BEARER = HTTPBearer(auto_error=False, scheme_name="bearer", description=(
    "An account's token, as `investledger accounts add` prints it: "
    "`Authorization: Bearer il_…`"))


def get_caller(request: Request, container: ContainerDep,
               _scheme: Annotated[object, Security(BEARER)] = None) -> Caller:
    authorization = request.headers.get("authorization")
    if not authorization:
        raise Unauthenticated("missing Authorization: Bearer TOKEN header / 缺少令牌")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Authorization header must be 'Bearer TOKEN' / "
                              "Authorization请求头须为“Bearer 令牌”")
    caller = container.accounts.authenticate(token.strip(), request.state.request_id)
    request.state.caller = caller
    return caller


CurrentCaller = Annotated[Caller, Depends(get_caller)]


async def get_command_caller(request: Request, caller: CurrentCaller,
                             idempotency_key: Annotated[str | None, Header(
                                 alias="Idempotency-Key", description=(
                                     "Any unique string (a UUID): a retry with the same key "
                                     "and body returns the first answer instead of acting "
                                     "twice; the same key with another body is a 422."))
                             ] = None) -> Caller:
    """The caller of a command, with the request's Idempotency-Key and a fingerprint of
    what it asks (method, path and body)."""
    if idempotency_key is None:
        return caller
    sent = Idempotency.of(idempotency_key, request.method, request.url.path,
                          await request.body())
    return replace(caller, idempotency=sent)


CommandCaller = Annotated[Caller, Depends(get_command_caller)]


def get_if_match(if_match: Annotated[str | None, Header(
        description='The version the command expects, as the ETag gave it ("3"); * for any',
        json_schema_extra={"pattern": _IF_MATCH.pattern + "|^\\s*\\*\\s*$"})] = None
                 ) -> int | None:
    """The version named by If-Match ("3", W/"3"); None when absent or "*"."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = _IF_MATCH.match(if_match)
    if not found:
        msg = (f'If-Match must be a version in quotes, like "3"; got {if_match!r} / '
               "If-Match须为带引号的版本号")
        raise InvalidValue(msg)
    return int(found.group(1))


IfMatch = Annotated[int | None, Depends(get_if_match)]


def public_filing(request: Request) -> None:
    """Counts a filing without an account against the address's rate (429 past it)."""
    limits = request.app.state.public_limits
    limits.hit(limits.filing, request, "public filings")


def public_lookup(request: Request) -> None:
    """Counts a receipt-code look-up without an account against the address's rate."""
    limits = request.app.state.public_limits
    limits.hit(limits.lookup, request, "receipt look-ups")


def _declared_query(dependant: Dependant) -> dict[str, bool]:
    """Query parameters a route's handler and its dependencies declare: name → whether it
    takes several values."""
    found = {p.alias: _is_sequence(p.field_info.annotation) for p in dependant.query_params}
    for sub in dependant.dependencies:
        found.update(_declared_query(sub))
    return found


def _is_sequence(annotation: Any) -> bool:
    return any(get_origin(a) in (list, tuple, set) for a in (annotation, *get_args(annotation)))


def strict_query(request: Request) -> None:
    """Refuse (422) query parameters a route does not take, and a single-valued one given
    twice, instead of ignoring them: a typo never silently widens a read. Routes whose
    parameters the application checks document them in `openapi_extra` (its checks also
    refuse repeats). Open311 routes are exempt: the standard says to ignore unknown ones."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.path.startswith("/open311/"):
        return
    declared = _declared_query(route.dependant)
    documented = {p["name"] for p in (route.openapi_extra or {}).get("parameters", ())
                  if p.get("in") == "query"}
    given = [name for name, _ in request.query_params.multi_items()]
    unknown = sorted(set(given) - set(declared) - documented)
    if unknown:
        takes = ", ".join(sorted({*declared, *documented})) or "none"
        msg = (f"unknown query parameter {', '.join(unknown)}; this path takes {takes}"
               " / 未知的查询参数")
        raise InvalidValue(msg)
    repeated = sorted({n for n in given if given.count(n) > 1 and declared.get(n) is False})
    if repeated:
        msg = (f"query parameter {', '.join(repeated)} given more than once; give it once"
               " / 参数重复")
        raise InvalidValue(msg)
