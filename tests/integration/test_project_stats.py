"""Project statistics (在谈/签约/开工/投产 of a period), on both backends: hand-counted figures
read from the project ledger, with period boundaries, summed amounts and projects counted in
several stages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container
from application.context import Caller
from application.reports import project_summary
from domain.project import ProjectDetails
from projections.project_stats import ProjectStatsReader

MARCH_APRIL = (date(2025, 3, 1), date(2025, 4, 30))


def d(month: int, day: int, year: int = 2025) -> date:
    return date(year, month, day)


def _register(c: Container, bureau: Caller, name: str, amount: str, county: str, unit: str,
              industry: str, on: date) -> UUID:
    details = ProjectDetails(name=name, investor="投资方", industry=industry,
                             total_investment=Decimal(amount), county=county,
                             responsible_unit=unit)
    return c.projects.register(bureau, details, on).state.id


@pytest.fixture
def projects(backend_container: Container, backend_callers: dict[str, Caller]
             ) -> dict[str, UUID]:
    """Five projects, hand-counted for March–April 2025 (see the tests):

    A 汽车 liudong/liudong 1000    registered 01-10, signed 03-31 (800), started 04-01,
                                   produced 06-15
    B 食品 liujiang/liujiang 500.5 registered 03-01, signed 03-20 (450.25)
    C 汽车 liudong/gxj 2000        registered 02-28, signed 04-10 (1800), started 05-01,
                                   terminated 06-01
    D 机械 liucheng/liucheng 300   registered 04-01, terminated 04-30
    E 汽车 liudong/liudong 100     registered 2024-12-31, negotiating
    """
    c, bureau = backend_container, backend_callers["bureau"]
    p = c.projects
    ids = {
        "A": _register(c, bureau, "A", "1000", "liudong", "liudong", "汽车", d(1, 10)),
        "B": _register(c, bureau, "B", "500.5", "liujiang", "liujiang", "食品", d(3, 1)),
        "C": _register(c, bureau, "C", "2000", "liudong", "gxj", "汽车", d(2, 28)),
        "D": _register(c, bureau, "D", "300", "liucheng", "liucheng", "机械", d(4, 1)),
        "E": _register(c, bureau, "E", "100", "liudong", "liudong", "汽车", d(12, 31, 2024)),
    }
    p.sign(bureau, ids["A"], d(3, 31), Decimal("800"))
    p.start_construction(bureau, ids["A"], d(4, 1))
    p.start_production(bureau, ids["A"], d(6, 15))
    p.sign(bureau, ids["B"], d(3, 20), Decimal("450.25"))
    p.sign(bureau, ids["C"], d(4, 10), Decimal("1800"))
    p.start_construction(bureau, ids["C"], d(5, 1))
    p.terminate(bureau, ids["C"], "投资方撤回", d(6, 1))
    p.terminate(bureau, ids["D"], "未落地", d(4, 30))
    c.follower.catch_up()
    return ids


def figures(count: int, investment: str, contract: str) -> dict[str, Any]:
    return {"count": count, "total_investment": Decimal(investment),
            "contract_amount": Decimal(contract)}


NONE = figures(0, "0", "0")


def stages(row: dict[str, Any]) -> dict[str, Any]:
    return {stage: row[stage] for stage in ("registered", "signed", "started", "produced")}


def rows(found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["code"]: stages(row) for row in found}


def test_a_period_counts_each_stage_by_its_own_date(backend_container: Container,
                                                   projects: dict[str, UUID]) -> None:
    stats = ProjectStatsReader(backend_container.views).stats(*MARCH_APRIL)
    # Registered: B on 03-01 (the first day counts), D on 04-01 (terminated since: it still
    # counts); not C (02-28, the day before) nor E (2024). Signed: A on 03-31, B, C on 04-10.
    # Started: A on 04-01; not C (05-01, the day after). Produced: none (A in June).
    assert stages(stats) == {
        "registered": figures(2, "800.5", "450.25"),  # B and D; D never signed
        "signed": figures(3, "3500.5", "3050.25"),  # A, B, C
        "started": figures(1, "1000", "800"),  # A, also counted as signed
        "produced": NONE,
    }
    assert [(m["code"], m["label"]) for m in stats["by_month"]] == [
        ("2025-03", "2025年3月"), ("2025-04", "2025年4月")]
    assert rows(stats["by_month"]) == {
        "2025-03": {"registered": figures(1, "500.5", "450.25"),  # B
                    "signed": figures(2, "1500.5", "1250.25"),  # A, B
                    "started": NONE, "produced": NONE},
        "2025-04": {"registered": figures(1, "300", "0"),  # D
                    "signed": figures(1, "2000", "1800"),  # C
                    "started": figures(1, "1000", "800"),  # A
                    "produced": NONE},
    }
    assert rows(stats["by_county"]) == {
        "liucheng": {**dict.fromkeys(("signed", "started", "produced"), NONE),
                     "registered": figures(1, "300", "0")},
        "liudong": {"registered": NONE, "signed": figures(2, "3000", "2600"),  # A, C
                    "started": figures(1, "1000", "800"), "produced": NONE},
        "liujiang": {"registered": figures(1, "500.5", "450.25"),
                     "signed": figures(1, "500.5", "450.25"), "started": NONE,
                     "produced": NONE},
    }
    assert [r["code"] for r in stats["by_unit"]] == ["gxj", "liucheng", "liudong", "liujiang"]
    assert rows(stats["by_unit"])["gxj"]["signed"] == figures(1, "2000", "1800")
    assert rows(stats["by_unit"])["liudong"]["signed"] == figures(1, "1000", "800")
    by_industry = rows(stats["by_industry"])
    assert set(by_industry) == {"auto", "food", "machinery"}  # stored as the list's codes
    assert by_industry["auto"]["signed"] == figures(2, "3000", "2600")
    assert by_industry["machinery"]["registered"] == figures(1, "300", "0")


@pytest.mark.parametrize(("start", "end", "expected"), [
    # All time: everything registered; A, B, C signed; A, C started; A produced.
    (None, None, ((5, "3900.5"), (3, "3500.5"), (2, "3000"), (1, "1000"))),
    # One day, both ends inclusive: A signed on 03-31.
    (d(3, 31), d(3, 31), ((0, "0"), (1, "1000"), (0, "0"), (0, "0"))),
    # From May: C started on 05-01, A produced on 06-15.
    (d(5, 1), None, ((0, "0"), (0, "0"), (1, "2000"), (1, "1000"))),
    # Up to 2024: only E.
    (None, d(12, 31, 2024), ((1, "100"), (0, "0"), (0, "0"), (0, "0"))),
])
def test_open_and_closed_periods(backend_container: Container, projects: dict[str, UUID],
                                 start: date | None, end: date | None,
                                 expected: tuple[tuple[int, str], ...]) -> None:
    stats = ProjectStatsReader(backend_container.views).stats(start, end)
    assert tuple((stats[s]["count"], str(stats[s]["total_investment"].normalize()))
                 for s in ("registered", "signed", "started", "produced")) == tuple(
        (n, str(Decimal(amount).normalize())) for n, amount in expected)


def test_a_revised_amount_and_a_reassignment_count_at_once(
        backend_container: Container, backend_callers: dict[str, Caller],
        projects: dict[str, UUID]) -> None:
    bureau = backend_callers["bureau"]
    backend_container.projects.revise(bureau, projects["B"],
                                      {"total_investment": Decimal("600")}, "更正", d(6, 20))
    backend_container.projects.reassign(bureau, projects["B"], "fgw", "移交", d(6, 20))
    backend_container.follower.catch_up()
    stats = ProjectStatsReader(backend_container.views).stats(*MARCH_APRIL)
    assert stats["registered"] == figures(2, "900", "450.25")
    assert "liujiang" not in rows(stats["by_unit"])
    assert rows(stats["by_unit"])["fgw"]["signed"] == figures(1, "600", "450.25")


def test_an_empty_period_has_zeros_and_no_rows(backend_container: Container,
                                               projects: dict[str, UUID]) -> None:
    stats = ProjectStatsReader(backend_container.views).stats(d(1, 1, 2020), d(12, 31, 2020))
    assert stages(stats) == dict.fromkeys(("registered", "signed", "started", "produced"), NONE)
    assert [stats[k] for k in ("by_month", "by_county", "by_unit", "by_industry")] == [[]] * 4
    assert project_summary(stats) == ("新增在谈项目0个，总投资0万元；签约0个，合同金额0万元；"
                                      "开工0个，总投资0万元；投产0个，总投资0万元")
    with pytest.raises(ValueError, match="before it starts"):
        ProjectStatsReader(backend_container.views).stats(d(2, 1), d(1, 1))


def test_the_summary_reads_like_the_bureaus_report(backend_container: Container,
                                                   projects: dict[str, UUID]) -> None:
    stats = ProjectStatsReader(backend_container.views).stats(*MARCH_APRIL)
    assert project_summary(stats) == ("新增在谈项目2个，总投资800.5万元；签约3个，合同金额"
                                      "3050.25万元；开工1个，总投资1000万元；投产0个，总投资0万元")
