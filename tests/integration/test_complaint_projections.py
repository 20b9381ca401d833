"""The complaint ledger and the complaint statistics, checked against a hand-counted history,
on both backends, through their readers; and rebuilt == incremental."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container
from application import policy
from application.context import Caller
from domain.complaint import Complainant, Complaint, ComplaintDetails
from projections.complaint_ledger import ASSIGNMENTS, TABLE, ComplaintLedger
from projections.complaint_reader import ComplaintLedgerReader
from projections.complaint_stats import ComplaintStatsReader, UnitPerformanceReader
from projections.paging import encode_cursor

TODAY = date(2025, 7, 3)
UNIT_KEYS = {"liudong": "unit", "liujiang": "other_unit"}
DEFAULTS: dict[str, dict[str, Any]] = {
    "decline": {"reason": "不属于受理范围"}, "return_case": {"reason": "非本单位职责"},
    "reply": {"text": "已核实并整改"}, "request_extension": {"reason": "需现场核查"},
    "refuse_extension": {"reason": "理由不充分"}, "urge": {"text": "请加快办理"},
}


def set_today(monkeypatch: pytest.MonkeyPatch, c: Container, day: date) -> None:
    """Fix the container's today (business dates, overdue, nearly due) at `day`."""
    monkeypatch.setattr(c.clock, "today", lambda: day)


class Flow:
    """Runs complaint steps through the use cases, each by the role that may take it."""

    def __init__(self, c: Container, callers: dict[str, Caller]) -> None:
        self.c = c
        self.callers = callers

    def file(self, on: date, channel: str = "hotline", category: str = "approval_service",
             respondent: str = "zjj", anonymous: bool = False, by: str = "bureau") -> UUID:
        person = None if anonymous else Complainant("李明", "0772-1234567", "柳州某某机械公司")
        details = ComplaintDetails(channel=channel, category=category, content="审批超时未办结",
                                   respondent_unit=respondent, complainant=person)
        return self.c.complaints.file(self.callers[by], details, on).state.id

    def caller_for(self, step: str, complaint_id: UUID) -> Caller:
        if step in ("accept", "decline", "assign"):
            return self.callers["bureau"]
        if step in ("acknowledge", "return_case", "reply", "request_extension"):
            unit = self.c.store.load(Complaint, complaint_id).assigned_unit
            return self.callers[UNIT_KEYS[str(unit)]]
        return self.callers["supervisor"]

    def do(self, complaint_id: UUID, step: str, on: date, **kwargs: Any) -> int:
        """Take `step` (a ComplaintService method) on business date `on`; the position."""
        method = getattr(self.c.complaints, step)
        caller = self.caller_for(step, complaint_id)
        return int(method(caller, complaint_id, **{**DEFAULTS.get(step, {}), **kwargs},
                          on=on).position)

    def steps(self, complaint_id: UUID, *steps: tuple[Any, ...], year: int = 2025) -> UUID:
        """Run (step, month, day, kwargs?) tuples, all in `year`."""
        for step, month, day, *kwargs in steps:
            self.do(complaint_id, step, date(year, month, day), **(kwargs[0] if kwargs else {}))
        return complaint_id


