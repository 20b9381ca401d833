"""Use cases of business-environment complaints (营商环境投诉举报)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application import authz
from application.calendar import DeadlinePolicy
from application.context import Caller, Clock
from application.errors import NotFound
from application.history import HistoryEntry, history_entries, without_personal_data
from application.store import Store, check_version
from application.units import Units
from domain.calendar import Deadline, WorkingCalendar
from domain.complaint import (
    EVENT_LABELS,
    FINAL_STATUSES,
    STATUS_LABELS,
    Complaint,
    ComplaintDetails,
)
from domain.errors import InvalidValue
from domain.shared import Audit

# Receipt codes: no 0/O, 1/I/L, so they can be read over the phone.
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PUBLIC = Caller(account_id="public", name="公众 (website)", role="public",
                correlation_id="")
INTAKE_ROLES = frozenset({"admin", "bureau", "supervisor", "enterprise"})


def new_receipt() -> str:
    return "TS" + "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(12))


@dataclass(frozen=True)
class ComplaintState:
    """One complaint as a caller may see it; `complainant` is None unless the caller may
    see personal data (or the complaint is anonymous)."""

    id: UUID
    version: int
    receipt: str
    status: str
    channel: str
    category: str
    content: str
    respondent_unit: str
    anonymous: bool
    complainant: dict[str, Any] | None
    filed_by_enterprise: str | None
    received_on: date
    accepted_on: date | None
    declined_on: date | None
    decline_reason: str | None
    assigned_unit: str | None
    reply_text: str | None
    replied_on: date | None
    satisfaction: str | None
    callback_on: date | None
    closed_on: date | None
    urge_count: int
    acceptance_deadline: Deadline
    reply_deadline: Deadline | None
    extended_due: date | None
    callback_deadline: Deadline | None
    open_deadlines: list[dict[str, Any]]
    allowed_steps: list[str]
    assignments: list[dict[str, Any]]
    extensions: list[dict[str, Any]]
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, c: Complaint, personal: bool) -> ComplaintState:
        return cls(
            id=c.id, version=c.version, receipt=c.receipt, status=c.status, channel=c.channel,
            category=c.category, content=c.content, respondent_unit=c.respondent_unit,
            anonymous=c.anonymous, complainant=dict(c.complainant) if (
                personal and c.complainant) else None,
            filed_by_enterprise=c.filed_by_enterprise, received_on=c.received_on,
            accepted_on=c.accepted_on, declined_on=c.declined_on,
            decline_reason=c.decline_reason, assigned_unit=c.assigned_unit,
            reply_text=c.reply_text, replied_on=c.replied_on, satisfaction=c.satisfaction,
            callback_on=c.callback_on, closed_on=c.closed_on, urge_count=c.urge_count,
            acceptance_deadline=c.acceptance_deadline, reply_deadline=c.reply_deadline,
            extended_due=c.extended_due, callback_deadline=c.callback_deadline,
            open_deadlines=[{"kind": kind, **d.as_dict()} for kind, d in c.open_deadlines()],
            allowed_steps=c.allowed_steps(),
            assignments=[dict(a) for a in c.assignments],
            extensions=[dict(x) for x in c.extensions],
            created_at=c.created_on, modified_at=c.modified_on,
        )


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the receipt code sees: progress, never personal data."""

    receipt: str
    status: str
    status_label: str
    channel: str
    category: str
    received_on: date
    accepted_on: date | None
    replied_on: date | None
    closed_on: date | None
    due: date | None


@dataclass(frozen=True)
class ComplaintResult:
    state: ComplaintState
    position: int
    extra: dict[str, Any] = field(default_factory=dict)


