"""代办服务: one-stop agency (一条龙代办, 柳政办〔2018〕234号) for an enterprise's project, from
filing (立项) through construction (开工) to production (投产).

An agent (代办员) takes the enterprise's permit items (审批事项, codes of a catalogue the
application keeps) through the departments. An item's status moves

    pending 待办 → submitted 已报件 → approved 已批复 | rejected 未通过 (→ submitted again)

and any unfinished item may turn out not needed (无需办理; one not needed may become pending
again). Approved is final: only a correction (`correct_item`, with its reason) changes it, or
any other status or date wrongly recorded. The case records the milestones the project
reaches, in order, and is closed with a summary; a closed case takes no more steps.

An item's clock starts the first time it is open (待办, 已报件 or 未通过) and runs, never
restarting, until it is approved or not needed: a step that makes an item open carries its
working-day Deadline (counted by the application the first time), so a stalled item joins
the supervision view.

Business dates (`on`): an item's step is not before that item's previous step, a milestone
not before the previous milestone, and nothing before the case was opened; closing is not
before any recorded step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.credit_code import require_credit_code
from domain.enterprise import Enterprise
from domain.errors import InvalidValue, RuleViolation
from domain.shared import (
    Audit,
    Deadline,
    Labelled,
    check_deadline,
    check_recomputed_deadline,
    optional_text,
    require_not_before,
    require_text,
)

_AGENT_NAMESPACE = uuid5(NAMESPACE_URL, "https://investledger/agent-cases")


class Status(Labelled):
    """Whether the agency goes on."""

    open = "open", "代办中"
    closed = "closed", "已办结"


class ItemStatus(Labelled):
    """Where one permit item (审批事项) stands."""

    pending = "pending", "待办"
    submitted = "submitted", "已报件"
    approved = "approved", "已批复"
    rejected = "rejected", "未通过"
    not_needed = "not_needed", "无需办理"


# 未办结: the item's clock runs.
OPEN_ITEM = frozenset({ItemStatus.pending, ItemStatus.submitted, ItemStatus.rejected})

# The statuses each status moves to (None: an item not yet recorded). Approved moves nowhere:
# only a correction changes it.
MOVES: dict[str | None, tuple[ItemStatus, ...]] = {
    None: (ItemStatus.pending, ItemStatus.submitted, ItemStatus.not_needed),
    ItemStatus.pending: (ItemStatus.submitted, ItemStatus.not_needed),
    ItemStatus.submitted: (ItemStatus.approved, ItemStatus.rejected, ItemStatus.not_needed),
    ItemStatus.rejected: (ItemStatus.submitted, ItemStatus.not_needed),
    ItemStatus.not_needed: (ItemStatus.pending,),
    ItemStatus.approved: (),
}


class Milestone(Labelled):
    """What the project has reached, in this order."""

    filing = "filing", "立项"
    construction = "construction", "开工"
    production = "production", "投产"


MILESTONES = list(Milestone)


Day = TypeVar("Day", date, str)  # a date, or its ISO text in a read model


def first_submission(entry: dict[str, Any], status: str, on: Day) -> Day | None:
    """An item's first submission (已报件) once its current step is corrected to `status` on
    `on`: the correction replaces the current step, so if that step was the first submission,
    the first submission is now this step (or none); `entry` holds the item's current
    `status`, `since` and `submitted_on`. The aggregate and the ledger both apply it."""
    replaced = (entry["status"] == ItemStatus.submitted
                and entry["submitted_on"] == entry["since"])
    if replaced or entry["submitted_on"] is None:
        return on if status == ItemStatus.submitted else None
    return entry["submitted_on"]  # type: ignore[no-any-return]


def _moves(status: str | None) -> str:
    allowed = MOVES[status]
    return ", ".join(f"{s.value} ({s.label})" for s in allowed) or "none"


@dataclass(frozen=True)
class CaseFacts:
    """Whose case it is: its Opened event records these fields and its state shows them as
    they stand (a reassignment changes the agent; declared once for both)."""

    enterprise_id: UUID
    credit_code: str
    project_id: UUID | None
    agent: str
    agent_name: str
    agent_unit: str | None


class AgencyCase(Aggregate):
    """代办服务: one enterprise's agency case, its permit items and milestones."""

    class Opened(Aggregate.Created, CaseFacts):
        """受理代办: an agent takes on an enterprise's (project's) permits."""

        on: date
        audit: Audit

    @event(Opened)
    def __init__(self, enterprise_id: UUID, credit_code: str, project_id: UUID | None,
                 agent: str, agent_name: str, agent_unit: str | None, on: date,
                 audit: Audit) -> None:
        self.enterprise_id = enterprise_id
        self.credit_code = credit_code
        self.project_id = project_id
        self.agent = agent
        self.agent_name = agent_name
        self.agent_unit = agent_unit
        self.agent_since = on
        self.opened_on = on
        self.status = Status.open.value
        self.items: dict[str, dict[str, Any]] = {}  # by item code, in the order recorded
        self.milestones: dict[str, date] = {}
        self.closed_on: date | None = None
        self.summary: str | None = None
        self.last_step_on = on

    @classmethod
    def open(cls, enterprise_id: UUID, credit_code: str, project_id: UUID | None,
             agent: str, agent_name: str, agent_unit: str | None, on: date,
             audit: Audit) -> AgencyCase:
        """Open an agency case (受理代办) for an enterprise, and its project if named."""
        code = require_credit_code(credit_code)
        if not isinstance(enterprise_id, UUID) or enterprise_id != Enterprise.create_id(code):
            msg = (f"enterprise_id {enterprise_id!r} is not the enterprise of credit code {code}"
                   f" / 企业与统一社会信用代码不符")
            raise InvalidValue(msg)
        if project_id is not None and not isinstance(project_id, UUID):
            msg = f"project_id must be a UUID or empty, got {project_id!r} / 项目编号格式不正确"
            raise InvalidValue(msg)
        return cls(enterprise_id=enterprise_id, credit_code=code, project_id=project_id,
                   agent=require_text(agent, "agent", limit=60),
                   agent_name=require_text(agent_name, "agent_name", limit=100),
                   agent_unit=agent_unit, on=on, audit=audit)

    # --- guards and derived state -------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status == Status.open.value

    def allowed_steps(self) -> list[str]:
        """The steps the case takes now, named as its API paths."""
        if not self.is_open:
            return []
        steps = ["items", "correct-item"] if self.items else ["items"]
        if len(self.milestones) < len(MILESTONES):
            steps.append("milestones")
        return [*steps, "reassign", "close"]

    def _require_open(self, step: str) -> None:
        if not self.is_open:
            msg = (f"cannot {step}: the agency case was closed on {self.closed_on} (已办结); "
                   f"allowed next: nothing / 代办已办结，不能再{_STEP_NAMES.get(step, '操作')}")
            raise RuleViolation(msg)

    def _item(self, item: str) -> dict[str, Any]:
        found = self.items.get(item)
        if found is None:
            msg = (f"item {item} has not been recorded on this case; record it first with "
                   f"POST …/items / 该审批事项尚未登记，请先登记")
            raise RuleViolation(msg)
        return found

    def open_items(self) -> list[dict[str, Any]]:
        """The items whose clock runs (待办, 已报件, 未通过)."""
        return [i for i in self.items.values() if i["status"] in OPEN_ITEM]

    def _due_to_start(self, entry: dict[str, Any] | None, status: str, due: Deadline,
                      on: date) -> Deadline | None:
        """The deadline a step records when it makes the item open (it was not): the one
        counted from `on` the first time, else the one it had (the clock never restarts).
        None when the item stays open or is done."""
        if status not in OPEN_ITEM or (entry is not None and entry["status"] in OPEN_ITEM):
            return None
        if entry is not None and entry["due"] is not None:
            return entry["due"]  # type: ignore[no-any-return]
        return check_deadline(due, on, "due")

    # --- permit items ---------------------------------------------------------------------

    def record_item(self, item: str, name: str, status: str, note: str | None, due: Deadline,
                    on: date, audit: Audit) -> None:
        """Record an item's next status (登记审批事项进展): a move `MOVES` allows, on a date
        not before the item's previous step. `name` is what the catalogue calls the item now
        (kept for display); `due` is the deadline counted from `on`, kept when the item's
        clock starts now."""
        self._require_open("record an item")
        code = require_text(item, "item", limit=60)
        wanted = ItemStatus.require(status, "status")
        entry = self.items.get(code)
        current = entry["status"] if entry else None
        if wanted not in MOVES[current]:
            where = (f"is {current} ({ItemStatus(current).label})" if current
                     else "is not recorded yet")
            msg = (f"item {code} {where}; it cannot move to {wanted.value} ({wanted.label}); "
                   f"allowed next: {_moves(current)}"
                   + ("; an approval is final unless corrected (POST …/correct-item)"
                      if current == ItemStatus.approved else "")
                   + f" / 该事项不能从当前状态改为{wanted.label}")
            raise RuleViolation(msg)
        require_not_before(on, entry["since"] if entry else self.opened_on, "item date",
                           "item's previous step" if entry else "case's opening date",
                           ("事项日期", "该事项上一步日期" if entry else "受理代办日期"))
        self._item_recorded(item=code, name=require_text(name, "name", limit=100),
                            status=wanted.value, note=optional_text(note, "note"),
                            due=self._due_to_start(entry, wanted, due, on), on=on,
                            audit=audit)

    class ItemRecorded(Aggregate.Event):
        """审批事项进展: an item reaches a status."""

        item: str
        name: str
        status: str
        note: str | None
        due: Deadline | None
        on: date
        audit: Audit

    @event(ItemRecorded)
    def _item_recorded(self, item: str, name: str, status: str, note: str | None,
                       due: Deadline | None, on: date, audit: Audit) -> None:
        entry = self.items.setdefault(item, {
            "item": item, "name": name, "status": None, "recorded_on": on, "submitted_on": None,
            "approved_on": None, "since": on, "due": None, "note": None, "steps": []})
        if status == ItemStatus.submitted and entry["submitted_on"] is None:
            entry["submitted_on"] = on
        entry.update(name=name, status=status, since=on, note=note,
                     approved_on=on if status == ItemStatus.approved else None)
        if due is not None:
            entry["due"] = due
        entry["steps"].append({"status": status, "on": on, "note": note, "correction": None})
        self.last_step_on = max(self.last_step_on, on)

    def correct_item(self, item: str, status: str, reason: str, due: Deadline, on: date,
                     audit: Audit) -> None:
        """Correct an item's status or its date (更正), with the reason: `on` is the day the
        item really reached `status` (not before the case was opened; an earlier day than
        the item's first record moves that record)."""
        self._require_open("correct an item")
        entry = self._item(require_text(item, "item", limit=60))
        wanted = ItemStatus.require(status, "status")
        why = require_text(reason, "reason")
        if (wanted.value, on) == (entry["status"], entry["since"]):
            msg = (f"item {entry['item']} is already {wanted.value} ({wanted.label}) since "
                   f"{on}; the correction changes nothing / 更正内容与现状相同")
            raise RuleViolation(msg)
        require_not_before(on, self.opened_on, "corrected date", "case's opening date",
                           ("更正日期", "受理代办日期"))
        self._item_corrected(item=entry["item"], name=entry["name"], status=wanted.value,
                             previous=entry["status"],
                             reason=why, due=self._due_to_start(entry, wanted, due, on),
                             on=on, audit=audit)

    class ItemCorrected(Aggregate.Event):
        """更正审批事项: an item's status or date was wrongly recorded."""

        item: str
        name: str
        status: str
        previous: str
        reason: str
        due: Deadline | None
        on: date
        audit: Audit

    @event(ItemCorrected)
    def _item_corrected(self, item: str, name: str, status: str, previous: str, reason: str,
                        due: Deadline | None, on: date, audit: Audit) -> None:
        entry = self.items[item]
        entry["submitted_on"] = first_submission(entry, status, on)
        entry.update(status=status, since=on, recorded_on=min(entry["recorded_on"], on),
                     approved_on=on if status == ItemStatus.approved else None)
        if due is not None:
            entry["due"] = due
        entry["steps"].append({"status": status, "on": on, "note": None, "correction": reason})
        self.last_step_on = max(self.last_step_on, on)

    def recompute_item_due(self, item: str, deadline: Deadline, on: date,
                           audit: Audit) -> None:
        """Replace an open item's provisional deadline once its year's official calendar is
        configured. Not a handling step: dates of later entries (补录) are not constrained."""
        self._require_open("recompute a deadline")
        entry = self._item(item)
        current = entry["due"]
        if current is None or entry["status"] not in OPEN_ITEM:
            msg = f"item {item} has no running deadline to recompute / 该事项无在途期限"
            raise RuleViolation(msg)
        check_recomputed_deadline(deadline, current, "deadline")
        self._item_due_recomputed(item=item, deadline=deadline, previous_due=current, on=on,
                                  audit=audit)

    class ItemDueRecomputed(Aggregate.Event):
        """重算办理期限: a provisional item deadline counted again on the official calendar."""

        item: str
        deadline: Deadline
        previous_due: Deadline
        on: date
        audit: Audit

    @event(ItemDueRecomputed)
    def _item_due_recomputed(self, item: str, deadline: Deadline, previous_due: Deadline,
                             on: date, audit: Audit) -> None:
        self.items[item]["due"] = deadline

    # --- milestones, agent, closing ------------------------------------------------------

    def reach_milestone(self, milestone: str, on: date, audit: Audit) -> None:
        """The project reaches a milestone (立项 → 开工 → 投产), each once and in order."""
        self._require_open("record a milestone")
        wanted = Milestone.require(milestone, "milestone")
        if wanted in self.milestones:
            msg = (f"milestone {wanted.value} ({wanted.label}) was already reached on "
                   f"{self.milestones[wanted]} / 该节点已记录")
            raise RuleViolation(msg)
        index = MILESTONES.index(wanted)
        before = MILESTONES[index - 1] if index else None
        if before is not None and before not in self.milestones:
            msg = (f"record {before.value} ({before.label}) before {wanted.value} "
                   f"({wanted.label}); milestones are reached in the order "
                   f"{' → '.join(m.label for m in MILESTONES)} / 请先记录{before.label}")
            raise RuleViolation(msg)
        previous = self.milestones[before] if before else self.opened_on
        require_not_before(on, previous, "milestone date",
                           f"{before.value} date" if before else "case's opening date",
                           ("节点日期", f"{before.label}日期" if before else "受理代办日期"))
        self._milestone_reached(milestone=wanted.value, on=on, audit=audit)

    class MilestoneReached(Aggregate.Event):
        """项目节点: the project reaches filing, construction or production."""

        milestone: str
        on: date
        audit: Audit

    @event(MilestoneReached)
    def _milestone_reached(self, milestone: str, on: date, audit: Audit) -> None:
        self.milestones[milestone] = on
        self.last_step_on = max(self.last_step_on, on)

    def reassign(self, agent: str, agent_name: str, agent_unit: str | None, reason: str,
                 on: date, audit: Audit) -> None:
        """Hand the case to another agent (更换代办员), with the reason."""
        self._require_open("reassign the case")
        new = require_text(agent, "agent", limit=60)
        if new == self.agent:
            msg = f"{self.agent_name} is already the agent of this case / 该代办员已负责本案"
            raise RuleViolation(msg)
        why = require_text(reason, "reason")
        require_not_before(on, self.agent_since, "reassignment date",
                           "date the current agent took the case",
                           ("更换日期", "现任代办员接手日期"))
        self._agent_reassigned(agent=new, agent_name=require_text(agent_name, "agent_name",
                                                                  limit=100),
                               agent_unit=agent_unit, previous=self.agent, reason=why, on=on,
                               audit=audit)

    class AgentReassigned(Aggregate.Event):
        """更换代办员: another agent takes the case."""

        agent: str
        agent_name: str
        agent_unit: str | None
        previous: str
        reason: str
        on: date
        audit: Audit

    @event(AgentReassigned)
    def _agent_reassigned(self, agent: str, agent_name: str, agent_unit: str | None,
                          previous: str, reason: str, on: date, audit: Audit) -> None:
        self.agent = agent
        self.agent_name = agent_name
        self.agent_unit = agent_unit
        self.agent_since = on
        self.last_step_on = max(self.last_step_on, on)

    def close(self, summary: str, on: date, audit: Audit) -> None:
        """Close the case (代办办结) with a summary of what the agency achieved."""
        self._require_open("close the case")
        text = require_text(summary, "summary")
        require_not_before(on, self.last_step_on, "closing date", "last recorded step",
                           ("办结日期", "最近一步的日期"))
        self._closed(summary=text, on=on, audit=audit)

    class Closed(Aggregate.Event):
        """代办办结: the agency ends, with its summary."""

        summary: str
        on: date
        audit: Audit

    @event(Closed)
    def _closed(self, summary: str, on: date, audit: Audit) -> None:
        self.status = Status.closed.value
        self.closed_on = on
        self.summary = summary


