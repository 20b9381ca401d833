"""Schemas shared by every resource."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, get_args, get_type_hints

from eventsourcing.domain import Aggregate
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    computed_field,
    create_model,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import SkipJsonSchema

from domain.shared import Labelled

# 统一社会信用代码 as the server reads it (blanks around it ignored, any case); what the
# pattern cannot say — the check characters of GB 32100 — is refused with 422 naming the part.
CREDIT_CODE_PATTERN = (r"^\s*[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{2}[0-9]{6}"
                       r"[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{10}\s*$")
CREDIT_CODE_DESCRIPTION = ("统一社会信用代码: 18 characters of GB 32100, every part checked "
                           "(registration authority and type, a province's division code, "
                           "the organisation code's check digit, the check character); a "
                           "wrong code is refused (422) naming the wrong part")


class Body(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def arguments(self) -> dict[str, Any]:
        """The use case's keyword arguments: the fields by name (nested models as given)."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class StepBody(Body):
    on: date | None = Field(None, description="Business date of the step (default: today, "
                            "Asia/Shanghai); may be in the past for 补录, never in the future.")


class RevisionBody(StepBody):
    """A revision: the fields given change, with an optional reason."""

    reason: str | None = Field(None, max_length=4000)

    def arguments(self) -> dict[str, Any]:
        changes = self.model_dump(exclude_unset=True, exclude={"reason", "on"})
        return {"changes": changes, "reason": self.reason, "on": self.on}


def revision_of(create: type[Body], *, exclude: Collection[str] = ()) -> type[RevisionBody]:
    """The revision body of an item whose creation body is `create`: each of its fields but
    `exclude` (and `on`, which every step has), optional, with the same constraints."""
    fields: dict[str, Any] = {}
    for name, info in create.model_fields.items():
        if name not in {*exclude, *StepBody.model_fields}:
            annotation: Any = info.annotation
            fields[name] = (annotation | None, FieldInfo.merge_field_infos(
                info, default=None, default_factory=None))
    model: type[RevisionBody] = create_model(
        create.__name__.removesuffix("Create") + "Revise", __base__=RevisionBody,
        __module__=create.__module__, **fields)
    return model


@dataclasses.dataclass(frozen=True)
class ValueOf:
    """The type of a correctable field's value, and how a refusal names it in English and
    in Chinese."""

    kind: Any
    english: str  # "a date (YYYY-MM-DD)"
    chinese: str  # "日期 (YYYY-MM-DD)"

    def check(self, value: Any, field: Labelled) -> Any:
        try:
            return TypeAdapter(self.kind).validate_python(value)
        except ValidationError:
            msg = (f"value of {field} must be {self.english}, got {value!r}"
                   f" / {field.label}须为{self.chinese}")
            raise ValueError(msg) from None


class CorrectionBody(StepBody):
    """更正: a fact recorded wrongly, put right. Made by `correction_body` for each case
    type: `field` names the fact (the case type's enum), `value` is its right value, read
    here as the field's type (`VALUES`) and checked by the domain's rules, and `reason`
    says why."""

    VALUES: ClassVar[Mapping[str, ValueOf]] = {}

    @field_validator("value", check_fields=False)
    @classmethod
    def _value_of_the_field(cls, value: Any, info: ValidationInfo) -> Any:
        field = info.data.get("field")
        return value if field is None else cls.VALUES[field].check(value, field)


def correction_body(name: str, fields: type[Labelled], values: Mapping[str, ValueOf],
                    module: str) -> type[CorrectionBody]:
    """The body of a case type's `/correct` step: `{field, value, reason, on?}`, where
    `field` is one of `fields` (an enum in the OpenAPI document) and `values` gives the type
    of each field's value."""
    kinds = "; ".join(f"{f.value} ({f.label}): {values[f].english}" for f in fields)
    model: type[CorrectionBody] = create_model(
        name, __base__=CorrectionBody, __module__=module,
        field=(fields, Field(description="The field recorded wrongly (更正项)")),
        value=(Any, Field(description=f"Its right value, by field: {kinds}",
                          json_schema_extra={"type": ["string", "number", "null"]})),
        reason=(str, Field(min_length=1, max_length=4000, description="Why (更正原因)")))
    model.VALUES = values
    return model


DATE_VALUE = ValueOf(date, "a date (YYYY-MM-DD)", "日期 (YYYY-MM-DD)")


class DeadlinePublic(BaseModel):
    start: date
    working_days: int
    due: date
    calendar_version: str
    provisional: bool


