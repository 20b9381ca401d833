"""Corrections (更正) of an enterprise request's intake facts: the date raised, the category
and the project concerned."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast
from uuid import uuid4

import pytest

from domain.enterprise_request import EVENT_LABELS, EnterpriseRequest
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit
from tests.unit.helpers.enterprise_request import (
    ASSIGNED_ON,
    DUE,
    RAISED_ON,
    event_names,
    raise_request,
)

DAY = timedelta(days=1)
LATER = RAISED_ON + 60 * DAY


@pytest.mark.parametrize(("field", "value", "stored"), [
    ("category", "融资", "finance"),
    ("raised_on", RAISED_ON - DAY, RAISED_ON - DAY),
    ("project_id", "new", "new"),
])
def test_an_intake_fact_is_corrected_in_any_status(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, field: str, value: Any,
    stored: Any,
) -> None:
    request = request_at("closed")
    if value == "new":
        value = stored = uuid4()
    previous = getattr(request, field)

    request.correct(field, value, "登记有误", LATER, audit)

    assert getattr(request, field) == stored
    (event,) = cast("list[Any]", request.collect_events())
    assert (type(event).__name__, event.field, event.value, event.previous, event.reason) == (
        "Corrected", field, stored, previous, "登记有误")
    assert (request.status, request.due) == ("closed", DUE)  # no deadline counts from it


def test_a_project_link_is_removed_by_correcting_it_to_none(audit: Audit) -> None:
    linked = uuid4()
    request = raise_request(audit, project_id=linked)
    request.correct("project_id", None, "非该项目诉求", LATER, audit)
    assert request.project_id is None


def test_a_corrected_date_raised_may_not_follow_the_first_assignment(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit,
) -> None:
    request = request_at("reopened")
    with pytest.raises(RuleViolation, match=re.escape(
            "raised_on (提出日期) cannot be corrected to 2025-03-04: it would follow the first "
            "assignment (交办) on 2025-03-03")):
        request.correct("raised_on", ASSIGNED_ON + DAY, "更正", LATER, audit)
    request.correct("raised_on", ASSIGNED_ON, "更正", LATER, audit)
    assert request.raised_on == ASSIGNED_ON


def test_a_request_not_assigned_counts_its_assignment_from_the_corrected_date(
    audit: Audit,
) -> None:
    request = raise_request(audit)
    request.correct("raised_on", RAISED_ON + 2 * DAY, "更正", LATER, audit)
    with pytest.raises(RuleViolation, match="assignment date 2025-03-01 is before previous"):
        request.assign("rsj", [], DUE, on=RAISED_ON + DAY, audit=audit)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("category", "noise", "category must be one of labour"),
    ("raised_on", "2025-02-27", "raised_on must be a date"),
    ("project_id", "not-a-uuid", "project_id must be a UUID or empty"),
    ("source", "forum", "field must be one of raised_on (提出日期), category"),
])
def test_an_invalid_correction_is_refused_and_records_nothing(
    audit: Audit, field: str, value: Any, message: str,
) -> None:
    request = raise_request(audit)
    request.collect_events()
    with pytest.raises(InvalidValue, match=re.escape(message)):
        request.correct(field, value, "更正", LATER, audit)
    assert event_names(request) == []


def test_a_correction_needs_a_reason_and_a_change(audit: Audit) -> None:
    request = raise_request(audit)
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        request.correct("category", "power", "", LATER, audit)
    with pytest.raises(RuleViolation, match=re.escape("category (诉求类别) is already labour")):
        request.correct("category", "labour", "更正", LATER, audit)


def test_corrections_are_labelled_by_their_field() -> None:
    assert EVENT_LABELS["Corrected.raised_on"] == "更正提出日期"
    assert EVENT_LABELS["Corrected.project_id"] == "更正关联项目"
