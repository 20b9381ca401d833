"""Keyset pagination, the page shape and the reader shared by every ledger.

Ledgers list newest first by `seq` (the log position of the item's first event, unique and
increasing); a cursor is that position behind an opaque, ledger-specific prefix."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
        msg = f"cursor {cursor!r} is not one this ledger issued / 分页游标无效"
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
# Columns kept for paging (`seq`) and bookkeeping (`updated_at`: the latest event's time), not
# shown.
BOOKKEEPING = ("seq", "updated_at")


def shown(row: Row, hidden: Sequence[str] = BOOKKEEPING) -> Row:
    """A row's columns but `hidden` (by default those kept for paging and bookkeeping), as
    stored: what a ledger's public form starts from."""
    return {k: v for k, v in row.items() if k not in hidden}


@dataclass(frozen=True)
class LedgerSpec:
    """A ledger as clients read it, declared once beside the projection that builds it: the
    projection and its table (or a select naming each row's relations, as an alias), the
    filters it accepts, the cursor prefix (a letter per ledger: a cursor works only where it
    was issued) and how a row shows (`public(row, today)`). A dated ledger judges its rows
    against the filter `today` (overdue), which `public` is given as ISO text. A ledger may
    keep totals over the filtered rows, and complete a page's rows from its other tables
    (a park's output of the year asked for), in the page's snapshot.

    `reader` is what the composition root calls with the view store."""

    projection: str
    table: str
    filters: Mapping[str, Filter]
    cursor_prefix: str
    public: Callable[[Row, str | None], Row]
    dated: bool = False
    totals: Callable[[Tx, Sequence[str], Sequence[Any]], dict[str, Any]] | None = None
    completed: Callable[[Tx, list[Row], Mapping[str, Any]], list[Row]] | None = None

    def reader(self, store: ViewStore) -> LedgerReader:
        return LedgerReader(store, self)


class LedgerReader:
    """Reads one ledger: pages of its rows, newest first, filtered by the ledger's declared
    filters and shown in public form (what application.queries.LedgerReader asks for)."""

    def __init__(self, store: ViewStore, ledger: LedgerSpec) -> None:
        self.store = store
        self.ledger = ledger
        self.projection = ledger.projection

    def page(self, filters: Mapping[str, Any], limit: int = 50,
             cursor: str | None = None) -> LedgerPage:
        """One page (newest first), the filtered count and the totals, from one snapshot."""
        ledger = self.ledger
        needed_by = f"the {ledger.projection} (to mark overdue rows)"
        today = param(required(filters, "today", needed_by)) if ledger.dated else None
        clauses, params = where_of(ledger.filters, filters)
        with self.store.read() as tx:
            rows, count, next_cursor = keyset_page(tx, ledger.table, clauses, params, limit,
                                                   cursor, ledger.cursor_prefix)
            totals = ledger.totals(tx, clauses, params) if ledger.totals else None
            items = [ledger.public(r, today) for r in rows]
            if ledger.completed:
                items = ledger.completed(tx, items, filters)
        return LedgerPage(items=items, count=count, next_cursor=next_cursor, totals=totals)
