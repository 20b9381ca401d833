"""Value objects and checks shared by every aggregate."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Self, TypeVar

from eventsourcing.domain import Aggregate

from domain.errors import InvalidValue, RuleViolation

# 万元 are kept to the yuan: four decimal places.
AMOUNT_QUANTUM = Decimal("0.0001")
# 万元 below 10 万亿 yuan: above any real project, and low enough that ledger sums of a million
# projects stay exact 64-bit integers (in yuan) on SQLite as on PostgreSQL.
MAX_AMOUNT = Decimal("1e9")
MAX_TEXT = 4000
MAX_NAME = 200


class Labelled(StrEnum):
    """A code with its Chinese display label, declared once: `signed = "signed", "签约"`.

    A member is its code: it equals the plain string (`Stage.signed == "signed"`), JSON,
    pydantic and the event store see only the code, and pydantic lists the codes as the
    OpenAPI enum. The label is for display and is never stored.
    """

    label: str

    def __new__(cls, code: str, label: str | None = None) -> Self:
        # Builds each member from its declared (code, label) pair. `label` is optional only
        # in the signature, because type checkers read the lookup `Stage("signed")` as a
        # call of __new__; a member declared without one is refused when its class is made.
        if label is None:
            msg = f"{cls.__name__}.{code} must be declared as {code} = {code!r}, '<标签>'"
            raise TypeError(msg)
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """{code: label} in declaration order, for tables and legends."""
        return {member.value: member.label for member in cls}

    @classmethod
    def require(cls, value: object, field: str) -> Self:
        """The member named by `value` (its code or its Chinese label, blanks stripped);
        InvalidValue naming `field`, what was given and the allowed codes otherwise."""
        if isinstance(value, str):
            given = value.strip()
            for member in cls:
                if given in (member.value, member.label):
                    return member
        choices = ", ".join(f"{member.value} ({member.label})" for member in cls)
        msg = f"{field} must be one of {choices}; got {value!r} / {field} 须为所列取值之一"
        raise InvalidValue(msg)


class Role(Labelled):
    """The roles an account can hold (DESIGN.md)."""

    admin = "admin", "系统管理员"
    leader = "leader", "领导"
    supervisor = "supervisor", "督查督办"
    bureau = "bureau", "投促局"
    unit = "unit", "责任单位"
    park_office = "park_office", "园区办"
    agent = "agent", "代办员"
    enterprise = "enterprise", "企业"




@dataclass(frozen=True)
class Audit:
    """Who recorded a step, for which unit, under which request: carried by every event."""

    actor_id: str
    actor_name: str
    role: str
    unit: str | None
    correlation_id: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "role": self.role,
            "unit": self.unit,
            "correlation_id": self.correlation_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> Audit:
        return cls(
            actor_id=str(data["actor_id"]),
            actor_name=str(data["actor_name"]),
            role=str(data["role"]),
            unit=data.get("unit"),
            correlation_id=str(data.get("correlation_id") or ""),
        )


@dataclass(frozen=True)
class Deadline:
    """A due date counted in working days from a start date, with the calendar that made it.

    `provisional` is true when any year the count touched had no official holiday schedule
    (weekends and statutory holidays by rule only, no 调休); such deadlines are recomputed
    once the year's schedule is configured. `named` is true for a due date a person named
    (a leader's 批示 "answer by"): its working days are counted for information only, and it
    is never provisional, so never recomputed.
    """

    start: date
    working_days: int
    due: date
    calendar_version: str
    provisional: bool = False
    named: bool = False

    def as_dict(self) -> dict[str, Any]:
        # `named` is written only when set, so counted deadlines keep their stored shape.
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "calendar_version": self.calendar_version,
            "provisional": self.provisional,
            **({"named": True} if self.named else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deadline:
        return cls(
            start=date.fromisoformat(data["start"]),
            working_days=int(data["working_days"]),
            due=date.fromisoformat(data["due"]),
            calendar_version=str(data["calendar_version"]),
            provisional=bool(data.get("provisional", False)),
            named=bool(data.get("named", False)),
        )


# C0 and C1 control characters but tab, LF and CR, and DEL: they break XML answers and
# PostgreSQL text columns (NUL) and no office ever types them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Chinese names of the fields and dates messages speak of, so a message names them in both
# languages ("sign date 2025-03-01 is before registration date … / 签约日期不能早于登记日期").
TERMS: dict[str, str] = {
    "name": "名称", "investor": "投资方", "industry": "行业", "county": "县区",
    "reason": "理由", "text": "内容", "comment": "备注", "note": "说明", "notes": "备注",
    "content": "投诉内容", "summary": "摘要", "description": "诉求描述",
    "explanation": "说明", "resolution": "办理结果", "receipt": "回执码",
    "unit": "单位", "responsible_unit": "责任单位", "respondent_unit": "被投诉单位",
    "lead_unit": "牵头单位", "by_unit": "办理单位", "hosted_by": "走访单位",
    "phone": "联系电话", "role": "职务", "leader_name": "联系领导", "enterprise": "企业",
    "period": "报告期", "due": "期限", "on": "业务日期", "date": "日期",
    "total_investment": "计划总投资", "contract_amount": "合同金额",
    "amount": "金额", "park": "园区", "origin": "来源地",
    "registration date": "登记日期", "sign date": "签约日期",
    "construction date": "开工日期", "production date": "投产日期",
    "termination date": "终止日期", "last stage date": "上一阶段日期",
    "resolution date": "问题解决日期", "date raised": "问题提出日期",
    "answer date": "批示落实反馈日期", "instruction date": "批示日期",
    "revision date": "修改日期", "link date": "挂钩日期", "unlink date": "解除挂钩日期",
    "current link date": "当前挂钩日期", "previous step's date": "上一步日期",
    "previous step date": "上一步日期", "recomputation date": "重算日期",
    "urge date": "催办日期", "date received": "收件日期", "raised_on": "诉求提出日期",
    "given_on": "批示日期", "visit date": "走访日期",
    "response date": "反馈日期", "closing date": "销号日期", "return date": "退回日期",
    "notice date": "通报日期", "issue date": "交办日期", "completion date": "办结日期",
    "reopening date": "重新打开日期", "date recorded": "登记日期", "meeting date": "会议日期",
    "urging date": "催办日期", "task": "任务", "title": "标题", "chair": "主持人",
    "units": "参会单位", "problem": "存在问题", "instruction": "批示", "contacts": "联系人",
    "ids": "清单项",
    "enterprise_id": "企业标识", "project_id": "项目标识", "summary date": "办结日期",
    "opening date": "开始日期",
}


# A unit named inside a read model's text (e.g. a supervision item's title) is kept as this
# reference, so that readers show the unit's current name from the reference list, never a code.
UNIT_REFERENCE = re.compile(r"\{unit:([^{}\s]+)\}")


def unit_reference(code: str) -> str:
    """The reference standing for unit `code` in stored text; see UNIT_REFERENCE."""
    return f"{{unit:{code}}}"


def zh(term: str) -> str:
    """The Chinese name of a field or date a message speaks of (the term itself if none)."""
    return TERMS.get(term, term)


def refuse_control_characters(text: str, field: str) -> str:
    """`text` unless it holds a control character other than tab, CR and LF (422)."""
    found = CONTROL_CHARACTERS.search(text)
    if found:
        msg = (f"{field} contains the control character U+{ord(found.group()):04X} at "
               f"position {found.start()}; only tab, CR and LF are allowed / "
               f"{zh(field)}含有不可见的控制字符")
        raise InvalidValue(msg)
    return text


def require_text(value: str | None, field: str, *, limit: int = MAX_TEXT) -> str:
    """Strip `value` and insist it is non-empty, at most `limit` characters and free of
    control characters."""
    text = (value or "").strip()
    if not text:
        msg = f"{field} must not be empty / {zh(field)}不能为空"
        raise InvalidValue(msg)
    if len(text) > limit:
        msg = (f"{field} is {len(text)} characters long, at most {limit} allowed / "
               f"{zh(field)}不能超过{limit}个字符")
        raise InvalidValue(msg)
    return refuse_control_characters(text, field)


def optional_text(value: str | None, field: str, *, limit: int = MAX_TEXT) -> str | None:
    """Like require_text, but an empty value becomes None."""
    if value is None or not value.strip():
        return None
    return require_text(value, field, limit=limit)


def require_amount(value: Decimal | int | str, field: str) -> Decimal:
    """A non-negative amount in 万元, kept to the yuan (four decimal places)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        msg = (f"{field} must be a decimal number of 万元, got {value!r} / "
               f"{zh(field)}应为数字（万元）")
        raise InvalidValue(msg) from None
    if not amount.is_finite():
        msg = f"{field} must be a finite number, got {value!r} / {zh(field)}应为有限数字"
        raise InvalidValue(msg)
    if amount < 0:
        msg = f"{field} must not be negative, got {amount} / {zh(field)}不能为负数"
        raise InvalidValue(msg)
    if amount >= MAX_AMOUNT:
        msg = (f"{field} is implausibly large: {amount} 万元 / "
               f"{zh(field)}数额过大，请核对单位（万元）")
        raise InvalidValue(msg)
    if amount != amount.quantize(AMOUNT_QUANTUM):
        msg = (f"{field} has more than four decimal places (万元 to the yuan), got {amount} / "
               f"{zh(field)}最多保留四位小数（精确到元）")
        raise InvalidValue(msg)
    return abs(amount.quantize(AMOUNT_QUANTUM)) if amount == 0 else amount.quantize(AMOUNT_QUANTUM)


def step_refused(step: str, item: str, status: Labelled, allowed: Sequence[str], *,
                 zh_item: str, zh_step: str = "进行此项操作", why: str = "") -> RuleViolation:
    """The refusal of a step that `item`'s status does not allow now: the step asked for,
    why (where there is more to say than the status), the status and the steps allowed
    next, in English and Chinese."""
    because = f"{why}; " if why else ""
    msg = (f"cannot {step}: {because}{item} is {status.value} ({status.label}); "
           f"allowed next: {', '.join(allowed) or 'nothing'} / "
           f"{zh_item}当前状态为「{status.label}」，不能{zh_step}")
    return RuleViolation(msg)


def require_list(values: object, field: str, *, item: str, kind: str, most: int) -> list[Any]:
    """`values` as a list (None is none) of at most `most` entries: never a text or an
    object where a list belongs."""
    if values is None:
        return []
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence):
        msg = f"{field} must be a list of {kind} / {zh(field)}应为列表"
        raise InvalidValue(msg)
    if len(values) > most:
        msg = f"at most {most} {item}s are allowed, got {len(values)} / {zh(field)}最多{most}项"
        raise InvalidValue(msg)
    return list(values)


