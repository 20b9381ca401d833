"""What every item resource answers the same way: its creation with Location, its state with
ETag, its history, and one POST per handling step with If-Match, X-Ledger-Position and the
new state.

A case type's router declares its creation as a `Create` and its steps as a table of
`Step`s; `item_routes` turns each into a handler that parses the body schema, calls the use
case of that name with the body's arguments (`POST /{id}/start-construction` →
`start_construction(caller, id, **body.arguments(), expected_version)`; `POST ""` →
`register(caller, **body.arguments())`) and answers the new state. Handlers stay one call
each, and no step is written twice.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel

from api.bootstrap import Container, ReadSide
from api.deps import CommandCaller, ContainerDep, CurrentCaller, IfMatch
from api.schemas.common import Body, ChangePublic, DiffPublic, HistoryEntryPublic
from application.cases import CaseType, Result
from application.context import Caller
from application.errors import ConcurrentUpdate, StaleVersion
from application.history import HistoryEntry, changes
from application.idempotency import Earlier
from application.moments import AS_OF, MOMENT_DESCRIPTION, MOMENT_PATTERN
from application.queries import MIN_POSITION, LedgerQuery, Param
from domain.errors import RuleViolation

_PATH_PARAM = re.compile(r"{(\w+)}")
# What every version changes, left out of diffs: the version itself and when it was recorded.
_BOOKKEEPING = {"version", "modified_at"}


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


def set_command_headers(response: Response, version: int, position: int) -> None:
    """A command's answer: the item's new version and the log position of its last event
    (what a ledger read passes as `min_position` to see the write)."""
    set_etag(response, version)
    response.headers["X-Ledger-Position"] = str(position)


def history_public(entries: Iterable[HistoryEntry]) -> list[HistoryEntryPublic]:
    return [HistoryEntryPublic.model_validate(asdict(e)) for e in entries]


def public_of(model: type[BaseModel]) -> Callable[[Any], BaseModel]:
    """A state DTO (a dataclass) as its public schema."""
    return lambda state: model.model_validate(asdict(state))


def answer(response: Response, result: Result[Any], public: Callable[[Any], BaseModel]
           ) -> BaseModel:
    """A command's answer: the new state, with its version and log position in headers."""
    set_command_headers(response, result.state.version, result.position)
    return public(result.state)


@dataclass(frozen=True)
class Create:
    """How an item starts: `POST ""` with `body`, calling the use case `use_case` with the
    body's arguments; 201 with the item's Location, ETag, X-Ledger-Position and state."""

    use_case: str  # "register"
    body: type[Body]
    summary: str
    description: str = ""


@dataclass(frozen=True)
class Step:
    """One handling step: `POST /{id}<path>` with `body`, calling the use case `use_case`."""

    path: str  # "/sign", "/problems/{number}/resolve"
    use_case: str
    body: type[Body] | None
    summary: str
    description: str = ""
    body_optional: bool = False  # a step that needs no input takes an empty or missing body
    response_model: type[BaseModel] | None = None  # default: the item's public schema
    numbered: str = ""  # answer the number the step gave (a visit's) under this field


def _parameter(name: str, annotation: Any, default: Any = inspect.Parameter.empty
               ) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                             default=default)


def item_routes(router: APIRouter, *, service: str, id_name: str,
                public_model: type[BaseModel], create: Create, steps: Sequence[Step]) -> None:
    """POST "" (create), GET /{id} (state, ETag, as_of_version), GET /{id}/history, and one
    POST per step, all through the container's `service` (e.g. "projects")."""
    public = public_of(public_model)
    _create_route(router, service, public, public_model, create)

    def get(caller: CurrentCaller, c: ContainerDep, response: Response, item_id: UUID,
            as_of_version: Annotated[int | None, Query(
                ge=1, description="The state at this version (1 … the current one)")] = None,
            as_of: Annotated[str | None, Query(
                description="The state as it stood at this recorded time: "
                + MOMENT_DESCRIPTION + "; 404 before the item was recorded, not with "
                "as_of_version (422)", pattern=MOMENT_PATTERN, max_length=40)] = None
            ) -> BaseModel:
        moment = c.past.parse(as_of) if as_of is not None else None
        state = getattr(c, service).get(caller, item_id, as_of_version, moment)
        set_etag(response, state.version)
        return public(state)

    def history(caller: CurrentCaller, c: ContainerDep, item_id: UUID
                ) -> list[HistoryEntryPublic]:
        return history_public(getattr(c, service).history(caller, item_id))

    def diff(caller: CurrentCaller, c: ContainerDep, item_id: UUID,
             from_version: Annotated[int | None, Query(
                 ge=1, le=2**31 - 1, description="The earlier version (default: the one "
                 "before to_version)")] = None,
             to_version: Annotated[int | None, Query(
                 ge=1, le=2**31 - 1, description="The later version (default: the current "
                 "one)")] = None) -> DiffPublic:
        before, after = getattr(c, service).versions(caller, item_id, from_version, to_version)
        return DiffPublic(from_version=before.version, to_version=after.version,
                          changes=[ChangePublic.model_validate(change) for change in changes(
                              public(before).model_dump(mode="json", exclude=_BOOKKEEPING),
                              public(after).model_dump(mode="json", exclude=_BOOKKEEPING))])

    _route(router, "GET", f"/{{{id_name}}}", get, id_name, public_model, "Current state")
    _route(router, "GET", f"/{{{id_name}}}/history", history, id_name,
           list[HistoryEntryPublic], "Every event, in order, as audit entries")
    _route(router, "GET", f"/{{{id_name}}}/diff", diff, id_name, DiffPublic,
           "Field-level changes between two versions of the state",
           "Each field whose value differs from `from_version` to `to_version`, as "
           "`GET …?as_of_version=` shows the state (personal data as the caller may see "
           "it), but `version` and `modified_at`: `{field, from, to}`, dotted into objects "
           "and lists of objects. A version the item never had is 404; from_version after "
           "to_version is 422.")
    for step in steps:
        _step_route(router, service, id_name, public, public_model, step)


