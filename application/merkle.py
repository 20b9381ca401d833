"""Merkle tree hashes and proofs of RFC 6962 §2.1, verified as RFC 9162 §2.1.3.2 and
§2.1.4.2 say: pure functions over the hashes of the tree's subtrees.

The algorithms are written against `Subtrees`, anything that answers MTH(D[start:end]) for the
tree's leaves; `Levels` answers it from cached level hashes, so a proof costs O(log² n)
hashes however large the log is, and `MerkleLeaves` answers it from a plain list (tests and
small trees).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256()


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class Subtrees(Protocol):
    def subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]), 0 <= start < end <= the number of leaves."""
        ...


def root(tree: Subtrees, size: int) -> bytes:
    """MTH(D[0:size])."""
    return tree.subtree(0, size) if size else EMPTY_ROOT


def inclusion_proof(tree: Subtrees, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 §2.1.1: the audit path of leaf `index`."""
    if not 0 <= index < size:
        msg = f"leaf index {index} is not in a tree of {size} leaves / 叶序号超出树规模"
        raise ValueError(msg)
    return _path(tree, index, 0, size)


def _path(tree: Subtrees, m: int, start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = split(n)
    if m < k:
        return [*_path(tree, m, start, start + k), tree.subtree(start + k, end)]
    return [*_path(tree, m - k, start + k, end), tree.subtree(start, start + k)]


def consistency_proof(tree: Subtrees, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 6962 §2.1.2 (SUBPROOF with b = true)."""
    if not 0 < first <= second:
        msg = (f"a consistency proof needs 0 < first <= second, got {first} and {second} "
               "/ 一致性证明须满足 0 < 起始规模 <= 结束规模")
        raise ValueError(msg)
    return _subproof(tree, first, 0, second, complete=True)


def _subproof(tree: Subtrees, m: int, start: int, end: int, *, complete: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [tree.subtree(start, end)]
    k = split(n)
    if m <= k:
        return [*_subproof(tree, m, start, start + k, complete=complete),
                tree.subtree(start + k, end)]
    return [*_subproof(tree, m - k, start + k, end, complete=False),
            tree.subtree(start, start + k)]


def _right_shift_until_odd(fn: int, sn: int) -> tuple[int, int]:
    """Right-shift fn and sn equally until LSB(fn) is set or fn is 0."""
    while fn and not fn & 1:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes],
                     expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: whether `proof` shows the leaf hash `leaf` at `index` of the tree
    of `size` leaves whose root is `expected_root`."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            fn, sn = _right_shift_until_odd(fn, sn)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected_root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: whether `proof` shows the tree of `first` leaves with root
    `first_root` to be a prefix of the tree of `second` leaves with root `second_root`."""
    if first == second:
        return first > 0 and not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first tree is a subtree of the second
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            fn, sn = _right_shift_until_odd(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


class MerkleLeaves:
    """MTH by the RFC's recursive definition over a list of leaf hashes: the reference the
    cached `Levels` are tested against, and enough for a few thousand leaves."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.leaves = leaves

    def subtree(self, start: int, end: int) -> bytes:
        if end - start == 1:
            return self.leaves[start]
        k = split(end - start)
        return node_hash(self.subtree(start, start + k), self.subtree(start + k, end))


class Levels:
    """Every complete subtree's hash, level by level, grown one leaf at a time.

    Level h holds MTH of each aligned run of 2**h leaves, 32 bytes apiece in one bytearray
    (2 × 32 bytes per leaf in all). RFC 6962's proofs only ask for such subtrees and for the
    subtree at a tree's right edge, which is a combination of at most log2(n) of them; so no
    request rehashes the log.
    """

    def __init__(self) -> None:
        self.levels: list[bytearray] = [bytearray()]

    @property
    def size(self) -> int:
        return len(self.levels[0]) // HASH_SIZE

    def append(self, leaf: bytes) -> None:
        node, height = leaf, 0
        while True:
            level = self.levels[height]
            level += node
            count = len(level) // HASH_SIZE
            if count % 2:
                return
            node = node_hash(bytes(level[-2 * HASH_SIZE:-HASH_SIZE]), node)
            height += 1
            if height == len(self.levels):
                self.levels.append(bytearray())

    def _at(self, height: int, index: int) -> bytes:
        return bytes(self.levels[height][index * HASH_SIZE:(index + 1) * HASH_SIZE])

    def subtree(self, start: int, end: int) -> bytes:
        n = end - start
        if not 0 <= start < end <= self.size:
            msg = f"no subtree [{start}, {end}) in a tree of {self.size} leaves / 子树超出范围"
            raise ValueError(msg)
        height = n.bit_length() - 1
        if n == 1 << height and start % n == 0:
            return self._at(height, start >> height)
        k = split(n)
        return node_hash(self.subtree(start, start + k), self.subtree(start + k, end))
