"""Reads the supervision office's dashboard (工作台) from the read models: the open items of
the supervision view counted by kind and unit, the items behind any count, and the project
ledger's totals by stage. Item kinds are read from the table as they are, so the kinds other
case types contribute (`supervision.contributes`) are counted without being named here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.calendar import WorkingCalendar
from projections.filters import Equals, Filter, where_of
from projections.paging import where
from projections.project_ledger import ProjectLedger, ProjectLedgerReader
from projections.store import ViewStore
from projections.supervision import ITEMS, KIND_LABELS, SUBJECTS, SupervisionItems
from projections.supervision_reader import UNIT_NOW, nearly_due_cutoff, public_item

FILTERS: dict[str, Filter] = {
    "kind": Equals("i.kind"),
    "unit": Equals(UNIT_NOW),
    "scope_unit": Equals(UNIT_NOW),  # a unit account reads its own items
}
COUNTS = ("open", "overdue", "nearly_due")
DATED = ["i.due IS NOT NULL"]  # undated flags (入园未登记) are not work against a due date
Row = dict[str, Any]


def _standing(row: Row, today: str, cutoff: str) -> tuple[int, int, int]:
    """(open, overdue, nearly due) of one item row, as the counts add it up."""
    return 1, int(row["due"] < today), int(today <= row["due"] <= cutoff)


class DashboardReader:
    """The dashboard's figures: open items by kind and unit, the items behind them, and
    projects by stage."""

    projection = SupervisionItems.name
    stage_projection = ProjectLedger.name

    def __init__(self, store: ViewStore, calendar: WorkingCalendar) -> None:
        self.store = store
        self.calendar = calendar
        self.stages = ProjectLedgerReader(store)

    def counts(self, today: date, nearly_due_days: int, *, extra: Sequence[Row] = (),
               **filters: Any) -> list[Row]:
        """Open, overdue and nearly due items per (kind, unit), with the kind's label; the
        supervision view's table grouped in SQL, plus the `extra` rows computed when read."""
        day, cutoff = today.isoformat(), nearly_due_cutoff(self.calendar, today,
                                                           nearly_due_days).isoformat()
        clauses, params = where_of(FILTERS, filters)
        with self.store.read() as tx:
            rows = tx.all(
                f"SELECT i.kind, {UNIT_NOW} AS unit, COUNT(*) AS open, "
                "SUM(CASE WHEN i.due < ? THEN 1 ELSE 0 END) AS overdue, "
                "SUM(CASE WHEN i.due >= ? AND i.due <= ? THEN 1 ELSE 0 END) AS nearly_due "
                f"FROM {ITEMS} i JOIN {SUBJECTS} s ON s.id = i.subject_id{where(DATED + clauses)} "
                f"GROUP BY i.kind, {UNIT_NOW}", [day, day, cutoff, *params])
        found: dict[tuple[str, str], list[int]] = {
            (r["kind"], r["unit"]): [int(r[n]) for n in COUNTS] for r in rows}
        for row in extra:
            sums = found.setdefault((row["kind"], row["unit_now"]), [0, 0, 0])
            for i, n in enumerate(_standing(row, day, cutoff)):
                sums[i] += n
        return [{"kind": kind, "label": KIND_LABELS.get(kind, kind), "unit": unit,
                 **dict(zip(COUNTS, sums, strict=True))}
                for (kind, unit), sums in sorted(found.items(), key=lambda kv: (
                    kv[0][0], kv[0][1] or ""))]

    def items(self, today: date, nearly_due_days: int, *, extra: Sequence[Row] = (),
              **filters: Any) -> list[Row]:
        """The open items the filters keep, judged against today, soonest due first; each
        with the unit that must act."""
        cutoff = nearly_due_cutoff(self.calendar, today, nearly_due_days)
        clauses, params = where_of(FILTERS, filters)
        with self.store.read() as tx:
            rows = tx.all(
                f"SELECT i.*, s.title, {UNIT_NOW} AS unit_now FROM {ITEMS} i "
                f"JOIN {SUBJECTS} s ON s.id = i.subject_id{where(DATED + clauses)}", params)
        rows = sorted([*rows, *extra], key=lambda r: (r["due"], r["seq"], r["id"]))
        return [{**public_item(row, today, self.calendar, cutoff), "unit": row["unit_now"]}
                for row in rows]

    def by_stage(self, **filters: Any) -> dict[str, Any]:
        """The project ledger's totals per stage under its own filters (`unit`,
        `scope_unit`): {stage: {count, total_investment}}."""
        return self.stages.page(filters, limit=1).totals or {}
