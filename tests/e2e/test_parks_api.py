"""园区 and 入园联合论证 over HTTP, as the park office and the reviewing units use them: a
park and its compliance ledger, the rule's 409, the review from opening to registration (入园
登记), and the flag in the supervision view."""

from __future__ import annotations

from typing import Any

import pytest

from api.bootstrap import Container
from application.context import SYSTEM
from tests.conftest import auth
from tests.e2e.helpers import Api, assert_problem, position_of

PARKS = "/api/v1/parks"
REVIEWS = "/api/v1/park-entry-reviews"
PARK = {"name": "柳东新区汽车产业园", "level": "city", "county": "liudong",
        "managing_unit": "liudong", "area_mu": "52000", "leading_industries": ["汽车", "新能源"],
        "on": "2025-01-02"}


@pytest.fixture
def reviewers(container: Container, tokens: dict[str, str]) -> dict[str, str]:
    """Tokens of the configured reviewing units' accounts; the park's managing unit (liudong)
    reviews as the `unit` account."""
    made = {code: container.accounts.add(SYSTEM, f"{code} 审查员", "unit", code).token
            for code in ("gxj", "zrzyj", "sthjj", "fgw")}
    return {**made, "liudong": tokens["unit"]}


def post(api: Api, who: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return api.client.post(path, json=body if body is not None else {},
                           headers=api.headers(who))


def created(api: Api, who: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = post(api, who, path, body)
    assert response.status_code in (200, 201), response.text
    return response.json() | {"_position": position_of(response)}


def test_the_park_office_registers_a_park_and_reads_it_with_its_history(api: Api) -> None:
    response = post(api, "park_office", PARKS, PARK)
    assert response.status_code == 201, response.text
    park = response.json()
    assert response.headers["Location"] == f"{PARKS}/{park['id']}"
    assert response.headers["ETag"] == '"1"'
    assert (park["level_label"], park["leading_industries"], park["joint_review_required"]) \
        == ("市属", ["auto", "new_energy"], True)
    assert park["allowed_steps"] == ["leading-industries", "output"]
    history = api.client.get(f"{PARKS}/{park['id']}/history", headers=api.headers("leader"))
    assert [e["label"] for e in history.json()] == ["园区登记"]
    industries = api.client.get("/api/v1/industries", headers=api.headers("enterprise"))
    assert {"code": "auto", "name": "汽车"} in industries.json()


def test_a_fourth_leading_industry_is_a_409_naming_the_rule(api: Api) -> None:
    park = created(api, "park_office", PARKS, PARK)
    refused = post(api, "park_office", f"{PARKS}/{park['id']}/leading-industries",
                   {"industries": ["汽车", "新能源", "电子信息", "机械"], "reason": "扩大"})
    problem = assert_problem(refused, 409)
    assert "at most 3 leading industries (柳政规〔2020〕1号)" in problem["detail"]
    assert "园区主导产业不超过3个（柳政规〔2020〕1号）" in problem["detail"]
    api.assert_log_head(park["_position"])


def test_an_unknown_industry_on_a_new_project_is_a_422_listing_the_valid_values(
        api: Api) -> None:
    problem = assert_problem(api.register(industry="造船"), 422)
    assert "unknown industry '造船'" in problem["detail"]
    assert "auto (汽车)" in problem["detail"] and "产业目录" in problem["detail"]


def test_a_review_runs_from_opinions_to_registration(
        api: Api, reviewers: dict[str, str], project: dict[str, Any]) -> None:
    park = created(api, "park_office", PARKS, PARK)
    review = created(api, "park_office", REVIEWS, {
        "project_id": project["id"], "park_id": park["id"], "land_area_mu": "120",
        "investment_intensity": "350", "output_per_mu": "600", "on": "2025-02-01"})
    assert [u["code"] for u in review["awaiting"]] == ["gxj", "zrzyj", "sthjj", "fgw",
                                                       "liudong"]
    url = f"{REVIEWS}/{review['id']}"

    def opinion(code: str, body: dict[str, Any]) -> Any:
        return api.client.post(f"{url}/opinions", json={**body, "on": "2025-02-10"},
                               headers=auth(reviewers[code]))

    # A unit outside the review is refused; so is the decision before every opinion.
    assert_problem(api.client.post(f"{url}/opinions", json={"opinion": "approve"},
                                   headers=api.headers("other_unit")), 403)
    assert opinion("sthjj", {"opinion": "approve_with_conditions",
                             "text": "落实环评要求"}).status_code == 200
    assert_problem(opinion("sthjj", {"opinion": "approve"}), 409)
    early = assert_problem(post(api, "park_office", f"{url}/decide",
                                {"decision": "approved", "reason": "符合"}), 409)
    assert "尚待柳州市工业和信息化局、柳州市自然资源和规划局、柳州市发展和改革委员会、" \
        "柳东新区(高新区)出具意见" in early["detail"]
    for code in ("gxj", "zrzyj", "fgw", "liudong"):
        assert opinion(code, {"opinion": "approve"}).status_code == 200
    decided = created(api, "park_office", f"{url}/decide",
                      {"decision": "approved", "reason": "符合入园条件", "on": "2025-02-20"})
    assert (decided["status_label"], decided["allowed_steps"]) == ("论证通过", ["register"])
    registered = created(api, "park_office", f"{url}/register", {"on": "2025-02-21"})
    assert registered["status"] == "registered"

    placed = api.state(project["id"])
    assert (placed["park"], placed["park_id"], placed["park_review_id"]) == (
        PARK["name"], park["id"], review["id"])
    assert api.event_types(project["id"])[-1] == "ParkRegistered"
    moved = assert_problem(api.post("bureau", project["id"], "revise", {"park": "阳和工业园"}),
                           409)
    assert "入园登记" in moved["detail"]


def test_the_park_ledger_judges_a_year_and_the_supervision_view_flags_unregistered_projects(
        api: Api, tokens: dict[str, str]) -> None:
    placed = api.create(park="柳东新区汽车产业园")  # registered before the park: placed later
    park = created(api, "park_office", PARKS, PARK)
    output = created(api, "park_office", f"{PARKS}/{park['id']}/output", {
        "year": 2024, "by_industry": [{"industry": "汽车", "output": "550"},
                                      {"industry": "食品", "output": "450"}]})
    ledger = api.client.get("/api/v1/ledgers/parks", headers=api.headers("park_office"),
                            params={"year": 2024, "min_position": output["_position"]})
    (row,) = ledger.json()["items"]
    assert (row["leading_share"], row["meets_rule"], row["shortfall"]) == (
        "55.00", False, {"points": "5.00", "leading_output": "50.0000"})
    assert row["projects"]["negotiating"]["count"] == 1
    view = api.client.get("/api/v1/supervision/overdue", headers=api.headers("unit"),
                          params={"min_position": output["_position"]}).json()
    (flag,) = [f for unit in view["units"] for f in unit["flags"]]
    assert (flag["id"], flag["kind_label"]) == (placed["id"], "入园未登记")
    assert view["flags"] == 1
