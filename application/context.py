"""The caller of a use case, and business dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from domain.errors import InvalidValue
from domain.shared import Audit, Role

if TYPE_CHECKING:
    from application.idempotency import Idempotency


@dataclass(frozen=True)
class Caller:
    """The authenticated account acting, and the request it acts in; `role` None is the
    public (公众), acting without an account."""

    account_id: str
    name: str
    role: Role | None
    unit: str | None = None
    enterprise: str | None = None
    # An agent's (代办员): ids of the enterprises and projects its agency cases name, looked
    # up when a rule asks, since cases change while an authenticated caller is kept.
    agency_items: Callable[[], frozenset[str]] = field(default=lambda: frozenset(),
                                                       compare=False, repr=False)
    correlation_id: str = ""
    idempotency: Idempotency | None = None  # the request's Idempotency-Key, if any
    unit_name: str | None = None  # the unit's name, for messages (the code is recorded)

    def who(self) -> tuple[str, str]:
        """The caller as messages name it, in Chinese and English: its role's label and its
        unit's name (`责任单位（柳东新区(高新区)）`), never bare codes."""
        if self.role is None:
            return "公众", "the public"
        unit, role = self.unit_name or self.unit, Role(self.role).label
        return (f"{role}（{unit}）" if unit else role,
                f"role {self.role}" + (f" of {unit}" if unit else ""))

    def audit(self) -> Audit:
        return Audit(actor_id=self.account_id, actor_name=self.name,
                     role=str(self.role) if self.role else PUBLIC_ROLE,
                     unit=self.unit, correlation_id=self.correlation_id)


PUBLIC_ROLE = "public"  # how steps taken without an account are recorded
SYSTEM = Caller(account_id="system", name="system", role=Role.admin, correlation_id="system")


EARLIEST_BUSINESS_DATE = date(1990, 1, 1)


# The day an as-of read is made for (see Clock.frozen); unset in every other read.
_FROZEN_TODAY: ContextVar[date | None] = ContextVar("frozen_today", default=None)


class Clock:
    """Today's date in the office's time zone, and the earliest business date a step may
    carry (paper records entered late are years old, not centuries); replaceable in tests."""

    def __init__(self, timezone: str = "Asia/Shanghai",
                 earliest: date = EARLIEST_BUSINESS_DATE) -> None:
        self.zone = ZoneInfo(timezone)
        self.earliest = earliest

    def today(self) -> date:
        frozen = _FROZEN_TODAY.get()
        return frozen if frozen is not None else self.now().astimezone(self.zone).date()

    def now(self) -> datetime:
        """The present instant (UTC), as event timestamps record it."""
        return datetime.now(UTC)

    @contextmanager
    def frozen(self, day: date) -> Iterator[None]:
        """Inside the block, in this thread or task only, today is `day`: an as-of read
        judges overdue and nearly due items, and the period being reported on, as on the
        day it reads, with every reader asking the clock as it always does."""
        token = _FROZEN_TODAY.set(day)
        try:
            yield
        finally:
            _FROZEN_TODAY.reset(token)

    def business_date(self, on: date | None, field: str = "on") -> date:
        """The business date of a step: today when omitted, never in the future, never
        before the earliest business date."""
        today = self.today()
        if on is None:
            return today
        if on > today:
            msg = (f"{field} {on.isoformat()} is in the future (today is {today.isoformat()}); "
                   f"record steps on or after the day they happen / 业务日期不能晚于今天")
            raise InvalidValue(msg)
        if on < self.earliest:
            msg = (f"{field} {on.isoformat()} is before the earliest business date "
                   f"{self.earliest.isoformat()} (LEDGER_EARLIEST_BUSINESS_DATE) / "
                   f"业务日期早于系统允许的最早日期")
            raise InvalidValue(msg)
        return on
