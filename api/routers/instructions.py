"""批示 steps, the same on every case type that takes leaders' instructions."""

from __future__ import annotations

from api.routers.common import Step
from api.schemas.instructions import AnswerBody, InstructBody

STEPS = (
    Step("/instruct", "instruct", InstructBody, "Leader's written instruction (批示)",
         description="A leader's instruction, to be answered by `due` or by the configured "
         "working days (LEDGER_INSTRUCTION_DAYS); answers with the instruction's number in "
         "the state's `instructions`."),
    Step("/instructions/{number}/answer", "answer_instruction", AnswerBody,
         "Answer an instruction (批示落实反馈)",
         description="The unit handling the item (or bureau staff); an instruction may be "
         "answered again as its implementation goes on, every answer is kept."),
)
