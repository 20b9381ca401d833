"""Project statistics of a period (在谈/签约/开工/投产), read from the project ledger's table.

A project counts in a stage for the period when its date of that stage falls in it:
registered (在谈, newly registered) by its registration date, signed (签约) by its sign date,
started (开工) by its construction date, produced (投产) by its production date. One project
can count in several stages of one period, and a project terminated later still counts in
the stages it reached. Each stage gives the number of projects, their planned total
investment (总投资额) and their contract amount (合同金额, what those of them that signed
signed for), in 万元.

Reading the ledger rather than keeping a table of its own means that every change the
ledger applies to a stage date or an amount (revisions, corrections) is counted at once,
with nothing more to keep in step. County, unit and industry are the project's current ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projections.project_ledger import TABLE, ProjectLedger, from_units
from projections.stats import Period, breakdown
from projections.store import ViewStore

# Each stage counted and the ledger column holding its business date.
STAGES = {"registered": "registered_on", "signed": "sign_date",
          "started": "construction_date", "produced": "production_date"}
BREAKDOWNS = {"by_county": "county", "by_unit": "responsible_unit", "by_industry": "industry"}
IN_PERIOD = " OR ".join(f"({column} >= ? AND {column} <= ?)" for column in STAGES.values())


@dataclass
class _Stages:
    """Projects counted per stage, with their amounts in integer units (yuan)."""

    sums: dict[str, list[int]] = field(
        default_factory=lambda: {stage: [0, 0, 0] for stage in STAGES})

    def add(self, stage: str, row: dict[str, Any]) -> None:
        sums = self.sums[stage]
        sums[0] += 1
        sums[1] += row["total_investment"]
        sums[2] += row["contract_amount"] or 0

    def public(self) -> dict[str, dict[str, Any]]:
        return {stage: {"count": n, "total_investment": from_units(investment),
                        "contract_amount": from_units(contract)}
                for stage, (n, investment, contract) in self.sums.items()}


class ProjectStatsReader:
    """Reads the project statistics of a period from the project ledger."""

    projection = ProjectLedger.name

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def stats(self, start: date | None, end: date | None) -> dict[str, Any]:
        """Per stage: in total, and broken down by month (of the stage date), county, unit
        and industry as rows `{code, label, registered, signed, started, produced}`; only
        rows with a project in some stage, months in order, the others by code. A month's
        label is 2025年3月; county and unit rows are labelled with their codes, which the
        application replaces with the units' names. ValueError if the period ends before it
        starts."""
        low, high = Period(start, end).bounds()
        columns = ", ".join(("total_investment", "contract_amount", *BREAKDOWNS.values(),
                             *STAGES.values()))
        with self.store.read() as tx:
            rows = tx.all(f"SELECT {columns} FROM {TABLE} WHERE {IN_PERIOD}",
                          (low, high) * len(STAGES))
        total = _Stages()
        groups: dict[str, dict[str, _Stages]] = {name: {} for name in ("by_month", *BREAKDOWNS)}
        for row in rows:
            for stage, column in STAGES.items():
                day = row[column]
                if day is None or not low <= day <= high:
                    continue
                total.add(stage, row)
                groups["by_month"].setdefault(day[:7], _Stages()).add(stage, row)
                for name, attribute in BREAKDOWNS.items():
                    groups[name].setdefault(row[attribute], _Stages()).add(stage, row)
        months = sorted(groups.pop("by_month").items())
        return {**total.public(),
                "by_month": breakdown(_public(months), {m: _month_label(m) for m, _ in months}),
                **{name: breakdown(_public(sorted(found.items())))
                   for name, found in groups.items()}}


def _public(groups: Iterable[tuple[str, _Stages]]) -> list[tuple[str, dict[str, Any]]]:
    return [(code, stages.public()) for code, stages in groups]


def _month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"
