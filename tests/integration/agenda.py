"""Helpers of the supervision-order and meeting tests: the items orders are about, a
recorded meeting with its action items, an issued order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from api.bootstrap import Container
from application.context import Caller
from application.orders import Subject
from domain.complaint import ComplaintDetails
from domain.project import ProjectDetails
from tests.integration.enterprises import raise_, register

HELD_ON = date(2025, 9, 20)
ISSUED_ON = date(2025, 9, 30)  # the eve of National Day


def project(c: Container, caller: Caller, unit: str = "liudong", name: str = "新能源电池项目"
            ) -> UUID:
    details = ProjectDetails(name=name, investor="投资方", industry="汽车",
                             total_investment=Decimal("100"), county=unit,
                             responsible_unit=unit)
    return c.projects.register(caller, details, date(2025, 9, 1)).state.id


def complaint(c: Container, caller: Caller) -> UUID:
    details = ComplaintDetails(channel="hotline", category="approval_service",
                               content="审批超时未办结", respondent_unit="zjj")
    return c.complaints.file(caller, details, date(2025, 9, 1)).state.id


def request(c: Container) -> UUID:
    register(c)
    return raise_(c)


def meeting(c: Container, caller: Caller, units: tuple[str, ...] = ("liudong", "zrzyj"),
            projects: tuple[UUID, ...] = (), items: tuple[tuple[str, date], ...] = (),
            held_on: date = HELD_ON, title: str = "新能源项目协调推进会") -> UUID:
    """A meeting recorded by `caller` with an action item per (unit, due) of `items`."""
    mid = c.meetings.record(caller, held_on, title, "覃市长", list(units), list(projects),
                            "研究用地问题").state.id
    for unit, due in items:
        c.meetings.add_item(caller, mid, unit, f"{unit} 落实议定事项", due, held_on)
    return mid


def order(c: Container, caller: Caller, unit: str = "liudong", on: date = ISSUED_ON,
          subject: Subject | None = None, **fields: Any) -> UUID:
    return c.orders.issue(caller, subject, fields.pop("task", "协调解决用地指标"), unit,
                          on=on, **fields).state.id
