"""The OpenAPI document, complete: each operation declares the refusals it can answer, each
as the one problem-details schema (RFC 9457, `application/problem+json`), and Open311
operations their own documents, in XML and JSON.

Which refusals an operation can answer follows from what it depends on, so a new route is
documented without a word: a caller (401, 403), the container (503: starting, database
away, `min_position` not reached), a body (413), an item in its path (404), a command (409)
with If-Match (412), a public rate limit (429); every route checks its query string and
path (422). A route whose use case refuses more names only those, with why, in its
`responses` (`refusals(...)`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from api import deps, open311
from api.errors import PROBLEM
from api.schemas.common import Problem

# A route any account may call says so (`openapi_extra={ROLES: EVERY_ACCOUNT}`): no 403.
ROLES, EVERY_ACCOUNT = "x-roles", "every account"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
OPEN311_ERRORS_REF = {"$ref": "#/components/schemas/Open311Errors"}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying",
                               "schema": {"type": "integer", "minimum": 0}}}
WHY = {
    400: "Malformed input, or a refusal of the use case (Open311 has no 409 or 422)",
    401: "No token, an unknown token, or one reissued or deactivated",
    403: "The role or unit may not do this",
    404: "No such item",
    405: "Wrong method for this path (`Allow` names the right ones)",
    409: "A rule refuses the step in the item's current state, or another writer saved first",
    412: "`If-Match` names a stale version",
    413: "The body is larger than LEDGER_MAX_BODY_BYTES",
    422: "Malformed input: missing or unknown fields or query parameters, values out of "
         "range, unknown codes, control characters",
    429: "Too many requests without an account from this address",
    503: "Starting, the database cannot be reached, or a ledger did not reach "
         "`min_position` in time",
}
HEADERS = {
    401: {"WWW-Authenticate": {"description": 'Bearer realm="investledger"',
                               "schema": {"type": "string"}}},
    429: RETRY_AFTER,
    503: RETRY_AFTER,
}
# Any text but control characters (those of domain.shared.CONTROL_CHARACTERS).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
OPEN311_ERRORS_SCHEMA = {
    "type": "array", "minItems": 1, "description": "The Open311 error document",
    "items": {"type": "object", "required": ["code", "description"],
              "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}},
}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def error_statuses(route: APIRoute) -> set[int]:
    """The refusals `route` can answer, from what it depends on."""
    calls = set(_calls(route.dependant))
    found = {422}
    if deps.get_container in calls:
        found.add(503)
    if deps.get_caller in calls:
        found.add(401)
        if (route.openapi_extra or {}).get(ROLES) != EVERY_ACCOUNT:
            found.add(403)
    if route.dependant.path_params:
        found.add(404)
    if route.body_field is not None:
        found.add(413)
    if deps.get_command_caller in calls:
        found.add(409)
    if deps.get_if_match in calls:
        found.add(412)
    if calls & {deps.public_filing, deps.public_lookup}:
        found.add(429)
    return found


def open311_statuses(route: APIRoute) -> set[int]:
    """An Open311 operation's refusals that every one of them shares: bad input (400, what
    the rest of the API answers 409 or 422 too), the database (503), a body (413). Each route
    names the others (an api_key's 403, an unknown resource's 404, the public rate's 429)."""
    found = {400}
    if deps.get_container in set(_calls(route.dependant)):
        found.add(503)
    if "POST" in (route.methods or ()):
        found.add(413)
    return found


def _problem_response(status: int, declared: Mapping[str, Any]) -> dict[str, Any]:
    content = dict(declared.get("content", {}))
    content[PROBLEM] = {"schema": PROBLEM_REF}
    answer = {**declared, "description": declared.get("description") or WHY[status],
              "content": content}
    if status in HEADERS:
        answer["headers"] = {**HEADERS[status], **declared.get("headers", {})}
    return answer


def _open311_response(status: int, declared: Mapping[str, Any]) -> dict[str, Any]:
    answer = {**declared, "description": declared.get("description") or WHY.get(status, ""),
              "content": {"text/xml": {"schema": {"type": "string"}},
                          "application/json": {"schema": OPEN311_ERRORS_REF}}}
    if status in (429, 503):
        answer["headers"] = RETRY_AFTER
    return answer


def _document_route(route: APIRoute, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)  # FastAPI's own validation error shape: we answer a problem
    is_open311 = open311.serves(route.path_format)
    statuses = open311_statuses(route) if is_open311 else error_statuses(route)
    statuses |= {int(s) for s in responses if s.isdigit() and int(s) >= 400}
    for status in sorted(statuses):
        declared = responses.get(str(status), {})
        responses[str(status)] = (_open311_response if is_open311 else _problem_response)(
            status, declared)


class _TextInputs:
    """Marks every free text a client sends — body fields, path and query parameters — with
    what the server refuses in all of them: control characters but tab, CR and LF (422)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
        self.seen: set[str] = set()
        for operations in doc["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", ()):
                    self.visit(parameter.get("schema"))
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    self.visit(media.get("schema"))

    def visit(self, schema: Any) -> None:
        if isinstance(schema, list):
            for item in schema:
                self.visit(item)
        elif isinstance(schema, dict):
            self._follow(schema.get("$ref", ""))
            if schema.get("type") == "string" and not schema.keys() & {
                    "format", "pattern", "enum", "const"}:
                schema["pattern"] = TEXT_PATTERN
            for sub in schema.get("properties", {}).values():
                self.visit(sub)
            for key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
                self.visit(schema.get(key))

    def _follow(self, ref: str) -> None:
        if ref.startswith("#/components/schemas/") and ref not in self.seen:
            self.seen.add(ref)
            self.visit(self.schemas.get(ref.rsplit("/", 1)[-1]))


def _api_routes(app: FastAPI) -> Iterator[APIRoute]:
    """The app's documented routes, as mounted (included routers' prefixes applied)."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute) and context.include_in_schema:
            yield cast(APIRoute, context)


def document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document, with every operation's refusals."""
    doc = get_openapi(title=app.title, version=app.version, description=app.description,
                      routes=app.routes, tags=app.openapi_tags, servers=app.servers)
    for route in _api_routes(app):
        operations = doc["paths"][route.path_format]
        for method in route.methods or ():
            _document_route(route, operations[method.lower()])
    _TextInputs(doc)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    schemas["Open311Errors"] = OPEN311_ERRORS_SCHEMA
    return doc


def install(app: FastAPI) -> None:
    """Serve `document` (built once, on the first request for it) as /openapi.json."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
