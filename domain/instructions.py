"""批示: a leader's written instructions on an item, and the answers (落实情况) of the unit
handling it — one piece for every case type that takes them (Project, Complaint,
EnterpriseRequest).

An aggregate mixes in `Instructed` (or `InstructedRecounted`, which also recounts provisional
deadlines) and says when it takes an instruction (`_check_instruction`). The mixin gives it
its own event classes, as if declared in the aggregate: their topic, e.g.
`domain.complaint:Complaint.InstructionGiven`, is what is stored.

Instructions are numbered from 1 in the order given. Each may carry the deadline of its
answer (counted in working days, or a date the leader named). An instruction may be
answered again as its implementation goes on: every answer is kept, and the first one
answered it (its deadline stops there).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, TypeAlias

from eventsourcing.domain import Aggregate, event

from domain.errors import RuleViolation
from domain.shared import (
    Audit,
    Deadline,
    NumberedItemAdded,
    check_deadline,
    check_recomputed_deadline,
    require_not_before,
    require_text,
)

# History and journal labels of the events, for case types that take instructions.
EVENT_LABELS = {"InstructionGiven": "批示", "InstructionAnswered": "批示落实反馈",
                "InstructionDueRecomputed": "重算批示落实期限"}


class InstructionGiven(NumberedItemAdded):
    """批示 given, with the deadline for its answer (none: no deadline). Version 2 added
    `due` (projects' instructions recorded before had none)."""


class InstructionAnswered(Aggregate.Event):
    """落实情况: an answer to a leader's instruction."""

    number: int
    text: str
    on: date
    audit: Audit


class InstructionDueRecomputed(Aggregate.Event):
    """An unanswered instruction's provisional deadline (counted past the calendar known when
    it was given) recounted once the year's official calendar is known."""

    number: int
    deadline: Deadline
    previous_due: date
    on: date
    audit: Audit


def instructed(self: Any, number: int, text: str, on: date, due: Deadline | None,
               audit: Audit) -> None:
    """What an InstructionGiven event does to its aggregate."""
    self.instructions.append({"number": number, "text": text, "given_on": on,
                              "leader": audit.actor_name, "due": due.due if due else None,
                              "deadline": due, "answered_on": None, "answer": None,
                              "answers": []})


def answered(self: Any, number: int, text: str, on: date, audit: Audit) -> None:
    """What an InstructionAnswered event does: the answer joins the list; the first one
    answered the instruction, so `answered_on` and `answer` stay those of the first."""
    instruction = self.instructions[number - 1]
    instruction["answers"].append({"text": text, "on": on, "by": audit.actor_name,
                                   "unit": audit.unit})
    if instruction["answered_on"] is None:
        instruction["answered_on"] = on
        instruction["answer"] = text


def due_recomputed(self: Any, number: int, deadline: Deadline, previous_due: date, on: date,
                   audit: Audit) -> None:
    """What an InstructionDueRecomputed event does: the instruction is due at the new date."""
    instruction = self.instructions[number - 1]
    instruction["deadline"] = deadline
    instruction["due"] = deadline.due


Recorded = tuple[type[Aggregate.Event], str, Callable[..., None]]


class Instructed:
    """The instruction list of an aggregate: giving, numbering and answering.

    The aggregate provides `instructions` (a list, empty when created) and says when it takes
    an instruction (`_check_instruction`). When its class is made, it is given its own
    subclass of each event class in `instruction_events`, named and placed as if declared
    in it, recorded by the method named beside it and applied by the shared mutator."""

    instructions: list[dict[str, Any]]
    noun: str = "item"  # how refusals name the aggregate: "project", "complaint"

    # The base of each of the aggregate's own event classes, for type checkers and readers.
    InstructionGiven: TypeAlias = InstructionGiven
    InstructionAnswered: TypeAlias = InstructionAnswered

    # The base of each event, the method recording it and the mutator applying it.
    instruction_events: ClassVar[tuple[Recorded, ...]] = (
        (InstructionGiven, "_instructed", instructed),
        (InstructionAnswered, "_answered", answered))
    _instructed: Callable[..., None]
    _answered: Callable[..., None]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The aggregate's own classes are made before the library reads it (in super(), so
        # the mixin comes first among the bases): the library lets a class serve one @event
        # method only, and triggers the class that method names. The mixins record nothing.
        if issubclass(cls, Aggregate):
            for base, method, mutator in cls.instruction_events:
                own = type(base.__name__, (base,), {
                    "__module__": cls.__module__,
                    "__qualname__": f"{cls.__qualname__}.{base.__name__}"})
                setattr(cls, base.__name__, own)
                setattr(cls, method, event(own)(mutator))
        super().__init_subclass__(**kwargs)

    def _check_instruction(self, step: str, on: date | None) -> None:
        """Refuse `step` ("give an instruction", "answer an instruction") in the aggregate's
        present state, and a business date `on` (for a new instruction) too early."""

    def instruct(self, text: str, on: date, audit: Audit, due: Deadline | None = None) -> int:
        """批示 on business date `on`, to be answered by `due`; its number."""
        self._check_instruction("give an instruction", on)
        text = require_text(text, "text")
        if due is not None:
            check_deadline(due, on, "instruction deadline")
        number = len(self.instructions) + 1
        self._instructed(number=number, text=text, on=on, due=due, audit=audit)
        return number

    def answer_instruction(self, number: int, text: str, on: date, audit: Audit) -> None:
        """落实情况: answer instruction `number` (again, as its implementation goes on)."""
        self._check_instruction("answer an instruction", None)
        instruction = self.instruction(number)
        require_not_before(on, instruction["given_on"], "answer date", "instruction date")
        self._answered(number=number, text=require_text(text, "text"), on=on, audit=audit)

    def instruction(self, number: int) -> dict[str, Any]:
        """Instruction `number`, or a refusal naming how many there are."""
        if not 1 <= number <= len(self.instructions):
            msg = (f"{self.noun} has no instruction (批示) #{number}; it has "
                   f"{len(self.instructions)} / 无第{number}号批示")
            raise RuleViolation(msg)
        return self.instructions[number - 1]

    def instruction_steps(self) -> list[str]:
        """`instructions/answer` once there is an instruction to answer."""
        return ["instructions/answer"] if self.instructions else []

    def unanswered_instructions(self) -> list[dict[str, Any]]:
        return [i for i in self.instructions if i["answered_on"] is None]


class InstructedRecounted(Instructed):
    """Instructions whose provisional deadlines the aggregate recounts, each recount an
    InstructionDueRecomputed event of its own (a project recounts its instructions' with its
    problems', by its DeadlineRecomputed)."""

    InstructionDueRecomputed: TypeAlias = InstructionDueRecomputed

    instruction_events = (
        *Instructed.instruction_events,
        (InstructionDueRecomputed, "_instruction_due_recomputed", due_recomputed))
    _instruction_due_recomputed: Callable[..., None]

    def provisional_instruction_deadlines(self) -> list[tuple[int, Deadline]]:
        """(number, deadline) of each unanswered instruction whose deadline is provisional."""
        return [(i["number"], i["deadline"]) for i in self.unanswered_instructions()
                if i["deadline"] is not None and i["deadline"].provisional]

    def recompute_instruction_due(self, number: int, fresh: Deadline, on: date,
                                  audit: Audit) -> None:
        """Recount instruction `number`'s provisional deadline with the official calendar."""
        instruction = self.instruction(number)
        current = instruction["deadline"]
        if current is None or instruction["answered_on"] is not None:
            msg = (f"instruction #{number} has no running deadline to recompute / "
                   f"第{number}号批示没有需要重算的期限")
            raise RuleViolation(msg)
        checked = check_recomputed_deadline(fresh, current, "instruction deadline")
        self._instruction_due_recomputed(number=number, deadline=checked,
                                         previous_due=current.due, on=on, audit=audit)
