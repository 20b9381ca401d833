"""Dependencies shared by the routers (`Annotated` aliases, overridable in tests)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Request

from api.bootstrap import Container
from application.context import Caller
from application.errors import Unauthenticated
from domain.errors import InvalidValue

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_caller(request: Request, container: ContainerDep,
               authorization: Annotated[str | None, Header()] = None) -> Caller:
    if not authorization:
        raise Unauthenticated("missing Authorization: Bearer TOKEN header / 缺少令牌")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Authorization header must be 'Bearer TOKEN'")
    caller = container.accounts.authenticate(token.strip(), request.state.request_id)
    request.state.caller = caller
    return caller


CurrentCaller = Annotated[Caller, Depends(get_caller)]


def get_if_match(if_match: Annotated[str | None, Header()] = None) -> int | None:
    """The version named by If-Match ("3", W/"3"); None when absent or "*"."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = _IF_MATCH.match(if_match)
    if not found:
        msg = f'If-Match must be a version in quotes, like "3"; got {if_match!r}'
        raise InvalidValue(msg)
    return int(found.group(1))


IfMatch = Annotated[int | None, Depends(get_if_match)]
