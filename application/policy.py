"""Who may do what: one table of actions → roles → the relation a caller must have to the
item, read by commands, queries, Open311 and the console alike.

A grant names the relation under which a role may act: `ANY` item, or only items related
to the caller's unit, county or enterprise (see `Relation`). What a relation means for each
kind of item is written once, in `_RELATED`. A role absent from an action's grants may not
act at all; a role whose relation does not hold for the item may not act on that item. In
both cases the answer is 403 before anything else about the item is checked, so a caller
who may not act learns nothing more (no 412, no 422).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from application.context import Caller
from application.errors import Forbidden
from domain.agency_case import AgencyCase
from domain.complaint import Complaint
from domain.enterprise import Enterprise
from domain.enterprise_request import EnterpriseRequest
from domain.meeting import Meeting
from domain.order import Order
from domain.park import Park
from domain.park_entry_review import ParkEntryReview
from domain.project import Project
from domain.shared import Role


class Relation(StrEnum):
    """How a caller must stand to an item for a grant to hold."""

    any = "any"  # every item
    unit = "unit"  # the caller's unit handles the item now (责任单位, 承办单位, 承办/配合单位)
    unit_ever = "unit_ever"  # the caller's unit handles or handled the item
    lead_unit = "lead_unit"  # the caller's unit leads the handling (牵头单位)
    area = "area"  # the item lies in the caller's county or zone
    enterprise = "enterprise"  # the item is the caller's enterprise, or raised by it
    linked_leader = "linked_leader"  # the caller is the leader linked to the enterprise
    reviewing_unit = "reviewing_unit"  # the caller's unit reviews the item (入园联合论证)
    agent = "agent"  # the caller is the agent (代办员) of the agency case
    agent_case = "agent_case"  # one of the caller's agency cases names the item


ANY = frozenset({Relation.any})
STAFF = (Role.admin, Role.bureau)


def _request_units(request: EnterpriseRequest) -> set[str]:
    units = set(request.assigned_units)
    for assignment in request.assignments:
        units.add(assignment["lead_unit"])
        units.update(assignment["co_units"])
    return units


def _is(value: object, wanted: object) -> bool:
    return wanted is not None and value == wanted


# What each relation means for each kind of item: (item class, relation) → test.
_RELATED: dict[tuple[type, Relation], Callable[[Caller, Any], bool]] = {
    (Project, Relation.unit): lambda c, p: _is(p.responsible_unit, c.unit),
    (Project, Relation.area): lambda c, p: _is(p.county, c.unit),
    (Complaint, Relation.unit): lambda c, x: _is(x.assigned_unit, c.unit),
    (Complaint, Relation.enterprise): lambda c, x: _is(x.filed_by_enterprise, c.enterprise),
    (Enterprise, Relation.area): lambda c, e: _is(e.county, c.unit),
    (Enterprise, Relation.enterprise): lambda c, e: _is(e.credit_code, c.enterprise),
    (Enterprise, Relation.linked_leader): lambda c, e: _is(e.leader_account, c.account_id),
    (EnterpriseRequest, Relation.unit): lambda c, r: c.unit is not None
    and c.unit in r.assigned_units,
    (EnterpriseRequest, Relation.unit_ever): lambda c, r: c.unit is not None
    and c.unit in _request_units(r),
    (EnterpriseRequest, Relation.lead_unit): lambda c, r: _is(r.lead_unit, c.unit),
    (EnterpriseRequest, Relation.enterprise): lambda c, r: _is(r.credit_code, c.enterprise),
    (Order, Relation.unit): lambda c, o: _is(o.unit, c.unit),
    (Meeting, Relation.unit): lambda c, m: c.unit is not None and c.unit in m.involved_units,
    (Park, Relation.unit): lambda c, p: _is(p.managing_unit, c.unit),
    (ParkEntryReview, Relation.reviewing_unit): lambda c, r: c.unit is not None
    and c.unit in r.reviewing_unit_codes,
    (AgencyCase, Relation.agent): lambda c, a: _is(a.agent, c.account_id),
    (AgencyCase, Relation.enterprise): lambda c, a: _is(a.credit_code, c.enterprise),
    (Project, Relation.agent_case): lambda c, p: str(p.id) in c.agency_items(),
    (Enterprise, Relation.agent_case): lambda c, e: str(e.id) in c.agency_items(),
}


@dataclass(frozen=True)
class Rule:
    """One action: which roles may, under which relation, and how a refusal names it (`this`:
    the refusal of a role that may, but not on this item)."""

    does: str
    grants: Mapping[Role, frozenset[Relation]] = field(default_factory=dict)
    this: str = ""


def rule(does: str, *everywhere: Role, this: str = "", **related: Iterable[Relation]) -> Rule:
    """`rule("close requests", Role.admin, unit=[Relation.lead_unit])`: the positional roles
    act on every item, the keyword roles only under the relations given."""
    grants: dict[Role, frozenset[Relation]] = dict.fromkeys(everywhere, ANY)
    for role, relations in related.items():
        grants[Role(role)] = frozenset(relations)
    return Rule(does, grants, this or does)


READERS = (Role.admin, Role.bureau, Role.supervisor, Role.leader)
R = Relation

POLICY: dict[str, Rule] = {
    # 招商项目
    "project.read": rule("read projects", *READERS, Role.park_office,
                         this="read a project of another unit or outside its agency cases",
                         unit=[R.unit, R.area], agent=[R.agent_case]),
    "project.manage": rule("register or change projects", *STAFF),
    "project.handle": rule("handle projects", *STAFF, unit=[R.unit],
                           this="handle a project its unit is not responsible for"),
    "project.instruct": rule("give instructions (批示)", Role.leader),
    "project.correct": rule("correct a project's recorded stage facts (更正)", *STAFF),
    "project.revoke_termination": rule("revoke a project's termination (撤销终止)", *STAFF),
    "project.comment": rule("comment on projects", *READERS, Role.park_office,
                            unit=[R.unit, R.area], agent=[R.agent_case]),
    "project.designate": rule("put projects on or off a key-project list (重点项目清单)",
                              *STAFF),
    # 营商环境投诉举报
    "complaint.read": rule("read complaints", *READERS, unit=[R.unit],
                           enterprise=[R.enterprise],
                           this="read a complaint not assigned to or filed by it"),
    "complaint.file": rule("register complaints", Role.admin, Role.bureau, Role.supervisor,
                           Role.enterprise),
    "complaint.intake": rule("accept, decline or assign complaints", *STAFF),
    "complaint.handle": rule("handle complaints", unit=[R.unit],
                             this="handle a complaint: only the unit it is assigned to may"),
    "complaint.supervise": rule("decide extensions, urge, call back or close",
                                Role.admin, Role.supervisor),
    "complaint.correct": rule("correct a complaint's intake record (更正)", *STAFF),
    # 批示: leaders instruct; the unit handling the complaint answers (落实情况), as staff may
    "complaint.instruct": rule("give instructions (批示)", Role.admin, Role.leader),
    "complaint.answer_instruction": rule(
        "answer instructions (批示落实反馈)", *STAFF, unit=[R.unit],
        this="answer an instruction on a complaint: only the unit it is assigned to may"),
    # 企业
    "enterprise.read": rule("read enterprises", *READERS, unit=[R.area],
                            enterprise=[R.enterprise], agent=[R.agent_case],
                            this="read another enterprise, one outside its county or "
                            "outside its agency cases"),
    "enterprise.manage": rule("register or change enterprises", *STAFF),
    "enterprise.designate": rule("put enterprises on or off a key-enterprise list "
                                 "(重点企业名单)", *STAFF),
    "enterprise.visit": rule("record visits (调研)", *STAFF, leader=[R.linked_leader],
                             this="record a visit (调研) to an enterprise not linked to it"),
    # 企业诉求
    "request.read": rule("read enterprise requests", *READERS, unit=[R.unit_ever],
                         enterprise=[R.enterprise],
                         this="read a request not assigned to or raised by it"),
    "request.raise": rule("raise enterprise requests", *STAFF, enterprise=[R.enterprise],
                          this="raise a request for this enterprise"),
    "request.assign": rule("assign requests (交办)", *STAFF),
    "request.progress": rule("note progress on requests", *STAFF, unit=[R.unit],
                             this="note progress on a request its unit is not assigned"),
    "request.outcome": rule("record outcomes", *STAFF, unit=[R.lead_unit],
                            this="record the outcome; only the lead unit (牵头单位) may"),
    "request.feedback": rule("give feedback on requests", *STAFF, enterprise=[R.enterprise],
                             this="give feedback on another enterprise's request"),
    "request.correct": rule("correct a request's intake record (更正)", *STAFF),
    "request.instruct": rule("give instructions (批示)", Role.admin, Role.leader),
    "request.answer_instruction": rule(
        "answer instructions (批示落实反馈)", *STAFF, unit=[R.lead_unit],
        this="answer an instruction on a request; only the lead unit (牵头单位) may"),
    "request.close": rule("close requests (办结)", *STAFF, Role.supervisor),
    # 督办单: the supervision office issues and pursues; the unit it is issued to responds
    "order.read": rule("read supervision orders", *READERS, unit=[R.unit],
                       this="read a supervision order issued to another unit"),
    "order.supervise": rule("issue, urge, notify, return or close supervision orders (督办)",
                            Role.admin, Role.supervisor),
    "order.respond": rule("respond to supervision orders", unit=[R.unit],
                          this="respond to a supervision order issued to another unit"),
    # 协调推进会: bureau staff and leaders record meetings; each unit marks its own items
    "meeting.read": rule("read coordination meetings", *READERS, unit=[R.unit],
                         this="read a meeting its unit took no part in"),
    "meeting.record": rule("record coordination meetings and their decisions", *STAFF,
                           Role.leader),
    "meeting.handle": rule("mark action items done", unit=[R.unit],
                           this="mark done an action item of a meeting its unit took no "
                           "part in"),
    "meeting.reopen": rule("reopen action items", Role.admin, Role.supervisor),
    # 园区 and 入园联合论证: the park office runs them; a park's managing unit (管委会) reads
    # its park, and the reviewing units the reviews they take part in.
    "park.read": rule("read parks", *READERS, Role.park_office, unit=[R.unit],
                      this="read a park its unit does not manage"),
    "park.manage": rule("register parks or record their leading industries and output",
                        Role.admin, Role.park_office),
    "park_entry_review.read": rule("read park-entry reviews", *READERS, Role.park_office,
                                   unit=[R.reviewing_unit],
                                   this="read a park-entry review its unit does not take "
                                   "part in"),
    "park_entry_review.open": rule("open park-entry reviews (入园联合论证)", Role.admin,
                                   Role.park_office),
    "park_entry_review.opinion": rule("give review opinions", unit=[R.reviewing_unit],
                                      this="give an opinion on a review its unit is not "
                                      "part of; only the reviewing units may"),
    "park_entry_review.decide": rule("decide or register park-entry reviews (入园登记)",
                                     Role.admin, Role.park_office),
    # 代办服务
    "agency_case.read": rule("read agency cases", *READERS, agent=[R.agent],
                             enterprise=[R.enterprise],
                             this="read an agency case it is not the agent or enterprise of"),
    "agency_case.open": rule("open agency cases (受理代办)", *STAFF, Role.agent),
    "agency_case.handle": rule("record items and milestones of agency cases", *STAFF,
                               agent=[R.agent],
                               this="handle an agency case; only its agent (代办员) may"),
    "agency_case.reassign": rule("hand agency cases to another agent", *STAFF),
    "agency_case.close": rule("close agency cases (代办办结)", *STAFF, agent=[R.agent],
                              this="close an agency case; only its agent (代办员) may"),
    # 台账、督办、统计、审计
    "supervision.read": rule("read the supervision view", *READERS, unit=[R.unit]),
    "dashboard.read": rule("read the supervision dashboard (督查督办工作台)", *READERS,
                           unit=[R.unit]),
    "stats.read": rule("read statistics", *READERS),
    "journal.read": rule("read the audit journal", Role.admin, Role.supervisor, Role.leader),
    # Personal data — who complained (the complainant, the filing enterprise) and an
    # enterprise's contact people — wherever it shows: an item's state, its history, the
    # audit journal. Its subject sees its own besides (see CaseService.sees_personal_data).
    "personal_data.read": rule("see personal data (complainants, enterprise contacts)",
                               Role.bureau, Role.supervisor),
    "audit.read": rule("sign checkpoints or read proofs of the audit chain (审计链)",
                       Role.admin, Role.supervisor),
    "account.manage": rule("open, reissue or deactivate accounts", Role.admin),
}


def deny(caller: Caller, does: str) -> Forbidden:
    zh, en = caller.who()
    return Forbidden(f"{en} may not {does} / {zh}无权进行此项操作")


def _grants(caller: Caller, action: str) -> frozenset[Relation]:
    try:
        rule = POLICY[action]
    except KeyError:
        msg = f"no policy for action {action!r} / 未定义该操作的权限"
        raise LookupError(msg) from None
    return rule.grants.get(caller.role, frozenset()) if caller.role else frozenset()


def allows(caller: Caller, action: str, item: Any = None) -> bool:
    """Whether the caller may do `action` (on `item`, for item-related grants)."""
    relations = _grants(caller, action)
    if Relation.any in relations:
        return True
    if item is None:
        return False
    return any(_RELATED.get((type(item), r), _never)(caller, item) for r in relations)


def require(caller: Caller, action: str, item: Any = None) -> None:
    """Refuse (403) a caller the policy does not allow to do `action` (on `item`)."""
    if not allows(caller, action, item):
        granted = may_act_at_all(caller, action)
        raise deny(caller, POLICY[action].this if granted else POLICY[action].does)


def may_act_at_all(caller: Caller, action: str) -> bool:
    """Whether some item exists on which the caller might do `action`."""
    return bool(_grants(caller, action))


def require_role(caller: Caller, action: str) -> None:
    """Refuse (403) a caller whose role has no grant at all for `action`: the check made
    before an item is looked up, so a stranger learns nothing of it."""
    if not may_act_at_all(caller, action):
        raise deny(caller, POLICY[action].does)


@dataclass(frozen=True)
class Scope:
    """Which items of a list a caller may see: all (every field None), its unit's, its
    enterprise's, or an agent's. What "its unit's" means is each ledger's `scope_unit`
    filter; an agent sees its own cases (`scope_agent`) and the items they name
    (`scope_items`)."""

    unit: str | None = None
    enterprise: str | None = None
    agent: str | None = None  # an agent's own agency cases
    items: frozenset[str] | None = None  # the items an agent's cases name (their ids)

    def filters(self) -> dict[str, Any]:
        found = {"scope_unit": self.unit, "scope_enterprise": self.enterprise,
                 "scope_agent": self.agent, "scope_items": self.items}
        return {k: v for k, v in found.items() if v is not None}


def scope(caller: Caller, action: str) -> Scope:
    """The part of a list the caller may read under `action`; 403 if none."""
    relations = _grants(caller, action)
    if Relation.any in relations:
        return Scope()
    if Relation.agent in relations:
        return Scope(agent=caller.account_id)
    if Relation.agent_case in relations:
        return Scope(items=caller.agency_items())
    if Relation.enterprise in relations and caller.enterprise:
        return Scope(enterprise=caller.enterprise)
    if relations - {Relation.enterprise, Relation.linked_leader} and caller.unit:
        return Scope(unit=caller.unit)
    raise deny(caller, POLICY[action].does)


def _never(_caller: Caller, _item: Any) -> bool:
    return False
