"""The filters of every ledger, declared, and the one builder that turns them into SQL.

Each ledger declares its `FILTERS` once: a mapping from a filter's public name to what it
means over the ledger's table. `where_of` turns given values into WHERE clauses with `?`
placeholders, skipping the filters whose value is None. A list, tuple or set of codes means
"any of" them; an empty one matches nothing (so a scope can never widen by being empty).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Protocol
from uuid import UUID

Clause = tuple[str, list[Any]]
NOTHING: Clause = ("1 = 0", [])


class Filter(Protocol):
    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause | None:
        """The SQL of `value` (never None here); `values` are all the filters' values."""
        ...


def param(value: Any) -> Any:
    """A value as stored in the view tables: dates as ISO text, enums and ids as text."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _many(value: Any) -> list[Any] | None:
    """The values of a multi-valued filter (sets in sorted order); None for a single one."""
    if isinstance(value, (list, tuple)):
        return [param(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(param(v) for v in value)
    return None


def _any_of(clauses: Sequence[Clause]) -> Clause:
    if not clauses:
        return NOTHING
    if len(clauses) == 1:
        return clauses[0]
    return "(" + " OR ".join(sql for sql, _ in clauses) + ")", [p for _, ps in clauses for p in ps]


@dataclass(frozen=True)
class Equals:
    """`column = ?`; a list of values: `column IN (?, ...)`."""

    column: str

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        codes = _many(value)
        if codes is None:
            return f"{self.column} = ?", [param(value)]
        if not codes:
            return NOTHING
        return f"{self.column} IN ({', '.join('?' * len(codes))})", codes


@dataclass(frozen=True)
class AtLeast:
    """`column >= ?`: the first day of a date range (inclusive)."""

    column: str

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        return f"{self.column} >= ?", [param(value)]


@dataclass(frozen=True)
class AtMost:
    """`column <= ?`: the last day of a date range (inclusive)."""

    column: str

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        return f"{self.column} <= ?", [param(value)]


@dataclass(frozen=True)
class Flag:
    """A yes/no question: `true_sql` for True, `false_sql` for False."""

    true_sql: str
    false_sql: str

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        if not isinstance(value, bool):
            msg = f"a yes/no filter takes true or false, got {value!r} / 是否条件须为true或false"
            raise ValueError(msg)
        return (self.true_sql if value else self.false_sql), []


@dataclass(frozen=True)
class Overdue:
    """超期, a yes/no question judged against the given `today` (see `Given`): `true_sql` for
    True, `false_sql` for False, each with its `params` and then one `?` for today."""

    true_sql: str
    false_sql: str
    params: tuple[Any, ...] = ()

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        today = param(required(values, "today", "the overdue filter"))
        return (self.true_sql if value else self.false_sql), [*self.params, today]


def _escaped(text: str) -> str:
    """`text` for LIKE ... ESCAPE '\\': % and _ match literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Member:
    """A code in a ",a,b," set column (key years, units ever assigned); a list: any of them."""

    column: str

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        codes = _many(value)
        return _any_of([(f"{self.column} LIKE ? ESCAPE '\\'", [f"%,{_escaped(str(code))},%"])
                        for code in ([param(value)] if codes is None else codes)])


class Text:
    """Case-insensitive text in any of `columns` (LOWER on both sides: SQLite's LIKE ignores
    ASCII case and PostgreSQL's does not); % and _ in the text match literally."""

    def __init__(self, *columns: str) -> None:
        self.columns = columns

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        if not isinstance(value, str):
            msg = f"a text filter takes text, got {value!r} / 文本条件须为文字"
            raise ValueError(msg)
        pattern = f"%{_escaped(value)}%"
        sql = " OR ".join(f"LOWER({c}) LIKE LOWER(?) ESCAPE '\\'" for c in self.columns)
        return f"({sql})", [pattern] * len(self.columns)


class AnyOf:
    """Any of `filters` matches the value: a scope over two columns, a unit as lead or
    co-unit."""

    def __init__(self, *filters: Filter) -> None:
        self.filters = filters

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        found = [f.clause(value, values) for f in self.filters]
        return _any_of([c for c in found if c is not None])


@dataclass(frozen=True)
class Custom:
    """An escape for what the other kinds do not say, e.g. a question that depends on
    today's date: `build(value, values)` returns the clause."""

    build: Callable[[Any, Mapping[str, Any]], Clause]

    def clause(self, value: Any, values: Mapping[str, Any]) -> Clause:
        return self.build(value, values)


@dataclass(frozen=True)
class Given:
    """A value other filters and the public rows read (today's date); no clause of its own."""

    def clause(self, value: Any, values: Mapping[str, Any]) -> None:
        return None


def required(values: Mapping[str, Any], name: str, needed_by: str) -> Any:
    """The value `name` that `needed_by` reads; ValueError when it is missing."""
    value = values.get(name)
    if value is None:
        msg = f"{needed_by} needs {name!r} / 须同时给出{name}"
        raise ValueError(msg)
    return value


def where_of(spec: Mapping[str, Filter], values: Mapping[str, Any]
             ) -> tuple[list[str], list[Any]]:
    """The WHERE clauses (to be ANDed) and their parameters for `values` under `spec`.
    None values are skipped; a name `spec` does not declare is a ValueError."""
    unknown = sorted(set(values) - set(spec))
    if unknown:
        msg = (f"unknown filter {', '.join(map(repr, unknown))}; this ledger filters by "
               f"{', '.join(spec)} / 该台账没有此筛选条件")
        raise ValueError(msg)
    clauses: list[str] = []
    params: list[Any] = []
    for name, value in values.items():
        if value is None:
            continue
        found = spec[name].clause(value, values)
        if found is not None:
            clauses.append(found[0])
            params += found[1]
    return clauses, params
