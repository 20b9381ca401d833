"""Checks shared by every aggregate: text, amounts, date order, audit records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError, InvalidValue, RuleViolation
from domain.shared import (
    MAX_TEXT,
    Audit,
    optional_text,
    require_amount,
    require_not_before,
    require_text,
)

# --- require_text -----------------------------------------------------------------------


def test_require_text_strips_surrounding_whitespace() -> None:
    assert require_text("  招商项目 \n", "name") == "招商项目"


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_require_text_refuses_empty_value_naming_the_field(value: str | None) -> None:
    with pytest.raises(InvalidValue, match="investor must not be empty / investor 不能为空"):
        require_text(value, "investor")


def test_require_text_accepts_exactly_the_limit() -> None:
    assert require_text("x" * 10, "name", limit=10) == "x" * 10


def test_require_text_refuses_one_character_over_the_limit() -> None:
    with pytest.raises(InvalidValue, match="name is 11 characters long, at most 10 allowed"):
        require_text("x" * 11, "name", limit=10)


def test_require_text_measures_the_limit_after_stripping() -> None:
    assert require_text("  " + "x" * 10 + "  ", "name", limit=10) == "x" * 10


def test_require_text_default_limit_is_max_text() -> None:
    assert require_text("x" * MAX_TEXT, "text") == "x" * MAX_TEXT
    with pytest.raises(InvalidValue, match=f"at most {MAX_TEXT} allowed"):
        require_text("x" * (MAX_TEXT + 1), "text")


def test_invalid_value_is_a_domain_error_and_a_value_error() -> None:
    with pytest.raises(InvalidValue) as caught:
        require_text("", "name")
    assert isinstance(caught.value, DomainError)
    assert isinstance(caught.value, ValueError)
    assert not isinstance(caught.value, RuleViolation)


# --- optional_text ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   "])
def test_optional_text_turns_empty_into_none(value: str | None) -> None:
    assert optional_text(value, "park") is None


def test_optional_text_strips_non_empty_value() -> None:
    assert optional_text("  柳东新区 ", "park") == "柳东新区"


def test_optional_text_still_enforces_the_limit() -> None:
    assert optional_text("x" * 5, "park", limit=5) == "x" * 5
    with pytest.raises(InvalidValue, match="park is 6 characters long, at most 5 allowed"):
        optional_text("x" * 6, "park", limit=5)


# --- require_amount ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.5", "12.5000"),
        (" 12.5 ", "12.5000"),
        (12, "12.0000"),
        (0, "0.0000"),
        (Decimal("3.1415"), "3.1415"),
        ("1.50000", "1.5000"),  # trailing zeros beyond four places change nothing
        ("1E+3", "1000.0000"),
        ("999999999999.9999", "999999999999.9999"),
    ],
)
def test_require_amount_accepts_and_quantizes_to_four_places(
    value: Decimal | int | str, expected: str
) -> None:
    amount = require_amount(value, "total_investment")
    assert amount == Decimal(expected)
    assert amount.as_tuple().exponent == -4
    assert str(amount) == expected


@pytest.mark.parametrize("value", ["abc", "", "12,5", "1.2.3", "一百"])
def test_require_amount_refuses_non_numbers(value: str) -> None:
    with pytest.raises(InvalidValue, match="total_investment must be a decimal number of 万元"):
        require_amount(value, "total_investment")


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", Decimal("Infinity")])
def test_require_amount_refuses_non_finite_numbers(value: str | Decimal) -> None:
    with pytest.raises(InvalidValue, match="must be a finite number"):
        require_amount(value, "total_investment")


@pytest.mark.parametrize("value", ["-0.0001", -1, Decimal("-100")])
def test_require_amount_refuses_negative_amounts(value: str | int | Decimal) -> None:
    with pytest.raises(InvalidValue, match=r"must not be negative.*不能为负数"):
        require_amount(value, "total_investment")


@pytest.mark.parametrize("value", ["0.00001", "12.34567", Decimal("1.00001")])
def test_require_amount_refuses_more_than_four_decimal_places(value: str | Decimal) -> None:
    with pytest.raises(InvalidValue, match="more than four decimal places"):
        require_amount(value, "total_investment")


@pytest.mark.parametrize("value", ["1e12", "1000000000000", "5e15"])
def test_require_amount_refuses_implausibly_large_amounts(value: str) -> None:
    with pytest.raises(InvalidValue, match="implausibly large"):
        require_amount(value, "total_investment")


@pytest.mark.parametrize("value", ["1e30", "9" * 25])
def test_require_amount_refuses_huge_amounts_as_invalid_value(value: str) -> None:
    with pytest.raises(InvalidValue, match="implausibly large"):
        require_amount(value, "total_investment")


# --- require_not_before -----------------------------------------------------------------


def test_require_not_before_refuses_an_earlier_date_naming_both_steps() -> None:
    with pytest.raises(
        RuleViolation,
        match=(
            "sign date 2026-01-04 is before registration date 2026-01-05"
            " / sign date不能早于registration date"
        ),
    ):
        require_not_before(date(2026, 1, 4), date(2026, 1, 5), "sign date", "registration date")


def test_require_not_before_accepts_the_same_day() -> None:
    require_not_before(date(2026, 1, 5), date(2026, 1, 5), "sign date", "registration date")


def test_require_not_before_accepts_a_later_date() -> None:
    require_not_before(date(2026, 1, 6), date(2026, 1, 5), "sign date", "registration date")


def test_require_not_before_accepts_a_missing_earlier_date() -> None:
    require_not_before(date(1999, 1, 1), None, "sign date", "registration date")


# --- Audit ------------------------------------------------------------------------------


def test_audit_round_trips_through_a_dict(audit: Audit) -> None:
    data = audit.as_dict()
    assert data == {
        "actor_id": "a1",
        "actor_name": "王颖颖",
        "role": "bureau",
        "unit": None,
        "correlation_id": "req-1",
    }
    assert Audit.from_dict(data) == audit


def test_audit_from_dict_defaults_missing_unit_and_correlation_id() -> None:
    restored = Audit.from_dict({"actor_id": "a2", "actor_name": "李", "role": "unit"})
    assert restored.unit is None
    assert restored.correlation_id == ""
