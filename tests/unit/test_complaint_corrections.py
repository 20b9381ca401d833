"""Corrections (更正) of a complaint's intake facts: the date received (with its acceptance
deadline counted again), the channel, the category and the respondent unit."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from domain.complaint import EVENT_LABELS, Complaint
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit
from tests.unit.helpers.complaint import (
    ACCEPTED_ON,
    LATER,
    RECEIVED_ON,
    deadline,
    event_names,
    receive,
    recorded,
)

DAY = timedelta(days=1)


@pytest.mark.parametrize(("field", "value"), [
    ("channel", "mailbox"), ("category", "fees_and_fines"), ("respondent_unit", "fgw"),
])
def test_an_intake_code_is_corrected_in_any_status(
    complaint_at: Callable[[str], Complaint], audit: Audit, field: str, value: str,
) -> None:
    complaint = complaint_at("closed")
    previous = getattr(complaint, field)
    recorded(complaint)

    complaint.correct(field, f" {value} ", "登记时选错", LATER, audit)

    assert getattr(complaint, field) == value
    (event,) = recorded(complaint)
    assert (type(event).__name__, event.field, event.value, event.previous, event.reason) == (
        "Corrected", field, value, previous, "登记时选错")
    assert complaint.status == "closed"


def test_a_code_is_corrected_by_its_chinese_label_too(complaint: Complaint,
                                                      audit: Audit) -> None:
    complaint.correct("category", "涉企收费", "类别录错", LATER, audit)
    assert complaint.category == "fees_and_fines"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("channel", "fax", "channel must be one of website"),
    ("category", "", "category must be one of"),
    ("respondent_unit", "  ", "respondent_unit must not be empty"),
    ("received_on", "2026-03-01", "received_on must be a date"),
    ("content", "新内容", "field must be one of received_on (登记日期), channel"),
])
def test_an_invalid_correction_is_refused_and_records_nothing(
    complaint: Complaint, audit: Audit, field: str, value: Any, message: str,
) -> None:
    recorded(complaint)
    with pytest.raises(InvalidValue, match=re.escape(message)):
        complaint.correct(field, value, "更正", LATER, audit)
    assert event_names(complaint) == []


def test_a_correction_needs_a_reason(complaint: Complaint, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        complaint.correct("channel", "mailbox", "  ", LATER, audit)


def test_a_correction_that_changes_nothing_is_refused(complaint: Complaint,
                                                      audit: Audit) -> None:
    with pytest.raises(RuleViolation, match=re.escape("channel (渠道) is already hotline")):
        complaint.correct("channel", "hotline", "更正", LATER, audit)


# --- the date received and its acceptance deadline -------------------------------------------


def test_a_corrected_date_received_recomputes_the_acceptance_deadline(
    complaint: Complaint, audit: Audit,
) -> None:
    recorded(complaint)
    fresh = deadline(RECEIVED_ON - DAY, 3)

    complaint.correct("received_on", RECEIVED_ON - DAY, "登记日期录错", LATER, audit, fresh)

    assert complaint.received_on == RECEIVED_ON - DAY
    assert complaint.acceptance_deadline == fresh
    assert complaint.open_deadlines() == [("acceptance", fresh)]
    corrected, recomputed = recorded(complaint)
    assert (corrected.field, corrected.value, corrected.previous) == (
        "received_on", RECEIVED_ON - DAY, RECEIVED_ON)
    assert (type(recomputed).__name__, recomputed.kind, recomputed.deadline,
            recomputed.previous_due) == ("DeadlineRecomputed", "acceptance", fresh,
                                         RECEIVED_ON + 3 * DAY)
    # The next step counts from the corrected date.
    complaint.accept(None, RECEIVED_ON - DAY, audit)


def test_a_corrected_date_received_needs_its_deadline_counted_from_it(
    complaint: Complaint, audit: Audit,
) -> None:
    with pytest.raises(InvalidValue, match="needs its acceptance deadline"):
        complaint.correct("received_on", RECEIVED_ON - DAY, "更正", LATER, audit)
    with pytest.raises(InvalidValue, match="acceptance deadline must count at least one "
                                           "working day from 2026-03-01"):
        complaint.correct("received_on", RECEIVED_ON - DAY, "更正", LATER, audit,
                          deadline(RECEIVED_ON, 3))
    assert complaint.received_on == RECEIVED_ON


@pytest.mark.parametrize(("status", "what"), [
    ("accepted", "acceptance date (受理日期) 2026-03-03"),
    ("declined", "decline date (不予受理日期) 2026-03-03"),
    ("closed", "acceptance date (受理日期) 2026-03-03"),
])
def test_a_corrected_date_received_may_not_follow_the_next_step(
    complaint_at: Callable[[str], Complaint], audit: Audit, status: str, what: str,
) -> None:
    complaint = complaint_at(status)
    later = ACCEPTED_ON + DAY
    with pytest.raises(RuleViolation, match=re.escape(
            f"received_on (登记日期) cannot be corrected to {later}: it would follow the {what}")):
        complaint.correct("received_on", later, "更正", LATER, audit, deadline(later, 3))

    complaint.correct("received_on", ACCEPTED_ON, "更正", LATER, audit,
                      deadline(ACCEPTED_ON, 3))
    assert complaint.received_on == ACCEPTED_ON


def test_a_corrected_date_received_may_not_follow_the_first_urge(
    complaint: Complaint, audit: Audit,
) -> None:
    complaint.urge("请尽快受理", RECEIVED_ON + 2 * DAY, audit)
    complaint.urge("再次催办", RECEIVED_ON + 5 * DAY, audit)
    later = RECEIVED_ON + 3 * DAY
    with pytest.raises(RuleViolation, match="would follow the first urge"):
        complaint.correct("received_on", later, "更正", LATER, audit, deadline(later, 3))


def test_a_v1_snapshot_bounds_the_first_urge_safely() -> None:
    once = {"urge_count": 1, "last_urged_on": LATER, "received_on": RECEIVED_ON}
    twice = {"urge_count": 2, "last_urged_on": LATER, "received_on": RECEIVED_ON}
    never = {"urge_count": 0, "last_urged_on": None, "received_on": RECEIVED_ON}
    for state in (once, twice, never):
        Complaint.upcast_v1_v2(state)
    assert [s["first_urged_on"] for s in (once, twice, never)] == [LATER, RECEIVED_ON, None]


def test_corrections_are_labelled_by_their_field() -> None:
    assert EVENT_LABELS["Corrected.received_on"] == "更正登记日期"
    assert EVENT_LABELS["Corrected.respondent_unit"] == "更正被投诉单位"


def test_the_correction_date_is_not_before_the_date_received(audit: Audit) -> None:
    complaint = receive(audit)
    with pytest.raises(RuleViolation, match="correction date 2026-03-01 is before date "
                                            "received 2026-03-02"):
        complaint.correct("channel", "mailbox", "更正", RECEIVED_ON - DAY, audit)
