"""Who may do what: one place for role and unit rules of every context."""

from __future__ import annotations

from application.context import Caller
from application.errors import Forbidden
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