_STEP_NAMES = {"record an item": "登记事项", "correct an item": "更正事项",
               "recompute a deadline": "重算期限", "record a milestone": "记录节点",
               "reassign the case": "更换代办员", "close the case": "办结"}

EVENT_LABELS = {
    "Opened": "受理代办",
    "ItemRecorded": "审批事项进展",
    "ItemCorrected": "更正审批事项",
    "ItemDueRecomputed": "重算办理期限",
    "MilestoneReached": "项目节点",
    "AgentReassigned": "更换代办员",
    "Closed": "代办办结",
}


class AgentCases(Aggregate):
    """代办员名下: the agency cases an agent handles and the enterprises and projects they
    name — what the agent may read of them. Saved with every case step that changes them, so
    what an agent may read follows its cases at once."""

    @staticmethod
    def create_id(agent: str) -> UUID:
        return uuid5(_AGENT_NAMESPACE, agent)

    class Started(Aggregate.Created):
        """An agent's first case."""

        agent: str

    @event(Started)
    def __init__(self, agent: str) -> None:
        self.agent = agent
        self.cases: dict[str, list[str]] = {}  # case id → the enterprise and project it names

    def take(self, case: AgencyCase, audit: Audit) -> None:
        self._case_taken(case_id=case.id, enterprise_id=case.enterprise_id,
                         project_id=case.project_id, audit=audit)

    class CaseTaken(Aggregate.Event):
        """The agent takes a case."""

        case_id: UUID
        enterprise_id: UUID
        project_id: UUID | None
        audit: Audit

    @event(CaseTaken)
    def _case_taken(self, case_id: UUID, enterprise_id: UUID, project_id: UUID | None,
                    audit: Audit) -> None:
        self.cases[str(case_id)] = [str(i) for i in (enterprise_id, project_id) if i]

    def hand_over(self, case: AgencyCase, audit: Audit) -> None:
        if str(case.id) in self.cases:
            self._case_handed_over(case_id=case.id, audit=audit)

    class CaseHandedOver(Aggregate.Event):
        """The case goes to another agent."""

        case_id: UUID
        audit: Audit

    @event(CaseHandedOver)
    def _case_handed_over(self, case_id: UUID, audit: Audit) -> None:
        self.cases.pop(str(case_id), None)

    def named(self) -> frozenset[str]:
        """Ids of the enterprises and projects the agent's cases name."""
        return frozenset(i for ids in self.cases.values() for i in ids)