def hand_counted_history(c: Container, callers: dict[str, Caller]) -> dict[str, UUID]:
    """Eight complaints of 2025, today being 2025-07-03 (L = liudong, J = liujiang).

    Due dates from the official 2025 calendar: acknowledge 1, reply 15 working days.
    """
    f = Flow(c, callers)
    ids: dict[str, UUID] = {}
    # C1 closed on time. L#1 assigned 03-05: ack due 03-06 (acked 03-06, in time);
    # reply due 03-26 (replied 03-20, on time); satisfied.
    ids["C1"] = f.steps(f.file(date(2025, 3, 3)), ("accept", 3, 4),
                        ("assign", 3, 5, {"unit": "liudong"}), ("acknowledge", 3, 6),
                        ("reply", 3, 20), ("callback", 3, 24, {"satisfaction": "satisfied"}),
                        ("close", 3, 25))
    # C2 anonymous website, closed on time thanks to an extension. L#1 assigned 03-12:
    # ack due 03-13 (acked 03-14, late); reply due 04-02, extended to 04-15, replied 04-10.
    ids["C2"] = f.steps(f.file(date(2025, 3, 10), channel="website", respondent="xzspj",
                               anonymous=True),
                        ("accept", 3, 11), ("assign", 3, 12, {"unit": "liudong"}),
                        ("acknowledge", 3, 14),
                        ("request_extension", 3, 28, {"until": date(2025, 4, 15)}),
                        ("approve_extension", 3, 31), ("reply", 4, 10),
                        ("callback", 4, 14, {"satisfaction": "basically_satisfied"}),
                        ("close", 4, 15))
    # C3 reopened, then closed on time by its final reply. J#1 assigned 04-03 (Thu): ack due
    # 04-07 because 04-04 is Qingming (acked 04-07, in time); reply due 04-25 (replied
    # 05-06, late); unsatisfied. L#2 assigned 05-09 (Fri): ack due 05-12 (acked 05-09);
    # reply due 05-30 (replied 05-20, on time); satisfied.
    ids["C3"] = f.steps(f.file(date(2025, 4, 1), category="fees_and_fines",
                               respondent="scjgj"),
                        ("accept", 4, 2), ("assign", 4, 3, {"unit": "liujiang"}),
                        ("acknowledge", 4, 7), ("reply", 5, 6),
                        ("callback", 5, 8, {"satisfaction": "unsatisfied", "comment": "未解决"}),
                        ("assign", 5, 9, {"unit": "liudong"}), ("acknowledge", 5, 9),
                        ("reply", 5, 20), ("callback", 5, 22, {"satisfaction": "satisfied"}),
                        ("close", 5, 23))
    # C4 declined.
    ids["C4"] = f.steps(f.file(date(2025, 4, 7), channel="mailbox", category="fees_and_fines",
                               respondent="scjgj"), ("decline", 4, 8))
    # C5 closed late. J#1 assigned 05-08: ack due 05-09, returned 05-09 unacknowledged (a
    # timely answer). L#2 assigned 05-12: ack due 05-13 (acked 05-14, late); reply due 06-03
    # (replied 06-20, late); satisfied.
    ids["C5"] = f.steps(f.file(date(2025, 5, 6), channel="walk_in", category="inspections",
                               respondent="sthjj"),
                        ("accept", 5, 7), ("assign", 5, 8, {"unit": "liujiang"}),
                        ("return_case", 5, 9), ("assign", 5, 12, {"unit": "liudong"}),
                        ("acknowledge", 5, 14), ("reply", 6, 20),
                        ("callback", 6, 23, {"satisfaction": "satisfied"}), ("close", 6, 24))
    # C6 open and overdue. J#1 assigned 06-05: acked 06-05; reply due 06-26, unreplied on
    # 07-03; urged twice; an extension until 07-31 pending.
    ids["C6"] = f.steps(f.file(date(2025, 6, 3), channel="county_zone",
                               category="policy_delivery", respondent="fgw"),
                        ("accept", 6, 4), ("assign", 6, 5, {"unit": "liujiang"}),
                        ("acknowledge", 6, 5), ("urge", 6, 30), ("urge", 7, 1),
                        ("request_extension", 7, 2, {"until": date(2025, 7, 31)}))
    # C7 awaiting acceptance: due 07-04, not overdue on 07-03.
    ids["C7"] = f.file(date(2025, 7, 1), category="conduct")
    # C8 filed by the enterprise account; L#1 assigned 07-03: ack due 07-04 and reply due
    # 07-24 still ahead, so not yet judged.
    ids["C8"] = f.steps(f.file(date(2025, 7, 2), channel="municipal_department",
                               category="other", respondent="gxj", by="enterprise"),
                        ("accept", 7, 3), ("assign", 7, 3, {"unit": "liudong"}))
    return ids


@pytest.fixture
def history(backend_container: Container, backend_callers: dict[str, Caller],
            monkeypatch: pytest.MonkeyPatch) -> dict[str, UUID]:
    set_today(monkeypatch, backend_container, TODAY)
    ids = hand_counted_history(backend_container, backend_callers)
    backend_container.follower.catch_up()
    return ids


def _ledger(c: Container, **filters: Any) -> list[str]:
    page = ComplaintLedgerReader(c.views).page({"today": TODAY, **filters}, limit=100)
    assert page.count == len(page.items)
    return [item["id"] for item in page.items]


def _names(ids: dict[str, UUID], found: list[str]) -> list[str]:
    by_id = {str(v): k for k, v in ids.items()}
    return [by_id[i] for i in found]


