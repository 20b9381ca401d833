"""End to end: a signed project past its planned start (计划开工) is in the supervision view
as an overdue item of its responsible unit, and leaves it when construction starts."""

from __future__ import annotations

from datetime import date

import pytest

from api.bootstrap import Container
from tests.e2e.helpers import Api
from tests.integration.test_complaint_projections import set_today

SUPERVISION = "/api/v1/supervision/overdue"


def test_a_project_past_its_planned_start_is_supervised_until_it_starts(
        api: Api, container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, container, date(2025, 10, 24))
    project = api.create(planned_start="2025-10-23", planned_production="2026-06-30")
    signed = api.do("bureau", project["id"], "sign",
                    {"date": "2025-09-10", "contract_amount": "8000"})
    response = api.client.get(SUPERVISION, params={"min_position": signed["_position"]},
                              headers=api.headers("unit"))
    assert response.status_code == 200, response.text
    (group,) = response.json()["units"]
    assert (group["unit"], group["unit_name"], group["overdue"]) == (
        "liudong", "柳东新区(高新区)", 1)
    (item,) = group["items"]
    assert {k: item[k] for k in ("kind", "kind_label", "id", "due", "state_label",
                                 "working_days_overdue")} == {
        "kind": "project_planned_start", "kind_label": "计划开工", "id": project["id"],
        "due": "2025-10-23", "state_label": "超期", "working_days_overdue": 1}
    started = api.do("bureau", project["id"], "start-construction", {"date": "2025-10-24"})
    after = api.client.get(SUPERVISION, params={"min_position": started["_position"]},
                           headers=api.headers("supervisor")).json()
    assert after["units"] == []
