"""How projections dispatch events: on their classes, one handler each; the events a
projection reads are exactly those it handles; a ledger handles every event of its own
aggregate (so each row's version stays in step); and an event without a handler, or without
its row, never fails a replay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from api.bootstrap import Container, all_projections
from application.context import Caller
from domain import (
    agency_case,
    complaint,
    enterprise,
    enterprise_request,
    meeting,
    order,
    park,
    park_entry_review,
    project,
)
from domain.agency_case import AgencyCase
from domain.complaint import Complaint
from domain.credit_code import complete_credit_code
from domain.enterprise import Enterprise
from domain.enterprise_request import EnterpriseRequest
from domain.meeting import Meeting
from domain.order import Order
from domain.park import Park
from domain.park_entry_review import ParkEntryReview
from domain.project import Project, ProjectDetails
from projections.agency_ledger import AgencyLedger
from projections.base import Projection, handled_events
from projections.complaint_ledger import ComplaintLedger
from projections.enterprise_ledger import EnterpriseLedger
from projections.meeting_ledger import MeetingLedger
from projections.order_ledger import OrderLedger
from projections.park_entry_review_ledger import ParkEntryReviewLedger
from projections.park_ledger import ParkLedger
from projections.project_ledger import ProjectLedger
from projections.request_ledger import RequestLedger
from projections.supervision import KIND_LABELS, Batch, SupervisionItems, contributes

PROJECTIONS = all_projections()
OWN_AGGREGATE: list[tuple[type[Projection], type, dict[str, str]]] = [
    (ProjectLedger, Project, project.EVENT_LABELS),
    (ComplaintLedger, Complaint, complaint.EVENT_LABELS),
    (RequestLedger, EnterpriseRequest, enterprise_request.EVENT_LABELS),
    (EnterpriseLedger, Enterprise, enterprise.EVENT_LABELS),
    (OrderLedger, Order, order.EVENT_LABELS),
    (MeetingLedger, Meeting, meeting.EVENT_LABELS),
    (ParkLedger, Park, park.EVENT_LABELS),
    (ParkEntryReviewLedger, ParkEntryReview, park_entry_review.EVENT_LABELS),
    (AgencyLedger, AgencyCase, agency_case.EVENT_LABELS),
]


@pytest.mark.parametrize("projection", PROJECTIONS, ids=lambda p: p.name)
def test_a_projection_reads_exactly_the_events_it_has_handlers_for(
        projection: Projection) -> None:
    handled = handled_events(vars(type(projection))["_apply"])
    assert handled and tuple(projection.event_classes) == handled
    assert object not in handled
    assert len(set(handled)) == len(handled)
    assert projection.topics() == {get_topic(cls) for cls in handled}


@pytest.mark.parametrize(("ledger", "aggregate", "labels"), OWN_AGGREGATE,
                         ids=lambda x: getattr(x, "__name__", ""))
def test_a_ledger_handles_every_event_of_its_aggregate(
        ledger: type[Projection], aggregate: type, labels: dict[str, str]) -> None:
    # A step that changes no column must still move the row's version, so a new event
    # class without a handler here would leave the ledger's version behind the aggregate's.
    # Labels of one event per field it changes ("Corrected.sign_date") name no class.
    events = {getattr(aggregate, name) for name in labels if "." not in name}
    assert events <= set(ledger().event_classes)


def test_events_without_a_handler_or_a_row_change_nothing(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    audit = backend_callers["bureau"].audit()
    details = ProjectDetails(name="孤儿", investor="投资方", industry="汽车",
                             total_investment=Decimal("1"), county="liudong",
                             responsible_unit="liudong")
    orphan = Project.register(details, date(2025, 1, 2), audit)
    orphan.sign(date(2025, 2, 1), Decimal("1"), audit)
    company = Enterprise.register("甲", complete_credit_code("91450200MA5K0001"), "汽车",
                                  "liudong", None, date(2025, 1, 2), audit)
    company.record_visit(date(2025, 2, 1), "visit", "覃市长", "调研", None, audit)
    # Steps whose first event never reached the log: each projection either has no handler
    # for them or no row for them to change.
    steps = [e for e in (*orphan.collect_events(), *company.collect_events())
             if e.originator_version > 1]
    with backend_container.views.transaction() as tx:
        for each in PROJECTIONS:
            each.apply_batch(tx, list(enumerate(steps, start=1)))
    with backend_container.views.read() as tx:
        for each in PROJECTIONS:
            for table in each.tables:
                assert tx.all(f"SELECT * FROM {table}") == [], table


class Probe(Aggregate):
    """An aggregate of a case type the supervision view does not know."""

    class Opened(Aggregate.Created):
        pass


def test_another_case_type_contributes_items_to_the_supervision_view() -> None:
    """A case type's own module registers its handler and item labels on the supervision
    view; the view then reads that event class and names the new kind."""
    @contributes({"probe_item": "测试事项"})
    def _(view: SupervisionItems, e: Probe.Opened, b: Batch) -> None:
        pass

    assert Probe.Opened in SupervisionItems().event_classes
    assert get_topic(Probe.Opened) in SupervisionItems().topics()
    assert KIND_LABELS["probe_item"] == "测试事项"
