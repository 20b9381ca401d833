"""The enterprise API (企业): registration and the credit-code check, reads, leader links,
visits, the enterprise ledger; every error status and role restriction."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import ROLE_ACCOUNTS
from tests.e2e.enterprises import CODE, ENTERPRISES, LEADER, ON, Firms, code_of, enterprise_body
from tests.e2e.helpers import FUTURE, assert_problem

# --- registration and the credit code ------------------------------------------------------


def test_register_returns_201_with_location_etag_and_position(firms: Firms) -> None:
    response = firms.register(credit_code=f" {CODE.lower()} ")

    body = firms.ok(response, 201)
    assert body["credit_code"] == CODE
    assert uuid.UUID(body["id"])
    assert (body["version"], body["county"], body["leader"]) == (1, "liudong", None)
    assert body["contacts"] == [{"name": "李经理", "phone": "0772-2821234", "role": "总经理"}]
    assert response.headers["Location"] == f"{ENTERPRISES}/{body['id']}"
    assert response.headers["ETag"] == '"1"'


@pytest.mark.parametrize(("code", "reason"), [
    ("91450200MA5KXXXX40", "check character should be H, got 0"),
    ("91450200MA5KXXXX", "must be 18 characters, got 16"),
    ("91450200MA5KXXXI4H", "illegal character 'I' at position 16"),
    ("91ABCDEFMA5KXXXX4H", "positions 3-8 (administrative division code) must be digits"),
    ("91450200MA5KXXXX05", "organisation-code part of the credit code (positions 9-17, "
                           "'MA5KXXXX0') has a wrong check digit: position 17 should be 4"),
    ("94450200MA5KXXXX48", "position 2 (organisation type) must be one of 1, 2, 3"),
    ("91990200MA5KXXXX4K", "must start with a province code"),
])
def test_an_invalid_credit_code_is_422_saying_why(firms: Firms, firm: dict[str, Any],
                                                  code: str, reason: str) -> None:
    problem = assert_problem(firms.register(credit_code=code), 422)

    assert reason in problem["detail"]
    assert "统一社会信用代码" in problem["detail"]
    assert firms.read("bureau", f"{ENTERPRISES}/{firm['id']}")["version"] == 1
    firms.api.assert_log_head(firm["_position"])


def test_registering_a_credit_code_again_is_409_and_appends_nothing(
        firms: Firms, firm: dict[str, Any]) -> None:
    problem = assert_problem(firms.register(credit_code=CODE.lower(), name="另一家"), 409)

    assert problem["detail"].startswith(f"enterprise with credit code {CODE} already registered")
    firms.api.assert_log_head(firm["_position"])


@pytest.mark.parametrize(("overrides", "field"), [
    ({"county": "rsj"}, "county"), ({"county": "nowhere"}, "county"),
    ({"name": None}, "name"), ({"colour": "red"}, "colour"),
    ({"contacts": [{"name": "李", "phone": "abc"}]}, "phone"),
    ({"on": FUTURE}, "future"),
])
def test_bad_registration_input_is_422(firms: Firms, overrides: dict[str, Any],
                                       field: str) -> None:
    body = {k: v for k, v in enterprise_body(**overrides).items() if v is not None}
    problem = assert_problem(firms.post("bureau", ENTERPRISES, body), 422)

    assert field in problem["detail"]


# --- reads -----------------------------------------------------------------------------------


def test_get_by_id_and_by_code_return_the_current_state(firms: Firms,
                                                        firm: dict[str, Any]) -> None:
    by_id = firms.get("leader", f"{ENTERPRISES}/{firm['id']}")
    by_code = firms.get("leader", f"{ENTERPRISES}/by-code/{CODE.lower()}")

    assert by_id.status_code == by_code.status_code == 200
    assert by_id.headers["ETag"] == by_code.headers["ETag"] == '"1"'
    assert by_id.json() == by_code.json()
    assert by_id.json()["name"] == "柳州某汽车零部件有限公司"


def test_contact_people_show_only_to_personal_data_staff_and_the_enterprise_itself(
        firms: Firms, firm: dict[str, Any]) -> None:
    item = f"{ENTERPRISES}/{firm['id']}"
    seen = {who: firms.get(who, item).json()["contacts"]
            for who in ("bureau", "supervisor", "leader", "admin", "unit")}

    assert seen["bureau"] == seen["supervisor"] == [
        {"name": "李经理", "phone": "0772-2821234", "role": "总经理"}]
    assert seen["leader"] is seen["admin"] is seen["unit"] is None


def test_unknown_enterprises_are_404_and_a_malformed_code_422(firms: Firms,
                                                               firm: dict[str, Any]) -> None:
    assert_problem(firms.get("admin", f"{ENTERPRISES}/{uuid.uuid4()}"), 404)
    assert_problem(firms.get("admin", f"{ENTERPRISES}/{uuid.uuid4()}/history"), 404)
    assert_problem(firms.get("admin", f"{ENTERPRISES}/by-code/{code_of(7)}"), 404)
    assert_problem(firms.act("bureau", str(uuid.uuid4()), "link-leader", {"leader": "x"}), 404)
    assert_problem(firms.get("admin", f"{ENTERPRISES}/by-code/91450200MA5KXXXX40"), 422)
    assert_problem(firms.get("admin", f"{ENTERPRISES}/not-a-uuid"), 422)


def test_history_lists_every_step_with_who_did_it(firms: Firms, firm: dict[str, Any]) -> None:
    firms.do("bureau", firm["id"], "link-leader", {"leader": firms.leader(), "on": ON})
    firms.do("leader", firm["id"], "visits", {"date": ON, "kind": "visit", "hosted_by": LEADER,
                                              "notes": "调研"})

    history = firms.read("enterprise", f"{ENTERPRISES}/{firm['id']}/history")
    assert [(e["type"], e["label"], e["actor"]["role"]) for e in history] == [
        ("Registered", "企业登记", "bureau"), ("LeaderLinked", "确定挂钩联系领导", "bureau"),
        ("VisitRecorded", "调研座谈", "leader")]


# --- commands ------------------------------------------------------------------------------


def test_revise_changes_the_given_fields_and_409s_when_nothing_changes(
        firms: Firms, firm: dict[str, Any]) -> None:
    revised = firms.do("bureau", firm["id"], "revise",
                       {"name": "柳州某集团", "county": "liujiang", "reason": "更名", "on": ON})

    assert (revised["name"], revised["county"], revised["version"]) == ("柳州某集团",
                                                                        "liujiang", 2)
    problem = assert_problem(firms.act("bureau", firm["id"], "revise", {"name": "柳州某集团"}),
                             409)
    assert "changes nothing" in problem["detail"]
    assert_problem(firms.act("bureau", firm["id"], "revise", {"county": "gxj"}), 422)


def test_leader_link_is_set_replaced_and_ended(firms: Firms, firm: dict[str, Any]) -> None:
    eid = firm["id"]
    deputy, leader = firms.leader("张副市长"), firms.leader()
    linked = firms.ok(firms.act("bureau", eid, "link-leader",
                                {"leader": deputy, "on": "2025-02-01"}, version=1))
    replaced = firms.do("admin", eid, "link-leader",
                        {"leader": leader, "reason": "调整分工", "on": ON})
    again = firms.act("bureau", eid, "link-leader", {"leader": leader})
    by_name = firms.act("bureau", eid, "link-leader", {"leader": LEADER})
    ended = firms.do("bureau", eid, "unlink-leader", {"reason": "领导调整", "on": ON})

    assert (linked["leader"], linked["leader_since"]) == ("张副市长", "2025-02-01")
    assert (replaced["leader"], replaced["leader_account"]) == (LEADER, leader)
    assert "active leader account" in assert_problem(by_name, 422)["detail"]
    assert "already the linked leader" in assert_problem(again, 409)["detail"]
    assert ended["leader"] is None
    assert "unlink-leader" in linked["allowed_steps"]
    assert ended["allowed_steps"] == ["revise", "link-leader", "visits", "designate-key"]
    assert [(x["leader"], x["unlinked_on"]) for x in ended["leader_links"]] == [
        ("张副市长", ON), (LEADER, ON)]
    assert "no linked leader" in assert_problem(
        firms.act("bureau", eid, "unlink-leader", {"reason": "再解除"}), 409)["detail"]
    assert_problem(firms.act("bureau", eid, "unlink-leader", {}), 422)


def test_visits_are_numbered_and_may_be_entered_later(firms: Firms,
                                                      firm: dict[str, Any]) -> None:
    first = firms.do("bureau", firm["id"], "visits",
                     {"date": "2025-02-10", "kind": "forum", "hosted_by": "投促局",
                      "notes": "政企座谈会", "request_numbers": ["ZT-001", "ZT-002"]})
    second = firms.do("bureau", firm["id"], "visits",
                      {"date": "2025-02-01", "kind": "visit", "hosted_by": LEADER,
                       "notes": "补录调研"})

    assert (first["visit_number"], second["visit_number"]) == (1, 2)
    assert second["visits"][0]["request_numbers"] == ["ZT-001", "ZT-002"]
    assert second["visits"][1]["date"] == "2025-02-01"


@pytest.mark.parametrize("body", [
    {"date": FUTURE, "kind": "visit", "hosted_by": "x", "notes": "y"},
    {"date": ON, "kind": "dinner", "hosted_by": "x", "notes": "y"},
    {"date": ON, "kind": "visit", "hosted_by": "x", "notes": "  "},
])
def test_bad_visits_are_refused_and_append_nothing(firms: Firms, firm: dict[str, Any],
                                                   body: dict[str, Any]) -> None:
    assert_problem(firms.act("bureau", firm["id"], "visits", body), 422)
    firms.api.assert_log_head(firm["_position"])


def test_a_visit_before_the_enterprise_was_entered_is_accepted(firms: Firms,
                                                                firm: dict[str, Any]) -> None:
    """Registered here on 2025-01-06; met at a forum on 2024-12-31."""
    visited = firms.do("bureau", firm["id"], "visits",
                       {"date": "2024-12-31", "kind": "forum", "hosted_by": "投促局",
                        "notes": "年终座谈"})
    assert visited["visits"][0]["date"] == "2024-12-31"


def test_a_stale_if_match_is_412_and_a_malformed_one_422(firms: Firms,
                                                        firm: dict[str, Any]) -> None:
    body = {"leader": firms.leader()}
    assert_problem(firms.act("bureau", firm["id"], "link-leader", body, version=2), 412)
    assert_problem(firms.act("bureau", firm["id"], "link-leader", body, version="v1"), 422)
    assert firms.ok(firms.act("bureau", firm["id"], "link-leader", body, version=1))


def test_no_token_is_401_everywhere(firms: Firms, firm: dict[str, Any]) -> None:
    eid = firm["id"]
    client = firms.api.client
    for path in (f"{ENTERPRISES}/{eid}", f"{ENTERPRISES}/{eid}/history",
                 f"{ENTERPRISES}/by-code/{CODE}", "/api/v1/ledgers/enterprises"):
        assert_problem(client.get(path), 401)
    for path in (ENTERPRISES, f"{ENTERPRISES}/{eid}/visits", f"{ENTERPRISES}/{eid}/revise"):
        assert_problem(client.post(path, json={}), 401)


# --- roles -------------------------------------------------------------------------------


ROLES = tuple(ROLE_ACCOUNTS)


def test_only_bureau_and_admin_register_and_link(firms: Firms, firm: dict[str, Any]) -> None:
    registering = {who: firms.register(who, credit_code=code_of(n)).status_code
                   for n, who in enumerate(ROLES)}
    linking = {who: firms.act(who, firm["id"], "link-leader",
                              {"leader": firms.leader(f"领导{n}")}).status_code
               for n, who in enumerate(ROLES)}

    assert registering == {who: 201 if who in ("admin", "bureau") else 403 for who in ROLES}
    assert linking == {who: 200 if who in ("admin", "bureau") else 403 for who in ROLES}


def test_a_leader_records_visits_only_to_enterprises_linked_to_them(
        firms: Firms, firm: dict[str, Any]) -> None:
    visit = {"date": ON, "kind": "visit", "hosted_by": LEADER, "notes": "调研"}
    assert_problem(firms.act("leader", firm["id"], "visits", visit), 403)
    firms.do("bureau", firm["id"], "link-leader", {"leader": firms.leader()})

    assert firms.do("leader", firm["id"], "visits", visit)["visit_number"] == 1
    for who in ("supervisor", "unit", "enterprise", "park_office", "agent"):
        assert_problem(firms.act(who, firm["id"], "visits", visit), 403)


def test_who_reads_an_enterprise(firms: Firms, firm: dict[str, Any]) -> None:
    elsewhere = firms.enterprise(credit_code=code_of(1), county="yufeng")
    paths = {"own": f"{ENTERPRISES}/{firm['id']}", "elsewhere": f"{ENTERPRISES}/"
             f"{elsewhere['id']}"}

    reads = {(who, key): firms.get(who, path).status_code
             for who in ROLES for key, path in paths.items()}

    everyone = ("admin", "leader", "supervisor", "bureau")
    assert {k for k, status in reads.items() if status == 200} == {
        *((w, k) for w in everyone for k in paths), ("unit", "own"), ("enterprise", "own")}
    assert {status for status in reads.values()} == {200, 403}
    # Another enterprise's code answers as a code never registered: nothing to probe.
    registered = assert_problem(firms.get("enterprise", f"{ENTERPRISES}/by-code/{code_of(1)}"),
                                404)
    never = assert_problem(firms.get("enterprise", f"{ENTERPRISES}/by-code/{code_of(777)}"), 404)
    assert registered["detail"].replace(code_of(1), "X") == \
        never["detail"].replace(code_of(777), "X")


# --- the enterprise ledger ------------------------------------------------------------------


def test_enterprise_ledger_shows_leader_visits_and_open_requests(firms: Firms,
                                                                firm: dict[str, Any]) -> None:
    other = firms.enterprise(credit_code=code_of(2), county="liujiang", name="柳江螺蛳粉厂")
    firms.do("bureau", firm["id"], "link-leader", {"leader": firms.leader()})
    firms.do("bureau", firm["id"], "visits", {"date": ON, "kind": "visit", "hosted_by": LEADER,
                                              "notes": "调研"})
    firms.request()
    last = firms.request(category="power")

    ledger = firms.read("bureau", "/api/v1/ledgers/enterprises",
                        min_position=last["_position"])
    assert set(ledger) == {"items", "count", "next_cursor", "position"}
    rows = {r["credit_code"]: r for r in ledger["items"]}
    assert (rows[CODE]["leader"], rows[CODE]["visits"], rows[CODE]["requests_open"]) == (
        LEADER, 1, 2)
    assert rows[code_of(2)]["requests_open"] == 0
    cases = [("admin", {"county": "liujiang"}, other), ("admin", {"q": "螺蛳粉"}, other),
             ("admin", {"q": code_of(2)[-5:]}, other), ("leader", {"leader": LEADER}, firm),
             ("unit", {}, firm), ("other_unit", {}, other), ("enterprise", {}, firm)]
    for who, params, expected in cases:
        page = firms.read(who, "/api/v1/ledgers/enterprises", **params)
        assert [r["id"] for r in page["items"]] == [expected["id"]], (who, params)


def test_enterprise_ledger_refusals(firms: Firms, firm: dict[str, Any]) -> None:
    path = "/api/v1/ledgers/enterprises"
    assert_problem(firms.get("park_office", path), 403)
    assert firms.read("agent", path)["count"] == 0  # no agency case names it
    assert_problem(firms.get("admin", path, cursor="bogus"), 422)
    assert_problem(firms.get("admin", path, min_position=firm["_position"] + 1), 422)
    page = firms.read("admin", path, limit=1, min_position=firm["_position"])
    assert (page["count"], page["next_cursor"]) == (1, None)
