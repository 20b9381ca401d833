"""Fixtures of the end-to-end tests: on SQLite, or on each backend in a module that carries
`on_every_backend` (tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import Api


@pytest.fixture
def api(client: Any, tokens: dict[str, str]) -> Api:
    return Api(client, tokens)


@pytest.fixture
def project(api: Api) -> dict[str, Any]:
    """A negotiating project of unit liudong (county and responsible unit), version 1."""
    return api.create()
