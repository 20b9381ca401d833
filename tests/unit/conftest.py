"""Fixtures shared by the domain unit tests; the builders behind them are in helpers/."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.complaint import Complaint
from domain.enterprise_request import EnterpriseRequest
from domain.project import Project
from domain.shared import Audit
from tests.unit.helpers import complaint as complaints
from tests.unit.helpers import enterprise_request as requests
from tests.unit.helpers import project as projects


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


@pytest.fixture
def project(audit: Audit) -> Project:
    """A project just registered (在谈)."""
    return projects.register(audit)


@pytest.fixture
def project_at(audit: Audit) -> Callable[[str], Project]:
    """A project moved along the normal path to the stage asked for."""
    return lambda stage: projects.advance(projects.register(audit), stage, audit)


@pytest.fixture
def complaint(audit: Audit) -> Complaint:
    """A complaint just received (登记), its acceptance deadline official."""
    return complaints.receive(audit)


@pytest.fixture
def complaint_at(audit: Audit) -> Callable[[str], Complaint]:
    """A complaint moved along the normal path to the status asked for."""
    return lambda status: complaints.advance(complaints.receive(audit), status, audit)


@pytest.fixture
def request_at(audit: Audit) -> Callable[[str], EnterpriseRequest]:
    """An enterprise request moved along the normal path to the status asked for, its
    events collected."""
    return lambda status: requests.advance(requests.raise_request(audit), status, audit)
