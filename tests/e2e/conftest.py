"""Fixtures of the end-to-end tests: on SQLite, or on each backend in a module that carries
`on_every_backend` (tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.complaints import ComplaintApi
from tests.e2e.enterprises import Firms
from tests.e2e.helpers import Api


@pytest.fixture
def api(client: Any, tokens: dict[str, str]) -> Api:
    return Api(client, tokens)


@pytest.fixture
def project(api: Api) -> dict[str, Any]:
    """A negotiating project of unit liudong (county and responsible unit), version 1."""
    return api.create()


@pytest.fixture
def complaints(client: Any, tokens: dict[str, str]) -> ComplaintApi:
    return ComplaintApi(client, tokens)


@pytest.fixture
def firms(api: Api, container: Any) -> Firms:
    return Firms(api, container)


@pytest.fixture
def firm(firms: Firms) -> dict[str, Any]:
    """The `enterprise` account's enterprise, in liudong (the `unit` account's zone)."""
    return firms.enterprise()
