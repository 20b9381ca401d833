"""Use cases of agency cases (代办服务): open, permit items, milestones, hand over, close,
and the agency statistics (application/agency_stats.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application import agency_stats, policy
from application.agency_index import agent_cases
from application.agency_items import AgencyItems
from application.cases import CaseService, Context, Result, state_of
from application.context import Caller
from application.enterprises import enterprise_by_code
from application.errors import NotFound
from application.queries import LedgerQuery, Param, Reads, codes, day, integer, words
from domain.account import Account
from domain.agency_case import (
    EVENT_LABELS,
    MILESTONES,
    OPEN_ITEM,
    AgencyCase,
    CaseFacts,
    Status,
)
from domain.calendar import Deadline
from domain.credit_code import normalize_credit_code
from domain.enterprise import Enterprise
from domain.errors import InvalidValue
from domain.project import Project, Stage
from domain.shared import Role

DEADLINE = "agency_item"  # LEDGER_AGENCY_ITEM_DAYS


@dataclass(frozen=True)
class AgencyCaseState(CaseFacts):
    """Current state of one agency case, as clients read it: whose case it is, then where
    it stands."""

    id: UUID
    version: int
    agent_since: date
    opened_on: date
    status: str
    items: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    closed_on: date | None
    summary: str | None
    allowed_steps: list[str]
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, case: AgencyCase, catalogue: AgencyItems, today: date) -> AgencyCaseState:
        items = sorted(case.items.values(), key=lambda i: catalogue.order(i["item"]))
        return state_of(
            cls, case,
            items=[{**i, "name": catalogue.name(i["item"], i["name"]),
                    "steps": list(i["steps"]), "overdue": case.is_open
                    and i["status"] in OPEN_ITEM and i["due"] is not None
                    and i["due"].due < today} for i in items],
            milestones=[{"milestone": m.value, "on": case.milestones[m]}
                        for m in MILESTONES if m in case.milestones])


AgencyResult = Result[AgencyCaseState]


LEDGER = LedgerQuery("agency-cases", "agency_case.read", {
    "agent": words("代办员: the agent's account id"),
    "enterprise": Param("The enterprise, by credit code (one or a comma list)",
                        normalize_credit_code, many=True),
    "project": Param("The investment project (its id)", lambda raw: str(UUID(raw)),
                     {"type": "string", "format": "uuid", "description": "a project id"}),
    "status": codes(Status, "状态 status"),
    "from": day("Active on or after this day: not closed before it"),
    "to": day("Active on or before this day: opened on or before it"),
    "pending_over": integer("Cases with a permit item still open (待办, 已报件 or 未通过) more "
                            "than N working days after it was first open", 0, 1000),
}, dated=True, periods=(("from", "to"),), ages=("pending_over",))


class AgencyService(CaseService[AgencyCase, AgencyCaseState]):
    """Every use case of the agency context (代办服务)."""

    created_event = AgencyCase.Opened
    kind = "agency_case"
    event_labels = EVENT_LABELS

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.catalogue = AgencyItems.load(context.settings.agency_items_file)

    def state(self, caller: Caller, item: AgencyCase) -> AgencyCaseState:
        return AgencyCaseState.of(item, self.catalogue, self.clock.today())

    # --- opening -----------------------------------------------------------------------

    def open_case(self, caller: Caller, credit_code: str | None = None,
                  enterprise_id: UUID | None = None, project_id: UUID | None = None,
                  agent: str | None = None, opened_on: date | None = None) -> AgencyResult:
        """受理代办: bureau staff open a case for an agent; an agent opens its own."""
        self.authorize(caller, "open")
        account = self._agent_for(caller, agent)
        enterprise = self._enterprise(credit_code, enterprise_id)
        if project_id is not None:
            self._require_project(project_id)
        case = AgencyCase.open(enterprise.id, enterprise.credit_code, project_id,
                               str(account.id), account.name, account.unit,
                               self.day(opened_on, "opened_on"), caller.audit())
        index = agent_cases(self.store, case.agent)
        index.take(case, caller.audit())
        return self.saved(caller, case, also=[index])

    def _agent_for(self, caller: Caller, agent: str | None) -> Account:
        """The agent who takes a case: the caller itself when it is an agent (another agent
        is refused), else the active agent account named (required)."""
        if caller.role == Role.agent:
            if agent is not None and agent.strip() != caller.account_id:
                raise policy.deny(caller, "open an agency case for another agent; an agent "
                                  "opens its own")
            return self.active_account(caller.account_id, Role.agent, "agent")
        if agent is None:
            msg = ("agent is required: the account id of the agent (代办员) who takes the case"
                   " / 须指定承办的代办员账号")
            raise InvalidValue(msg)
        return self.active_account(agent, Role.agent, "agent")

    def _enterprise(self, credit_code: str | None, enterprise_id: UUID | None) -> Enterprise:
        """The registered enterprise named by exactly one of its credit code or its id."""
        if (credit_code is None) == (enterprise_id is None):
            msg = ("give exactly one of credit_code or enterprise_id / "
                   "统一社会信用代码与企业编号须且只须填写一项")
            raise InvalidValue(msg)
        try:
            if credit_code is not None:
                return enterprise_by_code(self.store, credit_code)
            return self.store.load(Enterprise, enterprise_id)  # type: ignore[arg-type]
        except NotFound as exc:
            msg = f"{exc}; register the enterprise first / 请先登记企业"
            raise InvalidValue(msg) from None

    def _require_project(self, project_id: UUID) -> None:
        try:
            project = self.store.load(Project, project_id)
        except NotFound:
            msg = f"project_id: no project with id {project_id} / 项目不存在"
            raise InvalidValue(msg) from None
        if project.stage == Stage.terminated:
            msg = (f"project_id: project {project_id} is terminated (终止); an agency case "
                   "serves a live project / 项目已终止，不能受理代办")
            raise InvalidValue(msg)

    # --- handling ------------------------------------------------------------------------

    def record_item(self, caller: Caller, case_id: UUID, item: str, status: str,
                    note: str | None = None, on: date | None = None,
                    expected_version: int | None = None) -> AgencyResult:
        """审批事项进展: the item's next status; its clock starts the first time it is open."""
        case = self.load_for(caller, "handle", case_id, expected_version)
        code = self.catalogue.require(item)
        day = self.day(on)
        case.record_item(code, self.catalogue.name(code), status, note,
                         self.deadline(DEADLINE, day), day, caller.audit())
        return self.saved(caller, case)

    def correct_item(self, caller: Caller, case_id: UUID, item: str, status: str,
                     reason: str, on: date | None = None,
                     expected_version: int | None = None) -> AgencyResult:
        """更正: an item's status or date wrongly recorded (an approval included)."""
        case = self.load_for(caller, "handle", case_id, expected_version)
        day = self.day(on)
        case.correct_item(item, status, reason, self.deadline(DEADLINE, day), day,
                          caller.audit())
        return self.saved(caller, case)

    def reach_milestone(self, caller: Caller, case_id: UUID, milestone: str,
                        on: date | None = None,
                        expected_version: int | None = None) -> AgencyResult:
        case = self.load_for(caller, "handle", case_id, expected_version)
        case.reach_milestone(milestone, self.day(on), caller.audit())
        return self.saved(caller, case)

    def reassign(self, caller: Caller, case_id: UUID, agent: str, reason: str,
                 on: date | None = None, expected_version: int | None = None) -> AgencyResult:
        """更换代办员: what the agents may read follows the case to the new one."""
        case = self.load_for(caller, "reassign", case_id, expected_version)
        account = self.active_account(agent, Role.agent, "agent")
        before = agent_cases(self.store, case.agent)
        case.reassign(str(account.id), account.name, account.unit, reason, self.day(on),
                      caller.audit())
        before.hand_over(case, caller.audit())
        after = agent_cases(self.store, case.agent)
        after.take(case, caller.audit())
        return self.saved(caller, case, also=[before, after])

    def close(self, caller: Caller, case_id: UUID, summary: str, on: date | None = None,
              expected_version: int | None = None) -> AgencyResult:
        case = self.load_for(caller, "close", case_id, expected_version)
        case.close(summary, self.day(on), caller.audit())
        return self.saved(caller, case)

    # --- statistics ----------------------------------------------------------------------

    def stats(self, caller: Caller, given: Any, reads: Reads | None = None) -> dict[str, Any]:
        """GET /stats/agency: see application/agency_stats.py; `reads`: another read side
        than the live one (an as-of read's)."""
        return agency_stats.report(reads or self.context.reads, self.calendar, self.catalogue,
                                   caller, given)

    # --- calendar ------------------------------------------------------------------------

    def provisional_deadlines(self, item: AgencyCase) -> list[tuple[Any, Deadline]]:
        if not item.is_open:
            return []
        return [(i["item"], i["due"]) for i in item.open_items()
                if i["due"] is not None and i["due"].provisional]

    def recompute_deadline(self, caller: Caller, item: AgencyCase, key: Any,
                           fresh: Deadline) -> None:
        item.recompute_item_due(key, fresh, self.clock.today(), caller.audit())

