"""Corrections (更正) of an enterprise request's intake facts over HTTP: the ledger, the
statistics and the history follow; a refused correction writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import on_every_backend
from tests.e2e.enterprises import LEADER, ON, REQUESTS, Firms
from tests.e2e.helpers import FUTURE, Api, assert_problem

LEDGER = "/api/v1/ledgers/requests"
STATS = "/api/v1/stats/requests"


def correct(firms: Firms, rid: str, field: str, value: Any, who: str = "bureau",
            reason: str = "登记有误") -> Any:
    return firms.step(who, rid, "correct", {"field": field, "value": value, "reason": reason})


@on_every_backend
def test_a_corrected_category_and_date_reach_the_ledger_and_the_statistics(
    firms: Firms, firm: dict[str, Any],
) -> None:
    rid = firms.request()["id"]  # labour, raised on 2025-03-03
    firms.ok(correct(firms, rid, "category", "power"))
    last = firms.ok(correct(firms, rid, "raised_on", "2025-02-27", reason="座谈会为27日"))

    (row,) = firms.read("admin", LEDGER, min_position=last["_position"])["items"]
    assert (row["category"], row["category_label"], row["raised_on"]) == (
        "power", "用电", "2025-02-27")
    february = firms.read("admin", STATS, min_position=last["_position"],
                          **{"from": "2025-02-01", "to": "2025-02-28"})
    raised = {c["code"]: c["raised"] for c in february["by_category"]}
    assert (february["raised"], raised["power"]) == (1, 1)
    march = firms.read("admin", STATS, **{"from": "2025-03-01", "to": "2025-03-31"})
    assert march["raised"] == 0
    history = firms.read("bureau", f"{REQUESTS}/{rid}/history")
    assert [(e["label"], e["data"]["previous"], e["data"]["value"]) for e in history[1:]] == [
        ("更正诉求类别", "labour", "power"), ("更正提出日期", ON, "2025-02-27")]


def test_a_request_is_linked_to_its_project_by_a_correction_and_unlinked_again(
    firms: Firms, firm: dict[str, Any], api: Api,
) -> None:
    project = api.create(name="汽车零部件扩产项目")
    rid = firms.request()["id"]

    linked = firms.ok(correct(firms, rid, "project_id", project["id"]))
    (row,) = firms.read("admin", LEDGER, min_position=linked["_position"],
                        project=project["id"])["items"]
    assert (linked["project_id"], row["id"]) == (project["id"], rid)

    unlinked = firms.ok(correct(firms, rid, "project_id", None))
    assert unlinked["project_id"] is None
    assert firms.read("admin", LEDGER, min_position=unlinked["_position"],
                      project=project["id"])["count"] == 0


def test_a_request_raised_at_a_visit_keeps_its_date_on_or_after_the_visit(
    firms: Firms, firm: dict[str, Any],
) -> None:
    firms.do("bureau", firm["id"], "link-leader", {"leader": firms.leader(), "on": "2025-02-20"})
    visit = firms.do("leader", firm["id"], "visits", {
        "date": "2025-03-03", "kind": "visit", "hosted_by": LEADER, "notes": "调研"})
    raised = firms.request(source="visit", visit_number=visit["visit_number"], raised_on=None)

    problem = assert_problem(correct(firms, raised["id"], "raised_on", "2025-03-02"), 422)

    assert "before visit #1 on 2025-03-03" in problem["detail"]
    firms.api.assert_log_head(raised["_position"])


@pytest.mark.parametrize(("field", "value", "status", "detail"), [
    ("raised_on", "2025-03-05", 409, "would follow the first assignment (交办) on 2025-03-03"),
    ("raised_on", FUTURE, 422, "raised_on 2099-01-01 is in the future"),
    ("project_id", "not-an-id", 422, "value of project_id must be a project id (UUID)"),
    ("project_id", "00000000-0000-0000-0000-000000000001", 422, "project_id: no project"),
    ("category", "labour", 409, "category (诉求类别) is already labour"),
    ("source", "forum", 422, "field: Input should be 'raised_on'"),
])
def test_a_refused_correction_appends_nothing(
    firms: Firms, firm: dict[str, Any], field: str, value: Any, status: int, detail: str,
) -> None:
    rid = firms.request()["id"]
    last = firms.handle("bureau", rid, "assign", {"lead_unit": "liudong", "on": ON})

    problem = assert_problem(correct(firms, rid, field, value), status)

    assert detail in problem["detail"]
    firms.api.assert_log_head(last["_position"])


@pytest.mark.parametrize("who", ["unit", "supervisor", "enterprise", "leader"])
def test_only_bureau_staff_correct_a_request(firms: Firms, firm: dict[str, Any],
                                             who: str) -> None:
    rid = firms.request()["id"]
    last = firms.handle("bureau", rid, "assign", {"lead_unit": "liudong", "on": ON})

    assert_problem(correct(firms, rid, "category", "power", who=who), 403)
    firms.api.assert_log_head(last["_position"])
