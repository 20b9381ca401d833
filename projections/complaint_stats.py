"""Complaint statistics read from the complaint ledger's tables (projections/complaint_ledger).

Periods are business dates, both ends inclusive, either end optional.

Complaint counts (`ComplaintStatsReader.counts`): received by `received_on`, accepted by
`accepted_on`, declined by `declined_on`, closed by `closed_on`; *closed on time* (按期办结)
are the closed ones whose final reply was on or before that assignment's reply due date,
extension applied.

Unit performance (`UnitPerformanceReader.rates`) follows the cohort of assignments (交办)
made to each unit in the period (by `assigned_on`), judged as of `today`:

- response rate (签收及时率): responded / judged. An assignment is responded in time when the
  unit acknowledged it (签收) — or returned it (退单) without acknowledging, which also
  answers the assignment — on or before the acknowledgement due date, `acknowledge_days`
  working days after the assignment, computed here at read time with the working calendar
  from the stored dates (so a configured calendar applies to the figures at once). It is
  judged once answered or once that due date has passed.
- on-time reply rate (按期答复率): replied on or before the reply due date with any approved
  extension, over the assignments replied plus those still unreplied past that date;
  returned assignments are left out (the case went to another unit).
- satisfaction rate (满意率): satisfied + basically satisfied over the callbacks recorded.

Each rate comes with its numerator and denominator; it is None when the denominator is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from domain.calendar import WorkingCalendar
from domain.complaint import Category, Channel
from projections.complaint_ledger import ASSIGNMENTS, TABLE, ComplaintLedger
from projections.stats import Period, breakdown
from projections.store import ViewStore

COUNTS = ("received", "accepted", "declined", "closed", "closed_on_time")
SATISFIED = frozenset({"satisfied", "basically_satisfied"})


def _in(column: str) -> str:
    return f"SUM(CASE WHEN {column} >= ? AND {column} <= ? THEN 1 ELSE 0 END)"


COUNTS_SQL = (
    f"SELECT channel, category, {_in('received_on')} AS received, "
    f"{_in('accepted_on')} AS accepted, {_in('declined_on')} AS declined, "
    f"{_in('closed_on')} AS closed, "
    "SUM(CASE WHEN closed_on >= ? AND closed_on <= ? AND replied_on <= effective_reply_due "
    f"THEN 1 ELSE 0 END) AS closed_on_time FROM {TABLE} GROUP BY channel, category"
)


class ComplaintStatsReader:
    """Reads the complaint counts of a period from the complaint ledger."""

    projection = ComplaintLedger.name

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def counts(self, start: date | None, end: date | None) -> dict[str, Any]:
        """Received, accepted, declined, closed and closed on time in the period: in total,
        by channel and by category (every channel and category listed, zeros included).
        ValueError if the period ends before it starts."""
        bounds = Period(start, end).bounds()
        with self.store.read() as tx:
            rows = tx.all(COUNTS_SQL, bounds * len(COUNTS))
        total = dict.fromkeys(COUNTS, 0)
        by_channel = {code: dict.fromkeys(COUNTS, 0) for code in Channel.labels()}
        by_category = {code: dict.fromkeys(COUNTS, 0) for code in Category.labels()}
        for row in rows:
            for name in COUNTS:
                n = int(row[name] or 0)
                total[name] += n
                by_channel.setdefault(row["channel"], dict.fromkeys(COUNTS, 0))[name] += n
                by_category.setdefault(row["category"], dict.fromkeys(COUNTS, 0))[name] += n
        return {**total, "by_channel": breakdown(by_channel.items(), Channel.labels()),
                "by_category": breakdown(by_category.items(), Category.labels())}


class UnitPerformanceReader:
    """Reads the units' performance on complaint assignments (交办) of a period."""

    projection = ComplaintLedger.name

    def __init__(self, store: ViewStore, calendar: WorkingCalendar) -> None:
        self.store = store
        self.calendar = calendar  # acknowledgement due dates are computed at read time

    def rates(self, start: date | None, end: date | None, acknowledge_days: int,
              today: date) -> list[dict[str, Any]]:
        """Per unit with assignments in the period, ordered by unit code, as breakdown rows
        (`code`: the unit; the application puts its name in `label`): the three rates,
        pending assignments judged against `today`. ValueError if the period ends before it
        starts."""
        low, high = Period(start, end).bounds()
        with self.store.read() as tx:
            rows = tx.all(f"SELECT * FROM {ASSIGNMENTS} WHERE assigned_on >= ? "
                          "AND assigned_on <= ? ORDER BY unit, assigned_on, id", (low, high))

        @cache
        def ack_due(assigned_on: str) -> str:
            return self.calendar.add_working_days(date.fromisoformat(assigned_on),
                                                  acknowledge_days).due.isoformat()

        units: dict[str, _Tally] = {}
        for row in rows:
            units.setdefault(row["unit"], _Tally()).add(row, ack_due(row["assigned_on"]),
                                                        today.isoformat())
        return breakdown((unit, tally.rates()) for unit, tally in units.items())


@dataclass
class _Tally:
    """One unit's assignments, counted towards its three rates."""

    assignments: int = 0
    responded: int = 0
    response_judged: int = 0
    on_time: int = 0
    reply_judged: int = 0
    satisfied: int = 0
    callbacks: int = 0

    def add(self, row: dict[str, Any], ack_due: str, today: str) -> None:
        self.assignments += 1
        answered = row["acknowledged_on"] or row["returned_on"]
        if answered is not None or ack_due < today:
            self.response_judged += 1
            self.responded += int(answered is not None and answered <= ack_due)
        reply_due = row["effective_reply_due"]
        if row["replied_on"] is not None:
            self.reply_judged += 1
            self.on_time += int(row["replied_on"] <= reply_due)
        elif row["returned_on"] is None and reply_due < today:
            self.reply_judged += 1
        if row["satisfaction"] is not None:
            self.callbacks += 1
            self.satisfied += int(row["satisfaction"] in SATISFIED)

    def rates(self) -> dict[str, Any]:
        return {"assignments": self.assignments,
                "response": _rate(self.responded, self.response_judged),
                "on_time_reply": _rate(self.on_time, self.reply_judged),
                "satisfaction": _rate(self.satisfied, self.callbacks)}


def _rate(numerator: int, denominator: int) -> dict[str, Any]:
    return {"numerator": numerator, "denominator": denominator,
            "rate": round(numerator / denominator, 4) if denominator else None}
