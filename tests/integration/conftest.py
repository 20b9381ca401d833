"""Fixtures of the integration tests that run on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from api.bootstrap import Container
from application.context import Caller


@pytest.fixture
def backend_callers(backend_container: Container, callers: dict[str, Caller]
                    ) -> dict[str, Caller]:
    """An authenticated Caller per key of ROLE_ACCOUNTS, in `backend_container`."""
    return callers
