"""The values of a complaint (营商环境投诉举报): statuses and the steps each allows, channels,
categories, who complained, and the Chinese names of its events."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain import instructions
from domain.credit_code import normalize_credit_code, require_credit_code
from domain.errors import InvalidValue
from domain.shared import (
    Checker,
    Labelled,
    correction_labels,
    optional_text,
    require_day,
    require_text,
)

PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")


class Status(Labelled):
    """Where a complaint stands in its flow."""

    received = "received", "登记"
    accepted = "accepted", "受理"
    declined = "declined", "不予受理"
    assigned = "assigned", "交办"
    acknowledged = "acknowledged", "签收"
    replied = "replied", "答复"
    called_back = "called_back", "已回访"  # satisfied or basically satisfied
    reopened = "reopened", "重办"
    returned = "returned", "退单"
    closed = "closed", "办结"




class Channel(Labelled):
    """渠道: how a complaint reached the bureau."""

    website = "website", "网站"
    mailbox = "mailbox", "投诉信箱"
    hotline = "hotline", "投诉热线"
    county_zone = "county_zone", "县区/开发区"
    municipal_department = "municipal_department", "市级涉企部门"
    walk_in = "walk_in", "来访"




class Category(Labelled):
    """What a complaint is about."""

    approval_service = "approval_service", "审批服务"
    policy_delivery = "policy_delivery", "政策落实"
    fees_and_fines = "fees_and_fines", "涉企收费"
    inspections = "inspections", "执法检查"
    fair_competition = "fair_competition", "公平竞争"
    conduct = "conduct", "工作作风"
    other = "other", "其他"




class Satisfaction(Labelled):
    """The complainant's verdict at the callback (回访)."""

    satisfied = "satisfied", "满意"
    basically_satisfied = "basically_satisfied", "基本满意"
    unsatisfied = "unsatisfied", "不满意"




class DeadlineKind(Labelled):
    """The working-day deadlines a complaint runs, one step at a time."""

    acceptance = "acceptance", "受理期限"
    reply = "reply", "答复期限"
    callback = "callback", "回访期限"



class Correctable(Labelled):
    """The intake facts of a complaint a correction (更正) may put right."""

    received_on = "received_on", "登记日期"
    channel = "channel", "渠道"
    category = "category", "类别"
    respondent_unit = "respondent_unit", "被投诉单位"


CORRECTABLE: dict[str, Checker] = {
    Correctable.received_on: require_day,
    Correctable.channel: lambda value, field: Channel.require(value, field).value,
    Correctable.category: lambda value, field: Category.require(value, field).value,
    Correctable.respondent_unit: lambda value, field: require_text(value, field, limit=40),
}
"""Each correctable fact with its check: the rules of registration."""


EXTENSION_STEPS = ("request-extension", "approve-extension", "refuse-extension")
_HANDLING = ("return", *EXTENSION_STEPS, "urge")
ALLOWED: dict[str, tuple[str, ...]] = {
    Status.received: ("accept", "decline", "urge"),
    Status.accepted: ("assign", "urge"),
    Status.declined: (),
    Status.assigned: ("acknowledge", *_HANDLING),
    Status.acknowledged: ("reply", *_HANDLING),
    Status.replied: ("callback", "urge"),
    Status.called_back: ("close", "urge"),
    Status.reopened: ("assign", "urge"),
    Status.returned: ("assign", "urge"),
    Status.closed: (),
}
"""Steps each status allows; the extension steps further depend on a request being pending."""
FINAL_STATUSES = frozenset({Status.declined, Status.closed})


@dataclass(frozen=True)
class Complainant:
    """投诉人: who complained, for the callback. Personal data: shown only to handlers."""

    name: str
    phone: str | None = None
    enterprise: str | None = None

    def checked(self) -> dict[str, str | None]:
        phone = optional_text(self.phone, "phone", limit=20)
        if phone is not None and not PHONE.match(phone):
            msg = (f"phone must be digits (spaces, dashes and a leading + allowed), "
                   f"got {phone!r} / 联系电话须为数字（可含空格、短横线和开头的+）")
            raise InvalidValue(msg)
        return {"name": require_text(self.name, "complainant name", limit=60), "phone": phone,
                "enterprise": optional_text(self.enterprise, "enterprise", limit=200)}


@dataclass(frozen=True)
class ComplaintDetails:
    """What a complaint is about, as registered; `complainant` None means anonymous (匿名)."""

    channel: str
    category: str
    content: str
    respondent_unit: str
    complainant: Complainant | None = None
    filed_by_enterprise: str | None = None

    def checked(self) -> dict[str, Any]:
        credit_code = normalize_credit_code(self.filed_by_enterprise) or None
        if credit_code is not None:
            credit_code = require_credit_code(credit_code)
        return {
            "channel": Channel.require(self.channel, "channel").value,
            "category": Category.require(self.category, "category").value,
            "content": require_text(self.content, "content"),
            "respondent_unit": require_text(self.respondent_unit, "respondent_unit", limit=40),
            "complainant": None if self.complainant is None else self.complainant.checked(),
            "filed_by_enterprise": credit_code,
        }


EVENT_LABELS = {
    "Received": "登记",
    "Accepted": "受理",
    "Declined": "不予受理",
    "Assigned": "交办",
    "Acknowledged": "签收",
    "Returned": "退单",
    "Replied": "答复",
    "CallbackRecorded": "回访",
    "Closed": "办结",
    "ExtensionRequested": "申请延期",
    "ExtensionApproved": "同意延期",
    "ExtensionRefused": "不同意延期",
    "Urged": "催办",
    "DeadlineRecomputed": "重算期限",
    **instructions.EVENT_LABELS,
    **correction_labels(Correctable),
}
