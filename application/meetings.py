"""Use cases of coordination meetings (协调推进会): record, decide, mark done, reopen.

The meetings that discussed a project are read from the meeting ledger,
`GET /api/v1/ledgers/meetings?project=<id>`, not from the project's state (see
application/orders.py for why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application import policy
from application.cases import CaseService, Result, state_of
from application.context import Caller
from application.errors import NotFound
from application.queries import LedgerQuery, Param, day, flag, text, words
from domain.errors import InvalidValue
from domain.meeting import EVENT_LABELS, Meeting, MeetingFacts
from domain.project import Project


@dataclass(frozen=True)
class MeetingState(MeetingFacts):
    """A meeting's minutes as clients read them: who took part, what it discussed, and
    each decision (议定事项) with its status."""

    id: UUID
    version: int
    recorded_by: dict[str, str | None]
    items: list[dict[str, Any]]
    open_items: int
    allowed_steps: list[str]
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, meeting: Meeting, today: date) -> MeetingState:
        items = [{**item, "overdue": meeting.is_overdue(item, today)} for item in meeting.items]
        return state_of(cls, meeting, items=items, open_items=len(meeting.open_items()))


MeetingResult = Result[MeetingState]


LEDGER = LedgerQuery("meetings", "meeting.read", {
    "unit": words("A unit that took part or has an action item (unit codes)"),
    "project": Param("A project the meeting discussed (its id)", lambda raw: str(UUID(raw)),
                     {"type": "string", "format": "uuid", "description": "a project id"}),
    "held_from": day("Held on or after"),
    "held_to": day("Held on or before"),
    "overdue": flag("true: an action item still open past its due date"),
    "q": text("Words of the title or the notes"),
}, dated=True, periods=(("held_from", "held_to"),))


class MeetingService(CaseService[Meeting, MeetingState]):
    """Every use case of coordination meetings."""

    created_event = Meeting.Recorded
    kind = "meeting"
    event_labels = EVENT_LABELS

    def state(self, caller: Caller, item: Meeting) -> MeetingState:
        return MeetingState.of(item, self.clock.today())

    def record(self, caller: Caller, date: date, title: str, chair: str, units: Sequence[str],
               projects: Sequence[UUID] | None = None, notes: str | None = None
               ) -> MeetingResult:
        """记录会议, held on `date` (the fact itself: never in the future)."""
        self.authorize(caller, "record")
        held_on = self.day(date, "date")
        attending = [self.units.require(unit, "units") for unit in units]
        for project in projects or []:
            self._require_project(caller, project)
        meeting = Meeting.record(held_on, title, chair, attending, projects, notes,
                                 caller.audit())
        return self.saved(caller, meeting)

    def _require_project(self, caller: Caller, project_id: UUID) -> None:
        try:
            project = self.store.load(Project, project_id)
        except NotFound:
            project = None
        if project is None or not policy.allows(caller, "project.read", project):
            msg = f"projects: no project with id {project_id} / 项目不存在：{project_id}"
            raise InvalidValue(msg)

    def add_item(self, caller: Caller, meeting_id: UUID, unit: str, task: str, due: date,
                 on: date | None = None, expected_version: int | None = None
                 ) -> MeetingResult:
        """议定事项 for one unit, due `due`."""
        meeting = self.load_for(caller, "record", meeting_id, expected_version)
        unit = self.units.require(unit, "unit")
        number = meeting.add_item(unit, task, due, self.day(on), caller.audit())
        return self.saved(caller, meeting, number)

    def mark_done(self, caller: Caller, meeting_id: UUID, number: int, text: str,
                  on: date | None = None, expected_version: int | None = None
                  ) -> MeetingResult:
        """完成, by the unit the item is for."""
        meeting = self.load_for(caller, "handle", meeting_id, expected_version)
        item = meeting.item(number)
        if item["unit"] != caller.unit:
            raise policy.deny(caller, f"mark done action item #{number}: it is for "
                              f"{self.units.name(item['unit'])}")
        meeting.mark_done(number, text, item["unit"], self.day(on), caller.audit())
        return self.saved(caller, meeting)

    def reopen_item(self, caller: Caller, meeting_id: UUID, number: int, reason: str,
                    due: date | None = None, on: date | None = None,
                    expected_version: int | None = None) -> MeetingResult:
        """重新办理, by the supervision office."""
        meeting = self.load_for(caller, "reopen", meeting_id, expected_version)
        meeting.reopen_item(number, reason, due, self.day(on), caller.audit())
        return self.saved(caller, meeting)
