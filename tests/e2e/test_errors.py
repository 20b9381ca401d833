"""Every error status as application/problem+json, and that no refused request appends events."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from api.bootstrap import Container
from application.context import SYSTEM
from tests.conftest import auth
from tests.e2e.helpers import (
    FUTURE,
    PROJECTS,
    SIGNED_ON,
    Api,
    assert_problem,
    project_body,
    without,
)


def _unchanged(api: Api, project: dict[str, Any], events: int, head: int) -> None:
    """The project still has `events` events and the global log still ends at `head`."""
    assert len(api.history(project["id"])) == events
    assert api.state(project["id"])["version"] == events
    api.assert_log_head(head)


# --- 401 ---------------------------------------------------------------------------------


BAD_AUTHORIZATION = {
    "no-header": None,
    "unknown-token": "Bearer il_not-a-real-token",
    "basic-scheme": "Basic YWRtaW46c2VjcmV0",
    "empty-bearer": "Bearer ",
    "no-scheme": "il_token-without-scheme",
}


def test_a_command_without_a_valid_bearer_token_is_401_and_appends_nothing(
    api: Api, project: dict[str, Any]
) -> None:
    for case, authorization in BAD_AUTHORIZATION.items():
        headers = {"Authorization": authorization} if authorization is not None else {}

        response = api.client.post(f"{PROJECTS}/{project['id']}/comment",
                                   json={"text": "匿名"}, headers=headers)

        assert response.status_code == 401, case
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), case
    _unchanged(api, project, 1, project["_position"])


def test_reads_need_a_token(api: Api, project: dict[str, Any]) -> None:
    paths = ["/api/v1/ledgers/projects", "/api/v1/units", f"{PROJECTS}/{project['id']}",
             f"{PROJECTS}/{project['id']}/history"]

    for path in paths:
        assert_problem(api.client.get(path), 401)
        assert_problem(api.client.get(path, headers={"Authorization": "Basic eDp5"}), 401)


def test_a_token_of_a_deactivated_account_is_401(
    api: Api, project: dict[str, Any], container: Container
) -> None:
    commented = api.do("unit", project["id"], "comment", {"text": "在"})
    unit_account = api.history(project["id"])[-1]["actor"]["id"]
    container.accounts.deactivate(SYSTEM, uuid.UUID(unit_account), "调离")

    response = api.post("unit", project["id"], "comment", {"text": "还在吗"})

    assert_problem(response, 401)
    assert len(api.history(project["id"])) == commented["version"]


def test_a_reissued_token_replaces_the_old_one(
    api: Api, project: dict[str, Any], container: Container
) -> None:
    old_token = api.tokens["bureau"]
    bureau_account = api.history(project["id"])[0]["actor"]["id"]
    new_token = container.accounts.reissue(SYSTEM, uuid.UUID(bureau_account)).token

    refused = api.client.get(f"{PROJECTS}/{project['id']}", headers=auth(old_token))
    accepted = api.client.get(f"{PROJECTS}/{project['id']}", headers=auth(new_token))

    assert_problem(refused, 401)
    assert accepted.status_code == 200


def test_registration_without_a_token_appends_nothing(api: Api, project: dict[str, Any]) -> None:
    response = api.client.post(PROJECTS, json=project_body())

    assert_problem(response, 401)
    api.assert_log_head(project["_position"])


# --- 403 ---------------------------------------------------------------------------------


def test_leader_registering_a_project_is_403_and_appends_nothing(
    api: Api, project: dict[str, Any]
) -> None:
    problem = assert_problem(api.register("leader"), 403)

    assert "leader" in problem["detail"]
    assert api.ledger(min_position=project["_position"])["count"] == 1
    api.assert_log_head(project["_position"])


def test_unit_signing_is_403_and_appends_nothing(api: Api, project: dict[str, Any]) -> None:
    response = api.post("unit", project["id"], "sign", {"date": SIGNED_ON,
                                                        "contract_amount": "1"}, version=1)

    assert_problem(response, 403)
    _unchanged(api, project, 1, project["_position"])


def test_enterprise_reading_a_project_is_403(api: Api, project: dict[str, Any]) -> None:
    assert_problem(api.get("enterprise", project["id"]), 403)
    assert_problem(api.get_history("enterprise", project["id"]), 403)


# --- 404 ---------------------------------------------------------------------------------


def test_unknown_project_id_is_404_for_reads_and_commands(api: Api,
                                                         project: dict[str, Any]) -> None:
    unknown = str(uuid.uuid4())

    assert_problem(api.get("admin", unknown), 404)
    assert_problem(api.get_history("admin", unknown), 404)
    assert_problem(api.post("bureau", unknown, "comment", {"text": "喂"}), 404)
    assert_problem(api.post("bureau", unknown, "sign", {"date": SIGNED_ON,
                                                        "contract_amount": "1"}), 404)
    api.assert_log_head(project["_position"])


def test_an_account_id_is_not_a_project(api: Api, project: dict[str, Any]) -> None:
    account_id = api.history(project["id"])[0]["actor"]["id"]

    problem = assert_problem(api.get("admin", account_id), 404)
    assert account_id in problem["detail"]
    assert_problem(api.get("admin", account_id, as_of_version=1), 404)
    assert_problem(api.get_history("admin", account_id), 404)
    assert_problem(api.post("bureau", account_id, "comment", {"text": "喂"}), 404)
    api.assert_log_head(project["_position"])


def test_a_path_that_is_not_a_uuid_is_422(api: Api) -> None:
    assert_problem(api.get("admin", "not-a-uuid"), 422)


# --- 409 ---------------------------------------------------------------------------------


def _given_stage(api: Api, project: dict[str, Any], stage: str | None) -> tuple[int, int]:
    """Advance the project to `stage` (None: leave it negotiating); its version and the
    ledger position of its last event afterwards."""
    state = project if stage is None else api.advance(project["id"], stage)
    return int(state["version"]), int(state["_position"])


@pytest.mark.parametrize(("stage", "action", "body", "words"), [
    ("signed", "sign", {"date": SIGNED_ON, "contract_amount": "1"}, ["signed", "sign"]),
    (None, "start-production", {"date": SIGNED_ON}, ["negotiating"]),
    ("signed", "start-production", {"date": SIGNED_ON}, ["signed", "start production"]),
    (None, "start-construction", {"date": SIGNED_ON}, ["negotiating"]),
    ("in_production", "terminate", {"reason": "撤资"}, ["in_production"]),
    (None, "instructions/9/answer", {"text": "已落实"}, ["#9"]),
    (None, "problems/1/resolve", {"resolution": "已解决"}, ["#1"]),
    (None, "sign", {"date": "2025-01-09", "contract_amount": "1"}, ["registration date"]),
    (None, "drop-key", {"year": 2025, "reason": "无"}, ["2025"]),
    (None, "reassign", {"unit": "liudong", "reason": "无"}, ["liudong"]),
    (None, "revise", {"name": "新能源汽车零部件项目"}, ["changes nothing"]),
], ids=["sign-twice", "production-before-construction", "production-when-signed",
        "construction-before-signing", "terminate-producing", "answer-missing-instruction",
        "resolve-missing-problem", "sign-before-registration", "drop-key-not-on-list",
        "reassign-to-same-unit", "revise-nothing"])
def test_a_broken_rule_is_409_naming_the_reason_and_appends_nothing(
    api: Api, project: dict[str, Any], stage: str | None, action: str, body: dict[str, Any],
    words: list[str]
) -> None:
    version, head = _given_stage(api, project, stage)

    response = api.post("bureau", project["id"], action, body, version=version)

    problem = assert_problem(response, 409)
    for word in words:
        assert word in problem["detail"]
    _unchanged(api, project, version, head)


def test_a_terminated_project_refuses_everything_but_comments(
    api: Api, project: dict[str, Any]
) -> None:
    pid = project["id"]
    api.do("bureau", pid, "terminate", {"reason": "撤资"})

    refused: list[tuple[str, str, dict[str, Any]]] = [
        ("bureau", "sign", {"date": SIGNED_ON, "contract_amount": "1"}),
        ("unit", "report-progress", {"period": "2025", "text": "无"}),
        ("leader", "instruct", {"text": "继续"}),
        ("bureau", "designate-key", {"year": 2025, "reason": "市重点"})]
    for who, action, body in refused:
        problem = assert_problem(api.post(who, pid, action, body), 409)
        assert "terminated" in problem["detail"]
    assert api.do("unit", pid, "comment", {"text": "已归档"})["version"] == 3
    assert api.event_types(pid) == ["Registered", "Terminated", "Commented"]


# --- 412 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("stale", [1, 3], ids=["behind", "ahead"])
def test_stale_if_match_is_412_and_appends_nothing(
    api: Api, project: dict[str, Any], stale: int
) -> None:
    signed = api.do("bureau", project["id"], "sign", {"date": SIGNED_ON, "contract_amount": "1"})

    response = api.post("bureau", project["id"], "comment", {"text": "过期"}, version=stale)

    problem = assert_problem(response, 412)
    assert "version 2" in problem["detail"]
    _unchanged(api, project, 2, signed["_position"])


# --- 422 ---------------------------------------------------------------------------------


INVALID_REGISTRATIONS: dict[str, tuple[dict[str, Any], str]] = {
    "missing-field": (without(project_body(), "investor"), "investor"),
    "negative-amount": (project_body(total_investment="-1"), "total_investment"),
    "five-decimals": (project_body(total_investment="1.23456"), "total_investment"),
    "not-a-number": (project_body(total_investment="十万"), "total_investment"),
    "unknown-unit": (project_body(responsible_unit="nowhere"), "nowhere"),
    "county-is-a-department": (project_body(county="tcj"), "tcj"),
    "unknown-county": (project_body(county="nowhere"), "nowhere"),
    "future-business-date": (project_body(on=FUTURE), "future"),
    "extra-field": (project_body(actor="someone-else"), "actor"),
    "empty-name": (project_body(name=""), "name"),
    "blank-name": (project_body(name="   "), "name"),
}


def test_an_invalid_registration_is_422_naming_the_field_and_appends_nothing(
    api: Api, project: dict[str, Any]
) -> None:
    outcomes = {}
    for case, (body, field) in INVALID_REGISTRATIONS.items():
        response = api.register(body=body)
        outcomes[case] = (response.status_code, field in response.json()["detail"])
        if response.status_code == 422:
            assert_problem(response, 422)

    assert outcomes == dict.fromkeys(INVALID_REGISTRATIONS, (422, True))
    assert api.ledger(min_position=project["_position"])["count"] == 1
    api.assert_log_head(project["_position"])


def test_validation_problems_list_the_failing_fields(api: Api) -> None:
    body = without(project_body(total_investment="-5"), "name")

    problem = assert_problem(api.register(body=body), 422)

    fields = {e["field"] for e in problem["errors"]}
    assert fields == {"name", "total_investment"}


INVALID_COMMANDS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "sign-missing-amount": ("bureau", "sign", {"date": SIGNED_ON}),
    "sign-negative-amount": ("bureau", "sign", {"date": SIGNED_ON, "contract_amount": "-100"}),
    "sign-five-decimals": ("bureau", "sign", {"date": SIGNED_ON, "contract_amount": "0.00001"}),
    "sign-future-date": ("bureau", "sign", {"date": FUTURE, "contract_amount": "1"}),
    "sign-impossible-date": ("bureau", "sign", {"date": "2025-02-30", "contract_amount": "1"}),
    "sign-with-on": ("bureau", "sign", {"date": SIGNED_ON, "contract_amount": "1",
                                        "on": SIGNED_ON}),
    "comment-future-on": ("bureau", "comment", {"text": "hi", "on": FUTURE}),
    "comment-extra-actor": ("bureau", "comment", {"text": "hi", "actor": "someone-else"}),
    "comment-empty-text": ("bureau", "comment", {"text": ""}),
    "reassign-unknown-unit": ("bureau", "reassign", {"unit": "nowhere", "reason": "调整"}),
    "revise-county-department": ("bureau", "revise", {"county": "tcj"}),
    "revise-responsible-unit": ("bureau", "revise", {"responsible_unit": "liujiang"}),
    "revise-no-change": ("bureau", "revise", {"reason": "nothing else"}),
    "key-year-out-of-range": ("bureau", "designate-key", {"year": 1999, "reason": "市重点"}),
    "progress-bad-period": ("unit", "report-progress", {"period": "2025-13", "text": "进展"}),
    "progress-negative-funds": ("unit", "report-progress",
                                {"period": "2025", "text": "进展", "funds_in_place": "-1"}),
}


def test_an_invalid_command_is_422_and_appends_nothing(
    api: Api, project: dict[str, Any]
) -> None:
    statuses = {}
    for case, (who, action, body) in INVALID_COMMANDS.items():
        response = api.post(who, project["id"], action, body, version=1)
        statuses[case] = response.status_code
        if response.status_code == 422:
            assert_problem(response, 422)

    assert statuses == dict.fromkeys(INVALID_COMMANDS, 422)
    _unchanged(api, project, 1, project["_position"])


def test_a_malformed_if_match_is_422_and_appends_nothing(
    api: Api, project: dict[str, Any]
) -> None:
    for if_match in ["abc", '"1.5"', '"-1"', '"1", "2"', '""']:
        response = api.post("bureau", project["id"], "comment", {"text": "hi"},
                            version=if_match)

        problem = assert_problem(response, 422)
        assert "If-Match" in problem["detail"], if_match
    _unchanged(api, project, 1, project["_position"])


def test_as_of_version_outside_the_history_is_422(api: Api, project: dict[str, Any]) -> None:
    statuses = {v: api.get("admin", project["id"], as_of_version=v).status_code
                for v in (2, 99, 0, -1, "x")}

    assert statuses == dict.fromkeys(statuses, 422)
    problem = assert_problem(api.get("admin", project["id"], as_of_version=2), 422)
    assert "between 1 and 1" in problem["detail"]


def test_problem_details_carry_the_request_id_and_path(api: Api) -> None:
    unknown = str(uuid.uuid4())
    response = api.client.get(f"{PROJECTS}/{unknown}", headers=api.headers(
        "admin", **{"X-Request-ID": "trace-404"}))

    problem = assert_problem(response, 404)
    assert problem["request_id"] == "trace-404"
    assert problem["instance"] == f"{PROJECTS}/{unknown}"
    assert response.headers["X-Request-ID"] == "trace-404"


# --- other problems ----------------------------------------------------------------------


def test_unknown_route_and_method_are_problems_too(api: Api, project: dict[str, Any]) -> None:
    assert_problem(api.client.get("/api/v1/nothing-here", headers=api.headers("admin")), 404)
    assert_problem(api.client.delete(f"{PROJECTS}/{project['id']}",
                                     headers=api.headers("admin")), 405)
    assert api.state(project["id"])["version"] == 1


def test_a_body_that_is_not_json_is_422_and_appends_nothing(
    api: Api, project: dict[str, Any]
) -> None:
    response = api.client.post(f"{PROJECTS}/{project['id']}/comment", content=b"{text: oops",
                               headers=api.headers("bureau", **{"Content-Type":
                                                                "application/json"}))

    assert_problem(response, 422)
    _unchanged(api, project, 1, project["_position"])


def test_authentication_is_checked_before_the_body(api: Api, project: dict[str, Any]) -> None:
    response = api.client.post(f"{PROJECTS}/{project['id']}/sign", json={"nonsense": True},
                               headers={"If-Match": "abc"})

    assert_problem(response, 401)
    _unchanged(api, project, 1, project["_position"])


# --- validation messages: both languages, none of the validation library's internals ----

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3}")
BAD_BODIES = {
    "missing-name": without(project_body(), "name"),
    "unknown-field": project_body(colour="red"),
    "name-too-long": project_body(name="项" * 1000),
    "amount-not-a-number": project_body(total_investment="lots"),
    "date-not-a-date": project_body(on="yesterday"),
    "date-with-time": project_body(on="2025-03-01T10:00:00"),
    "list-for-text": project_body(investor=["a", "b"]),
    "not-an-object": ["name"],
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_validation_errors_speak_both_languages_without_internals(
        client: Any, tokens: dict[str, str], body: Any) -> None:
    r = client.post("/api/v1/projects", json=body, headers=auth(tokens["bureau"]))
    problem = assert_problem(r, 422)
    assert problem["errors"]
    for error in problem["errors"]:
        assert set(error) == {"field", "message"}
        message = error["message"]
        assert CJK.search(message) and LATIN.search(message), message
        assert "Value error" not in message and "pydantic" not in message.lower()
        assert "errors.pydantic.dev" not in message
    assert "pydantic" not in problem["detail"].lower()
