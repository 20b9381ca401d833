"""项目台账: the project ledger, one row per project, with per-stage totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.project import EVENT_LABELS, Project
from projections.base import Projection, RowCache
from projections.paging import keyset_page, like_any, where
from projections.store import Tx, ViewStore

TABLE = "project_ledger"
# Amounts are stored as integers of 1/10000 万元 (yuan), so sums are exact on both engines.
SCALE = Decimal("10000")
COLUMNS = (
    "id", "seq", "name", "investor", "industry", "total_investment", "county", "park",
    "responsible_unit", "origin", "liaison_leader", "stage", "registered_on", "planned_sign",
    "planned_start", "planned_production", "sign_date", "contract_amount", "construction_date",
    "production_date", "terminated_on", "termination_reason", "funds_in_place",
    "latest_progress", "latest_progress_period", "latest_progress_on", "problems_open",
    "problems_total", "instructions_open", "instructions_total", "instructions_pending",
    "key_years", "version", "updated_at",
)
DDL = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id TEXT PRIMARY KEY, seq BIGINT NOT NULL, name TEXT NOT NULL, investor TEXT NOT NULL,
        industry TEXT NOT NULL, total_investment BIGINT NOT NULL, county TEXT NOT NULL,
        park TEXT, responsible_unit TEXT NOT NULL, origin TEXT, liaison_leader TEXT,
        stage TEXT NOT NULL, registered_on TEXT NOT NULL, planned_sign TEXT,
        planned_start TEXT, planned_production TEXT, sign_date TEXT, contract_amount BIGINT,
        construction_date TEXT, production_date TEXT, terminated_on TEXT,
        termination_reason TEXT, funds_in_place BIGINT NOT NULL, latest_progress TEXT,
        latest_progress_period TEXT, latest_progress_on TEXT, problems_open INTEGER NOT NULL,
        problems_total INTEGER NOT NULL, instructions_open INTEGER NOT NULL,
        instructions_total INTEGER NOT NULL, instructions_pending TEXT NOT NULL,
        key_years TEXT NOT NULL, version INTEGER NOT NULL,
        updated_at TEXT NOT NULL)""",
    f"CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_seq ON {TABLE} (seq)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_unit ON {TABLE} (responsible_unit, seq)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_county ON {TABLE} (county, seq)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_stage ON {TABLE} (stage, seq)",
)
DATE_FIELDS = ("planned_sign", "planned_start", "planned_production")


def to_units(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * SCALE)


def from_units(units: int | None) -> Decimal | None:
    return None if units is None else (Decimal(units) / SCALE).quantize(Decimal("0.0001"))


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


