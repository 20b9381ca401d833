"""Schemas of the key lists (重点项目清单, 重点企业名单): one designation, a whole list."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, Field, create_model

from api.schemas.common import StepBody
from application.key_lists import MAX_LIST


class KeyYearBody(StepBody):
    """Put on (列入) or take off (移出) a year's key list, saying why."""

    year: int = Field(ge=2000, le=2100, description="The list's year")
    reason: str = Field(min_length=1, max_length=4000, description="Why (理由)")


class KeyListBody(StepBody):
    """A whole year's list, all or nothing: the items are named by `ids_field`."""

    ids_field: ClassVar[str]
    year: int = Field(ge=2000, le=2100, description="The list's year")
    reason: str = Field(min_length=1, max_length=4000, description="Why they are listed "
                        "(e.g. the document that decided the list)")

    def arguments(self) -> dict[str, Any]:
        return {"year": self.year, "ids": getattr(self, self.ids_field),
                "reason": self.reason, "on": self.on}


def key_list_body(name: str, ids_field: str, what: str) -> type[KeyListBody]:
    """The body of a whole list of `what` (projects, enterprises), named by `ids_field`."""
    ids: Any = (list[UUID], Field(min_length=1, max_length=MAX_LIST,
                                  description=f"The {what} to list, each once"))
    model = create_model(name, __base__=KeyListBody, __module__=__name__, **{ids_field: ids})
    model.ids_field = ids_field
    return model


ProjectListBody = key_list_body("ProjectListBody", "project_ids", "projects")
EnterpriseListBody = key_list_body("EnterpriseListBody", "enterprise_ids", "enterprises")


class KeyListPublic(BaseModel):
    year: int
    reason: str
    on: date = Field(description="Business date of the designations")
    ids: list[UUID] = Field(description="The items designated, in the order given")
    count: int
    position: int = Field(description="Global log position of the last designation")


REPORT_COLUMNS: dict[str, Any] = {
    "report_period": Annotated[str, Field(description="信息报送: the period the columns are "
                                          "for (report_period, default: the last ended)")],
    "report_due": Annotated[date, Field(description="Its report is due on this day")],
    "report_status": Annotated[str | None, Field(
        description="reported 已报送 / late 逾期报送 / missing 未报送; none when the project "
        "owes no report for the period (not on that year's key-project list)")],
    "report_status_label": str | None,
    "report_filed_on": Annotated[date | None, Field(
        description="Business date of the first report answering the period")],
}
"""The project ledger's 信息报送 columns, judged when read (application/reporting.py)."""
