"""Who may call what: every operation of the OpenAPI document × every test account × its own
and another item, against a matrix written here from the product rules (DESIGN.md roles, the
intended policy, the behaviour the other e2e tests pin). The matrix is not computed from
application/policy.py, so a policy entry or a route that drifts from the rules fails here,
cell by cell. Also: the order of checks on a command (403 before 412 before 422) and that a
refused command writes nothing.

Notation of a rule's `allow`: `bureau` — the role acts on every item; `unit:own` — only on
the item related to the account (the `unit` account: the own item, of liudong; the
`other_unit` account: the other item, of liujiang; `enterprise` and `leader`: the own item).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import Container, build
from application.checkpoints import keygen
from tests.conftest import ROLE_ACCOUNTS, auth, sqlite_settings
from tests.e2e.matrix_world import (
    GIVEN,
    ITEMS,
    LEADER,
    RELATED_ITEM,
    Accounts,
    Item,
    World,
    fresh_code,
)

ROLES = frozenset({"admin", "leader", "supervisor", "bureau", "unit", "park_office", "agent",
                   "enterprise"})
ROLE_OF = {key: role for key, (_, role, _) in ROLE_ACCOUNTS.items()}
EVERYONE = " ".join(sorted(ROLES))
STAFF = "admin bureau"  # 系统管理员, 投促局
READ_ALL = "admin bureau supervisor leader"
SUPERVISION = "admin supervisor"  # 督查督办 (and the administrator)
FILERS = "admin bureau supervisor enterprise"  # who registers complaints; an enterprise its own
FUTURE = "2099-01-01"
PROBLEM_JSON = "application/problem+json"

# Path parameters naming an item: the case type and which of the item's values fills it.
ITEM_PARAMS = {
    "project_id": ("project", "id"), "complaint_id": ("complaint", "id"),
    "enterprise_id": ("enterprise", "id"), "request_id": ("request", "id"),
    "credit_code": ("enterprise", "code"), "receipt": ("complaint", "code"),
    "service_request_id": ("complaint", "code"),
    "order_id": ("order", "id"), "meeting_id": ("meeting", "id"),
    "park_id": ("park", "id"), "review_id": ("park_entry_review", "id"),
    "case_id": ("agency_case", "id"),
}
# Path parameters that name no item.
FIXED_PARAMS = {"number": "1", "fmt": "json", "service_code": "approval_service"}
_PARAM = re.compile(r"{(\w+)}")

Body = dict[str, Any] | Callable[[World, Item | None], dict[str, Any]] | None


@dataclass(frozen=True)
class Rule:
    """Who may call one operation, and how to call it validly.

    `auth`: "bearer" (Authorization header), "api_key" (Open311: a query or form field) or
    "none" (public). `anonymous`: an api_key route that also serves callers without one.
    `item`: the case type whose own/other item the call names, when the path does not say
    (the enterprise a request is raised for). `given`: the state (matrix_world.GIVEN) both
    items are put in first, so the step can succeed for who may take it. `query`: the query
    parameters of a valid call, for an operation that requires some."""

    allow: str
    body: Body = None
    given: str = ""
    auth: str = "bearer"
    anonymous: bool = False
    item: str = ""
    query: dict[str, str] | None = None


def _another_leader(world: World, item: Item | None) -> dict[str, Any]:
    return {"leader": world.leader_account("other")}


def _project_body(world: World, item: Item | None) -> dict[str, Any]:
    return {"name": "新能源汽车零部件项目", "investor": "广西示例科技有限公司", "industry": "汽车",
            "total_investment": "12000.5", "county": "liudong", "responsible_unit": "liudong",
            "on": "2025-01-10"}


def _enterprise_body(world: World, item: Item | None) -> dict[str, Any]:
    return {"name": "柳州某机械有限公司", "credit_code": fresh_code(), "industry": "机械",
            "county": "liudong", "on": "2025-01-06"}


def _key_list(field: str) -> Callable[[World, Item | None], dict[str, Any]]:
    """A whole year's key list naming the own or the other item."""
    def body(world: World, item: Item | None) -> dict[str, Any]:
        assert item is not None
        return {"year": 2025, field: [item.id], "reason": "柳政发〔2025〕3号", "on": "2025-02-10"}
    return body


def _agency_body(world: World, item: Item | None) -> dict[str, Any]:
    assert item is not None
    return {"credit_code": item.code, "agent": world.agent_account("own"),
            "opened_on": "2025-02-03"}


def _another_agent(world: World, item: Item | None) -> dict[str, Any]:
    return {"agent": world.agent_account("other"), "reason": "工作调整"}


def _request_body(world: World, item: Item | None) -> dict[str, Any]:
    assert item is not None
    return {"credit_code": item.code, "source": "online", "category": "labour",
            "description": "春节后用工缺口约200人", "raised_on": "2025-03-03"}


ORDER_BODY = {"subject": None, "task": "协调解决用地指标", "unit": "liudong", "on": "2025-09-30"}
MEETING_BODY = {"date": "2025-09-20", "title": "项目协调推进会", "chair": LEADER,
                "units": ["liudong"], "projects": []}
