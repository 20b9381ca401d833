"""Enterprise-request statistics of a period, read from the request ledger's table."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.enterprise_request import Category, Outcome
from projections.request_ledger import SOLVED, TABLE, RequestLedger, unit_set
from projections.stats import Period, breakdown
from projections.store import ViewStore

Row = dict[str, Any]


class RequestStatsReader:
    """Reads the request statistics of a period from the request ledger."""

    projection = RequestLedger.name

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def stats(self, start: date | None, end: date | None) -> dict[str, Any]:
        """Requests raised and solved between two business dates (inclusive, either open).

        Raised: the request's raised date is in the period. Solved (解决): the request's
        standing outcome is resolved or partly resolved and was recorded in the period; an
        outcome the enterprise rejected (unsatisfied, 重办) no longer stands, so each request
        counts once. Breakdowns are rows `{code, label, …}`: every outcome and category
        (zeros included), and the units with any request (`label`: the unit code, which the
        application replaces with the unit's name).
        """
        low, high = Period(start, end).bounds()
        with self.store.read() as tx:
            rows = tx.all(
                f"SELECT category, lead_unit, co_units, raised_on, outcome, resolved_on, "
                f"project_id, enterprise_id FROM {TABLE} WHERE raised_on BETWEEN ? AND ? "
                f"OR resolved_on BETWEEN ? AND ?", [low, high, low, high])
        raised = [r for r in rows if low <= r["raised_on"] <= high]
        answered = [r for r in rows if r["resolved_on"] and low <= r["resolved_on"] <= high]
        solved = [r for r in answered if r["outcome"] in SOLVED]
        return {
            "raised": len(raised), "resolved": len(solved),
            "outcomes": breakdown(((o, {"count": sum(r["outcome"] == o for r in answered)})
                                   for o in Outcome.labels()), Outcome.labels()),
            "solved_projects": len({r["project_id"] for r in solved if r["project_id"]}),
            "solved_enterprises": len({r["enterprise_id"] for r in solved}),
            "by_category": breakdown(_by_category(raised, solved).items(), Category.labels()),
            "by_unit": breakdown(sorted(_by_unit(raised, solved).items())),
        }


def _by_category(raised: list[Row], solved: list[Row]) -> dict[str, dict[str, int]]:
    """Every category, in declaration order, with its requests raised and solved."""
    counts = {code: {"raised": 0, "resolved": 0} for code in Category.labels()}
    for name, rows in (("raised", raised), ("resolved", solved)):
        for r in rows:
            counts.setdefault(r["category"], {"raised": 0, "resolved": 0})[name] += 1
    return counts


def _by_unit(raised: list[Row], solved: list[Row]) -> dict[str, dict[str, int]]:
    """Per unit: requests raised that it leads or co-handles now, and the solved it led."""
    counts: dict[str, dict[str, int]] = {}

    def unit(code: str) -> dict[str, int]:
        return counts.setdefault(code, {"lead": 0, "co": 0, "resolved": 0})

    for r in raised:
        if r["lead_unit"]:
            unit(r["lead_unit"])["lead"] += 1
        for code in unit_set(r["co_units"]):
            unit(code)["co"] += 1
    for r in solved:
        unit(r["lead_unit"])["resolved"] += 1
    return counts
