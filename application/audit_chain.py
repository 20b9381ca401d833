"""The audit chain (审计链): every stored event linked to the one before it by SHA-256, in
the global order, written in the transaction that records the events.

Each event's *entry* is the exact byte string

    position        8 bytes, unsigned big-endian   (the event's notification id)
    originator id  16 bytes                          (the UUID's bytes, RFC 4122 order)
    version         8 bytes, unsigned big-endian
    topic length    4 bytes, unsigned big-endian, then the topic in UTF-8
    state hash     32 bytes: SHA-256 of the stored state bytes (as stored: compressed and
                   encrypted when the store does so, so no data key is needed to verify)

and the chain is hash_0 = 32 zero bytes, hash_n = SHA-256(hash_{n-1} || entry_n). The Merkle
tree of the same log (application/merkle.py) takes entry_n as its n-th leaf's data:
leaf hash SHA-256(0x00 || entry_n).

A chain row keeps, beside its hash, what its entry was made of, so that a verifier can say
what no longer matches when an event is changed (its state, its topic, its item…).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

from application.merkle import leaf_hash

GENESIS = bytes(32)
BATCH = 1000


@dataclass(frozen=True)
class ChainEntry:
    """What the chain records of one stored event."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state_hash: bytes

    @classmethod
    def of(cls, position: int, originator_id: Any, originator_version: int, topic: str,
           state: bytes) -> ChainEntry:
        return cls(position, as_uuid(originator_id), originator_version, topic,
                   hashlib.sha256(state).digest())

    def encode(self) -> bytes:
        topic = self.topic.encode("utf-8")
        return b"".join((struct.pack(">Q", self.position), self.originator_id.bytes,
                         struct.pack(">QI", self.originator_version, len(topic)), topic,
                         self.state_hash))

    def link(self, previous: bytes) -> bytes:
        """hash_n from hash_{n-1}."""
        return hashlib.sha256(previous + self.encode()).digest()

    def leaf_hash(self) -> bytes:
        return leaf_hash(self.encode())


@dataclass(frozen=True)
class ChainLink:
    """One row of the chain table: the entry, its place in the chain and its hash."""

    leaf_index: int
    entry: ChainEntry
    hash: bytes

    @classmethod
    def from_row(cls, row: Any) -> ChainLink:
        return cls(int(row["leaf_index"]), ChainEntry(
            int(row["position"]), UUID(bytes=bytes(row["originator_id"])),
            int(row["originator_version"]), str(row["topic"]), bytes(row["state_hash"])),
            bytes(row["hash"]))

    def params(self) -> tuple[Any, ...]:
        e = self.entry
        return (e.position, self.leaf_index, e.originator_id.bytes, e.originator_version,
                e.topic, e.state_hash, self.hash)


@dataclass(frozen=True)
class ChainStart:
    """Events stored before the chain existed, chained when it was introduced."""

    entries: int
    up_to_position: int
    chained_at: str


def as_uuid(value: Any) -> UUID:
    if isinstance(value, UUID):
        return value
    return UUID(str(value))


class Cursor(Protocol):
    def execute(self, *args: Any, **kwargs: Any) -> Any: ...
    def executemany(self, *args: Any, **kwargs: Any) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> Any: ...


_COLUMNS = "position, leaf_index, originator_id, originator_version, topic, state_hash, hash"


