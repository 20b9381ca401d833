"""A supervision office's month, counted by hand, for the dashboard tests.

Today is Monday 20 October 2025; nearly due means due by Wednesday 22 October (two working
days: 21, 22). Due dates come from the official calendar (National Day 1–8 October off,
Saturday 11 October worked). L = liudong (the `unit` account), J = liujiang, B = the
bureau (tcj).

| item | unit | due | standing |
|---|---|---|---|
| complaint received 15 Oct, not accepted (3 working days) | B | 20 Oct | nearly due |
| complaint assigned 26 Sep, not replied (15) | L | 23 Oct | on track |
| request assigned 26 Sep, no outcome (10) | L | 16 Oct | overdue |
| 丁's problem raised 9 Oct (20) | J | 5 Nov | on track |
| 丁's instruction given 9 Oct (10) | J | 22 Oct | nearly due |
| 甲's September report (key project, none filed) | L | 14 Oct | overdue |

Key projects listed from 1 September: 甲 (L) filed nothing, 乙 (L) filed on 10 October
(reported), 丙 (J) on 16 October (late). Projects by stage: 在谈 甲 1000 and 丁 500 (J), 签约
乙 2000, 开工 丙 3000 (J), 终止 戊 700 (L).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from api.bootstrap import Container
from application.context import Caller
from domain.enterprise import Enterprise
from domain.enterprise_request import EnterpriseRequest
from domain.project import ProjectDetails
from tests.integration.test_complaint_projections import Flow

TODAY = date(2025, 10, 20)
CREDIT_CODE = "91350100M000100Y43"


def _project(c: Container, callers: dict[str, Caller], name: str, unit: str,
             investment: int) -> UUID:
    return c.projects.register(callers["bureau"], ProjectDetails(
        name=name, investor="某公司", industry="汽车", total_investment=Decimal(investment),
        county=unit, responsible_unit=unit), date(2025, 1, 6)).state.id


def hand_counted_month(c: Container, callers: dict[str, Caller]) -> dict[str, UUID]:
    """The items of the module docstring, made through the use cases (today must be TODAY)."""
    bureau, leader = callers["bureau"], callers["leader"]
    f = Flow(c, callers)
    f.file(date(2025, 10, 15))
    f.steps(f.file(date(2025, 9, 24)), ("accept", 9, 25), ("assign", 9, 26, {"unit": "liudong"}))
    audit = bureau.audit()
    request = EnterpriseRequest.raise_request(
        Enterprise.create_id(CREDIT_CODE), CREDIT_CODE, None, "online", None, "labour",
        "招工难", date(2025, 9, 26), audit)
    request.assign("liudong", [], c.policy.deadline("request", date(2025, 9, 26), c.calendar),
                   date(2025, 9, 26), audit)
    c.store.save(request)

    ids = {name: _project(c, callers, name, unit, investment) for name, unit, investment in (
        ("甲", "liudong", 1000), ("乙", "liudong", 2000), ("丙", "liujiang", 3000),
        ("丁", "liujiang", 500), ("戊", "liudong", 700))}
    p = c.projects
    p.sign(bureau, ids["乙"], date(2025, 3, 1), Decimal(2000))
    p.sign(bureau, ids["丙"], date(2025, 3, 1), Decimal(3000))
    p.start_construction(bureau, ids["丙"], date(2025, 4, 1))
    p.terminate(bureau, ids["戊"], "撤资", date(2025, 5, 1))
    p.designate_list(bureau, 2025, [ids["甲"], ids["乙"], ids["丙"]], "柳政发〔2025〕3号",
                     date(2025, 9, 1))
    p.report_progress(callers["unit"], ids["乙"], "2025-09", "九月进展", on=date(2025, 10, 10))
    p.report_progress(callers["other_unit"], ids["丙"], "2025-09", "九月进展",
                      on=date(2025, 10, 16))
    p.raise_problem(callers["other_unit"], ids["丁"], "用地指标未落实", date(2025, 10, 9))
    p.instruct(leader, ids["丁"], "请加快推进", date(2025, 10, 9))
    return ids
