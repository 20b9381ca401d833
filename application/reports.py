"""督查督办 and 统计: the supervision view and the statistics, read like every ledger
(scope → parameters → wait → reader) and completed with what only the application knows:
today, the deadline policy and the units' names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from application import policy
from application.calendar import DeadlinePolicy
from application.context import Caller, Clock
from application.queries import PERIOD, Param, Reads, words
from application.units import Units
from domain.enterprise_request import Category as RequestCategory


class SupervisionReader(Protocol):
    projection: str

    def overdue_by_unit(self, today: date, nearly_due_days: int, *,
                        unit: str | Sequence[str] | None = None,
                        scope_unit: str | Sequence[str] | None = None
                        ) -> list[dict[str, Any]]: ...


class ComplaintStatsReader(Protocol):
    projection: str

    def counts(self, start: date | None, end: date | None) -> dict[str, Any]: ...


class UnitPerformanceReader(Protocol):
    projection: str

    def rates(self, start: date | None, end: date | None, acknowledge_days: int,
              today: date) -> list[dict[str, Any]]: ...


class RequestStatsReader(Protocol):
    projection: str

    def stats(self, start: date | None, end: date | None) -> dict[str, Any]: ...


SUPERVISION: dict[str, Param] = {"unit": words("Only these units' items (unit codes)")}


@dataclass(frozen=True)
class ReportReaders:
    """The read models behind the reports, wired in by the composition root."""

    supervision: SupervisionReader
    complaint_stats: ComplaintStatsReader
    unit_performance: UnitPerformanceReader
    request_stats: RequestStatsReader


class Reports:
    """The supervision view and the statistics endpoints' use cases."""

    def __init__(self, reads: Reads, readers: ReportReaders, clock: Clock, units: Units,
                 deadlines: DeadlinePolicy, nearly_due_days: int) -> None:
        self.reads = reads
        self.readers = readers
        self.clock = clock
        self.units = units
        self.deadlines = deadlines
        self.nearly_due_days = nearly_due_days

    def _unit_name(self, code: str | None) -> str | None:
        unit = self.units.get(code) if code else None
        return unit.name if unit else None

    def supervision(self, caller: Caller, given: Any) -> dict[str, Any]:
        """Every open item past its due date (超期) or nearly due (临期) as of today, grouped
        by the unit that must act; a unit account sees its own items only."""
        reader = self.readers.supervision
        scope = policy.scope(caller, "supervision.read")
        values, position = self.reads.report(caller, "supervision.read", SUPERVISION, given,
                                              reader.projection)
        today = self.clock.today()
        groups = reader.overdue_by_unit(today, self.nearly_due_days, unit=values.get("unit"),
                                        scope_unit=scope.unit)
        for group in groups:
            group["unit_name"] = self._unit_name(group["unit"])
        return {"today": today, "nearly_due_days": self.nearly_due_days, "units": groups,
                "position": position, "overdue": sum(g["overdue"] for g in groups),
                "nearly_due": sum(g["nearly_due"] for g in groups),
                "flags": sum(len(g["flags"]) for g in groups)}

    def unit_performance(self, caller: Caller, given: Any) -> dict[str, Any]:
        reader = self.readers.unit_performance
        values, position = self.reads.report(caller, "stats.read", PERIOD, given,
                                             reader.projection)
        today = self.clock.today()
        days = self.deadlines.acknowledge_days
        rows = reader.rates(values.get("from"), values.get("to"), days, today)
        for row in rows:
            row["unit_name"] = self._unit_name(row["unit"])
        return {"period": _period(values), "today": today, "acknowledge_days": days,
                "units": rows, "position": position}

    def complaint_counts(self, caller: Caller, given: Any) -> dict[str, Any]:
        reader = self.readers.complaint_stats
        values, position = self.reads.report(caller, "stats.read", PERIOD, given,
                                             reader.projection)
        return {**reader.counts(values.get("from"), values.get("to")),
                "period": _period(values), "position": position}

    def request_stats(self, caller: Caller, given: Any) -> dict[str, Any]:
        reader = self.readers.request_stats
        values, position = self.reads.report(caller, "stats.read", PERIOD, given,
                                             reader.projection)
        figures = reader.stats(values.get("from"), values.get("to"))
        summary = (f"帮助{figures['solved_enterprises']}家企业解决{figures['solved_projects']}"
                   f"个项目共计{figures['resolved']}个问题")
        by_category = {code.value: {"label": code.label, **figures["by_category"].get(
            code.value, {"raised": 0, "resolved": 0})} for code in RequestCategory}
        return {**figures, **_period(values), "by_category": by_category, "summary": summary,
                "position": position}


def _period(values: dict[str, Any]) -> dict[str, date | None]:
    return {"from": values.get("from"), "to": values.get("to")}
