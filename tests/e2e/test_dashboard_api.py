"""The dashboard and 信息报送 over HTTP, on the hand-counted month of dashboard_world: every
figure's `href` answers exactly the rows it counts, for the office and for a unit; missing
reports join the overdue view; the project ledger shows and filters the reporting status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.bootstrap import Container
from tests.e2e.helpers import Api, assert_problem
from tests.integration.dashboard_world import TODAY, hand_counted_month
from tests.integration.test_complaint_projections import set_today

DASHBOARD = "/api/v1/supervision/dashboard"


@pytest.fixture
def month(api: Api, container: Container, monkeypatch: pytest.MonkeyPatch) -> Api:
    set_today(monkeypatch, container, TODAY)
    callers = {k: container.accounts.authenticate(t, "e2e") for k, t in api.tokens.items()}
    hand_counted_month(container, callers)
    month = api.ledger(min_position=container.ledger.head())["position"]
    for read in ("/api/v1/supervision/items", DASHBOARD):  # every projection they read
        assert api.client.get(read, params={"min_position": month},
                              headers=api.headers("admin")).status_code == 200
    return api


def figures(board: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every linked figure of a dashboard: (where, {count, href})."""
    for state in ("open", "overdue", "nearly_due"):
        yield f"items.{state}", board["items"][state]
        for group in ("by_kind", "by_unit", "awaiting_answer"):
            for row in board[group]:
                yield f"{group}.{row.get('kind') or row.get('unit')}.{state}", row[state]
    for stage in board["projects_by_stage"]:
        yield f"stage.{stage['stage']}", stage
    for status in ("owed", "reported", "late", "missing"):
        yield f"key_reports.{status}", board["key_reports"][status]


@pytest.mark.parametrize("who", ["supervisor", "unit", "other_unit"])
def test_every_figure_of_the_dashboard_counts_the_rows_its_link_lists(
        month: Api, who: str) -> None:
    response = month.client.get(DASHBOARD, headers=month.headers(who))
    assert response.status_code == 200, response.text
    board = response.json()
    wrong = {}
    for where, figure in figures(board):
        rows = month.client.get(figure["href"], headers=month.headers(who))
        assert rows.status_code == 200, (where, rows.text)
        if rows.json()["count"] != figure["count"]:
            wrong[where] = (figure["count"], rows.json()["count"], figure["href"])
    assert not wrong
    assert sum(1 for _ in figures(board)) > 20


def test_the_dashboard_as_clients_read_it(month: Api) -> None:
    board = month.client.get(DASHBOARD, params={"unit": "liudong,liujiang"},
                             headers=month.headers("leader")).json()
    assert board["today"] == "2025-10-20" and board["unit"] == ["liudong", "liujiang"]
    assert (board["items"]["open"]["count"], board["items"]["overdue"]["count"]) == (5, 2)
    stages = {s["stage"]: (s["count"], s["total_investment"])
              for s in board["projects_by_stage"]}
    assert stages["negotiating"] == (2, "1500.0000")
    assert board["key_reports"]["missing"] == {
        "count": 1, "href": "/api/v1/ledgers/projects?report_period=2025-09&"
        "report_status=missing&unit=liudong%2Cliujiang"}
    refused = month.client.get(DASHBOARD, headers=month.headers("enterprise"))
    assert_problem(refused, 403)
    assert_problem(month.client.get(DASHBOARD, params={"kind": "request"},
                                    headers=month.headers("supervisor")), 422)


def test_missing_reports_join_the_overdue_view(month: Api) -> None:
    view = month.client.get("/api/v1/supervision/overdue", headers=month.headers("unit"))
    assert view.status_code == 200, view.text
    (liudong,) = view.json()["units"]
    reports = [i for i in liudong["items"] if i["kind"] == "missing_report"]
    assert [(i["kind_label"], i["title"], i["due"], i["state"]) for i in reports] == [
        ("信息报送", "甲", "2025-10-14", "overdue")]


def test_the_key_project_list_shows_each_projects_reporting_status(month: Api) -> None:
    rows = month.ledger("bureau", key_year=2025)["items"]
    assert {r["name"]: (r["report_period"], r["report_due"], r["report_status"],
                        r["report_status_label"], r["report_filed_on"]) for r in rows} == {
        "甲": ("2025-09", "2025-10-14", "missing", "未报送", None),
        "乙": ("2025-09", "2025-10-14", "reported", "已报送", "2025-10-10"),
        "丙": ("2025-09", "2025-10-14", "late", "逾期报送", "2025-10-16")}
    late = month.ledger("unit", report_status="late")
    assert late["count"] == 0  # 丙 is liujiang's
    for bad in ({"report_period": "2025-Q3"}, {"report_period": "2025-9"},
                {"report_status": "filed"}):
        assert_problem(month.get_ledger("bureau", **bad), 422)