def _route(router: APIRouter, method: str, path: str, endpoint: Callable[..., Any],
           id_name: str, model: Any, summary: str, description: str = "") -> None:
    """Add `endpoint` with its `item_id` parameter renamed to the path's `id_name`."""
    signature = inspect.signature(endpoint, eval_str=True)
    params = [_parameter(id_name, UUID) if p.name == "item_id" else p.replace(
        kind=inspect.Parameter.KEYWORD_ONLY) for p in signature.parameters.values()]

    def handler(**kwargs: Any) -> Any:
        kwargs["item_id"] = kwargs.pop(id_name)
        return endpoint(**kwargs)

    handler.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    handler.__name__ = endpoint.__name__
    router.add_api_route(path, handler, methods=[method], response_model=model,
                         summary=summary, description=description)


def once(c: Container, service: str, caller: Caller, command: Callable[[], Any],
         replay: Callable[[Earlier], Any] | None = None) -> Any:
    """Run `command` unless a command under the caller's Idempotency-Key already committed:
    then answer what it answered (the same version and log position; `replay` rebuilds an
    answer that is not one item's state). A retry racing the first attempt fails on the
    state the first one left (a lost race, a stale If-Match, a step already taken) and then
    answers the same way."""
    earlier = c.idempotency.earlier(caller)
    if earlier is None:
        try:
            return command()
        except (ConcurrentUpdate, StaleVersion, RuleViolation):
            earlier = c.idempotency.earlier(caller)
            if earlier is None:
                raise
    if replay is not None:
        return replay(earlier)
    state = getattr(c, service).get(caller, earlier.item_id, earlier.item_version)
    return Result(state, earlier.position,
                  {"number": earlier.number} if earlier.number is not None else {})


def _create_route(router: APIRouter, service: str, public: Callable[[Any], BaseModel],
                  public_model: type[BaseModel], create: Create) -> None:
    def handler(body: Body, caller: Caller, c: Container, response: Response) -> BaseModel:
        use_case = getattr(getattr(c, service), create.use_case)
        result = once(c, service, caller, lambda: use_case(caller, **body.arguments()))
        response.headers["Location"] = f"{router.prefix}/{result.state.id}"
        return answer(response, result, public)

    handler.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        _parameter("body", create.body), _parameter("caller", CommandCaller),
        _parameter("c", ContainerDep), _parameter("response", Response)])
    handler.__name__ = create.use_case
    router.add_api_route("", handler, methods=["POST"], status_code=status.HTTP_201_CREATED,
                         response_model=public_model, summary=create.summary,
                         description=create.description)


def _step_route(router: APIRouter, service: str, id_name: str,
                public: Callable[[Any], BaseModel], public_model: type[BaseModel],
                step: Step) -> None:
    path_names = _PATH_PARAM.findall(step.path)

    def handler(**kwargs: Any) -> BaseModel:
        c, response, body = kwargs["c"], kwargs["response"], kwargs.get("body")
        use_case = getattr(getattr(c, service), step.use_case)
        result = once(c, service, kwargs["caller"], lambda: use_case(
            kwargs["caller"], kwargs[id_name], *(kwargs[name] for name in path_names),
            **(body.arguments() if body is not None else {}),
            expected_version=kwargs["if_match"]))
        state = answer(response, result, public)
        if step.numbered:
            return step.response_model.model_validate(  # type: ignore[union-attr]
                {**state.model_dump(), step.numbered: result.extra["number"]})
        return state

    params = [_parameter(id_name, UUID), *(_parameter(n, int) for n in path_names),
              _parameter("caller", CommandCaller), _parameter("c", ContainerDep),
              _parameter("if_match", IfMatch), _parameter("response", Response)]
    if step.body is not None:
        params.append(_parameter("body", step.body | None, None) if step.body_optional
                      else _parameter("body", step.body))
    handler.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    handler.__name__ = step.use_case
    router.add_api_route(f"/{{{id_name}}}{step.path}", handler, methods=["POST"],
                         response_model=step.response_model or public_model,
                         summary=step.summary, description=step.description)


