"""督查督办: the open deadline items of every unit, for the supervision view of overdue (超期)
and nearly due (临期) work.

The table holds one row per open item that runs against a due date: a complaint's running
acceptance, reply (extension applied) or callback deadline; a project's unresolved problem or
unanswered instruction that has a due date; an assigned enterprise request awaiting its
outcome; a signed project's planned start (计划开工) until it starts, and a project under
construction's planned production date (计划投产) until it produces. A row goes when the item
is done. Whether an item is overdue or nearly due is decided at read time against today, so
the view changes with the date without any event.
Other case types add items, and undated flags (`flag`: a due date of NULL, never overdue),
through `contributes`.

Units: a complaint belongs to its assigned unit, or to the bureau (`BUREAU_UNIT`) while it
awaits acceptance; a project item to the project's responsible unit at the time of reading
(kept on the project's subject row, so a reassignment moves all its items at once); a
request to its lead unit (牵头单位).

A project's planned dates are kept, with its stage, in a table of their own (`PLANS`): the
item of a planned date exists only while the project is in the stage that works towards it,
and each event that revises a planned date or moves the stage puts or removes it
(`Batch.follow_plan`): a later event that changes the stage (a correction, a revoked
termination) needs only to call it with the stage it restores.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import singledispatchmethod
from typing import Any, get_type_hints

from domain.calendar import Deadline
from domain.complaint import Category, Channel, Complaint, DeadlineKind
from domain.enterprise_request import Category as RequestCategory
from domain.enterprise_request import EnterpriseRequest, Source
from domain.project import Project, Stage
from domain.shared import unit_reference
from projections import base
from projections.base import Projection, RowCache, unhandled
from projections.store import Tx
from projections.tables import Table

SUBJECTS = Table("supervision_subjects", """
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, unit TEXT,
    seq BIGINT NOT NULL""")
ITEMS = Table("supervision_items", """
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject_id TEXT NOT NULL, number INTEGER,
    unit TEXT, summary TEXT NOT NULL, started_on TEXT NOT NULL, base_due TEXT,
    extended_due TEXT, requested_until TEXT, due TEXT, provisional INTEGER NOT NULL,
    seq BIGINT NOT NULL""", index={"due": "due", "subject": "subject_id"})
PLANS = Table("supervision_project_plans", """
    id TEXT PRIMARY KEY, stage TEXT NOT NULL, since TEXT, planned_start TEXT,
    planned_production TEXT""")
BUREAU_UNIT = "tcj"  # 投促局: decides acceptance of received complaints
SUMMARY_LIMIT = 200
Handler = Callable[..., None]


class ItemKind(StrEnum):
    """What an open item waits for."""

    complaint_acceptance = "complaint_acceptance"
    complaint_reply = "complaint_reply"
    complaint_callback = "complaint_callback"
    project_problem = "project_problem"
    project_instruction = "project_instruction"
    project_planned_start = "project_planned_start"
    project_planned_production = "project_planned_production"
    request = "request"
    complaint_instruction = "complaint_instruction"
    request_instruction = "request_instruction"

    @property
    def label(self) -> str:
        return KIND_LABELS[self.value]


# The label of every item kind, those of other case types' contributions included
# (`contributes`), for the view to name any row it reads.
KIND_LABELS: dict[str, str] = {
    "complaint_acceptance": "投诉受理", "complaint_reply": "投诉答复",
    "complaint_callback": "投诉回访", "project_problem": "项目存在问题",
    "project_instruction": "领导批示落实", "project_planned_start": "计划开工",
    "project_planned_production": "计划投产", "request": "企业诉求办理",
    "complaint_instruction": "领导批示落实", "request_instruction": "领导批示落实"}
# The planned date a project works towards in each stage, and the kind of its item.
PLANNED = {Stage.signed: ("planned_start", ItemKind.project_planned_start),
           Stage.under_construction: ("planned_production", ItemKind.project_planned_production)}


class ItemState(StrEnum):
    """Where an open item stands against its due date, as of a day."""

    overdue = "overdue"  # the due date has passed
    nearly_due = "nearly_due"  # due within the nearly-due working days
    on_track = "on_track"  # due later (the dashboard's open items)

    @property
    def label(self) -> str:
        return {"overdue": "超期", "nearly_due": "临期", "on_track": "未到期"}[self.value]


def item(key: str, kind: str, subject: str, position: int, started: date,
          due: Deadline, unit: str | None, summary: str, number: int | None = None
          ) -> dict[str, Any]:
    """The row of an open item `key` of `subject`, started on `started` and due at `due`."""
    return {"id": key, "kind": str(kind), "subject_id": subject, "number": number,
            "unit": unit, "summary": summary[:SUMMARY_LIMIT], "started_on": started.isoformat(),
            "base_due": due.due.isoformat(), "extended_due": None, "requested_until": None,
            "due": due.due.isoformat(), "provisional": int(due.provisional), "seq": position}


def flag(key: str, kind: str, subject: str, position: int, since: date, unit: str | None,
         summary: str) -> dict[str, Any]:
    """The row of an undated flag `key` of `subject` (入园未登记): no due date, so never
    overdue; the view lists it apart, under the unit that must act, until it goes."""
    return {"id": key, "kind": str(kind), "subject_id": subject, "number": None, "unit": unit,
            "summary": summary[:SUMMARY_LIMIT], "started_on": since.isoformat(),
            "base_due": None, "extended_due": None, "requested_until": None, "due": None,
            "provisional": 0, "seq": position}


def _complaint_item(e: Any) -> str:
    return f"complaint:{e.originator_id}"


def _request_item(e: Any) -> str:
    return f"request:{e.originator_id}"


def _corrected_title(title: str, field: str, value: str) -> str:
    """A complaint's title, "投诉举报 · <category> · 被投诉单位 <unit>" (see its Received
    handler), with a corrected category or respondent unit."""
    head, category, unit = title.split(" · ", 2)
    if field == "category":
        category = Category(value).label
    else:
        unit = f"被投诉单位 {unit_reference(value)}"
    return " · ".join((head, category, unit))


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass
class Batch(base.Batch):
    """The subjects, their items, and projects' planned dates."""

    subjects: RowCache
    items: RowCache
    plans: RowCache

    def complaint_step(self, e: Any) -> dict[str, Any] | None:
        """The item of a complaint's running deadline, to be changed and written back."""
        return self.items.touch(_complaint_item(e))

    def follow_plan(self, e: Any, **changes: Any) -> None:
        """Change the planned dates or the stage (with `since`, the day it began) of `e`'s
        project, then put or remove its planned-date items to match."""
        key = str(e.originator_id)
        if (plan := self.plans.touch(key)) is None:
            return
        plan.update(changes)
        for stage, (field, kind) in PLANNED.items():
            item_key, due = f"{field}:{key}", plan[field]
            if plan["stage"] != stage or due is None:
                self.items.delete(item_key)
                continue
            self.items.put({
                "id": item_key, "kind": kind.value, "subject_id": key, "number": None,
                "unit": None, "summary": f"{kind.label} {due}", "started_on": plan["since"],
                "base_due": due, "extended_due": None, "requested_until": None, "due": due,
                "provisional": 0, "seq": self.position})


