"""The event store as an administrator reaches it: plain SQL on its own connection, past the
application, on either backend — to try what the append-only triggers refuse, and to tamper
with rows once they are out of the way (as the tables' owner could)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.domain import Aggregate, event

from application.audit import AuditChain
from application.audit_chain import ChainTables
from application.checkpoints import Checkpoint, Signer, keygen, private_key
from application.ledger import Ledger, build_ledger
from application.persistence import Database
from application.settings import Settings


class Note(Aggregate):
    """A stand-in item: the chain needs events, not a domain."""

    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


@dataclass
class RawStore:
    """One backend's event tables under their real names, with `?` placeholders."""

    ledger: Ledger
    database: Database
    audit: AuditChain

    @property
    def chain(self) -> ChainTables:
        return self.ledger.recorder.chain  # type: ignore[attr-defined, no-any-return]

    @property
    def postgres(self) -> bool:
        return self.chain.dialect == "postgres"

    @property
    def events(self) -> str:
        return self.chain.names[0]

    @property
    def chain_table(self) -> str:
        return self.chain.names[1]

    @property
    def position(self) -> str:
        return self.chain.position_column

    @contextmanager
    def connection(self) -> Iterator[Any]:
        database = self.database
        if self.postgres:
            with psycopg.connect(database.conninfo(), autocommit=True) as conn:
                yield conn
        else:
            lite = sqlite3.connect(database.path, isolation_level=None)
            try:
                yield lite
            finally:
                lite.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement as an administrator would; its rows (if any)."""
        with self.connection() as conn:
            cursor = conn.execute(sql.replace("?", "%s") if self.postgres else sql, params)
            return list(cursor.fetchall()) if cursor.description else []

    def disable_triggers(self) -> None:
        """What the tables' owner can do: PostgreSQL disables them, SQLite drops them."""
        if self.postgres:
            for table in self.chain.names:
                self.execute(f"ALTER TABLE {table} DISABLE TRIGGER append_only")
        else:
            for table in self.chain.names:
                for op in ("update", "delete"):
                    self.execute(f"DROP TRIGGER {table}_refuse_{op}")

    def uuid(self, value: UUID) -> Any:
        """An originator id as the events table stores it."""
        return value if self.postgres else value.hex

    def row(self, position: int) -> tuple[Any, ...]:
        (found,) = self.execute(f"SELECT originator_id, originator_version, topic, state "
                                f"FROM {self.events} WHERE {self.position} = ?", (position,))
        return tuple(found)


    def fill(self) -> None:
        """18 events in 9 transactions of one to three."""
        for i in range(9):
            self.ledger.save(*(Note(f"note {i}.{j}") for j in range(1 + i % 3)))

    def checkpoint(self, key: Signer) -> Checkpoint:
        self.audit.use_key(key)
        return self.audit.sign_head()


@contextmanager
def event_store(settings: Settings) -> Iterator[RawStore]:
    """The event store alone (no read models): what the chain lives in."""
    database = Database.parse(settings.database_url)
    ledger = build_ledger(settings, database)
    try:
        yield RawStore(ledger, database, AuditChain(ledger.recorder, None))
    finally:
        ledger.close()


def signer() -> Signer:
    return Signer(private_key(keygen().private))
