"""Who may do what to enterprises (企业) and their requests (企业诉求)."""

from __future__ import annotations

from dataclasses import dataclass

from application.authz import deny, require_role
from application.context import Caller
from domain.enterprise import Enterprise
from domain.enterprise_request import EnterpriseRequest

READ_ALL = frozenset({"admin", "bureau", "supervisor", "leader"})
MANAGE = frozenset({"admin", "bureau"})  # register, revise, link leaders, record, assign
CLOSE = frozenset({"admin", "bureau", "supervisor"})
READ_STATS = READ_ALL


@dataclass(frozen=True)
class Scope:
    """What a caller may read: everything (both None), a unit's share or one enterprise's."""

    unit: str | None = None
    enterprise: str | None = None


def scope(caller: Caller, what: str) -> Scope:
    if caller.role in READ_ALL:
        return Scope()
    if caller.role == "unit" and caller.unit:
        return Scope(unit=caller.unit)
    if caller.role == "enterprise" and caller.enterprise:
        return Scope(enterprise=caller.enterprise)
    raise deny(caller, f"read {what}")


# --- enterprises -------------------------------------------------------------------------


def can_read_enterprise(caller: Caller, enterprise: Enterprise) -> bool:
    """Units read the enterprises of their county or zone; an enterprise reads itself."""
    seen = scope(caller, "enterprises")
    if seen.unit is not None:
        return seen.unit == enterprise.county
    if seen.enterprise is not None:
        return seen.enterprise == enterprise.credit_code
    return True


def require_read_enterprise(caller: Caller, enterprise: Enterprise) -> None:
    if not can_read_enterprise(caller, enterprise):
        raise deny(caller, "read another enterprise or one outside its county")


def require_manage_enterprise(caller: Caller) -> None:
    require_role(caller, MANAGE, "register or change enterprises")


def require_record_visit(caller: Caller, enterprise: Enterprise) -> None:
    """Bureau staff record any visit; a leader records visits to enterprises linked to them."""
    if caller.role in MANAGE:
        return
    if caller.role == "leader" and enterprise.leader == caller.name:
        return
    raise deny(caller, "record a visit (调研) to an enterprise not linked to it")


# --- requests ----------------------------------------------------------------------------


def can_read_request(caller: Caller, request: EnterpriseRequest) -> bool:
    """Units read the requests they are or were assigned (lead or co-unit); an enterprise
    reads its own."""
    seen = scope(caller, "enterprise requests")
    if seen.unit is not None:
        return seen.unit in units_ever_assigned(request)
    if seen.enterprise is not None:
        return seen.enterprise == request.credit_code
    return True


def units_ever_assigned(request: EnterpriseRequest) -> set[str]:
    units = set(request.assigned_units)
    for assignment in request.assignments:
        units.add(assignment["lead_unit"])
        units.update(assignment["co_units"])
    return units


def require_read_request(caller: Caller, request: EnterpriseRequest) -> None:
    if not can_read_request(caller, request):
        raise deny(caller, "read a request not assigned to or raised by it")


def require_raise_any(caller: Caller) -> None:
    """Before looking the enterprise up: only bureau staff and enterprises raise requests."""
    if caller.role not in MANAGE and caller.role != "enterprise":
        raise deny(caller, "raise enterprise requests")


def require_raise_request(caller: Caller, credit_code: str, source: str) -> None:
    """Bureau staff record requests from any source; an enterprise raises its own online."""
    if caller.role in MANAGE:
        return
    if caller.role == "enterprise" and caller.enterprise == credit_code:
        if source != "online":
            raise deny(caller, f"record a {source} request; enterprises raise requests online")
        return
    raise deny(caller, "raise a request for this enterprise")


def require_assign(caller: Caller) -> None:
    require_role(caller, MANAGE, "assign requests (交办)")


def progress_unit(caller: Caller, request: EnterpriseRequest, unit: str | None) -> str:
    """The unit a progress note is recorded for: the caller's own unit, or for bureau staff
    the given unit (default: the lead unit)."""
    if caller.role in MANAGE:
        return unit or request.lead_unit or ""
    if caller.role == "unit" and caller.unit in request.assigned_units:
        if unit and unit != caller.unit:
            raise deny(caller, f"note progress for unit {unit}")
        return caller.unit
    raise deny(caller, "note progress on a request its unit is not assigned")


def outcome_unit(caller: Caller, request: EnterpriseRequest) -> str:
    """The lead unit records the outcome (办理结果); bureau staff may record it for it."""
    if caller.role in MANAGE:
        return request.lead_unit or ""
    if caller.role == "unit" and caller.unit and caller.unit == request.lead_unit:
        return caller.unit
    raise deny(caller, "record the outcome; only the lead unit (牵头单位) may")


def require_feedback(caller: Caller, request: EnterpriseRequest) -> None:
    """The enterprise gives its feedback; bureau staff may record it on its behalf."""
    if caller.role in MANAGE:
        return
    if caller.role == "enterprise" and caller.enterprise == request.credit_code:
        return
    raise deny(caller, "give feedback on another enterprise's request")


def require_close(caller: Caller) -> None:
    require_role(caller, CLOSE, "close requests (办结)")


def require_read_stats(caller: Caller) -> None:
    require_role(caller, READ_STATS, "read request statistics")
