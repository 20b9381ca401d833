"""Reads the complaint ledger (投诉台账, built by projections/complaint_ledger.py): its filters,
pages in public form, and the newest complaints for Open311."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.complaint import Category, Channel, DeadlineKind, Satisfaction, Status
from projections.complaint_ledger import TABLE, ComplaintLedger
from projections.filters import AtLeast, AtMost, Equals, Filter, Given, Overdue, Text, where_of
from projections.paging import LedgerReader, LedgerSpec, Row, where
from projections.store import ViewStore

FILTERS: dict[str, Filter] = {
    "status": Equals("status"),
    "unit": Equals("assigned_unit"),  # the unit the complaint is assigned to now
    "respondent_unit": Equals("respondent_unit"),
    "channel": Equals("channel"),
    "category": Equals("category"),
    "received_from": AtLeast("received_on"),
    "received_to": AtMost("received_on"),
    "q": Text("content", "receipt"),  # words of the content, or (part of) a receipt code
    # Open complaints whose running deadline is past (deadline_due is null when none runs).
    "overdue": Overdue("deadline_due < ?", "(deadline_due IS NULL OR deadline_due >= ?)"),
    "today": Given(),  # what overdue is judged against
    "scope_unit": Equals("assigned_unit"),  # a unit account: complaints assigned to it now
    "scope_enterprise": Equals("filed_by_enterprise"),  # an enterprise account: those it filed
}


SUMMARY_LENGTH = 60


def summary(content: str) -> str:
    """The first words of a complaint's content, on one line."""
    line = " ".join(content.split())
    return line if len(line) <= SUMMARY_LENGTH else line[:SUMMARY_LENGTH - 1] + "…"


def _public(row: Row, today: str | None) -> Row:
    deadline = None
    if row["deadline_kind"] is not None:
        deadline = {"kind": row["deadline_kind"],
                    "kind_label": DeadlineKind(row["deadline_kind"]).label,
                    "due": row["deadline_due"], "provisional": bool(row["deadline_provisional"])}
    pending = None
    if row["pending_until"] is not None:
        pending = {"until": row["pending_until"], "requested_on": row["pending_requested_on"]}
    return {
        "id": row["id"], "receipt": row["receipt"], "summary": summary(row["content"]),
        "status": row["status"], "status_label": Status(row["status"]).label,
        "channel": row["channel"], "channel_label": Channel(row["channel"]).label,
        "category": row["category"], "category_label": Category(row["category"]).label,
        "respondent_unit": row["respondent_unit"], "assigned_unit": row["assigned_unit"],
        "anonymous": bool(row["anonymous"]), "received_on": row["received_on"],
        "accepted_on": row["accepted_on"], "declined_on": row["declined_on"],
        "assigned_on": row["assigned_on"], "acknowledged_on": row["acknowledged_on"],
        "replied_on": row["replied_on"], "closed_on": row["closed_on"],
        "satisfaction": row["satisfaction"],
        "satisfaction_label": (Satisfaction(row["satisfaction"]).label
                               if row["satisfaction"] else None),
        "deadline": deadline,
        "overdue": bool(deadline and today is not None and deadline["due"] < today),
        "urge_count": row["urge_count"], "pending_extension": pending,
        "version": row["version"],
    }


# Open complaints past their running deadline are overdue.
COMPLAINT_LEDGER = LedgerSpec(ComplaintLedger.name, TABLE.name, FILTERS, cursor_prefix="c",
                              public=_public, dated=True)


class ComplaintLedgerReader(LedgerReader):
    """Reads the complaint ledger (投诉台账), without personal data."""

    def __init__(self, store: ViewStore) -> None:
        super().__init__(store, COMPLAINT_LEDGER)

    def newest_received(self, filters: Mapping[str, Any], limit: int) -> list[str]:
        """The ids of at most `limit` complaints that match `filters`, latest received
        first (Open311's order of service requests)."""
        clauses, params = where_of(FILTERS, filters)
        with self.store.read() as tx:
            rows = tx.all(f"SELECT id FROM {TABLE}{where(clauses)} "
                          "ORDER BY received_on DESC, seq DESC LIMIT ?", [*params, limit])
        return [row["id"] for row in rows]