def distinct_texts(values: Sequence[str] | None, field: str, *, item: str, kind: str,
                   most: int, limit: int, refuse: Callable[[str], None] | None = None
                   ) -> list[str]:
    """A list of distinct texts (codes, references) in given order: None is none; at most
    `most` of them, each `item` a non-empty text of at most `limit` characters, which
    `refuse` may still refuse (raising InvalidValue) before it is checked for repeats."""
    checked: list[str] = []
    for value in require_list(values, field, item=item, kind=kind, most=most):
        text = require_text(value if isinstance(value, str) else None, item, limit=limit)
        if refuse is not None:
            refuse(text)
        if text in checked:
            msg = f"{item} {text} is listed twice / {zh(field)}中{text}重复"
            raise InvalidValue(msg)
        checked.append(text)
    return checked


def require_not_before(later: date, earlier: date | None, what: str, earlier_what: str,
                       chinese: tuple[str, str] | None = None) -> None:
    """Refuse a business date that comes before the step it follows; `chinese` names both
    dates in Chinese where the glossary (`TERMS`) does not."""
    if earlier is not None and later < earlier:
        what_zh, earlier_zh = chinese or (zh(what), zh(earlier_what))
        msg = (
            f"{what} {later.isoformat()} is before {earlier_what} {earlier.isoformat()}"
            f" / {what_zh}不能早于{earlier_zh}"
        )
        raise RuleViolation(msg)


