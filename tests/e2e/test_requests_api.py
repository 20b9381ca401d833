"""The enterprise-request API (企业诉求): each step, the request ledger (诉求台账) and the
statistics; every error status and role restriction; and the whole story of a visit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import ROLE_ACCOUNTS
from tests.e2e.enterprises import CODE, LEADER, ON, REQUESTS, Firms, code_of
from tests.e2e.helpers import FUTURE, Api, assert_problem

LEDGER = "/api/v1/ledgers/requests"
STATS = "/api/v1/stats/requests"
ROLES = tuple(ROLE_ACCOUNTS)


@pytest.fixture
def assigned(firms: Firms, firm: dict[str, Any]) -> dict[str, Any]:
    """A request led by liudong (`unit`) with co-unit liujiang (`other_unit`), version 2."""
    rid = firms.request()["id"]
    return firms.handle("bureau", rid, "assign",
                        {"lead_unit": "liudong", "co_units": ["liujiang"], "on": ON})


# --- raising -------------------------------------------------------------------------------


def test_raise_returns_201_with_labels_location_etag_and_position(
        firms: Firms, firm: dict[str, Any]) -> None:
    response = firms.raise_(category="finance", source="forum")

    body = firms.ok(response, 201)
    assert (body["status"], body["status_label"]) == ("raised", "待交办")
    assert (body["category_label"], body["source_label"]) == ("融资", "座谈会")
    assert (body["enterprise_id"], body["raised_on"], body["version"]) == (firm["id"], ON, 1)
    assert response.headers["Location"] == f"{REQUESTS}/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert body["_position"] > firm["_position"]


def test_an_enterprise_raises_its_own_requests_online(firms: Firms, firm: dict[str, Any]) -> None:
    firms.enterprise(credit_code=code_of(1))

    own = firms.request("enterprise", source=None, raised_on=None)
    assert (own["source"], own["credit_code"]) == ("online", CODE)
    assert_problem(firms.raise_("enterprise", source="visit"), 403)
    other = assert_problem(firms.raise_("enterprise", credit_code=code_of(1), source="online"),
                           404)
    never = assert_problem(firms.raise_("enterprise", credit_code=code_of(777),
                                        source="online"), 404)
    assert other["detail"].replace(code_of(1), "X") == never["detail"].replace(code_of(777), "X")
    for who in ("unit", "leader", "supervisor", "park_office", "agent"):
        assert_problem(firms.raise_(who), 403)


@pytest.mark.parametrize(("fields", "detail"), [
    ({"credit_code": code_of(9)}, "register the enterprise first"),
    ({"credit_code": "91450200MA5KXXXX40"}, "check character"),
    ({"credit_code": None, "enterprise_id": str(uuid.uuid4())}, "no enterprise"),
    ({"project_id": str(uuid.uuid4())}, "no project"),
    ({"source": "visit", "visit_number": 3}, "has no visit #3"),
    ({"source": "hotline", "visit_number": 1}, "visit_number"),
    ({"category": "weather"}, "category"),
    ({"raised_on": FUTURE}, "in the future"),
    ({"description": " "}, "description"),
])
def test_a_request_with_a_bad_reference_or_value_is_422(
        firms: Firms, firm: dict[str, Any], fields: dict[str, Any], detail: str) -> None:
    firms.do("bureau", firm["id"], "visits", {"date": ON, "kind": "visit", "hosted_by": "x",
                                              "notes": "调研"})
    problem = assert_problem(firms.raise_(**fields), 422)

    assert detail in problem["detail"]


def test_get_and_history_of_a_request(firms: Firms, assigned: dict[str, Any]) -> None:
    response = firms.get("other_unit", f"{REQUESTS}/{assigned['id']}")
    history = firms.read("enterprise", f"{REQUESTS}/{assigned['id']}/history")

    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.json()["due"]["working_days"] == 10
    assert [(e["type"], e["label"]) for e in history] == [("Raised", "提出诉求"),
                                                          ("Assigned", "交办")]
    assert_problem(firms.get("admin", f"{REQUESTS}/{uuid.uuid4()}"), 404)
    assert_problem(firms.get("admin", f"{REQUESTS}/{uuid.uuid4()}/history"), 404)
    assert_problem(firms.step("bureau", str(uuid.uuid4()), "close", {}), 404)


# --- handling ------------------------------------------------------------------------------


def test_assign_computes_the_working_day_due_date(firms: Firms, firm: dict[str, Any]) -> None:
    rid = firms.request()["id"]
    # 2025-03-03 is a Monday: ten working days later is Monday 2025-03-17.
    state = firms.ok(firms.step("bureau", rid, "assign",
                                {"lead_unit": "rsj", "co_units": ["gxj"], "on": ON}, 1))

    assert state["due"]["due"] == "2025-03-17"
    assert (state["lead_unit"], state["co_units"], state["status"]) == ("rsj", ["gxj"],
                                                                        "assigned")
    assert state["overdue"] is True  # nobody has answered since 2025


def test_assign_refusals(firms: Firms, firm: dict[str, Any]) -> None:
    rid = firms.request()["id"]
    assert_problem(firms.step("bureau", rid, "assign", {"lead_unit": "nowhere"}), 422)
    assert_problem(firms.step("bureau", rid, "assign", {"lead_unit": "rsj"}, version=5), 412)
    for who in ("unit", "leader", "supervisor", "enterprise"):
        assert_problem(firms.step(who, rid, "assign", {"lead_unit": "rsj"}), 403)
    assert firms.read("admin", f"{REQUESTS}/{rid}")["version"] == 1


def test_assigned_units_note_progress_and_only_the_lead_records_the_outcome(
        firms: Firms, assigned: dict[str, Any]) -> None:
    rid = assigned["id"]
    co = firms.handle("other_unit", rid, "progress", {"text": "配合摸排", "on": ON})
    by_bureau = firms.handle("bureau", rid, "progress", {"text": "电话督促", "unit": "liujiang",
                                                         "on": ON})
    refused = firms.step("other_unit", rid, "outcome", {"outcome": "resolved"})
    answered = firms.handle("unit", rid, "outcome", {"outcome": "resolved", "on": ON})

    assert co["status"] == "in_progress"
    assert [n["by_unit"] for n in by_bureau["progress_notes"]] == ["liujiang", "liujiang"]
    assert_problem(refused, 403)
    assert (answered["status"], answered["outcome_label"]) == ("answered", "已解决")
    assert answered["outcomes"][0]["by_unit"] == "liudong"


def test_progress_and_outcome_refusals(firms: Firms, assigned: dict[str, Any]) -> None:
    rid = assigned["id"]
    assert_problem(firms.step("other_unit", rid, "progress",
                              {"text": "代记", "unit": "liudong"}), 403)
    for who in ("enterprise", "leader", "supervisor"):
        assert_problem(firms.step(who, rid, "progress", {"text": "x"}), 403)
    assert "须说明原因" in assert_problem(
        firms.step("unit", rid, "outcome", {"outcome": "not_resolvable"}), 422)["detail"]
    assert_problem(firms.step("unit", rid, "outcome", {"outcome": "done"}), 422)
    assert firms.read("admin", f"{REQUESTS}/{rid}")["version"] == 2


def test_feedback_reopens_or_confirms_and_close_ends_it(firms: Firms,
                                                        assigned: dict[str, Any]) -> None:
    rid = assigned["id"]
    firms.handle("unit", rid, "outcome", {"outcome": "partly_resolved", "explanation": "部分"})
    assert_problem(firms.step("unit", rid, "feedback", {"feedback": "satisfied"}), 403)
    reopened = firms.handle("enterprise", rid, "feedback",
                            {"feedback": "unsatisfied", "comment": "仍缺工"})
    firms.handle("bureau", rid, "assign", {"lead_unit": "rsj"})
    firms.handle("bureau", rid, "outcome", {"outcome": "resolved"})
    confirmed = firms.handle("bureau", rid, "feedback", {"feedback": "satisfied"})
    for who in ("unit", "enterprise", "leader"):
        assert_problem(firms.step(who, rid, "close", {}), 403)
    assert confirmed["allowed_steps"] == ["close", "instruct"]
    # A step that needs no input takes no body at all.
    closing = firms.api.client.post(f"{REQUESTS}/{rid}/close",
                                    headers=firms.api.headers("supervisor"))
    assert closing.status_code == 200, closing.text
    closed = closing.json()

    assert (reopened["status"], reopened["lead_unit"], reopened["due"]) == ("reopened", None,
                                                                            None)
    assert confirmed["status_label"] == "企业满意"
    assert (closed["status"], closed["version"]) == ("closed", 8)
    # The first lead unit keeps reading what it handled.
    assert firms.read("unit", f"{REQUESTS}/{rid}")["status"] == "closed"


@pytest.mark.parametrize(("action", "body", "detail"), [
    ("close", {"reason": "无"}, "cannot close: request is assigned"),
    ("feedback", {"feedback": "satisfied"}, "cannot record feedback"),
    ("assign", {"lead_unit": "rsj"}, "cannot assign"),
])
def test_illegal_steps_are_409_with_the_domains_message(
        firms: Firms, assigned: dict[str, Any], action: str, body: dict[str, Any],
        detail: str) -> None:
    problem = assert_problem(firms.step("bureau", assigned["id"], action, body), 409)

    assert detail in problem["detail"]
    firms.api.assert_log_head(assigned["_position"])


def test_who_reads_a_request(firms: Firms, assigned: dict[str, Any]) -> None:
    other = firms.enterprise(credit_code=code_of(4), county="liujiang")
    theirs = firms.request(credit_code=other["credit_code"])
    reads = {who: firms.get(who, f"{REQUESTS}/{assigned['id']}").status_code for who in ROLES}

    assert reads == {w: 403 if w in ("park_office", "agent") else 200 for w in ROLES}
    for who in ("enterprise", "unit", "other_unit"):  # neither assigned nor theirs
        assert_problem(firms.get(who, f"{REQUESTS}/{theirs['id']}"), 403)


# --- the request ledger and stats ----------------------------------------------------------


def test_request_ledger_filters_and_scopes(firms: Firms, assigned: dict[str, Any]) -> None:
    other = firms.enterprise(credit_code=code_of(5), county="liujiang")
    power = firms.request(category="power", raised_on="2025-04-01")
    theirs = firms.request(credit_code=other["credit_code"], category="land")
    position = theirs["_position"]

    def ids(who: str = "admin", **params: Any) -> list[str]:
        page = firms.read(who, LEDGER, min_position=position, **params)
        assert page["count"] == len(page["items"])
        return [r["id"] for r in page["items"]]

    a, p, t = assigned["id"], power["id"], theirs["id"]
    assert ids() == [t, p, a]  # newest first
    assert ids(category="power") == [p]
    assert ids(status="assigned") == [a]
    assert ids(unit="liujiang") == [a]
    assert ids(enterprise=other["credit_code"].lower()) == [t]
    assert ids(raised_from="2025-03-04") == [p]
    assert ids(raised_to="2025-03-03") == [t, a]
    assert ids(overdue="true") == [a]
    assert ids("unit") == ids("other_unit") == [a]
    assert ids("enterprise") == [p, a]
    row = firms.read("admin", LEDGER, category="land")["items"][0]
    assert (row["enterprise_name"], row["category_label"], row["status_label"]) == (
        "柳州某汽车零部件有限公司", "用地", "待交办")


def test_request_ledger_pages_and_refusals(firms: Firms, firm: dict[str, Any]) -> None:
    last = [firms.request(description=f"诉求{n}") for n in range(3)][-1]
    first = firms.read("admin", LEDGER, limit=2, min_position=last["_position"])
    rest = firms.read("admin", LEDGER, limit=2, cursor=first["next_cursor"])

    assert (first["count"], len(first["items"]), len(rest["items"])) == (3, 2, 1)
    assert rest["next_cursor"] is None
    assert_problem(firms.get("admin", LEDGER, cursor="bogus"), 422)
    assert_problem(firms.get("admin", LEDGER, raised_from="2025-05-01",
                             raised_to="2025-04-01"), 422)
    assert_problem(firms.get("admin", LEDGER, min_position=last["_position"] + 1), 422)
    assert_problem(firms.get("admin", LEDGER, status="lost"), 422)
    for who in ("park_office", "agent"):
        assert_problem(firms.get(who, LEDGER), 403)
    assert_problem(firms.api.client.get(LEDGER), 401)


def test_stats_are_for_bureau_supervisors_leaders_and_admins(firms: Firms) -> None:
    statuses = {who: firms.get(who, STATS).status_code for who in ROLES}

    allowed = ("admin", "leader", "supervisor", "bureau")
    assert statuses == {w: 200 if w in allowed else 403 for w in ROLES}
    assert_problem(firms.get("admin", STATS, **{"from": "2025-05-01", "to": "2025-04-01"}),
                   422)
    assert_problem(firms.get("admin", STATS, **{"from": "May"}), 422)


# --- the story ---------------------------------------------------------------------------


def test_an_office_records_a_visit_its_requests_their_handling_and_reads_the_stats(
        firms: Firms, api: Api) -> None:
    """The issue's "done when": a leader's visit, the requests raised in it, their handling by
    several units, the enterprise's feedback, and the statistics for any period."""
    project = api.create(name="汽车零部件扩产项目")
    firm = firms.enterprise()
    firms.do("bureau", firm["id"], "link-leader", {"leader": firms.leader(), "on": "2025-02-20"})
    visit = firms.do("leader", firm["id"], "visits", {
        "date": "2025-03-03", "kind": "visit", "hosted_by": LEADER,
        "notes": "调研企业复工复产，现场收集诉求", "request_numbers": ["DY-01", "DY-02"]})
    raised = [firms.request(source="visit", visit_number=visit["visit_number"],
                            raised_on=None, **fields)
              for fields in ({"category": "labour", "description": "缺工200人",
                              "project_id": project["id"]},
                             {"category": "power", "description": "需增容变压器"})]
    labour, power = (r["id"] for r in raised)
    assert {r["raised_on"] for r in raised} == {"2025-03-03"}  # the visit's date

    firms.handle("bureau", labour, "assign",
                 {"lead_unit": "liudong", "co_units": ["liujiang"], "on": "2025-03-04"})
    firms.handle("bureau", power, "assign",
                 {"lead_unit": "liujiang", "co_units": ["liudong"], "on": "2025-03-04"})
    firms.handle("other_unit", labour, "progress", {"text": "组织专场招聘会", "on": "2025-03-06"})
    firms.handle("unit", labour, "progress", {"text": "对接职校实习生", "on": "2025-03-07"})
    firms.handle("unit", labour, "outcome", {"outcome": "resolved", "on": "2025-03-10"})
    firms.handle("other_unit", power, "outcome", {"outcome": "partly_resolved",
                                                  "explanation": "临时增容，扩容待批",
                                                  "on": "2025-03-12"})
    firms.handle("enterprise", labour, "feedback", {"feedback": "satisfied", "on": "2025-03-11"})
    firms.handle("enterprise", power, "feedback", {"feedback": "satisfied", "on": "2025-03-13"})
    firms.handle("bureau", labour, "close", {"on": "2025-03-14"})
    last = firms.handle("bureau", power, "close", {"on": "2025-03-14"})

    march = firms.read("bureau", STATS, min_position=last["_position"],
                       **{"from": "2025-03-01", "to": "2025-03-31"})
    assert (march["raised"], march["resolved"]) == (2, 2)
    assert (march["solved_projects"], march["solved_enterprises"]) == (1, 1)
    assert march["summary"] == "帮助1家企业解决1个项目共计2个问题"
    assert march["period"] == {"from": "2025-03-01", "to": "2025-03-31"}
    assert march["by_category"][0] == {"code": "labour", "label": "用工", "raised": 1,
                                       "resolved": 1}
    assert march["by_unit"] == [
        {"code": "liudong", "label": "柳东新区(高新区)", "lead": 1, "co": 1, "resolved": 1},
        {"code": "liujiang", "label": "柳江区", "lead": 1, "co": 1, "resolved": 1}]
    february = firms.read("leader", STATS, **{"from": "2025-02-01", "to": "2025-02-28"})
    assert (february["raised"], february["resolved"]) == (0, 0)
    ledger = firms.read("supervisor", "/api/v1/ledgers/enterprises",
                        min_position=last["_position"])
    assert [(r["leader"], r["visits"], r["requests_total"], r["requests_open"])
            for r in ledger["items"]] == [(LEADER, 1, 2, 0)]
    assert [e["type"] for e in firms.read("enterprise", f"{REQUESTS}/{power}/history")] == [
        "Raised", "Assigned", "OutcomeRecorded", "FeedbackRecorded", "Closed"]
