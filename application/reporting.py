"""信息报送 of key projects (重点项目), judged when read against today, the cadence
(`LEDGER_REPORT_PERIOD`), the due working day (`LEDGER_REPORT_DUE_WORKDAY`) and the
working-day calendar, by the rules of domain/reporting.py. Nothing of it is stored: a missing
report has no event, and a changed setting or calendar applies at the next read.

It serves three reads:
- the project ledger's reporting columns and its `report_status` filter, for `report_period`
  (default: the period being reported on, the last one that has ended);
- the supervision view's 信息报送 items (kind `missing_report`): each report a key project
  owes for a period that has ended and has not filed, due on the period's due date;
- the dashboard's key projects without the current period's report.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Protocol

from application.context import Clock
from application.queries import Complete, Param, codes
from domain.errors import InvalidValue
from domain.reporting import (
    MISSING_REPORT,
    KeyProject,
    Obligation,
    Period,
    ReportStatus,
    Schedule,
)

KIND, KIND_LABEL = MISSING_REPORT  # of its items in the supervision view
_PERIOD_CODE = re.compile(r"^[1-9]\d{3}-(0[1-9]|1[0-2]|Q[1-4])$")  # years 1000–9999: real dates


def _period_code(raw: str) -> str:
    if not _PERIOD_CODE.match(raw):
        msg = (f"a month such as 2025-09 or a quarter such as 2025-Q3, got {raw!r} / "
               "报送期须为月份（如2025-09）或季度（如2025-Q3）")
        raise InvalidValue(msg)
    return raw


LEDGER_PARAMS: dict[str, Param] = {
    "report_period": Param(
        "信息报送: the period the reporting columns are for, a month (2025-09) or a quarter "
        "(2025-Q3) as LEDGER_REPORT_PERIOD says; default: the last period that has ended",
        _period_code, {"type": "string", "pattern": _PERIOD_CODE.pattern}),
    "report_status": codes(ReportStatus, "信息报送 status for report_period (projects that "
                           "owe no report for it have none)"),
}
"""The query parameters the project ledger takes for its reporting columns."""


class KeyProjectsReader(Protocol):
    """The facts of the projects ever put on a key-project list (projections/)."""

    projection: str

    def key_projects(self, **filters: Any) -> list[KeyProject]: ...


class KeyReporting:
    """信息报送 status, missing-report items and counts, as of today."""

    def __init__(self, reader: KeyProjectsReader, schedule: Schedule, clock: Clock) -> None:
        self.reader = reader
        self.schedule = schedule
        self.clock = clock
        self.projection = reader.projection

    def period(self, code: str | None = None) -> Period:
        """The period `code` names (checked against the cadence and today), or the one being
        reported on now."""
        today = self.clock.today()
        if code is None:
            return self.schedule.current(today)
        cadence = self.schedule.cadence
        period = Period.parse(code, cadence)
        if period is None:
            example = "2025-09" if cadence.months == 1 else "2025-Q3"
            msg = (f"report_period: {code} is not a {cadence.value} period; key projects "
                   f"report {cadence.label} (LEDGER_REPORT_PERIOD), e.g. {example} / "
                   f"报送周期不符")
            raise InvalidValue(msg)
        if period.start > today:
            msg = (f"report_period: {code} has not begun (today is {today.isoformat()}) / "
                   f"报送周期尚未开始")
            raise InvalidValue(msg)
        return period

    # --- the project ledger's columns (queries.ReadTimeColumns) ---------------------------

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], Complete]:
        values = dict(values)
        period = self.period(values.pop("report_period", None))
        wanted = values.pop("report_status", None)
        if wanted:
            values["id"] = tuple(p.id for p, found in self.standing(period)
                                 if found.status in wanted)

        def complete(rows: list[dict[str, Any]]) -> None:
            ids = [str(row["id"]) for row in rows]
            known = {p.id: p for p in self.reader.key_projects(id=ids)} if ids else {}
            for row in rows:
                project = known.get(str(row["id"]))
                owed = self.schedule.obligation(project, period) if project else None
                row.update(self.columns(period, owed))
        return values, complete

    def columns(self, period: Period, found: Obligation | None) -> dict[str, Any]:
        """A ledger row's reporting columns (dates as ISO text, like the row's own)."""
        filed = found.filed_on if found else None
        return {"report_period": period.code,
                "report_due": self.schedule.due(period).due.isoformat(),
                "report_status": found.status.value if found else None,
                "report_status_label": found.status.label if found else None,
                "report_filed_on": filed.isoformat() if filed else None}

    def standing(self, period: Period, **filters: Any) -> list[tuple[KeyProject, Obligation]]:
        """Each project the filters keep that owes a report for `period`, with where it
        stands."""
        found = ((p, self.schedule.obligation(p, period))
                 for p in self.reader.key_projects(**filters))
        return [(p, o) for p, o in found if o is not None]

    # --- the supervision view and the dashboard -------------------------------------------

    def open_items(self, today: date, **filters: Any) -> list[dict[str, Any]]:
        """Every report a key project owes for a period that has ended and has not filed,
        as rows of the supervision view (its item columns, with `title` and `unit_now`). A
        terminated project owes none any more: it can no longer file."""
        through = self.schedule.current(today)
        return [self._item(project, owed)
                for project in self.reader.key_projects(**filters)
                if project.terminated_on is None
                for owed in self.schedule.obligations(project, through)
                if owed.status is ReportStatus.missing]

    def _item(self, project: KeyProject, owed: Obligation) -> dict[str, Any]:
        due = owed.due.due.isoformat()
        cadence = self.schedule.cadence
        return {"id": f"report:{project.id}:{owed.period.code}", "kind": KIND,
                "subject_id": project.id, "number": None, "unit": project.unit,
                "unit_now": project.unit, "title": project.name,
                "summary": f"{owed.period.code} {KIND_LABEL}（{cadence.label}）",
                "started_on": owed.period.next.start.isoformat(), "base_due": due,
                "extended_due": None, "requested_until": None, "due": due,
                "provisional": int(owed.due.provisional), "seq": 0}
