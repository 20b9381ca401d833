"""Checks shared by every aggregate: text, amounts, dates, revisions, deadlines, audit."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

import pytest

from domain.errors import DomainError, InvalidValue, RuleViolation
from domain.shared import (
    MAX_TEXT,
    Audit,
    Checker,
    Deadline,
    Labelled,
    check_correction,
    check_deadline,
    check_recomputed_deadline,
    check_revision,
    optional_day,
    optional_text,
    require_amount,
    require_changes,
    require_day,
    require_not_before,
    require_text,
)

# --- require_text -----------------------------------------------------------------------


def test_require_text_strips_surrounding_whitespace() -> None:
    assert require_text("  招商项目 \n", "name") == "招商项目"


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_require_text_refuses_empty_value_naming_the_field(value: str | None) -> None:
    with pytest.raises(InvalidValue, match="investor must not be empty / 投资方不能为空"):
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
        ("999999999.9999", "999999999.9999"),
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


@pytest.mark.parametrize("value", ["1e9", "1000000000", "999999999999.9999", "5e15"])
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
            " / 签约日期不能早于登记日期"
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


# --- require_day / optional_day ---------------------------------------------------------


def test_require_day_accepts_a_date() -> None:
    assert require_day(date(2026, 1, 5), "visit date") == date(2026, 1, 5)


@pytest.mark.parametrize("value", [datetime(2026, 1, 5, 9), "2026-01-05", None])
def test_require_day_refuses_anything_but_a_calendar_date(value: object) -> None:
    expected = f"visit date must be a date, got {value!r} / 走访日期应为日期"
    with pytest.raises(InvalidValue, match=f"^{re.escape(expected)}$"):
        require_day(value, "visit date")


def test_optional_day_keeps_none_and_still_refuses_a_datetime() -> None:
    assert optional_day(None, "planned_sign") is None
    with pytest.raises(InvalidValue, match="planned_sign must be a date"):
        optional_day(datetime(2026, 1, 5, 9), "planned_sign")


# --- check_revision / require_changes ---------------------------------------------------

RULES: dict[str, Checker] = {
    "name": partial(require_text, limit=10),
    "park": partial(optional_text, limit=10),
    "total_investment": require_amount,
}


def test_a_revision_is_checked_field_by_field_with_each_fields_rule() -> None:
    checked = check_revision({"name": " 新名称 ", "park": " ", "total_investment": "12.5"}, RULES)
    assert checked == {"name": "新名称", "park": None, "total_investment": Decimal("12.5000")}


def test_a_field_without_a_rule_is_refused_listing_the_revisable_fields() -> None:
    with pytest.raises(InvalidValue, match=re.escape(
            "cannot revise bogus, stage; revisable fields are name, park, total_investment")):
        check_revision({"stage": "signed", "name": "x", "bogus": 1}, RULES)


def test_an_empty_revision_is_refused() -> None:
    with pytest.raises(InvalidValue, match="a revision must change at least one field"):
        check_revision({}, RULES)


def test_a_revision_reports_the_first_bad_value_by_its_field_name() -> None:
    with pytest.raises(InvalidValue, match="name is 11 characters long, at most 10 allowed"):
        check_revision({"name": "x" * 11}, RULES)


class Current:
    name = "旧名称"
    park: str | None = None


def test_require_changes_keeps_only_the_fields_that_differ() -> None:
    assert require_changes(Current(), {"name": "旧名称", "park": "柳东"}) == {"park": "柳东"}


def test_require_changes_refuses_a_revision_that_changes_nothing() -> None:
    with pytest.raises(RuleViolation, match="the revision changes nothing"):
        require_changes(Current(), {"name": "旧名称", "park": None})


# --- check_correction -------------------------------------------------------------------


class Fact(Labelled):
    park = "park", "园区"
    total_investment = "total_investment", "总投资"


class Recorded:
    park: str | None = None
    total_investment = Decimal("100.0000")


def test_a_correction_is_checked_by_its_fields_rule_and_keeps_the_value_it_replaces() -> None:
    assert check_correction(Recorded(), Fact, RULES, "总投资", "120") == (
        Fact.total_investment, Decimal("120.0000"), Decimal("100.0000"))
    assert check_correction(Recorded(), Fact, RULES, "park", " 柳东 ") == (Fact.park, "柳东", None)


def test_a_correction_of_a_field_not_correctable_is_refused_listing_the_fields() -> None:
    with pytest.raises(InvalidValue, match=re.escape(
            "field must be one of park (园区), total_investment (总投资); got 'name'")):
        check_correction(Recorded(), Fact, RULES, "name", "新名称")


def test_a_correction_refuses_a_bad_value_by_the_fields_rule() -> None:
    with pytest.raises(InvalidValue, match="total_investment must be a decimal number"):
        check_correction(Recorded(), Fact, RULES, "total_investment", "很多")


def test_a_correction_that_changes_nothing_is_refused() -> None:
    with pytest.raises(RuleViolation, match=re.escape(
            "total_investment (总投资) is already 100.0000; nothing to correct")):
        check_correction(Recorded(), Fact, RULES, "total_investment", "100")


# --- check_deadline / check_recomputed_deadline -----------------------------------------

START = date(2026, 3, 2)
DUE = Deadline(start=START, working_days=3, due=date(2026, 3, 5), calendar_version="cc")
PROVISIONAL = replace(DUE, calendar_version="rule", provisional=True)


def test_a_deadline_counted_from_the_steps_date_is_accepted() -> None:
    assert check_deadline(DUE, START, "reply deadline") is DUE


def test_a_deadline_must_be_a_deadline() -> None:
    expected = r"^due must be a working-day Deadline, got '2026-03-05' / 期限须按工作日计算$"
    with pytest.raises(InvalidValue, match=expected):
        check_deadline("2026-03-05", START, "due")


@pytest.mark.parametrize("deadline", [
    replace(DUE, start=date(2026, 3, 1)),  # counted from another date
    replace(DUE, working_days=0),
    replace(DUE, due=START),  # not after its start
])
def test_a_deadline_must_count_working_days_from_the_steps_date(deadline: Deadline) -> None:
    expected = (f"reply deadline must count at least one working day from 2026-03-02 and end "
                f"after its start; got {deadline.working_days} working days from "
                f"{deadline.start} to {deadline.due}"
                " / reply deadline须自2026-03-02起计算至少一个工作日")
    with pytest.raises(InvalidValue, match=f"^{re.escape(expected)}$"):
        check_deadline(deadline, START, "reply deadline")


def test_a_provisional_deadline_is_replaced_by_a_different_count_of_the_same_days() -> None:
    official = replace(DUE, due=date(2026, 3, 6))
    assert check_recomputed_deadline(official, PROVISIONAL, "reply deadline") is official


def test_an_official_deadline_is_not_recomputed() -> None:
    with pytest.raises(RuleViolation, match=re.escape(
            "the reply deadline due 2026-03-05 is not provisional: it is already official")):
        check_recomputed_deadline(replace(DUE, due=date(2026, 3, 6)), DUE, "reply deadline")


@pytest.mark.parametrize("changed", [{"working_days": 4}, {"start": date(2026, 3, 3)}])
def test_a_recomputed_deadline_keeps_its_start_and_working_days(changed: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue, match=re.escape(
            "a recomputed reply deadline keeps its start 2026-03-02 and its 3 working days; got")):
        check_recomputed_deadline(replace(DUE, **changed), PROVISIONAL, "reply deadline")


def test_a_recomputed_deadline_is_still_checked_as_a_deadline() -> None:
    with pytest.raises(InvalidValue, match="recomputed reply deadline must be a working-day"):
        check_recomputed_deadline(None, PROVISIONAL, "reply deadline")
    with pytest.raises(InvalidValue, match="recomputed reply deadline must count"):
        check_recomputed_deadline(replace(DUE, due=START), PROVISIONAL, "reply deadline")


def test_a_recomputation_that_changes_nothing_is_refused() -> None:
    with pytest.raises(RuleViolation, match="the recomputed reply deadline is the same as the "
                                            "current one; nothing to record"):
        check_recomputed_deadline(PROVISIONAL, PROVISIONAL, "reply deadline")