def _park_body(world: World, item: Item | None) -> dict[str, Any]:
    return {"name": f"柳东新区某产业园 {fresh_code()}", "level": "district",
            "county": "liudong", "managing_unit": "ldgwh", "area_mu": "5000",
            "leading_industries": ["汽车", "new_energy"], "on": "2025-01-02"}


def _review_body(world: World, item: Item | None) -> dict[str, Any]:
    """Another review of the project and park an existing review names (`item`'s)."""
    assert item is not None
    which = next(w for w, i in world.items("park_entry_review").items() if i == item)
    return {"project_id": world.items("project")[which].id,
            "park_id": world.items("park")[which].id, "land_area_mu": "80",
            "investment_intensity": "300", "on": "2025-02-10"}


COMPLAINT = {"channel": "hotline", "category": "approval_service",
             "content": "施工许可审批超时两个月未办结", "respondent_unit": "xzspj",
             "received_on": "2025-09-26",
             "complainant": {"name": "韦投诉人", "phone": "13807724567"}}
PUBLIC_COMPLAINT = {"category": "approval_service", "content": "窗口推诿",
                    "respondent_unit": "xzspj"}
OPEN311_FORM = {"service_code": "approval_service", "description": "窗口推诿",
                "last_name": "韦", "first_name": "先生"}

P, C, E, R, A = ("/api/v1/projects", "/api/v1/complaints", "/api/v1/enterprises",
                 "/api/v1/requests", "/api/v1/agency-cases")
PROJECT = f"{P}/{{project_id}}"
COMPLAINT_ITEM = f"{C}/{{complaint_id}}"
ENTERPRISE = f"{E}/{{enterprise_id}}"
REQUEST = f"{R}/{{request_id}}"
AGENCY = f"{A}/{{case_id}}"
O311 = "/open311/v2"
ORDERS, MEETINGS = "/api/v1/orders", "/api/v1/meetings"
ORDER = f"{ORDERS}/{{order_id}}"
MEETING = f"{MEETINGS}/{{meeting_id}}"

# An agent reads the projects and enterprises its agency cases name.
PROJECT_READERS = f"{READ_ALL} park_office agent:own unit:own"
COMPLAINT_READERS = f"{READ_ALL} unit:own enterprise:own"
ENTERPRISE_READERS = f"{READ_ALL} unit:own enterprise:own agent:own"
REQUEST_READERS = f"{READ_ALL} unit:own enterprise:own"
AGENCY_READERS = f"{READ_ALL} agent:own enterprise:own"
AGENCY_HANDLERS = f"{STAFF} agent:own"  # the case's agent (代办员) and the bureau
PROJECT_HANDLERS = f"{STAFF} unit:own"  # the responsible unit (责任单位)
ORDER_READERS = f"{READ_ALL} unit:own"  # the unit the order is issued to
MEETING_READERS = f"{READ_ALL} unit:own"  # the units taking part or with an action item
MEETING_RECORDERS = f"{STAFF} leader"
PARKS = "/api/v1/parks"
PARK = f"{PARKS}/{{park_id}}"
REVIEWS = "/api/v1/park-entry-reviews"
REVIEW = f"{REVIEWS}/{{review_id}}"
PARK_OFFICE = "admin park_office"  # 园区办 (and the administrator)
PARK_READERS = f"{READ_ALL} park_office unit:own"  # a park's managing unit reads it
REVIEW_READERS = f"{READ_ALL} park_office unit:own"  # a reviewing unit reads its reviews

