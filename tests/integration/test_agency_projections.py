"""The agency ledger (代办台账), the agency statistics and the agency items of the supervision
view, on both backends: rows through every step, rebuilt equals incremental, filters and
scopes, and hand-counted figures for the second quarter of 2025 (Qingming 4–6 April and
Labour Day 1–5 May off, Sunday 27 April a 调休 working day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container
from application.context import SYSTEM, Caller
from domain.project import ProjectDetails
from projections import agency_ledger
from projections.agency_ledger import AgencyLedger, AgencyLedgerReader
from projections.supervision import ITEMS, SupervisionItems
from tests.integration.enterprises import code_of
from tests.integration.test_complaint_projections import set_today

E1, E2, E3, E4, E5 = (code_of(n) for n in range(1, 6))
Q2 = [("from", "2025-04-01"), ("to", "2025-06-30")]


def d(month: int, day: int) -> date:
    return date(2025, month, day)


@dataclass
class Fixture:
    cases: dict[str, UUID]  # A..F
    agents: dict[str, Caller]  # 代办员 (the `agent` account), 李代办 (liujiang)
    project: UUID


def build_history(c: Container, callers: dict[str, Caller]) -> Fixture:
    """Six cases of five enterprises, hand-counted for Q2 2025 (test_stats_*):

    A E1 李代办   opened 04-10, open; land_pre_review submitted 04-14, approved 04-16 (2 wd);
                  construction_permit approved 05-20, corrected back to submitted (not counted)
    B E1 李代办   opened 05-02, open (E1 served twice: counts once); project P
    C E2 代办员   opened 01-15, open; fire_design_review approved 03-10 (before the period);
                  project_filing submitted 04-28, approved 05-08 across Labour Day (5 wd)
    D E3 代办员   opened 01-05, closed 03-20: not active in the period
    E E4 代办员   opened 02-01, closed 04-15; eia_approval submitted 04-02, approved 04-08
                  across Qingming (3 wd)
    F E5 代办员   opened 07-05: after the period
    """
    names = {E1: "柳州甲公司", E2: "柳州乙公司", E3: "柳州丙公司", E4: "柳州丁公司",
             E5: "柳州戊公司"}
    for code, name in names.items():
        c.enterprises.register(SYSTEM, name, code, "汽车", "liudong", None, d(1, 2))
    details = ProjectDetails(name="新能源电池项目", investor="投资方", industry="汽车",
                             total_investment=Decimal("1"), county="liudong",
                             responsible_unit="liudong")
    project = c.projects.register(SYSTEM, details, d(1, 2)).state.id
    li = c.accounts.add(SYSTEM, "李代办", "agent", "liujiang")
    agents = {"代办员": callers["agent"], "李代办": c.accounts.authenticate(li.token)}
    service = c.agency_cases

    def open_(code: str, agent: str, on: date, **extra: Any) -> UUID:
        return service.open_case(SYSTEM, credit_code=code, agent=agents[agent].account_id,
                                 opened_on=on, **extra).state.id

    def steps(case: UUID, item: str, *moves: tuple[str, date]) -> None:
        for status, on in moves:
            service.record_item(SYSTEM, case, item, status, on=on)

    cases = {"D": open_(E3, "代办员", d(1, 5)), "C": open_(E2, "代办员", d(1, 15)),
             "E": open_(E4, "代办员", d(2, 1))}
    steps(cases["C"], "fire_design_review", ("submitted", d(2, 10)), ("approved", d(3, 10)))
    service.close(SYSTEM, cases["D"], "项目暂缓，代办中止", d(3, 20))
    steps(cases["E"], "eia_approval", ("submitted", d(4, 2)), ("approved", d(4, 8)))
    cases["A"] = open_(E1, "李代办", d(4, 10))
    steps(cases["A"], "land_pre_review", ("pending", d(4, 10)), ("submitted", d(4, 14)),
          ("approved", d(4, 16)))
    service.close(SYSTEM, cases["E"], "环评已批复", d(4, 15))
    steps(cases["C"], "project_filing", ("submitted", d(4, 28)), ("approved", d(5, 8)))
    cases["B"] = open_(E1, "李代办", d(5, 2), project_id=project)
    service.reach_milestone(SYSTEM, cases["B"], "filing", d(5, 6))
    steps(cases["A"], "construction_permit", ("submitted", d(5, 6)), ("approved", d(5, 20)))
    service.correct_item(SYSTEM, cases["A"], "construction_permit", "submitted",
                         "批复尚未下达，误录", d(5, 6))
    cases["F"] = open_(E5, "代办员", d(7, 5))
    return Fixture(cases, agents, project)


@pytest.fixture
def history(backend_container: Container, backend_callers: dict[str, Caller]) -> Fixture:
    fixture = build_history(backend_container, backend_callers)
    backend_container.follower.catch_up()
    return fixture


def rows(c: Container, table: str) -> list[dict[str, Any]]:
    with c.views.read() as tx:
        return tx.all(f"SELECT * FROM {table} ORDER BY id")


def case_of(fixture: Fixture, row_id: str) -> str:
    return next(k for k, v in fixture.cases.items() if str(v) == row_id)


# --- the ledger ----------------------------------------------------------------------------


def test_rebuilt_ledger_equals_the_incrementally_built_one(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    build_history(backend_container, backend_callers)
    backend_container.follower.batch_size = 2  # steps of one case land in several batches
    backend_container.follower.catch_up()
    tables = (agency_ledger.TABLE, agency_ledger.ITEMS)
    incremental = {t: rows(backend_container, t) for t in tables}
    backend_container.follower.batch_size = 1000
    assert backend_container.follower.rebuild(AgencyLedger.name) == \
        backend_container.ledger.head()
    assert {t: rows(backend_container, t) for t in tables} == incremental
    assert len(incremental[agency_ledger.TABLE]) == 6


def test_rows_sum_up_items_milestones_and_names(backend_container: Container,
                                                history: Fixture) -> None:
    page = AgencyLedgerReader(backend_container.views).page({"today": "2025-05-21"})
    by_case = {case_of(history, r["id"]): r for r in page.items}

    a, b, c = by_case["A"], by_case["B"], by_case["C"]
    assert (a["enterprise_name"], a["agent_name"], a["agent_unit"]) == (
        "柳州甲公司", "李代办", "liujiang")
    assert (a["items_total"], a["items_open"], a["items_approved"]) == (2, 1, 1)
    assert (a["oldest_open_start"], a["next_due"]) == ("2025-05-06", "2025-06-04")
    assert (b["project_name"], b["filing_on"], b["items_total"]) == (
        "新能源电池项目", "2025-05-06", 0)
    assert (c["items_approved"], c["items_open"], c["oldest_open_start"]) == (2, 0, None)
    assert (by_case["E"]["status_label"], by_case["E"]["closed_on"]) == ("已办结", "2025-04-15")
    assert [case_of(history, r["id"]) for r in page.items] == ["F", "B", "A", "E", "C", "D"]
    assert not a["overdue"]


def test_items_keep_their_first_submission_and_standing_approval(
        backend_container: Container, history: Fixture) -> None:
    items = {(case_of(history, r["case_id"]), r["item"]): r
             for r in rows(backend_container, agency_ledger.ITEMS)}
    corrected = items["A", "construction_permit"]
    assert (corrected["status"], corrected["submitted_on"], corrected["approved_on"]) == (
        "submitted", "2025-05-06", None)
    filing = items["C", "project_filing"]
    assert (filing["recorded_on"], filing["submitted_on"], filing["approved_on"]) == (
        "2025-04-28", "2025-04-28", "2025-05-08")


LEDGER_CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({"from": d(4, 1), "to": d(6, 30)}, {"A", "B", "C", "E"}),  # active in Q2
    ({"from": d(3, 21)}, {"A", "B", "C", "E", "F"}), ({"to": d(1, 10)}, {"D"}),
    ({"status": "closed"}, {"D", "E"}), ({"enterprise": (E1, E3)}, {"A", "B", "D"}),
    ({"status": ("open",), "from": d(4, 16), "to": d(4, 16)}, {"A", "C"}),
    # open items first open on or before 05-06: A's corrected permit
    ({"pending_over": d(5, 6)}, {"A"}), ({"pending_over": d(5, 5)}, set()),
]


def test_ledger_filters_and_scopes(backend_container: Container, history: Fixture) -> None:
    reader = AgencyLedgerReader(backend_container.views)
    li, own = (history.agents[k].account_id for k in ("李代办", "代办员"))
    cases = [*LEDGER_CASES, ({"agent": li}, {"A", "B"}), ({"scope_agent": own},
                                                           {"C", "D", "E", "F"}),
             ({"scope_enterprise": E1, "agent": own}, set()),
             ({"project": str(history.project)}, {"B"})]
    for filters, expected in cases:
        page = reader.page({**filters, "today": "2025-07-10"})
        assert ({case_of(history, r["id"]) for r in page.items}, page.count) == (
            expected, len(expected)), filters


def test_pending_over_counts_working_days_as_of_today(
        backend_container: Container, history: Fixture, backend_callers: dict[str, Caller],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A's permit, first open Tuesday 6 May 2025: by Friday 30 May, 18 working days."""
    set_today(monkeypatch, backend_container, d(5, 30))
    reads = backend_container.reads

    def pending_over(n: int) -> set[str]:
        page = reads.ledger(SYSTEM, "agency-cases", [("pending_over", str(n))]).page
        return {case_of(history, r["id"]) for r in page.items}

    assert (pending_over(17), pending_over(18)) == ({"A"}, set())
    # The agent reads its own cases only, with the same filter.
    own = reads.ledger(history.agents["李代办"], "agency-cases", []).page
    assert {case_of(history, r["id"]) for r in own.items} == {"A", "B"}


