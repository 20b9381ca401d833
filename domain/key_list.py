"""重点清单: the yearly key lists — 重点项目清单 for projects, 重点企业名单 for enterprises — and
the rules every designation onto one, or removal from one, follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate

from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit

FIRST_YEAR, LAST_YEAR = 2000, 2100
UNRECORDED = "（未记录）"
"""The reason of designations recorded before designations took one (upcast)."""


@dataclass(frozen=True)
class KeyList:
    """One kind of key list: what it lists and how messages name it."""

    subject: str  # "project"
    name: str  # "key-project list"
    label: str  # 重点项目清单

    def require_year(self, year: int) -> int:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            msg = (f"year must be between {FIRST_YEAR} and {LAST_YEAR}, got {year} / "
                   f"年度须在{FIRST_YEAR}至{LAST_YEAR}之间")
            raise InvalidValue(msg)
        return year

    def check_designation(self, years: list[int], year: int) -> None:
        """A year may be designated once: 409 when the item is already on that year's list."""
        if self.require_year(year) in years:
            msg = (f"{self.subject} is already on the {year} {self.name} ({self.label}) / "
                   f"已列入{year}年{self.label}")
            raise RuleViolation(msg)

    def check_removal(self, years: list[int], year: int) -> None:
        """Only a designated year may be dropped: 409 when the item is not on its list."""
        if self.require_year(year) not in years:
            msg = (f"{self.subject} is not on the {year} {self.name} ({self.label}) / "
                   f"未列入{year}年{self.label}")
            raise RuleViolation(msg)


KEY_PROJECTS = KeyList("project", "key-project list", "重点项目清单")
KEY_ENTERPRISES = KeyList("enterprise", "key-enterprise list", "重点企业名单")


class Designated(Aggregate.Event):
    """What putting an item on a year's key list records, with the reason. Each aggregate
    declares its own subclass (its topic is what is stored) and applies it with
    `designated`."""

    year: int
    reason: str
    on: date
    audit: Audit


class Dropped(Aggregate.Event):
    """What taking an item off a year's key list records, with the reason; applied with
    `dropped`."""

    year: int
    reason: str
    on: date
    audit: Audit


def designated(self: Any, year: int, reason: str, on: date, audit: Audit) -> None:
    """Applies a designation, as `_key_designated = event(KeyProjectDesignated)(designated)`
    (the library calls it with the aggregate as `self`): the year joins `key_years`."""
    self.key_years = sorted({*self.key_years, year})


def dropped(self: Any, year: int, reason: str, on: date, audit: Audit) -> None:
    """Applies a removal: the year leaves `key_years`."""
    self.key_years = [y for y in self.key_years if y != year]
