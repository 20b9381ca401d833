"""AccountService: tokens stored as hashes only, authentication, audit."""

from __future__ import annotations

from uuid import uuid4

import pytest

from api.bootstrap import Container
from application.accounts import TOKEN_PREFIX, hash_token
from application.context import SYSTEM, Caller
from application.errors import NotFound, Unauthenticated
from domain.account import Account, TokenIndex
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Role


def stored_states(c: Container) -> list[bytes]:
    notifications = c.ledger.recorder.select_notifications(start=1, limit=1000)
    assert len(notifications) < 1000, "raise the limit: the search must see every event"
    return [bytes(n.state) for n in notifications]


def test_add_returns_a_token_whose_plaintext_is_never_stored(container: Container) -> None:
    new = container.accounts.add(SYSTEM, "投促局 李四", "bureau")
    assert new.token.startswith(TOKEN_PREFIX)
    assert len(new.token) > 30
    assert new.position == container.ledger.head()

    states = stored_states(container)
    assert states, "nothing stored"
    secret = new.token.removeprefix(TOKEN_PREFIX).encode()
    assert not any(secret in state for state in states)
    # What is stored is the SHA-256 hash, on the account and as the index's id.
    account = container.store.load(Account, new.account_id)
    assert account.token_hash == hash_token(new.token)
    assert any(hash_token(new.token).encode() in state for state in states)
    index = container.store.load(TokenIndex, TokenIndex.create_id(hash_token(new.token)))
    assert index.account_id == new.account_id


def test_reissued_token_is_not_stored_either(container: Container) -> None:
    new = container.accounts.add(SYSTEM, "代办员", "agent")
    again = container.accounts.reissue(SYSTEM, new.account_id)
    states = stored_states(container)
    for token in (new.token, again.token):
        assert not any(token.removeprefix(TOKEN_PREFIX).encode() in s for s in states)


def test_authenticate_returns_the_caller_of_the_token(container: Container) -> None:
    new = container.accounts.add(SYSTEM, "柳东新区", "unit", "liudong")
    caller = container.accounts.authenticate(new.token, "req-42")
    assert caller == Caller(account_id=str(new.account_id), name="柳东新区", role=Role.unit,
                            unit="liudong", enterprise=None, correlation_id="req-42",
                            unit_name="柳东新区(高新区)")

    firm = container.accounts.add(SYSTEM, "某企业", "enterprise",
                                  enterprise="91450200MA5KXXXX4H")
    assert container.accounts.authenticate(firm.token).enterprise == "91450200MA5KXXXX4H"
    assert container.accounts.authenticate(firm.token).role == "enterprise"


@pytest.mark.parametrize("token", ["", "il_unknown", "not-a-token", "il_" + "A" * 43])
def test_unknown_token_is_unauthenticated(container: Container, token: str) -> None:
    container.accounts.add(SYSTEM, "管理员", "admin")
    with pytest.raises(Unauthenticated):
        container.accounts.authenticate(token)


def test_each_account_gets_a_distinct_token(container: Container) -> None:
    a = container.accounts.add(SYSTEM, "甲", "agent")
    b = container.accounts.add(SYSTEM, "乙", "agent")
    assert a.token != b.token
    assert container.accounts.authenticate(a.token).account_id == str(a.account_id)
    assert container.accounts.authenticate(b.token).account_id == str(b.account_id)


def test_reissue_invalidates_the_old_token_and_the_new_one_works(container: Container) -> None:
    new = container.accounts.add(SYSTEM, "督查室", "supervisor")
    again = container.accounts.reissue(SYSTEM, new.account_id)
    assert again.account_id == new.account_id
    assert again.token != new.token
    assert again.position == container.ledger.head()

    with pytest.raises(Unauthenticated):
        container.accounts.authenticate(new.token)
    assert container.accounts.authenticate(again.token).account_id == str(new.account_id)

    third = container.accounts.reissue(SYSTEM, new.account_id)
    for old in (new.token, again.token):
        with pytest.raises(Unauthenticated):
            container.accounts.authenticate(old)
    assert container.accounts.authenticate(third.token).role == "supervisor"


