"""园区: an industrial park, its leading industries (主导产业) and its yearly output.

The park rules of 柳政规〔2020〕1号: a park has at most three leading industries, and their
output should be at least 60% of the park's; new industrial-land projects in city-level
(市属) and district-level (城区属) parks go through a joint review (入园联合论证) before
they enter, and county parks (县域) may follow it (可参照执行). A park's name identifies it:
projects name their park in free text, so two parks of one name could not be told apart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue, RuleViolation
from domain.shared import (
    MAX_NAME,
    Audit,
    Labelled,
    distinct_texts,
    require_amount,
    require_not_before,
    require_text,
)

RULE = "柳政规〔2020〕1号"
MAX_LEADING = 3
LEADING_SHARE_PERCENT = 60  # the leading industries' least share of the park's output
MAX_REPORTED_INDUSTRIES = 100
_PARK_NAMESPACE = uuid5(NAMESPACE_URL, "https://investledger.example/parks")


class Level(Labelled):
    """园区级别: who the park belongs to."""

    city = "city", "市属"
    district = "district", "城区属"
    county = "county", "县域"


# Joint review is required of these levels; county parks may follow it (可参照执行).
REVIEW_REQUIRED = frozenset({Level.city, Level.district})


def park_key(name: str) -> str:
    """A park name as compared: NFKC (full-width letters and digits as half-width), without
    blanks, so “柳东 汽车城” and “柳东汽车城” name one park."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def same_park(text: str | None, name: str) -> bool:
    """Whether a project's free-text park names the park `name`."""
    return bool(text) and park_key(text or "") == park_key(name)


def check_leading(industries: Sequence[str] | None) -> list[str]:
    """Leading industries (主导产业): distinct codes, at most three (a rule: 409)."""
    if industries is not None and not isinstance(industries, (str, bytes)) \
            and len(industries) > MAX_LEADING:
        msg = (f"a park has at most {MAX_LEADING} leading industries ({RULE}); got "
               f"{len(industries)} / 园区主导产业不超过{MAX_LEADING}个（{RULE}）")
        raise RuleViolation(msg)
    return distinct_texts(industries, "leading_industries", item="leading industry",
                          kind="industry codes", most=MAX_LEADING, limit=60)