MATRIX: dict[tuple[str, str], Rule] = {
    # --- meta ----------------------------------------------------------------------------
    ("GET", "/healthz"): Rule(EVERYONE, auth="none"),
    ("GET", "/readyz"): Rule(EVERYONE, auth="none"),
    ("GET", "/api/v1/units"): Rule(EVERYONE),
    # --- 招商项目 ------------------------------------------------------------------------
    ("POST", P): Rule(STAFF, _project_body),
    ("GET", PROJECT): Rule(PROJECT_READERS),
    ("GET", f"{PROJECT}/history"): Rule(PROJECT_READERS),
    ("GET", f"{PROJECT}/diff"): Rule(PROJECT_READERS),
    ("POST", f"{PROJECT}/revise"): Rule(STAFF, {"park": "柳东汽车城"}),
    ("POST", f"{PROJECT}/sign"): Rule(STAFF, {"date": "2025-03-01", "contract_amount": "8000"}),
    ("POST", f"{PROJECT}/start-construction"): Rule(STAFF, {"date": "2025-04-15"},
                                                    given="signed"),
    ("POST", f"{PROJECT}/start-production"): Rule(STAFF, {"date": "2025-09-01"},
                                                  given="under_construction"),
    ("POST", f"{PROJECT}/terminate"): Rule(STAFF, {"reason": "投资方撤资"}),
    # 更正 and 撤销终止: bureau staff only.
    ("POST", f"{PROJECT}/correct"): Rule(STAFF, {"field": "sign_date", "value": "2025-03-02",
                                                 "reason": "签约日期录错"}, given="signed"),
    ("POST", f"{PROJECT}/revoke-termination"): Rule(STAFF, {"reason": "终止系误录"},
                                                    given="terminated"),
    ("POST", f"{PROJECT}/reassign"): Rule(STAFF, {"unit": "fgw", "reason": "调整分工"}),
    ("POST", f"{PROJECT}/designate-key"): Rule(STAFF, {"year": 2025, "reason": "市重点"}),
    ("POST", f"{PROJECT}/drop-key"): Rule(STAFF, {"year": 2025, "reason": "调整"},
                                          given="key_project"),
    ("POST", f"{PROJECT}/report-progress"): Rule(PROJECT_HANDLERS,
                                                 {"period": "2025-05", "text": "进展顺利"}),
    ("POST", f"{PROJECT}/raise-problem"): Rule(PROJECT_HANDLERS, {"text": "电力接入慢"}),
    ("POST", f"{PROJECT}/problems/{{number}}/resolve"): Rule(
        PROJECT_HANDLERS, {"resolution": "已协调解决"}, given="with_problem"),
    ("POST", f"{PROJECT}/instructions/{{number}}/answer"): Rule(
        PROJECT_HANDLERS, {"text": "已落实"}, given="with_instruction"),
    ("POST", f"{PROJECT}/instruct"): Rule("leader", {"text": "抓紧推进"}),  # 批示: leaders only
    ("POST", f"{PROJECT}/comment"): Rule(PROJECT_READERS, {"text": "请关注用地进度"}),
    ("GET", "/api/v1/ledgers/projects"): Rule(f"{READ_ALL} park_office agent unit"),
    ("POST", f"{P}/key-list"): Rule(STAFF, _key_list("project_ids"), item="project"),
    # --- 营商环境投诉举报 ----------------------------------------------------------------
    ("POST", C): Rule(FILERS, COMPLAINT),
    ("GET", COMPLAINT_ITEM): Rule(COMPLAINT_READERS),
    ("GET", f"{COMPLAINT_ITEM}/history"): Rule(COMPLAINT_READERS),
    ("GET", f"{COMPLAINT_ITEM}/diff"): Rule(COMPLAINT_READERS),
    ("GET", "/api/v1/complaints/by-receipt/{receipt}"): Rule(COMPLAINT_READERS),
    # Intake is the bureau's; both items are already assigned, so it answers 409 to them.
    ("POST", f"{COMPLAINT_ITEM}/accept"): Rule(STAFF, {"note": "受理"}),
    ("POST", f"{COMPLAINT_ITEM}/decline"): Rule(STAFF, {"reason": "不属于受理范围"}),
    ("POST", f"{COMPLAINT_ITEM}/assign"): Rule(STAFF, {"unit": "fgw"}),
    ("POST", f"{COMPLAINT_ITEM}/correct"): Rule(STAFF, {"field": "channel", "value": "mailbox",
                                                        "reason": "来自投诉信箱"}),
    # Only the unit the complaint is assigned to (承办单位) handles it.
    ("POST", f"{COMPLAINT_ITEM}/acknowledge"): Rule("unit:own", {}),
    ("POST", f"{COMPLAINT_ITEM}/return"): Rule("unit:own", {"reason": "不属于本单位职责"}),
    ("POST", f"{COMPLAINT_ITEM}/reply"): Rule("unit:own", {"text": "已办理"},
                                              given="acknowledged"),
    ("POST", f"{COMPLAINT_ITEM}/request-extension"): Rule(
        "unit:own", {"reason": "需协调多部门", "until": "2099-12-31"}),
    # The supervision office (督查督办) decides extensions, urges, calls back and closes.
    ("POST", f"{COMPLAINT_ITEM}/approve-extension"): Rule(SUPERVISION, {},
                                                          given="extension_requested"),
    ("POST", f"{COMPLAINT_ITEM}/refuse-extension"): Rule(SUPERVISION, {"reason": "理由不充分"},
                                                         given="extension_requested"),
    ("POST", f"{COMPLAINT_ITEM}/urge"): Rule(SUPERVISION, {"text": "请加快办理"}),
    # 批示: leaders (and the administrator) instruct; the assigned unit or staff answer.
    ("POST", f"{COMPLAINT_ITEM}/instruct"): Rule("admin leader", {"text": "依法妥善处理"}),
    ("POST", f"{COMPLAINT_ITEM}/instructions/{{number}}/answer"): Rule(
        f"{STAFF} unit:own", {"text": "已落实"}, given="complaint_instruction"),
    ("POST", f"{COMPLAINT_ITEM}/callback"): Rule(SUPERVISION, {"satisfaction": "satisfied"},
                                                 given="replied"),
    ("POST", f"{COMPLAINT_ITEM}/close"): Rule(SUPERVISION, {}, given="called_back"),
    ("GET", "/api/v1/ledgers/complaints"): Rule(f"{READ_ALL} unit enterprise"),
    ("GET", "/api/v1/supervision/overdue"): Rule(f"{READ_ALL} unit"),
    # 督查督办工作台 and the open items behind its figures: a unit sees its own.
    ("GET", "/api/v1/supervision/dashboard"): Rule(f"{READ_ALL} unit"),
    ("GET", "/api/v1/supervision/items"): Rule(f"{READ_ALL} unit"),
    ("GET", "/api/v1/stats/units"): Rule(READ_ALL),
    ("GET", "/api/v1/stats/complaints"): Rule(READ_ALL),
    # --- the public website channel ------------------------------------------------------
    ("POST", "/api/v1/public/complaints"): Rule(EVERYONE, PUBLIC_COMPLAINT, auth="none"),
    ("GET", "/api/v1/public/complaints/{receipt}"): Rule(EVERYONE, auth="none"),
    # --- 企业 ------------------------------------------------------------------------------
    ("POST", E): Rule(STAFF, _enterprise_body),
    ("GET", f"{E}/by-code/{{credit_code}}"): Rule(ENTERPRISE_READERS),
    ("GET", ENTERPRISE): Rule(ENTERPRISE_READERS),
    ("GET", f"{ENTERPRISE}/history"): Rule(ENTERPRISE_READERS),
    ("GET", f"{ENTERPRISE}/diff"): Rule(ENTERPRISE_READERS),
    ("POST", f"{ENTERPRISE}/revise"): Rule(STAFF, {"name": "柳州某集团"}),
    ("POST", f"{ENTERPRISE}/link-leader"): Rule(STAFF, _another_leader),
    ("POST", f"{ENTERPRISE}/unlink-leader"): Rule(STAFF, {"reason": "领导分工调整"}),
    # 调研: bureau staff on any enterprise, a leader on the enterprises linked to them.
    ("POST", f"{ENTERPRISE}/visits"): Rule(f"{STAFF} leader:own", {
        "date": "2025-03-03", "kind": "visit", "hosted_by": LEADER, "notes": "调研用工"}),
    ("POST", f"{ENTERPRISE}/designate-key"): Rule(STAFF, {"year": 2025, "reason": "重点企业"}),
    ("POST", f"{ENTERPRISE}/drop-key"): Rule(STAFF, {"year": 2025, "reason": "调整"},
                                             given="key_enterprise"),
    ("POST", f"{E}/key-list"): Rule(STAFF, _key_list("enterprise_ids"), item="enterprise"),
    ("GET", "/api/v1/ledgers/enterprises"): Rule(f"{READ_ALL} unit enterprise agent"),
    # --- 企业诉求 --------------------------------------------------------------------------
    # An enterprise raises requests for itself only (online); the item is the enterprise.
    ("POST", R): Rule(f"{STAFF} enterprise:own", _request_body, item="enterprise"),
    ("GET", REQUEST): Rule(REQUEST_READERS),
    ("GET", f"{REQUEST}/history"): Rule(REQUEST_READERS),
    ("GET", f"{REQUEST}/diff"): Rule(REQUEST_READERS),
    ("POST", f"{REQUEST}/assign"): Rule(STAFF, {"lead_unit": "fgw"}),
    ("POST", f"{REQUEST}/correct"): Rule(STAFF, {"field": "category", "value": "power",
                                                 "reason": "类别录错"}),
    ("POST", f"{REQUEST}/progress"): Rule(f"{STAFF} unit:own", {"text": "已对接人社局"}),
    ("POST", f"{REQUEST}/outcome"): Rule(f"{STAFF} unit:own", {"outcome": "resolved"}),
    ("POST", f"{REQUEST}/feedback"): Rule(f"{STAFF} enterprise:own", {"feedback": "satisfied"},
                                          given="answered"),
    # 批示: leaders (and the administrator) instruct; the lead unit or staff answer.
    ("POST", f"{REQUEST}/instruct"): Rule("admin leader", {"text": "协调解决用工"}),
    ("POST", f"{REQUEST}/instructions/{{number}}/answer"): Rule(
        f"{STAFF} unit:own", {"text": "已落实"}, given="request_instruction"),
    ("POST", f"{REQUEST}/close"): Rule(f"{STAFF} supervisor", {}, given="confirmed"),
    ("GET", "/api/v1/ledgers/requests"): Rule(f"{READ_ALL} unit enterprise"),
    ("GET", "/api/v1/stats/requests"): Rule(READ_ALL),
    ("GET", "/api/v1/stats/projects"): Rule(READ_ALL),
    # --- 督办单: the supervision office pursues, the unit it is issued to responds -------
    ("POST", ORDERS): Rule(SUPERVISION, ORDER_BODY),
    ("GET", ORDER): Rule(ORDER_READERS),
    ("GET", f"{ORDER}/history"): Rule(ORDER_READERS),
    ("GET", f"{ORDER}/diff"): Rule(ORDER_READERS),
    ("POST", f"{ORDER}/respond"): Rule("unit:own", {"text": "已办结", "done": True}),
    ("POST", f"{ORDER}/close"): Rule(SUPERVISION, {}, given="responded_done"),
    ("POST", f"{ORDER}/return"): Rule(SUPERVISION, {"reason": "材料不全"},
                                      given="responded_done"),
    ("POST", f"{ORDER}/urge"): Rule(SUPERVISION, {"text": "请加快办理"}),
    ("POST", f"{ORDER}/notify"): Rule(SUPERVISION, {"text": "逾期未办结，予以通报"}),
    ("GET", "/api/v1/ledgers/orders"): Rule(f"{READ_ALL} unit"),
    # --- 协调推进会: bureau staff and leaders record; each unit marks its own items --------
    ("POST", MEETINGS): Rule(MEETING_RECORDERS, MEETING_BODY),
    ("GET", MEETING): Rule(MEETING_READERS),
    ("GET", f"{MEETING}/history"): Rule(MEETING_READERS),
    ("GET", f"{MEETING}/diff"): Rule(MEETING_READERS),
    ("POST", f"{MEETING}/items"): Rule(MEETING_RECORDERS, {
        "unit": "liudong", "task": "协调电力接入", "due": "2099-12-31"}),
    ("POST", f"{MEETING}/items/{{number}}/done"): Rule("unit:own", {"text": "电力已接入"}),
    ("POST", f"{MEETING}/items/{{number}}/reopen"): Rule(SUPERVISION, {"reason": "未完成"},
                                                         given="action_done"),
    ("GET", "/api/v1/ledgers/meetings"): Rule(f"{READ_ALL} unit"),
    # --- 园区 and 入园联合论证 ------------------------------------------------------------
    ("GET", "/api/v1/industries"): Rule(EVERYONE),
    ("POST", PARKS): Rule(PARK_OFFICE, _park_body),
    ("GET", PARK): Rule(PARK_READERS),
    ("GET", f"{PARK}/history"): Rule(PARK_READERS),
    ("GET", f"{PARK}/diff"): Rule(PARK_READERS),
    ("POST", f"{PARK}/leading-industries"): Rule(PARK_OFFICE, {"industries": ["机械", "汽车"],
                                                              "reason": "产业调整"}),
    ("POST", f"{PARK}/output"): Rule(PARK_OFFICE, {
        "year": 2025, "by_industry": [{"industry": "汽车", "output": "12000"}]}),
    ("GET", "/api/v1/ledgers/parks"): Rule(f"{READ_ALL} park_office unit"),
    # Opened for the project and park of a review already made (so nothing is built while
    # the call is judged).
    ("POST", REVIEWS): Rule(PARK_OFFICE, _review_body, item="park_entry_review"),
    ("GET", REVIEW): Rule(REVIEW_READERS),
    ("GET", f"{REVIEW}/history"): Rule(REVIEW_READERS),
    ("GET", f"{REVIEW}/diff"): Rule(REVIEW_READERS),
    # Only a reviewing unit gives an opinion, its own: the own review's park is managed by
    # the `unit` account's unit, the other's by the `other_unit` account's.
    ("POST", f"{REVIEW}/opinions"): Rule("unit:own", {"opinion": "approve"}),
    ("POST", f"{REVIEW}/decide"): Rule(PARK_OFFICE, {"decision": "approved",
                                                     "reason": "符合入园条件"},
                                       given="opinions_given"),
    ("POST", f"{REVIEW}/register"): Rule(PARK_OFFICE, {}, given="review_approved"),
    ("GET", "/api/v1/ledgers/park-entry-reviews"): Rule(f"{READ_ALL} park_office unit"),
    # --- 代办服务 --------------------------------------------------------------------------
    # Bureau staff open a case for an agent; an agent opens its own, for any enterprise.
    ("POST", A): Rule(f"{STAFF} agent", _agency_body, item="enterprise"),
    ("GET", AGENCY): Rule(AGENCY_READERS),
    ("GET", f"{AGENCY}/history"): Rule(AGENCY_READERS),
    ("GET", f"{AGENCY}/diff"): Rule(AGENCY_READERS),
    ("POST", f"{AGENCY}/items"): Rule(AGENCY_HANDLERS,
                                      {"item": "project_filing", "status": "pending"}),
    ("POST", f"{AGENCY}/correct-item"): Rule(AGENCY_HANDLERS, {
        "item": "project_filing", "status": "pending", "reason": "误录为已报件"},
        given="with_item"),
    ("POST", f"{AGENCY}/milestones"): Rule(AGENCY_HANDLERS, {"milestone": "filing"}),
    ("POST", f"{AGENCY}/reassign"): Rule(STAFF, _another_agent),
    ("POST", f"{AGENCY}/close"): Rule(AGENCY_HANDLERS, {"summary": "代办完成"}),
    ("GET", "/api/v1/ledgers/agency-cases"): Rule(f"{READ_ALL} agent enterprise"),
    ("GET", "/api/v1/stats/agency"): Rule(READ_ALL),
    # --- 审计 ------------------------------------------------------------------------------
    ("GET", "/api/v1/audit/journal"): Rule(f"{SUPERVISION} leader"),
    ("GET", "/api/v1/audit/checkpoint"): Rule(SUPERVISION),
    ("GET", "/api/v1/audit/proof"): Rule(SUPERVISION, query={"position": "1", "tree_size": "1"}),
    ("GET", "/api/v1/audit/consistency"): Rule(SUPERVISION, query={"from": "1", "to": "2"}),
    # --- Open311 GeoReport v2 ----------------------------------------------------------------
    ("GET", f"{O311}/discovery.{{fmt}}"): Rule(EVERYONE, auth="none"),
    ("GET", f"{O311}/services.{{fmt}}"): Rule(EVERYONE, auth="none"),
    ("GET", f"{O311}/services/{{service_code}}.{{fmt}}"): Rule(EVERYONE, auth="none"),
    # With an api_key the account files, as POST /api/v1/complaints; without, the public.
    ("POST", f"{O311}/requests.{{fmt}}"): Rule(FILERS, OPEN311_FORM, auth="api_key",
                                               anonymous=True),
    # Searching with an api_key needs an account that reads complaints; without one anyone
    # gets the public view (no description), as when following one by receipt.
    ("GET", f"{O311}/requests.{{fmt}}"): Rule(f"{READ_ALL} unit enterprise", auth="api_key",
                                              anonymous=True),
    ("GET", f"{O311}/requests/{{service_request_id}}.{{fmt}}"): Rule(
        EVERYONE, auth="api_key", anonymous=True),
}


