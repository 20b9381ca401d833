"""The world the authorization matrix runs in: the test accounts and, per operation, fresh
items each account stands in a known relation to.

Each case type has two items in a world:
- `own`: related to the `unit` account (liudong), to the `enterprise` account and to the
  leader 覃市长 (linked to the own enterprise);
- `other`: related to none of those; its unit is liujiang, so the `other_unit` account
  stands to it as `unit` stands to the own item.

A world is made per operation, so a step one account takes (a unit returning a complaint, a
leader link replaced) never changes what the next operation's accounts may do. Items are
made through the application services, which is several times faster than over HTTP.

Credit codes are unique, so every world registers its own pair of enterprises and opens an
`enterprise` account for its own enterprise's code (the eight other accounts are shared).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from api.bootstrap import Container
from application.context import SYSTEM, Caller
from application.orders import Subject
from application.requests import NewRequest
from domain.complaint import Complainant, ComplaintDetails
from domain.credit_code import complete_credit_code
from domain.project import ProjectDetails
from domain.shared import Role
from tests.conftest import ROLE_ACCOUNTS

LEADER = ROLE_ACCOUNTS["leader"][0]  # 覃市长
OTHER_LEADER = "张副市长"
ITEMS = ("own", "other")
# The unit of each item, and the account of that unit.
UNIT_OF = {"own": "liudong", "other": "liujiang"}
UNIT_ACCOUNT = {"own": "unit", "other": "other_unit"}
# The item each account is related to (accounts not listed are related to neither). The
# `agent` account is the agent of the own agency case and of cases naming the own enterprise
# and the own project.
RELATED_ITEM = {"unit": "own", "other_unit": "other", "enterprise": "own", "leader": "own",
                "agent": "own"}
OTHER_AGENT = "李代办"

# Business dates of the steps that build the items, all in the past.
REGISTERED_ON = date(2025, 1, 6)
LINKED_ON = date(2025, 2, 1)
RAISED_ON = date(2025, 3, 3)
REQUEST_ASSIGNED_ON = date(2025, 3, 4)
OUTCOME_ON = date(2025, 3, 10)
FEEDBACK_ON = date(2025, 3, 11)
PROJECT_ON = date(2025, 1, 10)
SIGNED_ON = date(2025, 3, 1)
CONSTRUCTION_ON = date(2025, 4, 15)
TERMINATED_ON = date(2025, 5, 6)
RECEIVED_ON = date(2025, 9, 26)
ASSIGNED_ON = date(2025, 9, 29)
ACKNOWLEDGED_ON = date(2025, 9, 30)
EXTENSION_ON = date(2025, 10, 20)
EXTENSION_UNTIL = date(2025, 12, 31)
REPLIED_ON = date(2025, 10, 21)
CALLBACK_ON = date(2025, 10, 22)
ORDER_ON = date(2025, 9, 30)
ORDER_RESPONDED_ON = date(2025, 10, 9)
MEETING_ON = date(2025, 9, 20)
ACTION_DUE = date(2025, 10, 31)
ACTION_DONE_ON = date(2025, 10, 14)
PARK_ON = date(2025, 1, 2)
REVIEW_ON = date(2025, 2, 10)
OPINION_ON = date(2025, 2, 20)
AGENCY_ON = date(2025, 2, 3)
ITEM_ON = date(2025, 2, 10)

_codes = itertools.count(1)


def code_of(n: int) -> str:
    """A valid credit code (GB 32100, every part) numbered n, unlike any account's."""
    return complete_credit_code(f"91450200MA5M{n:04d}")


def fresh_code() -> str:
    return code_of(next(_codes))


@dataclass
class Accounts:
    """The shared accounts: bearer token and caller per key of ROLE_ACCOUNTS (the
    `enterprise` entry is replaced in each world)."""

    tokens: dict[str, str]
    callers: dict[str, Caller]

    @classmethod
    def open(cls, container: Container) -> Accounts:
        tokens = {key: container.accounts.add(SYSTEM, name, role,
                                              unit if role == "unit" else None,
                                              unit if role == "enterprise" else None).token
                  for key, (name, role, unit) in ROLE_ACCOUNTS.items()}
        return cls(tokens, {key: container.accounts.authenticate(token, f"matrix-{key}")
                            for key, token in tokens.items()})