def test_ledger_filters_match_the_hand_count(backend_container: Container,
                                            history: dict[str, UUID]) -> None:
    def names(**filters: Any) -> list[str]:
        return _names(history, _ledger(backend_container, **filters))

    assert names() == ["C8", "C7", "C6", "C5", "C4", "C3", "C2", "C1"]  # newest first
    assert names(status="closed") == ["C5", "C3", "C2", "C1"]
    # Now assigned: L has C1, C2, C3 (second assignment), C5 (second), C8; J has C6.
    assert names(unit="liudong") == ["C8", "C5", "C3", "C2", "C1"]
    assert names(unit="liujiang") == ["C6"]
    assert names(channel="hotline") == ["C7", "C3", "C1"]
    assert names(category="fees_and_fines") == ["C4", "C3"]
    assert names(respondent_unit="zjj") == ["C7", "C1"]
    assert names(received_from=date(2025, 4, 1), received_to=date(2025, 6, 30)) == [
        "C6", "C5", "C4", "C3"]
    # Overdue on 07-03: only C6 (reply due 06-26); C7's acceptance is due 07-04, C8's reply
    # 07-24; the others are final or wait on no deadline.
    assert names(overdue=True) == ["C6"]
    assert names(overdue=False) == ["C8", "C7", "C5", "C4", "C3", "C2", "C1"]


def test_ledger_rows_show_deadline_extension_and_urges_without_personal_data(
        backend_container: Container, history: dict[str, UUID]) -> None:
    rows = {r["id"]: r for r in ComplaintLedgerReader(backend_container.views).page(
        {"today": TODAY}, limit=100).items}
    c6, c2, c7 = (rows[str(history[k])] for k in ("C6", "C2", "C7"))
    assert (c6["status"], c6["status_label"]) == ("acknowledged", "签收")
    assert c6["deadline"] == {"kind": "reply", "kind_label": "答复期限", "due": "2025-06-26",
                              "provisional": False}
    assert c6["overdue"] is True
    assert c6["urge_count"] == 2
    assert c6["pending_extension"] == {"until": "2025-07-31", "requested_on": "2025-07-02"}
    assert c7["deadline"]["kind"] == "acceptance" and c7["deadline"]["due"] == "2025-07-04"
    assert c7["overdue"] is False
    assert (c2["anonymous"], c2["satisfaction"], c2["closed_on"]) == (
        True, "basically_satisfied", "2025-04-15")
    assert c2["deadline"] is None and c2["pending_extension"] is None
    assert not rows[str(history["C1"])]["anonymous"]
    with backend_container.views.read() as tx:
        stored = tx.all(f"SELECT * FROM {TABLE}") + tx.all(f"SELECT * FROM {ASSIGNMENTS}")
    for text in ("李明", "0772-1234567", "柳州某某机械公司"):  # who complained: never
        assert text not in repr(stored)
        assert text not in repr(rows)


def test_ledger_scope_and_pagination(backend_container: Container,
                                     backend_callers: dict[str, Caller],
                                     history: dict[str, UUID]) -> None:
    def scoped(key: str) -> list[str]:
        scope = policy.scope(backend_callers[key], "complaint.read")
        return _names(history, _ledger(backend_container, scope_unit=scope.unit,
                                       scope_enterprise=scope.enterprise))

    assert scoped("unit") == ["C8", "C5", "C3", "C2", "C1"]
    assert scoped("other_unit") == ["C6"]
    assert scoped("enterprise") == ["C8"]
    assert len(scoped("leader")) == 8
    reader = ComplaintLedgerReader(backend_container.views)
    seen: list[str] = []
    cursor = None
    for expected in (3, 3, 2):
        page = reader.page({"today": TODAY}, limit=3, cursor=cursor)
        assert (len(page.items), page.count) == (expected, 8)
        seen += [item["id"] for item in page.items]
        cursor = page.next_cursor
    assert cursor is None
    assert _names(history, seen) == ["C8", "C7", "C6", "C5", "C4", "C3", "C2", "C1"]
    with pytest.raises(ValueError, match="not one this ledger issued"):
        reader.page({"today": TODAY}, cursor=encode_cursor("p", 5))