# --- reading the matrix ----------------------------------------------------------------------


def grants(rule: Rule) -> list[tuple[str, str]]:
    """(role, scope) of each grant of `allow`: scope "" (every item) or "own"."""
    return [(role, scope) for role, _, scope in (g.partition(":") for g in rule.allow.split())]


def item_kind(path: str, rule: Rule) -> str:
    """The case type of the item the operation names, "" for none."""
    kinds = {ITEM_PARAMS[p][0] for p in _PARAM.findall(path) if p in ITEM_PARAMS}
    return rule.item or (kinds.pop() if kinds else "")


def allowed(rule: Rule, who: str, which: str) -> bool:
    """Whether the rule lets account `who` call the operation on item `which` ("" if none)."""
    role = ROLE_OF[who]
    return any(g == role and (scope == "" or RELATED_ITEM.get(who) == which)
               for g, scope in grants(rule))


def acting_order(rule: Rule) -> list[str]:
    """Accounts whose grant depends on the item act first, those granted every item last: a
    step taken on an item (a complaint returned) must not decide a related account's cell."""
    def rank(who: str) -> int:
        scopes = {scope for role, scope in grants(rule) if role == ROLE_OF[who]}
        return 0 if "own" in scopes else 2 if "" in scopes else 1

    return sorted(ROLE_OF, key=rank)