# --- the statistics ------------------------------------------------------------------------


def test_stats_count_enterprises_served_once_and_cases_active_in_the_period(
        backend_container: Container, history: Fixture) -> None:
    stats = backend_container.agency_cases.stats(SYSTEM, Q2)

    assert stats["period"] == {"from": d(4, 1), "to": d(6, 30)}
    assert (stats["enterprises_served"], stats["summary"]) == (3, "为3家企业开展代办服务")
    assert (stats["cases_active"], stats["cases_opened"], stats["cases_closed"]) == (4, 2, 1)
    assert [(a["label"], a["enterprises_served"], a["cases_active"], a["cases_opened"],
             a["cases_closed"], a["items_approved"]) for a in stats["by_agent"]] == [
        ("代办员", 2, 2, 0, 1, 2), ("李代办", 1, 2, 2, 0, 1)]


def test_stats_median_working_days_across_holidays(backend_container: Container,
                                                   history: Fixture) -> None:
    stats = backend_container.agency_cases.stats(SYSTEM, Q2)

    # 2 (04-14 → 04-16), 3 (04-02 → 04-08, Qingming), 5 (04-28 → 05-08, Labour Day)
    assert (stats["items_approved"], stats["median_working_days"]) == (3, 3.0)
    by_item = {i["code"]: (i["label"], i["approved"], i["median_working_days"])
               for i in stats["by_item"]}
    assert by_item["project_filing"] == ("立项备案", 1, 5.0)
    assert by_item["eia_approval"] == ("环评审批", 1, 3.0)
    assert by_item["land_pre_review"] == ("用地预审", 1, 2.0)
    assert by_item["construction_permit"] == ("施工许可", 0, None)  # its approval was corrected
    assert len(stats["by_item"]) == 9