class ComplaintService:
    """Every use case of the complaint context."""

    def __init__(self, store: Store, units: Units, clock: Clock, calendar: WorkingCalendar,
                 policy: DeadlinePolicy) -> None:
        self.store = store
        self.units = units
        self.clock = clock
        self.calendar = calendar
        self.policy = policy

    def _deadline(self, kind: str, start: date) -> Deadline:
        return self.policy.deadline(kind, start, self.calendar)

    # --- filing and reading -------------------------------------------------------------

    def file(self, caller: Caller, details: ComplaintDetails, received_on: date | None = None
             ) -> ComplaintResult:
        """登记: bureau or supervision staff register a complaint from any channel; an
        enterprise account files its own (marked as filed by its credit code)."""
        authz.require_role(caller, INTAKE_ROLES, "register complaints")
        if caller.role == "enterprise":
            details = replace(details, filed_by_enterprise=caller.enterprise)
        return self._receive(caller, details, received_on)

    def file_public(self, details: ComplaintDetails, correlation_id: str = ""
                    ) -> ComplaintResult:
        """网站投诉: anyone files on the website channel, today, without an account."""
        if details.channel != "website":
            msg = "the public can file on the website channel only (channel: website)"
            raise InvalidValue(msg)
        caller = replace(PUBLIC, correlation_id=correlation_id)
        return self._receive(caller, replace(details, filed_by_enterprise=None), None)

    def _receive(self, caller: Caller, details: ComplaintDetails, received_on: date | None
                 ) -> ComplaintResult:
        details = replace(details, respondent_unit=self.units.require(
            details.respondent_unit, "respondent_unit"))
        day = self.clock.business_date(received_on, "received_on")
        complaint = Complaint.receive(details, new_receipt(), self._deadline("acceptance", day),
                                      day, caller.audit())
        position = self.store.save(complaint)
        return ComplaintResult(self._state(caller, complaint), position)

    def _state(self, caller: Caller, complaint: Complaint) -> ComplaintState:
        return ComplaintState.of(complaint, authz.sees_personal_data(caller))

    def get(self, caller: Caller, complaint_id: UUID, as_of_version: int | None = None
            ) -> ComplaintState:
        current = self.store.load(Complaint, complaint_id)
        authz.require_read_complaint(caller, current)
        return self._state(caller, self.store.as_of(current, as_of_version))

    def history(self, caller: Caller, complaint_id: UUID) -> list[HistoryEntry]:
        authz.require_read_complaint(caller, self.store.load(Complaint, complaint_id))
        entries = history_entries(self.store.events(complaint_id), EVENT_LABELS)
        return [without_personal_data(e, authz.sees_personal_data(caller)) for e in entries]

    def public_status(self, receipt: str) -> PublicStatus:
        code = receipt.strip().upper()
        try:
            complaint = self.store.load(Complaint, Complaint.create_id(code))
        except NotFound:
            raise NotFound(f"no complaint with receipt code {receipt!r}") from None
        deadlines = complaint.open_deadlines()
        return PublicStatus(
            receipt=complaint.receipt, status=complaint.status,
            status_label=STATUS_LABELS[complaint.status], channel=complaint.channel,
            category=complaint.category, received_on=complaint.received_on,
            accepted_on=complaint.accepted_on, replied_on=complaint.replied_on,
            closed_on=complaint.closed_on, due=deadlines[0][1].due if deadlines else None)

    # --- handling steps -----------------------------------------------------------------

    def _act(self, caller: Caller, complaint_id: UUID, expected_version: int | None,
             allowed: Callable[[Complaint], None], step: Callable[[Complaint, Audit], Any]
             ) -> ComplaintResult:
        complaint = self.store.load(Complaint, complaint_id)
        allowed(complaint)
        check_version(complaint, expected_version)
        step(complaint, caller.audit())
        position = self.store.save(complaint)
        return ComplaintResult(self._state(caller, complaint), position)

    def _intake(self, caller: Caller) -> Callable[[Complaint], None]:
        return lambda _c: authz.require_role(caller, authz.HANDLE_INTAKE,
                                             "accept, decline or assign complaints")

    def _supervise(self, caller: Caller) -> Callable[[Complaint], None]:
        return lambda _c: authz.require_role(caller, authz.SUPERVISE,
                                             "decide extensions, urge, call back or close")

    def _unit(self, caller: Caller, action: str) -> Callable[[Complaint], None]:
        return lambda c: authz.require_assigned_unit(caller, c, action)

    def accept(self, caller: Caller, complaint_id: UUID, comment: str | None = None,
               on: date | None = None, expected_version: int | None = None) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version, self._intake(caller),
                         lambda c, a: c.accept(comment, day, a))

    def decline(self, caller: Caller, complaint_id: UUID, reason: str, on: date | None = None,
                expected_version: int | None = None) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version, self._intake(caller),
                         lambda c, a: c.decline(reason, day, a))

    def assign(self, caller: Caller, complaint_id: UUID, unit: str, note: str | None = None,
               on: date | None = None, expected_version: int | None = None) -> ComplaintResult:
        day = self.clock.business_date(on)
        unit = self.units.require(unit, "unit")
        deadline = self._deadline("reply", day)
        return self._act(caller, complaint_id, expected_version, self._intake(caller),
                         lambda c, a: c.assign(unit, deadline, note, day, a))

    def acknowledge(self, caller: Caller, complaint_id: UUID, on: date | None = None,
                    expected_version: int | None = None) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version,
                         self._unit(caller, "acknowledge"), lambda c, a: c.acknowledge(day, a))

    def return_case(self, caller: Caller, complaint_id: UUID, reason: str,
                    on: date | None = None, expected_version: int | None = None
                    ) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version,
                         self._unit(caller, "return the case"),
                         lambda c, a: c.return_case(reason, day, a))

    def reply(self, caller: Caller, complaint_id: UUID, text: str, on: date | None = None,
              expected_version: int | None = None) -> ComplaintResult:
        day = self.clock.business_date(on)
        deadline = self._deadline("callback", day)
        return self._act(caller, complaint_id, expected_version, self._unit(caller, "reply"),
                         lambda c, a: c.reply(text, deadline, day, a))

    def request_extension(self, caller: Caller, complaint_id: UUID, reason: str, until: date,
                          on: date | None = None, expected_version: int | None = None
                          ) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version,
                         self._unit(caller, "ask for an extension"),
                         lambda c, a: c.request_extension(reason, until, day, a))

    def approve_extension(self, caller: Caller, complaint_id: UUID, comment: str | None = None,
                          on: date | None = None, expected_version: int | None = None
                          ) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version, self._supervise(caller),
                         lambda c, a: c.approve_extension(comment, day, a))

    def refuse_extension(self, caller: Caller, complaint_id: UUID, reason: str,
                         on: date | None = None, expected_version: int | None = None
                         ) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version, self._supervise(caller),
                         lambda c, a: c.refuse_extension(reason, day, a))

    def urge(self, caller: Caller, complaint_id: UUID, text: str, on: date | None = None,
             expected_version: int | None = None) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version, self._supervise(caller),
                         lambda c, a: c.urge(text, day, a))

    def callback(self, caller: Caller, complaint_id: UUID, satisfaction: str,
                 comment: str | None = None, on: date | None = None,
                 expected_version: int | None = None) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version, self._supervise(caller),
                         lambda c, a: c.record_callback(satisfaction, comment, day, a))

    def close(self, caller: Caller, complaint_id: UUID, comment: str | None = None,
              on: date | None = None, expected_version: int | None = None) -> ComplaintResult:
        day = self.clock.business_date(on)
        return self._act(caller, complaint_id, expected_version, self._supervise(caller),
                         lambda c, a: c.close(comment, day, a))

    # --- calendar -----------------------------------------------------------------------

    def recompute_provisional(self, caller: Caller, complaint_ids: list[UUID]) -> int:
        """Recompute the running provisional deadlines of these complaints with the current
        calendar; each change is a DeadlineRecomputed event. Returns how many changed."""
        changed = 0
        today = self.clock.today()
        for complaint_id in complaint_ids:
            complaint = self.store.load(Complaint, complaint_id)
            if complaint.status in FINAL_STATUSES:
                continue
            for kind in ("acceptance", "reply", "callback"):
                current: Deadline | None = getattr(complaint, f"{kind}_deadline")
                if current is None or not current.provisional:
                    continue
                fresh = self.calendar.add_working_days(current.start, current.working_days)
                if fresh != current:
                    complaint.recompute_deadline(kind, fresh, max(today, complaint.received_on),
                                                 caller.audit())
                    changed += 1
            self.store.save(complaint)
        return changed