def fill(path: str, items: dict[str, Item] | None, which: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in FIXED_PARAMS:
            return FIXED_PARAMS[name]
        assert items is not None, f"{path}: no item for {{{name}}}"
        return str(getattr(items[which], ITEM_PARAMS[name][1]))

    return _PARAM.sub(value, path)


def operations(app_openapi: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, ops in app_openapi["paths"].items()
            for method in ops}


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix_container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    """One SQLite container for the module: worlds keep their items apart."""
    container = build(sqlite_settings(Path(tmp_path_factory.mktemp("matrix")),
                                      signing_key=keygen().private))
    try:
        yield container
    finally:
        container.close()


@pytest.fixture(scope="module")
def matrix_client(matrix_container: Container) -> Iterator[TestClient]:
    # A server error is a cell's answer (a mismatch), not a crash of the whole matrix.
    with TestClient(create_app(matrix_container), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def matrix_accounts(matrix_container: Container) -> Accounts:
    return Accounts.open(matrix_container)


# --- calling an operation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request of the matrix: an operation, as an account (None: no credentials), on an
    item ("own", "other" or "" for none)."""

    method: str
    path: str
    rule: Rule
    who: str | None
    which: str

    def send(self, client: TestClient, world: World) -> httpx.Response:
        kind = item_kind(self.path, self.rule)
        items = world.items(kind) if kind else None
        url = fill(self.path, items, self.which)
        item = items[self.which] if items and self.which else None
        body = self.rule.body(world, item) if callable(self.rule.body) else self.rule.body
        token = world.tokens[self.who] if self.who else None
        if self.rule.auth == "api_key":
            key = {"api_key": token} if token else {}
            if self.method == "GET":
                return client.get(url, params=key)
            return client.post(url, data={**(body or {}), **key})
        headers = auth(token) if token and self.rule.auth == "bearer" else {}
        if self.method == "GET":
            return client.get(url, headers=headers, params=self.rule.query)
        return client.request(self.method, url, json=body if body is not None else {},
                              headers=headers)


def detail_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:100]
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])[:100]
    if isinstance(body, list) and body and isinstance(body[0], dict) and "description" in body[0]:
        return str(body[0]["description"])[:100]
    return ""


def refusal_format_problem(rule: Rule, response: httpx.Response) -> str:
    """What is wrong with a refusal's body: RFC 9457, or an Open311 error document."""
    status, kind = response.status_code, response.headers.get("content-type", "")
    if rule.auth == "api_key":
        body = response.json() if kind.startswith("application/json") else None
        if not (isinstance(body, list) and body and body[0].get("code") == status):
            return f"not an Open311 error document: {response.text[:80]}"
        return ""
    if not kind.startswith(PROBLEM_JSON) or response.json().get("status") != status:
        return f"not application/problem+json: {response.text[:80]}"
    return ""


def judge(call: Call, expect_allowed: bool, response: httpx.Response,
          appended: bool) -> str | None:
    """None if the answer agrees with the rule, else what is wrong. Allowed: anything past
    authorization (2xx, or 409/422 from the item's state or the use case's input checks).
    Refused: 403 or 404, in the route's error format, with nothing appended to the log."""
    status = response.status_code
    if expect_allowed:
        if status in (401, 403, 404):
            return "refused"
        if status >= 500:
            return "server error"
        # The request schema's own 422 lists `errors`; Open311 turns it into a 400.
        if (status == 422 and "errors" in response.json()) or (
                status == 400 and call.rule.auth == "api_key"):
            return "the matrix's request is invalid: fix its body or parameters"
        return None
    if status not in (403, 404):
        return "not refused"
    if appended:
        return "refused, yet events were appended"
    return refusal_format_problem(call.rule, response) or None


@dataclass(frozen=True)
class Mismatch:
    operation: str
    who: str
    item: str
    expected: str
    got: int
    problem: str
    detail: str


def table(mismatches: list[Mismatch]) -> str:
    header = ("operation", "account", "item", "expected", "got", "problem / detail")
    rows = [header, *((m.operation, m.who, m.item, m.expected, str(m.got),
                       f"{m.problem}: {m.detail}") for m in mismatches)]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:5], widths, strict=True)) + "  " + r[5]
             for r in rows]
    return f"{len(mismatches)} cells disagree with the matrix:\n" + "\n".join(lines)


