"""What is declared once and read everywhere else: a read-model table (its DDL and the
columns a batch writes come from one `Table`), a case type (its kind, aggregate and event
labels come from its service), a service (its aggregate and state DTO come from its type
arguments)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from types import SimpleNamespace
from uuid import uuid4

import pytest

from api.cases import CASE_TYPES
from application.cases import CaseService, CaseType
from application.key_lists import KeyListed
from application.parks import ParkService, ParkState
from application.projects import ProjectService, ProjectState
from domain.agency_case import AgentCases
from domain.park import EVENT_LABELS as PARK_LABELS
from domain.park import Park
from domain.project import Project
from projections.base import Projection, RowCache
from projections.tables import Table, part_key

ITEMS = Table("probe_items", """
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL,
    status TEXT NOT NULL, seq BIGINT NOT NULL""",
    unique={"seq": "seq"}, index={"case": "case_id, seq"})


def test_a_table_reads_its_columns_from_its_schema() -> None:
    assert ITEMS.columns == ("id", "case_id", "status", "seq")
    assert ITEMS.key == "id"
    assert f"SELECT * FROM {ITEMS}" == "SELECT * FROM probe_items"


def test_a_table_creates_itself_and_its_named_indexes() -> None:
    assert ITEMS.ddl == (
        "CREATE TABLE IF NOT EXISTS probe_items (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, "
        "status TEXT NOT NULL, seq BIGINT NOT NULL)",
        "CREATE UNIQUE INDEX IF NOT EXISTS probe_items_seq ON probe_items (seq)",
        "CREATE INDEX IF NOT EXISTS probe_items_case ON probe_items (case_id, seq)",
    )
    db = sqlite3.connect(":memory:")
    for statement in ITEMS.ddl * 2:  # IF NOT EXISTS: installing again changes nothing
        db.execute(statement)
    indexes = {r[1]: r[2] for r in db.execute("PRAGMA index_list(probe_items)")}
    assert indexes["probe_items_seq"] == 1 and indexes["probe_items_case"] == 0
    assert [r[1] for r in db.execute("PRAGMA table_info(probe_items)")] == list(ITEMS.columns)


class _Tx:
    """A transaction over one SQLite connection, as RowCache uses it."""

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.row_factory = sqlite3.Row

    def execute(self, sql: str, params: object = ()) -> None:
        self.db.execute(sql, params)  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: list[list[object]]) -> None:
        self.db.executemany(sql, rows)

    def all(self, sql: str, params: object = ()) -> list[dict[str, object]]:
        return [dict(r) for r in self.db.execute(sql, params)]  # type: ignore[arg-type]


def test_a_cache_writes_back_every_column_the_table_declares() -> None:
    tx = _Tx()
    for statement in ITEMS.ddl:
        tx.execute(statement)
    cache = RowCache(tx, ITEMS)  # type: ignore[arg-type]
    cache.put({"id": "c1:1", "case_id": "c1", "status": "pending", "seq": 1})
    cache.flush()
    again = RowCache(tx, ITEMS)  # type: ignore[arg-type]
    assert again.get("c1:1") == {"id": "c1:1", "case_id": "c1", "status": "pending", "seq": 1}


def test_a_part_row_is_keyed_by_its_aggregate_and_part() -> None:
    event = SimpleNamespace(originator_id=uuid4())
    assert part_key(event, 3) == f"{event.originator_id}:3"


def test_a_projection_is_named_for_its_first_table_unless_it_says_otherwise() -> None:
    class Probe(Projection):
        tables = (ITEMS,)

        def start(self, tx: object, events: object) -> object:  # type: ignore[override]
            return None

    class Named(Probe):
        name = "probe_view"

    assert Probe.name == "probe_items" and Named.name == "probe_view"
    assert Probe().ddl == ITEMS.ddl


def test_a_service_reads_its_aggregate_and_state_from_its_type_arguments() -> None:
    assert (ParkService.aggregate, ParkService.state_type) == (Park, ParkState)
    # Through a generic base of its own (KeyListed[Project, ProjectState]) as well.
    assert (ProjectService.aggregate, ProjectService.state_type) == (Project, ProjectState)


def test_a_case_type_takes_kind_aggregate_and_labels_from_its_service() -> None:
    case = CaseType.of(ParkService, "园区", also=(AgentCases,),
                       more_labels={"Started": "起"}, attribute="parks")
    assert case.kind == "park" == ParkService.kind
    assert case.aggregates == (Park, AgentCases)
    assert case.event_labels == {**PARK_LABELS, "Started": "起"}
    assert case.service is ParkService and case.attribute == "parks"


@pytest.mark.parametrize("case", [c for c in CASE_TYPES if c.service is not None],
                         ids=lambda c: c.kind)
def test_every_registered_case_type_agrees_with_its_service(case: CaseType) -> None:
    service = case.service
    assert isinstance(service, type) and issubclass(service, CaseService)
    assert case.kind == service.kind
    assert case.aggregates[0] is service.aggregate
    assert set(service.event_labels.items()) <= set(case.event_labels.items())


def test_a_generic_service_base_leaves_its_type_arguments_to_subclasses() -> None:
    @dataclass(frozen=True)
    class ProbeState:
        id: str

    class ProbeService(CaseService[Park, ProbeState]):
        kind = "probe"

    assert ProbeService.state_type is ProbeState
    # KeyListed(CaseService[A, S]) passes type variables on: nothing to read there.
    assert not hasattr(KeyListed, "state_type") and not hasattr(KeyListed, "aggregate")
