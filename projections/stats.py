"""What every statistics reader shares: the period of business dates it counts over, and
the shape of a breakdown (one row per code: `{code, label, …figures}`).

Periods are business dates, both ends inclusive, either end optional; the view tables keep
dates as ISO text, so a period is a pair of ISO bounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

EARLIEST, LATEST = "0001-01-01", "9999-12-31"


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    def bounds(self) -> tuple[str, str]:
        """(first, last) ISO date of the period; ValueError if it ends before it starts."""
        if self.start is not None and self.end is not None and self.end < self.start:
            msg = (f"period ends ({self.end}) before it starts ({self.start}) / "
                   "统计期的结束日期早于开始日期")
            raise ValueError(msg)
        return (self.start.isoformat() if self.start else EARLIEST,
                self.end.isoformat() if self.end else LATEST)


def breakdown(figures: Iterable[tuple[str, Mapping[str, Any]]],
              labels: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The rows of a breakdown, in the order given: each code with its label (from `labels`;
    the code itself where it has none — free text from older records, unit codes the
    application names) and its figures."""
    labels = labels or {}
    return [{"code": code, "label": labels.get(code, code), **dict(counts)}
            for code, counts in figures]
