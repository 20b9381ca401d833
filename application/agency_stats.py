"""代办统计: the agency figures of a period, read like every report (403 → parameters → wait,
`Reads.report`) from the agency ledger (projections/agency_stats.py).

Periods are business dates, both ends inclusive, either end optional:

- enterprises served (为N家企业开展代办服务): distinct enterprises of the cases active in the
  period — opened on or before its end and not closed before its start; an enterprise served
  by two cases counts once;
- cases opened, cases closed: by the date of that step;
- items approved (已批复): approvals standing now (a corrected one no longer counts) dated in
  the period;
- working days per approved item: from its first submission (已报件) — or, never submitted,
  its first record — to its approval, counted on the working-day calendar; the median.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from statistics import median
from typing import Any, Protocol, cast

from application.agency_items import AgencyItems
from application.context import Caller
from application.queries import PERIOD, Reads
from domain.calendar import WorkingCalendar

READER = "agency-stats"  # the reader's name among the composition root's readers


class AgencyStatsReader(Protocol):
    projection: str

    def active_cases(self, start: date | None, end: date | None) -> list[dict[str, Any]]:
        """Cases active in the period: id, enterprise_id, agent, agent_name, opened_on,
        closed_on (ISO dates)."""
        ...

    def approvals(self, start: date | None, end: date | None) -> list[dict[str, Any]]:
        """Items whose standing approval is dated in the period: item, agent, started_on
        (first submission, else first record) and approved_on (ISO dates)."""
        ...


def report(reads: Reads, calendar: WorkingCalendar, catalogue: AgencyItems, caller: Caller,
           given: Iterable[tuple[str, str]]) -> dict[str, Any]:
    reader = cast(AgencyStatsReader, reads.readers[READER])
    values, position = reads.report(caller, "stats.read", PERIOD, given, reader.projection)
    start, end = values.get("from"), values.get("to")
    cases = reader.active_cases(start, end)
    approved = [{**a, "days": calendar.working_days_between(
        date.fromisoformat(a["started_on"]), date.fromisoformat(a["approved_on"]))}
        for a in reader.approvals(start, end)]
    served = len({c["enterprise_id"] for c in cases})
    return {
        "period": {"from": start, "to": end},
        "enterprises_served": served,
        **_case_counts(cases, start, end),
        "items_approved": len(approved),
        "median_working_days": _median(approved),
        "by_item": [{"code": item.code, "label": item.name,
                     "approved": len(of_item := [a for a in approved if a["item"] == item.code]),
                     "median_working_days": _median(of_item)}
                    for item in catalogue.all()],
        "by_agent": _by_agent(cases, approved, start, end),
        "summary": f"为{served}家企业开展代办服务",
        "position": position,
    }


def _within(day: str | None, start: date | None, end: date | None) -> bool:
    return day is not None and (start is None or day >= start.isoformat()) and (
        end is None or day <= end.isoformat())


def _case_counts(cases: list[dict[str, Any]], start: date | None, end: date | None
                 ) -> dict[str, int]:
    return {"cases_active": len(cases),
            "cases_opened": sum(_within(c["opened_on"], start, end) for c in cases),
            "cases_closed": sum(_within(c["closed_on"], start, end) for c in cases)}


def _median(approved: list[dict[str, Any]]) -> float | None:
    return float(median(a["days"] for a in approved)) if approved else None


def _by_agent(cases: list[dict[str, Any]], approved: list[dict[str, Any]],
              start: date | None, end: date | None) -> list[dict[str, Any]]:
    """Per agent now holding cases active in the period, by name."""
    names = {c["agent"]: c["agent_name"] for c in cases}
    rows = []
    for agent, name in sorted(names.items(), key=lambda pair: (pair[1], pair[0])):
        own = [c for c in cases if c["agent"] == agent]
        rows.append({"code": agent, "label": name,
                     "enterprises_served": len({c["enterprise_id"] for c in own}),
                     **_case_counts(own, start, end),
                     "items_approved": sum(a["agent"] == agent for a in approved)})
    return rows
