"""An item's events as audit-journal entries: who, which unit, when, why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from application.context import PUBLIC_ROLE
from domain.shared import Audit, Role

_ENVELOPE = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic",
                       "audit"})


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    type: str
    label: str
    recorded_at: datetime
    actor: dict[str, str | None]
    correlation_id: str
    data: dict[str, Any]


def history_entries(events: list[Any], labels: Mapping[str, str]) -> list[HistoryEntry]:
    entries = []
    for e in events:
        audit: Audit | None = getattr(e, "audit", None)
        name = type(e).__qualname__.rsplit(".", 1)[-1]
        entries.append(HistoryEntry(
            version=e.originator_version,
            type=name,
            # A step that changes one named field (更正) may be labelled per field.
            label=labels.get(f"{name}.{getattr(e, 'field', '')}") or labels.get(name, name),
            recorded_at=e.timestamp,
            actor={
                "id": audit.actor_id if audit else None,
                "name": audit.actor_name if audit else None,
                "role": audit.role if audit else None,
                "role_label": _role_label(audit.role) if audit else None,
                "unit": audit.unit if audit else None,
            },
            correlation_id=audit.correlation_id if audit else "",
            data={k: v for k, v in e.__dict__.items() if k not in _ENVELOPE},
        ))
    return entries


def _role_label(role: str | None) -> str | None:
    """The Chinese name of an actor's role (公众 for a step taken without an account)."""
    return "公众" if role == PUBLIC_ROLE else Role.labels().get(role or "")


# Personal data events carry: who complained (a complaint's complainant and the enterprise
# that filed it) and an enterprise's contact people, as recorded or among the `changes` of a
# revision. Who may see it is one rule of the policy (`personal_data.read`).
PERSONAL = ("complainant", "filed_by_enterprise", "contacts")
_CHANGES = "changes"


def without_personal_data(entry: HistoryEntry, may_see: bool) -> HistoryEntry:
    """The entry with its personal data blanked (null) unless the reader may see it."""
    if may_see:
        return entry
    data = _blanked(entry.data)
    changes = data.get(_CHANGES)
    if isinstance(changes, Mapping):
        data[_CHANGES] = _blanked(changes)
    return entry if data == entry.data else replace(entry, data=data)


def _blanked(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: None if key in PERSONAL else value for key, value in data.items()}


def changes(before: Mapping[str, Any], after: Mapping[str, Any], prefix: str = ""
            ) -> list[dict[str, Any]]:
    """Field-level changes from one state of an item to another (their JSON forms), in the
    order of `after`'s fields: `{field, from, to}` each. Objects are compared field by field
    (`due.due`), lists of objects item by item (`assignments.1.unit`; an item added is from
    null, one gone to null); any other value as a whole (`key_years`)."""
    found: list[dict[str, Any]] = []
    for key in [*after, *(k for k in before if k not in after)]:
        name = f"{prefix}{key}"
        found += _changed(name, before.get(key), after.get(key))
    return found


def _changed(name: str, old: Any, new: Any) -> list[dict[str, Any]]:
    if old == new:
        return []
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return changes(old, new, f"{name}.")
    if _objects(old) and _objects(new):
        return [change for index in range(max(len(old), len(new)))
                for change in _changed(f"{name}.{index}", _at(old, index), _at(new, index))]
    return [{"field": name, "from": old, "to": new}]


def _objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, Mapping) for v in value)


def _at(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else None