def require_day(value: object, field: str) -> date:
    """A calendar date; a datetime is refused because business dates carry no time."""
    if not isinstance(value, date) or isinstance(value, datetime):
        msg = f"{field} must be a date, got {value!r} / {zh(field)}应为日期"
        raise InvalidValue(msg)
    return value


def optional_day(value: object, field: str) -> date | None:
    """Like require_day, but None stays None (a date not yet known)."""
    return None if value is None else require_day(value, field)


# --- revisions ------------------------------------------------------------------------

Checker = Callable[[Any, str], Any]
"""Checks one field: called with the value and the field's name, returns the value to keep
or raises InvalidValue. Aggregates declare their revisable fields as {field: Checker}."""


def check_revision(changes: Mapping[str, Any], rules: Mapping[str, Checker]) -> dict[str, Any]:
    """The checked values of a revision, each by its field's rule; fields without a rule
    and empty revisions are refused."""
    unknown = sorted(set(changes) - set(rules))
    if unknown:
        msg = (f"cannot revise {', '.join(unknown)}; revisable fields are {', '.join(rules)}"
               f" / 不能修改{'、'.join(zh(f) for f in unknown)}")
        raise InvalidValue(msg)
    if not changes:
        msg = "a revision must change at least one field / 修改至少要包含一个字段"
        raise InvalidValue(msg)
    return {field: rules[field](value, field) for field, value in changes.items()}