class ChainTables:
    """The chain's tables and SQL on one backend. The statements are shared; only the
    column types, the events table's position column and the placeholders differ."""

    def __init__(self, dialect: str, events: str, chain: str, start: str,
                 position_column: str, schema: str = "") -> None:
        self.dialect = dialect
        q = (lambda name: f'"{schema}"."{name}"') if schema else (lambda name: name)
        self.schema = schema
        self.events, self.chain, self.start = q(events), q(chain), q(start)
        self.names = (events, chain, start)
        self.position_column = position_column
        self.last = self._sql(f"SELECT {_COLUMNS} FROM {self.chain} "
                              "ORDER BY leaf_index DESC LIMIT 1")
        self.insert = self._sql(f"INSERT INTO {self.chain} ({_COLUMNS}) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)")
        self.links = self._sql(f"SELECT {_COLUMNS} FROM {self.chain} WHERE leaf_index >= ? "
                               "ORDER BY leaf_index LIMIT ?")
        self.link_at = self._sql(f"SELECT {_COLUMNS} FROM {self.chain} WHERE position = ?")
        self.link_of = self._sql(f"SELECT {_COLUMNS} FROM {self.chain} WHERE originator_id = ? "
                                 "AND originator_version = ?")
        self.unchained = self._sql(
            f"SELECT {position_column} AS position, originator_id, originator_version, topic, "
            f"state FROM {self.events} WHERE {position_column} > ? AND {position_column} < ? "
            f"ORDER BY {position_column} LIMIT ?")
        self.record_start = self._sql(f"INSERT INTO {self.start} "
                                      "(entries, up_to_position, chained_at) VALUES (?, ?, ?)")
        self.read_start = self._sql(f"SELECT entries, up_to_position, chained_at FROM "
                                    f"{self.start}")

    def _sql(self, text: str) -> str:
        return text.replace("?", "%s") if self.dialect == "postgres" else text

    def ddl(self) -> list[str]:
        integer, blob = ("bigint", "bytea") if self.dialect == "postgres" else ("INTEGER",
                                                                                "BLOB")
        return [
            f"CREATE TABLE IF NOT EXISTS {self.chain} (position {integer} PRIMARY KEY, "
            f"leaf_index {integer} NOT NULL UNIQUE, originator_id {blob} NOT NULL, "
            f"originator_version {integer} NOT NULL, topic TEXT NOT NULL, "
            f"state_hash {blob} NOT NULL, hash {blob} NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.start} (entries {integer} NOT NULL, "
            f"up_to_position {integer} NOT NULL, chained_at TEXT NOT NULL)",
            *self.append_only_ddl(),
        ]

    def append_only_ddl(self) -> list[str]:
        """Triggers that refuse UPDATE, DELETE (and TRUNCATE) on the events and the chain."""
        if self.dialect == "postgres":
            function = f'"{self.schema}".investledger_append_only'
            return [
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN RAISE EXCEPTION '% on %.% refused: the table is append-only "
                "(tamper evidence)', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME "
                "USING ERRCODE = 'insufficient_privilege'; END $$",
                *(f"CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
                  f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                  for table in (self.events, self.chain, self.start)),
            ]
        return [f"CREATE TRIGGER IF NOT EXISTS {name}_refuse_{op.lower()} BEFORE {op} ON "
                f"{name} BEGIN SELECT RAISE(ABORT, '{op} on {name} refused: the table is "
                "append-only (tamper evidence)'); END"
                for name in self.names for op in ("UPDATE", "DELETE")]

    # --- writing, inside the transaction that inserts the events -------------------------

    def append(self, c: Cursor, recorded: Sequence[tuple[int, Any]]) -> None:
        """Chain `recorded` (position, stored event) pairs after the last link. In a store
        that had events before the chain existed, those are chained first."""
        c.execute(self.last)
        row = c.fetchone()
        last = ChainLink.from_row(row) if row else None
        if last is None and recorded:
            last = self.chain_earlier(c, before=min(p for p, _ in recorded))
        links = self.links_after(last, [ChainEntry.of(p, s.originator_id, s.originator_version,
                                                      s.topic, s.state)
                                        for p, s in recorded])
        if links:
            c.executemany(self.insert, [link.params() for link in links])

    @staticmethod
    def links_after(last: ChainLink | None, entries: Sequence[ChainEntry]) -> list[ChainLink]:
        previous, index = (last.hash, last.leaf_index + 1) if last else (GENESIS, 0)
        links = []
        for entry in entries:
            previous = entry.link(previous)
            links.append(ChainLink(index, entry, previous))
            index += 1
        return links

    def chain_earlier(self, c: Cursor, before: int) -> ChainLink | None:
        """An empty chain in a store with events: chain those before `before`, in order, and
        record that they were chained now rather than when written. The last link, if any."""
        last: ChainLink | None = None
        after = 0
        while True:
            c.execute(self.unchained, (after, before, BATCH))
            rows = c.fetchall()
            if not rows:
                break
            links = self.links_after(last, [ChainEntry.of(
                int(r["position"]), r["originator_id"], int(r["originator_version"]),
                r["topic"], bytes(r["state"])) for r in rows])
            c.executemany(self.insert, [link.params() for link in links])
            last, after = links[-1], links[-1].entry.position
        if last is not None:
            c.execute(self.record_start, (last.leaf_index + 1, last.entry.position,
                                          datetime.now(UTC).isoformat(timespec="seconds")))
        return last

    # --- reading ------------------------------------------------------------------------

    def read_links(self, c: Cursor, start: int, limit: int = BATCH) -> list[ChainLink]:
        c.execute(self.links, (start, limit))
        return [ChainLink.from_row(r) for r in c.fetchall()]

    def iter_links(self, transaction: Callable[[], AbstractContextManager[Cursor]],
                   start: int = 0) -> Iterator[ChainLink]:
        """Every link from leaf index `start` on, in order, a batch per transaction."""
        while True:
            with transaction() as c:
                batch = self.read_links(c, start)
            yield from batch
            if len(batch) < BATCH:
                return
            start = batch[-1].leaf_index + 1

    def last_link(self, c: Cursor) -> ChainLink | None:
        c.execute(self.last)
        row = c.fetchone()
        return ChainLink.from_row(row) if row else None

    def link_at_position(self, c: Cursor, position: int) -> ChainLink | None:
        c.execute(self.link_at, (position,))
        row = c.fetchone()
        return ChainLink.from_row(row) if row else None

    def link_of_event(self, c: Cursor, originator_id: UUID, version: int) -> ChainLink | None:
        c.execute(self.link_of, (originator_id.bytes, version))
        row = c.fetchone()
        return ChainLink.from_row(row) if row else None

    def chain_start(self, c: Cursor) -> ChainStart | None:
        c.execute(self.read_start)
        row = c.fetchone()
        if row is None:
            return None
        return ChainStart(int(row["entries"]), int(row["up_to_position"]),
                          str(row["chained_at"]))
