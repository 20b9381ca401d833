"""Checking a proof offline: with only signed checkpoints, the proof and the public key —
no database, no data key. The roots trusted are the checkpoints', never the proof's own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from application.audit import ConsistencyProof, InclusionProof
from application.audit_verify import event_type
from application.checkpoints import Checkpoint
from application.merkle import verify_consistency, verify_inclusion


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str


def _signed(checkpoints: Sequence[Checkpoint], size: int,
            key: Ed25519PublicKey) -> Checkpoint | Verdict:
    """The checkpoint of `size` entries among those given, its signature checked."""
    found = [cp for cp in checkpoints if cp.tree_size == size]
    if not found:
        sizes = ", ".join(str(cp.tree_size) for cp in checkpoints) or "none"
        return Verdict(False, f"no checkpoint of tree_size {size} was given (given: {sizes})")
    problem = found[0].signature_problem(key)
    return Verdict(False, f"checkpoint of tree_size {size}: {problem}") if problem else found[0]


def check_inclusion(proof: InclusionProof, checkpoints: Sequence[Checkpoint],
                    key: Ed25519PublicKey) -> Verdict:
    checkpoint = _signed(checkpoints, proof.tree_size, key)
    if isinstance(checkpoint, Verdict):
        return checkpoint
    entry = proof.entry
    if entry.position != proof.position:
        return Verdict(False, f"the proof is for position {proof.position}, its entry names "
                       f"position {entry.position}")
    if entry.leaf_hash() != proof.leaf_hash:
        return Verdict(False, "the proof's leaf_hash is not the leaf hash of its entry")
    if not verify_inclusion(proof.leaf_index, proof.tree_size, entry.leaf_hash(), proof.proof,
                            bytes.fromhex(checkpoint.root_hash)):
        return Verdict(False, (
            f"the audit path of leaf #{proof.leaf_index} does not lead to the root the "
            f"checkpoint of {checkpoint.recorded_at} signed: the event is not in that log as "
            "stated"))
    return Verdict(True, (
        f"position {entry.position} (item {entry.originator_id} version "
        f"{entry.originator_version}, {event_type(entry.topic)}, state SHA-256 "
        f"{entry.state_hash.hex()[:16]}…) is entry #{proof.leaf_index} of the log of "
        f"{proof.tree_size} entries signed {checkpoint.recorded_at} by key {checkpoint.key_id}"))


def check_consistency(proof: ConsistencyProof, checkpoints: Sequence[Checkpoint],
                      key: Ed25519PublicKey) -> Verdict:
    older = _signed(checkpoints, proof.first, key)
    if isinstance(older, Verdict):
        return older
    newer = _signed(checkpoints, proof.second, key)
    if isinstance(newer, Verdict):
        return newer
    if not verify_consistency(proof.first, proof.second, bytes.fromhex(older.root_hash),
                              bytes.fromhex(newer.root_hash), proof.proof):
        return Verdict(False, (
            f"the log of {proof.second} entries (checkpoint of {newer.recorded_at}) is not "
            f"proven to extend the log of {proof.first} entries (checkpoint of "
            f"{older.recorded_at}): the older entries were changed, or the proof is not "
            "for these checkpoints"))
    return Verdict(True, (
        f"the log of {proof.second} entries signed {newer.recorded_at} extends the log of "
        f"{proof.first} entries signed {older.recorded_at}, unchanged (key {newer.key_id})"))
