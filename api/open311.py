"""Open311 GeoReport v2 at /open311/v2: complaint categories as services, complaints as
service requests followed by their receipt code. Documents: api/open311_format.py.

`api_key` is an account's bearer token. Every error under /open311 — raised by a route,
by routing (404, 405), by a guard before routing (control characters, 413) or a bug — is
an Open311 error document in the path's format, not RFC 9457 (api/errors.py dispatches to
`error_document` for the paths `serves` claims): 400 bad input, 403 missing or invalid
api_key or a role that may not, 404 unknown resource, 405 wrong method.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import Match

from api import errors
from api import open311_format as doc
from api.bootstrap import Container
from api.deps import ContainerDep, public_filing, public_lookup
from api.errors import refusals
from api.schemas.open311 import (
    FILING_FORM,
    CreatedDocument,
    DiscoveryDocument,
    ServiceDefinitionDocument,
    ServiceDocument,
    ServiceRequestDocument,
    answers,
)
from application.complaints import ComplaintState
from application.context import Caller
from application.errors import Forbidden, NotFound, NotReady, TooManyRequests
from domain.complaint import Category, ComplaintDetails, Status
from domain.errors import InvalidValue

MOUNT = "/open311"
PREFIX = f"{MOUNT}/v2"
DEFAULT_LIMIT = 50
CONTACT = "柳州市投资促进局 营商环境投诉举报受理窗口"
# Open311 has no 401, 409, 412 or 422: a key problem is 403, any other refusal 400.
OPEN311_STATUS = {401: 403, 409: 400, 412: 400, 422: 400}
_LOCATIONS = ("query", "path", "body", "header")


def serves(path: str) -> bool:
    """Whether `path` lies under the Open311 mount, known resource or not."""
    return path == MOUNT or path.startswith(f"{MOUNT}/")


def format_of(path: str) -> str:
    """The format an answer on `path` takes: json for a .json path, else the standard's xml."""
    return "json" if path.endswith(".json") else "xml"


router = APIRouter(prefix=PREFIX, tags=["Open311 GeoReport v2"])


def error_document(request: Request, exc: Exception) -> Response:
    """Any error on an Open311 path as the Open311 error document, in the path's format,
    naming the Open311 fields (description, not the complaint's content)."""
    headers: dict[str, str] = {}
    if isinstance(exc, RequestValidationError):
        status = 400
        detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in _LOCATIONS)}"
                           f": {e.get('msg')}" for e in exc.errors())
    elif isinstance(exc, HTTPException):
        status, detail = exc.status_code, str(exc.detail)
    else:
        status, detail = errors.status_of(exc), str(exc)
    if status == 404 and isinstance(exc, HTTPException):  # routing found no resource
        detail = (f"no Open311 resource at {request.url.path}; "
                  f"see {PREFIX}/discovery.xml")
    elif status == 405:
        allowed = _allowed_methods(request)
        headers["Allow"] = allowed
        detail = f"method {request.method} not allowed here; use {allowed}"
    elif status == 500:
        detail = "internal error / 内部错误"
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    elif status == 503:
        headers["Retry-After"] = "1" if isinstance(exc, NotReady) else "5"
    return doc.render_error(format_of(request.url.path), OPEN311_STATUS.get(status, status),
                            doc.open311_names(detail), headers or None)


def _allowed_methods(request: Request) -> str:
    """Every method some Open311 route takes at this path (routing names only the first)."""
    methods = {method for route in router.routes if isinstance(route, APIRoute)
               and route.matches(request.scope)[0] != Match.NONE
               for method in route.methods or ()}
    return ", ".join(sorted(methods))


def _fmt(fmt: str) -> str:
    if fmt not in doc.FORMATS:
        msg = f"format must be xml or json (as in services.xml), got {fmt!r} / 格式须为xml或json"
        raise InvalidValue(msg)
    return fmt


def _service_code(code: str | None) -> str:
    if not code:
        raise InvalidValue("service_code is required; see services.xml / 须给出服务类别")
    if code not in Category.labels():
        msg = (f"unknown service_code {code!r}; known: {', '.join(Category.labels())} / "
               "服务类别不在所列取值之中")
        raise NotFound(msg)
    return code


def _caller(c: Container, request: Request, api_key: str | None) -> Caller | None:
    if not api_key:
        return None
    return c.accounts.authenticate(api_key, request.state.request_id)


async def _form_fields(request: Request) -> dict[str, str]:
    """The url-encoded form the standard posts (the first value of each field)."""
    if request.headers.get("content-type", "").startswith("multipart/"):
        raise InvalidValue("send the request as application/x-www-form-urlencoded / "
                           "请以表单格式提交")
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise InvalidValue("the form must be UTF-8 encoded / 表单须为UTF-8编码") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(key, value.strip())
    return fields


FormFields = Annotated[dict[str, str], Depends(_form_fields)]
# Checked by `_fmt`, so that a wrong one says what is right in the path's format.
Format = Annotated[str, Path(description="xml (the standard's) or json",
                             json_schema_extra={"enum": list(doc.FORMATS)})]


# --- services -------------------------------------------------------------------------------


@router.get("/discovery.{fmt}", summary="Service discovery",
            responses=answers(DiscoveryDocument))
def discovery(fmt: Format, request: Request) -> Response:
    base = str(request.base_url).rstrip("/") + PREFIX
    return doc.render(_fmt(fmt), "discovery", doc.discovery(base, CONTACT))


@router.get("/services.{fmt}", summary="Services: the complaint categories",
            responses=answers(list[ServiceDocument]))
def services(fmt: Format) -> Response:
    return doc.render(_fmt(fmt), "services", [doc.service(code) for code in Category])


