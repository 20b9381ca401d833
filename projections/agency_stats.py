"""代办统计: the agency figures of a period, read from the agency ledger's tables (what they
mean: application/agency_stats.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.agency_case import ItemStatus
from projections.agency_ledger import ITEMS, TABLE, AgencyLedger
from projections.store import ViewStore

EARLIEST, LATEST = "0001-01-01", "9999-12-31"


def _bounds(start: date | None, end: date | None) -> tuple[str, str]:
    return (start.isoformat() if start else EARLIEST, end.isoformat() if end else LATEST)


class AgencyStatsReader:
    """Reads the cases active in a period and the approvals dated in it."""

    projection = AgencyLedger.name

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def active_cases(self, start: date | None, end: date | None) -> list[dict[str, Any]]:
        """Cases opened on or before the period's end and not closed before its start."""
        low, high = _bounds(start, end)
        with self.store.read() as tx:
            return tx.all(
                f"SELECT id, enterprise_id, agent, agent_name, opened_on, closed_on FROM {TABLE}"
                " WHERE opened_on <= ? AND (closed_on IS NULL OR closed_on >= ?) ORDER BY seq",
                (high, low))

    def approvals(self, start: date | None, end: date | None) -> list[dict[str, Any]]:
        """Items approved now whose approval is dated in the period, with the day their
        approval time counts from: the first submission, else the first record."""
        low, high = _bounds(start, end)
        with self.store.read() as tx:
            return tx.all(
                f"SELECT i.item, a.agent, COALESCE(i.submitted_on, i.recorded_on) AS started_on,"
                f" i.approved_on FROM {ITEMS} i JOIN {TABLE} a ON a.id = i.case_id"
                " WHERE i.status = ? AND i.approved_on >= ? AND i.approved_on <= ?"
                " ORDER BY i.approved_on, i.id", (ItemStatus.approved.value, low, high))