def run_operation(client: TestClient, container: Container, world: World, method: str,
                  path: str, rule: Rule) -> tuple[int, list[Mismatch]]:
    """Every account on both items (once if none); the cells run and the mismatches."""
    kind = item_kind(path, rule)
    if kind:
        world.items(kind)
        if rule.given:
            world.given(kind, rule.given)
    found: list[Mismatch] = []
    cells = 0
    for who in acting_order(rule):
        for which in ITEMS if kind else ("",):
            call = Call(method, path, rule, who, which)
            expect = allowed(rule, who, which)
            head = container.ledger.head()
            response = call.send(client, world)
            cells += 1
            problem = judge(call, expect, response, container.ledger.head() != head)
            if problem:
                found.append(Mismatch(f"{method} {path}", who, which or "-",
                                      "allow" if expect else "deny", response.status_code,
                                      problem, detail_of(response)))
    return cells, found


# --- the tests ------------------------------------------------------------------------------


def test_the_matrix_has_one_rule_per_operation_of_the_openapi_document(
    matrix_client: TestClient,
) -> None:
    listed = operations(matrix_client.get("/openapi.json").json())

    missing = sorted(listed - set(MATRIX))
    stale = sorted(set(MATRIX) - listed)

    assert not missing, f"operations without a rule in MATRIX: {missing}"
    assert not stale, f"MATRIX rules for operations the app does not have: {stale}"


