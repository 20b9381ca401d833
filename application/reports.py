"""督查督办 and 统计: the supervision view and the statistics, read like every ledger
(scope → parameters → wait → reader) and completed with what only the application knows:
today, the deadline policy and the units' names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from application import policy
from application.calendar import DeadlinePolicy
from application.context import Caller, Clock
from application.industries import Industries
from application.queries import PERIOD, Param, Reads, words
from application.units import Units


class SupervisionReader(Protocol):
    projection: str

    def overdue_by_unit(self, today: date, nearly_due_days: int, *,
                        unit: str | Sequence[str] | None = None,
                        scope_unit: str | Sequence[str] | None = None,
                        extra: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]: ...


class OpenItems(Protocol):
    """Open items of the supervision view computed when read rather than kept in its table
    (信息报送: application/reporting.py)."""

    projection: str

    def open_items(self, today: date, **filters: Any) -> list[dict[str, Any]]: ...


class ComplaintStatsReader(Protocol):
    projection: str

    def counts(self, start: date | None, end: date | None) -> dict[str, Any]: ...


class UnitPerformanceReader(Protocol):
    projection: str

    def rates(self, start: date | None, end: date | None, acknowledge_days: int,
              today: date) -> list[dict[str, Any]]: ...


class StatsReader(Protocol):
    """The figures of a period: requests (request_stats), projects (project_stats)."""

    projection: str

    def stats(self, start: date | None, end: date | None) -> dict[str, Any]: ...


SUPERVISION: dict[str, Param] = {"unit": words("Only these units' items (unit codes)")}


@dataclass(frozen=True)
class ReportReaders:
    """The read models behind the reports, wired in by the composition root."""

    supervision: SupervisionReader
    complaint_stats: ComplaintStatsReader
    unit_performance: UnitPerformanceReader
    request_stats: StatsReader
    project_stats: StatsReader


class Reports:
    """The supervision view and the statistics endpoints' use cases."""

    def __init__(self, reads: Reads, readers: ReportReaders, clock: Clock, units: Units,
                 deadlines: DeadlinePolicy, nearly_due_days: int,
                 open_items: Sequence[OpenItems] = (),
                 industries: Industries | None = None) -> None:
        self.reads = reads
        self.industries = industries
        self.open_items = open_items
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
                                              reader.projection,
                                              *(o.projection for o in self.open_items))
        today = self.clock.today()
        units = {"unit": values.get("unit"), "scope_unit": scope.unit}
        extra = [row for source in self.open_items for row in source.open_items(today, **units)]
        groups = reader.overdue_by_unit(today, self.nearly_due_days, **units, extra=extra)
        for group in groups:
            group["unit_name"] = self._unit_name(group["unit"])
            for row in (*group["items"], *group["flags"]):
                row["title"] = self.units.render(row["title"])
        return {"today": today, "nearly_due_days": self.nearly_due_days, "units": groups,
                "position": position, "overdue": sum(g["overdue"] for g in groups),
                "nearly_due": sum(g["nearly_due"] for g in groups),
                "flags": sum(len(g["flags"]) for g in groups)}

    def unit_performance(self, caller: Caller, given: Any) -> dict[str, Any]:
        reader = self.readers.unit_performance
        today = self.clock.today()
        days = self.deadlines.acknowledge_days
        figures = self._stats(caller, given, reader.projection, lambda start, end: {
            "today": today, "acknowledge_days": days,
            "units": reader.rates(start, end, days, today)})
        self._name_units(figures["units"])
        return figures

    def complaint_counts(self, caller: Caller, given: Any) -> dict[str, Any]:
        reader = self.readers.complaint_stats
        return self._stats(caller, given, reader.projection, reader.counts)

    def request_stats(self, caller: Caller, given: Any) -> dict[str, Any]:
        reader = self.readers.request_stats
        figures = self._stats(caller, given, reader.projection, reader.stats)
        self._name_units(figures["by_unit"])
        figures["summary"] = (f"帮助{figures['solved_enterprises']}家企业解决"
                              f"{figures['solved_projects']}个项目共计{figures['resolved']}个问题")
        return figures

    def project_stats(self, caller: Caller, given: Any) -> dict[str, Any]:
        """Projects registered (在谈), signed (签约), started (开工) and produced (投产) in the
        period, with their amounts, in total and by month, county, unit and industry."""
        reader = self.readers.project_stats
        figures = self._stats(caller, given, reader.projection, reader.stats)
        self._name_units(figures["by_county"])
        self._name_units(figures["by_unit"])
        if self.industries is not None:  # codes named; a label recorded before the list stays
            for row in figures["by_industry"]:
                row["label"] = self.industries.name(row["code"])
        figures["summary"] = project_summary(figures)
        return figures

    def _stats(self, caller: Caller, given: Any, projection: str,
               read: Callable[[date | None, date | None], dict[str, Any]]) -> dict[str, Any]:
        """A statistics report: 403 unless the caller may read statistics, the period
        checked (422), the wait for `min_position`; then the figures `read` gives for the
        period, with the period and the log position they include."""
        values, position = self.reads.report(caller, "stats.read", PERIOD, given, projection)
        start, end = values.get("from"), values.get("to")
        return {"period": {"from": start, "to": end}, **read(start, end), "position": position}

    def _name_units(self, rows: list[dict[str, Any]]) -> None:
        """Breakdown rows keyed by unit code are labelled with the unit's name (the code of
        a unit the reference list does not know stays its label)."""
        for row in rows:
            row["label"] = self._unit_name(row["code"]) or row["code"]


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}"


def project_summary(figures: dict[str, Any]) -> str:
    """The period in the words the bureau reports it: 在谈N个项目、总投资…万元；签约…"""
    r, s, c, p = (figures[stage] for stage in ("registered", "signed", "started", "produced"))
    return (f"新增在谈项目{r['count']}个，总投资{_amount(r['total_investment'])}万元；"
            f"签约{s['count']}个，合同金额{_amount(s['contract_amount'])}万元；"
            f"开工{c['count']}个，总投资{_amount(c['total_investment'])}万元；"
            f"投产{p['count']}个，总投资{_amount(p['total_investment'])}万元")
