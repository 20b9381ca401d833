"""诉求台账: the enterprise-request ledger, one row per request, and its period statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.enterprise import Enterprise
from domain.enterprise_request import EVENT_LABELS, EnterpriseRequest
from projections.base import Projection, RowCache
from projections.paging import keyset_page
from projections.store import Tx, ViewStore

TABLE = "request_ledger"
NAMES = "request_ledger_names"  # enterprise names, to show beside each request
COLUMNS = (
    "id", "seq", "enterprise_id", "credit_code", "enterprise_name", "project_id", "source",
    "visit_number", "category", "description", "raised_on", "status", "lead_unit",
    "co_units", "all_units", "assigned_on", "due", "due_provisional", "progress_count",
    "latest_progress", "latest_progress_on", "outcome", "resolved_on", "feedback",
    "feedback_on", "closed_on", "reopened", "version", "updated_at",
)
DDL = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id TEXT PRIMARY KEY, seq BIGINT NOT NULL, enterprise_id TEXT NOT NULL,
        credit_code TEXT NOT NULL, enterprise_name TEXT, project_id TEXT,
        source TEXT NOT NULL, visit_number INTEGER, category TEXT NOT NULL,
        description TEXT NOT NULL, raised_on TEXT NOT NULL, status TEXT NOT NULL,
        lead_unit TEXT, co_units TEXT NOT NULL, all_units TEXT NOT NULL, assigned_on TEXT,
        due TEXT, due_provisional INTEGER NOT NULL, progress_count INTEGER NOT NULL,
        latest_progress TEXT, latest_progress_on TEXT, outcome TEXT, resolved_on TEXT,
        feedback TEXT, feedback_on TEXT, closed_on TEXT, reopened INTEGER NOT NULL,
        version INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
    f"CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_seq ON {TABLE} (seq)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_enterprise ON {TABLE} (credit_code, seq)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_raised ON {TABLE} (raised_on)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_resolved ON {TABLE} (resolved_on)",
    f"CREATE TABLE IF NOT EXISTS {NAMES} (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
)
HANDLING = ("assigned", "in_progress")  # being handled: the only statuses that go overdue
SOLVED = ("resolved", "partly_resolved")  # outcomes that count as a problem solved


def unit_set(text: str) -> list[str]:
    """The unit codes of a ",a,b," column, in stored order."""
    return [u for u in text.strip(",").split(",") if u]


def unit_text(units: Sequence[str]) -> str:
    return "," + ",".join(units) + "," if units else ""


class RequestLedger(Projection):
    """Builds the request ledger from request events (and enterprise names)."""

    name = "request_ledger"
    ddl = DDL
    tables = (TABLE, NAMES)
    event_classes = (*(getattr(EnterpriseRequest, n) for n in EVENT_LABELS),
                     *(getattr(Enterprise, n) for n in ("Registered", "DetailsRevised")))

    def apply_batch(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> None:
        rows = RowCache(tx, TABLE, COLUMNS)
        names = RowCache(tx, NAMES, ("id", "name"))
        rows.preload(str(e.originator_id) for _, e in events
                     if type(e).__name__ not in ("Raised", "Registered", "DetailsRevised"))
        for position, e in events:
            key, kind = str(e.originator_id), type(e).__name__
            if kind == "Registered":
                names.put({"id": key, "name": e.name})
            elif kind == "DetailsRevised":
                self._rename(tx, rows, names, key, e.changes.get("name"))
            elif kind == "Raised":
                known = names.get(str(e.enterprise_id))
                rows.put(new_row(key, position, e, known["name"] if known else None))
            elif (row := rows.touch(key)) is not None:  # None cannot happen in a sound log
                change(row, e)
                row["version"] = e.originator_version
                row["updated_at"] = e.timestamp.isoformat()
        names.flush()
        rows.flush()

    @staticmethod
    def _rename(tx: Tx, rows: RowCache, names: RowCache, key: str, name: str | None) -> None:
        if name is None:
            return
        names.put({"id": key, "name": name})
        tx.execute(f"UPDATE {TABLE} SET enterprise_name = ? WHERE enterprise_id = ?",
                   (name, key))
        for row in rows.rows.values():  # rows of this batch, not yet written
            if row["enterprise_id"] == key:
                row["enterprise_name"] = name


def new_row(key: str, position: int, e: Any, enterprise_name: str | None) -> dict[str, Any]:
    return {
        "id": key, "seq": position, "enterprise_id": str(e.enterprise_id),
        "credit_code": e.credit_code, "enterprise_name": enterprise_name,
        "project_id": str(e.project_id) if e.project_id else None, "source": e.source,
        "visit_number": e.visit_number, "category": e.category,
        "description": e.description, "raised_on": e.on.isoformat(), "status": "raised",
        "lead_unit": None, "co_units": "", "all_units": "", "assigned_on": None, "due": None,
        "due_provisional": 0, "progress_count": 0, "latest_progress": None,
        "latest_progress_on": None, "outcome": None, "resolved_on": None, "feedback": None,
        "feedback_on": None, "closed_on": None, "reopened": 0,
        "version": e.originator_version, "updated_at": e.timestamp.isoformat(),
    }


def change(row: dict[str, Any], e: Any) -> None:
    kind = type(e).__name__
    if kind == "Assigned":
        everyone = unit_set(row["all_units"])
        everyone += [u for u in [e.lead_unit, *e.co_units] if u not in everyone]
        row.update(status="assigned", lead_unit=e.lead_unit, co_units=unit_text(e.co_units),
                   all_units=unit_text(everyone), assigned_on=e.on.isoformat(),
                   due=e.due.due.isoformat(), due_provisional=int(e.due.provisional))
    elif kind == "ProgressNoted":
        row.update(status="in_progress", progress_count=row["progress_count"] + 1,
                   latest_progress=e.text, latest_progress_on=e.on.isoformat())
    elif kind == "OutcomeRecorded":
        row.update(status="answered", outcome=e.outcome, resolved_on=e.on.isoformat(),
                   feedback=None, feedback_on=None)
    elif kind == "FeedbackRecorded":
        row.update(feedback=e.feedback, feedback_on=e.on.isoformat())
        if e.feedback == "satisfied":
            row["status"] = "confirmed"
        else:  # 重办: the outcome no longer stands and the request awaits a new assignment
            row.update(status="reopened", lead_unit=None, co_units="", due=None,
                       due_provisional=0, outcome=None, resolved_on=None,
                       reopened=row["reopened"] + 1)
    elif kind == "Closed":
        row.update(status="closed", closed_on=e.on.isoformat())
    elif kind == "DueRecomputed":
        row.update(due=e.deadline.due.isoformat(), due_provisional=int(e.deadline.provisional))


# --- queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFilter:
    category: str | None = None
    status: str | None = None
    unit: str | None = None  # currently assigned, as lead or co-unit
    enterprise: str | None = None  # credit code
    project: str | None = None
    raised_from: date | None = None
    raised_to: date | None = None
    overdue: bool | None = None
    scope_unit: str | None = None  # a unit sees the requests it is or was assigned
    scope_enterprise: str | None = None  # an enterprise sees its own


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    count: int
    next_cursor: str | None


def _overdue_sql(today: date) -> tuple[str, list[Any]]:
    return "(status IN (?, ?) AND due < ?)", [*HANDLING, today.isoformat()]


def _where(f: RequestFilter, today: date) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("category", f.category), ("status", f.status),
                          ("credit_code", f.enterprise), ("project_id", f.project)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.unit is not None:
        clauses.append("(lead_unit = ? OR co_units LIKE ?)")
        params += [f.unit, f"%,{f.unit},%"]
    if f.raised_from is not None:
        clauses.append("raised_on >= ?")
        params.append(f.raised_from.isoformat())
    if f.raised_to is not None:
        clauses.append("raised_on <= ?")
        params.append(f.raised_to.isoformat())
    if f.overdue is not None:
        sql, values = _overdue_sql(today)
        clauses.append(sql if f.overdue else f"NOT {sql}")
        params += values
    if f.scope_unit is not None:
        clauses.append("all_units LIKE ?")
        params.append(f"%,{f.scope_unit},%")
    if f.scope_enterprise is not None:
        clauses.append("credit_code = ?")
        params.append(f.scope_enterprise)
    return clauses, params


def query_requests(store: ViewStore, f: RequestFilter, today: date, limit: int = 50,
                   cursor: str | None = None) -> Page:
    """One page of the ledger (newest first) and the filtered count, from one snapshot."""
    clauses, params = _where(f, today)
    with store.read() as tx:
        rows, count, next_cursor = keyset_page(tx, TABLE, clauses, params, limit, cursor, "r")
    return Page(items=[_public(r, today) for r in rows], count=count, next_cursor=next_cursor)


def _public(row: dict[str, Any], today: date) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in ("seq", "all_units", "updated_at")}
    out["co_units"] = unit_set(row["co_units"])
    out["due_provisional"] = bool(row["due_provisional"])
    out["overdue"] = (row["status"] in HANDLING and row["due"] is not None
                      and row["due"] < today.isoformat())
    return out


def request_stats(store: ViewStore, start: date | None, end: date | None) -> dict[str, Any]:
    """Requests raised and solved between two business dates (inclusive, either open).

    Raised: the request's raised date is in the period. Solved (解决): the request's standing
    outcome is resolved or partly resolved and was recorded in the period; an outcome the
    enterprise rejected (unsatisfied, 重办) no longer stands, so each request counts once.
    """
    low, high = (start or date.min).isoformat(), (end or date.max).isoformat()
    with store.read() as tx:
        rows = tx.all(
            f"SELECT category, lead_unit, co_units, raised_on, outcome, resolved_on, "
            f"project_id, enterprise_id FROM {TABLE} WHERE raised_on BETWEEN ? AND ? "
            f"OR resolved_on BETWEEN ? AND ?", [low, high, low, high])
    raised = [r for r in rows if low <= r["raised_on"] <= high]
    answered = [r for r in rows if r["resolved_on"] and low <= r["resolved_on"] <= high]
    solved = [r for r in answered if r["outcome"] in SOLVED]
    by_category: dict[str, dict[str, int]] = {}
    by_unit: dict[str, dict[str, int]] = {}

    def unit(code: str) -> dict[str, int]:
        return by_unit.setdefault(code, {"lead": 0, "co": 0, "resolved": 0})

    for r in raised:
        by_category.setdefault(r["category"], {"raised": 0, "resolved": 0})["raised"] += 1
        if r["lead_unit"]:
            unit(r["lead_unit"])["lead"] += 1
        for code in unit_set(r["co_units"]):
            unit(code)["co"] += 1
    for r in solved:
        by_category.setdefault(r["category"], {"raised": 0, "resolved": 0})["resolved"] += 1
        unit(r["lead_unit"])["resolved"] += 1
    return {
        "raised": len(raised), "resolved": len(solved),
        "outcomes": {o: sum(r["outcome"] == o for r in answered)
                     for o in ("resolved", "partly_resolved", "not_resolvable")},
        "solved_projects": len({r["project_id"] for r in solved if r["project_id"]}),
        "solved_enterprises": len({r["enterprise_id"] for r in solved}),
        "by_category": by_category, "by_unit": by_unit,
    }