def test_every_rule_names_known_roles_scopes_states_and_parameters() -> None:
    errors = []
    for (method, path), rule in MATRIX.items():
        kind = item_kind(path, rule)
        for role, scope in grants(rule):
            if role not in ROLES or scope not in ("", "own") or (scope and not kind):
                errors.append(f"{method} {path}: grant {role}:{scope}")
        unknown = [p for p in _PARAM.findall(path) if p not in ITEM_PARAMS | FIXED_PARAMS]
        if unknown:
            errors.append(f"{method} {path}: no value for path parameters {unknown}")
        if rule.given and (rule.given not in GIVEN or not kind):
            errors.append(f"{method} {path}: given {rule.given!r}")
        if rule.auth not in ("bearer", "api_key", "none"):
            errors.append(f"{method} {path}: auth {rule.auth!r}")
    assert not errors


def test_every_account_may_call_exactly_what_the_matrix_allows(
    matrix_client: TestClient, matrix_container: Container, matrix_accounts: Accounts,
) -> None:
    mismatches: list[Mismatch] = []
    cells = 0
    for (method, path), rule in MATRIX.items():
        world = World.new(matrix_container, matrix_accounts)
        ran, found = run_operation(matrix_client, matrix_container, world, method, path, rule)
        cells += ran
        mismatches += found

    assert cells >= len(MATRIX) * len(ROLE_OF)
    if mismatches:
        pytest.fail(table(mismatches), pytrace=False)


def test_without_credentials_only_public_operations_answer(
    matrix_client: TestClient, matrix_container: Container, matrix_accounts: Accounts,
) -> None:
    world = World.new(matrix_container, matrix_accounts)
    wrong = {}
    for (method, path), rule in MATRIX.items():
        which = "own" if item_kind(path, rule) else ""
        response = Call(method, path, rule, None, which).send(matrix_client, world)
        status = response.status_code
        if rule.auth == "none" or rule.anonymous:
            ok = status not in (401, 403, 404) and status < 500
        elif rule.auth == "api_key":  # Open311 has no 401: a missing key is its 403
            ok = status == 403 and not refusal_format_problem(rule, response)
        else:
            ok = (status == 401 and not refusal_format_problem(rule, response)
                  and response.headers.get("WWW-Authenticate", "").startswith("Bearer"))
        if not ok:
            wrong[f"{method} {path}"] = (status, detail_of(response))
    assert not wrong