class ActorPublic(BaseModel):
    id: str | None
    name: str | None
    role: str | None
    role_label: str | None = Field(None, description="The role's Chinese name (角色)")
    unit: str | None


class HistoryEntryPublic(BaseModel):
    version: int
    type: str
    label: str = Field(description="Chinese name of the step")
    recorded_at: datetime = Field(description="System time the event was recorded (UTC)")
    actor: ActorPublic
    correlation_id: str
    data: dict[str, Any]


class FieldError(BaseModel):
    field: str = Field(description="Where: a body field (`contacts.0.phone`), `query.NAME`, "
                       "`path.NAME` or `header.NAME`")
    message: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (`application/problem+json`): every refusal of
    the API but Open311's. Members beyond these may be added; clients ignore what they do
    not know."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem, one per status",
                      json_schema_extra={"format": "uri"})
    title: str = Field(description="Short summary of the kind, English / 中文")
    status: int = Field(ge=400, le=599, description="The HTTP status")
    detail: str = Field(description="What was wrong with this request, English / 中文")
    instance: str | SkipJsonSchema[None] = Field(None, description="The request's path")
    request_id: str | SkipJsonSchema[None] = Field(
        None, description="The request's X-Request-ID: quote it when reporting a problem")
    errors: list[FieldError] | SkipJsonSchema[None] = Field(
        None, description="422 for malformed input: each field refused and why")


class UnitPublic(BaseModel):
    code: str
    name: str
    kind: str


def labels(**codes: Any) -> type[BaseModel]:
    """A base for a public schema that shows codes with their Chinese labels: each
    `field=Codes` (a `Labelled` enum, or `Codes | None` for a code that may be missing) gives
    the field, as its code, and the computed field `<field>_label`, the code's label."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations, "__module__": __name__}
    for field, declared in codes.items():
        enum = next(t for t in (declared, *get_args(declared))
                    if isinstance(t, type) and issubclass(t, Labelled))
        annotations[field] = str | None if type(None) in get_args(declared) else str
        namespace[f"{field}_label"] = computed_field(return_type=annotations[field])(
            property(_label_of(field, enum)))
    model: type[BaseModel] = type("Labels", (BaseModel,), namespace)
    return model


def _label_of(field: str, enum: type[Labelled]) -> Callable[[BaseModel], str | None]:
    def label(model: BaseModel) -> str | None:
        code = getattr(model, field)
        return None if code is None else enum(code).label

    return label


def public_schema(name: str, state: type, *, base: type[BaseModel] = BaseModel,
                  omit: Collection[str] = (), added: Mapping[str, Any] | None = None,
                  **richer: Any) -> type[BaseModel]:
    """The response schema of a state DTO (a dataclass): its fields, declared once there,
    but those in `omit`, with `richer` public types for some (nested schemas instead of
    plain dicts), then the `added` fields the state does not have (a ledger row's counts).
    Labels and other derived fields come from `base` (computed fields)."""
    hints = get_type_hints(state)
    fields: dict[str, Any] = {f.name: (richer.get(f.name, hints[f.name]), ...)
                              for f in dataclasses.fields(state) if f.name not in omit}
    fields.update({field: (kind, ...) for field, kind in (added or {}).items()})
    model: type[BaseModel] = create_model(name, __base__=base, __module__=base.__module__,
                                          **fields)
    return model


def recorded_schema(name: str, event: type, *, omit: Collection[str] = ("audit",)
                    ) -> type[BaseModel]:
    """The response schema of a record a state keeps as one event recorded it (an
    enterprise's visits): the fields the event class declares, without the envelope every
    event has (aggregate id, version, time) and `omit` (by default its audit context)."""
    envelope = {f.name for f in dataclasses.fields(Aggregate.Event)}
    return public_schema(name, event, omit={*envelope, *omit})


class ChangePublic(BaseModel):
    """One field of an item's state that differs between two versions."""

    model_config = ConfigDict(populate_by_name=True)

    field: str = Field(description="The field, dotted into objects and lists: `stage`, "
                       "`due.due`, `assignments.1.unit`")
    before: Any = Field(alias="from", description="Its value at from_version (null: none)")
    after: Any = Field(alias="to", description="Its value at to_version (null: none)")


class DiffPublic(BaseModel):
    """What changed in an item's state between two of its versions."""

    from_version: int
    to_version: int
    changes: list[ChangePublic]