class Revised(Aggregate.Event):
    """What a revision of an item's details records: only the fields that changed, with
    their new values, and why. Each aggregate declares its own subclass (its topic is what
    is stored) and applies it with `revised`."""

    changes: dict[str, Any]
    reason: str | None
    on: date
    audit: Audit


def revised(self: Any, changes: dict[str, Any], reason: str | None, on: date,
            audit: Audit) -> None:
    """Applies a revision, as the aggregate's method `_revised = event(DetailsRevised)(revised)`
    (the library calls it with the aggregate as `self`): each changed field takes its new
    value."""
    for field, value in changes.items():
        setattr(self, field, value)


def require_changes(current: object, checked: Mapping[str, Any]) -> dict[str, Any]:
    """The checked fields whose value differs from `current`'s, so events record only real
    changes; a revision that changes nothing is refused."""
    changed = {field: value for field, value in checked.items()
               if getattr(current, field) != value}
    if not changed:
        msg = ("the revision changes nothing: every field already has that value / "
               "修改内容与现有信息相同")
        raise RuleViolation(msg)
    return changed


# --- corrections (更正) -----------------------------------------------------------------


class Correction(Aggregate.Event):
    """What a correction (更正) of a fact recorded wrongly records: the field, its right
    value, the value it replaces and why. The event that recorded the wrong value stays in
    the history; the state, ledgers and deadlines follow the right one. Each aggregate
    declares its own subclass, `Corrected` (its topic is what is stored)."""

    field: str
    value: Any
    previous: Any
    reason: str
    on: date
    audit: Audit


def corrected(self: Any, field: str, value: Any, previous: Any, reason: str, on: date,
              audit: Audit) -> None:
    """Applies a correction, as the aggregate's method `_corrected = event(Corrected)(corrected)`:
    the field takes its right value."""
    setattr(self, field, value)


def intake_corrected(self: Any, field: str, value: Any, previous: Any, reason: str, on: date,
                     audit: Audit) -> None:
    """Applies a correction of a case's intake facts (a complaint's, an enterprise request's),
    as the aggregate's method `_corrected = event(Corrected)(intake_corrected)`: the field
    takes its right value, and a corrected intake date (the aggregate's `intake_date`) of a
    case no step has followed yet (still in its `intake_status`) is the date the next step
    counts from."""
    setattr(self, field, value)
    if field == self.intake_date and self.status == self.intake_status:
        self.last_step_on = value