# --- the order of checks on a command ---------------------------------------------------------


@dataclass(frozen=True)
class Refusable:
    """A command on the own item whose input the use case refuses (422: a future business
    date, an unknown unit), with accounts that may not take it and one that may."""

    step: str
    body: dict[str, Any]
    denied: tuple[str, ...]
    allowed: str


ITEM_PATHS = {"project": P, "complaint": C, "enterprise": E, "request": R,
              "order": ORDERS, "meeting": MEETINGS, "agency_case": A}
CHECK_ORDER: dict[str, list[Refusable]] = {
    "project": [
        Refusable("reassign", {"unit": "nowhere", "reason": "调整", "on": FUTURE},
                  ("unit", "other_unit", "leader"), "bureau"),
        Refusable("report-progress", {"period": "2025-05", "text": "补录", "on": FUTURE},
                  ("other_unit", "park_office", "supervisor"), "unit"),
    ],
    "complaint": [
        Refusable("assign", {"unit": "nowhere", "on": FUTURE},
                  ("unit", "supervisor", "enterprise"), "bureau"),
        Refusable("acknowledge", {"on": FUTURE}, ("other_unit", "bureau", "enterprise"), "unit"),
    ],
    "enterprise": [
        Refusable("revise", {"county": "nowhere", "on": FUTURE},
                  ("unit", "leader", "enterprise"), "bureau"),
        Refusable("visits", {"date": FUTURE, "kind": "visit", "hosted_by": LEADER,
                             "notes": "调研"}, ("supervisor", "unit", "enterprise"), "leader"),
    ],
    "request": [
        Refusable("assign", {"lead_unit": "nowhere", "on": FUTURE},
                  ("unit", "supervisor", "enterprise"), "bureau"),
        Refusable("progress", {"text": "补录", "on": FUTURE}, ("other_unit", "enterprise"),
                  "unit"),
    ],
    "order": [
        Refusable("urge", {"text": "催办", "on": FUTURE}, ("unit", "bureau", "leader"),
                  "supervisor"),
        Refusable("respond", {"text": "补录", "done": True, "on": FUTURE},
                  ("other_unit", "supervisor", "bureau"), "unit"),
    ],
    "meeting": [
        Refusable("items", {"unit": "nowhere", "task": "任务", "due": "2099-12-31"},
                  ("unit", "supervisor", "enterprise"), "leader"),
    ],
    "agency_case": [
        Refusable("items", {"item": "nowhere", "status": "pending", "on": FUTURE},
                  ("supervisor", "enterprise", "unit"), "agent"),
        Refusable("reassign", {"agent": "nowhere", "reason": "调整", "on": FUTURE},
                  ("agent", "supervisor", "enterprise"), "bureau"),
    ],
}


@pytest.mark.parametrize("kind", list(CHECK_ORDER))
def test_a_command_is_refused_403_before_412_before_422_and_writes_nothing(
    matrix_client: TestClient, matrix_container: Container, matrix_accounts: Accounts,
    kind: str,
) -> None:
    world = World.new(matrix_container, matrix_accounts)
    item = world.items(kind)["own"]
    if kind == "project":  # registered is version 1; a stale If-Match names an earlier one
        world.given(kind, "key_project")
    answers: dict[tuple[str, str, str], int] = {}
    expected: dict[tuple[str, str, str], int] = {}
    refusals: dict[str, str] = {}
    written: dict[str, tuple[int, int]] = {}
    for command in CHECK_ORDER[kind]:
        url = f"{ITEM_PATHS[kind]}/{item.id}/{command.step}"
        version, head = world.version(kind, "own"), matrix_container.ledger.head()

        def post(who: str, if_match: int, url: str = url,
                 body: dict[str, Any] = command.body) -> httpx.Response:
            return matrix_client.post(url, json=body, headers=auth(world.tokens[who], if_match))

        for who in command.denied:
            answers[command.step, who, "stale"] = post(who, version - 1).status_code
            expected[command.step, who, "stale"] = 403
        answers[command.step, command.allowed, "stale"] = post(command.allowed,
                                                               version - 1).status_code
        expected[command.step, command.allowed, "stale"] = 412
        current = post(command.allowed, version)
        answers[command.step, command.allowed, "current"] = current.status_code
        expected[command.step, command.allowed, "current"] = 422
        refusals[command.step] = detail_of(current)
        written[command.step] = (world.version(kind, "own") - version,
                                 matrix_container.ledger.head() - head)

    assert answers == expected
    # The 422 is the use case's refusal of the input, not the request schema's.
    assert all("nowhere" in d or FUTURE in d for d in refusals.values()), refusals
    assert written == dict.fromkeys(written, (0, 0)), "refused commands appended events"
