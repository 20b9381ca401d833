"""Enterprise requests (企业诉求) raised and assigned: sources, categories, lead and
co-units (牵头 / 配合), deadlines."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.enterprise_request import (
    ALLOWED,
    Category,
    EnterpriseRequest,
    Source,
    Status,
)
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit
from tests.unit.helpers.enterprise_request import (
    ASSIGNED_ON,
    CLOSED_ON,
    CODE,
    DUE,
    ENTERPRISE_ID,
    RAISED_ON,
    event_names,
    raise_request,
)

# --- raising ----------------------------------------------------------------------------


def test_a_raised_request_awaits_assignment(audit: Audit) -> None:
    request = raise_request(audit)
    assert request.status == "raised"
    assert request.current_status is Status.raised
    assert request.enterprise_id == ENTERPRISE_ID
    assert request.credit_code == CODE
    assert request.project_id is None
    assert (request.source, request.visit_number, request.category) == ("visit", 1, "labour")
    assert request.description == "春节后用工缺口约200人"
    assert request.raised_on == RAISED_ON
    assert request.assigned_units == []
    assert request.current_due is None
    assert request.is_open
    assert request.assignments == request.progress_notes == request.outcomes == []
    assert event_names(request) == ["Raised"]


def test_raising_normalizes_the_credit_code_and_keeps_the_project(audit: Audit) -> None:
    project_id = uuid4()
    request = raise_request(audit, credit_code=f" {CODE.lower()} ", project_id=project_id)
    assert request.credit_code == CODE
    assert request.project_id == project_id


def test_raising_refuses_an_enterprise_id_of_another_credit_code(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match=f"is not the enterprise of credit code {CODE}"):
        raise_request(audit, enterprise_id=uuid4())


def test_raising_refuses_an_enterprise_id_that_is_not_a_uuid(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="is not the enterprise"):
        raise_request(audit, enterprise_id=str(ENTERPRISE_ID))


def test_raising_refuses_an_invalid_credit_code(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="check character should be 3"):
        raise_request(audit, credit_code=CODE[:17] + "4")


def test_raising_refuses_a_project_id_that_is_not_a_uuid(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="project_id must be a UUID"):
        raise_request(audit, project_id="p-1")


@pytest.mark.parametrize("source", sorted(Source.labels()))
def test_every_documented_source_is_accepted(audit: Audit, source: str) -> None:
    assert raise_request(audit, source=source, visit_number=None).source == source


@pytest.mark.parametrize("category", sorted(Category.labels()))
def test_every_documented_category_is_accepted(audit: Audit, category: str) -> None:
    assert raise_request(audit, category=category).category == category


@pytest.mark.parametrize(("field", "value"), [("source", "email"), ("category", "tax")])
def test_unknown_source_or_category_is_invalid_and_lists_the_choices(
    audit: Audit, field: str, value: str
) -> None:
    with pytest.raises(InvalidValue, match=f"{field} must be one of .*; got '{value}'"):
        raise_request(audit, **{field: value})


def test_source_and_category_may_be_given_by_label_and_are_recorded_as_codes(
    audit: Audit,
) -> None:
    request = raise_request(audit, source="调研", category=Category.land)
    (raised,) = request.collect_events()
    assert isinstance(raised, EnterpriseRequest.Raised)
    assert (raised.source, raised.category) == ("visit", "land")
    assert (type(raised.source), type(raised.category)) == (str, str)


def test_a_visit_number_is_only_for_requests_raised_at_a_visit(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match=r"visit_number is only for .* not hotline"):
        raise_request(audit, source="hotline", visit_number=1)


@pytest.mark.parametrize("number", [0, -1, True, "1"])
def test_a_visit_number_must_be_a_positive_whole_number(audit: Audit, number: Any) -> None:
    with pytest.raises(InvalidValue, match="visit_number must be a positive whole number"):
        raise_request(audit, visit_number=number)


def test_a_visit_request_may_omit_the_visit_number(audit: Audit) -> None:
    assert raise_request(audit, visit_number=None).visit_number is None


def test_raising_requires_a_description(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="description must not be empty"):
        raise_request(audit, description="  ")


# --- assignment -------------------------------------------------------------------------


def test_assigning_records_lead_co_units_and_deadline(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("raised")
    request.assign(" rsj ", [" gxj", "liudong"], DUE, on=ASSIGNED_ON, audit=audit)
    assert request.status == "assigned"
    assert (request.lead_unit, request.co_units) == ("rsj", ["gxj", "liudong"])
    assert request.assigned_units == ["rsj", "gxj", "liudong"]
    assert request.current_due == DUE
    assert request.assignments == [{"number": 1, "lead_unit": "rsj",
                                    "co_units": ["gxj", "liudong"], "due": DUE,
                                    "assigned_on": ASSIGNED_ON}]
    (assigned,) = list[Any](request.collect_events())
    assert type(assigned).__name__ == "Assigned"
    assert assigned.due == DUE


def test_assigning_without_co_units_is_allowed(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("raised")
    request.assign("rsj", None, DUE, on=ASSIGNED_ON, audit=audit)
    assert request.assigned_units == ["rsj"]


@pytest.mark.parametrize(("lead", "co_units", "message"), [
    ("rsj", ["gxj", "gxj"], "co-unit gxj is listed twice"),
    ("rsj", ["gxj", " rsj "], "rsj is the lead unit .* cannot also be a co-unit"),
    ("rsj", "gxj", "co_units must be a list"),
    ("rsj", ["gxj", ""], "co-unit must not be empty"),
    (" ", ["gxj"], "lead_unit must not be empty"),
])
def test_malformed_units_are_refused(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit,
    lead: str, co_units: Any, message: str,
) -> None:
    request = request_at("raised")
    with pytest.raises(InvalidValue, match=message):
        request.assign(lead, co_units, DUE, on=ASSIGNED_ON, audit=audit)
    assert request.status == "raised"
    assert request.collect_events() == []


@pytest.mark.parametrize(("due", "message"), [
    ("2025-03-17", "due must be a working-day Deadline"),
    (replace(DUE, working_days=0), "at least one working day"),
    (replace(DUE, due=DUE.start), "and end after its start; got 10 working days from "
                                  "2025-03-03 to 2025-03-03"),
    (replace(DUE, start=date(2025, 2, 1), due=date(2025, 3, 2)),
     "must count at least one working day from 2025-03-03 .* from 2025-02-01 to 2025-03-02"),
])
def test_malformed_deadlines_are_refused(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, due: Any, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        request_at("raised").assign("rsj", None, due, on=ASSIGNED_ON, audit=audit)


def test_assignment_cannot_be_dated_before_the_request_was_raised(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="assignment date 2025-02-27 is before previous step"):
        request_at("raised").assign("rsj", None, DUE, on=date(2025, 2, 27), audit=audit)


@pytest.mark.parametrize("status", ["assigned", "in_progress", "answered", "confirmed"])
def test_an_assigned_request_cannot_be_assigned_again(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, status: str
) -> None:
    request = request_at(status)
    allowed = ", ".join(ALLOWED[status])
    with pytest.raises(
        RuleViolation,
        match=re.escape(f"cannot assign: request is {status} ({Status.labels()[status]}); "
                        f"allowed next: {allowed}"),
    ):
        request.assign("fgw", None, DUE, on=CLOSED_ON, audit=audit)
    assert request.collect_events() == []
