"""Demo complaints, enterprises and enterprise requests, in every state a supervisor meets:
some done, some running, some overdue. Dates are counted back from today."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from api.bootstrap import Container
from application.context import Caller
from application.requests import NewRequest
from domain.complaint import Complainant, ComplaintDetails
from domain.credit_code import complete_credit_code

ENTERPRISES = [  # name, first 16 characters of the credit code, industry, county, linked
    ("上汽通用五菱汽车股份有限公司", "9145020019823000", "汽车", "liunan", True),
    ("柳州某智能家电有限公司", "91450221MA5K3000", "家电", "liujiang", True),
    ("柳城某化工新材料有限公司", "91450222MA5L4000", "化工", "liucheng", False),
    ("柳州某螺蛳粉食品有限公司", "91450203MA5M5000", "食品", "yufeng", False),
]


def load_cases(c: Container, callers: dict[str, Caller]) -> dict[str, str]:
    """Load the demo cases; returns the credit code of the first enterprise (for its
    account)."""
    today = c.clock.today()
    codes = _enterprises(c, callers, today)
    _requests(c, callers, codes, today)
    _complaints(c, callers, today)
    return {"enterprise": codes[0]}


def _enterprises(c: Container, callers: dict[str, Caller], today: date) -> list[str]:
    bureau = callers["bureau"]
    codes = []
    for i, (name, prefix, industry, county, linked) in enumerate(ENTERPRISES):
        code = complete_credit_code(prefix)
        codes.append(code)
        registered = today - timedelta(days=300 - 30 * i)
        result = c.enterprises.register(bureau, name, code, industry, county,
                                        [{"name": "办公室", "phone": "0772-2800000"}],
                                        on=registered)
        if linked:
            c.enterprises.link_leader(bureau, result.state.id, callers["leader"].account_id,
                                      "挂钩联系重点企业", on=registered)
    return codes


def _requests(c: Container, callers: dict[str, Caller], codes: list[str], today: date) -> None:
    bureau, leader = callers["bureau"], callers["leader"]
    first = c.enterprises.load_by_code(codes[0])
    visit_day = today - timedelta(days=40)
    visit = c.enterprises.record_visit(leader, first.id, visit_day, "visit", "覃市长",
                                       "市长实地调研, 企业反映用工和用电问题")
    number = visit.extra["number"]
    labour = c.requests.raise_request(bureau, NewRequest(
        category="labour", description="季节性用工缺口约300人", credit_code=codes[0],
        source="visit", visit_number=number)).state.id
    power = c.requests.raise_request(bureau, NewRequest(
        category="power", description="新产线需增容变压器", credit_code=codes[0],
        source="visit", visit_number=number)).state.id
    land = c.requests.raise_request(bureau, NewRequest(
        category="land", description="扩建用地指标", credit_code=codes[2], source="forum",
        raised_on=today - timedelta(days=20))).state.id
    unit = callers["unit:liudong"]
    c.requests.assign(bureau, labour, "liudong", ["liujiang"], on=visit_day + timedelta(days=1))
    c.requests.note_progress(unit, labour, "已组织专场招聘会", on=visit_day + timedelta(days=10))
    c.requests.record_outcome(unit, labour, "resolved", on=visit_day + timedelta(days=12))
    c.requests.record_feedback(bureau, labour, "satisfied", on=visit_day + timedelta(days=13))
    c.requests.close(bureau, labour, on=visit_day + timedelta(days=14))
    # Overdue: assigned 30 days ago, due after 10 working days, nothing recorded since.
    c.requests.assign(bureau, power, "liudong", on=visit_day + timedelta(days=2))
    c.requests.assign(bureau, land, "liujiang", on=today - timedelta(days=2))


def _complaints(c: Container, callers: dict[str, Caller], today: date) -> None:
    bureau, supervisor = callers["bureau"], callers["supervisor"]
    unit = callers["unit:liudong"]

    def file(days_ago: int, category: str, content: str, respondent: str) -> tuple[UUID, date]:
        day = today - timedelta(days=days_ago)
        result = c.complaints.file(bureau, ComplaintDetails(
            channel="hotline", category=category, content=content, respondent_unit=respondent,
            complainant=Complainant("李先生", "13900000000", "柳州某配套企业")), day)
        return result.state.id, day

    closed, day = file(60, "approval_service", "施工许可审批材料反复退回", "xzspj")
    c.complaints.accept(bureau, closed, on=day + timedelta(days=1))
    c.complaints.assign(bureau, closed, "liudong", on=day + timedelta(days=1))
    c.complaints.acknowledge(unit, closed, on=day + timedelta(days=2))
    c.complaints.reply(unit, closed, "已协调审批部门一次性告知材料",
                       on=day + timedelta(days=9))
    c.complaints.callback(supervisor, closed, "satisfied", on=day + timedelta(days=10))
    c.complaints.close(supervisor, closed, on=day + timedelta(days=10))

    running, day = file(30, "fees_and_fines", "园区收取不明费用", "liudong")
    c.complaints.accept(bureau, running, on=day)
    c.complaints.assign(bureau, running, "liudong", on=day)  # reply now overdue
    c.complaints.urge(supervisor, running, "请尽快答复", on=today - timedelta(days=1))

    file(1, "conduct", "窗口工作人员态度生硬", "scjgj")  # awaiting acceptance
    declined, day = file(10, "other", "咨询个人社保问题", "rsj")
    c.complaints.decline(bureau, declined, "不属于营商环境投诉范围,已告知咨询渠道", on=day)
