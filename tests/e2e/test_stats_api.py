"""End to end: the statistics (统计) over HTTP — project statistics as a client reads them,
and the one shape every statistics answer has (period, breakdown rows, unit names)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from api.bootstrap import Container
from tests.e2e.complaints import ComplaintApi
from tests.e2e.enterprises import Firms
from tests.e2e.helpers import Api, assert_problem

PROJECT_STATS = "/api/v1/stats/projects"
STATS = [PROJECT_STATS, "/api/v1/stats/complaints", "/api/v1/stats/units",
         "/api/v1/stats/requests"]
MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


@pytest.fixture
def march(api: Api, complaints: ComplaintApi, firms: Firms) -> int:
    """One item of each case type handled in March 2025 by liudong and liujiang; the log
    position of the last step."""
    project = api.create(on="2025-03-03")  # liudong, 汽车, 12000.5 万元
    api.do("bureau", project["id"], "sign", {"date": "2025-03-10", "contract_amount": "8000"})
    api.do("bureau", project["id"], "start-construction", {"date": "2025-03-20"})
    other = api.create(on="2025-02-27", name="食品加工项目", industry="食品",
                       total_investment="3000", county="liujiang", responsible_unit="liujiang")
    api.do("bureau", other["id"], "sign", {"date": "2025-04-01", "contract_amount": "2500"})
    complaint = complaints.create(received_on="2025-03-03")
    complaints.do("bureau", complaint["id"], "accept", {"on": "2025-03-03"})
    complaints.do("bureau", complaint["id"], "assign", {"unit": "liujiang", "on": "2025-03-04"})
    firms.enterprise()
    request = firms.request(raised_on="2025-03-05")
    return int(firms.handle("bureau", request["id"], "assign",
                            {"lead_unit": "liudong", "on": "2025-03-05"})["_position"])


def read(api: Api, path: str, who: str = "leader", **params: Any) -> dict[str, Any]:
    response = api.client.get(path, params=params, headers=api.headers(who))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_project_statistics_count_the_stages_of_a_period_with_their_amounts(
        api: Api, march: int) -> None:
    body = read(api, PROJECT_STATS, min_position=march, **MARCH)
    assert body["period"] == MARCH
    # The liudong project registered, signed and started in March; the liujiang one was
    # registered the day before and signed the day after.
    assert {stage: (body[stage]["count"], Decimal(body[stage]["total_investment"]),
                    Decimal(body[stage]["contract_amount"]))
            for stage in ("registered", "signed", "started", "produced")} == {
        "registered": (1, Decimal("12000.5"), Decimal("8000")),
        "signed": (1, Decimal("12000.5"), Decimal("8000")),
        "started": (1, Decimal("12000.5"), Decimal("8000")),
        "produced": (0, Decimal("0"), Decimal("0"))}
    assert body["summary"] == ("新增在谈项目1个，总投资12000.5万元；签约1个，合同金额8000万元；"
                               "开工1个，总投资12000.5万元；投产0个，总投资0万元")
    assert [(r["code"], r["label"]) for r in body["by_month"]] == [("2025-03", "2025年3月")]
    assert [(r["code"], r["label"]) for r in body["by_county"]] == [
        ("liudong", "柳东新区(高新区)")]
    assert [(r["code"], r["label"]) for r in body["by_unit"]] == [("liudong", "柳东新区(高新区)")]
    assert [(r["code"], r["label"]) for r in body["by_industry"]] == [("auto", "汽车")]
    spring = read(api, PROJECT_STATS, "bureau", **{"from": "2025-02-01", "to": "2025-04-30"})
    assert (spring["registered"]["count"], spring["signed"]["count"]) == (2, 2)
    assert Decimal(spring["signed"]["contract_amount"]) == Decimal("10500")
    assert [r["code"] for r in spring["by_month"]] == ["2025-02", "2025-03", "2025-04"]
    assert [r["label"] for r in spring["by_county"]] == ["柳东新区(高新区)", "柳江区"]


def test_project_statistics_are_for_bureau_supervision_leaders_and_admins(
        api: Api) -> None:
    for who in ("admin", "bureau", "supervisor", "leader"):
        assert read(api, PROJECT_STATS, who)["registered"]["count"] == 0
    for who in ("unit", "park_office", "agent", "enterprise"):
        assert_problem(api.client.get(PROJECT_STATS, headers=api.headers(who)), 403)
    reversed_period = {"from": "2025-04-01", "to": "2025-03-01"}
    detail = assert_problem(api.client.get(PROJECT_STATS, params=reversed_period,
                                           headers=api.headers("leader")), 422)["detail"]
    assert "起止日期颠倒" in detail
    assert_problem(api.client.get(PROJECT_STATS, params={"from": "March"},
                                  headers=api.headers("leader")), 422)
    description = api.client.get("/openapi.json").json()["paths"][PROJECT_STATS]["get"][
        "description"]
    assert "may count in several stages" in description


@pytest.mark.parametrize("path", STATS)
def test_every_statistics_answer_has_one_shape(api: Api, container: Container, march: int,
                                               path: str) -> None:
    body = read(api, path, min_position=march, **MARCH)
    assert body["period"] == MARCH and "from" not in body and "to" not in body
    assert isinstance(body["position"], int) and body["position"] >= march
    breakdowns = {name: rows for name, rows in body.items() if isinstance(rows, list)}
    assert breakdowns and all(breakdowns.values())
    for rows in breakdowns.values():
        for row in rows:
            assert isinstance(row["code"], str) and isinstance(row["label"], str), row
            unit = container.units.get(row["code"])
            assert row["label"] == (unit.name if unit else row["label"]), row
    # Figures are objects of named figures, never maps from codes to figures.
    for name, value in body.items():
        if isinstance(value, dict) and name != "period":
            assert not any(isinstance(v, dict) for v in value.values()), name
    unlimited = read(api, path)
    assert unlimited["period"] == {"from": None, "to": None}
