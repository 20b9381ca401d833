"""督查督办: the open deadline items of every unit, for the supervision view of overdue (超期)
and nearly due (临期) work.

The table holds one row per open item that runs against a due date: a complaint's running
acceptance, reply (extension applied) or callback deadline; a project's unresolved problem or
unanswered instruction that has a due date; an assigned enterprise request awaiting its
outcome. A row goes when the item is done. Whether an item is overdue or nearly due is
decided at read time against today, so the view changes with the date without any event.

Units: a complaint belongs to its assigned unit, or to the bureau (`BUREAU_UNIT`) while it
awaits acceptance; a project item to the project's responsible unit at the time of reading
(kept on the project's subject row, so a reassignment moves all its items at once); a
request to its lead unit (牵头单位).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from domain.calendar import Deadline, WorkingCalendar
from domain.complaint import CATEGORY_LABELS, CHANNEL_LABELS, DEADLINE_KIND_LABELS, Complaint
from domain.enterprise_request import CATEGORY_LABELS as REQUEST_CATEGORY_LABELS
from domain.enterprise_request import SOURCE_LABELS, EnterpriseRequest
from domain.project import Project
from projections.base import Projection, RowCache
from projections.store import Tx, ViewStore

SUBJECTS = "supervision_subjects"
ITEMS = "supervision_items"
BUREAU_UNIT = "tcj"  # 投促局: decides acceptance of received complaints
SUBJECT_COLUMNS = ("id", "kind", "title", "unit", "seq")
ITEM_COLUMNS = ("id", "kind", "subject_id", "number", "unit", "summary", "started_on",
                "base_due", "extended_due", "requested_until", "due", "provisional", "seq")
DDL = (
    f"""CREATE TABLE IF NOT EXISTS {SUBJECTS} (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, unit TEXT,
        seq BIGINT NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {ITEMS} (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject_id TEXT NOT NULL, number INTEGER,
        unit TEXT, summary TEXT NOT NULL, started_on TEXT NOT NULL, base_due TEXT NOT NULL,
        extended_due TEXT, requested_until TEXT, due TEXT NOT NULL,
        provisional INTEGER NOT NULL, seq BIGINT NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {ITEMS}_due ON {ITEMS} (due)",
    f"CREATE INDEX IF NOT EXISTS {ITEMS}_subject ON {ITEMS} (subject_id)",
)
KIND_LABELS = {
    "complaint_acceptance": "投诉受理", "complaint_reply": "投诉答复",
    "complaint_callback": "投诉回访", "project_problem": "项目存在问题",
    "project_instruction": "领导批示落实", "request": "企业诉求办理",
}
STATE_LABELS = {"overdue": "超期", "nearly_due": "临期"}
SUMMARY_LIMIT = 200

_COMPLAINT = ("Received", "Accepted", "Declined", "Assigned", "Returned", "Replied",
              "CallbackRecorded", "Closed", "ExtensionRequested", "ExtensionApproved",
              "ExtensionRefused", "DeadlineRecomputed")
_PROJECT = ("Registered", "DetailsRevised", "UnitReassigned", "ProblemRaised",
            "ProblemResolved", "InstructionGiven", "InstructionAnswered", "Terminated",
            "DeadlineRecomputed")
_REQUEST = ("Raised", "Assigned", "OutcomeRecorded", "Closed", "DueRecomputed")


class ItemCache(RowCache):
    """A RowCache that also deletes rows: an item leaves the table when it is done."""

    def __init__(self, tx: Tx, table: str, columns: Sequence[str]) -> None:
        super().__init__(tx, table, columns)
        self.deleted: set[str] = set()

    def preload(self, keys: Iterable[str]) -> None:
        super().preload(k for k in keys if k not in self.deleted)

    def get(self, key: str) -> dict[str, Any] | None:
        return None if key in self.deleted else super().get(key)

    def put(self, row: dict[str, Any]) -> None:
        self.deleted.discard(row[self.key])
        super().put(row)

    def delete(self, key: str) -> None:
        self.rows.pop(key, None)
        self.dirty.discard(key)
        self.deleted.add(key)

    def flush(self) -> None:
        gone = sorted(self.deleted)
        for start in range(0, len(gone), 500):
            chunk = gone[start:start + 500]
            self.tx.execute(f"DELETE FROM {self.table} WHERE {self.key} IN "
                            f"({','.join('?' * len(chunk))})", chunk)
        self.deleted.clear()
        super().flush()


def _aggregate(e: Any) -> str:
    return type(e).__qualname__.rsplit(".", 1)[0]


def _item(key: str, kind: str, subject: str, position: int, started: date, due: Deadline,
          unit: str | None, summary: str, number: int | None = None) -> dict[str, Any]:
    return {"id": key, "kind": kind, "subject_id": subject, "number": number, "unit": unit,
            "summary": summary[:SUMMARY_LIMIT], "started_on": started.isoformat(),
            "base_due": due.due.isoformat(), "extended_due": None, "requested_until": None,
            "due": due.due.isoformat(), "provisional": int(due.provisional), "seq": position}


class SupervisionItems(Projection):
    """Keeps the open deadline items of complaints, projects and enterprise requests."""

    name = "supervision"
    ddl = DDL
    tables = (SUBJECTS, ITEMS)
    event_classes = (*(getattr(Complaint, n) for n in _COMPLAINT),
                     *(getattr(Project, n) for n in _PROJECT),
                     *(getattr(EnterpriseRequest, n) for n in _REQUEST))

    def apply_batch(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> None:
        subjects = RowCache(tx, SUBJECTS, SUBJECT_COLUMNS)
        items = ItemCache(tx, ITEMS, ITEM_COLUMNS)
        subjects.preload(str(e.originator_id) for _, e in events)
        prefixes = {"Complaint": "complaint:", "EnterpriseRequest": "request:"}
        items.preload(prefixes[_aggregate(e)] + str(e.originator_id) for _, e in events
                      if _aggregate(e) in prefixes)
        for position, e in events:
            aggregate, kind = type(e).__qualname__.rsplit(".", 1)
            apply = {"Complaint": self._complaint, "Project": self._project,
                     "EnterpriseRequest": self._request}[aggregate]
            apply(subjects, items, position, str(e.originator_id), kind, e)
        subjects.flush()
        items.flush()

    @staticmethod
    def _complaint(subjects: RowCache, items: ItemCache, position: int, key: str, kind: str,
                   e: Any) -> None:
        item_key = f"complaint:{key}"
        if kind == "Received":
            title = (f"投诉举报 · {CATEGORY_LABELS[e.category]} · 被投诉单位 "
                     f"{e.respondent_unit}")
            subjects.put({"id": key, "kind": "complaint", "title": title, "unit": None,
                          "seq": position})
            items.put(_item(item_key, "complaint_acceptance", key, position, e.on,
                            e.acceptance_deadline, BUREAU_UNIT,
                            f"{DEADLINE_KIND_LABELS['acceptance']} · "
                            f"{CHANNEL_LABELS[e.channel]}"))
        elif kind == "Assigned":
            items.put(_item(item_key, "complaint_reply", key, position, e.on, e.reply_deadline,
                            e.unit, DEADLINE_KIND_LABELS["reply"]))
        elif kind == "Replied":
            current = items.get(item_key)
            unit = current["unit"] if current else e.audit.unit  # the replying unit
            items.put(_item(item_key, "complaint_callback", key, position, e.on,
                            e.callback_deadline, unit, DEADLINE_KIND_LABELS["callback"]))
        elif kind in ("Accepted", "Declined", "Returned", "CallbackRecorded", "Closed"):
            items.delete(item_key)
        else:
            row = items.touch(item_key)
            if row is None:
                return
            if kind == "ExtensionRequested":
                row["requested_until"] = e.until.isoformat()
            elif kind == "ExtensionRefused":
                row["requested_until"] = None
            elif kind == "ExtensionApproved" and row["kind"] == "complaint_reply":
                row.update(extended_due=row["requested_until"], requested_until=None)
            elif kind == "DeadlineRecomputed" and row["kind"] == f"complaint_{e.kind}":
                row.update(base_due=e.deadline.due.isoformat(),
                           provisional=int(e.deadline.provisional))
            row["due"] = max(d for d in (row["base_due"], row["extended_due"]) if d)

    @staticmethod
    def _project(subjects: RowCache, items: ItemCache, position: int, key: str, kind: str,
                 e: Any) -> None:
        if kind == "Registered":
            subjects.put({"id": key, "kind": "project", "title": e.name,
                          "unit": e.responsible_unit, "seq": position})
        elif kind == "DetailsRevised" and "name" in e.changes:
            subject = subjects.touch(key)
            if subject is not None:
                subject["title"] = e.changes["name"]
        elif kind == "UnitReassigned":
            subject = subjects.touch(key)
            if subject is not None:
                subject["unit"] = e.unit
        elif kind in ("ProblemRaised", "InstructionGiven") and e.due is not None:
            what = "problem" if kind == "ProblemRaised" else "instruction"
            items.put(_item(f"{what}:{key}:{e.number}", f"project_{what}", key, position,
                            e.on, e.due, None, e.text, e.number))
        elif kind == "DeadlineRecomputed":
            row = items.touch(f"{e.kind}:{key}:{e.number}")
            if row is not None:
                due = e.deadline.due.isoformat()
                row.update(base_due=due, due=due, provisional=int(e.deadline.provisional))
        elif kind == "ProblemResolved":
            items.delete(f"problem:{key}:{e.number}")
        elif kind == "InstructionAnswered":
            items.delete(f"instruction:{key}:{e.number}")
        elif kind == "Terminated":  # nothing of a terminated project can be done any more
            stored = items.tx.all(f"SELECT id FROM {ITEMS} WHERE subject_id = ?", (key,))
            cached = [k for k, row in items.rows.items() if row["subject_id"] == key]
            for item_key in {*(r["id"] for r in stored), *cached}:
                items.delete(item_key)

    @staticmethod
    def _request(subjects: RowCache, items: ItemCache, position: int, key: str, kind: str,
                 e: Any) -> None:
        item_key = f"request:{key}"
        if kind == "Raised":
            title = (f"企业诉求 · {REQUEST_CATEGORY_LABELS[e.category]} · "
                     f"{SOURCE_LABELS[e.source]}")
            subjects.put({"id": key, "kind": "request", "title": title, "unit": None,
                          "seq": position})
        elif kind == "Assigned":
            items.put(_item(item_key, "request", key, position, e.on, e.due, e.lead_unit,
                            f"诉求办理期限 · 第{e.number}次交办", e.number))
        elif kind in ("OutcomeRecorded", "Closed"):
            items.delete(item_key)
        elif kind == "DueRecomputed":
            row = items.touch(item_key)
            if row is not None:
                due = e.deadline.due.isoformat()
                row.update(base_due=due, due=due, provisional=int(e.deadline.provisional))


# --- queries ------------------------------------------------------------------------------


def query_supervision(store: ViewStore, calendar: WorkingCalendar, today: date,
                      nearly_due_days: int, unit: str | None = None,
                      scope_unit: str | None = None) -> list[dict[str, Any]]:
    """Overdue and nearly due items as of `today`, grouped by unit: units with the most
    overdue items first. An item is overdue when its due date is before today, nearly due
    when at most `nearly_due_days` working days remain until it (today's due included)."""
    # The last date still nearly due: the day before the (N+1)th working day after today.
    cutoff = calendar.add_working_days(today, nearly_due_days + 1).due - timedelta(days=1)
    clauses, params = ["i.due <= ?"], [cutoff.isoformat()]
    for value in (unit, scope_unit):
        if value is not None:
            clauses.append("COALESCE(i.unit, s.unit) = ?")
            params.append(value)
    with store.read() as tx:
        rows = tx.all(
            f"SELECT i.*, s.title, COALESCE(i.unit, s.unit) AS unit_now FROM {ITEMS} i "
            f"JOIN {SUBJECTS} s ON s.id = i.subject_id WHERE {' AND '.join(clauses)} "
            "ORDER BY i.due, i.seq, i.id", params)
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        due = date.fromisoformat(row["due"])
        overdue = due < today
        state = "overdue" if overdue else "nearly_due"
        group = groups.setdefault(row["unit_now"], {"unit": row["unit_now"], "overdue": 0,
                                                     "nearly_due": 0, "items": []})
        group[state] += 1
        group["items"].append({
            "kind": row["kind"], "kind_label": KIND_LABELS[row["kind"]],
            "id": row["subject_id"], "number": row["number"], "title": row["title"],
            "summary": row["summary"], "started_on": row["started_on"], "due": row["due"],
            "provisional": bool(row["provisional"]), "state": state,
            "state_label": STATE_LABELS[state],
            "working_days_overdue": calendar.working_days_between(due, today)
            if overdue else None,
            "working_days_left": None if overdue else calendar.working_days_between(today, due),
        })
    return sorted(groups.values(), key=lambda g: (-g["overdue"], g["unit"]))