def _recomputed(row: dict[str, Any], deadline: Deadline) -> None:
    """A project's or request's item due at a recomputed deadline (they have no extension)."""
    due = deadline.due.isoformat()
    row.update(base_due=due, due=due, provisional=int(deadline.provisional))


def _extended(row: dict[str, Any]) -> None:
    """A complaint item is due at its base due date, or its approved extension if later."""
    row["due"] = max(d for d in (row["base_due"], row["extended_due"]) if d)


class SupervisionItems(Projection):
    """Keeps the open deadline items of complaints, projects and enterprise requests."""

    name = "supervision"
    # 2: planned dates; 3: undated flags; 4: instructions on complaints, requests;
    # 5: units in titles as references, shown by name when read
    version = 5
    tables = (SUBJECTS, ITEMS, PLANS)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> Batch:
        batch = Batch(RowCache(tx, SUBJECTS), RowCache(tx, ITEMS), RowCache(tx, PLANS))
        batch.subjects.preload(str(e.originator_id) for _, e in events)
        batch.plans.preload(str(e.originator_id) for _, e in events
                            if isinstance(e, Project.Event))
        batch.items.preload([_complaint_item(e) for _, e in events
                             if isinstance(e, Complaint.Event)]
                            + [_request_item(e) for _, e in events
                               if isinstance(e, EnterpriseRequest.Event)])
        return batch

    _apply = singledispatchmethod(unhandled)

    # --- complaints: one item, for the deadline now running ------------------------------

    @_apply.register
    def _(self, e: Complaint.Received, b: Batch) -> None:
        key = str(e.originator_id)
        title = (f"投诉举报 · {Category(e.category).label} · "
                 f"被投诉单位 {unit_reference(e.respondent_unit)}")
        b.subjects.put({"id": key, "kind": "complaint", "title": title, "unit": BUREAU_UNIT,
                        "seq": b.position})  # the unit its instructions' answers fall to
        b.items.put(item(_complaint_item(e), ItemKind.complaint_acceptance, key, b.position,
                          e.on, e.acceptance_deadline, BUREAU_UNIT,
                          f"{DeadlineKind.acceptance.label} · "
                          f"{Channel(e.channel).label}"))

    @_apply.register
    def _(self, e: Complaint.Assigned, b: Batch) -> None:
        if subject := b.subjects.touch(str(e.originator_id)):
            subject["unit"] = e.unit  # its instructions' answers fall to the assigned unit
        b.items.put(item(_complaint_item(e), ItemKind.complaint_reply, str(e.originator_id),
                          b.position, e.on, e.reply_deadline, e.unit,
                          DeadlineKind.reply.label))

    @_apply.register
    def _(self, e: Complaint.Replied, b: Batch) -> None:
        current = b.items.get(_complaint_item(e))
        unit = current["unit"] if current else e.audit.unit  # the replying unit
        b.items.put(item(_complaint_item(e), ItemKind.complaint_callback,
                          str(e.originator_id), b.position, e.on, e.callback_deadline, unit,
                          DeadlineKind.callback.label))

    @_apply.register
    def _(self, e: (Complaint.Accepted | Complaint.Declined | Complaint.Returned
                    | Complaint.CallbackRecorded | Complaint.Closed), b: Batch) -> None:
        b.items.delete(_complaint_item(e))  # no deadline runs until the next step

    @_apply.register
    def _(self, e: Complaint.ExtensionRequested, b: Batch) -> None:
        if row := b.complaint_step(e):
            row["requested_until"] = e.until.isoformat()
            _extended(row)

    @_apply.register
    def _(self, e: Complaint.ExtensionRefused, b: Batch) -> None:
        if row := b.complaint_step(e):
            row["requested_until"] = None
            _extended(row)

    @_apply.register
    def _(self, e: Complaint.ExtensionApproved, b: Batch) -> None:
        if row := b.complaint_step(e):
            if row["kind"] == ItemKind.complaint_reply:
                row.update(extended_due=row["requested_until"], requested_until=None)
            _extended(row)

    @_apply.register
    def _(self, e: Complaint.DeadlineRecomputed, b: Batch) -> None:
        if row := b.complaint_step(e):
            if row["kind"] == f"complaint_{e.kind}":
                row.update(base_due=e.deadline.due.isoformat(),
                           provisional=int(e.deadline.provisional))
            _extended(row)

    @_apply.register
    def _(self, e: Complaint.Corrected, b: Batch) -> None:
        if e.field in ("category", "respondent_unit"):
            if subject := b.subjects.touch(str(e.originator_id)):
                subject["title"] = _corrected_title(subject["title"], e.field, e.value)
        elif (row := b.complaint_step(e)) and row["kind"] == ItemKind.complaint_acceptance:
            if e.field == "received_on":  # the acceptance deadline runs from it
                row["started_on"] = e.value.isoformat()
            else:  # the channel, which the acceptance item names
                row["summary"] = f"{DeadlineKind.acceptance.label} · {Channel(e.value).label}"

    # --- projects: an item per open problem or instruction that has a due date -----------

    @_apply.register
    def _(self, e: Project.Registered, b: Batch) -> None:
        b.subjects.put({"id": str(e.originator_id), "kind": "project", "title": e.name,
                        "unit": e.responsible_unit, "seq": b.position})
        b.plans.put({"id": str(e.originator_id), "stage": Stage.negotiating.value,
                     "since": e.on.isoformat(), "planned_start": _iso(e.planned_start),
                     "planned_production": _iso(e.planned_production)})

    @_apply.register
    def _(self, e: Project.DetailsRevised, b: Batch) -> None:
        if "name" in e.changes and (subject := b.subjects.touch(str(e.originator_id))):
            subject["title"] = e.changes["name"]
        planned = {field: _iso(e.changes[field]) for field, _ in PLANNED.values()
                   if field in e.changes}
        if planned:
            b.follow_plan(e, **planned)

    @_apply.register
    def _(self, e: Project.Signed, b: Batch) -> None:
        b.follow_plan(e, stage=Stage.signed.value, since=e.date.isoformat())

    @_apply.register
    def _(self, e: Project.ConstructionStarted, b: Batch) -> None:
        b.follow_plan(e, stage=Stage.under_construction.value, since=e.date.isoformat())

    @_apply.register
    def _(self, e: Project.ProductionStarted, b: Batch) -> None:
        b.follow_plan(e, stage=Stage.in_production.value, since=e.date.isoformat())

    @_apply.register
    def _(self, e: Project.UnitReassigned, b: Batch) -> None:
        if subject := b.subjects.touch(str(e.originator_id)):
            subject["unit"] = e.unit  # the project's items move with it

    @_apply.register
    def _(self, e: Project.ProblemRaised, b: Batch) -> None:
        if e.due is not None:
            key = str(e.originator_id)
            b.items.put(item(f"problem:{key}:{e.number}", ItemKind.project_problem, key,
                              b.position, e.on, e.due, None, e.text, e.number))

    @_apply.register
    def _(self, e: Project.InstructionGiven, b: Batch) -> None:
        if e.due is not None:
            key = str(e.originator_id)
            b.items.put(item(f"instruction:{key}:{e.number}", ItemKind.project_instruction,
                              key, b.position, e.on, e.due, None, e.text, e.number))

    @_apply.register
    def _(self, e: Project.DeadlineRecomputed, b: Batch) -> None:
        if row := b.items.touch(f"{e.kind}:{e.originator_id}:{e.number}"):
            _recomputed(row, e.deadline)

    @_apply.register
    def _(self, e: Project.ProblemResolved, b: Batch) -> None:
        b.items.delete(f"problem:{e.originator_id}:{e.number}")

    @_apply.register
    def _(self, e: Project.InstructionAnswered, b: Batch) -> None:
        b.items.delete(f"instruction:{e.originator_id}:{e.number}")

    @_apply.register
    def _(self, e: Project.Terminated, b: Batch) -> None:
        b.follow_plan(e, stage=Stage.terminated.value, since=e.on.isoformat())
        key = str(e.originator_id)  # nothing of a terminated project can be done any more
        stored = b.items.tx.all(f"SELECT id FROM {ITEMS} WHERE subject_id = ?", (key,))
        cached = [k for k, row in b.items.rows.items() if row["subject_id"] == key]
        for item_key in {*(r["id"] for r in stored), *cached}:
            b.items.delete(item_key)

    @_apply.register
    def _(self, e: Project.TerminationRevoked, b: Batch) -> None:
        # The planned-date item of the stage it is back at runs again from today's step.
        b.follow_plan(e, stage=e.stage, since=e.on.isoformat())
        key = str(e.originator_id)  # the items the termination dropped run again
        kinds = {"problem": ItemKind.project_problem,
                 "instruction": ItemKind.project_instruction}
        for was in e.open_items:
            b.items.put(item(f"{was['kind']}:{key}:{was['number']}", kinds[was["kind"]],
                             key, b.position, was["on"], was["deadline"], None,
                             was["text"], was["number"]))

    @_apply.register
    def _(self, e: Project.Corrected, b: Batch) -> None:
        # A corrected sign or construction date is when the planned-date item started.
        stage = {"sign_date": Stage.signed,
                 "construction_date": Stage.under_construction}.get(e.field)
        plan = b.plans.get(str(e.originator_id))
        if stage is not None and plan is not None and plan["stage"] == stage.value:
            b.follow_plan(e, since=str(e.value))

    # --- enterprise requests: one item, from assignment to outcome -----------------------

    @_apply.register
    def _(self, e: EnterpriseRequest.Raised, b: Batch) -> None:
        title = f"企业诉求 · {RequestCategory(e.category).label} · {Source(e.source).label}"
        b.subjects.put({"id": str(e.originator_id), "kind": "request", "title": title,
                        "unit": BUREAU_UNIT, "seq": b.position})

    @_apply.register
    def _(self, e: EnterpriseRequest.Assigned, b: Batch) -> None:
        if subject := b.subjects.touch(str(e.originator_id)):
            subject["unit"] = e.lead_unit  # its instructions' answers fall to the lead unit
        b.items.put(item(_request_item(e), ItemKind.request, str(e.originator_id), b.position,
                          e.on, e.due, e.lead_unit, f"诉求办理期限 · 第{e.number}次交办",
                          e.number))

    @_apply.register
    def _(self, e: EnterpriseRequest.OutcomeRecorded | EnterpriseRequest.Closed,
          b: Batch) -> None:
        b.items.delete(_request_item(e))

    @_apply.register
    def _(self, e: EnterpriseRequest.Corrected, b: Batch) -> None:
        # The title reads "企业诉求 · <category> · <source>" (see the Raised handler).
        subject = b.subjects.touch(str(e.originator_id)) if e.field == "category" else None
        if subject is not None:
            head, _, source = subject["title"].split(" · ", 2)
            subject["title"] = " · ".join((head, RequestCategory(e.value).label, source))

    @_apply.register
    def _(self, e: EnterpriseRequest.DueRecomputed, b: Batch) -> None:
        if row := b.items.touch(_request_item(e)):
            _recomputed(row, e.deadline)

    # --- leaders' instructions on complaints and requests: an item while unanswered --------

    @_apply.register
    def _(self, e: Complaint.InstructionGiven | EnterpriseRequest.InstructionGiven,
          b: Batch) -> None:
        if e.due is not None:
            key = str(e.originator_id)
            kind = (ItemKind.complaint_instruction if isinstance(e, Complaint.Event)
                    else ItemKind.request_instruction)
            b.items.put(item(f"instruction:{key}:{e.number}", kind, key, b.position, e.on,
                             e.due, None, e.text, e.number))

    @_apply.register
    def _(self, e: Complaint.InstructionAnswered | EnterpriseRequest.InstructionAnswered,
          b: Batch) -> None:
        b.items.delete(f"instruction:{e.originator_id}:{e.number}")

    @_apply.register
    def _(self, e: (Complaint.InstructionDueRecomputed
                    | EnterpriseRequest.InstructionDueRecomputed), b: Batch) -> None:
        if row := b.items.touch(f"instruction:{e.originator_id}:{e.number}"):
            _recomputed(row, e.deadline)


_HANDLERS: singledispatchmethod[Any] = SupervisionItems.__dict__["_apply"]


def contributes(kinds: dict[str, str]) -> Callable[[Handler], Handler]:
    """Registers another case type's handler on the supervision view, with the labels of the
    item kinds it adds: `@contributes({"order": "督办单办理"})` over
    `def _(view: SupervisionItems, e: Order.Issued, b: Batch) -> None`, typed on the event
    class like the view's own handlers. The case type's registration module imports the
    module holding it, so a new case type joins the view without editing this one."""
    KIND_LABELS.update(kinds)

    def register(handler: Handler) -> Handler:
        event = list(inspect.signature(handler).parameters)[1]  # after the view
        _HANDLERS.register(get_type_hints(handler)[event], handler)
        return handler
    return register
