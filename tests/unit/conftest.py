"""Fixtures shared by the domain unit tests."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# The editable install in .venv maps no packages, so `domain` is importable only when the
# project root is on sys.path (it is under `python -m pytest`, not under `.venv/bin/pytest`).
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from domain.shared import Audit  # noqa: E402


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
