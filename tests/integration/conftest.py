"""Fixtures of the projection tests, which run on SQLite and on PostgreSQL.

TEMPORARY: `backend_settings` and `backend_container` are coming to tests/conftest.py (the
shared settings/container fixtures become SQLite-only there). Until they land, they are
aliases of today's `settings` and `container`, which still run on both backends; each alias
steps aside by itself once tests/conftest.py defines the real fixture, so delete this block
then. `backend_callers` (a Caller per role, registered in `backend_container`) stays unless
tests/conftest.py provides one too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import tests.conftest as shared
from api.bootstrap import Container
from application.context import SYSTEM, Caller
from application.settings import Settings

if not hasattr(shared, "backend_settings"):

    @pytest.fixture
    def backend_settings(settings: Settings) -> Settings:
        return settings


if not hasattr(shared, "backend_container"):

    @pytest.fixture
    def backend_container(container: Container) -> Iterator[Container]:
        yield container


if not hasattr(shared, "backend_callers"):

    @pytest.fixture
    def backend_callers(backend_container: Container) -> dict[str, Caller]:
        """An authenticated Caller per key of ROLE_ACCOUNTS, in `backend_container`."""
        accounts = backend_container.accounts
        callers: dict[str, Caller] = {}
        for key, (name, role, code) in shared.ROLE_ACCOUNTS.items():
            token = accounts.add(SYSTEM, name, role, code if role == "unit" else None,
                                 code if role == "enterprise" else None).token
            callers[key] = accounts.authenticate(token, f"test-{key}")
        return callers
