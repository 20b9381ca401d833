"""The request ledger (诉求台账), enterprise ledger (企业台账) and request statistics, on both
backends: every kind of change, rebuilt equals incremental, filters, scopes, hand-counted stats,
read through their readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Clock
from application.requests import NewRequest
from domain.credit_code import complete_credit_code
from domain.project import ProjectDetails
from projections import enterprise_ledger, paging, request_ledger
from projections.enterprise_ledger import EnterpriseLedger, EnterpriseLedgerReader
from projections.request_ledger import RequestLedger, RequestLedgerReader
from projections.request_stats import RequestStatsReader
from tests.conftest import sqlite_settings


def code_of(n: int) -> str:
    return complete_credit_code(f"91450200MA5K{n:04d}")


E1, E2, E3 = code_of(1), code_of(2), code_of(3)


def d(month: int, day: int) -> date:
    return date(2025, month, day)


@dataclass
class Fixture:
    requests: dict[str, UUID]  # r1..r9
    projects: dict[str, UUID]  # P1, P2
    enterprises: dict[str, UUID]  # E1..E3

    def names(self, ids: set[str]) -> set[str]:
        back = {str(v): k for k, v in self.requests.items()}
        return {back[i] for i in ids}


def build_history(c: Container) -> Fixture:
    """Nine requests of three enterprises, hand-checked for March 2025 (see test_stats_*).

    r1 E1 P1 labour  raised 02-20 (visit #1); liudong + co liujiang; resolved 03-05; satisfied,
                                              closed
    r2 E1 P1 power   raised 03-02; gdj; resolved 03-10
    r3 E2 P2 land    raised 03-03; zrzyj + co liujiang; partly resolved 03-12
    r4 E2 -  finance raised 03-04; liujiang; not resolvable 03-13
    r5 E3 -  labour  raised 03-05; liudong; resolved 03-07 but unsatisfied 03-08 (重办);
                                  reassigned to rsj 03-09, still being handled (due 03-21)
    r6 E3 P2 approval raised 03-10; xzspj; resolved 04-02
    r7 E1 -  other   raised 03-20; not assigned
    r8 E2 -  housing raised 04-05; not assigned
    r9 E3 -  transport raised 02-10; liudong; resolved 02-25
    """
    ent = c.enterprises
    ids = {"E1": ent.register(SYSTEM, "柳州甲公司", E1, "汽车", "liudong", None, d(1, 5)).state.id,
           "E2": ent.register(SYSTEM, "柳州乙公司", E2, "食品", "liujiang", None, d(1, 6)).state.id,
           "E3": ent.register(SYSTEM, "柳州丙公司", E3, "机械", "liudong", None, d(1, 7)).state.id}
    for key, name in (("E1", "覃市长"), ("E2", "张副市长")):
        leader = c.accounts.add(SYSTEM, name, "leader").account_id
        ent.link_leader(SYSTEM, ids[key], str(leader), None, d(1, 10))
    ent.unlink_leader(SYSTEM, ids["E2"], "调整分工", d(1, 20))
    ent.record_visit(SYSTEM, ids["E1"], d(2, 18), "visit", "覃市长", "调研")
    details = ProjectDetails(name="项目", investor="投资方", industry="汽车",
                             total_investment=Decimal("1"), county="liudong",
                             responsible_unit="liudong")
    projects = {p: c.projects.register(SYSTEM, details, d(1, 2)).state.id for p in ("P1", "P2")}
    rq = c.requests

    def raise_(code: str, category: str, on: date, project: str | None = None,
               **extra: Any) -> UUID:
        return rq.raise_request(SYSTEM, NewRequest(
            category=category, description=f"{category}诉求", credit_code=code,
            project_id=projects[project] if project else None,
            source=extra.pop("source", "hotline"), raised_on=on, **extra)).state.id

    r = {"r9": raise_(E3, "transport", d(2, 10)),
         "r1": raise_(E1, "labour", d(2, 20), "P1", source="visit", visit_number=1)}
    rq.assign(SYSTEM, r["r9"], "liudong", [], d(2, 11))
    rq.record_outcome(SYSTEM, r["r9"], "resolved", None, d(2, 25))
    rq.assign(SYSTEM, r["r1"], "liudong", ["liujiang"], d(2, 21))
    rq.note_progress(SYSTEM, r["r1"], "摸排岗位", "liujiang", d(2, 24))
    ent.revise(SYSTEM, ids["E1"], {"name": "柳州甲集团"}, "更名", d(2, 26))
    r |= {"r2": raise_(E1, "power", d(3, 2), "P1"), "r3": raise_(E2, "land", d(3, 3), "P2"),
          "r4": raise_(E2, "finance", d(3, 4)), "r5": raise_(E3, "labour", d(3, 5))}
    rq.record_outcome(SYSTEM, r["r1"], "resolved", None, d(3, 5))
    rq.record_feedback(SYSTEM, r["r1"], "satisfied", None, d(3, 6))
    rq.close(SYSTEM, r["r1"], None, d(3, 6))
    for key, lead, co, on in (("r2", "gdj", [], 3), ("r3", "zrzyj", ["liujiang"], 4),
                              ("r4", "liujiang", [], 5), ("r5", "liudong", [], 6)):
        rq.assign(SYSTEM, r[key], lead, co, d(3, on))
    rq.record_outcome(SYSTEM, r["r5"], "resolved", None, d(3, 7))
    rq.record_feedback(SYSTEM, r["r5"], "unsatisfied", "仍缺工", d(3, 8))
    rq.assign(SYSTEM, r["r5"], "rsj", [], d(3, 9))
    rq.record_outcome(SYSTEM, r["r2"], "resolved", None, d(3, 10))
    rq.record_outcome(SYSTEM, r["r3"], "partly_resolved", "部分用地已落实", d(3, 12))
    rq.record_outcome(SYSTEM, r["r4"], "not_resolvable", "不符合贷款条件", d(3, 13))
    r["r6"] = raise_(E3, "approval", d(3, 10), "P2")
    rq.assign(SYSTEM, r["r6"], "xzspj", [], d(3, 11))
    r["r7"] = raise_(E1, "other", d(3, 20))
    rq.record_outcome(SYSTEM, r["r6"], "resolved", None, d(4, 2))
    r["r8"] = raise_(E2, "housing", d(4, 5))
    return Fixture(requests=r, projects=projects, enterprises=ids)


def rows(c: Container, table: str) -> list[dict[str, Any]]:
    with c.views.read() as tx:
        return tx.all(f"SELECT * FROM {table} ORDER BY id")


TABLES = (request_ledger.TABLE, request_ledger.NAMES, enterprise_ledger.TABLE,
          enterprise_ledger.REQUESTS)


@pytest.fixture
def history(backend_container: Container) -> Fixture:
    fixture = build_history(backend_container)
    backend_container.follower.catch_up()
    return fixture


# --- building ------------------------------------------------------------------------------


def test_rebuilt_ledgers_equal_incrementally_built_ones_row_for_row(
        backend_container: Container) -> None:
    build_history(backend_container)
    backend_container.follower.batch_size = 3  # renames and closes land in all batch positions
    backend_container.follower.catch_up()
    incremental = {t: rows(backend_container, t) for t in TABLES}
    backend_container.follower.batch_size = 1000
    for projection in (RequestLedger.name, EnterpriseLedger.name):
        assert backend_container.follower.rebuild(projection) == backend_container.ledger.head()
        assert backend_container.follower.position(projection) == backend_container.ledger.head()
    assert {t: rows(backend_container, t) for t in TABLES} == incremental
    assert len(incremental[request_ledger.TABLE]) == 9


def test_request_rows_follow_every_step(backend_container: Container, history: Fixture) -> None:
    by_id = {r["id"]: r for r in rows(backend_container, request_ledger.TABLE)}
    r1, r5 = by_id[str(history.requests["r1"])], by_id[str(history.requests["r5"])]
    assert (r1["status"], r1["lead_unit"], r1["co_units"]) == ("closed", "liudong",
                                                               ",liujiang,")
    assert (r1["outcome"], r1["feedback"], r1["closed_on"]) == ("resolved", "satisfied",
                                                                "2025-03-06")
    assert (r1["progress_count"], r1["latest_progress"]) == (1, "摸排岗位")
    assert (r1["visit_number"], r1["source"]) == (1, "visit")
    assert (r5["status"], r5["lead_unit"], r5["outcome"], r5["reopened"]) == (
        "assigned", "rsj", None, 1)
    assert r5["all_units"] == ",liudong,rsj,"
    assert (r5["assigned_on"], r5["due"]) == ("2025-03-09", "2025-03-21")
    assert r5["version"] == 5


def test_a_renamed_enterprise_is_renamed_on_all_its_requests(backend_container: Container,
                                                             history: Fixture) -> None:
    names = {r["credit_code"]: r["enterprise_name"]
             for r in rows(backend_container, request_ledger.TABLE)}
    assert names == {E1: "柳州甲集团", E2: "柳州乙公司", E3: "柳州丙公司"}


def test_enterprise_rows_count_visits_leaders_and_open_requests(
        backend_container: Container, history: Fixture) -> None:
    page = EnterpriseLedgerReader(backend_container.views).page({})
    got = {r["credit_code"]: (r["name"], r["leader"], r["visits"], r["requests_total"],
                              r["requests_open"]) for r in page.items}
    assert got == {E1: ("柳州甲集团", "覃市长", 1, 3, 2),  # r1 is closed
                   E2: ("柳州乙公司", None, 0, 3, 3),
                   E3: ("柳州丙公司", None, 0, 3, 3)}
    assert [r["credit_code"] for r in page.items] == [E3, E2, E1]  # newest first


ENTERPRISE_CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({"county": "liudong"}, {E1, E3}), ({"leader": "覃市长"}, {E1}), ({"q": "乙"}, {E2}),
    ({"q": code_of(3)[-6:].lower()}, {E3}), ({"q": "%"}, set()),
    ({"county": ["liudong", "liujiang"]}, {E1, E2, E3}), ({"industry": ("汽车", "食品")}, {E1, E2}),
    ({"scope_unit": "liujiang"}, {E2}), ({"scope_enterprise": E1}, {E1}),
    ({"scope_unit": "liudong", "leader": "覃市长"}, {E1}),
]


def test_enterprise_ledger_filters_and_scopes(backend_container: Container,
                                              history: Fixture) -> None:
    reader = EnterpriseLedgerReader(backend_container.views)
    for filters, expected in ENTERPRISE_CASES:
        page = reader.page(filters)
        assert ({r["credit_code"] for r in page.items}, page.count) == (expected,
                                                                        len(expected)), filters


REQUEST_CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({}, {f"r{n}" for n in range(1, 10)}),
    ({"category": "labour"}, {"r1", "r5"}),
    ({"status": "answered"}, {"r2", "r3", "r4", "r6", "r9"}),
    ({"unit": "liujiang"}, {"r1", "r3", "r4"}),  # current lead or co-unit
    ({"unit": "liudong"}, {"r1", "r9"}),  # r5 has moved on to rsj
    ({"enterprise": E2}, {"r3", "r4", "r8"}),
    ({"raised_from": d(3, 1), "raised_to": d(3, 31)}, {"r2", "r3", "r4", "r5", "r6", "r7"}),
    ({"raised_to": d(2, 28)}, {"r1", "r9"}),
    ({"overdue": True}, {"r5"}),  # due 03-21, today 04-30 in these cases
    ({"overdue": False}, {"r1", "r2", "r3", "r4", "r6", "r7", "r8", "r9"}),
    ({"scope_unit": "liudong"}, {"r1", "r5", "r9"}),  # ever assigned
    ({"scope_unit": "liudong", "status": "assigned"}, {"r5"}),
    ({"scope_enterprise": E1}, {"r1", "r2", "r7"}),
    # Lists mean any of them.
    ({"category": ["labour", "land"]}, {"r1", "r3", "r5"}),
    ({"status": ("assigned", "closed")}, {"r1", "r5"}),
    ({"unit": ["liudong", "rsj"]}, {"r1", "r5", "r9"}),
    ({"scope_unit": ["zrzyj", "gdj"]}, {"r2", "r3"}),
    ({"source": ["visit", "forum"]}, {"r1"}),
    ({"q": "housing诉"}, {"r8"}),  # words of the description
    ({"enterprise": [E1, E3], "raised_to": d(2, 28)}, {"r1", "r9"}),
]


def test_request_ledger_filters_and_scopes(backend_container: Container, history: Fixture) -> None:
    reader = RequestLedgerReader(backend_container.views)
    today = d(4, 30)
    for filters, expected in REQUEST_CASES:
        page = reader.page({**filters, "today": today}, limit=100)
        assert (history.names({r["id"] for r in page.items}), page.count) == (
            expected, len(expected)), filters
    by_project = reader.page({"project": history.projects["P2"], "today": today})
    assert history.names({r["id"] for r in by_project.items}) == {"r3", "r6"}


def test_overdue_is_judged_against_the_given_day(backend_container: Container,
                                                 history: Fixture) -> None:
    reader = RequestLedgerReader(backend_container.views)
    on_due_day = reader.page({"overdue": True, "today": d(3, 21)})
    after = reader.page({"overdue": True, "today": d(3, 22)})
    assert on_due_day.count == 0
    assert [r["overdue"] for r in after.items] == [True]
    with pytest.raises(ValueError, match="'today'"):
        reader.page({"overdue": True})


def test_request_rows_are_public_with_labels(backend_container: Container,
                                            history: Fixture) -> None:
    page = RequestLedgerReader(backend_container.views).page(
        {"enterprise": E1, "today": d(4, 30)})
    r1 = next(r for r in page.items if r["id"] == str(history.requests["r1"]))
    assert (r1["category_label"], r1["status_label"]) == ("用工", "办结")
    assert (r1["co_units"], r1["due_provisional"], r1["overdue"]) == (["liujiang"], False, False)
    assert not {"seq", "all_units", "updated_at"} & set(r1)


def test_keyset_pages_cover_the_ledger_once_newest_first(backend_container: Container,
                                                         history: Fixture) -> None:
    reader = RequestLedgerReader(backend_container.views)
    seen: list[str] = []
    cursor = None
    while True:
        page = reader.page({"today": d(4, 30)}, 4, cursor)
        assert page.count == 9
        seen += [r["id"] for r in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 9
    assert history.names({seen[0]}) == {"r8"}
    with pytest.raises(ValueError, match="not one this ledger issued"):
        reader.page({"today": d(4, 30)}, 4, paging.encode_cursor("e", 5))


# --- statistics --------------------------------------------------------------------------


def test_stats_for_march_match_the_hand_count(backend_container: Container,
                                              history: Fixture) -> None:
    stats = RequestStatsReader(backend_container.views).stats(d(3, 1), d(3, 31))
    # Raised in March: r2 r3 r4 r5 r6 r7. Solved in March: r1 (resolved 03-05), r2 (resolved
    # 03-10), r3 (partly 03-12); not r4 (not resolvable), not r5 (its 03-07 outcome was
    # rejected), not r6 (04-02). Their projects: P1 (r1, r2), P2 (r3); enterprises E1, E2.
    assert (stats["raised"], stats["resolved"]) == (6, 3)
    assert [(o["code"], o["label"], o["count"]) for o in stats["outcomes"]] == [
        ("resolved", "已解决", 2), ("partly_resolved", "部分解决", 1),
        ("not_resolvable", "无法解决", 1)]
    assert (stats["solved_projects"], stats["solved_enterprises"]) == (2, 2)
    # Every category, in declaration order, zeros included.
    assert [(c["code"], c["label"], c["raised"], c["resolved"])
            for c in stats["by_category"]] == [
        ("labour", "用工", 1, 1),  # raised r5, solved r1
        ("power", "用电", 1, 1), ("epidemic", "防疫", 0, 0), ("resumption", "复工复产", 0, 0),
        ("housing", "住房", 0, 0), ("schooling", "子女入学", 0, 0), ("transport", "交通", 0, 0),
        ("finance", "融资", 1, 0), ("land", "用地", 1, 1), ("approval", "审批", 1, 0),
        ("other", "其他", 1, 0)]
    # The units with a request, by code (the application names them).
    assert [(u["code"], u["lead"], u["co"], u["resolved"]) for u in stats["by_unit"]] == [
        ("gdj", 1, 0, 1),
        ("liudong", 0, 0, 1),  # led r1, raised in February
        ("liujiang", 1, 1, 0),  # leads r4, co-handles r3
        ("rsj", 1, 0, 0), ("xzspj", 1, 0, 0), ("zrzyj", 1, 0, 1)]


@pytest.mark.parametrize(("start", "end", "expected"), [
    # all time: raised r1-r9; solved r1 r2 r3 r6 r9; projects P1 P2; enterprises E1 E2 E3
    (None, None, (9, 5, 2, 3)),
    # from April: raised r8; solved r6 (P2, E3)
    (d(4, 1), None, (1, 1, 1, 1)),
    # up to February: raised r1 r9; solved r9 (no project, E3)
    (None, d(2, 28), (2, 1, 0, 1)),
    # one day, both ends inclusive: r2 raised 03-02 is in, nothing solved
    (d(3, 2), d(3, 2), (1, 0, 0, 0)),
])
def test_stats_for_open_and_closed_periods(backend_container: Container, history: Fixture,
                                           start: date | None, end: date | None,
                                           expected: tuple[int, int, int, int]) -> None:
    stats = RequestStatsReader(backend_container.views).stats(start, end)
    assert (stats["raised"], stats["resolved"], stats["solved_projects"],
            stats["solved_enterprises"]) == expected


# --- recomputed due dates (SQLite) -------------------------------------------------------


def test_a_recomputed_due_date_replaces_the_provisional_one(tmp_path: Path) -> None:
    class LateDecember(Clock):
        def today(self) -> date:
            return date(2026, 12, 28)

    c = build(sqlite_settings(tmp_path), LateDecember())
    overrides = tmp_path / "overrides.json"
    overrides.write_text('{"2027": {"holidays": ["2027-01-01", "2027-01-04"]}}')
    later = build(sqlite_settings(tmp_path, calendar_overrides_file=overrides), LateDecember())
    try:
        if c.calendar.is_official(2027):
            pytest.skip("the installed chinese-calendar already has 2027")
        c.enterprises.register(SYSTEM, "甲", E1, "汽车", "liudong", None, d(1, 5))
        rid = c.requests.raise_request(SYSTEM, NewRequest(
            category="land", description="用地", credit_code=E1, source="hotline")).state.id
        c.requests.assign(SYSTEM, rid, "rsj", [], date(2026, 12, 28))
        c.follower.catch_up()
        (before,) = rows(c, request_ledger.TABLE)
        assert later.requests.recompute_provisional(SYSTEM, [rid]) == 1
        later.follower.catch_up()
        (after,) = rows(later, request_ledger.TABLE)
        assert (before["due_provisional"], after["due_provisional"]) == (1, 0)
        assert after["due"] > before["due"]
        assert after["version"] == before["version"] + 1
    finally:
        later.close()
        c.close()
