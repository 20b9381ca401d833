"""Account and TokenIndex aggregates: who may act, and how a token finds its account."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest

from domain.account import Account, TokenIndex
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit, Role


def open_account(audit: Audit, **overrides: str | None) -> Account:
    fields: dict[str, str | None] = {
        "name": "柳东新区责任单位",
        "role": "unit",
        "unit": "liudong",
        "enterprise": None,
        "token_hash": "hash-1",
    }
    fields.update(overrides)
    return Account.open(audit=audit, **fields)  # type: ignore[arg-type]


def test_open_records_the_account_as_active(audit: Audit) -> None:
    account = open_account(audit, name="  柳东新区责任单位 ")
    assert account.name == "柳东新区责任单位"
    assert account.role == "unit"
    assert account.unit == "liudong"
    assert account.enterprise is None
    assert account.token_hash == "hash-1"
    assert account.active is True


@pytest.mark.parametrize("role", ["root", "", "Bureau", "责任"])
def test_open_rejects_unknown_role(audit: Audit, role: str) -> None:
    with pytest.raises(InvalidValue, match=re.escape("role must be one of admin (系统管理员), "
                                                     "leader (领导)")):
        open_account(audit, role=role)


@pytest.mark.parametrize("role", [" unit ", "责任单位", Role.unit])
def test_open_accepts_a_role_by_code_or_label_and_stores_the_plain_code(
    audit: Audit, role: str
) -> None:
    account = open_account(audit, role=role)
    assert account.role == "unit"
    assert type(account.role) is str


@pytest.mark.parametrize("unit", [None, ""])
def test_open_unit_role_requires_a_unit(audit: Audit, unit: str | None) -> None:
    with pytest.raises(InvalidValue, match="a unit account needs a unit code"):
        open_account(audit, role="unit", unit=unit)


def test_open_unit_role_refuses_a_blank_unit(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="needs a unit code"):
        open_account(audit, role="unit", unit="   ")


@pytest.mark.parametrize("enterprise", [None, ""])
def test_open_enterprise_role_requires_an_enterprise_code(
    audit: Audit, enterprise: str | None
) -> None:
    with pytest.raises(InvalidValue, match="enterprise account needs the enterprise's credit code"):
        open_account(audit, role="enterprise", unit=None, enterprise=enterprise)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_open_rejects_empty_name(audit: Audit, name: str | None) -> None:
    with pytest.raises(InvalidValue, match="name must not be empty"):
        open_account(audit, name=name)


def test_open_rejects_a_name_over_100_characters(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="at most 100 allowed"):
        open_account(audit, name="x" * 101)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_open_accepts_every_known_role(audit: Audit, role: str) -> None:
    account = open_account(audit, role=role, unit="liudong", enterprise="91450200MA5KXXXX4H")
    assert account.role == role
    assert account.active is True


def test_open_stores_empty_unit_and_enterprise_as_none(audit: Audit) -> None:
    account = open_account(audit, role="bureau", unit="", enterprise="")
    assert account.unit is None
    assert account.enterprise is None


def test_reissue_token_changes_token_hash(audit: Audit) -> None:
    account = open_account(audit)
    account.reissue_token("hash-2", audit=audit)
    assert account.token_hash == "hash-2"
    assert type(account.collect_events()[-1]).__name__ == "TokenIssued"


def test_deactivate_marks_the_account_inactive(audit: Audit) -> None:
    account = open_account(audit)
    account.deactivate("离职", audit=audit)
    assert account.active is False


def test_deactivate_requires_a_reason(audit: Audit) -> None:
    account = open_account(audit)
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        account.deactivate("  ", audit=audit)
    assert account.active is True


def test_deactivating_twice_is_refused(audit: Audit) -> None:
    account = open_account(audit)
    account.deactivate("离职", audit=audit)
    with pytest.raises(RuleViolation, match="account is already deactivated"):
        account.deactivate("again", audit=audit)
    assert len(account.collect_events()) == 2


def test_deactivated_account_cannot_reissue_token(audit: Audit) -> None:
    account = open_account(audit)
    account.deactivate("离职", audit=audit)
    with pytest.raises(RuleViolation, match="account is deactivated; cannot issue a token"):
        account.reissue_token("hash-2", audit=audit)
    assert account.token_hash == "hash-1"


def test_every_account_event_carries_the_audit_passed_in(
    make_audit: Callable[..., Audit],
) -> None:
    opened, issued, deactivated = make_audit("r-open"), make_audit("r-issue"), make_audit("r-off")
    account = open_account(opened)
    account.reissue_token("hash-2", audit=issued)
    account.deactivate("离职", audit=deactivated)
    events: list[Any] = list(account.collect_events())
    assert [type(e).__name__ for e in events] == ["Registered", "TokenIssued", "Deactivated"]
    assert [e.audit for e in events] == [opened, issued, deactivated]


def test_token_index_id_is_deterministic_per_hash() -> None:
    assert TokenIndex.create_id("hash-1") == TokenIndex.create_id("hash-1")


def test_token_index_id_differs_between_hashes() -> None:
    assert TokenIndex.create_id("hash-1") != TokenIndex.create_id("hash-2")


def test_token_index_aggregate_id_is_derived_from_its_hash() -> None:
    account_id = uuid4()
    index = TokenIndex(token_hash="hash-1", account_id=account_id)
    assert index.id == TokenIndex.create_id("hash-1")
    assert index.account_id == account_id