def check_output(year: int, by_industry: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A year's output by industry (万元): distinct industries, non-negative amounts."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        msg = f"year must be between 2000 and 2100, got {year!r} / 年度须在2000至2100之间"
        raise InvalidValue(msg)
    if not by_industry or isinstance(by_industry, (str, bytes)):
        msg = "by_industry must list at least one industry's output / 须至少填报一个产业的产值"
        raise InvalidValue(msg)
    if len(by_industry) > MAX_REPORTED_INDUSTRIES:
        msg = (f"by_industry lists {len(by_industry)} industries, at most "
               f"{MAX_REPORTED_INDUSTRIES} allowed / 填报的产业过多")
        raise InvalidValue(msg)
    codes = distinct_texts([str(row.get("industry", "")) for row in by_industry],
                           "by_industry", item="industry", kind="industry codes",
                           most=MAX_REPORTED_INDUSTRIES, limit=60)
    return [{"industry": code, "output": require_amount(row.get("output", ""), f"output of {code}")}
            for code, row in zip(codes, by_industry, strict=True)]


@dataclass(frozen=True)
class ParkParticulars:
    """A park's particulars: its Registered event records them and its state shows them as
    they stand (declared once for both)."""

    name: str
    level: str
    county: str
    managing_unit: str
    area_mu: Decimal
    leading_industries: list[str]
    joint_review_required: bool


class Park(Aggregate):
    """园区: one industrial park, its leading industries and its reported output."""

    @staticmethod
    def create_id(name: str) -> UUID:
        """One name, one park: registering a name twice collides on this id."""
        return uuid5(_PARK_NAMESPACE, park_key(name))

    class Registered(Aggregate.Created, ParkParticulars):
        """园区登记: a park is registered."""

        on: date
        audit: Audit

    @event(Registered)
    def __init__(self, name: str, level: str, county: str, managing_unit: str,
                 area_mu: Decimal, leading_industries: list[str], joint_review_required: bool,
                 on: date, audit: Audit) -> None:
        self.name = name
        self.level = level
        self.county = county
        self.managing_unit = managing_unit
        self.area_mu = area_mu
        self.leading_industries = list(leading_industries)
        self.joint_review_required = joint_review_required
        self.registered_on = on
        self.outputs: list[dict[str, Any]] = []

    @classmethod
    def register(cls, name: str, level: str, county: str, managing_unit: str,
                 area_mu: Decimal | int | str, leading_industries: Sequence[str] | None,
                 joint_review_required: bool | None, on: date, audit: Audit) -> Park:
        """Register a park. Joint review defaults to required for city and district parks,
        which cannot opt out; a county park opts in (可参照执行)."""
        checked = Level.require(level, "level")
        review = checked in REVIEW_REQUIRED if joint_review_required is None \
            else joint_review_required
        if checked in REVIEW_REQUIRED and not review:
            msg = (f"a {checked} ({checked.label}) park requires the joint review of new "
                   f"industrial-land projects ({RULE}); only county (县域) parks may go without"
                   f" / {checked.label}园区须执行入园联合论证")
            raise RuleViolation(msg)
        return cls(name=require_text(name, "name", limit=MAX_NAME), level=checked.value,
                   county=require_text(county, "county", limit=40),
                   managing_unit=require_text(managing_unit, "managing_unit", limit=40),
                   area_mu=require_amount(area_mu, "area_mu"),
                   leading_industries=check_leading(leading_industries),
                   joint_review_required=bool(review), on=on, audit=audit)

    # --- leading industries ---------------------------------------------------------------

    def allowed_steps(self) -> list[str]:
        """The steps a park takes, at any time, named as its API paths."""
        return ["leading-industries", "output"]

    def change_leading_industries(self, industries: Sequence[str], reason: str, on: date,
                                  audit: Audit) -> None:
        """调整主导产业, with the reason; at most three."""
        checked = check_leading(industries)
        if checked == self.leading_industries:
            msg = ("the park already has exactly these leading industries; nothing to change"
                   " / 主导产业未变化")
            raise RuleViolation(msg)
        require_not_before(on, self.registered_on, "change date", "registration date")
        self._leading_changed(industries=checked, previous=list(self.leading_industries),
                              reason=require_text(reason, "reason"), on=on, audit=audit)

    class LeadingIndustriesChanged(Aggregate.Event):
        """调整主导产业: the new list, the one it replaced, and why."""

        industries: list[str]
        previous: list[str]
        reason: str
        on: date
        audit: Audit

    @event(LeadingIndustriesChanged)
    def _leading_changed(self, industries: list[str], previous: list[str], reason: str,
                         on: date, audit: Audit) -> None:
        self.leading_industries = list(industries)

    # --- output -------------------------------------------------------------------------

    def report_output(self, year: int, by_industry: Sequence[Mapping[str, Any]], on: date,
                      audit: Audit) -> None:
        """产值填报: a year's output by industry (万元); a later report for the same year
        replaces it (the earlier one stays in the history)."""
        rows = check_output(year, by_industry)
        require_not_before(on, self.registered_on, "report date", "registration date")
        replaced = any(o["year"] == year for o in self.outputs)
        self._output_reported(year=year, by_industry=rows,
                              total=sum((r["output"] for r in rows), Decimal("0.0000")),
                              replaces=replaced, on=on, audit=audit)

    class OutputReported(Aggregate.Event):
        """产值填报: the park's output of a year by industry; `replaces` an earlier report."""

        year: int
        by_industry: list[dict[str, Any]]
        total: Decimal
        replaces: bool
        on: date
        audit: Audit

    @event(OutputReported)
    def _output_reported(self, year: int, by_industry: list[dict[str, Any]], total: Decimal,
                         replaces: bool, on: date, audit: Audit) -> None:
        report = {"year": year, "by_industry": [dict(r) for r in by_industry], "total": total,
                  "reported_on": on}
        self.outputs = sorted([*(o for o in self.outputs if o["year"] != year), report],
                              key=lambda o: int(o["year"]))


EVENT_LABELS = {
    "Registered": "园区登记",
    "LeadingIndustriesChanged": "调整主导产业",
    "OutputReported": "产值填报",
}
