"""企业台账: one row per enterprise, with its linked leader, visits and open requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.enterprise import EVENT_LABELS, Enterprise
from domain.enterprise_request import EnterpriseRequest
from projections.base import Projection, RowCache
from projections.paging import keyset_page, like_any
from projections.request_ledger import Page
from projections.store import Tx, ViewStore

TABLE = "enterprise_ledger"
REQUESTS = "enterprise_ledger_requests" # which enterprise each request belongs to
REQUEST_EVENTS = ("Raised", "Closed")
COLUMNS = (
    "id", "seq", "name", "credit_code", "industry", "county", "registered_on", "leader",
    "leader_since", "visits", "last_visit_on", "requests_total", "requests_open", "version",
    "updated_at",
)
DDL = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id TEXT PRIMARY KEY, seq BIGINT NOT NULL, name TEXT NOT NULL,
        credit_code TEXT NOT NULL, industry TEXT NOT NULL, county TEXT NOT NULL,
        registered_on TEXT NOT NULL, leader TEXT, leader_since TEXT, visits INTEGER NOT NULL,
        last_visit_on TEXT, requests_total INTEGER NOT NULL, requests_open INTEGER NOT NULL,
        version INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
    f"CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_seq ON {TABLE} (seq)",
    f"CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_code ON {TABLE} (credit_code)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_county ON {TABLE} (county, seq)",
    f"CREATE TABLE IF NOT EXISTS {REQUESTS} (id TEXT PRIMARY KEY, enterprise_id TEXT NOT NULL)",
)


class EnterpriseLedger(Projection):
    """Builds the enterprise ledger from enterprise events; requests raised and closed
    move its request counts (open: raised and not yet closed, 未办结)."""

    name = "enterprise_ledger"
    ddl = DDL
    tables = (TABLE, REQUESTS)
    event_classes = (*(getattr(Enterprise, n) for n in EVENT_LABELS),
                     *(getattr(EnterpriseRequest, n) for n in REQUEST_EVENTS))

    def apply_batch(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> None:
        rows = RowCache(tx, TABLE, COLUMNS)
        owners = RowCache(tx, REQUESTS, ("id", "enterprise_id"))
        owners.preload(str(e.originator_id) for _, e in events if type(e).__name__ == "Closed")

        def owner(e: Any) -> str | None:
            """The enterprise row an event changes (a request's: its enterprise's)."""
            kind = type(e).__name__
            if kind == "Raised":
                return str(e.enterprise_id)
            if kind == "Closed":
                found = owners.get(str(e.originator_id))
                return found["enterprise_id"] if found else None
            return str(e.originator_id)

        rows.preload(k for _, e in events if type(e).__name__ != "Registered"
                     if (k := owner(e)) is not None)
        for position, e in events:
            kind = type(e).__name__
            if kind == "Registered":
                rows.put(self._new_row(str(e.originator_id), position, e))
                continue
            if kind == "Raised":
                owners.put({"id": str(e.originator_id), "enterprise_id": str(e.enterprise_id)})
            key = owner(e)
            row = rows.touch(key) if key else None
            if row is None:  # cannot happen in a consistent log; never fail a replay on it
                continue
            if kind in REQUEST_EVENTS:
                self._count(row, e)
            else:
                self._change(row, e)
                row["version"] = e.originator_version
                row["updated_at"] = e.timestamp.isoformat()
        owners.flush()
        rows.flush()

    @staticmethod
    def _new_row(key: str, position: int, e: Any) -> dict[str, Any]:
        return {
            "id": key, "seq": position, "name": e.name, "credit_code": e.credit_code,
            "industry": e.industry, "county": e.county, "registered_on": e.on.isoformat(),
            "leader": None, "leader_since": None, "visits": 0, "last_visit_on": None,
            "requests_total": 0, "requests_open": 0, "version": e.originator_version,
            "updated_at": e.timestamp.isoformat(),
        }

    @staticmethod
    def _count(row: dict[str, Any], e: Any) -> None:
        if type(e).__name__ == "Raised":
            row["requests_total"] += 1
            row["requests_open"] += 1
        else:
            row["requests_open"] -= 1

    @staticmethod
    def _change(row: dict[str, Any], e: Any) -> None:
        kind = type(e).__name__
        if kind == "DetailsRevised":
            row.update({k: v for k, v in e.changes.items() if k in ("name", "industry",
                                                                   "county")})
        elif kind == "LeaderLinked":
            row.update(leader=e.leader, leader_since=e.on.isoformat())
        elif kind == "LeaderUnlinked":
            row.update(leader=None, leader_since=None)
        elif kind == "VisitRecorded":
            row["visits"] += 1
            last = row["last_visit_on"]
            row["last_visit_on"] = max(last, e.date.isoformat()) if last else e.date.isoformat()


# --- queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseFilter:
    county: str | None = None
    leader: str | None = None
    q: str | None = None  # text in the name or the credit code
    scope_county: str | None = None  # a unit sees the enterprises of its county or zone
    scope_enterprise: str | None = None  # an enterprise sees itself


def _where(f: EnterpriseFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("county", f.county), ("leader", f.leader),
                          ("county", f.scope_county), ("credit_code", f.scope_enterprise)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.q:
        sql, values = like_any(("name", "credit_code"), f.q)
        clauses.append(sql)
        params += values
    return clauses, params


def query_enterprises(store: ViewStore, f: EnterpriseFilter, limit: int = 50,
                      cursor: str | None = None) -> Page:
    """One page of the ledger (newest registration first) and the filtered count."""
    clauses, params = _where(f)
    with store.read() as tx:
        rows, count, next_cursor = keyset_page(tx, TABLE, clauses, params, limit, cursor, "e")
    return Page(items=[{k: v for k, v in r.items() if k not in ("seq", "updated_at")}
                       for r in rows], count=count, next_cursor=next_cursor)