@dataclass(frozen=True)
class Item:
    """An item as a request names it: its id, and its credit code or receipt code."""

    id: str
    code: str = ""


@dataclass
class World:
    """Fresh items for one operation, made on first use, with the accounts acting on them."""

    container: Container
    tokens: dict[str, str]
    callers: dict[str, Caller]
    _items: dict[str, dict[str, Item]] = field(default_factory=dict)

    @classmethod
    def new(cls, container: Container, accounts: Accounts) -> World:
        own_code = fresh_code()
        token = container.accounts.add(SYSTEM, f"企业 {own_code}", "enterprise", None,
                                       own_code).token
        return cls(container, {**accounts.tokens, "enterprise": token},
                   {**accounts.callers,
                    "enterprise": container.accounts.authenticate(token, "matrix-enterprise")})

    @property
    def own_code(self) -> str:
        return str(self.callers["enterprise"].enterprise)

    def leader_account(self, which: str) -> str:
        """The leader linked to the own enterprise (the `leader` account, 覃市长), or another
        leader's account (opened once per world, when the items are built)."""
        if which == "own":
            return self.callers["leader"].account_id
        if "leader" not in self._items:
            from application.context import SYSTEM

            opened = self.container.accounts.add(SYSTEM, OTHER_LEADER, "leader")
            self._items["leader"] = {"other": Item(str(opened.account_id))}
        return self._items["leader"]["other"].id

    def agent_account(self, which: str) -> str:
        """The `agent` account's id, or another agent's (opened once per world)."""
        if which == "own":
            return self.callers["agent"].account_id
        if "agent" not in self._items:
            opened = self.container.accounts.add(SYSTEM, OTHER_AGENT, "agent")
            self._items["agent"] = {"other": Item(str(opened.account_id))}
        return self._items["agent"]["other"].id

    def items(self, kind: str) -> dict[str, Item]:
        """The own and the other item of a case type ("project", "complaint", ...)."""
        if kind not in self._items:
            self._items[kind] = {which: BUILDERS[kind](self, which) for which in ITEMS}
        return self._items[kind]

    def version(self, kind: str, which: str) -> int:
        service = getattr(self.container, f"{kind}s")
        return int(service.load(UUID(self.items(kind)[which].id)).version)

    def given(self, kind: str, state: str) -> None:
        """Put both items of `kind` in `state` (a key of GIVEN)."""
        for which in ITEMS:
            GIVEN[state](self, which, UUID(self.items(kind)[which].id))

    def unit(self, which: str) -> Caller:
        """The account of the unit handling the item."""
        return self.callers[UNIT_ACCOUNT[which]]


# --- the items -----------------------------------------------------------------------------


def _project(world: World, which: str) -> Item:
    unit = UNIT_OF[which]
    details = ProjectDetails(name=f"{which} 新能源汽车零部件项目", investor="广西示例科技有限公司",
                             industry="汽车", total_investment=Decimal("12000"), county=unit,
                             responsible_unit=unit)
    state = world.container.projects.register(world.callers["bureau"], details, PROJECT_ON).state
    if which == "own":  # the `agent` account's case names it
        _agency_case(world, which, project_id=state.id)
    return Item(str(state.id))


def _complaint(world: World, which: str) -> Item:
    """Own: filed by the enterprise account; other: registered by the bureau. Both accepted
    and assigned to their unit."""
    c, bureau = world.container.complaints, world.callers["bureau"]
    filer = world.callers["enterprise"] if which == "own" else bureau
    details = ComplaintDetails(channel="hotline", category="approval_service",
                               content="施工许可审批超时两个月未办结", respondent_unit="xzspj",
                               complainant=Complainant("韦投诉人", "13807724567"))
    state = c.file(filer, details, RECEIVED_ON).state
    c.accept(bureau, state.id, on=ASSIGNED_ON)
    c.assign(bureau, state.id, UNIT_OF[which], on=ASSIGNED_ON)
    return Item(str(state.id), state.receipt)


