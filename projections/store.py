"""Where read models live: SQLite or PostgreSQL, behind one small transaction API.

SQL text is shared between the dialects: it is written with `?` placeholders and standard
upserts (`INSERT ... ON CONFLICT ... DO UPDATE`), which both engines accept; only the
placeholder style is translated for psycopg.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# First key of pg_advisory_lock(int, int) for investledger's locks; the second names the lock
# within the current schema (see projections.worker.LOCK_KEY).
LOCK_NAMESPACE = 0x1E6E
TRACKING_DDL = (
    "CREATE TABLE IF NOT EXISTS projection_tracking ("
    " name TEXT PRIMARY KEY, position BIGINT NOT NULL, version INTEGER NOT NULL)"
)
# A projection that cannot apply an event stops before it; the event and the error are kept
# here (one row per stopped projection) for `projections status` and /readyz.
FAILURES_DDL = (
    "CREATE TABLE IF NOT EXISTS projection_failures ("
    " name TEXT PRIMARY KEY, position BIGINT NOT NULL, event TEXT NOT NULL,"
    " error TEXT NOT NULL, failed_at TEXT NOT NULL)"
)


class Tx:
    """A cursor in one transaction, with dict rows and `?` placeholders on both engines."""

    def __init__(self, cursor: Any, dialect: str) -> None:
        self.cursor = cursor
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql

    def _params(self, params: Sequence[Any]) -> tuple[Any, ...]:
        if self.dialect != "postgres":
            return tuple(params)
        # PostgreSQL text cannot hold NUL: text stored in events before NUL was refused at
        # the boundary is written to the read models with U+FFFD instead of failing them.
        return tuple(p.replace("\x00", "\ufffd") if isinstance(p, str) else p for p in params)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        self.cursor.execute(self._sql(sql), self._params(params))
        return int(self.cursor.rowcount)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.cursor.executemany(self._sql(sql), [self._params(r) for r in rows])

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        self.cursor.execute(self._sql(sql), self._params(params))
        rows = self.cursor.fetchall()
        if self.dialect == "sqlite":
            return [dict(r) for r in rows]
        return list(rows)

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None


class ViewStore:
    """Connections to the read-model database, and the tracking table they all share."""

    def __init__(self, *, sqlite_path: str | None = None, conninfo: str | None = None,
                 pool_size: int = 5, timeout: float = 5.0) -> None:
        """A SQLite file (or ":memory:") or a PostgreSQL database (a libpq conninfo): the
        composition root parses the URL once and hands on what it found."""
        if sqlite_path is not None:
            self.dialect = "sqlite"
            self.path = sqlite_path
            if self.path != ":memory:" and not Path(self.path).exists():
                # Owner-only, like the event store: read models hold what events hold.
                folder = Path(self.path).parent
                if not folder.exists():
                    folder.mkdir(parents=True, mode=0o700)
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._local = threading.local()
            self._memory: sqlite3.Connection | None = None
            self._memory_lock = threading.RLock()
        else:
            if conninfo is None:
                msg = ("a view store needs a SQLite path or a PostgreSQL conninfo / "
                       "读模型存储须为SQLite路径或PostgreSQL连接串")
                raise ValueError(msg)
            self.dialect = "postgres"
            self.conninfo = conninfo
            from psycopg.rows import dict_row
            from psycopg_pool import ConnectionPool

            self.pool = ConnectionPool(self.conninfo, min_size=1, max_size=pool_size,
                                       timeout=timeout, check=ConnectionPool.check_connection,
                                       kwargs={"row_factory": dict_row,
                                               "connect_timeout": max(1, round(timeout))},
                                       open=True)
        self._connections: list[sqlite3.Connection] = []

    # --- SQLite connections: one per thread, autocommit, explicit transactions ----------

    def _sqlite(self) -> sqlite3.Connection:
        if self.path == ":memory:":
            if self._memory is None:
                self._memory = self._new_sqlite(":memory:")
            return self._memory
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._new_sqlite(self.path)
            self._local.conn = conn
        return conn

    def _new_sqlite(self, path: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                               timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Tx]:
        """One transaction: committed if the block ends normally, rolled back otherwise."""
        if self.dialect == "postgres":
            with self.pool.connection() as pg, pg.transaction(), pg.cursor() as pg_cur:
                yield Tx(pg_cur, "postgres")
            return
        lock = self._memory_lock if self.path == ":memory:" else _NO_LOCK
        with lock:
            conn = self._sqlite()
            cur = conn.cursor()
            # IMMEDIATE takes the write lock up front, so two writers queue instead of
            # failing on lock upgrade; a plain BEGIN gives readers one consistent snapshot.
            cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield Tx(cur, "sqlite")
            except BaseException:
                conn.rollback()
                raise
            else:
                conn.commit()
            finally:
                cur.close()

    def read(self) -> Any:
        return self.transaction(write=False)

    @contextmanager
    def schema_change(self) -> Iterator[Tx]:
        """A transaction for DDL; on PostgreSQL serialised across processes, since two
        concurrent CREATE TABLE IF NOT EXISTS can both try to create the table."""
        with self.transaction() as tx:
            if self.dialect == "postgres":
                tx.execute("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))",
                           (LOCK_NAMESPACE,))
            yield tx

    def close(self) -> None:
        if self.dialect == "postgres":
            self.pool.close()
        for conn in self._connections:
            conn.close()
        self._connections.clear()
        if self.dialect == "sqlite":
            self._local = threading.local()
            self._memory = None


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_LOCK = _NoLock()
