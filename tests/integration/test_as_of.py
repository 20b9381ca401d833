"""As-of reads below HTTP: where the log stood at a moment, the replayed read side, and
"today" in an as-of read being the moment's date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from eventsourcing import domain

from api.bootstrap import Container
from application.context import Caller
from application.moments import parse_moment, position_at
from domain.complaint import ComplaintDetails
from domain.errors import InvalidValue
from tests.conftest import add_role_accounts

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)


class RecordedClock:
    """Stands in for the time events are stamped with: from START, a minute per event."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now.astimezone(UTC)

    def jump(self, to: datetime) -> None:
        self.now = to


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch, container: Container) -> Iterator[RecordedClock]:
    """Events of this test recorded in March 2025, as if the office had worked then."""
    assert container.ledger.head() == 0  # no event recorded at another time before them
    clock = RecordedClock()
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", clock)
    yield clock


def _callers(c: Container) -> dict[str, Caller]:
    return {key: c.accounts.authenticate(token, f"test-{key}")
            for key, token in add_role_accounts(c).items()}


def _assigned_complaint(c: Container, callers: dict[str, Caller]) -> UUID:
    details = ComplaintDetails(channel="hotline", category="approval_service",
                               content="施工许可审批超时", respondent_unit="xzspj")
    complaint = c.complaints.file(callers["bureau"], details, date(2025, 3, 3)).state.id
    c.complaints.accept(callers["bureau"], complaint, on=date(2025, 3, 3))
    c.complaints.assign(callers["bureau"], complaint, unit="liudong", on=date(2025, 3, 3))
    return complaint


def test_an_as_of_read_judges_overdue_on_the_moments_date(container: Container,
                                                          recorded: RecordedClock) -> None:
    callers = _callers(container)
    complaint = _assigned_complaint(container, callers)
    container.follower.catch_up()
    admin = callers["admin"]

    # Today the reply (due 15 working days after 3 March) is long overdue …
    with container.reading([]) as (side, given):
        (row,) = side.reads.ledger(admin, "complaints", given).page.items
    assert row["overdue"] is True
    # … on 5 March it was not: the moment's date is that read's today.
    with container.reading([("as_of", "2025-03-05T18:00:00+08:00")]) as (side, given):
        assert container.clock.today() == date(2025, 3, 5)
        (past,) = side.reads.ledger(admin, "complaints", given).page.items
        supervision = side.reports.supervision(admin, given)
    assert container.clock.today() != date(2025, 3, 5)  # only inside the as-of read
    assert (past["id"], past["overdue"]) == (str(complaint), False)
    assert supervision["today"] == date(2025, 3, 5)
    assert supervision["overdue"] == 0



def test_an_item_as_of_a_moment_is_judged_on_the_moments_date(container: Container,
                                                             recorded: RecordedClock) -> None:
    callers = _callers(container)
    recorded.jump(datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI))
    order = container.orders.issue(callers["supervisor"], None, "协调解决用地指标", "liudong",
                                   due=date(2025, 3, 10), on=date(2025, 3, 3)).state.id
    recorded.jump(datetime(2025, 3, 4, 10, 0, tzinfo=SHANGHAI))
    container.orders.urge(callers["supervisor"], order, "请加快办理", on=date(2025, 3, 4))

    assert container.orders.get(callers["admin"], order).overdue is True
    then = container.orders.get(callers["admin"], order,
                                as_of=parse_moment("2025-03-05T18:00", SHANGHAI))
    assert (then.version, then.urge_count, then.overdue) == (2, 1, False)
    first = container.orders.get(callers["admin"], order,
                                 as_of=parse_moment("2025-03-03T10:30", SHANGHAI))
    assert (first.version, first.urge_count) == (1, 0)


def test_the_position_of_a_moment_is_the_last_event_recorded_by_then(
        container: Container, recorded: RecordedClock) -> None:
    callers = _callers(container)
    recorded.jump(datetime(2025, 3, 4, 9, 0, tzinfo=SHANGHAI))
    _assigned_complaint(container, callers)  # three events, 09:01, 09:02 and 09:03
    head = container.ledger.head()

    def at(text: str) -> int:
        return position_at(container.ledger, parse_moment(text, SHANGHAI), head)

    assert at("2025-03-04T09:03:00+08:00") == head
    assert at("2025-03-04T09:02:59") == head - 1  # Asia/Shanghai without an offset
    assert at("2025-03-04T01:02:00Z") == head - 1
    assert at("2025-03-04T09:00:00+08:00") == head - 3  # the accounts only
    assert at("2025-03-03T08:00:00+08:00") == 0


def test_one_replay_serves_every_read_of_a_position(container: Container,
                                                    recorded: RecordedClock) -> None:
    callers = _callers(container)
    _assigned_complaint(container, callers)
    moment = [("as_of", "2025-03-04T18:00:00+08:00")]
    with container.reading(moment) as (first, _):
        pass
    with container.reading(moment) as (again, _):
        pass
    assert again.reads is first.reads
    assert container.past.side(container.ledger.head()) is not first.reads
    with pytest.raises(InvalidValue, match="future"):
        container.past.moment([("as_of", (datetime.now(UTC) + timedelta(hours=1)).isoformat())])


def test_a_moment_is_iso_8601_with_or_without_an_offset() -> None:
    assert parse_moment("2025-06-30T18:00:00+08:00", SHANGHAI) == \
        datetime(2025, 6, 30, 10, 0, tzinfo=UTC)
    assert parse_moment("2025-06-30 18:00", SHANGHAI) == datetime(2025, 6, 30, 10, 0, tzinfo=UTC)
    # `+08:00` sent unencoded in a query string arrives as ` 08:00`
    assert parse_moment("2025-06-30T18:00:00 08:00", SHANGHAI) == \
        datetime(2025, 6, 30, 10, 0, tzinfo=UTC)
    assert parse_moment("2025-06-30t10:00:00.5z", SHANGHAI) == \
        datetime(2025, 6, 30, 10, 0, 0, 500000, tzinfo=UTC)
    assert parse_moment("0001-01-01T00:00:00+08:00", SHANGHAI) == \
        datetime.min.replace(tzinfo=UTC)
    for bad in ("2025-06-30", "2025-13-01T00:00", "20250630T180000", "now", "2025-06-30T18:00+8"):
        with pytest.raises(InvalidValue) as refused:
            parse_moment(bad, SHANGHAI)
        assert "日期时间" in str(refused.value)
