"""The dashboard (督查督办工作台) against the hand-counted month of dashboard_world, on each
backend: figures by kind, by unit, by stage, key projects' reports, items awaiting an
answer; a unit's own figures; the items behind the figures; kinds contributed by other case
types counted without being named."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from api.bootstrap import Container
from application.context import Caller
from application.errors import Forbidden
from domain.errors import InvalidValue
from tests.integration.dashboard_world import TODAY, hand_counted_month
from tests.integration.test_complaint_projections import set_today


@pytest.fixture
def month(backend_container: Container, backend_callers: dict[str, Caller],
          monkeypatch: pytest.MonkeyPatch) -> Container:
    set_today(monkeypatch, backend_container, TODAY)
    hand_counted_month(backend_container, backend_callers)
    backend_container.follower.catch_up()
    return backend_container


def counts(figures: dict[str, Any]) -> tuple[int, int, int]:
    return figures["open"]["count"], figures["overdue"]["count"], figures["nearly_due"]["count"]


def read(c: Container, caller: Caller, **params: str) -> dict[str, Any]:
    return c.dashboard.dashboard(caller, list(params.items()))


def test_the_dashboard_counts_the_month_by_kind_unit_and_stage(
        month: Container, backend_callers: dict[str, Caller]) -> None:
    board = read(month, backend_callers["supervisor"])

    assert counts(board["items"]) == (6, 2, 2)
    assert {k["kind"]: (k["label"], *counts(k)) for k in board["by_kind"]} == {
        "complaint_acceptance": ("投诉受理", 1, 0, 1), "complaint_reply": ("投诉答复", 1, 0, 0),
        "request": ("企业诉求办理", 1, 1, 0), "project_problem": ("项目存在问题", 1, 0, 0),
        "project_instruction": ("领导批示落实", 1, 0, 1), "missing_report": ("信息报送", 1, 1, 0)}
    assert [(u["unit"], u["unit_name"], *counts(u)) for u in board["by_unit"]] == [
        ("liudong", "柳东新区(高新区)", 3, 2, 0), ("liujiang", "柳江区", 2, 0, 1),
        ("tcj", "柳州市投资促进局", 1, 0, 1)]
    assert {s["stage"]: (s["label"], s["count"], s["total_investment"])
            for s in board["projects_by_stage"]} == {
        "negotiating": ("在谈", 2, Decimal("1500")), "signed": ("签约", 1, Decimal("2000")),
        "under_construction": ("开工", 1, Decimal("3000")), "in_production": ("投产", 0, 0),
        "terminated": ("终止", 1, Decimal("700"))}
    reports = board["key_reports"]
    assert (reports["period"], reports["due"].isoformat(), reports["cadence_label"]) == (
        "2025-09", "2025-10-14", "按月")
    assert {k: reports[k]["count"] for k in ("owed", "reported", "late", "missing")} == {
        "owed": 3, "reported": 1, "late": 1, "missing": 1}
    assert [(a["kind"], *counts(a)) for a in board["awaiting_answer"]] == [
        ("project_instruction", 1, 0, 1)]


def test_every_figure_links_to_its_rows(month: Container,
                                        backend_callers: dict[str, Caller]) -> None:
    board = read(month, backend_callers["bureau"])
    reports = board["key_reports"]
    assert board["items"]["overdue"]["href"] == "/api/v1/supervision/items?state=overdue"
    assert board["items"]["open"]["href"] == "/api/v1/supervision/items"
    by_kind = {k["kind"]: k for k in board["by_kind"]}
    assert by_kind["missing_report"]["nearly_due"]["href"] == (
        "/api/v1/supervision/items?kind=missing_report&state=nearly_due")
    assert board["projects_by_stage"][1]["href"] == "/api/v1/ledgers/projects?stage=signed"
    assert reports["missing"]["href"] == (
        "/api/v1/ledgers/projects?report_period=2025-09&report_status=missing")
    narrowed = read(month, backend_callers["bureau"], unit="liujiang")
    assert counts(narrowed["items"]) == (2, 0, 1)
    assert narrowed["by_unit"][0]["open"]["href"] == "/api/v1/supervision/items?unit=liujiang"
    assert narrowed["projects_by_stage"][2]["href"] == (
        "/api/v1/ledgers/projects?stage=under_construction&unit=liujiang")
    assert narrowed["key_reports"]["late"]["count"] == 1


def test_a_unit_reads_its_own_figures(month: Container,
                                      backend_callers: dict[str, Caller]) -> None:
    board = read(month, backend_callers["unit"])
    assert counts(board["items"]) == (3, 2, 0)
    assert {k["kind"] for k in board["by_kind"]} == {"complaint_reply", "request",
                                                      "missing_report"}
    assert [u["unit"] for u in board["by_unit"]] == ["liudong"]
    assert {s["stage"]: s["count"] for s in board["projects_by_stage"] if s["count"]} == {
        "negotiating": 1, "signed": 1, "terminated": 1}
    assert {k: board["key_reports"][k]["count"] for k in ("owed", "reported", "missing")} == {
        "owed": 2, "reported": 1, "missing": 1}
    assert board["awaiting_answer"][0]["open"]["count"] == 0
    for who in ("enterprise", "park_office", "agent"):
        with pytest.raises(Forbidden):
            read(month, backend_callers[who])


def test_the_items_behind_the_figures(month: Container,
                                      backend_callers: dict[str, Caller]) -> None:
    def items(caller: str = "supervisor", **params: str) -> list[tuple[str, str, str, str]]:
        found = month.dashboard.items(backend_callers[caller], list(params.items()))
        assert found["count"] == len(found["items"])
        return [(i["kind"], i["unit"], i["state"], i["due"]) for i in found["items"]]

    assert items() == [
        ("missing_report", "liudong", "overdue", "2025-10-14"),
        ("request", "liudong", "overdue", "2025-10-16"),
        ("complaint_acceptance", "tcj", "nearly_due", "2025-10-20"),
        ("project_instruction", "liujiang", "nearly_due", "2025-10-22"),
        ("complaint_reply", "liudong", "on_track", "2025-10-23"),
        ("project_problem", "liujiang", "on_track", "2025-11-05")]
    assert items(state="on_track,nearly_due", unit="liujiang") == [
        ("project_instruction", "liujiang", "nearly_due", "2025-10-22"),
        ("project_problem", "liujiang", "on_track", "2025-11-05")]
    assert items(kind="missing_report,request", state="overdue") == items(state="overdue")
    assert items(kind="complaint_reply") == [
        ("complaint_reply", "liudong", "on_track", "2025-10-23")]
    assert [i[0] for i in items("unit")] == ["missing_report", "request", "complaint_reply"]
    found = month.dashboard.items(backend_callers["bureau"], [("kind", "missing_report")])
    (missing,) = found["items"]
    assert (missing["title"], missing["summary"], missing["state_label"],
            missing["working_days_overdue"], missing["unit_name"]) == (
        "甲", "2025-09 信息报送（按月）", "超期", 4, "柳东新区(高新区)")
    with pytest.raises(InvalidValue, match="state"):
        items(state="late")


def test_kinds_other_case_types_contribute_are_counted_by_their_kind(
        month: Container, backend_callers: dict[str, Caller]) -> None:
    """An open 督办单 item, as the order case type's `contributes` handler would write it:
    the dashboard counts it under its kind and among the items awaiting an answer."""
    from projections.supervision import ITEMS, KIND_LABELS, SUBJECTS

    KIND_LABELS.setdefault("order", "督办单办理")
    with month.views.transaction() as tx:
        tx.execute(f"INSERT INTO {SUBJECTS} (id, kind, title, unit, seq) VALUES "
                   "('o-1', 'order', '督办单 2025-01', NULL, 999999)")
        tx.execute(f"INSERT INTO {ITEMS} (id, kind, subject_id, number, unit, summary, "
                   "started_on, base_due, due, provisional, seq) VALUES ('order:o-1', 'order', "
                   "'o-1', NULL, 'liujiang', '请于期限内答复', '2025-10-09', '2025-10-17', "
                   "'2025-10-17', 0, 999999)")
    board = read(month, backend_callers["leader"])
    by_kind = {k["kind"]: k for k in board["by_kind"]}
    assert (by_kind["order"]["label"], *counts(by_kind["order"])) == ("督办单办理", 1, 1, 0)
    assert [(a["kind"], *counts(a)) for a in board["awaiting_answer"]] == [
        ("project_instruction", 1, 0, 1), ("order", 1, 1, 0)]
    assert counts(board["items"]) == (7, 3, 2)
