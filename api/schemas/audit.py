"""Schemas of the audit chain's checkpoints and proofs: what the API answers and what
`investledger audit verify-proof` reads back from files, one shape for both."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from application.audit import ConsistencyProof, InclusionProof
from application.audit_chain import ChainEntry
from application.checkpoints import Checkpoint

Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256, lowercase hex")]
Size = Annotated[int, Field(ge=0, le=2**62)]


class CheckpointPublic(BaseModel):
    """A signed checkpoint: keep it outside the system (README, Audit)."""

    model_config = ConfigDict(extra="forbid")

    position: Size = Field(description="Log position of the chain's head (0: empty log)")
    head_hash: Hash = Field(description="The head's chain hash")
    tree_size: Size = Field(description="Entries in the chain and leaves of the Merkle tree")
    root_hash: Hash = Field(description="RFC 6962 Merkle tree hash of those entries")
    recorded_at: str = Field(description="When it was signed, UTC (ISO 8601)")
    key_id: str = Field(pattern=r"^[0-9a-f]{16}$",
                        description="First 16 hex digits of SHA-256 of the raw public key")
    signature: str = Field(description="Ed25519 signature (base64) of the checkpoint's "
                           "message (README, Audit)")

    @classmethod
    def of(cls, checkpoint: Checkpoint) -> CheckpointPublic:
        return cls.model_validate(checkpoint.as_dict())

    def checkpoint(self) -> Checkpoint:
        return Checkpoint.from_dict(self.model_dump())


class ChainEntryPublic(BaseModel):
    """The chained fields of one event; its leaf hash is SHA-256(0x00 || entry bytes)."""

    model_config = ConfigDict(extra="forbid")

    position: Size
    originator_id: UUID
    originator_version: Size
    topic: str
    state_sha256: Hash = Field(description="SHA-256 of the event's stored state bytes")

    @classmethod
    def of(cls, entry: ChainEntry) -> ChainEntryPublic:
        return cls(position=entry.position, originator_id=entry.originator_id,
                   originator_version=entry.originator_version, topic=entry.topic,
                   state_sha256=entry.state_hash.hex())

    def entry(self) -> ChainEntry:
        return ChainEntry(self.position, self.originator_id, self.originator_version,
                          self.topic, bytes.fromhex(self.state_sha256))


class InclusionProofPublic(BaseModel):
    """RFC 6962 audit path: the event at `position` is leaf `leaf_index` of the log's tree of
    `tree_size` leaves."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["inclusion"] = "inclusion"
    position: Size
    leaf_index: Size
    tree_size: Size
    entry: ChainEntryPublic
    leaf_hash: Hash
    root_hash: Hash
    proof: list[Hash] = Field(description="The audit path, leaf to root")

    @classmethod
    def of(cls, p: InclusionProof) -> InclusionProofPublic:
        return cls(position=p.position, leaf_index=p.leaf_index, tree_size=p.tree_size,
                   entry=ChainEntryPublic.of(p.entry), leaf_hash=p.leaf_hash.hex(),
                   root_hash=p.root_hash.hex(), proof=[h.hex() for h in p.proof])

    def proven(self) -> InclusionProof:
        return InclusionProof(self.position, self.leaf_index, self.tree_size, self.entry.entry(),
                              bytes.fromhex(self.leaf_hash), bytes.fromhex(self.root_hash),
                              [bytes.fromhex(h) for h in self.proof])


class ConsistencyProofPublic(BaseModel):
    """RFC 6962 consistency proof: the log of `to` entries extends the log of `from`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kind: Literal["consistency"] = "consistency"
    first: Size = Field(alias="from")
    second: Size = Field(alias="to")
    from_root: Hash
    to_root: Hash
    proof: list[Hash]

    @classmethod
    def of(cls, p: ConsistencyProof) -> ConsistencyProofPublic:
        return cls(first=p.first, second=p.second, from_root=p.first_root.hex(),
                   to_root=p.second_root.hex(), proof=[h.hex() for h in p.proof])

    def proven(self) -> ConsistencyProof:
        return ConsistencyProof(self.first, self.second, bytes.fromhex(self.from_root),
                                bytes.fromhex(self.to_root), [bytes.fromhex(h) for h in self.proof])
