"""Value objects and checks shared by every aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from domain.errors import InvalidValue, RuleViolation

# 万元 are kept to the yuan: four decimal places.
AMOUNT_QUANTUM = Decimal("0.0001")
MAX_TEXT = 4000
MAX_NAME = 200


class Role(StrEnum):
    """The roles an account can hold (DESIGN.md)."""

    admin = "admin"  # 系统管理员
    leader = "leader"  # 领导
    supervisor = "supervisor"  # 督查督办
    bureau = "bureau"  # 投促局
    unit = "unit"  # 责任单位/县区
    park_office = "park_office"  # 园区办
    agent = "agent"  # 代办员
    enterprise = "enterprise"  # 企业


ROLE_LABELS: dict[str, str] = {
    "admin": "系统管理员",
    "leader": "领导",
    "supervisor": "督查督办",
    "bureau": "投促局",
    "unit": "责任单位",
    "park_office": "园区办",
    "agent": "代办员",
    "enterprise": "企业",
}


@dataclass(frozen=True)
class Audit:
    """Who recorded a step, for which unit, under which request: carried by every event."""

    actor_id: str
    actor_name: str
    role: str
    unit: str | None
    correlation_id: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "role": self.role,
            "unit": self.unit,
            "correlation_id": self.correlation_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> Audit:
        return cls(
            actor_id=str(data["actor_id"]),
            actor_name=str(data["actor_name"]),
            role=str(data["role"]),
            unit=data.get("unit"),
            correlation_id=str(data.get("correlation_id") or ""),
        )


def require_text(value: str | None, field: str, *, limit: int = MAX_TEXT) -> str:
    """Strip `value` and insist it is non-empty and at most `limit` characters."""
    text = (value or "").strip()
    if not text:
        msg = f"{field} must not be empty / {field} 不能为空"
        raise InvalidValue(msg)
    if len(text) > limit:
        msg = f"{field} is {len(text)} characters long, at most {limit} allowed"
        raise InvalidValue(msg)
    return text


def optional_text(value: str | None, field: str, *, limit: int = MAX_TEXT) -> str | None:
    """Like require_text, but an empty value becomes None."""
    if value is None or not value.strip():
        return None
    return require_text(value, field, limit=limit)


def require_amount(value: Decimal | int | str, field: str) -> Decimal:
    """A non-negative amount in 万元, kept to the yuan (four decimal places)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        msg = f"{field} must be a decimal number of 万元, got {value!r}"
        raise InvalidValue(msg) from None
    if not amount.is_finite():
        msg = f"{field} must be a finite number, got {value!r}"
        raise InvalidValue(msg)
    if amount < 0:
        msg = f"{field} must not be negative, got {amount} / {field} 不能为负数"
        raise InvalidValue(msg)
    if amount >= Decimal("1e12"):
        msg = f"{field} is implausibly large: {amount} 万元"
        raise InvalidValue(msg)
    if amount != amount.quantize(AMOUNT_QUANTUM):
        msg = f"{field} has more than four decimal places (万元 to the yuan), got {amount}"
        raise InvalidValue(msg)
    return abs(amount.quantize(AMOUNT_QUANTUM)) if amount == 0 else amount.quantize(AMOUNT_QUANTUM)


def require_not_before(later: date, earlier: date | None, what: str, earlier_what: str) -> None:
    """Refuse a business date that comes before the step it follows."""
    if earlier is not None and later < earlier:
        msg = (
            f"{what} {later.isoformat()} is before {earlier_what} {earlier.isoformat()}"
            f" / {what}不能早于{earlier_what}"
        )
        raise RuleViolation(msg)