class ProjectLedger(Projection):
    """Builds the project ledger from project events."""

    name = "project_ledger"
    ddl = DDL
    tables = (TABLE,)
    event_classes = tuple(getattr(Project, name) for name in EVENT_LABELS)

    def apply_batch(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> None:
        rows = RowCache(tx, TABLE, COLUMNS)
        rows.preload(str(e.originator_id) for _, e in events
                     if type(e).__name__ != "Registered")
        for position, e in events:
            key = str(e.originator_id)
            if type(e).__name__ == "Registered":
                rows.put(self._new_row(key, position, e))
                continue
            row = rows.touch(key)
            if row is None:  # cannot happen in a consistent log; never fail a replay on it
                continue
            self._change(row, e)
            row["version"] = e.originator_version
            row["updated_at"] = e.timestamp.isoformat()
        rows.flush()

    @staticmethod
    def _new_row(key: str, position: int, e: Any) -> dict[str, Any]:
        return {
            "id": key, "seq": position, "name": e.name, "investor": e.investor,
            "industry": e.industry, "total_investment": to_units(e.total_investment),
            "county": e.county, "park": e.park, "responsible_unit": e.responsible_unit,
            "origin": e.origin, "liaison_leader": e.liaison_leader, "stage": "negotiating",
            "registered_on": e.on.isoformat(), "planned_sign": _iso(e.planned_sign),
            "planned_start": _iso(e.planned_start),
            "planned_production": _iso(e.planned_production), "sign_date": None,
            "contract_amount": None, "construction_date": None, "production_date": None,
            "terminated_on": None, "termination_reason": None, "funds_in_place": 0,
            "latest_progress": None, "latest_progress_period": None,
            "latest_progress_on": None, "problems_open": 0, "problems_total": 0,
            "instructions_open": 0, "instructions_total": 0, "instructions_pending": "",
            "key_years": "",
            "version": e.originator_version, "updated_at": e.timestamp.isoformat(),
        }

    @staticmethod
    def _change(row: dict[str, Any], e: Any) -> None:
        kind = type(e).__name__
        if kind == "DetailsRevised":
            for field, value in e.changes.items():
                if field == "total_investment":
                    row[field] = to_units(Decimal(value))
                elif field in DATE_FIELDS:
                    row[field] = _iso(value)
                else:
                    row[field] = value
        elif kind == "Signed":
            row.update(stage="signed", sign_date=e.date.isoformat(),
                       contract_amount=to_units(e.contract_amount))
        elif kind == "ConstructionStarted":
            row.update(stage="under_construction", construction_date=e.date.isoformat())
        elif kind == "ProductionStarted":
            row.update(stage="in_production", production_date=e.date.isoformat())
        elif kind == "Terminated":
            row.update(stage="terminated", terminated_on=e.on.isoformat(),
                       termination_reason=e.reason)
        elif kind == "UnitReassigned":
            row["responsible_unit"] = e.unit
        elif kind == "ProgressReported":
            row.update(latest_progress=e.text, latest_progress_period=e.period,
                       latest_progress_on=e.on.isoformat())
            if e.funds_in_place is not None:
                row["funds_in_place"] = to_units(e.funds_in_place)
        elif kind == "ProblemRaised":
            row["problems_open"] += 1
            row["problems_total"] += 1
        elif kind == "ProblemResolved":
            row["problems_open"] -= 1
        elif kind == "InstructionGiven":
            pending = _years(row["instructions_pending"]) | {e.number}
            row["instructions_pending"] = _years_text(pending)
            row["instructions_open"] = len(pending)
            row["instructions_total"] += 1
        elif kind == "InstructionAnswered":
            # A later answer to the same instruction updates it; only the first closes it.
            pending = _years(row["instructions_pending"]) - {e.number}
            row["instructions_pending"] = _years_text(pending)
            row["instructions_open"] = len(pending)
        elif kind == "KeyProjectDesignated":
            row["key_years"] = _years_text({*_years(row["key_years"]), e.year})
        elif kind == "KeyProjectDropped":
            row["key_years"] = _years_text(_years(row["key_years"]) - {e.year})


def _years(text: str) -> set[int]:
    """The integers of a ",2025,2026," set column (key years, pending instruction numbers)."""
    return {int(y) for y in text.strip(",").split(",") if y}


def _years_text(years: set[int]) -> str:
    return "," + ",".join(str(y) for y in sorted(years)) + "," if years else ""


# --- queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilter:
    stage: str | None = None
    county: str | None = None
    park: str | None = None
    industry: str | None = None
    unit: str | None = None
    key: bool | None = None
    key_year: int | None = None
    q: str | None = None
    scope_unit: str | None = None  # a unit account sees its own unit's projects only


@dataclass(frozen=True)
class LedgerPage:
    items: list[dict[str, Any]]
    count: int
    next_cursor: str | None
    totals: dict[str, dict[str, Any]]


def _where(f: LedgerFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column in ("stage", "county", "park", "industry"):
        value = getattr(f, column)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.unit is not None:
        clauses.append("responsible_unit = ?")
        params.append(f.unit)
    if f.scope_unit is not None:
        clauses.append("(responsible_unit = ? OR county = ?)")
        params += [f.scope_unit, f.scope_unit]
    if f.key is True:
        clauses.append("key_years <> ''")
    elif f.key is False:
        clauses.append("key_years = ''")
    if f.key_year is not None:
        clauses.append("key_years LIKE ?")
        params.append(f"%,{f.key_year},%")
    if f.q:
        sql, values = like_any(("name", "investor"), f.q)
        clauses.append(sql)
        params += values
    return clauses, params


def query_ledger(store: ViewStore, f: LedgerFilter, limit: int = 50,
                 cursor: str | None = None) -> LedgerPage:
    """One page of the ledger (newest first), the filtered count and per-stage totals,
    all read from one snapshot."""
    clauses, params = _where(f)
    with store.read() as tx:
        rows, count, next_cursor = keyset_page(tx, TABLE, clauses, params, limit, cursor, "p")
        totals_rows = tx.all(
            f"SELECT stage, COUNT(*) AS n, COALESCE(SUM(total_investment), 0) AS inv "
            f"FROM {TABLE}{where(clauses)} GROUP BY stage", params)
    totals: dict[str, dict[str, Any]] = {
        r["stage"]: {"count": int(r["n"]), "total_investment": from_units(int(r["inv"]))}
        for r in totals_rows}
    return LedgerPage(
        items=[_public(r) for r in rows],
        count=count,
        next_cursor=next_cursor,
        totals=totals,
    )


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for column in ("total_investment", "contract_amount", "funds_in_place"):
        out[column] = from_units(row[column])
    out["key_years"] = sorted(_years(row["key_years"]))
    del out["instructions_pending"]
    return out