def test_stats_of_an_open_period_and_of_an_empty_one(backend_container: Container,
                                                     history: Fixture) -> None:
    everything = backend_container.agency_cases.stats(SYSTEM, [])
    assert (everything["enterprises_served"], everything["cases_opened"],
            everything["items_approved"]) == (5, 6, 4)
    empty = backend_container.agency_cases.stats(SYSTEM, [("from", "2024-01-01"),
                                                          ("to", "2024-12-31")])
    assert (empty["enterprises_served"], empty["median_working_days"], empty["by_agent"]) == (
        0, None, [])


# --- the supervision view ------------------------------------------------------------------


def test_stalled_items_join_the_supervision_view_by_the_agents_unit(
        backend_container: Container, history: Fixture) -> None:
    view = {(case_of(history, r["subject_id"]), r["kind"], r["due"])
            for r in rows(backend_container, ITEMS) if r["kind"] == "agency_item"}
    # Only A's corrected permit is still open; A's agent is of liujiang.
    assert view == {("A", "agency_item", "2025-06-04")}
    groups = backend_container.reports.readers.supervision.overdue_by_unit(d(6, 5), 2)
    (group,) = [g for g in groups if any(i["kind"] == "agency_item" for i in g["items"])]
    (found,) = [i for i in group["items"] if i["kind"] == "agency_item"]
    assert (group["unit"], found["kind_label"], found["state"]) == ("liujiang", "代办事项",
                                                                   "overdue")


def test_a_handed_over_case_moves_its_items_and_a_closed_one_drops_them(
        backend_container: Container, history: Fixture) -> None:
    c = backend_container
    c.agency_cases.reassign(SYSTEM, history.cases["A"], history.agents["代办员"].account_id,
                            "工作调整", d(5, 21))
    c.follower.catch_up()
    groups = c.reports.readers.supervision.overdue_by_unit(d(6, 5), 2)
    assert [g["unit"] for g in groups if g["items"][0]["kind"] == "agency_item"] == ["tcj"]

    c.agency_cases.close(SYSTEM, history.cases["A"], "代办完成", d(5, 22))
    c.follower.catch_up()
    assert [r for r in rows(c, ITEMS) if r["kind"] == "agency_item"] == []
    assert SupervisionItems.name == "supervision"
