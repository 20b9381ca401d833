"""入园联合论证: the joint review of a new industrial-land project entering a park.

Flow: opened by the park office (论证中) → each reviewing unit gives its opinion once
(approve 同意 / approve with conditions 有条件同意 / reject 不同意) → the park office decides
(通过 / 不通过) once every opinion is in → an approved review is registered (入园登记), which
places the project in the park. A unit's rejection stands: a review with a rejecting opinion
cannot be approved; the project may come back with a new review.

A project whose industry is not among the park's leading industries is not refused; the
review carries the flag (`industry_outside_leading`) for the reviewers to weigh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue, RuleViolation
from domain.park import RULE
from domain.shared import (
    MAX_NAME,
    Audit,
    Labelled,
    distinct_texts,
    optional_text,
    require_amount,
    require_not_before,
    require_text,
    step_refused,
)

MAX_REVIEWING_UNITS = 20


class Status(Labelled):
    """Where a review stands."""

    reviewing = "reviewing", "论证中"
    approved = "approved", "论证通过"
    rejected = "rejected", "论证未通过"
    registered = "registered", "已入园登记"


class Opinion(Labelled):
    """A reviewing unit's opinion."""

    approve = "approve", "同意"
    approve_with_conditions = "approve_with_conditions", "有条件同意"
    reject = "reject", "不同意"


# An opinion that is not a plain yes says why (the conditions, the grounds).
TEXT_REQUIRED = frozenset({Opinion.approve_with_conditions, Opinion.reject})


class Decision(Labelled):
    """The park office's conclusion."""

    approved = "approved", "通过"
    rejected = "rejected", "不通过"


ALLOWED: dict[str, tuple[str, ...]] = {
    Status.reviewing: ("give_opinion", "decide"),
    Status.approved: ("register",),
    Status.rejected: (),
    Status.registered: (),
}
STEP_PATHS = {"give_opinion": "opinions", "decide": "decide", "register": "register"}


def _amount(value: Decimal | int | str | None, field: str) -> Decimal | None:
    return None if value is None else require_amount(value, field)


def _area(value: Decimal | int | str, field: str) -> Decimal:
    area = require_amount(value, field)
    if area == 0:
        msg = f"{field} must be more than 0 / {field}须大于0"
        raise InvalidValue(msg)
    return area


