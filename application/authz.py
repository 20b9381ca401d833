"""Who may do what: one place for role and unit rules of every context."""

from __future__ import annotations

from dataclasses import dataclass

from application.context import Caller
from application.errors import Forbidden
from domain.complaint import Complaint
from domain.project import Project

READ_ALL_PROJECTS = frozenset({"admin", "bureau", "leader", "supervisor", "park_office", "agent"})
MANAGE_PROJECTS = frozenset({"admin", "bureau"})


def deny(caller: Caller, action: str) -> Forbidden:
    where = f" of unit {caller.unit}" if caller.unit else ""
    return Forbidden(f"role {caller.role}{where} may not {action} / 无权操作")


def require_role(caller: Caller, roles: frozenset[str], action: str) -> None:
    if caller.role not in roles:
        raise deny(caller, action)


def project_scope(caller: Caller) -> str | None:
    """The unit a caller's project reads are limited to; None means every project."""
    if caller.role in READ_ALL_PROJECTS:
        return None
    if caller.role == "unit" and caller.unit:
        return caller.unit
    raise deny(caller, "read projects")


def can_read_project(caller: Caller, project: Project) -> bool:
    scope = project_scope(caller)
    return scope is None or scope in (project.responsible_unit, project.county)


def require_read_project(caller: Caller, project: Project) -> None:
    if not can_read_project(caller, project):
        raise deny(caller, "read a project of another unit")


def require_manage_project(caller: Caller) -> None:
    require_role(caller, MANAGE_PROJECTS, "register or change projects")


def require_handle_project(caller: Caller, project: Project, action: str) -> None:
    """Handling steps: the responsible unit for its own projects, or bureau staff."""
    if caller.role in MANAGE_PROJECTS:
        return
    if caller.role == "unit" and caller.unit == project.responsible_unit:
        return
    raise deny(caller, f"{action} for a project its unit is not responsible for")


def require_instruct(caller: Caller) -> None:
    require_role(caller, frozenset({"leader"}), "give instructions (批示)")


def require_comment_project(caller: Caller, project: Project) -> None:
    require_read_project(caller, project)


# --- complaints (营商环境投诉举报) ---------------------------------------------------------

READ_ALL_COMPLAINTS = frozenset({"admin", "bureau", "supervisor", "leader"})
PERSONAL_DATA_ROLES = frozenset({"bureau", "supervisor"})
HANDLE_INTAKE = frozenset({"admin", "bureau"})  # accept, decline, assign
SUPERVISE = frozenset({"admin", "supervisor"})  # extensions, urge, callback, close
READ_STATS = frozenset({"admin", "bureau", "supervisor", "leader"})


@dataclass(frozen=True)
class ComplaintScope:
    """Which complaints a caller may read: all (both None), a unit's, or an enterprise's."""

    unit: str | None = None
    enterprise: str | None = None


def complaint_scope(caller: Caller) -> ComplaintScope:
    if caller.role in READ_ALL_COMPLAINTS:
        return ComplaintScope()
    if caller.role == "unit" and caller.unit:
        return ComplaintScope(unit=caller.unit)
    if caller.role == "enterprise" and caller.enterprise:
        return ComplaintScope(enterprise=caller.enterprise)
    raise deny(caller, "read complaints")


def can_read_complaint(caller: Caller, complaint: Complaint) -> bool:
    scope = complaint_scope(caller)
    if scope.unit is not None:
        return scope.unit == complaint.assigned_unit
    if scope.enterprise is not None:
        return scope.enterprise == complaint.filed_by_enterprise
    return True


def require_read_complaint(caller: Caller, complaint: Complaint) -> None:
    if not can_read_complaint(caller, complaint):
        raise deny(caller, "read a complaint not assigned to or filed by it")


def sees_personal_data(caller: Caller) -> bool:
    """Complainant contact details are shown only to bureau and supervision staff."""
    return caller.role in PERSONAL_DATA_ROLES


def require_assigned_unit(caller: Caller, complaint: Complaint, action: str) -> None:
    if caller.role == "unit" and caller.unit and caller.unit == complaint.assigned_unit:
        return
    raise deny(caller, f"{action}: only the unit the complaint is assigned to may")


def require_read_stats(caller: Caller) -> None:
    require_role(caller, READ_STATS, "read statistics")


def supervision_scope(caller: Caller) -> str | None:
    """The unit a caller's supervision view is limited to; None means every unit."""
    if caller.role in READ_STATS:
        return None
    if caller.role == "unit" and caller.unit:
        return caller.unit
    raise deny(caller, "read the supervision view")