@router.get("/services/{service_code}.{fmt}", summary="A service definition",
            responses={**answers(ServiceDefinitionDocument),
                       **refusals({404: "No service with this code"})})
def service_definition(service_code: str, fmt: Format, c: ContainerDep) -> Response:
    fmt = _fmt(fmt)
    return doc.render(fmt, "service_definition",
                      doc.service_definition(_service_code(service_code), c.units))


# --- service requests ---------------------------------------------------------------------


@router.post("/requests.{fmt}", status_code=201, summary="File a complaint",
             openapi_extra=FILING_FORM,
             responses={**answers(list[CreatedDocument], 201), **refusals({
                 403: "An unknown api_key, or an account that may not file complaints",
                 404: "No service with this service_code",
                 429: "Too many filings without an api_key from this address"})})
def create_request(fmt: Format, form: FormFields, request: Request, c: ContainerDep
                   ) -> Response:
    """With api_key the account files (as POST /api/v1/complaints, channel website);
    without one it is a public website complaint. Location is accepted and ignored."""
    fmt = _fmt(fmt)
    caller = _caller(c, request, form.get("api_key"))
    details = ComplaintDetails(
        channel="website", category=_service_code(form.get("service_code")),
        content=form.get("description", ""),
        respondent_unit=form.get(f"attribute[{doc.RESPONDENT_ATTRIBUTE}]") or doc.BUREAU_UNIT,
        complainant=doc.complainant(form))
    if caller is None:
        public_filing(request)
        result = c.complaints.file_public(details, request.state.request_id)
    else:
        result = c.complaints.file(caller, details)
    state = result.state
    notice = (f"已登记，受理编号 {state.receipt}：凭此编号查询办理进度 "
              f"(GET {PREFIX}/requests/{state.receipt}.{fmt})，查询结果不含个人信息。")
    if state.open_deadlines:
        notice += f"受理期限 {state.open_deadlines[0]['due']}。"
    created = [{"service_request_id": state.receipt, "service_notice": notice,
                "account_id": caller.account_id if caller else None}]
    return doc.render(fmt, "service_requests", created, 201, headers={
        "Location": f"{PREFIX}/requests/{state.receipt}.{fmt}",
        "X-Ledger-Position": str(result.position)})


def _element(c: Container, state: ComplaintState, full: bool) -> dict[str, Any]:
    return doc.request_element(state, full, c.units, c.clock.zone)


def _followed(c: Container, caller: Caller | None, receipt: str) -> dict[str, Any]:
    try:
        state, full = c.complaints.by_receipt(caller, receipt)
    except NotFound:
        raise NotFound(f"no service request with id (receipt code) {receipt!r} / "
                       "没有该回执码的诉求") from None
    return _element(c, state, full)


@router.get("/requests/{service_request_id}.{fmt}", summary="A complaint by receipt code",
            responses={**answers(list[ServiceRequestDocument]), **refusals({
                403: "An unknown api_key", 404: "No complaint with this receipt code (or "
                "none the api_key's account may read)",
                429: "Too many look-ups without an api_key from this address"})})
def get_request(service_request_id: str, fmt: Format, request: Request, c: ContainerDep,
                api_key: str | None = None) -> Response:
    """Public without api_key; an account that may read the complaint also gets its content,
    decline reason and reply summary."""
    fmt = _fmt(fmt)
    caller = _caller(c, request, api_key)
    if caller is None:
        public_lookup(request)
    return doc.render(fmt, "service_requests", [_followed(c, caller, service_request_id)])


@router.get("/requests.{fmt}", summary="Complaints, newest first",
            responses={**answers(list[ServiceRequestDocument]), **refusals({
                403: "An unknown api_key, or none where the public search is turned off",
                429: "Too many searches without an api_key from this address"})})
def list_requests(fmt: Format, request: Request, c: ContainerDep, api_key: str | None = None,
                  service_request_id: str | None = None, service_code: str | None = None,
                  start_date: str | None = None, end_date: str | None = None,
                  status: str | None = None,
                  min_position: Annotated[int | None, Query(ge=0)] = None) -> Response:
    """With service_request_id (receipt codes, comma separated; overrides the other
    filters) each known one is shown as by requests/{id}, api_key optional. Otherwise an
    api_key of an account that reads complaints is required: at most 50, newest first,
    from the complaint ledger (min_position waits for one's own writes, as for ledgers)."""
    fmt = _fmt(fmt)
    caller = _caller(c, request, api_key)
    receipts = doc.csv(service_request_id)
    if receipts:
        if caller is None:
            public_lookup(request)
        elements = []
        for receipt in receipts:
            try:
                elements.append(_followed(c, caller, receipt))
            except NotFound:
                continue
        return doc.render(fmt, "service_requests", elements)
    if caller is None and not c.settings.open311_public_search:
        raise Forbidden("api_key required to search service requests; follow one without "
                        "it at requests/{service_request_id} / 查询诉求列表须提供api_key")
    f = doc.request_filter(service_code, status, start_date, end_date, c.clock.zone)
    first, last = doc.received_range(f, c.clock.zone)
    statuses = f.statuses and [s for s in Status if doc.open311_status(s) in f.statuses]
    filters: dict[str, Any] = {"category": sorted(f.codes) if f.codes else None,
                               "status": statuses, "received_from": first, "received_to": last}
    if caller is None:  # the public view: no description, no personal data
        public_lookup(request)
        found = c.complaints.public_search(filters, DEFAULT_LIMIT, min_position)
        return doc.render(fmt, "service_requests", [_element(c, x, False) for x in found])
    found = c.complaints.search(caller, filters, DEFAULT_LIMIT, min_position)
    return doc.render(fmt, "service_requests", [_element(c, x, True) for x in found])
