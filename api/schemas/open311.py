"""Open311 GeoReport v2 documents as the OpenAPI document shows them: the JSON form of each
(api/open311_format.py renders them; the XML form has the same elements), the filing form
and the formats. For documentation: the routes answer the rendered documents."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.complaint import Category
from domain.shared import MAX_TEXT

TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"  # the control characters refused
SERVICE_CODES = list(Category.labels())


class EndpointDocument(BaseModel):
    specification: str
    url: str
    changeset: str
    type: Literal["production"]
    formats: list[str]


class DiscoveryDocument(BaseModel):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[EndpointDocument]


class ServiceDocument(BaseModel):
    service_code: Category
    service_name: str
    description: str
    metadata: bool
    type: Literal["realtime"]
    keywords: str
    group: str


class AttributeValueDocument(BaseModel):
    key: str
    name: str


class AttributeDocument(BaseModel):
    variable: bool
    code: str
    datatype: Literal["singlevaluelist"]
    required: bool
    datatype_description: str
    order: int
    description: str
    values: list[AttributeValueDocument]


class ServiceDefinitionDocument(BaseModel):
    service_code: Category
    attributes: list[AttributeDocument]


class ServiceRequestDocument(BaseModel):
    service_request_id: str = Field(description="The receipt code (回执码)")
    status: Literal["open", "closed"]
    status_notes: str
    service_name: str
    service_code: Category
    description: str | None = Field(description="Only for accounts that may read it")
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str = Field(json_schema_extra={"format": "date-time"})
    updated_datetime: str = Field(json_schema_extra={"format": "date-time"})
    expected_datetime: str | None
    address: None
    lat: None
    long: None


class CreatedDocument(BaseModel):
    service_request_id: str = Field(description="The receipt code (回执码)")
    service_notice: str
    account_id: str | None


def answers(model: Any, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """A success answer: `model` as JSON, the same elements as XML."""
    return {status: {"model": model, "description": "The document, as the path's format",
                     "content": {"text/xml": {"schema": {"type": "string"}}}}}


def _text(limit: int, description: str, *, minimum: int = 0) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit, "minLength": minimum, "pattern": TEXT,
            "description": description}


FILING_FORM: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": {
        "type": "object",
        "required": ["service_code", "description"],
        "properties": {
            "service_code": {"type": "string", "enum": SERVICE_CODES},
            "description": {**_text(MAX_TEXT, "投诉内容", minimum=1), "pattern": r"\S"},
            "first_name": _text(60, "名 (given name)"),
            "last_name": _text(60, "姓 (family name): with first_name (at most 60 "
                               "together) the complainant's name; neither makes the "
                               "complaint anonymous"),
            "phone": {"type": "string", "pattern": r"^(\s*\+?[0-9][0-9 -]{4,19}\s*)?$",
                      "description": "Only with a name (empty: none)"},
            "attribute[respondent_unit]": {
                "type": "string", "description": "被投诉单位: a unit code, as the service "
                "definition lists them (default tcj)"},
            "api_key": {"type": "string", "description": "An account's token: the account "
                        "files the complaint (else a public website complaint)"},
            **{name: {"description": "Accepted and ignored, whatever it holds"}
               for name in ("email", "lat", "long", "address_string", "address_id",
                            "media_url", "device_id", "jurisdiction_id")},
        },
        # A phone without a name is refused: someone to call back needs a name.
        "dependentSchemas": {"phone": {"anyOf": [
            {"required": ["last_name"]}, {"required": ["first_name"]},
            {"properties": {"phone": {"maxLength": 0}}}]}},
    }}}}}
