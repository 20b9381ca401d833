"""督查督办工作台: the supervision office's dashboard, and the open items behind its figures.

Every figure is a count with the link (`href`) of the read that lists the rows behind it, under
the same filters and the same scope, so a figure and its rows always agree:
- open, overdue and nearly due items by kind and by unit → `GET /api/v1/supervision/items`;
- projects by stage, with their investment → the project ledger (`stage=`);
- key projects that owe the current period's report and have not filed it (and those filed,
  late) → the project ledger (`report_period=`, `report_status=`);
- items awaiting an answer (leaders' instructions, supervision orders) → the items by kind.
A unit account sees its own figures; the others may narrow them to units (`unit=`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol
from urllib.parse import urlencode

from application import policy
from application.context import Caller, Clock
from application.queries import Param, Reads, codes, words
from application.reporting import KIND, KeyReporting
from application.units import Units
from domain.project import Stage
from domain.reporting import ReportStatus
from domain.shared import Labelled

ITEMS = "/api/v1/supervision/items"
STATES = ("open", "overdue", "nearly_due")
PROJECTS = "/api/v1/ledgers/projects"
AWAITING_ANSWER = ("project_instruction", "complaint_instruction", "request_instruction",
                   "order")
"""Item kinds that wait for an answer: a leader's instruction (批示), a supervision order
(督办单, contributed by its own case type)."""


class Standing(Labelled):
    """Where an open item stands against its due date, as the items read filters it."""

    overdue = "overdue", "超期"
    nearly_due = "nearly_due", "临期"
    on_track = "on_track", "未到期"


DASHBOARD: dict[str, Param] = {"unit": words("Only these units' figures (unit codes)")}
ITEM_FILTERS: dict[str, Param] = {
    "kind": words("Item kinds: complaint_reply, project_problem, missing_report, …"),
    "unit": words("The units that must act (unit codes)"),
    "state": codes(Standing, "Where the items stand; default: every open item"),
}


class DashboardReader(Protocol):
    projection: str
    stage_projection: str

    def counts(self, today: date, nearly_due_days: int, *,
               extra: Sequence[dict[str, Any]] = (), **filters: Any
               ) -> list[dict[str, Any]]: ...

    def items(self, today: date, nearly_due_days: int, *,
              extra: Sequence[dict[str, Any]] = (), **filters: Any
              ) -> list[dict[str, Any]]: ...

    def by_stage(self, **filters: Any) -> dict[str, Any]: ...


def href(path: str, **params: Any) -> str:
    """`path` with the query parameters that are given (lists as comma lists)."""
    given = {k: ",".join(v) if isinstance(v, (list, tuple)) else v
             for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(given)}" if given else path


def _figures(counts: dict[str, int], **params: Any) -> dict[str, dict[str, Any]]:
    """Open, overdue and nearly due counts, each linked to the items behind it."""
    return {state: {"count": counts.get(state, 0),
                    "href": href(ITEMS, **params, state=None if state == "open" else state)}
            for state in STATES}


def _summed(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, int]]:
    sums: dict[Any, dict[str, int]] = {}
    for row in rows:
        total = sums.setdefault(row[key], dict.fromkeys(STATES, 0))
        for state in total:
            total[state] += row[state]
    return sums


class Dashboard:
    """The dashboard and its items, read like every report (scope → parameters → wait)."""

    def __init__(self, reads: Reads, reader: DashboardReader, reporting: KeyReporting,
                 clock: Clock, units: Units, nearly_due_days: int) -> None:
        self.reads = reads
        self.reader = reader
        self.reporting = reporting
        self.clock = clock
        self.units = units
        self.nearly_due_days = nearly_due_days

    def _read(self, caller: Caller, action: str, spec: dict[str, Param], given: Any
              ) -> tuple[dict[str, Any], dict[str, Any], int]:
        """The parameters, the unit filters they and the caller's scope make, the position."""
        scope = policy.scope(caller, action)
        values, position = self.reads.report(
            caller, action, spec, given, self.reader.projection, self.reader.stage_projection,
            self.reporting.projection)
        return values, {"unit": values.get("unit"), "scope_unit": scope.unit}, position

    def items(self, caller: Caller, given: Any) -> dict[str, Any]:
        """The open items the filters keep (every kind, missing reports included), soonest
        due first; a unit account sees its own."""
        values, units, position = self._read(caller, "supervision.read", ITEM_FILTERS, given)
        today, kinds = self.clock.today(), values.get("kind")
        extra = (self.reporting.open_items(today, **units)
                 if kinds is None or KIND in kinds else [])
        rows = self.reader.items(today, self.nearly_due_days, extra=extra, kind=kinds, **units)
        wanted = values.get("state")
        rows = [r for r in rows if wanted is None or r["state"] in wanted]
        for row in rows:
            row["unit_name"] = self.units.name(row["unit"])
            row["title"] = self.units.render(row["title"])
        return {"today": today, "nearly_due_days": self.nearly_due_days, "items": rows,
                "count": len(rows), "position": position}

    def dashboard(self, caller: Caller, given: Any) -> dict[str, Any]:
        values, units, position = self._read(caller, "dashboard.read", DASHBOARD, given)
        today, unit = self.clock.today(), values.get("unit")
        counts = self.reader.counts(today, self.nearly_due_days,
                                    extra=self.reporting.open_items(today, **units), **units)
        by_kind = _summed(counts, "kind")
        labels = {row["kind"]: row["label"] for row in counts}
        return {
            "today": today, "nearly_due_days": self.nearly_due_days, "unit": unit,
            "position": position,
            "items": _figures({state: sum(r[state] for r in counts) for state in STATES},
                              unit=unit),
            "by_kind": [{"kind": kind, "label": labels[kind],
                         **_figures(sums, kind=kind, unit=unit)}
                        for kind, sums in by_kind.items()],
            "by_unit": [{"unit": code, "unit_name": self.units.name(code),
                         **_figures(sums, unit=code)}
                        for code, sums in sorted(_summed(counts, "unit").items(),
                                                 key=lambda kv: (-kv[1]["overdue"],
                                                                 kv[0] or ""))],
            "projects_by_stage": self._stages(units),
            "key_reports": self._key_reports(unit, units["scope_unit"]),
            "awaiting_answer": [{"kind": kind, "label": labels.get(kind, kind),
                                 **_figures(by_kind.get(kind, {}), kind=kind, unit=unit)}
                                for kind in AWAITING_ANSWER
                                if kind in by_kind or kind == AWAITING_ANSWER[0]],
        }

    def _stages(self, units: dict[str, Any]) -> list[dict[str, Any]]:
        totals = self.reader.by_stage(**units)
        return [{"stage": stage.value, "label": stage.label,
                 "count": totals.get(stage.value, {}).get("count", 0),
                 "total_investment": totals.get(stage.value, {}).get("total_investment", 0),
                 "href": href(PROJECTS, stage=stage.value, unit=units["unit"])}
                for stage in Stage]

    def _key_reports(self, unit: Any, scope_unit: str | None) -> dict[str, Any]:
        """Where the key projects' reports for the period being reported on stand, as the
        project ledger lists them (its `unit` is the responsible unit; its scope the unit's
        projects and those in its county or zone)."""
        period = self.reporting.period()
        standing = self.reporting.standing(period, unit=unit, unit_or_area=scope_unit)
        schedule = self.reporting.schedule
        return {"period": period.code, "due": schedule.due(period).due,
                "cadence": schedule.cadence.value, "cadence_label": schedule.cadence.label,
                "owed": {"count": len(standing),
                         "href": href(PROJECTS, report_period=period.code,
                                      report_status=",".join(ReportStatus), unit=unit)},
                **{status.value: {"count": sum(o.status is status for _, o in standing),
                                  "href": href(PROJECTS, report_period=period.code,
                                               report_status=status.value, unit=unit)}
                   for status in ReportStatus}}

