"""Bearer tokens are cached per process, yet a reissued or deactivated token stops working
at once in every process sharing the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.bootstrap import build
from application.context import SYSTEM
from application.errors import Forbidden, Unauthenticated
from tests.conftest import sqlite_settings


def test_a_token_reissued_in_one_process_stops_working_in_another(tmp_path: Path) -> None:
    first, second = build(sqlite_settings(tmp_path)), build(sqlite_settings(tmp_path))
    try:
        new = first.accounts.add(SYSTEM, "投促局 李四", "bureau")
        assert second.accounts.authenticate(new.token).name == "投促局 李四"  # now cached

        fresh = first.accounts.reissue(SYSTEM, new.account_id)

        with pytest.raises(Unauthenticated):
            second.accounts.authenticate(new.token)
        assert second.accounts.authenticate(fresh.token).account_id == str(new.account_id)
    finally:
        first.close()
        second.close()


def test_a_deactivated_account_is_refused_at_once_by_a_process_that_cached_it(
        tmp_path: Path) -> None:
    first, second = build(sqlite_settings(tmp_path)), build(sqlite_settings(tmp_path))
    try:
        new = first.accounts.add(SYSTEM, "柳东新区", "unit", "liudong")
        other = first.accounts.add(SYSTEM, "柳江区", "unit", "liujiang")
        second.accounts.authenticate(new.token)
        second.accounts.authenticate(other.token)

        first.accounts.deactivate(SYSTEM, new.account_id, "人员调动")

        with pytest.raises(Unauthenticated):
            second.accounts.authenticate(new.token)
        assert second.accounts.authenticate(other.token).unit == "liujiang"
    finally:
        first.close()
        second.close()


def test_a_cached_token_answers_without_loading_the_account_again(tmp_path: Path,
                                                                   monkeypatch) -> None:
    container = build(sqlite_settings(tmp_path))
    try:
        new = container.accounts.add(SYSTEM, "督查室", "supervisor")
        container.accounts.authenticate(new.token, "first")
        loads: list[object] = []
        original = container.store.load

        def counted(*a: Any, **k: Any) -> Any:
            loads.append(a)
            return original(*a, **k)

        monkeypatch.setattr(container.store, "load", counted)

        caller = container.accounts.authenticate(new.token, "second")

        assert loads == []
        assert caller.correlation_id == "second"
    finally:
        container.close()


def test_only_an_admin_opens_reissues_or_deactivates_accounts(tmp_path: Path) -> None:
    container = build(sqlite_settings(tmp_path))
    try:
        bureau = container.accounts.authenticate(
            container.accounts.add(SYSTEM, "投促局", "bureau").token)
        head = container.ledger.head()

        with pytest.raises(Forbidden):
            container.accounts.add(bureau, "冒名管理员", "admin")
        with pytest.raises(Forbidden):
            container.accounts.reissue(bureau, container.accounts.add(
                SYSTEM, "领导", "leader").account_id)
        assert container.ledger.head() == head + 2  # only the leader SYSTEM opened
    finally:
        container.close()