def test_ledger_filters_take_lists_meaning_any_of(backend_container: Container,
                                                 history: dict[str, UUID]) -> None:
    def names(**filters: Any) -> list[str]:
        return _names(history, _ledger(backend_container, **filters))

    assert names(status=["closed", "declined"]) == ["C5", "C4", "C3", "C2", "C1"]
    assert names(channel=("hotline", "website")) == ["C7", "C3", "C2", "C1"]
    assert names(channel=("hotline", "website"), category="approval_service") == ["C2", "C1"]
    assert names(unit=["liudong", "liujiang"], status="closed") == ["C5", "C3", "C2", "C1"]
    assert names(scope_unit=["liujiang"]) == ["C6"]
    assert names(status=[]) == []  # any of nothing is nothing


def test_ledger_needs_today_to_mark_overdue_rows(backend_container: Container,
                                                history: dict[str, UUID]) -> None:
    reader = ComplaintLedgerReader(backend_container.views)
    with pytest.raises(ValueError, match="'today'"):
        reader.page({"status": "closed"})
    with pytest.raises(ValueError, match="overdue filter needs 'today'"):
        reader.newest_received({"overdue": True}, 10)
    with pytest.raises(ValueError, match="unknown filter 'receipt'"):
        reader.page({"today": TODAY, "receipt": "ABC"})


def test_newest_received_lists_complaints_by_date_received_for_open311(
        backend_container: Container, backend_callers: dict[str, Caller],
        history: dict[str, UUID]) -> None:
    # Entered last (补录) but received first: last by date received, first by log order.
    late = Flow(backend_container, backend_callers).file(date(2025, 3, 1))
    backend_container.follower.catch_up()
    ids = {**history, "C0": late}
    reader = ComplaintLedgerReader(backend_container.views)

    def newest(limit: int = 50, **filters: Any) -> list[str]:
        return _names(ids, reader.newest_received(filters, limit))

    assert newest() == ["C8", "C7", "C6", "C5", "C4", "C3", "C2", "C1", "C0"]
    assert _names(ids, _ledger(backend_container))[0] == "C0"
    assert newest(3) == ["C8", "C7", "C6"]
    assert newest(status=["closed", "declined"], category=["fees_and_fines", "inspections"],
                  received_from=date(2025, 4, 1), received_to=date(2025, 6, 30)) == [
        "C5", "C4", "C3"]
    assert newest(scope_unit="liujiang") == ["C6"]
    assert newest(scope_enterprise="91450200MA5KXXXX4H") == ["C8"]


def test_complaint_counts_match_the_hand_count(backend_container: Container,
                                               history: dict[str, UUID]) -> None:
    stats = ComplaintStatsReader(backend_container.views)
    q2 = stats.counts(date(2025, 4, 1), date(2025, 6, 30))
    # received C3 04-01, C4 04-07, C5 05-06, C6 06-03 = 4; accepted C3, C5, C6 = 3;
    # declined C4 = 1; closed C2 04-15, C3 05-23, C5 06-24 = 3; on time C2, C3 = 2.
    assert {k: q2[k] for k in ("received", "accepted", "declined", "closed",
                               "closed_on_time")} == {
        "received": 4, "accepted": 3, "declined": 1, "closed": 3, "closed_on_time": 2}
    channels = {row["code"]: row for row in q2["by_channel"]}
    assert len(channels) == 6  # every channel listed, zeros included
    # website: C2 closed on time; hotline: C3 everything; mailbox: C4 received + declined;
    # walk_in: C5 received, accepted, closed late; county_zone: C6 received + accepted.
    assert _five(channels["website"]) == (0, 0, 0, 1, 1)
    assert _five(channels["hotline"]) == (1, 1, 0, 1, 1)
    assert _five(channels["mailbox"]) == (1, 0, 1, 0, 0)
    assert _five(channels["walk_in"]) == (1, 1, 0, 1, 0)
    assert _five(channels["county_zone"]) == (1, 1, 0, 0, 0)
    assert _five(channels["municipal_department"]) == (0, 0, 0, 0, 0)
    categories = {row["code"]: row for row in q2["by_category"]}
    assert categories["fees_and_fines"]["label"] == "涉企收费"
    # fees_and_fines: C3 (received, accepted, closed on time) + C4 (received, declined).
    assert _five(categories["fees_and_fines"]) == (2, 1, 1, 1, 1)
    assert _five(categories["approval_service"]) == (0, 0, 0, 1, 1)  # C2
    assert _five(categories["inspections"]) == (1, 1, 0, 1, 0)  # C5
    assert _five(categories["policy_delivery"]) == (1, 1, 0, 0, 0)  # C6
    everything = stats.counts(None, None)
    # received all 8; accepted C1 C2 C3 C5 C6 C8 = 6; declined C4; closed C1 C2 C3 C5 = 4;
    # on time C1 C2 C3 = 3.
    assert _five(everything) == (8, 6, 1, 4, 3)


