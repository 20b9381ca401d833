"""What every case type shares: its registration, the command pipeline and the item reads.

A case type (project, complaint, enterprise, request, …) is declared once as a `CaseType`
(see api/cases/ and the README's "Adding a case type"). Its use cases subclass
`CaseService` and are written as plain steps:

    project = self.load_for(caller, "manage", project_id, expected_version)  # load, 403, 412
    day = self.clock.business_date(date, "date")                          # input checks
    project.sign(day, contract_amount, caller.audit())                       # the domain
    return self.saved(caller, project)                                       # save, answer

The order is the same for every command: load (404) → authorize (403) → expected version
(412) → checks that need reference data or the clock (422) → the aggregate's command
(409/422) → save (409 on a lost race). Nothing is written unless every step passed.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, Generic, TypeVar, get_args, get_origin
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from application import idempotency, policy
from application.calendar import DeadlinePolicy
from application.context import Caller, Clock
from application.errors import NotFound
from application.history import HistoryEntry, history_entries, without_personal_data
from application.industries import Industries
from application.queries import Reads
from application.settings import Settings
from application.store import Store, check_version
from application.units import Units
from domain.account import Account
from domain.calendar import Deadline, WorkingCalendar
from domain.errors import InvalidValue
from domain.instructions import Instructed
from domain.shared import Role

A = TypeVar("A", bound=Aggregate)
S = TypeVar("S")


@dataclass(frozen=True)
class Context:
    """What use cases need from the outside world, built once by the composition root."""

    store: Store
    units: Units
    clock: Clock
    calendar: WorkingCalendar
    deadlines: DeadlinePolicy
    reads: Reads
    industries: Industries
    settings: Settings  # what a case type reads of its own (a catalogue file)
    review_units: tuple[str, ...] = ()  # 入园联合论证: units reviewing every park entry


def state_of(state: type[S], item: Aggregate, **derived: Any) -> S:
    """A state DTO (a dataclass) of `item`: each field is the aggregate's attribute of the
    same name, copied so the DTO never shares lists or dicts with the aggregate, unless
    `derived` gives it. `created_at`/`modified_at` are the aggregate's timestamps, and
    `allowed_steps` (where the DTO has it) the steps the item takes now."""
    fields = dataclasses.fields(state)  # type: ignore[arg-type]
    found = {"created_at": item.created_on, "modified_at": item.modified_on, **derived}
    if "allowed_steps" not in found and any(f.name == "allowed_steps" for f in fields):
        found["allowed_steps"] = item.allowed_steps()  # type: ignore[attr-defined]
    return state(**{f.name: found[f.name] if f.name in found
                    else copy.deepcopy(getattr(item, f.name)) for f in fields})


@dataclass(frozen=True)
class Result(Generic[S]):
    """A command's outcome: the new state and the global log position of its last event;
    `extra["number"]` is the number a step gave (a visit, problem or instruction)."""

    state: S
    position: int
    extra: dict[str, Any] = field(default_factory=dict)


class CaseService(Generic[A, S]):
    """The pipeline and reads every case type's use cases share.

    A subclass names its aggregate and state DTO once, as the type arguments
    (`CaseService[Park, ParkState]`); `aggregate` and `state_type` are read from them."""

    aggregate: ClassVar[type[Aggregate]]
    created_event: ClassVar[type]  # the event that starts every item: finds them all
    kind: ClassVar[str]  # the case type: policy actions are "<kind>.<action>"
    event_labels: ClassVar[Mapping[str, str]]
    state_type: ClassVar[type]  # the state DTO clients read (see `state`)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            origin, args = get_origin(base), get_args(base)
            if (isinstance(origin, type) and issubclass(origin, CaseService)
                    and not any(isinstance(a, TypeVar) for a in args)):
                cls.aggregate, cls.state_type = args

    def __init__(self, context: Context) -> None:
        self.context = context
        self.store = context.store
        self.units = context.units
        self.clock = context.clock
        self.calendar = context.calendar

    # --- the pipeline --------------------------------------------------------------------

    def load(self, item_id: UUID) -> A:
        """The item, or 404."""
        item: A = self.store.load(self.aggregate, item_id)  # type: ignore[assignment]
        return item

    def authorize(self, caller: Caller, action: str, item: Any = None) -> None:
        """403 unless the policy lets the caller do `<kind>.<action>` on `item`, or, with no
        item yet, on some item."""
        if item is None:
            policy.require_role(caller, f"{self.kind}.{action}")
        else:
            policy.require(caller, f"{self.kind}.{action}", item)

    def load_for(self, caller: Caller, action: str, item_id: UUID,
                 expected_version: int | None = None) -> A:
        """The first steps of every command on an item: a role that may never do `action`
        is refused (403) before the item is even looked up; then load it (404), check the
        caller may read it and do `action` on it (403), then check If-Match (412)."""
        self.authorize(caller, "read")
        self.authorize(caller, action)
        item = self.load(item_id)
        self.authorize(caller, "read", item)
        if action != "read":
            self.authorize(caller, action, item)
        check_version(item, expected_version)
        return item

    def saved(self, caller: Caller, item: A, number: int | None = None,
              also: Sequence[Aggregate] = ()) -> Result[S]:
        """The last step: save every pending event in one transaction, with the request's
        Idempotency-Key when it came with one; the new state. `also`: other items the
        command changed, saved in the same transaction (a cross-aggregate step)."""
        position = self.store.save(item, *also, idempotency.record(caller, item.id,
                                                                   item.version, number))
        return Result(self.state(caller, item), position,
                      {"number": number} if number is not None else {})

    def day(self, on: date | None, field: str = "on") -> date:
        """The business date of a step: today when omitted, never in the future."""
        return self.clock.business_date(on, field)

    def deadline(self, kind: str, start: date) -> Deadline:
        return self.context.deadlines.deadline(kind, start, self.calendar)

    # --- leaders' instructions (批示), for case types that take them --------------------

    answer_action: ClassVar[str] = "answer_instruction"  # the policy action of answering

    def instruction_deadline(self, day: date, due: date | None) -> Deadline:
        """The answer's deadline of an instruction given on `day`: the date the leader named
        (its working days counted for information), else the configured working days."""
        if due is None:
            return self.deadline("instruction", day)
        return Deadline(start=day, working_days=self.calendar.working_days_between(day, due),
                        due=due, calendar_version=self.calendar.version, named=True)

    def instruct(self, caller: Caller, item_id: UUID, text: str, on: date | None = None,
                 due: date | None = None, expected_version: int | None = None) -> Result[S]:
        """批示: a leader's written instruction, to be answered by `due` (or the configured
        working days); the result's `number` is the instruction's."""
        item = self.load_for(caller, "instruct", item_id, expected_version)
        day = self.day(on)
        number = _instructed(item).instruct(text, day, caller.audit(),
                                            self.instruction_deadline(day, due))
        return self.saved(caller, item, number)

    def answer_instruction(self, caller: Caller, item_id: UUID, number: int, text: str,
                           on: date | None = None, expected_version: int | None = None
                           ) -> Result[S]:
        """落实情况: the handling unit's answer to instruction `number`."""
        item = self.load_for(caller, self.answer_action, item_id, expected_version)
        _instructed(item).answer_instruction(number, text, self.day(on), caller.audit())
        return self.saved(caller, item)

    def active_account(self, account_id: str, role: Role, what: str) -> Account:
        """The active account of `role` with this id (a leader to link, an agent to take a
        case); anything else is bad input (422)."""
        try:
            account = self.store.load(Account, UUID(str(account_id).strip()))
        except (ValueError, NotFound):
            account = None
        if account is None or account.role != role or not account.active:
            msg = (f"{what}: {account_id!r} is not the account id of an active {role} account "
                   f"(investledger accounts add --role {role} prints it) / "
                   f"{what}须为在用的{role.label}账号")
            raise InvalidValue(msg)
        return account

    def state(self, caller: Caller, item: A) -> S:
        """The item as this caller may see it: unless a case type says more, its state DTO
        (`state_type`), the same for every caller."""
        state: S = state_of(self.state_type, item)
        return state

    # --- reads ---------------------------------------------------------------------------

    def get(self, caller: Caller, item_id: UUID, as_of_version: int | None = None,
            as_of: datetime | None = None) -> S:
        """The item now, at version `as_of_version`, or as it stood at the recorded time
        `as_of` (its last event recorded by then; 404 if it was not yet recorded), judged as
        on that moment's date (overdue, nearly due)."""
        current = self.load_for(caller, "read", item_id)
        if as_of is None:
            return self.state(caller, self.store.as_of(current, as_of_version))
        if as_of_version is not None:
            msg = "give as_of_version or as_of, not both / as_of_version 与 as_of 只能给一个"
            raise InvalidValue(msg)
        past = self.store.at_moment(current, as_of)
        with self.clock.frozen(as_of.astimezone(self.clock.zone).date()):
            return self.state(caller, past)

    def versions(self, caller: Caller, item_id: UUID, from_version: int | None,
                 to_version: int | None) -> tuple[S, S]:
        """The item's states at two versions, for a diff: `to_version` defaults to the
        current one, `from_version` to the one before it. A version the item never had is
        404; a range running backwards is 422."""
        current = self.load_for(caller, "read", item_id)
        for version in (from_version, to_version):
            if version is not None and version > current.version:
                msg = (f"{self.kind} {item_id} has no version {version}: it is at version "
                       f"{current.version} / 该事项没有此版本")
                raise NotFound(msg)
        to_version = current.version if to_version is None else to_version
        from_version = max(1, to_version - 1) if from_version is None else from_version
        if from_version > to_version:
            msg = (f"from_version {from_version} is after to_version {to_version}; give the "
                   f"earlier version first / 起始版本不能晚于结束版本")
            raise InvalidValue(msg)
        return (self.state(caller, self.store.as_of(current, from_version)),
                self.state(caller, self.store.as_of(current, to_version)))

    def history(self, caller: Caller, item_id: UUID) -> list[HistoryEntry]:
        item = self.load_for(caller, "read", item_id)
        personal = self.sees_personal_data(caller, item)
        return [without_personal_data(e, personal)
                for e in history_entries(self.store.events(item_id), self.event_labels)]

    def sees_personal_data(self, caller: Caller, item: A) -> bool:
        """Whether the caller sees the personal data the item holds (application/history.py
        PERSONAL): the one rule of the policy (`personal_data.read`), for states, histories
        and the journal alike. A case type whose items are personal data's subject lets the
        subject see its own."""
        return policy.allows(caller, "personal_data.read")

    # --- deadlines -----------------------------------------------------------------------

    def provisional_deadlines(self, item: A) -> list[tuple[Any, Deadline]]:
        """The item's running deadlines computed without official calendar data; each with
        the key `recompute_deadline` takes. Case types with deadlines override this."""
        return []

    def recompute_deadline(self, caller: Caller, item: A, key: Any, fresh: Deadline) -> None:
        raise NotImplementedError

    @staticmethod
    def instruction_deadlines(item: Any) -> list[tuple[Any, Deadline]]:
        """The provisional deadlines of an item's unanswered instructions (批示), keyed
        ("instruction", number) for `recompute_instruction`."""
        return [(("instruction", number), deadline)
                for number, deadline in item.provisional_instruction_deadlines()]

    def recompute_instruction(self, caller: Caller, item: Any, key: Any,
                              fresh: Deadline) -> bool:
        """Recount an instruction's deadline if `key` names one; whether it did."""
        if not (isinstance(key, tuple) and key[0] == "instruction"):
            return False
        item.recompute_instruction_due(key[1], fresh, self.clock.today(), caller.audit())
        return True

    def recompute_provisional(self, caller: Caller, item_ids: list[UUID]) -> int:
        """Recompute the running provisional deadlines of these items with the current
        calendar, each change as a new event. Returns how many changed."""
        changed = 0
        for item_id in item_ids:
            item = self.load(item_id)
            for key, current in self.provisional_deadlines(item):
                fresh = self.calendar.add_working_days(current.start, current.working_days)
                if fresh != current:
                    self.recompute_deadline(caller, item, key, fresh)
                    changed += 1
            self.store.save(item)
        return changed

    def ids(self) -> Iterator[UUID]:
        """Ids of every item of this case type, in log order."""
        return originators(self.store, self.created_event)


