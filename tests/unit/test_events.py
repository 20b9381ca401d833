"""Event classes are the stored vocabulary: their topics never change, each declares exactly
the fields of the method that applies it, and projections can dispatch on them."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date
from decimal import Decimal
from functools import singledispatch

import pytest
from eventsourcing.domain import Aggregate, AggregateCreated, decorated_funcs
from eventsourcing.utils import get_topic, resolve_topic

from domain.account import Account, TokenIndex
from domain.agency_case import AgencyCase, AgentCases
from domain.calendar import CalendarSchedule
from domain.complaint import Complaint
from domain.enterprise import Enterprise
from domain.enterprise_request import EnterpriseRequest
from domain.meeting import Meeting
from domain.order import Order
from domain.park import Park
from domain.park_entry_review import ParkEntryReview
from domain.project import Project
from domain.shared import Audit
from tests.unit.helpers.project import SIGNED_ON, register

AGGREGATES: list[type[Aggregate]] = [Project, Complaint, EnterpriseRequest, Enterprise, Account,
                                     TokenIndex, CalendarSchedule, Order, Meeting,
                                     Park, ParkEntryReview, AgencyCase, AgentCases]

# Every topic ever stored. Renaming or moving one strands the events already written: that
# needs register_topic or an upcaster, not an edit here.
STORED_TOPICS = {
    "domain.project:Project": [
        "Registered", "Signed", "ConstructionStarted", "ProductionStarted", "Terminated",
        "DetailsRevised", "UnitReassigned", "ProgressReported", "ProblemRaised",
        "ProblemResolved", "Commented", "InstructionGiven", "InstructionAnswered",
        "KeyProjectDesignated", "KeyProjectDropped", "DeadlineRecomputed", "Corrected",
        "TerminationRevoked", "ParkLinked", "ParkRegistered"],
    "domain.complaint:Complaint": [
        "Received", "Accepted", "Declined", "Assigned", "Acknowledged", "Returned", "Replied",
        "CallbackRecorded", "Closed", "ExtensionRequested", "ExtensionApproved",
        "ExtensionRefused", "Urged", "DeadlineRecomputed", "Corrected", "InstructionGiven",
        "InstructionAnswered", "InstructionDueRecomputed"],
    "domain.enterprise_request:EnterpriseRequest": [
        "Raised", "Assigned", "ProgressNoted", "OutcomeRecorded", "FeedbackRecorded", "Closed",
        "DueRecomputed", "Corrected", "InstructionGiven", "InstructionAnswered",
        "InstructionDueRecomputed"],
    "domain.enterprise:Enterprise": [
        "Registered", "DetailsRevised", "LeaderLinked", "LeaderUnlinked", "VisitRecorded",
        "KeyEnterpriseDesignated", "KeyEnterpriseDropped"],
    "domain.account:Account": ["Registered", "TokenIssued", "Deactivated"],
    "domain.account:TokenIndex": ["Indexed"],
    "domain.calendar:CalendarSchedule": ["Started", "Configured"],
    "domain.order:Order": [
        "Issued", "Responded", "Returned", "Closed", "Urged", "Notified", "DueRecomputed"],
    "domain.meeting:Meeting": ["Recorded", "ItemAdded", "ItemDone", "ItemReopened"],
    "domain.park:Park": ["Registered", "LeadingIndustriesChanged", "OutputReported"],
    "domain.park_entry_review:ParkEntryReview": [
        "Opened", "OpinionGiven", "Decided", "EntryRegistered"],
    "domain.agency_case:AgencyCase": [
        "Opened", "ItemRecorded", "ItemCorrected", "ItemDueRecomputed", "MilestoneReached",
        "AgentReassigned", "Closed"],
    "domain.agency_case:AgentCases": ["Started", "CaseTaken", "CaseHandedOver"],
}
# Fields every event has from the library, not from the method that applies it.
BASE_FIELDS = {f.name for f in dataclasses.fields(AggregateCreated)}


# The library puts its generic base classes on every aggregate; they are never recorded.
LIBRARY_CLASSES = {"Event", "Created"}


def event_classes(aggregate: type[Aggregate]) -> list[type[Aggregate.Event]]:
    return [value for name, value in vars(aggregate).items()
            if isinstance(value, type) and issubclass(value, Aggregate.Event)
            and name not in LIBRARY_CLASSES]


def test_every_stored_topic_resolves_to_the_event_class_of_that_name() -> None:
    for aggregate_topic, names in STORED_TOPICS.items():
        aggregate = resolve_topic(aggregate_topic)
        for name in names:
            topic = f"{aggregate_topic}.{name}"
            assert resolve_topic(topic) is getattr(aggregate, name), topic
            assert get_topic(getattr(aggregate, name)) == topic


@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda a: a.__name__)
def test_the_aggregate_declares_exactly_the_stored_events(aggregate: type[Aggregate]) -> None:
    declared = sorted(cls.__name__ for cls in event_classes(aggregate))
    assert declared == sorted(STORED_TOPICS[get_topic(aggregate)])


@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda a: a.__name__)
def test_each_event_declares_exactly_the_fields_and_types_of_its_method(
    aggregate: type[Aggregate],
) -> None:
    for cls in event_classes(aggregate):
        # A created event is applied by __init__, any other by its @event method.
        created = issubclass(cls, AggregateCreated)
        method = aggregate.__init__ if created else decorated_funcs[cls]
        parameters = list(inspect.signature(method).parameters.values())[1:]
        fields = [f for f in dataclasses.fields(cls) if f.name not in BASE_FIELDS]
        assert [(f.name, f.type) for f in fields] == [
            (p.name, p.annotation) for p in parameters], cls.__qualname__


def test_recorded_events_are_instances_of_the_declared_classes_for_dispatch(
    audit: Audit,
) -> None:
    @singledispatch
    def describe(event: object) -> str:
        return "unhandled"

    @describe.register
    def _(event: Project.Registered) -> str:
        return f"registered {event.name}"

    @describe.register
    def _(event: Project.Signed) -> str:
        return f"signed on {event.date.isoformat()} for {event.contract_amount}"

    project = register(audit)
    project.sign(SIGNED_ON, Decimal("30000"), audit=audit)
    project.comment("请按月报送", on=date(2026, 2, 2), audit=audit)
    assert [describe(e) for e in project.collect_events()] == [
        "registered 新能源汽车零部件项目", "signed on 2026-02-01 for 30000.0000", "unhandled"]
