"""Health and reference data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.deps import ContainerDep, CurrentCaller
from api.errors import DATABASE_ERRORS
from api.openapi import EVERY_ACCOUNT, ROLES
from api.schemas.common import UnitPublic
from projections.follower import Failure

router = APIRouter()


@router.get("/healthz", tags=["meta"], summary="Liveness: no auth")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", tags=["meta"], summary="Readiness: the database and each projection",
            responses={503: {"description": "The database is unreachable or a projection "
                             "is stopped before an event it cannot apply"}})
def readyz(c: ContainerDep, response: Response) -> dict[str, Any]:
    """Ready (200) when the database answers and no projection is stopped; each
    projection's position, lag behind the head of the log and failure, if any. No auth:
    it says nothing about the items."""
    try:
        head = c.ledger.head()
        failures = c.follower.failures()
        projections = [_projection(c, name, head, failures.get(name))
                       for name in c.follower.projections]
    except DATABASE_ERRORS as exc:
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return {"status": "unavailable", "database": f"unreachable: {type(exc).__name__}"}
    ready = not failures
    response.status_code = 200 if ready else 503
    return {"status": "ready" if ready else "degraded", "database": "ok", "head": head,
            "projections": projections}


def _projection(c: ContainerDep, name: str, head: int, failure: Failure | None
                ) -> dict[str, Any]:
    position = c.follower.position(name)
    return {"name": name, "position": position, "behind": head - position,
            "stopped": None if failure is None else {
                "before_position": failure.position, "event": failure.event,
                "error": failure.error, "since": failure.failed_at}}


@router.get("/api/v1/units", response_model=list[UnitPublic], tags=["units 单位"],
            summary="Unit reference list", openapi_extra={ROLES: EVERY_ACCOUNT})
def units(_caller: CurrentCaller, c: ContainerDep) -> list[UnitPublic]:
    return [UnitPublic(code=u.code, name=u.name, kind=u.kind) for u in c.units.all()]
