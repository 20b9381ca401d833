"""Reads the supervision view (督查督办, built by projections/supervision.py): overdue (超期)
and nearly due (临期) items by unit, judged at read time against today."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from domain.calendar import WorkingCalendar
from projections.filters import AtMost, Equals, Filter, where_of
from projections.paging import where
from projections.store import ViewStore
from projections.supervision import ITEMS, KIND_LABELS, SUBJECTS, ItemState, SupervisionItems

UNIT_NOW = "COALESCE(i.unit, s.unit)"  # a project item's unit is its project's unit now
FILTERS: dict[str, Filter] = {
    "due_by": AtMost("i.due"),
    "unit": Equals(UNIT_NOW),
    "scope_unit": Equals(UNIT_NOW),  # a unit account reads its own items
}


def nearly_due_cutoff(calendar: WorkingCalendar, today: date, nearly_due_days: int) -> date:
    """The last date still nearly due: the day before the (N+1)th working day after today."""
    return calendar.add_working_days(today, nearly_due_days + 1).due - timedelta(days=1)


class SupervisionReader:
    """Reads the supervision view (督查督办): overdue and nearly due items by unit."""

    projection = SupervisionItems.name

    def __init__(self, store: ViewStore, calendar: WorkingCalendar) -> None:
        self.store = store
        self.calendar = calendar

    def overdue_by_unit(self, today: date, nearly_due_days: int, *,
                        unit: str | Sequence[str] | None = None,
                        scope_unit: str | Sequence[str] | None = None,
                        extra: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
        """Overdue and nearly due items as of `today`, grouped by unit (of one unit, or any
        of a list, when `unit` or `scope_unit` is given): units with the most overdue items
        first; each unit's undated flags (no due date) listed apart in `flags`. An item is
        overdue when its due date is before today, nearly due when at most
        `nearly_due_days` working days remain until it (today's due included). `extra` are
        open items computed when read (rows of the same columns, with `title` and
        `unit_now`, already filtered by unit), judged alike."""
        cutoff = nearly_due_cutoff(self.calendar, today, nearly_due_days)
        units = {"unit": unit, "scope_unit": scope_unit}
        clauses, params = where_of(FILTERS, {"due_by": cutoff, **units})
        flagged, flag_params = where_of(FILTERS, units)
        select = (f"SELECT i.*, s.title, {UNIT_NOW} AS unit_now FROM {ITEMS} i "
                  f"JOIN {SUBJECTS} s ON s.id = i.subject_id")
        with self.store.read() as tx:
            rows = tx.all(f"{select}{where(clauses)} ORDER BY i.due, i.seq, i.id", params)
            flags = tx.all(f"{select}{where(['i.due IS NULL', *flagged])} "
                           "ORDER BY i.started_on, i.seq, i.id", flag_params)
        if extra:
            rows = sorted([*rows, *(r for r in extra if r["due"] <= cutoff.isoformat())],
                          key=lambda r: (r["due"], r["seq"], r["id"]))
        groups: dict[str, dict[str, Any]] = {}

        def group_of(row: dict[str, Any]) -> dict[str, Any]:
            return groups.setdefault(row["unit_now"], {"unit": row["unit_now"], "overdue": 0,
                                                       "nearly_due": 0, "items": [],
                                                       "flags": []})

        for row in rows:
            item = self._public(row, today)
            group = group_of(row)
            group[item["state"]] += 1
            group["items"].append(item)
        for row in flags:  # undated: listed apart, never counted as overdue
            group_of(row)["flags"].append(_flag(row))
        return sorted(groups.values(), key=lambda g: (-g["overdue"], g["unit"]))

    def _public(self, row: dict[str, Any], today: date) -> dict[str, Any]:
        return public_item(row, today, self.calendar)


def _flag(row: dict[str, Any]) -> dict[str, Any]:
    return {"kind": row["kind"], "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
            "id": row["subject_id"], "title": row["title"], "summary": row["summary"],
            "since": row["started_on"]}


def public_item(row: dict[str, Any], today: date, calendar: WorkingCalendar,
                cutoff: date | None = None) -> dict[str, Any]:
    """An open item as clients read it, judged against `today`: overdue, else nearly due
    (due by `cutoff`, when one is given), else on track."""
    due = date.fromisoformat(row["due"])
    state = (ItemState.overdue if due < today
             else ItemState.nearly_due if cutoff is None or due <= cutoff
             else ItemState.on_track)
    overdue = state is ItemState.overdue
    return {
        "kind": row["kind"], "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
        "id": row["subject_id"], "number": row["number"], "title": row["title"],
        "summary": row["summary"], "started_on": row["started_on"], "due": row["due"],
        "provisional": bool(row["provisional"]), "state": state.value,
        "state_label": state.label,
        "working_days_overdue": calendar.working_days_between(due, today)
        if overdue else None,
        "working_days_left": None if overdue else calendar.working_days_between(today, due),
    }
