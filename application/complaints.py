"""Use cases of business-environment complaints (营商环境投诉举报)."""

from __future__ import annotations

import copy
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol, cast
from uuid import UUID

from application import policy
from application.cases import CaseService, Result, state_of
from application.context import Caller
from application.errors import NotFound
from application.queries import LedgerQuery, codes, day, flag, text, words
from domain.calendar import Deadline
from domain.complaint import (
    EVENT_LABELS,
    FINAL_STATUSES,
    Category,
    Channel,
    Complaint,
    ComplaintDetails,
    Correctable,
    Status,
)
from domain.errors import InvalidValue
from domain.shared import Role

# Receipt codes: no 0/O, 1/I/L, so they can be read over the phone.
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PUBLIC = Caller(account_id="public", name="公众 (website)", role=None, correlation_id="")


class ComplaintFinder(Protocol):
    """The complaint ledger's reader, as the Open311 search uses it."""

    projection: str

    def newest_received(self, filters: Mapping[str, Any], limit: int) -> list[str]: ...


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
    instructions: list[dict[str, Any]]  # 批示 and their answers (domain.instructions)
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, c: Complaint, personal: bool, filer: bool = False) -> ComplaintState:
        """`personal`: the caller may see who complained (the complainant, and the
        enterprise that filed it, which the assigned unit may be the one complained about);
        `filer`: the caller is that enterprise."""
        return state_of(
            cls, c, complainant=copy.deepcopy(c.complainant) if personal else None,
            filed_by_enterprise=c.filed_by_enterprise if personal or filer else None,
            open_deadlines=[{"kind": kind, **d.as_dict()} for kind, d in c.open_deadlines()])


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
    unit_name: str | None  # the unit handling it (承办单位): a unit, never a person
    reply: str | None  # the answer, once replied
    declined_on: date | None
    decline_reason: str | None  # why it was not accepted, once declined


ComplaintResult = Result[ComplaintState]


LEDGER = LedgerQuery("complaints", "complaint.read", {
    "status": codes(Status, "状态 status"),
    "unit": words("承办单位: the unit now assigned"),
    "respondent_unit": words("被投诉单位"),
    "channel": codes(Channel, "渠道 channel"),
    "category": codes(Category, "类别 category"),
    "received_from": day("Received on or after"),
    "received_to": day("Received on or before"),
    "overdue": flag("true: open complaints whose running deadline is past (超期); false: "
                    "all others"),
    "q": text("Words of the content, or a receipt code (回执码)"),
}, dated=True, periods=(("received_from", "received_to"),))