def _five(row: dict[str, Any]) -> tuple[int, ...]:
    return tuple(row[k] for k in ("received", "accepted", "declined", "closed",
                                  "closed_on_time"))


def test_unit_performance_matches_the_hand_count(backend_container: Container,
                                                 history: dict[str, UUID]) -> None:
    reader = UnitPerformanceReader(backend_container.views, backend_container.calendar)

    def stats(start: date | None, end: date | None) -> dict[str, dict[str, Any]]:
        rows = reader.rates(start, end, backend_container.policy.acknowledge_days, TODAY)
        return {r["code"]: r for r in rows}

    def rates(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple((row[k]["numerator"], row[k]["denominator"], row[k]["rate"])
                     for k in ("response", "on_time_reply", "satisfaction"))

    units = stats(None, None)
    assert list(units) == ["liudong", "liujiang"]
    # L: C1#1, C2#1, C3#2, C5#2, C8#1 = 5 assignments. Response: C1 ok, C2 late, C3#2 ok,
    # C5#2 late; C8 not yet due = 2/4. Reply: C1, C2 (extended), C3#2 on time, C5#2 late;
    # C8 not yet due = 3/4. Satisfaction: C1, C2 (basically), C3#2, C5#2 = 4/4.
    assert units["liudong"]["assignments"] == 5
    assert rates(units["liudong"]) == ((2, 4, 0.5), (3, 4, 0.75), (4, 4, 1.0))
    # J: C3#1, C5#1, C6#1 = 3. Response: C3#1 (due 04-07 over Qingming), C5#1 returned in
    # time, C6 = 3/3. Reply: C3#1 late, C5#1 returned (left out), C6 unreplied past 06-26 =
    # 0/2. Satisfaction: C3#1 unsatisfied = 0/1.
    assert units["liujiang"]["assignments"] == 3
    assert rates(units["liujiang"]) == ((3, 3, 1.0), (0, 2, 0.0), (0, 1, 0.0))
    may_june = stats(date(2025, 5, 1), date(2025, 6, 30))
    # L: C3#2 (05-09), C5#2 (05-12): response 1/2, reply 1/2, satisfaction 2/2.
    assert rates(may_june["liudong"]) == ((1, 2, 0.5), (1, 2, 0.5), (2, 2, 1.0))
    # J: C5#1 (05-08), C6 (06-05): response 2/2, reply C6 late 0/1, no callbacks.
    assert rates(may_june["liujiang"]) == ((2, 2, 1.0), (0, 1, 0.0), (0, 0, None))
    with pytest.raises(ValueError, match="before it starts"):
        reader.rates(date(2025, 2, 1), date(2025, 1, 1), 1, TODAY)
    with pytest.raises(ValueError, match="before it starts"):
        ComplaintStatsReader(backend_container.views).counts(date(2025, 2, 1), date(2025, 1, 1))


def _rows(c: Container) -> list[dict[str, Any]]:
    with c.views.read() as tx:
        return (tx.all(f"SELECT * FROM {TABLE} ORDER BY id")
                + tx.all(f"SELECT * FROM {ASSIGNMENTS} ORDER BY id"))


def test_rebuilt_complaint_ledger_equals_incrementally_built_one(
        backend_container: Container, backend_callers: dict[str, Caller],
        monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, backend_container, TODAY)
    hand_counted_history(backend_container, backend_callers)
    backend_container.follower.batch_size = 3  # as a live follower sees the log arrive
    backend_container.follower.catch_up()
    incremental = _rows(backend_container)
    assert len(incremental) == 8 + 8  # complaints + assignments
    backend_container.follower.batch_size = 1000
    head = backend_container.ledger.head()
    assert backend_container.follower.rebuild(ComplaintLedger.name) == head
    assert _rows(backend_container) == incremental
