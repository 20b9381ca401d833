"""Keyset pagination, the page shape and the reader shared by every ledger.

Ledgers list newest first by `seq` (the log position of the item's first event, unique and
increasing); a cursor is that position behind an opaque, ledger-specific prefix."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from projections.filters import Filter, param, required, where_of
from projections.store import Tx, ViewStore

_MAX_SEQ = 2**63


@dataclass(frozen=True)
class LedgerPage:
    """One page of a ledger: its rows in public form, newest first; how many rows the
    filters match in all; the cursor of the next page (None on the last); and the ledger's
    totals over the filtered rows, for a ledger that keeps any."""

    items: list[dict[str, Any]]
    count: int
    next_cursor: str | None
    totals: dict[str, Any] | None = None


def encode_cursor(prefix: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{prefix}{seq}".encode()).decode().rstrip("=")


def decode_cursor(prefix: str, cursor: str) -> int:
    """The position a cursor stands for; ValueError for one this ledger did not issue."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        seq = int(raw[len(prefix):]) if raw.startswith(prefix) else -1
    except (ValueError, UnicodeDecodeError):
        seq = -1
    if not 0 < seq < _MAX_SEQ:
        msg = f"cursor {cursor!r} is not one this ledger issued"
        raise ValueError(msg)
    return seq


def where(clauses: Sequence[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def keyset_page(tx: Tx, table: str, clauses: Sequence[str], params: Sequence[Any],
                limit: int, cursor: str | None, prefix: str
                ) -> tuple[list[dict[str, Any]], int, str | None]:
    """One page (newest first), the filtered count and the next cursor, in `tx`'s snapshot."""
    page_clauses, page_params = list(clauses), list(params)
    if cursor:
        page_clauses.append("seq < ?")
        page_params.append(decode_cursor(prefix, cursor))
    rows = tx.all(f"SELECT * FROM {table}{where(page_clauses)} ORDER BY seq DESC LIMIT ?",
                  [*page_params, limit + 1])
    counted = tx.one(f"SELECT COUNT(*) AS n FROM {table}{where(clauses)}", list(params))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(prefix, rows[-1]["seq"]) if more and rows else None
    return rows, int(counted["n"]) if counted else 0, next_cursor


Row = dict[str, Any]


class LedgerReader:
    """Reads one ledger: pages of its rows, newest first, filtered by the ledger's declared
    filters and shown in public form (what application.queries.LedgerReader asks for).

    A ledger's reader names its projection, table, filters and cursor prefix and says how a
    row shows (`public`); a ledger that keeps totals adds `totals`."""

    projection: ClassVar[str]
    table: ClassVar[str]
    filters: ClassVar[Mapping[str, Filter]]
    cursor_prefix: ClassVar[str]  # a letter per ledger: a cursor works only where issued
    dated: ClassVar[bool] = False  # rows are judged against the filter `today` (overdue)

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def page(self, filters: Mapping[str, Any], limit: int = 50,
             cursor: str | None = None) -> LedgerPage:
        """One page (newest first), the filtered count and the totals, from one snapshot."""
        needed_by = f"the {self.projection} (to mark overdue rows)"
        today = param(required(filters, "today", needed_by)) if self.dated else None
        clauses, params = where_of(self.filters, filters)
        with self.store.read() as tx:
            rows, count, next_cursor = keyset_page(tx, self.table, clauses, params, limit,
                                                   cursor, self.cursor_prefix)
            totals = self.totals(tx, clauses, params)
            items = self.completed(tx, [self.public(r, today) for r in rows], filters)
        return LedgerPage(items=items, count=count, next_cursor=next_cursor, totals=totals)

    def public(self, row: Row, today: str | None) -> Row:
        """A row as clients read it; `today` (ISO) is given to a dated ledger."""
        raise NotImplementedError

    def totals(self, tx: Tx, clauses: Sequence[str], params: Sequence[Any]
               ) -> dict[str, Any] | None:
        """The ledger's totals over the filtered rows, for a ledger that keeps any."""
        return None

    def completed(self, tx: Tx, items: list[Row], filters: Mapping[str, Any]) -> list[Row]:
        """The page's rows completed from the ledger's other tables, in the same snapshot
        (a park's output of the year asked for); as they are for most ledgers."""
        return items
