"""Signed checkpoints (application/checkpoints.py): the exact bytes signed, the key's id and
form, and what a checkpoint read from a file must look like."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from application.checkpoints import Checkpoint, Signer, keygen, private_key, public_key
from application.settings import Settings

SEED = bytes(range(32))


def signer() -> Signer:
    return Signer(private_key(base64.b64encode(SEED).decode()))


def test_the_signature_covers_exactly_the_documented_lines() -> None:
    checkpoint = signer().sign(42, 40, bytes.fromhex("ab" * 32), bytes.fromhex("cd" * 32),
                               "2025-10-01T08:00:00Z")

    expected = ("investledger audit checkpoint v1\n"
                "position 42\n"
                "tree_size 40\n"
                f"head_hash {'ab' * 32}\n"
                f"root_hash {'cd' * 32}\n"
                "recorded_at 2025-10-01T08:00:00Z\n"
                f"key_id {checkpoint.key_id}\n").encode()
    raw = Ed25519PrivateKey.from_private_bytes(SEED).public_key()
    assert checkpoint.message() == expected
    raw.verify(base64.b64decode(checkpoint.signature), expected)  # raises if not
    assert checkpoint.key_id == hashlib.sha256(
        base64.b64decode(signer().public)).hexdigest()[:16]


def test_any_changed_field_breaks_the_signature() -> None:
    checkpoint = signer().sign(42, 40, bytes(32), bytes(32), "2025-10-01T08:00:00Z")
    key = public_key(signer().public)

    assert checkpoint.signature_problem(key) is None
    for changed in (replace(checkpoint, position=41), replace(checkpoint, tree_size=41),
                    replace(checkpoint, head_hash="1" * 64),
                    replace(checkpoint, root_hash="1" * 64),
                    replace(checkpoint, recorded_at="2025-10-02T08:00:00Z")):
        assert "does not verify" in str(changed.signature_problem(key))
    other = public_key(keygen().public)
    assert "names key" in str(checkpoint.signature_problem(other))


def test_keygen_makes_a_key_the_settings_accept_and_refuse_when_mangled() -> None:
    pair = keygen()

    assert Settings(signing_key=pair.private).signing_key == pair.private
    assert Settings(signing_key="  ").signing_key is None
    assert Signer(private_key(pair.private)).key_id == pair.key_id
    with pytest.raises(ValidationError, match="LEDGER_SIGNING_KEY must be 32 bytes in base64"):
        Settings(signing_key=pair.private[:-4])


@pytest.mark.parametrize(("change", "says"), [
    ({"position": -1}, "position must be a non-negative integer"),
    ({"tree_size": "4"}, "tree_size must be a non-negative integer"),
    ({"head_hash": "AB" * 32}, "head_hash must be 64 lowercase hex digits"),
    ({"key_id": "xyz"}, "key_id must be 16 lowercase hex digits"),
    ({"recorded_at": "2025\nposition 1"}, "recorded_at must be one line of ASCII text"),
])
def test_a_checkpoint_file_must_have_the_checkpoints_form(change: dict[str, Any],
                                                           says: str) -> None:
    good = signer().sign(1, 1, bytes(32), bytes(32), "2025-10-01T08:00:00Z").as_dict()

    assert Checkpoint.from_dict(good).as_dict() == good
    with pytest.raises(ValueError, match=says):
        Checkpoint.from_dict({**good, **change})
    with pytest.raises(ValueError, match="a checkpoint is a JSON object with position"):
        Checkpoint.from_dict({k: v for k, v in good.items() if k != "signature"})