def _enterprise(world: World, which: str) -> Item:
    """Own: the enterprise account's, in liudong, linked to 覃市长; other: in liujiang,
    linked to another leader."""
    c, bureau = world.container.enterprises, world.callers["bureau"]
    code = world.own_code if which == "own" else fresh_code()
    state = c.register(bureau, f"{which} 柳州某汽车零部件有限公司", code, "汽车", UNIT_OF[which],
                       [], REGISTERED_ON).state
    c.link_leader(bureau, state.id, world.leader_account(which), on=LINKED_ON)
    if which == "own":  # the `agent` account's case names it
        world.container.agency_cases.open_case(bureau, credit_code=state.credit_code,
                                               agent=world.agent_account("own"),
                                               opened_on=AGENCY_ON)
    return Item(str(state.id), state.credit_code)


def _request(world: World, which: str) -> Item:
    """Raised for the item's enterprise, assigned with its unit as the lead unit."""
    c, bureau = world.container.requests, world.callers["bureau"]
    enterprise = world.items("enterprise")[which]
    new = NewRequest(category="labour", description="春节后用工缺口约200人",
                     credit_code=enterprise.code, source="hotline", raised_on=RAISED_ON)
    state = c.raise_request(bureau, new).state
    c.assign(bureau, state.id, UNIT_OF[which], on=REQUEST_ASSIGNED_ON)
    return Item(str(state.id), enterprise.code)


def _order(world: World, which: str) -> Item:
    """Issued by the supervision office to the item's unit, about the item's project."""
    project = world.items("project")[which]
    state = world.container.orders.issue(world.callers["supervisor"],
                                         Subject("project", project.id), "协调解决用地指标",
                                         UNIT_OF[which], on=ORDER_ON).state
    return Item(str(state.id))


def _meeting(world: World, which: str) -> Item:
    """Recorded by the bureau with the item's unit taking part, and one action item (#1) of
    that unit."""
    c, bureau = world.container.meetings, world.callers["bureau"]
    state = c.record(bureau, MEETING_ON, f"{which} 项目协调推进会", LEADER, [UNIT_OF[which]],
                     [], None).state
    c.add_item(bureau, state.id, UNIT_OF[which], "协调电力接入", ACTION_DUE, MEETING_ON)
    return Item(str(state.id))


def _park(world: World, which: str) -> Item:
    """A city park in the item's unit, which manages it (as its 管委会)."""
    unit = UNIT_OF[which]
    state = world.container.parks.register(
        world.callers["park_office"], f"{which} 园区 {fresh_code()}", "city", unit, unit,
        Decimal("3000"), ["汽车"], on=PARK_ON).state
    return Item(str(state.id))


def _park_entry_review(world: World, which: str) -> Item:
    """The item's project reviewed for entering the item's park: its unit, the park's
    managing unit, reviews it beside the configured reviewing units."""
    review = world.container.park_entry_reviews.open(
        world.callers["park_office"], UUID(world.items("project")[which].id),
        UUID(world.items("park")[which].id), Decimal("80"), on=REVIEW_ON).state
    return Item(str(review.id))


def _agency_case(world: World, which: str, project_id: UUID | None = None) -> Item:
    """For the item's enterprise, opened by the bureau for the `agent` account (own) or for
    another agent (other)."""
    enterprise = world.items("enterprise")[which]
    state = world.container.agency_cases.open_case(
        world.callers["bureau"], credit_code=enterprise.code, project_id=project_id,
        agent=world.agent_account(which), opened_on=AGENCY_ON).state
    return Item(str(state.id), enterprise.code)


BUILDERS: dict[str, Callable[[World, str], Item]] = {
    "project": _project, "complaint": _complaint, "enterprise": _enterprise,
    "request": _request, "order": _order, "meeting": _meeting,
    "park": _park, "park_entry_review": _park_entry_review,
    "agency_case": _agency_case,
}


# --- states a step needs ---------------------------------------------------------------------

Given = Callable[[World, str, UUID], None]


def _signed(world: World, which: str, pid: UUID) -> None:
    world.container.projects.sign(world.callers["bureau"], pid, SIGNED_ON, Decimal("8000"))


def _under_construction(world: World, which: str, pid: UUID) -> None:
    _signed(world, which, pid)
    world.container.projects.start_construction(world.callers["bureau"], pid, CONSTRUCTION_ON)


def _terminated(world: World, which: str, pid: UUID) -> None:
    world.container.projects.terminate(world.callers["bureau"], pid, "投资方撤资", TERMINATED_ON)