class ComplaintService(CaseService[Complaint, ComplaintState]):
    """Every use case of the complaint context."""

    created_event = Complaint.Received
    kind = "complaint"
    event_labels = EVENT_LABELS

    def state(self, caller: Caller, item: Complaint) -> ComplaintState:
        return ComplaintState.of(item, self.sees_personal_data(caller, item),
                                 filer=caller.enterprise is not None
                                 and caller.enterprise == item.filed_by_enterprise)

    # --- filing and the public channel ---------------------------------------------------

    def file(self, caller: Caller, details: ComplaintDetails, received_on: date | None = None
             ) -> ComplaintResult:
        """登记: bureau or supervision staff register a complaint from any channel; an
        enterprise account files its own (marked as filed by its credit code)."""
        self.authorize(caller, "file")
        if caller.role == Role.enterprise:
            details = replace(details, filed_by_enterprise=caller.enterprise)
        return self._receive(caller, details, received_on)

    def file_public(self, details: ComplaintDetails, correlation_id: str = ""
                    ) -> ComplaintResult:
        """网站投诉: anyone files on the website channel, today, without an account."""
        if details.channel != "website":
            msg = ("the public can file on the website channel only (channel: website) / "
                   "公众只能通过网站渠道投诉")
            raise InvalidValue(msg)
        caller = replace(PUBLIC, correlation_id=correlation_id)
        return self._receive(caller, replace(details, filed_by_enterprise=None), None)

    def _receive(self, caller: Caller, details: ComplaintDetails, received_on: date | None
                 ) -> ComplaintResult:
        details = replace(details, respondent_unit=self.units.require(
            details.respondent_unit, "respondent_unit"))
        day = self.day(received_on, "received_on")
        complaint = Complaint.receive(details, new_receipt(), self.deadline("acceptance", day),
                                      day, caller.audit())
        return self.saved(caller, complaint)

    def _by_receipt(self, receipt: str) -> Complaint:
        try:
            return self.load(Complaint.create_id(receipt.strip().upper()))
        except NotFound:
            msg = f"no complaint with receipt code {receipt!r} / 没有该回执码的投诉"
            raise NotFound(msg) from None

    def public_status(self, receipt: str) -> PublicStatus:
        complaint = self._by_receipt(receipt)
        deadlines = complaint.open_deadlines()
        unit = self.units.get(complaint.assigned_unit) if complaint.assigned_unit else None
        return PublicStatus(
            receipt=complaint.receipt, status=complaint.status,
            status_label=Status(complaint.status).label, channel=complaint.channel,
            category=complaint.category, received_on=complaint.received_on,
            accepted_on=complaint.accepted_on, replied_on=complaint.replied_on,
            closed_on=complaint.closed_on, due=deadlines[0][1].due if deadlines else None,
            unit_name=unit.name if unit else None, reply=complaint.reply_text,
            declined_on=complaint.declined_on, decline_reason=complaint.decline_reason)

    def get_by_receipt(self, caller: Caller, receipt: str) -> ComplaintState:
        """A complaint found by its receipt code (回执码), for staff who may read it; one the
        caller may not read answers as one that does not exist."""
        self.authorize(caller, "read")
        complaint = self._by_receipt(receipt)
        if not policy.allows(caller, "complaint.read", complaint):
            raise NotFound(f"no complaint with receipt code {receipt!r} / 没有该回执码的投诉")
        return self.state(caller, complaint)

    # --- Open311: complaints followed by receipt code ------------------------------------

    def by_receipt(self, caller: Caller | None, receipt: str) -> tuple[ComplaintState, bool]:
        """A complaint followed by its receipt code, without personal data, and whether the
        caller may read all of it (content, reply): anyone holding the code sees progress."""
        complaint = self._by_receipt(receipt)
        full = caller is not None and policy.allows(caller, "complaint.read", complaint)
        return ComplaintState.of(complaint, personal=False), full

    def search(self, caller: Caller, filters: dict[str, Any], limit: int,
               min_position: int | None = None) -> list[ComplaintState]:
        """The newest complaints by date received that match `filters` (ledger filters) and
        the caller may read, without personal data."""
        scope = policy.scope(caller, "complaint.read")
        return self._newest({**filters, **scope.filters()}, limit, min_position)

    def public_search(self, filters: dict[str, Any], limit: int,
                      min_position: int | None = None) -> list[ComplaintState]:
        """The newest complaints for anyone without an account (Open311's public search):
        the caller shows them without content or personal data."""
        return self._newest(filters, limit, min_position)

    def _newest(self, filters: dict[str, Any], limit: int, min_position: int | None
                ) -> list[ComplaintState]:
        reads = self.context.reads
        reader = cast(ComplaintFinder, reads.readers[LEDGER.name])
        reads.wait(reader.projection, min_position)
        ids = reader.newest_received(filters, limit)
        return [ComplaintState.of(self.load(UUID(i)), personal=False) for i in ids]

    # --- intake (投促局) -----------------------------------------------------------------

    def accept(self, caller: Caller, complaint_id: UUID, note: str | None = None,
               on: date | None = None, expected_version: int | None = None) -> ComplaintResult:
        complaint = self.load_for(caller, "intake", complaint_id, expected_version)
        complaint.accept(note, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    def decline(self, caller: Caller, complaint_id: UUID, reason: str, on: date | None = None,
                expected_version: int | None = None) -> ComplaintResult:
        complaint = self.load_for(caller, "intake", complaint_id, expected_version)
        complaint.decline(reason, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    def assign(self, caller: Caller, complaint_id: UUID, unit: str, note: str | None = None,
               on: date | None = None, expected_version: int | None = None) -> ComplaintResult:
        complaint = self.load_for(caller, "intake", complaint_id, expected_version)
        day = self.day(on)
        unit = self.units.require(unit, "unit")
        complaint.assign(unit, self.deadline("reply", day), note, day, caller.audit())
        return self.saved(caller, complaint)

    def correct(self, caller: Caller, complaint_id: UUID, field: str, value: Any, reason: str,
                on: date | None = None, expected_version: int | None = None
                ) -> ComplaintResult:
        """更正: an intake fact recorded wrongly, put right, in any status. A corrected date
        received is never in the future and brings the acceptance deadline counted again
        from it (the same working days); a respondent unit is a known unit code."""
        complaint = self.load_for(caller, "correct", complaint_id, expected_version)
        deadline = None
        if field == Correctable.received_on and isinstance(value, date):
            value = self.day(value, str(field))
            deadline = self.calendar.add_working_days(
                value, complaint.acceptance_deadline.working_days)
        elif field == Correctable.respondent_unit:
            value = self.units.require(value, str(field))
        complaint.correct(field, value, reason, self.day(on), caller.audit(), deadline)
        return self.saved(caller, complaint)

    # --- the assigned unit (承办单位) ------------------------------------------------------

    def acknowledge(self, caller: Caller, complaint_id: UUID, on: date | None = None,
                    expected_version: int | None = None) -> ComplaintResult:
        complaint = self.load_for(caller, "handle", complaint_id, expected_version)
        complaint.acknowledge(self.day(on), caller.audit())
        return self.saved(caller, complaint)

    def return_case(self, caller: Caller, complaint_id: UUID, reason: str,
                    on: date | None = None, expected_version: int | None = None
                    ) -> ComplaintResult:
        complaint = self.load_for(caller, "handle", complaint_id, expected_version)
        complaint.return_case(reason, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    def reply(self, caller: Caller, complaint_id: UUID, text: str, on: date | None = None,
              expected_version: int | None = None) -> ComplaintResult:
        complaint = self.load_for(caller, "handle", complaint_id, expected_version)
        day = self.day(on)
        complaint.reply(text, self.deadline("callback", day), day, caller.audit())
        return self.saved(caller, complaint)

    def request_extension(self, caller: Caller, complaint_id: UUID, reason: str, until: date,
                          on: date | None = None, expected_version: int | None = None
                          ) -> ComplaintResult:
        complaint = self.load_for(caller, "handle", complaint_id, expected_version)
        complaint.request_extension(reason, until, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    # --- supervision (督查督办) -------------------------------------------------------------

    def approve_extension(self, caller: Caller, complaint_id: UUID, note: str | None = None,
                          on: date | None = None, expected_version: int | None = None
                          ) -> ComplaintResult:
        complaint = self.load_for(caller, "supervise", complaint_id, expected_version)
        complaint.approve_extension(note, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    def refuse_extension(self, caller: Caller, complaint_id: UUID, reason: str,
                         on: date | None = None, expected_version: int | None = None
                         ) -> ComplaintResult:
        complaint = self.load_for(caller, "supervise", complaint_id, expected_version)
        complaint.refuse_extension(reason, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    def urge(self, caller: Caller, complaint_id: UUID, text: str, on: date | None = None,
             expected_version: int | None = None) -> ComplaintResult:
        complaint = self.load_for(caller, "supervise", complaint_id, expected_version)
        complaint.urge(text, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    def callback(self, caller: Caller, complaint_id: UUID, satisfaction: str,
                 comment: str | None = None, on: date | None = None,
                 expected_version: int | None = None) -> ComplaintResult:
        complaint = self.load_for(caller, "supervise", complaint_id, expected_version)
        complaint.record_callback(satisfaction, comment, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    def close(self, caller: Caller, complaint_id: UUID, note: str | None = None,
              on: date | None = None, expected_version: int | None = None) -> ComplaintResult:
        complaint = self.load_for(caller, "supervise", complaint_id, expected_version)
        complaint.close(note, self.day(on), caller.audit())
        return self.saved(caller, complaint)

    # --- calendar -----------------------------------------------------------------------

    def provisional_deadlines(self, item: Complaint) -> list[tuple[Any, Deadline]]:
        instructions = self.instruction_deadlines(item)  # answerable after the case ends
        if item.status in FINAL_STATUSES:
            return instructions
        running = ((kind, getattr(item, f"{kind}_deadline"))
                   for kind in ("acceptance", "reply", "callback"))
        return [(kind, d) for kind, d in running if d is not None and d.provisional] \
            + instructions

    def recompute_deadline(self, caller: Caller, item: Complaint, key: Any,
                           fresh: Deadline) -> None:
        if self.recompute_instruction(caller, item, key, fresh):
            return
        item.recompute_deadline(key, fresh, max(self.clock.today(), item.received_on),
                                caller.audit())
