"""A write that committed is never answered as a conflict: when the connection drops after
the commit, the library retries the insert and meets its own rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from api.bootstrap import Container
from application.context import Caller
from application.errors import ConcurrentUpdate
from domain.project import ProjectDetails


def _register(c: Container, bureau: Caller) -> Any:
    return c.projects.register(bureau, ProjectDetails(
        name="某项目", investor="某公司", industry="汽车", total_investment=Decimal("100"),
        county="liudong", responsible_unit="liudong"), date(2025, 1, 2))


def test_a_commit_whose_acknowledgement_was_lost_is_answered_as_done(
        backend_container: Container, backend_callers: dict[str, Caller],
        monkeypatch: pytest.MonkeyPatch) -> None:
    c, bureau = backend_container, backend_callers["bureau"]
    project = _register(c, bureau).state
    committed = c.ledger.save

    def commit_then_fail(*items: Any, **kwargs: Any) -> Any:
        committed(*items, **kwargs)
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(c.ledger, "save", commit_then_fail)

    signed = c.projects.sign(bureau, project.id, date(2025, 3, 1), Decimal("80"))

    assert signed.state.stage == "signed"
    assert signed.position == c.ledger.head()
    history = c.projects.history(bureau, project.id)
    assert [e.type for e in history] == ["Registered", "Signed"]


def test_a_lost_race_is_still_a_conflict(backend_container: Container,
                                         backend_callers: dict[str, Caller],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    c, bureau = backend_container, backend_callers["bureau"]
    project = _register(c, bureau).state
    first = c.store.load(type(c.projects).aggregate, project.id)
    c.projects.sign(bureau, project.id, date(2025, 3, 1), Decimal("80"))  # someone else
    first.terminate("另有他人先改", date(2025, 3, 2), bureau.audit())

    with pytest.raises(ConcurrentUpdate):
        c.store.save(first)
    assert [e.type for e in c.projects.history(bureau, project.id)] == ["Registered", "Signed"]
