"""Fixtures shared by the domain unit tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.shared import Audit


def build_audit(correlation_id: str = "req-1", **overrides: str | None) -> Audit:
    fields: dict[str, str | None] = {
        "actor_id": "a1",
        "actor_name": "王颖颖",
        "role": "bureau",
        "unit": None,
        "correlation_id": correlation_id,
    }
    fields.update(overrides)
    return Audit(**fields)  # type: ignore[arg-type]


@pytest.fixture
def audit() -> Audit:
    return build_audit()


@pytest.fixture
def make_audit() -> Callable[..., Audit]:
    """Audits that differ by correlation id, to tell which command recorded which event."""
    return build_audit