def test_deactivate_makes_the_token_fail(container: Container) -> None:
    new = container.accounts.add(SYSTEM, "园区办", "park_office")
    other = container.accounts.add(SYSTEM, "领导", "leader")
    position = container.accounts.deactivate(SYSTEM, new.account_id, "人员调离")
    assert position == container.ledger.head()

    with pytest.raises(Unauthenticated):
        container.accounts.authenticate(new.token)
    assert container.accounts.authenticate(other.token).role == "leader"
    assert container.store.load(Account, new.account_id).active is False


def test_a_deactivated_account_cannot_be_reissued_or_deactivated_again(
        container: Container) -> None:
    new = container.accounts.add(SYSTEM, "园区办", "park_office")
    container.accounts.deactivate(SYSTEM, new.account_id, "人员调离")
    head = container.ledger.head()
    with pytest.raises(RuleViolation):
        container.accounts.reissue(SYSTEM, new.account_id)
    with pytest.raises(RuleViolation):
        container.accounts.deactivate(SYSTEM, new.account_id, "再次")
    assert container.ledger.head() == head
    with pytest.raises(Unauthenticated):
        container.accounts.authenticate(new.token)


def test_unknown_account_cannot_be_reissued_or_deactivated(container: Container) -> None:
    with pytest.raises(NotFound):
        container.accounts.reissue(SYSTEM, uuid4())
    with pytest.raises(NotFound):
        container.accounts.deactivate(SYSTEM, uuid4(), "无此账户")
    assert container.ledger.head() == 0


@pytest.mark.parametrize("unit", [None, "", "   "])
def test_a_unit_account_without_a_unit_is_invalid(container: Container,
                                                  unit: str | None) -> None:
    with pytest.raises(InvalidValue):
        container.accounts.add(SYSTEM, "无单位", "unit", unit)
    assert container.ledger.head() == 0


@pytest.mark.parametrize(("role", "unit"), [("unit", "atlantis"), ("bureau", "atlantis")])
def test_an_unknown_unit_code_is_invalid(container: Container, role: str, unit: str) -> None:
    with pytest.raises(InvalidValue, match="unknown unit"):
        container.accounts.add(SYSTEM, "某单位", role, unit)
    assert container.ledger.head() == 0


@pytest.mark.parametrize(("role", "enterprise"), [
    ("no-such-role", None), ("enterprise", None), ("enterprise", "9" * 19)])
def test_bad_role_or_enterprise_is_invalid(container: Container, role: str,
                                           enterprise: str | None) -> None:
    with pytest.raises(InvalidValue):
        container.accounts.add(SYSTEM, "某某", role, None, enterprise)
    assert container.ledger.head() == 0


def test_account_events_carry_the_audit_of_who_made_them(container: Container) -> None:
    admin_token = container.accounts.add(SYSTEM, "管理员", "admin").token
    admin = container.accounts.authenticate(admin_token, "req-admin")

    new = container.accounts.add(admin, "柳江区", "unit", "liujiang")
    container.accounts.reissue(admin, new.account_id)
    container.accounts.deactivate(SYSTEM, new.account_id, "撤销")

    events = container.store.events(new.account_id)
    assert [type(e).__name__ for e in events] == ["Registered", "TokenIssued", "Deactivated"]
    audits = [e.audit for e in events]
    assert audits[0] == admin.audit()
    assert audits[1] == admin.audit()
    assert (audits[0].actor_id, audits[0].actor_name, audits[0].role,
            audits[0].correlation_id) == (admin.account_id, "管理员", "admin", "req-admin")
    assert audits[2] == SYSTEM.audit()
    assert events[2].reason == "撤销"


def test_the_first_account_is_audited_as_the_system(container: Container) -> None:
    new = container.accounts.add(SYSTEM, "管理员", "admin")
    registered = container.store.events(new.account_id)[0]
    assert registered.audit.actor_id == "system"
    assert registered.audit.correlation_id == "system"


def test_an_account_id_is_not_an_index_and_vice_versa(container: Container) -> None:
    new = container.accounts.add(SYSTEM, "甲", "agent")
    index_id = TokenIndex.create_id(hash_token(new.token))
    with pytest.raises(NotFound):
        container.store.load(Account, index_id)
    with pytest.raises(NotFound):
        container.accounts.reissue(SYSTEM, index_id)
    with pytest.raises(NotFound):
        container.store.load(TokenIndex, new.account_id)