def _instructed(item: Aggregate) -> Instructed:
    if not isinstance(item, Instructed):
        msg = f"{type(item).__name__} takes no instructions (批示)"
        raise TypeError(msg)
    return item


def originators(store: Store, created_event: type) -> Iterator[UUID]:
    """Ids of every aggregate whose created event is `created_event`, in log order."""
    topic = get_topic(created_event)
    position = 0
    while True:
        batch = list(store.ledger.recorder.select_notifications(
            start=position + 1, limit=1000, topics=[topic]))
        if not batch:
            return
        for notification in batch:
            yield UUID(str(notification.originator_id))
        position = batch[-1].id


@dataclass(frozen=True)
class CaseType:
    """One case type, declared once: what the store, journal, composition root and app need.

    `routers`, `projections` and `readers` belong to outer layers; they are carried here (as
    plain objects) so one declaration in api/cases/ is all a new case type adds."""

    kind: str  # journal kind and policy prefix: "project"
    label: str  # 招商项目
    aggregates: tuple[type[Aggregate], ...]  # the case aggregate first; all are snapshotted
    event_labels: Mapping[str, str]
    service: Callable[[Context], Any] | None = None
    attribute: str = ""  # the container attribute of the service: "projects"
    recomputes_deadlines: bool = False
    ledgers: tuple[Any, ...] = ()  # queries.LedgerQuery of each ledger of the case type
    routers: tuple[Any, ...] = ()
    projections: tuple[Callable[[], Any], ...] = ()
    readers: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, service: type[CaseService[Any, Any]], label: str, *,
           also: tuple[type[Aggregate], ...] = (), more_labels: Mapping[str, str] | None = None,
           **rest: Any) -> CaseType:
        """The case type whose use cases are `service`: its kind, aggregate and event labels
        are the service's, so each is declared once. `also`: other aggregates of the case
        type (snapshotted; their events are in the journal under its kind, labelled by
        `more_labels`)."""
        return cls(kind=service.kind, label=label, aggregates=(service.aggregate, *also),
                   event_labels={**service.event_labels, **(more_labels or {})},
                   service=service, **rest)

    @property
    def aggregate_names(self) -> tuple[str, ...]:
        return tuple(a.__name__ for a in self.aggregates)