def _check_units(units: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    codes = distinct_texts([str(u.get("code", "")) for u in units], "reviewing_units",
                           item="reviewing unit", kind="unit codes",
                           most=MAX_REVIEWING_UNITS, limit=40)
    if not codes:
        msg = "a joint review needs at least one reviewing unit / 须至少有一个论证单位"
        raise InvalidValue(msg)
    return [{"code": code, "name": require_text(u.get("name"), "unit name", limit=MAX_NAME)}
            for code, u in zip(codes, units, strict=True)]


def industry_note(industry: str, industry_code: str | None, park_name: str,
                  leading: Mapping[str, str]) -> str | None:
    """What the review says when the project's industry is not a leading one of the park;
    None when it is."""
    if industry_code is not None and industry_code in leading:
        return None
    names = "、".join(leading.values()) or "未设定"
    return (f"项目产业“{industry}”不在{park_name}主导产业（{names}）之列，请论证单位研判（{RULE}）"
            f" / the project's industry {industry} is not among the park's leading industries"
            f" ({', '.join(leading) or 'none set'}); the review goes on, flagged")


@dataclass(frozen=True)
class ReviewFacts:
    """What opening a review records: its Opened event stores these fields and its state
    shows them (declared once for both)."""

    project_id: UUID
    project_name: str
    industry: str
    industry_code: str | None
    park_id: UUID
    park_name: str
    land_area_mu: Decimal
    investment_intensity: Decimal | None
    output_per_mu: Decimal | None
    reviewing_units: list[dict[str, str]]
    industry_outside_leading: bool
    industry_note: str | None


class ParkEntryReview(Aggregate):
    """入园联合论证: one project's joint review for entering one park."""

    class Opened(Aggregate.Created, ReviewFacts):
        """发起入园联合论证."""

        on: date
        audit: Audit

    @event(Opened)
    def __init__(self, project_id: UUID, project_name: str, industry: str,
                 industry_code: str | None, park_id: UUID, park_name: str,
                 land_area_mu: Decimal, investment_intensity: Decimal | None,
                 output_per_mu: Decimal | None, reviewing_units: list[dict[str, str]],
                 industry_outside_leading: bool, industry_note: str | None, on: date,
                 audit: Audit) -> None:
        self.project_id = project_id
        self.project_name = project_name
        self.industry = industry
        self.industry_code = industry_code
        self.park_id = park_id
        self.park_name = park_name
        self.land_area_mu = land_area_mu
        self.investment_intensity = investment_intensity
        self.output_per_mu = output_per_mu
        self.reviewing_units = [dict(u) for u in reviewing_units]
        self.industry_outside_leading = industry_outside_leading
        self.industry_note = industry_note
        self.opened_on = on
        self.status = Status.reviewing.value
        self.opinions: list[dict[str, Any]] = []
        self.decision: str | None = None
        self.decision_reason: str | None = None
        self.decided_on: date | None = None
        self.registered_on: date | None = None
        self.last_step_on = on

    @classmethod
    def open(cls, *, project_id: UUID, project_name: str, industry: str,
             industry_code: str | None, park_id: UUID, park_name: str,
             leading: Mapping[str, str], land_area_mu: Decimal | int | str,
             investment_intensity: Decimal | int | str | None,
             output_per_mu: Decimal | int | str | None,
             reviewing_units: Sequence[Mapping[str, str]], on: date, audit: Audit
             ) -> ParkEntryReview:
        """发起: `leading` names the park's leading industries ({code: name}); the review is
        flagged when the project's industry is not one of them."""
        note = industry_note(industry, industry_code, park_name, leading)
        return cls(project_id=project_id, project_name=project_name, industry=industry,
                   industry_code=industry_code, park_id=park_id, park_name=park_name,
                   land_area_mu=_area(land_area_mu, "land_area_mu"),
                   investment_intensity=_amount(investment_intensity, "investment_intensity"),
                   output_per_mu=_amount(output_per_mu, "output_per_mu"),
                   reviewing_units=_check_units(reviewing_units),
                   industry_outside_leading=note is not None, industry_note=note, on=on,
                   audit=audit)

    # --- guards and derived state ---------------------------------------------------------

    @property
    def reviewing_unit_codes(self) -> list[str]:
        return [u["code"] for u in self.reviewing_units]

    @property
    def awaiting(self) -> list[dict[str, str]]:
        """The reviewing units whose opinion is still missing, in the review's order."""
        given = {o["unit"] for o in self.opinions}
        return [u for u in self.reviewing_units if u["code"] not in given]

    def allowed_steps(self) -> list[str]:
        return [STEP_PATHS[step] for step in ALLOWED[self.status]]

    def _require_step(self, step: str, what: str) -> None:
        allowed = ALLOWED[self.status]
        if step not in allowed:
            raise step_refused(what, "the review", Status(self.status),
                               [STEP_PATHS[s] for s in allowed], zh_item="论证",
                               zh_step=_ZH[step])

    def _not_before_last_step(self, on: date, what: str) -> None:
        require_not_before(on, self.last_step_on, what, "previous step's date")

    # --- steps ----------------------------------------------------------------------------

    def give_opinion(self, unit: str, opinion: str, text: str | None, on: date,
                     audit: Audit) -> None:
        """A reviewing unit's opinion, once."""
        self._require_step("give_opinion", "give an opinion")
        checked = Opinion.require(opinion, "opinion")
        note = optional_text(text, "text")
        if checked in TEXT_REQUIRED and note is None:
            msg = (f"an opinion of {checked} ({checked.label}) must say why (text) / "
                   f"{checked.label}须说明理由或条件")
            raise InvalidValue(msg)
        named = {u["code"]: u["name"] for u in self.reviewing_units}
        if unit not in named:
            msg = (f"unit {unit} is not a reviewing unit of this review / 该单位不是本次论证单位")
            raise RuleViolation(msg)
        earlier = next((o for o in self.opinions if o["unit"] == unit), None)
        if earlier is not None:
            msg = (f"{named[unit]} already gave its opinion on {earlier['on']}; each unit "
                   f"gives one / {named[unit]}已于{earlier['on']}出具意见，不能重复出具")
            raise RuleViolation(msg)
        self._not_before_last_step(on, "opinion date")
        self._opinion_given(unit=unit, unit_name=named[unit], opinion=checked.value, text=note,
                            on=on, audit=audit)

    class OpinionGiven(Aggregate.Event):
        """出具论证意见."""

        unit: str
        unit_name: str
        opinion: str
        text: str | None
        on: date
        audit: Audit

    @event(OpinionGiven)
    def _opinion_given(self, unit: str, unit_name: str, opinion: str, text: str | None,
                       on: date, audit: Audit) -> None:
        self.opinions.append({"unit": unit, "unit_name": unit_name, "opinion": opinion,
                              "text": text, "on": on, "by": audit.actor_name})
        self.last_step_on = on

    def decide(self, decision: str, reason: str, on: date, audit: Audit) -> None:
        """论证结论, once every reviewing unit has given its opinion; a rejection stands."""
        self._require_step("decide", "decide")
        checked = Decision.require(decision, "decision")
        if missing := self.awaiting:
            names = "、".join(u["name"] for u in missing)
            msg = (f"cannot decide before every reviewing unit has given its opinion; waiting "
                   f"for {', '.join(u['name'] for u in missing)} / 尚待{names}出具意见")
            raise RuleViolation(msg)
        rejecting = [o["unit_name"] for o in self.opinions if o["opinion"] == Opinion.reject]
        if checked is Decision.approved and rejecting:
            msg = (f"cannot approve: {', '.join(rejecting)} rejected the project; decide "
                   f"rejected, and open a new review once the plan changes / "
                   f"{'、'.join(rejecting)}不同意，不能论证通过")
            raise RuleViolation(msg)
        self._not_before_last_step(on, "decision date")
        self._decided(decision=checked.value, reason=require_text(reason, "reason"), on=on,
                      audit=audit)

    class Decided(Aggregate.Event):
        """论证结论."""

        decision: str
        reason: str
        on: date
        audit: Audit

    @event(Decided)
    def _decided(self, decision: str, reason: str, on: date, audit: Audit) -> None:
        self.status = (Status.approved if decision == Decision.approved
                       else Status.rejected).value
        self.decision = decision
        self.decision_reason = reason
        self.decided_on = on
        self.last_step_on = on

    def register(self, on: date, audit: Audit) -> None:
        """入园登记 of an approved review (the project is placed in the park alongside)."""
        self._require_step("register", "register the project")
        self._not_before_last_step(on, "registration date")
        self._registered(project_id=self.project_id, park_id=self.park_id, on=on,
                         audit=audit)

    class EntryRegistered(Aggregate.Event):
        """入园登记."""

        project_id: UUID
        park_id: UUID
        on: date
        audit: Audit

    @event(EntryRegistered)
    def _registered(self, project_id: UUID, park_id: UUID, on: date, audit: Audit) -> None:
        self.status = Status.registered.value
        self.registered_on = on
        self.last_step_on = on


_ZH = {"give_opinion": "出具意见", "decide": "作出论证结论", "register": "入园登记"}

EVENT_LABELS = {
    "Opened": "发起入园联合论证",
    "OpinionGiven": "出具论证意见",
    "Decided": "论证结论",
    "EntryRegistered": "入园登记",
}
