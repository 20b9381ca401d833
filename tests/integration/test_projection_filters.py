"""The declared filters of the ledgers and their one builder, `where_of`: each kind of filter,
lists meaning "any of", None skipped, unknown names refused; and the SQL they build, run on
both backends."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container
from projections.filters import (
    AnyOf,
    AtLeast,
    AtMost,
    Clause,
    Custom,
    Equals,
    Filter,
    Flag,
    Given,
    Member,
    Text,
    required,
    where_of,
)

LIKE = "LIKE ? ESCAPE '\\'"


class Colour(StrEnum):
    red = "red"


def _before_today(value: Any, values: Mapping[str, Any]) -> Clause:
    today = required(values, "today", "the late filter")
    return ("due < ?" if value else "due >= ?"), [today.isoformat()]


SPEC: dict[str, Filter] = {
    "colour": Equals("colour"),
    "from": AtLeast("day"),
    "to": AtMost("day"),
    "open": Flag("closed_on IS NULL", "closed_on IS NOT NULL"),
    "year": Member("years"),
    "q": Text("name", "code"),
    "unit": AnyOf(Equals("lead"), Member("co_units")),
    "late": Custom(_before_today),
    "today": Given(),
}


@pytest.mark.parametrize(("values", "expected"), [
    ({"colour": "red"}, (["colour = ?"], ["red"])),
    ({"colour": Colour.red}, (["colour = ?"], ["red"])),
    ({"colour": UUID(int=1)}, (["colour = ?"], ["00000000-0000-0000-0000-000000000001"])),
    ({"colour": ["red", "blue"]}, (["colour IN (?, ?)"], ["red", "blue"])),
    ({"colour": ("red",)}, (["colour IN (?)"], ["red"])),
    ({"colour": frozenset({"red", "blue"})}, (["colour IN (?, ?)"], ["blue", "red"])),
    ({"colour": []}, (["1 = 0"], [])),
    ({"from": date(2025, 1, 1), "to": date(2025, 3, 31)},
     (["day >= ?", "day <= ?"], ["2025-01-01", "2025-03-31"])),
    ({"open": True}, (["closed_on IS NULL"], [])),
    ({"open": False}, (["closed_on IS NOT NULL"], [])),
    ({"year": 2025}, ([f"years {LIKE}"], ["%,2025,%"])),
    ({"year": [2025, 2026]}, ([f"(years {LIKE} OR years {LIKE})"], ["%,2025,%", "%,2026,%"])),
    ({"year": "a_b"}, ([f"years {LIKE}"], ["%,a\\_b,%"])),
    ({"q": "50%_off"}, (["(LOWER(name) LIKE LOWER(?) ESCAPE '\\' "
                         "OR LOWER(code) LIKE LOWER(?) ESCAPE '\\')"],
                        ["%50\\%\\_off%", "%50\\%\\_off%"])),
    ({"unit": "liudong"}, ([f"(lead = ? OR co_units {LIKE})"], ["liudong", "%,liudong,%"])),
    ({"unit": ["a", "b"]}, ([f"(lead IN (?, ?) OR (co_units {LIKE} OR co_units {LIKE}))"],
                            ["a", "b", "%,a,%", "%,b,%"])),
    ({"late": True, "today": date(2025, 7, 3)}, (["due < ?"], ["2025-07-03"])),
    ({"late": False, "today": date(2025, 7, 3)}, (["due >= ?"], ["2025-07-03"])),
    ({"today": date(2025, 7, 3)}, ([], [])),
    ({"colour": None, "year": None, "q": None}, ([], [])),
    ({}, ([], [])),
])
def test_each_kind_of_filter_builds_its_clause(values: dict[str, Any],
                                               expected: tuple[list[str], list[Any]]) -> None:
    assert where_of(SPEC, values) == expected


def test_clauses_come_in_the_order_of_the_values_given() -> None:
    clauses, params = where_of(SPEC, {"to": date(2025, 2, 1), "colour": "red", "open": True})
    assert clauses == ["day <= ?", "colour = ?", "closed_on IS NULL"]
    assert params == ["2025-02-01", "red"]


def test_an_unknown_filter_is_refused_naming_it_and_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown filter 'size'; this ledger filters by "
                                         r"colour, from, to, open"):
        where_of(SPEC, {"colour": "red", "size": 3})
    with pytest.raises(ValueError, match="unknown filter 'size'"):
        where_of(SPEC, {"size": None})  # even when it is not set


def test_a_filter_that_needs_today_says_so() -> None:
    with pytest.raises(ValueError, match="the late filter needs 'today'"):
        where_of(SPEC, {"late": True})


@pytest.mark.parametrize(("values", "message"), [
    ({"open": "yes"}, "true or false"),
    ({"q": 3}, "takes text"),
])
def test_a_value_of_the_wrong_kind_is_refused(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        where_of(SPEC, values)


ROWS: list[dict[str, Any]] = [
    {"code": "a", "colour": "red", "day": "2025-01-05", "closed_on": None, "years": ",2025,",
     "name": "Alpha 50% off", "lead": "liudong", "co_units": ",liujiang,", "due": "2025-07-01"},
    {"code": "b", "colour": "blue", "day": "2025-02-05", "closed_on": "2025-03-01",
     "years": ",2025,2026,", "name": "beta", "lead": "liujiang", "co_units": "",
     "due": "2025-07-09"},
    {"code": "c", "colour": "green", "day": "2025-03-05", "closed_on": None, "years": ",a_b,",
     "name": "GAMMA 500 off", "lead": "rsj", "co_units": ",liudong,rsj2,", "due": "2025-07-03"},
    {"code": "d", "colour": "red", "day": "2025-04-05", "closed_on": None, "years": ",axb,",
     "name": "delta", "lead": "gdj", "co_units": "", "due": "2025-08-01"},
]

SQL_CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({"colour": ["red", "green"]}, {"a", "c", "d"}),
    ({"colour": []}, set()),
    ({"from": date(2025, 2, 5), "to": date(2025, 3, 5)}, {"b", "c"}),
    ({"open": False}, {"b"}),
    ({"year": 2026}, {"b"}),
    ({"year": [2026, 2025]}, {"a", "b"}),
    ({"year": "a_b"}, {"c"}),  # _ matches itself only, not "axb"
    ({"q": "50%"}, {"a"}),  # % matches itself only, not "500"
    ({"q": "gamma"}, {"c"}),  # ASCII case ignored on both engines
    ({"unit": "liudong"}, {"a", "c"}),  # lead or co-unit
    ({"unit": ["rsj", "gdj"]}, {"c", "d"}),  # rsj2 is not rsj
    ({"late": True, "today": date(2025, 7, 3)}, {"a"}),
    ({"late": False, "today": date(2025, 7, 3), "colour": "red"}, {"d"}),
]


def test_the_built_sql_selects_the_same_rows_on_both_backends(
        backend_container: Container) -> None:
    columns = list(ROWS[0])
    with backend_container.views.transaction() as tx:
        tx.execute(f"CREATE TABLE filter_probe ({', '.join(f'{c} TEXT' for c in columns)})")
        tx.executemany(f"INSERT INTO filter_probe ({', '.join(columns)}) "
                       f"VALUES ({', '.join('?' * len(columns))})",
                       [[row[c] for c in columns] for row in ROWS])
    try:
        for values, expected in SQL_CASES:
            clauses, params = where_of(SPEC, values)
            with backend_container.views.read() as tx:
                found = tx.all(f"SELECT code FROM filter_probe WHERE {' AND '.join(clauses)}",
                               params)
            assert {r["code"] for r in found} == expected, values
    finally:
        with backend_container.views.transaction() as tx:
            tx.execute("DROP TABLE filter_probe")
