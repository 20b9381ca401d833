"""Health and reference data."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, CurrentCaller
from api.schemas.common import UnitPublic

router = APIRouter()


@router.get("/healthz", tags=["meta"], summary="Liveness: no auth")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/api/v1/units", response_model=list[UnitPublic], tags=["units 单位"],
            summary="Unit reference list")
def units(_caller: CurrentCaller, c: ContainerDep) -> list[UnitPublic]:
    return [UnitPublic(code=u.code, name=u.name, kind=u.kind) for u in c.units.all()]
