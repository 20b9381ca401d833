"""Schemas shared by every resource."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StepBody(Body):
    on: date | None = Field(None, description="Business date of the step (default: today, "
                            "Asia/Shanghai); may be in the past for 补录, never in the future.")


class ActorPublic(BaseModel):
    id: str | None
    name: str | None
    role: str | None
    unit: str | None


class HistoryEntryPublic(BaseModel):
    version: int
    type: str
    label: str = Field(description="Chinese name of the step")
    recorded_at: datetime = Field(description="System time the event was recorded (UTC)")
    actor: ActorPublic
    correlation_id: str
    data: dict[str, Any]


class UnitPublic(BaseModel):
    code: str
    name: str
    kind: str
