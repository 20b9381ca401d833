"""批示 schemas shared by every case type that takes leaders' instructions."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from api.schemas.common import StepBody


class InstructBody(StepBody):
    text: str = Field(min_length=1, max_length=4000, description="批示内容")
    due: date | None = Field(None, description="Answer by this date (not before `on`); "
                             "default: LEDGER_INSTRUCTION_DAYS working days (工作日) from `on`")


class AnswerBody(StepBody):
    text: str = Field(min_length=1, max_length=4000, description="落实情况")


class AnswerPublic(BaseModel):
    text: str
    on: date
    by: str | None = Field(description="Who recorded it (none for answers recorded before "
                           "answers were kept one by one)")
    unit: str | None


class InstructionPublic(BaseModel):
    number: int
    text: str
    given_on: date
    leader: str
    due: date | None = Field(None, description="Answer by (working days 工作日, or the date "
                             "the leader named)")
    answered_on: date | None = Field(description="Date of the first answer, which answered "
                                     "the instruction")
    answer: str | None = Field(description="The first answer")
    answers: list[AnswerPublic] = Field(description="Every answer (落实情况), in order")
