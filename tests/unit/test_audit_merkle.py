"""RFC 6962 Merkle proofs (application/merkle.py): the tree hashes of the RFC's definition,
audit paths and consistency proofs that verify as RFC 9162 says — and stop verifying when any
hash, index or size is altered."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from application.merkle import (
    EMPTY_ROOT,
    Levels,
    MerkleLeaves,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

MAX_LEAVES = 40


def leaves(n: int) -> list[bytes]:
    return [leaf_hash(f"entry {i}".encode()) for i in range(n)]


def levels_of(n: int) -> Levels:
    tree = Levels()
    for leaf in leaves(n):
        tree.append(leaf)
    return tree


def flipped(value: bytes) -> bytes:
    return bytes([value[0] ^ 1]) + value[1:]


# The test vectors of RFC 6962's reference implementation (certificate-transparency's
# merkle_tree_test): the leaves are these byte strings, the roots of the first n of them.
VECTOR_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
VECTOR_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_the_tree_hash_is_rfc_6962s_on_its_reference_vectors() -> None:
    hashed = [leaf_hash(d) for d in VECTOR_LEAVES]
    cached = Levels()
    found = []
    for n in range(1, len(hashed) + 1):
        cached.append(hashed[n - 1])
        assert root(MerkleLeaves(hashed), n) == root(cached, n)
        found.append(root(cached, n).hex())

    assert found == VECTOR_ROOTS
    assert root(cached, 0) == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_leaves_and_nodes_are_hashed_apart() -> None:
    # 0x00 before a leaf, 0x01 before a node: a node can never pass for a leaf.
    a, b = leaf_hash(b"a"), leaf_hash(b"b")

    assert leaf_hash(b"a") == hashlib.sha256(b"\x00a").digest()
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert leaf_hash(a + b) != node_hash(a, b)


def test_rfc_6962s_example_audit_paths_and_consistency_proofs() -> None:
    # RFC 6962 §2.1.3: in the tree of 7 leaves a..g (d0..d6), the audit path of d is
    # [c, g(a,b), h(e,f,g)] and the consistency proof of the first 3 leaves is [c, d, g, l].
    tree = MerkleLeaves(leaves(7))
    a, b, c, d, e, f, g = tree.leaves

    assert inclusion_proof(tree, 3, 7) == [c, node_hash(a, b),
                                           node_hash(node_hash(e, f), g)]
    assert inclusion_proof(tree, 0, 3) == [b, c]
    assert consistency_proof(tree, 3, 7) == [c, d, node_hash(a, b),
                                             node_hash(node_hash(e, f), g)]
    assert consistency_proof(tree, 4, 7) == [node_hash(node_hash(e, f), g)]
    assert consistency_proof(tree, 6, 7) == [node_hash(e, f), g, node_hash(node_hash(a, b),
                                                                           node_hash(c, d))]


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_LEAVES).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=n - 1))))
def test_every_inclusion_proof_verifies_and_no_altered_one_does(case: tuple[int, int]) -> None:
    size, index = case
    tree = levels_of(size)
    reference = MerkleLeaves(leaves(size))
    proof = inclusion_proof(tree, index, size)
    leaf, tree_root = reference.leaves[index], root(reference, size)

    assert proof == inclusion_proof(reference, index, size)
    assert len(proof) <= (size - 1).bit_length()
    assert verify_inclusion(index, size, leaf, proof, tree_root)
    assert not verify_inclusion(index, size, flipped(leaf), proof, tree_root)
    assert not verify_inclusion(index, size, leaf, proof, flipped(tree_root))
    for i in range(len(proof)):
        altered = [*proof[:i], flipped(proof[i]), *proof[i + 1:]]
        assert not verify_inclusion(index, size, leaf, altered, tree_root)
    others = {j for j in (index - 1, index + 1) if 0 <= j < size}
    assert not any(verify_inclusion(j, size, leaf, proof, tree_root) for j in others)
    assert not verify_inclusion(index, size, leaf, [*proof, leaf], tree_root)


def test_inclusion_and_consistency_proofs_verify_for_every_size_up_to_forty() -> None:
    tree = levels_of(MAX_LEAVES)
    roots = [root(tree, n) for n in range(MAX_LEAVES + 1)]
    for second in range(1, MAX_LEAVES + 1):
        for index in range(second):
            proof = inclusion_proof(tree, index, second)
            assert verify_inclusion(index, second, tree.subtree(index, index + 1), proof,
                                    roots[second]), (index, second)
        for first in range(1, second + 1):
            proof = consistency_proof(tree, first, second)
            assert verify_consistency(first, second, roots[first], roots[second],
                                      proof), (first, second)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=MAX_LEAVES).flatmap(
    lambda n: st.tuples(st.integers(min_value=1, max_value=n - 1), st.just(n))))
def test_consistency_proofs_verify_and_fail_when_altered(case: tuple[int, int]) -> None:
    first, second = case
    tree = levels_of(second)
    reference = MerkleLeaves(leaves(second))
    proof = consistency_proof(tree, first, second)
    old, new = root(reference, first), root(reference, second)

    assert proof == consistency_proof(reference, first, second)
    assert verify_consistency(first, second, old, new, proof)
    assert not verify_consistency(first, second, flipped(old), new, proof)
    assert not verify_consistency(first, second, old, flipped(new), proof)
    for i in range(len(proof)):
        altered = [*proof[:i], flipped(proof[i]), *proof[i + 1:]]
        assert not verify_consistency(first, second, old, new, altered)
    assert not verify_consistency(first, second, old, new, proof[:-1])
    assert not verify_consistency(first, second, old, new, [])
    # A log whose old part was rewritten is not consistent with the old root.
    rewritten = leaves(second)
    rewritten[first - 1] = flipped(rewritten[first - 1])
    forged = MerkleLeaves(rewritten)
    assert not verify_consistency(first, second, old, root(forged, second),
                                  consistency_proof(forged, first, second))


def test_equal_sizes_are_consistent_only_with_an_empty_proof_and_the_same_root() -> None:
    tree = levels_of(5)
    five = root(tree, 5)

    assert consistency_proof(tree, 5, 5) == []
    assert verify_consistency(5, 5, five, five, [])
    assert not verify_consistency(5, 5, five, flipped(five), [])
    assert not verify_consistency(5, 5, five, five, [five])


@pytest.mark.parametrize(("first", "second"), [(0, 3), (4, 3), (-1, 2)])
def test_a_consistency_proof_needs_sizes_in_order(first: int, second: int) -> None:
    with pytest.raises(ValueError, match="0 < first <= second"):
        consistency_proof(levels_of(4), first, second)
    assert not verify_consistency(first, second, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])


def test_an_inclusion_proof_needs_a_leaf_of_the_tree() -> None:
    with pytest.raises(ValueError, match="not in a tree of 4 leaves"):
        inclusion_proof(levels_of(4), 4, 4)
    with pytest.raises(ValueError, match="no subtree"):
        levels_of(4).subtree(2, 5)


def test_the_cached_levels_keep_only_complete_subtrees() -> None:
    tree = levels_of(11)  # 11 = 8 + 2 + 1

    assert [len(level) // 32 for level in tree.levels] == [11, 5, 2, 1]
    assert tree.subtree(0, 8) == MerkleLeaves(leaves(11)).subtree(0, 8)
    assert tree.subtree(8, 11) == MerkleLeaves(leaves(11)).subtree(8, 11)
