"""Public website channel: file a complaint without an account, follow it by receipt code."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel

from api.deps import ContainerDep, public_filing, public_lookup
from api.schemas.complaints import PublicComplaintCreate, PublicReceipt
from domain.complaint import Complainant, ComplaintDetails

router = APIRouter(prefix="/api/v1/public/complaints", tags=["public 公众"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PublicReceipt,
             summary="File a complaint on the website channel (no account needed)",
             dependencies=[Depends(public_filing)])
def file_public(body: PublicComplaintCreate, c: ContainerDep, request: Request,
                response: Response) -> BaseModel:
    person = body.complainant
    details = ComplaintDetails(
        channel="website", category=body.category.value, content=body.content,
        respondent_unit=body.respondent_unit,
        complainant=Complainant(person.name, person.phone, person.enterprise) if person else None)
    result = c.complaints.file_public(details, request.state.request_id)
    response.headers["Location"] = f"/api/v1/public/complaints/{result.state.receipt}"
    response.headers["X-Ledger-Position"] = str(result.position)
    return PublicReceipt.model_validate(asdict(c.complaints.public_status(result.state.receipt)))


@router.get("/{receipt}", response_model=PublicReceipt,
            summary="Follow a complaint by its receipt code (no personal data)",
            dependencies=[Depends(public_lookup)])
def follow(receipt: str, c: ContainerDep) -> BaseModel:
    return PublicReceipt.model_validate(asdict(c.complaints.public_status(receipt)))
