"""Complaint statistics read from the complaint ledger's tables (projections/complaint_ledger).

Periods are business dates, both ends inclusive, either end optional.

Complaint counts (`complaint_counts`): received by `received_on`, accepted by `accepted_on`,
declined by `declined_on`, closed by `closed_on`; *closed on time* (按期办结) are the closed
ones whose final reply was on or before that assignment's reply due date, extension applied.

Unit performance (`unit_performance`) follows the cohort of assignments (交办) made to each
unit in the period (by `assigned_on`), judged as of `today`:

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
from domain.complaint import CATEGORY_LABELS, CHANNEL_LABELS
from projections.complaint_ledger import ASSIGNMENTS, TABLE
from projections.store import ViewStore

EARLIEST, LATEST = "0001-01-01", "9999-12-31"
COUNTS = ("received", "accepted", "declined", "closed", "closed_on_time")
SATISFIED = frozenset({"satisfied", "basically_satisfied"})


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    def bounds(self) -> tuple[str, str]:
        if self.start is not None and self.end is not None and self.end < self.start:
            msg = f"period ends ({self.end}) before it starts ({self.start})"
            raise ValueError(msg)
        return (self.start.isoformat() if self.start else EARLIEST,
                self.end.isoformat() if self.end else LATEST)


def _in(column: str) -> str:
    return f"SUM(CASE WHEN {column} >= ? AND {column} <= ? THEN 1 ELSE 0 END)"


COUNTS_SQL = (
    f"SELECT channel, category, {_in('received_on')} AS received, "
    f"{_in('accepted_on')} AS accepted, {_in('declined_on')} AS declined, "
    f"{_in('closed_on')} AS closed, "
    "SUM(CASE WHEN closed_on >= ? AND closed_on <= ? AND replied_on <= effective_reply_due "
    f"THEN 1 ELSE 0 END) AS closed_on_time FROM {TABLE} GROUP BY channel, category"
)


def complaint_counts(store: ViewStore, period: Period) -> dict[str, Any]:
    """Received, accepted, declined, closed and closed on time in the period: in total, by
    channel and by category (every channel and category listed, zeros included)."""
    bounds = period.bounds()
    with store.read() as tx:
        rows = tx.all(COUNTS_SQL, bounds * len(COUNTS))
    total = dict.fromkeys(COUNTS, 0)
    by_channel = {code: dict.fromkeys(COUNTS, 0) for code in CHANNEL_LABELS}
    by_category = {code: dict.fromkeys(COUNTS, 0) for code in CATEGORY_LABELS}
    for row in rows:
        for name in COUNTS:
            n = int(row[name] or 0)
            total[name] += n
            by_channel.setdefault(row["channel"], dict.fromkeys(COUNTS, 0))[name] += n
            by_category.setdefault(row["category"], dict.fromkeys(COUNTS, 0))[name] += n
    return {
        **total,
        "by_channel": [{"channel": code, "label": CHANNEL_LABELS.get(code, code), **counts}
                       for code, counts in by_channel.items()],
        "by_category": [{"category": code, "label": CATEGORY_LABELS.get(code, code), **counts}
                        for code, counts in by_category.items()],
    }


def _rate(numerator: int, denominator: int) -> dict[str, Any]:
    return {"numerator": numerator, "denominator": denominator,
            "rate": round(numerator / denominator, 4) if denominator else None}


def unit_performance(store: ViewStore, period: Period, calendar: WorkingCalendar,
                     acknowledge_days: int, today: date) -> list[dict[str, Any]]:
    """Per unit with assignments in the period: the three rates, ordered by unit code."""
    start, end = period.bounds()
    with store.read() as tx:
        rows = tx.all(f"SELECT * FROM {ASSIGNMENTS} WHERE assigned_on >= ? AND assigned_on <= ? "
                      "ORDER BY unit, assigned_on, id", (start, end))

    @cache
    def ack_due(assigned_on: str) -> str:
        return calendar.add_working_days(date.fromisoformat(assigned_on),
                                         acknowledge_days).due.isoformat()

    now = today.isoformat()
    units: dict[str, dict[str, int]] = {}
    for row in rows:
        tally = units.setdefault(row["unit"], dict.fromkeys(
            ("assignments", "responded", "response_judged", "on_time", "reply_judged",
             "satisfied", "callbacks"), 0))
        tally["assignments"] += 1
        answered = row["acknowledged_on"] or row["returned_on"]
        due = ack_due(row["assigned_on"])
        if answered is not None or due < now:
            tally["response_judged"] += 1
            tally["responded"] += int(answered is not None and answered <= due)
        reply_due = row["effective_reply_due"]
        if row["replied_on"] is not None:
            tally["reply_judged"] += 1
            tally["on_time"] += int(row["replied_on"] <= reply_due)
        elif row["returned_on"] is None and reply_due < now:
            tally["reply_judged"] += 1
        if row["satisfaction"] is not None:
            tally["callbacks"] += 1
            tally["satisfied"] += int(row["satisfaction"] in SATISFIED)
    return [{"unit": unit, "assignments": t["assignments"],
             "response": _rate(t["responded"], t["response_judged"]),
             "on_time_reply": _rate(t["on_time"], t["reply_judged"]),
             "satisfaction": _rate(t["satisfied"], t["callbacks"])}
            for unit, t in units.items()]

