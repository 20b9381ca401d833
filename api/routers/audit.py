"""审计链: signed checkpoints and Merkle proofs (supervisor, admin), checked offline with
`investledger audit verify-proof`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ContainerDep, CurrentCaller
from api.errors import refusals
from api.schemas.audit import CheckpointPublic, ConsistencyProofPublic, InclusionProofPublic

router = APIRouter(prefix="/api/v1/audit", tags=["audit 审计"])


@router.get("/checkpoint", response_model=CheckpointPublic,
            summary="Sign a checkpoint of the audit chain's head (supervisor, admin)",
            responses=refusals({503: "No signing key is configured (LEDGER_SIGNING_KEY), the "
                                "store keeps no chain, or the database cannot be reached"}))
def checkpoint(caller: CurrentCaller, c: ContainerDep) -> CheckpointPublic:
    return CheckpointPublic.of(c.audit.checkpoint(caller))


@router.get("/proof", response_model=InclusionProofPublic,
            summary="Inclusion proof: the event at a position is in the log of tree_size "
            "entries (supervisor, admin)",
            responses=refusals({409: "The chain's stored links are not in sequence"}))
def proof(caller: CurrentCaller, c: ContainerDep,
          position: Annotated[int, Query(ge=1, le=2**62, description="The event's log position")],
          tree_size: Annotated[int, Query(ge=1, le=2**62, description=(
              "Entries of the log to prove against, as a checkpoint names them"))],
          ) -> InclusionProofPublic:
    return InclusionProofPublic.of(c.audit.inclusion(caller, position, tree_size))


@router.get("/consistency", response_model=ConsistencyProofPublic, response_model_by_alias=True,
            summary="Consistency proof: the log of `to` entries extends the log of `from` "
            "entries (supervisor, admin)",
            responses=refusals({409: "The chain's stored links are not in sequence"}))
def consistency(caller: CurrentCaller, c: ContainerDep,
                first: Annotated[int, Query(alias="from", ge=1, le=2**62, description=(
                    "The earlier tree size (an older checkpoint's)"))],
                second: Annotated[int, Query(alias="to", ge=1, le=2**62, description=(
                    "The later tree size (a newer checkpoint's)"))],
                ) -> ConsistencyProofPublic:
    return ConsistencyProofPublic.of(c.audit.consistency(caller, first, second))
