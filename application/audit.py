"""审计链 for auditors: signed checkpoints of the chain and Merkle proofs over the log —
that an event is in it (inclusion) and that a later log extends an earlier one
(consistency) — which they check offline against checkpoints they keep.

The Merkle tree's level hashes are cached in memory and grown from the chain table as the
log grows, so a proof costs O(log² n) hashes and reads only the new links.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from application import policy
from application.audit_chain import GENESIS, ChainEntry, ChainLink
from application.checkpoints import Checkpoint, Signer
from application.context import Caller
from application.errors import ChainBroken, NotConfigured
from application.merkle import Levels, consistency_proof, inclusion_proof, root
from domain.errors import InvalidValue

NO_KEY = ("no signing key is configured: set LEDGER_SIGNING_KEY (make one with "
          "`investledger audit keygen`) / 未配置签名密钥，无法签发审计检查点")
NO_CHAIN = "this store keeps no audit chain (in-memory store) / 内存存储没有审计链"


@dataclass(frozen=True)
class InclusionProof:
    position: int
    leaf_index: int
    tree_size: int
    entry: ChainEntry
    leaf_hash: bytes
    root_hash: bytes
    proof: list[bytes]


@dataclass(frozen=True)
class ConsistencyProof:
    first: int
    second: int
    first_root: bytes
    second_root: bytes
    proof: list[bytes]


class AuditChain:
    """Checkpoints and proofs over the ledger's chain (supervisor and admin accounts)."""

    def __init__(self, recorder: Any, signer: Signer | None) -> None:
        self.recorder = recorder if hasattr(recorder, "chain") else None
        self.signer = signer
        self.levels = Levels()
        self.lock = threading.Lock()

    def use_key(self, signer: Signer) -> None:
        self.signer = signer

    def _head(self) -> ChainLink | None:
        if self.recorder is None:
            raise NotConfigured(NO_CHAIN)
        with self.recorder.datastore.transaction(commit=False) as c:
            head: ChainLink | None = self.recorder.chain.last_link(c)
        return head

    def size(self) -> int:
        head = self._head()
        return head.leaf_index + 1 if head else 0

    def _grown(self, size: int) -> Levels:
        """The cached levels, grown to at least `size` leaves (call with the lock held)."""
        if self.levels.size < size:
            assert self.recorder is not None
            for link in self.recorder.chain.iter_links(
                    lambda: self.recorder.datastore.transaction(commit=False),
                    self.levels.size):
                if link.leaf_index != self.levels.size:
                    msg = (f"audit chain entry #{self.levels.size} is missing; run "
                           "`investledger audit verify` / 审计链缺少条目，请核验")
                    raise ChainBroken(msg)
                self.levels.append(link.entry.leaf_hash())
        return self.levels

    def checkpoint(self, caller: Caller) -> Checkpoint:
        """The chain's head and the log's Merkle root now, signed."""
        policy.require(caller, "audit.read")
        return self.sign_head()

    def sign_head(self) -> Checkpoint:
        if self.signer is None:
            raise NotConfigured(NO_KEY)
        head = self._head()
        size = head.leaf_index + 1 if head else 0
        with self.lock:
            merkle_root = root(self._grown(size), size)
        recorded_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        return self.signer.sign(head.entry.position if head else 0, size,
                                head.hash if head else GENESIS, merkle_root, recorded_at)

    def inclusion(self, caller: Caller, position: int, tree_size: int) -> InclusionProof:
        """That the event at log `position` is in the log of `tree_size` entries."""
        policy.require(caller, "audit.read")
        self._require_size(tree_size, "tree_size")
        assert self.recorder is not None
        with self.recorder.datastore.transaction(commit=False) as c:
            link = self.recorder.chain.link_at_position(c, position)
        if link is None:
            msg = f"position {position} is not an event of the log / 该位置没有事件"
            raise InvalidValue(msg)
        if link.leaf_index >= tree_size:
            msg = (f"position {position} is chain entry #{link.leaf_index}, not among the first "
                   f"{tree_size} entries (tree_size) / 该事件不在所指定的树规模之内")
            raise InvalidValue(msg)
        with self.lock:
            levels = self._grown(tree_size)
            path = inclusion_proof(levels, link.leaf_index, tree_size)
            merkle_root = root(levels, tree_size)
        return InclusionProof(position, link.leaf_index, tree_size, link.entry,
                              link.entry.leaf_hash(), merkle_root, path)

    def consistency(self, caller: Caller, first: int, second: int) -> ConsistencyProof:
        """That the log of `second` entries extends the log of `first` entries."""
        policy.require(caller, "audit.read")
        if first > second:
            msg = (f"from ({first}) must not exceed to ({second}) / 起始规模不能大于结束规模")
            raise InvalidValue(msg)
        self._require_size(second, "to")
        with self.lock:
            levels = self._grown(second)
            path = consistency_proof(levels, first, second)
            return ConsistencyProof(first, second, root(levels, first), root(levels, second),
                                    path)

    def _require_size(self, size: int, name: str) -> None:
        current = self.size()
        if size > current:
            msg = (f"{name} {size} is beyond the chain's {current} entries / "
                   "超出审计链现有条目数")
            raise InvalidValue(msg)