# --- reads of projections ------------------------------------------------------------------


def documented(params: Mapping[str, Param]) -> dict[str, Any]:
    """OpenAPI for query parameters the application checks (see application/queries.py)."""
    return {"parameters": [
        {"name": name, "in": "query", "required": False, "description": p.description,
         "schema": {k: v for k, v in p.schema.items() if k != "description"}}
        for name, p in params.items()]}


def read_route(router: APIRouter, path: str,
               read: Callable[[ReadSide], Callable[[Caller, Any], dict[str, Any]]],
               params: Mapping[str, Param], model: type[BaseModel], summary: str,
               description: str, tags: list[str | Enum] | None = None) -> None:
    """GET `path`: a read of projections the application checks (`params`, `min_position`
    and `as_of`), as the caller may see it; `read(side)` is the use case on the live read
    side or, with `as_of`, on the past's."""

    def handler(request: Request, caller: CurrentCaller, c: ContainerDep) -> BaseModel:
        with c.reading(request.query_params.multi_items()) as (side, given):
            found = read(side)(caller, given)
        if side.moment is not None:
            found = _links_as_of(found, side.moment)
        return model.model_validate(found)

    handler.__name__ = path.strip("/").replace("/", "_")
    router.add_api_route(path, handler, methods=["GET"], response_model=model, summary=summary,
                         tags=tags, description=description, openapi_extra=documented(
                             {**params, "min_position": MIN_POSITION, "as_of": AS_OF}))


def _links_as_of(found: Any, moment: datetime) -> Any:
    """An as-of answer with its links (the dashboard's `href`s to the rows behind each
    figure) reading the same moment, so a figure and its rows still agree."""
    if isinstance(found, dict):
        return {key: f"{value}{'&' if '?' in value else '?'}"
                     f"{urlencode({'as_of': moment.isoformat()})}"
                if key == "href" and isinstance(value, str) else _links_as_of(value, moment)
                for key, value in found.items()}
    if isinstance(found, list):
        return [_links_as_of(value, moment) for value in found]
    return found


def ledger_router(query: LedgerQuery, model: type[BaseModel], summary: str,
                  description: str = "") -> APIRouter:
    """GET /api/v1/ledgers/{query.name}: one page of the ledger as the caller may see it
    (newest first), with the log position it includes."""
    router = APIRouter(prefix="/api/v1/ledgers", tags=["ledgers 台账"])

    def ledger(request: Request, caller: CurrentCaller, c: ContainerDep) -> BaseModel:
        with c.reading(request.query_params.multi_items()) as (side, given):
            found = side.reads.ledger(caller, query.name, given)
            return model.model_validate({**asdict(found.page), "position": found.position})

    ledger.__name__ = f"{query.name}_ledger"
    router.add_api_route(f"/{query.name}", ledger, methods=["GET"], response_model=model,
                         summary=summary, description=description,
                         openapi_extra=documented({**query.params, "as_of": AS_OF}))
    return router


# --- a case type's resource, mounted from its registration --------------------------------


@dataclass(frozen=True)
class LedgerRoute:
    """How a case type's ledger page is documented: its schema, summary and description."""

    model: type[BaseModel]
    summary: str
    description: str = ""


@dataclass(frozen=True)
class CaseRoutes:
    """A case type's HTTP resource, declared in its router module: the router (its prefix and
    tag; routes of its own added there come before the item routes), the name of an item's id
    in paths, the public schema, how an item starts, its steps, its ledger's page, and routes
    that follow the item routes (`then(router, service)`: the key list). What only the case
    type's registration says — the container attribute of its service, its ledger query — is
    given when the registration mounts it (`with_routes`)."""

    router: APIRouter
    id_name: str
    public_model: type[BaseModel]
    create: Create
    steps: Sequence[Step]
    ledger: LedgerRoute
    then: Callable[[APIRouter, str], None] | None = None

    def mount(self, service: str, query: LedgerQuery) -> tuple[APIRouter, APIRouter]:
        """The resource's router with its item routes, and its ledger's router."""
        item_routes(self.router, service=service, id_name=self.id_name,
                    public_model=self.public_model, create=self.create, steps=self.steps)
        if self.then is not None:
            self.then(self.router, service)
        return self.router, ledger_router(query, self.ledger.model, self.ledger.summary,
                                          self.ledger.description)


def with_routes(case: CaseType, routes: CaseRoutes, *more: APIRouter) -> CaseType:
    """`case` with its routers: its resource's, mounted on the case's own service and ledger,
    then `more`."""
    (query,) = case.ledgers
    return replace(case, routers=(*routes.mount(case.attribute, query), *more))