def _with_problem(world: World, which: str, pid: UUID) -> None:
    world.container.projects.raise_problem(world.unit(which), pid, "电力接入慢")


def _with_instruction(world: World, which: str, pid: UUID) -> None:
    world.container.projects.instruct(world.callers["leader"], pid, "务必年内开工")


def _instructed_by_leader(service: str) -> Given:
    """批示 on a complaint or request (the container's `service`) by the leader."""
    def given(world: World, which: str, item_id: UUID) -> None:
        getattr(world.container, service).instruct(world.callers["leader"], item_id, "请督办")
    return given


def _key_project(world: World, which: str, pid: UUID) -> None:
    world.container.projects.designate_key(world.callers["bureau"], pid, 2025, "市重点")


def _key_enterprise(world: World, which: str, eid: UUID) -> None:
    world.container.enterprises.designate_key(world.callers["bureau"], eid, 2025, "重点企业")


def _acknowledged(world: World, which: str, cid: UUID) -> None:
    world.container.complaints.acknowledge(world.unit(which), cid, ACKNOWLEDGED_ON)


def _extension_requested(world: World, which: str, cid: UUID) -> None:
    world.container.complaints.request_extension(world.unit(which), cid, "需协调多部门",
                                                 EXTENSION_UNTIL, EXTENSION_ON)


def _replied(world: World, which: str, cid: UUID) -> None:
    _acknowledged(world, which, cid)
    world.container.complaints.reply(world.unit(which), cid, "已协调审批局加快办理", REPLIED_ON)


def _called_back(world: World, which: str, cid: UUID) -> None:
    _replied(world, which, cid)
    world.container.complaints.callback(world.callers["supervisor"], cid, "satisfied",
                                        on=CALLBACK_ON)


def _answered(world: World, which: str, rid: UUID) -> None:
    world.container.requests.record_outcome(world.unit(which), rid, "resolved", on=OUTCOME_ON)


def _confirmed(world: World, which: str, rid: UUID) -> None:
    _answered(world, which, rid)
    world.container.requests.record_feedback(world.callers["bureau"], rid, "satisfied",
                                             on=FEEDBACK_ON)


def _responded_done(world: World, which: str, oid: UUID) -> None:
    world.container.orders.respond(world.unit(which), oid, "已办结", True, ORDER_RESPONDED_ON)


def _action_done(world: World, which: str, mid: UUID) -> None:
    world.container.meetings.mark_done(world.unit(which), mid, 1, "已完成", ACTION_DONE_ON)


def _opinions_given(world: World, which: str, rid: UUID) -> None:
    """Every reviewing unit approves (accounts of units the matrix has none for act as
    callers of those units)."""
    reviews = world.container.park_entry_reviews
    for unit in reviews.load(rid).reviewing_unit_codes:
        reviewer = Caller(account_id=f"matrix-{unit}", name=unit, role=Role.unit, unit=unit)
        reviews.give_opinion(reviewer, rid, "approve", on=OPINION_ON)


def _review_approved(world: World, which: str, rid: UUID) -> None:
    _opinions_given(world, which, rid)
    world.container.park_entry_reviews.decide(world.callers["park_office"], rid, "approved",
                                              "符合入园条件", on=OPINION_ON)


def _with_item(world: World, which: str, case_id: UUID) -> None:
    world.container.agency_cases.record_item(world.callers["bureau"], case_id,
                                             "project_filing", "submitted", on=ITEM_ON)


GIVEN: dict[str, Given] = {
    "signed": _signed, "under_construction": _under_construction, "terminated": _terminated,
    "with_problem": _with_problem, "with_instruction": _with_instruction,
    "key_project": _key_project, "key_enterprise": _key_enterprise,
    "acknowledged": _acknowledged,
    "extension_requested": _extension_requested, "replied": _replied,
    "called_back": _called_back, "answered": _answered, "confirmed": _confirmed,
    "responded_done": _responded_done, "action_done": _action_done,
    "opinions_given": _opinions_given, "review_approved": _review_approved,
    "with_item": _with_item,
    "complaint_instruction": _instructed_by_leader("complaints"),
    "request_instruction": _instructed_by_leader("requests"),
}
