"""信息报送 of key projects on each backend: the project ledger's reporting columns and filter,
and missing reports as items of the supervision view, judged against a controlled today on
the official calendar — across National Day 2025 (September's reports due 14 October), the
year boundary (December's due 8 January 2026), in quarterly mode, and for a designation
entered late (补录)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container, build
from application.context import Caller
from application.errors import Forbidden
from domain.errors import InvalidValue
from domain.project import ProjectDetails
from projections.key_reporting import KeyReporting
from tests.conftest import add_role_accounts, sqlite_settings
from tests.integration.test_complaint_projections import set_today

Today = Callable[[int, int, int], date]


@pytest.fixture
def today(backend_container: Container, monkeypatch: pytest.MonkeyPatch) -> Today:
    """Set today: today(2025, 10, 21)."""
    def at(year: int, month: int, day: int) -> date:
        set_today(monkeypatch, backend_container, date(year, month, day))
        return date(year, month, day)
    return at


def register(c: Container, callers: dict[str, Caller], name: str, unit: str = "liudong",
             on: date = date(2025, 1, 6)) -> UUID:
    return c.projects.register(callers["bureau"], ProjectDetails(
        name=name, investor="某公司", industry="汽车", total_investment=Decimal(1000),
        county=unit, responsible_unit=unit), on).state.id


def ledger(c: Container, caller: Caller, **params: Any) -> dict[str, dict[str, Any]]:
    """The project ledger's rows by name, with their reporting columns."""
    c.follower.catch_up()
    given = [(k, str(v)) for k, v in params.items()]
    return {row["name"]: row for row in c.reads.ledger(caller, "projects", given).page.items}


