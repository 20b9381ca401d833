"""The query path every read of a projection takes: scope → parameters → wait → read.

Ledgers (台账) and reports read projections, which are eventually consistent. A read
1. asks the policy which part of the list the caller may see (403 when none),
2. checks its query parameters against what it declares (422 naming an unknown parameter,
   a single-valued one given twice, or a bad value; comma lists where several values make
   sense),
3. waits, bounded, until the projection includes `min_position` (503 when it does not),
4. reads through a reader the composition root wires in (application imports no
   projections: readers only have to fit the small protocols below).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Protocol

from application import policy
from application.calendar import latest_start
from application.context import Caller, Clock
from application.errors import NotReady
from domain.calendar import WorkingCalendar
from domain.errors import InvalidValue


class Positions(Protocol):
    """How far each projection has read the log (the follower)."""

    def position(self, name: str) -> int: ...

    def wait_for(self, name: str, position: int, timeout: float) -> bool: ...


class LedgerReader(Protocol):
    """One ledger's rows: a page of them under filters (scope included), newest first."""

    projection: str

    def page(self, filters: Mapping[str, Any], limit: int, cursor: str | None) -> Any: ...


Complete = Callable[[list[dict[str, Any]]], None]


class ReadTimeColumns(Protocol):
    """Columns of a ledger's rows that only the application can give when they are read,
    because they are judged against today, the calendar or the settings (信息报送 status).
    They come from a projection of their own; `prepare` takes their query parameters out of
    the checked values, turns them into filters the ledger's reader knows, and answers how to
    complete each row of the page."""

    projection: str

    def prepare(self, values: dict[str, Any]) -> tuple[dict[str, Any], Complete]: ...


# --- query parameters -------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One query parameter a read accepts: how to parse one value, whether a comma list of
    values is allowed, and its OpenAPI schema (api/ documents it from here)."""

    description: str
    parse: Callable[[str], Any]
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    many: bool = False

    def read(self, name: str, raw: str) -> Any:
        if not self.many:
            return self._one(name, raw)
        values = tuple(self._one(name, part.strip()) for part in raw.split(",") if part.strip())
        return values or None

    def _one(self, name: str, raw: str) -> Any:
        try:
            return self.parse(raw)
        except InvalidValue as exc:
            english, _, chinese = str(exc).partition(" / ")
            msg = f"{name}: {english} / 查询参数{name}：{chinese or '取值无效'}"
            raise InvalidValue(msg) from None
        except (ValueError, TypeError):
            msg = (f"{name}: {raw!r} is not {self.schema.get('description', 'valid')} / "
                   f"查询参数{name}的取值无效")
            raise InvalidValue(msg) from None


def codes(enum: type[Enum], description: str) -> Param:
    """Any of an enum's codes, as a comma list: `?stage=signed,under_construction`."""
    known = [str(m.value) for m in enum]

    def parse(raw: str) -> str:
        if raw not in known:
            msg = f"unknown code {raw!r}; one of {', '.join(known)} / 取值不在所列代码之中"
            raise InvalidValue(msg)
        return raw

    return Param(f"{description} (one or a comma list of: {', '.join(known)})", parse,
                 {"type": "string"}, many=True)


def words(description: str) -> Param:
    """Any of several free codes (units, counties, industries), as a comma list."""
    return Param(f"{description} (one or a comma list)", _short_text, many=True)


def text(description: str, max_length: int = 100) -> Param:
    def parse(raw: str) -> str | None:
        if len(raw) > max_length:
            msg = f"at most {max_length} characters, got {len(raw)} / 最多{max_length}个字符"
            raise InvalidValue(msg)
        return raw.strip() or None

    return Param(description, parse, {"type": "string", "maxLength": max_length})


def day(description: str) -> Param:
    return Param(description, date.fromisoformat,
                 {"type": "string", "format": "date", "description": "an ISO date"})


def integer(description: str, lowest: int, highest: int) -> Param:
    def parse(raw: str) -> int:
        value = int(raw) if len(raw) <= 20 else highest + 1
        if not lowest <= value <= highest:
            msg = f"must be between {lowest} and {highest}, got {raw} / 须在{lowest}至{highest}之间"
            raise InvalidValue(msg)
        return value

    return Param(description, parse,
                 {"type": "integer", "minimum": lowest, "maximum": highest,
                  "description": "a whole number"})


def flag(description: str) -> Param:
    def parse(raw: str) -> bool:
        value = {"true": True, "1": True, "false": False, "0": False}.get(raw.lower())
        if value is None:
            msg = f"true or false, got {raw!r} / 须为true或false"
            raise InvalidValue(msg)
        return value

    return Param(description, parse, {"type": "boolean"})


def _short_text(raw: str) -> str:
    if len(raw) > 100:
        msg = f"at most 100 characters, got {len(raw)} / 最多100个字符"
        raise InvalidValue(msg)
    return raw


MIN_POSITION = integer("Wait (bounded) until the read includes this global log position, as "
                       "returned in X-Ledger-Position by a command; 503 with Retry-After if "
                       "it does not in time.", 0, 2**63 - 1)
