"""Complaint use cases at application level: deadlines in a year without official calendar data
(2027) are provisional, and configuring that year's schedule recomputes them as events.

Expected due dates are counted here independently: by rule (Monday–Friday minus the
statutory holidays of `holidays.China`) and from the override file written by the test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import holidays
import pytest

from api.bootstrap import Container, build
from application.complaints import ComplaintService
from application.context import SYSTEM, Caller, Clock
from application.errors import Forbidden
from application.settings import Settings
from domain.complaint import Complainant, ComplaintDetails
from domain.errors import InvalidValue
from domain.shared import Role

TODAY = date(2027, 3, 1)  # a Monday in a year chinese_calendar 1.11 has no schedule for
BUREAU = Caller(account_id="bureau-1", name="投促局", role=Role.bureau, correlation_id="t-bureau")
SUPERVISOR = Caller(account_id="supervisor-1", name="督查室", role=Role.supervisor)

# A made-up official schedule for 2027 (not the real one): Spring Festival Feb 5-12 off,
# Saturday Feb 20 worked, and Saturday Mar 6 worked so the reply count in March changes too.
OVERRIDE_HOLIDAYS = [date(2027, 2, d) for d in range(5, 13)]
OVERRIDE_WORKDAYS = [date(2027, 2, 20), date(2027, 3, 6)]


class In2027(Clock):
    def today(self) -> date:
        return TODAY


def by_rule(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays.China(years=day.year)


def by_override(day: date) -> bool:
    if day in OVERRIDE_WORKDAYS:
        return True
    return day.weekday() < 5 and day not in OVERRIDE_HOLIDAYS


def after(start: date, working_days: int, is_workday: Callable[[date], bool]) -> date:
    day = start
    while working_days:
        day += timedelta(days=1)
        working_days -= is_workday(day)
    return day


def details(**overrides: object) -> ComplaintDetails:
    values: dict[str, object] = {
        "channel": "hotline", "category": "inspections", "content": "同一事项一月内重复检查三次",
        "respondent_unit": "scjgj", "complainant": Complainant("覃女士", "0772-1234567")}
    values.update(overrides)
    return ComplaintDetails(**values)  # type: ignore[arg-type]


@pytest.fixture
def override_file(tmp_path: Path) -> Path:
    path = tmp_path / "calendar-2027.json"
    path.write_text(json.dumps({
        "_comment": "test data, not the official 2027 schedule",
        "2027": {"holidays": [d.isoformat() for d in OVERRIDE_HOLIDAYS],
                 "workdays": [d.isoformat() for d in OVERRIDE_WORKDAYS]},
    }), "utf-8")
    return path


@pytest.fixture
def in_2027(settings: Settings) -> Iterator[Container]:
    """The service on the usual backends, with today in 2027 and no 2027 calendar data."""
    c = build(settings, clock=In2027())
    try:
        yield c
    finally:
        c.close()


def _file(service: ComplaintService, received: date, **overrides: object) -> UUID:
    return service.file(BUREAU, details(**overrides), received).state.id


def test_a_complaint_in_2027_gets_provisional_deadlines_counted_by_rule(
    in_2027: Container,
) -> None:
    service = in_2027.complaints
    assert not in_2027.calendar.is_official(2027)

    filed = service.file(BUREAU, details(), date(2027, 2, 4)).state
    today = service.file(BUREAU, details()).state
    service.accept(BUREAU, today.id, on=TODAY)
    assigned = service.assign(BUREAU, today.id, "liudong", on=TODAY).state

    acceptance = filed.acceptance_deadline
    assert acceptance.provisional is True
    # Spring Festival by rule (Feb 5, 8, 9, 10 off) pushes the due date past the plain
    # Monday-to-Friday count.
    assert acceptance.due == after(date(2027, 2, 4), 3, by_rule) == date(2027, 2, 15)
    assert acceptance.due > after(date(2027, 2, 4), 3, lambda d: d.weekday() < 5)
    assert (acceptance.start, acceptance.working_days) == (date(2027, 2, 4), 3)
    assert filed.open_deadlines[0]["provisional"] is True
    assert today.received_on == TODAY
    assert assigned.reply_deadline is not None
    assert assigned.reply_deadline.provisional is True
    assert assigned.reply_deadline.due == after(TODAY, 15, by_rule)


def test_configuring_2027_recomputes_the_provisional_deadlines_as_events(
    settings: Settings, in_2027: Container, override_file: Path,
) -> None:
    first = in_2027.complaints
    spring = _file(first, date(2027, 2, 4))
    reply = _file(first, date(2026, 11, 2))
    first.accept(BUREAU, reply, on=date(2026, 11, 3))
    first.assign(BUREAU, reply, "liudong", on=TODAY)
    declined = _file(first, date(2027, 2, 4))
    first.decline(BUREAU, declined, "不属于受理范围", on=TODAY)
    official = _file(first, date(2025, 9, 26))
    versions = {cid: first.get(BUREAU, cid).version for cid in (spring, reply, declined,
                                                                 official)}
    old_acceptance = first.get(BUREAU, spring).acceptance_deadline
    old_reply = first.get(BUREAU, reply).reply_deadline
    assert old_reply is not None and old_reply.provisional
    assert not first.get(BUREAU, reply).acceptance_deadline.provisional
    in_2027.close()

    configured = build(settings.model_copy(update={"calendar_overrides_file": override_file}),
                       clock=In2027())
    try:
        service = configured.complaints
        assert configured.calendar.is_official(2027)
        assert service.get(BUREAU, spring).acceptance_deadline == old_acceptance

        changed = service.recompute_provisional(SYSTEM, list(versions))

        assert changed == 2
        acceptance = service.get(BUREAU, spring).acceptance_deadline
        assert acceptance.provisional is False
        assert acceptance.due == after(date(2027, 2, 4), 3, by_override) == date(2027, 2, 17)
        assert acceptance.calendar_version == configured.calendar.version
        assert "+overrides:" in acceptance.calendar_version
        recomputed = service.history(BUREAU, spring)[-1]
        assert recomputed.type == "DeadlineRecomputed"
        assert recomputed.actor["id"] == SYSTEM.account_id
        assert recomputed.data["kind"] == "acceptance"
        assert recomputed.data["previous_due"] == old_acceptance.due
        assert recomputed.data["deadline"] == acceptance

        state = service.get(BUREAU, reply)
        assert state.reply_deadline is not None
        assert state.reply_deadline.provisional is False
        assert state.reply_deadline.due == after(TODAY, 15, by_override)
        assert state.reply_deadline.due != old_reply.due
        assert state.open_deadlines[0]["due"] == state.reply_deadline.due.isoformat()
        assert state.assignments[-1]["reply_due"] == state.reply_deadline.due
        assert [h.type for h in service.history(BUREAU, reply)][-1] == "DeadlineRecomputed"

        after_first = {cid: service.get(BUREAU, cid).version for cid in versions}
        assert after_first == versions | {spring: versions[spring] + 1,
                                          reply: versions[reply] + 1}
        head = configured.ledger.head()
        assert service.recompute_provisional(SYSTEM, list(versions)) == 0
        assert {cid: service.get(BUREAU, cid).version for cid in versions} == after_first
        assert configured.ledger.head() == head  # nothing recorded twice
    finally:
        configured.close()


def test_a_new_filing_after_the_override_is_official_at_once(
    settings: Settings, override_file: Path,
) -> None:
    configured = build(settings.model_copy(update={"calendar_overrides_file": override_file}),
                       clock=In2027())
    try:
        state = configured.complaints.file(BUREAU, details(), date(2027, 2, 4)).state
    finally:
        configured.close()

    assert state.acceptance_deadline.provisional is False
    assert state.acceptance_deadline.due == after(date(2027, 2, 4), 3, by_override)


# --- filing rules only the application layer sees -------------------------------------------


def test_the_public_files_on_the_website_channel_only_and_never_as_an_enterprise(
    container: Container,
) -> None:
    service = container.complaints

    with pytest.raises(InvalidValue, match="website"):
        service.file_public(details(channel="hotline"))
    filed = service.file_public(details(channel="website",
                                        filed_by_enterprise="91450200MA5KXXXX4H"), "web-1")

    assert filed.state.filed_by_enterprise is None
    assert filed.state.channel == "website"
    assert service.history(BUREAU, filed.state.id)[0].correlation_id == "web-1"


def test_an_enterprise_files_under_its_own_credit_code_whatever_the_details_say(
    container: Container, callers: dict[str, Caller],
) -> None:
    enterprise = callers["enterprise"]
    assert enterprise.enterprise

    filed = container.complaints.file(
        enterprise, details(filed_by_enterprise="91450200MA5KYYYY7G"), date(2025, 9, 26))

    assert filed.state.filed_by_enterprise == enterprise.enterprise
    assert container.complaints.get(enterprise, filed.state.id).complainant is None
    assert container.complaints.get(SUPERVISOR, filed.state.id).complainant == {
        "name": "覃女士", "phone": "0772-1234567", "enterprise": None}
    other = replace(enterprise, enterprise="91450200MA5KYYYY7G")
    with pytest.raises(Forbidden, match="may not"):
        container.complaints.get(other, filed.state.id)