def status(rows: dict[str, dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {name: (r["report_period"], r["report_status"], r["report_filed_on"])
            for name, r in rows.items()}


def missing(c: Container, caller: Caller, **params: Any) -> dict[tuple[str, str], Any]:
    """The supervision view's 信息报送 items: (project name, period) → (unit, state, due, days)."""
    c.follower.catch_up()
    view = c.reports.supervision(caller, [(k, str(v)) for k, v in params.items()])
    return {(item["title"], item["summary"][:7]): (
        group["unit"], item["state"], item["due"],
        item["working_days_overdue"] if item["state"] == "overdue"
        else item["working_days_left"])
        for group in view["units"] for item in group["items"] if item["kind"] == "missing_report"}


def test_reports_over_national_day_are_reported_late_or_missing(
        backend_container: Container, backend_callers: dict[str, Caller], today: Today) -> None:
    c, bureau, unit = backend_container, backend_callers["bureau"], backend_callers["unit"]
    today(2025, 9, 30)
    early, late, silent, not_key = (register(c, backend_callers, name)
                                    for name in ("按时", "逾期", "未报", "非重点"))
    c.projects.designate_list(bureau, 2025, [early, late, silent], "市重点", date(2025, 9, 1))
    c.projects.report_progress(unit, early, "2025-09", "九月进展", on=date(2025, 9, 30))
    c.projects.report_progress(unit, not_key, "2025-09", "九月进展", on=date(2025, 9, 30))

    today(2025, 10, 10)  # September is being reported on, due 14 October
    rows = ledger(c, bureau, key_year=2025)
    assert status(rows) == {"按时": ("2025-09", "reported", "2025-09-30"),
                            "逾期": ("2025-09", "missing", None),
                            "未报": ("2025-09", "missing", None)}
    assert rows["按时"]["report_due"] == "2025-10-14"
    assert rows["未报"]["report_status_label"] == "未报送"
    assert missing(c, bureau) == {}  # 14 October is three working days away
    today(2025, 10, 11)  # a Saturday worked (调休): now two
    assert missing(c, bureau)[("逾期", "2025-09")] == ("liudong", "nearly_due", "2025-10-14", 2)

    today(2025, 10, 20)
    c.projects.report_progress(unit, late, "2025-09", "九月进展（补报）", on=date(2025, 10, 20))
    assert status(ledger(c, bureau, key_year=2025))["逾期"] == ("2025-09", "late", "2025-10-20")
    assert missing(c, bureau) == {("未报", "2025-09"): ("liudong", "overdue", "2025-10-14", 4)}
    assert set(ledger(c, bureau, report_status="late")) == {"逾期"}
    assert set(ledger(c, bureau, report_status="missing,late")) == {"逾期", "未报"}
    # Listed from 1 September: August was owed by none of them.
    assert ledger(c, bureau, report_period="2025-08", report_status="missing") == {}
    assert {r["report_status"] for r in ledger(c, bureau, report_period="2025-08").values()} \
        == {None}
    assert ledger(c, bureau, q="非重点")["非重点"]["report_status"] is None


def test_the_year_boundary_and_the_next_years_list(
        backend_container: Container, backend_callers: dict[str, Caller], today: Today) -> None:
    c, bureau, unit = backend_container, backend_callers["bureau"], backend_callers["unit"]
    today(2025, 12, 20)
    both, only_next = (register(c, backend_callers, name) for name in ("连续重点", "次年重点"))
    c.projects.designate_key(bureau, both, 2025, "市重点", date(2025, 1, 2))
    c.projects.designate_list(bureau, 2026, [both, only_next], "2026年清单", date(2025, 12, 20))
    for month in range(1, 12):
        c.projects.report_progress(unit, both, f"2025-{month:02d}", "进展",
                                   on=date(2025, month + 1, 1))

    today(2026, 1, 8)  # December's report is due today (New Year: 4 January worked)
    rows = ledger(c, bureau, key_year=2026)
    assert status(rows) == {"连续重点": ("2025-12", "missing", None),
                            "次年重点": ("2025-12", None, None)}  # owes nothing for 2025
    assert missing(c, bureau) == {("连续重点", "2025-12"): ("liudong", "nearly_due",
                                                          "2026-01-08", 0)}
    today(2026, 1, 9)
    assert missing(c, bureau)[("连续重点", "2025-12")] == ("liudong", "overdue", "2026-01-08", 1)
    c.projects.report_progress(unit, both, "2025", "年度总结", on=date(2026, 1, 9))
    # A year's report filed after December's due date answers January (not yet owed).
    assert ("连续重点", "2025-12") in missing(c, bureau)
    today(2026, 2, 2)
    assert status(ledger(c, bureau, key_year=2026)) == {
        "连续重点": ("2026-01", "reported", "2026-01-09"),
        "次年重点": ("2026-01", "missing", None)}


def test_a_designation_entered_late_makes_its_past_periods_owed(
        backend_container: Container, backend_callers: dict[str, Caller], today: Today) -> None:
    c, bureau, unit = backend_container, backend_callers["bureau"], backend_callers["unit"]
    today(2025, 11, 20)
    pid = register(c, backend_callers, "补录项目", on=date(2023, 11, 6))
    c.projects.report_progress(unit, pid, "2025-05", "五月进展", on=date(2025, 6, 4))
    before = missing(c, bureau)
    # 补录: the list decided on 10 February is entered in November.
    c.projects.designate_key(bureau, pid, 2025, "补录2025年清单", date(2025, 2, 10))
    found = missing(c, bureau)
    assert before == {}
    assert sorted(period for _, period in found) == [
        "2025-02", "2025-03", "2025-04", "2025-06", "2025-07", "2025-08", "2025-09",
        "2025-10"]  # May was reported on time; October was due 7 November
    assert {state for _, state, _, _ in found.values()} == {"overdue"}
    assert status(ledger(c, bureau, report_period="2025-05")) == {
        "补录项目": ("2025-05", "reported", "2025-06-04")}
    # Last year's list entered now (no date given) covers the whole of 2024.
    c.projects.designate_key(bureau, pid, 2024, "补录2024年清单")
    assert sum(p.startswith("2024") for _, p in missing(c, bureau)) == 12


def test_dropping_or_terminating_ends_what_is_owed(
        backend_container: Container, backend_callers: dict[str, Caller], today: Today) -> None:
    c, bureau = backend_container, backend_callers["bureau"]
    today(2025, 11, 20)
    dropped, ended = (register(c, backend_callers, name) for name in ("移出", "终止"))
    c.projects.designate_list(bureau, 2025, [dropped, ended], "市重点", date(2025, 8, 1))
    c.projects.drop_key(bureau, dropped, 2025, "调整", date(2025, 9, 15))
    c.projects.terminate(bureau, ended, "撤资", date(2025, 11, 1))
    assert sorted(missing(c, bureau)) == [("移出", "2025-08")]  # September was not over
    assert status(ledger(c, bureau, report_period="2025-09")) == {
        "移出": ("2025-09", None, None), "终止": ("2025-09", "missing", None)}


def test_a_unit_sees_the_missing_reports_of_its_own_projects(
        backend_container: Container, backend_callers: dict[str, Caller], today: Today) -> None:
    c, bureau = backend_container, backend_callers["bureau"]
    today(2025, 10, 20)
    own, other = (register(c, backend_callers, name, unit)
                  for name, unit in (("柳东项目", "liudong"), ("柳江项目", "liujiang")))
    c.projects.designate_list(bureau, 2025, [own, other], "市重点", date(2025, 9, 1))
    assert set(missing(c, backend_callers["unit"])) == {("柳东项目", "2025-09")}
    assert set(missing(c, bureau, unit="liujiang")) == {("柳江项目", "2025-09")}
    assert set(ledger(c, backend_callers["unit"], report_status="missing")) == {"柳东项目"}
    c.projects.reassign(bureau, other, "liudong", "移交", date(2025, 10, 20))
    assert set(missing(c, backend_callers["unit"])) == {("柳东项目", "2025-09"),
                                                        ("柳江项目", "2025-09")}
    with pytest.raises(Forbidden):
        c.reports.supervision(backend_callers["enterprise"], [])


@pytest.mark.parametrize(("period", "words"), [
    ("2025-Q3", ["not a month period", "2025-09"]),
    ("2099-01", ["has not begun"]),
    ("2025-13", ["2025-13"]),
])
def test_a_report_period_of_another_cadence_or_not_begun_is_refused(
        backend_container: Container, backend_callers: dict[str, Caller], period: str,
        words: list[str]) -> None:
    with pytest.raises(InvalidValue) as refused:
        ledger(backend_container, backend_callers["bureau"], report_period=period)
    assert all(word in str(refused.value) for word in words)


def test_quarterly_reporting_follows_the_setting(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    c = build(sqlite_settings(tmp_path, report_period="quarter", report_due_workday=3))
    try:
        tokens = add_role_accounts(c)
        callers = {k: c.accounts.authenticate(t, "test") for k, t in tokens.items()}
        set_today(monkeypatch, c, date(2025, 10, 10))
        pid = register(c, callers, "季报项目")
        c.projects.designate_key(callers["bureau"], pid, 2025, "市重点", date(2025, 3, 1))
        c.projects.report_progress(callers["unit"], pid, "2025-06", "二季度", on=date(2025, 7, 2))
        rows = ledger(c, callers["bureau"])
        # Q3 is due on the 3rd working day of Q4: 9, 10, 11 October (调休 Saturday).
        assert (rows["季报项目"]["report_period"], rows["季报项目"]["report_due"]) == (
            "2025-Q3", "2025-10-11")
        assert status(ledger(c, callers["bureau"], report_period="2025-Q2")) == {
            "季报项目": ("2025-Q2", "reported", "2025-07-02")}
        assert missing(c, callers["bureau"]) == {
            ("季报项目", "2025-Q1"): ("liudong", "overdue", "2025-04-03", 127),
            ("季报项目", "2025-Q3"): ("liudong", "nearly_due", "2025-10-11", 1)}
    finally:
        c.close()


def test_rebuilt_reporting_facts_equal_incrementally_built_ones(
        backend_container: Container, backend_callers: dict[str, Caller], today: Today) -> None:
    c, bureau, unit = backend_container, backend_callers["bureau"], backend_callers["unit"]
    today(2025, 11, 20)
    a, b = (register(c, backend_callers, name) for name in ("A", "B"))
    c.projects.designate_list(bureau, 2025, [a, b], "市重点", date(2025, 3, 1))
    c.projects.report_progress(unit, a, "2025-03", "进展", on=date(2025, 4, 2))
    c.projects.revise(bureau, a, {"name": "A2"}, "更名", date(2025, 5, 1))
    c.projects.reassign(bureau, b, "liujiang", "移交", date(2025, 5, 2))
    c.projects.drop_key(bureau, b, 2025, "调整", date(2025, 6, 3))
    c.projects.terminate(bureau, a, "撤资", date(2025, 7, 1))
    c.follower.batch_size = 2
    c.follower.catch_up()
    incremental = c.reporting.reader.key_projects()
    c.follower.batch_size = 1000
    c.follower.rebuild(KeyReporting.name)
    rebuilt = c.reporting.reader.key_projects()
    assert rebuilt == incremental
    assert [(p.name, p.unit, p.terminated_on) for p in rebuilt] == [
        ("A2", "liudong", date(2025, 7, 1)), ("B", "liujiang", None)]
    assert [(len(p.listings), len(p.reports)) for p in rebuilt] == [(1, 1), (1, 0)]
    assert rebuilt[1].listings[0].dropped_on == date(2025, 6, 3)