PAGING: dict[str, Param] = {
    "limit": integer("Rows per page (default 50)", 1, 500),
    "cursor": Param("next_cursor of the previous page", _short_text),
    "min_position": MIN_POSITION,
}
PERIOD: dict[str, Param] = {
    "from": day("First business date of the period (inclusive); default: no lower bound"),
    "to": day("Last business date of the period (inclusive); default: no upper bound"),
}


def parse_params(spec: Mapping[str, Param], given: Iterable[tuple[str, str]]
                 ) -> dict[str, Any]:
    """The typed values of `given` (name, raw value) pairs, as `spec` declares them."""
    raw: dict[str, list[str]] = {}
    for name, value in given:
        raw.setdefault(name, []).append(value)
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        msg = (f"unknown query parameter {', '.join(unknown)}; this read takes "
               f"{', '.join(spec) or 'none'} / 未知的查询参数")
        raise InvalidValue(msg)
    repeated = sorted(name for name, values in raw.items() if len(values) > 1)
    if repeated:
        msg = (f"query parameter {', '.join(repeated)} given more than once; give it once"
               " (several values, where allowed, as one comma list) / 参数重复")
        raise InvalidValue(msg)
    return {name: spec[name].read(name, values[0]) for name, values in raw.items()}


def check_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        msg = f"the period starts {start} after it ends {end} / 起止日期颠倒"
        raise InvalidValue(msg)


# --- ledgers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerQuery:
    """A ledger as the application serves it: who may read it and which filters it takes.
    The reader behind `name` maps the same filter names to its columns."""

    name: str  # "projects": GET /api/v1/ledgers/projects
    action: str  # the policy action whose scope limits the rows: "project.read"
    filters: Mapping[str, Param]
    dated: bool = False  # rows judged against today (overdue): the reader is given `today`
    periods: tuple[tuple[str, str], ...] = ()  # pairs of date filters that must not cross
    # Filters given as "open more than N working days": the reader is given the latest day a
    # start may fall on to be that old (see `latest_start`).
    ages: tuple[str, ...] = ()

    @property
    def params(self) -> dict[str, Param]:
        return {**self.filters, **PAGING}


@dataclass(frozen=True)
class LedgerAnswer:
    page: Any  # the reader's page: items, count, next_cursor (and totals where it has them)
    position: int


class Reads:
    """Scope, parameters and the bounded wait, for every read of a projection."""

    def __init__(self, head: Callable[[], int], positions: Positions, timeout: float,
                 clock: Clock, ledgers: Sequence[LedgerQuery],
                 calendar: WorkingCalendar) -> None:
        self.head = head
        self.clock = clock
        self.calendar = calendar
        self.positions = positions
        self.timeout = timeout
        self.ledgers = {q.name: q for q in ledgers}
        self.readers: dict[str, LedgerReader] = {}
        self.columns: dict[str, ReadTimeColumns] = {}  # by ledger name

    def wait(self, projection: str, min_position: int | None) -> int:
        """Block until `projection` includes `min_position`; its position afterwards."""
        if min_position:
            head = self.head()
            if min_position > head:
                msg = (f"min_position {min_position} is beyond the head of the log ({head}) / "
                       "min_position超出了日志的最新位置")
                raise InvalidValue(msg)
            if not self.positions.wait_for(projection, min_position, self.timeout):
                msg = (f"the {projection} read model has not reached position {min_position}"
                       f" yet (at {self.positions.position(projection)}); retry shortly / "
                       "读模型尚未更新到该位置，请稍后重试")
                raise NotReady(msg)
        return self.positions.position(projection)

    def ledger(self, caller: Caller, name: str, given: Iterable[tuple[str, str]]
               ) -> LedgerAnswer:
        """One page of ledger `name` as the caller may see it."""
        query = self.ledgers[name]
        scope = policy.scope(caller, query.action)
        values = parse_params(query.params, given)
        for start, end in query.periods:
            check_period(values.get(start), values.get(end))
        if query.dated:
            values["today"] = self.clock.today()
        for age in query.ages:
            if values.get(age) is not None:
                values[age] = latest_start(self.calendar, self.clock.today(), values[age] + 1)
        reader = self.readers[name]
        minimum = values.pop("min_position", None)
        position = self.wait(reader.projection, minimum)
        complete: Complete | None = None
        if (columns := self.columns.get(name)) is not None:
            position = min(position, self.wait(columns.projection, minimum))
            values, complete = columns.prepare(values)
        limit = values.pop("limit", None) or 50
        cursor = values.pop("cursor", None)
        try:
            page = reader.page({**values, **scope.filters()}, limit, cursor)
        except ValueError as exc:  # a cursor this ledger did not issue
            raise InvalidValue(str(exc)) from None
        if complete is not None:
            complete(page.items)
        return LedgerAnswer(page, position)

    def report(self, caller: Caller, action: str, spec: Mapping[str, Param],
               given: Iterable[tuple[str, str]], projection: str, *more: str
               ) -> tuple[dict[str, Any], int]:
        """The first steps of a report: 403, its parameters (with the period checked), the
        wait (for each projection it reads); the parameters and the position the report then
        reads at (the least of them)."""
        policy.require_role(caller, action)
        values = parse_params({**spec, "min_position": MIN_POSITION}, given)
        check_period(values.get("from"), values.get("to"))
        minimum = values.pop("min_position", None)
        return values, min(self.wait(name, minimum) for name in (projection, *more))