def correction_labels(fields: type[Labelled]) -> dict[str, str]:
    """The history labels of an aggregate's corrections: `更正`, and per field `更正签约日期`
    (keyed `Corrected.sign_date`: the history names a correction by the field it corrects)."""
    return {"Corrected": "更正",
            **{f"Corrected.{field.value}": f"更正{field.label}" for field in fields}}


def require_correction(field: Labelled, value: Any, previous: Any) -> None:
    """Refuse a correction that changes nothing."""
    if value == previous:
        msg = (f"{field} ({field.label}) is already {value}; nothing to correct"
               f" / {field.label}已是该值，无需更正")
        raise RuleViolation(msg)


Field = TypeVar("Field", bound=Labelled)


def check_correction(item: object, fields: type[Field], rules: Mapping[str, Checker],
                     field: str, value: Any) -> tuple[Field, Any, Any]:
    """What a correction of `item` records: the field it names (one of `fields`), the right
    value, checked by the field's rule in `rules`, and the value it replaces. A correction
    that changes nothing is refused."""
    which = fields.require(field, "field")
    checked = rules[which](value, which.value)
    previous = getattr(item, which)
    require_correction(which, checked, previous)
    return which, checked, previous


# --- numbered items -------------------------------------------------------------------


class NumberedItemAdded(Aggregate.Event):
    """What recording a numbered item that a later event answers says — a project's problem
    (存在问题), a leader's instruction (批示): its number, text and business date, and the
    working-day deadline of its answer (none: no deadline). Each aggregate declares its own
    subclass (its topic is what is stored). Version 2 added `due`; items recorded before
    had none."""

    class_version = 2
    number: int
    text: str
    on: date
    due: Deadline | None
    audit: Audit

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["due"] = None


# --- working-day deadlines ------------------------------------------------------------


def check_deadline(deadline: object, starts: date, what: str) -> Deadline:
    """The deadline a step sets on business date `starts`: a Deadline counted from that
    date, of at least one working day, falling due after its start."""
    if not isinstance(deadline, Deadline):
        msg = f"{what} must be a working-day Deadline, got {deadline!r} / 期限须按工作日计算"
        raise InvalidValue(msg)
    if deadline.named:
        return _check_named(deadline, starts, what)
    if deadline.start != starts or deadline.working_days < 1 or deadline.due <= deadline.start:
        msg = (f"{what} must count at least one working day from {starts.isoformat()} and end "
               f"after its start; got {deadline.working_days} working days from "
               f"{deadline.start.isoformat()} to {deadline.due.isoformat()}"
               f" / {what}须自{starts.isoformat()}起计算至少一个工作日")
        raise InvalidValue(msg)
    return deadline


def _check_named(deadline: Deadline, starts: date, what: str) -> Deadline:
    """A named due date: from the step's date, not before it."""
    if deadline.start != starts or deadline.due < starts:
        msg = (f"{what} {deadline.due.isoformat()} must not be before the step's date "
               f"{starts.isoformat()} / 期限{deadline.due.isoformat()}不能早于{starts.isoformat()}")
        raise InvalidValue(msg)
    return deadline


def check_recomputed_deadline(deadline: object, current: Deadline, what: str) -> Deadline:
    """The replacement of a provisional deadline once its year's official calendar is known:
    the same working days from the same start, with a different result."""
    if not current.provisional:
        msg = (f"the {what} due {current.due.isoformat()} is not provisional: it is already "
               "official; nothing to recompute / 该期限已按正式日历计算，无需重算")
        raise RuleViolation(msg)
    if isinstance(deadline, Deadline) and (deadline.start, deadline.working_days) != (
            current.start, current.working_days):
        msg = (f"a recomputed {what} keeps its start {current.start.isoformat()} and its "
               f"{current.working_days} working days; got {deadline.working_days} working days "
               f"from {deadline.start.isoformat()} / 重算期限须保持起算日和工作日数")
        raise InvalidValue(msg)
    checked = check_deadline(deadline, current.start, f"recomputed {what}")
    if checked == current:
        msg = (f"the recomputed {what} is the same as the current one; nothing to record / "
               "重算结果与现有期限相同")
        raise RuleViolation(msg)
    return checked
