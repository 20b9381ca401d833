"""招商项目: an investment project, from negotiation (在谈) to production (投产)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue, RuleViolation
from domain.instructions import Instructed
from domain.key_list import (
    KEY_PROJECTS,
    UNRECORDED,
    Designated,
    Dropped,
    designated,
    dropped,
)
from domain.project_values import (
    CORRECTABLE,
    EVENT_LABELS,
    NEXT_STEP,
    OPEN_STAGES,
    PERIOD_PATTERN,
    REVISABLE,
    Correctable,
    ItemKind,
    ProjectDetails,
    ProjectFields,
    Stage,
    StageDate,
)
from domain.shared import (
    Audit,
    Correction,
    Deadline,
    NumberedItemAdded,
    Revised,
    check_correction,
    check_deadline,
    check_recomputed_deadline,
    check_revision,
    corrected,
    optional_text,
    require_amount,
    require_changes,
    require_not_before,
    require_text,
    revised,
    zh,
)

__all__ = ["EVENT_LABELS", "Correctable", "ItemKind", "Project", "ProjectDetails", "Stage"]


class Project(Instructed, Aggregate):
    """招商项目: an investment project and every step of its handling.

    Version 2 of the state gave problems and instructions a `due` date, version 3 the
    Deadline it came from (snapshots taken before carry none), version 4 each instruction
    the list of its `answers`."""

    class_version = 4
    # 园区: the park a project is placed in (`park_id`) and the park-entry review it was
    # registered under (入园登记). Class defaults, so projects recorded before parks, and
    # their snapshots, read as placed in no park.
    park_id: UUID | None = None
    park_review_id: UUID | None = None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        for item in (*state.get("problems", ()), *state.get("instructions", ())):
            item.setdefault("due", None)

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        # Version 3 keeps the whole Deadline (start, working days, provisional) beside `due`.
        for item in (*state.get("problems", ()), *state.get("instructions", ())):
            item.setdefault("deadline", None)

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        # Version 3 kept one answer per instruction (the last given): it becomes the list.
        for item in state.get("instructions", ()):
            answered = item.get("answered_on") is not None
            item.setdefault("answers", [{"text": item.get("answer"), "on": item["answered_on"],
                                         "by": None, "unit": None}] if answered else [])

    class Registered(Aggregate.Created, ProjectFields):
        """登记在谈: the project is registered, negotiating."""

        on: date
        audit: Audit

    @event(Registered)
    def __init__(
        self,
        name: str,
        investor: str,
        industry: str,
        total_investment: Decimal,
        county: str,
        responsible_unit: str,
        park: str | None,
        origin: str | None,
        liaison_leader: str | None,
        planned_sign: date | None,
        planned_start: date | None,
        planned_production: date | None,
        on: date,
        audit: Audit,
    ) -> None:
        self.name = name
        self.investor = investor
        self.industry = industry
        self.total_investment = total_investment
        self.county = county
        self.responsible_unit = responsible_unit
        self.park = park
        self.origin = origin
        self.liaison_leader = liaison_leader
        self.planned_sign = planned_sign
        self.planned_start = planned_start
        self.planned_production = planned_production
        self.registered_on = on
        self.stage = Stage.negotiating.value
        self.sign_date: date | None = None
        self.contract_amount: Decimal | None = None
        self.construction_date: date | None = None
        self.production_date: date | None = None
        self.terminated_on: date | None = None
        self.termination_reason: str | None = None
        self.funds_in_place = Decimal("0.0000")
        self.latest_progress: str | None = None
        self.latest_progress_period: str | None = None
        self.latest_progress_on: date | None = None
        self.problems: list[dict[str, Any]] = []
        self.instructions: list[dict[str, Any]] = []
        self.comment_count = 0
        self.key_years: list[int] = []

    @classmethod
    def register(cls, details: ProjectDetails, on: date, audit: Audit) -> Project:
        d = details.checked()
        return cls(
            name=d.name, investor=d.investor, industry=d.industry,
            total_investment=d.total_investment, county=d.county,
            responsible_unit=d.responsible_unit, park=d.park, origin=d.origin,
            liaison_leader=d.liaison_leader, planned_sign=d.planned_sign,
            planned_start=d.planned_start, planned_production=d.planned_production,
            on=on, audit=audit,
        )

    # --- guards -------------------------------------------------------------------------

    @property
    def current_stage(self) -> Stage:
        return Stage(self.stage)

    def allowed_steps(self) -> list[str]:
        """The steps the project takes now, named as its API paths (numbered steps by their
        collection: `problems/resolve` when a problem is open)."""
        # Only a project that has signed has a stage fact to correct (更正).
        correct = ["correct"] if self.sign_date is not None else []
        if self.current_stage is Stage.terminated:
            return ["comment", "revoke-termination", *correct]
        stage_step = {Stage.negotiating: "sign", Stage.signed: "start-construction",
                      Stage.under_construction: "start-production"}.get(self.current_stage)
        steps = ["revise", *([stage_step, "terminate"] if stage_step else []), "reassign",
                 "report-progress", "raise-problem", "comment", "instruct", "designate-key"]
        if self.key_years:
            steps.append("drop-key")
        if any(p["resolved_on"] is None for p in self.problems):
            steps.append("problems/resolve")
        return [*steps, *self.instruction_steps(), *correct]

    def _refuse_if_terminated(self, step: str) -> None:
        if self.current_stage is Stage.terminated:
            msg = (f"project is terminated (终止); cannot {step}, only comments, corrections "
                   "(更正) and revoke-termination are allowed")
            raise RuleViolation(msg)

    def _require_stage(self, expected: Stage, step: str) -> None:
        if self.current_stage is not expected:
            stage = self.current_stage
            msg = (
                f"cannot {step}: project is {stage} ({stage.label}), "
                f"expected {expected} ({expected.label}); allowed next: {NEXT_STEP[stage]} / "
                f"项目当前为{stage.label}阶段，须为{expected.label}阶段才能进行此操作"
            )
            raise RuleViolation(msg)

    # --- stage commands -----------------------------------------------------------------

    def sign(self, date: date, contract_amount: Decimal, audit: Audit) -> None:
        self._require_stage(Stage.negotiating, "sign")
        require_not_before(date, self.registered_on, "sign date", "registration date")
        self._signed(date=date, contract_amount=require_amount(contract_amount,
                                                               "contract_amount"), audit=audit)

    class Signed(Aggregate.Event):
        """签约."""

        date: date
        contract_amount: Decimal
        audit: Audit

    @event(Signed)
    def _signed(self, date: date, contract_amount: Decimal, audit: Audit) -> None:
        self.stage = Stage.signed.value
        self.sign_date = date
        self.contract_amount = contract_amount

    def start_construction(self, date: date, audit: Audit) -> None:
        self._require_stage(Stage.signed, "start construction")
        require_not_before(date, self.sign_date, "construction date", "sign date")
        self._construction_started(date=date, audit=audit)

    class ConstructionStarted(Aggregate.Event):
        """开工."""

        date: date
        audit: Audit

    @event(ConstructionStarted)
    def _construction_started(self, date: date, audit: Audit) -> None:
        self.stage = Stage.under_construction.value
        self.construction_date = date

    def start_production(self, date: date, audit: Audit) -> None:
        self._require_stage(Stage.under_construction, "start production")
        require_not_before(date, self.construction_date, "production date", "construction date")
        self._production_started(date=date, audit=audit)

    class ProductionStarted(Aggregate.Event):
        """投产."""

        date: date
        audit: Audit

    @event(ProductionStarted)
    def _production_started(self, date: date, audit: Audit) -> None:
        self.stage = Stage.in_production.value
        self.production_date = date

    def terminate(self, reason: str, on: date, audit: Audit) -> None:
        if self.current_stage not in OPEN_STAGES:
            stage = self.current_stage
            msg = (f"cannot terminate: project is {stage} ({stage.label}); "
                   "only negotiating, signed or under-construction projects can be terminated / "
                   f"项目当前为{stage.label}阶段，只有在谈、签约或开工的项目可以终止")
            raise RuleViolation(msg)
        require_not_before(on, self._last_stage_date(), "termination date", "last stage date")
        self._terminated(reason=require_text(reason, "reason"), on=on, audit=audit)

    class Terminated(Aggregate.Event):
        """终止, with its reason."""

        reason: str
        on: date
        audit: Audit

    @event(Terminated)
    def _terminated(self, reason: str, on: date, audit: Audit) -> None:
        self.stage = Stage.terminated.value
        self.terminated_on = on
        self.termination_reason = reason

    def _last_stage_date(self) -> date:
        return self.construction_date or self.sign_date or self.registered_on

    # --- corrections (更正) --------------------------------------------------------------

    def correct(self, field: str, value: Any, reason: str, on: date, audit: Audit) -> None:
        """更正: put right a stage date or the contract amount recorded wrongly, by the rules
        that first recorded it. Only a stage reached has a date to correct, and the stages
        keep their order: a corrected date neither precedes the stage before it nor follows
        the stage after it (or the termination)."""
        reason = require_text(reason, "reason")
        which, checked, previous = check_correction(self, Correctable, CORRECTABLE, field, value)
        if previous is None:
            stage = self.current_stage
            msg = (f"cannot correct {which} ({which.label}): project is {stage} ({stage.label})"
                   f" and has none yet / 项目尚无{which.label}，无从更正")
            raise RuleViolation(msg)
        if isinstance(checked, date):
            self._keep_stage_order(StageDate(which), checked)
        self._not_before_registration(on, "correction date")
        self._corrected(field=which.value, value=checked, previous=previous, reason=reason,
                        on=on, audit=audit)

    class Corrected(Correction):
        """更正: a stage date or the contract amount put right, with the value it replaces."""

    _corrected = event(Corrected)(corrected)

    def _keep_stage_order(self, which: StageDate, day: date) -> None:
        """Refuse a stage date that would leave the stage order (登记 ≤ 签约 ≤ 开工 ≤ 投产,
        the termination after the last stage reached)."""
        dates = [(d, getattr(self, d)) for d in StageDate if getattr(self, d) is not None]
        at = [d for d, _ in dates].index(which)
        before, earlier = dates[at - 1]
        after, later = dates[at + 1] if at + 1 < len(dates) else (None, None)
        if day < earlier:
            side, bound, bound_day, word = "precede", before, earlier, "早于"
        elif after is not None and later is not None and day > later:
            side, bound, bound_day, word = "follow", after, later, "晚于"
        else:
            return
        msg = (f"{which} ({which.label}) cannot be corrected to {day.isoformat()}: it would "
               f"{side} the {bound} ({bound.label}) {bound_day.isoformat()}; the stages keep "
               f"their order / 更正后的{which.label}不能{word}{bound.label}")
        raise RuleViolation(msg)

    def revoke_termination(self, reason: str, on: date, audit: Audit) -> None:
        """撤销终止: undo a termination recorded by mistake. The project goes back to the
        stage it left, with its open problems and unanswered instructions, whose deadlines
        run again as they were."""
        reason = require_text(reason, "reason")
        if self.current_stage is not Stage.terminated or self.terminated_on is None:
            stage = self.current_stage
            msg = (f"cannot revoke the termination: project is {stage} ({stage.label}), not "
                   f"terminated (终止) / 项目未终止，无可撤销")
            raise RuleViolation(msg)
        require_not_before(on, self.terminated_on, "revocation date", "termination date")
        self._termination_revoked(reason=reason, stage=self._stage_left().value,
                                  terminated_on=self.terminated_on,
                                  open_items=self.running_items(), on=on, audit=audit)

    class TerminationRevoked(Aggregate.Event):
        """撤销终止: a termination recorded by mistake is undone; the project is back at the
        stage it left (`stage`). `open_items` are the open problems and unanswered
        instructions that run a deadline again (kind, number, text, on, deadline), so views
        that dropped them at the termination can list them again."""

        reason: str
        stage: str
        terminated_on: date
        open_items: list[dict[str, Any]]
        on: date
        audit: Audit

    @event(TerminationRevoked)
    def _termination_revoked(self, reason: str, stage: str, terminated_on: date,
                             open_items: list[dict[str, Any]], on: date, audit: Audit) -> None:
        self.stage = stage
        self.terminated_on = None
        self.termination_reason = None

    def _stage_left(self) -> Stage:
        """The stage a terminated project was at: the last one whose date it has (a project
        in production cannot be terminated)."""
        if self.construction_date is not None:
            return Stage.under_construction
        return Stage.signed if self.sign_date is not None else Stage.negotiating

    # --- details and handling -----------------------------------------------------------

    def revise(self, changes: dict[str, Any], reason: str | None, on: date, audit: Audit) -> None:
        self._refuse_if_terminated("revise details")
        self._refuse_park_revision(changes)
        actual = require_changes(self, check_revision(changes, REVISABLE))
        self._not_before_registration(on, "revision date")
        self._revised(changes=actual, reason=optional_text(reason, "reason"), on=on, audit=audit)

    class DetailsRevised(Revised):
        """修改项目信息: only the fields that changed, with their new values."""

    _revised = event(DetailsRevised)(revised)

    def reassign(self, unit: str, reason: str, on: date, audit: Audit) -> None:
        self._refuse_if_terminated("reassign the responsible unit")
        unit = require_text(unit, "unit", limit=40)
        if unit == self.responsible_unit:
            msg = f"{unit} is already the responsible unit / 已是责任单位"
            raise RuleViolation(msg)
        self._not_before_registration(on, "reassignment date")
        self._reassigned(unit=unit, previous_unit=self.responsible_unit,
                         reason=require_text(reason, "reason"), on=on, audit=audit)

    class UnitReassigned(Aggregate.Event):
        """调整责任单位."""

        unit: str
        previous_unit: str
        reason: str
        on: date
        audit: Audit

    @event(UnitReassigned)
    def _reassigned(self, unit: str, previous_unit: str, reason: str, on: date,
                    audit: Audit) -> None:
        self.responsible_unit = unit

    def report_progress(self, period: str, text: str, funds_in_place: Decimal | None,
                        on: date, audit: Audit) -> None:
        self._refuse_if_terminated("report progress")
        period = require_text(period, "period", limit=10)
        if not PERIOD_PATTERN.match(period):
            msg = ("period must look like 2026, 2026-07, 2026-Q3, 2026-H1 or 2026-W27, "
                   f"got {period!r} / 报送期须形如2026、2026-07、2026-Q3、2026-H1或2026-W27")
            raise InvalidValue(msg)
        self._not_before_registration(on, "report date")
        funds = None if funds_in_place is None else require_amount(funds_in_place,
                                                                  "funds_in_place")
        self._progress_reported(period=period, text=require_text(text, "text"),
                                funds_in_place=funds, on=on, audit=audit)

    class ProgressReported(Aggregate.Event):
        """信息报送 for a period; funds in place (到位资金) when the report gives them."""

        period: str
        text: str
        funds_in_place: Decimal | None
        on: date
        audit: Audit

    @event(ProgressReported)
    def _progress_reported(self, period: str, text: str, funds_in_place: Decimal | None,
                           on: date, audit: Audit) -> None:
        self.latest_progress = text
        self.latest_progress_period = period
        self.latest_progress_on = on
        if funds_in_place is not None:
            self.funds_in_place = funds_in_place

    def raise_problem(self, text: str, on: date, audit: Audit, due: Deadline | None = None
                      ) -> int:
        number, text = self._new_item(ItemKind.problem, text, on, due, "raise a problem",
                                      "date raised")
        self._problem_raised(number=number, text=text, on=on, due=due, audit=audit)
        return number

    class ProblemRaised(NumberedItemAdded):
        """存在问题 raised, with the working-day deadline to resolve it."""

    @event(ProblemRaised)
    def _problem_raised(self, number: int, text: str, on: date, due: Deadline | None,
                        audit: Audit) -> None:
        self.problems.append({"number": number, "text": text, "raised_on": on,
                              "due": due.due if due else None, "deadline": due,
                              "resolved_on": None,
                              "resolution": None})

    def resolve_problem(self, number: int, resolution: str, on: date, audit: Audit) -> None:
        self._refuse_if_terminated("resolve a problem")
        problem = self._numbered(self.problems, number, "problem")
        if problem["resolved_on"] is not None:
            msg = (f"problem #{number} was already resolved on {problem['resolved_on']} / "
                   f"第{number}个问题已于{problem['resolved_on']}解决")
            raise RuleViolation(msg)
        require_not_before(on, problem["raised_on"], "resolution date", "date raised")
        self._problem_resolved(number=number, resolution=require_text(resolution, "resolution"),
                               on=on, audit=audit)

    class ProblemResolved(Aggregate.Event):
        """问题解决."""

        number: int
        resolution: str
        on: date
        audit: Audit

    @event(ProblemResolved)
    def _problem_resolved(self, number: int, resolution: str, on: date, audit: Audit) -> None:
        problem = self.problems[number - 1]
        problem["resolved_on"] = on
        problem["resolution"] = resolution

    def comment(self, text: str, on: date, audit: Audit) -> None:
        self._not_before_registration(on, "comment date")
        self._commented(text=require_text(text, "text"), on=on, audit=audit)

    class Commented(Aggregate.Event):
        """沟通留言."""

        text: str
        on: date
        audit: Audit

    @event(Commented)
    def _commented(self, text: str, on: date, audit: Audit) -> None:
        self.comment_count += 1

    # --- leaders' instructions (批示): domain.instructions ----------------------------------

    noun = "project"

    def _check_instruction(self, step: str, on: date | None) -> None:
        self._refuse_if_terminated(step)
        if on is not None:
            self._not_before_registration(on, "instruction date")

    def designate_key(self, year: int, reason: str, on: date, audit: Audit) -> None:
        self._refuse_if_terminated("designate it a key project")
        KEY_PROJECTS.check_designation(self.key_years, year)
        self._key_designated(year=year, reason=require_text(reason, "reason"), on=on,
                             audit=audit)

    class KeyProjectDesignated(Designated):
        """列入重点项目清单 for a year, with the reason. Version 2 added `reason`; designations
        recorded before carry （未记录）."""

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = UNRECORDED

    _key_designated = event(KeyProjectDesignated)(designated)

    def drop_key(self, year: int, reason: str, on: date, audit: Audit) -> None:
        self._refuse_if_terminated("drop it from the key-project list")
        KEY_PROJECTS.check_removal(self.key_years, year)
        self._key_dropped(year=year, reason=require_text(reason, "reason"), on=on, audit=audit)

    class KeyProjectDropped(Dropped):
        """移出重点项目清单 for a year."""

    _key_dropped = event(KeyProjectDropped)(dropped)

    def _not_before_registration(self, on: date, what: str) -> None:
        require_not_before(on, self.registered_on, what, "registration date")

    def recompute_deadline(self, kind: str, number: int, deadline: Deadline, on: date,
                           audit: Audit) -> None:
        """Replace an open problem's or instruction's provisional deadline once its year's
        official calendar is known."""
        kind = ItemKind.require(kind, "kind").value
        self._refuse_if_terminated(f"recompute a {kind} deadline")
        item = self._numbered(self._items(kind), number, kind)
        if item.get("resolved_on") or item.get("answered_on"):
            msg = (f"{kind} #{number} is already done; its deadline no longer runs / "
                   f"第{number}项已办结，期限不再计算")
            raise RuleViolation(msg)
        current: Deadline | None = item.get("deadline")
        if current is None:
            msg = (f"{kind} #{number} has no provisional deadline to recompute / "
                   f"第{number}项没有需要重算的暂定期限")
            raise RuleViolation(msg)
        check_recomputed_deadline(deadline, current, f"{kind} #{number} deadline")
        self._deadline_recomputed(kind=kind, number=number, deadline=deadline,
                                  previous_due=current.due, on=on, audit=audit)

    class DeadlineRecomputed(Aggregate.Event):
        """重算期限: a provisional deadline counted again on the official calendar."""

        kind: str
        number: int
        deadline: Deadline
        previous_due: date
        on: date
        audit: Audit

    @event(DeadlineRecomputed)
    def _deadline_recomputed(self, kind: str, number: int, deadline: Deadline,
                             previous_due: date, on: date, audit: Audit) -> None:
        self._items(kind)[number - 1].update(deadline=deadline, due=deadline.due)

    def running_items(self) -> list[dict[str, Any]]:
        """The open problems and unanswered instructions that run a deadline: kind, number,
        text, the day it started and the Deadline."""
        found = [{"kind": ItemKind.problem.value, "number": p["number"], "text": p["text"],
                  "on": p["raised_on"], "deadline": p.get("deadline")}
                 for p in self.problems if p["resolved_on"] is None]
        found += [{"kind": ItemKind.instruction.value, "number": i["number"], "text": i["text"],
                   "on": i["given_on"], "deadline": i.get("deadline")}
                  for i in self.instructions if i["answered_on"] is None]
        return [item for item in found if item["deadline"] is not None]

    def provisional_deadlines(self) -> list[tuple[str, int, Deadline]]:
        """(kind, number, Deadline) of each open item whose deadline is provisional."""
        if self.current_stage is Stage.terminated:
            return []
        found = [("problem", p["number"], p.get("deadline")) for p in self.problems
                 if p["resolved_on"] is None]
        found += [("instruction", i["number"], i.get("deadline")) for i in self.instructions
                  if i["answered_on"] is None]
        return [(k, n, d) for k, n, d in found if d is not None and d.provisional]

    def _items(self, kind: str) -> list[dict[str, Any]]:
        return self.problems if kind == ItemKind.problem else self.instructions

    def _new_item(self, kind: ItemKind, text: str, on: date, due: Deadline | None, step: str,
                  date_what: str) -> tuple[int, str]:
        """The number and checked text of a new problem or instruction, given on `on` with
        the deadline `due` (if any) counted from that day."""
        self._refuse_if_terminated(step)
        self._not_before_registration(on, date_what)
        text = require_text(text, "text")
        if due is not None:
            check_deadline(due, on, f"{kind.value} deadline")
        return len(self._items(kind)) + 1, text

    @staticmethod
    def _numbered(items: list[dict[str, Any]], number: int, what: str) -> dict[str, Any]:
        if not 1 <= number <= len(items):
            msg = (f"project has no {what} #{number}; it has {len(items)} / "
                   f"项目没有第{number}项{zh(what)}")
            raise RuleViolation(msg)
        return items[number - 1]

    @property
    def open_problems(self) -> list[dict[str, Any]]:
        return [p for p in self.problems if p["resolved_on"] is None]

    # --- park (园区) ------------------------------------------------------------------------

    def _refuse_park_revision(self, changes: dict[str, Any]) -> None:
        if "park" in changes and self.park_id is not None:
            msg = (f"the project is placed in the park {self.park} (a park reference); only "
                   "a park-entry registration (入园登记) or a correction changes its park, not "
                   "a revision / 项目已关联园区，园区只能经入园登记或更正变更")
            raise RuleViolation(msg)

    def link_park(self, park_id: UUID, park_name: str, matched_text: str,
                  review_required: bool, on: date, audit: Audit) -> None:
        """Place the project in the park its free-text park names (a data mapping, not a
        registration: a park that requires joint review still expects one)."""
        self._refuse_if_terminated("place it in a park")
        if self.park_id is not None:
            msg = f"the project is already placed in the park {self.park} / 项目已关联园区"
            raise RuleViolation(msg)
        self._park_linked(park_id=park_id, park_name=park_name, matched_text=matched_text,
                          review_required=review_required,
                          on=max(on, self.registered_on), audit=audit)

    class ParkLinked(Aggregate.Event):
        """关联园区: the free-text park matched a registered park's name."""

        park_id: UUID
        park_name: str
        matched_text: str
        review_required: bool
        on: date
        audit: Audit

    @event(ParkLinked)
    def _park_linked(self, park_id: UUID, park_name: str, matched_text: str,
                     review_required: bool, on: date, audit: Audit) -> None:
        self.park_id = park_id
        self.park = park_name

    def check_park_entry(self) -> None:
        """Refuse a park entry (its review or its registration) for a project that is
        terminated or registered in a park already."""
        self._refuse_if_terminated("enter a park (入园)")
        if self.park_review_id is not None:
            msg = (f"the project is already registered in the park {self.park} (review "
                   f"{self.park_review_id}); a correction changes it / 项目已入园登记")
            raise RuleViolation(msg)

    def register_in_park(self, park_id: UUID, park_name: str, review_id: UUID, on: date,
                         audit: Audit) -> None:
        """入园登记 after an approved joint review: the project's park from now on."""
        self.check_park_entry()
        self._not_before_registration(on, "park-entry registration date")
        self._park_registered(park_id=park_id, park_name=park_name, review_id=review_id,
                              on=on, audit=audit)

    class ParkRegistered(Aggregate.Event):
        """入园登记: the project enters the park after its joint review."""

        park_id: UUID
        park_name: str
        review_id: UUID
        on: date
        audit: Audit

    @event(ParkRegistered)
    def _park_registered(self, park_id: UUID, park_name: str, review_id: UUID, on: date,
                         audit: Audit) -> None:
        self.park_id = park_id
        self.park = park_name
        self.park_review_id = review_id
