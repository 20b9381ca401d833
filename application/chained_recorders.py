"""Event recorders that write the audit chain in the transaction that inserts the events,
and make the events table append-only (application/audit_chain.py says what is chained).

Why recorder subclasses rather than database triggers computing the chain: the library
hands back the events' positions inside its insert transaction, after the table lock (on
PostgreSQL) or the write lock (on SQLite) that orders them, so chaining there costs one
indexed read and one insert per transaction and cannot fork; the byte encoding is written
once, in Python, and the same code verifies it (SQLite has no SHA-256 in SQL, so a trigger
would need a second implementation on PostgreSQL). Triggers do what only the database can:
refuse UPDATE, DELETE and TRUNCATE of the events and the chain from any client.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg.sql import SQL, Identifier

from application.audit_chain import ChainTables, Cursor

NO_LIMIT = 2**63 - 1


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """SQLite's recorder (table `stored_events`), chaining each insert into `event_chain`."""

    def __init__(self, datastore: SQLiteDatastore,
                 events_table_name: str = "stored_events") -> None:
        # Before super().__init__, which asks for the create statements.
        self.chain = ChainTables("sqlite", events_table_name, "event_chain",
                                 "event_chain_start", "rowid")
        super().__init__(datastore, events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.chain.ddl()]

    def create_table(self) -> None:
        super().create_table()
        with self.exclusive() as c:
            chain_existing(self.chain, c)

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        # The insert took SQLite's write lock: no other writer runs until this commits.
        self.chain.append(c, list(zip(ids or (), stored_events, strict=True)))
        return ids

    @contextmanager
    def exclusive(self) -> Iterator[Cursor]:
        """A write transaction that holds the write lock from its first statement."""
        with self.datastore.get_connection(commit=True) as conn:
            c = conn.cursor()
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
            except BaseException:
                conn.rollback()
                raise
            conn.commit()


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL's recorder (`<app>_events`), chaining each insert into
    `<app>_event_chain` while the library's EXCLUSIVE lock on the events table is held."""

    locks_events_table = True

    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        prefix = events_table_name.removesuffix("_events")
        self.chain = ChainTables("postgres", events_table_name, f"{prefix}_event_chain",
                                 f"{prefix}_event_chain_start", "notification_id",
                                 schema=datastore.schema)

    def _create_table(self, curs: Any) -> None:
        # API and worker may start together: one at a time creates or replaces the DDL.
        curs.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                     (f"investledger ddl {self.datastore.schema}",))
        super()._create_table(curs)
        for statement in self.chain.ddl():
            curs.execute(statement, prepare=False)

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            self._lock_table(curs)
            chain_existing(self.chain, curs)

    def _lock_table(self, curs: Any) -> None:
        """Writers queue on an advisory lock held to the commit, which any role may take;
        then, as the library does, on LOCK TABLE … IN EXCLUSIVE MODE, which PostgreSQL grants
        only to a role that may also UPDATE, DELETE or TRUNCATE the table — so a role that
        may only append (AppendOnlyPostgresRecorder) skips it and relies on the first."""
        lock_timeout, lock_table = self.lock_table_statements
        curs.execute(lock_timeout, prepare=True)
        curs.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                     (f"investledger writers {self.datastore.schema}.{self.events_table_name}",))
        if self.locks_events_table:
            curs.execute(lock_table, prepare=True)

    def grant_statements(self, role: str) -> list[Any]:
        """What the owner grants a role that shall only read and append events: reading and
        inserting the events, the chain and snapshots, the notification sequence, and the
        schema (to create its read models). No UPDATE, DELETE or TRUNCATE of the events or
        the chain (and, not being their owner, it cannot disable their triggers)."""
        schema, r = Identifier(self.datastore.schema), Identifier(role)
        tables = [Identifier(self.datastore.schema, name) for name in (
            *self.chain.names, self.events_table_name.removesuffix("_events") + "_snapshots")]
        events_sequence = Identifier(self.datastore.schema,
                                     f"{self.events_table_name}_notification_id_seq")
        listed = SQL(", ").join(tables)
        return [
            SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(schema, r),
            SQL("REVOKE ALL ON {} FROM {}").format(listed, r),
            SQL("GRANT SELECT, INSERT ON {} TO {}").format(listed, r),
            SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(events_sequence, r),
        ]

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        # Still inside the insert transaction, under LOCK TABLE … IN EXCLUSIVE MODE.
        self.chain.append(curs, list(zip(ids or (), stored_events, strict=True)))
        return ids


class AppendOnlyPostgresRecorder(ChainedPostgresRecorder):
    """For a role granted only SELECT and INSERT (`investledger audit grant`): the same chain,
    serialised by the advisory lock alone."""

    locks_events_table = False


def chain_existing(chain: ChainTables, c: Cursor) -> None:
    """At start-up, under the writers' lock: a store whose events predate the chain gets
    them chained now, once, in order (and recorded as such)."""
    if chain.last_link(c) is None:
        chain.chain_earlier(c, before=NO_LIMIT)


def recorder_topic(kind: str, append_only_role: bool) -> str | None:
    """The recorder for a store of `kind` ("sqlite", "postgres"; None for others)."""
    if kind == "sqlite":
        return f"{__name__}:{ChainedSQLiteRecorder.__name__}"
    if kind == "postgres":
        recorder = AppendOnlyPostgresRecorder if append_only_role else ChainedPostgresRecorder
        return f"{__name__}:{recorder.__name__}"
    return None
